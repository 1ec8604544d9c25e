//! Personas 2 and 6: overlapping prescriptions from three doctors, and ten years of heavy data.
#![allow(clippy::unwrap_used)]

use super::tests::*;
use super::*;
use chrono::{Days, Months};
use std::collections::BTreeSet;

#[test]
fn persona2_has_overlapping_brand_and_generic_from_two_pharmacies() {
    for (until, d) in each_until() {
        let p = periods(&d, 2);
        let current = p[p.len() - 1];
        assert_eq!(super::calendar::age_on(current.birth_date, until), 78);
        assert_eq!(current.coverage_kind, "later_elderly");
        assert!(current.insurer_number.as_deref().unwrap().starts_with("39"));
        // No ア-オ before 75 (the national insurance years are all after 70); 一般 since.
        let brackets: Vec<_> = p.iter().map(|r| r.ceiling_category.as_deref()).collect();
        assert_eq!(brackets, [None, Some("一般")]);
        let m = meds(&d, 2);
        let drugs: BTreeSet<_> = m.iter().map(|r| &r.drug_code).collect();
        let pharmacies: BTreeSet<_> = m.iter().map(|r| &r.dispenser_code).collect();
        let doctors: BTreeSet<_> = m
            .iter()
            .filter_map(|r| r.prescriber_code.as_ref())
            .collect();
        assert!(drugs.len() >= 8 && pharmacies.len() == 3 && doctors.len() == 3);
        // Every 28 days at each pharmacy; a closed day brings a visit forward (up to six days
        // before New Year).
        // Chronic lines only: the eye drops after cataract surgery were a one-off.
        let chronic =
            |r: &&&MedicationRow| m.iter().filter(|o| o.drug_code == r.drug_code).count() > 5;
        for pharmacy in &pharmacies {
            let dates: BTreeSet<_> = m
                .iter()
                .filter(chronic)
                .filter(|r| &&r.dispenser_code == pharmacy)
                .map(|r| r.dispensed_on)
                .collect();
            let dates: Vec<_> = dates.into_iter().collect();
            let gaps: Vec<_> = dates.windows(2).map(|w| (w[1] - w[0]).num_days()).collect();
            assert!(gaps.iter().all(|g| (22..=34).contains(g)), "{gaps:?}");
            assert!(
                gaps.iter().filter(|&&g| g == 28).count() * 2 > gaps.len(),
                "{gaps:?}"
            );
        }
        let covers = |r: &MedicationRow| {
            (
                r.dispensed_on,
                r.dispensed_on + Days::new(u64::from(r.days_supplied)),
            )
        };
        let overlapping = m.iter().any(|a| {
            m.iter().any(|b| {
                let ((a0, a1), (b0, b1)) = (covers(a), covers(b));
                a.drug_code[..7] == b.drug_code[..7]
                    && !a.generic
                    && b.generic
                    && a.dispenser_code != b.dispenser_code
                    && a.prescriber_code != b.prescriber_code
                    && a0 < b1
                    && b0 < a1
            })
        });
        assert!(overlapping);
        let c = checkups(&d, 2);
        assert!(c.iter().any(|c| c.kind == "later_elderly"));
        assert!(
            c.iter()
                .all(|c| c.on_bp_medication && c.on_lipid_medication && !c.on_glucose_medication)
        );
        assert!(
            c.iter()
                .all(|c| (c.kind == "later_elderly") == (c.examined_on >= current.valid_from))
        );
        assert_eq!(
            costs(&d, 2)
                .iter()
                .filter(|r| r.care_type == "inpatient")
                .count(),
            1
        );
    }
}

#[test]
fn persona6_has_ten_years_of_heavy_data() {
    for (until, d) in each_until() {
        let m = meds(&d, 6);
        assert!(m.len() > 2000, "{}", m.len());
        let ten_years = until - Months::new(120);
        let first = m.iter().map(|r| r.dispensed_on).min().unwrap();
        assert!(
            first >= ten_years && first <= ten_years + Days::new(30),
            "{first}"
        );
        let pharmacies: BTreeSet<_> = m.iter().map(|r| &r.dispenser_code).collect();
        let drugs: BTreeSet<_> = m.iter().map(|r| &r.drug_code).collect();
        assert!(pharmacies.len() == 2 && drugs.len() >= 10);
        let c = checkups(&d, 6);
        let years: BTreeSet<_> = c
            .iter()
            .map(|c| super::calendar::fiscal_year(c.examined_on))
            .collect();
        assert!(c.len() >= 9 && years.len() == c.len());
        let months: BTreeSet<_> = costs(&d, 6).iter().map(|r| r.care_month.clone()).collect();
        assert!(months.len() >= 119, "{}", months.len());
        assert!(costs(&d, 6).iter().any(|r| r.care_type == "inpatient"));
    }
}
