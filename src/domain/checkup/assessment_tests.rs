//! Table tests at, just below and just above every cut-off of the checkup assessments.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::domain::checkup::UrineGrade;
use CheckupItem::*;
use GuidanceLevel::{Active as Act, Motivational as Mot, None as NoLevel};
use MetabolicVerdict::{CannotJudge, Meets, None as NoMets, Pre};
use ObesityGroup::{Bmi as B, Waist as A};

const Q: Questionnaire = Questionnaire {
    on_bp_medication: false,
    on_glucose_medication: false,
    on_lipid_medication: false,
    smoker: false,
    fasting: false,
};
const FAST: Questionnaire = Questionnaire { fasting: true, ..Q };
const SMOKER: Questionnaire = Questionnaire { smoker: true, ..Q };
const BP_MED: Questionnaire = Questionnaire {
    on_bp_medication: true,
    ..Q
};
const GLUCOSE_MED: Questionnaire = Questionnaire {
    on_glucose_medication: true,
    ..Q
};
const LIPID_MED: Questionnaire = Questionnaire {
    on_lipid_medication: true,
    ..Q
};

fn results(values: &[(CheckupItem, f64)]) -> Vec<CheckupResult> {
    values
        .iter()
        .map(|&(item, v)| CheckupResult::new(item, CheckupValue::Number(v)).unwrap())
        .collect()
}

/// A full result sheet within every cut-off, for both sexes. Fasting glucose is left out so
/// each row chooses whether it is there (when usable it decides instead of HbA1c).
const NORMAL: Values = &[
    (Waist, 70.0),
    (Bmi, 22.0),
    (SystolicBp, 110.0),
    (DiastolicBp, 70.0),
    (Triglycerides, 100.0),
    (Hdl, 60.0),
    (Hba1c, 5.0),
];

/// `values` over [`NORMAL`]: each row states only what differs from a normal sheet.
fn sheet(values: &[(CheckupItem, f64)]) -> Vec<CheckupResult> {
    let kept = NORMAL
        .iter()
        .filter(|(item, _)| !values.iter().any(|(given, _)| given == item));
    results(&kept.chain(values).copied().collect::<Vec<_>>())
}

/// The same age on the exam day and by the end of its fiscal year.
const fn age(years: u32) -> Ages {
    Ages {
        at_exam: years,
        by_fiscal_year_end: years,
    }
}

/// `None` in a sex column means the row must hold for both sexes.
fn sexes(sex: Option<Sex>) -> Vec<Sex> {
    sex.map_or(vec![Sex::Male, Sex::Female], |s| vec![s])
}

type Values = &'static [(CheckupItem, f64)];
const M: Option<Sex> = Some(Sex::Male);
const F: Option<Sex> = Some(Sex::Female);
const BOTH: Option<Sex> = None;

