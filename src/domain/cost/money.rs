//! Owns non-negative yen amounts and their Japanese display forms.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::CostError;
use crate::domain::normalize::normalize_code_compact;

/// A non-negative amount in whole yen. Serializes as a JSON integer rather than a string:
/// feeds carry plain numbers and the display forms ("¥1,234") are for people only.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(try_from = "i64", into = "i64")]
pub struct Yen(i64);

impl Yen {
    pub const ZERO: Self = Self(0);
    pub const MAX: Self = Self(i64::MAX);

    pub fn new(amount: i64) -> Result<Self, CostError> {
        if amount < 0 {
            Err(CostError::YenNegative)
        } else {
            Ok(Self(amount))
        }
    }

    /// Accepts "1234", "1,234", "¥1,234", "￥１，２３４", "1,234円".
    pub fn parse(input: &str) -> Result<Self, CostError> {
        let s = normalize_code_compact(input);
        let s = s
            .trim_start_matches(['¥', '\u{FFE5}'])
            .trim_end_matches('円');
        let (negative, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let digits: String = digits.chars().filter(|&c| c != ',').collect();
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CostError::YenFormat);
        }
        if negative {
            return Err(CostError::YenNegative);
        }
        digits.parse().map(Self).map_err(|_| CostError::YenFormat)
    }

    pub fn value(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Self) -> Option<Self> {
        self.0.checked_add(other.0).map(Self)
    }

    /// `None` if the result would be negative.
    pub fn checked_sub(self, other: Self) -> Option<Self> {
        self.0.checked_sub(other.0).filter(|v| *v >= 0).map(Self)
    }

    /// "1,234円", the usual form in Japanese text.
    pub fn format_ja(self) -> String {
        format!("{}円", group_thousands(self.0))
    }
}

/// "¥1,234".
impl fmt::Display for Yen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "¥{}", group_thousands(self.0))
    }
}

impl TryFrom<i64> for Yen {
    type Error = CostError;
    fn try_from(v: i64) -> Result<Self, Self::Error> {
        Self::new(v)
    }
}

impl From<Yen> for i64 {
    fn from(y: Yen) -> i64 {
        y.0
    }
}

/// `1234567` as `1,234,567`; shared by every place that writes an amount.
pub fn group_thousands(n: i64) -> String {
    let digits = n.to_string();
    let len = digits.len();
    let mut out = String::with_capacity(len + len / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_forms() {
        let cases = [
            (0, "¥0", "0円"),
            (999, "¥999", "999円"),
            (1000, "¥1,000", "1,000円"),
            (1234, "¥1,234", "1,234円"),
            (123456, "¥123,456", "123,456円"),
            (1234567, "¥1,234,567", "1,234,567円"),
            (
                i64::MAX,
                "¥9,223,372,036,854,775,807",
                "9,223,372,036,854,775,807円",
            ),
        ];
        for (n, display, ja) in cases {
            let y = Yen::new(n);
            assert_eq!(
                y.map(|y| (y.to_string(), y.format_ja())),
                Ok((display.to_owned(), ja.to_owned()))
            );
        }
    }

    #[test]
    fn parse_cases() {
        let cases = [
            ("1234", Ok(1234)),
            ("1,234", Ok(1234)),
            ("¥1,234", Ok(1234)),
            ("￥１，２３４", Ok(1234)),
            ("1,234円", Ok(1234)),
            (" ０ ", Ok(0)),
            ("", Err(CostError::YenFormat)),
            ("円", Err(CostError::YenFormat)),
            ("12.5", Err(CostError::YenFormat)),
            ("1e3", Err(CostError::YenFormat)),
            ("99999999999999999999", Err(CostError::YenFormat)),
            ("-1", Err(CostError::YenNegative)),
            ("－１００", Err(CostError::YenNegative)),
        ];
        for (input, want) in cases {
            assert_eq!(Yen::parse(input).map(Yen::value), want, "{input:?}");
        }
    }

    #[test]
    fn arithmetic_and_bounds() {
        assert_eq!(Yen::new(-1), Err(CostError::YenNegative));
        assert_eq!(Yen::try_from(5), Ok(Yen(5)));
        assert_eq!(i64::from(Yen(5)), 5);
        assert_eq!(Yen(2).checked_add(Yen(3)), Some(Yen(5)));
        assert_eq!(Yen::MAX.checked_add(Yen(1)), None);
        assert_eq!(Yen(5).checked_sub(Yen(3)), Some(Yen(2)));
        assert_eq!(Yen(3).checked_sub(Yen(5)), None);
    }
}
