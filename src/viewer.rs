//! Who is asking: the patient signed in with their card in this request's server-side session.
//! Every patient page, server function and download asks here; nothing else names a patient.

use crate::error::PortalError;
use crate::state::AppState;
use crate::storage::patients::PatientId;
use leptos::prelude::*;

/// The shared state, or an internal error when a route was mounted without it.
pub fn state() -> Result<AppState, PortalError> {
    use_context::<AppState>().ok_or_else(|| PortalError::Internal {
        request_id: request_id(),
    })
}

/// The request id the tracing layer gave this request, for error pages and log lines.
pub fn request_id() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "-".into())
}

/// Logs the cause once, under the request id, and returns what the browser may see.
pub fn internal(e: &dyn std::fmt::Display) -> PortalError {
    let request_id = request_id();
    tracing::error!(%request_id, error = %e, "request failed");
    PortalError::Internal { request_id }
}

/// The session key holding the current login's id.
pub const LOGIN_KEY: &str = "login";

/// The request's server-side session.
pub async fn session() -> Result<tower_sessions::Session, PortalError> {
    leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|e| internal(&e))
}

/// The signed-in patient, or `NotSignedIn`. Checks the login on every call: idle and absolute
/// timeouts, sign-out elsewhere and card revocation take effect on the next request. Requests
/// marked `x-portal-background` (polling) do not count as activity.
pub async fn require_patient() -> Result<(AppState, PatientId), PortalError> {
    let state = state()?;
    let session = session().await?;
    let headers = use_context::<http::request::Parts>()
        .map(|p| p.headers)
        .unwrap_or_default();
    let patient = patient_of(&state, &session, &headers).await?;
    Ok((state, patient))
}

/// [`require_patient`] for plain axum handlers (downloads), which get the session and headers
/// as extractors instead of from the Leptos context.
pub async fn patient_of(
    state: &AppState,
    session: &tower_sessions::Session,
    headers: &http::HeaderMap,
) -> Result<PatientId, PortalError> {
    match session_login(state, session, headers).await? {
        Some(row) => Ok(PatientId(row.patient_id)),
        None => Err(PortalError::NotSignedIn),
    }
}

/// The signed-in login itself: for the patient's own cards and sessions, and for changes that
/// need a fresh card check.
pub async fn require_login() -> Result<(AppState, crate::storage::logins::LoginRow), PortalError> {
    login(false).await
}

/// [`require_login`] without counting as activity: for the idle warning's polling, which must
/// not keep a forgotten session alive.
pub async fn peek_login() -> Result<(AppState, crate::storage::logins::LoginRow), PortalError> {
    login(true).await
}

async fn login(
    background: bool,
) -> Result<(AppState, crate::storage::logins::LoginRow), PortalError> {
    let state = state()?;
    let session = session().await?;
    let mut headers = use_context::<http::request::Parts>()
        .map(|p| p.headers)
        .unwrap_or_default();
    if background {
        headers.insert(BACKGROUND, http::HeaderValue::from_static("1"));
    }
    let row = session_login(&state, &session, &headers)
        .await?
        .ok_or(PortalError::NotSignedIn)?;
    Ok((state, row))
}

/// The card login held by this request's session: `None` when the session has none, and
/// `NotSignedIn` when it had one that has ended (it is then dropped from the session). Checking
/// it marks it seen, unless the request is background polling (`x-portal-background`).
async fn session_login(
    state: &AppState,
    session: &tower_sessions::Session,
    headers: &http::HeaderMap,
) -> Result<Option<crate::storage::logins::LoginRow>, PortalError> {
    use crate::storage::logins::{self, LoginState};
    let Some(login) = session
        .get::<String>(LOGIN_KEY)
        .await
        .map_err(|e| internal(&e))?
    else {
        return Ok(None);
    };
    let touch = !headers.contains_key(BACKGROUND);
    match logins::check(
        &state.db,
        &login,
        state.clock.now(),
        state.auth.timeouts,
        touch,
    )
    .await
    {
        Ok(LoginState::Active(row)) => Ok(Some(row)),
        Ok(_) => {
            let _ = session.remove::<String>(LOGIN_KEY).await;
            Err(PortalError::NotSignedIn)
        }
        Err(e) => Err(internal(&e)),
    }
}

/// Marks a request as background polling: it does not count as activity.
pub const BACKGROUND: &str = "x-portal-background";

/// Reads one cookie from the request headers.
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Gives a failed server function the HTTP status its error means: bad input is a 4xx with a
/// code, never a 500; only real server faults are 500.
///
/// Only for calls arriving over HTTP: when a page calls the function while rendering on the
/// server, the page decides its own status (a landing page is not a 401).
pub fn with_status<T>(result: Result<T, PortalError>) -> Result<T, PortalError> {
    let over_http =
        use_context::<http::request::Parts>().is_some_and(|p| p.uri.path().starts_with("/api/"));
    if let (Err(e), true) = (&result, over_http) {
        let status = match e {
            PortalError::NotSignedIn => http::StatusCode::UNAUTHORIZED,
            PortalError::NotFound => http::StatusCode::NOT_FOUND,
            PortalError::Refused { reason, .. } if reason == "too_many_attempts" => {
                http::StatusCode::TOO_MANY_REQUESTS
            }
            PortalError::Refused { .. } | PortalError::Transport { .. } => {
                http::StatusCode::BAD_REQUEST
            }
            PortalError::Internal { .. } => http::StatusCode::INTERNAL_SERVER_ERROR,
        };
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(status);
        }
    }
    result
}