/// Waist 90 is over the cut-off for both sexes, so each row isolates one risk.
#[rustfmt::skip]
const METABOLIC: &[(Option<Sex>, Values, Questionnaire, MetabolicVerdict)] = &[
    // Waist is required, at the sex cut-off.
    (M, &[(Waist, 84.9), (SystolicBp, 140.0)], Q, NoMets),
    (M, &[(Waist, 85.0), (SystolicBp, 140.0)], Q, Pre),
    (M, &[(Waist, 85.1), (SystolicBp, 140.0)], Q, Pre),
    (F, &[(Waist, 85.0), (SystolicBp, 140.0)], Q, NoMets),
    (F, &[(Waist, 89.9), (SystolicBp, 140.0)], Q, NoMets),
    (F, &[(Waist, 90.0), (SystolicBp, 140.0)], Q, Pre),
    (F, &[(Waist, 90.1), (SystolicBp, 140.0)], Q, Pre),
    (BOTH, &[(SystolicBp, 140.0), (Triglycerides, 200.0), (FastingGlucose, 120.0)], FAST, NoMets),
    (M, &[(Waist, 84.9), (SystolicBp, 140.0), (Hdl, 30.0), (Hba1c, 7.0)], Q, NoMets),
    (BOTH, &[(Waist, 90.0)], Q, NoMets),
    // Glucose: fasting 110, only when fasting; otherwise HbA1c 6.0.
    (BOTH, &[(Waist, 90.0), (FastingGlucose, 109.9)], FAST, NoMets),
    (BOTH, &[(Waist, 90.0), (FastingGlucose, 110.0)], FAST, Pre),
    (BOTH, &[(Waist, 90.0), (FastingGlucose, 110.1)], FAST, Pre),
    (BOTH, &[(Waist, 90.0), (FastingGlucose, 150.0)], Q, NoMets),
    (BOTH, &[(Waist, 90.0), (FastingGlucose, 150.0), (Hba1c, 5.9)], Q, NoMets),
    (BOTH, &[(Waist, 90.0), (FastingGlucose, 150.0), (Hba1c, 6.0)], Q, Pre),
    (BOTH, &[(Waist, 90.0), (Hba1c, 5.9)], FAST, NoMets),
    (BOTH, &[(Waist, 90.0), (Hba1c, 6.0)], FAST, Pre),
    (BOTH, &[(Waist, 90.0), (Hba1c, 6.1)], Q, Pre),
    (BOTH, &[(Waist, 90.0), (FastingGlucose, 105.0), (Hba1c, 7.0)], FAST, NoMets),
    // Lipids: triglycerides 150 fasting, 175 otherwise (随時中性脂肪, 令和6年度版 programme);
    // HDL below 40.
    (BOTH, &[(Waist, 90.0), (Triglycerides, 149.0)], FAST, NoMets),
    (BOTH, &[(Waist, 90.0), (Triglycerides, 150.0)], FAST, Pre),
    (BOTH, &[(Waist, 90.0), (Triglycerides, 151.0)], FAST, Pre),
    (BOTH, &[(Waist, 90.0), (Triglycerides, 150.0)], Q, NoMets),
    (BOTH, &[(Waist, 90.0), (Triglycerides, 174.0)], Q, NoMets),
    (BOTH, &[(Waist, 90.0), (Triglycerides, 175.0)], Q, Pre),
    (BOTH, &[(Waist, 90.0), (Triglycerides, 176.0)], Q, Pre),
    (BOTH, &[(Waist, 90.0), (Hdl, 40.1)], Q, NoMets),
    (BOTH, &[(Waist, 90.0), (Hdl, 40.0)], Q, NoMets),
    (BOTH, &[(Waist, 90.0), (Hdl, 39.9)], Q, Pre),
    // Blood pressure: 130 / 85.
    (BOTH, &[(Waist, 90.0), (SystolicBp, 129.0)], Q, NoMets),
    (BOTH, &[(Waist, 90.0), (SystolicBp, 130.0)], Q, Pre),
    (BOTH, &[(Waist, 90.0), (SystolicBp, 131.0)], Q, Pre),
    (BOTH, &[(Waist, 90.0), (DiastolicBp, 84.0)], Q, NoMets),
    (BOTH, &[(Waist, 90.0), (DiastolicBp, 85.0)], Q, Pre),
    (BOTH, &[(Waist, 90.0), (DiastolicBp, 86.0)], Q, Pre),
    (BOTH, &[(Waist, 90.0), (SystolicBp, 130.0), (DiastolicBp, 90.0)], Q, Pre),
    // Two or more risks meet the criteria.
    (BOTH, &[(Waist, 90.0), (SystolicBp, 130.0), (Triglycerides, 150.0)], FAST, Meets),
    (BOTH, &[(Waist, 90.0), (SystolicBp, 130.0), (Triglycerides, 150.0)], Q, Pre),
    (BOTH, &[(Waist, 90.0), (SystolicBp, 130.0), (Triglycerides, 175.0)], Q, Meets),
    (BOTH, &[(Waist, 90.0), (SystolicBp, 130.0), (Hdl, 39.0), (Hba1c, 6.0)], Q, Meets),
    // Medication counts as the risk it treats, once.
    (BOTH, &[(Waist, 90.0)], GLUCOSE_MED, Pre),
    (BOTH, &[(Waist, 90.0)], LIPID_MED, Pre),
    (BOTH, &[(Waist, 90.0)], BP_MED, Pre),
    (BOTH, &[(Waist, 90.0), (SystolicBp, 150.0)], BP_MED, Pre),
    (BOTH, &[(Waist, 90.0), (SystolicBp, 130.0)], GLUCOSE_MED, Meets),
    (BOTH, &[(Waist, 90.0), (Hba1c, 5.0)], Questionnaire { on_lipid_medication: true, ..GLUCOSE_MED }, Meets),
];

