//! Owns 医療扶助 (welfare medical aid) identity: public payer and recipient numbers and the
//! institutions designated to treat the recipient.

use serde::{Deserialize, Serialize};

use super::QualificationError;
use crate::domain::check_digit::{CheckDigits, DigitShape, digits_of_len};
use crate::domain::institution::InstitutionCode;
use crate::domain::normalize::normalize_text;

/// FHIR identifier system for 生活保護 recipients (電子カルテ情報共有サービス).
pub const FHIR_SYSTEM: &str = "http://jpfhir.jp/fhir/clins/Idsystem/JP_PublicPayer_memberID";

/// 法別番号 of 生活保護法による医療扶助.
const WELFARE_AID_LAW_CODE: &str = "12";

const OFFICE_NAME_MAX_CHARS: usize = 100;

/// 公費負担者番号: 法別番号(2) + 都道府県(2) + 実施機関(3) + 検証番号(1), check digit over the
/// first 7 digits. Only 法別番号 12 is accepted because this type exists for 医療扶助.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PublicPayerNumber(String);

impl PublicPayerNumber {
    pub fn parse(input: &str) -> Result<Self, QualificationError> {
        let s = digits_of_len(input, &[8]).map_err(|e| match e {
            DigitShape::Empty => QualificationError::PublicPayerEmpty,
            DigitShape::NonDigit => QualificationError::PublicPayerNonDigit,
            DigitShape::Length { found } => QualificationError::PublicPayerLength { found },
        })?;
        let check = CheckDigits::of(&s).ok_or(QualificationError::PublicPayerNonDigit)?;
        if !check.is_valid() {
            return Err(QualificationError::PublicPayerCheckDigit {
                expected: check.expected,
                found: check.found,
            });
        }
        let law = s.get(0..2).unwrap_or_default();
        if law != WELFARE_AID_LAW_CODE {
            return Err(QualificationError::PublicPayerNotWelfareAid {
                found: law.to_owned(),
            });
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(PublicPayerNumber, QualificationError);

/// 受給者番号: 7 digits, check digit over the first 6.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RecipientNumber(String);

impl RecipientNumber {
    pub fn parse(input: &str) -> Result<Self, QualificationError> {
        let s = digits_of_len(input, &[7]).map_err(|e| match e {
            DigitShape::Empty => QualificationError::RecipientEmpty,
            DigitShape::NonDigit => QualificationError::RecipientNonDigit,
            DigitShape::Length { found } => QualificationError::RecipientLength { found },
        })?;
        let check = CheckDigits::of(&s).ok_or(QualificationError::RecipientNonDigit)?;
        if !check.is_valid() {
            return Err(QualificationError::RecipientCheckDigit {
                expected: check.expected,
                found: check.found,
            });
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(RecipientNumber, QualificationError);

/// Name of the welfare office (福祉事務所): whitespace-normalized, 1-100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OfficeName(String);

impl OfficeName {
    pub fn parse(input: &str) -> Result<Self, QualificationError> {
        let s = normalize_text(input);
        let count = s.chars().count();
        if count == 0 {
            return Err(QualificationError::OfficeNameEmpty);
        }
        if count > OFFICE_NAME_MAX_CHARS {
            return Err(QualificationError::OfficeNameTooLong { found: count });
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(OfficeName, QualificationError);

/// 医療扶助 qualification. Every field is a validated type, so a deserialized value is valid.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WelfareAid {
    pub public_payer_number: PublicPayerNumber,
    pub recipient_number: RecipientNumber,
    pub welfare_office: OfficeName,
    pub designated_institutions: Vec<InstitutionCode>,
}

impl WelfareAid {
    /// 医療扶助 is paid only at institutions named on the medical ticket, so an empty list
    /// means "nowhere known yet", not "anywhere".
    pub fn may_treat_at(&self, code: &InstitutionCode) -> bool {
        self.designated_institutions.contains(code)
    }

    /// JP Core form `公費負担者番号::受給者番号:` (記号 and 枝番 are always empty).
    pub fn jp_core_id(&self) -> String {
        format!("{}::{}:", self.public_payer_number, self.recipient_number)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use QualificationError as E;

    // By hand: 1213001 → 2,0,0,3,2,2,2 = 11 → 9;  5413001 → 2,0,0,3,2,4,10→1 = 12 → 8;
    // 123456 → 12→3,5,8,3,4,1 = 24 → 6;  000001 → 2 → 8.
    #[test]
    fn public_payer_number_cases() {
        let cases = [
            ("12130019", Ok("12130019")),
            ("１２１３００１９", Ok("12130019")),
            ("", Err(E::PublicPayerEmpty)),
            ("1213001", Err(E::PublicPayerLength { found: 7 })),
            ("121300190", Err(E::PublicPayerLength { found: 9 })),
            ("1213001x", Err(E::PublicPayerNonDigit)),
            (
                "12130018",
                Err(E::PublicPayerCheckDigit {
                    expected: 9,
                    found: 8,
                }),
            ),
            (
                "54130018",
                Err(E::PublicPayerNotWelfareAid {
                    found: "54".to_owned(),
                }),
            ),
        ];
        for (input, want) in cases {
            let got = PublicPayerNumber::parse(input);
            let got = got.as_ref().map(PublicPayerNumber::as_str);
            assert_eq!(got, want.as_ref().map(|s| *s), "{input:?}");
        }
    }

    #[test]
    fn recipient_number_cases() {
        let cases = [
            ("1234566", Ok("1234566")),
            ("０００００１８", Ok("0000018")),
            ("", Err(E::RecipientEmpty)),
            ("123456", Err(E::RecipientLength { found: 6 })),
            ("12345660", Err(E::RecipientLength { found: 8 })),
            ("12345a6", Err(E::RecipientNonDigit)),
            (
                "1234567",
                Err(E::RecipientCheckDigit {
                    expected: 6,
                    found: 7,
                }),
            ),
        ];
        for (input, want) in cases {
            let got = RecipientNumber::parse(input);
            let got = got.as_ref().map(RecipientNumber::as_str);
            assert_eq!(got, want.as_ref().map(|s| *s), "{input:?}");
        }
    }

    #[test]
    fn office_name_cases() {
        let max = "福".repeat(100);
        let long = "福".repeat(101);
        let cases = [
            (
                "\u{3000}新宿区\u{3000}\u{3000}福祉事務所 ",
                Ok("新宿区 福祉事務所"),
            ),
            (max.as_str(), Ok(max.as_str())),
            ("", Err(E::OfficeNameEmpty)),
            (" \u{3000} ", Err(E::OfficeNameEmpty)),
            (long.as_str(), Err(E::OfficeNameTooLong { found: 101 })),
        ];
        for (input, want) in cases {
            let got = OfficeName::parse(input);
            let got = got.as_ref().map(OfficeName::as_str);
            assert_eq!(got, want.as_ref().map(|s| *s), "{input:?}");
        }
    }

    #[test]
    fn welfare_aid_designation_and_id() {
        let designated = InstitutionCode::parse("1310123455").unwrap();
        let other = InstitutionCode::parse("4749912343").unwrap();
        let mut aid = WelfareAid {
            public_payer_number: PublicPayerNumber::parse("12130019").unwrap(),
            recipient_number: RecipientNumber::parse("1234566").unwrap(),
            welfare_office: OfficeName::parse("新宿区福祉事務所").unwrap(),
            designated_institutions: vec![designated.clone()],
        };
        assert!(aid.may_treat_at(&designated));
        assert!(!aid.may_treat_at(&other));
        assert_eq!(aid.jp_core_id(), "12130019::1234566:");
        aid.designated_institutions.clear();
        assert!(!aid.may_treat_at(&designated));
    }
}
