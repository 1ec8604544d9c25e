//! Table tests for grouping dispensings into timeline rows and episodes.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::domain::institution::InstitutionCode;
use crate::domain::source::RecordSource;

// YJ codes as used by the demo generator (src/demo/drugs.rs).
const NORVASC: (&str, &str) = ("2171022F2020", "ノルバスク錠5mg");
const AMLODIPINE: (&str, &str) = ("2171022F2283", "アムロジピン錠5mg「サワイ」");
const TELMISARTAN: (&str, &str) = ("2149042F2138", "テルミサルタン錠40mg「サワイ」");
const RECEIPT: (&str, &str) = ("620098801", "ロキソプロフェンNa錠60mg");

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, day).unwrap()
}

fn rx((code, name): (&str, &str), on: NaiveDate, days: u16) -> MedicationRecord {
    MedicationRecord {
        dispensed_on: on,
        dispenser: InstitutionCode::parse("4749912343").unwrap(),
        prescriber: Some(InstitutionCode::parse("1310123455").unwrap()),
        drug_name: name.to_owned(),
        drug_code: DrugCode::parse(code).unwrap(),
        strength: "5mg".to_owned(),
        dose_per_day: Some(1.0),
        days_supplied: days,
        quantity: f64::from(days),
        unit: "錠".to_owned(),
        route: Route::Oral,
        generic: true,
        source: RecordSource::EPrescription,
    }
}

/// (start, end, dispensings, days_supplied_total)
type Ep = (NaiveDate, NaiveDate, usize, u32);

fn episodes(row: &DrugRow) -> Vec<Ep> {
    let e = row.episodes.iter();
    e.map(|e| (e.start, e.end, e.dispensings, e.days_supplied_total))
        .collect()
}

#[test]
fn episode_boundaries_in_one_row() {
    // The first supply covers 1–30 Jan; EPISODE_MAX_GAP_DAYS = 7 uncovered days are allowed.
    let cases: [(&str, Vec<MedicationRecord>, Vec<Ep>); 7] = [
        (
            "back to back",
            vec![rx(AMLODIPINE, d(1, 1), 30), rx(AMLODIPINE, d(1, 31), 30)],
            vec![(d(1, 1), d(3, 1), 2, 60)],
        ),
        (
            "gap of exactly 7 days (31 Jan–6 Feb) continues",
            vec![rx(AMLODIPINE, d(1, 1), 30), rx(AMLODIPINE, d(2, 7), 30)],
            vec![(d(1, 1), d(3, 8), 2, 60)],
        ),
        (
            "gap of 8 days starts a new episode",
            vec![rx(AMLODIPINE, d(1, 1), 30), rx(AMLODIPINE, d(2, 8), 30)],
            vec![(d(1, 1), d(1, 30), 1, 30), (d(2, 8), d(3, 9), 1, 30)],
        ),
        (
            "early refill ends at the later end, not carried over",
            vec![rx(AMLODIPINE, d(1, 1), 30), rx(AMLODIPINE, d(1, 25), 30)],
            vec![(d(1, 1), d(2, 23), 2, 60)],
        ),
        (
            "a short supply inside a long one keeps the long end",
            vec![rx(AMLODIPINE, d(1, 1), 30), rx(AMLODIPINE, d(1, 10), 7)],
            vec![(d(1, 1), d(1, 30), 2, 37)],
        ),
        (
            "zero days supplied counts as the one day dispensed",
            vec![rx(AMLODIPINE, d(1, 1), 0)],
            vec![(d(1, 1), d(1, 1), 1, 1)],
        ),
        (
            "input order does not matter",
            vec![
                rx(AMLODIPINE, d(3, 20), 14),
                rx(AMLODIPINE, d(1, 1), 30),
                rx(AMLODIPINE, d(1, 31), 14),
            ],
            vec![(d(1, 1), d(2, 13), 2, 44), (d(3, 20), d(4, 2), 1, 14)],
        ),
    ];
    for (name, records, want) in cases {
        let rows = medication_timeline(&records);
        assert_eq!(rows.len(), 1, "{name}");
        assert_eq!(episodes(&rows[0]), want, "{name}");
    }
}

#[test]
fn brand_and_generic_share_one_row_named_by_latest() {
    let records = [
        rx(NORVASC, d(1, 1), 30),
        rx(AMLODIPINE, d(1, 31), 30),
        rx(NORVASC, d(3, 2), 30),
        rx(AMLODIPINE, d(3, 30), 30),
    ];
    let rows = medication_timeline(&records);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].key, DrugKey::Ingredient("2171022".to_owned()));
    assert_eq!(rows[0].drug_name, AMLODIPINE.1);
    assert_eq!(episodes(&rows[0]), [(d(1, 1), d(4, 28), 4, 120)]);
    // Reversed input: the latest dispensing still names the row.
    let reversed: Vec<_> = records.iter().rev().cloned().collect();
    assert_eq!(medication_timeline(&reversed), rows);
}

#[test]
fn rows_keyed_by_ingredient_or_receipt_code_most_recent_first() {
    let mut as_needed = rx(RECEIPT, d(2, 10), 5);
    as_needed.route = Route::AsNeeded;
    let records = [
        rx(AMLODIPINE, d(1, 1), 90),
        rx(TELMISARTAN, d(1, 1), 30),
        as_needed,
        rx(NORVASC, d(1, 20), 14),
    ];
    let rows = medication_timeline(&records);
    let got: Vec<_> = rows
        .iter()
        .map(|r| (r.key.as_str(), r.drug_name.as_str(), r.route, r.last_day()))
        .collect();
    assert_eq!(
        got,
        [
            ("2171022", NORVASC.1, Route::Oral, Some(d(3, 31))),
            ("620098801", RECEIPT.1, Route::AsNeeded, Some(d(2, 14))),
            ("2149042", TELMISARTAN.1, Route::Oral, Some(d(1, 30))),
        ]
    );
    // Norvasc was dispensed last but inside the generic's 90 days: one row, one episode,
    // named after the most recent dispensing by date.
    assert_eq!(rows[0].episodes.len(), 1);
    assert!(matches!(rows[1].key, DrugKey::Receipt(_)));
    assert!(medication_timeline(&[]).is_empty());
}
