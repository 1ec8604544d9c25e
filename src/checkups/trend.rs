//! Each item's values over the fiscal years, as a line with the two official bands shaded
//! behind it (保健指導判定値 and 受診勧奨判定値), and the same values for the table.

use super::summary::shown;
use super::{TREND_ITEMS, Trend, TrendPoint};
use crate::charts::{ChartSpec, finish, series_set};
use crate::domain::checkup::{CheckupItem, CheckupValue, Direction, classify_value};
use crate::domain::person::Sex;
use crate::format::pick;
use crate::i18n::{Locale, td_string};
use crate::storage::checkups::Checkup;
use charming::Chart;
use charming::component::{Axis, Grid};
use charming::element::mark_area::MarkAreaData;
use charming::element::{AxisType, ItemStyle, Label, LabelPosition, MarkArea};
use charming::series::Line;

const GUIDANCE_FILL: &str = "rgba(255, 212, 61, 0.35)";
const SEE_DOCTOR_FILL: &str = "rgba(206, 0, 0, 0.15)";

pub fn trends(history: &[Checkup], sex: Sex, locale: Locale) -> Vec<Trend> {
    TREND_ITEMS
        .into_iter()
        .filter_map(|item| {
            let values: Vec<(&Checkup, CheckupValue)> = history
                .iter()
                .filter_map(|c| {
                    c.results
                        .iter()
                        .find(|r| r.item() == item)
                        .map(|r| (c, r.value()))
                })
                .collect();
            if values.is_empty() {
                return None;
            }
            let points = values
                .iter()
                .map(|(c, v)| TrendPoint {
                    fiscal_year: c.fiscal_year,
                    examined_on: c.examined_on,
                    value: shown(v),
                    band: classify_value(item, sex, v),
                })
                .collect();
            let numbers: Vec<(i32, f64)> = values
                .iter()
                .filter_map(|(c, v)| match v {
                    CheckupValue::Number(n) => Some((c.fiscal_year, *n)),
                    CheckupValue::Urine(_) => None,
                })
                .collect();
            let chart = (!numbers.is_empty()).then(|| chart(item, sex, &numbers, locale));
            Some(Trend {
                item,
                points,
                chart,
            })
        })
        .collect()
}

/// A y range that shows every value and both bands with some air, and the step between its
/// labels: both ends are multiples of a 1-2-5 step, so every label is a round number (an end
/// that is not, like 27.2 over labels every 0.5, is drawn beside the nearest one and collides).
fn y_range(values: &[f64], cutoffs: &[f64], direction: Direction) -> (f64, f64, f64) {
    let all = values.iter().chain(cutoffs);
    let hi = all.clone().fold(f64::MIN, |a, &b| a.max(b));
    let lo = all.fold(f64::MAX, |a, &b| a.min(b));
    let span = (hi - lo).max(hi.abs() * 0.1).max(1.0);
    let step = nice_step(span / 4.0);
    let max = ((hi + span * 0.15) / step).ceil() * step;
    let min = match direction {
        // Lower-is-worse bands run down to zero, so the axis must too.
        Direction::LowerIsWorse => 0.0,
        Direction::HigherIsWorse => (((lo - span * 0.15) / step).floor() * step).max(0.0),
    };
    // Round away float noise (27.200000000000003) so the axis labels read cleanly.
    let clean = |x: f64| (x * 1000.0).round() / 1000.0;
    (clean(min), clean(max), clean(step))
}

/// The 1, 2 or 5 times a power of ten at or above `rough`.
fn nice_step(rough: f64) -> f64 {
    let magnitude = 10f64.powf(rough.log10().floor());
    let nice = match rough / magnitude {
        f if f <= 1.0 => 1.0,
        f if f <= 2.0 => 2.0,
        f if f <= 5.0 => 5.0,
        _ => 10.0,
    };
    nice * magnitude
}

fn band(name: String, from: f64, to: f64) -> (MarkAreaData, MarkAreaData) {
    (
        MarkAreaData::new().name(name).y_axis(from.to_string()),
        MarkAreaData::new().y_axis(to.to_string()),
    )
}

