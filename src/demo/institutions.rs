//! The demo's 20 institutions: hospitals, clinics, dental clinics and pharmacies in six
//! prefectures, with codes built the way the real 10-digit institution codes are.

use crate::domain::institution::{Prefecture, ScoreTable, complete_code};
use crate::feed::rows::InstitutionRow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Hospital,
    Clinic,
    Dental,
    Pharmacy,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Hospital => "hospital",
            Kind::Clinic => "clinic",
            Kind::Dental => "dental_clinic",
            Kind::Pharmacy => "pharmacy",
        }
    }

    /// The fee schedule, whose digit is the institution code's third.
    pub fn table(self) -> ScoreTable {
        match self {
            Kind::Hospital | Kind::Clinic => ScoreTable::Medical,
            Kind::Dental => ScoreTable::Dental,
            Kind::Pharmacy => ScoreTable::Pharmacy,
        }
    }
}

#[derive(Debug, PartialEq)]
pub struct Inst {
    /// Prefecture (2 digits), 郡市区番号 (2) and 医療機関等番号 (4); the score-table digit goes
    /// after the prefecture and the check digit, computed as that prefecture's bureau does, at
    /// the end.
    pub number: &'static str,
    pub kind: Kind,
    pub name: &'static str,
    pub name_en: &'static str,
    /// Pharmacies already receiving electronic prescriptions.
    pub e_rx: bool,
}

impl Inst {
    /// prefecture(2) + score table(1) + city(2) + number(4) + check digit(1).
    pub fn code(&self) -> String {
        let (pref, local) = self.number.split_at_checked(2).unwrap_or(("", self.number));
        Prefecture::parse(pref)
            .ok()
            .and_then(|p| complete_code(p, self.kind.table(), local))
            .unwrap_or_else(|| self.number.to_owned())
    }

    pub fn row(&self) -> InstitutionRow {
        InstitutionRow {
            code: self.code(),
            name: self.name.into(),
            name_en: self.name_en.into(),
            kind: self.kind.as_str().into(),
        }
    }
}

const fn inst(number: &'static str, kind: Kind, name: &'static str, name_en: &'static str) -> Inst {
    Inst {
        number,
        kind,
        name,
        name_en,
        e_rx: false,
    }
}

const fn e_rx(i: Inst) -> Inst {
    Inst { e_rx: true, ..i }
}

use Kind::{Clinic, Dental, Hospital, Pharmacy};

// Tokyo (13)
pub const TOKYO_CENTRAL: Inst = inst(
    "13012345",
    Hospital,
    "東京中央病院",
    "Tokyo Central Hospital",
);
pub const SHINJUKU_IM: Inst = inst(
    "13041187",
    Clinic,
    "新宿内科クリニック",
    "Shinjuku Internal Medicine Clinic",
);
pub const SUGINAMI_ORTHO: Inst = inst(
    "13150642",
    Clinic,
    "杉並整形外科クリニック",
    "Suginami Orthopedic Clinic",
);
pub const OTEMACHI_CHECK: Inst = inst(
    "13017730",
    Clinic,
    "大手町健診クリニック",
    "Otemachi Health Check Clinic",
);
pub const SHINJUKU_DENTAL: Inst = inst(
    "13045021",
    Dental,
    "新宿スマイル歯科",
    "Shinjuku Smile Dental",
);
pub const SAKURA_SHINJUKU: Inst = e_rx(inst(
    "13043318",
    Pharmacy,
    "さくら調剤薬局 新宿店",
    "Sakura Pharmacy Shinjuku",
));
pub const AOBA_SUGINAMI: Inst = inst(
    "13152094",
    Pharmacy,
    "あおば薬局 杉並店",
    "Aoba Pharmacy Suginami",
);
pub const HIMAWARI_CENTRAL: Inst = e_rx(inst(
    "13014406",
    Pharmacy,
    "ひまわり薬局 東京中央病院前店",
    "Himawari Pharmacy Tokyo Central Hospital",
));
// Kanagawa (14)
pub const MINATOMIRAI: Inst = inst(
    "14010318",
    Hospital,
    "みなとみらい総合病院",
    "Minatomirai General Hospital",
);
pub const SUKOYAKA_PEDS: Inst = inst(
    "14172250",
    Clinic,
    "すこやか小児科クリニック",
    "Sukoyaka Pediatric Clinic",
);
pub const AOBADAI_DENTAL: Inst = inst(
    "14175133",
    Dental,
    "青葉台歯科医院",
    "Aobadai Dental Clinic",
);
pub const MINATO_AOBADAI: Inst = e_rx(inst(
    "14173071",
    Pharmacy,
    "みなと調剤薬局 青葉台店",
    "Minato Pharmacy Aobadai",
));
// Osaka (27)
pub const OSAKA_KITA: Inst = inst(
    "27020107",
    Hospital,
    "大阪北総合病院",
    "Osaka Kita General Hospital",
);
pub const TENMA_DM: Inst = inst(
    "27021764",
    Clinic,
    "天満内科・糖尿病クリニック",
    "Tenma Internal Medicine & Diabetes Clinic",
);
pub const NANIWA_TENMA: Inst = e_rx(inst(
    "27023390",
    Pharmacy,
    "なにわ調剤薬局 天満店",
    "Naniwa Pharmacy Tenma",
));
pub const UMEDA_PHARMACY: Inst = inst("27033512", Pharmacy, "うめだ調剤薬局", "Umeda Pharmacy");
// Hokkaido (01), Aichi (23), Fukuoka (40): these dispense in-house (院内処方).
pub const SAPPORO_SUZURAN: Inst = inst(
    "01010893",
    Hospital,
    "札幌すずらん病院",
    "Sapporo Suzuran Hospital",
);
pub const NAGOYA_MIDORI: Inst = inst(
    "23110456",
    Hospital,
    "名古屋みどり病院",
    "Nagoya Midori Hospital",
);
pub const SAKAE_DENTAL: Inst = inst(
    "23065208",
    Dental,
    "栄デンタルクリニック",
    "Sakae Dental Clinic",
);
pub const HAKATA_MINAMI: Inst = inst(
    "40131620",
    Clinic,
    "博多みなみクリニック",
    "Hakata Minami Clinic",
);

/// Every institution, in the order of the institutions feed.
pub const INSTITUTIONS: [&Inst; 20] = [
    &TOKYO_CENTRAL,
    &SHINJUKU_IM,
    &SUGINAMI_ORTHO,
    &OTEMACHI_CHECK,
    &SHINJUKU_DENTAL,
    &SAKURA_SHINJUKU,
    &AOBA_SUGINAMI,
    &HIMAWARI_CENTRAL,
    &MINATOMIRAI,
    &SUKOYAKA_PEDS,
    &AOBADAI_DENTAL,
    &MINATO_AOBADAI,
    &OSAKA_KITA,
    &TENMA_DM,
    &NANIWA_TENMA,
    &UMEDA_PHARMACY,
    &SAPPORO_SUZURAN,
    &NAGOYA_MIDORI,
    &SAKAE_DENTAL,
    &HAKATA_MINAMI,
];
