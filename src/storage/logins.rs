//! The index of signed-in sessions: one row per sign-in, by patient and card, so a patient can
//! list their sessions and end them, and revoking a card ends its sessions at once. The server
//! enforces idle and absolute timeouts from these rows on every request.

use super::{BeginWrite, Db, StorageError};
use crate::domain::card_check::AssertionRecord;
use crate::storage::card_checks::{NewCardCheck, Purpose};
use crate::storage::events::{EventKind, NewEvent};
use crate::storage::patients::PatientId;
use crate::{append_event, insert_card_check, on_db};
use chrono::{DateTime, TimeDelta, Utc};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct LoginRow {
    pub id: String,
    pub patient_id: i64,
    pub card_id: i64,
    pub signed_in_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub user_agent: String,
    pub ended_at: Option<DateTime<Utc>>,
    pub end_reason: Option<String>,
    /// The proxy grant this login chose to act under (`/proxies`), if any; whether it allows
    /// anything is decided on every request (`viewer`).
    pub acting_grant: Option<i64>,
    /// The signed-in person's own name, for the header of every page.
    #[sqlx(rename = "patient_name")]
    pub name: String,
    /// The state of the patient's records as this row was read, for the records cache.
    #[sqlx(flatten)]
    pub records: crate::storage::patients::RecordsVersion,
    /// The patient this login acts for as their proxy, when the session chose one and the grant
    /// is active now (checked on every request, never kept with the row: `viewer`). `records`
    /// is then that patient's.
    #[sqlx(skip)]
    pub acting: Option<Box<crate::storage::proxies::Acting>>,
}

/// How long a session lives without use, and at most.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub idle: TimeDelta,
    pub absolute: TimeDelta,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            idle: TimeDelta::minutes(15),
            absolute: TimeDelta::hours(8),
        }
    }
}

/// How often activity is written: a page view within this time of the last recorded one does
/// not write again. Every page view used to be a write, and SQLite takes one writer at a time;
/// the cost is that a session may end up to this much earlier than 15 minutes after the very
/// last page view, which errs on the safe side.
pub const TOUCH_EVERY: TimeDelta = TimeDelta::minutes(1);

/// What a request's login is now.
#[derive(Debug, Clone, PartialEq)]
pub enum LoginState {
    Active(LoginRow),
    /// Ended now or earlier; the reason is a code (`signed_out`, `idle`, `absolute`,
    /// `card_revoked`, `signed_out_elsewhere`, `reenrolment`).
    Ended(String),
    Unknown,
}

const COLUMNS: &str = "l.id, l.patient_id, l.card_id, l.signed_in_at, l.last_seen_at,
    l.user_agent, l.ended_at, l.end_reason, l.acting_grant, p.name AS patient_name,
    p.records_version, e.version AS records_epoch";
/// Logins with their patient's records version: one read answers both "still signed in?" and
/// "may the cached pages be shown?".
const FROM: &str = "logins l JOIN patients p ON p.id = l.patient_id CROSS JOIN records_epoch e";

pub async fn create(
    db: &Db,
    id: &str,
    patient: PatientId,
    card_id: i64,
    user_agent: &str,
    assertion: &AssertionRecord,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    let check = NewCardCheck {
        patient,
        card_id,
        login_id: id,
        purpose: Purpose::SignIn,
        assertion,
    };
    let ua: String = user_agent.chars().take(200).collect();
    let event = NewEvent {
        patient,
        kind: EventKind::SignedIn,
        card_id: Some(card_id),
        login_id: Some(id.to_owned()),
        detail: serde_json::json!({}),
    };
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        sqlx::query("INSERT INTO logins (id, patient_id, card_id, signed_in_at, last_seen_at, user_agent) VALUES ($1, $2, $3, $4, $4, $5)")
            .bind(id).bind(patient.0).bind(card_id).bind(now).bind(ua).execute(&mut *tx).await?;
        insert_card_check!(tx, &check, now)?;
        append_event!(tx, &event, now)?;
        tx.commit().await?;
    });
    Ok(())
}

/// Checks a login against the timeouts and its card, ends it if it ran out, and otherwise
/// marks it seen when the last mark is older than [`TOUCH_EVERY`] (never when `touch` is
/// false: background polling must not keep a session alive). The row returned says when it
/// was last seen as stored.
pub async fn check(
    db: &Db,
    id: &str,
    now: DateTime<Utc>,
    timeouts: Timeouts,
    touch: bool,
) -> Result<LoginState, StorageError> {
    let row: Option<LoginRow> = on_db!(db, p => {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM {FROM} WHERE l.id = $1")).bind(id).fetch_optional(p).await?
    });
    let Some(row) = row else {
        return Ok(LoginState::Unknown);
    };
    if let Some(reason) = &row.end_reason {
        return Ok(LoginState::Ended(reason.clone()));
    }
    let expired = if now - row.signed_in_at > timeouts.absolute {
        Some("absolute")
    } else if now - row.last_seen_at > timeouts.idle {
        Some("idle")
    } else {
        None
    };
    if let Some(reason) = expired {
        end(db, id, reason, now).await?;
        return Ok(LoginState::Ended(reason.to_owned()));
    }
    let mut row = row;
    if touch && now - row.last_seen_at >= TOUCH_EVERY {
        on_db!(db, p => {
            sqlx::query("UPDATE logins SET last_seen_at = $2 WHERE id = $1 AND ended_at IS NULL")
                .bind(id).bind(now).execute(p).await?;
        });
        row.last_seen_at = now;
    }
    Ok(LoginState::Active(row))
}

