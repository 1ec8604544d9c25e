//! Card enrollment and sign-in with a software token standing in for the card, on SQLite and
//! PostgreSQL: real WebAuthn ceremonies, real storage, the event log and the session index.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::{TestDb, current_member, load_demo, today};
use portal::auth::ceremony::{
    CardPolicy, Ceremonies, CreationChallengeResponse, PublicKeyCredential,
    RegisterPublicKeyCredential, RequestChallengeResponse,
};
use portal::auth::flows::{self, Auth, AuthError};
use portal::auth::rate_limit::Limiter;
use portal::storage::Db;
use portal::storage::logins::{self, LoginState, Timeouts};
use portal::storage::patients::PatientId;
use rand::SeedableRng;
use webauthn_authenticator_rs::prelude::WebauthnAuthenticator;
use webauthn_authenticator_rs::softtoken::{AAGUID, SoftToken};
use webauthn_rs::prelude::{AttestationCaListBuilder, Url};
use webauthn_rs_proto::AllowCredentials;

storage_suite!(
    enrollment_then_sign_in_records_every_step,
    bad_wrong_expired_and_reused_codes_change_nothing,
    a_counter_that_goes_backwards_disables_the_card,
    revoking_a_card_or_reenrolling_ends_its_sessions,
    a_reply_for_another_origin_is_refused,
    repeated_wrong_codes_back_off_for_that_number_and_client_only,
    the_event_log_is_append_only,
    web_sessions_are_stored_server_side,
    card_counter_only_moves_forward,
    a_ceremony_is_taken_once,
    the_usual_credential_id_length_is_the_most_common,
);

const ORIGIN: &str = "http://localhost:3000";

fn now() -> DateTime<Utc> {
    common::clock_now()
}

struct World {
    auth: Auth,
    token: SoftToken,
    patient: PatientId,
    member: String,
}

async fn world(t: &TestDb) -> World {
    load_demo(&t.db).await;
    let (token, ca) = SoftToken::new(true).unwrap();
    let mut anchors = AttestationCaListBuilder::new();
    anchors
        .insert_device_x509(ca, AAGUID, "softtoken".into(), Default::default())
        .unwrap();
    let ceremonies = Ceremonies::new(
        &Url::parse(ORIGIN).unwrap(),
        "Test",
        CardPolicy::Card(anchors.build()),
    )
    .unwrap();
    let auth = Auth {
        ceremonies,
        key: vec![7; 32],
        limiter: Limiter::default(),
        timeouts: Timeouts::default(),
        id_length: Default::default(),
    };
    let patient = portal::storage::patients::by_link_key(&t.db, "DEMO-0001")
        .await
        .unwrap()
        .unwrap();
    let member = current_member(&t.db, patient).await;
    World {
        auth,
        token,
        patient,
        member,
    }
}

/// The card answering `navigator.credentials.create`. SoftToken cannot keep resident keys, so
/// the resident-key request is dropped before it sees the options (the server never checks it).
fn card_registers(
    tok: &mut SoftToken,
    origin: &str,
    mut ccr: CreationChallengeResponse,
) -> RegisterPublicKeyCredential {
    if let Some(sel) = ccr.public_key.authenticator_selection.as_mut() {
        sel.require_resident_key = false;
    }
    tok.do_registration(Url::parse(origin).unwrap(), ccr)
        .unwrap()
}

/// The card answering a discoverable `navigator.credentials.get`: it finds its own credential
/// and returns the user handle stored with it (outside the signed data).
fn card_answers(
    tok: &mut SoftToken,
    origin: &str,
    mut rcr: RequestChallengeResponse,
    cred_id: &[u8],
    handle: &[u8],
) -> PublicKeyCredential {
    rcr.public_key.allow_credentials = vec![AllowCredentials {
        type_: "public-key".into(),
        id: cred_id.to_vec(),
        transports: None,
    }];
    let mut reply = tok
        .do_authentication(Url::parse(origin).unwrap(), rcr)
        .unwrap();
    reply.response.user_handle = Some(handle.to_vec());
    reply
}

