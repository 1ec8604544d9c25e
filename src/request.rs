//! The request being answered, as handlers see it inside Leptos: its id, its parts, its
//! cookies, and whether it only reads.

use leptos::prelude::with_context;

/// Reads the request without copying it (`use_context` would clone every header).
pub fn with_request<R>(read: impl FnOnce(&http::request::Parts) -> R) -> Option<R> {
    with_context::<http::request::Parts, _>(read)
}

/// The header carrying each request's id (set by the server's outer layer, echoed back).
pub const REQUEST_ID: http::HeaderName = http::HeaderName::from_static("x-request-id");

/// The request id the tracing layer gave this request, for error pages and log lines.
pub fn request_id() -> String {
    with_request(|p| {
        p.headers
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    })
    .flatten()
    .unwrap_or_else(|| "-".into())
}

/// Whether this request only reads (GET or HEAD).
pub fn reads_only() -> bool {
    with_request(|p| matches!(p.method, http::Method::GET | http::Method::HEAD)).unwrap_or(false)
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
