//! The institution API as an institution's system uses it, over HTTP, with consents given the
//! way a patient gives them (a card check, then the consent page's form post): for each consent
//! state exactly what is allowed leaves, every call naming a patient is in that patient's log,
//! and no record leaves without a matching consent; bad input gets a code per field; another
//! patient's number or another institution's credential gets nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::app::{App, spawn};
use common::card::{Card, sign_in_as};
use portal::domain::clock::Clock;
use portal::domain::consent::DataKind;
use portal::storage::Db;
use portal::storage::patients::PatientId;
use serde_json::{Value, json};

/// The insured number of a patient's qualification today, as the card shows it.
async fn insured_of(db: &Db, patient: PatientId) -> Value {
    let member = common::current_member(db, patient).await;
    let [insurer, symbol, number, branch] = member.split(':').collect::<Vec<_>>()[..] else {
        panic!("an insured patient: {member}");
    };
    json!({ "insurer": insurer, "symbol": symbol, "number": number, "branch": branch })
}

async fn institution_codes(db: &Db) -> Vec<String> {
    common::strings(db, "SELECT code FROM institutions ORDER BY code").await
}

async fn credential(app: &App, code: &str) -> String {
    let (_, token) = portal::institution_api::credentials::issue(
        &app.db.db,
        code,
        "test terminal",
        app.now(),
        &mut rand::rng(),
    )
    .await
    .unwrap();
    token
}

fn path(kind: DataKind) -> String {
    format!(
        "{}{}",
        portal::institution_api::PREFIX,
        portal::institution_api::path_of(kind)
    )
}

/// One API call; the status and the JSON answer.
async fn read(app: &App, token: &str, kind: DataKind, body: Value) -> (u16, Value) {
    let res = common::client()
        .build()
        .unwrap()
        .post(app.url(&path(kind)))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        res.headers().get("set-cookie").is_none(),
        "the API sets no cookie"
    );
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

fn lookup(insured: &Value, visit: &str) -> Value {
    json!({ "insured": insured, "visit_date": visit })
}

/// The patient's consent form post, after a fresh card check for it.
async fn consent(app: &App, card: &mut Card, form: &[(&str, &str)]) -> reqwest::Response {
    assert_eq!(
        card.step_up(app, &app.client, "change_consent")
            .await
            .status(),
        200
    );
    app.post("/consents").form(form).send().await.unwrap()
}

/// The consent form granting `institution` every kind of data until revoked.
fn grant_everything(institution: &str) -> Vec<(&'static str, &str)> {
    [
        ("action", "grant"),
        ("institution", institution),
        ("period", "until_revoked"),
    ]
    .into_iter()
    .chain(
        DataKind::ALL
            .iter()
            .map(|k| (portal::consent::ConsentQuery::kind_field(*k), "on")),
    )
    .collect()
}

async fn log_size(db: &Db, patient: PatientId) -> i64 {
    portal::storage::access_log::page(db, patient, &Default::default(), 0, 0)
        .await
        .unwrap()
        .1
}

async fn newest_entry(db: &Db, patient: PatientId) -> portal::domain::access_log::Entry {
    portal::storage::access_log::page(db, patient, &Default::default(), 0, 1)
        .await
        .unwrap()
        .0
        .remove(0)
        .entry
}

