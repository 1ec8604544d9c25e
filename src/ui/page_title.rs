//! Every page's `<title>`.

use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

/// `<title>` as "page | service", distinct for every page.
///
/// A plain string, never a closure over the language signal: the server reads the title after
/// the page's reactive owner may already be gone, and a closure then panicked and dropped the
/// connection (a few requests in a hundred under load).
#[component]
pub fn PageTitle(text: String) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let full = format!("{text} | {}", td_string!(l, site_name));
    view! { <Title text=full /> }
}
