//! The export parsed back as a spreadsheet would: BOM, headings, quoting, ticks and totals.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::domain::cost::{
    CareMonth, CareType, CostNotice, PayeeName, ReceiptKind, notice_payments, year_expenses,
};
use crate::domain::source::RecordSource;

pub(super) fn yen(v: i64) -> Yen {
    Yen::new(v).unwrap()
}

/// A notice line of `patient` yen self-pay (the workbook tests build theirs here too).
pub(super) fn notice(month: &str, code: &str, care_type: CareType, patient: i64) -> CostNotice {
    CostNotice {
        care_month: CareMonth::parse(month).unwrap(),
        institution: InstitutionCode::parse(code).unwrap(),
        care_type,
        days: 1,
        total: yen(patient * 10),
        insurer_paid: yen(patient * 7),
        patient_paid: yen(patient),
        source: RecordSource::CostNotice,
    }
}

pub(super) fn receipt(
    date: &str,
    payee: &str,
    kind: ReceiptKind,
    amount: i64,
    reimbursed: i64,
) -> Receipt {
    Receipt {
        paid_on: date.parse().unwrap(),
        payee: PayeeName::parse(payee).unwrap(),
        kind,
        amount: yen(amount),
        reimbursed: yen(reimbursed),
    }
}

const HOSPITAL: &str = "1310123455";
const PHARMACY: &str = "4749912343";
const DENTIST: &str = "0130000011";

fn fixture() -> (Vec<CostNotice>, Vec<Receipt>) {
    use CareType::*;
    use ReceiptKind::*;
    let notices = vec![
        notice("2024-05", HOSPITAL, Outpatient, 3_000),
        notice("2024-05", HOSPITAL, Outpatient, 1_200),
        notice("2024-05", PHARMACY, Dispensing, 1_500),
        notice("2024-06", HOSPITAL, Inpatient, 0),
        notice("2024-12", DENTIST, Dental, 2_700),
        notice("2023-12", HOSPITAL, Outpatient, 800),
        notice("2025-01", HOSPITAL, Outpatient, 999),
    ];
    let receipts = vec![
        receipt("2024-05-20", "タクシー, 東京", Transport, 2_400, 0),
        receipt("2024-08-01", "ドラッグ\"ABC\"", Medicine, 1_980, 0),
        receipt("2024-09-10", "=HYPERLINK(1)", Other, 500, 0),
        receipt("2024-10-01", "東都病院", MedicalCare, 100_000, 60_000),
        receipt("2025-01-05", "東都病院", MedicalCare, 5_000, 0),
    ];
    (notices, receipts)
}

fn names(code: &InstitutionCode) -> Option<String> {
    match code.as_str() {
        HOSPITAL => Some("東都病院".to_owned()),
        PHARMACY => Some("みなと薬局, 駅前店".to_owned()),
        _ => None,
    }
}

fn export_2024() -> Vec<u8> {
    let (notices, receipts) = fixture();
    let patient = PersonName::parse("山田\u{3000}太郎").unwrap();
    let payments = notice_payments(&notices, &[]);
    tax_form_csv(2024, &tax_form_rows(&patient, &payments, &receipts, names)).unwrap()
}

fn parse(bytes: &[u8]) -> Vec<Vec<String>> {
    let body = bytes.strip_prefix(UTF8_BOM).unwrap();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn download_parses_back_to_the_form() {
    let bytes = export_2024();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let table = parse(&bytes);
    let p = "山田 太郎";
    let c = TAX_FORM_CHECKED;
    let want: Vec<[&str; 9]> = vec![
        TAX_FORM_HEADERS,
        [
            p,
            "タクシー, 東京",
            "",
            "",
            "",
            c,
            "2400",
            "0",
            "2024/05/20",
        ],
        [
            p,
            "みなと薬局, 駅前店",
            "",
            c,
            "",
            "",
            "1500",
            "0",
            "2024/05/31",
        ],
        [p, "東都病院", c, "", "", "", "4200", "0", "2024/05/31"],
        [
            p,
            "ドラッグ\"ABC\"",
            "",
            c,
            "",
            "",
            "1980",
            "0",
            "2024/08/01",
        ],
        [p, "'=HYPERLINK(1)", "", "", "", c, "500", "0", "2024/09/10"],
        [
            p,
            "東都病院",
            c,
            "",
            "",
            "",
            "100000",
            "60000",
            "2024/10/01",
        ],
        [p, DENTIST, c, "", "", "", "2700", "0", "2024/12/31"],
    ];
    assert_eq!(table, want);

    let column_sum = |i: usize| -> i64 {
        table[1..]
            .iter()
            .map(|r| r[i].parse::<i64>().unwrap())
            .sum()
    };
    assert_eq!((column_sum(6), column_sum(7)), (113_280, 60_000));
    let (notices, receipts) = fixture();
    assert_eq!(
        year_expenses(2024, &notice_payments(&notices, &[]), &receipts)
            .total
            .value(),
        column_sum(6) - column_sum(7),
        "the download and the deduction page must agree"
    );
}

#[test]
fn download_bytes_follow_rfc_4180() {
    let bytes = export_2024();
    let text = std::str::from_utf8(&bytes).unwrap();
    assert!(text.contains(",\"タクシー, 東京\","));
    assert!(text.contains(",\"ドラッグ\"\"ABC\"\"\","));
    assert!(text.contains(",東都病院,該当する,,,,4200,0,2024/05/31\r\n"));
    assert_eq!(text.matches("\r\n").count(), 8);
    assert_eq!(text.matches('\n').count(), 8, "no bare LF");
    assert!(text.ends_with("\r\n"));
}

#[test]
fn rows_cover_every_year_and_skip_zero_notices() {
    let (notices, receipts) = fixture();
    let patient = PersonName::parse("山田 太郎").unwrap();
    let rows = tax_form_rows(&patient, &notice_payments(&notices, &[]), &receipts, |_| {
        None
    });
    // 7 notices: the two May hospital lines merge and the ¥0 stay is dropped.
    assert_eq!(rows.len(), 5 + receipts.len());
    assert!(rows.iter().all(|r| r.paid > Yen::ZERO));
    assert!(
        rows.iter()
            .any(|r| r.payee == HOSPITAL && r.paid_on.year() == 2023)
    );
    let header_only = tax_form_csv(2019, &rows).unwrap();
    assert_eq!(parse(&header_only), [TAX_FORM_HEADERS]);
}

#[test]
fn spreadsheet_text_cases() {
    let cases = [
        ("東都病院", "東都病院"),
        ("=1+1", "'=1+1"),
        ("+81", "'+81"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("A-1", "A-1"),
        ("", ""),
    ];
    for (input, want) in cases {
        assert_eq!(spreadsheet_text(input), want, "{input:?}");
    }
    assert_eq!(tax_form_filename(2024), "iryouhi_2024.csv");
    assert_eq!(
        TaxExportError::Write(std::io::Error::other("x").into()).code(),
        "tax_export_write"
    );
}
