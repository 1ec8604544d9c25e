//! Seeded patients after the six personas: ages 20-85 in one of the demo areas, with coverage,
//! chronic conditions, colds, dentists and checkups drawn from the patient's own stream.

use super::DemoConfig;
use super::areas::{AREAS, Area, coverage};
use super::calendar::{Window, add_days, add_months, born, first_of_month};
use super::checkups::{Health, Track};
use super::drugs::*;
use super::identity::Identity;
use super::institutions::{Inst, SHINJUKU_IM};
use super::patient::{Encounter, Line, Patient, Plan, Qty, Rx};
use chrono::NaiveDate;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

// Names as "漢字:カナ" pairs, kept as text so the lists read like lists.
const FAMILY: &str = "佐々木:ササキ 高橋:タカハシ 伊藤:イトウ 渡辺:ワタナベ 中村:ナカムラ 加藤:カトウ \
    吉田:ヨシダ 山田:ヤマダ 松本:マツモト 井上:イノウエ 木村:キムラ 林:ハヤシ 清水:シミズ \
    山口:ヤマグチ 池田:イケダ 石川:イシカワ";
const MALE: &str = "大輔:ダイスケ 翔:ショウ 拓也:タクヤ 浩二:コウジ 隆:タカシ 修:オサム 茂:シゲル \
    健二:ケンジ 悠斗:ユウト 直樹:ナオキ";
const FEMALE: &str = "陽子:ヨウコ 美穂:ミホ 恵子:ケイコ 由美:ユミ 葵:アオイ 千尋:チヒロ 幸子:サチコ \
    節子:セツコ 真由美:マユミ 優子:ユウコ";

/// A uniform index below `n`, drawn as u32 so it is the same on 32- and 64-bit targets.
pub fn index(rng: &mut ChaCha8Rng, n: usize) -> usize {
    let n = u32::try_from(n).unwrap_or(u32::MAX).max(1);
    rng.random_range(0..n) as usize
}

pub fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T], fallback: T) -> T {
    items
        .get(index(rng, items.len()))
        .copied()
        .unwrap_or(fallback)
}

fn name(rng: &mut ChaCha8Rng, list: &'static str) -> (&'static str, &'static str) {
    let pairs: Vec<_> = list
        .split_whitespace()
        .filter_map(|p| p.split_once(':'))
        .collect();
    pick(rng, &pairs, ("山田", "ヤマダ"))
}

pub fn digits(rng: &mut ChaCha8Rng, n: u32) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0u8..10)))
        .collect()
}

fn days(rng: &mut ChaCha8Rng, below: u16) -> i64 {
    i64::from(rng.random_range(0..below.max(1)))
}

pub fn patient(idx: usize, cfg: &DemoConfig, rng: &mut ChaCha8Rng) -> Patient {
    let until = cfg.until;
    let male = rng.random_bool(0.5);
    let age = rng.random_range(20u32..=85);
    let (family, family_kana) = name(rng, FAMILY);
    let (given, given_kana) = name(rng, if male { MALE } else { FEMALE });
    let who = Identity {
        link_key: format!("DEMO-{idx:04}"),
        name: format!("{family} {given}"),
        kana: format!("{family_kana} {given_kana}"),
        birth: born(until, age, days(rng, 365)),
        male,
    };
    let mut p = Patient::new(idx, who.birth, Window::years_to(until, cfg.years));
    let area = AREAS.get(index(rng, AREAS.len())).unwrap_or(&AREAS[0]);
    let doctor = pick(rng, area.doctors, &SHINJUKU_IM);
    let since = first_of_month(add_months(
        p.window.start,
        -12 * rng.random_range(1i32..=10),
    ));
    p.periods = coverage(&who, area, doctor, (since, until), rng);
    care(&mut p, area, doctor, age, rng);
    // Welfare recipients get the city's health check, not an insurer's checkup.
    if p.periods.iter().all(|r| r.coverage_kind != "welfare_aid") {
        p.health = Some(health(doctor, male, age, &p, rng));
    }
    p
}