/// Chooses whom the login acts for: a grant of its patient as a proxy, or themself (`None`).
pub async fn set_acting(db: &Db, id: &str, grant: Option<i64>) -> Result<(), StorageError> {
    on_db!(db, p => {
        sqlx::query("UPDATE logins SET acting_grant = $2 WHERE id = $1 AND ended_at IS NULL")
            .bind(id).bind(grant).execute(p).await?;
    });
    Ok(())
}

/// Ends one login and records why.
pub async fn end(db: &Db, id: &str, reason: &str, now: DateTime<Utc>) -> Result<(), StorageError> {
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let row: Option<(i64, i64)> = sqlx::query_as("SELECT patient_id, card_id FROM logins WHERE id = $1 AND ended_at IS NULL")
            .bind(id).fetch_optional(&mut *tx).await?;
        if let Some((patient, card)) = row {
            sqlx::query("UPDATE logins SET ended_at = $2, end_reason = $3 WHERE id = $1")
                .bind(id).bind(now).bind(reason).execute(&mut *tx).await?;
            let e = NewEvent { patient: PatientId(patient), kind: EventKind::SessionEnded, card_id: Some(card),
                login_id: Some(id.to_owned()), detail: serde_json::json!({ "reason": reason }) };
            append_event!(tx, &e, now)?;
        }
        tx.commit().await?;
    });
    Ok(())
}

/// "Sign out everywhere else": ends every other active login of the patient.
pub async fn end_others(
    db: &Db,
    patient: PatientId,
    keep: &str,
    now: DateTime<Utc>,
) -> Result<u64, StorageError> {
    let ids: Vec<String> = on_db!(db, p => {
        sqlx::query_scalar("SELECT id FROM logins WHERE patient_id = $1 AND ended_at IS NULL AND id <> $2")
            .bind(patient.0).bind(keep).fetch_all(p).await?
    });
    for id in &ids {
        end(db, id, "signed_out_elsewhere", now).await?;
    }
    Ok(u64::try_from(ids.len()).unwrap_or(u64::MAX))
}

/// A fresh card check (step-up) passed in this login: the assertion is kept with what it was
/// for, and counts for that for [`STEP_UP_WINDOW`] (`auth::flows::checked_for`).
pub async fn record_step_up(
    db: &Db,
    check: &NewCardCheck<'_>,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    let event = NewEvent {
        patient: check.patient,
        kind: EventKind::CardChecked,
        card_id: Some(check.card_id),
        login_id: Some(check.login_id.to_owned()),
        detail: serde_json::json!({ "purpose": check.purpose.as_db() }),
    };
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        insert_card_check!(tx, check, now)?;
        append_event!(tx, &event, now)?;
        tx.commit().await?;
    });
    Ok(())
}

/// A card check at an institution's counter (the card-reader consent flow): kept under a login
/// that was never a session, opened and ended in the same moment and naming the institution,
/// so the check, and the consent it approves, stay tied to that place; `id` names that login.
pub async fn record_counter_check(
    db: &Db,
    id: &str,
    patient: PatientId,
    card_id: i64,
    institution: &str,
    assertion: &AssertionRecord,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    let check = NewCardCheck {
        patient,
        card_id,
        login_id: id,
        purpose: Purpose::StepUp(crate::domain::card_check::StepUpFor::ChangeConsent),
        assertion,
    };
    let event = NewEvent {
        patient,
        kind: EventKind::CardChecked,
        card_id: Some(card_id),
        login_id: Some(id.to_owned()),
        detail: serde_json::json!({ "purpose": check.purpose.as_db(), "counter": institution }),
    };
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        sqlx::query(
            "INSERT INTO logins (id, patient_id, card_id, signed_in_at, last_seen_at, user_agent,
                ended_at, end_reason, counter_institution)
             VALUES ($1, $2, $3, $4, $4, 'counter', $4, 'counter', $5)",
        )
        .bind(id).bind(patient.0).bind(card_id).bind(now).bind(institution)
        .execute(&mut *tx).await?;
        insert_card_check!(tx, &check, now)?;
        append_event!(tx, &event, now)?;
        tx.commit().await?;
    });
    Ok(())
}

/// How long a card check lets the patient change things that need one (cards now; consent
/// and proxies later) without checking the card again.
pub const STEP_UP_WINDOW: TimeDelta = TimeDelta::minutes(5);

/// The patient's sessions that are still open, newest first.
pub async fn active_of(db: &Db, patient: PatientId) -> Result<Vec<LoginRow>, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM {FROM} WHERE l.patient_id = $1 AND l.ended_at IS NULL ORDER BY l.signed_in_at DESC"))
            .bind(patient.0).fetch_all(p).await?
    }))
}
