//! Table tests for insurer numbers and the card parts.

#![allow(clippy::unwrap_used)]

use super::*;
use InsuredError as E;

// Valid vectors (see check_digit tests for the arithmetic): 01130012 協会けんぽ東京,
// 39131156 東京都後期高齢者医療広域連合, 131011 千代田区国保, 06013502, 012344 (01234 → 4),
// 01000009 (0100000 → 1 → 9), 99999997 (7 × 9 = 63 → 7).
#[test]
fn insurer_number_cases() {
    let cases = [
        ("01130012", Ok(("01130012", false, Some("01"), Some(13)))),
        (
            "０１１３００１２",
            Ok(("01130012", false, Some("01"), Some(13))),
        ),
        (
            "\u{3000}3913 1156 ",
            Ok(("39131156", false, Some("39"), Some(13))),
        ),
        ("06013502", Ok(("06013502", false, Some("06"), Some(1)))),
        ("131011", Ok(("131011", true, None, Some(13)))),
        ("00131011", Ok(("131011", true, None, Some(13)))),
        ("00012344", Ok(("012344", true, None, Some(1)))),
        ("01000009", Ok(("01000009", false, Some("01"), None))),
        ("99999997", Ok(("99999997", false, Some("99"), None))),
        ("", Err(E::InsurerEmpty)),
        (" ", Err(E::InsurerEmpty)),
        ("0113001", Err(E::InsurerLength { found: 7 })),
        ("011300120", Err(E::InsurerLength { found: 9 })),
        ("13101", Err(E::InsurerLength { found: 5 })),
        ("0113001a", Err(E::InsurerNonDigit)),
        ("0113-0012", Err(E::InsurerNonDigit)),
        (
            "01130013",
            Err(E::InsurerCheckDigit {
                expected: 2,
                found: 3,
            }),
        ),
        (
            "00012345",
            Err(E::InsurerCheckDigit {
                expected: 4,
                found: 5,
            }),
        ),
        (
            "131012",
            Err(E::InsurerCheckDigit {
                expected: 1,
                found: 2,
            }),
        ),
    ];
    for (input, want) in cases {
        let got = InsurerNumber::parse(input).map(|n| {
            let pref = n.prefecture().map(Prefecture::code);
            (
                n.as_str().to_owned(),
                n.is_national_health_insurance(),
                n.law_code().map(str::to_owned),
                pref,
            )
        });
        let want =
            want.map(|(s, nhi, law, pref)| (s.to_owned(), nhi, law.map(str::to_owned), pref));
        assert_eq!(got, want, "input {input:?}");
    }
}

#[test]
fn insurer_jp_core_form_and_serde_string() {
    assert_eq!(
        InsurerNumber::parse("131011").unwrap().to_jp_core(),
        "00131011"
    );
    assert_eq!(
        InsurerNumber::parse("01130012").unwrap().to_jp_core(),
        "01130012"
    );
    let n = InsurerNumber::try_from("00131011".to_owned()).unwrap();
    assert_eq!(String::from(n), "131011");
    assert_eq!(
        InsurerNumber::parse("x").unwrap_err().code(),
        "insurer_number_non_digit"
    );
}

#[test]
fn symbol_cases() {
    let long = "あ".repeat(21);
    let max = "あ".repeat(20);
    let cases = [
        ("あいう", Ok("あいう")),
        ("ＡＢ－１２", Ok("AB-12")),
        ("東京１", Ok("東京1")),
        ("ｱｲｳ", Ok("ｱｲｳ")),
        ("コーポ", Ok("コーポ")),
        ("12ー34", Ok("12-34")),
        ("々", Ok("々")),
        (max.as_str(), Ok(max.as_str())),
        ("", Err(E::SymbolEmpty)),
        ("\u{3000}", Err(E::SymbolEmpty)),
        (long.as_str(), Err(E::SymbolTooLong { found: 21 })),
        ("あ い", Err(E::SymbolInvalidChar { ch: ' ' })),
        ("A:B", Err(E::SymbolInvalidChar { ch: ':' })),
        ("A・B", Err(E::SymbolInvalidChar { ch: '・' })),
        ("A_B", Err(E::SymbolInvalidChar { ch: '_' })),
    ];
    for (input, want) in cases {
        let got = InsuredSymbol::parse(input);
        assert_eq!(
            got.as_ref().map(InsuredSymbol::as_str),
            want.as_ref().map(|s| *s),
            "input {input:?}"
        );
    }
}

#[test]
fn member_number_cases() {
    let cases = [
        ("187", Ok("187")),
        ("１８７", Ok("187")),
        ("A-12", Ok("A-12")),
        ("12345678901234567890", Ok("12345678901234567890")),
        ("", Err(E::NumberEmpty)),
        ("123456789012345678901", Err(E::NumberTooLong { found: 21 })),
        ("あ1", Err(E::NumberInvalidChar { ch: 'あ' })),
        ("1 2", Err(E::NumberInvalidChar { ch: ' ' })),
    ];
    for (input, want) in cases {
        let got = InsuredMemberNumber::parse(input);
        assert_eq!(
            got.as_ref().map(InsuredMemberNumber::as_str),
            want.as_ref().map(|s| *s),
            "input {input:?}"
        );
    }
}

#[test]
fn member_number_masking() {
    let cases = [
        ("187", "*87"),
        ("1234567", "*****67"),
        ("12", "12"),
        ("1", "1"),
        ("A-12", "**12"),
    ];
    for (input, want) in cases {
        assert_eq!(
            InsuredMemberNumber::parse(input).unwrap().masked(),
            want,
            "input {input:?}"
        );
    }
}

#[test]
fn branch_cases() {
    let cases = [
        ("05", Ok("05")),
        ("００", Ok("00")),
        (" 99 ", Ok("99")),
        ("5", Err(E::BranchTwoDigitsRequired { found: 1 })),
        ("", Err(E::BranchTwoDigitsRequired { found: 0 })),
        ("005", Err(E::BranchTwoDigitsRequired { found: 3 })),
        ("0a", Err(E::BranchNonDigit)),
    ];
    for (input, want) in cases {
        let got = Branch::parse(input);
        assert_eq!(
            got.as_ref().map(Branch::as_str),
            want.as_ref().map(|s| *s),
            "input {input:?}"
        );
    }
    assert_eq!(
        Branch::parse("5").unwrap_err().code(),
        "branch_two_digits_required"
    );
}

#[test]
fn serde_reparses_strings() {
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::Error as DeError;

    let ok: Result<InsurerNumber, DeError> =
        InsurerNumber::deserialize("０１１３００１２".into_deserializer());
    assert_eq!(ok.unwrap().as_str(), "01130012");
    let bad: Result<InsurerNumber, DeError> =
        InsurerNumber::deserialize("00012345".into_deserializer());
    assert!(bad.is_err());
    let id: Result<PersonalInsuredNumber, DeError> =
        PersonalInsuredNumber::deserialize("00131011:あいう:187:05".into_deserializer());
    assert_eq!(String::from(id.unwrap()), "00131011:あいう:187:05");
}
