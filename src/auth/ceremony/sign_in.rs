//! Signing in with a card: options for `navigator.credentials.get()` and checking its reply.

use super::card::CardKey;
use super::{
    AssertionRecord, CardPolicy, Ceremonies, CeremonyError, PublicKeyCredential,
    RequestChallengeResponse, SignInState, StoredCard,
};
use webauthn_rs::prelude::{Passkey, Uuid};
use webauthn_rs_proto::{AllowCredentials, PublicKeyCredentialHints};

impl Ceremonies {
    /// "Sign in with card": no user name; the card offers its resident credential.
    pub fn start_discoverable_sign_in(
        &self,
    ) -> Result<(RequestChallengeResponse, SignInState), CeremonyError> {
        let (mut rcr, inner) = self.webauthn.start_discoverable_authentication()?;
        // webauthn-rs marks this as conditional mediation (autofill UI, lib.rs:1344); a
        // button-triggered sign-in needs the ordinary modal dialog, which is mediation unset.
        rcr.mediation = None;
        rcr.public_key.hints = self.hints();
        Ok((
            rcr,
            SignInState {
                inner,
                allowed: None,
            },
        ))
    }

    /// Sign-in through the browser's autofill list (conditional mediation), offered only where
    /// the browser supports it and always next to the button: the same discoverable sign-in,
    /// with the options marked conditional so the browser waits for the person to pick a card.
    pub fn start_autofill_sign_in(
        &self,
    ) -> Result<(RequestChallengeResponse, SignInState), CeremonyError> {
        let (mut rcr, state) = self.start_discoverable_sign_in()?;
        rcr.mediation = Some(webauthn_rs_proto::Mediation::Conditional);
        Ok((rcr, state))
    }

    /// Fallback after the patient typed their insured number: allowCredentials = their cards.
    /// Cards the policy does not accept are left out; none left is `UnknownCredential`.
    pub fn start_sign_in_for(
        &self,
        cards: &[StoredCard],
    ) -> Result<(RequestChallengeResponse, SignInState), CeremonyError> {
        let usable: Vec<&StoredCard> = cards.iter().filter(|c| self.accepts(c)).collect();
        if usable.is_empty() {
            return Err(CeremonyError::UnknownCredential);
        }
        let allow = self.allow_list(&usable)?;
        let (mut rcr, state) = self.start_discoverable_sign_in()?;
        let allowed = allow.iter().map(|a| a.id.clone()).collect();
        rcr.public_key.allow_credentials = allow;
        Ok((
            rcr,
            SignInState {
                inner: state.inner,
                allowed: Some(allowed),
            },
        ))
    }

    /// The insured-number fallback's options: the cards this policy accepts (at most `count`,
    /// in the order given) and then `decoys` up to `count` entries in all, sorted by id and
    /// without transports, so the list has one shape whoever the number belongs to. The
    /// made-up ids are offered but no card can answer them.
    pub fn start_sign_in_padded(
        &self,
        cards: &[StoredCard],
        decoys: &[Vec<u8>],
        count: usize,
    ) -> Result<(RequestChallengeResponse, SignInState), CeremonyError> {
        let usable: Vec<&StoredCard> = cards
            .iter()
            .filter(|c| self.accepts(c))
            .take(count)
            .collect();
        let mut ids: Vec<Vec<u8>> = usable.iter().map(|c| c.cred_id().to_vec()).collect();
        ids.extend(decoys.iter().take(count.saturating_sub(ids.len())).cloned());
        ids.sort();
        let (mut rcr, state) = self.start_discoverable_sign_in()?;
        // Transports are a hint the browser can do without; real cards recorded theirs, made-up
        // ones have none, so nobody's are sent.
        rcr.public_key.allow_credentials = ids
            .iter()
            .map(|id| AllowCredentials {
                type_: "public-key".into(),
                id: id.clone(),
                transports: None,
            })
            .collect();
        Ok((
            rcr,
            SignInState {
                inner: state.inner,
                allowed: Some(ids),
            },
        ))
    }

