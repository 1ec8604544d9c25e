//! Table tests for ceiling categories, insurance kinds and validity.

#![allow(clippy::unwrap_used)]

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn ceiling_category_parse() {
    use CeilingCategory as C;
    let cases = [
        ("ア", Ok(C::A)),
        ("ｲ", Ok(C::B)),
        (" ウ ", Ok(C::C)),
        ("ｴ", Ok(C::D)),
        ("オ", Ok(C::E)),
        ("a", Ok(C::A)),
        ("B", Ok(C::B)),
        ("ｃ", Ok(C::C)),
        ("Ｅ", Ok(C::E)),
        ("f", Err(QualificationError::CeilingCategoryUnknown)),
        ("カ", Err(QualificationError::CeilingCategoryUnknown)),
        ("", Err(QualificationError::CeilingCategoryUnknown)),
        ("アイ", Err(QualificationError::CeilingCategoryUnknown)),
        // From 70, as the qualification feeds and certificates write them.
        ("現役並みⅢ", Ok(C::WorkingIncomeIii)),
        ("現役並みIII", Ok(C::WorkingIncomeIii)),
        ("現役並みＩＩＩ", Ok(C::WorkingIncomeIii)),
        ("現役並み3", Ok(C::WorkingIncomeIii)),
        ("現役並Ⅱ", Ok(C::WorkingIncomeIi)),
        ("現役Ⅰ", Ok(C::WorkingIncomeI)),
        ("現役並み ⅰ", Ok(C::WorkingIncomeI)),
        ("一般", Ok(C::General)),
        (" 一般 ", Ok(C::General)),
        ("低所得Ⅱ", Ok(C::LowIncomeIi)),
        ("低所得2", Ok(C::LowIncomeIi)),
        ("低Ⅱ", Ok(C::LowIncomeIi)),
        ("低所得Ⅰ", Ok(C::LowIncomeI)),
        ("低所得I", Ok(C::LowIncomeI)),
        ("現役並みⅣ", Err(QualificationError::CeilingCategoryUnknown)),
        ("現役並み", Err(QualificationError::CeilingCategoryUnknown)),
        ("低所得Ⅲ", Err(QualificationError::CeilingCategoryUnknown)),
        ("一般Ⅲ", Err(QualificationError::CeilingCategoryUnknown)),
    ];
    for (input, want) in cases {
        assert_eq!(CeilingCategory::parse(input), want, "input {input:?}");
    }
    assert_eq!(C::D.label_ja(), "エ");
    assert_eq!(C::LowIncomeIi.label_ja(), "低所得Ⅱ");
    assert!(C::General.from_seventy() && !C::E.from_seventy());
    // The same income bracket has the same ceiling before and after 70.
    assert_eq!(C::WorkingIncomeI.explanation_ja(), C::C.explanation_ja());
    assert!(C::General.explanation_ja().contains("18,000円"));
    assert!(C::LowIncomeI.explanation_en().contains("¥15,000"));
    assert_eq!("ｵ".parse::<C>().unwrap().label_ja(), "オ");
}

#[test]
fn insurance_kind_from_insurer() {
    use InsuranceKind as K;
    // Check digits by hand (products right to left, weights 2,1,…):
    // 0613001: 2,0,0,3,2,6,0 = 13 → 7;  6713001: 2,0,0,3,2,7,12→3 = 17 → 3;
    // 9913001: 2,0,0,3,2,9,18→9 = 25 → 5.
    let cases = [
        ("01130012", Some(K::Employee)),
        ("06130017", Some(K::Employee)),
        ("39131156", Some(K::LaterElderly)),
        ("131011", Some(K::National)),
        ("67130013", Some(K::National)),
        ("99130015", None),
    ];
    for (input, want) in cases {
        let insurer = InsurerNumber::parse(input).unwrap();
        assert_eq!(
            InsuranceKind::from_insurer(&insurer),
            want,
            "input {input:?}"
        );
    }
    assert_eq!(K::LaterElderly.label_ja(), "後期高齢者医療");
}

#[test]
fn validity_bounds() {
    let open = Validity::new(d(2024, 4, 1), None).unwrap();
    let closed = Validity::new(d(2024, 4, 1), Some(d(2025, 3, 31))).unwrap();
    let one_day = Validity::new(d(2024, 4, 1), Some(d(2024, 4, 1))).unwrap();
    let cases = [
        (open, d(2024, 3, 31), false),
        (open, d(2024, 4, 1), true),
        (open, d(2099, 1, 1), true),
        (closed, d(2024, 4, 1), true),
        (closed, d(2025, 3, 31), true),
        (closed, d(2025, 4, 1), false),
        (one_day, d(2024, 4, 1), true),
        (one_day, d(2024, 4, 2), false),
    ];
    for (v, date, want) in cases {
        assert_eq!(v.contains(date), want, "{v:?} {date}");
    }
    let err = Validity::new(d(2024, 4, 2), Some(d(2024, 4, 1))).unwrap_err();
    assert_eq!(err.code(), "validity_ends_before_start");
}

#[test]
fn serde_names() {
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::Error as DeError;

    let cases = [
        ("a", Some(CeilingCategory::A)),
        ("e", Some(CeilingCategory::E)),
        (
            "working_income_iii",
            Some(CeilingCategory::WorkingIncomeIii),
        ),
        ("general", Some(CeilingCategory::General)),
        ("low_income_i", Some(CeilingCategory::LowIncomeI)),
        ("A", None),
        ("ア", None),
    ];
    for (name, want) in cases {
        let got: Result<CeilingCategory, DeError> =
            CeilingCategory::deserialize(name.into_deserializer());
        assert_eq!(got.ok(), want, "{name:?}");
    }
    let kind: Result<InsuranceKind, DeError> =
        InsuranceKind::deserialize("later_elderly".into_deserializer());
    assert_eq!(kind.unwrap(), InsuranceKind::LaterElderly);
}
