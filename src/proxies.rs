//! Family proxies as the signed-in person sees them (`/proxies`): who acts for them, the
//! invitations they have open, and whom they act for, with the switch between "myself" and
//! each of those. Inviting, revoking, cancelling, accepting and switching are plain form posts
//! (`form`).

#[cfg(feature = "ssr")]
pub mod form;

use crate::domain::proxy::{Kind, Scope, Standing};
use crate::error::PortalError;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One grant, with the other person's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GrantView {
    pub id: i64,
    pub name: String,
    pub scope: Scope,
    pub kind: Kind,
    pub granted_at: DateTime<Utc>,
    pub until: NaiveDate,
    pub standing: Standing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub id: i64,
    pub scope: Scope,
    pub until: NaiveDate,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProxiesPage {
    /// The name of the patient this login acts for now, if any: the page then offers only the
    /// way back to "myself" (proxies are the patient's own decision).
    pub acting_for: Option<String>,
    /// Who acts or acted for the signed-in person.
    pub mine: Vec<GrantView>,
    pub invitations: Vec<InvitationView>,
    /// Whom the signed-in person acts for now (or will once the patient confirms them again).
    pub theirs: Vec<GrantView>,
    /// The code of an invitation just made, shown once, grouped for reading aloud.
    pub issued: Option<String>,
    pub today: NaiveDate,
    pub until_default: NaiveDate,
    pub until_max: NaiveDate,
}

/// The page's data for the signed-in person (never anyone else: the ids in it are checked
/// against their own grants on every post). `issued` is the code an invitation post just made,
/// shown only if it is one of this patient's open invitations.
#[server(endpoint = "proxies", output = crate::wire::JsonText)]
pub async fn load_proxies(issued: String) -> Result<ProxiesPage, PortalError> {
    use crate::storage::proxies;
    let (state, login) = crate::viewer::require_login().await?;
    let me = crate::storage::patients::PatientId(login.patient_id);
    let now = state.clock.now();
    let today = state.clock.today_japan();
    let view = |l: proxies::Listed| GrantView {
        id: l.grant.id,
        name: l.name,
        scope: l.grant.scope,
        kind: l.grant.kind,
        granted_at: l.grant.granted_at,
        until: l.grant.until,
        standing: l.grant.standing(now),
    };
    // Only those the person may act for now, or once the patient confirms them again: a grant
    // that was revoked, locked or has run out tells its former proxy nothing more, not even
    // the name (a patient protected from someone must not be shown to them).
    let theirs = proxies::of_proxy(&state.db, me)
        .await?
        .into_iter()
        .map(view)
        .filter(|g| matches!(g.standing, Standing::Active | Standing::Suspended))
        .collect();
    let acting_for = login.acting.as_ref().map(|a| a.name.clone());
    let (mut mine, mut invitations, mut shown) = (Vec::new(), Vec::new(), None);
    if acting_for.is_none() {
        mine = proxies::of_patient(&state.db, me)
            .await?
            .into_iter()
            .map(view)
            .collect();
        let open = proxies::open_invitations(&state.db, me, now).await?;
        let code = crate::auth::enrollment_code::EnrollmentCode::parse(&issued).ok();
        shown = code.and_then(|code| {
            open.iter()
                .any(|i| code.matches(&state.auth.key, &i.code_hash))
                .then(|| code.display_grouped())
        });
        invitations = open
            .into_iter()
            .filter_map(|i| {
                Some(InvitationView {
                    id: i.id,
                    scope: Scope::parse(&i.scope)?,
                    until: i.until,
                    expires_at: i.expires_at,
                })
            })
            .collect();
    }
    let until_default = crate::domain::proxy::grant_until(None, today).unwrap_or(today);
    Ok(ProxiesPage {
        acting_for,
        mine,
        invitations,
        theirs,
        issued: shown,
        today,
        until_default,
        until_max: crate::domain::proxy::longest_until(today),
    })
}
