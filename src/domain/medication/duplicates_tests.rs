//! Table tests for duplicate hints: brand/generic pairs, prescribers, early-refill tolerance.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::domain::medication::Route;
use crate::domain::source::RecordSource;
use DuplicateKind::{SameClass as Class, SameIngredient as Same};

// YJ codes as used by the demo generator (src/demo/drugs.rs).
const NORVASC: (&str, &str) = ("2171022F2020", "ノルバスク錠5mg");
const AMLODIPINE: (&str, &str) = ("2171022F2283", "アムロジピン錠5mg「サワイ」");
const TELMISARTAN: (&str, &str) = ("2149042F2138", "テルミサルタン錠40mg「サワイ」");
const ROSUVASTATIN: (&str, &str) = ("2189017F1189", "ロスバスタチン錠2.5mg「DSEP」");
const ATORVASTATIN: (&str, &str) = ("2189015F2216", "アトルバスタチン錠10mg「サワイ」");
// Another calcium channel blocker: 2171 冠血管拡張剤, as amlodipine.
const NIFEDIPINE: (&str, &str) = ("2171014G4024", "ニフェジピンCR錠20mg「サワイ」");
// By generic name: the ingredient of the two above, no maker chosen.
const AMLODIPINE_BY_NAME: (&str, &str) = ("2171022F2ZZZ", "【般】アムロジピン錠5mg");
// Two unrelated ingredients under 2329 その他の消化性潰瘍用剤 (a catch-all class).
const REBAMIPIDE: (&str, &str) = ("2329021F1021", "レバミピド錠100mg");
const TEPRENONE: (&str, &str) = ("2329012M1021", "テプレノンカプセル50mg");
const RECEIPT: (&str, &str) = ("620098801", "ロキソプロフェンNa錠60mg");
const RECEIPT_2: (&str, &str) = ("620098802", "レバミピド錠100mg");

const CLINIC_A: &str = "1310123455";
const CLINIC_B: &str = "1310200014";
const PHARMACY_X: &str = "4749912343";
const PHARMACY_Y: &str = "1344991238";

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, day).unwrap()
}

fn code(s: &str) -> InstitutionCode {
    InstitutionCode::parse(s).unwrap()
}

fn rx(
    (drug_code, name): (&str, &str),
    prescriber: Option<&str>,
    dispenser: &str,
    on: NaiveDate,
    days: u16,
) -> MedicationRecord {
    MedicationRecord {
        dispensed_on: on,
        dispenser: code(dispenser),
        prescriber: prescriber.map(code),
        drug_name: name.to_owned(),
        drug_code: DrugCode::parse(drug_code).unwrap(),
        strength: String::new(),
        dose_per_day: None,
        days_supplied: days,
        quantity: f64::from(days),
        unit: "錠".to_owned(),
        route: Route::Oral,
        generic: !name.starts_with('ノ'),
        source: RecordSource::EPrescription,
    }
}

/// Prescribed by clinic A, filled at pharmacy X.
fn a(drug: (&str, &str), on: NaiveDate, days: u16) -> MedicationRecord {
    rx(drug, Some(CLINIC_A), PHARMACY_X, on, days)
}

/// Prescribed by clinic B, filled at pharmacy Y.
fn b(drug: (&str, &str), on: NaiveDate, days: u16) -> MedicationRecord {
    rx(drug, Some(CLINIC_B), PHARMACY_Y, on, days)
}

fn found(records: &[MedicationRecord]) -> Vec<(DuplicateKind, NaiveDate, NaiveDate)> {
    let hints = duplicate_hints(records);
    hints
        .iter()
        .map(|h| (h.kind, h.overlap_start, h.overlap_end))
        .collect()
}

