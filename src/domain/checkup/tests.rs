//! Table tests for checkup items, kinds, questionnaire and result construction.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::domain::person::Sex;
use CheckupItem::*;

#[test]
fn item_table() {
    #[rustfmt::skip]
    let cases = [
        (Height, "9N001000000000001", "cm"), (Weight, "9N006000000000001", "kg"),
        (Bmi, "9N011000000000001", ""), (Waist, "9N016160100000001", "cm"),
        (SystolicBp, "9A751000000000001", "mmHg"), (DiastolicBp, "9A761000000000001", "mmHg"),
        (Triglycerides, "3F015000002327101", "mg/dL"), (Hdl, "3F070000002327101", "mg/dL"),
        (Ldl, "3F077000002327101", "mg/dL"), (FastingGlucose, "3D010000001926101", "mg/dL"),
        (Hba1c, "3D046000001906202", "%"), (Ast, "3B035000002327201", "U/L"),
        (Alt, "3B045000002327201", "U/L"), (GammaGt, "3B090000002327101", "U/L"),
        (Egfr, "8A065000002391901", "mL/min/1.73m²"), (UrineGlucose, "1A020000000191111", ""),
        (UrineProtein, "1A010000000190111", ""),
    ];
    assert_eq!(cases.len(), CheckupItem::ALL.len());
    for (item, code, unit) in cases {
        assert_eq!((item.code(), item.unit()), (code, unit), "{item:?}");
        assert_eq!(code.len(), 17);
        assert_eq!(CheckupItem::from_code(code), Ok(item));
        assert!(!item.label_ja().is_empty() && !item.label_en().is_empty());
        assert_eq!(item.is_urine(), item.plausible_range().is_none());
    }
}

#[test]
fn from_code_normalizes_and_rejects() {
    let cases = [
        ("９Ｎ００１０００００００００００１", Ok(Height)),
        (" 9n001000000000001 ", Ok(Height)),
        ("9N016160300000001", Err(CheckupError::ItemCodeUnknown)),
        ("9N00100000000000", Err(CheckupError::ItemCodeUnknown)),
        ("", Err(CheckupError::ItemCodeUnknown)),
    ];
    for (input, want) in cases {
        assert_eq!(CheckupItem::from_code(input), want, "{input:?}");
    }
}

#[test]
fn result_construction() {
    use CheckupValue::{Number, Urine};
    let cases = [
        (SystolicBp, Number(120.0), Ok(())),
        (SystolicBp, Number(50.0), Ok(())),
        (SystolicBp, Number(300.0), Ok(())),
        (SystolicBp, Number(49.9), Err("checkup_value_implausible")),
        (SystolicBp, Number(300.1), Err("checkup_value_implausible")),
        (
            SystolicBp,
            Number(f64::NAN),
            Err("checkup_value_not_finite"),
        ),
        (
            Height,
            Number(f64::INFINITY),
            Err("checkup_value_not_finite"),
        ),
        (Height, Number(1.7), Err("checkup_value_implausible")),
        (Hba1c, Number(5.6), Ok(())),
        (
            Hba1c,
            Urine(UrineGrade::Plus1),
            Err("checkup_expected_number"),
        ),
        (UrineProtein, Urine(UrineGrade::Trace), Ok(())),
        (
            UrineGlucose,
            Number(1.0),
            Err("checkup_expected_urine_grade"),
        ),
    ];
    for (item, value, want) in cases {
        let got = CheckupResult::new(item, value)
            .map(|_| ())
            .map_err(|e| e.code());
        assert_eq!(got, want, "{item:?} {value:?}");
    }
}

#[test]
fn result_band() {
    use CheckupValue::{Number, Urine};
    let cases = [
        (Waist, Number(87.0), Sex::Male, Some(Band::Guidance)),
        (Waist, Number(87.0), Sex::Female, Some(Band::Normal)),
        (Hdl, Number(34.0), Sex::Female, Some(Band::SeeDoctor)),
        (Height, Number(170.0), Sex::Male, None),
        (
            UrineProtein,
            Urine(UrineGrade::Negative),
            Sex::Male,
            Some(Band::Normal),
        ),
        (
            UrineGlucose,
            Urine(UrineGrade::Plus2),
            Sex::Female,
            Some(Band::SeeDoctor),
        ),
    ];
    for (item, value, sex, want) in cases {
        let r = CheckupResult::new(item, value).unwrap();
        assert_eq!((r.item(), r.value()), (item, value));
        assert_eq!(r.band(sex), want, "{item:?} {sex:?}");
    }
}

#[test]
fn checkup_kind_for_ages() {
    let ages = |at_exam, by_fiscal_year_end| Ages {
        at_exam,
        by_fiscal_year_end,
    };
    let cases = [
        (ages(0, 0), None),
        (ages(39, 39), None),
        // Reaching 40 within the fiscal year is enough, even before the birthday.
        (ages(39, 40), Some(CheckupKind::Specific)),
        (ages(40, 40), Some(CheckupKind::Specific)),
        // Turning 75 later in the year: still 特定健診 until the birthday.
        (ages(74, 75), Some(CheckupKind::Specific)),
        (ages(75, 75), Some(CheckupKind::LaterElderly)),
        (ages(120, 120), Some(CheckupKind::LaterElderly)),
    ];
    for (ages, want) in cases {
        assert_eq!(CheckupKind::for_ages(ages), want, "{ages:?}");
    }
    assert_eq!(CheckupKind::LaterElderly.label_ja(), "後期高齢者健診");
}

#[test]
fn questionnaire_treatment() {
    let q = Questionnaire {
        on_bp_medication: true,
        on_lipid_medication: true,
        ..Default::default()
    };
    let cases = [
        (SystolicBp, true),
        (DiastolicBp, true),
        (Ldl, true),
        (Hdl, true),
        (Hba1c, false),
        (UrineGlucose, false),
        (Bmi, false),
    ];
    for (item, want) in cases {
        assert_eq!(q.treated_for(item), want, "{item:?}");
    }
}

#[test]
fn serde_names() {
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::Error as DeError;

    let item: Result<CheckupItem, DeError> =
        CheckupItem::deserialize("systolic_bp".into_deserializer());
    assert_eq!(item.unwrap(), SystolicBp);
    let grade: Result<UrineGrade, DeError> = UrineGrade::deserialize("plus2".into_deserializer());
    assert_eq!(grade.unwrap(), UrineGrade::Plus2);
    let kind: Result<CheckupKind, DeError> =
        CheckupKind::deserialize("later_elderly".into_deserializer());
    assert_eq!(kind.unwrap(), CheckupKind::LaterElderly);
}
