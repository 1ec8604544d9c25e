//! What every file download (a plain link, so it works without JavaScript) shares: the
//! reader's language from the cookie, the file's headers, and the short plain-text answers when
//! a download cannot be made.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Whether the reader chose English (Japanese is the default).
pub fn english(headers: &HeaderMap) -> bool {
    crate::request::cookie_value(headers, "i18n_pref_locale").as_deref() == Some("en")
}

/// A file to save: its type and the name the browser offers.
pub fn file(body: impl Into<axum::body::Body>, content_type: &'static str, name: &str) -> Response {
    let mut res = Response::new(body.into());
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// A short message in the reader's language.
pub fn message(status: StatusCode, english: bool, en: &'static str, ja: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        if english { en } else { ja },
    )
        .into_response()
}

/// The download failed on our side; the error is logged by the caller.
pub fn failed(english: bool) -> Response {
    message(
        StatusCode::INTERNAL_SERVER_ERROR,
        english,
        "The file could not be made. Please try again later.",
        "ファイルを作成できませんでした。しばらくしてからもう一度お試しください。",
    )
}
