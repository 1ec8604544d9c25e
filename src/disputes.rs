//! "This record is not mine": a patient reports a record linked to them by mistake (a national
//! scandal in 2023). The record is marked disputed at once and leaves every chart, total and
//! export; an operator then upholds the report (it stays out) or rejects it (it comes back).

use crate::error::PortalError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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

/// The report form's post (works without JavaScript): on success back to the record's page,
/// on a mistake back to the form with the error and what was typed.
#[server(endpoint = "records/report")]
pub async fn report_record(
    kind: String,
    id: String,
    #[server(default)] reason: String,
    #[server(default)] note: String,
) -> Result<(), PortalError> {
    crate::viewer::with_status(
        async move {
            let (state, login) = crate::viewer::require_login().await?;
            let patient = crate::storage::patients::PatientId(login.patient_id);
            let kind = RecordKind::parse(&kind).ok_or(PortalError::NotFound)?;
            let record_id: i64 = id.trim().parse().map_err(|_| PortalError::NotFound)?;
            let note = crate::domain::normalize::normalize_text(&note);
            let back = |code: &str| {
                let mut url = url::Url::parse("http://x/report").ok();
                if let Some(u) = url.as_mut() {
                    u.query_pairs_mut()
                        .append_pair("kind", kind.as_str())
                        .append_pair("id", &record_id.to_string())
                        .append_pair("error", code)
                        .append_pair("reason", &reason)
                        .append_pair("note", &note);
                }
                let path = url
                    .map(|u| format!("/report?{}", u.query().unwrap_or_default()))
                    .unwrap_or_else(|| "/report".into());
                leptos_axum::redirect(&path);
                Ok(())
            };
            let Some(parsed) = DisputeReason::parse(&reason) else {
                return back("reason_missing");
            };
            if note.chars().count() > NOTE_MAX_CHARS {
                return back("note_too_long");
            }
            // A report takes a record out of every view and download: it needs a card check
            // from the last five minutes, like every change to the patient's data.
            let checked = crate::auth::flows::checked_for(
                &state.db,
                &login,
                crate::auth::api::StepUpFor::ReportRecord,
                state.clock.now(),
            )
            .await
            .map_err(|e| crate::viewer::internal(&e))?;
            if !checked {
                return back("step_up_required");
            }
            match crate::storage::disputes::report(
                &state.db,
                patient,
                kind,
                record_id,
                parsed,
                &note,
                state.clock.now(),
            )
            .await
            {
                Ok(_) | Err(crate::storage::disputes::DisputeError::AlreadyReported) => {
                    leptos_axum::redirect(&format!("{}?reported=1#disputes-heading", kind.page()));
                    Ok(())
                }
                Err(crate::storage::disputes::DisputeError::NotFound) => Err(PortalError::NotFound),
                Err(e) => Err(crate::viewer::internal(&e)),
            }
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
