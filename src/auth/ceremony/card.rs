//! What the database keeps per registered card, and what a sign-in proves.

use super::CeremonyError;
use serde::{Deserialize, Serialize};
use webauthn_rs::prelude::{AttestedPasskey, AuthenticationResult, Passkey, Uuid};

/// The webauthn-rs credential; the tag is the card's `kind`. Both types hold the same inner
/// credential; keeping them apart lets the `Card` policy refuse demo-registered passkeys.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", content = "credential", rename_all = "lowercase")]
pub(super) enum CardKey {
    /// Registered under `CardPolicy::Card`: its attestation chained to a trust anchor.
    Attested(AttestedPasskey),
    /// Registered under `CardPolicy::Dev`: attestation was not checked.
    Passkey(Passkey),
}

/// One registered card of one patient. Store `user()`, `kind()` and `cred_id()` in columns
/// (the credential id must be unique across all patients) and `to_json()` as the record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredCard {
    /// The patient's WebAuthn user handle; a discoverable reply must name this same user.
    user: Uuid,
    #[serde(flatten)]
    key: CardKey,
}

impl StoredCard {
    pub(super) fn new(user: Uuid, key: CardKey) -> Self {
        Self { user, key }
    }

    pub(super) fn key(&self) -> &CardKey {
        &self.key
    }

    pub(super) fn is_attested(&self) -> bool {
        matches!(self.key, CardKey::Attested(_))
    }

    /// Applies a verified sign-in (counter, backup state); `false` if the result is for a
    /// different credential, which the caller treats as a mismatch.
    pub(super) fn apply(&mut self, res: &AuthenticationResult) -> bool {
        let updated = match &mut self.key {
            CardKey::Attested(k) => k.update_credential(res),
            CardKey::Passkey(k) => k.update_credential(res),
        };
        updated.is_some()
    }

    /// The patient (WebAuthn user handle) the card was registered for.
    pub fn user(&self) -> Uuid {
        self.user
    }

    /// `"attested"` or `"passkey"`.
    pub fn kind(&self) -> &'static str {
        match self.key {
            CardKey::Attested(_) => "attested",
            CardKey::Passkey(_) => "passkey",
        }
    }

    /// The credential id the card returns as `rawId`.
    pub fn cred_id(&self) -> &[u8] {
        match &self.key {
            CardKey::Attested(k) => k.cred_id(),
            CardKey::Passkey(k) => k.cred_id(),
        }
    }

    /// The last signature counter accepted. webauthn-rs exposes it only through its serialised
    /// form (the field is private without `danger-credential-internals`), so `None` means that
    /// form changed.
    pub fn counter(&self) -> Option<u32> {
        let json = serde_json::to_value(&self.key).ok()?;
        let counter = json.pointer("/credential/cred/counter")?.as_u64()?;
        u32::try_from(counter).ok()
    }

    /// Whether this card made `signature` over `authenticator_data || SHA-256(client_data_json)`:
    /// anyone holding the card's public key can check a kept assertion again, long after.
    pub fn signed(
        &self,
        authenticator_data: &[u8],
        client_data_json: &[u8],
        signature: &[u8],
    ) -> bool {
        use sha2::{Digest, Sha256};
        let passkey: Passkey = match &self.key {
            CardKey::Attested(k) => k.into(),
            CardKey::Passkey(k) => k.clone(),
        };
        let mut signed = authenticator_data.to_vec();
        signed.extend_from_slice(&Sha256::digest(client_data_json));
        passkey
            .get_public_key()
            .verify_signature(signature, &signed)
            .unwrap_or(false)
    }

    /// The record to persist. Fails only if webauthn-rs cannot serialise its credential.
    pub fn to_json(&self) -> Result<String, CeremonyError> {
        serde_json::to_string(self)
            .map_err(|e| CeremonyError::Other(format!("card not serialisable: {e}")))
    }

    pub fn from_json(json: &str) -> Result<Self, CeremonyError> {
        serde_json::from_str(json)
            .map_err(|e| CeremonyError::Other(format!("stored card unreadable: {e}")))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::testkit::{Rp, card_policy};
    use super::super::{CardPolicy, StoredCard};
    use serde_json::Value;

    #[test]
    fn json_round_trips_for_both_kinds() -> Result<(), Box<dyn std::error::Error>> {
        let (mut tok, policy) = card_policy()?;
        for (policy, kind) in [(policy, "attested"), (CardPolicy::Dev, "passkey")] {
            let rp = Rp::new(policy)?;
            let card = rp.register(&mut tok)?;
            let (card, _) = rp.sign_in(&mut tok, &card)?;

            let json = card.to_json()?;
            let back = StoredCard::from_json(&json)?;
            assert_eq!(back.kind(), kind);
            assert_eq!(back.user(), card.user());
            assert_eq!(back.cred_id(), card.cred_id());
            assert!(back.counter().is_some_and(|c| c > 0));
            assert_eq!(back.counter(), card.counter());
            // The wire shape the database sees: a flat record tagged with the kind.
            let v: Value = serde_json::from_str(&json)?;
            assert_eq!(v["kind"], kind);
            assert!(v["user"].is_string() && v["credential"].is_object());
        }
        Ok(())
    }

    #[test]
    fn from_json_refuses_garbage() {
        for bad in [
            "",
            "{}",
            r#"{"user":"x","kind":"attested","credential":{}}"#,
        ] {
            assert_eq!(
                StoredCard::from_json(bad).map_err(|e| e.code()).err(),
                Some("other")
            );
        }
    }
}
