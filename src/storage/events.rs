//! The append-only per-patient event log: sign-ins, failed sign-ins, enrollments, card changes
//! and session ends. The later access log shows these to the patient. Rows are only inserted;
//! triggers in both engines refuse UPDATE and DELETE.

use super::{BeginWrite, Db, StorageError};
use crate::domain::access_log::{Action, ActorKind, Entry, Outcome};
use crate::on_db;
use crate::storage::patients::PatientId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    EnrollmentCodeIssued,
    CardAdded,
    CardRevoked,
    CardDisabled,
    SignedIn,
    SignInFailed,
    SessionEnded,
    /// A fresh card check before a change (step-up); `detail.purpose` says for what.
    CardChecked,
}

/// A new event; `detail` is a small JSON object of codes and ids, never personal data.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub patient: PatientId,
    pub kind: EventKind,
    pub card_id: Option<i64>,
    pub login_id: Option<String>,
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct EventRow {
    pub occurred_at: DateTime<Utc>,
    pub kind: String,
    pub card_id: Option<i64>,
    pub detail: String,
}

/// Appends inside the caller's transaction, so the event and the change it records commit or
/// roll back together; the same event joins the patient's access log (its hash chain) there.
#[macro_export]
macro_rules! append_event {
    ($tx:expr, $event:expr, $at:expr) => {{
        let e: &$crate::storage::events::NewEvent = $event;
        let at: chrono::DateTime<chrono::Utc> = $at;
        async {
            sqlx::query(
                "INSERT INTO patient_events (patient_id, occurred_at, kind, card_id, login_id, detail)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(e.patient.0)
            .bind(at)
            .bind($crate::storage::enum_to_db(&e.kind))
            .bind(e.card_id)
            .bind(e.login_id.clone())
            .bind(e.detail.to_string())
            .execute(&mut *$tx)
            .await?;
            $crate::append_log!($tx, e.patient, &e.log_entry(at))
        }
        .await
    }};
}

impl NewEvent {
    /// The event as the patient reads it in their access log: a failed sign-in by someone not
    /// (yet) known, an enrollment code issued by the operators, everything else by the patient.
    pub fn log_entry(&self, at: DateTime<Utc>) -> Entry {
        let (actor, action, outcome) = match self.kind {
            EventKind::EnrollmentCodeIssued => (
                ActorKind::Operator,
                Action::EnrollmentCodeIssued,
                Outcome::Done,
            ),
            EventKind::CardAdded => (ActorKind::Patient, Action::CardAdded, Outcome::Done),
            EventKind::CardRevoked => (ActorKind::Patient, Action::CardRevoked, Outcome::Done),
            EventKind::CardDisabled => (ActorKind::Patient, Action::CardDisabled, Outcome::Done),
            EventKind::SignedIn => (ActorKind::Patient, Action::SignIn, Outcome::Done),
            EventKind::SignInFailed => (ActorKind::Unknown, Action::SignInFailed, Outcome::Failed),
            EventKind::SessionEnded => (ActorKind::Patient, Action::SessionEnded, Outcome::Done),
            EventKind::CardChecked => (ActorKind::Patient, Action::CardChecked, Outcome::Done),
        };
        let mut entry = Entry::new(at, actor, action, outcome);
        entry.reason = ["reason", "code", "purpose"]
            .iter()
            .find_map(|k| self.detail.get(*k).and_then(|v| v.as_str()))
            .map(str::to_owned);
        entry.detail = self.detail.to_string();
        entry
    }
}

pub async fn append(db: &Db, event: &NewEvent, at: DateTime<Utc>) -> Result<(), StorageError> {
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        append_event!(tx, event, at)?;
        tx.commit().await?;
    });
    Ok(())
}

/// The newest events first.
pub async fn recent(
    db: &Db,
    patient: PatientId,
    limit: i64,
) -> Result<Vec<EventRow>, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_as(
            "SELECT occurred_at, kind, card_id, detail FROM patient_events
             WHERE patient_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2",
        )
        .bind(patient.0)
        .bind(limit)
        .fetch_all(p)
        .await?
    }))
}

/// Cards added, stopped or disabled since the previous sign-in with the card that opened
/// `current_login` (all of them on that card's first sign-in), newest first: the home page
/// shows them so a change the patient did not make is noticed. Counted from the patient's own
/// card, not from whichever sign-in came last: someone who got hold of a signed-in session,
/// added their own card and signed in with it must not thereby hide that card.
pub async fn card_changes_since_last_sign_in(
    db: &Db,
    patient: PatientId,
    current_login: &str,
) -> Result<Vec<EventRow>, StorageError> {
    let previous: Option<DateTime<Utc>> = on_db!(db, p => {
        sqlx::query_scalar(
            "SELECT MAX(o.signed_in_at) FROM logins o JOIN logins c ON c.id = $2
             WHERE o.patient_id = $1 AND o.card_id = c.card_id AND o.id <> c.id
               AND o.counter_institution IS NULL
               AND o.signed_in_at < c.signed_in_at",
        )
        .bind(patient.0)
        .bind(current_login)
        .fetch_one(p)
        .await?
    });
    let since = previous.unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    Ok(on_db!(db, p => {
        sqlx::query_as(
            "SELECT occurred_at, kind, card_id, detail FROM patient_events
             WHERE patient_id = $1 AND occurred_at > $2
               AND kind IN ('card_added', 'card_revoked', 'card_disabled')
             ORDER BY occurred_at DESC, id DESC LIMIT 10",
        )
        .bind(patient.0)
        .bind(since)
        .fetch_all(p)
        .await?
    }))
}
