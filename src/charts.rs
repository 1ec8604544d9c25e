//! Charts: each records page builds its chart options on the server with charming and sends
//! them as JSON; the browser hands them to ECharts (see `ui::chart`). Keeping charming out of
//! the WebAssembly keeps the download small, and options built here are plain data that unit
//! tests can read.
//!
//! Content-Security-Policy: ECharts draws on a canvas and its tooltips render as rich text on
//! that canvas (`tooltip.renderMode = "richText"`), so no inline style attribute is ever
//! needed and `style-src 'self'` stays strict. Labels are formatted here, never by JavaScript
//! callbacks in the options.

use serde::{Deserialize, Serialize};

/// One chart as the page needs it: where to draw, how tall, and the ECharts option as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartSpec {
    /// The DOM id of the drawing area; unique on its page.
    pub id: String,
    pub height_px: u32,
    pub option_json: String,
}

/// The portal's own ECharts build (only the parts the charts use) that
/// `scripts/vendor-echarts.mjs` writes; the version must match package.json (a test checks).
pub const ECHARTS_URL: &str = "/vendor/echarts-6.1.0-portal.js";

#[cfg(feature = "ssr")]
mod options;
#[cfg(feature = "ssr")]
pub use options::*;

#[cfg(test)]
mod tests {
    #[test]
    fn echarts_url_matches_the_pinned_npm_version() {
        let pkg = include_str!("../package.json");
        let json: serde_json::Value = serde_json::from_str(pkg).unwrap_or_default();
        let version = json["devDependencies"]["echarts"]
            .as_str()
            .unwrap_or("missing");
        assert_eq!(
            super::ECHARTS_URL,
            format!("/vendor/echarts-{version}-portal.js")
        );
    }
}
