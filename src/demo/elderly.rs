//! Personas 2 and 6: a 78-year-old woman whose prescriptions from three doctors overlap, and the
//! 68-year-old heavy patient with ten years of diabetes care used for benchmarks.

use super::DemoConfig;
use super::calendar::{Window, add_days, add_months, born, first_of_month, open_on_or_after};
use super::checkups::{Health, Track};
use super::drugs::*;
use super::identity::Identity;
use super::institutions::{
    AOBA_SUGINAMI, HIMAWARI_CENTRAL, NANIWA_TENMA, OSAKA_KITA, SAKURA_SHINJUKU, SHINJUKU_IM,
    SUGINAMI_ORTHO, TENMA_DM, TOKYO_CENTRAL, UMEDA_PHARMACY,
};
use super::insurers::{insurer6, later_elderly_insurer};
use super::patient::{Line, Patient, Plan, Qty, Rx, stay};
use chrono::NaiveDate;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

const DAILY: Qty = Qty::PerDay(1.0);

/// A plan that began years before the record window, so the window opens mid-treatment.
fn long_running(p: &Patient, rng: &mut ChaCha8Rng) -> NaiveDate {
    add_days(
        add_months(p.window.start, -24),
        i64::from(rng.random_range(0u16..28)),
    )
}

pub fn persona2(cfg: &DemoConfig, rng: &mut ChaCha8Rng) -> Patient {
    let until = cfg.until;
    let who = Identity {
        link_key: "DEMO-0002".into(),
        name: "鈴木 和子".into(),
        kana: "スズキ カズコ".into(),
        birth: born(until, 78, 200),
        male: false,
    };
    let mut p = Patient::new(2, who.birth, Window::years_to(until, cfg.years));
    // National health insurance until the day before her 75th birthday, later-elderly insurance
    // from the birthday itself; from 70 the ceiling brackets are those of the elderly, and her
    // pension puts her in 一般 (what the window caps for 70 and over by default).
    let turned75 = add_months(who.birth, 75 * 12);
    let (union, union_number) = later_elderly_insurer("13");
    p.periods = vec![
        who.insured(
            "national",
            ("杉並区", &insurer6("13", "115")),
            (Some("0715"), "48213", Some("01")),
            None,
            (add_months(who.birth, 62 * 12), Some(add_days(turned75, -1))),
        ),
        who.insured(
            "later_elderly",
            (&union, &union_number),
            (None, "10482913", None),
            Some("一般"),
            (turned75, None),
        ),
    ];

    let start = long_running(&p, rng);
    // Ten months ago the clinic added generic amlodipine while the hospital kept prescribing
    // Norvasc: the same ingredient twice, from two doctors and two pharmacies.
    let duplicate_from = add_months(until, -10);
    let every = (28, 28);
    p.plans.push(Plan {
        prescriber: &TOKYO_CENTRAL,
        dispenser: &HIMAWARI_CENTRAL,
        from: start,
        to: NaiveDate::MAX,
        every,
        visit_yen: 5_200,
        lines: vec![
            Line::new(&NORVASC, DAILY),
            Line::new(&ROSUVASTATIN, DAILY),
            Line::new(&BAYASPIRIN, DAILY),
            Line::new(&LANSOPRAZOLE, DAILY),
        ],
    });
    p.plans.push(Plan {
        prescriber: &SHINJUKU_IM,
        dispenser: &SAKURA_SHINJUKU,
        from: add_days(start, 9),
        to: NaiveDate::MAX,
        every,
        visit_yen: 3_700,
        lines: vec![
            Line::new(&BROTIZOLAM, DAILY),
            Line::new(&MAGNESIUM_OXIDE, Qty::PerDay(3.0)),
            Line::new(&AMLODIPINE, DAILY).between(duplicate_from, NaiveDate::MAX),
        ],
    });
    p.plans.push(Plan {
        prescriber: &SUGINAMI_ORTHO,
        dispenser: &AOBA_SUGINAMI,
        from: add_days(start, 17),
        to: NaiveDate::MAX,
        every,
        visit_yen: 5_600,
        lines: vec![
            Line::new(&CELECOXIB, Qty::PerDay(2.0)),
            Line::new(&ELDECALCITOL, DAILY),
            Line::new(&LOXOPROFEN_TAPE, Qty::Topical(1.0)),
        ],
    });
    // Cataract surgery a year and a half ago: three days in hospital, eye drops afterwards.
    let admitted = open_on_or_after(add_days(first_of_month(add_months(until, -18)), 11));
    p.visits
        .extend(stay(&TOKYO_CENTRAL, admitted, 3, 120_000, 25_000));
    p.courses.push(Rx {
        date: open_on_or_after(add_days(admitted, 7)),
        prescriber: &TOKYO_CENTRAL,
        dispenser: &HIMAWARI_CENTRAL,
        visit_yen: 4_800,
        lines: vec![(&HYALURONATE_EYE, Qty::Fixed(2.0), 28)],
    });

    p.health = Some(Health {
        weight: Track::linear(49.0, -0.3),
        waist: Track::flat(79.0),
        systolic: Track::flat(136.0),
        diastolic: Track::flat(74.0),
        triglycerides: Track::flat(120.0),
        hdl: Track::flat(62.0),
        ldl: Track::flat(98.0),
        hba1c: Track::flat(5.9),
        egfr: Track::linear(54.0, -1.6),
        proteinuria: Track::Steps(&[1.0, 1.0, 0.0]),
        ..Health::new(&SHINJUKU_IM, 7, 148.5, 49.0)
    });
    p
}

