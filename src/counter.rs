//! At the counter: an institution's reception terminal, where a patient places their card and
//! chooses what this institution may see for this visit, with one touch and no typing.
//!
//! The terminal is signed in once with the institution's credential (the institution API's
//! bearer token, pasted by staff); the browser session then names that credential, checked
//! again on every request so a revoked credential stops the terminal at once. A patient's card
//! opens no session here: its check is kept for a consent change at this institution only, and
//! the step that remembers whose card it was lives five minutes at most and ends with the
//! patient's answer (confirm or cancel) or the next card. The terminal never shows records.

#[cfg(feature = "ssr")]
pub mod form;

use crate::domain::consent::DataKind;
use crate::domain::institution::InstitutionRef;
use crate::error::PortalError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use webauthn_rs_proto::{PublicKeyCredential, RequestChallengeResponse};

/// The kinds a patient may share at the counter: what the visit needs (medications and checkups
/// for the clinician, qualification with the ceiling category for high-cost care). Cost notices
/// are the patient's own business and are shared only from home.
pub const COUNTER_KINDS: [DataKind; 3] = [
    DataKind::Medications,
    DataKind::Checkups,
    DataKind::Qualification,
];

/// The open consent the patient already has with this institution, shown before they choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentConsent {
    pub kinds: Vec<DataKind>,
    /// `None`: until the patient revokes it.
    pub until: Option<DateTime<Utc>>,
}

/// What the counter page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CounterView {
    /// No terminal on this browser: the staff sign it in with the institution's credential.
    NoTerminal,
    /// Waiting for the next patient's card.
    Ready { institution: InstitutionRef },
    /// A card was read: the patient chooses what to share for this visit.
    Choosing {
        institution: InstitutionRef,
        patient_name: String,
        current: Option<CurrentConsent>,
    },
    /// The patient confirmed; shown once, then the terminal is ready for the next patient.
    Confirmed {
        institution: InstitutionRef,
        kinds: Vec<DataKind>,
        until: Option<DateTime<Utc>>,
        /// The patient's consent already allowed all of it: nothing was changed.
        unchanged: bool,
    },
}

/// What the terminal's session keeps between the card and the patient's answer.
#[cfg(feature = "ssr")]
mod keys {
    /// The public id of the institution credential the terminal was signed in with.
    pub const TERMINAL: &str = "counter_terminal";
    /// The card's check waiting for the patient's choice ([`super::Pending`]).
    pub const PENDING: &str = "counter_pending";
    /// The confirmation to show once ([`super::CounterView::Confirmed`]).
    pub const DONE: &str = "counter_done";
    /// The WebAuthn step of the card being read.
    pub const CARD: &str = "counter_card";
}

/// A card read at the counter, waiting for the patient's choice.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    pub patient: i64,
    /// The never-a-session login the card check is kept under.
    pub login_id: String,
    pub read_at: DateTime<Utc>,
}

/// How long a terminal stays signed in without use: a reception's working day.
#[cfg(feature = "ssr")]
pub const TERMINAL_SESSION: tower_sessions::Expiry =
    tower_sessions::Expiry::OnInactivity(tower_sessions::cookie::time::Duration::hours(12));

/// The institution whose terminal this session is, or `None`. The credential is read again on
/// every call: revoking it stops the terminal on its next request.
#[cfg(feature = "ssr")]
pub async fn terminal_of(
    state: &crate::state::AppState,
    session: &tower_sessions::Session,
) -> Result<Option<crate::storage::institutions::Institution>, crate::error::ServerError> {
    let Some(public_id) = session.get::<String>(keys::TERMINAL).await? else {
        return Ok(None);
    };
    let credential = crate::storage::credentials::by_public_id(&state.db, &public_id).await?;
    let Some(credential) = credential.filter(|c| c.revoked_at.is_none()) else {
        forget_terminal(session).await?;
        return Ok(None);
    };
    Ok(crate::storage::institutions::by_code(&state.db, &credential.institution_code).await?)
}

/// Ends the terminal and whatever patient step it held.
#[cfg(feature = "ssr")]
pub async fn forget_terminal(
    session: &tower_sessions::Session,
) -> Result<(), crate::error::ServerError> {
    session.remove::<String>(keys::TERMINAL).await?;
    forget_patient(session).await
}

/// Ends the patient's step: the next patient starts clean.
#[cfg(feature = "ssr")]
pub async fn forget_patient(
    session: &tower_sessions::Session,
) -> Result<(), crate::error::ServerError> {
    session.remove::<Pending>(keys::PENDING).await?;
    session.remove::<CounterView>(keys::DONE).await?;
    session.remove::<String>(keys::CARD).await?;
    Ok(())
}

/// This request's terminal, or `NotSignedIn`.
#[cfg(feature = "ssr")]
async fn require_terminal() -> Result<
    (
        crate::state::AppState,
        tower_sessions::Session,
        crate::storage::institutions::Institution,
    ),
    crate::error::ServerError,
> {
    let state = crate::viewer::state()?;
    let session = crate::viewer::session().await?;
    match terminal_of(&state, &session).await? {
        Some(institution) => Ok((state, session, institution)),
        None => Err(crate::error::ServerError::NotSignedIn),
    }
}