/// Issues a code, checks it as the patient types it, and registers `w.token` with it; the
/// outcome of the last step is returned so tests can expect a refusal.
async fn try_enroll(t: &TestDb, w: &mut World) -> Result<(Vec<u8>, Vec<u8>), AuthError> {
    let code = flows::issue_code(&t.db, &w.auth.key, w.patient, now(), &mut rand::rng())
        .await
        .unwrap();
    let (patient, code_id) = flows::check_code(
        &t.db,
        &w.auth,
        &w.member,
        &code.display_grouped(),
        "10.0.0.1",
        now(),
        today(),
    )
    .await
    .unwrap();
    assert_eq!(patient, w.patient);
    let (ccr, state) = flows::start_registration(&t.db, &w.auth, patient)
        .await
        .unwrap();
    let handle = ccr.public_key.user.id.to_vec();
    let reply = card_registers(&mut w.token, ORIGIN, ccr);
    let cred_id = reply.raw_id.to_vec();
    flows::finish_enrollment(&t.db, &w.auth, patient, code_id, &reply, state, now()).await?;
    Ok((cred_id, handle))
}

async fn enroll(t: &TestDb, w: &mut World) -> (Vec<u8>, Vec<u8>) {
    try_enroll(t, w).await.unwrap()
}

async fn sign_in(
    t: &TestDb,
    w: &mut World,
    cred: &(Vec<u8>, Vec<u8>),
    at: DateTime<Utc>,
) -> Result<flows::SignedIn, AuthError> {
    let (rcr, state) = flows::start_sign_in(&w.auth).unwrap();
    let reply = card_answers(&mut w.token, ORIGIN, rcr, &cred.0, &cred.1);
    flows::finish_sign_in(
        &t.db,
        &w.auth,
        &reply,
        state,
        "10.0.0.1",
        "test browser",
        at,
    )
    .await
}

async fn event_kinds(db: &Db, patient: PatientId) -> Vec<String> {
    let mut kinds: Vec<String> = portal::storage::events::recent(db, patient, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    kinds.reverse();
    kinds
}

async fn enrollment_then_sign_in_records_every_step(t: TestDb) {
    let mut w = world(&t).await;
    let cred = enroll(&t, &mut w).await;
    let first = sign_in(&t, &mut w, &cred, now()).await.unwrap();
    assert_eq!(first.patient, w.patient);
    let second = sign_in(&t, &mut w, &cred, now()).await.unwrap();
    // Each login keeps the exact assertion that opened it, as the card signed it.
    let kept = |login: String| {
        let db = t.db.clone();
        async move {
            let checks = portal::storage::card_checks::of_login(&db, &login)
                .await
                .unwrap();
            assert_eq!(checks.len(), 1);
            checks.into_iter().next().unwrap()
        }
    };
    let (a, b) = (
        kept(first.login_id.clone()).await,
        kept(second.login_id.clone()).await,
    );
    assert_eq!(a.purpose, "sign_in");
    assert!(b.counter > a.counter, "the stored counter moved on");
    let client_data = base64::Engine::decode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        &a.client_data_json,
    )
    .unwrap();
    let client_data: serde_json::Value = serde_json::from_slice(&client_data).unwrap();
    assert_eq!(client_data["type"], "webauthn.get");
    assert!(!a.signature.is_empty() && !a.authenticator_data.is_empty());
    assert_ne!(first.login_id, second.login_id);
    let state = logins::check(&t.db, &first.login_id, now(), Timeouts::default(), true)
        .await
        .unwrap();
    assert!(matches!(state, LoginState::Active(ref l) if l.patient_id == w.patient.0));
    assert_eq!(
        event_kinds(&t.db, w.patient).await,
        vec![
            "enrollment_code_issued",
            "card_added",
            "signed_in",
            "signed_in"
        ]
    );
    // Idle for more than 15 minutes: the server ends the session itself.
    let later = now() + TimeDelta::minutes(16);
    let state = logins::check(&t.db, &first.login_id, later, Timeouts::default(), true)
        .await
        .unwrap();
    assert_eq!(state, LoginState::Ended("idle".into()));
    // Absolute limit: 8 hours even when used all the time.
    let mut at = now();
    let mut last = LoginState::Unknown;
    for _ in 0..40 {
        at += TimeDelta::minutes(14);
        last = logins::check(&t.db, &second.login_id, at, Timeouts::default(), true)
            .await
            .unwrap();
        if matches!(last, LoginState::Ended(_)) {
            break;
        }
    }
    assert_eq!(last, LoginState::Ended("absolute".into()));
    assert!(
        at - now() > TimeDelta::hours(8)
            && at - now() <= TimeDelta::hours(8) + TimeDelta::minutes(14)
    );
}