/// Chronic conditions become lines of one repeating plan, each from its own onset; colds, hay
/// fever and dentists come and go every year.
fn care(p: &mut Patient, area: &Area, doctor: &'static Inst, age: u32, rng: &mut ChaCha8Rng) {
    let dispenser = area.pharmacy.unwrap_or(doctor);
    let earliest = add_months(p.window.start, -60);
    let span = (p.window.until - earliest).num_days().clamp(1, 30_000) as u16;
    let a = f64::from(age);
    let conditions: [(f64, &'static Drug, &'static Drug, Qty); 8] = [
        (
            ((a - 35.0) / 60.0).clamp(0.0, 0.6),
            &AMLODIPINE,
            &TELMISARTAN,
            Qty::PerDay(1.0),
        ),
        (
            ((a - 35.0) / 80.0).clamp(0.0, 0.45),
            &ATORVASTATIN,
            &ROSUVASTATIN,
            Qty::PerDay(1.0),
        ),
        (
            if age >= 40 { 0.15 } else { 0.0 },
            &METFORMIN,
            &METFORMIN,
            Qty::PerDay(2.0),
        ),
        (0.12, &FAMOTIDINE, &LANSOPRAZOLE, Qty::PerDay(1.0)),
        (
            if age >= 60 { 0.15 } else { 0.0 },
            &BROTIZOLAM,
            &BROTIZOLAM,
            Qty::PerDay(1.0),
        ),
        (
            if age >= 70 { 0.25 } else { 0.0 },
            &MAGNESIUM_OXIDE,
            &MAGNESIUM_OXIDE,
            Qty::PerDay(3.0),
        ),
        (
            if age >= 60 { 0.2 } else { 0.0 },
            &LOXOPROFEN_TAPE,
            &LOXOPROFEN_TAPE,
            Qty::Topical(1.0),
        ),
        (0.06, &FEBUXOSTAT, &FEBURIC, Qty::PerDay(1.0)),
    ];
    let mut lines = Vec::new();
    for (chance, one, other, qty) in conditions {
        if rng.random_bool(chance) {
            let drug = if rng.random_bool(0.5) { one } else { other };
            let onset = add_days(earliest, days(rng, span));
            lines.push(Line::new(drug, qty).between(onset, NaiveDate::MAX));
        }
    }
    if let Some(from) = lines.iter().map(|l| l.from).min() {
        p.plans.push(Plan {
            prescriber: doctor,
            dispenser,
            from,
            to: NaiveDate::MAX,
            every: (28, 56),
            visit_yen: 3_700,
            lines,
        });
    }
    for back in 0..years(p) {
        let year = add_months(p.window.until, -12 * (back as i32 + 1));
        let on = |rng: &mut ChaCha8Rng| {
            super::calendar::open_on_or_after(add_days(year, days(rng, 365)))
        };
        let rx = |date, lines| Rx {
            date,
            prescriber: doctor,
            dispenser,
            visit_yen: 3_300,
            lines,
        };
        if rng.random_bool(0.5) {
            let date = on(rng);
            p.courses
                .push(rx(date, vec![(&CALONAL, Qty::AsNeeded(6), 6)]));
        }
        if rng.random_bool(0.25) {
            let date = on(rng);
            p.courses
                .push(rx(date, vec![(&FEXOFENADINE, Qty::PerDay(2.0), 28)]));
        }
        if let Some(dentist) = area.dentist.filter(|_| rng.random_bool(0.5)) {
            let first = on(rng);
            for visit in 0..rng.random_range(1i64..=4) {
                let yen = i64::from(rng.random_range(250u16..=900)) * 10;
                let date = super::calendar::open_on_or_after(add_days(first, 7 * visit));
                p.visits.push(Encounter::visit(date, dentist, yen));
            }
        }
    }
}

fn years(p: &Patient) -> u32 {
    (p.window.until - p.window.start)
        .num_days()
        .clamp(0, 60 * 366) as u32
        / 365
}

/// Values that fit the person's age and conditions; on-medication flags come from the drugs.
fn health(site: &'static Inst, male: bool, age: u32, p: &Patient, rng: &mut ChaCha8Rng) -> Health {
    let a = f64::from(age);
    let height = if male { 158.0 } else { 146.0 } + 0.1 * f64::from(rng.random_range(0u16..=180));
    let bmi = 19.0 + 0.1 * f64::from(rng.random_range(0u16..=90));
    let weight = bmi * height * height / 10_000.0;
    let has = |class: fn(&Drug) -> bool| {
        p.plans
            .iter()
            .flat_map(|pl| &pl.lines)
            .any(|l| class(l.drug))
    };
    let drift = 0.1 * f64::from(rng.random_range(0u8..=6)) - 0.2;
    Health {
        weight: Track::linear(weight, drift),
        waist: Track::linear(62.0 + bmi, drift),
        systolic: Track::flat(if has(treats_blood_pressure) {
            136.0
        } else {
            104.0 + 0.4 * a
        }),
        diastolic: Track::flat(if has(treats_blood_pressure) {
            82.0
        } else {
            66.0 + 0.2 * a
        }),
        ldl: Track::flat(if has(treats_lipids) {
            112.0
        } else {
            100.0 + 0.5 * a
        }),
        hdl: Track::flat(if male { 52.0 } else { 64.0 }),
        hba1c: if has(treats_glucose) {
            Track::linear(7.0, 0.05)
        } else {
            Track::flat(5.2 + 0.01 * a)
        },
        egfr: Track::linear(112.0 - 0.8 * a, -0.8),
        smoker: rng.random_bool(if male { 0.25 } else { 0.08 }),
        attendance: 0.75,
        ..Health::new(site, rng.random_range(1i32..=11), height, weight)
    }
}
