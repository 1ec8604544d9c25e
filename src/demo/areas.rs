//! Where seeded patients live and work: the six demo areas (their doctors, dentist, pharmacy,
//! city insurer and welfare office) and the employers' insurers.

use super::calendar::{add_days, add_months, age_on};
use super::extras::{digits, pick};
use super::identity::Identity;
use super::institutions::*;
use super::insurers::{
    insurer6, insurer8, later_elderly_insurer, pref_name, recipient, welfare_payer,
};
use crate::feed::rows::PersonRow;
use chrono::NaiveDate;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Where a seeded patient lives: the doctors, dentist and pharmacy they use and their city's
/// national health insurance. Without a pharmacy the doctor dispenses in-house.
pub struct Area {
    pub pref: &'static str,
    pub city_insurer: (&'static str, &'static str),
    pub welfare_office: &'static str,
    pub doctors: &'static [&'static Inst],
    pub dentist: Option<&'static Inst>,
    pub pharmacy: Option<&'static Inst>,
}

pub const AREAS: [Area; 6] = [
    Area {
        pref: "13",
        city_insurer: ("新宿区", "104"),
        welfare_office: "新宿区福祉事務所",
        doctors: &[&SHINJUKU_IM, &TOKYO_CENTRAL],
        dentist: Some(&SHINJUKU_DENTAL),
        pharmacy: Some(&SAKURA_SHINJUKU),
    },
    Area {
        pref: "14",
        city_insurer: ("横浜市", "100"),
        welfare_office: "横浜市青葉福祉保健センター",
        doctors: &[&MINATOMIRAI],
        dentist: Some(&AOBADAI_DENTAL),
        pharmacy: Some(&MINATO_AOBADAI),
    },
    Area {
        pref: "27",
        city_insurer: ("大阪市", "100"),
        welfare_office: "大阪市北区保健福祉センター",
        doctors: &[&TENMA_DM, &OSAKA_KITA],
        dentist: None,
        pharmacy: Some(&UMEDA_PHARMACY),
    },
    Area {
        pref: "01",
        city_insurer: ("札幌市", "101"),
        welfare_office: "札幌市北区保健福祉部",
        doctors: &[&SAPPORO_SUZURAN],
        dentist: None,
        pharmacy: None,
    },
    Area {
        pref: "40",
        city_insurer: ("福岡市", "130"),
        welfare_office: "福岡市博多区保護課",
        doctors: &[&HAKATA_MINAMI],
        dentist: None,
        pharmacy: None,
    },
    Area {
        pref: "23",
        city_insurer: ("名古屋市", "106"),
        welfare_office: "名古屋市中区社会福祉事務所",
        doctors: &[&NAGOYA_MIDORI],
        dentist: Some(&SAKAE_DENTAL),
        pharmacy: None,
    },
];

/// Employee insurers seeded patients may belong to: (name, 法別番号, prefecture, serial).
/// Kyokai Kenpo (法別 01) is everywhere and added per prefecture.
pub const EMPLOYERS: [(&str, &str, &str, &str); 3] = [
    ("関東電機健康保険組合", "06", "13", "512"),
    ("なにわ商事健康保険組合", "06", "27", "318"),
    ("北日本食品健康保険組合", "06", "01", "207"),
];

/// Under-70 ceiling categories, weighted roughly like the insured population.
const CEILINGS: [&str; 10] = ["ア", "イ", "ウ", "ウ", "ウ", "ウ", "ウ", "エ", "エ", "オ"];

/// A seeded patient's coverage from `valid.0`: usually insurance, sometimes (under 75) welfare
/// medical aid granted for the area's doctor, pharmacy and dentist.
pub fn coverage(
    who: &Identity,
    area: &Area,
    doctor: &'static Inst,
    valid: (NaiveDate, NaiveDate),
    rng: &mut ChaCha8Rng,
) -> Vec<PersonRow> {
    let (since, until) = valid;
    if age_on(who.birth, until) >= 75 || !rng.random_bool(0.06) {
        return insured_periods(who, area, since, until, rng);
    }
    let mut sites: Vec<&Inst> = vec![doctor];
    sites.extend(area.pharmacy);
    sites.extend(area.dentist);
    let payer = welfare_payer(area.pref, &format!("1{}", digits(rng, 2)));
    let number = recipient(&digits(rng, 6));
    let office = area.welfare_office;
    vec![who.welfare(office, (&payer, &number), &sites, (since, None))]
}

/// Employee or national insurance, replaced by later-elderly insurance on the 75th birthday.
fn insured_periods(
    who: &Identity,
    area: &Area,
    since: NaiveDate,
    until: NaiveDate,
    rng: &mut ChaCha8Rng,
) -> Vec<PersonRow> {
    let turned75 = add_months(who.birth, 75 * 12);
    let mut out = Vec::new();
    if turned75 > since {
        let end = (turned75 <= until).then(|| add_days(turned75, -1));
        let ceiling =
            (age_on(who.birth, end.unwrap_or(until)) < 70).then(|| pick(rng, &CEILINGS, "ウ"));
        let valid = (since, end);
        if age_on(who.birth, since) < 65 && rng.random_bool(0.65) {
            // A company's own society where the area has one, else Kyokai Kenpo's branch.
            let kyokai = format!(
                "全国健康保険協会 {}支部",
                pref_name(area.pref).trim_end_matches(['都', '府', '県'])
            );
            let kyokai = (kyokai.as_str(), "01", area.pref, "001");
            let mut insurers = vec![kyokai];
            insurers.extend(EMPLOYERS.iter().filter(|e| e.2 == area.pref).copied());
            let (name, law, pref, serial) = pick(rng, &insurers, kyokai);
            let symbol = digits(rng, if law == "01" { 8 } else { 4 });
            let number = format!("{}", rng.random_range(1u32..10_000));
            let insurer = insurer8(law, pref, serial);
            let card = (Some(symbol.as_str()), number.as_str(), Some("01"));
            out.push(who.insured("employee", (name, &insurer), card, ceiling, valid));
        } else {
            let insurer = insurer6(area.pref, area.city_insurer.1);
            let symbol = digits(rng, 4);
            let number = digits(rng, 6);
            let card = (Some(symbol.as_str()), number.as_str(), Some("01"));
            out.push(who.insured(
                "national",
                (area.city_insurer.0, &insurer),
                card,
                ceiling,
                valid,
            ));
        }
    }
    if turned75 <= until {
        let (union, number) = later_elderly_insurer(area.pref);
        let member = digits(rng, 8);
        let card = (None, member.as_str(), None);
        out.push(who.insured(
            "later_elderly",
            (&union, &number),
            card,
            None,
            (turned75.max(since), None),
        ));
    }
    out
}
