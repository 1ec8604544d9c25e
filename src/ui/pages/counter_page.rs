//! 受付端末: an institution's reception terminal in kiosk layout. The patient places their card,
//! sees their name and the institution's, chooses what to share for this visit, and sees
//! "confirmed". Large type and one decision per screen; the terminal never shows records.

use crate::access_log::words;
use crate::counter::{COUNTER_KINDS, CounterView, CurrentConsent, load_counter};
use crate::domain::consent::DataKind;
use crate::domain::institution::InstitutionRef;
use crate::format::{self, pick};
use crate::i18n::*;
use crate::ui::auth_message::{AuthError, StepError, Working, hydrated};
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CounterPage() -> impl IntoView {
    let i18n = use_i18n();
    let error = use_query_map().with_untracked(|q| q.get("error").unwrap_or_default());
    let load = load_counter();
    // Read once on the server, as every page is (`SsrMode::Async`).
    let screen = Suspend::new(async move {
        match load.await {
            Ok(view) => screen(view, error).into_any(),
            Err(_) => view! {
                <p class="notice notice--error" role="alert">{t!(i18n, err_generic)}</p>
            }
            .into_any(),
        }
    });
    view! {
        <PageTitle text=t_string!(i18n, page_counter).to_string() />
        <div class="counter">{screen}</div>
    }
}

fn screen(view: CounterView, error: String) -> impl IntoView {
    match view {
        CounterView::NoTerminal => view! { <NoTerminal error /> }.into_any(),
        CounterView::Ready { institution } => view! { <Ready institution error /> }.into_any(),
        CounterView::Choosing {
            institution,
            patient_name,
            current,
        } => view! { <Choosing institution patient_name current error /> }.into_any(),
        CounterView::Confirmed {
            institution,
            kinds,
            until,
            unchanged,
        } => view! { <Confirmed institution kinds until unchanged /> }.into_any(),
    }
}

fn institution_name(l: Locale, i: &InstitutionRef) -> String {
    pick(l, &i.name, &i.name_en).to_owned()
}

/// A mistake the last post came back with, in the reader's language.
fn error_text(l: Locale, code: &str) -> Option<String> {
    let text = match code {
        "" => return None,
        "counter_no_terminal" => td_string!(l, counter_error_no_terminal),
        "counter_credential_required" => td_string!(l, counter_error_credential_required),
        "counter_credential_invalid" => td_string!(l, counter_error_credential_invalid),
        "counter_card_expired" => td_string!(l, counter_error_card_expired),
        "consent_no_kinds" => td_string!(l, error_consent_no_kinds),
        "too_many_attempts" => td_string!(l, counter_error_too_many),
        _ => td_string!(l, err_generic),
    };
    Some(text.to_string())
}

#[component]
fn ErrorLine(error: String) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    error_text(l, &error).map(|text| {
        view! {
            <p class="notice notice--error counter__error" role="alert" id="counter-error" data-code=error>
                {text}
            </p>
        }
    })
}

#[component]
fn NoTerminal(error: String) -> impl IntoView {
    let i18n = use_i18n();
    let has_error = !error.is_empty();
    view! {
        <h1>{t!(i18n, page_counter)}</h1>
        <p class="lead">{t!(i18n, counter_terminal_lead)}</p>
        <ErrorLine error />
        <form method="post" action="/counter" class="counter__staff">
            <input type="hidden" name="action" value="terminal" />
            <div class="field">
                <label for="credential">{t!(i18n, counter_credential_label)}</label>
                <p class="hint" id="credential-hint">{t!(i18n, counter_credential_hint)}</p>
                <input id="credential" name="credential" type="password" autocomplete="off"
                    spellcheck="false" aria-describedby="credential-hint"
                    aria-invalid=has_error.then_some("true") required />
            </div>
            <button type="submit" class="button button--primary">
                {t!(i18n, counter_start_terminal)}
            </button>
        </form>
    }
}

#[component]
fn Ready(institution: InstitutionRef, error: String) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    view! {
        <p class="counter__place">{institution_name(l, &institution)}</p>
        <h1>{t!(i18n, counter_ready_heading)}</h1>
        <p class="counter__lead">{t!(i18n, counter_ready_lead)}</p>
        <ErrorLine error />
        <ReadCard />
        <p class="counter__note">{t!(i18n, counter_never_shows)}</p>
        <p class="counter__note">{t!(i18n, consent_never_stops_care)}</p>
        <form method="post" action="/counter" class="counter__staff-end">
            <input type="hidden" name="action" value="end_terminal" />
            <button type="submit" class="button button--secondary">
                {t!(i18n, counter_end_terminal)}
            </button>
        </form>
    }
}

