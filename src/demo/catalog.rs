//! The demo's fixed world: the 20 institutions, the areas patients live in, and the builders of
//! insurer, public-payer and recipient numbers with their check digits.

use crate::domain::check_digit::with_check_digit;
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

    /// The score-table digit of the institution code: 1 medical, 3 dental, 4 dispensing.
    pub fn table(self) -> char {
        match self {
            Kind::Hospital | Kind::Clinic => '1',
            Kind::Dental => '3',
            Kind::Pharmacy => '4',
        }
    }
}

#[derive(Debug, PartialEq)]
pub struct Inst {
    pub pref: &'static str,
    /// 郡市区番号 (2 digits) and 医療機関等番号 (4 digits): the check digit covers these six.
    pub city: &'static str,
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
        let body = format!("{}{}", self.city, self.number);
        let checked = with_check_digit(&body).unwrap_or(body);
        format!("{}{}{}", self.pref, self.kind.table(), checked)
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

const fn inst(
    pref: &'static str,
    city: &'static str,
    number: &'static str,
    kind: Kind,
    name: &'static str,
    name_en: &'static str,
) -> Inst {
    Inst {
        pref,
        city,
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
pub const TOKYO_CENTRAL: Inst = inst("13", "01", "2345", Hospital, "東京中央病院", "Tokyo Central Hospital");
pub const SHINJUKU_IM: Inst = inst("13", "04", "1187", Clinic, "新宿内科クリニック", "Shinjuku Internal Medicine Clinic");
pub const SUGINAMI_ORTHO: Inst = inst("13", "15", "0642", Clinic, "杉並整形外科クリニック", "Suginami Orthopedic Clinic");
pub const OTEMACHI_CHECK: Inst = inst("13", "01", "7730", Clinic, "大手町健診クリニック", "Otemachi Health Check Clinic");
pub const SHINJUKU_DENTAL: Inst = inst("13", "04", "5021", Dental, "新宿スマイル歯科", "Shinjuku Smile Dental");
pub const SAKURA_SHINJUKU: Inst = e_rx(inst("13", "04", "3318", Pharmacy, "さくら調剤薬局 新宿店", "Sakura Pharmacy Shinjuku"));
pub const AOBA_SUGINAMI: Inst = inst("13", "15", "2094", Pharmacy, "あおば薬局 杉並店", "Aoba Pharmacy Suginami");
pub const HIMAWARI_CENTRAL: Inst = e_rx(inst("13", "01", "4406", Pharmacy, "ひまわり薬局 東京中央病院前店", "Himawari Pharmacy Tokyo Central Hospital"));
// Kanagawa (14)
pub const MINATOMIRAI: Inst = inst("14", "01", "0318", Hospital, "みなとみらい総合病院", "Minatomirai General Hospital");
pub const SUKOYAKA_PEDS: Inst = inst("14", "17", "2250", Clinic, "すこやか小児科クリニック", "Sukoyaka Pediatric Clinic");
pub const AOBADAI_DENTAL: Inst = inst("14", "17", "5133", Dental, "青葉台歯科医院", "Aobadai Dental Clinic");
pub const MINATO_AOBADAI: Inst = e_rx(inst("14", "17", "3071", Pharmacy, "みなと調剤薬局 青葉台店", "Minato Pharmacy Aobadai"));
// Osaka (27)
pub const OSAKA_KITA: Inst = inst("27", "02", "0107", Hospital, "大阪北総合病院", "Osaka Kita General Hospital");
pub const TENMA_DM: Inst = inst("27", "02", "1764", Clinic, "天満内科・糖尿病クリニック", "Tenma Internal Medicine & Diabetes Clinic");
pub const NANIWA_TENMA: Inst = e_rx(inst("27", "02", "3390", Pharmacy, "なにわ調剤薬局 天満店", "Naniwa Pharmacy Tenma"));
pub const UMEDA_PHARMACY: Inst = inst("27", "03", "3512", Pharmacy, "うめだ調剤薬局", "Umeda Pharmacy");
// Hokkaido (01), Aichi (23), Fukuoka (40): these dispense in-house (院内処方).
pub const SAPPORO_SUZURAN: Inst = inst("01", "01", "0893", Hospital, "札幌すずらん病院", "Sapporo Suzuran Hospital");
pub const NAGOYA_MIDORI: Inst = inst("23", "11", "0456", Hospital, "名古屋みどり病院", "Nagoya Midori Hospital");
pub const SAKAE_DENTAL: Inst = inst("23", "06", "5208", Dental, "栄デンタルクリニック", "Sakae Dental Clinic");
pub const HAKATA_MINAMI: Inst = inst("40", "13", "1620", Clinic, "博多みなみクリニック", "Hakata Minami Clinic");

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

/// Employee insurers seeded patients may belong to: (name, 法別番号, prefecture, serial).
pub const EMPLOYERS: [(&str, &str, &str, &str); 5] = [
    ("全国健康保険協会 東京支部", "01", "13", "001"),
    ("関東電機健康保険組合", "06", "13", "512"),
    ("全国健康保険協会 大阪支部", "01", "27", "001"),
    ("なにわ商事健康保険組合", "06", "27", "318"),
    ("北日本食品健康保険組合", "06", "01", "207"),
];

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
