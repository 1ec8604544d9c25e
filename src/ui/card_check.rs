//! The fresh card check a change asks for when the last one is more than five minutes old: the
//! server sent the form back with `step_up_required` and what was typed; this offers to check
//! the card and then sends the same form again. Without scripts the error says to sign in again
//! and make the change within five minutes.

use crate::domain::card_check::StepUpFor;
use crate::i18n::*;
use crate::ui::auth_message::{AuthError, StepError, hydrated};
use leptos::prelude::*;

#[island]
pub fn CardCheck(purpose: StepUpFor, form_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let (error, set_error) = signal(None::<StepError>);
    let (busy, set_busy) = signal(false);
    let ready = hydrated();
    let check = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let form_id = form_id.clone();
            set_busy.set(true);
            set_error.set(None);
            leptos::task::spawn_local(async move {
                use wasm_bindgen::JsCast;
                match crate::ui::auth_message::check_card(purpose).await {
                    Ok(()) => {
                        if let Some(form) = document()
                            .get_element_by_id(&form_id)
                            .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
                        {
                            let _ = form.submit();
                        }
                    }
                    Err(e) => {
                        set_error.set(Some(e));
                        set_busy.set(false);
                    }
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&form_id, purpose, set_busy, set_error);
    };
    view! {
        <div class="card-check" id="f-card" tabindex="-1">
            <p>{t!(i18n, card_check_lead)}</p>
            <AuthError error />
            <button type="button" class="button button--primary" on:click=check
                disabled=move || !ready.get() || busy.get()>
                {t!(i18n, card_check_button)}
            </button>
            <noscript><p class="notice notice--error">{t!(i18n, needs_js)}</p></noscript>
        </div>
    }
}
