//! What every request handler shares: storage, settings and the clock.

use crate::domain::clock::Clock;
use crate::storage::Db;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<crate::config::Settings>,
    pub clock: Arc<dyn Clock>,
    pub auth: Arc<crate::auth::flows::Auth>,
    /// Behind an `Arc`: the state is cloned many times per request, and the options are two
    /// dozen fields.
    #[from_ref(skip)]
    pub leptos: Arc<LeptosOptions>,
    /// Records pages' data while the patient's records are unchanged.
    pub records_cache: Arc<crate::records_cache::RecordsCache>,
    /// Logins checked in the last second, by session.
    pub recent_logins: Arc<crate::recent_logins::RecentLogins>,
    /// Calls per institution credential, and failed authentications per client.
    pub institution_limits: Arc<crate::auth::rate_limit::Limiter>,
}

/// What leptos_axum's handlers take from the state.
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        (*state.leptos).clone()
    }
}
