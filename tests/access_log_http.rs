//! The access log page and its exports, as a browser without JavaScript uses them: the
//! patient's own entries only, in plain words, filtered and paged on the server; CSV and JSON
//! downloads of what the filters match; a bad filter named, never a 500.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::app::{App, spawn};
use common::card::{Card, browser, post_form, sign_in_as};
use portal::domain::access_log::{Action, ActorKind, Entry, Outcome};
use portal::domain::consent::DataKind;
use portal::storage::patients::PatientId;

async fn text(app: &App, client: &reqwest::Client, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// An institution's read, as the institution API appends it.
async fn logged_read(app: &App, patient: PatientId, code: &str, kind: DataKind, records: i64) {
    let mut e = Entry::new(
        app.now(),
        ActorKind::Institution,
        Action::Read,
        Outcome::Allowed,
    );
    e.actor_code = Some(code.into());
    e.actor_name = Some("test".into());
    e.data_kind = Some(kind);
    e.records = Some(records);
    e.consent_id = Some(7);
    portal::storage::access_log::append(&app.db.db, patient, &e)
        .await
        .unwrap();
}

async fn an_institution(app: &App, n: i64) -> (String, String) {
    let rows: Vec<(String, String)> = match &app.db.db {
        portal::storage::Db::Sqlite(p) => {
            sqlx::query_as("SELECT code, name FROM institutions ORDER BY code")
                .fetch_all(p)
                .await
                .unwrap()
        }
        portal::storage::Db::Postgres(p) => {
            sqlx::query_as("SELECT code, name FROM institutions ORDER BY code")
                .fetch_all(p)
                .await
                .unwrap()
        }
    };
    rows[usize::try_from(n).unwrap()].clone()
}

#[tokio::test]
async fn the_patient_reads_their_own_log_filtered_paged_and_exported() {
    let app = spawn(true).await;
    let _card = sign_in_as(&app, "DEMO-0001").await;
    let me = common::demo_patients(&app.db.db).await[0];
    let (code, name) = an_institution(&app, 0).await;
    logged_read(&app, me, &code, DataKind::Medications, 3).await;

    let (status, page) = text(&app, &app.client, "/access-log").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("カードでサインインしました"),
        "the sign-in is in the log"
    );
    assert!(
        page.contains("登録コードを発行しました"),
        "so is the enrollment code"
    );
    assert!(
        page.contains(&format!("{name} ({code})")),
        "the institution by name and code"
    );
    assert!(page.contains("お薬の記録を閲覧しました（3件）"));
    assert!(page.contains("同意 #7 による"));

    // Filtered by institution: only its read.
    let (_, page) = text(&app, &app.client, &format!("/access-log?who={code}")).await;
    assert!(page.contains("お薬の記録を閲覧しました（3件）"));
    assert!(!page.contains("カードでサインインしました"));
    // A filter naming an institution that never appears in this log is named, not obeyed.
    let (status, page) = text(
        &app,
        &app.client,
        "/access-log?who=9999999999&from=2026-99-01",
    )
    .await;
    assert_eq!(status, 200);
    assert!(page.contains("f-who"), "{page}");
    assert!(page.contains("一覧から選んでください。"), "{page}");

    // Fifty entries a page, newest first, pages keep the filter.
    for n in 0..60 {
        logged_read(&app, me, &code, DataKind::Checkups, n).await;
    }
    let (_, first) = text(
        &app,
        &app.client,
        &format!("/access-log?who={code}&kind=checkups"),
    )
    .await;
    assert!(
        first.contains("健診結果を閲覧しました（59件）"),
        "newest first"
    );
    assert!(
        first.contains(&format!("who={code}&amp;kind=checkups&amp;page=2")),
        "the next page keeps the filters"
    );
    let (_, second) = text(
        &app,
        &app.client,
        &format!("/access-log?who={code}&kind=checkups&page=2"),
    )
    .await;
    assert!(second.contains("健診結果を閲覧しました（0件）"));
    assert!(!second.contains("健診結果を閲覧しました（59件）"));

    // CSV: everything the filter matches, in words, with a BOM for spreadsheet programs.
    let res = app
        .get(&format!("/access-log/export?format=csv&who={code}"))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("access-log-")
    );
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let csv = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert_eq!(
        csv.lines().count(),
        1 + 61,
        "a header and every matching entry"
    );
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .starts_with("日時,だれが,何をしたか")
    );

    // JSON keeps the codes.
    let res = app
        .get("/access-log/export?format=json&kind=medications")
        .await;
    assert_eq!(res.status(), 200);
    let json: serde_json::Value = res.json().await.unwrap();
    let entries = json.as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["action"], "read");
    assert_eq!(entries[0]["data_kind"], "medications");
    assert_eq!(entries[0]["actor_code"], code.as_str());
    assert_eq!(entries[0]["records"], 3);

    // Bad input: a clear message, never a 500.
    let res = app.get("/access-log/export?format=xml").await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("CSV"));
    let res = app
        .get("/access-log/export?format=csv&from=yesterday")
        .await;
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn nobody_reads_another_patients_log() {
    let app = spawn(true).await;
    let _mine = sign_in_as(&app, "DEMO-0001").await;
    let patients = common::demo_patients(&app.db.db).await;
    let (code, name) = an_institution(&app, 1).await;
    logged_read(&app, patients[0], &code, DataKind::Medications, 5).await;

    let other = browser();
    let mut theirs = Card::enroll(&app, &other, "DEMO-0002").await;
    assert_eq!(theirs.sign_in(&app, &other).await.status(), 200);
    let (status, page) = text(&app, &other, "/access-log").await;
    assert_eq!(status, 200);
    assert!(!page.contains(&name), "another patient's reads never show");
    // Naming the first patient's institution is refused as unknown in this log, and exports
    // follow the session, never the query.
    let (_, page) = text(&app, &other, &format!("/access-log?who={code}")).await;
    assert!(!page.contains("閲覧しました（5件）"));
    let res = other
        .get(app.url("/access-log/export?format=json"))
        .send()
        .await
        .unwrap();
    let json: serde_json::Value = res.json().await.unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .all(|e| e["action"] != "read")
    );

    // Signed out: the page asks to sign in, the export goes to sign-in.
    let stranger = browser();
    let (status, page) = text(&app, &stranger, "/access-log").await;
    assert_eq!(status, 200);
    assert!(page.contains("/sign-in"));
    assert!(!page.contains(&name));
    let res = stranger
        .get(app.url("/access-log/export?format=csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/sign-in");
}

