//! Yearly checkups: a health profile of slowly drifting values, one exam per fiscal year, results
//! under their 17-digit item codes and a questionnaire that agrees with the dispensed drugs.

use super::calendar::{
    add_days, add_months, fiscal_year, fiscal_year_start, open_on_or_after, open_on_or_before,
};
use super::drugs::{Drug, treats_blood_pressure, treats_glucose, treats_lipids};
use super::institutions::Inst;
use super::patient::{Patient, Rx};
use crate::domain::checkup::{Ages, CheckupKind};
use crate::feed::rows::CheckupRow;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

pub const HEIGHT: &str = "9N001000000000001";
pub const WEIGHT: &str = "9N006000000000001";
pub const BMI: &str = "9N011000000000001";
pub const WAIST: &str = "9N016160100000001";
pub const SYSTOLIC: &str = "9A751000000000001";
pub const DIASTOLIC: &str = "9A761000000000001";
pub const TRIGLYCERIDES: &str = "3F015000002327101";
pub const HDL: &str = "3F070000002327101";
pub const LDL: &str = "3F077000002327101";
pub const FASTING_GLUCOSE: &str = "3D010000001926101";
pub const HBA1C: &str = "3D046000001906202";
pub const AST: &str = "3B035000002327201";
pub const ALT: &str = "3B045000002327201";
pub const GAMMA_GT: &str = "3B090000002327101";
pub const EGFR: &str = "8A065000002391901";
pub const URINE_GLUCOSE: &str = "1A020000000191111";
pub const URINE_PROTEIN: &str = "1A010000000190111";

/// A value over the years, by `k`, the number of checkups before the latest one.
#[derive(Debug, Clone, Copy)]
pub enum Track {
    /// `now` at the latest checkup, `per_year` less for each year back.
    Linear { now: f64, per_year: f64 },
    /// Explicit values, latest first; years further back repeat the oldest.
    Steps(&'static [f64]),
}

impl Track {
    /// `now` at the latest checkup, changing by `per_year` each year.
    pub const fn linear(now: f64, per_year: f64) -> Self {
        Track::Linear { now, per_year }
    }

    pub const fn flat(v: f64) -> Self {
        Track::Linear {
            now: v,
            per_year: 0.0,
        }
    }

