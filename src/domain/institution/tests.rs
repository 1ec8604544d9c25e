//! Table tests for institution codes, score tables and kinds.

#![allow(clippy::unwrap_used)]

use super::*;

// Check digits by hand over 郡市区+機関 (6 digits), weights 2,1,… from the right:
// "012345": 10→1, 4, 6, 2, 2, 0 = 15 → 5;  "000001": 2 → 8;  "991234": 8, 3, 4, 1, 18→9, 9 = 34 → 6
#[test]
fn parse_cases() {
    use InstitutionError as E;
    let cases = [
        ("1310123455", Ok(("13", ScoreTable::Medical))),
        ("１３１０１２３４５５", Ok(("13", ScoreTable::Medical))),
        (" 13 1 01 2345 5 ", Ok(("13", ScoreTable::Medical))),
        ("0130000018", Ok(("01", ScoreTable::Dental))),
        ("4749912346", Ok(("47", ScoreTable::Pharmacy))),
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
    let pharmacy = InstitutionCode::parse("4749912346").unwrap();
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