async fn bad_wrong_expired_and_reused_codes_change_nothing(t: TestDb) {
    let mut w = world(&t).await;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let code = flows::issue_code(&t.db, &w.auth.key, w.patient, now(), &mut rng)
        .await
        .unwrap();
    let grouped = code.display_grouped();
    let check = |member: String, code: String, at: DateTime<Utc>| {
        let (db, auth) = (t.db.clone(), &w.auth);
        async move { flows::check_code(&db, auth, &member, &code, "10.0.0.2", at, today()).await }
    };
    let cases: Vec<(String, String, &str)> = vec![
        ("not a number".into(), grouped.clone(), "member_format"),
        (w.member.clone(), "1234".into(), "code_format"),
        (w.member.clone(), "0000-0000-0000-0000".into(), "no_match"),
    ];
    for (member, code, want) in cases {
        let err = check(member, code, now()).await.unwrap_err();
        assert_eq!(err.code(), want);
    }
    // Someone else's valid number with this code: same answer as a wrong code.
    let other = portal::storage::patients::by_link_key(&t.db, "DEMO-0006")
        .await
        .unwrap()
        .unwrap();
    let other_member = current_member(&t.db, other).await;
    assert_eq!(
        check(other_member, grouped.clone(), now())
            .await
            .unwrap_err()
            .code(),
        "no_match"
    );
    // Expired: 31 days later.
    let late = now() + TimeDelta::days(31);
    assert_eq!(
        check(w.member.clone(), grouped.clone(), late)
            .await
            .unwrap_err()
            .code(),
        "no_match"
    );
    // Used once: the second enrollment with it fails, nothing changes.
    let (patient, code_id) = check(w.member.clone(), grouped.clone(), now())
        .await
        .unwrap();
    let (ccr, state) = flows::start_registration(&t.db, &w.auth, patient)
        .await
        .unwrap();
    let reply = card_registers(&mut w.token, ORIGIN, ccr);
    flows::finish_enrollment(&t.db, &w.auth, patient, code_id, &reply, state, now())
        .await
        .unwrap();
    assert_eq!(
        check(w.member.clone(), grouped.clone(), now())
            .await
            .unwrap_err()
            .code(),
        "no_match"
    );
    let (ccr, state) = flows::start_registration(&t.db, &w.auth, patient)
        .await
        .unwrap();
    let (mut second_token, _) = SoftToken::new(true).unwrap();
    let reply = card_registers(&mut second_token, ORIGIN, ccr);
    let err = flows::finish_enrollment(&t.db, &w.auth, patient, code_id, &reply, state, now())
        .await
        .unwrap_err();
    assert!(
        matches!(err, AuthError::CodeGone | AuthError::Ceremony(_)),
        "{err:?}"
    );
    let cards = portal::storage::cards::of_patient(&t.db, patient)
        .await
        .unwrap();
    assert_eq!(cards.len(), 1, "the reused code added no card");
}

