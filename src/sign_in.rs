//! Enrolling a card, signing in and out, card checks and new cards: the server functions the
//! pages call, over the ceremonies in `auth`, and how long their sessions live. Ceremony state stays in the
//! database (`storage::ceremonies`), the session holding only a handle to it; a sign-in's,
//! which strangers start at will, goes to the browser sealed instead (`auth::sealed_step`).
//! Either is taken out, once, before the answer is checked.

use crate::domain::card_check::StepUpFor;
use crate::error::PortalError;
#[cfg(feature = "ssr")]
use crate::error::ServerError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use webauthn_rs_proto::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse,
};

#[cfg(feature = "hydrate")]
pub mod browser;

#[cfg(feature = "ssr")]
/// How long a session record lives without use once signed in (the login's own idle and
/// absolute limits end it sooner).
pub const SIGNED_IN_SESSION: tower_sessions::Expiry =
    tower_sessions::Expiry::OnInactivity(tower_sessions::cookie::time::Duration::hours(8));

#[cfg(feature = "ssr")]
/// A session that only holds a card step of someone not signed in: gone soon after the
/// ceremony's own five minutes, so strangers' abandoned starts do not pile up for hours.
pub const ANONYMOUS_SESSION: tower_sessions::Expiry =
    tower_sessions::Expiry::OnInactivity(tower_sessions::cookie::time::Duration::minutes(10));

/// Sent when a session ends: drop what was cached or stored for this site. Not "cookies": the
/// session cookie is gone anyway, and the language choice should stay.
#[cfg(feature = "ssr")]
pub const CLEAR_SITE_DATA: http::HeaderName = http::HeaderName::from_static("clear-site-data");
#[cfg(feature = "ssr")]
pub const CLEAR_SITE: &str = "\"cache\", \"storage\"";

#[cfg(feature = "ssr")]
mod keys {
    /// `(patient id, enrollment code id, registration state)` between the two enrollment steps.
    pub const ENROLL: &str = "enroll";
    pub const SIGN_IN: &str = "sign_in";
    /// A sign-in waiting in the browser's autofill list; kept apart so a button-started
    /// sign-in does not overwrite it, nor it the button's.
    pub const AUTOFILL_SIGN_IN: &str = "autofill_sign_in";
    /// `(purpose, sign-in state)` of a card check inside a login.
    pub const STEP_UP: &str = "step_up";
    pub const ADD_CARD: &str = "add_card";
}

/// Keeps ceremony state in the database until the card answers; the session holds only a
/// random handle to it. For enrollment (after a valid code), card checks and new cards (signed
/// in); a sign-in's step is sealed into the browser instead ([`keep_sealed`]).
#[cfg(feature = "ssr")]
pub(crate) async fn keep<T: serde::Serialize + Send + Sync>(
    kind: &'static str,
    value: T,
) -> Result<(), ServerError> {
    let state = crate::viewer::state()?;
    let now = state.clock.now();
    let json = serde_json::to_string(&value)?;
    let handle = crate::auth::flows::random_id();
    let id = ceremony_id(&state.auth, &handle);
    crate::storage::ceremonies::put(&state.db, &id, kind, &json, now).await?;
    let session = crate::viewer::session().await?;
    let signed_in = session
        .get::<String>(crate::viewer::LOGIN_KEY)
        .await?
        .is_some();
    if !signed_in {
        session.set_expiry(Some(ANONYMOUS_SESSION));
    }
    Ok(session.insert(kind, handle).await?)
}

/// Takes ceremony state out before it is checked: whatever the outcome, the same answer cannot
/// be used twice, and of two parallel answers only one finds it (one `DELETE` in the database).
/// `None` when there is none to take; a refusal when it outlived its five minutes.
#[cfg(feature = "ssr")]
pub(crate) async fn take<T: serde::de::DeserializeOwned>(
    kind: &'static str,
) -> Result<Option<T>, ServerError> {
    use crate::storage::ceremonies::{self, Taken};
    let state = crate::viewer::state()?;
    let handle: Option<String> = crate::viewer::session().await?.remove(kind).await?;
    let Some(handle) = handle else {
        return Ok(None);
    };
    let id = ceremony_id(&state.auth, &handle);
    match ceremonies::take(&state.db, &id, kind, state.clock.now()).await? {
        Taken::State(json) => Ok(Some(serde_json::from_str(&json)?)),
        Taken::Expired => Err(expired()),
        Taken::Gone => Ok(None),
    }
}

/// A card step answered after its five minutes.
#[cfg(feature = "ssr")]
fn expired() -> ServerError {
    ServerError::Refused {
        reason: "ceremony_expired",
    }
}

