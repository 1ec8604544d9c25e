//! Consents in the database, on SQLite and on PostgreSQL: granted, replaced and revoked with
//! their log entries in one transaction; each card check approves one change; the terms of a
//! consent never change and nothing is deleted, which the database itself enforces.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;

use chrono::TimeDelta;
use common::{TestDb, clock_now, exec, load_demo, try_exec};
use portal::domain::access_log::{Action, ActorKind};
use portal::domain::card_check::StepUpFor;
use portal::domain::consent::{DataKind, Ending, Period, Terms};
use portal::storage::Db;
use portal::storage::card_checks::{NewCardCheck, Purpose};
use portal::storage::consents::{self, Change, Changed};
use portal::storage::patients::PatientId;

storage_suite!(
    consents_are_granted_replaced_and_revoked_with_their_log_entries,
    the_database_keeps_every_consent_as_given,
);

struct Signed {
    patient: PatientId,
    card: i64,
    login: &'static str,
}

async fn signed_in(db: &Db) -> Signed {
    load_demo(db).await;
    let patient = common::demo_patients(db).await[0];
    let card = portal::storage::cards::NewCard {
        credential_id: "test-card".into(),
        kind: "passkey".into(),
        credential: "{}".into(),
    };
    let card = portal::storage::cards::add(db, patient, &card, clock_now())
        .await
        .unwrap();
    portal::storage::logins::create(
        db,
        "login-1",
        patient,
        card,
        "test",
        &assertion(),
        clock_now(),
    )
    .await
    .unwrap();
    Signed {
        patient,
        card,
        login: "login-1",
    }
}

fn assertion() -> portal::auth::ceremony::AssertionRecord {
    portal::auth::ceremony::AssertionRecord {
        credential_id: vec![1],
        counter: 1,
        user_verified: true,
        client_data_json: br#"{"type":"webauthn.get","challenge":"abc"}"#.to_vec(),
        authenticator_data: vec![0; 37],
        signature: vec![0; 64],
    }
}

/// A fresh card check for a consent change, `minutes` after the test clock.
async fn checked(db: &Db, s: &Signed, minutes: i64) -> portal::storage::card_checks::CardCheckRow {
    let at = clock_now() + TimeDelta::minutes(minutes);
    let a = assertion();
    let check = NewCardCheck {
        patient: s.patient,
        card_id: s.card,
        login_id: s.login,
        purpose: Purpose::StepUp(StepUpFor::ChangeConsent),
        assertion: &a,
    };
    portal::storage::logins::record_step_up(db, &check, at)
        .await
        .unwrap();
    consents::unused_check(db, s.login, at - TimeDelta::minutes(5))
        .await
        .unwrap()
        .expect("the check just made")
}

async fn institution(db: &Db, n: usize) -> portal::storage::institutions::Institution {
    let codes = common::strings(db, "SELECT code FROM institutions ORDER BY code").await;
    portal::storage::institutions::by_code(db, &codes[n])
        .await
        .unwrap()
        .unwrap()
}