#[test]
fn metabolic_verdict_cut_offs() {
    for (i, &(sex, values, q, want)) in METABOLIC.iter().enumerate() {
        for s in sexes(sex) {
            let got = metabolic_verdict(s, &sheet(values), &q);
            assert_eq!(got, want, "row {i} {s:?} {values:?} {q:?}");
        }
    }
}

/// Sheets with values missing, as given (no normal values filled in).
#[rustfmt::skip]
const METABOLIC_MISSING: &[(Option<Sex>, Values, Questionnaire, MetabolicVerdict)] = &[
    // No waist: nobody can tell, whatever else is there.
    (BOTH, &[(Bmi, 30.0), (SystolicBp, 150.0), (Hdl, 30.0), (Hba1c, 7.0), (Triglycerides, 100.0), (DiastolicBp, 70.0)], Q, CannotJudge),
    (BOTH, &[(Bmi, 18.0), (SystolicBp, 110.0), (DiastolicBp, 70.0), (Hdl, 60.0), (Triglycerides, 100.0), (Hba1c, 5.0)], Q, CannotJudge),
    (BOTH, &[], Q, CannotJudge),
    // Waist under the cut-off decides alone.
    (M, &[(Waist, 80.0)], Q, NoMets),
    (F, &[(Waist, 89.9)], Q, NoMets),
    // Waist over: a missing risk matters when it could change the count.
    (BOTH, &[(Waist, 90.0), (Hdl, 60.0), (Triglycerides, 100.0), (Hba1c, 5.0)], Q, CannotJudge),
    (BOTH, &[(Waist, 90.0), (SystolicBp, 110.0), (Hdl, 60.0), (Triglycerides, 100.0), (Hba1c, 5.0)], Q, CannotJudge),
    (BOTH, &[(Waist, 90.0), (SystolicBp, 110.0), (DiastolicBp, 70.0), (Hdl, 60.0), (Hba1c, 5.0)], Q, CannotJudge),
    (BOTH, &[(Waist, 90.0), (SystolicBp, 110.0), (DiastolicBp, 70.0), (Hdl, 60.0), (Triglycerides, 100.0)], Q, CannotJudge),
    // A non-fasting draw does not stand in for HbA1c.
    (BOTH, &[(Waist, 90.0), (SystolicBp, 110.0), (DiastolicBp, 70.0), (Hdl, 60.0), (Triglycerides, 100.0), (FastingGlucose, 90.0)], Q, CannotJudge),
    (BOTH, &[(Waist, 90.0), (SystolicBp, 110.0), (DiastolicBp, 70.0), (Hdl, 60.0), (Triglycerides, 100.0), (FastingGlucose, 90.0)], FAST, NoMets),
    (BOTH, &[(Waist, 90.0), (SystolicBp, 140.0), (Hdl, 60.0), (Triglycerides, 100.0)], Q, CannotJudge),
    // ... and not when the rest already decides.
    (BOTH, &[(Waist, 90.0), (SystolicBp, 140.0), (Hdl, 30.0)], Q, Meets),
    (BOTH, &[(Waist, 90.0), (DiastolicBp, 90.0), (Hba1c, 6.5)], Q, Meets),
    // Medication counts as the risk, measured or not.
    (BOTH, &[(Waist, 90.0), (Hdl, 60.0), (Triglycerides, 100.0), (Hba1c, 5.0)], BP_MED, Pre),
];

