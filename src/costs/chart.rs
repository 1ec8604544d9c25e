//! Monthly costs as bars stacked by type of care (inpatient, outpatient, dental, dispensing).

use super::MonthView;
use crate::charts::{ChartSpec, finish, narrow_screen};
use crate::domain::cost::ByCareType;
use crate::format::pick;
use crate::i18n::{Locale, td_string};
use charming::Chart;
use charming::component::{Axis, Grid, Legend};
use charming::element::{AxisLabel, AxisType};
use charming::series::Bar;
use serde_json::json;

pub fn monthly_chart(months: &[MonthView], year: i32, locale: Locale) -> ChartSpec {
    let labels: Vec<String> = months
        .iter()
        .map(|m| {
            let n: u32 = m.month.get(5..7).and_then(|s| s.parse().ok()).unwrap_or(0);
            match locale {
                Locale::ja => format!("{n}月"),
                Locale::en => [
                    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                    "Dec",
                ]
                .get(n.saturating_sub(1) as usize)
                .map_or_else(String::new, |s| (*s).to_owned()),
            }
        })
        .collect();
    let names: Vec<String> = ByCareType::ORDER
        .iter()
        .map(|t| pick(locale, t.label_ja(), t.label_en()))
        .collect();
    let mut chart = Chart::new()
        .legend(Legend::new().data(names.clone()).top(0))
        .grid(
            Grid::new()
                .left(8)
                .right(16)
                .top(40)
                .bottom(8)
                .contain_label(true),
        )
        .x_axis(Axis::new().type_(AxisType::Category).data(labels))
        .y_axis(
            Axis::new()
                .type_(AxisType::Value)
                .axis_label(AxisLabel::new().formatter(match locale {
                    Locale::ja => "{value}円",
                    Locale::en => "¥{value}",
                })),
        );
    for (i, name) in names.into_iter().enumerate() {
        chart = chart.series(
            Bar::new()
                .name(name)
                .stack("total")
                .data(months.iter().map(|m| m.by_type[i]).collect::<Vec<i64>>()),
        );
    }
    let description = td_string!(locale, costs_chart_description, year = year).to_string();
    finish("costs-monthly", 320, chart, &description, |option| {
        narrow_screen(
            option,
            json!({ "legend": { "itemGap": 4, "textStyle": { "fontSize": 11 } } }),
        );
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cost::MonthStatus;
    use serde_json::Value;

    fn month(m: &str, by_type: [i64; 4]) -> MonthView {
        MonthView {
            month: m.into(),
            by_type,
            total: by_type.iter().sum(),
            insurer_paid: 0,
            patient_paid: 0,
            notices: 1,
            status: MonthStatus::Complete,
        }
    }

    #[test]
    fn one_stacked_series_per_type_of_care() {
        let months = [
            month("2025-01", [0, 5_000, 0, 2_000]),
            month("2025-02", [300_000, 0, 8_000, 0]),
        ];
        let spec = monthly_chart(&months, 2025, Locale::ja);
        let all: Value = serde_json::from_str(&spec.option_json).unwrap_or_default();
        let v = &all["baseOption"];
        assert_eq!(v["xAxis"]["data"], json!(["1月", "2月"]));
        let series = v["series"].as_array().cloned().unwrap_or_default();
        assert_eq!(series.len(), 4);
        assert!(series.iter().all(|s| s["stack"] == "total"));
        assert_eq!(series[0]["name"], "入院");
        assert_eq!(series[0]["data"], json!([0, 300_000]));
        assert_eq!(series[3]["data"], json!([2_000, 0]));
        let en = monthly_chart(&months, 2025, Locale::en);
        assert!(en.option_json.contains("\"Feb\""));
    }
}
