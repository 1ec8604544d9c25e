//! The in-flight ceremony states: serde-able, kept between the two requests of a ceremony.
//!
//! They contain the challenge (and, for registration, the trust list); a browser that could
//! alter one could forge a ceremony, and one used twice is a replay. So registration states stay
//! on the server (`storage::ceremonies`), and a sign-in's state reaches the browser only sealed
//! under the server key and is spent when answered (`auth::sealed_step`).

use serde::{Deserialize, Serialize};
use webauthn_rs::prelude::{
    AttestedPasskeyRegistration, DiscoverableAuthentication, PasskeyRegistration, Uuid,
};

/// A registration started by `Ceremonies::start_registration`; finish it once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegistrationState {
    /// The user handle the options carried; webauthn-rs does not keep it in its state.
    pub(super) user: Uuid,
    pub(super) inner: RegistrationInner,
}

/// Which webauthn-rs flow produced the options; the finish must use the same one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", content = "state", rename_all = "lowercase")]
pub(super) enum RegistrationInner {
    Attested(AttestedPasskeyRegistration),
    Passkey(PasskeyRegistration),
}

/// A sign-in started by `Ceremonies::start_discoverable_sign_in` or `start_sign_in_for`;
/// finish it once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignInState {
    pub(super) inner: DiscoverableAuthentication,
    /// `None` for a discoverable sign-in; otherwise the credential ids offered as
    /// `allowCredentials`, which the reply must be one of (webauthn-rs' discoverable state
    /// does not record them).
    pub(super) allowed: Option<Vec<Vec<u8>>>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::testkit::{Rp, card_policy};
    use super::super::{CardPolicy, RegistrationState, SignInState};

    /// The states survive a trip through a JSON session store and still finish.
    #[test]
    fn states_round_trip_through_json() -> Result<(), Box<dyn std::error::Error>> {
        let (mut tok, policy) = card_policy()?;
        for policy in [policy, CardPolicy::Dev] {
            let rp = Rp::new(policy)?;
            let (ccr, reg) = rp.c.start_registration(rp.user, "h", "H", &[])?;
            let reg: RegistrationState = serde_json::from_str(&serde_json::to_string(&reg)?)?;
            let reply = rp.token_registers(&mut tok, ccr)?;
            let card = rp.c.finish_registration(&reply, reg)?;

            let (rcr, st) = rp.c.start_sign_in_for(std::slice::from_ref(&card))?;
            let st: SignInState = serde_json::from_str(&serde_json::to_string(&st)?)?;
            let reply = rp.token_signs(&mut tok, rcr)?;
            let (_, rec) = rp.c.finish_sign_in(&reply, st, &card)?;
            assert!(rec.user_verified);
        }
        Ok(())
    }
}
