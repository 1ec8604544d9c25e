//! Test helpers: a relying party on http://localhost:3000 and a SoftToken playing the card.
//!
//! SoftToken (webauthn-authenticator-rs) stands in for the card, with two gaps bridged here
//! the way a browser and a real card would: it refuses `requireResidentKey`
//! (softtoken.rs:417) and it can neither answer without `allowCredentials` nor return a user
//! handle (softtoken.rs:639).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{
    AssertionRecord, CardPolicy, Ceremonies, CeremonyError, CreationChallengeResponse,
    PublicKeyCredential, RegisterPublicKeyCredential, RequestChallengeResponse, StoredCard,
};
use webauthn_authenticator_rs::prelude::WebauthnAuthenticator;
use webauthn_authenticator_rs::softtoken::{AAGUID, SoftToken};
use webauthn_rs::prelude::{AttestationCaListBuilder, Url, Uuid};
use webauthn_rs_proto::AllowCredentials;

pub(super) const ORIGIN: &str = "http://localhost:3000";

/// Outer error: the test harness broke. Inner results (where returned) are the ceremony's.
pub(super) type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// A token plus a `Card` policy trusting exactly its issuer CA.
pub(super) fn card_policy() -> TestResult<(SoftToken, CardPolicy)> {
    // `true` = falsify UV: the token sets the UV flag, which every flow here requires.
    let (tok, ca) = SoftToken::new(true)?;
    let mut anchors = AttestationCaListBuilder::new();
    anchors
        .insert_device_x509(ca, AAGUID, "softtoken".into(), Default::default())
        .map_err(|e| format!("{e}"))?;
    Ok((tok, CardPolicy::Card(anchors.build())))
}

/// A token whose issuer CA is in no trust list.
pub(super) fn stray_token() -> TestResult<SoftToken> {
    Ok(SoftToken::new(true)?.0)
}

/// A relying party, one patient, and the origin the "browser" claims.
pub(super) struct Rp {
    pub c: Ceremonies,
    pub user: Uuid,
    pub origin: Url,
}

impl Rp {
    pub fn new(policy: CardPolicy) -> TestResult<Self> {
        Self::at(ORIGIN, policy)
    }

    pub fn at(url: &str, policy: CardPolicy) -> TestResult<Self> {
        let origin = Url::parse(url)?;
        let c = Ceremonies::new(&origin, "Test Portal", policy)?;
        Ok(Self {
            c,
            user: Uuid::new_v4(),
            origin,
        })
    }

    /// Same RP, browser claiming another origin.
    pub fn with_origin(mut self, url: &str) -> TestResult<Self> {
        self.origin = Url::parse(url)?;
        Ok(self)
    }

    /// The token answers registration options. The resident-key request is dropped first:
    /// the server never checks residency (core.rs:541), so only the token notices.
    pub fn token_registers(
        &self,
        tok: &mut SoftToken,
        mut ccr: CreationChallengeResponse,
    ) -> TestResult<RegisterPublicKeyCredential> {
        if let Some(sel) = ccr.public_key.authenticator_selection.as_mut() {
            sel.require_resident_key = false;
        }
        Ok(tok.do_registration(self.origin.clone(), ccr)?)
    }

    pub fn token_signs(
        &self,
        tok: &mut SoftToken,
        rcr: RequestChallengeResponse,
    ) -> TestResult<PublicKeyCredential> {
        Ok(tok.do_authentication(self.origin.clone(), rcr)?)
    }

    /// What a resident-key card answers to a discoverable request: it finds its credential
    /// itself and returns the user handle stored with it. The handle is outside the signed
    /// data, so setting it after signing yields exactly such a reply.
    pub fn card_answers(
        &self,
        tok: &mut SoftToken,
        mut rcr: RequestChallengeResponse,
        card: &StoredCard,
        handle: Option<Vec<u8>>,
    ) -> TestResult<PublicKeyCredential> {
        rcr.public_key.allow_credentials = vec![AllowCredentials {
            type_: "public-key".into(),
            id: card.cred_id().to_vec(),
            transports: None,
        }];
        let mut reply = self.token_signs(tok, rcr)?;
        reply.response.user_handle = handle;
        Ok(reply)
    }

    pub fn try_register(
        &self,
        tok: &mut SoftToken,
    ) -> TestResult<Result<StoredCard, CeremonyError>> {
        let (ccr, st) = self
            .c
            .start_registration(self.user, "hanako", "Hanako", &[])?;
        let reply = self.token_registers(tok, ccr)?;
        Ok(self.c.finish_registration(&reply, st))
    }

    pub fn register(&self, tok: &mut SoftToken) -> TestResult<StoredCard> {
        Ok(self.try_register(tok)??)
    }

    pub fn try_sign_in(
        &self,
        tok: &mut SoftToken,
        card: &StoredCard,
    ) -> TestResult<Result<(StoredCard, AssertionRecord), CeremonyError>> {
        let (rcr, st) = self.c.start_sign_in_for(std::slice::from_ref(card))?;
        let reply = self.token_signs(tok, rcr)?;
        Ok(self.c.finish_sign_in(&reply, st, card))
    }

    pub fn sign_in(
        &self,
        tok: &mut SoftToken,
        card: &StoredCard,
    ) -> TestResult<(StoredCard, AssertionRecord)> {
        Ok(self.try_sign_in(tok, card)??)
    }
}

/// The error code of a ceremony outcome, for table-driven assertions.
pub(super) fn code<T>(r: &Result<T, CeremonyError>) -> Option<&'static str> {
    r.as_ref().err().map(CeremonyError::code)
}
