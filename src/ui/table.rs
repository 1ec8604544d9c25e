//! A data table as every page shows one: captioned, and scrolling inside its own focusable box
//! on narrow screens so the page itself never scrolls sideways (WCAG 1.4.10).

use leptos::prelude::*;

#[component]
pub fn DataTable(
    /// The caption's id, which also names the scroll region for screen readers.
    #[prop(into)]
    caption_id: String,
    #[prop(into)] caption: String,
    /// The `<thead>` and `<tbody>`.
    children: Children,
) -> impl IntoView {
    let region = caption_id.clone();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby=region>
            <table class="data-table">
                <caption id=caption_id>{caption}</caption>
                {children()}
            </table>
        </div>
    }
}
