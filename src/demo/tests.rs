//! Whole-generator tests: determinism, the files, stable patients and institution codes; and
//! the helpers the other test modules share.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::domain::check_digit::with_check_digit;
use std::collections::{BTreeMap, BTreeSet};

/// `until` dates the stories are checked on: mid-year, New Year and a fiscal year's end.
pub(super) const UNTILS: [(i32, u32, u32); 3] = [(2025, 6, 30), (2026, 1, 2), (2024, 3, 31)];

/// Default configuration (seed 1, six patients, five years) for each test date.
pub(super) fn each_until() -> impl Iterator<Item = (NaiveDate, DemoData)> {
    UNTILS.into_iter().map(|(y, m, d)| {
        let until = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let cfg = DemoConfig {
            seed: 1,
            patients: 6,
            years: 5,
            until,
        };
        (until, generate(&cfg))
    })
}

pub(super) fn mine(id: &str, n: u32) -> bool {
    id[3..7] == format!("{n:04}")
}

pub(super) fn periods(d: &DemoData, n: u32) -> Vec<&PersonRow> {
    let link = format!("DEMO-{n:04}");
    d.persons.iter().filter(|p| p.link_key == link).collect()
}

pub(super) fn meds(d: &DemoData, n: u32) -> Vec<&MedicationRow> {
    d.medications
        .iter()
        .filter(|m| mine(&m.record_id, n))
        .collect()
}

pub(super) fn checkups(d: &DemoData, n: u32) -> Vec<&CheckupRow> {
    d.checkups
        .iter()
        .filter(|m| mine(&m.record_id, n))
        .collect()
}

pub(super) fn costs(d: &DemoData, n: u32) -> Vec<&CostRow> {
    d.costs.iter().filter(|m| mine(&m.record_id, n)).collect()
}

pub(super) fn checked(number: &str, len: usize) -> bool {
    number.len() == len && with_check_digit(&number[..len - 1]).as_deref() == Some(number)
}

pub(super) fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(super) fn cfg(seed: u64, patients: usize, years: u32, until: NaiveDate) -> DemoConfig {
    DemoConfig {
        seed,
        patients,
        years,
        until,
    }
}

pub(super) fn defaults() -> DemoConfig {
    cfg(1, 6, 5, ymd(2025, 6, 30))
}

/// The patient number inside a record id such as "RX-0001-000123".
pub(super) fn owner(record_id: &str) -> String {
    format!("DEMO-{}", &record_id[3..7])
}

pub(super) fn periods_of<'a>(d: &'a DemoData, link: &str) -> Vec<&'a PersonRow> {
    d.persons.iter().filter(|p| p.link_key == link).collect()
}

pub(super) fn valid_on(p: &PersonRow, day: NaiveDate) -> bool {
    p.valid_from <= day && p.valid_to.is_none_or(|t| day <= t)
}

#[test]
fn defaults_generate_every_kind_with_the_personas_first() {
    let d = generate(&defaults());
    assert!(!d.persons.is_empty() && !d.medications.is_empty());
    assert!(!d.checkups.is_empty() && !d.costs.is_empty());
    let mut links: Vec<_> = d.persons.iter().map(|p| p.link_key.as_str()).collect();
    links.dedup();
    let expected = [
        "DEMO-0001",
        "DEMO-0002",
        "DEMO-0003",
        "DEMO-0004",
        "DEMO-0005",
        "DEMO-0006",
    ];
    assert_eq!(links, expected);
}

