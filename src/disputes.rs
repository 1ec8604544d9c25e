//! "This record is not mine": a patient reports a record linked to them by mistake (a national
//! scandal in 2023). The record is marked disputed at once and leaves every chart, total and
//! export; an operator then upholds the report (it stays out) or rejects it (it comes back).

use crate::error::PortalError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The report form's post, to `/report` (carried out by `server::forms`).
#[cfg(feature = "ssr")]
pub mod report_form;

pub use crate::domain::dispute::{DisputeReason, DisputeStatus, RecordKind};

/// The page a record is shown on, where the patient returns after reporting it.
pub fn page_of(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Medication => "/medications",
        RecordKind::Checkup => "/checkups",
        RecordKind::CostNotice => "/costs",
    }
}

/// A note is optional and short: the operator calls the patient for details.
pub const NOTE_MAX_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisputeView {
    pub kind: RecordKind,
    pub summary: String,
    pub reason: DisputeReason,
    pub status: DisputeStatus,
    pub reported_at: chrono::DateTime<chrono::Utc>,
    pub resolved_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// What the report form shows about the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportTarget {
    pub kind: RecordKind,
    pub id: i64,
    pub summary: String,
    /// Already reported: the form is not offered again.
    pub reported: bool,
}

#[server(endpoint = "records/report_target", input = server_fn::codec::Json, output = crate::wire::JsonText)]
pub async fn load_report_target(kind: String, id: String) -> Result<ReportTarget, PortalError> {
    use crate::error::ServerError;
    let (state, patient) = crate::viewer::require_patient().await?;
    let kind = RecordKind::parse(&kind).ok_or(ServerError::NotFound)?;
    let id: i64 = id.trim().parse().map_err(|_| ServerError::NotFound)?;
    let summary = crate::storage::disputes::summary(&state.db, patient, kind, id)
        .await?
        .ok_or(ServerError::NotFound)?;
    let reported = crate::storage::disputes::for_patient(&state.db, patient)
        .await?
        .iter()
        .any(|d| d.record_kind == kind.as_str() && d.record_id == id);
    Ok(ReportTarget {
        kind,
        id,
        summary,
        reported,
    })
}

#[server(endpoint = "records/disputes", input = server_fn::codec::Json, output = crate::wire::JsonText)]
pub async fn load_disputes(kind: RecordKind) -> Result<Vec<DisputeView>, PortalError> {
    let rows = crate::page_cache::data("disputes", String::new(), async |state, patient| {
        Ok(crate::storage::disputes::for_patient(&state.db, patient).await?)
    })
    .await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.record_kind == kind.as_str())
        .filter_map(|r| {
            Some(DisputeView {
                kind,
                summary: r.record_summary,
                reason: DisputeReason::parse(&r.reason)?,
                status: DisputeStatus::parse(&r.status)?,
                reported_at: r.reported_at,
                resolved_at: r.resolved_at,
            })
        })
        .collect())
}
