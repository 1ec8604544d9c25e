//! Registered cards and the one-time enrollment codes that let a patient register one.

use super::{BeginWrite, Db, StorageError};
use crate::storage::events::{EventKind, NewEvent};
use crate::storage::patients::PatientId;
use crate::{append_event, on_db};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CardRow {
    pub id: i64,
    pub patient_id: i64,
    pub credential_id: String,
    pub kind: String,
    pub credential: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
}

/// A card to store: the verifier's credential record and its id (base64url).
#[derive(Debug, Clone)]
pub struct NewCard {
    pub credential_id: String,
    pub kind: String,
    pub credential: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CardError {
    #[error("the enrollment code was used or replaced meanwhile")]
    CodeGone,
    #[error("this card is already registered")]
    AlreadyRegistered,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for CardError {
    fn from(e: sqlx::Error) -> Self {
        Self::Storage(StorageError::Query(e))
    }
}

/// Stores a new code's keyed hash; earlier unused codes of the patient stop working.
pub async fn issue_code(
    db: &Db,
    patient: PatientId,
    code_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), StorageError> {
    let event = NewEvent {
        patient,
        kind: EventKind::EnrollmentCodeIssued,
        card_id: None,
        login_id: None,
        detail: serde_json::json!({ "expires_at": expires_at }),
    };
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        sqlx::query("UPDATE enrollment_codes SET superseded_at = $2 WHERE patient_id = $1 AND used_at IS NULL AND superseded_at IS NULL")
            .bind(patient.0).bind(now).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO enrollment_codes (patient_id, code_hash, issued_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(patient.0).bind(code_hash).bind(now).bind(expires_at).execute(&mut *tx).await?;
        append_event!(tx, &event, now)?;
        tx.commit().await?;
    });
    Ok(())
}

/// The patient's codes that can still be used: `(id, keyed hash)`.
pub async fn usable_codes(
    db: &Db,
    patient: PatientId,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, String)>, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_as(
            "SELECT id, code_hash FROM enrollment_codes
             WHERE patient_id = $1 AND used_at IS NULL AND superseded_at IS NULL AND expires_at > $2",
        )
        .bind(patient.0)
        .bind(now)
        .fetch_all(p)
        .await?
    }))
}

/// Inserts a card and its event inside a transaction.
macro_rules! insert_card {
    ($tx:expr, $patient:expr, $card:expr, $now:expr) => {{
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM cards WHERE credential_id = $1")
            .bind(&$card.credential_id)
            .fetch_optional(&mut *$tx)
            .await?;
        if taken.is_some() {
            Err(CardError::AlreadyRegistered)
        } else {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO cards (patient_id, credential_id, kind, credential, created_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind($patient.0)
            .bind(&$card.credential_id)
            .bind(&$card.kind)
            .bind(&$card.credential)
            .bind($now)
            .fetch_one(&mut *$tx)
            .await?;
            let e = NewEvent {
                patient: $patient,
                kind: EventKind::CardAdded,
                card_id: Some(id),
                login_id: None,
                detail: serde_json::json!({ "kind": $card.kind }),
            };
            append_event!($tx, &e, $now)?;
            Ok(id)
        }
    }};
}

/// Finishes an enrollment: uses the code, revokes every earlier card of the patient, ends
/// their sessions and pauses their proxies (a code is how a patient who lost their cards starts
/// again, and whoever held the old card may have made themselves a proxy), stores the new card
/// and records it, all in one transaction. Returns the new card's id.
pub async fn enroll(
    db: &Db,
    patient: PatientId,
    code_id: i64,
    card: &NewCard,
    now: DateTime<Utc>,
) -> Result<i64, CardError> {
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let used = sqlx::query(
            "UPDATE enrollment_codes SET used_at = $3 WHERE id = $1 AND patient_id = $2
             AND used_at IS NULL AND superseded_at IS NULL AND expires_at > $3",
        )
        .bind(code_id).bind(patient.0).bind(now).execute(&mut *tx).await?;
        if used.rows_affected() != 1 {
            return Err(CardError::CodeGone);
        }
        let old: Vec<i64> = sqlx::query_scalar("SELECT id FROM cards WHERE patient_id = $1 AND revoked_at IS NULL")
            .bind(patient.0).fetch_all(&mut *tx).await?;
        for card_id in old {
            sqlx::query("UPDATE cards SET revoked_at = $2, revoke_reason = 'reenrolment' WHERE id = $1")
                .bind(card_id).bind(now).execute(&mut *tx).await?;
            let e = NewEvent { patient, kind: EventKind::CardRevoked, card_id: Some(card_id), login_id: None,
                detail: serde_json::json!({ "reason": "reenrolment" }) };
            append_event!(tx, &e, now)?;
        }
        sqlx::query("UPDATE logins SET ended_at = $2, end_reason = 'reenrolment' WHERE patient_id = $1 AND ended_at IS NULL")
            .bind(patient.0).bind(now).execute(&mut *tx).await?;
        crate::suspend_proxies!(tx, patient, now)?;
        let card_id = insert_card!(tx, patient, card, now)?;
        tx.commit().await?;
        Ok(card_id)
    })
}

