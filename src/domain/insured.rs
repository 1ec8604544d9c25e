//! Owns the health-insurance card identity: insurer number, 記号, 番号, 枝番 and their JP Core form.

use serde::{Deserialize, Serialize};

use super::check_digit::{CheckDigits, DigitShape, digits_of_len};
use super::institution::Prefecture;
use super::normalize::normalize_code;

mod personal;
pub use personal::PersonalInsuredNumber;

/// FHIR identifier system of the personal insured number (JP Core / 電子カルテ情報共有サービス).
pub const FHIR_SYSTEM: &str = "http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID";

const MAX_PART_CHARS: usize = 20;

/// Variants never carry the rejected input itself, so errors can be logged without leaking card data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InsuredError {
    #[error("insurer number is empty")]
    InsurerEmpty,
    #[error("insurer number must contain digits only")]
    InsurerNonDigit,
    #[error("insurer number must have 6 (national health insurance) or 8 digits, found {found}")]
    InsurerLength { found: usize },
    #[error("insurer number check digit should be {expected}, found {found}")]
    InsurerCheckDigit { expected: u8, found: u8 },
    #[error("insured symbol is empty")]
    SymbolEmpty,
    #[error("insured symbol may have at most 20 characters, found {found}")]
    SymbolTooLong { found: usize },
    #[error(
        "insured symbol contains {ch:?}; only digits, letters, kana, kanji and '-' are allowed"
    )]
    SymbolInvalidChar { ch: char },
    #[error("insured member number is empty")]
    NumberEmpty,
    #[error("insured member number may have at most 20 characters, found {found}")]
    NumberTooLong { found: usize },
    #[error("insured member number contains {ch:?}; only digits, letters and '-' are allowed")]
    NumberInvalidChar { ch: char },
    #[error("branch number requires exactly two digits, found {found} characters")]
    BranchTwoDigitsRequired { found: usize },
    #[error("branch number must contain digits only")]
    BranchNonDigit,
    #[error("insured id needs 4 parts insurer:symbol:number:branch, found {found}")]
    JpCoreParts { found: usize },
}

impl InsuredError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::InsurerEmpty => "insurer_number_empty",
            Self::InsurerNonDigit => "insurer_number_non_digit",
            Self::InsurerLength { .. } => "insurer_number_length",
            Self::InsurerCheckDigit { .. } => "insurer_number_check_digit",
            Self::SymbolEmpty => "insured_symbol_empty",
            Self::SymbolTooLong { .. } => "insured_symbol_too_long",
            Self::SymbolInvalidChar { .. } => "insured_symbol_invalid_char",
            Self::NumberEmpty => "insured_number_empty",
            Self::NumberTooLong { .. } => "insured_number_too_long",
            Self::NumberInvalidChar { .. } => "insured_number_invalid_char",
            Self::BranchTwoDigitsRequired { .. } => "branch_two_digits_required",
            Self::BranchNonDigit => "branch_non_digit",
            Self::JpCoreParts { .. } => "insured_id_parts",
        }
    }
}

/// 保険者番号. Stored as printed on the card: 8 digits, or 6 for national health insurance.
///
/// JP Core pads NHI numbers to 8 digits with "00" (no 法別番号 is 00), so an 8-digit input
/// starting with "00" is read as the 6-digit NHI number; leading zeros add nothing to the check
/// digit sum, so both forms share the same check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct InsurerNumber(String);