#[test]
fn metabolic_verdict_cannot_be_judged_without_what_it_needs() {
    for (i, &(sex, values, q, want)) in METABOLIC_MISSING.iter().enumerate() {
        for s in sexes(sex) {
            let got = metabolic_verdict(s, &results(values), &q);
            assert_eq!(got, want, "row {i} {s:?} {values:?} {q:?}");
        }
    }
}

/// (group, counted risks, level, age-capped).
type Strat = (ObesityGroup, u8, GuidanceLevel, bool);

#[rustfmt::skip]
const STRATIFIED: &[(Ages, Option<Sex>, Values, Questionnaire, Strat)] = &[
    // Step 1: waist at the sex cut-off makes group A, else BMI 25 makes group B.
    (age(50), M, &[(Waist, 85.0), (Bmi, 22.0), (SystolicBp, 130.0)], Q, (A, 1, Mot, false)),
    (age(50), M, &[(Waist, 85.1), (Bmi, 22.0), (SystolicBp, 130.0)], Q, (A, 1, Mot, false)),
    (age(50), M, &[(Waist, 84.9), (Bmi, 25.0), (SystolicBp, 130.0)], Q, (B, 1, Mot, false)),
    (age(50), F, &[(Waist, 90.0), (Bmi, 22.0), (SystolicBp, 130.0)], Q, (A, 1, Mot, false)),
    (age(50), F, &[(Waist, 90.1), (Bmi, 22.0), (SystolicBp, 130.0)], Q, (A, 1, Mot, false)),
    (age(50), F, &[(Waist, 89.9), (Bmi, 25.0), (SystolicBp, 130.0)], Q, (B, 1, Mot, false)),
    (age(50), BOTH, &[(Waist, 80.0), (Bmi, 25.1), (SystolicBp, 130.0)], Q, (B, 1, Mot, false)),
    (age(50), BOTH, &[(Waist, 90.0), (SystolicBp, 130.0)], Q, (A, 1, Mot, false)),
    (age(50), BOTH, &[(Waist, 90.0)], Q, (A, 0, NoLevel, false)),
    // Glucose: fasting 100 only when fasting, otherwise HbA1c 5.6.
    (age(50), BOTH, &[(Waist, 90.0), (FastingGlucose, 99.9)], FAST, (A, 0, NoLevel, false)),
    (age(50), BOTH, &[(Waist, 90.0), (FastingGlucose, 100.0)], FAST, (A, 1, Mot, false)),
    (age(50), BOTH, &[(Waist, 90.0), (FastingGlucose, 100.1)], FAST, (A, 1, Mot, false)),
    (age(50), BOTH, &[(Waist, 90.0), (FastingGlucose, 130.0)], Q, (A, 0, NoLevel, false)),
    (age(50), BOTH, &[(Waist, 90.0), (Hba1c, 5.5)], Q, (A, 0, NoLevel, false)),
    (age(50), BOTH, &[(Waist, 90.0), (Hba1c, 5.6)], Q, (A, 1, Mot, false)),
    (age(50), BOTH, &[(Waist, 90.0), (Hba1c, 5.7)], FAST, (A, 1, Mot, false)),
    (age(50), BOTH, &[(Waist, 90.0), (FastingGlucose, 95.0), (Hba1c, 6.0)], FAST, (A, 0, NoLevel, false)),
    (age(50), BOTH, &[(Waist, 90.0), (FastingGlucose, 95.0), (Hba1c, 5.6)], Q, (A, 1, Mot, false)),
    // Lipids: triglycerides 150 fasting, 175 non-fasting; HDL below 40.
    (age(50), BOTH, &[(Waist, 90.0), (Triglycerides, 149.0)], FAST, (A, 0, NoLevel, false)),
    (age(50), BOTH, &[(Waist, 90.0), (Triglycerides, 150.0)], FAST, (A, 1, Mot, false)),
    (age(50), BOTH, &[(Waist, 90.0), (Triglycerides, 151.0)], FAST, (A, 1, Mot, false)),
    (age(50), BOTH, &[(Waist, 90.0), (Triglycerides, 174.0)], FAST, (A, 1, Mot, false)),
    (age(50), BOTH, &[(Waist, 90.0), (Triglycerides, 150.0)], Q, (A, 0, NoLevel, false)),
    (age(50), BOTH, &[(Waist, 90.0), (Triglycerides, 174.0)], Q, (A, 0, NoLevel, false)),
    (age(50), BOTH, &[(Waist, 90.0), (Triglycerides, 175.0)], Q, (A, 1, Mot, false)),
    (age(50), BOTH, &[(Waist, 90.0), (Triglycerides, 176.0)], Q, (A, 1, Mot, false)),
    (age(50), BOTH, &[(Waist, 90.0), (Hdl, 40.1)], Q, (A, 0, NoLevel, false)),
    (age(50), BOTH, &[(Waist, 90.0), (Hdl, 40.0)], Q, (A, 0, NoLevel, false)),
    (age(50), BOTH, &[(Waist, 90.0), (Hdl, 39.9)], Q, (A, 1, Mot, false)),
    (age(50), BOTH, &[(Waist, 90.0), (Hdl, 39.0), (Triglycerides, 300.0)], Q, (A, 1, Mot, false)),
    // Blood pressure: 130 / 85.
    (age(50), BOTH, &[(Waist, 90.0), (SystolicBp, 129.0)], Q, (A, 0, NoLevel, false)),
    (age(50), BOTH, &[(Waist, 90.0), (SystolicBp, 131.0)], Q, (A, 1, Mot, false)),
    (age(50), BOTH, &[(Waist, 90.0), (DiastolicBp, 84.0)], Q, (A, 0, NoLevel, false)),
    (age(50), BOTH, &[(Waist, 90.0), (DiastolicBp, 85.0)], Q, (A, 1, Mot, false)),
    (age(50), BOTH, &[(Waist, 90.0), (DiastolicBp, 86.0)], Q, (A, 1, Mot, false)),
    // Step 3: group A needs two risks for active support, group B three.
    (age(50), BOTH, &[(Waist, 90.0), (SystolicBp, 130.0), (Hdl, 39.0)], Q, (A, 2, Act, false)),
    (age(50), BOTH, &[(Waist, 90.0), (SystolicBp, 130.0), (Hdl, 39.0), (Hba1c, 5.6)], Q, (A, 3, Act, false)),
    (age(50), BOTH, &[(Waist, 80.0), (Bmi, 26.0)], Q, (B, 0, NoLevel, false)),
    (age(50), BOTH, &[(Waist, 80.0), (Bmi, 26.0), (SystolicBp, 130.0), (Hdl, 39.0)], Q, (B, 2, Mot, false)),
    (age(50), BOTH, &[(Waist, 80.0), (Bmi, 26.0), (SystolicBp, 130.0), (Hdl, 39.0), (Hba1c, 5.6)], Q, (B, 3, Act, false)),
    // Smoking counts only beside another risk.
    (age(50), BOTH, &[(Waist, 90.0)], SMOKER, (A, 0, NoLevel, false)),
    (age(50), BOTH, &[(Waist, 90.0), (SystolicBp, 130.0)], SMOKER, (A, 2, Act, false)),
    (age(50), BOTH, &[(Waist, 80.0), (Bmi, 26.0), (SystolicBp, 130.0)], SMOKER, (B, 2, Mot, false)),
    (age(50), BOTH, &[(Waist, 80.0), (Bmi, 26.0), (SystolicBp, 130.0), (Hdl, 39.0)], SMOKER, (B, 3, Act, false)),
    // Ages 65-74 get motivational support at most, counted by the end of the fiscal year.
    (age(40), BOTH, &[(Waist, 90.0), (SystolicBp, 130.0), (Hdl, 39.0)], Q, (A, 2, Act, false)),
    (age(64), BOTH, &[(Waist, 90.0), (SystolicBp, 130.0), (Hdl, 39.0)], Q, (A, 2, Act, false)),
    (age(65), BOTH, &[(Waist, 90.0), (SystolicBp, 130.0), (Hdl, 39.0)], Q, (A, 2, Mot, true)),
    (age(74), BOTH, &[(Waist, 90.0), (SystolicBp, 130.0), (Hdl, 39.0)], Q, (A, 2, Mot, true)),
    (age(65), BOTH, &[(Waist, 90.0), (SystolicBp, 130.0)], Q, (A, 1, Mot, false)),
    (age(65), BOTH, &[(Waist, 90.0)], Q, (A, 0, NoLevel, false)),
    (Ages { at_exam: 64, by_fiscal_year_end: 65 }, BOTH, &[(Waist, 90.0), (SystolicBp, 130.0), (Hdl, 39.0)], Q, (A, 2, Mot, true)),
    (Ages { at_exam: 74, by_fiscal_year_end: 75 }, BOTH, &[(Waist, 90.0), (SystolicBp, 130.0), (Hdl, 39.0)], Q, (A, 2, Mot, true)),
    // Eligible from the fiscal year in which the person reaches 40.
    (Ages { at_exam: 39, by_fiscal_year_end: 40 }, BOTH, &[(Waist, 90.0), (SystolicBp, 130.0), (Hdl, 39.0)], Q, (A, 2, Act, false)),
];

