//! Which patient a link-key number is: the six fixed personas first, seeded patients after;
//! plus personas 4 (welfare medical aid) and 5 (insured, no records yet).

use super::DemoConfig;
use super::calendar::{Window, add_days, add_months, born, first_of_month, open_on_or_after};
use super::drugs::*;
use super::identity::Identity;
use super::institutions::{SAKURA_SHINJUKU, SHINJUKU_DENTAL, SHINJUKU_IM};
use super::insurers::{insurer6, recipient, welfare_payer};
use super::patient::{Encounter, Line, Patient, Plan, Qty, Rx};
use super::{elderly, extras, family};
use chrono::NaiveDate;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The patient with 1-based `index`; `rng` is that patient's own stream.
pub fn patient(index: usize, cfg: &DemoConfig, rng: &mut ChaCha8Rng) -> Patient {
    match index {
        1 => family::persona1(cfg, rng),
        2 => elderly::persona2(cfg, rng),
        3 => family::persona3(cfg, rng),
        4 => persona4(cfg, rng),
        5 => persona5(cfg),
        6 => elderly::persona6(cfg, rng),
        _ => extras::patient(index, cfg, rng),
    }
}

/// The welfare office's medical-aid ticket names the institutions; all care happens there.
pub const WELFARE_SITES: [&super::institutions::Inst; 3] =
    [&SHINJUKU_IM, &SAKURA_SHINJUKU, &SHINJUKU_DENTAL];

fn persona4(cfg: &DemoConfig, rng: &mut ChaCha8Rng) -> Patient {
    let until = cfg.until;
    let who = Identity {
        link_key: "DEMO-0004".into(),
        name: "山本 誠".into(),
        kana: "ヤマモト マコト".into(),
        birth: born(until, 55, 80),
        male: true,
    };
    let mut p = Patient::new(4, who.birth, Window::years_to(until, cfg.years));
    let aid_from = first_of_month(add_months(until, -12 * 6 - 3));
    p.periods = vec![who.welfare(
        "新宿区福祉事務所",
        (&welfare_payer("13", "104"), &recipient("031876")),
        &WELFARE_SITES,
        (aid_from, None),
    )];
    // Generic drugs only: medical aid prescribes generics in principle.
    p.plans.push(Plan {
        prescriber: &SHINJUKU_IM,
        dispenser: &SAKURA_SHINJUKU,
        from: add_days(aid_from, i64::from(rng.random_range(3u8..20))),
        to: NaiveDate::MAX,
        every: (28, 35),
        visit_yen: 3_900,
        lines: vec![
            Line::new(&AMLODIPINE, Qty::PerDay(1.0)),
            Line::new(&VILDAGLIPTIN, Qty::PerDay(2.0)),
            Line::new(&REBAMIPIDE, Qty::PerDay(3.0)),
            Line::new(&LOXOPROFEN_TAPE, Qty::Topical(2.0)),
        ],
    });
    for back in 0..cfg.years.min(60) {
        let year = add_months(until, -12 * (back as i32 + 1));
        // Back pain flares: painkillers to take when needed.
        let flare = open_on_or_after(add_days(year, i64::from(rng.random_range(0u16..360))));
        p.courses.push(Rx {
            date: flare,
            prescriber: &SHINJUKU_IM,
            dispenser: &SAKURA_SHINJUKU,
            visit_yen: 3_300,
            lines: vec![(&LOXOPROFEN, Qty::AsNeeded(10), 10)],
        });
        // A run of dental visits most years.
        if rng.random_bool(0.6) {
            let first = add_days(year, i64::from(rng.random_range(0u16..330)));
            for visit in 0..rng.random_range(2i64..=5) {
                let yen = i64::from(rng.random_range(250u16..=900)) * 10;
                let date = open_on_or_after(add_days(first, 7 * visit));
                p.visits.push(Encounter::visit(date, &SHINJUKU_DENTAL, yen));
            }
        }
    }
    p
}

fn persona5(cfg: &DemoConfig) -> Patient {
    let until = cfg.until;
    let who = Identity {
        link_key: "DEMO-0005".into(),
        name: "小林 美咲".into(),
        kana: "コバヤシ ミサキ".into(),
        birth: born(until, 32, 210),
        male: false,
    };
    let mut p = Patient::new(5, who.birth, Window::years_to(until, cfg.years));
    // Became self-employed eight months ago and has not needed care since.
    p.periods = vec![who.insured(
        "national",
        ("世田谷区", &insurer6("13", "112")),
        (Some("0312"), "77120", Some("00")),
        Some("ウ"),
        (first_of_month(add_months(until, -8)), None),
    )];
    p
}
