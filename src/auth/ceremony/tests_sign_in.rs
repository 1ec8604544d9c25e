//! Tests of sign-in with allowCredentials (the insured-number fallback) against a SoftToken.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::testkit::{Rp, TestResult, card_policy, code, stray_token};
use super::{CardPolicy, Ceremonies};
use webauthn_authenticator_rs::softtoken::SoftToken;

#[test]
fn two_sign_ins_in_a_row_update_the_card() -> TestResult {
    let (mut tok, policy) = card_policy()?;
    for policy in [policy, CardPolicy::Dev] {
        let rp = Rp::new(policy)?;
        let mut card = rp.register(&mut tok)?;
        let mut last = card.counter().ok_or("no counter")?;
        for _ in 0..2 {
            let (updated, rec) = rp.sign_in(&mut tok, &card)?;
            assert!(rec.counter > last, "counter must grow");
            assert_eq!(updated.counter(), Some(rec.counter));
            assert_eq!(rec.credential_id, card.cred_id());
            assert!(rec.user_verified);
            assert_eq!(rec.authenticator_data.len(), 37, "rpIdHash, flags, counter");
            assert!(!rec.signature.is_empty());
            let client: serde_json::Value = serde_json::from_slice(&rec.client_data_json)?;
            assert_eq!(client["type"], "webauthn.get");
            // SoftToken serialises the origin as a URL ("…:3000/"); browsers omit the slash.
            let origin = client["origin"].as_str().unwrap_or_default();
            assert!(origin.starts_with("http://localhost:3000"), "{origin}");
            last = rec.counter;
            card = updated;
        }
    }
    Ok(())
}

#[test]
fn reply_from_a_foreign_origin_is_refused() -> TestResult {
    let (mut tok, policy) = card_policy()?;
    let rp = Rp::new(policy)?;
    let card = rp.register(&mut tok)?;
    for origin in ["http://localhost:4000", "https://localhost:3000"] {
        let phish = Rp::new(CardPolicy::Dev)?.with_origin(origin)?;
        let (rcr, st) = rp.c.start_sign_in_for(std::slice::from_ref(&card))?;
        let reply = phish.token_signs(&mut tok, rcr)?;
        assert_eq!(
            code(&rp.c.finish_sign_in(&reply, st, &card)),
            Some("origin_mismatch")
        );
    }
    Ok(())
}

#[test]
fn reply_for_another_relying_party_is_refused() -> TestResult {
    let (mut tok, policy) = card_policy()?;
    let a = Rp::new(policy.clone())?;
    let card = a.register(&mut tok)?;

    // B verifying a reply A's page obtained: the challenge is checked first
    // (webauthn-rs-core core.rs:802).
    let b = Rp::at("http://other.localhost:3000", policy.clone())?;
    let (_, b_state) = b.c.start_sign_in_for(std::slice::from_ref(&card))?;
    let (rcr, _) = a.c.start_sign_in_for(std::slice::from_ref(&card))?;
    let reply = a.token_signs(&mut tok, rcr)?;
    assert_eq!(
        code(&b.c.finish_sign_in(&reply, b_state, &card)),
        Some("challenge_mismatch")
    );

    // B's own challenge and origin, but the card signed for RP ID "localhost" (a page on
    // other.localhost may ask for its parent domain). SoftToken accepts plain http only for
    // "localhost" itself, so B lives on https here.
    let b = Rp::at("https://other.localhost:3000", policy)?;
    let (mut rcr, st) = b.c.start_sign_in_for(std::slice::from_ref(&card))?;
    assert_eq!(rcr.public_key.rp_id, "other.localhost");
    rcr.public_key.rp_id = "localhost".into();
    let reply = b.token_signs(&mut tok, rcr)?;
    assert_eq!(
        code(&b.c.finish_sign_in(&reply, st, &card)),
        Some("rp_id_mismatch")
    );
    Ok(())
}

#[test]
fn replays_are_refused() -> TestResult {
    let (mut tok, policy) = card_policy()?;
    let rp = Rp::new(policy)?;
    let card = rp.register(&mut tok)?;

    // The same reply and state again (a caller that kept the state): the stored counter moved.
    let (rcr, st) = rp.c.start_sign_in_for(std::slice::from_ref(&card))?;
    let reply = rp.token_signs(&mut tok, rcr)?;
    let (card, _) = rp.c.finish_sign_in(&reply, st.clone(), &card)?;
    assert_eq!(
        code(&rp.c.finish_sign_in(&reply, st, &card)),
        Some("counter_regressed")
    );

    // A reply made for another sign-in's challenge.
    let (_, st1) = rp.c.start_sign_in_for(std::slice::from_ref(&card))?;
    let (rcr2, _) = rp.c.start_sign_in_for(std::slice::from_ref(&card))?;
    let reply = rp.token_signs(&mut tok, rcr2)?;
    assert_eq!(
        code(&rp.c.finish_sign_in(&reply, st1, &card)),
        Some("challenge_mismatch")
    );
    Ok(())
}

