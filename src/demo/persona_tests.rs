//! Personas 4 and 5: welfare medical aid at designated institutions only, and coverage without
//! records.
#![allow(clippy::unwrap_used)]

use super::tests::*;
use std::collections::BTreeSet;

#[test]
fn persona4_is_treated_only_where_the_aid_was_granted() {
    for (_, d) in each_until() {
        let p = periods(&d, 4);
        assert_eq!(p.len(), 1);
        let aid = p[0];
        assert_eq!(aid.coverage_kind, "welfare_aid");
        assert!(
            aid.insurer_number.is_none()
                && aid.symbol.is_none()
                && aid.member_number.is_none()
                && aid.branch.is_none()
        );
        let payer = aid.public_payer_number.as_deref().unwrap();
        assert!(payer.starts_with("12") && checked(payer, 8));
        assert!(checked(aid.recipient_number.as_deref().unwrap(), 7));
        let sites: BTreeSet<_> = aid
            .designated_institutions
            .as_deref()
            .unwrap()
            .split(' ')
            .collect();
        assert!((2..=3).contains(&sites.len()));
        let m = meds(&d, 4);
        assert!(!m.is_empty());
        for r in m {
            assert!(
                sites.contains(r.dispenser_code.as_str())
                    && sites.contains(r.prescriber_code.as_deref().unwrap())
            );
            assert!(r.generic);
        }
        let c = costs(&d, 4);
        assert!(!c.is_empty());
        for r in c {
            assert!(sites.contains(r.institution_code.as_str()));
            assert_eq!((r.patient_paid, r.insurer_paid), (0, r.total));
        }
    }
}

#[test]
fn persona5_has_coverage_but_no_records() {
    for (_, d) in each_until() {
        let p = periods(&d, 5);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].coverage_kind, "national");
        assert!(checked(p[0].insurer_number.as_deref().unwrap(), 6));
        let member = super::identity::member_of(p[0]);
        assert!(meds(&d, 5).is_empty() && checkups(&d, 5).is_empty() && costs(&d, 5).is_empty());
        assert!(!d.medications.iter().any(|m| m.member == member));
    }
}
