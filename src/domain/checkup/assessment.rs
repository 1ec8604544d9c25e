//! Owns the judgements made over one checkup's whole result set: the metabolic-syndrome verdict
//! (メタボ判定), the specific health guidance level (特定保健指導の階層化) and per-item findings.

use std::cmp::Reverse;

use serde::{Deserialize, Serialize};

use super::{
    Band, CheckupItem, CheckupKind, CheckupResult, CheckupValue, Direction, Questionnaire,
    classify, classify_value,
};
use crate::domain::person::Sex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetabolicVerdict {
    /// 基準該当: waist over the cut-off and two or more risks.
    Meets,
    /// 予備群該当: waist over the cut-off and one risk.
    Pre,
    /// 非該当.
    None,
}

impl MetabolicVerdict {
    /// The serde name, also used as a CSS modifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Meets => "meets",
            Self::Pre => "pre",
            Self::None => "none",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Meets => "基準該当",
            Self::Pre => "予備群該当",
            Self::None => "非該当",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Meets => "Meets the criteria",
            Self::Pre => "Borderline",
            Self::None => "Does not meet",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuidanceLevel {
    None,
    /// 動機付け支援.
    Motivational,
    /// 積極的支援.
    Active,
}

impl GuidanceLevel {
    /// The serde name, also used as a CSS modifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Motivational => "motivational",
            Self::Active => "active",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Self::None => "なし",
            Self::Motivational => "動機付け支援",
            Self::Active => "積極的支援",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::None => "None",
            Self::Motivational => "Motivational support",
            Self::Active => "Active support",
        }
    }
}

/// Step 1 of the stratification; the group sets how many risks active support needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObesityGroup {
    /// Group A: waist at or over the sex cut-off.
    Waist,
    /// Group B: waist below the cut-off but BMI >= 25.
    Bmi,
}

/// Step 2: which additional risks were counted. `smoking` is only set when it counted, i.e. the
/// person smokes and at least one other risk is present.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GuidanceRisks {
    pub glucose: bool,
    pub lipids: bool,
    pub blood_pressure: bool,
    pub smoking: bool,
}

impl GuidanceRisks {
    pub fn count(&self) -> u8 {
        [self.glucose, self.lipids, self.blood_pressure, self.smoking]
            .into_iter()
            .map(u8::from)
            .sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stratification {
    pub group: ObesityGroup,
    pub risks: GuidanceRisks,
    /// `None` when obese but without any counted risk.
    pub level: GuidanceLevel,
    /// Active support was lowered to motivational because the person is 65-74.
    pub age_capped: bool,
}

/// The guidance result, or why the person was not stratified at all, so the UI can say why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuidanceOutcome {
    Stratified(Stratification),
    /// 後期高齢者健診 (75+): the programme has no specific health guidance.
    LaterElderly,
    /// Specific health guidance starts at 40.
    Under40,
    /// On blood-pressure, glucose or lipid medication: their doctor treats them instead.
    OnMedication,
    /// Waist below the cut-off and BMI below 25.
    NotObese,
    /// The item step 1 needs is missing, so the level cannot be decided.
    NotMeasured(CheckupItem),
}

impl GuidanceOutcome {
    pub fn level(&self) -> GuidanceLevel {
        match self {
            Self::Stratified(s) => s.level,
            _ => GuidanceLevel::None,
        }
    }
}

/// One banded item for the plain-language summary.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub item: CheckupItem,
    pub value: CheckupValue,
    pub band: Band,
    /// Already on medication for what the item measures.
    pub treated: bool,
    /// Urine grades count as higher-is-worse.
    pub direction: Direction,
}

/// Only the first result per item is used; a checkup holds each item once.
fn number(results: &[CheckupResult], item: CheckupItem) -> Option<f64> {
    results
        .iter()
        .find(|r| r.item() == item)
        .and_then(|r| match r.value() {
            CheckupValue::Number(v) => Some(v),
            CheckupValue::Urine(_) => None,
        })
}

fn reaches(results: &[CheckupResult], item: CheckupItem, bound: f64) -> bool {
    number(results, item).is_some_and(|v| v >= bound)
}

/// HDL is the one lower-is-worse risk, and its cut-off is strict (`< 40`).
fn hdl_low(results: &[CheckupResult]) -> bool {
    number(results, CheckupItem::Hdl).is_some_and(|v| v < 40.0)
}

fn blood_pressure_high(results: &[CheckupResult]) -> bool {
    reaches(results, CheckupItem::SystolicBp, 130.0)
        || reaches(results, CheckupItem::DiastolicBp, 85.0)
}

/// `None` when waist was not measured. The metabolic verdict and step 1 share the official
/// waist cut-off, so it comes from the one threshold table.
fn waist_over(sex: Sex, results: &[CheckupResult]) -> Option<bool> {
    let waist = number(results, CheckupItem::Waist)?;
    classify(CheckupItem::Waist, sex, waist).map(|b| b != Band::Normal)
}

enum Glucose {
    Fasting(f64),
    Hba1c(f64),
}

/// The glucose measure that decides. A blood-glucose value only counts as fasting when the
/// questionnaire confirms fasting: a non-fasting draw read against fasting cut-offs would
/// overstate risk, so HbA1c (unaffected by meals) decides instead. When both are usable the
/// fasting value wins, as the programme prescribes for both judgements.
fn glucose(results: &[CheckupResult], q: &Questionnaire) -> Option<Glucose> {
    number(results, CheckupItem::FastingGlucose)
        .filter(|_| q.fasting)
        .map(Glucose::Fasting)
        .or_else(|| number(results, CheckupItem::Hba1c).map(Glucose::Hba1c))
}

