//! Personas 1 and 3, the Tanaka household: an office worker whose insurer changed with his job
//! and whose HbA1c creeps up into diabetes, and his daughter, a dependent on his card.

use super::DemoConfig;
use super::calendar::{
    Window, add_days, add_months, born, first_of_month, fiscal_year, fiscal_year_start,
    open_on_or_after,
};
use super::checkups::{Health, Track};
use super::drugs::*;
use super::identity::Identity;
use super::institutions::{
    AOBADAI_DENTAL, MINATO_AOBADAI, MINATOMIRAI, OTEMACHI_CHECK, SAKURA_SHINJUKU, SHINJUKU_IM,
    SUKOYAKA_PEDS,
};
use super::insurers::insurer8;
use super::patient::{Encounter, Line, Patient, Plan, Qty, Rx, stay};
use crate::feed::rows::PersonRow;
use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The day the father started his new job: two years before `until`, on a 1st.
fn job_change(until: NaiveDate) -> NaiveDate {
    first_of_month(add_months(until, -24))
}

/// The household's two cards: Kyokai Kenpo at the old job, a company society at the new one.
/// Family members share the number and differ in the branch (01 insured, 03 second dependent).
fn household(who: &Identity, branch: &str, since: NaiveDate, until: NaiveDate) -> Vec<PersonRow> {
    let change = job_change(until);
    let old = insurer8("01", "13", "001");
    let new = insurer8("06", "13", "527");
    vec![
        who.insured(
            "employee",
            ("全国健康保険協会 東京支部", &old),
            (Some("30120415"), "152", Some(branch)),
            Some("ウ"),
            (since.min(add_days(change, -1)), Some(add_days(change, -1))),
        ),
        who.insured(
            "employee",
            ("みなと情報システム健康保険組合", &new),
            (Some("5104"), "2287", Some(branch)),
            Some("ウ"),
            (change, None),
        ),
    ]
}

/// A date some days into the year `back` years before `until`, moved to an open day.
fn day_in_year(until: NaiveDate, back: u32, rng: &mut ChaCha8Rng) -> NaiveDate {
    let start = add_months(until, -12 * (back as i32 + 1));
    open_on_or_after(add_days(start, i64::from(rng.random_range(0u16..365))))
}

pub fn persona1(cfg: &DemoConfig, rng: &mut ChaCha8Rng) -> Patient {
    let until = cfg.until;
    let who = Identity {
        link_key: "DEMO-0001".into(),
        name: "田中 健太".into(),
        kana: "タナカ ケンタ".into(),
        birth: born(until, 45, 123),
        male: true,
    };
    let mut p = Patient::new(1, who.birth, Window::years_to(until, cfg.years));
    // Hired on an April 1st, as Japanese graduates and many mid-career hires are.
    let hired = fiscal_year_start(fiscal_year(until) - 11).unwrap_or(p.window.start);
    p.periods = household(&who, "01", hired, until);

    // Gout for years: Feburic, switched to the generic three years ago; metformin joins it at
    // the same clinic after the checkup that showed HbA1c 6.6.
    let switch = add_months(until, -34);
    let metformin = add_months(until, -11);
    p.plans.push(Plan {
        prescriber: &SHINJUKU_IM,
        dispenser: &SAKURA_SHINJUKU,
        // Started two years before the record window, so the window opens mid-treatment.
        from: add_days(
            add_months(p.window.start, -24),
            i64::from(rng.random_range(0u16..28)),
        ),
        to: NaiveDate::MAX,
        every: (28, 42),
        visit_yen: 3_700,
        lines: vec![
            Line::new(&FEBURIC, Qty::PerDay(1.0)).between(NaiveDate::MIN, switch),
            Line::new(&FEBUXOSTAT, Qty::PerDay(1.0)).between(switch, NaiveDate::MAX),
            Line::new(&METFORMIN, Qty::PerDay(2.0)).between(metformin, NaiveDate::MAX),
        ],
    });

    for back in 0..cfg.years.min(60) {
        // Hay fever every spring; the doctor moved him to bilastine in the last two years.
        let pollen = if back < 2 { &BILANOA } else { &FEXOFENADINE };
        let dose = if back < 2 { 1.0 } else { 2.0 };
        if let Some(first) = NaiveDate::from_ymd_opt(until.year() - back as i32, 2, 10) {
            let first = add_days(first, i64::from(rng.random_range(0u8..10)));
            for visit in 0..2 {
                let date = open_on_or_after(add_days(first, 28 * visit));
                p.courses
                    .push(rx(date, 3_100, vec![(pollen, Qty::PerDay(dose), 28)]));
            }
        }
        // A cold most years.
        if rng.random_bool(0.7) {
            let date = day_in_year(until, back, rng);
            p.courses
                .push(rx(date, 3_300, vec![(&CALONAL, Qty::AsNeeded(6), 6)]));
        }
        // A dental check and scaling every year near home.
        let date = day_in_year(until, back, rng);
        let yen = i64::from(rng.random_range(320u16..=480)) * 10;
        p.visits.push(Encounter::visit(date, &AOBADAI_DENTAL, yen));
    }

    // Back pain four years ago, seen at the hospital near home.
    let back_pain = open_on_or_after(add_months(until, -44));
    p.courses.push(Rx {
        date: back_pain,
        prescriber: &MINATOMIRAI,
        dispenser: &MINATO_AOBADAI,
        visit_yen: 6_900,
        lines: vec![
            (&LOXOPROFEN, Qty::PerDay(3.0), 7),
            (&REBAMIPIDE, Qty::PerDay(3.0), 7),
            (&LOXOPROFEN_TAPE, Qty::Topical(2.0), 7),
        ],
    });
    // Appendicitis three years ago: six days in hospital, capped by the high-cost ceiling,
    // which pushes that year's out-of-pocket total over the ¥100,000 deduction threshold.
    // Admitted mid-month so the stay is one month's bill (across two months it would be two
    // bills, each capped on its own).
    let admitted = open_on_or_after(add_days(first_of_month(add_months(until, -33)), 9));
    p.visits
        .extend(stay(&MINATOMIRAI, admitted, 6, 280_000, 30_000));
    p.courses.push(Rx {
        date: open_on_or_after(add_days(admitted, 12)),
        prescriber: &MINATOMIRAI,
        dispenser: &MINATO_AOBADAI,
        visit_yen: 4_200,
        lines: vec![(&CALONAL, Qty::AsNeeded(10), 10)],
    });
    // Crown work on two teeth last year.
    let dental = open_on_or_after(add_months(until, -15));
    for (week, yen) in [8_200, 5_600, 12_400, 15_800, 3_900]
        .into_iter()
        .enumerate()
    {
        let date = open_on_or_after(add_days(dental, 7 * week as i64));
        p.visits.push(Encounter::visit(date, &AOBADAI_DENTAL, yen));
    }

    p.health = Some(Health {
        weight: Track::Steps(&[77.2, 78.6, 77.0, 75.8, 74.5, 73.1, 72.0, 71.2, 70.5, 70.0]),
        waist: Track::Steps(&[88.6, 90.2, 88.0, 86.6, 85.1, 83.7, 82.5, 81.8, 81.0]),
        hba1c: Track::Steps(&[6.4, 6.6, 6.3, 6.0, 5.7, 5.4, 5.3, 5.2, 5.2, 5.1]),
        systolic: Track::linear(134.0, 2.5),
        diastolic: Track::linear(86.0, 1.5),
        triglycerides: Track::linear(185.0, 12.0),
        hdl: Track::linear(44.0, -1.8),
        ldl: Track::linear(142.0, 3.0),
        alt: Track::linear(41.0, 3.5),
        gamma_gt: Track::linear(76.0, 7.0),
        egfr: Track::linear(84.0, -0.8),
        ..Health::new(&OTEMACHI_CHECK, 2, 171.2, 77.0)
    });
    p
}