#[test]
fn counter_regression_flags_a_possible_clone() -> TestResult {
    let (mut tok, policy) = card_policy()?;
    let rp = Rp::new(policy)?;
    let card = rp.register(&mut tok)?;
    // A bit-for-bit copy of the card taken right after registration.
    let mut clone = SoftToken::from_cbor(&tok.to_cbor()?)?;

    // An old assertion, kept back, presented after two newer sign-ins were stored.
    let (rcr, old_state) = rp.c.start_sign_in_for(std::slice::from_ref(&card))?;
    let old_reply = rp.token_signs(&mut tok, rcr)?;
    let (card, _) = rp.sign_in(&mut tok, &card)?;
    let (card, _) = rp.sign_in(&mut tok, &card)?;
    let got = rp.c.finish_sign_in(&old_reply, old_state, &card);
    assert_eq!(code(&got), Some("counter_regressed"));

    // The clone signs with its own, lower counter: fresh challenge, valid signature, refused.
    assert_eq!(
        code(&rp.try_sign_in(&mut clone, &card)?),
        Some("counter_regressed")
    );
    Ok(())
}

#[test]
fn only_offered_cards_of_the_policy_are_accepted() -> TestResult {
    let (mut tok, policy) = card_policy()?;
    let rp = Rp::new(policy.clone())?;
    let card_a = rp.register(&mut tok)?;
    let card_b = rp.register(&mut tok)?;

    // The token answers with card A, the caller loaded card B.
    let (rcr, st) = rp.c.start_sign_in_for(&[card_a.clone(), card_b.clone()])?;
    let mut only_a = rcr.clone();
    only_a
        .public_key
        .allow_credentials
        .retain(|ac| ac.id == card_a.cred_id());
    let reply = rp.token_signs(&mut tok, only_a)?;
    assert_eq!(
        code(&rp.c.finish_sign_in(&reply, st, &card_b)),
        Some("unknown_credential")
    );

    // Card B was not offered in this ceremony.
    let (mut rcr, st) = rp.c.start_sign_in_for(std::slice::from_ref(&card_a))?;
    rcr.public_key.allow_credentials[0].id = card_b.cred_id().to_vec();
    let reply = rp.token_signs(&mut tok, rcr)?;
    assert_eq!(
        code(&rp.c.finish_sign_in(&reply, st, &card_b)),
        Some("unknown_credential")
    );

    // A card registered in demo mode is neither offered nor accepted under the card policy.
    let dev = Rp::new(CardPolicy::Dev)?;
    let mut other = stray_token()?;
    let demo_card = dev.register(&mut other)?;
    let strict = Ceremonies::new(&dev.origin, "Test Portal", policy)?;
    assert_eq!(
        code(&strict.start_sign_in_for(std::slice::from_ref(&demo_card))),
        Some("unknown_credential")
    );
    let (rcr, st) = dev.c.start_sign_in_for(std::slice::from_ref(&demo_card))?;
    let reply = dev.token_signs(&mut other, rcr)?;
    assert_eq!(
        code(&strict.finish_sign_in(&reply, st, &demo_card)),
        Some("not_trusted")
    );
    Ok(())
}

#[test]
fn allow_list_sign_in_options() -> TestResult {
    let (mut tok, policy) = card_policy()?;
    let rp = Rp::new(policy)?;
    let card = rp.register(&mut tok)?;
    let (rcr, _) = rp.c.start_sign_in_for(std::slice::from_ref(&card))?;
    let ids: Vec<_> = rcr
        .public_key
        .allow_credentials
        .iter()
        .map(|a| a.id.clone())
        .collect();
    assert_eq!(ids, vec![card.cred_id().to_vec()]);
    assert!(rcr.mediation.is_none());
    assert_eq!(
        format!("{:?}", rcr.public_key.user_verification),
        "Required"
    );
    assert_eq!(
        code(&rp.c.start_sign_in_for(&[])),
        Some("unknown_credential")
    );
    Ok(())
}
