//! Table tests for receipt parsing and validation.

#![allow(clippy::unwrap_used)]

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn yen(v: i64) -> Yen {
    Yen::new(v).unwrap()
}

fn today() -> NaiveDate {
    d(2025, 3, 10)
}

fn input(paid_on: &str, payee: &str, kind: &str, amount: &str, reimbursed: &str) -> ReceiptInput {
    ReceiptInput {
        paid_on: paid_on.into(),
        payee: payee.into(),
        kind: kind.into(),
        amount: amount.into(),
        reimbursed: reimbursed.into(),
    }
}

#[test]
fn paid_on_formats() {
    use ReceiptError::PaidOnFormat as F;
    let cases = [
        ("2024-05-31", Ok(d(2024, 5, 31))),
        ("2024/5/1", Ok(d(2024, 5, 1))),
        ("20240531", Ok(d(2024, 5, 31))),
        ("2024年5月31日", Ok(d(2024, 5, 31))),
        ("２０２４年１２月１日", Ok(d(2024, 12, 1))),
        ("２０２４－０５－３１", Ok(d(2024, 5, 31))),
        (" 2024-02-29 ", Ok(d(2024, 2, 29))),
        ("2023-02-29", Err(F)),
        ("2024-13-01", Err(F)),
        ("2024-05", Err(F)),
        ("2024-05-31-1", Err(F)),
        ("24-05-31", Err(F)),
        ("2024-005-31", Err(F)),
        ("2024-+5-31", Err(F)),
        ("2024月5年31日", Err(F)),
        ("令和6年5月31日", Err(F)),
        ("", Err(F)),
    ];
    for (text, want) in cases {
        assert_eq!(parse_paid_on(text), want, "{text:?}");
    }
}

#[test]
fn parse_accepts_a_typical_form() {
    let got = Receipt::parse(
        &input(
            "２０２４／１１／３",
            "\u{3000}ABC薬局\u{3000} 新宿店",
            "medicine",
            "￥１，９８０",
            "",
        ),
        today(),
    )
    .unwrap();
    assert_eq!(
        got,
        Receipt {
            paid_on: d(2024, 11, 3),
            payee: PayeeName::parse("ABC薬局 新宿店").unwrap(),
            kind: ReceiptKind::Medicine,
            amount: yen(1_980),
            reimbursed: Yen::ZERO,
        }
    );
    assert_eq!(got.payee.as_str(), "ABC薬局 新宿店");
    assert_eq!(got.counted(), yen(1_980));
    assert_eq!(got.validate(today()), Ok(()));
    let with_payout = Receipt::parse(
        &input(
            "2024-06-01",
            "東都病院",
            "medical_care",
            "300,000",
            "100,000円",
        ),
        today(),
    )
    .unwrap();
    assert_eq!(
        (with_payout.reimbursed, with_payout.counted()),
        (yen(100_000), yen(200_000))
    );
}

#[test]
fn parse_field_rules() {
    let today = today();
    let long_name = "あ".repeat(101);
    let max_name = "あ".repeat(100);
    // (paid_on, payee, amount, reimbursed, expected error codes)
    let cases: [(&str, &str, &str, &str, &[&str]); 18] = [
        ("2025-03-10", "病院", "1", "", &[]),
        ("2025-03-10", &max_name, "100,000,000", "100,000,000", &[]),
        ("2000-01-01", "病院", "1", "0", &[]),
        ("2025-03-11", "病院", "1", "", &["receipt_paid_on_future"]),
        (
            "1999-12-31",
            "病院",
            "1",
            "",
            &["receipt_paid_on_too_early"],
        ),
        ("2025-02-30", "病院", "1", "", &["receipt_paid_on_format"]),
        (
            "2025-03-01",
            " \u{3000} ",
            "1",
            "",
            &["receipt_payee_empty"],
        ),
        (
            "2025-03-01",
            &long_name,
            "1",
            "",
            &["receipt_payee_too_long"],
        ),
        (
            "2025-03-01",
            "病院\u{0}",
            "1",
            "",
            &["receipt_payee_control_char"],
        ),
        (
            "2025-03-01",
            "病院",
            "0",
            "",
            &["receipt_amount_not_positive"],
        ),
        (
            "2025-03-01",
            "病院",
            "-100",
            "",
            &["receipt_amount_not_positive"],
        ),
        (
            "2025-03-01",
            "病院",
            "100,000,001",
            "",
            &["receipt_amount_too_large"],
        ),
        ("2025-03-01", "病院", "12.5", "", &["receipt_amount_format"]),
        ("2025-03-01", "病院", "", "", &["receipt_amount_format"]),
        (
            "2025-03-01",
            "病院",
            "1,000",
            "1,001",
            &["receipt_reimbursed_exceeds_amount"],
        ),
        (
            "2025-03-01",
            "病院",
            "1,000",
            "-1",
            &["receipt_reimbursed_negative"],
        ),
        (
            "2025-03-01",
            "病院",
            "1,000",
            "abc",
            &["receipt_reimbursed_format"],
        ),
        (
            "tomorrow",
            "",
            "0",
            "x",
            &[
                "receipt_paid_on_format",
                "receipt_payee_empty",
                "receipt_amount_not_positive",
                "receipt_reimbursed_format",
            ],
        ),
    ];
    for (paid_on, payee, amount, reimbursed, want) in cases {
        let got = Receipt::parse(&input(paid_on, payee, "other", amount, reimbursed), today);
        let codes: Vec<&str> = got
            .as_ref()
            .err()
            .map(|errs| errs.iter().map(ReceiptError::code).collect())
            .unwrap_or_default();
        assert_eq!(codes, want, "{paid_on} {payee} {amount} {reimbursed}");
        assert_eq!(got.is_ok(), want.is_empty());
    }
    let errs = Receipt::parse(&input("2025-03-01", "病院", "x", "", ""), today).unwrap_err();
    let fields: Vec<&str> = errs.iter().map(ReceiptError::field).collect();
    assert_eq!(fields, ["kind", "amount"]);
}

#[test]
fn validate_rechecks_stored_receipts() {
    let receipt = Receipt {
        paid_on: d(2025, 3, 10),
        payee: PayeeName::parse("タクシー").unwrap(),
        kind: ReceiptKind::Transport,
        amount: yen(2_000),
        reimbursed: yen(500),
    };
    let cases = [
        (receipt.clone(), d(2025, 3, 10), Ok(())),
        (
            receipt.clone(),
            d(2025, 3, 9),
            Err("receipt_paid_on_future"),
        ),
        (
            Receipt {
                reimbursed: yen(2_001),
                ..receipt.clone()
            },
            d(2025, 3, 10),
            Err("receipt_reimbursed_exceeds_amount"),
        ),
        (
            Receipt {
                amount: Yen::ZERO,
                reimbursed: Yen::ZERO,
                ..receipt.clone()
            },
            d(2025, 3, 10),
            Err("receipt_amount_not_positive"),
        ),
    ];
    for (r, today, want) in cases {
        assert_eq!(r.validate(today).map_err(|e| e.code()), want, "{r:?}");
    }
    assert_eq!(receipt.counted(), yen(1_500));
    let json = serde_json::to_string(&receipt).unwrap();
    assert_eq!(
        json,
        r#"{"paid_on":"2025-03-10","payee":"タクシー","kind":"transport","amount":2000,"reimbursed":500}"#
    );
    let bad = json.replace("タクシー", "");
    assert!(serde_json::from_str::<Receipt>(&bad).is_err());
}