/// Starts a sign-in without storing anything: its state goes to the browser sealed
/// (`auth::sealed_step`), in a cookie that lives as long as the step.
#[cfg(feature = "ssr")]
fn keep_sealed(
    kind: &'static str,
    pending: &crate::auth::ceremony::SignInState,
) -> Result<(), ServerError> {
    let state = crate::viewer::state()?;
    let json = serde_json::to_string(pending)?;
    let nonce = crate::auth::flows::random_id();
    let sealed =
        crate::auth::sealed_step::seal(&state.auth.key, kind, &nonce, json, state.clock.now());
    let max_age = crate::auth::sealed_step::LIFETIME.num_seconds();
    set_step_cookie(&state, kind, &sealed, max_age)
}

/// Takes a sealed sign-in step out of the browser (the cookie is cleared whatever happens) and
/// marks it answered: of two answers to one step only the first goes on.
#[cfg(feature = "ssr")]
async fn take_sealed(
    kind: &'static str,
) -> Result<Option<crate::auth::ceremony::SignInState>, ServerError> {
    use crate::auth::sealed_step::{self, Unsealed};
    let state = crate::viewer::state()?;
    let name = step_cookie_name(&state, kind);
    let sealed =
        crate::request::with_request(|p| crate::request::cookie_value(&p.headers, &name)).flatten();
    let Some(sealed) = sealed else {
        return Ok(None);
    };
    set_step_cookie(&state, kind, "", 0)?;
    let now = state.clock.now();
    let (nonce, json) = match sealed_step::open(&state.auth.key, kind, &sealed, now) {
        Ok(opened) => opened,
        Err(Unsealed::Expired) => return Err(expired()),
        Err(Unsealed::Forged) => return Ok(None),
    };
    let id = ceremony_id(&state.auth, &format!("sealed:{nonce}"));
    if !crate::storage::ceremonies::spend(&state.db, &id, kind, now).await? {
        return Ok(None);
    }
    Ok(Some(serde_json::from_str(&json)?))
}

/// The cookie holding a sealed step.
#[cfg(feature = "ssr")]
fn step_cookie_name(state: &crate::state::AppState, kind: &str) -> String {
    state.settings.cookie_name(&format!("portal_{kind}"))
}

#[cfg(feature = "ssr")]
fn set_step_cookie(
    state: &crate::state::AppState,
    kind: &str,
    value: &str,
    max_age: i64,
) -> Result<(), ServerError> {
    let cookie = format!(
        "{}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{}",
        step_cookie_name(state, kind),
        state.settings.secure_attribute()
    );
    let value = http::HeaderValue::from_str(&cookie).map_err(ServerError::internal)?;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.append_header(http::header::SET_COOKIE, value);
    }
    Ok(())
}

/// Where a ceremony is stored: a keyed hash of the session's handle, so the table alone does
/// not lead back to a session.
#[cfg(feature = "ssr")]
fn ceremony_id(auth: &crate::auth::flows::Auth, handle: &str) -> String {
    hex::encode(crate::auth::enrollment_code::keyed_digest(
        &auth.key,
        &format!("ceremony:{handle}"),
    ))
}

/// The client's address as [`crate::client_addr`] worked it out, for back-off.
#[cfg(feature = "ssr")]
pub(crate) fn client_ip() -> String {
    crate::request::with_request(|p| {
        p.extensions
            .get::<crate::client_addr::ClientAddr>()
            .map(|c| c.0.to_string())
    })
    .flatten()
    .unwrap_or_else(|| "unknown".into())
}

/// Enrollment step 1: the insured number and the mailed code. Answers the options for
/// `navigator.credentials.create`.
#[server(endpoint = "auth/begin_enrollment", input = Json)]
pub async fn begin_enrollment(
    member: String,
    code: String,
) -> Result<CreationChallengeResponse, PortalError> {
    use crate::auth::flows;
    let state = crate::viewer::state()?;
    let now = state.clock.now();
    let (patient, code_id) = flows::check_code(
        &state.db,
        &state.auth,
        &member,
        &code,
        &client_ip(),
        now,
        state.clock.today_japan(),
    )
    .await?;
    let (options, reg) = flows::start_registration(&state.db, &state.auth, patient).await?;
    keep(keys::ENROLL, (patient.0, code_id, reg)).await?;
    Ok(options)
}