    /// Which user and credential a reply claims, before verification, to load the stored
    /// card. Nothing here is proven yet: the user handle is not covered by the signature.
    /// Replies to `start_sign_in_for` may lack a user handle (`BadReply`); the caller knows the
    /// user there and can match the card by `reply.raw_id` instead.
    pub fn identify(&self, reply: &PublicKeyCredential) -> Result<(Uuid, Vec<u8>), CeremonyError> {
        let (user, cred_id) = self.webauthn.identify_discoverable_authentication(reply)?;
        Ok((user, cred_id.to_vec()))
    }

    /// Verifies the reply against `state` (taken out of the session: single-use) and `card`,
    /// freshly loaded from the database. Returns the card to persist (counter and backup
    /// flags updated) and the facts of this sign-in. The signed-in patient is `card.user()`.
    pub fn finish_sign_in(
        &self,
        reply: &PublicKeyCredential,
        state: SignInState,
        card: &StoredCard,
    ) -> Result<(StoredCard, AssertionRecord), CeremonyError> {
        if !self.accepts(card) {
            return Err(CeremonyError::NotTrusted);
        }
        let SignInState { inner, allowed } = state;
        let offered = allowed
            .as_ref()
            .is_none_or(|ids| ids.contains(&reply.raw_id));
        if !offered || reply.raw_id != card.cred_id() {
            return Err(CeremonyError::UnknownCredential);
        }
        check_user_handle(reply, card, allowed.is_none())?;

        let res = match card.key() {
            CardKey::Attested(k) => self
                .webauthn
                .finish_discoverable_authentication_v2(reply, inner, k),
            CardKey::Passkey(k) => self
                .webauthn
                .finish_discoverable_authentication_v2(reply, inner, k),
        }?;
        // webauthn-rs already enforces UV (policy Required: webauthn-rs lib.rs:1323,
        // webauthn-rs-core core.rs:852); checked again so this module's promise does not
        // rest on that call's internals.
        if !res.user_verified() {
            return Err(CeremonyError::UserNotVerified);
        }

        let mut updated = card.clone();
        if res.needs_update() && !updated.apply(&res) {
            return Err(CeremonyError::UnknownCredential);
        }
        let record = AssertionRecord {
            credential_id: res.cred_id().to_vec(),
            counter: res.counter(),
            user_verified: res.user_verified(),
            client_data_json: reply.response.client_data_json.clone(),
            authenticator_data: reply.response.authenticator_data.clone(),
            signature: reply.response.signature.clone(),
        };
        Ok((updated, record))
    }

    /// Browser UI hints: a card is a removable security key. None in demo mode, where the
    /// authenticator may be anything.
    fn hints(&self) -> Option<Vec<PublicKeyCredentialHints>> {
        match self.policy {
            CardPolicy::Card(_) => Some(vec![PublicKeyCredentialHints::SecurityKey]),
            CardPolicy::Dev => None,
        }
    }

    /// The `allowCredentials` entries webauthn-rs would send for these cards, including the
    /// transports each card reported at registration (stored in its credential, which is not
    /// readable from outside webauthn-rs). The challenge generated alongside is discarded.
    fn allow_list(&self, cards: &[&StoredCard]) -> Result<Vec<AllowCredentials>, CeremonyError> {
        let keys: Vec<Passkey> = cards
            .iter()
            .map(|c| match c.key() {
                CardKey::Attested(k) => Passkey::from(k),
                CardKey::Passkey(k) => k.clone(),
            })
            .collect();
        let (rcr, _discarded) = self.webauthn.start_passkey_authentication(&keys)?;
        Ok(rcr.public_key.allow_credentials)
    }
}

/// The user handle is unsigned, so a reply could name any patient while being signed by the
/// attacker's own card; only the owner recorded for the card counts. A discoverable reply must
/// carry one (it is how the card was looked up); with allowCredentials it is optional.
fn check_user_handle(
    reply: &PublicKeyCredential,
    card: &StoredCard,
    required: bool,
) -> Result<(), CeremonyError> {
    match reply.get_user_unique_id() {
        Some(handle) if handle == card.user().as_bytes() => Ok(()),
        Some(_) => Err(CeremonyError::UnknownCredential),
        None if required => Err(CeremonyError::BadReply),
        None => Ok(()),
    }
}
