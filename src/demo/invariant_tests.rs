//! Invariants every configuration must keep (dates, members, codes, sums), and the seeded
//! patients' variety and checkup rules.
#![allow(clippy::unwrap_used)]

use super::tests::*;
use super::*;
use chrono::{Datelike, Months};
use std::collections::{BTreeMap, BTreeSet};

/// Invariants every configuration must keep.
fn check_invariants(c: &DemoConfig) {
    let d = generate(c);
    let start = c
        .until
        .checked_sub_months(Months::new(12 * c.years))
        .unwrap();
    let heavy_start = c.until.checked_sub_months(Months::new(120)).unwrap();
    let first_day = |id: &str| {
        if owner(id) == "DEMO-0006" {
            heavy_start
        } else {
            start
        }
    };
    let member_ok = |id: &str, member: &str, on: NaiveDate| {
        periods_of(&d, &owner(id))
            .iter()
            .any(|p| super::identity::member_of(p) == member && valid_on(p, on))
    };
    for m in &d.medications {
        assert!(
            first_day(&m.record_id) <= m.dispensed_on && m.dispensed_on <= c.until,
            "{m:?}"
        );
        assert!(member_ok(&m.record_id, &m.member, m.dispensed_on), "{m:?}");
        assert!((1..=90).contains(&m.days_supplied));
        assert!(m.quantity > 0.0);
        let recent = m.dispensed_on > c.until - chrono::Days::new(45);
        assert!(m.source == "insurance_claim" || (m.source == "e_prescription" && recent));
        assert!(["oral", "as_needed", "external", "injection"].contains(&m.route.as_str()));
        let kind = |code: &str| {
            d.institutions
                .iter()
                .find(|i| i.code == code)
                .map(|i| i.kind.clone())
        };
        let prescriber = m.prescriber_code.as_deref().unwrap();
        assert!(matches!(
            kind(prescriber).as_deref(),
            Some("hospital" | "clinic")
        ));
        assert!(
            kind(&m.dispenser_code).as_deref() == Some("pharmacy")
                || m.dispenser_code == prescriber
        );
    }
    for h in &d.checkups {
        assert!(
            first_day(&h.record_id) <= h.examined_on && h.examined_on <= c.until,
            "{h:?}"
        );
        assert!(member_ok(&h.record_id, &h.member, h.examined_on), "{h:?}");
        assert_eq!(
            h.results.contains_key(super::checkups::FASTING_GLUCOSE),
            h.fasting
        );
        assert_eq!(h.results.len(), if h.fasting { 17 } else { 16 });
        let num = |code: &str| h.results[code].parse::<f64>().unwrap();
        let metres = num(super::checkups::HEIGHT) / 100.0;
        let bmi = num(super::checkups::WEIGHT) / (metres * metres);
        assert!((bmi - num(super::checkups::BMI)).abs() <= 0.051, "{h:?}");
    }
    let months = |on: NaiveDate| format!("{:04}-{:02}", on.year(), on.month());
    for r in &d.costs {
        let first = NaiveDate::parse_from_str(&format!("{}-01", r.care_month), "%Y-%m-%d").unwrap();
        let last = first
            .checked_add_months(Months::new(1))
            .unwrap()
            .pred_opt()
            .unwrap();
        assert!(months(first_day(&r.record_id)) <= r.care_month && r.care_month <= months(c.until));
        let overlapping = periods_of(&d, &owner(&r.record_id)).into_iter().any(|p| {
            super::identity::member_of(p) == r.member
                && p.valid_from <= last
                && p.valid_to.is_none_or(|t| first <= t)
        });
        assert!(overlapping, "{r:?}");
        assert_eq!(r.insurer_paid + r.patient_paid, r.total, "{r:?}");
        assert!(r.patient_paid >= 0 && r.total > 0);
        assert!(r.days >= 1 && u32::from(r.days) <= last.day());
        assert!(
            ["inpatient", "outpatient", "dental", "dispensing"].contains(&r.care_type.as_str())
        );
    }
    for p in &d.persons {
        assert!(
            p.valid_from <= c.until && p.valid_to.is_none_or(|t| p.valid_from <= t && t <= c.until)
        );
        assert!(["male", "female"].contains(&p.sex.as_str()));
        let age_at_end = super::calendar::age_on(p.birth_date, p.valid_to.unwrap_or(c.until));
        if let Some(category) = &p.ceiling_category {
            // The brackets of the age: ア-オ under 70, the elderly's from 70.
            let bracket = crate::domain::qualification::CeilingCategory::parse(category).unwrap();
            assert_eq!(bracket.from_seventy(), age_at_end >= 70, "{p:?}");
            assert!(p.coverage_kind != "welfare_aid", "{p:?}");
        }
        if p.coverage_kind == "welfare_aid" {
            assert!(
                p.insurer_number.is_none() && p.member_number.is_none(),
                "{p:?}"
            );
            assert!(checked(p.public_payer_number.as_deref().unwrap(), 8));
            assert!(checked(p.recipient_number.as_deref().unwrap(), 7));
        } else {
            let insurer = p.insurer_number.as_deref().unwrap();
            let len = if p.coverage_kind == "national" { 6 } else { 8 };
            assert!(checked(insurer, len), "{p:?}");
            assert_eq!(
                p.coverage_kind == "later_elderly",
                insurer.starts_with("39")
            );
            assert!(["employee", "national", "later_elderly"].contains(&p.coverage_kind.as_str()));
        }
    }
    for m in &d.medications {
        let yj = m.drug_code.as_bytes();
        let shape = yj.len() == 12
            && yj[..7].iter().all(u8::is_ascii_digit)
            && (yj[7].is_ascii_uppercase() || yj[7].is_ascii_digit())
            && yj[8..].iter().all(u8::is_ascii_digit);
        assert!(shape, "{}", m.drug_code);
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
fn seeded_patients_vary_and_checkups_follow_age_rules() {
    let until = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
    let d = generate(&DemoConfig {
        seed: 5,
        patients: 40,
        years: 5,
        until,
    });
    let births: BTreeMap<_, _> = d
        .persons
        .iter()
        .map(|p| (p.link_key.clone(), p.birth_date))
        .collect();
    let seeded: Vec<_> = d
        .persons
        .iter()
        .filter(|p| p.link_key.as_str() > "DEMO-0006")
        .collect();
    let kinds: BTreeSet<_> = seeded.iter().map(|p| p.coverage_kind.as_str()).collect();
    assert!(kinds.len() >= 3, "{kinds:?}");
    for p in &seeded {
        assert!((20..=85).contains(&super::calendar::age_on(p.birth_date, until)));
    }
    let mut per_year = BTreeSet::new();
    for c in &d.checkups {
        let link = format!("DEMO-{}", &c.record_id[3..7]);
        // Who takes which checkup follows the programme's ages (fiscal-year end for 40).
        let ages = crate::domain::checkup::Ages::of(births[&link], c.examined_on);
        let want = match crate::domain::checkup::CheckupKind::for_ages(ages) {
            Some(crate::domain::checkup::CheckupKind::Specific) => "specific",
            Some(crate::domain::checkup::CheckupKind::LaterElderly) => "later_elderly",
            None => panic!("no checkup before the year of 40: {c:?}"),
        };
        assert_eq!(c.kind, want, "{c:?}");
        assert!(
            per_year.insert((link, super::calendar::fiscal_year(c.examined_on))),
            "one per fiscal year"
        );
    }
    assert!(d.medications.len() > meds(&d, 6).len() + 1_000);
    let drugs: BTreeSet<_> = d.medications.iter().map(|m| &m.drug_code).collect();
    assert!(drugs.len() >= 25, "{}", drugs.len());
}