/// Enrollment step 2: the new card's answer.
#[server(endpoint = "auth/complete_enrollment", input = Json)]
pub async fn complete_enrollment(reply: RegisterPublicKeyCredential) -> Result<(), PortalError> {
    use crate::auth::ceremony::RegistrationState;
    let state = crate::viewer::state()?;
    let pending: Option<(i64, i64, RegistrationState)> = take(keys::ENROLL).await?;
    let Some((patient, code_id, reg)) = pending else {
        return Err(ServerError::Refused {
            reason: "no_enrollment_in_progress",
        }
        .into());
    };
    let patient = crate::storage::patients::PatientId(patient);
    crate::auth::flows::finish_enrollment(
        &state.db,
        &state.auth,
        patient,
        code_id,
        &reply,
        reg,
        state.clock.now(),
    )
    .await?;
    // Enrolling ends the patient's earlier cards and sessions.
    if let Some(notes) = crate::viewer::notes() {
        notes.involves(patient);
    }
    Ok(())
}

/// Sign-in step 1: options for `navigator.credentials.get` without a user name.
#[server(endpoint = "auth/begin_sign_in", input = Json)]
pub async fn begin_sign_in() -> Result<RequestChallengeResponse, PortalError> {
    let state = crate::viewer::state()?;
    let (options, pending) = crate::auth::flows::start_sign_in(&state.auth)?;
    keep_sealed(keys::SIGN_IN, &pending)?;
    Ok(options)
}

/// Sign-in step 1 of the fallback: the patient typed their insured number; the options list
/// their cards (the same answer shape for a number that is nobody's).
#[server(endpoint = "auth/begin_sign_in_for", input = Json)]
pub async fn begin_sign_in_for(member: String) -> Result<RequestChallengeResponse, PortalError> {
    let state = crate::viewer::state()?;
    let (options, pending) = crate::auth::flows::start_sign_in_for_member(
        &state.db,
        &state.auth,
        &member,
        &client_ip(),
        state.clock.now(),
        state.clock.today_japan(),
    )
    .await?;
    keep_sealed(keys::SIGN_IN, &pending)?;
    Ok(options)
}

/// Sign-in step 1 through the browser's autofill list (conditional mediation).
#[server(endpoint = "auth/begin_autofill_sign_in", input = Json)]
pub async fn begin_autofill_sign_in() -> Result<RequestChallengeResponse, PortalError> {
    let state = crate::viewer::state()?;
    let (options, pending) = crate::auth::flows::start_autofill_sign_in(&state.auth)?;
    keep_sealed(keys::AUTOFILL_SIGN_IN, &pending)?;
    Ok(options)
}

/// Sign-in step 2: the card's answer. On success the session id is replaced (so an id planted
/// before sign-in is worthless) and the login is attached to it.
#[server(endpoint = "auth/complete_sign_in", input = Json)]
pub async fn complete_sign_in(
    reply: PublicKeyCredential,
    #[server(default)] from_autofill: bool,
) -> Result<(), PortalError> {
    use crate::auth::ceremony::SignInState;
    let state = crate::viewer::state()?;
    let key = if from_autofill {
        keys::AUTOFILL_SIGN_IN
    } else {
        keys::SIGN_IN
    };
    // A client over its failures is refused before its answer is even recorded.
    crate::auth::flows::answers_allowed(&state.auth, &client_ip(), state.clock.now())?;
    let pending: Option<SignInState> = take_sealed(key).await?;
    let Some(pending) = pending else {
        return Err(ServerError::Refused {
            reason: "no_sign_in_in_progress",
        }
        .into());
    };
    let user_agent = use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_default();
    let signed_in = crate::auth::flows::finish_sign_in(
        &state.db,
        &state.auth,
        &reply,
        pending,
        &client_ip(),
        &user_agent,
        state.clock.now(),
    )
    .await?;
    // A sign-in moves the patient's records version (the home page lists card changes).
    if let Some(notes) = crate::viewer::notes() {
        notes.involves(signed_in.patient);
    }
    // The first moment this browser needs a stored session.
    let session = crate::viewer::session().await?;
    session.cycle_id().await?;
    session.set_expiry(Some(SIGNED_IN_SESSION));
    session
        .insert(crate::viewer::LOGIN_KEY, signed_in.login_id)
        .await?;
    Ok(())
}

/// Ends this login and the whole session; works as a plain form post (then redirects home).
#[server(endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), PortalError> {
    let state = crate::viewer::state()?;
    let session = crate::viewer::session().await?;
    if let Ok(Some(login)) = session.get::<String>(crate::viewer::LOGIN_KEY).await {
        crate::storage::logins::end(&state.db, &login, "signed_out", state.clock.now()).await?;
    }
    session.flush().await?;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        // Tell the browser to drop what it cached or stored for this site. Not "cookies": the
        // session cookie is already expired by the flush, and the language choice should stay.
        res.insert_header(CLEAR_SITE_DATA, http::HeaderValue::from_static(CLEAR_SITE));
    }
    leptos_axum::redirect("/");
    Ok(())
}

