//! The demo drug catalog: plausible YJ codes, Japanese product names, units and NHI prices.
//!
//! YJ codes follow the real layout (class 4 + ingredient 3 + dosage form 1 + strength 1 +
//! product 2 + check 1) but are made up. Two kinds of pairs matter to the duplicate-therapy
//! feature: the same ingredient from a brand and a generic (same first 7 characters: Norvasc and
//! amlodipine, Feburic and febuxostat) and the same class with different ingredients (same first
//! 4: rosuvastatin and atorvastatin, lansoprazole and rebamipide, fexofenadine and bilastine,
//! loxoprofen and celecoxib).

/// How a drug is taken; "as_needed" (頓服) is decided per prescription line, not here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Oral,
    External,
    Injection,
}

#[derive(Debug, PartialEq)]
pub struct Drug {
    pub yj: &'static str,
    pub name: &'static str,
    pub strength: &'static str,
    pub unit: &'static str,
    pub form: Form,
    pub generic: bool,
    /// NHI price in yen per unit (薬価), used for the dispensing costs.
    pub price: f64,
}

impl Drug {
    /// The four-digit therapeutic class (薬効分類) the YJ code starts with.
    pub fn class(&self) -> &'static str {
        self.yj.get(..4).unwrap_or("")
    }
}

const fn oral(yj: &'static str, name: &'static str, strength: &'static str, price: f64) -> Drug {
    Drug {
        yj,
        name,
        strength,
        unit: "錠",
        form: Form::Oral,
        generic: true,
        price,
    }
}

const fn brand(d: Drug) -> Drug {
    Drug {
        generic: false,
        ..d
    }
}

const fn unit(d: Drug, unit: &'static str, form: Form) -> Drug {
    Drug { unit, form, ..d }
}

use Form::{External, Injection, Oral};

