//! Owns duplicate-medication hints: the same ingredient or therapeutic class prescribed by two
//! institutions for overlapping days, worded as something to ask about, never as a diagnosis.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::episodes::{DrugKey, recency, supply_days};
use super::{DrugCode, MedicationRecord};
use crate::domain::institution::InstitutionCode;

/// Overlap, in days, that is always read as an early refill rather than a duplicate. When a
/// patient moves from one doctor to another, the first prescription from the new one is often
/// filled while a week of the old supply is left.
pub const EARLY_REFILL_MIN_DAYS: u16 = 7;

/// Share of the shorter supply, in percent, that is also read as an early refill. Long supplies
/// are refilled further ahead (before travel, or at a 90-day visit booked early), so a fixed
/// week would flag most 90-day switches; 20% of 90 days is 18.
pub const EARLY_REFILL_SHARE_PERCENT: u16 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateKind {
    /// Same YJ ingredient (first 7 characters), or the same receipt code.
    SameIngredient,
    /// Same YJ therapeutic class (first 4 characters), different ingredient.
    SameClass,
}

impl DuplicateKind {
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::SameIngredient => "同じ成分の薬",
            Self::SameClass => "同じ種類の薬",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::SameIngredient => "Same ingredient",
            Self::SameClass => "Same kind of medicine",
        }
    }

    /// Plain words for the patient. Taking both may well be intended, so the text states what
    /// the records show and suggests a question; it never says anything is wrong.
    pub fn explanation_ja(self) -> &'static str {
        match self {
            Self::SameIngredient => {
                "同じ成分の薬が、別々の医療機関から同じ時期に出ています。\
                 両方を飲む必要があるか、医師か薬剤師に確認してみてください。"
            }
            Self::SameClass => {
                "同じ種類（薬効分類）の薬が、別々の医療機関から同じ時期に出ています。\
                 一緒に飲むことを両方の医療機関が知っているか、医師か薬剤師に確認してみてください。"
            }
        }
    }

    pub fn explanation_en(self) -> &'static str {
        match self {
            Self::SameIngredient => {
                "Medicines with the same active ingredient came from two different \
                 institutions for the same days. Ask your doctor or pharmacist whether you \
                 need both."
            }
            Self::SameClass => {
                "Medicines of the same kind (therapeutic class) came from two different \
                 institutions for the same days. Ask your doctor or pharmacist whether both \
                 institutions know you take them together."
            }
        }
    }
}

/// One side of a hint: the dispensings of one drug from one institution within the overlap.
/// Name, code and institutions are from the latest of them; the period spans all of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispensingSummary {
    pub drug_name: String,
    pub drug_code: DrugCode,
    pub dispenser: InstitutionCode,
    pub prescriber: Option<InstitutionCode>,
    pub start: NaiveDate,
    /// Inclusive.
    pub end: NaiveDate,
}

/// `a` is the side whose period started first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateHint {
    pub kind: DuplicateKind,
    pub a: DispensingSummary,
    pub b: DispensingSummary,
    pub overlap_start: NaiveDate,
    /// Inclusive.
    pub overlap_end: NaiveDate,
}

/// Overlap, in days, up to which two dispensings are an early refill: the larger of
/// [`EARLY_REFILL_MIN_DAYS`] and [`EARLY_REFILL_SHARE_PERCENT`] of the shorter supply (rounded
/// down). The larger, because the smaller would leave a 14-day supply under 3 days of slack.
pub fn early_refill_tolerance_days(shorter_supply: u16) -> u32 {
    let share = u32::from(shorter_supply) * u32::from(EARLY_REFILL_SHARE_PERCENT) / 100;
    share.max(u32::from(EARLY_REFILL_MIN_DAYS))
}

/// Hints for dispensings (any order) of the same ingredient, or else the same class, ordered by
/// two different institutions for overlapping days beyond the early-refill tolerance, most
/// recent overlap first. A pair of (drug, institution) sides is reported once per run of
/// back-to-back overlapping days, so months of parallel prescribing make one hint.
pub fn duplicate_hints(records: &[MedicationRecord]) -> Vec<DuplicateHint> {
    let mut chronological: Vec<&MedicationRecord> = records.iter().collect();
    chronological.sort_by(|a, b| recency(a).cmp(&recency(b)));
    let mut groups: BTreeMap<(DuplicateKind, Side, Side), Vec<PairOverlap>> = BTreeMap::new();
    for (i, &earlier) in chronological.iter().enumerate() {
        let earlier_end = earlier.last_day();
        // Sorted by dispensing date: once one starts after `earlier` ends, none later overlaps.
        let later_ones = chronological.iter().skip(i + 1);
        for &later in later_ones.take_while(|r| r.dispensed_on <= earlier_end) {
            let Some(kind) = kind_of(&earlier.drug_code, &later.drug_code) else {
                continue;
            };
            let (x, y) = (side_of(earlier), side_of(later));
            if x.1 == y.1 {
                continue;
            }
            let (start, end) = (later.dispensed_on, earlier_end.min(later.last_day()));
            let days = end.signed_duration_since(start).num_days() + 1;
            let shorter = supply_days(earlier).min(supply_days(later));
            // Each group key lists its sides in order, so A-then-B and B-then-A meet.
            let ((x, first), (y, second)) = if x <= y {
                ((x, earlier), (y, later))
            } else {
                ((y, later), (x, earlier))
            };
            groups.entry((kind, x, y)).or_default().push(PairOverlap {
                start,
                end,
                beyond_tolerance: days > i64::from(early_refill_tolerance_days(shorter)),
                first,
                second,
            });
        }
    }
    let mut hints: Vec<DuplicateHint> = groups
        .into_iter()
        .flat_map(|((kind, _, _), pairs)| hints_of(kind, pairs))
        .collect();
    hints.sort_by_key(|h| Reverse((h.overlap_end, h.overlap_start)));
    hints
}

