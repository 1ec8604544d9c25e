//! Reports about access-log entries ("this wasn't me", "I don't know this institution") and
//! their review by an operator. A report names an entry of the patient's own log; the entry is
//! never changed. Every step is kept (the steps table is append-only on both engines, and a
//! report is decided once).

use super::patients::PatientId;
use super::{BeginWrite, Db, StorageError};
use crate::domain::access_report::{Concern, ReportStatus};
use crate::on_db;
use chrono::{DateTime, Utc};

/// Appends a step inside the caller's transaction.
macro_rules! step {
    ($tx:expr, $report:expr, $at:expr, $actor:expr, $action:expr, $note:expr) => {
        sqlx::query(
            "INSERT INTO access_report_steps (report_id, occurred_at, actor, action, note)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind($report)
        .bind($at)
        .bind($actor)
        .bind($action)
        .bind($note)
        .execute(&mut *$tx)
        .await
    };
}

#[derive(Debug, thiserror::Error)]
pub enum AccessReportError {
    /// No such entry in the patient's own log (or someone else's: the same answer).
    #[error("no such log entry")]
    NotFound,
    #[error("this entry has already been reported")]
    AlreadyReported,
    #[error("this report is not open")]
    NotOpen,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for AccessReportError {
    fn from(e: sqlx::Error) -> Self {
        Self::Storage(e.into())
    }
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
struct Row {
    id: i64,
    patient_id: i64,
    entry_id: i64,
    concern: String,
    note: String,
    status: String,
    reported_at: DateTime<Utc>,
    resolved_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, patient_id, entry_id, concern, note, status, reported_at, resolved_at";

/// One report as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub id: i64,
    pub patient: PatientId,
    pub entry_id: i64,
    pub concern: Concern,
    pub note: String,
    pub status: ReportStatus,
    pub reported_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

impl TryFrom<Row> for Report {
    type Error = StorageError;

    fn try_from(r: Row) -> Result<Self, StorageError> {
        let corrupt = |what: &str| StorageError::Corrupt(format!("access report {}: {what}", r.id));
        Ok(Self {
            id: r.id,
            patient: PatientId(r.patient_id),
            entry_id: r.entry_id,
            concern: Concern::parse(&r.concern).ok_or_else(|| corrupt("concern"))?,
            note: r.note,
            status: ReportStatus::parse(&r.status).ok_or_else(|| corrupt("status"))?,
            reported_at: r.reported_at,
            resolved_at: r.resolved_at,
        })
    }
}

fn reports(rows: Vec<Row>) -> Result<Vec<Report>, StorageError> {
    rows.into_iter().map(Report::try_from).collect()
}

/// Records the report and its first step in one transaction. The entry must be in the
/// patient's own log.
pub async fn report(
    db: &Db,
    patient: PatientId,
    entry: i64,
    concern: Concern,
    note: &str,
    at: DateTime<Utc>,
) -> Result<i64, AccessReportError> {
    let id = on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let own: Option<i64> =
            sqlx::query_scalar("SELECT id FROM access_log WHERE id = $1 AND patient_id = $2")
                .bind(entry)
                .bind(patient.0)
                .fetch_optional(&mut *tx)
                .await?;
        if own.is_none() {
            return Err(AccessReportError::NotFound);
        }
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM access_reports WHERE entry_id = $1")
                .bind(entry)
                .fetch_optional(&mut *tx)
                .await?;
        if existing.is_some() {
            return Err(AccessReportError::AlreadyReported);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO access_reports (patient_id, entry_id, concern, note, status, reported_at)
             VALUES ($1, $2, $3, $4, 'open', $5) RETURNING id",
        )
        .bind(patient.0)
        .bind(entry)
        .bind(concern.as_str())
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

/// The patient's reports, newest first.
pub async fn of_patient(db: &Db, patient: PatientId) -> Result<Vec<Report>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM access_reports WHERE patient_id = $1
         ORDER BY reported_at DESC, id DESC"
    );
    reports(on_db!(db, p => sqlx::query_as(&sql).bind(patient.0).fetch_all(p).await?))
}

/// One report, for the operators.
pub async fn one(db: &Db, id: i64) -> Result<Option<Report>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM access_reports WHERE id = $1");
    let row: Option<Row> = on_db!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
    row.map(Report::try_from).transpose()
}

/// Every report an operator has still to decide, oldest first.
pub async fn open(db: &Db) -> Result<Vec<Report>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM access_reports WHERE status = 'open' ORDER BY reported_at, id"
    );
    reports(on_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await?))
}

/// An operator's decision, once: confirmed (the access was not the patient's or not allowed)
/// or explained (it was legitimate).
pub async fn resolve(
    db: &Db,
    report: i64,
    status: ReportStatus,
    note: &str,
    at: DateTime<Utc>,
) -> Result<(), AccessReportError> {
    if status == ReportStatus::Open {
        return Err(AccessReportError::NotOpen);
    }
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE access_reports SET status = $1, resolved_at = $2
             WHERE id = $3 AND status = 'open'",
        )
        .bind(status.as_str())
        .bind(at)
        .bind(report)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            return Err(AccessReportError::NotOpen);
        }
        step!(tx, report, at, "operator", status.as_str(), note)?;
        tx.commit().await?;
    });
    Ok(())
}

/// One step of a report's review.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Step {
    pub occurred_at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub note: String,
}

/// Every step of one report, oldest first.
pub async fn steps(db: &Db, report: i64) -> Result<Vec<Step>, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_as(
            "SELECT occurred_at, actor, action, note FROM access_report_steps
             WHERE report_id = $1 ORDER BY occurred_at, id",
        )
        .bind(report)
        .fetch_all(p)
        .await?
    }))
}