pub fn persona6(cfg: &DemoConfig, rng: &mut ChaCha8Rng) -> Patient {
    let until = cfg.until;
    let who = Identity {
        link_key: "DEMO-0006".into(),
        name: "佐藤 博".into(),
        kana: "サトウ ヒロシ".into(),
        birth: born(until, 68, 40),
        male: true,
    };
    // Always ten years, whatever the configuration: this patient exists for load tests.
    let mut p = Patient::new(6, who.birth, Window::years_to(until, 10));
    // Self-employed in Osaka for decades: one national insurance period.
    p.periods = vec![who.insured(
        "national",
        ("大阪市", &insurer6("27", "100")),
        (Some("2701"), "330618", Some("00")),
        Some("エ"),
        (add_months(p.window.start, -12 * 20), None),
    )];

    let start = long_running(&p, rng);
    let sitagliptin = add_months(until, -96);
    // Insulin starts after nine days of diabetes education in hospital, early in a month.
    let education = open_on_or_after(add_days(first_of_month(add_months(until, -48)), 3));
    let insulin = add_days(education, 10);
    let knee = add_months(until, -72);
    p.plans.push(Plan {
        prescriber: &TENMA_DM,
        dispenser: &NANIWA_TENMA,
        from: start,
        to: NaiveDate::MAX,
        every: (14, 14),
        visit_yen: 3_900,
        lines: vec![
            Line::new(&AMLODIPINE, DAILY),
            Line::new(&TELMISARTAN, DAILY),
            Line::new(&ATORVASTATIN, DAILY),
            Line::new(&METFORMIN, Qty::PerDay(4.0)),
            Line::new(&SITAGLIPTIN, DAILY).between(sitagliptin, NaiveDate::MAX),
            Line::new(&FAMOTIDINE, Qty::PerDay(2.0)),
            Line::new(&BROTIZOLAM, DAILY),
            Line::new(&MAGNESIUM_OXIDE, Qty::PerDay(3.0)),
            Line::new(&LOXOPROFEN_TAPE, Qty::Topical(1.0)).between(knee, NaiveDate::MAX),
        ],
    });
    p.plans.push(Plan {
        prescriber: &OSAKA_KITA,
        dispenser: &UMEDA_PHARMACY,
        from: add_days(start, 5),
        to: NaiveDate::MAX,
        every: (28, 28),
        visit_yen: 5_800,
        lines: vec![
            Line::new(&BAYASPIRIN, DAILY),
            Line::new(&HYALURONATE_EYE, Qty::Fixed(2.0)),
            Line::new(&INSULIN_GLARGINE, Qty::Fixed(2.0)).between(insulin, NaiveDate::MAX),
        ],
    });
    p.visits
        .extend(stay(&OSAKA_KITA, education, 9, 60_000, 32_000));

    p.health = Some(Health {
        weight: Track::linear(72.5, 0.2),
        waist: Track::linear(91.0, 0.3),
        systolic: Track::flat(132.0),
        diastolic: Track::flat(78.0),
        triglycerides: Track::flat(160.0),
        hdl: Track::flat(45.0),
        ldl: Track::flat(96.0),
        // The peak came just before insulin.
        hba1c: Track::Steps(&[7.1, 7.3, 7.2, 7.6, 8.3, 7.8, 7.5, 7.2, 7.0, 6.9]),
        ast: Track::flat(26.0),
        alt: Track::flat(28.0),
        gamma_gt: Track::flat(45.0),
        egfr: Track::linear(58.0, -2.0),
        proteinuria: Track::Steps(&[2.0, 1.0, 1.0, 1.0, 0.0]),
        smoker: true,
        ..Health::new(&TENMA_DM, 4, 166.0, 72.5)
    });
    p
}
