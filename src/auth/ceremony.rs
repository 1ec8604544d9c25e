//! WebAuthn ceremonies for signing patients in with their insurance card (a FIDO2 authenticator).
//!
//! Two policies: [`CardPolicy::Card`] accepts only authenticators whose attestation chains to
//! configured anchors (checked once, at registration) and always requires user verification;
//! [`CardPolicy::Dev`] accepts any authenticator that verifies the user (demo mode only).
//!
//! Sign-in always runs through webauthn-rs' discoverable-authentication API, also when the
//! browser is given an `allowCredentials` list: that API verifies against the card the caller
//! loaded from the database *now* (`finish_discoverable_authentication_v2`), whereas the
//! attested/passkey sign-in APIs verify against a copy of the credential taken at start, so two
//! interleaved sign-ins could both pass the clone-detecting counter check with a stale copy.
//! Both APIs use the same core check (`authenticate_single_credential`) with UV required and
//! backup-eligibility upgrades refused (webauthn-rs 0.6.2 lib.rs:1323-1329 vs lib.rs:1263-1264).
//!
//! Caller duties (none can be enforced here):
//! - keep [`RegistrationState`] / [`SignInState`] where the browser cannot alter them (stored
//!   server-side, or sealed under the server key: `auth::sealed_step`) and use each once,
//!   enforced where all servers see it (`storage::ceremonies`): a replay against a card whose
//!   counter was not updated, or a card whose counter stays 0, is not otherwise caught;
//! - persist the returned [`StoredCard`] after every successful sign-in (counter);
//! - refuse a registration whose credential id is already stored for any patient;
//! - disable a card on [`CeremonyError::CounterRegressed`] (a possible clone).

mod anchors;
mod card;
mod error;
mod register;
mod sign_in;
mod state;
#[cfg(test)]
mod testkit;
#[cfg(test)]
mod tests_discoverable;
#[cfg(test)]
mod tests_register;
#[cfg(test)]
mod tests_sign_in;

pub use crate::domain::card_check::AssertionRecord;
pub use anchors::load_trust_anchors;
pub use card::StoredCard;
pub use error::CeremonyError;
pub use state::{RegistrationState, SignInState};
// Re-exported so callers name the wire types through this module and cannot pick up a second,
// incompatible copy of webauthn-rs-proto.
pub use webauthn_rs::prelude::{
    AttestationCaList, CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse, Uuid,
};

use webauthn_rs::prelude::{Url, Webauthn, WebauthnBuilder};

/// Which authenticators may be registered.
#[derive(Debug, Clone)]
pub enum CardPolicy {
    /// Hardware cards only: attestation must chain to these anchors, UV required.
    Card(AttestationCaList),
    /// Any authenticator with user verification; only for `--demo`.
    Dev,
}

/// The relying party: one per deployment, built from the public URL patients see.
#[derive(Debug, Clone)]
pub struct Ceremonies {
    webauthn: Webauthn,
    policy: CardPolicy,
}

impl Ceremonies {
    /// `public_url` must have a domain name (WebAuthn refuses IP-address origins); its host is
    /// the RP ID, so credentials are bound to exactly that host.
    pub fn new(public_url: &Url, rp_name: &str, policy: CardPolicy) -> Result<Self, CeremonyError> {
        if let CardPolicy::Card(anchors) = &policy {
            // webauthn-rs would refuse this only at the first registration (lib.rs:1152).
            if anchors.is_empty() {
                return Err(CeremonyError::NoTrustAnchors);
            }
        }
        let rp_id = public_url.domain().ok_or(CeremonyError::Config)?;
        // Only the origin takes part in the origin check; drop any path of the public URL.
        let origin = Url::parse(&public_url.origin().ascii_serialization())
            .map_err(|_| CeremonyError::Config)?;
        let webauthn = WebauthnBuilder::new(rp_id, &origin)?
            .rp_name(rp_name)
            .build()?;
        Ok(Self { webauthn, policy })
    }

    /// `"card"` or `"dev"`, for logs and the admin screen.
    pub fn policy_name(&self) -> &'static str {
        match self.policy {
            CardPolicy::Card(_) => "card",
            CardPolicy::Dev => "dev",
        }
    }

    /// Whether this policy signs in with `card` at all: under `Card`, a card registered in demo
    /// mode never passed attestation and must not work.
    fn accepts(&self, card: &StoredCard) -> bool {
        match self.policy {
            CardPolicy::Card(_) => card.is_attested(),
            CardPolicy::Dev => true,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::testkit::{ORIGIN, card_policy};
    use super::*;

    #[test]
    fn new_checks_the_public_url_and_anchors() -> Result<(), Box<dyn std::error::Error>> {
        let (_tok, policy) = card_policy()?;
        let cases: Vec<(&str, CardPolicy, Result<&str, &str>)> = vec![
            (ORIGIN, policy.clone(), Ok("card")),
            (ORIGIN, CardPolicy::Dev, Ok("dev")),
            ("https://portal.example.jp/app/", policy, Ok("card")),
            ("http://127.0.0.1:3000", CardPolicy::Dev, Err("config")),
            (
                ORIGIN,
                CardPolicy::Card(AttestationCaList::default()),
                Err("no_trust_anchors"),
            ),
        ];
        for (url, policy, want) in cases {
            let got = Ceremonies::new(&Url::parse(url)?, "Portal", policy);
            let got = got.as_ref().map(|c| c.policy_name()).map_err(|e| e.code());
            assert_eq!(got, want, "{url}");
        }
        Ok(())
    }
}
