//! Table tests for monthly and yearly cost totals.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::domain::institution::InstitutionCode;
use crate::domain::source::RecordSource;

fn m(s: &str) -> CareMonth {
    CareMonth::parse(s).unwrap()
}

fn notice(month: &str, care_type: CareType, total: i64, insurer: i64, patient: i64) -> CostNotice {
    CostNotice {
        care_month: m(month),
        institution: InstitutionCode::parse("1310123455").unwrap(),
        care_type,
        days: 1,
        total: yen(total),
        insurer_paid: yen(insurer),
        patient_paid: yen(patient),
        source: RecordSource::CostNotice,
    }
}

fn a(total: i64, insurer: i64, patient: i64) -> Amounts {
    Amounts {
        total: yen(total),
        insurer_paid: yen(insurer),
        patient_paid: yen(patient),
    }
}

#[test]
fn month_calendar() {
    let cases = [
        ("2024-01", "2024-02", "2024-01-31"),
        ("2024-02", "2024-03", "2024-02-29"),
        ("2023-02", "2023-03", "2023-02-28"),
        ("2024-04", "2024-05", "2024-04-30"),
        ("2024-12", "2025-01", "2024-12-31"),
    ];
    for (month, next, end) in cases {
        let got = (
            next_month(m(month)).unwrap().to_string(),
            month_end(m(month)).to_string(),
        );
        assert_eq!(got, (next.to_owned(), end.to_owned()), "{month}");
    }
    assert_eq!(next_month(m("2999-12")), None);
    let months: Vec<String> = months_between(m("2024-11"), m("2025-02"))
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(months, ["2024-11", "2024-12", "2025-01", "2025-02"]);
    assert_eq!(months_between(m("2024-05"), m("2024-05")), [m("2024-05")]);
    assert!(months_between(m("2024-06"), m("2024-05")).is_empty());
    assert_eq!(months_between(m("2999-11"), m("2999-12")).len(), 2);
}

#[test]
fn monthly_totals_fill_gaps_and_split_by_type() {
    use CareType::*;
    let notices = [
        notice("2024-03", Dispensing, 4_000, 2_800, 1_200),
        notice("2024-01", Outpatient, 10_000, 7_000, 3_000),
        notice("2024-01", Outpatient, 2_000, 1_400, 600),
        notice("2024-01", Dental, 5_000, 3_500, 1_500),
        // 公費 pays 20,000 of this stay: total exceeds insurer plus patient.
        notice("2024-03", Inpatient, 300_000, 210_000, 70_000),
    ];
    let got = monthly_costs(&notices);
    let months: Vec<(String, usize)> = got
        .iter()
        .map(|c| (c.month.to_string(), c.notices))
        .collect();
    assert_eq!(
        months,
        [
            ("2024-01".into(), 3),
            ("2024-02".into(), 0),
            ("2024-03".into(), 2)
        ]
    );
    let jan = got[0];
    assert_eq!(jan.by_type.outpatient, a(12_000, 8_400, 3_600));
    assert_eq!(jan.by_type.dental, a(5_000, 3_500, 1_500));
    assert_eq!(jan.by_type.get(Inpatient), Amounts::default());
    assert_eq!(jan.total, a(17_000, 11_900, 5_100));
    assert_eq!(got[1].total, Amounts::default());
    assert_eq!(got[2].total, a(304_000, 212_800, 71_200));
    let order: Vec<CareType> = got[2].by_type.iter().map(|(t, _)| t).collect();
    assert_eq!(order, ByCareType::ORDER);
    assert_eq!(
        got[2].by_type.iter().nth(3).unwrap().1,
        a(4_000, 2_800, 1_200)
    );
    assert!(monthly_costs(&[]).is_empty());
}

#[test]
fn window_ignores_outside_notices() {
    let notices = [
        notice("2023-12", CareType::Outpatient, 1_000, 700, 300),
        notice("2024-02", CareType::Outpatient, 2_000, 1_400, 600),
        notice("2024-04", CareType::Outpatient, 4_000, 2_800, 1_200),
    ];
    let got = monthly_costs_between(&notices, m("2024-01"), m("2024-03"));
    let totals: Vec<(String, i64)> = got
        .iter()
        .map(|c| (c.month.to_string(), c.total.patient_paid.value()))
        .collect();
    assert_eq!(
        totals,
        [
            ("2024-01".into(), 0),
            ("2024-02".into(), 600),
            ("2024-03".into(), 0)
        ]
    );
}

#[test]
fn yearly_totals_by_calendar_year_with_empty_years() {
    let notices = [
        notice("2022-12", CareType::Outpatient, 1_000, 700, 300),
        notice("2024-01", CareType::Dental, 2_000, 1_400, 600),
        notice("2024-12", CareType::Dispensing, 3_000, 2_100, 900),
    ];
    let got: Vec<(i32, Amounts, usize)> = yearly_totals(&notices)
        .iter()
        .map(|y| (y.year, y.total, y.notices))
        .collect();
    assert_eq!(
        got,
        [
            (2022, a(1_000, 700, 300), 1),
            (2023, Amounts::default(), 0),
            (2024, a(5_000, 3_500, 1_500), 2),
        ]
    );
    assert_eq!(
        yearly_totals(&notices)[2].by_type.dental,
        a(2_000, 1_400, 600)
    );
    assert!(yearly_totals(&[]).is_empty());
}

#[test]
fn sums_saturate() {
    assert_eq!(add_yen(Yen::MAX, yen(1)), Yen::MAX);
    assert_eq!(add_yen(yen(2), yen(3)), yen(5));
    assert_eq!((yen(-5), yen(7)), (Yen::ZERO, Yen::new(7).unwrap()));
}
