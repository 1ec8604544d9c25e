//! The HTML document and the route table.

use crate::i18n::I18nContextProvider;
use crate::ui::layout::Layout;
use crate::ui::pages::{
    access_log_page::AccessLogPage, access_report_page::AccessReportPage,
    account_page::AccountPage, checkups_page::CheckupsPage, consent_page::ConsentPage,
    cost_correction_page::CostCorrectionPage, costs_page::CostsPage, counter_page::CounterPage,
    enroll_page::EnrollPage, home_page::HomePage, insurance_page::InsurancePage,
    medications_page::MedicationsPage, not_found_page::NotFoundPage, proxies_page::ProxiesPage,
    report_page::ReportPage, sign_in_page::SignInPage,
};
use crate::ui::site::SiteInfo;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let wasm = crate::ui::scripts::this_page_loads_wasm();
    #[cfg(not(feature = "ssr"))]
    let wasm = true;
    #[cfg(feature = "ssr")]
    set_page_csp(wasm);
    if !wasm {
        // The hydration scripts would say this: outside islands nothing is hydrated, so the
        // HTML needs no hydration markers.
        if let Some(context) = Owner::current_shared_context() {
            context.set_is_hydrating(false);
        }
    }
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="robots" content="noindex, nofollow" />
                <meta name="color-scheme" content="light" />
                // The build names the stylesheet by its content hash (see server::assets).
                <HashedStylesheet options=options.clone() />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                {wasm.then(|| view! { <HydrationScripts options islands=true /> })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    #[cfg(feature = "ssr")]
    let site = use_context::<crate::state::AppState>()
        .map(|s| SiteInfo {
            demo: s.settings.demo,
            request_id: crate::request::request_id(),
        })
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let site = SiteInfo::default();
    provide_context(site);

    view! {
        <I18nContextProvider>
            <Router>
                <Layout>
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                        <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async />
                        <Route path=path!("/enroll") view=EnrollPage ssr=SsrMode::Async />
                        <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                        <Route path=path!("/access-log") view=AccessLogPage ssr=SsrMode::Async />
                        <Route path=path!("/access-log/report") view=AccessReportPage ssr=SsrMode::Async />
                        <Route path=path!("/consents") view=ConsentPage ssr=SsrMode::Async />
                        <Route path=path!("/counter") view=CounterPage ssr=SsrMode::Async />
                        <Route path=path!("/medications") view=MedicationsPage ssr=SsrMode::Async />
                        <Route path=path!("/checkups") view=CheckupsPage ssr=SsrMode::Async />
                        <Route path=path!("/costs") view=CostsPage ssr=SsrMode::Async />
                        <Route path=path!("/costs/correction") view=CostCorrectionPage ssr=SsrMode::Async />
                        <Route path=path!("/report") view=ReportPage ssr=SsrMode::Async />
                        <Route path=path!("/insurance") view=InsurancePage ssr=SsrMode::Async />
                        <Route path=path!("/proxies") view=ProxiesPage ssr=SsrMode::Async />
                    </Routes>
                </Layout>
            </Router>
        </I18nContextProvider>
    }
}

/// Sets the page's Content-Security-Policy with this request's nonce: only scripts carrying
/// the nonce (the hydration loader, the page script) and what they load may run; WebAssembly
/// needs 'wasm-unsafe-eval', allowed only on pages that load it; no inline styles.
#[cfg(feature = "ssr")]
fn set_page_csp(wasm: bool) {
    use leptos::prelude::use_context;
    let Some(res) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let nonce = leptos::nonce::use_nonce()
        .map(|n| n.to_string())
        .unwrap_or_default();
    let wasm = if wasm { " 'wasm-unsafe-eval'" } else { "" };
    let csp = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic'{wasm}; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(v) = http::HeaderValue::from_str(&csp) {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
    }
}
