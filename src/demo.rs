//! The deterministic demo-data generator: six fixed personas and any number of seeded patients,
//! written as the five feed files an intermediary would deliver.
//!
//! Determinism: every patient draws from its own ChaCha8 stream (portable across platforms),
//! seeded from the configured seed and the patient's number, so adding patients never changes
//! earlier ones; nothing reads the clock or iterates a hash map.

mod areas;
mod calendar;
mod checkups;
mod costs;
mod drugs;
mod elderly;
mod extras;
mod family;
mod identity;
pub use identity::member_of;
mod institutions;
mod insurers;
mod medications;
mod patient;
mod personas;

#[cfg(test)]
mod elderly_tests;
#[cfg(test)]
mod family_tests;
#[cfg(test)]
mod invariant_tests;
#[cfg(test)]
mod persona_tests;
#[cfg(test)]
mod tests;

use crate::feed::FeedKind;
use crate::feed::rows::{CheckupRow, CostRow, FeedFile, InstitutionRow, MedicationRow, PersonRow};
use chrono::NaiveDate;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoConfig {
    pub seed: u64,
    /// Number of patients; the first six are the fixed personas, in order.
    pub patients: usize,
    /// Years of records up to `until` (the heavy persona 6 always has ten).
    pub years: u32,
    /// The last day any record may fall on.
    pub until: NaiveDate,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemoData {
    pub institutions: Vec<InstitutionRow>,
    pub persons: Vec<PersonRow>,
    pub medications: Vec<MedicationRow>,
    pub checkups: Vec<CheckupRow>,
    pub costs: Vec<CostRow>,
}

/// What each stream of a patient's randomness is for; separate streams keep, say, a change in
/// checkups from shifting every prescription date.
#[derive(Clone, Copy)]
enum Stream {
    Story = 0,
    Schedule = 1,
    Dispensing = 2,
    Checkups = 3,
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn patient_rng(seed: u64, index: usize, stream: Stream) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(splitmix(seed ^ splitmix(index as u64)));
    rng.set_stream(stream as u64);
    rng
}

pub fn generate(cfg: &DemoConfig) -> DemoData {
    let mut data = DemoData {
        institutions: institutions::INSTITUTIONS.iter().map(|i| i.row()).collect(),
        ..DemoData::default()
    };
    for index in 1..=cfg.patients {
        let p = personas::patient(index, cfg, &mut patient_rng(cfg.seed, index, Stream::Story));
        let rxs = medications::schedule(&p, &mut patient_rng(cfg.seed, index, Stream::Schedule));
        let mut dispensing = patient_rng(cfg.seed, index, Stream::Dispensing);
        let (meds, billed) = medications::rows(&p, &rxs, &mut dispensing);
        let mut checkup_rng = patient_rng(cfg.seed, index, Stream::Checkups);
        data.checkups
            .extend(checkups::rows(&p, &rxs, &mut checkup_rng));
        let mut encounters = p.visits.clone();
        encounters.extend(billed);
        data.costs.extend(costs::rows(&p, &encounters));
        data.medications.extend(meds);
        data.persons.extend(p.periods);
    }
    data
}

fn pretty<T: Serialize + Clone>(kind: FeedKind, rows: &[T]) -> serde_json::Result<String> {
    let file = FeedFile {
        kind,
        rows: rows.to_vec(),
    };
    let mut text = serde_json::to_string_pretty(&file)?;
    text.push('\n');
    Ok(text)
}

impl DemoData {
    fn try_files(&self) -> serde_json::Result<Vec<(FeedKind, &'static str, String)>> {
        Ok(vec![
            (
                FeedKind::Institutions,
                "institutions.json",
                pretty(FeedKind::Institutions, &self.institutions)?,
            ),
            (
                FeedKind::Persons,
                "persons.json",
                pretty(FeedKind::Persons, &self.persons)?,
            ),
            (
                FeedKind::Medications,
                "medications.json",
                pretty(FeedKind::Medications, &self.medications)?,
            ),
            (
                FeedKind::Checkups,
                "checkups.json",
                pretty(FeedKind::Checkups, &self.checkups)?,
            ),
            (
                FeedKind::Costs,
                "costs.json",
                pretty(FeedKind::Costs, &self.costs)?,
            ),
        ])
    }

    /// The five feed files in import order (institutions, persons, medications, checkups,
    /// costs): kind, file name and pretty JSON text ending in a newline.
    pub fn files(&self) -> Vec<(FeedKind, &'static str, String)> {
        // Plain rows of strings, numbers and string-keyed maps always serialize.
        self.try_files().unwrap_or_default()
    }

    /// Writes institutions.json, persons.json, medications.json, checkups.json, costs.json
    /// (each a `FeedFile { kind, rows }` pretty JSON + trailing newline) into dir, creating it
    /// if needed; returns paths in import order.
    pub fn write_json(&self, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir)?;
        let files = self.try_files().map_err(std::io::Error::other)?;
        let mut paths = Vec::with_capacity(files.len());
        for (_, name, text) in files {
            let path = dir.join(name);
            std::fs::write(&path, text)?;
            paths.push(path);
        }
        Ok(paths)
    }
}