/// The counter page's state.
#[server(endpoint = "counter/view", output = crate::wire::JsonText)]
pub async fn load_counter() -> Result<CounterView, PortalError> {
    let state = crate::viewer::state()?;
    let session = crate::viewer::session().await?;
    let Some(institution) = terminal_of(&state, &session).await? else {
        return Ok(CounterView::NoTerminal);
    };
    // Shown once: a reload, or the next patient, finds the terminal ready.
    if let Some(done) = session.remove::<CounterView>(keys::DONE).await? {
        return Ok(done);
    }
    let reference = institution.reference();
    let Some(pending) = pending(&state, &session).await? else {
        return Ok(CounterView::Ready {
            institution: reference,
        });
    };
    let patient = crate::storage::patients::PatientId(pending.patient);
    let (_, patient_name) = crate::storage::patients::identity(&state.db, patient).await?;
    let now = state.clock.now();
    let current = crate::storage::consents::for_institution(&state.db, patient, &institution.code)
        .await?
        .into_iter()
        .find(|c| c.standing(now) == crate::domain::consent::Standing::Active)
        .map(|c| CurrentConsent {
            kinds: c.terms.kinds,
            until: c.expires_at,
        });
    Ok(CounterView::Choosing {
        institution: reference,
        patient_name,
        current,
    })
}

/// The card step waiting for the patient's choice, if it is still fresh; a stale one is dropped.
#[cfg(feature = "ssr")]
pub async fn pending(
    state: &crate::state::AppState,
    session: &tower_sessions::Session,
) -> Result<Option<Pending>, crate::error::ServerError> {
    let Some(p) = session.get::<Pending>(keys::PENDING).await? else {
        return Ok(None);
    };
    if state.clock.now() - p.read_at > crate::storage::logins::STEP_UP_WINDOW {
        session.remove::<Pending>(keys::PENDING).await?;
        return Ok(None);
    }
    Ok(Some(p))
}

/// Takes the card step out of the session, once.
#[cfg(feature = "ssr")]
pub async fn take_pending(
    state: &crate::state::AppState,
    session: &tower_sessions::Session,
) -> Result<Option<Pending>, crate::error::ServerError> {
    let found = pending(state, session).await?;
    session.remove::<Pending>(keys::PENDING).await?;
    Ok(found)
}

/// Keeps the confirmation for the page to show once.
#[cfg(feature = "ssr")]
pub async fn show_once(
    session: &tower_sessions::Session,
    done: &CounterView,
) -> Result<(), crate::error::ServerError> {
    Ok(session.insert(keys::DONE, done).await?)
}

/// Signs this browser in as the institution's terminal: a new session id, and no patient's
/// login in it (a terminal is never a patient's browser).
#[cfg(feature = "ssr")]
pub async fn become_terminal(
    session: &tower_sessions::Session,
    credential_public_id: &str,
) -> Result<(), crate::error::ServerError> {
    session.cycle_id().await?;
    session.remove::<String>(crate::viewer::LOGIN_KEY).await?;
    forget_patient(session).await?;
    session.set_expiry(Some(TERMINAL_SESSION));
    Ok(session.insert(keys::TERMINAL, credential_public_id).await?)
}

/// Step 1 of reading a card: options for `navigator.credentials.get`, no name typed (the card
/// offers its own credential). Starting over drops any earlier patient's step.
#[server(endpoint = "counter/begin_card", input = Json)]
pub async fn begin_counter_card() -> Result<RequestChallengeResponse, PortalError> {
    let (state, session, _) = require_terminal().await?;
    forget_patient(&session).await?;
    let (options, step) = crate::auth::flows::start_sign_in(&state.auth)?;
    crate::sign_in::keep(keys::CARD, step).await?;
    // Keeping a step shortens an anonymous session; a terminal keeps its working day.
    session.set_expiry(Some(TERMINAL_SESSION));
    Ok(options)
}

/// Step 2: the card's answer. Any enrolled patient's working card will do; its check is kept
/// for a consent change at this institution and waits for the patient's choice.
#[server(endpoint = "counter/complete_card", input = Json)]
pub async fn complete_counter_card(reply: PublicKeyCredential) -> Result<(), PortalError> {
    use crate::auth::ceremony::SignInState;
    let (state, session, institution) = require_terminal().await?;
    let now = state.clock.now();
    let ip = crate::sign_in::client_ip();
    crate::auth::flows::answers_allowed(&state.auth, &ip, now)?;
    let step: Option<SignInState> = crate::sign_in::take(keys::CARD).await?;
    let Some(step) = step else {
        return Err(crate::error::ServerError::Refused {
            reason: "no_sign_in_in_progress",
        }
        .into());
    };
    let check = crate::auth::flows::finish_counter_check(
        &state.db,
        &state.auth,
        &reply,
        step,
        &institution.code,
        &ip,
        now,
    )
    .await?;
    if let Some(notes) = crate::viewer::notes() {
        notes.involves(check.patient);
    }
    session
        .insert(
            keys::PENDING,
            Pending {
                patient: check.patient.0,
                login_id: check.login_id,
                read_at: now,
            },
        )
        .await?;
    Ok(())
}
