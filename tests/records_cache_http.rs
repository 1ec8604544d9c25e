//! Records pages are answered from memory while the patient's records are unchanged. A change
//! made through this server shows on the very next page view; a change by any other writer
//! (another server, a CLI import, an operator's SQL) once the login is checked with the
//! database again, at most a second later, because the database itself moves the version the
//! cache is keyed on.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::app::{App, spawn};
use common::card::sign_in_as;
use common::exec;
use portal::domain::cost::{Receipt, ReceiptInput};
use portal::recent_logins::RECHECK;

async fn page(app: &App, path: &str) -> String {
    let res = app.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}

/// A receipt stored behind the server's back, as another server process would.
async fn add_receipt(app: &App, payee: &str) {
    let patient = common::demo_patients(&app.db.db).await[0];
    let input = ReceiptInput {
        paid_on: "2026-10-01".into(),
        payee: payee.into(),
        kind: "medicine".into(),
        amount: "500".into(),
        reimbursed: String::new(),
    };
    let receipt = Receipt::parse(&input, common::today()).unwrap();
    portal::storage::receipts::add(&app.db.db, patient, &receipt, app.now())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_change_through_this_server_shows_on_the_next_page_view() {
    let app = spawn(true).await;
    let mut card = sign_in_as(&app, "DEMO-0001").await;
    let costs = "/costs?year=2026";
    assert!(!page(&app, costs).await.contains("Kiosk C"));
    assert_eq!(
        card.step_up(&app, &app.client, "add_receipt")
            .await
            .status(),
        200
    );
    let form = [
        ("action", "add_receipt"),
        ("paid_on", "2026-11-01"),
        ("payee", "Kiosk C"),
        ("kind", "medicine"),
        ("amount", "700"),
        ("reimbursed", "0"),
    ];
    let res = app.post("/costs").form(&form).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert!(page(&app, costs).await.contains("Kiosk C"));
}

#[tokio::test]
async fn a_change_by_any_other_writer_shows_within_a_second() {
    let app = spawn(true).await;
    sign_in_as(&app, "DEMO-0001").await;
    let costs = "/costs?year=2026";
    assert!(!page(&app, costs).await.contains("Kiosk A"));
    add_receipt(&app, "Kiosk A").await;
    app.clock.advance(RECHECK);
    assert!(page(&app, costs).await.contains("Kiosk A"));

    // An institution renamed in the master list: every patient's pages name it anew.
    let meds = page(&app, "/medications").await;
    assert!(!meds.contains("改名テスト薬局"));
    exec(
        &app.db.db,
        "UPDATE institutions SET name = '改名テスト薬局', name_en = 'Renamed Test Pharmacy'
         WHERE code = (SELECT dispenser_code FROM medications WHERE patient_id =
             (SELECT id FROM patients WHERE link_key = 'DEMO-0001')
             ORDER BY dispensed_on DESC, id DESC LIMIT 1)",
    )
    .await;
    app.clock.advance(RECHECK);
    assert!(page(&app, "/medications").await.contains("改名テスト薬局"));
}

/// The cache is really in use (this is what makes the pages fast), and the triggers are what
/// keep it honest: without the receipt trigger, the stale page is what comes back.
#[tokio::test]
async fn without_the_version_trigger_the_page_would_come_from_memory() {
    let app = spawn(true).await;
    sign_in_as(&app, "DEMO-0001").await;
    let costs = "/costs?year=2026";
    let before = page(&app, costs).await;
    exec(&app.db.db, "DROP TRIGGER receipts_version_insert").await;
    add_receipt(&app, "Kiosk B").await;
    app.clock.advance(RECHECK);
    assert!(!page(&app, costs).await.contains("Kiosk B"));
    // Another language is another answer, built now from the database.
    let res = app
        .client
        .get(app.url(costs))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert!(res.text().await.unwrap().contains("Kiosk B"));
    assert!(before.contains("<table"));
}

/// A records page whose login has ended (its card was stopped in another browser) says "sign
/// in" for the page and for its reported records; both parts read the session, and they once
/// waited on each other for good.
#[tokio::test]
async fn a_page_whose_login_has_ended_answers_sign_in() {
    let app = spawn(true).await;
    sign_in_as(&app, "DEMO-0001").await;
    let patient = common::demo_patients(&app.db.db).await[0];
    let login = portal::storage::logins::active_of(&app.db.db, patient)
        .await
        .unwrap()
        .remove(0);
    portal::storage::logins::end(&app.db.db, &login.id, "card_revoked", app.now())
        .await
        .unwrap();
    app.clock.advance(RECHECK);
    for path in ["/medications", "/checkups", "/costs", "/insurance", "/"] {
        let answer = tokio::time::timeout(std::time::Duration::from_secs(30), page(&app, path))
            .await
            .unwrap_or_else(|_| panic!("{path} did not answer"));
        assert!(answer.contains("href=\"/sign-in\""), "{path}");
        assert!(!answer.contains("Kiosk"), "{path}");
    }
}
