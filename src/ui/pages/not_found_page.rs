//! The page for an address that leads nowhere; answered with status 404.

use crate::i18n::*;
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    let request_id = use_context::<crate::ui::site::SiteInfo>()
        .unwrap_or_default()
        .request_id;
    view! {
        <PageTitle text=t_string!(i18n, page_not_found).to_string() />
        <h1>{t!(i18n, page_not_found)}</h1>
        <p>{t!(i18n, not_found_lead)}</p>
        <p><a href="/">{t!(i18n, back_home)}</a></p>
        <p class="hint">{t!(i18n, error_request_id)}": "<code class="request-id">{request_id}</code></p>
    }
}
