//! Owns dispensed-medication records and the drug codes that identify what was dispensed.

mod duplicates;
mod episodes;

pub use duplicates::{
    DispensingSummary, DuplicateHint, DuplicateKind, EARLY_REFILL_MIN_DAYS,
    EARLY_REFILL_SHARE_PERCENT, duplicate_hints, early_refill_tolerance_days,
};
pub use episodes::{DrugKey, DrugRow, EPISODE_MAX_GAP_DAYS, Episode, medication_timeline};

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::institution::InstitutionCode;
use super::normalize::normalize_code_compact;
use super::source::RecordSource;

/// FHIR code system of HOT9, as JP Core's JP_Medication names it (its table of terminologies;
/// the OID urn:oid:1.2.392.200119.4.403.1 of earlier versions is only an identifier of it).
pub const HOT9_SYSTEM: &str = "http://medis.or.jp/CodeSystem/master-HOT9";
/// FHIR code system of the YJ code, as JP Core's JP_Medication names it (earlier versions:
/// urn:oid:1.2.392.100495.20.1.73).
pub const YJ_SYSTEM: &str = "http://capstandard.jp/iyaku.info/CodeSystem/YJ-code";

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MedicationError {
    #[error("drug code must have 12 characters (YJ) or 9 digits (receipt code), found {found}")]
    DrugCodeLength { found: usize },
    #[error("YJ code must be 7 digits, a letter or digit, a digit, then 3 digits or ZZZ")]
    YjShape,
    #[error("receipt drug code must be 9 digits")]
    ReceiptNonDigit,
    #[error("receipt drug code must start with 6, found {found}")]
    ReceiptFirstDigit { found: char },
    #[error("drug name is empty")]
    DrugNameEmpty,
    #[error("days supplied must be 1-365, found {found}")]
    DaysSupplied { found: u16 },
    #[error("quantity must be a positive number, found {found}")]
    Quantity { found: f64 },
    #[error("dose per day must be a positive number, found {found}")]
    DosePerDay { found: f64 },
}

impl MedicationError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::DrugCodeLength { .. } => "drug_code_length",
            Self::YjShape => "yj_code_shape",
            Self::ReceiptNonDigit => "receipt_code_non_digit",
            Self::ReceiptFirstDigit { .. } => "receipt_code_first_digit",
            Self::DrugNameEmpty => "drug_name_empty",
            Self::DaysSupplied { .. } => "days_supplied_range",
            Self::Quantity { .. } => "quantity_not_positive",
            Self::DosePerDay { .. } => "dose_per_day_not_positive",
        }
    }
}

/// YJ code (個別医薬品コード): 7 digits (薬効分類 4 + 成分 3), dosage form (uppercase letter or
/// digit), 規格 digit, then 2 digits and a check character for one maker's product, or `ZZZ`
/// for a prescription by generic name (一般名コード, as in 一般名処方マスタ: no product is
/// chosen yet). Only the shape is checked: the check algorithm is not public.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct YjCode(String);

