//! Owns the official 特定健診 cut-offs (保健指導判定値 / 受診勧奨判定値) and banding of values.

use serde::{Deserialize, Serialize};

use super::CheckupItem;
use crate::domain::person::Sex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Normal,
    /// 保健指導判定値以上: lifestyle guidance recommended.
    Guidance,
    /// 受診勧奨判定値以上: see a doctor.
    SeeDoctor,
}

impl Band {
    /// The serde name, also used as a CSS modifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Guidance => "guidance",
            Self::SeeDoctor => "see_doctor",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Normal => "基準範囲内",
            Self::Guidance => "保健指導判定値以上",
            Self::SeeDoctor => "受診勧奨判定値以上",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Normal => "Within range",
            Self::Guidance => "Guidance level",
            Self::SeeDoctor => "See a doctor",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherIsWorse,
    LowerIsWorse,
}

/// One level. `inclusive` matters because the official levels mix `<` and `<=`
/// (HDL guidance is `< 40` but see-doctor is `<= 34`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Cutoff {
    pub bound: f64,
    pub inclusive: bool,
}

impl Cutoff {
    pub fn reached(self, direction: Direction, value: f64) -> bool {
        match (direction, self.inclusive) {
            (Direction::HigherIsWorse, true) => value >= self.bound,
            (Direction::HigherIsWorse, false) => value > self.bound,
            (Direction::LowerIsWorse, true) => value <= self.bound,
            (Direction::LowerIsWorse, false) => value < self.bound,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Threshold {
    pub direction: Direction,
    pub guidance: Cutoff,
    /// `None` where the program defines no see-doctor level (BMI, waist).
    pub see_doctor: Option<Cutoff>,
}

/// `>= guidance`, `>= see_doctor`.
const fn at_least(guidance: f64, see_doctor: Option<f64>) -> Threshold {
    let see_doctor = match see_doctor {
        Some(bound) => Some(Cutoff {
            bound,
            inclusive: true,
        }),
        None => None,
    };
    Threshold {
        direction: Direction::HigherIsWorse,
        guidance: Cutoff {
            bound: guidance,
            inclusive: true,
        },
        see_doctor,
    }
}

const fn lower(guidance: Cutoff, see_doctor: Cutoff) -> Threshold {
    Threshold {
        direction: Direction::LowerIsWorse,
        guidance,
        see_doctor: Some(see_doctor),
    }
}

const fn below(bound: f64) -> Cutoff {
    Cutoff {
        bound,
        inclusive: false,
    }
}

const fn at_most(bound: f64) -> Cutoff {
    Cutoff {
        bound,
        inclusive: true,
    }
}

impl CheckupItem {
    /// The official cut-offs; `None` for height and weight (no cut-off) and urine items
    /// (graded by [`super::UrineGrade::classify`]). Only waist depends on sex.
    pub fn threshold(self, sex: Sex) -> Option<Threshold> {
        use CheckupItem::*;
        Some(match self {
            Bmi => at_least(25.0, None),
            Waist => at_least(if sex == Sex::Male { 85.0 } else { 90.0 }, None),
            SystolicBp => at_least(130.0, Some(140.0)),
            DiastolicBp => at_least(85.0, Some(90.0)),
            Triglycerides => at_least(150.0, Some(300.0)),
            Hdl => lower(below(40.0), at_most(34.0)),
            Ldl => at_least(120.0, Some(140.0)),
            FastingGlucose => at_least(100.0, Some(126.0)),
            Hba1c => at_least(5.6, Some(6.5)),
            Ast | Alt => at_least(31.0, Some(51.0)),
            GammaGt => at_least(51.0, Some(101.0)),
            Egfr => lower(below(60.0), below(45.0)),
            Height | Weight | UrineGlucose | UrineProtein => return None,
        })
    }
}

/// Bands a numeric value; `None` when the item has no numeric cut-off or the value is not finite.
pub fn classify(item: CheckupItem, sex: Sex, value: f64) -> Option<Band> {
    let t = item.threshold(sex)?;
    if !value.is_finite() {
        return None;
    }
    let see_doctor = t.see_doctor.is_some_and(|c| c.reached(t.direction, value));
    Some(if see_doctor {
        Band::SeeDoctor
    } else if t.guidance.reached(t.direction, value) {
        Band::Guidance
    } else {
        Band::Normal
    })
}

/// The band of any stored value: numbers against their cut-offs, urine grades by grade.
pub fn classify_value(item: CheckupItem, sex: Sex, value: &super::CheckupValue) -> Option<Band> {
    match value {
        super::CheckupValue::Number(n) => classify(item, sex, *n),
        super::CheckupValue::Urine(g) => Some(g.classify()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Band::{Guidance as G, Normal as N, SeeDoctor as S};
    use CheckupItem::*;

    /// `None` in the sex column means the row must hold for both sexes.
    #[rustfmt::skip]
    const CASES: &[(CheckupItem, Option<Sex>, f64, Band)] = &[
        (Bmi, None, 24.9, N), (Bmi, None, 25.0, G), (Bmi, None, 25.1, G), (Bmi, None, 60.0, G),
        (Waist, Some(Sex::Male), 84.9, N), (Waist, Some(Sex::Male), 85.0, G), (Waist, Some(Sex::Male), 85.1, G),
        (Waist, Some(Sex::Female), 85.0, N), (Waist, Some(Sex::Female), 89.9, N),
        (Waist, Some(Sex::Female), 90.0, G), (Waist, Some(Sex::Female), 90.1, G),
        (SystolicBp, None, 129.0, N), (SystolicBp, None, 130.0, G), (SystolicBp, None, 131.0, G),
        (SystolicBp, None, 139.0, G), (SystolicBp, None, 140.0, S), (SystolicBp, None, 141.0, S),
        (DiastolicBp, None, 84.0, N), (DiastolicBp, None, 85.0, G), (DiastolicBp, None, 86.0, G),
        (DiastolicBp, None, 89.0, G), (DiastolicBp, None, 90.0, S), (DiastolicBp, None, 91.0, S),
        (Triglycerides, None, 149.0, N), (Triglycerides, None, 150.0, G), (Triglycerides, None, 151.0, G),
        (Triglycerides, None, 299.0, G), (Triglycerides, None, 300.0, S), (Triglycerides, None, 301.0, S),
        (Hdl, None, 41.0, N), (Hdl, None, 40.0, N), (Hdl, None, 39.0, G),
        (Hdl, None, 35.0, G), (Hdl, None, 34.0, S), (Hdl, None, 33.0, S),
        (Ldl, None, 119.0, N), (Ldl, None, 120.0, G), (Ldl, None, 121.0, G),
        (Ldl, None, 139.0, G), (Ldl, None, 140.0, S), (Ldl, None, 141.0, S),
        (FastingGlucose, None, 99.0, N), (FastingGlucose, None, 100.0, G), (FastingGlucose, None, 101.0, G),
        (FastingGlucose, None, 125.0, G), (FastingGlucose, None, 126.0, S), (FastingGlucose, None, 127.0, S),
        (Hba1c, None, 5.5, N), (Hba1c, None, 5.6, G), (Hba1c, None, 5.7, G),
        (Hba1c, None, 6.4, G), (Hba1c, None, 6.5, S), (Hba1c, None, 6.6, S),
        (Ast, None, 30.0, N), (Ast, None, 31.0, G), (Ast, None, 32.0, G),
        (Ast, None, 50.0, G), (Ast, None, 51.0, S), (Ast, None, 52.0, S),
        (Alt, None, 30.0, N), (Alt, None, 31.0, G), (Alt, None, 32.0, G),
        (Alt, None, 50.0, G), (Alt, None, 51.0, S), (Alt, None, 52.0, S),
        (GammaGt, None, 50.0, N), (GammaGt, None, 51.0, G), (GammaGt, None, 52.0, G),
        (GammaGt, None, 100.0, G), (GammaGt, None, 101.0, S), (GammaGt, None, 102.0, S),
        (Egfr, None, 61.0, N), (Egfr, None, 60.0, N), (Egfr, None, 59.9, G),
        (Egfr, None, 46.0, G), (Egfr, None, 45.0, G), (Egfr, None, 44.9, S),
    ];

    #[test]
    fn cut_offs() {
        for &(item, sex, value, want) in CASES {
            let sexes = sex.map_or(vec![Sex::Male, Sex::Female], |s| vec![s]);
            for s in sexes {
                assert_eq!(
                    classify(item, s, value),
                    Some(want),
                    "{item:?} {s:?} {value}"
                );
            }
        }
    }

    #[test]
    fn no_band_without_threshold_or_finite_value() {
        let cases = [
            (Height, 170.0),
            (Weight, 60.0),
            (UrineGlucose, 1.0),
            (UrineProtein, 0.0),
            (SystolicBp, f64::NAN),
            (Hdl, f64::NEG_INFINITY),
        ];
        for (item, value) in cases {
            assert_eq!(classify(item, Sex::Female, value), None, "{item:?} {value}");
        }
    }

    #[test]
    fn only_guidance_level_for_bmi_and_waist() {
        assert_eq!(classify(Bmi, Sex::Male, 45.0), Some(G));
        assert_eq!(classify(Waist, Sex::Female, 150.0), Some(G));
        assert_eq!(Waist.threshold(Sex::Male).and_then(|t| t.see_doctor), None);
    }
}