// Cardiovascular and metabolic.
pub const NORVASC: Drug = brand(oral("2171022F2020", "ノルバスク錠5mg", "5mg", 15.2));
pub const AMLODIPINE: Drug = oral("2171022F2283", "アムロジピン錠5mg「サワイ」", "5mg", 10.1);
pub const TELMISARTAN: Drug = oral(
    "2149042F2138",
    "テルミサルタン錠40mg「サワイ」",
    "40mg",
    10.4,
);
pub const ROSUVASTATIN: Drug = oral(
    "2189017F1189",
    "ロスバスタチン錠2.5mg「DSEP」",
    "2.5mg",
    10.4,
);
pub const ATORVASTATIN: Drug = oral(
    "2189015F2216",
    "アトルバスタチン錠10mg「サワイ」",
    "10mg",
    14.3,
);
pub const METFORMIN: Drug = oral(
    "3962002F1133",
    "メトホルミン塩酸塩錠250mgMT「トーワ」",
    "250mg",
    10.4,
);
pub const SITAGLIPTIN: Drug = brand(oral("3969010F2027", "ジャヌビア錠50mg", "50mg", 94.9));
pub const VILDAGLIPTIN: Drug = oral(
    "3969014F1057",
    "ビルダグリプチン錠50mg「サワイ」",
    "50mg",
    21.6,
);
pub const INSULIN_GLARGINE: Drug = brand(unit(
    oral(
        "2492415G3026",
        "インスリン グラルギンBS注ミリオペン「リリー」",
        "300単位",
        1330.0,
    ),
    "本",
    Injection,
));
pub const BAYASPIRIN: Drug = brand(oral("3399007H1021", "バイアスピリン錠100mg", "100mg", 5.7));
pub const FEBURIC: Drug = brand(oral("3949003F1025", "フェブリク錠20mg", "20mg", 41.8));
pub const FEBUXOSTAT: Drug = oral(
    "3949003F1149",
    "フェブキソスタット錠20mg「サワイ」",
    "20mg",
    16.6,
);
// Digestive.
pub const LANSOPRAZOLE: Drug = oral(
    "2329023F2160",
    "ランソプラゾールOD錠15mg「トーワ」",
    "15mg",
    17.9,
);
pub const REBAMIPIDE: Drug = oral("2329021F1301", "レバミピド錠100mg「サワイ」", "100mg", 10.1);
pub const FAMOTIDINE: Drug = oral("2325003F2245", "ファモチジン錠20mg「トーワ」", "20mg", 10.1);
pub const MAGNESIUM_OXIDE: Drug = oral(
    "2344009F2112",
    "酸化マグネシウム錠330mg「ケンエー」",
    "330mg",
    5.7,
);
// Nervous system and pain.
pub const BROTIZOLAM: Drug = oral(
    "1124009F1175",
    "ブロチゾラム錠0.25mg「サワイ」",
    "0.25mg",
    10.1,
);
pub const LOXOPROFEN: Drug = oral(
    "1149019F1560",
    "ロキソプロフェンNa錠60mg「サワイ」",
    "60mg",
    9.8,
);
pub const CELECOXIB: Drug = oral(
    "1149037F1061",
    "セレコキシブ錠100mg「サワイ」",
    "100mg",
    15.1,
);
pub const CALONAL: Drug = brand(oral("1141007F1063", "カロナール錠200", "200mg", 5.9));
pub const LOXOPROFEN_TAPE: Drug = unit(
    oral(
        "2649735S2079",
        "ロキソプロフェンNaテープ100mg「三和」",
        "100mg",
        17.1,
    ),
    "枚",
    External,
);
pub const ELDECALCITOL: Drug = brand(unit(
    oral("3112004M1023", "エディロールカプセル0.75μg", "0.75μg", 38.0),
    "カプセル",
    Oral,
));
pub const HYALURONATE_EYE: Drug = unit(
    oral(
        "1319720Q1217",
        "ヒアルロン酸Na点眼液0.1%「センジュ」 5mL",
        "0.1%",
        98.6,
    ),
    "本",
    External,
);
// Allergy and infection.
pub const FEXOFENADINE: Drug = oral(
    "4490023F1276",
    "フェキソフェナジン塩酸塩錠60mg「サワイ」",
    "60mg",
    13.3,
);
pub const BILANOA: Drug = brand(oral("4490034F1025", "ビラノア錠20mg", "20mg", 36.2));
pub const OLOPATADINE_DS: Drug = unit(
    oral(
        "4490025R1068",
        "オロパタジン塩酸塩DS0.5%「トーワ」",
        "0.5%",
        41.0,
    ),
    "g",
    Oral,
);
pub const CEFCAPENE_FG: Drug = unit(
    oral(
        "6132016C1101",
        "セフカペンピボキシル塩酸塩細粒小児用10%「サワイ」",
        "10%",
        45.2,
    ),
    "g",
    Oral,
);
pub const AMOXICILLIN_FG: Drug = brand(unit(
    oral("6131001C1210", "ワイドシリン細粒20%", "20%", 13.7),
    "g",
    Oral,
));
pub const CARBOCISTEINE_DS: Drug = unit(
    oral(
        "2233002R2087",
        "カルボシステインDS50%「タカタ」",
        "50%",
        9.6,
    ),
    "g",
    Oral,
);
pub const HEPARINOID: Drug = unit(
    oral(
        "3339950M1096",
        "ヘパリン類似物質油性クリーム0.3%「日医工」",
        "0.3%",
        4.5,
    ),
    "g",
    External,
);

/// Classes whose use the checkup questionnaire asks about.
pub fn treats_blood_pressure(d: &Drug) -> bool {
    matches!(d.class(), "2171" | "2149")
}

pub fn treats_glucose(d: &Drug) -> bool {
    matches!(d.class(), "3962" | "3969" | "2492")
}

pub fn treats_lipids(d: &Drug) -> bool {
    d.class() == "2189"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_pairs_exist() {
        let same = |a: &Drug, b: &Drug, n: usize| a.yj.get(..n) == b.yj.get(..n);
        let cases: [(&Drug, &Drug, usize, bool); 4] = [
            (&NORVASC, &AMLODIPINE, 7, true),
            (&FEBURIC, &FEBUXOSTAT, 7, true),
            (&ROSUVASTATIN, &ATORVASTATIN, 4, true),
            (&ROSUVASTATIN, &ATORVASTATIN, 7, false),
        ];
        for (a, b, n, want) in cases {
            assert_eq!(same(a, b, n), want, "{} / {}", a.name, b.name);
        }
        assert_ne!(NORVASC.generic, AMLODIPINE.generic);
    }
}
