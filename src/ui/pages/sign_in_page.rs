//! "Sign in with card": one button, no user name. The card offers its own credential.

use crate::i18n::*;
use crate::ui::auth_message::{AuthError, hydrated};
use crate::ui::pages::not_found_page::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let enrolled = use_query_map().read_untracked().get("enrolled").is_some();
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
    view! {
        <PageTitle text=move || t_string!(i18n, page_sign_in).to_string() />
        <h1>{t!(i18n, page_sign_in)}</h1>
        {enrolled.then(|| view! { <p class="notice notice--info" role="status">{t!(i18n, sign_in_enrolled)}</p> })}
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
        <noscript><p class="notice notice--error">{t!(i18n, needs_js)}</p></noscript>
        <p><a href="/enroll">{t!(i18n, sign_in_enroll_link)}</a></p>
    }
}