/// Calls every read with both credentials and checks each answer against the one decision
/// made on the consents as stored: 200 exactly when it allows, the records counted in the log
/// as sent, one log entry per call.
async fn every_read_obeys_the_consents(
    app: &App,
    me: PatientId,
    insured: &Value,
    tokens: &[(&str, &str)],
    what: &str,
) -> Vec<(String, DataKind, u16)> {
    let mut outcomes = Vec::new();
    let today = app.clock.today_japan().to_string();
    for (code, token) in tokens {
        for kind in DataKind::ALL {
            let consents = portal::storage::consents::for_institution(&app.db.db, me, code)
                .await
                .unwrap();
            let expected = portal::domain::consent::decide(
                &consents,
                *kind,
                app.clock.today_japan(),
                app.now(),
            );
            let before = log_size(&app.db.db, me).await;
            let (status, body) = read(app, token, *kind, lookup(insured, &today)).await;
            assert_eq!(
                log_size(&app.db.db, me).await,
                before + 1,
                "{what}: one entry per call"
            );
            let entry = newest_entry(&app.db.db, me).await;
            assert_eq!(entry.actor_code.as_deref(), Some(*code));
            assert_eq!(entry.data_kind, Some(*kind));
            match expected {
                Ok(consent_id) => {
                    assert_eq!(status, 200, "{what}: {code} {kind:?}: {body}");
                    assert_eq!(body["consent_id"], consent_id);
                    let sent = match &body["records"] {
                        Value::Array(a) => a.len(),
                        Value::Null => 0,
                        Value::Object(_) => 1,
                        other => panic!("records: {other}"),
                    };
                    assert_eq!(
                        entry.records,
                        Some(sent as i64),
                        "{what}: the log counts what was sent"
                    );
                    assert_eq!(entry.consent_id, Some(consent_id));
                    assert_eq!(entry.outcome, portal::domain::access_log::Outcome::Allowed);
                }
                Err(refusal) => {
                    assert_eq!(status, 403, "{what}: {code} {kind:?}: {body}");
                    assert_eq!(body["error"]["code"], refusal.as_str(), "{what}");
                    assert_eq!(body["error"]["kind"], kind.as_str());
                    assert!(body.get("records").is_none(), "nothing sent");
                    assert_eq!(entry.reason.as_deref(), Some(refusal.as_str()));
                    assert_eq!(entry.outcome, portal::domain::access_log::Outcome::Refused);
                }
            }
            outcomes.push((code.to_string(), *kind, status));
        }
    }
    outcomes
}

fn allowed(outcomes: &[(String, DataKind, u16)]) -> Vec<(String, DataKind)> {
    outcomes
        .iter()
        .filter(|(_, _, s)| *s == 200)
        .map(|(c, k, _)| (c.clone(), *k))
        .collect()
}

#[tokio::test]
async fn each_consent_state_allows_exactly_what_it_says_and_every_call_is_logged() {
    let app = spawn(true).await;
    let mut card = sign_in_as(&app, "DEMO-0001").await;
    let me = common::demo_patients(&app.db.db).await[0];
    let insured = insured_of(&app.db.db, me).await;
    let codes = institution_codes(&app.db.db).await;
    let (a, b) = (codes[0].as_str(), codes[1].as_str());
    let (token_a, token_b) = (credential(&app, a).await, credential(&app, b).await);
    let tokens = [(a, token_a.as_str()), (b, token_b.as_str())];

    // No consent: nothing, for anyone.
    let none = every_read_obeys_the_consents(&app, me, &insured, &tokens, "none").await;
    assert_eq!(allowed(&none), []);

    // Active: A may read medications and qualification, until revoked.
    let res = consent(
        &app,
        &mut card,
        &[
            ("action", "grant"),
            ("institution", a),
            ("k_medications", "on"),
            ("k_qualification", "on"),
            ("period", "until_revoked"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .contains("done=granted")
    );
    let active = every_read_obeys_the_consents(&app, me, &insured, &tokens, "active").await;
    assert_eq!(
        allowed(&active),
        [
            (a.to_owned(), DataKind::Medications),
            (a.to_owned(), DataKind::Qualification)
        ],
        "the kinds consented to, to that institution only"
    );
    // The log page offers to revoke it, beside the institution.
    let log = app.get("/access-log").await.text().await.unwrap();
    let revoke_form = format!("<input type=\"hidden\" name=\"institution\" value=\"{a}\"");
    assert!(log.contains(&revoke_form), "a revoke button for {a}");
    // What was sent is what the disclosure query gives: the shared query, disputed left out.
    let today = app.clock.today_japan();
    let (_, meds) = read(
        &app,
        &token_a,
        DataKind::Medications,
        lookup(&insured, &today.to_string()),
    )
    .await;
    let expected = portal::disclosure::records(&app.db.db, me, DataKind::Medications, today)
        .await
        .unwrap();
    assert_eq!(meds["records"], serde_json::to_value(&expected).unwrap());
    assert!(
        expected.count() > 0,
        "the demo patient has medicines to send"
    );

    // Narrowed: A now sees checkups only.
    let res = consent(
        &app,
        &mut card,
        &[
            ("action", "grant"),
            ("institution", a),
            ("k_checkups", "on"),
            ("period", "until"),
            ("until", "2027-03-31"),
        ],
    )
    .await;
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .contains("done=changed")
    );
    let narrowed = every_read_obeys_the_consents(&app, me, &insured, &tokens, "narrowed").await;
    assert_eq!(allowed(&narrowed), [(a.to_owned(), DataKind::Checkups)]);
    let (_, refused) = read(
        &app,
        &token_a,
        DataKind::Medications,
        lookup(&insured, &today.to_string()),
    )
    .await;
    assert_eq!(refused["error"]["code"], "consent_kind_missing");

    // A visit consent for B, then the clock passes its 24 hours: expired.
    consent(
        &app,
        &mut card,
        &[
            ("action", "grant"),
            ("institution", b),
            ("k_medications", "on"),
            ("period", "visit"),
        ],
    )
    .await;
    let visit = every_read_obeys_the_consents(&app, me, &insured, &tokens, "visit").await;
    assert!(allowed(&visit).contains(&(b.to_owned(), DataKind::Medications)));
    app.clock.advance(chrono::TimeDelta::hours(25));
    let expired = every_read_obeys_the_consents(&app, me, &insured, &tokens, "expired").await;
    assert!(!allowed(&expired).contains(&(b.to_owned(), DataKind::Medications)));
    let (_, body) = read(
        &app,
        &token_b,
        DataKind::Medications,
        lookup(&insured, &app.clock.today_japan().to_string()),
    )
    .await;
    assert_eq!(body["error"]["code"], "consent_expired");

    // Revoked: A's next request is refused.
    let mut card = sign_in_as(&app, "DEMO-0001").await;
    let res = consent(&app, &mut card, &[("action", "revoke"), ("institution", a)]).await;
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .contains("done=revoked")
    );
    let revoked = every_read_obeys_the_consents(&app, me, &insured, &tokens, "revoked").await;
    assert_eq!(allowed(&revoked), []);
    let (_, body) = read(
        &app,
        &token_a,
        DataKind::Checkups,
        lookup(&insured, &app.clock.today_japan().to_string()),
    )
    .await;
    assert_eq!(body["error"]["code"], "consent_revoked");

    // Every consent change is in the log, signed by a card check that verifies.
    let (checked, unsigned) = portal::auth::signatures::verify_consents(&app.db.db)
        .await
        .unwrap();
    assert_eq!((checked, unsigned), (4, vec![]));
    assert_eq!(
        portal::storage::access_log::verify(&app.db.db)
            .await
            .unwrap()
            .problems,
        []
    );
}