async fn a_counter_that_goes_backwards_disables_the_card(t: TestDb) {
    let mut w = world(&t).await;
    let cred = enroll(&t, &mut w).await;
    let clone = SoftToken::from_cbor(&w.token.to_cbor().unwrap()).unwrap();
    sign_in(&t, &mut w, &cred, now()).await.unwrap();
    sign_in(&t, &mut w, &cred, now()).await.unwrap();
    // A copy of the card taken earlier answers with an older counter: a clone.
    w.token = clone;
    let err = sign_in(&t, &mut w, &cred, now()).await.unwrap_err();
    assert_eq!(err.code(), "card_disabled");
    let cards = portal::storage::cards::of_patient(&t.db, w.patient)
        .await
        .unwrap();
    assert_eq!(
        cards[0].revoke_reason.as_deref(),
        Some("counter_regression")
    );
    assert!(
        event_kinds(&t.db, w.patient)
            .await
            .contains(&"card_disabled".to_string())
    );
    // Not refused once, but for good: the next answer is refused too.
    let err = sign_in(&t, &mut w, &cred, now()).await.unwrap_err();
    assert_eq!(err.code(), "card_disabled");
}

async fn revoking_a_card_or_reenrolling_ends_its_sessions(t: TestDb) {
    let mut w = world(&t).await;
    let old = enroll(&t, &mut w).await;
    let a = sign_in(&t, &mut w, &old, now()).await.unwrap();
    let b = sign_in(&t, &mut w, &old, now()).await.unwrap();
    // "Sign out everywhere else" ends the other browser's session at once.
    assert_eq!(
        logins::end_others(&t.db, w.patient, &a.login_id, now())
            .await
            .unwrap(),
        1
    );
    let ended = logins::check(&t.db, &b.login_id, now(), Timeouts::default(), true)
        .await
        .unwrap();
    assert_eq!(ended, LoginState::Ended("signed_out_elsewhere".into()));
    // Every card lost: the operator reissues a code and the patient enrolls again. The old
    // card and its sessions end; the new card works.
    let new = enroll(&t, &mut w).await;
    assert_ne!(old.0, new.0);
    let ended = logins::check(&t.db, &a.login_id, now(), Timeouts::default(), true)
        .await
        .unwrap();
    assert_eq!(ended, LoginState::Ended("reenrolment".into()));
    assert_eq!(
        sign_in(&t, &mut w, &old, now()).await.unwrap_err().code(),
        "card_revoked"
    );
    let c = sign_in(&t, &mut w, &new, now()).await.unwrap();
    // Revoking a card ends its sessions in the same step.
    assert!(
        portal::storage::cards::revoke(&t.db, w.patient, c.card_id, "lost", now())
            .await
            .unwrap()
    );
    let ended = logins::check(&t.db, &c.login_id, now(), Timeouts::default(), true)
        .await
        .unwrap();
    assert_eq!(ended, LoginState::Ended("card_revoked".into()));
    let kinds = event_kinds(&t.db, w.patient).await;
    assert_eq!(
        kinds.iter().filter(|k| *k == "card_revoked").count(),
        2,
        "{kinds:?}"
    );
    assert!(kinds.contains(&"session_ended".to_string()));
    // A token from an issuer outside the trust anchors cannot become a card, even with a code.
    w.token = SoftToken::new(true).unwrap().0;
    assert_eq!(
        try_enroll(&t, &mut w).await.unwrap_err().code(),
        "not_trusted"
    );
}

async fn a_reply_for_another_origin_is_refused(t: TestDb) {
    let mut w = world(&t).await;
    let cred = enroll(&t, &mut w).await;
    let (rcr, state) = flows::start_sign_in(&w.auth).unwrap();
    let reply = card_answers(&mut w.token, "http://localhost:4000", rcr, &cred.0, &cred.1);
    let err = flows::finish_sign_in(&t.db, &w.auth, &reply, state, "10.0.0.4", "ua", now())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "origin_mismatch");
    assert!(
        event_kinds(&t.db, w.patient)
            .await
            .contains(&"sign_in_failed".to_string())
    );
    // A replayed answer to a challenge already used is refused too.
    let (rcr, state) = flows::start_sign_in(&w.auth).unwrap();
    let (rcr2, _) = flows::start_sign_in(&w.auth).unwrap();
    let reply = card_answers(&mut w.token, ORIGIN, rcr2, &cred.0, &cred.1);
    drop(rcr);
    let err = flows::finish_sign_in(&t.db, &w.auth, &reply, state, "10.0.0.4", "ua", now())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "challenge_mismatch");
}

