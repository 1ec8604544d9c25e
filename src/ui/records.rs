//! Pieces every records page shares: the sign-in gate around its data, the freshness line, and
//! the summary of filter or form mistakes.

use crate::disputes::{RecordKind, load_disputes};
use crate::error::FieldError;
use crate::error::PortalError;
use crate::format::{self, pick};
use crate::freshness::Freshness;
use crate::i18n::*;
use crate::ui::disputes::DisputeList;
use crate::ui::status::ErrorPanel;
use leptos::prelude::*;

/// Waits for a records page's data; signed out, it says so and offers sign-in instead.
///
/// Pages render on the server only, once, so `load` is a plain future (no resource to share
/// with the browser). The server keeps the rendered records (see
/// [`crate::page_cache::html`]): while the patient's records are unchanged, a page view
/// neither loads nor renders them again.
#[component]
pub fn RecordsGate<T, Fut>(
    load: Fut,
    render: fn(T) -> AnyView,
    /// What a visitor who is not signed in sees instead (by default: "sign in first").
    #[prop(optional)]
    signed_out: Option<fn() -> AnyView>,
    /// What a login that may not see this page's subject sees instead (by default: "not found").
    #[prop(optional)]
    not_found: Option<fn() -> AnyView>,
    /// Content that changes without the records changing (the access log): never kept.
    #[prop(optional)]
    live: bool,
    /// The patient's "not my record" reports of this kind, listed after the records.
    #[prop(optional)]
    disputes: Option<RecordKind>,
) -> impl IntoView
where
    T: Send + 'static,
    Fut: std::future::Future<Output = Result<T, PortalError>> + Send + 'static,
{
    let i18n = use_i18n();
    // A bare `Suspend`, never <Suspense> or a resource: pages render whole before answering
    // (`SsrMode::Async`), which awaits a bare `Suspend` as a plain future, while <Suspense>
    // waits on a reactive effect to learn that its resources are done, and under load that
    // wake-up was sometimes lost (leptos-rs/leptos#4851, #4578): the answer never came. One
    // such part per page, loading all the page shows in turn: the page polls its parts early
    // and awaits them in order, so a second part could hold what the first waits for.
    // `tests/records_cache_http.rs` covers a page whose login has ended.
    let page = Suspend::new(async move {
        let records = records_part(load, render, signed_out, not_found, live, i18n).await;
        let reported = match disputes {
            Some(kind) => Some(load_disputes(kind).await.unwrap_or_default()),
            None => None,
        };
        view! { {records} {reported.map(|list| view! { <DisputeList list /> })} }
    });
    view! { {page} }
}