impl YjCode {
    /// Lowercase letters are uppercased because hand-typed codes often lose case.
    pub fn parse(input: &str) -> Result<Self, MedicationError> {
        let s = normalize_code_compact(input).to_ascii_uppercase();
        let found = s.chars().count();
        if found != 12 {
            return Err(MedicationError::DrugCodeLength { found });
        }
        // Non-ASCII input of 12 characters fails the byte checks below as a shape error.
        let b = s.as_bytes();
        let digits =
            |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
        let form_ok = b
            .get(7)
            .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        let product = digits(9..12) || b.get(9..12) == Some(b"ZZZ".as_slice());
        if digits(0..7) && form_ok && digits(8..9) && product {
            Ok(Self(s))
        } else {
            Err(MedicationError::YjShape)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// First 7 characters: same ingredient and route regardless of maker or form.
    pub fn ingredient(&self) -> &str {
        self.0.get(0..7).unwrap_or_default()
    }

    /// First 4 characters: 薬効分類 (therapeutic class).
    pub fn class(&self) -> &str {
        self.0.get(0..4).unwrap_or_default()
    }

    /// Whether the class is a catch-all, "other ..." (4th digit 9 in 日本標準商品分類 87: 2329
    /// その他の消化性潰瘍用剤, 3999 他に分類されない代謝性医薬品), whose drugs share nothing but
    /// what they are not.
    pub fn class_is_catch_all(&self) -> bool {
        self.0.get(3..4) == Some("9")
    }

    /// A prescription by generic name (`…ZZZ`), not one maker's product.
    pub fn is_generic_name(&self) -> bool {
        self.0.ends_with("ZZZ")
    }
}

string_newtype!(YjCode, MedicationError);

/// レセプト電算処理システム医薬品コード: 9 digits starting with 6.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReceiptCode(String);

impl ReceiptCode {
    pub fn parse(input: &str) -> Result<Self, MedicationError> {
        let s = normalize_code_compact(input);
        if s.chars().count() != 9 {
            return Err(MedicationError::DrugCodeLength {
                found: s.chars().count(),
            });
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MedicationError::ReceiptNonDigit);
        }
        match s.chars().next() {
            Some('6') => Ok(Self(s)),
            found => Err(MedicationError::ReceiptFirstDigit {
                found: found.unwrap_or_default(),
            }),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(ReceiptCode, MedicationError);

/// Serialized tagged (`{"yj": "…"}`) rather than by shape, so that adding a code system with
/// a clashing shape (HOT9 is also 9 digits) cannot change how stored records read back.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DrugCode {
    Yj(YjCode),
    Receipt(ReceiptCode),
}

impl DrugCode {
    /// Picks the code system by length: 12 characters → YJ, 9 → receipt code.
    pub fn parse(input: &str) -> Result<Self, MedicationError> {
        match normalize_code_compact(input).chars().count() {
            12 => YjCode::parse(input).map(Self::Yj),
            9 => ReceiptCode::parse(input).map(Self::Receipt),
            found => Err(MedicationError::DrugCodeLength { found }),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Yj(c) => c.as_str(),
            Self::Receipt(c) => c.as_str(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    Oral,
    AsNeeded,
    External,
    Injection,
}

impl Route {
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Oral => "内服",
            Self::AsNeeded => "頓服",
            Self::External => "外用",
            Self::Injection => "注射",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Oral => "Oral",
            Self::AsNeeded => "As needed",
            Self::External => "External",
            Self::Injection => "Injection",
        }
    }
}

/// One dispensed drug, as read from claims or e-prescription feeds. Plain data: call
/// [`MedicationRecord::validate`] after reading a feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MedicationRecord {
    pub dispensed_on: NaiveDate,
    pub dispenser: InstitutionCode,
    pub prescriber: Option<InstitutionCode>,
    pub drug_name: String,
    pub drug_code: DrugCode,
    pub strength: String,
    pub dose_per_day: Option<f64>,
    pub days_supplied: u16,
    pub quantity: f64,
    pub unit: String,
    pub route: Route,
    pub generic: bool,
    pub source: RecordSource,
}

impl MedicationRecord {
    pub const MAX_DAYS_SUPPLIED: u16 = 365;

    pub fn validate(&self) -> Result<(), MedicationError> {
        if self.drug_name.trim().is_empty() {
            return Err(MedicationError::DrugNameEmpty);
        }
        if !(1..=Self::MAX_DAYS_SUPPLIED).contains(&self.days_supplied) {
            return Err(MedicationError::DaysSupplied {
                found: self.days_supplied,
            });
        }
        if !(self.quantity.is_finite() && self.quantity > 0.0) {
            return Err(MedicationError::Quantity {
                found: self.quantity,
            });
        }
        match self.dose_per_day {
            Some(dose) if !(dose.is_finite() && dose > 0.0) => {
                Err(MedicationError::DosePerDay { found: dose })
            }
            _ => Ok(()),
        }
    }

    /// Last day covered: dispensed_on + days_supplied − 1 (a 1-day supply ends the same day).
    /// Saturates instead of failing for dates at the end of chrono's range or 0 days.
    pub fn last_day(&self) -> NaiveDate {
        let extra = u64::from(self.days_supplied.saturating_sub(1));
        self.dispensed_on
            .checked_add_days(Days::new(extra))
            .unwrap_or(NaiveDate::MAX)
    }

    /// Whether the supply covers `date`, both ends inclusive.
    pub fn covers(&self, date: NaiveDate) -> bool {
        (self.dispensed_on..=self.last_day()).contains(&date)
    }
}

#[cfg(test)]
mod tests;