/// The card button: the browser asks the card (user verification, no name typed), the server
/// checks the answer, and the page comes back with the patient's choice.
#[island]
fn ReadCard() -> impl IntoView {
    let i18n = use_i18n();
    let (error, set_error) = signal(None::<StepError>);
    let (busy, set_busy) = signal(false);
    let ready = hydrated();
    let read = move |_| {
        #[cfg(feature = "hydrate")]
        crate::ui::auth_message::run_card_step(
            async {
                use crate::ui::auth_message::code_of;
                let options = crate::counter::begin_counter_card()
                    .await
                    .map_err(|e| code_of(&e))?;
                let reply = crate::sign_in::browser::get(options)
                    .await
                    .map_err(|e| (e.code().to_owned(), None))?;
                crate::counter::complete_counter_card(reply)
                    .await
                    .map_err(|e| code_of(&e))
            },
            "/counter",
            set_busy,
            set_error,
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = (set_busy, set_error);
    };
    view! {
        <AuthError error />
        <button type="button" class="button button--primary counter__card" id="read-card"
            on:click=read disabled=move || !ready.get() || busy.get()>
            {t!(i18n, counter_read_card)}
        </button>
        <Working busy />
        <noscript><p class="notice notice--error">{t!(i18n, needs_js)}</p></noscript>
    }
}

#[component]
fn Choosing(
    institution: InstitutionRef,
    patient_name: String,
    current: Option<CurrentConsent>,
    error: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let place = institution_name(l, &institution);
    let current = current.map(|c| {
        let until = match c.until {
            Some(end) => format::timestamp(l, end),
            None => td_string!(l, counter_until_revoked).to_string(),
        };
        view! {
            <p class="notice notice--info">
                {td_string!(l, counter_current, kinds = words::kinds(l, &c.kinds), until = until).to_string()}
            </p>
        }
    });
    let options = COUNTER_KINDS
        .into_iter()
        .map(|kind| {
            let field = crate::consent::ConsentQuery::kind_field(kind);
            let id = format!("counter-{field}");
            let hint_id = format!("{id}-hint");
            let hint = match kind {
                DataKind::Medications => td_string!(l, counter_hint_medications),
                DataKind::Checkups => td_string!(l, counter_hint_checkups),
                _ => td_string!(l, counter_hint_qualification),
            };
            view! {
                <div class="counter__choice">
                    <input type="checkbox" id=id.clone() name=field value="1"
                        aria-describedby=hint_id.clone() />
                    <label for=id>
                        <span class="counter__choice-name">{words::kind(l, kind)}</span>
                        <span class="counter__choice-hint" id=hint_id>{hint.to_string()}</span>
                    </label>
                </div>
            }
        })
        .collect_view();
    view! {
        <p class="counter__place">{place.clone()}</p>
        <h1>{td_string!(l, counter_choose_heading, name = patient_name).to_string()}</h1>
        <ErrorLine error />
        <form method="post" action="/counter">
            <fieldset class="counter__choices">
                <legend>{td_string!(l, counter_choose_lead, institution = place).to_string()}</legend>
                {options}
            </fieldset>
            {current}
            <p class="counter__note">{t!(i18n, counter_visit_only)}</p>
            <p class="counter__note">{t!(i18n, consent_never_stops_care)}</p>
            <div class="counter__actions">
                <button type="submit" name="action" value="confirm" class="button button--primary">
                    {t!(i18n, counter_confirm)}
                </button>
                <button type="submit" name="action" value="cancel" class="button button--secondary"
                    formnovalidate=true>
                    {t!(i18n, counter_cancel)}
                </button>
            </div>
        </form>
    }
}

#[component]
fn Confirmed(
    institution: InstitutionRef,
    kinds: Vec<DataKind>,
    until: Option<chrono::DateTime<chrono::Utc>>,
    unchanged: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let until = match until {
        Some(end) => format::timestamp(l, end),
        None => td_string!(l, counter_until_revoked).to_string(),
    };
    let place = institution_name(l, &institution);
    let kinds = words::kinds(l, &kinds);
    let text = if unchanged {
        td_string!(
            l,
            counter_confirmed_unchanged,
            institution = place,
            kinds = kinds,
            until = until
        )
        .to_string()
    } else {
        td_string!(
            l,
            counter_confirmed_shared,
            institution = place,
            kinds = kinds,
            until = until
        )
        .to_string()
    };
    view! {
        <div class="counter__confirmed" role="status">
            <h1>{t!(i18n, counter_confirmed_heading)}</h1>
            <p class="counter__lead">{text}</p>
        </div>
        <p class="counter__note">{t!(i18n, counter_take_card)}</p>
        <form method="post" action="/counter">
            <input type="hidden" name="action" value="next" />
            <button type="submit" class="button button--primary">{t!(i18n, counter_next)}</button>
        </form>
    }
}
