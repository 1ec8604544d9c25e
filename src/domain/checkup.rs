//! Owns health-checkup (特定健診 / 後期高齢者健診) items, results, questionnaire and grading.

mod assessment;
mod result;
mod threshold;
mod urine;

pub use assessment::{
    Ages, Finding, GuidanceLevel, GuidanceOutcome, GuidanceRisks, MetabolicVerdict, ObesityGroup,
    Stratification, findings, guidance, metabolic_verdict,
};
pub use result::{CheckupResult, CheckupValue};
pub use threshold::{Band, Cutoff, Direction, Threshold, classify, classify_value};
pub use urine::UrineGrade;

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use super::normalize::normalize_code_compact;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CheckupError {
    #[error("unknown checkup item code")]
    ItemCodeUnknown,
    #[error("unknown urine grade; expected -, ±, +, ++ or +++")]
    UrineGradeUnknown,
    #[error("{item:?} takes a urine grade, not a number")]
    ExpectedUrineGrade { item: CheckupItem },
    #[error("{item:?} takes a number, not a urine grade")]
    ExpectedNumber { item: CheckupItem },
    #[error("{item:?} value is not a finite number")]
    NotFinite { item: CheckupItem },
    #[error("{item:?} value {value} is outside the plausible range {min}-{max}")]
    Implausible {
        item: CheckupItem,
        value: f64,
        min: f64,
        max: f64,
    },
}

impl CheckupError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::ItemCodeUnknown => "checkup_item_code_unknown",
            Self::UrineGradeUnknown => "urine_grade_unknown",
            Self::ExpectedUrineGrade { .. } => "checkup_expected_urine_grade",
            Self::ExpectedNumber { .. } => "checkup_expected_number",
            Self::NotFinite { .. } => "checkup_value_not_finite",
            Self::Implausible { .. } => "checkup_value_implausible",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckupItem {
    Height,
    Weight,
    Bmi,
    Waist,
    SystolicBp,
    DiastolicBp,
    Triglycerides,
    Hdl,
    Ldl,
    FastingGlucose,
    Hba1c,
    Ast,
    Alt,
    GammaGt,
    Egfr,
    UrineGlucose,
    UrineProtein,
}

/// Static facts per item; `range` is `None` for urine items, which are graded, not measured.
struct Info {
    code: &'static str,
    unit: &'static str,
    ja: &'static str,
    en: &'static str,
    range: Option<(f64, f64)>,
}

const fn info(
    code: &'static str,
    unit: &'static str,
    ja: &'static str,
    en: &'static str,
    range: Option<(f64, f64)>,
) -> Info {
    Info {
        code,
        unit,
        ja,
        en,
        range,
    }
}

impl CheckupItem {
    #[rustfmt::skip]
    pub const ALL: [Self; 17] = [
        Self::Height, Self::Weight, Self::Bmi, Self::Waist, Self::SystolicBp, Self::DiastolicBp,
        Self::Triglycerides, Self::Hdl, Self::Ldl, Self::FastingGlucose, Self::Hba1c, Self::Ast,
        Self::Alt, Self::GammaGt, Self::Egfr, Self::UrineGlucose, Self::UrineProtein,
    ];