#[tokio::test]
async fn a_consent_change_needs_its_own_card_check() {
    let app = spawn(true).await;
    let mut card = sign_in_as(&app, "DEMO-0001").await;
    let codes = institution_codes(&app.db.db).await;
    let grant = [
        ("action", "grant"),
        ("institution", codes[0].as_str()),
        ("k_medications", "on"),
        ("period", "visit"),
    ];
    // The sign-in a moment ago does not count: the page comes back asking for the card.
    let res = app.post("/consents").form(&grant).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("安全のため、先にカードで本人確認をしてください"),
        "{page}"
    );
    assert!(
        page.contains("confirm-form"),
        "the confirm form comes back with the preview"
    );
    // One check approves one change.
    let res = consent(&app, &mut card, &grant).await;
    assert_eq!(res.status(), 303);
    let again = [("action", "revoke"), ("institution", codes[0].as_str())];
    let res = app.post("/consents").form(&again).send().await.unwrap();
    assert_eq!(
        res.status(),
        200,
        "the used check does not approve a second change"
    );
    assert!(res.text().await.unwrap().contains("先にカードで本人確認を"));
    // A check older than five minutes does not either.
    assert_eq!(
        card.step_up(&app, &app.client, "change_consent")
            .await
            .status(),
        200
    );
    app.clock.advance(chrono::TimeDelta::minutes(6));
    let mut card = sign_in_as(&app, "DEMO-0001").await;
    let res = app.post("/consents").form(&again).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res = consent(&app, &mut card, &again).await;
    assert_eq!(res.status(), 303);

    // Bad terms are named, and nothing is stored.
    assert_eq!(
        card.step_up(&app, &app.client, "change_consent")
            .await
            .status(),
        200
    );
    let bad = [
        ("action", "grant"),
        ("institution", codes[0].as_str()),
        ("period", "until"),
        ("until", "2020-01-01"),
    ];
    let res = app.post("/consents").form(&bad).send().await.unwrap();
    let page = res.text().await.unwrap();
    assert!(
        page.contains("見られるデータを1つ以上選んでください。"),
        "{page}"
    );
    assert!(
        page.contains("終了日は今日以降の日付にしてください。"),
        "{page}"
    );
    let res = app
        .post("/consents")
        .form(&[
            ("action", "grant"),
            ("institution", "0000000000"),
            ("k_medications", "on"),
            ("period", "visit"),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("その医療機関・薬局は見つかりません")
    );
}

