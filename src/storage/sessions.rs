//! Server-side web sessions for tower-sessions, on whichever engine is configured. Only the
//! random session id travels in the cookie; the record (ceremony handles, the login id) stays
//! here, stored under the SHA-256 of that id: whoever reads the table or a backup cannot turn a
//! row into a cookie.

use super::Db;
use crate::on_db;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

#[derive(Debug, Clone)]
pub struct SessionRecords {
    db: Db,
}

impl SessionRecords {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Removes expired records; run periodically.
    pub async fn delete_expired(&self) -> std::result::Result<u64, sqlx::Error> {
        let now = unix_now();
        Ok(on_db!(&self.db, p => {
            sqlx::query("DELETE FROM web_sessions WHERE expires_at < $1")
                .bind(now)
                .execute(p)
                .await?
                .rows_affected()
        }))
    }
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

/// The stored key of a session id. Ids are 128 random bits, so a plain hash cannot be
/// reversed by guessing; no key is needed.
pub fn stored_id(id: &Id) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(id.to_string().as_bytes()))
}

fn backend(e: impl std::fmt::Display) -> Error {
    Error::Backend(e.to_string())
}

#[async_trait::async_trait]
impl SessionStore for SessionRecords {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // Ids are 128 random bits; on the rare collision draw another rather than overwrite.
        loop {
            let data = serde_json::to_string(&*record).map_err(backend)?;
            let inserted = on_db!(&self.db, p => {
                sqlx::query(
                    "INSERT INTO web_sessions (id, data, expires_at) VALUES ($1, $2, $3)
                     ON CONFLICT (id) DO NOTHING",
                )
                .bind(stored_id(&record.id))
                .bind(data)
                .bind(record.expiry_date.unix_timestamp())
                .execute(p)
                .await
                .map_err(backend)?
                .rows_affected()
            });
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let data = serde_json::to_string(record).map_err(backend)?;
        on_db!(&self.db, p => {
            sqlx::query(
                "INSERT INTO web_sessions (id, data, expires_at) VALUES ($1, $2, $3)
                 ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
            )
            .bind(stored_id(&record.id))
            .bind(data)
            .bind(record.expiry_date.unix_timestamp())
            .execute(p)
            .await
            .map_err(backend)?;
        });
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let data: Option<String> = on_db!(&self.db, p => {
            sqlx::query_scalar("SELECT data FROM web_sessions WHERE id = $1 AND expires_at > $2")
                .bind(stored_id(id))
                .bind(unix_now())
                .fetch_optional(p)
                .await
                .map_err(backend)?
        });
        data.map(|d| serde_json::from_str(&d).map_err(backend))
            .transpose()
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        on_db!(&self.db, p => {
            sqlx::query("DELETE FROM web_sessions WHERE id = $1")
                .bind(stored_id(id))
                .execute(p)
                .await
                .map_err(backend)?;
        });
        Ok(())
    }
}
