//! "This record is not mine": a patient reports a record linked to them by mistake (a national
//! scandal in 2023). The record is marked disputed at once and leaves every chart, total and
//! export; an operator then upholds the report (it stays out) or rejects it (it comes back).

use crate::error::PortalError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The report form's post, to `/report` (carried out by `server::forms`).
#[cfg(feature = "ssr")]
pub mod report_form;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Medication,
    Checkup,
    CostNotice,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Medication => "medication",
            Self::Checkup => "checkup",
            Self::CostNotice => "cost_notice",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Medication, Self::Checkup, Self::CostNotice]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// The page the record is shown on, where the patient returns after reporting.
    pub fn page(self) -> &'static str {
        match self {
            Self::Medication => "/medications",
            Self::Checkup => "/checkups",
            Self::CostNotice => "/costs",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeReason {
    /// The record is someone else's.
    NotMe,
    /// The patient never went to this institution.
    NeverVisited,
    /// The visit happened, but the content is wrong.
    WrongContent,
}

impl DisputeReason {
    pub const ALL: [Self; 3] = [Self::NotMe, Self::NeverVisited, Self::WrongContent];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotMe => "not_me",
            Self::NeverVisited => "never_visited",
            Self::WrongContent => "wrong_content",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeStatus {
    Open,
    Upheld,
    Rejected,
}

impl DisputeStatus {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(Self::Open),
            "upheld" => Some(Self::Upheld),
            "rejected" => Some(Self::Rejected),
            _ => None,
        }
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
    crate::viewer::with_status(
        async move {
            let (state, patient) = crate::viewer::require_patient().await?;
            let kind = RecordKind::parse(&kind).ok_or(PortalError::NotFound)?;
            let id: i64 = id.trim().parse().map_err(|_| PortalError::NotFound)?;
            let internal = |e: crate::storage::StorageError| crate::viewer::internal(&e);
            let summary = crate::storage::disputes::summary(&state.db, patient, kind, id)
                .await
                .map_err(internal)?
                .ok_or(PortalError::NotFound)?;
            let reported = crate::storage::disputes::for_patient(&state.db, patient)
                .await
                .map_err(internal)?
                .iter()
                .any(|d| d.record_kind == kind.as_str() && d.record_id == id);
            Ok(ReportTarget {
                kind,
                id,
                summary,
                reported,
            })
        }
        .await,
    )
}

#[server(endpoint = "records/disputes", input = server_fn::codec::Json, output = crate::wire::JsonText)]
pub async fn load_disputes(kind: RecordKind) -> Result<Vec<DisputeView>, PortalError> {
    crate::viewer::with_status(
        async move {
            let rows =
                crate::viewer::cached_records("disputes", String::new(), async |state, patient| {
                    crate::storage::disputes::for_patient(&state.db, patient)
                        .await
                        .map_err(|e| crate::viewer::internal(&e))
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
        .await,
    )
}
