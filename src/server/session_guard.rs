//! Deny by default: every server function needs a signed-in patient unless it is named here.
//! The functions check the session themselves as well; this layer makes a new function that
//! forgets to refuse strangers instead of leaking. A test walks the generated list of server
//! functions and fails for any that answers without a session and is not listed.

use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Where server functions are mounted.
pub const API_PREFIX: &str = "/api/";

/// The server functions a visitor without a session may call: enrolling, signing in and out,
/// and asking whether one is signed in at all. None of them reads patient data.
pub const PUBLIC: &[&str] = &[
    "/api/auth/begin_enrollment",
    "/api/auth/complete_enrollment",
    "/api/auth/begin_sign_in",
    "/api/auth/begin_sign_in_for",
    "/api/auth/begin_autofill_sign_in",
    "/api/auth/complete_sign_in",
    "/api/auth/sign_out",
    "/api/auth/session_left",
    "/api/counter/view",
];

/// The server functions of an institution's counter terminal: they need the terminal's
/// credential in the session instead of a patient's login (`counter`). The page's own state
/// (`counter/view`) says "no terminal" to anyone, so it is public.
pub const TERMINAL: &[&str] = &["/api/counter/begin_card", "/api/counter/complete_card"];

pub async fn require_session(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    req: Request<Body>,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if !path.starts_with(API_PREFIX) || PUBLIC.contains(&path) {
        return next.run(req).await;
    }
    if TERMINAL.contains(&path) {
        return match crate::counter::terminal_of(&state, &session).await {
            Ok(Some(_)) => next.run(req).await,
            Ok(None) => not_signed_in(),
            Err(e) => {
                tracing::error!(error = %e, "terminal check failed");
                internal()
            }
        };
    }
    // Checking here must not count as activity: the function itself decides (polling does not).
    let mut headers = req.headers().clone();
    headers.insert(
        crate::request::BACKGROUND,
        axum::http::HeaderValue::from_static("1"),
    );
    let notes = req
        .extensions()
        .get::<crate::viewer::RequestNotes>()
        .cloned();
    match crate::viewer::patient_of(&state, &session, &headers, notes.as_ref()).await {
        Ok(_) => next.run(req).await,
        Err(crate::error::ServerError::NotSignedIn) => not_signed_in(),
        Err(e) => {
            tracing::error!(error = %e, "session check failed");
            internal()
        }
    }
}

fn not_signed_in() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::CONTENT_TYPE, "application/json")],
        r#"{"code":"not_signed_in"}"#,
    )
        .into_response()
}

fn internal() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "application/json")],
        r#"{"code":"internal"}"#,
    )
        .into_response()
}
