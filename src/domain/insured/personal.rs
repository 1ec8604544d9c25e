//! Owns the combined personal insured number and its JP Core text form `保険者番号:記号:番号:枝番`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{Branch, InsuredError, InsuredMemberNumber, InsuredSymbol, InsurerNumber};
use crate::domain::normalize::normalize_code;

/// 被保険者個人識別子. 記号 and 枝番 are optional because JP Core writes an absent part as an
/// empty string: 後期高齢者医療 cards have neither, and older cards have no 枝番.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonalInsuredNumber {
    insurer: InsurerNumber,
    symbol: Option<InsuredSymbol>,
    number: InsuredMemberNumber,
    branch: Option<Branch>,
}

impl PersonalInsuredNumber {
    pub fn new(
        insurer: InsurerNumber,
        symbol: Option<InsuredSymbol>,
        number: InsuredMemberNumber,
        branch: Option<Branch>,
    ) -> Self {
        Self {
            insurer,
            symbol,
            number,
            branch,
        }
    }

    /// Parses the four card fields as typed into a form; an empty 記号 or 枝番 means "none".
    pub fn parse_parts(
        insurer: &str,
        symbol: &str,
        number: &str,
        branch: &str,
    ) -> Result<Self, InsuredError> {
        let optional = |s: &str| !normalize_code(s).is_empty();
        Ok(Self {
            insurer: InsurerNumber::parse(insurer)?,
            symbol: optional(symbol)
                .then(|| InsuredSymbol::parse(symbol))
                .transpose()?,
            number: InsuredMemberNumber::parse(number)?,
            branch: optional(branch)
                .then(|| Branch::parse(branch))
                .transpose()?,
        })
    }

    /// Parses `保険者番号:記号:番号:枝番`, e.g. `00131011:あいう:187:05`; full-width digits and
    /// colons are accepted, and the insurer may be the 6-digit NHI form.
    pub fn parse_jp_core(input: &str) -> Result<Self, InsuredError> {
        let s = normalize_code(input);
        let parts: Vec<&str> = s.split(':').collect();
        match parts.as_slice() {
            [insurer, symbol, number, branch] => Self::parse_parts(insurer, symbol, number, branch),
            _ => Err(InsuredError::JpCoreParts { found: parts.len() }),
        }
    }

    pub fn insurer(&self) -> &InsurerNumber {
        &self.insurer
    }

    pub fn symbol(&self) -> Option<&InsuredSymbol> {
        self.symbol.as_ref()
    }

    pub fn number(&self) -> &InsuredMemberNumber {
        &self.number
    }

    pub fn branch(&self) -> Option<&Branch> {
        self.branch.as_ref()
    }

    /// The JP Core form with the 番号 masked as in [`InsuredMemberNumber::masked`]; insurer,
    /// 記号 and 枝番 stay visible because alone they do not identify a person.
    pub fn masked(&self) -> String {
        self.format_with(&self.number.masked())
    }

    fn format_with(&self, number: &str) -> String {
        let symbol = self.symbol.as_ref().map_or("", InsuredSymbol::as_str);
        let branch = self.branch.as_ref().map_or("", Branch::as_str);
        format!("{}:{symbol}:{number}:{branch}", self.insurer.to_jp_core())
    }
}

impl fmt::Display for PersonalInsuredNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_with(self.number.as_str()))
    }
}

impl FromStr for PersonalInsuredNumber {
    type Err = InsuredError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_jp_core(s)
    }
}

impl TryFrom<String> for PersonalInsuredNumber {
    type Error = InsuredError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse_jp_core(&s)
    }
}

impl From<PersonalInsuredNumber> for String {
    fn from(v: PersonalInsuredNumber) -> String {
        v.to_string()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use InsuredError as E;

    #[test]
    fn parse_jp_core_cases() {
        let cases = [
            ("00012344:あいう:187:05", Ok("00012344:あいう:187:05")),
            ("012344:あいう:187:05", Ok("00012344:あいう:187:05")),
            (
                "００１３１０１１：あいう：１８７：０５",
                Ok("00131011:あいう:187:05"),
            ),
            (" 01130012:ＡＢ12:１８７:００ ", Ok("01130012:AB12:187:00")),
            ("39131156::12345678:", Ok("39131156::12345678:")),
            ("06013502:東京:A-1:", Ok("06013502:東京:A-1:")),
            (
                "00012345:あいう:187:05",
                Err(E::InsurerCheckDigit {
                    expected: 4,
                    found: 5,
                }),
            ),
            (":あいう:187:05", Err(E::InsurerEmpty)),
            ("0113001:あいう:187:05", Err(E::InsurerLength { found: 7 })),
            (
                "01130012:あ い:187:05",
                Err(E::SymbolInvalidChar { ch: ' ' }),
            ),
            ("01130012:あいう::05", Err(E::NumberEmpty)),
            (
                "01130012:あいう:1あ:05",
                Err(E::NumberInvalidChar { ch: 'あ' }),
            ),
            (
                "01130012:あいう:187:5",
                Err(E::BranchTwoDigitsRequired { found: 1 }),
            ),
            ("01130012:あいう:187:0a", Err(E::BranchNonDigit)),
            ("01130012:あいう:187", Err(E::JpCoreParts { found: 3 })),
            ("01130012:あいう:187:05:1", Err(E::JpCoreParts { found: 5 })),
            ("", Err(E::JpCoreParts { found: 1 })),
        ];
        for (input, want) in cases {
            let got = PersonalInsuredNumber::parse_jp_core(input).map(|p| p.to_string());
            assert_eq!(got, want.map(str::to_owned), "input {input:?}");
        }
    }

    #[test]
    fn error_codes_name_the_part() {
        let cases = [
            ("00012345:あいう:187:05", "insurer_number_check_digit"),
            ("01130012:あ_:187:05", "insured_symbol_invalid_char"),
            ("01130012:あいう::05", "insured_number_empty"),
            ("01130012:あいう:187:5", "branch_two_digits_required"),
            ("01130012", "insured_id_parts"),
        ];
        for (input, code) in cases {
            assert_eq!(
                PersonalInsuredNumber::parse_jp_core(input)
                    .unwrap_err()
                    .code(),
                code
            );
        }
    }

    #[test]
    fn new_from_parts_masking_and_string_form() {
        let p = PersonalInsuredNumber::new(
            InsurerNumber::parse("012344").unwrap(),
            Some(InsuredSymbol::parse("あいう").unwrap()),
            InsuredMemberNumber::parse("187").unwrap(),
            Some(Branch::parse("05").unwrap()),
        );
        assert_eq!(p.to_string(), "00012344:あいう:187:05");
        assert_eq!(p.masked(), "00012344:あいう:*87:05");
        assert_eq!(String::from(p.clone()), "00012344:あいう:187:05");
        assert_eq!(PersonalInsuredNumber::try_from(p.to_string()).unwrap(), p);
        assert_eq!(
            "00012344:あいう:187:05"
                .parse::<PersonalInsuredNumber>()
                .unwrap(),
            p
        );
        let later_elderly =
            PersonalInsuredNumber::parse_parts("39131156", "", "12345678", " ").unwrap();
        assert_eq!(later_elderly.symbol(), None);
        assert_eq!(later_elderly.branch(), None);
        assert_eq!(later_elderly.masked(), "39131156::******78:");
    }
}
