//! Institutions' API credentials: issued, listed and revoked by operators; found by their
//! public part on every API call. Only a SHA-256 of the secret is kept.

use super::{BeginWrite, Db, StorageError};
use crate::on_db;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CredentialRow {
    pub id: i64,
    pub public_id: String,
    pub institution_code: String,
    pub secret_sha256: String,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str =
    "id, public_id, institution_code, secret_sha256, label, created_at, last_used_at, revoked_at";

pub async fn insert(
    db: &Db,
    public_id: &str,
    institution_code: &str,
    secret_sha256: &str,
    label: &str,
    at: DateTime<Utc>,
) -> Result<i64, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_scalar(
            "INSERT INTO institution_credentials (public_id, institution_code, secret_sha256, label, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(public_id)
        .bind(institution_code)
        .bind(secret_sha256)
        .bind(label)
        .bind(at)
        .fetch_one(p)
        .await?
    }))
}

pub async fn by_public_id(db: &Db, public_id: &str) -> Result<Option<CredentialRow>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM institution_credentials WHERE public_id = $1");
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(public_id).fetch_optional(p).await?))
}

/// Every credential, newest first; `institution` narrows to one institution's.
pub async fn list(db: &Db, institution: Option<&str>) -> Result<Vec<CredentialRow>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM institution_credentials WHERE ($1 IS NULL OR institution_code = $1)
         ORDER BY created_at DESC, id DESC"
    );
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(institution).fetch_all(p).await?))
}

/// Revokes a working credential; `false` when there is none by that id (or it was revoked).
pub async fn revoke(db: &Db, public_id: &str, at: DateTime<Utc>) -> Result<bool, StorageError> {
    let done = on_db!(db, p => {
        sqlx::query(
            "UPDATE institution_credentials SET revoked_at = $2
             WHERE public_id = $1 AND revoked_at IS NULL",
        )
        .bind(public_id)
        .bind(at)
        .execute(p)
        .await?
        .rows_affected()
    });
    Ok(done == 1)
}

/// How often a credential's last use is written down: a busy institution must not turn every
/// read into a write.
pub const USE_NOTED_EVERY: chrono::TimeDelta = chrono::TimeDelta::minutes(1);

/// Notes a use, at most once per [`USE_NOTED_EVERY`] per credential.
pub async fn used(db: &Db, id: i64, at: DateTime<Utc>) -> Result<(), StorageError> {
    let before = at - USE_NOTED_EVERY;
    // A transaction of its own, so that on SQLite it queues with the other writers instead of
    // sleeping in the busy handler (`BeginWrite`).
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        sqlx::query(
            "UPDATE institution_credentials SET last_used_at = $2
             WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)",
        )
        .bind(id)
        .bind(at)
        .bind(before)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    });
    Ok(())
}
