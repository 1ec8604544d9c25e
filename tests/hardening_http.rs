//! The sign-in edges tried as an attacker would, over HTTP from real client addresses: the
//! tests connect from different loopback addresses (127.0.0.2, 127.0.0.3, …), so the server
//! sees distinct clients exactly as it would on the internet.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::TimeDelta;
use common::app::{App, Options, spawn};
use common::card::{Card, issue_code};
use portal::auth::ceremony::RequestChallengeResponse;
use serde_json::{Value, json};
use std::net::IpAddr;

/// A browser connecting from `ip` (any 127.x.y.z reaches the test server on loopback).
fn browser_at(ip: &str) -> reqwest::Client {
    common::client()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(ip.parse::<IpAddr>().unwrap())
        .build()
        .unwrap()
}

/// A client from `ip` that keeps no cookies: every request a new visitor.
fn bare_at(ip: &str) -> reqwest::Client {
    common::client()
        .local_address(ip.parse::<IpAddr>().unwrap())
        .build()
        .unwrap()
}

/// POSTs JSON as the pages do, optionally with made-up forwarding headers.
async fn post(
    app: &App,
    client: &reqwest::Client,
    path: &str,
    body: Value,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut req = client
        .post(app.url(path))
        .header("origin", app.origin())
        .json(&body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

async fn code_of(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    let code = body["reason"]
        .as_str()
        .or(body["code"].as_str())
        .unwrap_or("")
        .to_owned();
    (status, code)
}

/// Sign-in options and `card`'s genuine answer to them, in `client`'s session.
async fn answer(
    app: &App,
    client: &reqwest::Client,
    card: &mut Card,
    headers: &[(&str, &str)],
) -> Value {
    let res = post(app, client, "/api/auth/begin_sign_in", json!({}), headers).await;
    assert_eq!(res.status(), 200);
    let rcr: RequestChallengeResponse = res.json().await.unwrap();
    card.answer(rcr)
}

async fn complete(
    app: &App,
    client: &reqwest::Client,
    reply: Value,
    headers: &[(&str, &str)],
) -> (u16, String) {
    code_of(
        post(
            app,
            client,
            "/api/auth/complete_sign_in",
            json!({ "reply": reply }),
            headers,
        )
        .await,
    )
    .await
}

/// A card's answer with its signature spoiled: the card is found, the check fails.
fn spoil_signature(mut reply: Value) -> Value {
    let sig = reply["response"]["signature"].as_str().unwrap().to_owned();
    // All zero bits: still valid base64url of the same length, but no signature.
    let flipped = "A".repeat(sig.len());
    reply["response"]["signature"] = json!(flipped);
    reply
}

/// A card's answer claiming a credential nobody registered.
fn unknown_credential(mut reply: Value, n: u8) -> Value {
    use base64::Engine;
    let id = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([n; 32]);
    reply["id"] = json!(id);
    reply["rawId"] = json!(id);
    reply
}

/// Signs `card` in from `client` and says how it went.
async fn sign_in(app: &App, client: &reqwest::Client, card: &mut Card) -> (u16, String) {
    let reply = answer(app, client, card, &[]).await;
    complete(app, client, reply, &[]).await
}

#[tokio::test]
async fn one_address_failures_never_lock_out_another() {
    let app = spawn(true).await;
    let patient = browser_at("127.0.0.3");
    let mut card = Card::enroll(&app, &patient, "DEMO-0001").await;
    let stranger = browser_at("127.0.0.2");
    let mut own = Card::enroll(&app, &stranger, "DEMO-0002").await;

    // Answers for cards nobody has, until the stranger's address is refused.
    let mut refused_at = None;
    for n in 0..12u8 {
        let reply = answer(&app, &stranger, &mut own, &[]).await;
        let (status, code) = complete(&app, &stranger, unknown_credential(reply, n), &[]).await;
        if code == "too_many_attempts" {
            assert_eq!(status, 429);
            refused_at = Some(n);
            break;
        }
        assert_eq!((status, code.as_str()), (400, "unknown_card"));
    }
    assert_eq!(refused_at, Some(10), "ten failures per address");
    // Even the stranger's own card is refused from there now...
    assert_eq!(
        sign_in(&app, &stranger, &mut own).await.1,
        "too_many_attempts"
    );
    // ...while the patient, elsewhere, signs in at once.
    assert_eq!(
        sign_in(&app, &patient, &mut card).await,
        (200, String::new())
    );
    // The window passes.
    app.clock.advance(TimeDelta::minutes(15));
    assert_eq!(sign_in(&app, &stranger, &mut own).await.0, 200);
}

#[tokio::test]
async fn spoofed_forwarded_for_is_ignored_without_a_trusted_proxy() {
    let app = spawn(true).await;
    let stranger = browser_at("127.0.0.2");
    let mut own = Card::enroll(&app, &stranger, "DEMO-0002").await;
    // A new made-up address on every request: without a trusted proxy all are one client.
    for n in 0..10u8 {
        let spoof = format!("198.51.100.{n}");
        let headers = [
            ("x-forwarded-for", spoof.as_str()),
            ("forwarded", "for=203.0.113.7"),
        ];
        let reply = answer(&app, &stranger, &mut own, &headers).await;
        let (status, _) = complete(&app, &stranger, unknown_credential(reply, n), &headers).await;
        assert_eq!(status, 400, "failure {n}");
    }
    let headers = [("x-forwarded-for", "198.51.100.200")];
    let reply = answer(&app, &stranger, &mut own, &headers).await;
    assert_eq!(
        complete(&app, &stranger, reply, &headers).await.1,
        "too_many_attempts",
        "the headers changed nothing"
    );
}

#[tokio::test]
async fn trusted_proxy_forwarded_for_names_the_client() {
    let app = Options {
        trusted_proxies: &["127.0.0.2"],
        ..Options::default()
    }
    .spawn()
    .await;
    // One proxy at 127.0.0.2 carries two clients.
    let proxy = browser_at("127.0.0.2");
    let mut own = Card::enroll(&app, &proxy, "DEMO-0002").await;
    let attacker = [("x-forwarded-for", "198.51.100.9")];
    for n in 0..10u8 {
        let reply = answer(&app, &proxy, &mut own, &attacker).await;
        let (status, _) = complete(&app, &proxy, unknown_credential(reply, n), &attacker).await;
        assert_eq!(status, 400);
    }
    let reply = answer(&app, &proxy, &mut own, &attacker).await;
    assert_eq!(
        complete(&app, &proxy, reply, &attacker).await.1,
        "too_many_attempts"
    );
    // What the attacker writes left of the address the proxy appended is not believed.
    let forged = [("x-forwarded-for", "198.51.100.10, 198.51.100.9")];
    let reply = answer(&app, &proxy, &mut own, &forged).await;
    assert_eq!(
        complete(&app, &proxy, reply, &forged).await.1,
        "too_many_attempts"
    );
    // Another client behind the same proxy signs in; `Forwarded` is read as well.
    for other in [
        ("x-forwarded-for", "198.51.100.10"),
        ("forwarded", "for=\"[2001:db8::5]:443\";proto=https"),
    ] {
        let reply = answer(&app, &proxy, &mut own, &[other]).await;
        assert_eq!(
            complete(&app, &proxy, reply, &[other]).await.0,
            200,
            "{other:?}"
        );
    }
    // A client that is not the trusted proxy cannot use the headers at all.
    let direct = browser_at("127.0.0.4");
    let reply = answer(&app, &direct, &mut own, &attacker).await;
    assert_eq!(complete(&app, &direct, reply, &attacker).await.0, 200);
}

#[tokio::test]
async fn stranger_cannot_lock_a_patients_card() {
    let app = spawn(true).await;
    let patient = browser_at("127.0.0.3");
    let mut card = Card::enroll(&app, &patient, "DEMO-0001").await;
    let stranger = browser_at("127.0.0.2");
    // The stranger replays the patient's card answers with a spoiled signature: the card is
    // found, the check fails, and the card's allowance from that address runs out.
    let mut codes = Vec::new();
    for _ in 0..6 {
        let reply = answer(&app, &stranger, &mut card, &[]).await;
        codes.push(
            complete(&app, &stranger, spoil_signature(reply), &[])
                .await
                .1,
        );
    }
    assert_eq!(codes.last().map(String::as_str), Some("too_many_attempts"));
    assert!(
        codes[..5].iter().all(|c| c != "too_many_attempts"),
        "{codes:?}"
    );
    // The patient's own card still signs in from the patient's address.
    assert_eq!(
        sign_in(&app, &patient, &mut card).await,
        (200, String::new())
    );
}

#[tokio::test]
async fn hammering_every_form_from_one_address_leaves_others_signing_in() {
    let app = spawn(true).await;
    let victim = browser_at("127.0.0.3");
    let mut card = Card::enroll(&app, &victim, "DEMO-0001").await;
    let patients = common::demo_patients(&app.db.db).await;
    let number = common::current_member(&app.db.db, patients[0]).await;
    let newcomer = common::current_member(&app.db.db, patients[4]).await;
    let stranger = browser_at("127.0.0.2");

    // Wrong enrollment codes for the victim's and the newcomer's numbers...
    let mut last = String::new();
    for n in 0..30 {
        let member = if n % 2 == 0 { &number } else { &newcomer };
        let body = json!({"member": member, "code": "0000-0000-0000-0000"});
        last = code_of(post(&app, &stranger, "/api/auth/begin_enrollment", body, &[]).await)
            .await
            .1;
    }
    assert_eq!(last, "too_many_attempts");
    // ...lookups of the victim's number for the fallback...
    for _ in 0..35 {
        let body = json!({"member": number});
        last = code_of(post(&app, &stranger, "/api/auth/begin_sign_in_for", body, &[]).await)
            .await
            .1;
    }
    assert_eq!(last, "too_many_attempts");
    // ...spoiled answers for the victim's card...
    for _ in 0..12 {
        let reply = answer(&app, &stranger, &mut card, &[]).await;
        last = complete(&app, &stranger, spoil_signature(reply), &[])
            .await
            .1;
    }
    assert_eq!(last, "too_many_attempts");
    // ...and sign-ins started by the hundred, which store nothing.
    for _ in 0..200 {
        post(&app, &stranger, "/api/auth/begin_sign_in", json!({}), &[]).await;
    }

    // From their own addresses: the victim finds their card by number and signs in...
    let res = post(
        &app,
        &victim,
        "/api/auth/begin_sign_in_for",
        json!({"member": number}),
        &[],
    )
    .await;
    assert_eq!(res.status(), 200);
    let rcr: RequestChallengeResponse = res.json().await.unwrap();
    let reply = card.answer(rcr);
    assert_eq!(
        complete(&app, &victim, reply, &[]).await,
        (200, String::new())
    );
    // ...and the newcomer enrolls with the code in their letter.
    let other = browser_at("127.0.0.4");
    let code = issue_code(&app, patients[4]).await;
    let body = json!({"member": newcomer, "code": code});
    let res = post(&app, &other, "/api/auth/begin_enrollment", body, &[]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

/// The fallback's options for a number: each credential's id, and whether any transports
/// were sent.
async fn fallback(app: &App, client: &reqwest::Client, member: &str) -> Vec<(Vec<u8>, bool)> {
    let res = post(
        app,
        client,
        "/api/auth/begin_sign_in_for",
        json!({"member": member}),
        &[],
    )
    .await;
    assert_eq!(res.status(), 200);
    let rcr: RequestChallengeResponse = res.json().await.unwrap();
    rcr.public_key
        .allow_credentials
        .into_iter()
        .map(|c| (c.id.to_vec(), c.transports.is_some()))
        .collect()
}

#[tokio::test]
async fn unknown_and_card_less_numbers_answer_like_enrolled_ones() {
    let app = spawn(true).await;
    let a = browser_at("127.0.0.2");
    let mut card = Card::enroll(&app, &a, "DEMO-0001").await;
    let patients = common::demo_patients(&app.db.db).await;
    let enrolled = common::current_member(&app.db.db, patients[0]).await;
    // Patient 5 never enrolled; the last number is nobody's.
    let card_less = common::current_member(&app.db.db, patients[4]).await;
    let nobody = "06139992:1:99999:01".to_owned();

    let shape = |list: &[(Vec<u8>, bool)]| -> Vec<(usize, bool)> {
        list.iter().map(|(id, t)| (id.len(), *t)).collect()
    };
    let real = fallback(&app, &a, &enrolled).await;
    assert!(
        real.iter().any(|(id, _)| *id == card.cred_id),
        "the card is offered"
    );
    assert_eq!(real.len(), portal::auth::flows::FALLBACK_ENTRIES);
    let mut sorted = real.clone();
    sorted.sort();
    assert_eq!(sorted, real, "in one order, not real cards first");
    for member in [&enrolled, &card_less, &nobody] {
        let first = fallback(&app, &a, member).await;
        assert_eq!(shape(&first), shape(&real), "{member}: the same shape");
        assert_eq!(
            fallback(&app, &a, member).await,
            first,
            "{member}: stable, so asking again tells nothing"
        );
    }
    assert_ne!(
        fallback(&app, &a, &card_less).await,
        fallback(&app, &a, &nobody).await
    );

    // The card answers the padded list and the patient is signed in.
    let res = post(
        &app,
        &a,
        "/api/auth/begin_sign_in_for",
        json!({"member": enrolled}),
        &[],
    )
    .await;
    let rcr: RequestChallengeResponse = res.json().await.unwrap();
    let reply = card.answer(rcr);
    assert_eq!(complete(&app, &a, reply, &[]).await, (200, String::new()));
    let res = post(
        &app,
        &a,
        "/api/auth/begin_sign_in_for",
        json!({"member": "12-34"}),
        &[],
    )
    .await;
    assert_eq!(code_of(res).await, (400, "member_format".into()));
}

#[tokio::test]
async fn starting_sign_ins_stores_nothing() {
    let app = spawn(true).await;
    // A client that keeps no cookies: a new visitor every time, the worst case for storage.
    let stranger = bare_at("127.0.0.2");
    for path in [
        "/api/auth/begin_sign_in",
        "/api/auth/begin_autofill_sign_in",
    ] {
        for _ in 0..150 {
            let res = post(&app, &stranger, path, json!({}), &[]).await;
            assert_eq!(
                res.status(),
                200,
                "{path}: never refused, nothing to protect"
            );
            assert!(
                res.headers()
                    .get_all("set-cookie")
                    .iter()
                    .all(|c| !c.to_str().unwrap().contains("portal_session=")),
                "no session is opened"
            );
        }
    }
    let body = json!({"member": "06139992:1:99999:01"});
    post(&app, &stranger, "/api/auth/begin_sign_in_for", body, &[]).await;
    assert_eq!(common::count(&app.db.db, "web_sessions").await, 0);
    assert_eq!(common::count(&app.db.db, "ceremonies").await, 0);
}

#[tokio::test]
async fn a_sealed_sign_in_cannot_be_forged_or_answered_twice() {
    let app = spawn(true).await;
    let a = browser_at("127.0.0.2");
    let mut card = Card::enroll(&app, &a, "DEMO-0001").await;
    let bare = bare_at("127.0.0.3");
    let res = post(&app, &bare, "/api/auth/begin_sign_in", json!({}), &[]).await;
    let cookie = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("portal_sign_in="), "{cookie}");
    for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=300"] {
        let all = res.headers().get("set-cookie").unwrap().to_str().unwrap();
        assert!(all.split("; ").any(|p| p == part), "{part} in {all}");
    }
    let rcr: RequestChallengeResponse = res.json().await.unwrap();
    let reply = card.answer(rcr);
    let complete_with = |cookie: String| {
        let reply = reply.clone();
        let bare = bare.clone();
        let app = &app;
        async move {
            code_of(
                bare.post(app.url("/api/auth/complete_sign_in"))
                    .header("origin", app.origin())
                    .header("cookie", cookie)
                    .json(&json!({ "reply": reply }))
                    .send()
                    .await
                    .unwrap(),
            )
            .await
        }
    };
    // Altered by one character, or sealed for the autofill list: nothing to answer.
    let mut altered = cookie.clone();
    let last = altered.pop().unwrap();
    altered.push(if last == 'A' { 'B' } else { 'A' });
    assert_eq!(complete_with(altered).await.1, "no_sign_in_in_progress");
    let moved = cookie.replacen("portal_sign_in=", "portal_autofill_sign_in=", 1);
    let res = bare
        .post(app.url("/api/auth/complete_sign_in"))
        .header("origin", app.origin())
        .header("cookie", moved)
        .json(&json!({ "reply": reply, "from_autofill": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(res).await.1, "no_sign_in_in_progress");
    // The genuine one, once; kept and sent again, it is spent.
    assert_eq!(complete_with(cookie.clone()).await, (200, String::new()));
    assert_eq!(complete_with(cookie).await.1, "no_sign_in_in_progress");
}

#[tokio::test]
async fn anonymous_post_keeps_other_sessions_logins() {
    let app = spawn(true).await;
    let patient = browser_at("127.0.0.3");
    let mut card = Card::enroll(&app, &patient, "DEMO-0001").await;
    assert_eq!(sign_in(&app, &patient, &mut card).await.0, 200);
    let res = patient.get(app.url("/medications")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.recent_logins.len(),
        1,
        "the page view's login check is kept"
    );

    // Strangers' posts, signed out: sign-in starts, a language switch, a bad enrollment.
    let stranger = browser_at("127.0.0.2");
    post(&app, &stranger, "/api/auth/begin_sign_in", json!({}), &[]).await;
    post(&app, &stranger, "/api/auth/sign_out", json!({}), &[]).await;
    let body = json!({"member": "06139992:1:99999:01", "code": "0000-0000-0000-0000"});
    post(&app, &stranger, "/api/auth/begin_enrollment", body, &[]).await;
    stranger
        .post(app.url("/locale"))
        .header("origin", app.origin())
        .form(&[("to", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        app.recent_logins.len(),
        1,
        "nothing of the patient's is forgotten"
    );

    // The patient's own change makes their sessions ask the database again.
    let res = patient
        .post(app.url("/api/account/sign_out_elsewhere"))
        .header("origin", app.origin())
        .form(&[("x", "")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(app.recent_logins.len(), 0);
}

#[tokio::test]
async fn two_parallel_completions_of_one_challenge_exactly_one_succeeds() {
    let app = spawn(true).await;
    let a = browser_at("127.0.0.2");
    let mut card = Card::enroll(&app, &a, "DEMO-0001").await;
    for _ in 0..5 {
        let reply = answer(&app, &a, &mut card, &[]).await;
        let (one, two) = tokio::join!(
            complete(&app, &a, reply.clone(), &[]),
            complete(&app, &a, reply.clone(), &[])
        );
        let ok = [&one, &two].iter().filter(|r| r.0 == 200).count();
        assert_eq!(ok, 1, "{one:?} {two:?}");
        let refused = if one.0 == 200 { two } else { one };
        assert_eq!(refused, (400, "no_sign_in_in_progress".into()));
        // And once more, later: the state is gone for good.
        assert_eq!(
            complete(&app, &a, reply, &[]).await.1,
            "no_sign_in_in_progress"
        );
    }
    let kept = common::strings(&app.db.db, "SELECT state FROM ceremonies").await;
    assert!(
        kept.iter().all(String::is_empty),
        "only marks of answered steps are kept"
    );
}

#[tokio::test]
async fn ceremony_state_expires_after_five_minutes() {
    let app = spawn(true).await;
    let a = browser_at("127.0.0.2");
    let mut card = Card::enroll(&app, &a, "DEMO-0001").await;
    let reply = answer(&app, &a, &mut card, &[]).await;
    app.clock.advance(TimeDelta::minutes(5));
    assert_eq!(
        complete(&app, &a, reply, &[]).await,
        (400, "ceremony_expired".into())
    );
    let reply = answer(&app, &a, &mut card, &[]).await;
    app.clock
        .advance(TimeDelta::minutes(4) + TimeDelta::seconds(59));
    assert_eq!(complete(&app, &a, reply, &[]).await, (200, String::new()));
}

/// The session cookie's value in `jar` for the app.
fn session_cookie(app: &App, jar: &reqwest::cookie::Jar) -> String {
    use reqwest::cookie::CookieStore;
    let header = jar
        .cookies(&app.url("/").parse().unwrap())
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    header
        .split("; ")
        .find_map(|kv| kv.strip_prefix("portal_session="))
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn session_ids_are_stored_hashed() {
    use sha2::Digest;
    let app = spawn(true).await;
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let a = common::client()
        .cookie_provider(jar.clone())
        .local_address("127.0.0.2".parse::<IpAddr>().unwrap())
        .build()
        .unwrap();
    let mut card = Card::enroll(&app, &a, "DEMO-0001").await;
    assert_eq!(sign_in(&app, &a, &mut card).await.0, 200);
    let cookie = session_cookie(&app, &jar);
    let ids = common::strings(&app.db.db, "SELECT id FROM web_sessions").await;
    assert!(!ids.is_empty());
    assert!(!ids.contains(&cookie), "the cookie's value is not stored");
    let hashed = hex::encode(sha2::Sha256::digest(cookie.as_bytes()));
    assert!(ids.contains(&hashed), "its hash is");
    let data = common::strings(&app.db.db, "SELECT data FROM web_sessions").await;
    assert!(data.iter().all(|d| !d.contains(&cookie)));
    // And it still works.
    let res = post(&app, &a, "/api/home_summary", json!({}), &[]).await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn session_cookie_is_host_prefixed_over_https() {
    let app = Options {
        scheme: "https",
        secure_cookies: true,
        ..Options::default()
    }
    .spawn()
    .await;
    let a = browser_at("127.0.0.2");
    let set_cookie = |res: &reqwest::Response, name: &str| {
        res.headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|c| c.contains(&format!("{name}=")))
            .unwrap()
    };
    let attributes = |cookie: &str, prefixed: &str, max_age: &str| {
        assert!(cookie.starts_with(prefixed), "{cookie}");
        for part in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/", max_age] {
            assert!(cookie.split("; ").any(|p| p == part), "{part} in {cookie}");
        }
        assert!(!cookie.contains("Domain"), "{cookie}");
    };
    let res = post(&app, &a, "/api/auth/begin_sign_in", json!({}), &[]).await;
    attributes(
        &set_cookie(&res, "portal_sign_in"),
        "__Host-portal_sign_in=",
        "Max-Age=300",
    );
    // Enrolling with a valid code is the first step that keeps a session; holding only that
    // step, it dies soon after the step would.
    let patient = common::demo_patients(&app.db.db).await[0];
    let member = common::current_member(&app.db.db, patient).await;
    let code = issue_code(&app, patient).await;
    let body = json!({"member": member, "code": code});
    let res = post(&app, &a, "/api/auth/begin_enrollment", body, &[]).await;
    assert_eq!(res.status(), 200);
    attributes(
        &set_cookie(&res, "portal_session"),
        "__Host-portal_session=",
        "Max-Age=600",
    );
    // The language choice is sent over https only as well.
    let res = a
        .post(app.url("/locale"))
        .header("origin", app.origin())
        .form(&[("to", "en")])
        .send()
        .await
        .unwrap();
    let language = set_cookie(&res, "i18n_pref_locale");
    assert!(language.split("; ").any(|p| p == "Secure"), "{language}");
}

#[tokio::test]
async fn ended_session_clears_site_data() {
    let app = spawn(true).await;
    let a = browser_at("127.0.0.2");
    let mut card = Card::enroll(&app, &a, "DEMO-0001").await;
    assert_eq!(sign_in(&app, &a, &mut card).await.0, 200);
    let clears = |res: &reqwest::Response| {
        res.headers()
            .get("clear-site-data")
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let res = a.get(app.url("/")).send().await.unwrap();
    assert_eq!(clears(&res), None, "not while the session lives");
    // Idle for 16 minutes: the next page view ends it and tells the browser to forget.
    app.clock.advance(TimeDelta::minutes(16));
    let res = a.get(app.url("/medications")).send().await.unwrap();
    assert_eq!(clears(&res).as_deref(), Some("\"cache\", \"storage\""));

    // A card stopped from another session: that session's next call clears too.
    assert_eq!(sign_in(&app, &a, &mut card).await.0, 200);
    let b = browser_at("127.0.0.3");
    assert_eq!(sign_in(&app, &b, &mut card).await.0, 200);
    let cards =
        portal::storage::cards::of_patient(&app.db.db, common::demo_patients(&app.db.db).await[0])
            .await
            .unwrap();
    assert_eq!(card.step_up(&app, &a, "revoke_card").await.status(), 200);
    let res = a
        .post(app.url("/api/account/revoke_card"))
        .header("origin", app.origin())
        .header("accept", "text/html")
        .form(&[("card", cards[0].id.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers().get("location").unwrap(),
        "/sign-in?card_stopped=1",
        "stopped, and this session with it"
    );
    let res = post(&app, &b, "/api/home_summary", json!({}), &[]).await;
    assert_eq!(res.status(), 401);
    assert!(clears(&res).is_some());
}

#[tokio::test]
async fn card_changes_show_since_the_previous_sign_in_with_this_card() {
    let app = spawn(true).await;
    let a = browser_at("127.0.0.2");
    let mut own = Card::enroll(&app, &a, "DEMO-0001").await;
    assert_eq!(sign_in(&app, &a, &mut own).await.0, 200);
    app.clock.advance(TimeDelta::minutes(3));
    // Someone at the unattended browser checks the patient's card (say it was left in the
    // reader), adds a card of their own and signs in with it elsewhere.
    assert_eq!(own.step_up(&app, &a, "add_card").await.status(), 200);
    let res = post(&app, &a, "/api/auth/begin_add_card", json!({}), &[]).await;
    let ccr = res.json().await.unwrap();
    let (token, _) = webauthn_authenticator_rs::softtoken::SoftToken::new(true).unwrap();
    let mut planted = Card::with_token(&app, token);
    let reply = planted.register(ccr);
    let res = post(
        &app,
        &a,
        "/api/auth/complete_add_card",
        json!({"reply": reply}),
        &[],
    )
    .await;
    assert_eq!(res.status(), 200);
    app.clock.advance(TimeDelta::minutes(1));
    let intruder = browser_at("127.0.0.9");
    assert_eq!(sign_in(&app, &intruder, &mut planted).await.0, 200);

    // The patient signs in with their own card the next day: the new card is on the home page.
    app.clock.advance(TimeDelta::days(1));
    let b = browser_at("127.0.0.3");
    assert_eq!(sign_in(&app, &b, &mut own).await.0, 200);
    let home: Value = post(&app, &b, "/api/home_summary", json!({}), &[])
        .await
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = home["card_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[1].as_str().or(c["kind"].as_str()).unwrap_or(""))
        .collect();
    assert_eq!(kinds, ["card_added"], "{home}");
}