#[tokio::test]
async fn bad_input_gets_a_code_per_field_and_bad_credentials_nothing() {
    let app = spawn(true).await;
    let me = common::demo_patients(&app.db.db).await[0];
    let insured = insured_of(&app.db.db, me).await;
    let codes = institution_codes(&app.db.db).await;
    let token = credential(&app, &codes[0]).await;
    let url = app.url(&path(DataKind::Medications));
    let client = common::client().build().unwrap();

    let (status, body) = read(&app, &token, DataKind::Medications, json!({})).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "fields_invalid");
    assert_eq!(
        body["error"]["fields"],
        json!([{ "field": "insured", "code": "required" }, { "field": "visit_date", "code": "required" }])
    );
    let mut bad = insured.clone();
    bad["insurer"] = json!("12345679");
    bad["branch"] = json!("1");
    let (status, body) = read(
        &app,
        &token,
        DataKind::Medications,
        lookup(&bad, "2026-13-01"),
    )
    .await;
    assert_eq!(status, 400);
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["insured.insurer", "insured.branch", "visit_date"]);
    let (status, body) = read(
        &app,
        &token,
        DataKind::Medications,
        lookup(&insured, "2099-01-01"),
    )
    .await;
    assert_eq!(
        (status, body["error"]["fields"][0]["code"].as_str()),
        (400, Some("visit_date_future"))
    );
    let (status, body) = read(
        &app,
        &token,
        DataKind::Medications,
        json!({ "insured": insured, "visit_date": "2026-11-20", "name": "x" }),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("body_invalid"))
    );
    let res = client
        .post(&url)
        .bearer_auth(&token)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "body_invalid");

    // A number nobody holds is answered as a missing consent: the API never tells who is a
    // patient here. Nothing is logged for nobody.
    let mut stranger = insured.clone();
    stranger["number"] = json!("99999999");
    let (status, body) = read(
        &app,
        &token,
        DataKind::Medications,
        lookup(&stranger, "2026-11-20"),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("consent_missing"))
    );

    // Credentials: missing, mistyped, unknown, revoked.
    let res = client
        .post(&url)
        .json(&lookup(&insured, "2026-11-20"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert!(
        res.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"]["code"],
        "credential_missing"
    );
    let (id, _) = token.split_once('.').unwrap();
    for wrong in [
        "nonsense",
        &format!("{id}.wrongsecret"),
        "0123456789abcdef.x",
    ] {
        let (status, body) = read(
            &app,
            wrong,
            DataKind::Medications,
            lookup(&insured, "2026-11-20"),
        )
        .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (401, Some("credential_invalid")),
            "{wrong}"
        );
    }
    assert!(
        portal::storage::credentials::revoke(&app.db.db, id, app.now())
            .await
            .unwrap()
    );
    let (status, _) = read(
        &app,
        &token,
        DataKind::Medications,
        lookup(&insured, "2026-11-20"),
    )
    .await;
    assert_eq!(status, 401, "a revoked credential stops at once");

    // Unknown calls and methods answer JSON too.
    let res = client
        .get(app.url("/institution/v1/nothing"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"]["code"],
        "not_found"
    );
    let res = client.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"]["code"],
        "method_not_allowed"
    );
}

