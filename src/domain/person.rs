//! Owns the person-level facts the portal needs: sex as recorded in feeds, display name and age.

use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::normalize::{normalize_code, normalize_text};

const NAME_MAX_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonError {
    #[error("unknown sex value; expected male/female, M/F, 男/女 or 1/2")]
    SexUnknown,
    #[error("name is empty")]
    NameEmpty,
    #[error("name may have at most 100 characters, found {found}")]
    NameTooLong { found: usize },
    #[error("name contains a control character")]
    NameControlChar,
}

impl PersonError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::SexUnknown => "sex_unknown",
            Self::NameEmpty => "name_empty",
            Self::NameTooLong { .. } => "name_too_long",
            Self::NameControlChar => "name_control_char",
        }
    }
}

/// Sex as recorded by insurers; it selects sex-specific checkup thresholds (waist).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// Accepts "male"/"female", "M"/"F" (any case or width), "男"/"女"/"男性"/"女性", and the
    /// feed codes "1" = male, "2" = female used by Japanese checkup and claim files.
    pub fn parse(input: &str) -> Result<Self, PersonError> {
        match normalize_code(input).to_ascii_lowercase().as_str() {
            "male" | "m" | "男" | "男性" | "1" => Ok(Self::Male),
            "female" | "f" | "女" | "女性" | "2" => Ok(Self::Female),
            _ => Err(PersonError::SexUnknown),
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Male => "男性",
            Self::Female => "女性",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Male => "Male",
            Self::Female => "Female",
        }
    }
}

impl FromStr for Sex {
    type Err = PersonError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// A display name (kanji or kana), whitespace-normalized, 1-100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, PersonError> {
        let s = normalize_text(input);
        let count = s.chars().count();
        if count == 0 {
            return Err(PersonError::NameEmpty);
        }
        if count > NAME_MAX_CHARS {
            return Err(PersonError::NameTooLong { found: count });
        }
        if s.chars().any(char::is_control) {
            return Err(PersonError::NameControlChar);
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(PersonName, PersonError);

/// Age in whole years on `on`, counted the everyday way: it increases on the birthday itself,
/// and a 29 February birthday counts as reached on 1 March in common years.
/// Returns 0 when `on` is before `birth`, so callers never see a negative age.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    let years = on.year() - birth.year();
    let before_birthday = (on.month(), on.day()) < (birth.month(), birth.day());
    let age = if before_birthday { years - 1 } else { years };
    u32::try_from(age).unwrap_or(0)
}

/// The age a person reaches within the fiscal year (April to March) that holds `on`, as the
/// programmes count "実施年度中に達する年齢". By law (年齢計算ニ関スル法律) an age is reached at
/// the end of the day before the birthday, so someone born on 1 April reaches it on 31 March,
/// within the year: that is the age counted the everyday way on the next 1 April.
pub fn age_by_fiscal_year_end(birth: NaiveDate, on: NaiveDate) -> u32 {
    let fiscal_year = if on.month() >= 4 {
        on.year()
    } else {
        on.year() - 1
    };
    NaiveDate::from_ymd_opt(fiscal_year + 1, 4, 1).map_or(0, |next| age_on(birth, next))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn age_by_fiscal_year_end_cases() {
        // FY2025 runs from 2025-04-01 to 2026-03-31. Born 1986-04-01 reaches 40 on
        // 2026-03-31 (the day before the birthday), so within FY2025; born 1986-04-02 does not.
        let cases = [
            (d(1986, 4, 1), d(2025, 4, 1), 40),
            (d(1986, 4, 1), d(2026, 3, 31), 40),
            (d(1986, 4, 2), d(2026, 3, 31), 39),
            (d(1986, 4, 2), d(2026, 4, 1), 40),
            (d(1951, 3, 15), d(2025, 6, 1), 75),
            (d(1961, 1, 20), d(2025, 12, 1), 65),
            (d(1960, 2, 29), d(2025, 11, 1), 66),
            (d(2030, 1, 1), d(2025, 11, 1), 0),
        ];
        for (birth, on, want) in cases {
            assert_eq!(age_by_fiscal_year_end(birth, on), want, "{birth} on {on}");
        }
    }

    #[test]
    fn sex_parse() {
        use Sex::{Female, Male};
        let cases = [
            ("male", Ok(Male)),
            ("Female", Ok(Female)),
            ("M", Ok(Male)),
            ("f", Ok(Female)),
            ("Ｍ", Ok(Male)),
            ("男", Ok(Male)),
            ("女性", Ok(Female)),
            ("1", Ok(Male)),
            ("２", Ok(Female)),
            (" 1 ", Ok(Male)),
            ("0", Err(PersonError::SexUnknown)),
            ("3", Err(PersonError::SexUnknown)),
            ("9", Err(PersonError::SexUnknown)),
            ("", Err(PersonError::SexUnknown)),
            ("x", Err(PersonError::SexUnknown)),
        ];
        for (input, want) in cases {
            assert_eq!(Sex::parse(input), want, "input {input:?}");
        }
        assert_eq!(Sex::Female.label_ja(), "女性");
    }

    #[test]
    fn person_name_parse() {
        let max = "あ".repeat(100);
        let long = "あ".repeat(101);
        let cases = [
            ("山田\u{3000}太郎", Ok("山田 太郎")),
            ("  ヤマダ  タロウ ", Ok("ヤマダ タロウ")),
            (max.as_str(), Ok(max.as_str())),
            ("", Err(PersonError::NameEmpty)),
            ("\u{3000}", Err(PersonError::NameEmpty)),
            (long.as_str(), Err(PersonError::NameTooLong { found: 101 })),
            ("山田\u{7}太郎", Err(PersonError::NameControlChar)),
        ];
        for (input, want) in cases {
            let got = PersonName::parse(input);
            assert_eq!(
                got.as_ref().map(PersonName::as_str),
                want.as_ref().map(|s| *s),
                "{input:?}"
            );
        }
    }

    #[test]
    fn age_on_cases() {
        let cases = [
            (d(1980, 5, 10), d(2025, 5, 9), 44),
            (d(1980, 5, 10), d(2025, 5, 10), 45),
            (d(1980, 5, 10), d(2025, 5, 11), 45),
            (d(1980, 5, 10), d(1980, 5, 10), 0),
            (d(1980, 5, 10), d(1979, 1, 1), 0),
            (d(2000, 2, 29), d(2023, 2, 28), 22),
            (d(2000, 2, 29), d(2023, 3, 1), 23),
            (d(2000, 2, 29), d(2024, 2, 28), 23),
            (d(2000, 2, 29), d(2024, 2, 29), 24),
            (d(1950, 4, 1), d(2025, 3, 31), 74),
            (d(1950, 4, 1), d(2025, 4, 1), 75),
            (d(1985, 12, 31), d(2025, 12, 30), 39),
            (d(1985, 12, 31), d(2025, 12, 31), 40),
        ];
        for (birth, on, want) in cases {
            assert_eq!(age_on(birth, on), want, "{birth} on {on}");
        }
    }
}
