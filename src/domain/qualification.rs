//! Owns insurance qualification facts: insurance kind, ceiling category, welfare medical aid
//! (医療扶助) numbers and validity periods.

pub mod welfare;

pub use welfare::{OfficeName, PublicPayerNumber, RecipientNumber, WelfareAid};

use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::insured::InsurerNumber;
use super::normalize::normalize_code;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QualificationError {
    #[error("unknown ceiling category; expected ア-オ or a-e")]
    CeilingCategoryUnknown,
    #[error("public payer number is empty")]
    PublicPayerEmpty,
    #[error("public payer number must contain digits only")]
    PublicPayerNonDigit,
    #[error("public payer number must have 8 digits, found {found}")]
    PublicPayerLength { found: usize },
    #[error("public payer number check digit should be {expected}, found {found}")]
    PublicPayerCheckDigit { expected: u8, found: u8 },
    #[error("public payer law code {found} is not 12 (生活保護 医療扶助)")]
    PublicPayerNotWelfareAid { found: String },
    #[error("recipient number is empty")]
    RecipientEmpty,
    #[error("recipient number must contain digits only")]
    RecipientNonDigit,
    #[error("recipient number must have 7 digits, found {found}")]
    RecipientLength { found: usize },
    #[error("recipient number check digit should be {expected}, found {found}")]
    RecipientCheckDigit { expected: u8, found: u8 },
    #[error("welfare office name is empty")]
    OfficeNameEmpty,
    #[error("welfare office name may have at most 100 characters, found {found}")]
    OfficeNameTooLong { found: usize },
    #[error("validity ends on {to} before it starts on {from}")]
    ValidityEndsBeforeStart { from: NaiveDate, to: NaiveDate },
}

impl QualificationError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::CeilingCategoryUnknown => "ceiling_category_unknown",
            Self::PublicPayerEmpty => "public_payer_number_empty",
            Self::PublicPayerNonDigit => "public_payer_number_non_digit",
            Self::PublicPayerLength { .. } => "public_payer_number_length",
            Self::PublicPayerCheckDigit { .. } => "public_payer_number_check_digit",
            Self::PublicPayerNotWelfareAid { .. } => "public_payer_number_not_welfare_aid",
            Self::RecipientEmpty => "recipient_number_empty",
            Self::RecipientNonDigit => "recipient_number_non_digit",
            Self::RecipientLength { .. } => "recipient_number_length",
            Self::RecipientCheckDigit { .. } => "recipient_number_check_digit",
            Self::OfficeNameEmpty => "welfare_office_empty",
            Self::OfficeNameTooLong { .. } => "welfare_office_too_long",
            Self::ValidityEndsBeforeStart { .. } => "validity_ends_before_start",
        }
    }
}

/// 限度額適用区分 ア-オ (under-70 income brackets for the monthly out-of-pocket ceiling).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CeilingCategory {
    A,
    B,
    C,
    D,
    E,
}

impl CeilingCategory {
    /// Accepts ア-オ (full- or half-width katakana) and a-e in either case or width.
    pub fn parse(input: &str) -> Result<Self, QualificationError> {
        match normalize_code(input).to_ascii_lowercase().as_str() {
            "ア" | "ｱ" | "a" => Ok(Self::A),
            "イ" | "ｲ" | "b" => Ok(Self::B),
            "ウ" | "ｳ" | "c" => Ok(Self::C),
            "エ" | "ｴ" | "d" => Ok(Self::D),
            "オ" | "ｵ" | "e" => Ok(Self::E),
            _ => Err(QualificationError::CeilingCategoryUnknown),
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Self::A => "ア",
            Self::B => "イ",
            Self::C => "ウ",
            Self::D => "エ",
            Self::E => "オ",
        }
    }
}

impl FromStr for CeilingCategory {
    type Err = QualificationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InsuranceKind {
    /// 被用者保険 (協会けんぽ, 組合, 共済 …)
    Employee,
    /// 国民健康保険
    National,
    /// 後期高齢者医療
    LaterElderly,
    /// 医療扶助 (生活保護): no insurer number, paid from public funds.
    WelfareAid,
}

impl InsuranceKind {
    /// Infers the kind from the insurer number's 法別番号; `None` for codes not listed here.
    pub fn from_insurer(insurer: &InsurerNumber) -> Option<Self> {
        match insurer.law_code() {
            None => Some(Self::National),
            // 67: 退職者医療, administered by the municipal NHI.
            Some("67") => Some(Self::National),
            Some("39") => Some(Self::LaterElderly),
            Some(
                "01" | "02" | "03" | "04" | "06" | "07" | "31" | "32" | "33" | "34" | "63" | "72"
                | "73" | "74" | "75",
            ) => Some(Self::Employee),
            Some(_) => None,
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Employee => "被用者保険",
            Self::National => "国民健康保険",
            Self::LaterElderly => "後期高齢者医療",
            Self::WelfareAid => "医療扶助（生活保護）",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Employee => "Employee health insurance",
            Self::National => "National Health Insurance",
            Self::LaterElderly => "Late-stage elderly medical care",
            Self::WelfareAid => "Medical aid (public assistance)",
        }
    }
}

/// A validity period, both ends inclusive; `to: None` means open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "ValidityFields")]
pub struct Validity {
    from: NaiveDate,
    to: Option<NaiveDate>,
}

/// Unchecked wire shape, so deserialized periods go through [`Validity::new`].
#[derive(Deserialize)]
struct ValidityFields {
    from: NaiveDate,
    to: Option<NaiveDate>,
}

impl TryFrom<ValidityFields> for Validity {
    type Error = QualificationError;
    fn try_from(v: ValidityFields) -> Result<Self, Self::Error> {
        Self::new(v.from, v.to)
    }
}

impl Validity {
    /// A one-day period (`to == from`) is allowed; `to < from` is not.
    pub fn new(from: NaiveDate, to: Option<NaiveDate>) -> Result<Self, QualificationError> {
        match to {
            Some(to) if to < from => Err(QualificationError::ValidityEndsBeforeStart { from, to }),
            _ => Ok(Self { from, to }),
        }
    }

    pub fn from(&self) -> NaiveDate {
        self.from
    }

    pub fn to(&self) -> Option<NaiveDate> {
        self.to
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        date >= self.from && self.to.is_none_or(|to| date <= to)
    }
}

/// Who a record belongs to: an insured person by their personal number, or a welfare
/// recipient by the public payer and recipient numbers (welfare aid has no insured number).
#[derive(Debug, Clone, PartialEq)]
pub enum Member {
    Insured(crate::domain::insured::PersonalInsuredNumber),
    Welfare {
        payer: welfare::PublicPayerNumber,
        recipient: welfare::RecipientNumber,
    },
}

#[cfg(test)]
mod tests;
