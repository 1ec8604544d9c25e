//! Owns the 47 prefectures keyed by their JIS X 0401 code, as embedded in insurer and institution numbers.

use serde::{Deserialize, Serialize};

use super::InstitutionError;
use crate::domain::normalize::normalize_code_compact;

/// (JIS code as text, Japanese name, English name), indexed by code − 1.
const PREFECTURES: [(&str, &str, &str); 47] = [
    ("01", "北海道", "Hokkaido"),
    ("02", "青森県", "Aomori"),
    ("03", "岩手県", "Iwate"),
    ("04", "宮城県", "Miyagi"),
    ("05", "秋田県", "Akita"),
    ("06", "山形県", "Yamagata"),
    ("07", "福島県", "Fukushima"),
    ("08", "茨城県", "Ibaraki"),
    ("09", "栃木県", "Tochigi"),
    ("10", "群馬県", "Gunma"),
    ("11", "埼玉県", "Saitama"),
    ("12", "千葉県", "Chiba"),
    ("13", "東京都", "Tokyo"),
    ("14", "神奈川県", "Kanagawa"),
    ("15", "新潟県", "Niigata"),
    ("16", "富山県", "Toyama"),
    ("17", "石川県", "Ishikawa"),
    ("18", "福井県", "Fukui"),
    ("19", "山梨県", "Yamanashi"),
    ("20", "長野県", "Nagano"),
    ("21", "岐阜県", "Gifu"),
    ("22", "静岡県", "Shizuoka"),
    ("23", "愛知県", "Aichi"),
    ("24", "三重県", "Mie"),
    ("25", "滋賀県", "Shiga"),
    ("26", "京都府", "Kyoto"),
    ("27", "大阪府", "Osaka"),
    ("28", "兵庫県", "Hyogo"),
    ("29", "奈良県", "Nara"),
    ("30", "和歌山県", "Wakayama"),
    ("31", "鳥取県", "Tottori"),
    ("32", "島根県", "Shimane"),
    ("33", "岡山県", "Okayama"),
    ("34", "広島県", "Hiroshima"),
    ("35", "山口県", "Yamaguchi"),
    ("36", "徳島県", "Tokushima"),
    ("37", "香川県", "Kagawa"),
    ("38", "愛媛県", "Ehime"),
    ("39", "高知県", "Kochi"),
    ("40", "福岡県", "Fukuoka"),
    ("41", "佐賀県", "Saga"),
    ("42", "長崎県", "Nagasaki"),
    ("43", "熊本県", "Kumamoto"),
    ("44", "大分県", "Oita"),
    ("45", "宮崎県", "Miyazaki"),
    ("46", "鹿児島県", "Kagoshima"),
    ("47", "沖縄県", "Okinawa"),
];

/// A prefecture, 01 (北海道) to 47 (沖縄県). Serializes as its two-digit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Prefecture(u8);

impl Prefecture {
    /// `None` outside 1..=47.
    pub fn from_code(code: u8) -> Option<Self> {
        (1..=47).contains(&code).then_some(Self(code))
    }

    /// Parses exactly two digits ("13", "１３"); single digits are rejected because every
    /// source (cards, codes, feeds) zero-pads them.
    pub fn parse(input: &str) -> Result<Self, InstitutionError> {
        let s = normalize_code_compact(input);
        if s.len() != 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InstitutionError::PrefectureFormat);
        }
        let code: u8 = s.parse().map_err(|_| InstitutionError::PrefectureFormat)?;
        Self::from_code(code).ok_or(InstitutionError::PrefectureOutOfRange { found: code })
    }

    pub fn code(self) -> u8 {
        self.0
    }

    pub fn as_str(&self) -> &'static str {
        self.entry().0
    }

    pub fn name_ja(self) -> &'static str {
        self.entry().1
    }

    pub fn name_en(self) -> &'static str {
        self.entry().2
    }

    pub fn all() -> impl Iterator<Item = Prefecture> {
        (1..=47).map(Self)
    }

    fn entry(self) -> (&'static str, &'static str, &'static str) {
        // The constructor guarantees 1..=47; the fallback only keeps this total.
        PREFECTURES
            .get(usize::from(self.0).wrapping_sub(1))
            .copied()
            .unwrap_or(("00", "", ""))
    }
}

string_newtype!(Prefecture, InstitutionError);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parse_cases() {
        let cases = [
            ("01", Ok((1, "北海道", "Hokkaido"))),
            ("13", Ok((13, "東京都", "Tokyo"))),
            ("１３", Ok((13, "東京都", "Tokyo"))),
            (" 26 ", Ok((26, "京都府", "Kyoto"))),
            ("27", Ok((27, "大阪府", "Osaka"))),
            ("47", Ok((47, "沖縄県", "Okinawa"))),
            (
                "00",
                Err(InstitutionError::PrefectureOutOfRange { found: 0 }),
            ),
            (
                "48",
                Err(InstitutionError::PrefectureOutOfRange { found: 48 }),
            ),
            (
                "99",
                Err(InstitutionError::PrefectureOutOfRange { found: 99 }),
            ),
            ("1", Err(InstitutionError::PrefectureFormat)),
            ("013", Err(InstitutionError::PrefectureFormat)),
            ("", Err(InstitutionError::PrefectureFormat)),
            ("東京", Err(InstitutionError::PrefectureFormat)),
        ];
        for (input, want) in cases {
            let got = Prefecture::parse(input).map(|p| (p.code(), p.name_ja(), p.name_en()));
            assert_eq!(got, want, "input {input:?}");
        }
    }

    #[test]
    fn table_is_consistent() {
        assert_eq!(Prefecture::all().count(), 47);
        for p in Prefecture::all() {
            assert_eq!(p.as_str(), format!("{:02}", p.code()));
            assert_eq!(Prefecture::parse(p.as_str()).unwrap(), p);
            let suffix_ok = ["都", "道", "府", "県"]
                .iter()
                .any(|s| p.name_ja().ends_with(s));
            assert!(suffix_ok, "{}", p.name_ja());
        }
        let ends = |s: &str| {
            Prefecture::all()
                .filter(|p| p.name_ja().ends_with(s))
                .count()
        };
        assert_eq!(
            (ends("都"), ends("道"), ends("府"), ends("県")),
            (1, 1, 2, 43)
        );
    }

    #[test]
    fn serializes_as_code() {
        let p = Prefecture::from_code(1).unwrap();
        assert_eq!(String::from(p), "01");
        assert_eq!(
            Prefecture::try_from("47".to_owned()).unwrap().name_ja(),
            "沖縄県"
        );
        assert_eq!(Prefecture::from_code(0), None);
        assert_eq!(Prefecture::from_code(48), None);
    }
}