#[test]
fn guidance_stratification() {
    for (i, &(age, sex, values, q, want)) in STRATIFIED.iter().enumerate() {
        for s in sexes(sex) {
            let got = guidance(CheckupKind::Specific, age, s, &sheet(values), &q);
            let GuidanceOutcome::Stratified(st) = got else {
                panic!("row {i} {s:?}: {got:?}");
            };
            let got = (st.group, st.risks.count(), st.level, st.age_capped);
            assert_eq!(got, want, "row {i} {age:?} {s:?} {values:?} {q:?}");
            assert_eq!(st.level, GuidanceOutcome::Stratified(st).level());
        }
    }
}

#[test]
fn smoking_alone_is_not_a_risk() {
    let values = sheet(&[(Waist, 90.0)]);
    let got = guidance(CheckupKind::Specific, age(50), Sex::Male, &values, &SMOKER);
    let GuidanceOutcome::Stratified(st) = got else {
        panic!("{got:?}");
    };
    assert_eq!(st.risks, GuidanceRisks::default());
    let values = sheet(&[(Waist, 90.0), (DiastolicBp, 85.0)]);
    let got = guidance(CheckupKind::Specific, age(50), Sex::Male, &values, &SMOKER);
    let want = GuidanceRisks {
        blood_pressure: true,
        smoking: true,
        ..GuidanceRisks::default()
    };
    assert!(
        matches!(got, GuidanceOutcome::Stratified(s) if s.risks == want),
        "{got:?}"
    );
}

