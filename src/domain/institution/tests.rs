//! Table tests for institution codes, score tables and kinds.

#![allow(clippy::unwrap_used)]

use super::*;

// Check digits by hand, weights 2,1,… from the right. Tokyo, over 郡市区+機関 (6 digits):
// "012345": 10→1, 4, 6, 2, 2, 0 = 15 → 5. Elsewhere over the nine from the prefecture on:
// "013000001": 2, 0, 0, 0, 0, 0, 6, 1, 0 = 9 → 1. See `real_codes` for codes the bureaus issued.
#[test]
fn parse_cases() {
    use InstitutionError as E;
    let cases = [
        ("1310123455", Ok(("13", ScoreTable::Medical))),
        ("１３１０１２３４５５", Ok(("13", ScoreTable::Medical))),
        (" 13 1 01 2345 5 ", Ok(("13", ScoreTable::Medical))),
        ("0130000011", Ok(("01", ScoreTable::Dental))),
        ("4749912343", Ok(("47", ScoreTable::Pharmacy))),
        ("", Err(E::CodeEmpty)),
        ("131012345", Err(E::CodeLength { found: 9 })),
        ("13101234555", Err(E::CodeLength { found: 11 })),
        ("13-1012345", Err(E::CodeNonDigit)),
        ("0010123455", Err(E::PrefectureOutOfRange { found: 0 })),
        ("4810123455", Err(E::PrefectureOutOfRange { found: 48 })),
        ("1320123455", Err(E::ScoreTable { found: '2' })),
        ("1350123455", Err(E::ScoreTable { found: '5' })),
        (
            "1310123454",
            Err(E::CheckDigit {
                expected: 5,
                found: 4,
            }),
        ),
    ];
    for (input, want) in cases {
        let got = InstitutionCode::parse(input).map(|c| (c.prefecture().as_str(), c.score_table()));
        assert_eq!(got, want, "input {input:?}");
    }
}

#[test]
fn accessors_and_serde_form() {
    let c = InstitutionCode::parse("１３１０１２３４５５").unwrap();
    assert_eq!(c.as_str(), "1310123455");
    assert_eq!(c.local_number(), "0123455");
    assert_eq!(c.prefecture().name_ja(), "東京都");
    assert_eq!(String::from(c.clone()), "1310123455");
    assert_eq!(
        InstitutionCode::try_from("1310123455".to_owned()).unwrap(),
        c
    );
}

#[test]
fn kind_consistency() {
    use InstitutionKind as K;
    use ScoreTable as T;
    let cases = [
        (K::Hospital, T::Medical, true),
        (K::Clinic, T::Medical, true),
        (K::DentalClinic, T::Dental, true),
        (K::Pharmacy, T::Pharmacy, true),
        (K::Hospital, T::Dental, false),
        (K::Clinic, T::Pharmacy, false),
        (K::DentalClinic, T::Medical, false),
        (K::Pharmacy, T::Medical, false),
    ];
    for (kind, table, ok) in cases {
        assert_eq!(kind.allowed_for(table), ok, "{kind:?} {table:?}");
    }
    let pharmacy = InstitutionCode::parse("4749912343").unwrap();
    assert_eq!(K::Pharmacy.ensure_matches(&pharmacy), Ok(()));
    let err = K::Clinic.ensure_matches(&pharmacy).unwrap_err();
    assert_eq!(err.code(), "institution_kind_mismatch");
}

#[test]
fn labels() {
    assert_eq!(InstitutionKind::DentalClinic.label_ja(), "歯科診療所");
    assert_eq!(InstitutionKind::Pharmacy.label_en(), "Pharmacy");
    assert_eq!(ScoreTable::Pharmacy.label_ja(), "調剤");
    assert_eq!(ScoreTable::Dental.digit(), '3');
}

/// Codes the regional health bureaus issued, from every prefecture and each score table (the
/// file names the published list each row was copied from): every one is valid, and the
/// demo's way of completing a code agrees with each.
#[test]
fn real_codes_from_every_prefecture_and_table() {
    let file = include_str!("../../../tests/data/real_institution_codes.csv");
    let mut seen = std::collections::BTreeSet::new();
    let mut count = 0;
    for line in file.lines().skip(1) {
        let fields: Vec<&str> = line.splitn(5, ',').collect();
        let [code, prefecture, table, name, _source] = fields[..] else {
            panic!("{line}");
        };
        let parsed = InstitutionCode::parse(code).unwrap_or_else(|e| panic!("{code} {name}: {e}"));
        assert_eq!(parsed.prefecture().as_str(), prefecture, "{code}");
        assert_eq!(parsed.score_table().digit().to_string(), table, "{code}");
        let completed = complete_code(parsed.prefecture(), parsed.score_table(), &code[3..9]);
        assert_eq!(completed.as_deref(), Some(code), "{name}");
        seen.insert((prefecture.to_owned(), table.to_owned()));
        count += 1;
    }
    assert!(count > 400, "{count}");
    assert_eq!(
        seen.len(),
        47 * 3,
        "every prefecture, medical, dental and pharmacy"
    );
    // The example the rule was found on: a Sapporo hospital, valid only over nine digits.
    assert!(InstitutionCode::parse("0110113420").is_ok());
    // A Chiba code is checked over six digits, like Saitama, Tokyo and Kanagawa.
    assert_eq!(
        complete_code(
            Prefecture::parse("12").unwrap(),
            ScoreTable::Medical,
            "012345"
        )
        .as_deref(),
        Some("1210123455")
    );
}
