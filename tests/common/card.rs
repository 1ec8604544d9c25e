//! A software token standing in for the patient's card over HTTP, as the browser pages use it:
//! enrollment with a freshly issued code, sign-in, and the fresh card check before a change.

use super::app::App;
use portal::auth::ceremony::{CreationChallengeResponse, RequestChallengeResponse};
use portal::storage::patients::PatientId;
use serde_json::{Value, json};
use webauthn_authenticator_rs::prelude::WebauthnAuthenticator;
use webauthn_authenticator_rs::softtoken::SoftToken;
use webauthn_rs::prelude::Url;
use webauthn_rs_proto::AllowCredentials;

pub struct Card {
    token: SoftToken,
    pub cred_id: Vec<u8>,
    handle: Vec<u8>,
    origin: Url,
}

/// POSTs JSON to a server function the way the pages do (same-origin).
pub async fn call(
    app: &App,
    client: &reqwest::Client,
    path: &str,
    body: Value,
) -> reqwest::Response {
    client
        .post(app.url(path))
        .header("origin", app.origin())
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Posts a form to `path` as a browser without JavaScript does (same-origin): the status, where
/// it sends the browser on (empty when it answers with a page), and the page.
pub async fn post_form(
    app: &App,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let res = client
        .post(app.url(path))
        .header("origin", app.origin())
        .form(fields)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let to = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, to, res.text().await.unwrap())
}

pub fn browser() -> reqwest::Client {
    super::client()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

impl Card {
    /// A card not yet registered, answering for this app's origin.
    pub fn with_token(app: &App, token: SoftToken) -> Card {
        Card {
            token,
            cred_id: Vec::new(),
            handle: Vec::new(),
            origin: Url::parse(&app.origin()).unwrap(),
        }
    }

    /// A new token, enrolled for the demo patient `link_key` with a code issued now.
    pub async fn enroll(app: &App, client: &reqwest::Client, link_key: &str) -> Card {
        let (token, _ca) = SoftToken::new(true).unwrap();
        let patient = portal::storage::patients::by_link_key(&app.db.db, link_key)
            .await
            .unwrap()
            .unwrap();
        let mut card = Card::with_token(app, token);
        let member = super::current_member(&app.db.db, patient).await;
        let code = issue_code(app, patient).await;
        let res = call(
            app,
            client,
            "/api/auth/begin_enrollment",
            json!({"member": member, "code": code}),
        )
        .await;
        assert_eq!(
            res.status(),
            200,
            "{link_key} {member}: {}",
            res.text().await.unwrap()
        );
        let ccr: CreationChallengeResponse = res.json().await.unwrap();
        let reply = card.register(ccr);
        let res = call(
            app,
            client,
            "/api/auth/complete_enrollment",
            json!({ "reply": reply }),
        )
        .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        card
    }

    /// Answers registration options; the software token keeps no resident keys, so the
    /// credential id and user handle are remembered here and supplied at sign-in.
    pub fn register(&mut self, mut ccr: CreationChallengeResponse) -> Value {
        self.handle = ccr.public_key.user.id.to_vec();
        if let Some(sel) = ccr.public_key.authenticator_selection.as_mut() {
            sel.require_resident_key = false;
        }
        let reply = self
            .token
            .do_registration(self.origin.clone(), ccr)
            .unwrap();
        self.cred_id = reply.raw_id.to_vec();
        serde_json::to_value(reply).unwrap()
    }

    /// Answers sign-in options with this card (as a card offering its resident credential).
    pub fn answer(&mut self, mut rcr: RequestChallengeResponse) -> Value {
        if rcr.public_key.allow_credentials.is_empty() {
            rcr.public_key.allow_credentials = vec![AllowCredentials {
                type_: "public-key".into(),
                id: self.cred_id.clone(),
                transports: None,
            }];
        }
        let mut answer = self
            .token
            .do_authentication(self.origin.clone(), rcr)
            .unwrap();
        answer.response.user_handle = Some(self.handle.clone());
        serde_json::to_value(answer).unwrap()
    }

    /// "Sign in with card" in `client`; returns the final response.
    pub async fn sign_in(&mut self, app: &App, client: &reqwest::Client) -> reqwest::Response {
        let res = call(app, client, "/api/auth/begin_sign_in", json!({})).await;
        let rcr: RequestChallengeResponse = res.json().await.unwrap();
        let answer = self.answer(rcr);
        call(
            app,
            client,
            "/api/auth/complete_sign_in",
            json!({ "reply": answer }),
        )
        .await
    }

    /// A fresh card check inside the signed-in session of `client`.
    pub async fn step_up(
        &mut self,
        app: &App,
        client: &reqwest::Client,
        purpose: &str,
    ) -> reqwest::Response {
        let res = call(
            app,
            client,
            "/api/auth/begin_step_up",
            json!({ "purpose": purpose }),
        )
        .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let rcr: RequestChallengeResponse = res.json().await.unwrap();
        let answer = self.answer(rcr);
        call(
            app,
            client,
            "/api/auth/complete_step_up",
            json!({ "reply": answer }),
        )
        .await
    }
}

/// A fresh enrollment code for `patient`, as the operator command issues it.
pub async fn issue_code(app: &App, patient: PatientId) -> String {
    portal::auth::flows::issue_code(&app.db.db, &app.key, patient, app.now(), &mut rand::rng())
        .await
        .unwrap()
        .display_grouped()
}

/// Enrolls a card for `link_key` and signs in with it in the app's own client, so `app.get`
/// and `app.post` act as that patient.
pub async fn sign_in_as(app: &App, link_key: &str) -> Card {
    let mut card = Card::enroll(app, &app.client, link_key).await;
    let res = card.sign_in(app, &app.client).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    card
}
