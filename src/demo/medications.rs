//! Turns prescription plans into dated prescriptions, and prescriptions into medication rows and
//! the billable visits (doctor and pharmacy) that the cost notices are summed from.

use super::calendar::{add_days, open_on_or_before};
use super::drugs::{Drug, Form};
use super::patient::{Care, Encounter, Patient, Qty, Rx};
use crate::feed::rows::MedicationRow;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Longest supply a claim may carry.
const MAX_DAYS: u16 = 90;
/// E-prescriptions reach the feed at once; claims for the same weeks arrive later, so only the
/// last weeks are e-prescription rows.
const E_RX_DAYS: i64 = 45;

/// Every prescription of the patient in date order, including those before the record window
/// (the checkup questionnaire looks back at them), up to `until`.
pub fn schedule(p: &Patient, rng: &mut ChaCha8Rng) -> Vec<Rx> {
    let mut out: Vec<Rx> = p.courses.clone();
    for plan in &p.plans {
        let end = plan.to.min(p.window.until);
        let (lo, hi) = (plan.every.0.max(1), plan.every.1.max(plan.every.0.max(1)));
        // Visits follow a nominal calendar; a closed day (Sunday, New Year) brings the visit
        // forward, as patients come before running out, and leaves the calendar alone so
        // supplies never drift.
        let mut nominal = plan.from;
        while nominal <= end {
            let gap = rng.random_range(lo..=hi);
            let date = open_on_or_before(nominal);
            if date > end {
                break;
            }
            let lines: Vec<_> = plan
                .lines
                .iter()
                .filter(|l| l.from <= date && date <= l.to)
                .map(|l| (l.drug, l.qty, days_for(l.qty, gap)))
                .collect();
            if !lines.is_empty() {
                // About one visit in four includes blood tests.
                let labs = if rng.random_bool(0.25) {
                    i64::from(rng.random_range(150u16..=450)) * 10
                } else {
                    0
                };
                out.push(Rx {
                    date,
                    prescriber: plan.prescriber,
                    dispenser: plan.dispenser,
                    visit_yen: plan.visit_yen + labs,
                    lines,
                });
            }
            nominal = add_days(nominal, i64::from(gap));
        }
    }
    // Stable: prescriptions of one day keep their plan order.
    out.sort_by_key(|rx| rx.date);
    out
}

fn days_for(qty: Qty, gap: u16) -> u16 {
    match qty {
        Qty::AsNeeded(times) => times.clamp(1, MAX_DAYS),
        _ => gap.clamp(1, MAX_DAYS),
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// (dose per day, quantity, route) of one line.
fn amounts(drug: &Drug, qty: Qty, days: u16) -> (Option<f64>, f64, &'static str) {
    let route = match drug.form {
        Form::Oral => "oral",
        Form::External => "external",
        Form::Injection => "injection",
    };
    let days = f64::from(days);
    match qty {
        Qty::PerDay(dose) => (Some(dose), round3(dose * days), route),
        Qty::Topical(per_day) => (None, (per_day * days).ceil(), route),
        Qty::Fixed(q) => (None, q, route),
        Qty::AsNeeded(times) => (None, f64::from(times), "as_needed"),
    }
}

/// Drug cost in yen: the NHI price times the quantity, billed in 10-yen points.
fn drug_yen(lines: &[(&Drug, f64)]) -> i64 {
    lines
        .iter()
        .map(|(d, q)| ((d.price * q / 10.0).round() as i64).max(1) * 10)
        .sum()
}

/// The medication rows of the prescriptions inside the record window, and their billable
/// visits. Prescriptions on a day without coverage are left out.
pub fn rows(p: &Patient, rxs: &[Rx], rng: &mut ChaCha8Rng) -> (Vec<MedicationRow>, Vec<Encounter>) {
    let recent = add_days(p.window.until, -E_RX_DAYS);
    let mut meds = Vec::new();
    let mut visits = Vec::new();
    let mut seq = 0usize;
    for rx in rxs.iter().filter(|rx| p.window.contains(rx.date)) {
        let Some(member) = p.member_on(rx.date) else {
            continue;
        };
        let electronic = rx.date > recent && rx.dispenser.e_rx && rng.random_bool(0.7);
        let (prefix, source) = if electronic {
            ("EP", "e_prescription")
        } else {
            ("RX", "insurance_claim")
        };
        let mut priced = Vec::new();
        for &(drug, qty, days) in &rx.lines {
            seq += 1;
            let (dose_per_day, quantity, route) = amounts(drug, qty, days);
            priced.push((drug, quantity));
            meds.push(MedicationRow {
                record_id: format!("{prefix}-{:04}-{seq:06}", p.index),
                member: member.clone(),
                dispensed_on: rx.date,
                dispenser_code: rx.dispenser.code(),
                prescriber_code: Some(rx.prescriber.code()),
                drug_code: drug.yj.into(),
                drug_name: drug.name.into(),
                strength: drug.strength.into(),
                dose_per_day,
                days_supplied: days,
                quantity,
                unit: drug.unit.into(),
                route: route.into(),
                generic: drug.generic,
                source: source.into(),
            });
        }
        let drugs = drug_yen(&priced);
        let longest = rx.lines.iter().map(|l| l.2).max().unwrap_or(0);
        if std::ptr::eq(rx.dispenser, rx.prescriber) {
            // In-house dispensing: the drugs and the dispensing fee are on the doctor's bill.
            visits.push(Encounter::visit(
                rx.date,
                rx.prescriber,
                rx.visit_yen + drugs + 420,
            ));
        } else {
            visits.push(Encounter::visit(rx.date, rx.prescriber, rx.visit_yen + 680));
            // Basic fee, preparation per drug (up to three), management and guidance.
            let preparation = 240 * rx.lines.len().min(3) as i64;
            let management = if longest >= 28 { 600 } else { 450 };
            visits.push(Encounter {
                date: rx.date,
                site: rx.dispenser,
                care: Care::Dispensing,
                yen: 450 + preparation + management + drugs,
            });
        }
    }
    (meds, visits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::drugs::{CEFCAPENE_FG, INSULIN_GLARGINE, LOXOPROFEN, LOXOPROFEN_TAPE};

    #[test]
    fn amounts_follow_the_line_kind() {
        let cases = [
            (&CEFCAPENE_FG, Qty::PerDay(0.9), 5, (Some(0.9), 4.5, "oral")),
            (
                &LOXOPROFEN_TAPE,
                Qty::Topical(1.5),
                28,
                (None, 42.0, "external"),
            ),
            (
                &INSULIN_GLARGINE,
                Qty::Fixed(2.0),
                28,
                (None, 2.0, "injection"),
            ),
            (
                &LOXOPROFEN,
                Qty::AsNeeded(10),
                10,
                (None, 10.0, "as_needed"),
            ),
        ];
        for (drug, qty, days, want) in cases {
            assert_eq!(amounts(drug, qty, days), want, "{}", drug.name);
        }
    }

    #[test]
    fn drug_cost_is_in_ten_yen_points() {
        // 10.1 yen x 28 = 282.8 yen -> 28 points -> 280 yen.
        assert_eq!(drug_yen(&[(&crate::demo::drugs::AMLODIPINE, 28.0)]), 280);
    }
}
