//! Owns the modulus-10 weight-2-1 check digit shared by Japanese insurer, public payer,
//! recipient and medical institution numbers, plus the digit-only shape check those parsers share.

use super::normalize::normalize_code_compact;

/// Check digit for `digits` (the body, without the check digit).
///
/// From the rightmost digit leftwards the weights are 2, 1, 2, 1 …; the digits of each product
/// are summed (7×2 = 14 counts as 1+4 = 5), and the check digit is `(10 − sum mod 10) mod 10`.
/// Returns `None` for an empty body or any non-ASCII-digit character.
pub fn modulus10_weight21(digits: &str) -> Option<u8> {
    if digits.is_empty() {
        return None;
    }
    let mut sum: u32 = 0;
    for (i, c) in digits.chars().rev().enumerate() {
        let d = c.to_digit(10)?;
        let product = if i % 2 == 0 { d * 2 } else { d };
        // Reduced mod 10 as we go so arbitrarily long input cannot overflow.
        sum = (sum + product / 10 + product % 10) % 10;
    }
    u8::try_from((10 - sum) % 10).ok()
}

/// Appends the check digit to `body`; for generating valid test data and fixtures.
pub fn with_check_digit(body: &str) -> Option<String> {
    let check = modulus10_weight21(body)?;
    Some(format!("{body}{check}"))
}

/// The check digit a full code should end with versus the one it does end with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CheckDigits {
    pub expected: u8,
    pub found: u8,
}

impl CheckDigits {
    /// Splits a full ASCII-digit code into body and trailing check digit and recomputes it.
    /// `None` if the code is shorter than two characters or not all ASCII digits.
    pub fn of(code: &str) -> Option<Self> {
        let (body, last) = code.split_at_checked(code.len().checked_sub(1)?)?;
        let found = u8::try_from(last.chars().next()?.to_digit(10)?).ok()?;
        let expected = modulus10_weight21(body)?;
        Some(Self { expected, found })
    }

    pub fn is_valid(self) -> bool {
        self.expected == self.found
    }
}

/// Why a digit-only code failed its shape check; each module maps it onto its own error enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DigitShape {
    Empty,
    NonDigit,
    Length { found: usize },
}

/// Normalizes (compact) and checks that the input is ASCII digits of one of `lengths`.
pub(crate) fn digits_of_len(input: &str, lengths: &[usize]) -> Result<String, DigitShape> {
    let s = normalize_code_compact(input);
    if s.is_empty() {
        return Err(DigitShape::Empty);
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DigitShape::NonDigit);
    }
    if !lengths.contains(&s.len()) {
        return Err(DigitShape::Length { found: s.len() });
    }
    Ok(s)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Every expected value below was computed by hand, products right-to-left:
    /// - "0113001" (協会けんぽ東京 01130012): 1×2=2, 0, 0, 3, 1×2=2, 1, 0 → 8 → 2
    /// - "0127001" (協会けんぽ大阪 01270016): 2, 0, 0, 7, 2×2=4, 1, 0 → 14 → 6
    /// - "3913115" (東京都後期高齢者医療広域連合 39131156): 5×2=10→1, 1, 1×2=2, 3, 1×2=2, 9, 3×2=6 → 24 → 6
    /// - "13101" (千代田区国保 131011): 1×2=2, 0, 1×2=2, 3, 1×2=2 → 9 → 1
    /// - "0601350": 0, 5, 3×2=6, 1, 0, 6, 0 → 18 → 2
    /// - "012345": 5×2=10→1, 4, 3×2=6, 2, 1×2=2, 0 → 15 → 5
    /// - "7": 14 → 1+4 = 5 → 5;  "9": 18 → 9 → 1;  "5": 10 → 1 → 9;  "0": 0 → 0
    /// - "99": 9×2=18→9, 9 → 18 → 2
    #[test]
    fn modulus10_weight21_vectors() {
        let cases = [
            ("0113001", Some(2)),
            ("0127001", Some(6)),
            ("3913115", Some(6)),
            ("13101", Some(1)),
            ("0601350", Some(2)),
            ("012345", Some(5)),
            ("7", Some(5)),
            ("9", Some(1)),
            ("5", Some(9)),
            ("0", Some(0)),
            ("99", Some(2)),
            ("", None),
            ("12a4", None),
            ("１２", None),
            ("-1", None),
        ];
        for (body, want) in cases {
            assert_eq!(modulus10_weight21(body), want, "body {body:?}");
        }
    }

    #[test]
    fn with_check_digit_appends() {
        assert_eq!(with_check_digit("0113001").unwrap(), "01130012");
        assert_eq!(with_check_digit("13101").unwrap(), "131011");
        assert_eq!(with_check_digit("x"), None);
        assert_eq!(with_check_digit(""), None);
    }

    #[test]
    fn check_digits_of() {
        let cases = [
            ("01130012", Some((2, 2))),
            ("01130013", Some((2, 3))),
            ("131011", Some((1, 1))),
            ("75", Some((5, 5))),
            ("7", None),
            ("", None),
            ("0113001x", None),
            ("ア1", None),
        ];
        for (code, want) in cases {
            let got = CheckDigits::of(code).map(|c| (c.expected, c.found));
            assert_eq!(got, want, "code {code:?}");
        }
        assert!(CheckDigits::of("01130012").unwrap().is_valid());
        assert!(!CheckDigits::of("01130013").unwrap().is_valid());
    }

    #[test]
    fn digits_of_len_shapes() {
        let cases = [
            ("０１１３００１２", Ok("01130012".to_owned())),
            (" 0113 0012 ", Ok("01130012".to_owned())),
            ("", Err(DigitShape::Empty)),
            ("\u{3000}", Err(DigitShape::Empty)),
            ("0113-0012", Err(DigitShape::NonDigit)),
            ("0113001", Err(DigitShape::Length { found: 7 })),
        ];
        for (input, want) in cases {
            assert_eq!(digits_of_len(input, &[6, 8]), want, "input {input:?}");
        }
    }
}