async fn repeated_wrong_codes_back_off_for_that_number_and_client_only(t: TestDb) {
    let w = world(&t).await;
    let attempt = |ip: &'static str, at: chrono::DateTime<chrono::Utc>| {
        flows::check_code(
            &t.db,
            &w.auth,
            &w.member,
            "0000-0000-0000-0000",
            ip,
            at,
            today(),
        )
    };
    for _ in 0..5 {
        let e = attempt("10.0.0.5", now()).await.unwrap_err();
        assert_eq!(e.code(), "no_match");
    }
    match attempt("10.0.0.5", now()).await.unwrap_err() {
        AuthError::TooManyAttempts(retry) => assert_eq!(retry, now() + TimeDelta::minutes(15)),
        other => panic!("expected back-off, got {other:?}"),
    }
    // Someone else typing that number, say its owner with the letter in hand, is not held back
    // by the stranger's guesses.
    assert_eq!(
        attempt("10.0.0.6", now()).await.unwrap_err().code(),
        "no_match"
    );
    let later = now() + TimeDelta::minutes(15);
    assert_eq!(
        attempt("10.0.0.5", later).await.unwrap_err().code(),
        "no_match",
        "the window passes; nobody is locked out for good"
    );
}

async fn the_event_log_is_append_only(t: TestDb) {
    let mut w = world(&t).await;
    enroll(&t, &mut w).await;
    for sql in [
        "UPDATE patient_events SET kind = 'x'",
        "DELETE FROM patient_events",
    ] {
        let res = match &t.db {
            Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
            Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        };
        let err = res.unwrap_err().to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
}

async fn web_sessions_are_stored_server_side(t: TestDb) {
    use tower_sessions::session::{Id, Record};
    use tower_sessions::session_store::SessionStore;
    let store = portal::storage::sessions::SessionRecords::new(t.db.clone());
    let expiry = tower_sessions::cookie::time::OffsetDateTime::now_utc()
        + tower_sessions::cookie::time::Duration::minutes(15);
    let mut record = Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: expiry,
    };
    record.data.insert("login".into(), serde_json::json!("abc"));
    store.create(&mut record).await.unwrap();
    assert_eq!(store.load(&record.id).await.unwrap(), Some(record.clone()));
    record.data.insert("step".into(), serde_json::json!(2));
    store.save(&record).await.unwrap();
    assert_eq!(store.load(&record.id).await.unwrap().unwrap().data.len(), 2);
    let mut old = Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: expiry - tower_sessions::cookie::time::Duration::hours(1),
    };
    store.create(&mut old).await.unwrap();
    assert_eq!(
        store.load(&old.id).await.unwrap(),
        None,
        "an expired record is never loaded"
    );
    assert_eq!(store.delete_expired().await.unwrap(), 1);
    store.delete(&record.id).await.unwrap();
    assert_eq!(store.load(&record.id).await.unwrap(), None);
}

