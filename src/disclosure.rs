//! What an institution sees of one kind of a patient's data for a visit: the one query behind
//! both the institution API's answer and the consent page's preview, so the patient is shown
//! exactly what will be sent. Records the patient reported as not theirs are never included
//! (the storage reads leave them out), and each kind looks back only as far as the national
//! online qualification system does (`DataKind::lookback_years`).

use crate::domain::checkup::{CheckupKind, CheckupResult};
use crate::domain::consent::{DataKind, window_start};
use crate::domain::cost::CostNotice;
use crate::domain::institution::InstitutionRef;
use crate::domain::medication::MedicationRecord;
use crate::domain::qualification::{CeilingCategory, InsuranceKind};
use crate::domain::source::RecordSource;
use crate::storage::patients::PatientId;
use crate::storage::{Db, StorageError};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Medication {
    pub id: i64,
    #[serde(flatten)]
    pub record: MedicationRecord,
    pub dispenser_name: String,
    pub prescriber_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Checkup {
    pub id: i64,
    pub examined_on: NaiveDate,
    pub fiscal_year: i32,
    pub kind: CheckupKind,
    pub place: InstitutionRef,
    pub results: Vec<CheckupResult>,
    pub source: RecordSource,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostNoticeLine {
    pub id: i64,
    #[serde(flatten)]
    pub notice: CostNotice,
    pub institution_name: String,
}

/// The qualification in force on the visit day, with the ceiling category for high-cost care.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Qualification {
    pub kind: InsuranceKind,
    pub insurer_name: String,
    pub ceiling: Option<CeilingCategory>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// One kind of data as sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Disclosed {
    Medications(Vec<Medication>),
    Checkups(Vec<Checkup>),
    CostNotices(Vec<CostNoticeLine>),
    Qualification(Option<Qualification>),
}

impl Disclosed {
    /// How many records: what the access log and the preview count.
    pub fn count(&self) -> usize {
        match self {
            Self::Medications(v) => v.len(),
            Self::Checkups(v) => v.len(),
            Self::CostNotices(v) => v.len(),
            Self::Qualification(q) => usize::from(q.is_some()),
        }
    }
}

/// The records of `kind` dated from [`window_start`] to the visit day, newest first.
pub async fn records(
    db: &Db,
    patient: PatientId,
    kind: DataKind,
    visit: NaiveDate,
) -> Result<Disclosed, StorageError> {
    let from = window_start(kind, visit);
    let within = |d: NaiveDate| from <= d && d <= visit;
    Ok(match kind {
        DataKind::Medications => Disclosed::Medications(
            crate::storage::medications::between(db, patient, from, visit)
                .await?
                .into_iter()
                .map(|d| Medication {
                    id: d.id,
                    dispenser_name: d.dispenser.name,
                    prescriber_name: d.prescriber.map(|p| p.name),
                    record: d.record,
                })
                .collect(),
        ),
        DataKind::Checkups => {
            let mut all: Vec<Checkup> = crate::storage::checkups::history(db, patient)
                .await?
                .into_iter()
                .filter(|c| within(c.examined_on))
                .map(|c| Checkup {
                    id: c.id,
                    examined_on: c.examined_on,
                    fiscal_year: c.fiscal_year,
                    kind: c.kind,
                    place: c.place,
                    results: c.results,
                    source: c.source,
                })
                .collect();
            all.reverse();
            Disclosed::Checkups(all)
        }
        // The months of care that begin inside the window, up to the visit's month.
        DataKind::CostNotices => Disclosed::CostNotices(
            crate::storage::costs::between(db, patient, first_month_from(from), visit)
                .await?
                .into_iter()
                .map(|n| CostNoticeLine {
                    id: n.id,
                    institution_name: n.institution.name,
                    notice: n.notice,
                })
                .collect(),
        ),
        DataKind::Qualification => Disclosed::Qualification(
            crate::storage::coverages::current(db, patient, visit)
                .await?
                .map(|c| Qualification {
                    kind: c.kind,
                    insurer_name: c.insurer_name,
                    ceiling: c.ceiling,
                    valid_from: c.valid_from,
                    valid_to: c.valid_to,
                }),
        ),
    })
}

/// The first day of the first month that begins on or after `day`.
fn first_month_from(day: NaiveDate) -> NaiveDate {
    if day.day() == 1 {
        return day;
    }
    day.with_day(1)
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
        .unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::first_month_from;
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn a_month_counts_when_it_begins_inside_the_window() {
        assert_eq!(first_month_from(day(2023, 11, 1)), day(2023, 11, 1));
        assert_eq!(first_month_from(day(2023, 11, 20)), day(2023, 12, 1));
        assert_eq!(first_month_from(day(2023, 12, 31)), day(2024, 1, 1));
    }
}