const EVERY_RISK: Values = &[
    (Waist, 95.0),
    (Bmi, 30.0),
    (SystolicBp, 150.0),
    (Hdl, 30.0),
    (Hba1c, 7.0),
];

/// (kind, age, sex, values, questionnaire, expected outcome).
type Unstratified = (
    CheckupKind,
    Ages,
    Option<Sex>,
    Values,
    Questionnaire,
    GuidanceOutcome,
);

#[rustfmt::skip]
const NOT_STRATIFIED: &[Unstratified] = &[
    (CheckupKind::Specific, age(75), BOTH, EVERY_RISK, Q, GuidanceOutcome::LaterElderly),
    (CheckupKind::LaterElderly, age(74), BOTH, EVERY_RISK, Q, GuidanceOutcome::LaterElderly),
    (CheckupKind::LaterElderly, age(80), BOTH, EVERY_RISK, SMOKER, GuidanceOutcome::LaterElderly),
    (CheckupKind::LaterElderly, age(80), BOTH, EVERY_RISK, BP_MED, GuidanceOutcome::LaterElderly),
    (CheckupKind::LaterElderly, age(80), BOTH, &[(Waist, 70.0), (Bmi, 20.0)], Q, GuidanceOutcome::LaterElderly),
    (CheckupKind::Specific, age(39), BOTH, EVERY_RISK, Q, GuidanceOutcome::Under40),
    (CheckupKind::Specific, age(50), BOTH, EVERY_RISK, BP_MED, GuidanceOutcome::OnMedication),
    (CheckupKind::Specific, age(50), BOTH, EVERY_RISK, GLUCOSE_MED, GuidanceOutcome::OnMedication),
    (CheckupKind::Specific, age(50), BOTH, EVERY_RISK, LIPID_MED, GuidanceOutcome::OnMedication),
    (CheckupKind::Specific, age(70), BOTH, &[(Waist, 70.0), (Bmi, 20.0)], LIPID_MED, GuidanceOutcome::OnMedication),
    (CheckupKind::Specific, age(50), M, &[(Waist, 84.9), (Bmi, 24.9), (SystolicBp, 150.0)], Q, GuidanceOutcome::NotObese),
    (CheckupKind::Specific, age(50), F, &[(Waist, 89.9), (Bmi, 24.9), (SystolicBp, 150.0)], Q, GuidanceOutcome::NotObese),
    (CheckupKind::Specific, age(50), F, &[(Waist, 85.0), (Bmi, 22.0), (SystolicBp, 150.0)], SMOKER, GuidanceOutcome::NotObese),
    (CheckupKind::Specific, age(50), BOTH, &[(Bmi, 30.0), (SystolicBp, 150.0)], Q, GuidanceOutcome::NotMeasured(Waist)),
    (CheckupKind::Specific, age(50), BOTH, &[(Waist, 80.0), (SystolicBp, 150.0)], Q, GuidanceOutcome::NotMeasured(Bmi)),
    (CheckupKind::Specific, Ages { at_exam: 39, by_fiscal_year_end: 39 }, BOTH, EVERY_RISK, Q, GuidanceOutcome::Under40),
    (CheckupKind::Specific, Ages { at_exam: 75, by_fiscal_year_end: 75 }, BOTH, EVERY_RISK, Q, GuidanceOutcome::LaterElderly),
    // A risk not measured that could change the level: which value is missing, not a level.
    (CheckupKind::Specific, age(50), BOTH, &[(Waist, 90.0), (Bmi, 30.0), (SystolicBp, 150.0)], Q, GuidanceOutcome::NotMeasured(Hba1c)),
    (CheckupKind::Specific, age(50), BOTH, &[(Waist, 90.0), (Bmi, 30.0), (Hba1c, 6.0), (Hdl, 60.0)], Q, GuidanceOutcome::NotMeasured(Triglycerides)),
    (CheckupKind::Specific, age(50), BOTH, &[(Waist, 90.0), (Bmi, 30.0), (Hba1c, 6.0), (Hdl, 60.0), (Triglycerides, 100.0), (DiastolicBp, 70.0)], Q, GuidanceOutcome::NotMeasured(SystolicBp)),
];

