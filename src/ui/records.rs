//! Pieces every records page shares: the sign-in gate around its data, the freshness line, and
//! the summary of filter or form mistakes.

use crate::error::FieldError;
use crate::error::PortalError;
use crate::freshness::Freshness;
use crate::i18n::*;
use crate::ui::format::{self, pick};
use crate::ui::status::{ErrorPanel, Loading};
use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Waits for a records page's data; signed out, it says so and offers sign-in instead.
#[component]
pub fn RecordsGate<T>(
    resource: Resource<Result<T, PortalError>>,
    render: fn(T) -> AnyView,
) -> impl IntoView
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
{
    let i18n = use_i18n();
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match resource.await {
                    Ok(data) => render(data),
                    Err(PortalError::NotSignedIn) => view! {
                        <p class="empty">{t!(i18n, account_sign_in_needed)}</p>
                        <p><a class="button button--primary" href="/sign-in">{t!(i18n, sign_in_button)}</a></p>
                    }.into_any(),
                    Err(PortalError::NotFound) => view! {
                        <p class="notice notice--error" role="alert">{t!(i18n, error_not_found)}</p>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "Newest record: date (source) · usually arrives: … · last loaded: …"
#[component]
pub fn FreshnessNote(freshness: Freshness) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let text = match (freshness.newest, freshness.last_loaded) {
        (Some((date, source)), Some(loaded)) => {
            let lag = match source.usual_lag_days() {
                0 => td_string!(l, freshness_same_day).to_string(),
                days => td_string!(l, freshness_lag_days, days = days).to_string(),
            };
            td_string!(
                l,
                freshness_line,
                date = format::date(l, date),
                source = pick(l, source.label_ja(), source.label_en()),
                lag = lag,
                loaded = format::timestamp(l, loaded)
            )
            .to_string()
        }
        _ => td_string!(l, freshness_none).to_string(),
    };
    view! { <p class="freshness">{text}</p> }
}

/// The message for a field error code, in the reader's language.
pub fn field_error(l: Locale, code: &str) -> String {
    match code {
        "invalid_date" => td_string!(l, error_invalid_date),
        "before_from" => td_string!(l, error_before_from),
        "unknown_choice" => td_string!(l, error_unknown_choice),
        "invalid_amount"
        | "receipt_amount_format"
        | "receipt_reimbursed_format"
        | "receipt_reimbursed_negative" => td_string!(l, error_invalid_amount),
        "receipt_paid_on_format" => td_string!(l, error_invalid_date),
        "receipt_paid_on_future" => td_string!(l, error_paid_on_future),
        "receipt_paid_on_too_early" => td_string!(l, error_paid_on_too_early),
        "receipt_payee_empty" => td_string!(l, error_payee_empty),
        "receipt_payee_too_long" => td_string!(l, error_payee_too_long),
        "receipt_kind_unknown" => td_string!(l, error_unknown_choice),
        "receipt_amount_not_positive" => td_string!(l, error_amount_not_positive),
        "receipt_amount_too_large" => td_string!(l, error_amount_too_large),
        "receipt_reimbursed_exceeds_amount" => td_string!(l, error_reimbursed_exceeds),
        "step_up_required" => td_string!(l, err_step_up_required),
        _ => td_string!(l, error_invalid_value),
    }
    .to_string()
}

/// The error summary above a form: each mistake names its field and links to it.
#[component]
pub fn FieldErrors(
    errors: Vec<FieldError>,
    heading: String,
    /// (field name, its label) for the fields of this form.
    labels: Vec<(String, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    (!errors.is_empty()).then(|| {
        let items = errors
            .into_iter()
            .map(|e| {
                let label = labels
                    .iter()
                    .find(|(f, _)| *f == e.field)
                    .map(|(_, l)| l.clone())
                    .unwrap_or_else(|| e.field.clone());
                let message = field_error(i18n.get_locale_untracked(), &e.code);
                view! { <li><a href=format!("#f-{}", e.field)>{format!("{label}: {message}")}</a></li> }
            })
            .collect_view();
        view! {
            <div class="notice notice--error" role="alert" aria-labelledby="form-errors-heading">
                <h3 id="form-errors-heading">{heading}</h3>
                <ul>{items}</ul>
            </div>
        }
    })
}