/// Step-up step 1, inside a login: options listing the patient's own cards.
#[server(endpoint = "auth/begin_step_up", input = Json)]
pub async fn begin_step_up(purpose: StepUpFor) -> Result<RequestChallengeResponse, PortalError> {
    let (state, login) = crate::viewer::require_login().await?;
    let patient = crate::storage::patients::PatientId(login.patient_id);
    let (options, pending) =
        crate::auth::flows::start_step_up(&state.db, &state.auth, patient).await?;
    keep(keys::STEP_UP, (purpose, pending)).await?;
    Ok(options)
}

/// Step-up step 2: the card's answer. The change the check was made for is then allowed for
/// five minutes in this login.
#[server(endpoint = "auth/complete_step_up", input = Json)]
pub async fn complete_step_up(reply: PublicKeyCredential) -> Result<(), PortalError> {
    use crate::auth::ceremony::SignInState;
    use crate::storage::card_checks::Purpose;
    let (state, login) = crate::viewer::require_login().await?;
    let pending: Option<(StepUpFor, SignInState)> = take(keys::STEP_UP).await?;
    let Some((purpose, pending)) = pending else {
        return Err(ServerError::Refused {
            reason: "no_sign_in_in_progress",
        }
        .into());
    };
    crate::auth::flows::finish_step_up(
        &state.db,
        &state.auth,
        &login,
        Purpose::StepUp(purpose),
        (&reply, pending),
        &client_ip(),
        state.clock.now(),
    )
    .await?;
    Ok(())
}

/// Adding a card, step 1 (after a fresh card check): options for `navigator.credentials.create`
/// that exclude the patient's cards.
#[server(endpoint = "auth/begin_add_card", input = Json)]
pub async fn begin_add_card() -> Result<CreationChallengeResponse, PortalError> {
    use crate::auth::flows;
    let (state, login) = crate::viewer::require_self().await?;
    flows::require_fresh_check(&state.db, &login, StepUpFor::AddCard, state.clock.now()).await?;
    let patient = crate::storage::patients::PatientId(login.patient_id);
    let (options, reg) = flows::start_registration(&state.db, &state.auth, patient).await?;
    keep(keys::ADD_CARD, reg).await?;
    Ok(options)
}

/// Adding a card, step 2: the new card's answer; the check must still be fresh.
#[server(endpoint = "auth/complete_add_card", input = Json)]
pub async fn complete_add_card(reply: RegisterPublicKeyCredential) -> Result<(), PortalError> {
    use crate::auth::ceremony::RegistrationState;
    use crate::auth::flows;
    let (state, login) = crate::viewer::require_self().await?;
    let now = state.clock.now();
    let pending: Option<RegistrationState> = take(keys::ADD_CARD).await?;
    let Some(reg) = pending else {
        return Err(ServerError::Refused {
            reason: "no_enrollment_in_progress",
        }
        .into());
    };
    flows::require_fresh_check(&state.db, &login, StepUpFor::AddCard, now).await?;
    let patient = crate::storage::patients::PatientId(login.patient_id);
    flows::finish_add_card(&state.db, &state.auth, patient, &reply, reg, now).await?;
    Ok(())
}

/// How long this session has left, for the warning before it ends for inactivity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TimeLeft {
    /// Seconds until the session ends unless the patient does something (the earlier of the
    /// idle and the absolute limit).
    pub seconds: i64,
    /// Whether the absolute limit is the nearer one: then "stay signed in" cannot help.
    pub absolute: bool,
}

#[cfg(feature = "ssr")]
fn left_of(
    login: &crate::storage::logins::LoginRow,
    timeouts: crate::storage::logins::Timeouts,
    now: chrono::DateTime<chrono::Utc>,
) -> TimeLeft {
    let idle = (login.last_seen_at + timeouts.idle - now).num_seconds();
    let absolute = (login.signed_in_at + timeouts.absolute - now).num_seconds();
    TimeLeft {
        seconds: idle.min(absolute).max(0),
        absolute: absolute <= idle,
    }
}

/// The time left, asked in the background: the question itself does not extend the session.
/// `None` when nobody is signed in (an answer, not a refusal: every page asks once).
#[server(endpoint = "auth/session_left", input = Json)]
pub async fn session_left() -> Result<Option<TimeLeft>, PortalError> {
    match crate::viewer::peek_login().await {
        Ok((state, login)) => Ok(Some(left_of(
            &login,
            state.auth.timeouts,
            state.clock.now(),
        ))),
        Err(ServerError::NotSignedIn) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// "Stay signed in": counts as activity, and answers the new time left.
#[server(endpoint = "auth/stay_signed_in", input = Json)]
pub async fn stay_signed_in() -> Result<TimeLeft, PortalError> {
    let (state, login) = crate::viewer::require_login().await?;
    Ok(left_of(&login, state.auth.timeouts, state.clock.now()))
}
