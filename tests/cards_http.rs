//! A signed-in patient's cards over HTTP: the fresh card check (step-up) that adding or stopping
//! a card needs, what stopping a card does to its sessions, and the idle warning's view of the
//! session. (The fallback sign-in by insured number is in `hardening_http.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::TimeDelta;
use common::app::{App, spawn};
use common::card::{Card, browser, call};
use portal::auth::ceremony::{CreationChallengeResponse, RequestChallengeResponse};
use serde_json::json;

async fn card_ids(app: &App, client: &reqwest::Client) -> Vec<(i64, bool)> {
    let account: serde_json::Value = call(app, client, "/api/account", json!({}))
        .await
        .json()
        .await
        .unwrap();
    account["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_i64().unwrap(), c["ended"].is_null()))
        .collect()
}

/// The no-JS form post that stops a card: the status and where it sends the browser.
async fn stop_card(app: &App, client: &reqwest::Client, card: i64) -> (u16, String) {
    let card = card.to_string();
    post_form(
        app,
        client,
        "/api/account/revoke_card",
        &[("card", card.as_str())],
    )
    .await
}

/// A plain form post as a browser without scripts sends it: the status and the redirect target.
async fn post_form(
    app: &App,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let (status, location, _) = post_page(app, client, path, form).await;
    (status, location)
}

async fn refusal(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body: serde_json::Value = res.json().await.unwrap();
    (
        status,
        body["reason"]
            .as_str()
            .or(body["code"].as_str())
            .unwrap_or("")
            .to_owned(),
    )
}

#[tokio::test]
async fn adding_and_stopping_cards_needs_a_fresh_card_check() {
    let app = spawn(true).await;
    let a = browser();
    let mut first = Card::enroll(&app, &a, "DEMO-0001").await;
    assert_eq!(first.sign_in(&app, &a).await.status(), 200);

    // Signing in does not count for the cards themselves, not even a second later: whoever
    // finds a signed-in browser must have the card in hand to add or stop one.
    let res = call(&app, &a, "/api/auth/begin_add_card", json!({})).await;
    assert_eq!(refusal(res).await, (400, "step_up_required".into()));
    let (_, location) = stop_card(&app, &a, 1).await;
    assert!(
        location.contains("card_error=step_up_required"),
        "{location}"
    );
    let res = call(
        &app,
        &a,
        "/api/auth/complete_add_card",
        json!({"reply": {"id": "x"}}),
    )
    .await;
    assert_eq!(
        res.status(),
        400,
        "no registration in progress: nothing is added"
    );

    // A card of another patient cannot pass this patient's check.
    let b = browser();
    let mut stranger = Card::enroll(&app, &b, "DEMO-0002").await;
    let res = call(
        &app,
        &a,
        "/api/auth/begin_step_up",
        json!({"purpose": "add_card"}),
    )
    .await;
    let rcr: RequestChallengeResponse = res.json().await.unwrap();
    let offered: Vec<Vec<u8>> = rcr
        .public_key
        .allow_credentials
        .iter()
        .map(|c| c.id.clone())
        .collect();
    assert_eq!(
        offered,
        vec![first.cred_id.clone()],
        "only the patient's own cards are offered"
    );
    let mut forged = rcr.clone();
    forged.public_key.allow_credentials.clear();
    let answer = stranger.answer(forged);
    let res = call(
        &app,
        &a,
        "/api/auth/complete_step_up",
        json!({"reply": answer}),
    )
    .await;
    assert_eq!(refusal(res).await, (400, "unknown_card".into()));

    // The patient's own card passes; the check is kept with what it was for.
    assert_eq!(first.step_up(&app, &a, "add_card").await.status(), 200);
    let login =
        portal::storage::logins::active_of(&app.db.db, common::demo_patients(&app.db.db).await[0])
            .await
            .unwrap()
            .into_iter()
            .next()
            .unwrap();
    let purposes: Vec<String> = portal::storage::card_checks::of_login(&app.db.db, &login.id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.purpose)
        .collect();
    assert_eq!(purposes, ["sign_in", "add_card"]);

    // Add a second card, and sign in with it in another browser.
    let res = call(&app, &a, "/api/auth/begin_add_card", json!({})).await;
    assert_eq!(res.status(), 200);
    let ccr: CreationChallengeResponse = res.json().await.unwrap();
    let (token, _) = webauthn_authenticator_rs::softtoken::SoftToken::new(true).unwrap();
    let mut second = Card::with_token(&app, token);
    let reply = second.register(ccr);
    let res = call(
        &app,
        &a,
        "/api/auth/complete_add_card",
        json!({"reply": reply}),
    )
    .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let cards = card_ids(&app, &a).await;
    assert_eq!(cards.len(), 2);
    let c = browser();
    assert_eq!(second.sign_in(&app, &c).await.status(), 200);
    assert_eq!(
        call(&app, &c, "/api/home_summary", json!({}))
            .await
            .status(),
        200
    );

    // A check made for adding a card does not stop one.
    let (_, location) = stop_card(&app, &a, cards[1].0).await;
    assert!(
        location.contains("card_error=step_up_required"),
        "{location}"
    );
    assert_eq!(card_ids(&app, &a).await.len(), 2);
    assert_eq!(first.step_up(&app, &a, "revoke_card").await.status(), 200);

    // Another patient's card number is simply not found, and nothing changes.
    assert_eq!(stranger.sign_in(&app, &b).await.status(), 200);
    let (stranger_card, _) = card_ids(&app, &b).await[0];
    let (status, _) = stop_card(&app, &a, stranger_card).await;
    assert_eq!(status, 404);
    assert_eq!(
        call(&app, &b, "/api/home_summary", json!({}))
            .await
            .status(),
        200
    );

    // Stopping the second card ends its session at once; this one stays.
    let (status, location) = stop_card(&app, &a, cards[1].0).await;
    assert_eq!(
        (status, location.as_str()),
        (302, "/account?card_stopped=1#cards-heading")
    );
    assert_eq!(
        call(&app, &c, "/api/home_summary", json!({}))
            .await
            .status(),
        401
    );
    assert_eq!(
        call(&app, &a, "/api/home_summary", json!({}))
            .await
            .status(),
        200
    );
    assert_eq!(
        second.sign_in(&app, &c).await.status(),
        400,
        "a stopped card cannot sign in"
    );

    // Five minutes later the check is stale: the form comes back asking for one.
    app.clock.advance(TimeDelta::minutes(6));
    let (status, location) = stop_card(&app, &a, cards[0].0).await;
    assert_eq!(status, 302);
    assert!(
        location.contains("card_error=step_up_required"),
        "{location}"
    );
    assert_eq!(
        card_ids(&app, &a).await[0],
        (cards[0].0, true),
        "still working"
    );

    // Stopping the card this session signed in with signs this browser out too.
    assert_eq!(first.step_up(&app, &a, "revoke_card").await.status(), 200);
    let (_, location) = stop_card(&app, &a, cards[0].0).await;
    assert_eq!(location, "/sign-in?card_stopped=1");
    assert_eq!(
        call(&app, &a, "/api/home_summary", json!({}))
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn asking_how_long_is_left_does_not_keep_a_session_alive() {
    let app = spawn(true).await;
    let a = browser();
    let left = |a: reqwest::Client| {
        let app = &app;
        async move {
            let v: serde_json::Value = call(app, &a, "/api/auth/session_left", json!({}))
                .await
                .json()
                .await
                .unwrap();
            v
        }
    };
    assert!(
        left(a.clone()).await.is_null(),
        "nobody signed in: an answer, not a 401"
    );
    let mut card = Card::enroll(&app, &a, "DEMO-0003").await;
    assert_eq!(card.sign_in(&app, &a).await.status(), 200);
    assert_eq!(
        left(a.clone()).await,
        json!({"seconds": 900, "absolute": false})
    );

    // Polling every minute for 14 minutes does not extend the session.
    for _ in 0..14 {
        app.clock.advance(TimeDelta::minutes(1));
        left(a.clone()).await;
    }
    assert_eq!(left(a.clone()).await["seconds"], 60);
    // "Stay signed in" does.
    let v: serde_json::Value = call(&app, &a, "/api/auth/stay_signed_in", json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["seconds"], 900);
    app.clock
        .advance(TimeDelta::minutes(15) + TimeDelta::seconds(1));
    assert!(left(a.clone()).await.is_null(), "ended for inactivity");
    assert_eq!(
        call(&app, &a, "/api/home_summary", json!({}))
            .await
            .status(),
        401
    );

    // Near the absolute limit, the warning says that staying cannot help.
    assert_eq!(card.sign_in(&app, &a).await.status(), 200);
    for _ in 0..(8 * 60 / 10 - 1) {
        app.clock.advance(TimeDelta::minutes(10));
        call(&app, &a, "/api/auth/stay_signed_in", json!({})).await;
    }
    app.clock.advance(TimeDelta::minutes(5));
    assert_eq!(
        left(a.clone()).await,
        json!({"seconds": 300, "absolute": true})
    );
}

#[tokio::test]
async fn a_sign_in_from_the_autofill_list_is_kept_apart_from_the_buttons() {
    let app = spawn(true).await;
    let a = browser();
    let mut card = Card::enroll(&app, &a, "DEMO-0001").await;
    let res = call(&app, &a, "/api/auth/begin_autofill_sign_in", json!({})).await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["mediation"], "conditional");
    let autofill: RequestChallengeResponse = serde_json::from_value(body).unwrap();
    // The button starts its own sign-in meanwhile (the page withdraws the autofill request).
    let res = call(&app, &a, "/api/auth/begin_sign_in", json!({})).await;
    let button: RequestChallengeResponse = res.json().await.unwrap();
    assert!(
        button.mediation.is_none(),
        "the button's sign-in is the ordinary dialog"
    );
    // An answer to the autofill options completes only as an autofill sign-in.
    let answer = card.answer(autofill);
    let res = call(
        &app,
        &a,
        "/api/auth/complete_sign_in",
        json!({"reply": answer}),
    )
    .await;
    assert_eq!(
        res.status(),
        400,
        "checked against the button's challenge, it fails"
    );
    let res = call(&app, &a, "/api/auth/begin_autofill_sign_in", json!({})).await;
    let autofill: RequestChallengeResponse = res.json().await.unwrap();
    let answer = card.answer(autofill);
    let res = call(
        &app,
        &a,
        "/api/auth/complete_sign_in",
        json!({"reply": answer, "from_autofill": true}),
    )
    .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(
        call(&app, &a, "/api/home_summary", json!({}))
            .await
            .status(),
        200
    );
}

/// A form post as a browser without scripts sends it: the status, where it sends the browser
/// (if anywhere) and the page it answers with.
async fn post_page(
    app: &App,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String, String) {
    let res = client
        .post(app.url(path))
        .header("origin", app.origin())
        .header("accept", "text/html")
        .form(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, res.text().await.unwrap())
}

#[tokio::test]
async fn changes_to_the_patients_data_need_a_fresh_card_check() {
    let app = spawn(true).await;
    let a = browser();
    let mut card = Card::enroll(&app, &a, "DEMO-0001").await;
    assert_eq!(card.sign_in(&app, &a).await.status(), 200);
    let patient = common::demo_patients(&app.db.db).await[0];
    let receipts = || portal::storage::receipts::list(&app.db.db, patient);
    let receipt = [
        ("action", "add_receipt"),
        ("paid_on", "2026-11-01"),
        ("payee", "Station pharmacy"),
        ("kind", "medicine"),
        ("amount", "1200"),
        ("reimbursed", "0"),
    ];

    // Six minutes after signing in: the form comes back in the answer itself, with what was
    // typed and the card check asked for; nothing is stored and nothing typed is in an address.
    app.clock.advance(TimeDelta::minutes(6));
    let (status, location, page) = post_page(&app, &a, "/costs", &receipt).await;
    assert_eq!((status, location.as_str()), (200, ""));
    assert!(
        page.contains(r#"value="Station pharmacy""#),
        "typed payee kept"
    );
    assert!(page.contains(r#"value="1200""#), "typed amount kept");
    assert!(
        page.contains(r#"id="f-card""#) || page.contains("card-check"),
        "a card check is offered"
    );
    assert!(receipts().await.unwrap().is_empty());
    // Mistakes are named with the stale check; still nothing stored.
    let mut bad = receipt;
    bad[4] = ("amount", "12O0");
    let (status, _, page) = post_page(&app, &a, "/costs", &bad).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"id="f-amount-error""#), "{page}");
    // After a card check the same form goes through.
    assert_eq!(card.step_up(&app, &a, "add_receipt").await.status(), 200);
    let (status, location, _) = post_page(&app, &a, "/costs", &receipt).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/costs?year=2026#receipts-heading")
    );
    let stored = receipts().await.unwrap();
    assert_eq!(stored.len(), 1);

    // Removing one, later, needs another check.
    app.clock.advance(TimeDelta::minutes(6));
    let id = stored[0].0.to_string();
    let form = [
        ("action", "remove_receipt"),
        ("id", id.as_str()),
        ("year", "2026"),
    ];
    let (status, location, page) = post_page(&app, &a, "/costs", &form).await;
    assert_eq!((status, location.as_str()), (200, ""));
    assert!(page.contains(&format!(r#"id="remove-receipt-{id}""#)));
    assert_eq!(receipts().await.unwrap().len(), 1, "still there");
    assert_eq!(card.step_up(&app, &a, "remove_receipt").await.status(), 200);
    let (status, _, _) = post_page(&app, &a, "/costs", &form).await;
    assert_eq!(status, 303);
    assert!(receipts().await.unwrap().is_empty());
    // Someone else's receipt, or none, is not found.
    let (status, _, _) = post_page(&app, &a, "/costs", &form).await;
    assert_eq!(status, 404);

    // So does reporting a record that is not the patient's.
    app.clock.advance(TimeDelta::minutes(6));
    let record = portal::storage::medications::history(&app.db.db, patient)
        .await
        .unwrap()[0]
        .id
        .to_string();
    let form = [
        ("kind", "medication"),
        ("id", record.as_str()),
        ("reason", "not_me"),
        ("note", "Never been to this pharmacy"),
    ];
    let (status, location, page) = post_page(&app, &a, "/report", &form).await;
    assert_eq!((status, location.as_str()), (200, ""));
    assert!(
        page.contains("Never been to this pharmacy"),
        "the note comes back"
    );
    let radio = page
        .split("<input")
        .find(|tag| tag.contains(r#"value="not_me""#))
        .and_then(|tag| tag.split('>').next())
        .unwrap();
    assert!(
        radio.contains("checked"),
        "the reason chosen comes back: {radio}"
    );
    assert!(
        portal::storage::disputes::for_patient(&app.db.db, patient)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(card.step_up(&app, &a, "report_record").await.status(), 200);
    let (status, location, _) = post_page(&app, &a, "/report", &form).await;
    assert_eq!(status, 303);
    assert!(
        location.starts_with("/medications?reported=1"),
        "{location}"
    );
    let checks: Vec<String> = portal::storage::card_checks::of_login(
        &app.db.db,
        &portal::storage::logins::active_of(&app.db.db, patient)
            .await
            .unwrap()[0]
            .id,
    )
    .await
    .unwrap()
    .into_iter()
    .map(|c| c.purpose)
    .collect();
    assert_eq!(
        checks,
        ["sign_in", "add_receipt", "remove_receipt", "report_record"]
    );
}

#[tokio::test]
async fn the_income_for_the_estimate_is_posted_and_never_in_an_address() {
    let app = spawn(true).await;
    let a = browser();
    let mut card = Card::enroll(&app, &a, "DEMO-0001").await;
    assert_eq!(card.sign_in(&app, &a).await.status(), 200);
    let page = a
        .get(app.url("/costs?year=2025"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let form_tag = page
        .split("<form")
        .find(|tag| tag.contains(r#"id="income-form""#))
        .and_then(|tag| tag.split('>').next())
        .unwrap();
    assert!(
        form_tag.contains(r#"method="post""#) && form_tag.contains(r#"action="/costs""#),
        "the income form posts: {form_tag}"
    );
    let form = [
        ("action", "estimate"),
        ("year", "2025"),
        ("income", "1500000"),
    ];
    let (status, location, page) = post_page(&app, &a, "/costs", &form).await;
    assert_eq!((status, location.as_str()), (200, ""));
    assert!(page.contains(r#"value="1500000""#));
    assert!(
        page.contains("75,000") || page.contains("75000"),
        "5% of the income is the threshold"
    );
    let form = [("action", "estimate"), ("year", "2025"), ("income", "abc")];
    let (status, _, page) = post_page(&app, &a, "/costs", &form).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"id="f-income-error""#));
    // Without a session the post is sent to sign in, with nothing done.
    let (status, location, _) = post_page(&app, &browser(), "/costs", &form).await;
    assert_eq!((status, location.as_str()), (303, "/sign-in"));
}
