//! Owns qualitative urine test grades (尿定性) and how they are graded.

use serde::{Deserialize, Serialize};

use super::{Band, CheckupError};
use crate::domain::normalize::normalize_code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrineGrade {
    Negative,
    Trace,
    Plus1,
    Plus2,
    Plus3,
}

impl UrineGrade {
    /// Accepts the printed symbols in ASCII or full width (－ ± ＋ ＋＋ ＋＋＋, "+-" for ±),
    /// the "1+"-style lab notation, and the serde names.
    pub fn parse(input: &str) -> Result<Self, CheckupError> {
        match normalize_code(input).to_ascii_lowercase().as_str() {
            "-" | "negative" => Ok(Self::Negative),
            "±" | "+-" | "+/-" | "trace" => Ok(Self::Trace),
            "+" | "1+" | "plus1" => Ok(Self::Plus1),
            "++" | "2+" | "plus2" => Ok(Self::Plus2),
            "+++" | "3+" | "plus3" => Ok(Self::Plus3),
            _ => Err(CheckupError::UrineGradeUnknown),
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Self::Negative => "-",
            Self::Trace => "±",
            Self::Plus1 => "+",
            Self::Plus2 => "++",
            Self::Plus3 => "+++",
        }
    }

    /// The 標準的な健診・保健指導プログラム sets the 保健指導判定値 for 尿糖 and 尿蛋白 at (±)
    /// and the 受診勧奨判定値 at (+) or more, so (±) is guidance and (+) upwards see-doctor.
    pub fn classify(self) -> Band {
        match self {
            Self::Negative => Band::Normal,
            Self::Trace => Band::Guidance,
            Self::Plus1 | Self::Plus2 | Self::Plus3 => Band::SeeDoctor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use UrineGrade::*;

    #[test]
    fn parse_and_classify() {
        let cases = [
            ("-", Ok((Negative, Band::Normal))),
            ("－", Ok((Negative, Band::Normal))),
            ("\u{2212}", Ok((Negative, Band::Normal))),
            ("±", Ok((Trace, Band::Guidance))),
            ("+-", Ok((Trace, Band::Guidance))),
            ("＋－", Ok((Trace, Band::Guidance))),
            ("+", Ok((Plus1, Band::SeeDoctor))),
            ("＋", Ok((Plus1, Band::SeeDoctor))),
            ("1+", Ok((Plus1, Band::SeeDoctor))),
            ("++", Ok((Plus2, Band::SeeDoctor))),
            ("２＋", Ok((Plus2, Band::SeeDoctor))),
            (" +++ ", Ok((Plus3, Band::SeeDoctor))),
            ("Plus3", Ok((Plus3, Band::SeeDoctor))),
            ("", Err(CheckupError::UrineGradeUnknown)),
            ("++++", Err(CheckupError::UrineGradeUnknown)),
            ("陰性", Err(CheckupError::UrineGradeUnknown)),
            ("1", Err(CheckupError::UrineGradeUnknown)),
        ];
        for (input, want) in cases {
            let got = UrineGrade::parse(input).map(|g| (g, g.classify()));
            assert_eq!(got, want, "input {input:?}");
        }
    }

    #[test]
    fn symbols_round_trip() {
        for g in [Negative, Trace, Plus1, Plus2, Plus3] {
            assert_eq!(UrineGrade::parse(g.symbol()), Ok(g));
        }
    }
}