#[test]
fn duplicate_cases() {
    let (j1, j5) = (d(1, 1), d(1, 5));
    let cases = [
        (
            "brand at A, generic at B, 20 days together",
            vec![a(NORVASC, j1, 30), b(AMLODIPINE, d(1, 11), 30)],
            vec![(Same, d(1, 11), d(1, 30))],
        ),
        (
            "brand and generic from A filled at two pharmacies",
            vec![
                a(NORVASC, j1, 30),
                rx(AMLODIPINE, Some(CLINIC_A), PHARMACY_Y, d(1, 11), 30),
            ],
            vec![],
        ),
        (
            "7-day overlap is an early refill",
            vec![a(AMLODIPINE, j1, 30), b(AMLODIPINE, d(1, 24), 30)],
            vec![],
        ),
        (
            "8-day overlap is flagged",
            vec![a(AMLODIPINE, j1, 30), b(AMLODIPINE, d(1, 23), 30)],
            vec![(Same, d(1, 23), d(1, 30))],
        ),
        (
            "90-day supplies: 18-day overlap is an early refill",
            vec![a(AMLODIPINE, j1, 90), b(AMLODIPINE, d(3, 14), 90)],
            vec![],
        ),
        (
            "90-day supplies: 19-day overlap is flagged",
            vec![a(AMLODIPINE, j1, 90), b(AMLODIPINE, d(3, 13), 90)],
            vec![(Same, d(3, 13), d(3, 31))],
        ),
        (
            "the shorter supply sets the tolerance",
            vec![a(AMLODIPINE, j1, 90), b(AMLODIPINE, d(1, 10), 14)],
            vec![(Same, d(1, 10), d(1, 23))],
        ),
        (
            "two calcium channel blockers from two clinics",
            vec![a(AMLODIPINE, j1, 30), b(NIFEDIPINE, j5, 30)],
            vec![(Class, j5, d(1, 30))],
        ),
        (
            "same ingredient is not also reported as same class",
            vec![
                a(AMLODIPINE, j1, 30),
                b(AMLODIPINE, j5, 30),
                b(NIFEDIPINE, j5, 30),
            ],
            vec![(Same, j5, d(1, 30)), (Class, j5, d(1, 30))],
        ),
        (
            // Statins are filed under 2189 その他の高脂血症用剤, a catch-all.
            "two statins share only a catch-all class",
            vec![a(ROSUVASTATIN, j1, 30), b(ATORVASTATIN, j5, 30)],
            vec![],
        ),
        (
            "different classes",
            vec![a(AMLODIPINE, j1, 30), b(TELMISARTAN, j5, 30)],
            vec![],
        ),
        (
            "a catch-all class is no kind of medicine",
            vec![a(REBAMIPIDE, j1, 30), b(TEPRENONE, j5, 30)],
            vec![],
        ),
        (
            "the same ingredient in a catch-all class is still the same",
            vec![a(REBAMIPIDE, j1, 30), b(REBAMIPIDE, j5, 30)],
            vec![(Same, j5, d(1, 30))],
        ),
        (
            "prescribed by generic name, the same ingredient as a brand",
            vec![a(AMLODIPINE_BY_NAME, j1, 30), b(NORVASC, j5, 30)],
            vec![(Same, j5, d(1, 30))],
        ),
        (
            "back to back, no overlap",
            vec![a(AMLODIPINE, j1, 30), b(AMLODIPINE, d(1, 31), 30)],
            vec![],
        ),
        (
            "in-house dispensing at A counts as prescribed by A",
            vec![rx(NORVASC, None, CLINIC_A, j1, 30), a(AMLODIPINE, j5, 30)],
            vec![],
        ),
        (
            "in-house dispensing at B against A",
            vec![rx(NORVASC, None, CLINIC_B, j1, 30), a(AMLODIPINE, j5, 30)],
            vec![(Same, j5, d(1, 30))],
        ),
        (
            "same receipt code from two clinics",
            vec![a(RECEIPT, j1, 30), b(RECEIPT, j5, 30)],
            vec![(Same, j5, d(1, 30))],
        ),
        (
            "different receipt codes",
            vec![a(RECEIPT, j1, 30), b(RECEIPT_2, j5, 30)],
            vec![],
        ),
        (
            "receipt code and YJ code are not compared",
            vec![a(RECEIPT, j1, 30), b(AMLODIPINE, j5, 30)],
            vec![],
        ),
        (
            "two separate periods, most recent first",
            vec![
                a(AMLODIPINE, j1, 30),
                b(AMLODIPINE, j5, 30),
                a(AMLODIPINE, d(6, 1), 30),
                b(AMLODIPINE, d(6, 5), 30),
            ],
            vec![(Same, d(6, 5), d(6, 30)), (Same, j5, d(1, 30))],
        ),
    ];
    for (name, records, want) in cases {
        assert_eq!(found(&records), want, "{name}");
        let reversed: Vec<_> = records.into_iter().rev().collect();
        assert_eq!(found(&reversed), want, "{name}, reversed input");
    }
}

