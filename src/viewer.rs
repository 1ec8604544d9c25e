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
    with_request(|p| {
        p.headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    })
    .flatten()
    .unwrap_or_else(|| "-".into())
}

/// Reads the request without copying it (`use_context` would clone every header).
pub fn with_request<R>(read: impl FnOnce(&http::request::Parts) -> R) -> Option<R> {
    with_context::<http::request::Parts, _>(read)
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
    let (state, row) = login(false).await?;
    Ok((state, PatientId(row.patient_id)))
}

/// [`require_patient`] for plain axum handlers (downloads), which get the session and headers
/// as extractors instead of from the Leptos context.
pub async fn patient_of(
    state: &AppState,
    session: &tower_sessions::Session,
    headers: &http::HeaderMap,
    notes: Option<&RequestNotes>,
) -> Result<PatientId, PortalError> {
    login_of(state, session, headers, notes)
        .await
        .map(|row| PatientId(row.patient_id))
}

/// [`require_login`] for plain axum handlers (form posts, downloads).
pub async fn login_of(
    state: &AppState,
    session: &tower_sessions::Session,
    headers: &http::HeaderMap,
    notes: Option<&RequestNotes>,
) -> Result<crate::storage::logins::LoginRow, PortalError> {
    let touch = !headers.contains_key(BACKGROUND);
    session_login(state, session, touch, notes)
        .await?
        .ok_or(PortalError::NotSignedIn)
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
    let touch =
        !background && with_request(|p| !p.headers.contains_key(BACKGROUND)).unwrap_or(true);
    // A page asks more than once (its data, its reported records); one check per request is
    // enough, answered before even reading the session. Polling checks are never reused: they
    // must not count as activity, nor be answered from a check that did.
    let checked = use_context::<CheckedLogin>().filter(|_| touch);
    if let Some(row) = checked.as_ref().and_then(CheckedLogin::get) {
        return Ok((state, row));
    }
    let session = session().await?;
    let notes = notes();
    let row = session_login(&state, &session, touch, notes.as_ref())
        .await?
        .ok_or(PortalError::NotSignedIn)?;
    if let Some(checked) = checked {
        checked.set(&row);
    }
    Ok((state, row))
}

/// The card login held by this request's session: `None` when the session has none, and
/// `NotSignedIn` when it had one that has ended (it is then dropped from the session, and the
/// request noted as having found it so). Checking it marks it seen, unless the request is
/// background polling (`x-portal-background`). A login found is noted as the request's patient.
async fn session_login(
    state: &AppState,
    session: &tower_sessions::Session,
    touch: bool,
    notes: Option<&RequestNotes>,
) -> Result<Option<crate::storage::logins::LoginRow>, PortalError> {
    let found = stored_login(state, session, touch, notes).await;
    if let (Ok(Some(row)), Some(notes)) = (&found, notes) {
        notes.involves(PatientId(row.patient_id));
    }
    found
}

async fn stored_login(
    state: &AppState,
    session: &tower_sessions::Session,
    touch: bool,
    notes: Option<&RequestNotes>,
) -> Result<Option<crate::storage::logins::LoginRow>, PortalError> {
    use crate::storage::logins::{self, LoginState};
    let now = state.clock.now();
    let session_id = session.id().map(|id| id.to_string());
    if let Some(row) = session_id
        .as_deref()
        .and_then(|id| state.recent_logins.get(id, now, state.auth.timeouts))
    {
        return Ok(Some(row));
    }
    let ticket = state.recent_logins.ticket();
    let Some(login) = session
        .get::<String>(LOGIN_KEY)
        .await
        .map_err(|e| internal(&e))?
    else {
        return Ok(None);
    };
    match logins::check(&state.db, &login, now, state.auth.timeouts, touch).await {
        Ok(LoginState::Active(row)) => {
            if let Some(id) = session_id {
                state.recent_logins.put(ticket, id, row.clone(), now);
            }
            Ok(Some(row))
        }
        Ok(_) => {
            let _ = session.remove::<String>(LOGIN_KEY).await;
            if let Some(notes) = notes {
                notes.session_ended();
            }
            Err(PortalError::NotSignedIn)
        }
        Err(e) => Err(internal(&e)),
    }
}

/// What a request's handlers tell the layers around them, for after the answer: that its
/// login was found ended (idle, absolute limit, card stopped), so the browser is told to drop
/// what it kept; and which patients it acted for or named (its login's, or the one a sign-in or
/// enrollment names), so that after anything but a read only their sessions check their login
/// with the database again (see `recent_logins`). A fresh one is in every request's extensions
/// (`server::request_notes`).
#[derive(Clone, Default)]
pub struct RequestNotes(std::sync::Arc<std::sync::Mutex<Notes>>);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notes {
    pub session_ended: bool,
    pub patients: Vec<PatientId>,
}

