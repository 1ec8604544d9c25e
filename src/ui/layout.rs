//! The page frame of a national service: skip link, header with the service name and language
//! switch, navigation, main content and footer.

use crate::i18n::*;
use crate::masthead::Masthead;
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
    // The header is rendered on the server only (it is no island), from the login this request
    // checked before rendering.
    #[cfg(feature = "ssr")]
    let masthead = crate::viewer::masthead();
    #[cfg(not(feature = "ssr"))]
    let masthead: Option<Masthead> = None;
    let acting_for = masthead.as_ref().and_then(|m| m.acting_for.clone());
    // Only a signed-in person has a session to warn about, charts or a number to reveal.
    let signed_in = masthead.is_some();
    view! {
        <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
        <header class="site-header">
            <div class="site-header__inner">
                <a class="site-name" href="/">
                    <span class="site-name__title">{t!(i18n, site_name)}</span>
                    <span class="site-name__tagline">{t!(i18n, site_tagline)}</span>
                </a>
                <div class="site-header__tools">
                    {masthead.as_ref().map(|m| view! { <SignedIn name=m.name.clone() /> })}
                    <LanguageSwitch />
                </div>
            </div>
            {acting_for.map(|name| view! { <ActingBanner name /> })}
            <Navigation masthead=masthead.clone() />
            <Show when=move || demo>
                <p class="demo-banner" role="note">{t!(i18n, demo_banner)}</p>
            </Show>
        </header>
        {signed_in.then(|| view! { <crate::ui::idle_warning::IdleWarning /> })}
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
        {signed_in.then(|| view! { <crate::ui::scripts::PageScript /> })}
        <crate::ui::site::HydratedMark />
    }
    .into_any()
}

/// Who is signed in, and the way out: on every page, so no one leaves a shared computer
/// signed in for want of finding the button.
#[component]
fn SignedIn(name: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="signed-in">
            <p class="signed-in__name">
                {move || t_string!(i18n, masthead_signed_in, name = name.clone()).to_string()}
            </p>
            <form method="post" action="/api/auth/sign_out">
                <button type="submit" class="button button--secondary button--small">
                    {t!(i18n, sign_out)}
                </button>
            </form>
        </div>
    }
}

/// Whose records every page shows while the signed-in person acts for someone, and the way
/// back to their own (the same switch as on the proxies page).
#[component]
fn ActingBanner(name: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="acting-banner" role="region" aria-label=move || t_string!(i18n, masthead_acting_label)>
            <p class="acting-banner__text">
                {move || t_string!(i18n, masthead_acting, name = name.clone()).to_string()}
            </p>
            <form method="post" action="/proxies">
                <input type="hidden" name="action" value="act" />
                <input type="hidden" name="grant" value="self" />
                <button type="submit" class="button button--secondary button--small">
                    {t!(i18n, proxy_act_self)}
                </button>
            </form>
        </div>
    }
}

/// Only what this visitor may open: a visitor signed out is offered signing in and enrolling;
/// a signed-in person their records and controls; a proxy what their scope allows.
#[component]
fn Navigation(masthead: Option<Masthead>) -> impl IntoView {
    let i18n = use_i18n();
    let links = match &masthead {
        None => view! {
            <li><a href="/">{t!(i18n, nav_home)}</a></li>
            <li><a href="/sign-in">{t!(i18n, nav_sign_in)}</a></li>
            <li><a href="/enroll">{t!(i18n, nav_enroll)}</a></li>
        }
        .into_any(),
        Some(m) => {
            let acting = m.acting_for.is_some();
            let controls = m.may_manage_consent;
            view! {
                <li><a href="/">{t!(i18n, nav_home)}</a></li>
                <li><a href="/medications">{t!(i18n, nav_medications)}</a></li>
                <li><a href="/checkups">{t!(i18n, nav_checkups)}</a></li>
                <li><a href="/costs">{t!(i18n, nav_costs)}</a></li>
                <li><a href="/insurance">{t!(i18n, nav_insurance)}</a></li>
                <Show when=move || controls>
                    <li><a href="/consents">{t!(i18n, nav_consents)}</a></li>
                    <li><a href="/access-log">{t!(i18n, nav_access_log)}</a></li>
                </Show>
                <li><a href="/proxies">{t!(i18n, nav_proxies)}</a></li>
                <Show when=move || !acting>
                    <li><a href="/account">{t!(i18n, nav_account)}</a></li>
                </Show>
            }
            .into_any()
        }
    };
    view! {
        <nav class="site-nav" aria-label=move || t_string!(i18n, nav_label)>
            <ul>{links}</ul>
        </nav>
    }
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

/// Whether this page is shown to someone acting for the patient as their proxy: the page then
/// leaves out what only the patient may do (receipts, "not my record" reports). Always `false`
/// in the browser, where nothing that depends on it is rendered (the pages are no islands).
pub fn acting_now() -> bool {
    #[cfg(feature = "ssr")]
    {
        crate::viewer::masthead().is_some_and(|m| m.acting_for.is_some())
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}
