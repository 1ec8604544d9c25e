//! Proof that a card approved a consent change: each change's access log entry names the card
//! check it was approved with and the challenge that check answered, inside the hash chain; the
//! check keeps the card's exact assertion. Re-verifying the assertion with the card's public
//! key, and matching its challenge to the entry's, shows that this card approved exactly the
//! terms in that entry, at that time. `portal verify-log` runs this after the chains.

use super::ceremony::StoredCard;
use crate::domain::access_log::Action;
use crate::storage::patients::PatientId;
use crate::storage::{Db, StorageError, access_log, card_checks, cards};
use base64::Engine;

/// What is wrong with one consent change's signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unsigned {
    #[error("the entry names no card check")]
    NoCheckNamed,
    #[error("the card check it names does not exist")]
    CheckMissing,
    #[error("the card check was made with another patient's card")]
    OtherPatientsCard,
    #[error(
        "the card is a proxy's whose grant did not allow consent changes for this patient then"
    )]
    ProxyNotAllowed,
    #[error("the card check answered another challenge than the entry records")]
    ChallengeMismatch,
    #[error("the card check was made for something else than a consent change")]
    WrongPurpose,
    #[error("the card check was made after the change, or more than five minutes before")]
    CheckOutOfTime,
    #[error("the card's signature does not verify with its public key")]
    BadSignature,
}

/// One consent change whose card signature does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureProblem {
    pub patient: PatientId,
    pub entry: i64,
    pub seq: i64,
    pub what: Unsigned,
}

/// Checks every consent change; returns how many were checked and what was found.
pub async fn verify_consents(db: &Db) -> Result<(usize, Vec<SignatureProblem>), StorageError> {
    let entries = access_log::with_actions(
        db,
        &[
            Action::ConsentGranted,
            Action::ConsentChanged,
            Action::ConsentRevoked,
        ],
    )
    .await?;
    let mut problems = Vec::new();
    for (patient, link) in &entries {
        if let Err(what) = check(db, *patient, &link.entry).await? {
            problems.push(SignatureProblem {
                patient: *patient,
                entry: link.id,
                seq: link.seq,
                what,
            });
        }
    }
    Ok((entries.len(), problems))
}

async fn check(
    db: &Db,
    patient: PatientId,
    entry: &crate::domain::access_log::Entry,
) -> Result<Result<(), Unsigned>, StorageError> {
    let detail: serde_json::Value = serde_json::from_str(&entry.detail).unwrap_or_default();
    let (Some(check_id), Some(challenge)) = (
        detail.get("card_check").and_then(serde_json::Value::as_i64),
        detail.get("challenge").and_then(serde_json::Value::as_str),
    ) else {
        return Ok(Err(Unsigned::NoCheckNamed));
    };
    let Some(check) = card_checks::by_id(db, check_id).await? else {
        return Ok(Err(Unsigned::CheckMissing));
    };
    let Some(card) = cards::by_id(db, check.card_id).await? else {
        return Ok(Err(Unsigned::CheckMissing));
    };
    if check.purpose != "change_consent" {
        return Ok(Err(Unsigned::WrongPurpose));
    }
    if card.patient_id != patient.0 {
        // Another person's card signs only as the patient's proxy: the entry names the grant,
        // which must be that person's, for this patient, allowing consent changes at the time.
        let Some(grant) = detail
            .get("proxy_grant")
            .and_then(serde_json::Value::as_i64)
        else {
            return Ok(Err(Unsigned::OtherPatientsCard));
        };
        let allowed = crate::storage::proxies::acting(db, PatientId(card.patient_id), grant)
            .await?
            .is_some_and(|a| {
                a.subject == patient
                    && a.grant.scope == crate::domain::proxy::Scope::ManageConsent
                    && a.grant.granted_at <= entry.occurred_at
                    && a.grant.active(entry.occurred_at)
            });
        if !allowed {
            return Ok(Err(Unsigned::ProxyNotAllowed));
        }
    }
    let decode = |s: &str| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s)
            .ok()
    };
    let (Some(client_data), Some(auth_data), Some(signature)) = (
        decode(&check.client_data_json),
        decode(&check.authenticator_data),
        decode(&check.signature),
    ) else {
        return Ok(Err(Unsigned::BadSignature));
    };
    if crate::domain::card_check::challenge(&client_data).as_deref() != Some(challenge) {
        return Ok(Err(Unsigned::ChallengeMismatch));
    }
    let age = entry.occurred_at - check.checked_at;
    if age < chrono::Duration::zero() || age > crate::storage::logins::STEP_UP_WINDOW {
        return Ok(Err(Unsigned::CheckOutOfTime));
    }
    let signed = StoredCard::from_json(&card.credential)
        .is_ok_and(|c| c.signed(&auth_data, &client_data, &signature));
    Ok(if signed {
        Ok(())
    } else {
        Err(Unsigned::BadSignature)
    })
}
