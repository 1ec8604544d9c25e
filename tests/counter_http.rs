//! The card-reader consent flow at an institution's counter, over HTTP as the terminal's
//! browser speaks it, and the notices a patient then finds on their home page: the terminal is
//! signed in with the institution's credential; one card check and one tap grant this visit to
//! this institution only; the next patient starts clean; a cancelled step, a stale step or a
//! card nobody enrolled changes nothing; a first read raises one notice, dismissed into the log.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::app::{App, spawn};
use common::card::{Card, browser, call, sign_in_as};
use portal::domain::access_log::Action;
use portal::domain::clock::Clock;
use portal::domain::consent::{DataKind, Period};
use portal::storage::Db;
use portal::storage::patients::PatientId;
use serde_json::json;

async fn patient(db: &Db, link_key: &str) -> PatientId {
    portal::storage::patients::by_link_key(db, link_key)
        .await
        .unwrap()
        .unwrap()
}

/// A pharmacy of the demo data, and a credential for it.
async fn pharmacy(app: &App) -> (String, String, String) {
    let row = common::strings(
        &app.db.db,
        "SELECT code || '|' || name FROM institutions WHERE kind = 'pharmacy' ORDER BY code LIMIT 1",
    )
    .await
    .remove(0);
    let (code, name) = row.split_once('|').unwrap();
    let (_, token) = portal::institution_api::credentials::issue(
        &app.db.db,
        code,
        "reception",
        app.now(),
        &mut rand::rng(),
    )
    .await
    .unwrap();
    (code.to_owned(), name.to_owned(), token)
}

async fn page(app: &App, client: &reqwest::Client, path: &str) -> String {
    let res = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}

async fn post(
    app: &App,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client
        .post(app.url(path))
        .header("origin", app.origin())
        .form(form)
        .send()
        .await
        .unwrap()
}

/// The patient places their card on the terminal: both steps of the ceremony.
async fn place_card(app: &App, terminal: &reqwest::Client, card: &mut Card) -> reqwest::Response {
    let res = call(app, terminal, "/api/counter/begin_card", json!({})).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let answer = card.answer(res.json().await.unwrap());
    call(
        app,
        terminal,
        "/api/counter/complete_card",
        json!({ "reply": answer }),
    )
    .await
}

async fn name_of(db: &Db, p: PatientId) -> String {
    portal::storage::patients::identity(db, p).await.unwrap().1
}

fn escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('\'', "&#x27;")
}

