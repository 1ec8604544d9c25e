//! Owns a single validated checkup result: the value kind must match the item and lie in range.

use serde::{Deserialize, Serialize};

use super::{Band, CheckupError, CheckupItem, UrineGrade, classify};
use crate::domain::person::Sex;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckupValue {
    Number(f64),
    Urine(UrineGrade),
}

/// One graded item. Fields are private so every value, including deserialized ones, has passed
/// [`CheckupResult::new`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "CheckupResultFields")]
pub struct CheckupResult {
    item: CheckupItem,
    value: CheckupValue,
}

#[derive(Deserialize)]
struct CheckupResultFields {
    item: CheckupItem,
    value: CheckupValue,
}

impl TryFrom<CheckupResultFields> for CheckupResult {
    type Error = CheckupError;
    fn try_from(f: CheckupResultFields) -> Result<Self, Self::Error> {
        Self::new(f.item, f.value)
    }
}

impl CheckupResult {
    pub fn new(item: CheckupItem, value: CheckupValue) -> Result<Self, CheckupError> {
        match (item.plausible_range(), value) {
            (None, CheckupValue::Urine(_)) => Ok(Self { item, value }),
            (None, CheckupValue::Number(_)) => Err(CheckupError::ExpectedUrineGrade { item }),
            (Some(_), CheckupValue::Urine(_)) => Err(CheckupError::ExpectedNumber { item }),
            (Some(_), CheckupValue::Number(v)) if !v.is_finite() => {
                Err(CheckupError::NotFinite { item })
            }
            (Some(range), CheckupValue::Number(v)) if !range.contains(&v) => {
                Err(CheckupError::Implausible {
                    item,
                    value: v,
                    min: *range.start(),
                    max: *range.end(),
                })
            }
            (Some(_), CheckupValue::Number(_)) => Ok(Self { item, value }),
        }
    }

    pub fn item(&self) -> CheckupItem {
        self.item
    }

    pub fn value(&self) -> CheckupValue {
        self.value
    }

    /// `None` for items without official cut-offs (height, weight).
    pub fn band(&self, sex: Sex) -> Option<Band> {
        match self.value {
            CheckupValue::Number(v) => classify(self.item, sex, v),
            CheckupValue::Urine(grade) => Some(grade.classify()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deserialization goes through the same checks as `new`.
    #[test]
    fn wire_fields_are_validated() {
        let cases = [
            (
                CheckupItem::Hdl,
                CheckupValue::Number(0.0),
                Err("checkup_value_implausible"),
            ),
            (CheckupItem::Hdl, CheckupValue::Number(55.0), Ok(())),
            (
                CheckupItem::UrineProtein,
                CheckupValue::Number(1.0),
                Err("checkup_expected_urine_grade"),
            ),
        ];
        for (item, value, want) in cases {
            let got = CheckupResult::try_from(CheckupResultFields { item, value });
            assert_eq!(got.map(|_| ()).map_err(|e| e.code()), want, "{item:?}");
        }
    }
}