#[tokio::test]
async fn another_patients_number_or_another_institutions_credential_reads_nothing() {
    let app = spawn(true).await;
    let mut card = sign_in_as(&app, "DEMO-0001").await;
    let patients = common::demo_patients(&app.db.db).await;
    let (me, other) = (patients[0], patients[1]);
    let codes = institution_codes(&app.db.db).await;
    let (mine, theirs) = (codes[0].as_str(), codes[1].as_str());
    assert_eq!(
        consent(&app, &mut card, &grant_everything(mine))
            .await
            .status(),
        303
    );
    let (token_mine, token_theirs) = (credential(&app, mine).await, credential(&app, theirs).await);
    let my_number = insured_of(&app.db.db, me).await;
    let their_number = insured_of(&app.db.db, other).await;
    for kind in DataKind::ALL {
        let (status, _) = read(&app, &token_mine, *kind, lookup(&my_number, "2026-11-20")).await;
        assert_eq!(status, 200, "{kind:?}: the consent holds");
        let (status, body) = read(
            &app,
            &token_mine,
            *kind,
            lookup(&their_number, "2026-11-20"),
        )
        .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (403, Some("consent_missing")),
            "another patient's number"
        );
        let (status, body) =
            read(&app, &token_theirs, *kind, lookup(&my_number, "2026-11-20")).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (403, Some("consent_missing")),
            "another institution"
        );
    }
    // The other patient sees the refusals of reads naming them; nothing was sent.
    let (entries, _) =
        portal::storage::access_log::page(&app.db.db, other, &Default::default(), 0, 50)
            .await
            .unwrap();
    assert_eq!(entries.len(), DataKind::ALL.len());
    assert!(
        entries
            .iter()
            .all(|e| e.entry.outcome == portal::domain::access_log::Outcome::Refused)
    );
}