async fn api_read(app: &App, token: &str, kind: DataKind, p: PatientId) -> u16 {
    let member = common::current_member(&app.db.db, p).await;
    let [insurer, symbol, number, branch] = member.split(':').collect::<Vec<_>>()[..] else {
        panic!("an insured patient: {member}");
    };
    let body = json!({
        "insured": { "insurer": insurer, "symbol": symbol, "number": number, "branch": branch },
        "visit_date": app.clock.today_japan().to_string(),
    });
    common::client()
        .build()
        .unwrap()
        .post(app.url(&format!(
            "{}{}",
            portal::institution_api::PREFIX,
            portal::institution_api::path_of(kind)
        )))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn two_patients_one_after_the_other_at_one_terminal() {
    let app = spawn(true).await;
    let (code, name, token) = pharmacy(&app).await;
    let (a, b) = (
        patient(&app.db.db, "DEMO-0001").await,
        patient(&app.db.db, "DEMO-0002").await,
    );
    let mut card_a = Card::enroll(&app, &browser(), "DEMO-0001").await;
    let mut card_b = Card::enroll(&app, &browser(), "DEMO-0002").await;
    let terminal = browser();

    // Before the staff sign it in, the terminal offers only their form, and reads no card.
    let html = page(&app, &terminal, "/counter").await;
    assert!(html.contains(r#"name="credential""#), "{html}");
    let res = call(&app, &terminal, "/api/counter/begin_card", json!({})).await;
    assert_eq!(res.status(), 401);
    let res = post(
        &app,
        &terminal,
        "/counter",
        &[("action", "terminal"), ("credential", "nope.nope")],
    )
    .await;
    assert_eq!(res.status(), 200);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains(r#"data-code="counter_credential_invalid""#)
    );
    let res = post(
        &app,
        &terminal,
        "/counter",
        &[("action", "terminal"), ("credential", &token)],
    )
    .await;
    assert_eq!(res.status(), 303);
    let ready = page(&app, &terminal, "/counter").await;
    assert!(
        ready.contains(r#"id="read-card""#) && ready.contains(&escaped(&name)),
        "{ready}"
    );

    // The first patient: card, choice, confirmed.
    let res = place_card(&app, &terminal, &mut card_a).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let choosing = page(&app, &terminal, "/counter").await;
    let name_a = name_of(&app.db.db, a).await;
    assert!(
        choosing.contains(&escaped(&name_a)),
        "the patient sees their name"
    );
    assert!(choosing.contains(r#"name="k_medications""#));
    assert!(
        !choosing.contains(r#"name="k_cost_notices""#),
        "cost notices are shared only from home"
    );
    let res = post(
        &app,
        &terminal,
        "/counter",
        &[
            ("action", "confirm"),
            ("k_medications", "1"),
            ("k_qualification", "1"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let confirmed = page(&app, &terminal, "/counter").await;
    assert!(confirmed.contains("counter__confirmed"), "{confirmed}");
    let consents = portal::storage::consents::for_institution(&app.db.db, a, &code)
        .await
        .unwrap();
    assert_eq!(consents.len(), 1);
    assert_eq!(consents[0].terms.period, Period::Visit);
    assert_eq!(
        consents[0].terms.kinds,
        [DataKind::Medications, DataKind::Qualification]
    );
    let granted = portal::storage::access_log::page(&app.db.db, a, &Default::default(), 0, 1)
        .await
        .unwrap()
        .0
        .remove(0)
        .entry;
    assert_eq!(granted.action, Action::ConsentGranted);
    assert!(
        granted.detail.contains(r#""counter":true"#),
        "{}",
        granted.detail
    );
    assert_eq!(api_read(&app, &token, DataKind::Medications, a).await, 200);
    assert_eq!(
        api_read(&app, &token, DataKind::Checkups, a).await,
        403,
        "not chosen"
    );

    // The next patient finds the terminal clean: nothing of the first is shown again.
    let next = page(&app, &terminal, "/counter").await;
    assert!(next.contains(r#"id="read-card""#) && !next.contains(&escaped(&name_a)));
    let res = place_card(&app, &terminal, &mut card_b).await;
    assert_eq!(res.status(), 200);
    let choosing = page(&app, &terminal, "/counter").await;
    assert!(choosing.contains(&escaped(&name_of(&app.db.db, b).await)));
    assert!(
        !choosing.contains(&escaped(&name_a)),
        "never the first patient"
    );
    // The second patient cancels: nothing changes, and a confirm after it finds no card.
    let res = post(&app, &terminal, "/counter", &[("action", "cancel")]).await;
    assert_eq!(res.status(), 303);
    let res = post(
        &app,
        &terminal,
        "/counter",
        &[("action", "confirm"), ("k_checkups", "1")],
    )
    .await;
    assert!(
        res.text()
            .await
            .unwrap()
            .contains(r#"data-code="counter_card_expired""#)
    );
    assert!(
        portal::storage::consents::for_institution(&app.db.db, b, &code)
            .await
            .unwrap()
            .is_empty()
    );

    // A card read more than five minutes before the choice is not enough.
    let res = place_card(&app, &terminal, &mut card_b).await;
    assert_eq!(res.status(), 200);
    app.clock.advance(chrono::TimeDelta::minutes(6));
    let res = post(
        &app,
        &terminal,
        "/counter",
        &[("action", "confirm"), ("k_checkups", "1")],
    )
    .await;
    assert!(
        res.text()
            .await
            .unwrap()
            .contains(r#"data-code="counter_card_expired""#)
    );
    assert!(
        portal::storage::consents::for_institution(&app.db.db, b, &code)
            .await
            .unwrap()
            .is_empty()
    );

    // A stopped card is refused and opens no step.
    let c = patient(&app.db.db, "DEMO-0003").await;
    let mut stopped = Card::enroll(&app, &browser(), "DEMO-0003").await;
    let id = portal::storage::cards::by_credential_id(
        &app.db.db,
        &portal::storage::card_checks::b64(&stopped.cred_id),
    )
    .await
    .unwrap()
    .unwrap()
    .id;
    portal::storage::cards::revoke(&app.db.db, c, id, "lost", app.now())
        .await
        .unwrap();
    let res = place_card(&app, &terminal, &mut stopped).await;
    assert_eq!(res.status(), 400);
    let html = page(&app, &terminal, "/counter").await;
    assert!(html.contains(r#"id="read-card""#));
    assert!(!html.contains(&escaped(&name_of(&app.db.db, c).await)));

    // Revoking the credential stops the terminal on its next request.
    portal::storage::credentials::revoke(&app.db.db, token.split('.').next().unwrap(), app.now())
        .await
        .unwrap();
    assert!(
        page(&app, &terminal, "/counter")
            .await
            .contains(r#"name="credential""#)
    );
    let res = call(&app, &terminal, "/api/counter/begin_card", json!({})).await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn a_first_read_is_noticed_once_and_dismissed_into_the_log() {
    let app = spawn(true).await;
    let (code, _, token) = pharmacy(&app).await;
    let me = patient(&app.db.db, "DEMO-0001").await;
    let mut card = sign_in_as(&app, "DEMO-0001").await;
    assert!(
        !page(&app, &app.client, "/")
            .await
            .contains("notices-heading")
    );
    // A consent ending in three days, given at home.
    let until = (app.clock.today_japan() + chrono::Days::new(3)).to_string();
    assert_eq!(
        card.step_up(&app, &app.client, "change_consent")
            .await
            .status(),
        200
    );
    let res = app
        .post("/consents")
        .form(&[
            ("action", "grant"),
            ("institution", code.as_str()),
            ("k_medications", "on"),
            ("period", "until"),
            ("until", until.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let home = page(&app, &app.client, "/").await;
    let expiring = home.matches(r#"data-topic="consent_expiring:"#).count();
    assert_eq!(expiring, 1, "the consent about to end is announced");
    assert!(!home.contains(r#"data-topic="first_read:"#));

    app.clock.advance(chrono::TimeDelta::seconds(2));
    assert_eq!(api_read(&app, &token, DataKind::Medications, me).await, 200);
    assert_eq!(api_read(&app, &token, DataKind::Medications, me).await, 200);
    app.clock.advance(chrono::TimeDelta::seconds(2));
    let topic = format!("first_read:{code}");
    let home = page(&app, &app.client, "/").await;
    assert_eq!(
        home.matches(&format!(r#"data-topic="{topic}""#)).count(),
        1,
        "two reads, one notice"
    );
    assert_eq!(
        common::count(&app.db.db, "notices").await,
        1,
        "raised once, in the read's transaction"
    );

    // Someone else's or a made-up topic changes nothing.
    let before = common::count(&app.db.db, "access_log").await;
    for other in ["first_read:0000000000", "consent_expiring:999999", "junk"] {
        let res = app
            .post("/notices")
            .form(&[("topic", other)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
    }
    assert_eq!(common::count(&app.db.db, "access_log").await, before);

    let res = app
        .post("/notices")
        .form(&[("topic", topic.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    app.clock.advance(chrono::TimeDelta::seconds(2));
    let home = page(&app, &app.client, "/").await;
    assert!(
        !home.contains(&format!(r#"data-topic="{topic}""#)),
        "dismissed"
    );
    let newest = portal::storage::access_log::page(&app.db.db, me, &Default::default(), 0, 1)
        .await
        .unwrap()
        .0
        .remove(0)
        .entry;
    assert_eq!(newest.action, Action::NoticeDismissed);
    assert_eq!(newest.actor_code.as_deref(), Some(code.as_str()));
    // Dismissing again writes nothing; a new read raises nothing new.
    let res = app
        .post("/notices")
        .form(&[("topic", topic.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(api_read(&app, &token, DataKind::Medications, me).await, 200);
    app.clock.advance(chrono::TimeDelta::seconds(2));
    assert!(
        !page(&app, &app.client, "/")
            .await
            .contains(&format!(r#"data-topic="{topic}""#))
    );

    // The consent about to end is dismissed too, and kept as such.
    let home = page(&app, &app.client, "/").await;
    let start = home.find(r#"data-topic="consent_expiring:"#).unwrap() + r#"data-topic=""#.len();
    let expiring = &home[start..start + home[start..].find('"').unwrap()];
    let res = app
        .post("/notices")
        .form(&[("topic", expiring)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    app.clock.advance(chrono::TimeDelta::seconds(2));
    assert!(!page(&app, &app.client, "/").await.contains("data-topic="));
    assert_eq!(common::count(&app.db.db, "notices").await, 2);
    let verified = portal::storage::access_log::verify(&app.db.db)
        .await
        .unwrap();
    assert!(verified.problems.is_empty(), "{:?}", verified.problems);
}
