//! The timeline chart: one row per drug, a bar for each stretch of days supplied.
//!
//! ECharts cannot stack bars on a time axis, so the bars sit on a hidden value axis counting
//! days since 1970-01-01, and a time axis over exactly the same span, drawn in UTC, carries the
//! date labels (no JavaScript formatter needed). Each row is a stack of alternating invisible
//! spacers and visible bars.

use crate::charts::{ChartSpec, finish, narrow_screen, option_set, series_set};
use crate::i18n::{Locale, td_string};
use charming::Chart;
use charming::component::{Axis, Grid};
use charming::element::{AxisType, ItemStyle, SplitLine};
use charming::series::Bar;
use chrono::{Datelike, Days, NaiveDate};
use serde_json::json;

/// One drug's row: its label and its episodes as inclusive (first day, last day) pairs.
pub struct Row {
    pub label: String,
    pub episodes: Vec<(NaiveDate, NaiveDate)>,
}

/// Days since 1970-01-01: linear in time, so it lines up with the time axis exactly.
pub fn day_number(d: NaiveDate) -> f64 {
    f64::from(d.num_days_from_ce() - UNIX_EPOCH_DAYS_FROM_CE)
}

const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;
const MS_PER_DAY: f64 = 86_400_000.0;

/// Builds the chart for the period `from..=to`; `claims_may_lag_from` starts the shaded
/// stretch that insurance claims may not cover yet.
pub fn chart(
    rows: &[Row],
    from: NaiveDate,
    to: NaiveDate,
    claims_may_lag_from: NaiveDate,
    locale: Locale,
    description: &str,
) -> ChartSpec {
    let start = day_number(from);
    let end = day_number(to.checked_add_days(Days::new(1)).unwrap_or(to));
    // Episodes clipped to the period, as (start, end-exclusive) in day numbers.
    let clipped: Vec<Vec<(f64, f64)>> = rows
        .iter()
        .map(|r| {
            r.episodes
                .iter()
                .filter(|(a, b)| *b >= from && *a <= to)
                .map(|(a, b)| {
                    let a = day_number((*a).max(from));
                    let b = day_number(b.checked_add_days(Days::new(1)).unwrap_or(*b)).min(end);
                    (a, b)
                })
                .collect()
        })
        .collect();
    let depth = clipped.iter().map(Vec::len).max().unwrap_or(0);
    let mut chart = Chart::new()
        .grid(
            Grid::new()
                .left("3%")
                .right("4%")
                .top(30)
                .bottom(30)
                .contain_label(true),
        )
        .x_axis(
            Axis::new()
                .type_(AxisType::Value)
                .min(start)
                .max(end)
                .show(false),
        )
        .x_axis(
            Axis::new()
                .type_(AxisType::Time)
                .min(start * MS_PER_DAY)
                .max(end * MS_PER_DAY)
                .position("bottom")
                .split_line(SplitLine::new().show(true)),
        )
        .y_axis(
            Axis::new()
                .type_(AxisType::Category)
                .inverse(true)
                .data(rows.iter().map(|r| r.label.clone()).collect()),
        );
    let mut spacer_indices = Vec::new();
    for k in 0..depth {
        let (spacers, bars): (Vec<f64>, Vec<f64>) = clipped
            .iter()
            .map(|eps| match eps.get(k) {
                Some(&(a, b)) => {
                    let previous_end = k
                        .checked_sub(1)
                        .and_then(|j| eps.get(j))
                        .map_or(0.0, |e| e.1);
                    (a - previous_end, b - a)
                }
                None => (0.0, 0.0),
            })
            .unzip();
        spacer_indices.push(2 * k);
        chart = chart.series(
            Bar::new()
                .stack("timeline")
                .item_style(ItemStyle::new().color("transparent"))
                .data(spacers),
        );
        chart = chart.series(
            Bar::new()
                .name(td_string!(locale, meds_chart_supplied).to_string())
                .stack("timeline")
                .bar_width("60%")
                .data(bars),
        );
    }
    let height = u32::try_from(rows.len())
        .unwrap_or(u32::MAX)
        .saturating_mul(28)
        .saturating_add(90);
    let lag = (depth > 0 && claims_may_lag_from <= to).then(|| {
        json!({
            "silent": true,
            "itemStyle": { "color": "rgba(110,110,110,0.15)" },
            "label": { "formatter": td_string!(locale, meds_chart_lag).to_string() },
            "data": [[
                { "xAxis": day_number(claims_may_lag_from.max(from)) },
                { "xAxis": end }
            ]]
        })
    });
    finish(
        "meds-timeline",
        height.min(2000),
        chart,
        description,
        |option| {
            if let Some(lag) = lag {
                // charming's Bar has no mark area; the shading sits on the first visible series.
                series_set(option, 1, "markArea", lag);
            }
            // Dates on the time axis are calendar days, so they are drawn in UTC, not the viewer's
            // zone.
            option_set(option, "useUTC", json!(true));
            for i in spacer_indices {
                // Spacers only position the bars: no hover, no tooltip, no decal, not read out.
                series_set(option, i, "silent", json!(true));
                series_set(option, i, "tooltip", json!({ "show": false }));
                series_set(
                    option,
                    i,
                    "itemStyle",
                    json!({ "color": "transparent", "decal": { "symbol": "none" } }),
                );
            }
            // On a phone, long drug names would leave no room for the bars: cut them short there
            // (the table below has them in full).
            narrow_screen(
                option,
                json!({ "yAxis": { "axisLabel": { "width": 96, "overflow": "truncate" } } }),
            );
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn day_numbers_count_from_1970() {
        assert_eq!(day_number(day(1970, 1, 1)), 0.0);
        assert_eq!(day_number(day(2024, 1, 1)), 19_723.0);
        assert_eq!(
            day_number(day(2024, 3, 1)) - day_number(day(2024, 2, 28)),
            2.0
        );
    }

    #[test]
    fn rows_become_stacks_of_spacers_and_bars() {
        let rows = [
            Row {
                label: "アムロジピン".into(),
                episodes: vec![
                    (day(2025, 1, 1), day(2025, 3, 31)),
                    (day(2025, 7, 1), day(2025, 7, 30)),
                ],
            },
            Row {
                label: "ロキソプロフェン".into(),
                episodes: vec![(day(2024, 6, 1), day(2024, 6, 7))],
            },
        ];
        let spec = chart(
            &rows,
            day(2024, 1, 1),
            day(2025, 12, 31),
            day(2025, 11, 1),
            Locale::ja,
            "説明",
        );
        let all: Value = serde_json::from_str(&spec.option_json).unwrap_or_default();
        assert_eq!(
            all["media"][0]["option"]["yAxis"]["axisLabel"]["overflow"],
            "truncate"
        );
        let v = &all["baseOption"];
        let series = v["series"].as_array().cloned().unwrap_or_default();
        assert_eq!(
            series.len(),
            4,
            "two episodes deep: spacer, bar, spacer, bar"
        );
        assert_eq!(series[0]["silent"], true);
        assert_eq!(series[0]["itemStyle"]["decal"]["symbol"], "none");
        // Row one: the first bar starts on 1 January 2025 and covers 90 days.
        assert_eq!(series[0]["data"][0], day_number(day(2025, 1, 1)));
        assert_eq!(series[1]["data"][0], 90.0);
        // The second spacer runs from 1 April (the day after the first episode) to 1 July.
        assert_eq!(series[2]["data"][0], 91.0);
        assert_eq!(series[3]["data"][0], 30.0);
        // Row two has one episode only.
        assert_eq!(series[1]["data"][1], 7.0);
        assert_eq!(series[3]["data"][1], 0.0);
        assert_eq!(v["yAxis"]["data"][1], "ロキソプロフェン");
        assert_eq!(v["xAxis"][0]["min"], day_number(day(2024, 1, 1)));
        assert_eq!(
            v["xAxis"][1]["min"],
            day_number(day(2024, 1, 1)) * MS_PER_DAY
        );
        assert_eq!(
            v["xAxis"][1]["max"],
            day_number(day(2026, 1, 1)) * MS_PER_DAY
        );
        assert_eq!(v["useUTC"], true);
        let lag = &series[1]["markArea"]["data"][0];
        assert_eq!(lag[0]["xAxis"], day_number(day(2025, 11, 1)));
        assert_eq!(spec.height_px, 2 * 28 + 90);
    }

    #[test]
    fn episodes_outside_the_period_are_clipped() {
        let rows = [Row {
            label: "A".into(),
            episodes: vec![
                (day(2023, 12, 1), day(2024, 1, 31)),
                (day(2026, 1, 1), day(2026, 2, 1)),
            ],
        }];
        let spec = chart(
            &rows,
            day(2024, 1, 1),
            day(2024, 12, 31),
            day(2025, 11, 1),
            Locale::en,
            "d",
        );
        let all: Value = serde_json::from_str(&spec.option_json).unwrap_or_default();
        let v = &all["baseOption"];
        assert_eq!(v["series"].as_array().map(Vec::len), Some(2));
        assert_eq!(
            v["series"][0]["data"][0],
            day_number(day(2024, 1, 1)),
            "starts on the period's first day"
        );
        assert_eq!(v["series"][1]["data"][0], 31.0);
        assert!(
            v["series"][1]["markArea"].is_null(),
            "the lag is after the period"
        );
    }
}