impl RequestNotes {
    pub fn session_ended(&self) {
        self.with(|n| n.session_ended = true);
    }

    pub fn involves(&self, patient: PatientId) {
        self.with(|n| {
            if !n.patients.contains(&patient) {
                n.patients.push(patient);
            }
        });
    }

    pub fn take(&self) -> Notes {
        let mut taken = Notes::default();
        self.with(|n| taken = std::mem::take(n));
        taken
    }

    fn with(&self, f: impl FnOnce(&mut Notes)) {
        let mut notes = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut notes);
    }
}

/// This request's notes (none outside a request).
pub fn notes() -> Option<RequestNotes> {
    with_request(|p| p.extensions.get::<RequestNotes>().cloned()).flatten()
}

/// The login this request has already checked (provided fresh for every request).
#[derive(Clone, Default)]
pub struct CheckedLogin(std::sync::Arc<std::sync::Mutex<Option<crate::storage::logins::LoginRow>>>);

impl CheckedLogin {
    fn get(&self) -> Option<crate::storage::logins::LoginRow> {
        self.0.lock().ok().and_then(|row| row.clone())
    }

    fn set(&self, row: &crate::storage::logins::LoginRow) {
        if let Ok(mut kept) = self.0.lock() {
            *kept = Some(row.clone());
        }
    }
}

/// A records page's data for the signed-in patient: from the records cache while the
/// patient's records are as the login check just read them, else `load`ed (and kept). `args`
/// is everything else the data depends on (query, language); the Japan day is added here,
/// since "today" shapes every records page (recent weeks, months still expected).
pub async fn cached_records<T, F, Fut>(
    page: &'static str,
    args: String,
    load: F,
) -> Result<T, PortalError>
where
    T: Clone + Send + Sync + 'static,
    F: FnOnce(AppState, PatientId) -> Fut,
    Fut: std::future::Future<Output = Result<T, PortalError>>,
{
    let (state, login) = require_login().await?;
    let patient = PatientId(login.patient_id);
    // A page answered to a form post carries what was typed (an income, a receipt): it is
    // built for that answer alone and never kept.
    if !reads_only() {
        return load(state, patient).await;
    }
    let args = format!("{}|{args}", state.clock.today_japan());
    let cache = state.records_cache.clone();
    cache
        .get_or_load(patient, login.records, page, args, || load(state, patient))
        .await
}

/// A records page's rendered content for the signed-in patient, kept in the records cache:
/// rendering ten years of checkups costs more than everything else a page view does. Without
/// a signed-in login it is simply rendered.
pub async fn records_html(locale: &str, render: impl FnOnce() -> String) -> String {
    let Some((state, patient, version, args)) = html_key(locale).await else {
        return render();
    };
    let html = state
        .records_cache
        .get_or_load(patient, version, "html", args, || async {
            Ok::<_, std::convert::Infallible>(std::sync::Arc::<str>::from(render()))
        })
        .await;
    match html {
        Ok(html) => html.to_string(),
        Err(never) => match never {},
    }
}

/// This page's content as [`records_html`] kept it, when the signed-in patient's records are
/// still as they were: then the page needs neither its data nor rendering.
pub async fn kept_records_html(locale: &str) -> Option<String> {
    let (state, patient, version, args) = html_key(locale).await?;
    let html: std::sync::Arc<str> = state.records_cache.peek(patient, version, "html", args)?;
    Some(html.to_string())
}

/// Where rendered records are kept: the content is built only from the patient's records, the
/// address (path and query: filters, page, echoed form input), the language and the Japan day.
/// It is kept per login, not only per patient: the home page says what changed since this
/// login's previous sign-in, and nothing rendered for one session should reach another by
/// accident. The records version is the one this request's login check read.
async fn html_key(
    locale: &str,
) -> Option<(
    AppState,
    PatientId,
    crate::storage::patients::RecordsVersion,
    String,
)> {
    if !reads_only() {
        return None;
    }
    let (state, login) = require_login().await.ok()?;
    let address = with_request(|p| p.uri.to_string())?;
    let args = format!(
        "{}|{}|{locale}|{address}",
        login.id,
        state.clock.today_japan()
    );
    Some((state, PatientId(login.patient_id), login.records, args))
}

/// Whether this request only reads (GET or HEAD): what the records cache may keep.
fn reads_only() -> bool {
    with_request(|p| matches!(p.method, http::Method::GET | http::Method::HEAD)).unwrap_or(false)
}

/// A page query as part of a records cache key.
pub fn cache_args(query: &impl serde::Serialize) -> Result<String, PortalError> {
    serde_json::to_string(query).map_err(|e| internal(&e))
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
    let over_http = with_request(|p| p.uri.path().starts_with("/api/")).unwrap_or(false);
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
