#![allow(clippy::unwrap_used)]

use super::*;
use crate::domain::cost::{CareType, Receipt, tax_form_csv, tax_form_rows, year_expenses};
use crate::domain::person::PersonName;
use crate::domain::source::RecordSource;

const HOSPITAL: &str = "1310123455";
const PHARMACY: &str = "4749912343";

fn yen(v: i64) -> Yen {
    Yen::new(v).unwrap()
}

fn month(m: &str) -> CareMonth {
    CareMonth::parse(m).unwrap()
}

fn code(c: &str) -> InstitutionCode {
    InstitutionCode::parse(c).unwrap()
}

fn notice(m: &str, c: &str, care_type: CareType, total: i64, share: i64) -> CostNotice {
    CostNotice {
        care_month: month(m),
        institution: code(c),
        care_type,
        days: 1,
        total: yen(total),
        insurer_paid: yen(total - share),
        patient_paid: yen(share),
        source: RecordSource::CostNotice,
    }
}

fn correction(m: &str, c: &str, paid: Option<i64>, reimbursed: i64) -> CostCorrection {
    CostCorrection {
        care_month: month(m),
        institution: code(c),
        paid: paid.map(yen),
        reimbursed: yen(reimbursed),
    }
}

type Parsed = Result<CostCorrection, Vec<&'static str>>;

fn parse(paid: &str, reimbursed: &str) -> Parsed {
    let notices = NoticeAmounts {
        total: yen(30_000),
        share: yen(9_000),
    };
    let input = CorrectionInput {
        paid: paid.to_owned(),
        reimbursed: reimbursed.to_owned(),
    };
    CostCorrection::parse(month("2025-04"), code(HOSPITAL), &input, notices)
        .map_err(|errors| errors.iter().map(CorrectionError::code).collect())
}

#[test]
fn parse_accepts_what_a_patient_types_and_names_each_mistake() {
    let ok =
        |paid: Option<i64>, reimbursed: i64| Ok(correction("2025-04", HOSPITAL, paid, reimbursed));
    let cases: [(&str, &str, Parsed); 14] = [
        // Children's medical aid paid the whole share at the counter.
        ("0", "", ok(Some(0), 0)),
        ("￥５，０００", "", ok(Some(5_000), 0)),
        ("9,010円", " ", ok(Some(9_010), 0)),
        // A high-cost care refund: paid as the notice says, part of it came back.
        ("", "3000", ok(None, 3_000)),
        ("", "9000", ok(None, 9_000)),
        ("30000", "30000", ok(Some(30_000), 30_000)),
        ("", "", Err(vec!["correction_nothing_entered"])),
        ("abc", "", Err(vec!["correction_paid_format"])),
        ("-1", "", Err(vec!["correction_paid_negative"])),
        ("30001", "", Err(vec!["correction_paid_exceeds_total"])),
        ("", "9001", Err(vec!["correction_reimbursed_exceeds_paid"])),
        (
            "100",
            "101",
            Err(vec!["correction_reimbursed_exceeds_paid"]),
        ),
        (
            "x",
            "-5",
            Err(vec![
                "correction_paid_format",
                "correction_reimbursed_negative",
            ]),
        ),
        ("1", "1.5", Err(vec!["correction_reimbursed_format"])),
    ];
    for (paid, reimbursed, want) in cases {
        assert_eq!(parse(paid, reimbursed), want, "{paid:?} {reimbursed:?}");
    }
    let fields: Vec<&str> = [
        CorrectionError::NothingEntered,
        CorrectionError::PaidFormat,
        CorrectionError::ReimbursedNegative,
    ]
    .iter()
    .map(CorrectionError::field)
    .collect();
    assert_eq!(fields, ["paid", "paid", "reimbursed"]);
}

#[test]
fn the_newest_correction_counts_and_a_withdrawal_ends_it() {
    let history = [
        correction("2025-04", HOSPITAL, Some(5_000), 0),
        correction("2025-04", PHARMACY, None, 700),
        correction("2025-04", HOSPITAL, Some(4_000), 1_000),
        CostCorrection::withdrawal(month("2025-04"), code(PHARMACY)),
    ];
    let current = current_corrections(&history);
    assert_eq!(current.len(), 1);
    assert_eq!(
        current.get(&(month("2025-04"), code(HOSPITAL))).copied(),
        Some(&history[2])
    );
    assert!(history[3].is_withdrawal());
    assert!(!history[1].is_withdrawal());
}

