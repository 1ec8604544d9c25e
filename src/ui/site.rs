//! What every page may ask of the running portal, and the mark that its islands are hydrated.

use leptos::prelude::*;

/// Facts about this running portal that the server-rendered pages need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteInfo {
    pub demo: bool,
    /// This page's request id, shown on error pages so support can find the log lines.
    pub request_id: String,
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
