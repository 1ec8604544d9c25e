//! Card enrollment and sign-in over HTTP, as the browser does it: the server functions, the
//! session cookie, and a software token answering for the card. Then the account page's data,
//! signing out elsewhere, and the refusals without a session.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::app::spawn_with;
use common::card::{Card, browser as client, call};
use portal::auth::ceremony::CardPolicy;
use serde_json::json;
use webauthn_authenticator_rs::softtoken::{AAGUID, SoftToken};
use webauthn_rs::prelude::AttestationCaListBuilder;

#[tokio::test]
async fn a_patient_enrolls_signs_in_and_manages_sessions_over_http() {
    let (token, ca) = SoftToken::new(true).unwrap();
    let mut anchors = AttestationCaListBuilder::new();
    anchors
        .insert_device_x509(ca, AAGUID, "softtoken".into(), Default::default())
        .unwrap();
    let app = spawn_with(false, CardPolicy::Card(anchors.build())).await;
    let patient = portal::storage::patients::by_link_key(&app.db.db, "DEMO-0001")
        .await
        .unwrap()
        .unwrap();
    let member = common::current_member(&app.db.db, patient).await;
    let code = common::card::issue_code(&app, patient).await;

    // Without a session, patient data is refused with 401 and a code.
    let browser = client();
    for (path, body) in [
        ("/api/home_summary", json!({})),
        ("/api/account", json!({})),
        ("/api/medications", json!({ "query": {}, "lang": "ja" })),
        ("/api/checkups", json!({ "lang": "ja" })),
    ] {
        let res = call(&app, &browser, path, body).await;
        assert_eq!(res.status(), 401, "{path}");
        assert!(res.text().await.unwrap().contains("not_signed_in"));
    }

    // A wrong code is a 400 with a code, not a 500.
    let res = call(
        &app,
        &browser,
        "/api/auth/begin_enrollment",
        json!({"member": member, "code": "0000-0000-0000-0000"}),
    )
    .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("no_match"));

    let res = call(
        &app,
        &browser,
        "/api/auth/begin_enrollment",
        json!({"member": member, "code": code}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let mut card = Card::with_token(&app, token);
    let reply = card.register(res.json().await.unwrap());
    let res = call(
        &app,
        &browser,
        "/api/auth/complete_enrollment",
        json!({ "reply": reply }),
    )
    .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let replay = call(
        &app,
        &browser,
        "/api/auth/complete_enrollment",
        json!({ "reply": {"id": "x"} }),
    )
    .await;
    assert_eq!(replay.status(), 400, "the ceremony state was used up");

    // Two browsers sign in with the same card.
    let other = client();
    assert_eq!(card.sign_in(&app, &browser).await.status(), 200);
    assert_eq!(card.sign_in(&app, &other).await.status(), 200);

    let res = call(&app, &browser, "/api/home_summary", json!({})).await;
    assert_eq!(res.status(), 200);
    let meds = call(
        &app,
        &browser,
        "/api/medications",
        json!({ "query": { "from": "1900-01-01" }, "lang": "en" }),
    )
    .await;
    assert_eq!(meds.status(), 200);
    let meds: serde_json::Value = meds.json().await.unwrap();
    assert!(meds["errors"].as_array().unwrap().is_empty());
    assert!(
        meds["total"].as_u64().unwrap() > 0,
        "the signed-in patient's own dispensings"
    );
    let checkups = call(&app, &browser, "/api/checkups", json!({ "lang": "en" })).await;
    assert_eq!(checkups.status(), 200);
    let account: serde_json::Value = call(&app, &browser, "/api/account", json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(account["sessions"].as_array().unwrap().len(), 2);
    let kinds: Vec<&str> = account["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"card_added") && kinds.contains(&"signed_in"),
        "{kinds:?}"
    );

    // "Sign out everywhere else" from the first browser ends the second at once.
    let res = browser
        .post(app.url("/api/account/sign_out_elsewhere"))
        .header("origin", app.origin())
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/account");
    assert_eq!(
        call(&app, &other, "/api/home_summary", json!({}))
            .await
            .status(),
        401
    );
    assert_eq!(
        call(&app, &browser, "/api/home_summary", json!({}))
            .await
            .status(),
        200
    );

    // Signing out ends the session; the cookie no longer opens anything.
    let res = browser
        .post(app.url("/api/auth/sign_out"))
        .header("origin", app.origin())
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(res.headers().contains_key("clear-site-data"));
    assert_eq!(
        call(&app, &browser, "/api/home_summary", json!({}))
            .await
            .status(),
        401
    );
}
