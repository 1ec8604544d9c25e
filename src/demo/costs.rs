//! Medical-cost notice rows: billable days summed per month, member, institution and care type,
//! split into the insurer's and the patient's share the way Japanese claims do.

use super::calendar::{age_on, first_of_month, month_key, school_entry};
use super::patient::{Care, Encounter, Patient};
use crate::feed::rows::{CostRow, PersonRow};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// The patient's share in percent for care in the month starting `month`.
pub fn share_percent(cov: &PersonRow, birth: NaiveDate, month: NaiveDate) -> i64 {
    match cov.coverage_kind.as_str() {
        "welfare_aid" => 0,
        // Later-elderly with ordinary income.
        "later_elderly" => 10,
        // 70-74 pay 20% from the month after the 70th birthday (the month itself when born on
        // the 1st): exactly when the age on the month's first day is 70.
        _ if age_on(birth, month) >= 70 => 20,
        _ if month < school_entry(birth) => 20,
        _ => 30,
    }
}

/// The window payment rounded to 10 yen, half up (10円未満四捨五入).
pub fn round_to_10(total: i64, percent: i64) -> i64 {
    (total * percent + 500) / 1000 * 10
}

/// The monthly high-cost ceiling (高額療養費の自己負担限度額) applied at the window.
fn ceiling(cov: &PersonRow, age: u32, care: Care, total: i64) -> Option<i64> {
    let over = |base: i64| (total - base).max(0) / 100;
    match cov.ceiling_category.as_deref() {
        Some("ア" | "現役並みⅢ") => Some(252_600 + over(842_000)),
        Some("イ" | "現役並みⅡ") => Some(167_400 + over(558_000)),
        Some("ウ" | "現役並みⅠ") => Some(80_100 + over(267_000)),
        Some("エ") => Some(57_600),
        Some("オ") => Some(35_400),
        // 70 and over: inpatient per household, outpatient per person.
        Some("低所得Ⅱ") if care == Care::Inpatient => Some(24_600),
        Some("低所得Ⅰ") if care == Care::Inpatient => Some(15_000),
        Some("低所得Ⅱ" | "低所得Ⅰ") => Some(8_000),
        // 一般, and 70 and over with no bracket given (ordinary income).
        _ if age >= 70 && care == Care::Inpatient => Some(57_600),
        _ if age >= 70 => Some(18_000),
        _ => None,
    }
}

/// Splits a month's total into (insurer_paid, patient_paid).
pub fn split(
    cov: &PersonRow,
    birth: NaiveDate,
    month: NaiveDate,
    care: Care,
    total: i64,
) -> (i64, i64) {
    let mut paid = round_to_10(total, share_percent(cov, birth, month));
    if let Some(cap) = ceiling(cov, age_on(birth, month), care, total) {
        paid = paid.min(cap);
    }
    (total - paid, paid)
}

struct Month<'a> {
    first: NaiveDate,
    cov: &'a PersonRow,
    days: BTreeSet<NaiveDate>,
    yen: i64,
}

/// One row per (month, institution, care type, member) with care inside the record window.
pub fn rows(p: &Patient, encounters: &[Encounter]) -> Vec<CostRow> {
    let mut months: BTreeMap<(String, String, Care, String), Month<'_>> = BTreeMap::new();
    for e in encounters.iter().filter(|e| p.window.contains(e.date)) {
        let Some(cov) = p.coverage_on(e.date) else {
            continue;
        };
        let key = (
            month_key(e.date),
            e.site.code(),
            e.care,
            super::identity::member_of(cov),
        );
        let m = months.entry(key).or_insert_with(|| Month {
            first: first_of_month(e.date),
            cov,
            days: BTreeSet::new(),
            yen: 0,
        });
        m.days.insert(e.date);
        m.yen += e.yen;
    }
    months
        .into_iter()
        .enumerate()
        .map(|(i, ((care_month, institution_code, care, member), m))| {
            // Claims are in points of 10 yen.
            let total = (m.yen + 5) / 10 * 10;
            let (insurer_paid, patient_paid) = split(m.cov, p.birth, m.first, care, total);
            CostRow {
                record_id: format!("CN-{:04}-{:06}", p.index, i + 1),
                member,
                care_month,
                institution_code,
                care_type: care.as_str().into(),
                days: m.days.len().min(31) as u16,
                total,
                insurer_paid,
                patient_paid,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cov(kind: &str, ceiling: Option<&str>) -> PersonRow {
        let d = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
        PersonRow {
            link_key: "T".into(),
            name: "テスト".into(),
            name_kana: "テスト".into(),
            birth_date: d,
            sex: "male".into(),
            coverage_kind: kind.into(),
            insurer_name: "x".into(),
            insurer_number: None,
            symbol: None,
            member_number: None,
            branch: None,
            public_payer_number: None,
            recipient_number: None,
            welfare_office: None,
            designated_institutions: None,
            ceiling_category: ceiling.map(Into::into),
            valid_from: d,
            valid_to: None,
        }
    }

    #[test]
    fn shares_and_ceilings() {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let june = ymd(2025, 6, 1);
        let cases = [
            // (coverage, ceiling, birth, care, total, patient paid)
            (
                "employee",
                Some("ウ"),
                ymd(1980, 5, 5),
                Care::Outpatient,
                12_340,
                3_700,
            ),
            (
                "employee",
                Some("ウ"),
                ymd(1980, 5, 5),
                Care::Outpatient,
                12_350,
                3_710,
            ),
            (
                "employee",
                Some("ウ"),
                ymd(1980, 5, 5),
                Care::Inpatient,
                430_000,
                81_730,
            ),
            (
                "employee",
                Some("ウ"),
                ymd(2021, 5, 5),
                Care::Outpatient,
                5_000,
                1_000,
            ),
            (
                "employee",
                Some("ウ"),
                ymd(2017, 5, 5),
                Care::Outpatient,
                5_000,
                1_500,
            ),
            (
                "national",
                None,
                ymd(1953, 5, 5),
                Care::Outpatient,
                5_000,
                1_000,
            ),
            (
                "national",
                Some("エ"),
                ymd(1957, 5, 5),
                Care::Inpatient,
                300_000,
                57_600,
            ),
            (
                "later_elderly",
                None,
                ymd(1947, 5, 5),
                Care::Outpatient,
                5_000,
                500,
            ),
            (
                "later_elderly",
                None,
                ymd(1947, 5, 5),
                Care::Outpatient,
                300_000,
                18_000,
            ),
            (
                "welfare_aid",
                None,
                ymd(1970, 5, 5),
                Care::Outpatient,
                5_000,
                0,
            ),
        ];
        for (kind, ceiling, birth, care, total, want) in cases {
            let (insurer, patient) = split(&cov(kind, ceiling), birth, june, care, total);
            assert_eq!(patient, want, "{kind} {birth} {total}");
            assert_eq!(insurer + patient, total);
        }
    }
}
