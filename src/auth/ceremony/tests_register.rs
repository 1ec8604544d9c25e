//! Tests of card registration against a SoftToken (see testkit.rs for its stand-in role).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::testkit::{ORIGIN, Rp, TestResult, card_policy, code, stray_token};
use super::{CardPolicy, Ceremonies};
use webauthn_rs_proto::{AttestationConveyancePreference, ResidentKeyRequirement};
use webauthn_rs_proto::{AuthenticatorAttachment, UserVerificationPolicy};

#[test]
fn card_options_ask_for_an_attested_resident_key_with_uv() -> TestResult {
    let (mut tok, policy) = card_policy()?;
    let rp = Rp::new(policy)?;
    let first = rp.register(&mut tok)?;

    let (ccr, _) =
        rp.c.start_registration(rp.user, "hanako", "Hanako", std::slice::from_ref(&first))?;
    let opts = &ccr.public_key;
    let sel = opts
        .authenticator_selection
        .as_ref()
        .ok_or("no selection")?;
    assert_eq!(sel.resident_key, Some(ResidentKeyRequirement::Required));
    assert!(sel.require_resident_key);
    assert_eq!(sel.user_verification, UserVerificationPolicy::Required);
    assert_eq!(
        sel.authenticator_attachment,
        Some(AuthenticatorAttachment::CrossPlatform)
    );
    assert!(matches!(
        opts.attestation,
        Some(AttestationConveyancePreference::Direct)
    ));
    assert_eq!(opts.user.id, rp.user.as_bytes().to_vec());
    assert_eq!(opts.rp.id, "localhost");
    let excluded: Vec<_> = opts
        .exclude_credentials
        .iter()
        .flatten()
        .map(|d| d.id.clone())
        .collect();
    assert_eq!(excluded, vec![first.cred_id().to_vec()]);
    Ok(())
}

#[test]
fn dev_options_also_ask_for_a_resident_key_with_uv() -> TestResult {
    let rp = Rp::new(CardPolicy::Dev)?;
    let (ccr, _) = rp.c.start_registration(rp.user, "hanako", "Hanako", &[])?;
    let sel = ccr
        .public_key
        .authenticator_selection
        .ok_or("no selection")?;
    assert_eq!(sel.resident_key, Some(ResidentKeyRequirement::Required));
    assert_eq!(sel.user_verification, UserVerificationPolicy::Required);
    assert_eq!(ccr.public_key.exclude_credentials, None);
    Ok(())
}

enum Token {
    /// Its issuer CA is the one the `Card` policy trusts.
    Trusted,
    /// A genuine-looking token from an issuer nobody configured.
    Stray,
}

#[test]
fn registration_outcomes() -> TestResult {
    use Token::*;
    // (policy is Card?, token, browser origin, expected kind or error code)
    let cases: [(bool, Token, &str, Result<&str, &str>); 7] = [
        (true, Trusted, ORIGIN, Ok("attested")),
        (true, Stray, ORIGIN, Err("not_trusted")),
        (false, Stray, ORIGIN, Ok("passkey")),
        (false, Trusted, ORIGIN, Ok("passkey")),
        (
            true,
            Trusted,
            "http://localhost:4000",
            Err("origin_mismatch"),
        ),
        (
            true,
            Trusted,
            "https://localhost:3000",
            Err("origin_mismatch"),
        ),
        (
            false,
            Stray,
            "http://localhost:4000",
            Err("origin_mismatch"),
        ),
    ];
    for (i, (card, token, origin, want)) in cases.into_iter().enumerate() {
        let (trusted, policy) = card_policy()?;
        let policy = if card { policy } else { CardPolicy::Dev };
        let mut tok = match token {
            Trusted => trusted,
            Stray => stray_token()?,
        };
        let rp = Rp::new(policy)?.with_origin(origin)?;
        let got = rp.try_register(&mut tok)?;
        if let Ok(c) = &got {
            assert_eq!(c.user(), rp.user, "case {i}");
        }
        assert_eq!(
            got.as_ref().map(|c| c.kind()).map_err(|e| e.code()),
            want,
            "case {i}"
        );
    }
    Ok(())
}

#[test]
fn reply_to_another_registration_challenge_is_refused() -> TestResult {
    let (mut tok, policy) = card_policy()?;
    let rp = Rp::new(policy)?;
    let (_ccr1, st1) = rp.c.start_registration(rp.user, "hanako", "Hanako", &[])?;
    let (ccr2, _st2) = rp.c.start_registration(rp.user, "hanako", "Hanako", &[])?;
    let reply = rp.token_registers(&mut tok, ccr2)?;
    assert_eq!(
        code(&rp.c.finish_registration(&reply, st1)),
        Some("challenge_mismatch")
    );
    Ok(())
}

#[test]
fn demo_state_cannot_be_finished_under_the_card_policy() -> TestResult {
    let (mut tok, policy) = card_policy()?;
    let dev = Rp::new(CardPolicy::Dev)?;
    let card = Ceremonies::new(&dev.origin, "Test Portal", policy)?;
    let (ccr, st) = dev
        .c
        .start_registration(dev.user, "hanako", "Hanako", &[])?;
    let reply = dev.token_registers(&mut tok, ccr)?;
    assert_eq!(
        code(&card.finish_registration(&reply, st)),
        Some("not_trusted")
    );
    Ok(())
}

#[test]
fn empty_names_are_a_config_error() -> TestResult {
    let rp = Rp::new(CardPolicy::Dev)?;
    for (name, display) in [("", "Hanako"), ("hanako", "")] {
        let got = rp.c.start_registration(rp.user, name, display, &[]);
        assert_eq!(code(&got), Some("config"));
    }
    Ok(())
}
