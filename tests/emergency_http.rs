//! Emergency access over HTTP, as a hospital's system calls it: only a hospital may start one,
//! only with a reason from the list and an account in words; it lets that hospital read
//! medications and checkups (nothing else) for 24 hours without a consent, flagged in the
//! patient's log with a notice on their home page; repeating the call does not renew it; it
//! ends with the clock; each hospital may start only so many an hour; the operators list them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::app::{App, spawn};
use common::card::sign_in_as;
use portal::domain::access_log::{Action, Outcome};
use portal::domain::clock::Clock;
use portal::domain::consent::DataKind;
use portal::storage::Db;
use portal::storage::patients::PatientId;
use serde_json::{Value, json};

async fn credential_for(app: &App, kind: &str) -> (String, String) {
    let code = common::strings(
        &app.db.db,
        &format!("SELECT code FROM institutions WHERE kind = '{kind}' ORDER BY code LIMIT 1"),
    )
    .await
    .remove(0);
    let (_, token) = portal::institution_api::credentials::issue(
        &app.db.db,
        &code,
        "emergency room",
        app.now(),
        &mut rand::rng(),
    )
    .await
    .unwrap();
    (code, token)
}

async fn insured(db: &Db, p: PatientId) -> Value {
    let member = common::current_member(db, p).await;
    let [insurer, symbol, number, branch] = member.split(':').collect::<Vec<_>>()[..] else {
        panic!("an insured patient: {member}");
    };
    json!({ "insurer": insurer, "symbol": symbol, "number": number, "branch": branch })
}

