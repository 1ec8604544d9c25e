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

/// 限度額適用区分: the income bracket that sets the monthly out-of-pocket ceiling for
/// high-cost care (高額療養費). Under 70 the brackets are ア-オ; from 70 (高齢受給者 and
/// 後期高齢者医療) they are 現役並みⅢ/Ⅱ/Ⅰ, 一般 and 低所得Ⅱ/Ⅰ. The ceilings are those of
/// MHLW's 「高額療養費制度を利用される皆さまへ」 (from August 2018 care on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CeilingCategory {
    A,
    B,
    C,
    D,
    E,
    /// 現役並みⅢ (70+, income like the highest working bracket).
    WorkingIncomeIii,
    /// 現役並みⅡ.
    WorkingIncomeIi,
    /// 現役並みⅠ.
    WorkingIncomeI,
    /// 一般 (70+, ordinary income).
    General,
    /// 低所得Ⅱ (70+, household exempt from residence tax).
    LowIncomeIi,
    /// 低所得Ⅰ (70+, exempt and with very low income).
    LowIncomeI,
}

impl CeilingCategory {
    /// Accepts ア-オ (full- or half-width katakana) and a-e in either case or width, and the
    /// 70-and-over brackets as feeds write them: 現役並みⅢ (also 現役並み3, 現役並III, 現役Ⅲ),
    /// 一般, 低所得Ⅱ (also 低所得2, 低所得II, 低Ⅱ), with Roman numerals as one character or as
    /// letters.
    pub fn parse(input: &str) -> Result<Self, QualificationError> {
        let text: String = normalize_code(input)
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let numeral = |rest: &str| match rest {
            "iii" | "3" | "\u{2162}" | "\u{2172}" => Some(3),
            "ii" | "2" | "\u{2161}" | "\u{2171}" => Some(2),
            "i" | "1" | "\u{2160}" | "\u{2170}" => Some(1),
            _ => None,
        };
        let working = ["現役並み", "現役並", "現役"]
            .iter()
            .find_map(|p| text.strip_prefix(p))
            .and_then(numeral);
        let low = ["低所得", "低"]
            .iter()
            .find_map(|p| text.strip_prefix(p))
            .and_then(numeral);
        match (text.as_str(), working, low) {
            ("ア" | "ｱ" | "a", ..) => Ok(Self::A),
            ("イ" | "ｲ" | "b", ..) => Ok(Self::B),
            ("ウ" | "ｳ" | "c", ..) => Ok(Self::C),
            ("エ" | "ｴ" | "d", ..) => Ok(Self::D),
            ("オ" | "ｵ" | "e", ..) => Ok(Self::E),
            ("一般", ..) => Ok(Self::General),
            (_, Some(3), _) => Ok(Self::WorkingIncomeIii),
            (_, Some(2), _) => Ok(Self::WorkingIncomeIi),
            (_, Some(1), _) => Ok(Self::WorkingIncomeI),
            (_, _, Some(2)) => Ok(Self::LowIncomeIi),
            (_, _, Some(1)) => Ok(Self::LowIncomeI),
            _ => Err(QualificationError::CeilingCategoryUnknown),
        }
    }

    /// The bracket as the card and the certificates print it.
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::A => "ア",
            Self::B => "イ",
            Self::C => "ウ",
            Self::D => "エ",
            Self::E => "オ",
            Self::WorkingIncomeIii => "現役並みⅢ",
            Self::WorkingIncomeIi => "現役並みⅡ",
            Self::WorkingIncomeI => "現役並みⅠ",
            Self::General => "一般",
            Self::LowIncomeIi => "低所得Ⅱ",
            Self::LowIncomeI => "低所得Ⅰ",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::A => "A (ア)",
            Self::B => "B (イ)",
            Self::C => "C (ウ)",
            Self::D => "D (エ)",
            Self::E => "E (オ)",
            Self::WorkingIncomeIii => "Working-level income III (現役並みⅢ)",
            Self::WorkingIncomeIi => "Working-level income II (現役並みⅡ)",
            Self::WorkingIncomeI => "Working-level income I (現役並みⅠ)",
            Self::General => "General (一般)",
            Self::LowIncomeIi => "Low income II (低所得Ⅱ)",
            Self::LowIncomeI => "Low income I (低所得Ⅰ)",
        }
    }

    /// Whether the bracket is one of those from age 70.
    pub fn from_seventy(self) -> bool {
        !matches!(self, Self::A | Self::B | Self::C | Self::D | Self::E)
    }

    /// Who is in the bracket and what they pay at most in a month, in plain words.
    pub fn explanation_ja(self) -> &'static str {
        match self {
            Self::A | Self::WorkingIncomeIii => {
                "年収約1,160万円以上の方。1か月の自己負担の上限は 252,600円＋（医療費－842,000円）×1%"
            }
            Self::B | Self::WorkingIncomeIi => {
                "年収約770万〜約1,160万円の方。1か月の自己負担の上限は 167,400円＋（医療費－558,000円）×1%"
            }
            Self::C | Self::WorkingIncomeI => {
                "年収約370万〜約770万円の方。1か月の自己負担の上限は 80,100円＋（医療費－267,000円）×1%"
            }
            Self::D => "年収約370万円までの方。1か月の自己負担の上限は 57,600円",
            Self::E => "住民税が非課税の方。1か月の自己負担の上限は 35,400円",
            Self::General => {
                "年収約156万〜約370万円の方。1か月の上限は外来（個人ごと）18,000円（年間144,000円まで）、入院を含む世帯で57,600円"
            }
            Self::LowIncomeIi => {
                "住民税が非課税の世帯の方。1か月の上限は外来（個人ごと）8,000円、入院を含む世帯で24,600円"
            }
            Self::LowIncomeI => {
                "住民税が非課税で、年金収入が年80万円以下などの世帯の方。1か月の上限は外来（個人ごと）8,000円、入院を含む世帯で15,000円"
            }
        }
    }

    pub fn explanation_en(self) -> &'static str {
        match self {
            Self::A | Self::WorkingIncomeIii => {
                "Annual income of about ¥11.6 million or more. You pay at most ¥252,600 + 1% of medical costs over ¥842,000 a month."
            }
            Self::B | Self::WorkingIncomeIi => {
                "Annual income of about ¥7.7 to 11.6 million. You pay at most ¥167,400 + 1% of medical costs over ¥558,000 a month."
            }
            Self::C | Self::WorkingIncomeI => {
                "Annual income of about ¥3.7 to 7.7 million. You pay at most ¥80,100 + 1% of medical costs over ¥267,000 a month."
            }
            Self::D => "Annual income up to about ¥3.7 million. You pay at most ¥57,600 a month.",
            Self::E => "Exempt from residence tax. You pay at most ¥35,400 a month.",
            Self::General => {
                "Annual income of about ¥1.56 to 3.7 million. You pay at most ¥18,000 a month for outpatient care (¥144,000 a year), and ¥57,600 a month per household with inpatient care."
            }
            Self::LowIncomeIi => {
                "Household exempt from residence tax. You pay at most ¥8,000 a month for outpatient care, and ¥24,600 a month per household with inpatient care."
            }
            Self::LowIncomeI => {
                "Household exempt from residence tax with very low income (such as pensions of ¥800,000 a year or less). You pay at most ¥8,000 a month for outpatient care, and ¥15,000 a month per household with inpatient care."
            }
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
