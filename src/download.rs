//! What every file download (a plain link, so it works without JavaScript) shares: the
//! reader's language from the cookie, the file's headers, and the short plain-text answers when
//! a download cannot be made.

use crate::error::ServerError;
use crate::principal::Act;
use crate::state::AppState;
use crate::storage::patients::PatientId;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

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
pub fn message(status: StatusCode, english: bool, en: &str, ja: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        if english { en } else { ja }.to_owned(),
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

/// The patient a download is for: the signed-in principal's subject, if it may do `act`.
/// Otherwise the answer to give instead: to sign-in, not found, or a failure (logged).
pub async fn subject(
    state: &AppState,
    session: &tower_sessions::Session,
    headers: &HeaderMap,
    notes: &crate::viewer::RequestNotes,
    act: Act,
    page: &str,
) -> Result<PatientId, Response> {
    let login = crate::viewer::login_of(state, session, headers, Some(notes)).await;
    let allowed = login.and_then(|l| {
        crate::viewer::allowed(crate::viewer::principal_of(&l), act).map(|(_, p)| (l, p))
    });
    // A proxy's download is in the patient's log like a page they were shown.
    let allowed = match allowed {
        Ok((login, patient)) => crate::viewer::log_view(state, &login, page)
            .await
            .map(|()| patient)
            .map_err(ServerError::from),
        Err(e) => Err(e),
    };
    match allowed {
        Ok(patient) => Ok(patient),
        Err(ServerError::NotSignedIn) => Err(Redirect::to("/sign-in").into_response()),
        Err(ServerError::NotFound) => Err(message(
            StatusCode::NOT_FOUND,
            english(headers),
            "There is nothing to download here.",
            "ダウンロードできるものはありません。",
        )),
        Err(e) => {
            tracing::error!(error = %e, "a download failed");
            Err(failed(english(headers)))
        }
    }
}