impl InsurerNumber {
    pub fn parse(input: &str) -> Result<Self, InsuredError> {
        let mut s = digits_of_len(input, &[6, 8]).map_err(|e| match e {
            DigitShape::Empty => InsuredError::InsurerEmpty,
            DigitShape::NonDigit => InsuredError::InsurerNonDigit,
            DigitShape::Length { found } => InsuredError::InsurerLength { found },
        })?;
        let check = CheckDigits::of(&s).ok_or(InsuredError::InsurerNonDigit)?;
        if !check.is_valid() {
            return Err(InsuredError::InsurerCheckDigit {
                expected: check.expected,
                found: check.found,
            });
        }
        if let Some(nhi) = s.strip_prefix("00").filter(|rest| rest.len() == 6) {
            s = nhi.to_owned();
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Always 8 digits, "00"-padded for NHI, as JP Core identifiers require.
    pub fn to_jp_core(&self) -> String {
        if self.is_national_health_insurance() {
            format!("00{}", self.0)
        } else {
            self.0.clone()
        }
    }

    pub fn is_national_health_insurance(&self) -> bool {
        self.0.len() == 6
    }

    /// 法別番号 (e.g. "01" 協会けんぽ, "06" 組合, "39" 後期高齢者); NHI numbers have none.
    pub fn law_code(&self) -> Option<&str> {
        if self.is_national_health_insurance() {
            None
        } else {
            self.0.get(0..2)
        }
    }

    /// `None` when the embedded prefecture digits are not 01-47.
    pub fn prefecture(&self) -> Option<Prefecture> {
        let at = if self.is_national_health_insurance() {
            0..2
        } else {
            2..4
        };
        Prefecture::parse(self.0.get(at)?).ok()
    }
}

string_newtype!(InsurerNumber, InsuredError);

/// 記号: digits, ASCII letters, kana, kanji and '-', 1-20 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct InsuredSymbol(String);

impl InsuredSymbol {
    pub fn parse(input: &str) -> Result<Self, InsuredError> {
        let s = normalize_code(input);
        let count = s.chars().count();
        if count == 0 {
            return Err(InsuredError::SymbolEmpty);
        }
        if count > MAX_PART_CHARS {
            return Err(InsuredError::SymbolTooLong { found: count });
        }
        match s.chars().find(|&c| !is_symbol_char(c)) {
            Some(ch) => Err(InsuredError::SymbolInvalidChar { ch }),
            None => Ok(Self(s)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(InsuredSymbol, InsuredError);

fn is_symbol_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c == '-'
        || matches!(c,
            '\u{3041}'..='\u{309F}'   // hiragana
            | '\u{30A1}'..='\u{30FA}' // katakana
            | '\u{30FC}'..='\u{30FE}' // ー and iteration marks
            | '\u{FF66}'..='\u{FF9F}' // half-width katakana
            | '\u{3005}'..='\u{3007}' // 々 〆 〇
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}')
}

/// 番号: digits, ASCII letters and '-', 1-20 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct InsuredMemberNumber(String);

impl InsuredMemberNumber {
    pub fn parse(input: &str) -> Result<Self, InsuredError> {
        let s = normalize_code(input);
        let count = s.chars().count();
        if count == 0 {
            return Err(InsuredError::NumberEmpty);
        }
        if count > MAX_PART_CHARS {
            return Err(InsuredError::NumberTooLong { found: count });
        }
        match s
            .chars()
            .find(|&c| !(c.is_ascii_alphanumeric() || c == '-'))
        {
            Some(ch) => Err(InsuredError::NumberInvalidChar { ch }),
            None => Ok(Self(s)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Every character except the last two replaced by '*', one '*' per character, so the
    /// holder can still recognise the number on a shared screen ("1234567" -> "*****67").
    /// Numbers of one or two characters are shown unchanged.
    pub fn masked(&self) -> String {
        let n = self.0.chars().count();
        self.0
            .chars()
            .enumerate()
            .map(|(i, c)| if i + 2 < n { '*' } else { c })
            .collect()
    }
}

string_newtype!(InsuredMemberNumber, InsuredError);

/// 枝番: exactly two digits ("05"), identifying the person within a family card.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Branch(String);

impl Branch {
    pub fn parse(input: &str) -> Result<Self, InsuredError> {
        digits_of_len(input, &[2]).map(Self).map_err(|e| match e {
            DigitShape::Empty => InsuredError::BranchTwoDigitsRequired { found: 0 },
            DigitShape::NonDigit => InsuredError::BranchNonDigit,
            DigitShape::Length { found } => InsuredError::BranchTwoDigitsRequired { found },
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(Branch, InsuredError);

#[cfg(test)]
mod tests;
