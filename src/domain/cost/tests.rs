//! Table tests for care types, care months and cost notice validation.

#![allow(clippy::unwrap_used)]

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn care_month_parse() {
    use CostError as E;
    let cases = [
        ("2024-05", Ok("2024-05")),
        ("2024/05", Ok("2024-05")),
        ("202405", Ok("2024-05")),
        ("２０２４－０５", Ok("2024-05")),
        ("２０２４／０５", Ok("2024-05")),
        ("２０２４０５", Ok("2024-05")),
        ("2024-5", Ok("2024-05")),
        ("2024年5月", Ok("2024-05")),
        ("２０２４年１２月", Ok("2024-12")),
        (" 2024-01 ", Ok("2024-01")),
        ("2024-00", Err(E::CareMonthMonth { found: 0 })),
        ("2024-13", Err(E::CareMonthMonth { found: 13 })),
        ("202413", Err(E::CareMonthMonth { found: 13 })),
        ("1899-12", Err(E::CareMonthYear { found: 1899 })),
        ("3000-01", Err(E::CareMonthYear { found: 3000 })),
        ("", Err(E::CareMonthFormat)),
        ("2024", Err(E::CareMonthFormat)),
        ("24-05", Err(E::CareMonthFormat)),
        ("2024-05-01", Err(E::CareMonthFormat)),
        ("2024-005", Err(E::CareMonthFormat)),
        ("2024-+5", Err(E::CareMonthFormat)),
        ("令和6年5月", Err(E::CareMonthFormat)),
        ("2024年5", Err(E::CareMonthFormat)),
        ("ああああああ", Err(E::CareMonthFormat)),
    ];
    for (input, want) in cases {
        let got = CareMonth::parse(input).map(|m| m.to_string());
        assert_eq!(got, want.map(str::to_owned), "{input:?}");
    }
}

#[test]
fn care_month_calendar() {
    let cases = [
        ("2024-02", 29, d(2024, 2, 1)),
        ("2023-02", 28, d(2023, 2, 1)),
        ("2100-02", 28, d(2100, 2, 1)),
        ("2000-02", 29, d(2000, 2, 1)),
        ("2024-04", 30, d(2024, 4, 1)),
        ("2024-12", 31, d(2024, 12, 1)),
    ];
    for (input, days, first) in cases {
        let m = CareMonth::parse(input).unwrap();
        assert_eq!((m.days_in_month(), m.first_day()), (days, first), "{input}");
    }
    let may = CareMonth::new(2024, 5).unwrap();
    assert_eq!((may.year(), may.month()), (2024, 5));
    assert!(may.contains(d(2024, 5, 31)));
    assert!(!may.contains(d(2024, 6, 1)));
    assert!(!may.contains(d(2023, 5, 15)));
    assert_eq!(String::from(may), "2024-05");
    assert_eq!(CareMonth::try_from("202405".to_owned()).unwrap(), may);
    assert!(CareMonth::new(2024, 4).unwrap() < may);
}

fn notice(month: &str, days: u16, total: i64, insurer: i64, patient: i64) -> CostNotice {
    CostNotice {
        care_month: CareMonth::parse(month).unwrap(),
        institution: InstitutionCode::parse("1310123455").unwrap(),
        care_type: CareType::Outpatient,
        days,
        total: Yen::new(total).unwrap(),
        insurer_paid: Yen::new(insurer).unwrap(),
        patient_paid: Yen::new(patient).unwrap(),
        source: RecordSource::CostNotice,
    }
}

#[test]
fn cost_notice_validation() {
    let cases = [
        (notice("2024-05", 2, 10_000, 7_000, 3_000), Ok(())),
        (notice("2024-05", 0, 10_000, 7_000, 1_000), Ok(())),
        (notice("2024-05", 31, 0, 0, 0), Ok(())),
        (notice("2024-02", 29, 100, 70, 30), Ok(())),
        (
            notice("2023-02", 29, 100, 70, 30),
            Err("cost_days_exceed_month"),
        ),
        (
            notice("2024-04", 31, 100, 70, 30),
            Err("cost_days_exceed_month"),
        ),
        (
            notice("2024-05", 32, 100, 70, 30),
            Err("cost_days_exceed_month"),
        ),
        (
            notice("2024-05", 2, 10_000, 7_000, 3_001),
            Err("cost_paid_exceeds_total"),
        ),
        (
            notice("2024-05", 2, 10_000, i64::MAX, 1),
            Err("cost_paid_exceeds_total"),
        ),
    ];
    for (n, want) in cases {
        let got = n.validate().map_err(|e| e.code());
        assert_eq!(
            got, want,
            "{} days {} total {}",
            n.care_month, n.days, n.total
        );
    }
    let err = notice("2024-04", 31, 1, 0, 0).validate().unwrap_err();
    assert_eq!(err, CostError::DaysExceedMonth { days: 31, max: 30 });
}

#[test]
fn other_paid_is_the_remainder() {
    let cases = [
        (notice("2024-05", 1, 10_000, 7_000, 2_000), 1_000),
        (notice("2024-05", 1, 10_000, 7_000, 3_000), 0),
        (notice("2024-05", 1, 10_000, 7_000, 4_000), 0),
    ];
    for (n, want) in cases {
        assert_eq!(n.other_paid().value(), want);
    }
}

#[test]
fn care_type_labels() {
    let cases = [
        (CareType::Inpatient, "入院", "Inpatient"),
        (CareType::Outpatient, "外来", "Outpatient"),
        (CareType::Dental, "歯科", "Dental"),
        (CareType::Dispensing, "調剤", "Dispensing"),
    ];
    for (t, ja, en) in cases {
        assert_eq!((t.label_ja(), t.label_en()), (ja, en));
    }
}

#[test]
fn serde_forms() {
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::Error as DeError;

    let yen: Result<Yen, DeError> = Yen::deserialize(1234_i64.into_deserializer());
    assert_eq!(yen.unwrap().value(), 1234);
    let negative: Result<Yen, DeError> = Yen::deserialize((-1_i64).into_deserializer());
    assert!(negative.is_err());
    let month: Result<CareMonth, DeError> =
        CareMonth::deserialize("２０２４／０５".into_deserializer());
    assert_eq!(month.unwrap().to_string(), "2024-05");
}