    /// Plausible ranges only catch typos and unit mix-ups (mmol/L, m instead of cm); they are
    /// deliberately wide so that genuinely extreme results are never rejected.
    #[rustfmt::skip]
    fn info(self) -> Info {
        use CheckupItem::*;
        match self {
            Height => info("9N001000000000001", "cm", "身長", "Height", Some((50.0, 250.0))),
            Weight => info("9N006000000000001", "kg", "体重", "Weight", Some((10.0, 300.0))),
            Bmi => info("9N011000000000001", "", "BMI", "BMI", Some((5.0, 100.0))),
            Waist => info("9N016160100000001", "cm", "腹囲", "Waist circumference", Some((30.0, 250.0))),
            SystolicBp => info("9A751000000000001", "mmHg", "収縮期血圧", "Systolic blood pressure", Some((50.0, 300.0))),
            DiastolicBp => info("9A761000000000001", "mmHg", "拡張期血圧", "Diastolic blood pressure", Some((20.0, 200.0))),
            Triglycerides => info("3F015000002327101", "mg/dL", "中性脂肪", "Triglycerides", Some((5.0, 10000.0))),
            Hdl => info("3F070000002327101", "mg/dL", "HDLコレステロール", "HDL cholesterol", Some((1.0, 300.0))),
            Ldl => info("3F077000002327101", "mg/dL", "LDLコレステロール", "LDL cholesterol", Some((1.0, 1000.0))),
            FastingGlucose => info("3D010000001926101", "mg/dL", "空腹時血糖", "Fasting blood glucose", Some((10.0, 1500.0))),
            Hba1c => info("3D046000001906202", "%", "HbA1c", "HbA1c", Some((2.0, 25.0))),
            Ast => info("3B035000002327201", "U/L", "AST（GOT）", "AST (GOT)", Some((1.0, 20000.0))),
            Alt => info("3B045000002327201", "U/L", "ALT（GPT）", "ALT (GPT)", Some((1.0, 20000.0))),
            GammaGt => info("3B090000002327101", "U/L", "γ-GT（γ-GTP）", "Gamma-GT", Some((1.0, 10000.0))),
            Egfr => info("8A065000002391901", "mL/min/1.73m²", "eGFR", "eGFR", Some((1.0, 300.0))),
            UrineGlucose => info("1A020000000191111", "", "尿糖", "Urine glucose", None),
            UrineProtein => info("1A010000000190111", "", "尿蛋白", "Urine protein", None),
        }
    }

    /// The 17-character 特定健診 item code (JLAC10-based).
    pub fn code(self) -> &'static str {
        self.info().code
    }

    /// Only the exact codes above are recognised; method variants (e.g. self-reported waist
    /// 9N016160300000001 or other assay methods) are rejected rather than silently merged.
    pub fn from_code(input: &str) -> Result<Self, CheckupError> {
        let code = normalize_code_compact(input).to_ascii_uppercase();
        Self::ALL
            .into_iter()
            .find(|i| i.code() == code)
            .ok_or(CheckupError::ItemCodeUnknown)
    }

    pub fn unit(self) -> &'static str {
        self.info().unit
    }

    pub fn label_ja(self) -> &'static str {
        self.info().ja
    }

    pub fn label_en(self) -> &'static str {
        self.info().en
    }

    pub fn is_urine(self) -> bool {
        self.info().range.is_none()
    }

    pub fn plausible_range(self) -> Option<RangeInclusive<f64>> {
        self.info().range.map(|(min, max)| min..=max)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckupKind {
    /// 特定健診: from the fiscal year in which the person reaches 40, until 75.
    Specific,
    /// 後期高齢者健診, ages 75 and over.
    LaterElderly,
}

impl CheckupKind {
    /// Which statutory checkup applies: 特定健診 from the fiscal year in which the person
    /// reaches 40, 後期高齢者健診 from the 75th birthday on (the scheme starts that day).
    /// `None` before: no statutory checkup of these kinds applies.
    pub fn for_ages(ages: Ages) -> Option<Self> {
        if ages.at_exam >= 75 {
            Some(Self::LaterElderly)
        } else if ages.by_fiscal_year_end >= 40 {
            Some(Self::Specific)
        } else {
            None
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Specific => "特定健診",
            Self::LaterElderly => "後期高齢者健診",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Specific => "Specific health checkup",
            Self::LaterElderly => "Late-stage elderly health checkup",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Questionnaire {
    pub on_bp_medication: bool,
    pub on_glucose_medication: bool,
    pub on_lipid_medication: bool,
    pub smoker: bool,
    pub fasting: bool,
}

impl Questionnaire {
    /// Whether the person already takes medication for what `item` measures; a see-doctor
    /// band then means "already under treatment" rather than "go and see a doctor".
    pub fn treated_for(&self, item: CheckupItem) -> bool {
        use CheckupItem::*;
        match item {
            SystolicBp | DiastolicBp => self.on_bp_medication,
            FastingGlucose | Hba1c | UrineGlucose => self.on_glucose_medication,
            Triglycerides | Hdl | Ldl => self.on_lipid_medication,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests;