#[test]
fn payments_group_a_month_and_institution_and_apply_its_correction() {
    let notices = [
        notice("2025-04", HOSPITAL, CareType::Outpatient, 20_000, 6_000),
        notice("2025-04", HOSPITAL, CareType::Inpatient, 10_000, 3_000),
        notice("2025-04", PHARMACY, CareType::Dispensing, 5_000, 1_500),
        notice("2025-05", PHARMACY, CareType::Dispensing, 4_000, 1_200),
    ];
    let corrections = [
        correction("2025-04", HOSPITAL, Some(2_000), 500),
        correction("2025-05", PHARMACY, None, 1_200),
        // Its notice was reported as not the patient's: it counts for nothing.
        correction("2025-06", PHARMACY, Some(100), 0),
    ];
    let payments = notice_payments(&notices, &corrections);
    let got: Vec<_> = payments
        .iter()
        .map(|p| {
            (
                p.care_month.to_string(),
                p.institution.as_str(),
                p.category,
                p.notices.share.value(),
                p.paid.value(),
                p.reimbursed.value(),
                p.counted().value(),
                p.corrected,
            )
        })
        .collect();
    use TaxCategory::*;
    assert_eq!(
        got,
        [
            (
                "2025-04".into(),
                HOSPITAL,
                MedicalCare,
                9_000,
                2_000,
                500,
                1_500,
                true
            ),
            (
                "2025-04".into(),
                PHARMACY,
                Medicine,
                1_500,
                1_500,
                0,
                1_500,
                false
            ),
            (
                "2025-05".into(),
                PHARMACY,
                Medicine,
                1_200,
                1_200,
                1_200,
                0,
                true
            ),
        ]
    );

    let expenses = year_expenses(2025, &payments, &[] as &[Receipt]);
    assert_eq!(
        (
            expenses.notices_share,
            expenses.notices_paid,
            expenses.notices_reimbursed,
            expenses.total
        ),
        (yen(11_700), yen(4_700), yen(1_700), yen(3_000))
    );
}

#[test]
fn a_correction_is_held_to_notices_that_shrank() {
    // Checked against ¥30,000 of care; one line was later reported as not the patient's.
    let notices = [notice(
        "2025-04",
        HOSPITAL,
        CareType::Outpatient,
        10_000,
        3_000,
    )];
    let corrections = [correction("2025-04", HOSPITAL, Some(25_000), 20_000)];
    let p = &notice_payments(&notices, &corrections)[0];
    assert_eq!((p.paid, p.reimbursed), (yen(10_000), yen(10_000)));
}

#[test]
fn the_tax_form_carries_the_corrected_amount_and_the_refund() {
    let notices = [
        notice("2025-04", HOSPITAL, CareType::Outpatient, 300_000, 90_000),
        notice("2025-04", PHARMACY, CareType::Dispensing, 10_000, 3_000),
    ];
    // A high-cost care refund of ¥32,570 for April; the pharmacy was paid by children's aid.
    let corrections = [
        correction("2025-04", HOSPITAL, None, 32_570),
        correction("2025-04", PHARMACY, Some(0), 0),
    ];
    let patient = PersonName::parse("山田 花子").unwrap();
    let payments = notice_payments(&notices, &corrections);
    let rows = tax_form_rows(&patient, &payments, &[], |_| None);
    assert_eq!(rows.len(), 1, "nothing paid at the pharmacy: no row");
    assert_eq!(
        (rows[0].paid, rows[0].reimbursed),
        (yen(90_000), yen(32_570))
    );
    let csv = String::from_utf8(tax_form_csv(2025, &rows).unwrap()).unwrap();
    assert!(
        csv.contains(",1310123455,該当する,,,,90000,32570,2025/04/30\r\n"),
        "{csv}"
    );
}
