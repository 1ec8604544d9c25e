//! Plain form posts that change a patient's data or ask something they would rather not put in
//! an address: `POST /costs` (receipts, the deduction estimate), `POST /report` ("not mine"),
//! `POST /access-log/report` ("this wasn't me"), consents, notices and the counter.
//! The feature decides ([`FormAnswer`]); here the session is checked, the change is answered
//! with `303 See Other`, and a form that comes back is the page itself, rendered in the post's
//! answer with what was typed (never a redirect with it in the address).

use super::render_page;
use crate::error::ServerError;
use crate::forms::{FormAnswer, Posted};
use crate::state::AppState;
use crate::viewer::RequestNotes;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Request, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};

/// Form bodies are a few fields; anything larger is not one of ours.
const MAX_BODY: usize = 64 * 1024;

pub async fn costs(State(state): State<AppState>, req: Request<Body>) -> Response {
    post(state, req, |state, login, form| async move {
        crate::costs::forms::answer(&state, &login, &form).await
    })
    .await
}

pub async fn consents(State(state): State<AppState>, req: Request<Body>) -> Response {
    post(state, req, |state, login, form| async move {
        crate::consent::form::answer(&state, &login, &form).await
    })
    .await
}

pub async fn notices(State(state): State<AppState>, req: Request<Body>) -> Response {
    post(state, req, |state, login, form| async move {
        crate::notices::answer(&state, &login, &form).await
    })
    .await
}

pub async fn report(State(state): State<AppState>, req: Request<Body>) -> Response {
    post(state, req, |state, login, form| async move {
        crate::disputes::report_form::answer(&state, &login, &form).await
    })
    .await
}

pub async fn proxies(State(state): State<AppState>, req: Request<Body>) -> Response {
    post(state, req, |state, login, form| async move {
        crate::proxies::form::answer(&state, &login, &form).await
    })
    .await
}

pub async fn access_report(State(state): State<AppState>, req: Request<Body>) -> Response {
    post(state, req, |state, login, form| async move {
        crate::access_log::reports::form::answer(&state, &login, &form).await
    })
    .await
}

async fn post<F, Fut>(state: AppState, req: Request<Body>, answer: F) -> Response
where
    F: FnOnce(AppState, crate::storage::logins::LoginRow, Posted) -> Fut,
    Fut: std::future::Future<Output = Result<FormAnswer, ServerError>>,
{
    let (parts, body) = req.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let form = Posted::parse(&body);
    let notes = parts.extensions.get::<RequestNotes>().cloned();
    let Some(session) = parts.extensions.get::<tower_sessions::Session>().cloned() else {
        return failed(&parts, &ServerError::internal("no session layer"));
    };
    // Checked already by the layer in front of every page and form (`server::check_login`).
    let checked = parts
        .extensions
        .get::<crate::viewer::CheckedLogin>()
        .and_then(crate::viewer::CheckedLogin::get);
    let login = match checked {
        Some(login) => Ok(login),
        None => crate::viewer::login_of(&state, &session, &parts.headers, notes.as_ref()).await,
    };
    let login = match login {
        Ok(login) => login,
        Err(ServerError::NotSignedIn) => {
            return Redirect::to("/sign-in").into_response();
        }
        Err(e) => return failed(&parts, &e),
    };
    let answered = answer(state.clone(), login, form).await;
    carry_out(&state, parts, answered).await
}

/// `POST /counter`: an institution's reception terminal. No patient login is involved: the
/// feature checks the terminal's credential in the session itself.
pub async fn counter(State(state): State<AppState>, req: Request<Body>) -> Response {
    let (parts, body) = req.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let form = Posted::parse(&body);
    let Some(session) = parts.extensions.get::<tower_sessions::Session>().cloned() else {
        return failed(&parts, &ServerError::internal("no session layer"));
    };
    let client = parts
        .extensions
        .get::<crate::client_addr::ClientAddr>()
        .map_or_else(|| "-".to_owned(), |c| c.0.to_string());
    let answered = crate::counter::form::answer(&state, &session, &client, &form).await;
    carry_out(&state, parts, answered).await
}

/// Answers what the feature decided: on to the next page, or the page again in this answer.
async fn carry_out(
    state: &AppState,
    parts: axum::http::request::Parts,
    answered: Result<FormAnswer, ServerError>,
) -> Response {
    match answered {
        Ok(FormAnswer::Done(to)) => Redirect::to(&to).into_response(),
        // 200, not 400: the answer is a whole page that names each mistake in the reader's
        // language, and browsers report a document answered 4xx as a failed load.
        Ok(FormAnswer::Again { path, fields }) => {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&fields)
                .finish();
            let uri = match format!("{path}?{query}").parse::<Uri>() {
                Ok(uri) => uri,
                Err(e) => return failed(&parts, &ServerError::internal(e)),
            };
            let mut page = Request::from_parts(parts, Body::empty());
            *page.uri_mut() = uri;
            render_page(state, page).await
        }
        Err(ServerError::NotFound) => {
            let page = Request::from_parts(parts, Body::empty());
            super::not_found(State(state.clone()), page).await
        }
        Err(e) => failed(&parts, &e),
    }
}

/// A server fault: said plainly in both languages, with the request id for support.
fn failed(parts: &axum::http::request::Parts, error: &ServerError) -> Response {
    let id = parts
        .headers
        .get(super::REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::error!(request_id = %id, %error, "a form post failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "処理できませんでした。時間をおいてもう一度お試しください。\nSomething went wrong on our side; please try again later.\n(request {id})\n"
        ),
    )
        .into_response()
}
