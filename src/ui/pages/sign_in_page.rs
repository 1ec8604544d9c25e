//! "Sign in with card": one button, no user name; the card offers its own credential. Beside
//! it, the insured number first for cards that cannot, and the browser's autofill list where
//! the browser offers one.

use crate::i18n::*;
use crate::ui::auth_message::{AuthError, Working, hydrated};
use crate::ui::page_title::PageTitle;
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
    view! {
        <PageTitle text=t_string!(i18n, page_sign_in).to_string() />
        <h1>{t!(i18n, page_sign_in)}</h1>
        {enrolled.then(|| view! { <p class="notice notice--info" role="status">{t!(i18n, sign_in_enrolled)}</p> })}
        {card_stopped.then(|| view! { <p class="notice notice--info" role="status">{t!(i18n, sign_in_card_stopped)}</p> })}
        {timed_out.then(|| view! { <p class="notice notice--info" role="status">{t!(i18n, sign_in_timed_out)}</p> })}
        <p class="lead">{t!(i18n, sign_in_lead)}</p>
        <SignInWithCard />
        <noscript><p class="notice notice--error">{t!(i18n, needs_js)}</p></noscript>
        <p><a href="/enroll">{t!(i18n, sign_in_enroll_link)}</a></p>
    }
}

/// The card steps: the part of the page that runs in the browser.
#[island]
fn SignInWithCard() -> impl IntoView {
    let i18n = use_i18n();
    let (member, set_member) = signal(String::new());
    let (error, set_error) = signal(None::<(String, Option<String>)>);
    let (busy, set_busy) = signal(false);
    let ready = hydrated();
    #[cfg(feature = "hydrate")]
    autofill::offer(set_error);
    let sign_in = move |_| {
        #[cfg(feature = "hydrate")]
        autofill::withdraw();
        #[cfg(feature = "hydrate")]
        crate::ui::auth_message::run_card_step(
            async { with_card(crate::sign_in::begin_sign_in().await).await },
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
        autofill::withdraw();
        #[cfg(feature = "hydrate")]
        crate::ui::auth_message::run_card_step(
            async move {
                with_card(crate::sign_in::begin_sign_in_for(member.get_untracked()).await).await
            },
            "/",
            set_busy,
            set_error,
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = (member, set_busy, set_error);
    };
    view! {
        <AuthError error />
        <p>
            <button type="button" class="button button--primary" on:click=sign_in
                disabled=move || !ready.get() || busy.get()>
                {t!(i18n, sign_in_button)}
            </button>
        </p>
        <Working busy />
        <section class="section" aria-labelledby="by-number-heading">
            <h2 id="by-number-heading">{t!(i18n, sign_in_by_number_heading)}</h2>
            <p>{t!(i18n, sign_in_by_number_lead)}</p>
            <form class="form" on:submit=by_number novalidate>
                <div class="field">
                    <label for="member">{t!(i18n, enroll_member_label)}</label>
                    <p class="hint" id="member-hint">{t!(i18n, enroll_member_hint)}</p>
                    <input id="member" name="member" type="text" autocomplete="username webauthn"
                        spellcheck="false" required aria-describedby="member-hint"
                        prop:value=member on:input=move |ev| set_member.set(event_target_value(&ev)) />
                </div>
                <button type="submit" class="button button--secondary" disabled=move || !ready.get() || busy.get()>
                    {t!(i18n, sign_in_by_number_button)}
                </button>
            </form>
        </section>
    }
}

/// The card answers the server's sign-in options; the server checks the answer.
#[cfg(feature = "hydrate")]
async fn with_card(
    options: Result<webauthn_rs_proto::RequestChallengeResponse, crate::error::PortalError>,
) -> Result<(), crate::ui::auth_message::StepError> {
    use crate::ui::auth_message::code_of;
    let reply = crate::sign_in::browser::get(options.map_err(|e| code_of(&e))?)
        .await
        .map_err(|e| (e.code().to_owned(), None))?;
    crate::sign_in::complete_sign_in(reply, false)
        .await
        .map_err(|e| code_of(&e))
}

/// The extra where the browser offers it: cards listed in the insured-number field's autofill
/// (conditional mediation). It waits quietly beside the button and the number form, and is
/// withdrawn before either starts its own request (a browser runs one at a time).
#[cfg(feature = "hydrate")]
mod autofill {
    use crate::ui::auth_message::{StepError, code_of};
    use leptos::prelude::*;
    use std::cell::RefCell;

    thread_local! {
        static WAITING: RefCell<Option<web_sys::AbortController>> = const { RefCell::new(None) };
    }

    pub fn offer(set_error: WriteSignal<Option<StepError>>) {
        Effect::new(move |_| {
            leptos::task::spawn_local(async move {
                if !crate::sign_in::browser::autofill_available().await {
                    return;
                }
                let Ok(options) = crate::sign_in::begin_autofill_sign_in().await else {
                    return;
                };
                let Ok(controller) = web_sys::AbortController::new() else {
                    return;
                };
                let signal = controller.signal();
                WAITING.with(|w| *w.borrow_mut() = Some(controller));
                let result = async {
                    let reply = crate::sign_in::browser::get_from_autofill(options, &signal)
                        .await
                        .map_err(|e| (e.code().to_owned(), None))?;
                    crate::sign_in::complete_sign_in(reply, true)
                        .await
                        .map_err(|e| code_of(&e))
                }
                .await;
                match result {
                    Ok(()) => {
                        let _ = window().location().set_href("/");
                    }
                    // Withdrawn or dismissed: the button and the form are still there.
                    Err((code, _)) if code == "webauthn_cancelled" => {}
                    Err(e) => set_error.set(Some(e)),
                }
            });
        });
    }

    pub fn withdraw() {
        if let Some(controller) = WAITING.with(|w| w.borrow_mut().take()) {
            controller.abort();
        }
    }
}
