//! Institution credentials: a bearer token `<public id>.<secret>`, shown once when issued. The
//! public id finds the row; only the secret's SHA-256 is stored (256 random bits need no slow
//! hash), compared in constant time. Scoped to one institution code.

use crate::storage::credentials::{self, CredentialRow};
use crate::storage::institutions::{self, Institution};
use crate::storage::{Db, StorageError};
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error("no institution has the code {0}; import the institutions feed first")]
    UnknownInstitution(String),
    #[error("a label is needed (for example the terminal or system it is for)")]
    NoLabel,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Issues a credential for `institution_code`; the token is returned once and never stored.
pub async fn issue(
    db: &Db,
    institution_code: &str,
    label: &str,
    now: DateTime<Utc>,
    rng: &mut impl RngCore,
) -> Result<(CredentialRow, String), CredentialError> {
    let label = label.trim();
    if label.is_empty() {
        return Err(CredentialError::NoLabel);
    }
    if institutions::by_code(db, institution_code).await?.is_none() {
        return Err(CredentialError::UnknownInstitution(
            institution_code.to_owned(),
        ));
    }
    let mut id = [0u8; 8];
    rng.fill_bytes(&mut id);
    let mut secret = [0u8; 32];
    rng.fill_bytes(&mut secret);
    let public_id = hex::encode(id);
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
    credentials::insert(
        db,
        &public_id,
        institution_code,
        &digest(&secret),
        label,
        now,
    )
    .await?;
    let row = credentials::by_public_id(db, &public_id)
        .await?
        .ok_or_else(|| StorageError::Corrupt("credential vanished after insert".into()))?;
    Ok((row, format!("{public_id}.{secret}")))
}

fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The working credential a token names, with its institution; `None` for anything else (a
/// malformed token, an unknown id, a wrong secret, a revoked credential): the caller learns
/// nothing about which.
pub async fn authenticate(
    db: &Db,
    token: &str,
) -> Result<Option<(CredentialRow, Institution)>, StorageError> {
    let Some((public_id, secret)) = token.split_once('.') else {
        return Ok(None);
    };
    if public_id.len() != 16 || !public_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some(row) = credentials::by_public_id(db, public_id).await? else {
        return Ok(None);
    };
    if row.revoked_at.is_some() || !same(digest(secret).as_bytes(), row.secret_sha256.as_bytes()) {
        return Ok(None);
    }
    let Some(institution) = institutions::by_code(db, &row.institution_code).await? else {
        return Ok(None);
    };
    Ok(Some((row, institution)))
}