async fn card_counter_only_moves_forward(t: TestDb) {
    use portal::storage::cards::{self, NewCard};
    let w = world(&t).await;
    let card = |id: &str| NewCard {
        credential_id: id.into(),
        kind: "passkey".into(),
        credential: "{}".into(),
    };
    let counted = cards::add(&t.db, w.patient, &card("counted"), now())
        .await
        .unwrap();
    let stored = |id: i64| {
        let db = t.db.clone();
        async move {
            common::strings(
                &db,
                &format!("SELECT CAST(sign_count AS TEXT) FROM cards WHERE id = {id}"),
            )
            .await
            .remove(0)
        }
    };
    let used = |id: i64, counter: u32| cards::record_use(&t.db, id, "{}", counter, now());
    assert!(used(counted, 5).await.unwrap());
    assert!(
        !used(counted, 5).await.unwrap(),
        "the same counter twice: a replay"
    );
    assert!(!used(counted, 4).await.unwrap(), "backwards");
    assert_eq!(stored(counted).await, "5");
    // Sign-ins verified in parallel against the same stored counter: whatever order their
    // writes land in, the counter ends at the highest and never goes back.
    let writes = (6..=25u32).rev().map(|c| used(counted, c));
    let accepted = futures::future::join_all(writes)
        .await
        .into_iter()
        .filter(|stored| *stored.as_ref().unwrap())
        .count();
    assert!(accepted >= 1);
    assert_eq!(stored(counted).await, "25");

    // Cards that keep their counter at 0 are saved every time.
    let zero = cards::add(&t.db, w.patient, &card("zero"), now())
        .await
        .unwrap();
    assert!(used(zero, 0).await.unwrap());
    assert!(used(zero, 0).await.unwrap());
    // A stopped card is not touched.
    cards::revoke(&t.db, w.patient, zero, "lost", now())
        .await
        .unwrap();
    assert!(!used(zero, 1).await.unwrap());
}

async fn a_ceremony_is_taken_once(t: TestDb) {
    use portal::storage::ceremonies::{self, Taken};
    ceremonies::put(&t.db, "c1", "sign_in", "{\"s\":1}", now())
        .await
        .unwrap();
    // Eight answers at once to one challenge: exactly one gets the state.
    let takes: Vec<_> = (0..8)
        .map(|_| ceremonies::take(&t.db, "c1", "sign_in", now()))
        .collect();
    let taken = futures::future::join_all(takes).await;
    let states = taken
        .iter()
        .filter(|r| matches!(r, Ok(Taken::State(_))))
        .count();
    let gone = taken
        .iter()
        .filter(|r| matches!(r, Ok(Taken::Gone)))
        .count();
    assert_eq!((states, gone), (1, 7), "{taken:?}");
    // Another kind's handle does not fit, and an old one is refused and gone.
    ceremonies::put(&t.db, "c2", "step_up", "{}", now())
        .await
        .unwrap();
    assert_eq!(
        ceremonies::take(&t.db, "c2", "sign_in", now())
            .await
            .unwrap(),
        Taken::Gone
    );
    let late = now() + ceremonies::LIFETIME;
    assert_eq!(
        ceremonies::take(&t.db, "c2", "step_up", late)
            .await
            .unwrap(),
        Taken::Expired
    );
    assert_eq!(
        ceremonies::take(&t.db, "c2", "step_up", now())
            .await
            .unwrap(),
        Taken::Gone
    );
    ceremonies::put(&t.db, "c3", "step_up", "{}", now())
        .await
        .unwrap();
    assert_eq!(ceremonies::delete_expired(&t.db, now()).await.unwrap(), 0);
    assert_eq!(ceremonies::delete_expired(&t.db, late).await.unwrap(), 1);
}

async fn the_usual_credential_id_length_is_the_most_common(t: TestDb) {
    use portal::storage::cards::{self, NewCard};
    let w = world(&t).await;
    assert_eq!(cards::usual_id_length(&t.db).await.unwrap(), None);
    // Unpadded base64url: 43 characters carry 32 bytes, 22 carry 16.
    for (i, chars) in [43, 22, 43].into_iter().enumerate() {
        let id = format!("{i}{}", "A".repeat(chars - 1));
        let card = NewCard {
            credential_id: id,
            kind: "passkey".into(),
            credential: "{}".into(),
        };
        cards::add(&t.db, w.patient, &card, now()).await.unwrap();
    }
    assert_eq!(cards::usual_id_length(&t.db).await.unwrap(), Some(32));
}
