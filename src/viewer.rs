//! Who is asking: the principal signed in with their card in this request's server-side
//! session, and the patient their request concerns (`principal`). Every patient page, server
//! function and download asks here; nothing else names a patient.

use crate::error::ServerError;
use crate::principal::{Act, Principal};
use crate::request::{BACKGROUND, with_request};
use crate::state::AppState;
use crate::storage::patients::PatientId;
use leptos::prelude::*;

/// The shared state, or an internal error when a route was mounted without it.
pub fn state() -> Result<AppState, ServerError> {
    use_context::<AppState>().ok_or_else(|| ServerError::internal("no state in this route"))
}

/// The session key holding the current login's id.
pub const LOGIN_KEY: &str = "login";

/// The request's server-side session.
pub async fn session() -> Result<tower_sessions::Session, ServerError> {
    leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(ServerError::internal)
}

/// The signed-in patient whose records this request reads, or `NotSignedIn`. Checks the login
/// on every call: idle and absolute timeouts, sign-out elsewhere and card revocation take
/// effect on the next request. Requests marked `x-portal-background` (polling) do not count as
/// activity.
pub async fn require_patient() -> Result<(AppState, PatientId), ServerError> {
    require(Act::ReadRecords)
        .await
        .map(|(state, _, subject)| (state, subject))
}

/// The principal of a signed-in login: its patient acting for themself, or, when the login
/// chose a grant that is active now, a proxy acting for that grant's patient within its scope.
pub fn principal_of(login: &crate::storage::logins::LoginRow) -> Principal {
    match &login.acting {
        Some(acting) => Principal::Proxy {
            proxy: PatientId(login.patient_id),
            subject: acting.subject,
            scope: acting.grant.scope,
            login: login.id.clone(),
        },
        None => Principal::Patient {
            patient: PatientId(login.patient_id),
            login: login.id.clone(),
        },
    }
}

/// The principal and the patient (subject) this request may do `act` for: `NotSignedIn`
/// without a login, `NotFound` when the principal may not do that (the same answer as for
/// someone else's data).
pub async fn require(act: Act) -> Result<(AppState, Principal, PatientId), ServerError> {
    let (state, row) = login(false).await?;
    let principal = principal_of(&row);
    allowed(principal, act).map(|(p, subject)| (state, p, subject))
}

/// [`require`] for a page's data: when a proxy is shown it, the patient's log says so
/// (`page` names it as the log does).
pub async fn require_viewing(
    act: Act,
    page: &str,
) -> Result<(AppState, Principal, PatientId), ServerError> {
    let (state, row) = login(false).await?;
    let (principal, subject) = allowed(principal_of(&row), act)?;
    log_view(&state, &row, page).await?;
    Ok((state, principal, subject))
}

/// [`require`] for a login already checked (form posts, downloads).
pub fn allowed(principal: Principal, act: Act) -> Result<(Principal, PatientId), ServerError> {
    match principal.subject() {
        Some(subject) if principal.may(act) => Ok((principal, subject)),
        _ => Err(ServerError::NotFound),
    }
}

/// [`require_patient`] for plain axum handlers (downloads), which get the session and headers
/// as extractors instead of from the Leptos context.
pub async fn patient_of(
    state: &AppState,
    session: &tower_sessions::Session,
    headers: &http::HeaderMap,
    notes: Option<&RequestNotes>,
) -> Result<PatientId, ServerError> {
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
) -> Result<crate::storage::logins::LoginRow, ServerError> {
    let touch = !headers.contains_key(BACKGROUND);
    session_login(state, session, touch, notes)
        .await?
        .ok_or(ServerError::NotSignedIn)
}

/// The signed-in login itself: for the patient's own cards and sessions, and for changes that
/// need a fresh card check.
pub async fn require_login() -> Result<(AppState, crate::storage::logins::LoginRow), ServerError> {
    login(false).await
}

/// [`require_login`] for the signed-in person's own cards, sessions and proxies: refused
/// (`NotFound`) while they act for someone else, whose cards and proxies are never theirs to
/// change.
pub async fn require_self() -> Result<(AppState, crate::storage::logins::LoginRow), ServerError> {
    let (state, row) = login(false).await?;
    allowed(principal_of(&row), Act::ManageCards)?;
    Ok((state, row))
}

/// [`require_login`] without counting as activity: for the idle warning's polling, which must
/// not keep a forgotten session alive.
pub async fn peek_login() -> Result<(AppState, crate::storage::logins::LoginRow), ServerError> {
    login(true).await
}

async fn login(
    background: bool,
) -> Result<(AppState, crate::storage::logins::LoginRow), ServerError> {
    let state = state()?;
    let touch =
        !background && with_request(|p| !p.headers.contains_key(BACKGROUND)).unwrap_or(true);
    // A page asks more than once (its data, its reported records); one check per request is
    // enough, answered before even reading the session. Polling checks are never reused: they
    // must not count as activity, nor be answered from a check that did.
    let checked = checked().filter(|_| touch);
    if let Some(row) = checked.as_ref().and_then(CheckedLogin::get) {
        return Ok((state, row));
    }
    if checked.as_ref().is_some_and(CheckedLogin::signed_out) {
        return Err(ServerError::NotSignedIn);
    }
    let session = session().await?;
    let notes = notes();
    let row = session_login(&state, &session, touch, notes.as_ref())
        .await?
        .ok_or(ServerError::NotSignedIn)?;
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
) -> Result<Option<crate::storage::logins::LoginRow>, ServerError> {
    let found = stored_login(state, session, touch, notes).await;
    if let (Ok(Some(row)), Some(notes)) = (&found, notes) {
        notes.involves(PatientId(row.patient_id));
    }
    match found {
        Ok(Some(row)) => acting_for(state, row).await.map(Some),
        other => other,
    }
}