pub fn chart(item: CheckupItem, sex: Sex, values: &[(i32, f64)], locale: Locale) -> ChartSpec {
    let name = pick(locale, item.label_ja(), item.label_en());
    let threshold = item.threshold(sex);
    let cutoffs: Vec<f64> = threshold
        .iter()
        .flat_map(|t| std::iter::once(t.guidance.bound).chain(t.see_doctor.map(|c| c.bound)))
        .collect();
    let numbers: Vec<f64> = values.iter().map(|(_, v)| *v).collect();
    let direction = threshold.map_or(Direction::HigherIsWorse, |t| t.direction);
    let (min, max, step) = y_range(&numbers, &cutoffs, direction);
    let guidance_label = td_string!(locale, checkups_band_guidance).to_string();
    let see_doctor_label = td_string!(locale, checkups_band_see_doctor).to_string();
    let see_doctor_name = see_doctor_label.clone();
    let mut guidance_bands = Vec::new();
    let mut see_doctor_bands = Vec::new();
    if let Some(t) = threshold {
        let g = t.guidance.bound;
        match (t.direction, t.see_doctor) {
            (Direction::HigherIsWorse, Some(s)) => {
                guidance_bands.push(band(guidance_label, g, s.bound));
                see_doctor_bands.push(band(see_doctor_label, s.bound, max));
            }
            (Direction::HigherIsWorse, None) => {
                guidance_bands.push(band(guidance_label, g, max));
            }
            (Direction::LowerIsWorse, Some(s)) => {
                guidance_bands.push(band(guidance_label, s.bound, g));
                see_doctor_bands.push(band(see_doctor_label, min, s.bound));
            }
            (Direction::LowerIsWorse, None) => {
                guidance_bands.push(band(guidance_label, min, g));
            }
        }
    }
    let unit = item.unit();
    let mut chart = Chart::new()
        .grid(
            Grid::new()
                .left(8)
                .right(16)
                .top(24)
                .bottom(8)
                .contain_label(true),
        )
        .x_axis(
            Axis::new().type_(AxisType::Category).data(
                values
                    .iter()
                    .map(|(fy, _)| crate::format::fiscal_year(locale, *fy))
                    .collect(),
            ),
        )
        .y_axis(
            Axis::new()
                .type_(AxisType::Value)
                .min(min)
                .max(max)
                .interval(step)
                .name(unit),
        )
        .series(
            Line::new()
                .name(name.clone())
                .symbol_size(10)
                .label(Label::new().show(true).position(LabelPosition::Top))
                .data(numbers)
                .mark_area(
                    MarkArea::new()
                        .silent(true)
                        .item_style(ItemStyle::new().color(GUIDANCE_FILL))
                        .label(
                            Label::new()
                                .position(LabelPosition::InsideTopRight)
                                .color("#4d4d4d"),
                        )
                        .data(guidance_bands),
                ),
        );
    if !see_doctor_bands.is_empty() {
        // A second, empty series carries the other band so each band has its own colour.
        chart = chart.series(
            Line::new()
                .name(see_doctor_name)
                .data(Vec::<f64>::new())
                .mark_area(
                    MarkArea::new()
                        .silent(true)
                        .item_style(ItemStyle::new().color(SEE_DOCTOR_FILL))
                        .label(
                            Label::new()
                                .position(LabelPosition::InsideTopRight)
                                .color("#4d4d4d"),
                        )
                        .data(see_doctor_bands),
                ),
        );
    }
    let description = td_string!(locale, checkups_chart_description, item = name).to_string();
    finish(
        &format!("trend-{}", item.code()),
        220,
        chart,
        &description,
        // Ten years of values at 320 px would print their labels over each other; ECharts drops
        // the ones that would overlap (the table and the tooltip keep every value).
        |option| {
            series_set(
                option,
                0,
                "labelLayout",
                serde_json::json!({ "hideOverlap": true }),
            )
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn option(item: CheckupItem, sex: Sex, values: &[(i32, f64)]) -> Value {
        let spec = chart(item, sex, values, Locale::ja);
        serde_json::from_str(&spec.option_json).unwrap_or_default()
    }

    #[test]
    fn higher_is_worse_items_shade_from_each_cut_off_upwards() {
        let v = option(
            CheckupItem::Hba1c,
            Sex::Male,
            &[(2023, 5.4), (2024, 5.9), (2025, 6.6)],
        );
        let guidance = &v["series"][0]["markArea"]["data"][0];
        assert_eq!(guidance[0]["yAxis"], 5.6);
        assert_eq!(guidance[1]["yAxis"], 6.5);
        let see_doctor = &v["series"][1]["markArea"]["data"][0];
        assert_eq!(see_doctor[0]["yAxis"], 6.5);
        assert_eq!(see_doctor[1]["yAxis"], v["yAxis"]["max"]);
        assert_eq!(v["xAxis"]["data"][2], "2025年度");
        assert_eq!(v["series"][0]["data"][1], 5.9);
        assert!(v["yAxis"]["max"].as_f64().unwrap_or_default() > 6.6);
        assert_eq!(v["series"][0]["labelLayout"]["hideOverlap"], true);
    }

    #[test]
    fn lower_is_worse_items_shade_downwards_to_zero() {
        let v = option(CheckupItem::Hdl, Sex::Female, &[(2024, 55.0), (2025, 38.0)]);
        let guidance = &v["series"][0]["markArea"]["data"][0];
        assert_eq!(
            (guidance[0]["yAxis"].clone(), guidance[1]["yAxis"].clone()),
            (34.0.into(), 40.0.into())
        );
        let see_doctor = &v["series"][1]["markArea"]["data"][0];
        assert_eq!(
            (
                see_doctor[0]["yAxis"].clone(),
                see_doctor[1]["yAxis"].clone()
            ),
            (0.0.into(), 34.0.into())
        );
        assert_eq!(v["yAxis"]["min"], 0.0);
    }

    #[test]
    fn waist_bands_follow_sex_and_have_no_see_doctor_level() {
        let men = option(CheckupItem::Waist, Sex::Male, &[(2025, 84.0)]);
        let women = option(CheckupItem::Waist, Sex::Female, &[(2025, 84.0)]);
        assert_eq!(men["series"][0]["markArea"]["data"][0][0]["yAxis"], 85.0);
        assert_eq!(women["series"][0]["markArea"]["data"][0][0]["yAxis"], 90.0);
        assert_eq!(men["series"].as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn y_range_holds_values_and_cut_offs() {
        let (min, max, _) = y_range(&[120.0, 150.0], &[130.0, 140.0], Direction::HigherIsWorse);
        assert!(min <= 120.0 && max > 150.0, "{min}..{max}");
        let (min, _, _) = y_range(&[2.0], &[60.0, 45.0], Direction::LowerIsWorse);
        assert_eq!(min, 0.0);
    }

    #[test]
    fn both_ends_of_the_y_axis_are_labels() {
        // The BMI history that drew "27.2" on top of "27" (labels every 0.5).
        let cases: [(&[f64], &[f64], Direction); 4] = [
            (
                &[25.3, 25.9, 26.4, 26.7, 26.4],
                &[25.0],
                Direction::HigherIsWorse,
            ),
            (
                &[118.0, 131.0, 142.0],
                &[130.0, 140.0],
                Direction::HigherIsWorse,
            ),
            (&[5.4, 5.9, 6.6], &[5.6, 6.5], Direction::HigherIsWorse),
            (&[38.0, 52.0], &[40.0, 35.0], Direction::LowerIsWorse),
        ];
        for (values, cutoffs, direction) in cases {
            let (min, max, step) = y_range(values, cutoffs, direction);
            let labels = (max - min) / step;
            assert!(
                (labels - labels.round()).abs() < 1e-9,
                "{min}..{max} by {step}"
            );
            assert!(
                (3.0..=12.0).contains(&labels.round()),
                "{min}..{max} by {step}"
            );
            assert!(
                [1.0, 2.0, 5.0].iter().any(|n| {
                    let m = step / n;
                    (m.log10() - m.log10().round()).abs() < 1e-9
                }),
                "step {step}"
            );
            let v = values.iter().chain(cutoffs);
            assert!(v.clone().all(|x| (min..=max).contains(x)), "{min}..{max}");
        }
        assert_eq!(nice_step(0.13), 0.2);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(10.0), 10.0);
    }
}
