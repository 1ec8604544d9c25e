//! The patient's own account: the sessions open in their browsers, their cards, and the record
//! of sign-ins and card changes. "Sign out everywhere else" works as a plain form post.

use crate::error::PortalError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    pub signed_in_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// A short description of the browser, from its user agent.
    pub browser: String,
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardView {
    /// The card's number among this patient's cards; the server only ever acts on the signed-in
    /// patient's own cards, whatever number a form sends.
    pub id: i64,
    /// The card this session signed in with.
    pub current: bool,
    pub added_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// Why the card no longer works (`lost`, `reenrolment`, `counter_regression`, ...).
    pub ended: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub at: DateTime<Utc>,
    pub kind: String,
    /// The reason or code recorded with the event, if any.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    pub sessions: Vec<SessionView>,
    pub cards: Vec<CardView>,
    pub events: Vec<EventView>,
}

/// Browser family and platform in a few words; the raw user agent never leaves the server.
pub fn browser_of(user_agent: &str) -> String {
    let family = ["Edg/", "Firefox/", "Chrome/", "Safari/"]
        .iter()
        .find(|k| user_agent.contains(*k))
        .map(|k| match *k {
            "Edg/" => "Edge",
            "Firefox/" => "Firefox",
            "Chrome/" => "Chrome",
            _ => "Safari",
        })
        .unwrap_or("?");
    let platform = ["Android", "iPhone", "iPad", "Windows", "Mac OS X", "Linux"]
        .iter()
        .find(|k| user_agent.contains(*k))
        .copied()
        .unwrap_or("?");
    format!("{family} / {platform}")
}

#[server(endpoint = "account")]
pub async fn load_account() -> Result<AccountView, PortalError> {
    let (state, login) = crate::viewer::require_self().await?;
    let patient = crate::storage::patients::PatientId(login.patient_id);
    let sessions = crate::storage::logins::active_of(&state.db, patient)
        .await?
        .into_iter()
        .map(|l| SessionView {
            signed_in_at: l.signed_in_at,
            last_seen_at: l.last_seen_at,
            browser: browser_of(&l.user_agent),
            current: l.id == login.id,
        })
        .collect();
    let cards = crate::storage::cards::of_patient(&state.db, patient)
        .await?
        .into_iter()
        .map(|c| CardView {
            id: c.id,
            current: c.id == login.card_id,
            added_at: c.created_at,
            last_used_at: c.last_used_at,
            ended: c.revoke_reason,
        })
        .collect();
    let events = crate::storage::events::recent(&state.db, patient, 50)
        .await?
        .into_iter()
        .map(|e| EventView {
            at: e.occurred_at,
            kind: e.kind,
            reason: serde_json::from_str::<serde_json::Value>(&e.detail)
                .ok()
                .and_then(|d| {
                    d.get("reason")
                        .or_else(|| d.get("code"))
                        .and_then(|r| r.as_str())
                        .map(str::to_owned)
                }),
        })
        .collect();
    Ok(AccountView {
        sessions,
        cards,
        events,
    })
}

/// Ends every other session of the patient; the one asking stays signed in.
#[server(endpoint = "account/sign_out_elsewhere")]
pub async fn sign_out_elsewhere() -> Result<(), PortalError> {
    let (state, login) = crate::viewer::require_self().await?;
    let patient = crate::storage::patients::PatientId(login.patient_id);
    crate::storage::logins::end_others(&state.db, patient, &login.id, state.clock.now()).await?;
    leptos_axum::redirect("/account");
    Ok(())
}

/// Stops one of the patient's cards (lost, or replaced) after a fresh card check; its sessions
/// end at once. Works as a plain form post: the answer is a redirect back to the account page
/// with the outcome (also when the card check is not fresh: the page then asks for one), or to
/// sign-in when the card stopped was this session's own.
#[server(endpoint = "account/revoke_card")]
pub async fn revoke_card(card: String) -> Result<(), PortalError> {
    use crate::auth::flows::{self, AuthError};
    use crate::error::ServerError;
    let (state, login) = crate::viewer::require_self().await?;
    let card: i64 = card.trim().parse().map_err(|_| ServerError::NotFound)?;
    let to = match flows::revoke_card(&state.db, &login, card, state.clock.now()).await {
        Ok(()) if card == login.card_id => "/sign-in?card_stopped=1".to_owned(),
        Ok(()) => "/account?card_stopped=1#cards-heading".to_owned(),
        Err(AuthError::StepUpRequired) => {
            format!("/account?card_error=step_up_required&card={card}#cards-heading")
        }
        Err(AuthError::UnknownCard) => return Err(ServerError::NotFound.into()),
        Err(e) => return Err(ServerError::internal(e).into()),
    };
    leptos_axum::redirect(&to);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::browser_of;

    #[test]
    fn browsers_are_described_briefly() {
        let cases = [
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36",
                "Chrome / Linux",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
                "Safari / iPhone",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 Edg/130.0",
                "Edge / Windows",
            ),
            ("curl/8.0", "? / ?"),
        ];
        for (ua, want) in cases {
            assert_eq!(browser_of(ua), want, "{ua}");
        }
    }
}
