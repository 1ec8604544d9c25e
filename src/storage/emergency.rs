//! Emergency accesses in the database: started in one transaction with the access log entry
//! that flags it and the patient's notice, read back for the one decision (inside its
//! transaction, `consents::decide_and_log`) and for the operators' review. Rows are only
//! inserted: triggers in both engines refuse UPDATE and DELETE.

use super::institutions::Institution;
use super::patients::PatientId;
use super::{BeginWrite, Db, StorageError};
use crate::domain::access_log::Entry;
use crate::domain::emergency::{DURATION, Emergency, Reason};
use crate::on_db;
use chrono::{DateTime, Utc};

#[derive(sqlx::FromRow)]
pub(crate) struct Row {
    id: i64,
    institution_code: String,
    reason: String,
    note: String,
    started_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

pub(crate) const COLUMNS: &str = "id, institution_code, reason, note, started_at, ends_at";

pub(crate) fn emergency(r: Row) -> Result<Emergency, StorageError> {
    let reason = Reason::parse(&r.reason)
        .ok_or_else(|| StorageError::Corrupt(format!("emergency access {}: reason", r.id)))?;
    Ok(Emergency {
        id: r.id,
        institution: r.institution_code,
        reason,
        note: r.note,
        started_at: r.started_at,
        ends_at: r.ends_at,
    })
}

/// The emergency accesses `institution` started for the patient that have not ended by `now`.
pub async fn running(
    db: &Db,
    patient: PatientId,
    institution: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Emergency>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM emergency_accesses
         WHERE patient_id = $1 AND institution_code = $2 AND ends_at > $3"
    );
    let rows: Vec<Row> = on_db!(db, p => {
        sqlx::query_as(&sql).bind(patient.0).bind(institution).bind(now).fetch_all(p).await?
    });
    rows.into_iter().map(emergency).collect()
}

/// Every emergency access running for the patient at `now`, whoever started it, the latest
/// ending first: the access log page lists them with who can see the patient's data now.
pub async fn running_for_patient(
    db: &Db,
    patient: PatientId,
    now: DateTime<Utc>,
) -> Result<Vec<Emergency>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM emergency_accesses WHERE patient_id = $1 AND ends_at > $2
         ORDER BY ends_at DESC, id DESC"
    );
    let rows: Vec<Row> =
        on_db!(db, p => { sqlx::query_as(&sql).bind(patient.0).bind(now).fetch_all(p).await? });
    rows.into_iter().map(emergency).collect()
}

/// A start, as the hospital asked for it.
pub struct Start<'a> {
    pub patient: PatientId,
    pub institution: &'a Institution,
    /// The public id of the credential that asked.
    pub credential: &'a str,
    pub reason: Reason,
    pub note: &'a str,
    pub at: DateTime<Utc>,
}

/// Starts an emergency access: the row, the access log entry `entry` makes for its id, and the
/// patient's notice, in one transaction. Returns the access as stored.
pub async fn start(
    db: &Db,
    s: &Start<'_>,
    entry: impl FnOnce(i64) -> Entry,
) -> Result<Emergency, StorageError> {
    let ends_at = s.at + DURATION;
    let id = on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO emergency_accesses (patient_id, institution_code, credential_id, reason,
                note, started_at, ends_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(s.patient.0)
        .bind(&s.institution.code)
        .bind(s.credential)
        .bind(s.reason.as_str())
        .bind(s.note)
        .bind(s.at)
        .bind(ends_at)
        .fetch_one(&mut *tx)
        .await?;
        crate::append_log!(tx, s.patient, &entry(id))?;
        crate::raise_notice!(
            tx,
            s.patient,
            crate::domain::notice::emergency_topic(id),
            crate::domain::notice::NoticeKind::Emergency,
            Some(s.institution.code.as_str()),
            None,
            s.at
        )?;
        tx.commit().await?;
        id
    });
    Ok(Emergency {
        id,
        institution: s.institution.code.clone(),
        reason: s.reason,
        note: s.note.to_owned(),
        started_at: s.at,
        ends_at,
    })
}

/// One emergency access for the operators' review: with the institution's name and the
/// patient's link key (the operators' way of naming a patient).
#[derive(Debug, Clone)]
pub struct Reviewed {
    pub emergency: Emergency,
    pub institution_name: String,
    pub patient: String,
    pub credential: String,
}

/// Every emergency access started since `since`, newest first.
pub async fn since(db: &Db, since: DateTime<Utc>) -> Result<Vec<Reviewed>, StorageError> {
    #[derive(sqlx::FromRow)]
    struct Joined {
        #[sqlx(flatten)]
        row: Row,
        name: String,
        link_key: String,
        credential_id: String,
    }
    let rows: Vec<Joined> = on_db!(db, p => {
        sqlx::query_as(
            "SELECT e.id, e.institution_code, e.reason, e.note, e.started_at, e.ends_at,
                i.name, p.link_key, e.credential_id
             FROM emergency_accesses e
             JOIN institutions i ON i.code = e.institution_code
             JOIN patients p ON p.id = e.patient_id
             WHERE e.started_at >= $1 ORDER BY e.started_at DESC, e.id DESC",
        )
        .bind(since)
        .fetch_all(p)
        .await?
    });
    rows.into_iter()
        .map(|j| {
            Ok(Reviewed {
                emergency: emergency(j.row)?,
                institution_name: j.name,
                patient: j.link_key,
                credential: j.credential_id,
            })
        })
        .collect()
}
