//! Reports that a record is not the patient's, and their resolution by an operator. The
//! `NOT_DISPUTED_*` conditions are what every reading query for charts, totals and exports
//! adds, so a reported record leaves them all at once.

use super::patients::PatientId;
use super::{BeginWrite, Db, StorageError};
use crate::domain::dispute::{DisputeReason, DisputeStatus, RecordKind};
use crate::on_db;
use chrono::{DateTime, Utc};

/// Appends a step inside the caller's transaction.
macro_rules! step {
    ($tx:expr, $dispute:expr, $at:expr, $actor:expr, $action:expr, $note:expr) => {
        sqlx::query(
            "INSERT INTO record_dispute_steps (dispute_id, occurred_at, actor, action, note)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind($dispute)
        .bind($at)
        .bind($actor)
        .bind($action)
        .bind($note)
        .execute(&mut *$tx)
        .await
    };
}

/// A record stays out while its report is open or upheld; a rejected report brings it back.
pub const NOT_DISPUTED_MEDICATION: &str = "NOT EXISTS (SELECT 1 FROM record_disputes d
    WHERE d.record_kind = 'medication' AND d.record_id = m.id AND d.status <> 'rejected')";
pub const NOT_DISPUTED_CHECKUP: &str = "NOT EXISTS (SELECT 1 FROM record_disputes d
    WHERE d.record_kind = 'checkup' AND d.record_id = c.id AND d.status <> 'rejected')";
pub const NOT_DISPUTED_COST: &str = "NOT EXISTS (SELECT 1 FROM record_disputes d
    WHERE d.record_kind = 'cost_notice' AND d.record_id = n.id AND d.status <> 'rejected')";

#[derive(Debug, thiserror::Error)]
pub enum DisputeError {
    /// No such record among the patient's own (or someone else's: the same answer).
    #[error("no such record")]
    NotFound,
    #[error("this record has already been reported")]
    AlreadyReported,
    #[error("this report is not open")]
    NotOpen,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for DisputeError {
    fn from(e: sqlx::Error) -> Self {
        Self::Storage(e.into())
    }
}

impl DisputeError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "record_not_found",
            Self::AlreadyReported => "already_reported",
            Self::NotOpen => "dispute_not_open",
            Self::Storage(_) => "internal",
        }
    }
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct DisputeRow {
    pub id: i64,
    pub patient_id: i64,
    pub record_kind: String,
    pub record_id: i64,
    pub record_summary: String,
    pub reason: String,
    pub note: String,
    pub status: String,
    pub reported_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StepRow {
    pub occurred_at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub note: String,
}

/// What the patient sees of one of their records, or `None` when it is not theirs.
pub async fn summary(
    db: &Db,
    patient: PatientId,
    kind: RecordKind,
    record_id: i64,
) -> Result<Option<String>, StorageError> {
    let sql = match kind {
        RecordKind::Medication => {
            "SELECT m.dispensed_on || ' ' || m.drug_name || ' ' || m.strength || ' / ' || i.name
             FROM medications m JOIN institutions i ON i.code = m.dispenser_code
             WHERE m.id = $1 AND m.patient_id = $2"
        }
        RecordKind::Checkup => {
            "SELECT c.examined_on || ' ' || i.name FROM checkups c
             JOIN institutions i ON i.code = c.institution_code
             WHERE c.id = $1 AND c.patient_id = $2"
        }
        RecordKind::CostNotice => {
            "SELECT n.care_month || ' ' || i.name || ' ' || CAST(n.total_yen AS TEXT)
             FROM cost_notices n JOIN institutions i ON i.code = n.institution_code
             WHERE n.id = $1 AND n.patient_id = $2"
        }
    };
    Ok(on_db!(db, p => {
        sqlx::query_scalar(sql).bind(record_id).bind(patient.0).fetch_optional(p).await?
    }))
}

/// Records the report and its first step in one transaction.
pub async fn report(
    db: &Db,
    patient: PatientId,
    kind: RecordKind,
    record_id: i64,
    reason: DisputeReason,
    note: &str,
    at: DateTime<Utc>,
) -> Result<i64, DisputeError> {
    let summary = summary(db, patient, kind, record_id)
        .await?
        .ok_or(DisputeError::NotFound)?;
    let id = on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM record_disputes WHERE record_kind = $1 AND record_id = $2",
        )
        .bind(kind.as_str())
        .bind(record_id)
        .fetch_optional(&mut *tx)
        .await?;
        if existing.is_some() {
            return Err(DisputeError::AlreadyReported);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO record_disputes (patient_id, record_kind, record_id, record_summary,
                reason, note, status, reported_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'open', $7) RETURNING id",
        )
        .bind(patient.0)
        .bind(kind.as_str())
        .bind(record_id)
        .bind(&summary)
        .bind(reason.as_str())
        .bind(note)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        step!(tx, id, at, "patient", "reported", note)?;
        tx.commit().await?;
        id
    });
    Ok(id)
}

const COLUMNS: &str =
    "id, patient_id, record_kind, record_id, record_summary, reason, note, status,
    reported_at, resolved_at";

/// The patient's reports, newest first.
pub async fn for_patient(db: &Db, patient: PatientId) -> Result<Vec<DisputeRow>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM record_disputes WHERE patient_id = $1 ORDER BY reported_at DESC, id DESC"
    );
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(patient.0).fetch_all(p).await?))
}

/// Every report an operator has still to decide, oldest first.
pub async fn open(db: &Db) -> Result<Vec<DisputeRow>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM record_disputes WHERE status = 'open' ORDER BY reported_at, id"
    );
    Ok(on_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await?))
}

/// An operator's decision: upheld (the record is not the patient's and stays out) or rejected
/// (it is theirs and comes back).
pub async fn resolve(
    db: &Db,
    dispute: i64,
    status: DisputeStatus,
    note: &str,
    at: DateTime<Utc>,
) -> Result<(), DisputeError> {
    let action = match status {
        DisputeStatus::Upheld => "upheld",
        DisputeStatus::Rejected => "rejected",
        DisputeStatus::Open => return Err(DisputeError::NotOpen),
    };
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE record_disputes SET status = $1, resolved_at = $2 WHERE id = $3 AND status = 'open'",
        )
        .bind(action)
        .bind(at)
        .bind(dispute)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            return Err(DisputeError::NotOpen);
        }
        step!(tx, dispute, at, "operator", action, note)?;
        tx.commit().await?;
    });
    Ok(())
}

/// Every step of one report, oldest first.
pub async fn steps(db: &Db, dispute: i64) -> Result<Vec<StepRow>, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_as(
            "SELECT occurred_at, actor, action, note FROM record_dispute_steps
             WHERE dispute_id = $1 ORDER BY occurred_at, id",
        )
        .bind(dispute)
        .fetch_all(p)
        .await?
    }))
}
