//! Tests of "Sign in with card" (discoverable credential, no user name) against a SoftToken.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::testkit::{Rp, TestResult, card_policy, code};
use super::{CardPolicy, StoredCard};
use webauthn_authenticator_rs::softtoken::SoftToken;
use webauthn_rs::prelude::Uuid;
use webauthn_rs_proto::PublicKeyCredentialHints;

/// A relying party with one registered card, for each policy.
fn setups() -> TestResult<Vec<(Rp, SoftToken, StoredCard)>> {
    let (mut tok, policy) = card_policy()?;
    let card_rp = Rp::new(policy)?;
    let card = card_rp.register(&mut tok)?;
    let (mut dev_tok, _) = card_policy()?;
    let dev_rp = Rp::new(CardPolicy::Dev)?;
    let dev_card = dev_rp.register(&mut dev_tok)?;
    Ok(vec![(card_rp, tok, card), (dev_rp, dev_tok, dev_card)])
}

#[test]
fn discoverable_sign_in_end_to_end() -> TestResult {
    for (rp, mut tok, card) in setups()? {
        let (rcr, st) = rp.c.start_discoverable_sign_in()?;
        // No user name: the card must offer its credential; a modal (not autofill) request.
        assert!(rcr.public_key.allow_credentials.is_empty());
        assert!(rcr.mediation.is_none());
        assert!(serde_json::to_value(&rcr)?.get("mediation").is_none());
        assert_eq!(
            format!("{:?}", rcr.public_key.user_verification),
            "Required"
        );
        let hints =
            (rp.c.policy_name() == "card").then(|| vec![PublicKeyCredentialHints::SecurityKey]);
        assert_eq!(rcr.public_key.hints, hints);

        let handle = Some(rp.user.as_bytes().to_vec());
        let reply = rp.card_answers(&mut tok, rcr, &card, handle)?;
        let (user, cred_id) = rp.c.identify(&reply)?;
        assert_eq!((user, cred_id.as_slice()), (rp.user, card.cred_id()));

        // The caller loads the card by `cred_id` and finishes.
        let (updated, rec) = rp.c.finish_sign_in(&reply, st, &card)?;
        assert!(rec.user_verified);
        assert_eq!(updated.user(), rp.user);
        assert!(updated.counter() > card.counter());

        // And again with the updated card: the counter keeps moving.
        let (rcr, st) = rp.c.start_discoverable_sign_in()?;
        let reply = rp.card_answers(&mut tok, rcr, &updated, Some(rp.user.as_bytes().to_vec()))?;
        let (again, _) = rp.c.finish_sign_in(&reply, st.clone(), &updated)?;
        assert!(again.counter() > updated.counter());
        // Replaying that reply against the stored card is caught by the counter.
        let replay = rp.c.finish_sign_in(&reply, st, &again);
        assert_eq!(code(&replay), Some("counter_regressed"));
    }
    Ok(())
}

/// An expected error code, `None` for success.
type Code = Option<&'static str>;

#[test]
fn user_handle_must_name_the_cards_owner() -> TestResult {
    let stranger = Uuid::new_v4();
    // (user handle in the reply, identify() result, finish_sign_in() result)
    let cases: [(Option<Vec<u8>>, Code, Code); 3] = [
        // Someone signs with their own card but claims another patient's handle.
        (
            Some(stranger.as_bytes().to_vec()),
            None,
            Some("unknown_credential"),
        ),
        // Discoverable replies must say whose card it is.
        (None, Some("bad_reply"), Some("bad_reply")),
        (
            Some(b"not-a-uuid".to_vec()),
            Some("bad_reply"),
            Some("unknown_credential"),
        ),
    ];
    for (rp, mut tok, card) in setups()? {
        for (i, (handle, identify, finish)) in cases.iter().enumerate() {
            let (rcr, st) = rp.c.start_discoverable_sign_in()?;
            let reply = rp.card_answers(&mut tok, rcr, &card, handle.clone())?;
            assert_eq!(code(&rp.c.identify(&reply)), *identify, "identify case {i}");
            let got = rp.c.finish_sign_in(&reply, st, &card);
            assert_eq!(code(&got), *finish, "finish case {i}");
        }
    }
    Ok(())
}

#[test]
fn identify_needs_a_user_handle() -> TestResult {
    // SoftToken, like many security keys, sends no user handle to an allowCredentials request.
    for (rp, mut tok, card) in setups()? {
        let (rcr, st) = rp.c.start_sign_in_for(std::slice::from_ref(&card))?;
        let reply = rp.token_signs(&mut tok, rcr)?;
        assert_eq!(code(&rp.c.identify(&reply)), Some("bad_reply"));
        // Not needed there: the caller knew the patient and offered only their cards.
        rp.c.finish_sign_in(&reply, st, &card)?;
    }
    Ok(())
}
