//! Owns medical institution identity: the 10-digit institution code, score tables and kinds.

mod prefecture;

pub use prefecture::Prefecture;

use serde::{Deserialize, Serialize};

use super::check_digit::{CheckDigits, DigitShape, digits_of_len};

/// FHIR identifier system for the 10-digit institution code (JP Core).
pub const FHIR_SYSTEM: &str =
    "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstitutionError {
    #[error("prefecture code must be two digits")]
    PrefectureFormat,
    #[error("prefecture code {found:02} is outside 01-47")]
    PrefectureOutOfRange { found: u8 },
    #[error("institution code is empty")]
    CodeEmpty,
    #[error("institution code must contain digits only")]
    CodeNonDigit,
    #[error("institution code must have 10 digits, found {found}")]
    CodeLength { found: usize },
    #[error(
        "institution code score table digit {found} is not 1 (medical), 3 (dental) or 4 (pharmacy)"
    )]
    ScoreTable { found: char },
    #[error("institution code check digit should be {expected}, found {found}")]
    CheckDigit { expected: u8, found: u8 },
    #[error("a {kind:?} cannot bill under the {table:?} score table")]
    KindMismatch {
        kind: InstitutionKind,
        table: ScoreTable,
    },
}

impl InstitutionError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::PrefectureFormat => "prefecture_format",
            Self::PrefectureOutOfRange { .. } => "prefecture_out_of_range",
            Self::CodeEmpty => "institution_code_empty",
            Self::CodeNonDigit => "institution_code_non_digit",
            Self::CodeLength { .. } => "institution_code_length",
            Self::ScoreTable { .. } => "institution_code_score_table",
            Self::CheckDigit { .. } => "institution_code_check_digit",
            Self::KindMismatch { .. } => "institution_kind_mismatch",
        }
    }
}

/// 点数表: which fee schedule the institution bills under (digit 3 of the code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreTable {
    Medical,
    Dental,
    Pharmacy,
}

impl ScoreTable {
    pub fn from_digit(c: char) -> Option<Self> {
        match c {
            '1' => Some(Self::Medical),
            '3' => Some(Self::Dental),
            '4' => Some(Self::Pharmacy),
            _ => None,
        }
    }

    pub fn digit(self) -> char {
        match self {
            Self::Medical => '1',
            Self::Dental => '3',
            Self::Pharmacy => '4',
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Medical => "医科",
            Self::Dental => "歯科",
            Self::Pharmacy => "調剤",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Medical => "Medical",
            Self::Dental => "Dental",
            Self::Pharmacy => "Pharmacy",
        }
    }
}

/// 医療機関コード: prefecture(2) + score table(1) + 郡市区番号(2) + 医療機関等番号(4) + 検証番号(1).
/// Which digits the check digit covers depends on the prefecture (see [`checked_digits`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct InstitutionCode {
    code: String,
    prefecture: Prefecture,
    score_table: ScoreTable,
}

