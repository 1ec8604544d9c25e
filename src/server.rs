//! The axum application: routes, static files, response headers, request ids and tracing, and
//! graceful shutdown.

pub mod assets;
pub mod forms;
pub mod headers;
pub mod health;
pub mod locale;
pub mod origin_check;
pub mod session_guard;

use crate::app::{App, shell};
use crate::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::Request;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::future::Future;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use crate::request::REQUEST_ID;

/// Builds the whole application; tests drive it with `oneshot` or over a real socket.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
        }
    };
    let options = (*state.leptos).clone();
    let static_files = assets::routes(&state.settings.site_root);

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/locale", post(locale::switch))
        .route("/costs/export", get(crate::costs::export::export))
        .route("/costs/export.xlsx", get(crate::costs::export::workbook))
        .route("/access-log/export", get(crate::access_log::export::export))
        // Registered before the pages: axum merges these with the pages' GET at the same path.
        .route("/costs", post(forms::costs))
        .route("/report", post(forms::report))
        .route("/access-log/report", post(forms::access_report))
        .route("/consents", post(forms::consents))
        .route("/counter", post(forms::counter))
        .route("/notices", post(forms::notices))
        .route("/proxies", post(forms::proxies))
        .leptos_routes_with_context(&state, routes, context, move || shell(options.clone()))
        .fallback(not_found)
        .layer(axum::middleware::from_fn(headers::api_decode_errors))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session_guard::require_session,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            check_login,
        ))
        .layer(session_layer(&state))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            origin_check::require_same_origin,
        ))
        // Outside the session guard, which may find a login ended too.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            request_notes,
        ))
        .with_state(state.clone())
        // Merged after the page layers: static files need no session or CSRF check, only the
        // response headers, request id and tracing below.
        .merge(static_files)
        // Its own router and layers: a bearer credential, JSON errors, no session or cookies.
        .merge(crate::institution_api::router(state.clone()))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            headers::security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(state, remember_client))
        .layer(axum::middleware::from_fn(run_to_completion))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<Body>| {
                    let request_id = req
                        .headers()
                        .get(REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    // The path only: query strings may carry personal data and never reach the log.
                    tracing::info_span!(
                        "request",
                        request_id = %request_id,
                        method = %req.method(),
                        path = %req.uri().path(),
                    )
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// Handles each request in a task of its own, so a client that goes away (a closed tab, a
/// timed-out institution system) cannot cancel a handler halfway through a transaction: what
/// was started is committed or rolled back whole, and the connection goes back to the pool
/// clean. sqlx 0.8's SQLite driver can leave a connection inside a transaction when the future
/// beginning it is dropped (sqlx #3932, fixed in 0.9); under load every later write on that
/// connection failed (found by the institution API benchmark). The task stays in the
/// request's span.
async fn run_to_completion(req: Request<Body>, next: axum::middleware::Next) -> Response {
    use tracing::Instrument;
    let task = tokio::spawn(next.run(req).instrument(tracing::Span::current()));
    match task.await {
        Ok(res) => res,
        Err(e) => {
            tracing::error!(error = %e, "request handler failed");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Server-side sessions: the cookie holds only a random id; HttpOnly, SameSite=Strict and
/// Secure (except plain-http localhost in the demo). The record lives 8 hours at most; idle
/// and absolute limits are enforced on the login itself (`storage::logins`).
/// Over https the name carries the `__Host-` prefix (`Settings::cookie_name`).
fn session_layer(
    state: &AppState,
) -> tower_sessions::SessionManagerLayer<crate::storage::sessions::SessionRecords> {
    use tower_sessions::cookie::SameSite;
    tower_sessions::SessionManagerLayer::new(crate::storage::sessions::SessionRecords::new(
        state.db.clone(),
    ))
    .with_name(state.settings.cookie_name("portal_session"))
    .with_path("/")
    .with_http_only(true)
    .with_same_site(SameSite::Strict)
    .with_secure(state.settings.secure_cookies)
    .with_expiry(crate::sign_in::SIGNED_IN_SESSION)
}

/// Gives every request fresh [`RequestNotes`](crate::viewer::RequestNotes) and acts on them
/// after the answer: anything but a read (GET, HEAD) may have changed the data of the patients
/// it involves, so only their sessions check their login with the database again (see
/// `recent_logins`), and an anonymous post naming nobody makes no session ask again; a request
/// that found its login ended (idle, absolute limit, card stopped) tells the browser to drop
/// what it cached.
async fn request_notes(
    State(state): State<AppState>,
    mut req: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    let notes = crate::viewer::RequestNotes::default();
    req.extensions_mut().insert(notes.clone());
    let reads_only = matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    let mut res = next.run(req).await;
    let taken = notes.take();
    if !reads_only {
        for patient in taken.patients {
            state.recent_logins.forget_patient(patient.0);
        }
    }
    if taken.session_ended {
        res.headers_mut().insert(
            crate::sign_in::CLEAR_SITE_DATA,
            axum::http::HeaderValue::from_static(crate::sign_in::CLEAR_SITE),
        );
    }
    res
}

/// Gives every request a fresh [`CheckedLogin`](crate::viewer::CheckedLogin), and checks the
/// login of every page and form post before its handler runs: the header names who is signed
/// in (and for whom they act) on every page, and the page's own data reuses the same check.
/// Server functions check their own login (polling must not count as activity), so theirs is
/// left empty.
async fn check_login(
    State(state): State<AppState>,
    mut req: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    let checked = crate::viewer::CheckedLogin::default();
    let session = req.extensions().get::<tower_sessions::Session>().cloned();
    if let Some(session) = session
        && !req.uri().path().starts_with(session_guard::API_PREFIX)
    {
        let notes = req
            .extensions()
            .get::<crate::viewer::RequestNotes>()
            .cloned();
        match crate::viewer::login_of(&state, &session, req.headers(), notes.as_ref()).await {
            Ok(login) => checked.set(&login),
            // Signed out, or ended just now: the header says so, and so does the page.
            Err(crate::error::ServerError::NotSignedIn) => checked.set_signed_out(),
            // The page's own check meets the same fault and says so in its place.
            Err(e) => tracing::warn!(error = %e, "could not check the login for the header"),
        }
    }
    req.extensions_mut().insert(checked);
    next.run(req).await
}

/// Deletes expired session records and unanswered card ceremonies every ten minutes.
pub fn spawn_session_cleanup(
    db: crate::storage::Db,
    clock: std::sync::Arc<dyn crate::domain::clock::Clock>,
) {
    let store = crate::storage::sessions::SessionRecords::new(db.clone());
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
            if let Err(e) = crate::storage::ceremonies::delete_expired(&db, clock.now()).await {
                tracing::warn!(error = %e, "could not delete expired card ceremonies");
            }
        }
    });
}

/// Renders the app's not-found page for any path no route or file answers.
async fn not_found(State(state): State<AppState>, req: Request<Body>) -> Response {
    let mut res = render_page(&state, req).await;
    if res.status().is_success() {
        *res.status_mut() = axum::http::StatusCode::NOT_FOUND;
    }
    res
}

/// Renders the app for `req` as a page route would, whatever its method: for the not-found
/// page, and for a form that comes back in its post's answer.
pub async fn render_page(state: &AppState, req: Request<Body>) -> Response {
    let options = (*state.leptos).clone();
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
        }
    };
    // Rendered whole before answering, as every page route is (`SsrMode::Async`): streamed,
    // a task of the finished page could still run after the page was gone, and panicked.
    let handler =
        leptos_axum::render_app_async_with_context(context, move || shell(options.clone()));
    handler(req).await.into_response()
}

/// Puts the [`ClientAddr`](crate::client_addr::ClientAddr) into the request, for per-client
/// back-off. Without connect info (a test driving the router in memory) there is no address to
/// key on, and the unspecified address stands for every client.
async fn remember_client(
    State(state): State<AppState>,
    mut req: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    use std::net::{IpAddr, SocketAddr};
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    let client = state.settings.trusted_proxies.client(peer, req.headers());
    req.extensions_mut()
        .insert(crate::client_addr::ClientAddr(client));
    next.run(req).await
}

/// Serves until `shutdown` resolves; then stops accepting and lets in-flight requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // With the peer's address: per-client back-off needs it (`remember_client`).
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Resolves on SIGTERM (what service managers send) or Ctrl-C. The handlers are installed when
/// this is called, not when the future is first polled: called before the socket is bound, a
/// SIGTERM sent as soon as the port answers still stops the server gracefully instead of
/// killing it (the default action).
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let (term, interrupt) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::terminate()).ok(),
            signal(SignalKind::interrupt()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = wait(term) => {},
                () = wait(interrupt) => {},
            }
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        tracing::info!("shutdown requested; finishing in-flight requests");
    }
}
