//! Registering a card with the insured-person number and the mailed enrollment code.

use crate::i18n::*;
use crate::ui::auth_message::{AuthError, Working, hydrated};
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;

#[component]
pub fn EnrollPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=t_string!(i18n, page_enroll).to_string() />
        <h1>{t!(i18n, page_enroll)}</h1>
        <p class="lead">{t!(i18n, enroll_lead)}</p>
        <EnrollForm />
        <noscript><p class="notice notice--error">{t!(i18n, needs_js)}</p></noscript>
    }
}

/// The number, the code and the card: the part of the page that runs in the browser.
#[island]
fn EnrollForm() -> impl IntoView {
    let i18n = use_i18n();
    let (member, set_member) = signal(String::new());
    let (code, set_code) = signal(String::new());
    let (error, set_error) = signal(None::<(String, Option<String>)>);
    let (busy, set_busy) = signal(false);
    let ready = hydrated();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        crate::ui::auth_message::run_card_step(
            async move {
                use crate::ui::auth_message::code_of;
                let (m, c) = (member.get_untracked(), code.get_untracked());
                let options = crate::sign_in::begin_enrollment(m, c)
                    .await
                    .map_err(|e| code_of(&e))?;
                let reply = crate::sign_in::browser::create(options)
                    .await
                    .map_err(|e| (e.code().to_owned(), None))?;
                crate::sign_in::complete_enrollment(reply)
                    .await
                    .map_err(|e| code_of(&e))
            },
            "/sign-in?enrolled=1",
            set_busy,
            set_error,
        );
        // The server build renders the form but never runs the step.
        #[cfg(not(feature = "hydrate"))]
        let _ = (member, code, set_busy, set_error);
    };
    view! {
        <AuthError error />
        <form class="form" on:submit=submit novalidate>
            <div class="field">
                <label for="member">{t!(i18n, enroll_member_label)}</label>
                <p class="hint" id="member-hint">{t!(i18n, enroll_member_hint)}</p>
                <input id="member" name="member" type="text" inputmode="text" autocomplete="off"
                    spellcheck="false" required aria-describedby="member-hint"
                    prop:value=member on:input=move |ev| set_member.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="code">{t!(i18n, enroll_code_label)}</label>
                <p class="hint" id="code-hint">{t!(i18n, enroll_code_hint)}</p>
                <input id="code" name="code" type="text" autocomplete="one-time-code"
                    autocapitalize="characters" spellcheck="false" required aria-describedby="code-hint"
                    prop:value=code on:input=move |ev| set_code.set(event_target_value(&ev)) />
            </div>
            <button type="submit" class="button button--primary" disabled=move || !ready.get() || busy.get()>
                {t!(i18n, enroll_button)}
            </button>
        </form>
        <Working busy />
    }
}
