//! Patients: the internal key, the opaque public id, and lookups by either.

use super::{Db, StorageError};
use crate::on_db;
use chrono::NaiveDate;

/// The internal patient key every record hangs on. Never sent to a browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PatientId(pub i64);

/// Which state of a patient's records a page was built from: the patient's own counter and the
/// one shared by every patient (institution names), both bumped by database triggers on every
/// change (migration 0006). Read with the login on every request; equal versions mean the
/// pages would show the same records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::FromRow)]
pub struct RecordsVersion {
    #[sqlx(rename = "records_version")]
    pub patient: i64,
    #[sqlx(rename = "records_epoch")]
    pub epoch: i64,
}

/// The patient's records version now; for tests and tools (requests get it with the login).
pub async fn records_version(db: &Db, patient: PatientId) -> Result<RecordsVersion, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_as(
            "SELECT p.records_version, e.version AS records_epoch
             FROM patients p CROSS JOIN records_epoch e WHERE p.id = $1",
        )
        .bind(patient.0)
        .fetch_one(p)
        .await?
    }))
}

pub async fn by_public_id(db: &Db, public_id: &str) -> Result<Option<PatientId>, StorageError> {
    let id: Option<i64> = on_db!(db, p => {
        sqlx::query_scalar("SELECT id FROM patients WHERE public_id = $1")
            .bind(public_id)
            .fetch_optional(p)
            .await?
    });
    Ok(id.map(PatientId))
}

pub async fn count(db: &Db) -> Result<i64, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_scalar("SELECT COUNT(*) FROM patients").fetch_one(p).await?
    }))
}

/// The patient who holds `member` on `on` (the number must be current, not a past one).
pub async fn by_member(
    db: &Db,
    member: &crate::domain::qualification::Member,
    on: NaiveDate,
) -> Result<Option<PatientId>, StorageError> {
    let (a, b, c, d) = super::member_key(member);
    let sql = match member {
        crate::domain::qualification::Member::Insured(_) => {
            "SELECT patient_id FROM coverages WHERE insurer_number = $1 AND COALESCE(symbol, '') = $2
             AND member_number = $3 AND COALESCE(branch, '') = $4
             AND valid_from <= $5 AND (valid_to IS NULL OR valid_to >= $5)"
        }
        crate::domain::qualification::Member::Welfare { .. } => {
            "SELECT patient_id FROM coverages WHERE public_payer_number = $1 AND $2 = ''
             AND recipient_number = $3 AND $4 = ''
             AND valid_from <= $5 AND (valid_to IS NULL OR valid_to >= $5)"
        }
    };
    let id: Option<i64> = on_db!(db, p => {
        sqlx::query_scalar(sql).bind(a).bind(b).bind(c).bind(d).bind(on).fetch_optional(p).await?
    });
    Ok(id.map(PatientId))
}

/// The patient's public id and name, for WebAuthn user entities and pages.
pub async fn identity(db: &Db, patient: PatientId) -> Result<(String, String), StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_as("SELECT public_id, name FROM patients WHERE id = $1").bind(patient.0).fetch_one(p).await?
    }))
}

/// A patient by their intermediary linkage key (operators use it to name a patient).
pub async fn by_link_key(db: &Db, link_key: &str) -> Result<Option<PatientId>, StorageError> {
    let id: Option<i64> = on_db!(db, p => {
        sqlx::query_scalar("SELECT id FROM patients WHERE link_key = $1").bind(link_key).fetch_optional(p).await?
    });
    Ok(id.map(PatientId))
}