/// Posts the report form as a browser without JavaScript does.
async fn report(
    app: &App,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    post_form(app, client, "/access-log/report", fields).await
}

#[tokio::test]
async fn beside_every_entry_a_report_for_the_operators_the_patients_own_only() {
    let app = spawn(true).await;
    let _card = sign_in_as(&app, "DEMO-0001").await;
    let me = common::demo_patients(&app.db.db).await[0];
    let (code, name) = an_institution(&app, 2).await;
    logged_read(&app, me, &code, DataKind::Checkups, 2).await;
    let filter = portal::storage::access_log::Filter::default();
    let (entries, _) = portal::storage::access_log::page(&app.db.db, me, &filter, 0, 50)
        .await
        .unwrap();
    let read = entries
        .iter()
        .find(|e| e.entry.action == Action::Read)
        .unwrap()
        .id;
    let sign_in = entries
        .iter()
        .find(|e| e.entry.action == Action::SignIn)
        .unwrap()
        .id;

    // Every entry has its report link.
    let (_, page) = text(&app, &app.client, "/access-log").await;
    for id in [read, sign_in] {
        assert!(
            page.contains(&format!("/access-log/report?entry={id}")),
            "{page}"
        );
    }
    // The form names the entry again; an institution's read may be "unknown", a sign-in only
    // "not me" (chosen already).
    let (status, form) = text(
        &app,
        &app.client,
        &format!("/access-log/report?entry={read}"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(form.contains(&name) && form.contains("健診結果を閲覧しました（2件）"));
    assert!(form.contains(r#"value="unknown_institution""#) && form.contains(r#"value="not_me""#));
    let (_, form) = text(
        &app,
        &app.client,
        &format!("/access-log/report?entry={sign_in}"),
    )
    .await;
    assert!(!form.contains(r#"value="unknown_institution""#));
    assert!(form.contains("カードでサインインしました"));

    // Mistakes come back named, with what was typed, and nothing is stored.
    let read_id = read.to_string();
    let (status, _, page) = report(
        &app,
        &app.client,
        &[("entry", &read_id), ("note", "見覚えがない")],
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("どのような点か選んでください。") && page.contains("見覚えがない"),
        "{page}"
    );
    let sign_in_id = sign_in.to_string();
    let (_, _, page) = report(
        &app,
        &app.client,
        &[("entry", &sign_in_id), ("concern", "unknown_institution")],
    )
    .await;
    assert!(
        page.contains("どのような点か選んでください。"),
        "a concern that does not fit"
    );
    let long = "あ".repeat(201);
    let (_, _, page) = report(
        &app,
        &app.client,
        &[("entry", &read_id), ("concern", "not_me"), ("note", &long)],
    )
    .await;
    assert!(page.contains("補足は200文字以内にしてください。"), "{page}");
    assert_eq!(common::count(&app.db.db, "access_reports").await, 0);

    // Another patient cannot see or report my entries: the same answer as no such entry.
    let other = browser();
    let mut theirs = Card::enroll(&app, &other, "DEMO-0002").await;
    assert_eq!(theirs.sign_in(&app, &other).await.status(), 200);
    let (_, page) = text(&app, &other, &format!("/access-log/report?entry={read}")).await;
    assert!(!page.contains(&name) && !page.contains("健診結果を閲覧しました"));
    assert!(
        !page.contains("access-report-form"),
        "no form for an entry not theirs"
    );
    let (status, _, _) = report(&app, &other, &[("entry", &read_id), ("concern", "not_me")]).await;
    assert_eq!(status, 404);
    for bad in ["", "x", "-1", "99999999999999999999"] {
        let (status, _, _) =
            report(&app, &app.client, &[("entry", bad), ("concern", "not_me")]).await;
        assert_eq!(status, 404, "{bad:?}");
    }
    assert_eq!(common::count(&app.db.db, "access_reports").await, 0);
    // Signed out, the form goes to sign-in.
    let (status, to, _) = report(
        &app,
        &browser(),
        &[("entry", &read_id), ("concern", "not_me")],
    )
    .await;
    assert_eq!((status, to.as_str()), (303, "/sign-in"));

    // Sent: back to the log, which thanks, lists the report and marks the entry.
    let (status, to, _) = report(
        &app,
        &app.client,
        &[
            ("entry", &read_id),
            ("concern", "unknown_institution"),
            ("note", "行ったことがない"),
        ],
    )
    .await;
    assert_eq!(
        (status, to.as_str()),
        (303, "/access-log?reported=1#reports-heading")
    );
    let (_, page) = text(&app, &app.client, "/access-log?reported=1").await;
    assert!(page.contains("報告を受け付けました。"));
    assert!(page.contains("報告した記録") && page.contains("この医療機関・薬局を知りません"));
    assert!(
        !page.contains(&format!("/access-log/report?entry={read}")),
        "reported once"
    );
    assert!(page.contains("確認中"));
    // Sending again changes nothing.
    let (status, _, _) = report(
        &app,
        &app.client,
        &[("entry", &read_id), ("concern", "not_me")],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(common::count(&app.db.db, "access_reports").await, 1);
    let (_, form) = text(
        &app,
        &app.client,
        &format!("/access-log/report?entry={read}"),
    )
    .await;
    assert!(form.contains("この記録はすでに報告しています。"));

    // The operator's decision shows on the patient's log.
    let reports = portal::storage::access_reports::open(&app.db.db)
        .await
        .unwrap();
    assert_eq!((reports.len(), reports[0].patient), (1, me));
    portal::storage::access_reports::resolve(
        &app.db.db,
        reports[0].id,
        portal::domain::access_report::ReportStatus::Confirmed,
        "credential revoked",
        app.now(),
    )
    .await
    .unwrap();
    let (_, page) = text(&app, &app.client, "/access-log").await;
    assert!(page.contains("不正なアクセスと確認し、対応しました"));
    assert!(
        !page.contains("credential revoked"),
        "the operator's note is theirs"
    );
}
