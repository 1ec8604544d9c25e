//! The page frame of a national service: skip link, header with the service name and language
//! switch, navigation, main content and footer.

use crate::i18n::*;
use crate::ui::site::SiteInfo;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let demo = use_context::<SiteInfo>().unwrap_or_default().demo;
    if use_location()
        .pathname
        .get_untracked()
        .starts_with("/counter")
    {
        return view! { <KioskLayout children /> }.into_any();
    }
    view! {
        <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
        <header class="site-header">
            <div class="site-header__inner">
                <a class="site-name" href="/">
                    <span class="site-name__title">{t!(i18n, site_name)}</span>
                    <span class="site-name__tagline">{t!(i18n, site_tagline)}</span>
                </a>
                <LanguageSwitch />
            </div>
            <nav class="site-nav" aria-label=move || t_string!(i18n, nav_label)>
                <ul>
                    <li><a href="/">{t!(i18n, nav_home)}</a></li>
                    <li><a href="/medications">{t!(i18n, nav_medications)}</a></li>
                    <li><a href="/checkups">{t!(i18n, nav_checkups)}</a></li>
                    <li><a href="/costs">{t!(i18n, nav_costs)}</a></li>
                    <li><a href="/insurance">{t!(i18n, nav_insurance)}</a></li>
                    <li><a href="/sign-in">{t!(i18n, nav_sign_in)}</a></li>
                    <li><a href="/consents">{t!(i18n, nav_consents)}</a></li>
                    <li><a href="/access-log">{t!(i18n, nav_access_log)}</a></li>
                    <li><a href="/proxies">{t!(i18n, nav_proxies)}</a></li>
                    <li><a href="/account">{t!(i18n, nav_account)}</a></li>
                </ul>
            </nav>
            <Show when=move || demo>
                <p class="demo-banner" role="note">{t!(i18n, demo_banner)}</p>
            </Show>
        </header>
        <crate::ui::idle_warning::IdleWarning />
        <main id="main" tabindex="-1" class="site-main">
            {children()}
        </main>
        <footer class="site-footer">
            <p>{t!(i18n, footer_privacy)}</p>
            <Show when=move || demo>
                <p>{t!(i18n, footer_demo)}</p>
            </Show>
            <p>{t!(i18n, footer_operator)}</p>
        </footer>
        <crate::ui::site::HydratedMark />
    }
    .into_any()
}

/// The frame of a reception terminal: the service and the language switch, nothing that leads
/// into anyone's records, no session warning (no patient is ever signed in here).
#[component]
fn KioskLayout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
        <header class="site-header site-header--kiosk">
            <div class="site-header__inner">
                <p class="site-name">
                    <span class="site-name__title">{t!(i18n, site_name)}</span>
                    <span class="site-name__tagline">{t!(i18n, page_counter)}</span>
                </p>
                <LanguageSwitch />
            </div>
        </header>
        <main id="main" tabindex="-1" class="site-main site-main--kiosk">
            {children()}
        </main>
        <crate::ui::site::HydratedMark />
    }
}

/// A plain form post that sets the language cookie and comes back to the same page, so it
/// works with and without JavaScript.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let back = move || {
        let path = location.pathname.get();
        let search = location.search.get();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    };
    let (to, lang) = match i18n.get_locale_untracked() {
        Locale::ja => ("en", "en"),
        Locale::en => ("ja", "ja"),
    };
    view! {
        <form class="language-switch" method="post" action="/locale">
            <input type="hidden" name="to" value=to />
            <input type="hidden" name="back" value=back />
            <span class="language-switch__label" id="language-label">
                {t!(i18n, language_label)}
            </span>
            <button
                type="submit"
                class="button button--secondary"
                lang=lang
                aria-describedby="language-label"
                title=move || t_string!(i18n, switch_language_hint)
            >
                {t!(i18n, switch_language)}
            </button>
        </form>
    }
}