/// メタボ判定 with its own glucose cut-offs (110 mg/dL, HbA1c 6.0 %), stricter than guidance's.
/// Medication counts as the risk it treats: the condition is there, only controlled.
pub fn metabolic_verdict(
    sex: Sex,
    results: &[CheckupResult],
    q: &Questionnaire,
) -> MetabolicVerdict {
    if waist_over(sex, results) != Some(true) {
        return MetabolicVerdict::None;
    }
    let glucose = q.on_glucose_medication
        || match glucose(results, q) {
            Some(Glucose::Fasting(v)) => v >= 110.0,
            Some(Glucose::Hba1c(v)) => v >= 6.0,
            None => false,
        };
    let lipids = q.on_lipid_medication
        || reaches(results, CheckupItem::Triglycerides, 150.0)
        || hdl_low(results);
    let blood_pressure = q.on_bp_medication || blood_pressure_high(results);
    let risks = [glucose, lipids, blood_pressure];
    match risks.into_iter().filter(|&r| r).count() {
        0 => MetabolicVerdict::None,
        1 => MetabolicVerdict::Pre,
        _ => MetabolicVerdict::Meets,
    }
}

fn guidance_risks(results: &[CheckupResult], q: &Questionnaire) -> GuidanceRisks {
    let glucose = match glucose(results, q) {
        Some(Glucose::Fasting(v)) => v >= 100.0,
        Some(Glucose::Hba1c(v)) => v >= 5.6,
        None => false,
    };
    // Triglycerides rise after a meal, hence the higher non-fasting cut-off. `fasting: false`
    // also covers "not asked"; reading that as non-fasting means a meal never creates a risk.
    let triglycerides = if q.fasting { 150.0 } else { 175.0 };
    let lipids = reaches(results, CheckupItem::Triglycerides, triglycerides) || hdl_low(results);
    let blood_pressure = blood_pressure_high(results);
    GuidanceRisks {
        glucose,
        lipids,
        blood_pressure,
        smoking: q.smoker && (glucose || lipids || blood_pressure),
    }
}

/// 特定保健指導の階層化. `age` is in whole years at the exam date.
pub fn guidance(
    kind: CheckupKind,
    age: u32,
    sex: Sex,
    results: &[CheckupResult],
    q: &Questionnaire,
) -> GuidanceOutcome {
    // The kind decides, not only the age: people 65-74 with certain disabilities join the
    // later-elderly scheme and take its checkup, which has no specific health guidance.
    if kind == CheckupKind::LaterElderly || age >= 75 {
        return GuidanceOutcome::LaterElderly;
    }
    if age < 40 {
        return GuidanceOutcome::Under40;
    }
    if q.on_bp_medication || q.on_glucose_medication || q.on_lipid_medication {
        return GuidanceOutcome::OnMedication;
    }
    // Waist is a required item (omitted only for low BMI); without it group A cannot be ruled
    // out, so we say it is missing rather than guess group B or "not obese".
    let bmi = number(results, CheckupItem::Bmi).and_then(|v| classify(CheckupItem::Bmi, sex, v));
    let group = match (waist_over(sex, results), bmi) {
        (None, _) => return GuidanceOutcome::NotMeasured(CheckupItem::Waist),
        (Some(true), _) => ObesityGroup::Waist,
        (Some(false), None) => return GuidanceOutcome::NotMeasured(CheckupItem::Bmi),
        (Some(false), Some(Band::Normal)) => return GuidanceOutcome::NotObese,
        (Some(false), Some(_)) => ObesityGroup::Bmi,
    };
    let risks = guidance_risks(results, q);
    let full = match (group, risks.count()) {
        (_, 0) => GuidanceLevel::None,
        (ObesityGroup::Waist, 2..) | (ObesityGroup::Bmi, 3..) => GuidanceLevel::Active,
        _ => GuidanceLevel::Motivational,
    };
    let age_capped = full == GuidanceLevel::Active && (65..=74).contains(&age);
    let level = match age_capped {
        true => GuidanceLevel::Motivational,
        false => full,
    };
    GuidanceOutcome::Stratified(Stratification {
        group,
        risks,
        level,
        age_capped,
    })
}

/// The band shown to the person. Non-fasting triglycerides get their own guidance cut-off
/// (175, as in stratification) so the summary never flags a level the guidance ignores.
fn finding_band(sex: Sex, result: &CheckupResult, q: &Questionnaire) -> Option<Band> {
    let band = classify_value(result.item(), sex, &result.value())?;
    Some(match (result.item(), result.value()) {
        (CheckupItem::Triglycerides, CheckupValue::Number(v))
            if !q.fasting && band == Band::Guidance && v < 175.0 =>
        {
            Band::Normal
        }
        _ => band,
    })
}

/// Every banded result, most severe first, then in `CheckupItem` order. Height and weight have
/// no cut-off and so no finding.
pub fn findings(sex: Sex, results: &[CheckupResult], q: &Questionnaire) -> Vec<Finding> {
    let mut out: Vec<Finding> = results
        .iter()
        .filter_map(|r| {
            let item = r.item();
            Some(Finding {
                item,
                value: r.value(),
                band: finding_band(sex, r, q)?,
                treated: q.treated_for(item),
                direction: item
                    .threshold(sex)
                    .map_or(Direction::HigherIsWorse, |t| t.direction),
            })
        })
        .collect();
    out.sort_by_key(|f| (Reverse(f.band), f.item));
    out
}

#[cfg(test)]
#[path = "assessment_tests.rs"]
mod tests;