#[test]
fn brand_generic_hint_names_both_sides() {
    let hints = duplicate_hints(&[b(AMLODIPINE, d(1, 11), 30), a(NORVASC, d(1, 1), 30)]);
    let summary = |(drug_code, name): (&str, &str), presc, disp, start, end| DispensingSummary {
        drug_name: name.to_owned(),
        drug_code: DrugCode::parse(drug_code).unwrap(),
        dispenser: code(disp),
        prescriber: Some(code(presc)),
        start,
        end,
    };
    let want = DuplicateHint {
        kind: Same,
        a: summary(NORVASC, CLINIC_A, PHARMACY_X, d(1, 1), d(1, 30)),
        b: summary(AMLODIPINE, CLINIC_B, PHARMACY_Y, d(1, 11), d(2, 9)),
        overlap_start: d(1, 11),
        overlap_end: d(1, 30),
    };
    assert_eq!(hints, [want]);
}

#[test]
fn months_of_parallel_supply_make_one_hint() {
    // A's brand every 30 days from 1 Jan, B's generic every 30 days from 25 Jan. Each A refill
    // overlaps the running B supply by only 6 days (an early refill on its own) and the next by
    // 24: the whole stretch from 25 Jan to A's last day is one run.
    let a_days = [d(1, 1), d(1, 31), d(3, 2), d(4, 1), d(5, 1), d(5, 31)];
    let b_days = [d(1, 25), d(2, 24), d(3, 26), d(4, 25), d(5, 25), d(6, 24)];
    let records: Vec<_> = (a_days.iter().map(|&on| a(NORVASC, on, 30)))
        .chain(b_days.iter().map(|&on| b(AMLODIPINE, on, 30)))
        .collect();
    let hints = duplicate_hints(&records);
    assert_eq!(found(&records), [(Same, d(1, 25), d(6, 29))]);
    let periods = |h: &DuplicateHint| ((h.a.start, h.a.end), (h.b.start, h.b.end));
    assert_eq!(
        periods(&hints[0]),
        ((d(1, 1), d(6, 29)), (d(1, 25), d(7, 23)))
    );
    assert_eq!(hints[0].a.drug_name, NORVASC.1);
    assert_eq!(hints[0].b.prescriber, Some(code(CLINIC_B)));
}

#[test]
fn early_refill_tolerance_table() {
    let cases = [
        (1, 7),
        (14, 7),
        (30, 7),
        (39, 7),
        (40, 8),
        (90, 18),
        (365, 73),
        (u16::MAX, 13107),
    ];
    for (shorter, want) in cases {
        assert_eq!(early_refill_tolerance_days(shorter), want, "{shorter}");
    }
}

#[test]
fn explanations_suggest_asking() {
    for kind in [Same, Class] {
        assert!(
            kind.explanation_ja().contains("医師か薬剤師に確認"),
            "{kind:?}"
        );
        assert!(
            kind.explanation_en()
                .contains("Ask your doctor or pharmacist"),
            "{kind:?}"
        );
    }
}