async fn call(app: &App, token: &str, path: &str, body: Value) -> (u16, Value) {
    let res = common::client()
        .build()
        .unwrap()
        .post(app.url(&format!("{}{path}", portal::institution_api::PREFIX)))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

async fn read(app: &App, token: &str, kind: DataKind, who: &Value) -> (u16, Value) {
    let body = json!({ "insured": who, "visit_date": app.clock.today_japan().to_string() });
    call(app, token, portal::institution_api::path_of(kind), body).await
}

fn start(who: &Value, reason: &str, note: &str) -> Value {
    json!({ "insured": who, "reason": reason, "note": note })
}

async fn newest(db: &Db, p: PatientId) -> portal::domain::access_log::Entry {
    portal::storage::access_log::page(db, p, &Default::default(), 0, 1)
        .await
        .unwrap()
        .0
        .remove(0)
        .entry
}

#[tokio::test]
async fn a_hospital_reads_for_24_hours_with_a_stated_reason_and_nobody_else_can() {
    let app = spawn(true).await;
    let me = portal::storage::patients::by_link_key(&app.db.db, "DEMO-0002")
        .await
        .unwrap()
        .unwrap();
    let who = insured(&app.db.db, me).await;
    let (hospital, token) = credential_for(&app, "hospital").await;
    let (_, pharmacy) = credential_for(&app, "pharmacy").await;
    let (_, clinic) = credential_for(&app, "clinic").await;

    // Pharmacies and clinics are refused before the patient is even looked up.
    for other in [&pharmacy, &clinic] {
        let (status, body) = call(
            &app,
            other,
            "/emergency",
            start(&who, "unconscious", "found collapsed"),
        )
        .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (403, Some("emergency_not_hospital"))
        );
    }
    // A reason from the list and an account in words, each named when missing.
    let (status, body) = call(&app, &token, "/emergency", json!({ "insured": who })).await;
    assert_eq!(status, 400, "{body}");
    let fields: Vec<(&str, &str)> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(fields, [("reason", "required"), ("note", "required")]);
    let (status, body) = call(&app, &token, "/emergency", start(&who, "curious", "x")).await;
    assert_eq!(
        (status, body["error"]["fields"][0]["code"].as_str()),
        (400, Some("emergency_reason_unknown"))
    );
    assert_eq!(
        common::count(&app.db.db, "emergency_accesses").await,
        0,
        "nothing refused was started"
    );
    // Without consent the hospital reads nothing.
    assert_eq!(read(&app, &token, DataKind::Medications, &who).await.0, 403);
    // The patient has just looked at their home page (kept in the records cache, the login
    // check reused for a second) when the hospital starts.
    let _card = sign_in_as(&app, "DEMO-0002").await;
    let home = app.get("/").await.text().await.unwrap();
    assert!(!home.contains(r#"data-topic="emergency:"#));

    let (status, body) = call(
        &app,
        &token,
        "/emergency",
        start(&who, "unconscious", "brought in unconscious by ambulance"),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let id = body["emergency_id"].as_i64().unwrap();
    assert_eq!(body["kinds"], json!(["medications", "checkups"]));
    let started = newest(&app.db.db, me).await;
    assert_eq!(
        (started.action, started.outcome, started.reason.as_deref()),
        (Action::EmergencyAccess, Outcome::Done, Some("unconscious"))
    );
    assert!(
        !started.detail.contains("ambulance"),
        "the account stays with the operators"
    );

    // Medications and checkups, flagged as emergency reads; nothing else.
    for kind in [DataKind::Medications, DataKind::Checkups] {
        let (status, body) = read(&app, &token, kind, &who).await;
        assert_eq!(status, 200, "{kind:?}: {body}");
        assert_eq!(body["emergency_id"].as_i64(), Some(id));
        assert!(body["consent_id"].is_null());
        let e = newest(&app.db.db, me).await;
        assert_eq!(
            (e.outcome, e.reason.as_deref()),
            (Outcome::Allowed, Some("emergency_access"))
        );
    }
    for kind in [DataKind::CostNotices, DataKind::Qualification] {
        assert_eq!(read(&app, &token, kind, &who).await.0, 403, "{kind:?}");
    }
    // Another institution gains nothing from it.
    assert_eq!(
        read(&app, &pharmacy, DataKind::Medications, &who).await.0,
        403
    );

    // The patient is told on their home page, at once.
    let home = app.get("/").await.text().await.unwrap();
    assert!(
        home.contains(&format!(r#"data-topic="emergency:{id}""#)),
        "{home}"
    );

    // The log page lists the hospital among who can see the data now, as emergency access,
    // with nothing to revoke (there is no consent) and the end named.
    let log = app.get("/access-log").await.text().await.unwrap();
    let now_section = log
        .split(r#"id="access-now-heading""#)
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .unwrap();
    assert!(now_section.contains(&hospital), "{now_section}");
    assert!(
        now_section.contains("緊急時アクセス（同意なし）"),
        "{now_section}"
    );
    assert!(!now_section.contains(r#"value="revoke""#), "{now_section}");

    // Repeating the call does not renew it; a new account of what happened does.
    let (status, body) = call(
        &app,
        &token,
        "/emergency",
        start(&who, "unconscious", " brought in unconscious by ambulance "),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("emergency_not_renewed"))
    );
    let refused = newest(&app.db.db, me).await;
    assert_eq!(
        (refused.action, refused.outcome),
        (Action::EmergencyAccess, Outcome::Refused)
    );

    // It ends by the clock.
    app.clock.advance(chrono::TimeDelta::hours(24));
    let (status, body) = read(&app, &token, DataKind::Medications, &who).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("consent_missing"))
    );
    let (status, _) = call(
        &app,
        &token,
        "/emergency",
        start(&who, "cannot_communicate", "sedated after surgery"),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(read(&app, &token, DataKind::Medications, &who).await.0, 200);

    // The operators list every one for review.
    let reviewed =
        portal::storage::emergency::since(&app.db.db, app.now() - chrono::TimeDelta::days(30))
            .await
            .unwrap();
    assert_eq!(reviewed.len(), 2);
    assert_eq!(
        reviewed[1].emergency.note,
        "brought in unconscious by ambulance"
    );
    assert_eq!(reviewed[1].patient, "DEMO-0002");
    assert_eq!(reviewed[0].emergency.institution, hospital);
    let verified = portal::storage::access_log::verify(&app.db.db)
        .await
        .unwrap();
    assert!(verified.problems.is_empty());
}

#[tokio::test]
async fn a_hospital_starts_only_so_many_an_hour() {
    let app = spawn(true).await;
    let (_, token) = credential_for(&app, "hospital").await;
    let me = portal::storage::patients::by_link_key(&app.db.db, "DEMO-0001")
        .await
        .unwrap()
        .unwrap();
    let who = insured(&app.db.db, me).await;
    let limit = portal::institution_api::EMERGENCIES_PER_INSTITUTION.max_failures;
    let mut statuses = Vec::new();
    for i in 0..=limit {
        // Each with a new account of what happened, as a renewal must be.
        let note = format!("mass casualty incident, update {i}");
        statuses.push(
            call(&app, &token, "/emergency", start(&who, "disaster", &note))
                .await
                .0,
        );
    }
    assert!(statuses[..limit].iter().all(|s| *s == 201), "{statuses:?}");
    assert_eq!(statuses[limit], 429);
}