/// Recipients of welfare medical aid have no insured-person number: institutions name them by
/// the public payer and recipient numbers on their medical ticket, under the same consent rules.
#[tokio::test]
async fn welfare_recipients_are_named_by_their_medical_ticket() {
    let app = spawn(true).await;
    let mut on_aid = None;
    for (n, patient) in common::demo_patients(&app.db.db)
        .await
        .into_iter()
        .enumerate()
    {
        let member = common::current_member(&app.db.db, patient).await;
        if let [payer, recipient] = member.split(':').collect::<Vec<_>>()[..] {
            on_aid = Some((
                format!("DEMO-{:04}", n + 1),
                patient,
                json!({ "payer": payer, "recipient": recipient }),
            ));
            break;
        }
    }
    let (link_key, patient, aid) = on_aid.expect("a demo patient on welfare medical aid");
    let codes = institution_codes(&app.db.db).await;
    let token = credential(&app, &codes[0]).await;
    let by_ticket = json!({ "public_aid": aid, "visit_date": "2026-11-20" });

    // Without consent: refused, and the refusal is in their log.
    let (status, body) = read(&app, &token, DataKind::Qualification, by_ticket.clone()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("consent_missing"))
    );
    assert_eq!(log_size(&app.db.db, patient).await, 1);

    let mut card = sign_in_as(&app, &link_key).await;
    let res = consent(
        &app,
        &mut card,
        &[
            ("action", "grant"),
            ("institution", codes[0].as_str()),
            ("k_qualification", "on"),
            ("period", "until_revoked"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (status, body) = read(&app, &token, DataKind::Qualification, by_ticket.clone()).await;
    assert_eq!(status, 200, "{body}");
    let expected = portal::disclosure::records(
        &app.db.db,
        patient,
        DataKind::Qualification,
        common::today(),
    )
    .await
    .unwrap();
    assert_eq!(body["records"], serde_json::to_value(&expected).unwrap());
    assert_eq!(body["records"]["kind"], "welfare_aid", "{body}");
    let (status, _) = read(&app, &token, DataKind::Medications, by_ticket).await;
    assert_eq!(status, 403, "medications were not consented to");

    // Bad numbers are named per field; both ways at once, or neither, are refused.
    let (status, body) = read(
        &app,
        &token,
        DataKind::Qualification,
        json!({ "public_aid": { "payer": "13000000", "recipient": "12" }, "visit_date": "2026-11-20" }),
    )
    .await;
    assert_eq!(status, 400);
    let payer_code = portal::domain::qualification::welfare::PublicPayerNumber::parse("13000000")
        .unwrap_err()
        .code();
    assert_eq!(
        body["error"]["fields"],
        json!([
            { "field": "public_aid.payer", "code": payer_code },
            { "field": "public_aid.recipient", "code": "recipient_number_length" }
        ])
    );
    let me = common::demo_patients(&app.db.db).await[0];
    let both = json!({ "insured": insured_of(&app.db.db, me).await, "public_aid": aid, "visit_date": "2026-11-20" });
    let (status, body) = read(&app, &token, DataKind::Qualification, both).await;
    assert_eq!(
        (status, body["error"]["fields"].clone()),
        (
            400,
            json!([{ "field": "public_aid", "code": "insured_or_public_aid" }])
        )
    );
}

#[tokio::test]
async fn the_openapi_document_names_every_call_and_limits_hold_per_credential() {
    let app = spawn(true).await;
    let client = common::client().build().unwrap();
    let res = client
        .get(app.url("/institution/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    // One read per kind of data, and starting an emergency access.
    assert_eq!(paths.len(), DataKind::ALL.len() + 1);
    let calls = DataKind::ALL
        .iter()
        .map(|kind| portal::institution_api::path_of(*kind).to_owned())
        .chain(["/emergency".to_owned()]);
    for p in calls {
        assert!(paths.contains(&&p), "{p} is described");
        // Described calls exist: without a credential they ask for one, never 404.
        let res = client
            .post(app.url(&format!("{}{p}", portal::institution_api::PREFIX)))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401, "{p}");
    }

    let codes = institution_codes(&app.db.db).await;
    let token = credential(&app, &codes[0]).await;
    let other = credential(&app, &codes[0]).await;
    let body =
        json!({ "insured": { "insurer": "06139997", "number": "1" }, "visit_date": "2026-11-20" });
    for n in 0..portal::institution_api::CALLS_PER_CREDENTIAL.max_failures {
        let (status, _) = read(&app, &token, DataKind::Medications, body.clone()).await;
        assert_ne!(status, 429, "call {n} is within the limit");
    }
    let res = client
        .post(app.url(&path(DataKind::Medications)))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"]["code"],
        "rate_limited"
    );
    let (status, _) = read(&app, &other, DataKind::Medications, body.clone()).await;
    assert_ne!(status, 429, "another credential has its own limit");
    app.clock.advance(chrono::TimeDelta::minutes(1));
    let (status, _) = read(&app, &token, DataKind::Medications, body).await;
    assert_ne!(status, 429, "the window passes");
}

/// Institution systems time out and go away mid-call. A call abandoned halfway must leave
/// nothing behind: each later call is answered, and every patient's log still verifies.
/// (sqlx 0.8 could leave a SQLite connection inside a transaction when the future beginning it
/// was dropped; handlers now run to completion whatever the client does.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_abandoned_halfway_leave_every_later_call_answered() {
    let app = spawn(true).await;
    let mut card = sign_in_as(&app, "DEMO-0001").await;
    let me = common::demo_patients(&app.db.db).await[0];
    let insured = insured_of(&app.db.db, me).await;
    let codes = institution_codes(&app.db.db).await;
    assert_eq!(
        consent(&app, &mut card, &grant_everything(&codes[0]))
            .await
            .status(),
        303
    );
    let mut tokens = Vec::new();
    // Sixteen terminals, so that no call here meets the limit per credential.
    for _ in 0..16 {
        tokens.push(credential(&app, &codes[0]).await);
    }
    let body = lookup(&insured, "2026-11-20");
    // Rounds of concurrent calls, each given up after a few hundred microseconds to a few
    // milliseconds: many are dropped while their transaction is being opened or committed.
    for round in 0..6u64 {
        let mut abandoned = tokio::task::JoinSet::new();
        for n in round * 300..(round + 1) * 300 {
            let client = common::client()
                .timeout(std::time::Duration::from_micros(300 + (n * 53) % 6000))
                .build()
                .unwrap();
            let url = app.url(&path(DataKind::ALL[(n % 4) as usize]));
            let (token, body) = (tokens[(n % 16) as usize].clone(), body.clone());
            abandoned.spawn(async move {
                let _ = client.post(url).bearer_auth(token).json(&body).send().await;
            });
        }
        while abandoned.join_next().await.is_some() {}
        // Let the calls still running on the server finish.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        for (n, token) in tokens.iter().enumerate() {
            let kind = DataKind::ALL[n % 4];
            let (status, answer) = read(&app, token, kind, body.clone()).await;
            assert_eq!(
                status, 200,
                "round {round}, call {n} after the abandoned ones: {answer}"
            );
        }
    }
    let checked = portal::storage::access_log::verify(&app.db.db)
        .await
        .unwrap();
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
}