impl InstitutionCode {
    pub fn parse(input: &str) -> Result<Self, InstitutionError> {
        let code = digits_of_len(input, &[10]).map_err(|e| match e {
            DigitShape::Empty => InstitutionError::CodeEmpty,
            DigitShape::NonDigit => InstitutionError::CodeNonDigit,
            DigitShape::Length { found } => InstitutionError::CodeLength { found },
        })?;
        let prefecture = Prefecture::parse(code.get(0..2).unwrap_or_default())?;
        let table_digit = code.chars().nth(2).unwrap_or_default();
        let score_table = ScoreTable::from_digit(table_digit)
            .ok_or(InstitutionError::ScoreTable { found: table_digit })?;
        let check = CheckDigits::of(checked_digits(prefecture, &code))
            .ok_or(InstitutionError::CodeNonDigit)?;
        if !check.is_valid() {
            return Err(InstitutionError::CheckDigit {
                expected: check.expected,
                found: check.found,
            });
        }
        Ok(Self {
            code,
            prefecture,
            score_table,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.code
    }

    pub fn prefecture(&self) -> Prefecture {
        self.prefecture
    }

    pub fn score_table(&self) -> ScoreTable {
        self.score_table
    }

    /// The 7-digit 保険医療機関番号 (郡市区番号 + 医療機関等番号 + 検証番号), unique within a
    /// prefecture and score table.
    pub fn local_number(&self) -> &str {
        self.code.get(3..).unwrap_or_default()
    }
}

string_newtype!(InstitutionCode, InstitutionError);

/// The digits of a full code that its check digit (modulus 10, weights 2-1) covers, check
/// digit included. The bureaus differ: in Saitama, Chiba, Tokyo and Kanagawa (11-14, the
/// Kantō-Shin'etsu bureau's metropolitan offices) it covers the six of 郡市区番号 +
/// 医療機関等番号; everywhere else the nine from the prefecture on (prefecture, score table,
/// 郡市区番号, 医療機関等番号). Measured on about 207,000 codes of the regional health
/// bureaus' published lists of 保険医療機関・保険薬局, with no exception; the real codes in
/// `tests/data/real_institution_codes.csv` name the list each was copied from.
fn checked_digits(prefecture: Prefecture, code: &str) -> &str {
    match prefecture.code() {
        11..=14 => code.get(3..),
        _ => Some(code),
    }
    .unwrap_or_default()
}

/// The full code for an institution's prefecture, score table and six-digit 郡市区番号 +
/// 医療機関等番号, its check digit computed as that prefecture's bureau does. `None` when a
/// part is not digits of the right length.
pub fn complete_code(prefecture: Prefecture, table: ScoreTable, local: &str) -> Option<String> {
    if local.len() != 6 || !local.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let body = format!("{}{}{local}", prefecture.as_str(), table.digit());
    let check = super::check_digit::modulus10_weight21(checked_digits(prefecture, &body))?;
    Some(format!("{body}{check}"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstitutionKind {
    Hospital,
    Clinic,
    DentalClinic,
    Pharmacy,
}

impl InstitutionKind {
    pub fn expected_score_table(self) -> ScoreTable {
        match self {
            Self::Hospital | Self::Clinic => ScoreTable::Medical,
            Self::DentalClinic => ScoreTable::Dental,
            Self::Pharmacy => ScoreTable::Pharmacy,
        }
    }

    /// Whether an institution of this kind can hold a code of that score table. A hospital with
    /// a dental department holds a separate dental code, so a mismatch means wrong data.
    pub fn allowed_for(self, table: ScoreTable) -> bool {
        self.expected_score_table() == table
    }

    pub fn ensure_matches(self, code: &InstitutionCode) -> Result<(), InstitutionError> {
        let table = code.score_table();
        if self.allowed_for(table) {
            Ok(())
        } else {
            Err(InstitutionError::KindMismatch { kind: self, table })
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Hospital => "病院",
            Self::Clinic => "診療所",
            Self::DentalClinic => "歯科診療所",
            Self::Pharmacy => "薬局",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Hospital => "Hospital",
            Self::Clinic => "Clinic",
            Self::DentalClinic => "Dental clinic",
            Self::Pharmacy => "Pharmacy",
        }
    }
}

/// An institution as records name it: its code as recorded and its name in both languages
/// (the code is kept as text: records from the feed carry it as given).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstitutionRef {
    pub code: String,
    pub name: String,
    pub name_en: String,
}

impl InstitutionRef {
    /// From the columns of an outer join: an institution only when all three are there (a
    /// dispensing without a recorded prescriber has none).
    pub fn joined(
        code: Option<String>,
        name: Option<String>,
        name_en: Option<String>,
    ) -> Option<Self> {
        Some(Self {
            code: code?,
            name: name?,
            name_en: name_en?,
        })
    }
}

#[cfg(test)]
mod tests;
