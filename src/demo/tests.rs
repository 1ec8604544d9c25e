//! Whole-generator tests: determinism, date ranges, codes, member histories and the personas'
//! stories, over several configurations.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::domain::check_digit::with_check_digit;
use chrono::{Datelike, Months};
use std::collections::{BTreeMap, BTreeSet};

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn cfg(seed: u64, patients: usize, years: u32, until: NaiveDate) -> DemoConfig {
    DemoConfig {
        seed,
        patients,
        years,
        until,
    }
}

fn defaults() -> DemoConfig {
    cfg(1, 6, 5, ymd(2025, 6, 30))
}

/// The patient number inside a record id such as "RX-0001-000123".
fn owner(record_id: &str) -> String {
    format!("DEMO-{}", &record_id[3..7])
}

fn periods_of<'a>(d: &'a DemoData, link: &str) -> Vec<&'a PersonRow> {
    d.persons.iter().filter(|p| p.link_key == link).collect()
}

fn valid_on(p: &PersonRow, day: NaiveDate) -> bool {
    p.valid_from <= day && p.valid_to.is_none_or(|t| day <= t)
}

fn check_digit_ok(s: &str) -> bool {
    s.len() > 1 && with_check_digit(&s[..s.len() - 1]).as_deref() == Some(s)
}

#[test]
fn same_config_gives_identical_bytes_and_other_seeds_differ() {
    let dir1 = tempfile::tempdir().unwrap();
    let dir2 = tempfile::tempdir().unwrap();
    let paths1 = generate(&defaults()).write_json(dir1.path()).unwrap();
    let paths2 = generate(&defaults()).write_json(dir2.path()).unwrap();
    let names: Vec<_> = paths1.iter().map(|p| p.file_name().unwrap().to_owned()).collect();
    let expected = ["institutions.json", "persons.json", "medications.json", "checkups.json", "costs.json"];
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
    assert_ne!(other[2].2, in_memory[2].2, "medications should depend on the seed");
    assert_ne!(other[3].2, in_memory[3].2, "checkups should depend on the seed");
}

#[test]
fn files_parse_back_as_feed_files() {
    let d = generate(&defaults());
    let files = d.files();
    let kinds: Vec<_> = files.iter().map(|f| f.0).collect();
    let order = [FeedKind::Institutions, FeedKind::Persons, FeedKind::Medications, FeedKind::Checkups, FeedKind::Costs];
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
    let first_meds: Vec<_> = large.medications.iter().filter(|m| keep(&m.record_id)).cloned().collect();
    assert_eq!(first_meds, small.medications);
    let first_people: Vec<_> = large.persons.iter().filter(|p| p.link_key.as_str() <= "DEMO-0008").cloned().collect();
    assert_eq!(first_people, small.persons);
}

/// Invariants every configuration must keep.
fn check_invariants(c: &DemoConfig) {
    let d = generate(c);
    let start = c.until.checked_sub_months(Months::new(12 * c.years)).unwrap();
    let heavy_start = c.until.checked_sub_months(Months::new(120)).unwrap();
    let first_day = |id: &str| if owner(id) == "DEMO-0006" { heavy_start } else { start };
    let member_ok = |id: &str, member: &str, on: NaiveDate| {
        periods_of(&d, &owner(id)).iter().any(|p| super::patient::member_of(p) == member && valid_on(p, on))
    };
    for m in &d.medications {
        assert!(first_day(&m.record_id) <= m.dispensed_on && m.dispensed_on <= c.until, "{m:?}");
        assert!(member_ok(&m.record_id, &m.member, m.dispensed_on), "{m:?}");
        assert!((1..=90).contains(&m.days_supplied));
        assert!(m.quantity > 0.0);
        let recent = m.dispensed_on > c.until - chrono::Days::new(45);
        assert!(m.source == "insurance_claim" || (m.source == "e_prescription" && recent));
        assert!(["oral", "as_needed", "external", "injection"].contains(&m.route.as_str()));
        let kind = |code: &str| d.institutions.iter().find(|i| i.code == code).map(|i| i.kind.clone());
        let prescriber = m.prescriber_code.as_deref().unwrap();
        assert!(matches!(kind(prescriber).as_deref(), Some("hospital" | "clinic")));
        assert!(kind(&m.dispenser_code).as_deref() == Some("pharmacy") || m.dispenser_code == prescriber);
    }
    for h in &d.checkups {
        assert!(first_day(&h.record_id) <= h.examined_on && h.examined_on <= c.until, "{h:?}");
        assert!(member_ok(&h.record_id, &h.member, h.examined_on), "{h:?}");
        assert_eq!(h.results.contains_key(super::checkups::FASTING_GLUCOSE), h.fasting);
        assert_eq!(h.results.len(), if h.fasting { 17 } else { 16 });
        let num = |code: &str| h.results[code].parse::<f64>().unwrap();
        let metres = num(super::checkups::HEIGHT) / 100.0;
        let bmi = num(super::checkups::WEIGHT) / (metres * metres);
        assert!((bmi - num(super::checkups::BMI)).abs() <= 0.051, "{h:?}");
    }
    let months = |on: NaiveDate| format!("{:04}-{:02}", on.year(), on.month());
    for r in &d.costs {
        let first = NaiveDate::parse_from_str(&format!("{}-01", r.care_month), "%Y-%m-%d").unwrap();
        let last = first.checked_add_months(Months::new(1)).unwrap().pred_opt().unwrap();
        assert!(months(first_day(&r.record_id)) <= r.care_month && r.care_month <= months(c.until));
        let overlapping = periods_of(&d, &owner(&r.record_id))
            .into_iter()
            .any(|p| super::patient::member_of(p) == r.member && p.valid_from <= last && p.valid_to.is_none_or(|t| first <= t));
        assert!(overlapping, "{r:?}");
        assert_eq!(r.insurer_paid + r.patient_paid, r.total, "{r:?}");
        assert!(r.patient_paid >= 0 && r.total > 0);
        assert!(r.days >= 1 && u32::from(r.days) <= last.day());
        assert!(["inpatient", "outpatient", "dental", "dispensing"].contains(&r.care_type.as_str()));
    }
    for p in &d.persons {
        assert!(p.valid_from <= c.until && p.valid_to.is_none_or(|t| p.valid_from <= t && t <= c.until));
    }
    let ids: BTreeSet<_> = d.medications.iter().map(|m| &m.record_id).collect();
    assert_eq!(ids.len(), d.medications.len(), "record ids are unique");
    let links: BTreeSet<_> = d.persons.iter().map(|p| &p.link_key).collect();
    assert_eq!(links.len(), c.patients);
}

#[test]
fn invariants_hold_across_configurations() {
    let cases = [
        defaults(),
        cfg(1, 0, 5, ymd(2025, 6, 30)),
        cfg(1, 3, 5, ymd(2025, 6, 30)),
        cfg(9, 6, 0, ymd(2025, 1, 2)),
        cfg(42, 6, 1, ymd(2024, 12, 31)),
        cfg(3, 25, 8, ymd(2026, 3, 31)),
        cfg(u64::MAX, 40, 5, ymd(2025, 4, 1)),
    ];
    for c in &cases {
        check_invariants(c);
    }
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
        assert!(check_digit_ok(&i.code[3..]), "{i:?}");
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
