//! Owns the medication timeline: dispensings grouped into one row per drug and, within a row,
//! into episodes of continuous supply.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{DrugCode, MedicationRecord, ReceiptCode, Route};

/// Days without supply allowed between an episode's last covered day and the next dispensing
/// for that dispensing to continue the episode (last covered day 1 Jan: 9 Jan continues, 10 Jan
/// starts a new episode). A week absorbs the usual slack in repeat prescribing: a prescription
/// form may be filled up to 4 days after it is written, and a clinic closed over a weekend or
/// holiday pushes the visit back; a real stop, such as a second antibiotic course weeks later,
/// still shows as a separate bar.
pub const EPISODE_MAX_GAP_DAYS: u16 = 7;

/// What one timeline row stands for. A YJ code is keyed by its ingredient (first 7 characters)
/// so that a brand and its generics, or two strengths, share one row: to the patient it is one
/// medicine. A receipt code carries no ingredient structure, so only the exact code groups.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DrugKey {
    Ingredient(String),
    Receipt(ReceiptCode),
}

impl DrugKey {
    pub fn of(code: &DrugCode) -> Self {
        match code {
            DrugCode::Yj(yj) => Self::Ingredient(yj.ingredient().to_owned()),
            DrugCode::Receipt(receipt) => Self::Receipt(receipt.clone()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Ingredient(ingredient) => ingredient,
            Self::Receipt(receipt) => receipt.as_str(),
        }
    }
}

/// A stretch of continuous supply of one drug: one bar on the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    pub start: NaiveDate,
    /// Last day covered, inclusive.
    pub end: NaiveDate,
    pub dispensings: usize,
    /// Sum of the days dispensed; exceeds the episode's length when refills overlapped.
    pub days_supplied_total: u32,
}

/// One drug on the timeline, its episodes oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrugRow {
    pub key: DrugKey,
    /// Name on the most recent dispensing: the package the patient has in hand now.
    pub drug_name: String,
    /// Route of the most recent dispensing.
    pub route: Route,
    pub episodes: Vec<Episode>,
}

impl DrugRow {
    /// Last day covered by any episode. Episodes never overlap, so it is the last one's end.
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.episodes.last().map(|e| e.end)
    }
}

/// Groups dispensings (any order) into one row per [`DrugKey`], most recent activity (latest
/// covered day) first; rows that end on the same day keep the order of their keys.
pub fn medication_timeline(records: &[MedicationRecord]) -> Vec<DrugRow> {
    let mut by_key: BTreeMap<DrugKey, Vec<&MedicationRecord>> = BTreeMap::new();
    for record in records {
        by_key
            .entry(DrugKey::of(&record.drug_code))
            .or_default()
            .push(record);
    }
    let mut rows: Vec<DrugRow> = by_key
        .into_iter()
        .filter_map(|(key, mut dispensings)| {
            dispensings.sort_by(|a, b| recency(a).cmp(&recency(b)));
            let latest = dispensings.last()?;
            Some(DrugRow {
                key,
                drug_name: latest.drug_name.clone(),
                route: latest.route,
                episodes: episodes_of(&dispensings),
            })
        })
        .collect();
    // Stable sort: equal last days stay in key order from the BTreeMap.
    rows.sort_by_key(|row| Reverse(row.last_day()));
    rows
}

/// `chronological` must be sorted by dispensing date.
fn episodes_of(chronological: &[&MedicationRecord]) -> Vec<Episode> {
    let mut episodes: Vec<Episode> = Vec::new();
    for record in chronological {
        let days = u32::from(supply_days(record));
        match episodes.last_mut() {
            Some(episode) if continues(episode.end, record.dispensed_on) => {
                // An early refill overlaps the running supply. The episode ends at the later
                // of the two ends rather than carrying the leftover days forward: leftovers are
                // often discarded or the dose changed, and a bar should show only dates that a
                // dispensing record itself covers.
                episode.end = episode.end.max(record.last_day());
                episode.dispensings += 1;
                episode.days_supplied_total += days;
            }
            _ => episodes.push(Episode {
                start: record.dispensed_on,
                end: record.last_day(),
                dispensings: 1,
                days_supplied_total: days,
            }),
        }
    }
    episodes
}

fn continues(last_covered: NaiveDate, next_dispensed: NaiveDate) -> bool {
    // Days strictly between the two; negative when the refill came before the supply ran out.
    let uncovered = next_dispensed
        .signed_duration_since(last_covered)
        .num_days()
        - 1;
    uncovered <= i64::from(EPISODE_MAX_GAP_DAYS)
}

/// Days a dispensing covers. A record without days supplied (a one-off or a feed gap) still
/// happened, so it counts as the one day it was dispensed, matching
/// [`MedicationRecord::last_day`].
pub(super) fn supply_days(record: &MedicationRecord) -> u16 {
    record.days_supplied.max(1)
}

/// Orders dispensings oldest to newest; the trailing fields only make ties deterministic.
pub(super) fn recency(record: &MedicationRecord) -> (NaiveDate, NaiveDate, &str, &str) {
    (
        record.dispensed_on,
        record.last_day(),
        record.drug_code.as_str(),
        &record.drug_name,
    )
}

#[cfg(test)]
#[path = "episodes_tests.rs"]
mod tests;