fn rx(date: NaiveDate, visit_yen: i64, lines: Vec<(&'static Drug, Qty, u16)>) -> Rx {
    Rx {
        date,
        prescriber: &SHINJUKU_IM,
        dispenser: &SAKURA_SHINJUKU,
        visit_yen,
        lines,
    }
}

pub fn persona3(cfg: &DemoConfig, rng: &mut ChaCha8Rng) -> Patient {
    let until = cfg.until;
    let who = Identity {
        link_key: "DEMO-0003".into(),
        name: "田中 さくら".into(),
        kana: "タナカ サクラ".into(),
        birth: born(until, 9, 150),
        male: false,
    };
    let mut p = Patient::new(3, who.birth, Window::years_to(until, cfg.years));
    p.periods = household(&who, "03", who.birth, until);
    for back in 0..cfg.years.min(60) {
        let episodes = rng.random_range(2u8..=4);
        for _ in 0..episodes {
            let date = day_in_year(until, back, rng);
            let age = f64::from(super::calendar::age_on(who.birth, date));
            // Doses by body weight, roughly 2 x age + 8 kg.
            let kg = 2.0 * age + 8.0;
            let g = |per_kg: f64| (per_kg * kg * 10.0).round() / 10.0;
            let lines = match rng.random_range(0u8..4) {
                0 => vec![(&CEFCAPENE_FG, Qty::PerDay(g(0.09)), 5)],
                1 => vec![
                    (&AMOXICILLIN_FG, Qty::PerDay(g(0.2)), 7),
                    (&CARBOCISTEINE_DS, Qty::PerDay(g(0.06)), 7),
                ],
                2 => vec![(
                    &OLOPATADINE_DS,
                    Qty::PerDay(if age >= 7.0 { 2.0 } else { 1.0 }),
                    28,
                )],
                _ => vec![(&HEPARINOID, Qty::Fixed(50.0), 14)],
            };
            let visit_yen = if age < 6.0 { 6_800 } else { 5_400 };
            p.courses.push(Rx {
                date,
                prescriber: &SUKOYAKA_PEDS,
                dispenser: &MINATO_AOBADAI,
                visit_yen,
                lines,
            });
        }
        let date = day_in_year(until, back, rng);
        p.visits
            .push(Encounter::visit(date, &AOBADAI_DENTAL, 4_100));
    }
    p
}
