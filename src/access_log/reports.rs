//! "This wasn't me" and "I don't know this institution": beside every entry of the access log,
//! a report for the operators to review (`portal access-reports`), the way "not my record"
//! reports work. The form names the entry again before anything is sent; the log page lists
//! the patient's reports with where each stands.

use super::EntryView;
use crate::error::PortalError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::access_report::{Concern, NOTE_MAX, ReportStatus};

/// The report form's post, to `/access-log/report` (carried out by `server::forms`).
#[cfg(feature = "ssr")]
pub mod form;

/// What the report form shows: the entry in words, the concerns that fit it, and whether it
/// was reported already (then the form is not offered again).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportTarget {
    pub entry: EntryView,
    pub concerns: Vec<Concern>,
    pub status: Option<ReportStatus>,
}

/// One of the patient's reports, with the entry it is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub entry: EntryView,
    pub concern: Concern,
    pub status: ReportStatus,
    pub reported_at: chrono::DateTime<chrono::Utc>,
    pub resolved_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The entry `id` of the signed-in patient's own log; any other id is "not found".
#[server(endpoint = "access_log/report_target", input = server_fn::codec::Json, output = crate::wire::JsonText)]
pub async fn load_report_target(entry: String) -> Result<ReportTarget, PortalError> {
    use crate::error::ServerError;
    let (state, _, patient) = crate::viewer::require(crate::principal::Act::ReadAccessLog).await?;
    let id: i64 = entry.trim().parse().map_err(|_| ServerError::NotFound)?;
    let logged = crate::storage::access_log::entry_of(&state.db, patient, id)
        .await?
        .ok_or(ServerError::NotFound)?;
    let status = crate::storage::access_reports::of_patient(&state.db, patient)
        .await?
        .into_iter()
        .find(|r| r.entry_id == id)
        .map(|r| r.status);
    let concerns = Concern::for_actor(logged.entry.actor_kind).to_vec();
    Ok(ReportTarget {
        entry: EntryView::from(logged),
        concerns,
        status,
    })
}

/// The patient's reports, newest first, each with its entry in words.
#[cfg(feature = "ssr")]
pub async fn of_patient(
    db: &crate::storage::Db,
    patient: crate::storage::patients::PatientId,
) -> Result<Vec<ReportView>, crate::storage::StorageError> {
    let mut views = Vec::new();
    for r in crate::storage::access_reports::of_patient(db, patient).await? {
        // The entry is the patient's own (the report was checked so) and log entries are never
        // deleted: a missing one is tampering, said as such (verify-log names it).
        let logged = crate::storage::access_log::entry_of(db, patient, r.entry_id)
            .await?
            .ok_or_else(|| {
                crate::storage::StorageError::Corrupt(format!(
                    "access report {}: its log entry {} is missing",
                    r.id, r.entry_id
                ))
            })?;
        views.push(ReportView {
            entry: EntryView::from(logged),
            concern: r.concern,
            status: r.status,
            reported_at: r.reported_at,
            resolved_at: r.resolved_at,
        });
    }
    Ok(views)
}
