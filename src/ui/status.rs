//! What a page shows when it cannot show its content.

use crate::error::PortalError;
use crate::i18n::*;
use leptos::prelude::*;

/// An error in the reader's language with the request id support staff can look up.
#[component]
pub fn ErrorPanel(error: PortalError) -> impl IntoView {
    let i18n = use_i18n();
    let request_id = match &error {
        PortalError::Internal { request_id } => Some(request_id.clone()),
        _ => None,
    };
    view! {
        <section class="notice notice--error" role="alert" aria-labelledby="error-heading">
            <h2 id="error-heading">{t!(i18n, page_error)}</h2>
            <p>{t!(i18n, error_lead)}</p>
            {request_id.map(|id| view! {
                <p>{t!(i18n, error_request_id)}": "<code class="request-id">{id}</code></p>
            })}
        </section>
    }
}
