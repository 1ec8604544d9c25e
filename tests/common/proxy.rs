//! Family proxies through HTTP, as browsers without JavaScript use them: two people signed in
//! with their own cards, an invitation, its code, and the switch to act for the patient.

use super::app::App;
use super::card::{Card, browser, post_form};
use portal::storage::patients::PatientId;

/// A demo patient signed in with a new card in a browser of their own: the browser, the card,
/// the patient and their name.
pub async fn signed_in(app: &App, link_key: &str) -> (reqwest::Client, Card, PatientId, String) {
    let client = browser();
    let mut card = Card::enroll(app, &client, link_key).await;
    assert_eq!(card.sign_in(app, &client).await.status(), 200);
    let id = portal::storage::patients::by_link_key(&app.db.db, link_key)
        .await
        .unwrap()
        .unwrap();
    let name = portal::storage::patients::identity(&app.db.db, id)
        .await
        .unwrap()
        .1;
    (client, card, id, name)
}

/// Posts to `/proxies` as a browser without JavaScript does.
pub async fn post(
    app: &App,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    post_form(app, client, "/proxies", fields).await
}

pub async fn page(app: &App, client: &reqwest::Client, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The page's main content, without the header (which names who is signed in).
pub fn main_of(html: &str) -> &str {
    html.split_once("<main").map_or(html, |(_, main)| main)
}

/// The page's header: who is signed in, whom they act for, the navigation.
pub fn header_of(html: &str) -> &str {
    html.split_once("<main").map_or(html, |(header, _)| header)
}

/// The code an invitation's answer shows once (`ABCD-EFGH-JKMN-PQRS`).
pub fn code_in(html: &str) -> String {
    let shaped = |w: &[u8]| {
        w.iter().enumerate().all(|(i, c)| {
            if i % 5 == 4 {
                *c == b'-'
            } else {
                c.is_ascii_digit() || c.is_ascii_uppercase()
            }
        })
    };
    let at = html
        .as_bytes()
        .windows(19)
        .position(shaped)
        .expect("a code on the page");
    html[at..at + 19].to_owned()
}

/// The newest entry of the patient's access log.
pub async fn newest(app: &App, patient: PatientId) -> portal::domain::access_log::Entry {
    portal::storage::access_log::page(&app.db.db, patient, &Default::default(), 0, 1)
        .await
        .unwrap()
        .0
        .remove(0)
        .entry
}

/// Invites `member` (a card check for it must be fresh) and gives the code shown once.
pub async fn invite(
    app: &App,
    client: &reqwest::Client,
    member: &str,
    scope: &str,
    until: &str,
) -> String {
    let (status, _, html) = post(
        app,
        client,
        &[
            ("action", "invite"),
            ("member", member),
            ("scope", scope),
            ("until", until),
        ],
    )
    .await;
    assert_eq!(status, 200);
    code_in(&html)
}

/// The patient (signed in as `patient`, with `card`) makes `proxy` (patient `proxy_id`) their
/// proxy with `scope`, and the proxy switches to act for them. Gives the grant's id.
pub async fn acting(
    app: &App,
    (patient, card): (&reqwest::Client, &mut Card),
    (proxy, proxy_id): (&reqwest::Client, PatientId),
    scope: &str,
) -> String {
    assert_eq!(
        card.step_up(app, patient, "manage_proxies").await.status(),
        200
    );
    let member = super::current_member(&app.db.db, proxy_id).await;
    let code = invite(app, patient, &member, scope, "").await;
    let (status, _, _) = post(app, proxy, &[("action", "accept"), ("code", &code)]).await;
    assert_eq!(status, 303);
    let grant = super::strings(
        &app.db.db,
        &format!(
            "SELECT CAST(id AS TEXT) FROM proxies WHERE proxy_id = {} AND ended_at IS NULL",
            proxy_id.0
        ),
    )
    .await
    .pop()
    .expect("the grant");
    let (status, to, _) = post(app, proxy, &[("action", "act"), ("grant", &grant)]).await;
    assert_eq!((status, to.as_str()), (303, "/"));
    grant
}