#[test]
fn guidance_not_stratified() {
    for (i, &(kind, age, sex, values, q, want)) in NOT_STRATIFIED.iter().enumerate() {
        for s in sexes(sex) {
            let got = guidance(kind, age, s, &results(values), &q);
            assert_eq!(got, want, "row {i} {kind:?} {age:?} {s:?} {q:?}");
            assert_eq!(got.level(), GuidanceLevel::None, "row {i}");
        }
    }
}

#[test]
fn findings_most_severe_first() {
    let mut values = results(&[
        (Height, 170.0),
        (Hdl, 33.0),
        (Ldl, 100.0),
        (Waist, 90.0),
        (SystolicBp, 150.0),
        (Weight, 70.0),
        (Ast, 20.0),
    ]);
    let protein = CheckupValue::Urine(UrineGrade::Trace);
    values.insert(0, CheckupResult::new(UrineProtein, protein).unwrap());
    let got: Vec<_> = findings(Sex::Male, &values, &BP_MED)
        .into_iter()
        .map(|f| (f.item, f.band, f.treated, f.direction))
        .collect();
    use Direction::{HigherIsWorse as Up, LowerIsWorse as Down};
    let want = vec![
        (SystolicBp, Band::SeeDoctor, true, Up),
        (Hdl, Band::SeeDoctor, false, Down),
        (Waist, Band::Guidance, false, Up),
        (UrineProtein, Band::Guidance, false, Up),
        (Ldl, Band::Normal, false, Up),
        (Ast, Band::Normal, false, Up),
    ];
    assert_eq!(got, want);
    assert!(findings(Sex::Female, &[], &Q).is_empty());
}

