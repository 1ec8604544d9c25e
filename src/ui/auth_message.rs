//! Sign-in and enrollment problems in the reader's language, from the stable codes the server
//! and the browser step report.

use crate::error::PortalError;
use crate::i18n::*;
use leptos::prelude::*;

/// The code of a failed call: the server's refusal reason, or a generic one.
pub fn code_of(e: &PortalError) -> (String, Option<String>) {
    match e {
        PortalError::Refused { reason, retry_at } => (reason.clone(), retry_at.clone()),
        other => (other.code().to_owned(), None),
    }
}

/// The message for a code; `retry_at` (RFC 3339) is shown in Japan time.
pub fn message(
    i18n: leptos_i18n::I18nContext<Locale>,
    code: &str,
    retry_at: Option<&str>,
) -> String {
    let time = retry_at.and_then(japan_clock).unwrap_or_default();
    match code {
        "no_match" => t_string!(i18n, err_no_match).to_string(),
        "member_format" => t_string!(i18n, err_member_format).to_string(),
        "code_format" => t_string!(i18n, err_code_format).to_string(),
        "too_many_attempts" => t_string!(i18n, err_too_many_attempts, time = time).to_string(),
        "unknown_card" | "unknown_credential" => t_string!(i18n, err_unknown_card).to_string(),
        "card_revoked" => t_string!(i18n, err_card_revoked).to_string(),
        "card_disabled" => t_string!(i18n, err_card_disabled).to_string(),
        "webauthn_cancelled" => t_string!(i18n, err_webauthn_cancelled).to_string(),
        "webauthn_unsupported" => t_string!(i18n, err_webauthn_unsupported).to_string(),
        "already_registered" => t_string!(i18n, err_already_registered).to_string(),
        "step_up_required" => t_string!(i18n, err_step_up_required).to_string(),
        "not_signed_in" => t_string!(i18n, err_not_signed_in).to_string(),
        "ceremony_expired" => t_string!(i18n, err_ceremony_expired).to_string(),
        "card_busy" => t_string!(i18n, err_card_busy).to_string(),
        _ => t_string!(i18n, err_generic).to_string(),
    }
}

/// An RFC 3339 time as `HH:MM` in Japan time (UTC+9, no daylight saving). The browser reads
/// it with `Date.parse`, which keeps chrono's parser and formatter out of the WebAssembly.
fn japan_clock(rfc3339: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    let seconds = {
        let ms = js_sys::Date::parse(rfc3339);
        (!ms.is_nan()).then(|| (ms / 1000.0).floor() as i64)
    };
    #[cfg(not(feature = "hydrate"))]
    let seconds = chrono::DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.timestamp());
    let minutes = (seconds? / 60 + 9 * 60).rem_euclid(24 * 60);
    Some(format!("{:02}:{:02}", minutes / 60, minutes % 60))
}

/// A live error region: announced when it appears, focusable for keyboard users.
#[component]
pub fn AuthError(error: ReadSignal<Option<(String, Option<String>)>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div role="alert" aria-live="assertive">
            {move || error.get().map(|(code, retry)| view! {
                <p class="notice notice--error" data-code=code.clone()>
                    {message(i18n, &code, retry.as_deref())}
                </p>
            })}
        </div>
    }
}

/// "Working…" while a card step runs. The status region is always in the page and only its
/// text changes, so screen readers announce it (a region inserted with its text often is not).
#[component]
pub fn Working(busy: ReadSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p role="status" class="muted status-line">
            {move || busy.get().then(|| t_string!(i18n, working))}
        </p>
    }
}

/// True once the WebAssembly app runs; card buttons stay disabled before that.
pub fn hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}

/// A card step's error: the code and, when throttled, the time to retry.
pub type StepError = (String, Option<String>);

/// Runs one card step (server call, card, server call) for a page: marks it busy, shows the
/// error in the reader's language if it fails, and goes to `then` when it succeeds.
#[cfg(feature = "hydrate")]
pub fn run_card_step(
    step: impl std::future::Future<Output = Result<(), StepError>> + 'static,
    then: &'static str,
    set_busy: WriteSignal<bool>,
    set_error: WriteSignal<Option<StepError>>,
) {
    set_busy.set(true);
    set_error.set(None);
    leptos::task::spawn_local(async move {
        match step.await {
            Ok(()) => {
                let _ = window().location().set_href(then);
            }
            Err(e) => {
                set_error.set(Some(e));
                set_busy.set(false);
            }
        }
    });
}

/// A fresh card check inside the signed-in session (step-up), for a change that needs one: the
/// server lists the patient's own cards, the card answers, the server keeps the check.
#[cfg(feature = "hydrate")]
pub async fn check_card(purpose: crate::domain::card_check::StepUpFor) -> Result<(), StepError> {
    let options = crate::sign_in::begin_step_up(purpose)
        .await
        .map_err(|e| code_of(&e))?;
    let reply = crate::sign_in::browser::get(options)
        .await
        .map_err(|e| (e.code().to_owned(), None))?;
    crate::sign_in::complete_step_up(reply)
        .await
        .map_err(|e| code_of(&e))
}

#[cfg(test)]
mod tests {
    use super::japan_clock;

    #[test]
    fn retry_times_are_shown_in_japan_time() {
        assert_eq!(
            japan_clock("2026-11-26T15:30:00Z").as_deref(),
            Some("00:30")
        );
        assert_eq!(
            japan_clock("2026-11-26T08:05:59+09:00").as_deref(),
            Some("08:05")
        );
        assert_eq!(
            japan_clock("2026-11-26T14:59:00Z").as_deref(),
            Some("23:59")
        );
        assert_eq!(japan_clock("soon"), None);
    }
}
