//! The record of every card check a patient passed: at sign-in, and each fresh check before a
//! change (step-up). It keeps the exact assertion the card signed, so whoever later needs to
//! prove that this patient's card approved that action can verify the signature again. Rows are
//! only inserted; triggers in both engines refuse UPDATE and DELETE.

use super::{Db, StorageError};
use crate::domain::card_check::AssertionRecord;
use crate::domain::card_check::StepUpFor;
use crate::on_db;
use crate::storage::patients::PatientId;
use base64::Engine;
use chrono::{DateTime, Utc};

/// Why the card was checked: signing in, or a fresh check before a change. New changes that
/// need one (consent, proxies) add a variant to [`StepUpFor`], so the record says what the
/// patient approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    SignIn,
    StepUp(StepUpFor),
}

impl Purpose {
    /// The stored name: `sign_in`, or the change's own name (`add_card`, `report_record`…).
    pub fn as_db(self) -> String {
        match self {
            Self::SignIn => "sign_in".to_owned(),
            Self::StepUp(change) => crate::storage::enum_to_db(&change),
        }
    }
}

/// One check to keep.
#[derive(Debug, Clone)]
pub struct NewCardCheck<'a> {
    pub patient: PatientId,
    pub card_id: i64,
    pub login_id: &'a str,
    pub purpose: Purpose,
    pub assertion: &'a AssertionRecord,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CardCheckRow {
    pub id: i64,
    pub card_id: i64,
    pub purpose: String,
    pub checked_at: DateTime<Utc>,
    pub counter: i64,
    pub client_data_json: String,
    pub authenticator_data: String,
    pub signature: String,
}

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Inserts a check inside the caller's transaction, so it commits with the change it allowed.
#[macro_export]
macro_rules! insert_card_check {
    ($tx:expr, $check:expr, $at:expr) => {{
        let c: &$crate::storage::card_checks::NewCardCheck = $check;
        let a = c.assertion;
        sqlx::query(
            "INSERT INTO card_checks (patient_id, card_id, login_id, purpose, checked_at, counter,
                 user_verified, client_data_json, authenticator_data, signature)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(c.patient.0)
        .bind(c.card_id)
        .bind(c.login_id.to_owned())
        .bind(c.purpose.as_db())
        .bind($at)
        .bind(i64::from(a.counter))
        .bind(a.user_verified)
        .bind($crate::storage::card_checks::b64(&a.client_data_json))
        .bind($crate::storage::card_checks::b64(&a.authenticator_data))
        .bind($crate::storage::card_checks::b64(&a.signature))
        .execute(&mut *$tx)
        .await
    }};
}

/// When the card was last checked in this login for one of `purposes`.
pub async fn last_of(
    db: &Db,
    login_id: &str,
    purposes: &[Purpose],
) -> Result<Option<DateTime<Utc>>, StorageError> {
    let mut last = None;
    // One short indexed query per purpose (at most two) keeps the text the same on both
    // engines, which spell "value in this list" differently.
    for purpose in purposes {
        let at: Option<DateTime<Utc>> = on_db!(db, p => {
            sqlx::query_scalar(
                "SELECT checked_at FROM card_checks WHERE login_id = $1 AND purpose = $2
                 ORDER BY checked_at DESC LIMIT 1",
            )
            .bind(login_id)
            .bind(purpose.as_db())
            .fetch_optional(p)
            .await?
        });
        last = last.max(at);
    }
    Ok(last)
}

/// The checks made in one login, oldest first.
pub async fn of_login(db: &Db, login_id: &str) -> Result<Vec<CardCheckRow>, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_as(
            "SELECT id, card_id, purpose, checked_at, counter, client_data_json, authenticator_data, signature
             FROM card_checks WHERE login_id = $1 ORDER BY checked_at, id",
        )
        .bind(login_id)
        .fetch_all(p)
        .await?
    }))
}

/// One check by its id.
pub async fn by_id(db: &Db, id: i64) -> Result<Option<CardCheckRow>, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_as(
            "SELECT id, card_id, purpose, checked_at, counter, client_data_json,
                authenticator_data, signature
             FROM card_checks WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(p)
        .await?
    }))
}
