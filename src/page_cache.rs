//! A records page's data and rendered content for the signed-in patient, kept in the records
//! cache (`records_cache`) while the patient's records are as this request's login check read
//! them. Only requests that read are answered from it or fill it: a page answered to a form post
//! carries what was typed (an income, a receipt) and is built for that answer alone.

use crate::error::ServerError;
use crate::principal::Act;
use crate::request::{reads_only, with_request};
use crate::state::AppState;
use crate::storage::patients::{PatientId, RecordsVersion};
use crate::viewer::require_login;

/// A records page's data: from the cache, else `load`ed (and kept). `args` is everything else
/// the data depends on (query, language); the Japan day is added here, since "today" shapes
/// every records page (recent weeks, months still expected).
pub async fn data<T, F, Fut>(page: &'static str, args: String, load: F) -> Result<T, ServerError>
where
    T: Clone + Send + Sync + 'static,
    F: FnOnce(AppState, PatientId) -> Fut,
    Fut: std::future::Future<Output = Result<T, ServerError>>,
{
    let (state, login) = require_login().await?;
    let (principal, patient) =
        crate::viewer::allowed(crate::viewer::principal_of(&login), Act::ReadRecords)?;
    // Every page a proxy is shown is in the patient's log, whether kept or read now.
    crate::viewer::log_view(&state, &login, page).await?;
    if !reads_only() {
        return load(state, patient).await;
    }
    // Keyed by subject (the patient, below) and by who is looking: a page kept for one
    // principal never answers another.
    let args = format!(
        "{}|{}|{args}",
        principal.cache_scope(),
        state.clock.today_japan()
    );
    let cache = state.records_cache.clone();
    cache
        .get_or_load(patient, login.records, page, args, || load(state, patient))
        .await
}

/// A page query as part of a cache key.
pub fn args(query: &impl serde::Serialize) -> Result<String, ServerError> {
    Ok(serde_json::to_string(query)?)
}

/// A records page's rendered content: rendering ten years of checkups costs more than
/// everything else a page view does. Without a signed-in login it is simply rendered.
pub async fn html(locale: &str, render: impl FnOnce() -> String) -> String {
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

/// This page's content as [`html`] kept it, when the patient's records are still as they
/// were: then the page needs neither its data nor rendering.
pub async fn kept_html(locale: &str) -> Option<String> {
    let (state, patient, version, args) = html_key(locale).await?;
    let html: std::sync::Arc<str> = state.records_cache.peek(patient, version, "html", args)?;
    Some(html.to_string())
}

/// Where rendered records are kept: the content is built only from the patient's records, the
/// address (path and query: filters, page, echoed form input), the language and the Japan day.
/// It is kept per login, not only per patient: the home page says what changed since this
/// login's previous sign-in, and nothing rendered for one session should reach another by
/// accident. The records version is the one this request's login check read.
async fn html_key(locale: &str) -> Option<(AppState, PatientId, RecordsVersion, String)> {
    if !reads_only() {
        return None;
    }
    let (state, login) = require_login().await.ok()?;
    // A proxy's pages are not kept rendered: each view reads its data, which logs it.
    if login.acting.is_some() {
        return None;
    }
    let (principal, patient) =
        crate::viewer::allowed(crate::viewer::principal_of(&login), Act::ReadRecords).ok()?;
    let address = with_request(|p| p.uri.to_string())?;
    let args = format!(
        "{}|{}|{}|{locale}|{address}",
        principal.cache_scope(),
        login.id,
        state.clock.today_japan()
    );
    Some((state, patient, login.records, args))
}