/// A drug row and the institution that ordered it.
type Side = (DrugKey, InstitutionCode);

struct PairOverlap<'a> {
    start: NaiveDate,
    end: NaiveDate,
    beyond_tolerance: bool,
    first: &'a MedicationRecord,
    second: &'a MedicationRecord,
}

/// Only like codes compare: a YJ code and a receipt code for the same drug share no structure.
fn kind_of(x: &DrugCode, y: &DrugCode) -> Option<DuplicateKind> {
    match (x, y) {
        (DrugCode::Yj(x), DrugCode::Yj(y)) if x.ingredient() == y.ingredient() => {
            Some(DuplicateKind::SameIngredient)
        }
        // A catch-all class groups unrelated drugs: no "same kind" hint from it.
        (DrugCode::Yj(x), DrugCode::Yj(y)) if x.class() == y.class() && !x.class_is_catch_all() => {
            Some(DuplicateKind::SameClass)
        }
        (DrugCode::Receipt(x), DrugCode::Receipt(y)) if x == y => {
            Some(DuplicateKind::SameIngredient)
        }
        _ => None,
    }
}

/// The concern is two doctors each prescribing without knowing of the other, so the institution
/// that matters is the prescriber: one clinic's prescription filled at two pharmacies is not a
/// duplicate. Without a prescriber the record is usually in-house dispensing (院内処方), where
/// the dispenser is the prescriber. A pharmacy record that merely lost its prescriber is then
/// compared as the pharmacy; that can add a hint, which is the safer side for a question.
fn side_of(record: &MedicationRecord) -> Side {
    let institution = record.prescriber.as_ref().unwrap_or(&record.dispenser);
    (DrugKey::of(&record.drug_code), institution.clone())
}

/// Back-to-back overlapping days of one group, and the dispensings on each side.
struct Run<'a> {
    start: NaiveDate,
    end: NaiveDate,
    beyond_tolerance: bool,
    firsts: Vec<&'a MedicationRecord>,
    seconds: Vec<&'a MedicationRecord>,
}

/// Merges one group's pair overlaps into runs of back-to-back days and keeps the runs with at
/// least one pair beyond the tolerance. Pairs within the tolerance still join a run, so the
/// short overlaps between monthly refills do not split months of parallel supply into pieces.
fn hints_of(kind: DuplicateKind, mut pairs: Vec<PairOverlap<'_>>) -> Vec<DuplicateHint> {
    pairs.sort_by_key(|p| (p.start, p.end));
    let mut runs: Vec<Run<'_>> = Vec::new();
    for pair in pairs {
        match runs.last_mut() {
            Some(run) if pair.start.signed_duration_since(run.end).num_days() <= 1 => {
                run.end = run.end.max(pair.end);
                run.beyond_tolerance |= pair.beyond_tolerance;
                run.firsts.push(pair.first);
                run.seconds.push(pair.second);
            }
            _ => runs.push(Run {
                start: pair.start,
                end: pair.end,
                beyond_tolerance: pair.beyond_tolerance,
                firsts: vec![pair.first],
                seconds: vec![pair.second],
            }),
        }
    }
    runs.into_iter()
        .filter(|run| run.beyond_tolerance)
        .filter_map(|run| {
            let first = summary(&run.firsts)?;
            let second = summary(&run.seconds)?;
            let (a, b) = if second.start < first.start {
                (second, first)
            } else {
                (first, second)
            };
            Some(DuplicateHint {
                kind,
                a,
                b,
                overlap_start: run.start,
                overlap_end: run.end,
            })
        })
        .collect()
}

fn summary(records: &[&MedicationRecord]) -> Option<DispensingSummary> {
    let latest = records.iter().max_by(|x, y| recency(x).cmp(&recency(y)))?;
    Some(DispensingSummary {
        drug_name: latest.drug_name.clone(),
        drug_code: latest.drug_code.clone(),
        dispenser: latest.dispenser.clone(),
        prescriber: latest.prescriber.clone(),
        start: records.iter().map(|r| r.dispensed_on).min()?,
        end: records.iter().map(|r| r.last_day()).max()?,
    })
}

#[cfg(test)]
#[path = "duplicates_tests.rs"]
mod tests;
