//! Response headers every answer carries: a per-request Content-Security-Policy nonce is set by
//! the page itself (see `app::shell`); these are the rest.

use axum::body::Body;
use axum::http::{HeaderValue, Request, header};
use axum::middleware::Next;
use axum::response::Response;

pub async fn security_headers(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let path = req.uri().path();
    // Vendored files carry their version in the name and the build's own files their content
    // hash (cargo-leptos `hash-files`), so neither ever changes under one URL. An unhashed
    // /pkg or /fonts name (a build without hashing) keeps one name across releases and must be
    // revalidated. The page script keeps its name and carries the digest of this binary's copy
    // in its query (`ui::scripts`): only that exact address may be kept for good.
    let this_page_script = req.uri().path_and_query().map(|p| p.as_str())
        == Some(crate::ui::scripts::page_script_url());
    let cache = if path.starts_with("/vendor/")
        || this_page_script
        || ((path.starts_with("/pkg/") || path.starts_with("/fonts/"))
            && super::assets::content_hashed(path))
    {
        Some("public, max-age=31536000, immutable")
    } else if path.starts_with("/pkg/")
        || path.starts_with("/fonts/")
        || path.starts_with("/scripts/")
    {
        Some("no-cache")
    } else {
        None
    };
    let mut res = next.run(req).await;
    let ok = res.status().is_success() || res.status() == axum::http::StatusCode::NOT_MODIFIED;
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    // Only when people reach the portal over https (usually through a TLS-terminating proxy):
    // a plain-http demo on localhost must not pin the browser to https.
    if state.settings.public_url.scheme() == "https" {
        set(
            h,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=63072000; includeSubDomains",
        );
    }
    // "same-origin", not "no-referrer": under no-referrer browsers send `Origin: null` on form
    // posts, which the CSRF check must refuse; other sites still receive no referrer at all.
    set(h, header::REFERRER_POLICY, "same-origin");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(
        h,
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    );
    set(
        h,
        header::HeaderName::from_static("x-robots-tag"),
        "noindex, nofollow",
    );
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        // Non-page answers (JSON, files, redirects) run no scripts at all.
        set(
            h,
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        );
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        let cache = if ok { cache } else { None };
        set(h, header::CACHE_CONTROL, cache.unwrap_or("no-store"));
    }
    res
}

/// Server functions answer a request they cannot even decode (malformed JSON, missing fields)
/// with 500; that is the caller's fault, so it becomes a 400 carrying the same coded body.
pub async fn api_decode_errors(req: Request<Body>, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !is_api || res.status() != axum::http::StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let decode_failure = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .is_some_and(|v| v.get("code").and_then(|c| c.as_str()) == Some("transport"));
    if decode_failure {
        parts.status = axum::http::StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}