/// Adds another card for a signed-in patient (a spare, or a renewed card).
pub async fn add(
    db: &Db,
    patient: PatientId,
    card: &NewCard,
    now: DateTime<Utc>,
) -> Result<i64, CardError> {
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let id = insert_card!(tx, patient, card, now)?;
        tx.commit().await?;
        Ok(id)
    })
}

pub async fn of_patient(db: &Db, patient: PatientId) -> Result<Vec<CardRow>, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_as("SELECT id, patient_id, credential_id, kind, credential, created_at, last_used_at, revoked_at, revoke_reason FROM cards WHERE patient_id = $1 ORDER BY id")
            .bind(patient.0).fetch_all(p).await?
    }))
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<CardRow>, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_as("SELECT id, patient_id, credential_id, kind, credential, created_at, last_used_at, revoked_at, revoke_reason FROM cards WHERE id = $1")
            .bind(id).fetch_optional(p).await?
    }))
}

pub async fn by_credential_id(
    db: &Db,
    credential_id: &str,
) -> Result<Option<CardRow>, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_as("SELECT id, patient_id, credential_id, kind, credential, created_at, last_used_at, revoked_at, revoke_reason FROM cards WHERE credential_id = $1")
            .bind(credential_id).fetch_optional(p).await?
    }))
}

/// Revokes (lost card, patient's choice) or disables (counter went backwards) a card; its
/// sessions end at once and the patient's proxies pause until confirmed again
/// (`suspend_proxies`), in the same transaction.
pub async fn revoke(
    db: &Db,
    patient: PatientId,
    card_id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    let kind = if reason == "counter_regression" {
        EventKind::CardDisabled
    } else {
        EventKind::CardRevoked
    };
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let res = sqlx::query("UPDATE cards SET revoked_at = $3, revoke_reason = $4 WHERE id = $1 AND patient_id = $2 AND revoked_at IS NULL")
            .bind(card_id).bind(patient.0).bind(now).bind(reason).execute(&mut *tx).await?;
        if res.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("UPDATE logins SET ended_at = $2, end_reason = 'card_revoked' WHERE card_id = $1 AND ended_at IS NULL")
            .bind(card_id).bind(now).execute(&mut *tx).await?;
        let e = NewEvent { patient, kind, card_id: Some(card_id), login_id: None, detail: serde_json::json!({ "reason": reason }) };
        append_event!(tx, &e, now)?;
        crate::suspend_proxies!(tx, patient, now)?;
        tx.commit().await?;
        Ok(true)
    })
}

/// Saves the credential after a sign-in (its counter and backup flags move), only if the
/// card still works and `counter` moves its stored counter forward, in one statement: of two
/// sign-ins verified against the same stored counter, the later write finds it moved and is
/// refused (`false`), so the counter never goes back. Cards that keep their counter at 0 (many
/// passkeys) compare equal at 0 and are always saved.
pub async fn record_use(
    db: &Db,
    card_id: i64,
    credential: &str,
    counter: u32,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    let counter = i64::from(counter);
    Ok(on_db!(db, p => {
        sqlx::query(
            "UPDATE cards SET credential = $2, sign_count = $3, last_used_at = $4
             WHERE id = $1 AND revoked_at IS NULL
               AND (sign_count < $3 OR (sign_count = 0 AND $3 = 0))",
        )
        .bind(card_id).bind(credential).bind(counter).bind(now).execute(p).await?
        .rows_affected() == 1
    }))
}

/// The most common credential id length (bytes) among working cards; `None` with no cards.
pub async fn usual_id_length(db: &Db) -> Result<Option<usize>, StorageError> {
    // Ids are stored as unpadded base64url: 4 characters carry 3 bytes.
    let chars: Option<i64> = on_db!(db, p => {
        sqlx::query_scalar(
            "SELECT CAST(length(credential_id) AS BIGINT) AS n FROM cards WHERE revoked_at IS NULL
             GROUP BY n ORDER BY count(*) DESC, n LIMIT 1",
        )
        .fetch_optional(p).await?
    });
    Ok(chars
        .and_then(|n| usize::try_from(n).ok())
        .map(|n| n * 3 / 4))
}