/// The records part of [`RecordsGate`], from the kept page when it is still current.
async fn records_part<T, Fut>(
    load: Fut,
    render: fn(T) -> AnyView,
    signed_out: Option<fn() -> AnyView>,
    not_found: Option<fn() -> AnyView>,
    live: bool,
    i18n: leptos_i18n::I18nContext<Locale>,
) -> AnyView
where
    T: Send + 'static,
    Fut: std::future::Future<Output = Result<T, PortalError>> + Send + 'static,
{
    #[cfg(not(feature = "ssr"))]
    let _ = live;
    #[cfg(feature = "ssr")]
    let locale = format::tag(i18n.get_locale_untracked());
    #[cfg(feature = "ssr")]
    if !live && let Some(html) = crate::page_cache::kept_html(locale).await {
        return leptos::tachys::html::InertElement::new(html).into_any();
    }
    match load.await {
        #[cfg(feature = "ssr")]
        Ok(data) if live => render(data),
        #[cfg(feature = "ssr")]
        Ok(data) => {
            let html = crate::page_cache::html(locale, move || render(data).to_html()).await;
            leptos::tachys::html::InertElement::new(html).into_any()
        }
        #[cfg(not(feature = "ssr"))]
        Ok(data) => render(data),
        Err(PortalError::NotSignedIn) => match signed_out {
            Some(signed_out) => signed_out(),
            None => view! {
                <p class="empty">{t!(i18n, account_sign_in_needed)}</p>
                <p><a class="button button--primary" href="/sign-in">{t!(i18n, sign_in_button)}</a></p>
            }.into_any(),
        },
        Err(PortalError::NotFound) => match not_found {
            Some(not_found) => not_found(),
            None => view! {
                <p class="notice notice--error" role="alert">{t!(i18n, error_not_found)}</p>
            }.into_any(),
        },
        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
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
        | "receipt_reimbursed_negative"
        | "correction_paid_format"
        | "correction_paid_negative"
        | "correction_reimbursed_format"
        | "correction_reimbursed_negative" => td_string!(l, error_invalid_amount),
        "correction_nothing_entered" => td_string!(l, error_correction_nothing),
        "correction_paid_exceeds_total" => td_string!(l, error_correction_paid_exceeds_total),
        "receipt_paid_on_format" => td_string!(l, error_invalid_date),
        "receipt_paid_on_future" => td_string!(l, error_paid_on_future),
        "receipt_paid_on_too_early" => td_string!(l, error_paid_on_too_early),
        "receipt_payee_empty" => td_string!(l, error_payee_empty),
        "receipt_payee_too_long" => td_string!(l, error_payee_too_long),
        "receipt_kind_unknown" => td_string!(l, error_unknown_choice),
        "receipt_amount_not_positive" => td_string!(l, error_amount_not_positive),
        "receipt_amount_too_large" => td_string!(l, error_amount_too_large),
        "receipt_reimbursed_exceeds_amount" | "correction_reimbursed_exceeds_paid" => {
            td_string!(l, error_reimbursed_exceeds)
        }
        "step_up_required" => td_string!(l, err_step_up_required),
        "member_format" => td_string!(l, err_member_format),
        "enrollment_code_length" | "enrollment_code_character" => td_string!(l, error_code_format),
        "proxy_scope_unknown" => td_string!(l, error_unknown_choice),
        "proxy_until_past" => td_string!(l, error_proxy_until_past),
        "proxy_until_too_far" => td_string!(l, error_proxy_until_too_far),
        "proxy_self" => td_string!(l, error_proxy_self),
        "proxy_invitation_unknown" => td_string!(l, error_proxy_invitation_unknown),
        "proxy_invitation_expired" => td_string!(l, error_proxy_invitation_expired),
        "proxy_attempts" => td_string!(l, error_proxy_attempts),
        "proxy_already" => td_string!(l, error_proxy_already),
        "required" => td_string!(l, error_required),
        "consent_no_kinds" => td_string!(l, error_consent_no_kinds),
        "consent_period_missing" => td_string!(l, error_consent_period_missing),
        "consent_until_passed" => td_string!(l, error_consent_until_passed),
        "consent_until_too_far" => td_string!(l, error_consent_until_too_far),
        "institution_unknown" => td_string!(l, error_institution_unknown),
        "consent_not_active" => td_string!(l, error_consent_not_active),
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
    /// The summary sits right under the page's title (a level-2 heading), not in a section.
    #[prop(optional)]
    top: bool,
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
                {if top {
                    view! { <h2 id="form-errors-heading">{heading}</h2> }.into_any()
                } else {
                    view! { <h3 id="form-errors-heading">{heading}</h3> }.into_any()
                }}
                <ul>{items}</ul>
            </div>
        }
    })
}

/// A date filter field with its hint and, when the server could not read it, its error.
#[component]
pub fn DateField(
    name: &'static str,
    label: String,
    value: String,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let i18n = use_i18n();
    let hint = t_string!(i18n, filter_date_hint).to_string();
    view! { <InputField name label value errors input_type="date" hint /> }
}

/// A form input with its label, an optional hint and, when the server refused what was typed,
/// the error for `name` from `errors`.
#[component]
pub fn InputField(
    name: &'static str,
    label: String,
    value: String,
    errors: Vec<FieldError>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] hint: Option<String>,
    /// The keyboard the field wants on phones (`numeric` for amounts).
    #[prop(optional)]
    inputmode: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("f-{name}");
    let error = errors
        .iter()
        .find(|e| e.field == name)
        .map(|e| field_error(i18n.get_locale_untracked(), &e.code));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let describedby = [
        hint.as_ref().map(|_| hint_id.clone()),
        error.as_ref().map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let invalid = error.as_ref().map(|_| "true");
    let has_error = error.is_some();
    view! {
        <div class="field" class:field--error=has_error>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <span class="hint" id=hint_id.clone()>{h}</span> })}
            {error.map(|m| view! { <span class="field__error" id=error_id.clone()>{m}</span> })}
            <input type=input_type id=id name=name value=value aria-invalid=invalid inputmode=inputmode
                aria-describedby=(!describedby.is_empty()).then_some(describedby) />
        </div>
    }
}

/// Previous / next links that keep the filters (`pairs`), so paging works without JavaScript.
#[component]
pub fn Pages(
    path: &'static str,
    page: i64,
    pages: i64,
    pairs: Vec<(String, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let href = move |n: i64| {
        let mut query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect();
        query.push(format!("page={n}"));
        format!("{path}?{}", query.join("&"))
    };
    (pages > 1).then(|| view! {
        <nav class="pagination" aria-label=td_string!(l, pagination_label).to_string()>
            {(page > 1).then(|| view! { <a rel="prev" href=href(page - 1)>{t!(i18n, pagination_prev)}</a> })}
            <span aria-current="page">{td_string!(l, pagination_status, page = page, pages = pages).to_string()}</span>
            {(page < pages).then(|| view! { <a rel="next" href=href(page + 1)>{t!(i18n, pagination_next)}</a> })}
        </nav>
    })
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