#[test]
fn findings_keep_values_and_sex_cut_offs() {
    let values = results(&[(Waist, 87.0), (Hba1c, 6.5)]);
    let female = findings(Sex::Female, &values, &GLUCOSE_MED);
    let got: Vec<_> = female
        .iter()
        .map(|f| (f.item, f.value, f.band, f.treated))
        .collect();
    assert_eq!(
        got,
        vec![
            (Hba1c, CheckupValue::Number(6.5), Band::SeeDoctor, true),
            (Waist, CheckupValue::Number(87.0), Band::Normal, false),
        ]
    );
    let male = findings(Sex::Male, &values, &Q);
    assert_eq!(
        male.iter().map(|f| f.band).collect::<Vec<_>>(),
        [Band::SeeDoctor, Band::Guidance]
    );
}

#[test]
fn findings_triglycerides_follow_fasting() {
    let cases = [
        (Q, 149.0, Band::Normal),
        (Q, 150.0, Band::Normal),
        (Q, 174.0, Band::Normal),
        (Q, 175.0, Band::Guidance),
        (Q, 299.0, Band::Guidance),
        (Q, 300.0, Band::SeeDoctor),
        (FAST, 149.0, Band::Normal),
        (FAST, 150.0, Band::Guidance),
        (FAST, 174.0, Band::Guidance),
        (FAST, 300.0, Band::SeeDoctor),
    ];
    for (q, v, want) in cases {
        let got = findings(Sex::Male, &results(&[(Triglycerides, v)]), &q);
        assert_eq!(
            got.iter().map(|f| f.band).collect::<Vec<_>>(),
            [want],
            "{v} {q:?}"
        );
    }
}

#[test]
fn labels_and_serde_names() {
    for v in [Meets, Pre, NoMets, CannotJudge] {
        assert_eq!(serde_json::to_value(v).unwrap(), v.as_str());
        assert!(!v.label_en().is_empty());
    }
    for v in [Act, Mot, NoLevel] {
        assert_eq!(serde_json::to_value(v).unwrap(), v.as_str());
        assert!(!v.label_en().is_empty());
    }
    let ja: Vec<_> = [Meets, Pre, NoMets].map(MetabolicVerdict::label_ja).into();
    assert_eq!(ja, ["基準該当", "予備群該当", "非該当"]);
    let ja: Vec<_> = [Act, Mot, NoLevel].map(GuidanceLevel::label_ja).into();
    assert_eq!(ja, ["積極的支援", "動機付け支援", "なし"]);
    let wire = serde_json::to_value(GuidanceOutcome::NotMeasured(Waist)).unwrap();
    assert_eq!(wire, serde_json::json!({ "not_measured": "waist" }));
    let wire = serde_json::to_value(GuidanceOutcome::OnMedication).unwrap();
    assert_eq!(wire, "on_medication");
}