/// `row` acting for the patient of the grant its login chose, when that grant is this login's
/// patient's and active now. Read on every request and never kept between them: a grant
/// revoked, expired or suspended ends the acting at the next request, and the login acts for
/// themself again.
async fn acting_for(
    state: &AppState,
    mut row: crate::storage::logins::LoginRow,
) -> Result<crate::storage::logins::LoginRow, ServerError> {
    let Some(grant) = row.acting_grant else {
        return Ok(row);
    };
    let proxy = PatientId(row.patient_id);
    if let Some(acting) = crate::storage::proxies::acting(&state.db, proxy, grant).await?
        && acting.grant.active(state.clock.now())
    {
        row.records = acting.records;
        row.acting = Some(Box::new(acting));
    }
    Ok(row)
}

async fn stored_login(
    state: &AppState,
    session: &tower_sessions::Session,
    touch: bool,
    notes: Option<&RequestNotes>,
) -> Result<Option<crate::storage::logins::LoginRow>, ServerError> {
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
    let Some(login) = session.get::<String>(LOGIN_KEY).await? else {
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
            Err(ServerError::NotSignedIn)
        }
        Err(e) => Err(e.into()),
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

/// The login this request has already checked: a fresh one is in every request's extensions
/// (`server::check_login`), filled before a page is rendered or a form handled, so that the
/// header and the page's own data ask once. It also knows when that check found no login, so a
/// page's data loads never read the session themselves (several at once, on a page with more
/// than one).
#[derive(Clone, Default)]
pub struct CheckedLogin(std::sync::Arc<std::sync::Mutex<Checked>>);

#[derive(Clone, Default)]
enum Checked {
    /// Not checked (server functions, or the check failed and the page's own will report it).
    #[default]
    Unknown,
    SignedOut,
    SignedIn(Box<crate::storage::logins::LoginRow>),
}

impl CheckedLogin {
    pub fn get(&self) -> Option<crate::storage::logins::LoginRow> {
        match self.0.lock().ok()?.clone() {
            Checked::SignedIn(row) => Some(*row),
            _ => None,
        }
    }

    /// Whether the check found no login (none in the session, or one that has ended).
    pub fn signed_out(&self) -> bool {
        self.0
            .lock()
            .is_ok_and(|c| matches!(*c, Checked::SignedOut))
    }

    pub fn set(&self, row: &crate::storage::logins::LoginRow) {
        if let Ok(mut kept) = self.0.lock() {
            *kept = Checked::SignedIn(Box::new(row.clone()));
        }
    }

    pub fn set_signed_out(&self) {
        if let Ok(mut kept) = self.0.lock() {
            *kept = Checked::SignedOut;
        }
    }
}

/// This request's [`CheckedLogin`] (none outside a request).
pub fn checked() -> Option<CheckedLogin> {
    with_request(|p| p.extensions.get::<CheckedLogin>().cloned()).flatten()
}

/// What the header of this page says about who is signed in: nothing when no one is.
pub fn masthead() -> Option<crate::masthead::Masthead> {
    checked()
        .and_then(|c| c.get())
        .map(|login| crate::masthead::Masthead::of(&principal_of(&login), &login))
}

/// Puts a page shown to a proxy in the patient's access log, as that proxy under their grant
/// (nothing for a patient looking at their own pages). `page` names it (`medications`, ...).
pub async fn log_view(
    state: &crate::state::AppState,
    login: &crate::storage::logins::LoginRow,
    page: &str,
) -> Result<(), crate::storage::StorageError> {
    use crate::domain::access_log::{Action, ActorKind, Entry, Outcome};
    use crate::domain::consent::DataKind;
    // The list of reported records is part of each records page, which is logged itself.
    let Some(acting) = login.acting.as_ref().filter(|_| page != "disputes") else {
        return Ok(());
    };
    let mut e = Entry::new(
        state.clock.now(),
        ActorKind::Proxy,
        Action::PageViewed,
        Outcome::Allowed,
    );
    e.actor_code = Some(crate::domain::proxy::actor_code(acting.grant.id));
    e.actor_name = Some(acting.proxy_name.clone());
    e.reason = Some(page.to_owned());
    e.data_kind = match page {
        "medications" => Some(DataKind::Medications),
        "checkups" => Some(DataKind::Checkups),
        "costs" => Some(DataKind::CostNotices),
        "insurance" => Some(DataKind::Qualification),
        _ => None,
    };
    crate::storage::proxies::log_act(&state.db, acting.subject, acting.grant.id, &e).await
}
