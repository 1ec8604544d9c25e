//! Who is asking. Until card sign-in lands this is only the demo picker's choice, and only when
//! the portal runs with `--demo`; everything else is refused.

use crate::error::PortalError;
use crate::state::AppState;
use crate::storage::patients::PatientId;
use leptos::prelude::*;

/// The cookie the demo picker sets; it holds a patient's opaque public id, never the internal key.
pub const DEMO_COOKIE: &str = "portal_demo_patient";

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

/// The signed-in patient, or `NotSignedIn`.
pub async fn require_patient() -> Result<(AppState, PatientId), PortalError> {
    let state = state()?;
    if !state.settings.demo {
        return Err(PortalError::NotSignedIn);
    }
    let parts = use_context::<http::request::Parts>().ok_or(PortalError::NotSignedIn)?;
    let Some(public_id) = cookie_value(&parts.headers, DEMO_COOKIE) else {
        return Err(PortalError::NotSignedIn);
    };
    match crate::storage::patients::by_public_id(&state.db, &public_id).await {
        Ok(Some(id)) => Ok((state, id)),
        Ok(None) => Err(PortalError::NotSignedIn),
        Err(e) => Err(internal(&e)),
    }
}

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