#[test]
fn same_config_gives_identical_bytes_and_other_seeds_differ() {
    let dir1 = tempfile::tempdir().unwrap();
    let dir2 = tempfile::tempdir().unwrap();
    let paths1 = generate(&defaults()).write_json(dir1.path()).unwrap();
    let paths2 = generate(&defaults()).write_json(dir2.path()).unwrap();
    let names: Vec<_> = paths1
        .iter()
        .map(|p| p.file_name().unwrap().to_owned())
        .collect();
    let expected = [
        "institutions.json",
        "persons.json",
        "medications.json",
        "checkups.json",
        "costs.json",
    ];
    assert_eq!(names, expected);
    for (a, b) in paths1.iter().zip(&paths2) {
        let (a, b) = (std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
        assert_eq!(a, b);
        assert!(a.ends_with(b"}\n"));
    }
    let in_memory = generate(&defaults()).files();
    for ((_, name, text), path) in in_memory.iter().zip(&paths1) {
        assert_eq!(text.as_bytes(), std::fs::read(path).unwrap(), "{name}");
    }
    let other = generate(&cfg(2, 6, 5, ymd(2025, 6, 30))).files();
    assert_ne!(
        other[2].2, in_memory[2].2,
        "medications should depend on the seed"
    );
    assert_ne!(
        other[3].2, in_memory[3].2,
        "checkups should depend on the seed"
    );
}

#[test]
fn files_parse_back_as_feed_files() {
    let d = generate(&defaults());
    let files = d.files();
    let kinds: Vec<_> = files.iter().map(|f| f.0).collect();
    let order = [
        FeedKind::Institutions,
        FeedKind::Persons,
        FeedKind::Medications,
        FeedKind::Checkups,
        FeedKind::Costs,
    ];
    assert_eq!(kinds, order);
    let meds: FeedFile<MedicationRow> = serde_json::from_str(&files[2].2).unwrap();
    assert_eq!(meds.kind, FeedKind::Medications);
    assert_eq!(meds.rows, d.medications);
    let persons: FeedFile<PersonRow> = serde_json::from_str(&files[1].2).unwrap();
    assert_eq!(persons.rows, d.persons);
}

#[test]
fn adding_patients_keeps_earlier_ones() {
    let until = ymd(2025, 6, 30);
    let small = generate(&cfg(7, 8, 3, until));
    let large = generate(&cfg(7, 12, 3, until));
    let keep = |id: &str| owner(id).as_str() <= "DEMO-0008";
    let first_meds: Vec<_> = large
        .medications
        .iter()
        .filter(|m| keep(&m.record_id))
        .cloned()
        .collect();
    assert_eq!(first_meds, small.medications);
    let first_people: Vec<_> = large
        .persons
        .iter()
        .filter(|p| p.link_key.as_str() <= "DEMO-0008")
        .cloned()
        .collect();
    assert_eq!(first_people, small.persons);
}

#[test]
fn institutions_have_valid_codes_for_their_kind() {
    let d = generate(&defaults());
    assert_eq!(d.institutions.len(), 20);
    let mut prefectures = BTreeSet::new();
    let mut kinds = BTreeMap::new();
    for i in &d.institutions {
        assert_eq!(i.code.len(), 10, "{i:?}");
        assert!(i.code.bytes().all(|b| b.is_ascii_digit()));
        assert!(
            crate::domain::institution::InstitutionCode::parse(&i.code).is_ok(),
            "{i:?}"
        );
        let table = match i.kind.as_str() {
            "hospital" | "clinic" => "1",
            "dental_clinic" => "3",
            "pharmacy" => "4",
            other => panic!("unknown kind {other}"),
        };
        assert_eq!(&i.code[2..3], table, "{i:?}");
        prefectures.insert(i.code[..2].to_string());
        *kinds.entry(i.kind.clone()).or_insert(0) += 1;
    }
    assert!(prefectures.len() >= 6);
    assert!(kinds["pharmacy"] >= 6 && kinds.len() == 4, "{kinds:?}");
    let codes: BTreeSet<_> = d.institutions.iter().map(|i| &i.code).collect();
    assert_eq!(codes.len(), 20);
}

/// The demo's persons file with one later-elderly row's bracket set to `bracket`.
fn persons_with(bracket: &str) -> crate::feed::FeedRows {
    let data = crate::demo::generate(&crate::demo::DemoConfig {
        seed: 1,
        patients: 6,
        years: 1,
        until: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
    });
    let (_, _, json) = data
        .files()
        .into_iter()
        .find(|(kind, _, _)| *kind == crate::feed::FeedKind::Persons)
        .unwrap();
    let mut file: serde_json::Value = serde_json::from_str(&json).unwrap();
    let row = file["rows"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["coverage_kind"] == "later_elderly")
        .unwrap();
    row["ceiling_category"] = bracket.into();
    crate::feed::read(
        file.to_string().as_bytes(),
        Some(crate::feed::FeedKind::Persons),
    )
    .unwrap()
}

/// A qualification row with a bracket of those 70 and over is taken, not the file refused.
#[test]
fn the_brackets_from_seventy_are_accepted_from_the_feed() {
    use crate::domain::qualification::CeilingCategory as C;
    let cases = [
        ("現役並みⅢ", C::WorkingIncomeIii),
        ("現役並みⅡ", C::WorkingIncomeIi),
        ("現役並みⅠ", C::WorkingIncomeI),
        ("一般", C::General),
        ("低所得Ⅱ", C::LowIncomeIi),
        ("低所得Ⅰ", C::LowIncomeI),
    ];
    for (bracket, want) in cases {
        let Ok(crate::feed::validate::Valid::Persons(rows)) =
            crate::feed::validate::validate(&persons_with(bracket))
        else {
            panic!("{bracket} refused");
        };
        assert!(rows.iter().any(|r| r.ceiling == Some(want)), "{bracket}");
    }
    let refused = crate::feed::validate::validate(&persons_with("現役並みⅣ")).unwrap_err();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].code, "ceiling_category_unknown");
}
