//! Card ceremonies in flight: the webauthn-rs state between the options sent to the browser and
//! the card's answer (enrollment, card checks and new cards, which only a holder of a code or a
//! signed-in patient can start), and the marks of sealed sign-in steps already answered
//! (`auth::sealed_step`). Taking one is a single `DELETE … RETURNING`, so of two answers to the same
//! challenge (a replay, or two tabs) exactly one gets the state, whichever server process
//! answers; and a state older than [`LIFETIME`] is refused even if it was never taken.

use super::{Db, StorageError};
use crate::on_db;
use chrono::{DateTime, TimeDelta, Utc};

/// How long a card has to answer: the browser's own timeout is shorter, so only an answer held
/// back on purpose arrives later.
pub const LIFETIME: TimeDelta = TimeDelta::minutes(5);

/// What taking a ceremony found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// The state, now gone from the database.
    State(String),
    /// It was there, but older than [`LIFETIME`]; gone too.
    Expired,
    /// Never started, of another kind, or already taken.
    Gone,
}

/// Keeps a ceremony's state under `id` (the hash of the handle the session holds).
pub async fn put(
    db: &Db,
    id: &str,
    kind: &str,
    state: &str,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    on_db!(db, p => {
        sqlx::query("INSERT INTO ceremonies (id, kind, state, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id).bind(kind).bind(state).bind(now).bind(now + LIFETIME)
            .execute(p).await?;
    });
    Ok(())
}

/// Takes the ceremony out: whatever its age, it cannot be taken again.
pub async fn take(
    db: &Db,
    id: &str,
    kind: &str,
    now: DateTime<Utc>,
) -> Result<Taken, StorageError> {
    let row: Option<(String, DateTime<Utc>)> = on_db!(db, p => {
        sqlx::query_as("DELETE FROM ceremonies WHERE id = $1 AND kind = $2 RETURNING state, expires_at")
            .bind(id).bind(kind).fetch_optional(p).await?
    });
    Ok(match row {
        Some((state, expires_at)) if now < expires_at => Taken::State(state),
        Some(_) => Taken::Expired,
        None => Taken::Gone,
    })
}

/// Records that the sealed card step `id` has been answered: `false` when it already was, so of
/// two answers to one challenge exactly one goes on. The mark is kept until the step could no
/// longer be used anyway.
pub async fn spend(
    db: &Db,
    id: &str,
    kind: &str,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query(
            "INSERT INTO ceremonies (id, kind, state, issued_at, expires_at) VALUES ($1, $2, '', $3, $4)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(id).bind(kind).bind(now).bind(now + LIFETIME)
        .execute(p).await?.rows_affected() == 1
    }))
}

/// Forgets ceremonies nobody answered, and spent marks past use; run periodically.
pub async fn delete_expired(db: &Db, now: DateTime<Utc>) -> Result<u64, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query("DELETE FROM ceremonies WHERE expires_at <= $1")
            .bind(now).execute(p).await?.rows_affected()
    }))
}
