//! Table tests for drug codes and medication records.

#![allow(clippy::unwrap_used)]

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn record(days_supplied: u16, quantity: f64, dose_per_day: Option<f64>) -> MedicationRecord {
    MedicationRecord {
        dispensed_on: d(2025, 1, 30),
        dispenser: InstitutionCode::parse("4749912343").unwrap(),
        prescriber: Some(InstitutionCode::parse("1310123455").unwrap()),
        drug_name: "プレドニン錠５ｍｇ".to_owned(),
        drug_code: DrugCode::parse("2456001F1310").unwrap(),
        strength: "5mg".to_owned(),
        dose_per_day,
        days_supplied,
        quantity,
        unit: "錠".to_owned(),
        route: Route::Oral,
        generic: false,
        source: RecordSource::EPrescription,
    }
}

#[test]
fn code_systems_are_named_as_jp_core_names_them() {
    assert_eq!(
        YJ_SYSTEM,
        "http://capstandard.jp/iyaku.info/CodeSystem/YJ-code"
    );
    assert_eq!(HOT9_SYSTEM, "http://medis.or.jp/CodeSystem/master-HOT9");
}

#[test]
fn yj_code_cases() {
    use MedicationError as E;
    // Real shapes from JP Core examples: 2456001F1310 (プレドニン錠5mg), 2233002F1280.
    let cases = [
        ("2456001F1310", Ok("2456001F1310")),
        ("２４５６００１Ｆ１３１０", Ok("2456001F1310")),
        ("2456001f1310", Ok("2456001F1310")),
        ("245600121310", Ok("245600121310")),
        ("2456001F131", Err(E::DrugCodeLength { found: 11 })),
        ("2456001F13100", Err(E::DrugCodeLength { found: 13 })),
        ("245600AF1310", Err(E::YjShape)),
        ("2456001-1310", Err(E::YjShape)),
        ("2456001F13X0", Err(E::YjShape)),
        ("2456001F131X", Err(E::YjShape)),
        ("あいうえおかきくけこさし", Err(E::YjShape)),
        // By generic name (一般名処方マスタ): 9 characters, then ZZZ.
        ("2171022F2ZZZ", Ok("2171022F2ZZZ")),
        ("2171022f2zzz", Ok("2171022F2ZZZ")),
        ("2171022FZZZZ", Err(E::YjShape)),
        ("2171022F2ZZ0", Err(E::YjShape)),
        ("2171022F2ZZY", Err(E::YjShape)),
    ];
    for (input, want) in cases {
        let got = YjCode::parse(input);
        assert_eq!(
            got.as_ref().map(YjCode::as_str),
            want.as_ref().map(|s| *s),
            "{input:?}"
        );
    }
    let yj = YjCode::parse("2456001F1310").unwrap();
    assert_eq!((yj.class(), yj.ingredient()), ("2456", "2456001"));
    assert!(!yj.is_generic_name() && !yj.class_is_catch_all());
    let by_name = YjCode::parse("2171022F2ZZZ").unwrap();
    assert!(by_name.is_generic_name());
    assert_eq!(by_name.ingredient(), "2171022");
    assert!(YjCode::parse("2329021F1021").unwrap().class_is_catch_all());
    assert!(YjCode::parse("3999004F1020").unwrap().class_is_catch_all());
}

#[test]
fn receipt_code_cases() {
    use MedicationError as E;
    let cases = [
        ("620000001", Ok("620000001")),
        ("６２００００００１", Ok("620000001")),
        ("520000001", Err(E::ReceiptFirstDigit { found: '5' })),
        ("103835401", Err(E::ReceiptFirstDigit { found: '1' })),
        ("62000000a", Err(E::ReceiptNonDigit)),
        ("62000001", Err(E::DrugCodeLength { found: 8 })),
    ];
    for (input, want) in cases {
        let got = ReceiptCode::parse(input);
        assert_eq!(
            got.as_ref().map(ReceiptCode::as_str),
            want.as_ref().map(|s| *s),
            "{input:?}"
        );
    }
}

#[test]
fn drug_code_dispatch_by_shape() {
    let cases = [
        ("2456001F1310", Ok("yj")),
        ("620000001", Ok("receipt")),
        ("", Err("drug_code_length")),
        ("1234567890", Err("drug_code_length")),
        ("520000001", Err("receipt_code_first_digit")),
        ("2456001F13X0", Err("yj_code_shape")),
    ];
    for (input, want) in cases {
        let got = DrugCode::parse(input)
            .map(|c| match c {
                DrugCode::Yj(_) => "yj",
                DrugCode::Receipt(_) => "receipt",
            })
            .map_err(|e| e.code());
        assert_eq!(got, want, "{input:?}");
    }
    assert_eq!(
        DrugCode::parse("６２００００００１").unwrap().as_str(),
        "620000001"
    );
}

#[test]
fn record_validation() {
    let cases = [
        (record(1, 1.0, None), Ok(())),
        (record(365, 0.5, Some(3.0)), Ok(())),
        (record(0, 1.0, None), Err("days_supplied_range")),
        (record(366, 1.0, None), Err("days_supplied_range")),
        (record(14, 0.0, None), Err("quantity_not_positive")),
        (record(14, -1.0, None), Err("quantity_not_positive")),
        (record(14, f64::NAN, None), Err("quantity_not_positive")),
        (
            record(14, f64::INFINITY, None),
            Err("quantity_not_positive"),
        ),
        (
            record(14, 42.0, Some(0.0)),
            Err("dose_per_day_not_positive"),
        ),
        (
            record(14, 42.0, Some(f64::NAN)),
            Err("dose_per_day_not_positive"),
        ),
    ];
    for (r, want) in cases {
        let got = r.validate().map_err(|e| e.code());
        assert_eq!(
            got, want,
            "days {} qty {} dose {:?}",
            r.days_supplied, r.quantity, r.dose_per_day
        );
    }
    let mut nameless = record(14, 42.0, None);
    nameless.drug_name = " \u{3000}".to_owned();
    assert_eq!(nameless.validate(), Err(MedicationError::DrugNameEmpty));
}

#[test]
fn last_day_and_coverage() {
    let cases = [
        (1, d(2025, 1, 30)),
        (2, d(2025, 1, 31)),
        (3, d(2025, 2, 1)),
        (30, d(2025, 2, 28)),
        (31, d(2025, 3, 1)),
        (0, d(2025, 1, 30)),
    ];
    for (days, want) in cases {
        assert_eq!(record(days, 1.0, None).last_day(), want, "days {days}");
    }
    let r = record(3, 3.0, None);
    assert!(!r.covers(d(2025, 1, 29)));
    assert!(r.covers(d(2025, 1, 30)));
    assert!(r.covers(d(2025, 2, 1)));
    assert!(!r.covers(d(2025, 2, 2)));
    let mut end = record(365, 1.0, None);
    end.dispensed_on = NaiveDate::MAX;
    assert_eq!(end.last_day(), NaiveDate::MAX);
}

#[test]
fn route_labels() {
    let cases = [
        (Route::Oral, "内服", "Oral"),
        (Route::AsNeeded, "頓服", "As needed"),
        (Route::External, "外用", "External"),
        (Route::Injection, "注射", "Injection"),
    ];
    for (route, ja, en) in cases {
        assert_eq!((route.label_ja(), route.label_en()), (ja, en));
    }
}
