//! Personas 1 and 3: the insurer change, the drift into diabetes, the costs, and the daughter
//! on her father's card.
#![allow(clippy::unwrap_used)]

use super::tests::*;
use super::*;
use chrono::{Days, Months};
use std::collections::{BTreeMap, BTreeSet};

fn hba1c(c: &CheckupRow) -> f64 {
    c.results[super::checkups::HBA1C].parse().unwrap()
}

#[test]
fn persona1_changed_insurer_and_drifts_into_diabetes() {
    for (until, d) in each_until() {
        let p = periods(&d, 1);
        assert_eq!(p.len(), 2);
        let (old, new) = (p[0], p[1]);
        assert!(old.insurer_number != new.insurer_number && old.symbol != new.symbol);
        assert_eq!(old.valid_to.unwrap().succ_opt(), Some(new.valid_from));
        assert!((until - Months::new(25)..=until - Months::new(23)).contains(&new.valid_from));
        let new_number = new.insurer_number.as_deref().unwrap();
        assert!(new_number.starts_with("06") && checked(new_number, 8));
        assert!(checked(old.insurer_number.as_deref().unwrap(), 8));
        assert!(
            p.iter()
                .all(|r| r.coverage_kind == "employee"
                    && r.ceiling_category.as_deref() == Some("ウ"))
        );
        // Records carry the number valid on their date.
        let m = meds(&d, 1);
        for r in &m {
            let want = if r.dispensed_on < new.valid_from {
                old
            } else {
                new
            };
            assert_eq!(r.member, super::identity::member_of(want));
        }
        assert!(m.iter().any(|r| r.dispensed_on < new.valid_from));
        // HbA1c rises year on year until metformin, which starts in the last year.
        let metformin: Vec<_> = m
            .iter()
            .filter(|r| r.drug_code.starts_with("3962"))
            .collect();
        assert!(!metformin.is_empty());
        assert!(
            metformin
                .iter()
                .all(|r| r.dispensed_on > until - Days::new(365))
        );
        let c = checkups(&d, 1);
        let (before, after): (Vec<_>, Vec<_>) = c.iter().partition(|c| !c.on_glucose_medication);
        assert!(before.len() >= 4 && after.len() == 1, "{c:?}");
        assert!(before.windows(2).all(|w| hba1c(w[0]) < hba1c(w[1])));
        assert!(hba1c(before[before.len() - 1]) >= 6.5);
        let waist: f64 = c[c.len() - 1].results[super::checkups::WAIST]
            .parse()
            .unwrap();
        assert!(waist >= 85.0);
        // Out-of-pocket: one calendar year above the ¥100,000 medical-expense deduction line.
        let mut by_year = BTreeMap::new();
        for r in costs(&d, 1) {
            *by_year.entry(&r.care_month[..4]).or_insert(0) += r.patient_paid;
        }
        assert!(by_year.values().any(|&v| v > 100_000), "{by_year:?}");
        let months: BTreeSet<_> = costs(&d, 1)
            .iter()
            .filter(|r| r.care_type == "dispensing")
            .map(|r| r.care_month.clone())
            .collect();
        assert!(
            months.len() >= 40,
            "dispensing roughly monthly: {}",
            months.len()
        );
    }
}

#[test]
fn persona3_is_a_dependent_on_her_fathers_card() {
    for (until, d) in each_until() {
        let (father, child) = (periods(&d, 1), periods(&d, 3));
        assert_eq!(father.len(), child.len());
        for (f, c) in father.iter().zip(&child) {
            assert_eq!(
                (&f.insurer_number, &f.symbol, &f.member_number),
                (&c.insurer_number, &c.symbol, &c.member_number)
            );
            assert_eq!(
                (f.branch.as_deref(), c.branch.as_deref()),
                (Some("01"), Some("03"))
            );
        }
        assert!((8..=10).contains(&super::calendar::age_on(child[0].birth_date, until)));
        assert!(checkups(&d, 3).is_empty());
        let m = meds(&d, 3);
        let antibiotics: Vec<_> = m
            .iter()
            .filter(|r| r.drug_code.starts_with("613"))
            .collect();
        assert!(
            antibiotics
                .iter()
                .all(|r| (5..=7).contains(&r.days_supplied))
        );
        assert!(m.iter().any(|r| r.drug_code.starts_with("4490")));
    }
}
