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
    /// 判定不能: a value the verdict needs is missing (waist, or a risk that could change it).
    CannotJudge,
}

impl MetabolicVerdict {
    /// The serde name, also used as a CSS modifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Meets => "meets",
            Self::Pre => "pre",
            Self::None => "none",
            Self::CannotJudge => "cannot_judge",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Meets => "基準該当",
            Self::Pre => "予備群該当",
            Self::None => "非該当",
            Self::CannotJudge => "判定不能（必要な検査値がありません）",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Meets => "Meets the criteria",
            Self::Pre => "Borderline",
            Self::None => "Does not meet",
            Self::CannotJudge => "Cannot be judged (a required value is missing)",
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
    /// Active support was lowered to motivational because the person reaches 65-74 by the end
    /// of the fiscal year.
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

/// Whether `item` reaches `bound`; `None` when it was not measured.
fn reaches(results: &[CheckupResult], item: CheckupItem, bound: f64) -> Option<bool> {
    number(results, item).map(|v| v >= bound)
}

/// Any of `risks` present: yes as soon as one is, no only when every one was measured.
fn any(risks: &[Option<bool>]) -> Option<bool> {
    if risks.contains(&Some(true)) {
        Some(true)
    } else if risks.contains(&None) {
        None
    } else {
        Some(false)
    }
}

/// HDL is the one lower-is-worse risk, and its cut-off is strict (`< 40`).
fn hdl_low(results: &[CheckupResult]) -> Option<bool> {
    number(results, CheckupItem::Hdl).map(|v| v < 40.0)
}

fn blood_pressure_high(results: &[CheckupResult]) -> Option<bool> {
    any(&[
        reaches(results, CheckupItem::SystolicBp, 130.0),
        reaches(results, CheckupItem::DiastolicBp, 85.0),
    ])
}

/// Triglycerides rise after a meal, so a non-fasting draw has its own cut-off (随時中性脂肪
/// 175 mg/dL, 令和6年度版 programme) in both the verdict and stratification. `fasting: false`
/// also covers "not asked"; reading that as non-fasting means a meal never creates a risk.
fn lipids_high(results: &[CheckupResult], q: &Questionnaire) -> Option<bool> {
    let triglycerides = if q.fasting { 150.0 } else { 175.0 };
    any(&[
        reaches(results, CheckupItem::Triglycerides, triglycerides),
        hdl_low(results),
    ])
}

/// The first item a risk needs that was not measured, for saying what is missing.
fn first_missing(results: &[CheckupResult], items: &[CheckupItem]) -> Option<CheckupItem> {
    items
        .iter()
        .copied()
        .find(|&item| number(results, item).is_none())
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
/// Medication counts as the risk it treats: the condition is there, only controlled. A missing
/// waist, or a missing risk that could change the count, is 判定不能, never 非該当: the
/// person must not read "does not meet" when nobody could tell.
pub fn metabolic_verdict(
    sex: Sex,
    results: &[CheckupResult],
    q: &Questionnaire,
) -> MetabolicVerdict {
    match waist_over(sex, results) {
        None => return MetabolicVerdict::CannotJudge,
        Some(false) => return MetabolicVerdict::None,
        Some(true) => {}
    }
    let glucose = match glucose(results, q) {
        Some(Glucose::Fasting(v)) => Some(v >= 110.0),
        Some(Glucose::Hba1c(v)) => Some(v >= 6.0),
        None => None,
    };
    let treated = |on: bool, risk: Option<bool>| if on { Some(true) } else { risk };
    let risks = [
        treated(q.on_glucose_medication, glucose),
        treated(q.on_lipid_medication, lipids_high(results, q)),
        treated(q.on_bp_medication, blood_pressure_high(results)),
    ];
    let found = risks.iter().filter(|&&r| r == Some(true)).count();
    let unknown = risks.iter().filter(|r| r.is_none()).count();
    let verdict = |count| match count {
        0 => MetabolicVerdict::None,
        1 => MetabolicVerdict::Pre,
        _ => MetabolicVerdict::Meets,
    };
    if verdict(found) == verdict(found + unknown) {
        verdict(found)
    } else {
        MetabolicVerdict::CannotJudge
    }
}

/// The risks counted, with each one not measured read as `assume`: stratifying once each
/// way tells whether the missing values could change the level.
fn guidance_risks(results: &[CheckupResult], q: &Questionnaire, assume: bool) -> GuidanceRisks {
    let glucose = match glucose(results, q) {
        Some(Glucose::Fasting(v)) => v >= 100.0,
        Some(Glucose::Hba1c(v)) => v >= 5.6,
        None => assume,
    };
    let lipids = lipids_high(results, q).unwrap_or(assume);
    let blood_pressure = blood_pressure_high(results).unwrap_or(assume);
    GuidanceRisks {
        glucose,
        lipids,
        blood_pressure,
        smoking: q.smoker && (glucose || lipids || blood_pressure),
    }
}

/// The item a missing risk needs, glucose first (HbA1c serves when not fasting).
fn missing_risk_item(results: &[CheckupResult], q: &Questionnaire) -> Option<CheckupItem> {
    use CheckupItem::*;
    if glucose(results, q).is_none() {
        return Some(Hba1c);
    }
    if lipids_high(results, q).is_none() {
        return first_missing(results, &[Triglycerides, Hdl]);
    }
    if blood_pressure_high(results).is_none() {
        return first_missing(results, &[SystolicBp, DiastolicBp]);
    }
    None
}

/// How old the person is for the programme: on the exam day, and by the end of the fiscal
/// year of the exam (31 March), which sets who is eligible (40 and over) and who has active
/// support lowered (65 and over): "実施年度中に達する年齢".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ages {
    pub at_exam: u32,
    pub by_fiscal_year_end: u32,
}

impl Ages {
    pub fn of(birth: chrono::NaiveDate, examined_on: chrono::NaiveDate) -> Self {
        Self {
            at_exam: crate::domain::person::age_on(birth, examined_on),
            by_fiscal_year_end: crate::domain::person::age_by_fiscal_year_end(birth, examined_on),
        }
    }
}

/// 特定保健指導の階層化.
pub fn guidance(
    kind: CheckupKind,
    ages: Ages,
    sex: Sex,
    results: &[CheckupResult],
    q: &Questionnaire,
) -> GuidanceOutcome {
    // The kind decides, not only the age: people 65-74 with certain disabilities join the
    // later-elderly scheme and take its checkup, which has no specific health guidance. The
    // scheme starts on the 75th birthday itself, so the age on the exam day decides that.
    if kind == CheckupKind::LaterElderly || ages.at_exam >= 75 {
        return GuidanceOutcome::LaterElderly;
    }
    if ages.by_fiscal_year_end < 40 {
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
    // Under 75 on the exam day (checked above), so 65 and over is the 65-74 of the programme.
    let capped = ages.by_fiscal_year_end >= 65;
    let stratify = |assume| stratification(group, guidance_risks(results, q, assume), capped);
    let (low, high) = (stratify(false), stratify(true));
    if low.level != high.level {
        return missing_risk_item(results, q).map_or(
            GuidanceOutcome::Stratified(low),
            GuidanceOutcome::NotMeasured,
        );
    }
    GuidanceOutcome::Stratified(low)
}

fn stratification(group: ObesityGroup, risks: GuidanceRisks, capped: bool) -> Stratification {
    let full = match (group, risks.count()) {
        (_, 0) => GuidanceLevel::None,
        (ObesityGroup::Waist, 2..) | (ObesityGroup::Bmi, 3..) => GuidanceLevel::Active,
        _ => GuidanceLevel::Motivational,
    };
    let age_capped = full == GuidanceLevel::Active && capped;
    let level = match age_capped {
        true => GuidanceLevel::Motivational,
        false => full,
    };
    Stratification {
        group,
        risks,
        level,
        age_capped,
    }
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