    pub fn at(&self, k: u32) -> f64 {
        match self {
            Track::Linear { now, per_year } => now - per_year * f64::from(k),
            Track::Steps(v) => v.get(k as usize).or(v.last()).copied().unwrap_or_default(),
        }
    }
}

/// What a patient's checkups show; values before noise.
pub struct Health {
    pub site: &'static Inst,
    /// The latest checkup is about this many months before `until`.
    pub months_before: i32,
    pub height: f64,
    pub weight: Track,
    pub waist: Track,
    pub systolic: Track,
    pub diastolic: Track,
    pub triglycerides: Track,
    pub hdl: Track,
    pub ldl: Track,
    pub hba1c: Track,
    pub ast: Track,
    pub alt: Track,
    pub gamma_gt: Track,
    pub egfr: Track,
    /// 0 "-", 1 "±", 2 "+", 3 "++".
    pub proteinuria: Track,
    pub smoker: bool,
    /// Chance of attending in a year other than the latest.
    pub attendance: f64,
}

impl Health {
    /// A healthy middle-aged adult; personas override what their story needs.
    pub fn new(site: &'static Inst, months_before: i32, height: f64, weight: f64) -> Self {
        Self {
            site,
            months_before,
            height,
            weight: Track::flat(weight),
            waist: Track::flat(80.0),
            systolic: Track::flat(122.0),
            diastolic: Track::flat(76.0),
            triglycerides: Track::flat(110.0),
            hdl: Track::flat(58.0),
            ldl: Track::flat(118.0),
            hba1c: Track::flat(5.5),
            ast: Track::flat(22.0),
            alt: Track::flat(20.0),
            gamma_gt: Track::flat(28.0),
            egfr: Track::flat(78.0),
            proteinuria: Track::flat(0.0),
            smoker: false,
            attendance: 1.0,
        }
    }
}

/// Roughly uniform noise in ±`spread`, a sum of uniforms for a bell shape without transcendental
/// functions (whose last bits may differ between platforms).
fn noise(rng: &mut ChaCha8Rng, spread: f64) -> f64 {
    let s: f64 = (0..3).map(|_| rng.random::<f64>()).sum();
    (s / 3.0 * 2.0 - 1.0) * spread
}

fn on_drug(rxs: &[Rx], on: chrono::NaiveDate, class: fn(&Drug) -> bool) -> bool {
    let since = add_days(on, -120);
    rxs.iter()
        .filter(|rx| since <= rx.date && rx.date <= on)
        .any(|rx| rx.lines.iter().any(|l| class(l.0)))
}

const GRADES: [&str; 4] = ["-", "±", "+", "++"];

pub fn rows(p: &Patient, rxs: &[Rx], rng: &mut ChaCha8Rng) -> Vec<CheckupRow> {
    let Some(h) = &p.health else {
        return Vec::new();
    };
    let target = add_months(p.window.until, -h.months_before);
    let Some(fy_start) = fiscal_year_start(fiscal_year(target)) else {
        return Vec::new();
    };
    // The same day of the fiscal year every year, kept clear of the year's end.
    let offset = (target - fy_start).num_days().clamp(0, 350);
    let mut out = Vec::new();
    for k in 0..=60u32 {
        let fy = fiscal_year(target) - k as i32;
        let Some(start) = fiscal_year_start(fy) else {
            break;
        };
        let planned = add_days(start, offset);
        let mut on = open_on_or_after(planned);
        if fiscal_year(on) != fy {
            on = open_on_or_before(planned);
        }
        if on < p.window.start {
            break;
        }
        let attends = k == 0 || rng.random_bool(h.attendance.clamp(0.0, 1.0));
        let kind = match CheckupKind::for_ages(Ages::of(p.birth, on)) {
            Some(CheckupKind::Specific) => "specific",
            Some(CheckupKind::LaterElderly) => "later_elderly",
            None => continue,
        };
        let Some(cov) = p.coverage_on(on) else {
            continue;
        };
        // Insurers run checkups for the insured; welfare recipients go to the city's instead.
        if !attends || on > p.window.until || cov.coverage_kind == "welfare_aid" {
            continue;
        }
        let fasting = rng.random_bool(0.85);
        out.push(CheckupRow {
            record_id: format!("HC-{:04}-{fy}", p.index),
            member: super::identity::member_of(cov),
            examined_on: on,
            kind: kind.into(),
            institution_code: h.site.code(),
            fasting,
            on_bp_medication: on_drug(rxs, on, treats_blood_pressure),
            on_glucose_medication: on_drug(rxs, on, treats_glucose),
            on_lipid_medication: on_drug(rxs, on, treats_lipids),
            smoker: h.smoker,
            results: results(h, k, fasting, rng),
        });
    }
    out.reverse();
    out
}

fn results(h: &Health, k: u32, fasting: bool, rng: &mut ChaCha8Rng) -> BTreeMap<String, String> {
    let one = |x: f64| format!("{:.1}", x);
    let int = |x: f64| format!("{}", x.round().max(0.0) as i64);
    let height = (h.height * 10.0).round() / 10.0;
    let weight = ((h.weight.at(k) + noise(rng, 0.6)) * 10.0).round() / 10.0;
    let metres = height / 100.0;
    let hba1c = ((h.hba1c.at(k) + noise(rng, 0.05)) * 10.0).round() / 10.0;
    let mut r = BTreeMap::new();
    let mut put = |code: &str, v: String| {
        r.insert(code.to_string(), v);
    };
    put(HEIGHT, one(height));
    put(WEIGHT, one(weight));
    put(BMI, one(weight / (metres * metres)));
    put(WAIST, one(h.waist.at(k) + noise(rng, 0.8)));
    put(SYSTOLIC, int(h.systolic.at(k) + noise(rng, 6.0)));
    put(DIASTOLIC, int(h.diastolic.at(k) + noise(rng, 4.0)));
    put(
        TRIGLYCERIDES,
        int(h.triglycerides.at(k) * (1.0 + noise(rng, 0.12))),
    );
    put(HDL, int(h.hdl.at(k) + noise(rng, 3.0)));
    put(LDL, int(h.ldl.at(k) + noise(rng, 8.0)));
    if fasting {
        // Fasting glucose tracks HbA1c: about 90 at 5.4%, 114 at 6.6%.
        put(FASTING_GLUCOSE, int(20.0 * hba1c - 18.0 + noise(rng, 5.0)));
    }
    put(HBA1C, one(hba1c));
    put(AST, int(h.ast.at(k) + noise(rng, 3.0)));
    put(ALT, int(h.alt.at(k) + noise(rng, 3.0)));
    put(GAMMA_GT, int(h.gamma_gt.at(k) * (1.0 + noise(rng, 0.1))));
    put(EGFR, one(h.egfr.at(k) + noise(rng, 2.0)));
    let sugar = if hba1c >= 8.0 {
        2
    } else {
        usize::from(hba1c >= 7.2)
    };
    put(URINE_GLUCOSE, GRADES[sugar].into());
    let protein = h.proteinuria.at(k).round().clamp(0.0, 3.0) as usize;
    put(
        URINE_PROTEIN,
        GRADES.get(protein).copied().unwrap_or("-").into(),
    );
    r
}
