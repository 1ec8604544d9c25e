//! Notices in the database: raised inside the transaction of what they announce (a first read
//! is raised with the read's own log entry), listed for the home page, and dismissed with an
//! access log entry that says so. Rows are kept; dismissing only ever sets the time once.

use super::patients::PatientId;
use super::{BeginWrite, Db, StorageError};
use crate::domain::access_log::Entry;
use crate::domain::notice::NoticeKind;
use crate::on_db;
use chrono::{DateTime, Utc};

/// An open notice, with the institution it is about.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct NoticeRow {
    pub topic: String,
    pub kind: String,
    pub institution_code: Option<String>,
    pub consent_id: Option<i64>,
    pub raised_at: DateTime<Utc>,
    pub name: Option<String>,
    pub name_en: Option<String>,
}

/// Raises a notice inside the caller's transaction: `$topic` of `$kind` (a
/// [`NoticeKind`](crate::domain::notice::NoticeKind)), about an institution and a consent when
/// it names them; nothing when that topic was raised before (dismissed or not).
#[macro_export]
macro_rules! raise_notice {
    ($tx:expr, $patient:expr, $topic:expr, $kind:expr, $institution:expr, $consent:expr, $at:expr) => {{
        let patient: $crate::storage::patients::PatientId = $patient;
        let kind: $crate::domain::notice::NoticeKind = $kind;
        let institution: Option<&str> = $institution;
        let consent: Option<i64> = $consent;
        sqlx::query(
            "INSERT INTO notices (patient_id, topic, kind, institution_code, consent_id, raised_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (patient_id, topic) DO NOTHING",
        )
        .bind(patient.0)
        .bind($topic)
        .bind(kind.as_str())
        .bind(institution)
        .bind(consent)
        .bind($at)
        .execute(&mut *$tx)
        .await
    }};
}

/// Raises the first-read notice of `institution` inside the caller's transaction; nothing when
/// it was raised before (dismissed or not).
#[macro_export]
macro_rules! raise_first_read {
    ($tx:expr, $patient:expr, $institution:expr, $consent:expr, $at:expr) => {{
        let institution: &str = $institution;
        $crate::raise_notice!(
            $tx,
            $patient,
            $crate::domain::notice::first_read_topic(institution),
            $crate::domain::notice::NoticeKind::FirstRead,
            Some(institution),
            $consent,
            $at
        )
    }};
}

/// Raises the notice of a proxy's first act under `$grant` inside the caller's transaction.
#[macro_export]
macro_rules! raise_proxy_first {
    ($tx:expr, $patient:expr, $grant:expr, $at:expr) => {{
        $crate::raise_notice!(
            $tx,
            $patient,
            $crate::domain::notice::proxy_first_topic($grant),
            $crate::domain::notice::NoticeKind::ProxyFirstAction,
            None,
            None,
            $at
        )
    }};
}

/// The patient's notices not yet dismissed, newest first.
pub async fn open_of(db: &Db, patient: PatientId) -> Result<Vec<NoticeRow>, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_as(
            "SELECT n.topic, n.kind, n.institution_code, n.consent_id, n.raised_at, i.name, i.name_en
             FROM notices n LEFT JOIN institutions i ON i.code = n.institution_code
             WHERE n.patient_id = $1 AND n.dismissed_at IS NULL
             ORDER BY n.raised_at DESC, n.id DESC",
        )
        .bind(patient.0)
        .fetch_all(p)
        .await?
    }))
}

/// The topics of `kind` the patient has dismissed (for notices worked out when shown, such as
/// a consent about to end).
pub async fn dismissed(
    db: &Db,
    patient: PatientId,
    kind: NoticeKind,
) -> Result<Vec<String>, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_scalar(
            "SELECT topic FROM notices WHERE patient_id = $1 AND kind = $2
               AND dismissed_at IS NOT NULL",
        )
        .bind(patient.0)
        .bind(kind.as_str())
        .fetch_all(p)
        .await?
    }))
}

/// A notice the patient dismisses.
pub struct Dismissal<'a> {
    pub patient: PatientId,
    pub topic: &'a str,
    pub kind: NoticeKind,
    pub institution: Option<&'a str>,
    pub consent: Option<i64>,
    /// The access log entry that records it.
    pub entry: &'a Entry,
}

/// Dismisses a notice and logs it, in one transaction. A notice raised when shown (a consent
/// about to end) has no row until now: it is kept as raised and dismissed at once. `false`
/// when it was dismissed already (nothing is written).
pub async fn dismiss(db: &Db, d: &Dismissal<'_>) -> Result<bool, StorageError> {
    let at = d.entry.occurred_at;
    Ok(on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE notices SET dismissed_at = $3
             WHERE patient_id = $1 AND topic = $2 AND dismissed_at IS NULL",
        )
        .bind(d.patient.0)
        .bind(d.topic)
        .bind(at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let inserted = if updated == 0 {
            sqlx::query(
                "INSERT INTO notices (patient_id, topic, kind, institution_code, consent_id,
                    raised_at, dismissed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (patient_id, topic) DO NOTHING",
            )
            .bind(d.patient.0)
            .bind(d.topic)
            .bind(d.kind.as_str())
            .bind(d.institution)
            .bind(d.consent)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected()
        } else {
            0
        };
        if updated + inserted == 0 {
            return Ok(false);
        }
        crate::append_log!(tx, d.patient, d.entry)?;
        tx.commit().await?;
        true
    }))
}
