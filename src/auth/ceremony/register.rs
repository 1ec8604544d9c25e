//! Registering a card: options for `navigator.credentials.create()` and checking its reply.

use super::card::CardKey;
use super::state::RegistrationInner;
use super::{CardPolicy, Ceremonies, CeremonyError, RegistrationState, StoredCard};
use webauthn_rs::prelude::{
    AuthenticatorAttachment, CreationChallengeResponse, CredentialID, RegisterPublicKeyCredential,
    Uuid,
};
use webauthn_rs_proto::{
    AuthenticatorSelectionCriteria, ResidentKeyRequirement, UserVerificationPolicy,
};

impl Ceremonies {
    /// Discoverable (resident-key) registration; `exclude` = the patient's existing card ids,
    /// so a card already registered is refused by the browser before the patient is asked.
    ///
    /// Under `Card`, webauthn-rs asks for direct attestation, requires UV, enforces credProtect
    /// (UV required) and refuses synced credentials (webauthn-rs lib.rs:1156-1203).
    pub fn start_registration(
        &self,
        user: Uuid,
        user_name: &str,
        display_name: &str,
        exclude: &[StoredCard],
    ) -> Result<(CreationChallengeResponse, RegistrationState), CeremonyError> {
        let ids: Vec<CredentialID> = exclude.iter().map(|c| c.cred_id().to_vec()).collect();
        let exclude = (!ids.is_empty()).then_some(ids);
        let (mut ccr, inner) = match &self.policy {
            CardPolicy::Card(anchors) => {
                let (ccr, st) = self.webauthn.start_attested_passkey_registration(
                    user,
                    user_name,
                    display_name,
                    exclude,
                    anchors.clone(),
                    // The card is read over NFC/USB: steer browsers away from built-in
                    // authenticators, which could never chain to a card issuer anyway.
                    Some(AuthenticatorAttachment::CrossPlatform),
                )?;
                (ccr, RegistrationInner::Attested(st))
            }
            CardPolicy::Dev => {
                let (ccr, st) = self.webauthn.start_passkey_registration(
                    user,
                    user_name,
                    display_name,
                    exclude,
                )?;
                (ccr, RegistrationInner::Passkey(st))
            }
        };
        require_resident_key(&mut ccr);
        Ok((ccr, RegistrationState { user, inner }))
    }

    /// Verifies the browser's reply against the state from `start_registration` (taken out of
    /// the session: a state is single-use). The caller must still refuse a credential id that
    /// is already stored for any patient.
    pub fn finish_registration(
        &self,
        reply: &RegisterPublicKeyCredential,
        state: RegistrationState,
    ) -> Result<StoredCard, CeremonyError> {
        let RegistrationState { user, inner } = state;
        let key = match (&self.policy, inner) {
            // The state carries the trust list it was started with (webauthn-rs
            // interface.rs:150), so an attested state verifies the same under either policy.
            (_, RegistrationInner::Attested(st)) => CardKey::Attested(
                self.webauthn
                    .finish_attested_passkey_registration(reply, &st)?,
            ),
            (CardPolicy::Dev, RegistrationInner::Passkey(st)) => {
                CardKey::Passkey(self.webauthn.finish_passkey_registration(reply, &st)?)
            }
            // A demo-mode state finished after a switch to the card policy would register an
            // authenticator whose attestation nobody checked.
            (CardPolicy::Card(_), RegistrationInner::Passkey(_)) => {
                return Err(CeremonyError::NotTrusted);
            }
        };
        Ok(StoredCard::new(user, key))
    }
}

/// Both webauthn-rs registration flows used here ask for a non-resident key
/// (`require_resident_key(false)`, webauthn-rs lib.rs:569 and lib.rs:1182), but "Sign in with
/// card" needs the card to store the credential so it can offer it without a user name. The
/// options are ours to send, so ask for it here. webauthn-rs does not check residency in the
/// reply (webauthn-rs-core core.rs:541), so this changes only what the authenticator is asked.
fn require_resident_key(ccr: &mut CreationChallengeResponse) {
    let sel = ccr
        .public_key
        .authenticator_selection
        .get_or_insert_with(|| AuthenticatorSelectionCriteria {
            user_verification: UserVerificationPolicy::Required,
            ..Default::default()
        });
    sel.resident_key = Some(ResidentKeyRequirement::Required);
    // The Level 1 spelling, still read by older browsers.
    sel.require_resident_key = true;
}
