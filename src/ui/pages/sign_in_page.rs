//! "Sign in with card": one button, no user name. The card offers its own credential.

use crate::i18n::*;
use crate::ui::auth_message::{AuthError, hydrated};
use crate::ui::pages::not_found_page::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let (enrolled, card_stopped, timed_out) = use_query_map().with_untracked(|q| {
        (
            q.get("enrolled").is_some(),
            q.get("card_stopped").is_some(),
            q.get("ended").is_some(),
        )
    });
    let (member, set_member) = signal(String::new());
    let (error, set_error) = signal(None::<(String, Option<String>)>);
    let (busy, set_busy) = signal(false);
    let ready = hydrated();
    let sign_in = move |_| {
        #[cfg(feature = "hydrate")]
        crate::ui::auth_message::run_card_step(
            async {
                use crate::ui::auth_message::code_of;
                let options = crate::auth::api::begin_sign_in()
                    .await
                    .map_err(|e| code_of(&e))?;
                let reply = crate::auth::browser::get(options)
                    .await
                    .map_err(|e| (e.code().to_owned(), None))?;
                crate::auth::api::complete_sign_in(reply)
                    .await
                    .map_err(|e| code_of(&e))
            },
            "/",
            set_busy,
            set_error,
        );
        // The server build renders the button but never runs the step.
        #[cfg(not(feature = "hydrate"))]
        let _ = (set_busy, set_error);
    };
    // The fallback: the insured number first, then the card (for cards and browsers that cannot
    // offer a credential by themselves).
    let by_number = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        crate::ui::auth_message::run_card_step(
            async move {
                use crate::ui::auth_message::code_of;
                let options = crate::auth::api::begin_sign_in_for(member.get_untracked())
                    .await
                    .map_err(|e| code_of(&e))?;
                let reply = crate::auth::browser::get(options)
                    .await
                    .map_err(|e| (e.code().to_owned(), None))?;
                crate::auth::api::complete_sign_in(reply)
                    .await
                    .map_err(|e| code_of(&e))
            },
            "/",
            set_busy,
            set_error,
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = (member, set_busy, set_error);
    };
    view! {
        <PageTitle text=move || t_string!(i18n, page_sign_in).to_string() />
        <h1>{t!(i18n, page_sign_in)}</h1>
        {enrolled.then(|| view! { <p class="notice notice--info" role="status">{t!(i18n, sign_in_enrolled)}</p> })}
        {card_stopped.then(|| view! { <p class="notice notice--info" role="status">{t!(i18n, sign_in_card_stopped)}</p> })}
        {timed_out.then(|| view! { <p class="notice notice--info" role="status">{t!(i18n, sign_in_timed_out)}</p> })}
        <p class="lead">{t!(i18n, sign_in_lead)}</p>
        <AuthError error />
        <p>
            <button type="button" class="button button--primary" on:click=sign_in
                disabled=move || !ready.get() || busy.get()>
                {t!(i18n, sign_in_button)}
            </button>
        </p>
        <Show when=move || busy.get()>
            <p role="status" class="muted">{t!(i18n, working)}</p>
        </Show>
        <section class="section" aria-labelledby="by-number-heading">
            <h2 id="by-number-heading">{t!(i18n, sign_in_by_number_heading)}</h2>
            <p>{t!(i18n, sign_in_by_number_lead)}</p>
            <form class="form" on:submit=by_number novalidate>
                <div class="field">
                    <label for="member">{t!(i18n, enroll_member_label)}</label>
                    <p class="hint" id="member-hint">{t!(i18n, enroll_member_hint)}</p>
                    <input id="member" name="member" type="text" autocomplete="username"
                        spellcheck="false" required aria-describedby="member-hint"
                        prop:value=member on:input=move |ev| set_member.set(event_target_value(&ev)) />
                </div>
                <button type="submit" class="button button--secondary" disabled=move || !ready.get() || busy.get()>
                    {t!(i18n, sign_in_by_number_button)}
                </button>
            </form>
        </section>
        <noscript><p class="notice notice--error">{t!(i18n, needs_js)}</p></noscript>
        <p><a href="/enroll">{t!(i18n, sign_in_enroll_link)}</a></p>
    }
}
