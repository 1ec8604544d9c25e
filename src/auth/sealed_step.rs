//! A sign-in's card step carried by the browser instead of stored: the ceremony state sealed
//! under the server key in a short-lived cookie. Starting a sign-in (every visit to the sign-in
//! page with scripts starts one for the browser's autofill list) then writes nothing at all, so
//! strangers cannot fill the database by asking, and nobody behind a shared address is held back
//! by anyone else's starts. The seal keeps the state from being forged or altered; its issue time
//! gives it five minutes; and one use is enforced when it is answered, by recording its nonce
//! (`storage::ceremonies::spend`). The state holds nothing the browser has not already been sent
//! (the challenge, the credential ids offered).

use super::enrollment_code::{keyed_digest, keyed_digest_matches};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// How long the card has to answer: as long as a stored ceremony.
pub const LIFETIME: TimeDelta = crate::storage::ceremonies::LIFETIME;

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    kind: String,
    nonce: String,
    issued_at: i64,
    state: String,
}

/// Why a sealed step cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unsealed {
    #[error("the card step is not one this server sealed for this purpose")]
    Forged,
    #[error("the card step is older than five minutes")]
    Expired,
}

/// `state` (JSON) sealed for `kind`, with a fresh `nonce`, as cookie-safe text.
pub fn seal(key: &[u8], kind: &str, nonce: &str, state: String, now: DateTime<Utc>) -> String {
    let payload = Payload {
        kind: kind.to_owned(),
        nonce: nonce.to_owned(),
        issued_at: now.timestamp(),
        state,
    };
    // Serialising plain strings and an integer cannot fail; an empty payload would not open.
    let json = serde_json::to_vec(&payload).unwrap_or_default();
    let body = URL_SAFE_NO_PAD.encode(json);
    let tag = URL_SAFE_NO_PAD.encode(keyed_digest(key, &format!("card-step:{body}")));
    format!("{body}.{tag}")
}

/// The nonce and state of a sealed step for `kind`, if it is genuine and still fresh.
pub fn open(
    key: &[u8],
    kind: &str,
    sealed: &str,
    now: DateTime<Utc>,
) -> Result<(String, String), Unsealed> {
    let (body, tag) = sealed.split_once('.').ok_or(Unsealed::Forged)?;
    let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| Unsealed::Forged)?;
    if !keyed_digest_matches(key, &format!("card-step:{body}"), &tag) {
        return Err(Unsealed::Forged);
    }
    let json = URL_SAFE_NO_PAD.decode(body).map_err(|_| Unsealed::Forged)?;
    let payload: Payload = serde_json::from_slice(&json).map_err(|_| Unsealed::Forged)?;
    if payload.kind != kind {
        return Err(Unsealed::Forged);
    }
    let age = now.timestamp() - payload.issued_at;
    if !(0..LIFETIME.num_seconds()).contains(&age) {
        return Err(Unsealed::Expired);
    }
    Ok((payload.nonce, payload.state))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 3, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn opens_only_what_it_sealed_for_that_purpose_within_five_minutes() {
        let key = b"server key";
        let sealed = seal(key, "sign_in", "n1", "{\"s\":1}".into(), t0());
        let later = t0() + TimeDelta::seconds(299);
        assert_eq!(
            open(key, "sign_in", &sealed, later),
            Ok(("n1".into(), "{\"s\":1}".into()))
        );
        assert_eq!(
            open(key, "sign_in", &sealed, t0() + LIFETIME),
            Err(Unsealed::Expired)
        );
        assert_eq!(
            open(key, "autofill_sign_in", &sealed, t0()),
            Err(Unsealed::Forged),
            "another purpose"
        );
        assert_eq!(
            open(b"other key", "sign_in", &sealed, t0()),
            Err(Unsealed::Forged)
        );
        // Any change to the state or the time breaks the seal.
        let (body, tag) = sealed.split_once('.').unwrap_or_default();
        let mut payload: Payload = serde_json::from_slice(
            &URL_SAFE_NO_PAD.decode(body).unwrap_or_default(),
        )
        .unwrap_or(Payload {
            kind: String::new(),
            nonce: String::new(),
            issued_at: 0,
            state: String::new(),
        });
        payload.issued_at += 3600;
        let moved = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&payload).unwrap_or_default());
        assert_eq!(
            open(key, "sign_in", &format!("{moved}.{tag}"), t0()),
            Err(Unsealed::Forged)
        );
        assert_eq!(open(key, "sign_in", "garbage", t0()), Err(Unsealed::Forged));
    }
}
