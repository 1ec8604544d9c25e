//! The warning before a session ends for inactivity (WCAG 2.2.1): two minutes before the
//! server's idle limit, a notice with "stay signed in" appears and takes focus; when the limit
//! passes, the page moves to sign-in and says why. The time left comes from the server, asked in
//! the background (asking does not extend it), so activity in another tab counts too.
//!
//! The notice is rendered here, hidden, with its texts; the page script
//! (`public/scripts/page.js`) counts down, shows it and calls the server.

use crate::i18n::*;
use leptos::prelude::*;

/// When the warning appears, in seconds before the end.
pub const WARN_SECONDS: i64 = 120;

/// Where the page script puts the time left in the texts.
const TIME: &str = "{time}";

#[component]
pub fn IdleWarning() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="idle-warning" id="idle-warning" role="alertdialog" hidden
            aria-labelledby="idle-title" aria-describedby="idle-text"
            data-warn-seconds=WARN_SECONDS
            data-text=move || t_string!(i18n, idle_text, time = TIME).to_string()
            data-text-absolute=move || t_string!(i18n, idle_absolute, time = TIME).to_string()>
            <p class="idle-warning__title" id="idle-title">{t!(i18n, idle_title)}</p>
            <p class="idle-warning__text" id="idle-text"></p>
            <button type="button" class="button button--primary">{t!(i18n, idle_stay)}</button>
        </div>
    }
}
