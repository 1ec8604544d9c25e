//! What every chart shares: accessibility, CSP-safe tooltips, patterns besides colour, and the
//! few ECharts settings charming 0.6 cannot express.

use super::ChartSpec;
use charming::Chart;
use charming::component::{Aria, Decal};
use serde_json::{Value, json};

/// Colours from the Digital Agency palette that keep 3:1 contrast against white; decal
/// patterns distinguish the series for people who cannot tell the colours apart.
pub const PALETTE: [&str; 5] = ["#0031d8", "#c74700", "#197a4b", "#8843e1", "#6e6e6e"];

/// Turns a charming chart into the spec a page draws. `edit` sets what charming cannot express
/// (with [`option_set`], [`series_set`], [`narrow_screen`]) on the option before it is written
/// out, so the JSON is built once.
///
/// `description` becomes ECharts' aria description, read out by screen readers instead of the
/// auto-generated one (charming's `Aria::label` has the wrong type, so it is set here).
pub fn finish(
    id: &str,
    height_px: u32,
    chart: Chart,
    description: &str,
    edit: impl FnOnce(&mut Value),
) -> ChartSpec {
    let chart = chart.aria(Aria::new().enabled(true).decal(Decal::new().show(true)));
    let mut option = serde_json::to_value(&chart).unwrap_or(Value::Null);
    if let Some(o) = option.as_object_mut() {
        o.insert(
            "aria".into(),
            json!({ "enabled": true, "label": { "description": description }, "decal": { "show": true } }),
        );
        o.insert("color".into(), json!(PALETTE));
        // Rich-text tooltips draw on the canvas; HTML tooltips would need inline styles.
        let tooltip = o.entry("tooltip").or_insert_with(|| json!({}));
        if let Some(t) = tooltip.as_object_mut() {
            t.insert("renderMode".into(), json!("richText"));
            t.insert("confine".into(), json!(true));
        }
        o.insert("textStyle".into(), json!({ "fontFamily": "sans-serif" }));
    }
    numeric_mark_areas(&mut option);
    edit(&mut option);
    ChartSpec {
        id: id.to_owned(),
        height_px,
        option_json: option.to_string(),
    }
}

/// charming types mark-area coordinates as strings; on a value axis ECharts wants numbers.
fn numeric_mark_areas(option: &mut Value) {
    let Some(series) = option.get_mut("series").and_then(Value::as_array_mut) else {
        return;
    };
    for s in series {
        let Some(pairs) = s
            .pointer_mut("/markArea/data")
            .and_then(Value::as_array_mut)
        else {
            continue;
        };
        for corner in pairs
            .iter_mut()
            .flat_map(|p| p.as_array_mut().into_iter().flatten())
        {
            for axis in ["xAxis", "yAxis"] {
                if let Some(v) = corner.get_mut(axis)
                    && let Some(n) = v.as_str().and_then(|s| s.parse::<f64>().ok())
                {
                    *v = json!(n);
                }
            }
        }
    }
}

/// Sets a top-level option charming lacks (e.g. `useUTC`).
pub fn option_set(option: &mut Value, key: &str, value: Value) {
    if let Some(o) = option.as_object_mut() {
        o.insert(key.to_owned(), value);
    }
}

/// Options that apply only when the chart is narrower than 480 px (ECharts media queries).
/// Call last: it moves the whole option under `baseOption`.
pub fn narrow_screen(option: &mut Value, narrow: Value) {
    let base = option.take();
    *option = json!({
        "baseOption": base,
        "media": [{ "query": { "maxWidth": 480 }, "option": narrow }]
    });
}

/// Sets a key the charming type lacks on the series at `index` (e.g. `silent` on a spacer).
pub fn series_set(option: &mut Value, index: usize, key: &str, value: Value) {
    if let Some(s) = option
        .pointer_mut(&format!("/series/{index}"))
        .and_then(Value::as_object_mut)
    {
        s.insert(key.to_owned(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use charming::element::MarkArea;
    use charming::element::mark_area::MarkAreaData;
    use charming::series::Line;

    #[test]
    fn finish_adds_accessibility_and_csp_safe_tooltips() {
        let chart = Chart::new().series(Line::new().data(vec![1, 2]).mark_area(
            MarkArea::new().data(vec![(
                MarkAreaData::new().y_axis("130"),
                MarkAreaData::new().y_axis("140.5"),
            )]),
        ));
        let spec = finish("c1", 300, chart, "血圧の推移", |_| {});
        let v: Value = serde_json::from_str(&spec.option_json).unwrap_or_default();
        assert_eq!(v["aria"]["label"]["description"], "血圧の推移");
        assert_eq!(v["aria"]["decal"]["show"], true);
        assert_eq!(v["tooltip"]["renderMode"], "richText");
        assert_eq!(v["series"][0]["markArea"]["data"][0][0]["yAxis"], 130.0);
        assert_eq!(v["series"][0]["markArea"]["data"][0][1]["yAxis"], 140.5);
        assert_eq!(spec.id, "c1");
    }
}
