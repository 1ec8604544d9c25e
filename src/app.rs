//! The HTML document and the route table.

use crate::i18n::I18nContextProvider;
use crate::ui::layout::Layout;
use crate::ui::pages::{
    account_page::AccountPage, checkups_page::CheckupsPage, costs_page::CostsPage,
    enroll_page::EnrollPage, home_page::HomePage, insurance_page::InsurancePage,
    medications_page::MedicationsPage, not_found_page::NotFoundPage, report_page::ReportPage,
    sign_in_page::SignInPage,
};
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// Facts about this running portal that the server-rendered pages need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteInfo {
    pub demo: bool,
    /// This page's request id, shown on error pages so support can find the log lines.
    pub request_id: String,
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::headers::set_page_csp();
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
                <HydrationScripts options islands=true />
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
            request_id: crate::viewer::request_id(),
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
                        <Route path=path!("/medications") view=MedicationsPage ssr=SsrMode::Async />
                        <Route path=path!("/checkups") view=CheckupsPage ssr=SsrMode::Async />
                        <Route path=path!("/costs") view=CostsPage ssr=SsrMode::Async />
                        <Route path=path!("/report") view=ReportPage ssr=SsrMode::Async />
                        <Route path=path!("/insurance") view=InsurancePage ssr=SsrMode::Async />
                    </Routes>
                </Layout>
            </Router>
        </I18nContextProvider>
    }
}

/// Marks the document once the islands are hydrated, for end-to-end tests that use controls
/// needing scripts. It is the last island on every page and islands hydrate in document order.
#[island]
pub fn HydratedMark() -> impl IntoView {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
