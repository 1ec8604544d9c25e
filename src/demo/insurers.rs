//! Insurer, public-payer and recipient numbers with their check digits (法別番号 + prefecture +
//! serial, then the modulus-10 weight 2-1 digit).

use crate::domain::check_digit::with_check_digit;

fn checked(body: String) -> String {
    with_check_digit(&body).unwrap_or(body)
}

/// 8-digit insurer number: 法別番号(2) + prefecture(2) + serial(3) + check digit.
pub fn insurer8(law: &str, pref: &str, serial: &str) -> String {
    checked(format!("{law}{pref}{serial}"))
}

/// 6-digit national health insurance number: prefecture(2) + serial(3) + check digit.
pub fn insurer6(pref: &str, serial: &str) -> String {
    checked(format!("{pref}{serial}"))
}

/// Public payer number of welfare medical aid (法別 12): 8 digits with the check digit.
pub fn welfare_payer(pref: &str, serial: &str) -> String {
    checked(format!("12{pref}{serial}"))
}

/// 7-digit recipient number: 6 digits + check digit.
pub fn recipient(body: &str) -> String {
    checked(body.to_string())
}

/// The prefecture's later-elderly wide-area union (後期高齢者医療広域連合).
pub fn later_elderly_insurer(pref: &str) -> (String, String) {
    (
        format!("{}後期高齢者医療広域連合", pref_name(pref)),
        insurer8("39", pref, "100"),
    )
}

/// The prefectures the demo uses, by their two-digit code.
pub fn pref_name(pref: &str) -> &'static str {
    match pref {
        "01" => "北海道",
        "13" => "東京都",
        "14" => "神奈川県",
        "23" => "愛知県",
        "27" => "大阪府",
        _ => "福岡県",
    }
}