async fn consents_are_granted_replaced_and_revoked_with_their_log_entries(t: TestDb) {
    let db = &t.db;
    let s = signed_in(db).await;
    let pharmacy = institution(db, 0).await;
    let today = common::today();
    let wide = Terms::new(
        &pharmacy.code,
        [DataKind::Medications, DataKind::Checkups],
        Period::UntilRevoked,
        today,
    )
    .unwrap();
    let narrow = Terms::new(&pharmacy.code, [DataKind::Checkups], Period::Visit, today).unwrap();
    let first = checked(db, &s, 1).await;
    let Changed::Granted(granted) = apply(db, &s, &pharmacy, Some(&wide), &first, 2).await else {
        panic!("a first consent is granted");
    };
    assert_eq!(
        apply(db, &s, &pharmacy, Some(&narrow), &first, 3).await,
        Changed::CheckUsed,
        "one check, one change"
    );
    assert_eq!(
        consents::unused_check(db, s.login, clock_now())
            .await
            .unwrap(),
        None
    );

    let second = checked(db, &s, 4).await;
    let Changed::Replaced { old, new } = apply(db, &s, &pharmacy, Some(&narrow), &second, 5).await
    else {
        panic!("the open consent is replaced");
    };
    assert_eq!(old, granted);
    let all = consents::for_institution(db, s.patient, &pharmacy.code)
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    let replaced = all.iter().find(|c| c.id == old).unwrap();
    assert_eq!(replaced.terms, wide, "the old terms are kept as given");
    assert_eq!(replaced.ended.map(|(_, e)| e), Some(Ending::Replaced));
    let current = all.iter().find(|c| c.id == new).unwrap();
    assert_eq!(
        current.expires_at,
        Some(clock_now() + TimeDelta::minutes(5) + TimeDelta::hours(24))
    );

    // An institution's read: decided and logged in one transaction.
    let read_at = clock_now() + TimeDelta::minutes(5) + TimeDelta::seconds(30);
    let decide = |kind| {
        let code = pharmacy.code.clone();
        async move {
            consents::decide_and_log(db, s.patient, &code, kind, today, read_at, |d| {
                let mut e = portal::domain::access_log::Entry::new(
                    read_at,
                    ActorKind::Institution,
                    Action::Read,
                    portal::domain::access_log::Outcome::Allowed,
                );
                e.actor_code = Some(code.clone());
                (e, d)
            })
            .await
            .unwrap()
        }
    };
    assert_eq!(
        decide(DataKind::Checkups).await,
        consents::Decided {
            outcome: Ok(portal::domain::emergency::Basis::Consent(new)),
            notice_raised: true,
        },
        "the pharmacy's first read raises the patient's notice"
    );
    assert_eq!(
        decide(DataKind::Medications).await,
        consents::Decided {
            outcome: Err(portal::domain::consent::Refusal::KindNotConsented),
            notice_raised: false,
        },
        "narrowed; the notice was raised once"
    );

    let third = checked(db, &s, 6).await;
    assert_eq!(
        apply(db, &s, &pharmacy, None, &third, 7).await,
        Changed::Revoked(new)
    );
    let fourth = checked(db, &s, 8).await;
    assert_eq!(
        apply(db, &s, &pharmacy, None, &fourth, 9).await,
        Changed::NothingOpen
    );
    assert_eq!(
        consents::unused_check(db, s.login, clock_now())
            .await
            .unwrap()
            .map(|c| c.id),
        Some(fourth.id),
        "a change that changed nothing leaves its check unused"
    );

    // Each change is one entry in the patient's chain, naming the consent and the check.
    let (entries, _) = portal::storage::access_log::page(db, s.patient, &Default::default(), 0, 50)
        .await
        .unwrap();
    assert_eq!(
        entries
            .iter()
            .filter(|l| l.entry.action == Action::Read)
            .count(),
        2,
        "each decision is logged"
    );
    let changes: Vec<_> = entries
        .iter()
        .filter(|l| {
            matches!(
                l.entry.action,
                Action::ConsentGranted | Action::ConsentChanged | Action::ConsentRevoked
            )
        })
        .map(|l| (l.entry.action, l.entry.consent_id))
        .collect();
    assert_eq!(
        changes,
        [
            (Action::ConsentRevoked, Some(new)),
            (Action::ConsentChanged, Some(new)),
            (Action::ConsentGranted, Some(granted)),
        ]
    );
    let granted_entry = entries
        .iter()
        .find(|l| l.entry.action == Action::ConsentGranted)
        .unwrap();
    let detail: serde_json::Value = serde_json::from_str(&granted_entry.entry.detail).unwrap();
    assert_eq!(detail["terms"], wide.canonical());
    assert_eq!(detail["card_check"], first.id);
    assert_eq!(detail["challenge"], "abc");
    assert_eq!(
        portal::storage::access_log::verify(db)
            .await
            .unwrap()
            .problems,
        []
    );
    let active = consents::active(db, s.patient, clock_now() + TimeDelta::minutes(10))
        .await
        .unwrap();
    assert!(active.is_empty());
}

/// The patient's change about `institution`, approved by `check`, `minutes` after the clock.
async fn apply(
    db: &Db,
    s: &Signed,
    institution: &portal::storage::institutions::Institution,
    terms: Option<&Terms>,
    check: &portal::storage::card_checks::CardCheckRow,
    minutes: i64,
) -> Changed {
    let change = Change {
        patient: s.patient,
        institution,
        terms,
        proxy: None,
        check,
        at: clock_now() + TimeDelta::minutes(minutes),
        at_counter: false,
    };
    consents::change(db, &change).await.unwrap()
}

async fn the_database_keeps_every_consent_as_given(t: TestDb) {
    let db = &t.db;
    let s = signed_in(db).await;
    let clinic = institution(db, 1).await;
    let terms = Terms::new(
        &clinic.code,
        [DataKind::Qualification],
        Period::UntilRevoked,
        common::today(),
    )
    .unwrap();
    let check = checked(db, &s, 1).await;
    let change = Change {
        patient: s.patient,
        institution: &clinic,
        terms: Some(&terms),
        proxy: None,
        check: &check,
        at: clock_now() + TimeDelta::minutes(2),
        at_counter: false,
    };
    let Changed::Granted(id) = consents::change(db, &change).await.unwrap() else {
        panic!("granted");
    };
    for sql in [
        format!("UPDATE consents SET kinds = 'medications' WHERE id = {id}"),
        format!("UPDATE consents SET expires_at = '2030-01-01T00:00:00Z', ended_at = '2026-11-20T04:00:00Z', ending = 'revoked' WHERE id = {id}"),
        format!("DELETE FROM consents WHERE id = {id}"),
        format!(
            "INSERT INTO consents (patient_id, institution_code, kinds, period, granted_at, card_check_id)
             VALUES ({}, '{}', 'checkups', 'until_revoked', '2026-11-20T04:00:00Z', {})",
            s.patient.0, clinic.code, check.id
        ),
    ] {
        assert!(try_exec(db, &sql).await.is_err(), "{sql}");
    }
    // Ending it once is the one change allowed; after that, nothing.
    exec(db, &format!("UPDATE consents SET ended_at = '2026-11-20T05:00:00Z', ending = 'revoked' WHERE id = {id}")).await;
    let again = format!("UPDATE consents SET ending = 'replaced' WHERE id = {id}");
    assert!(
        try_exec(db, &again).await.is_err(),
        "an ended consent stays as it ended"
    );
}
