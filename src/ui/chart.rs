//! A chart with its caption and data table. The table and the one-line summary are rendered on
//! the server and are the whole content without JavaScript; the page script
//! (`public/scripts/page.js`) draws the chart above the table with the portal's ECharts build,
//! which it loads only on pages that have a chart.

use crate::charts::{ChartSpec, ECHARTS_URL};
use leptos::prelude::*;

#[component]
pub fn Chart(
    spec: ChartSpec,
    #[prop(into)] title: String,
    /// One plain sentence saying what the chart shows; also the chart's accessible name.
    #[prop(into)]
    summary: String,
    /// The same data as a table: the keyboard and screen-reader path, and the no-JS view.
    children: Children,
) -> impl IntoView {
    view! {
        <figure class="chart">
            <figcaption>
                <h3 class="chart__title">{title}</h3>
                <span class="chart__summary">{summary.clone()}</span>
            </figcaption>
            <div class="chart__canvas" id=spec.id role="img" aria-label=summary hidden
                data-option=spec.option_json data-height=spec.height_px data-library=ECHARTS_URL></div>
            {children()}
        </figure>
    }
}
