//! CSRF defence for every state-changing request (form posts, server functions, JSON): the
//! browser's own `Origin` header (or, failing that, `Referer`) must name this portal's public
//! origin. Browsers always send `Origin` on cross-site POSTs and scripts cannot forge it, so a
//! cross-site form carrying a valid session cookie is refused; SameSite cookies alone would
//! not cover same-site subdomains or older browsers.

use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Method, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn require_same_origin(
    State(state): State<AppState>,
    req: Request<Body>,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let expected = state.settings.public_url.origin().ascii_serialization();
    let claimed = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            req.headers()
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(|r| url::Url::parse(r).ok())
                .map(|u| u.origin().ascii_serialization())
        });
    if claimed.as_deref() == Some(expected.as_str()) {
        return next.run(req).await;
    }
    tracing::warn!(method = %req.method(), path = %req.uri().path(), "refused a request from another origin");
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "application/json")],
        r#"{"code":"cross_origin_request","message":"This request did not come from this portal's own pages."}"#,
    )
        .into_response()
}
