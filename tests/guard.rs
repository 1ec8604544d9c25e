//! No patient data without a session, checked over the generated lists: every server function
//! Leptos registered and every page route the app declares. A new function or page that forgets
//! to refuse strangers fails here without anyone adding it to a list.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::app::{App, spawn};
use common::card::sign_in_as;
use portal::server::session_guard::PUBLIC;

/// Strings that would reveal a demo patient: names and insured numbers of all six.
async fn secrets(app: &App) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, id) in common::demo_patients(&app.db.db)
        .await
        .into_iter()
        .enumerate()
    {
        let (_, name) = portal::storage::patients::identity(&app.db.db, id)
            .await
            .unwrap();
        out.push((n, name));
        let member = common::current_member(&app.db.db, id).await;
        // The personal parts of the number (symbol, number or recipient number), not the insurer's.
        for part in member.split(':').skip(1).filter(|p| p.len() >= 5) {
            out.push((n, part.to_owned()));
        }
    }
    out
}

fn server_fns() -> Vec<(String, http::Method)> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(p, m)| (p.to_owned(), m))
        .collect()
}

fn page_paths() -> Vec<String> {
    leptos_axum::generate_route_list(portal::app::App)
        .into_iter()
        .map(|r| r.path().to_owned())
        .collect()
}

#[tokio::test]
async fn every_server_function_refuses_a_visitor_without_a_session() {
    let app = spawn(true).await;
    let fns = server_fns();
    assert!(fns.len() > 15, "the registry is filled: {fns:?}");
    for public in PUBLIC {
        assert!(
            fns.iter().any(|(p, _)| p == public),
            "{public} is listed as public but is no server function"
        );
    }
    for (path, method) in &fns {
        if PUBLIC.contains(&path.as_str()) {
            continue;
        }
        let res = app
            .client
            .request(method.clone(), app.url(path))
            .header("origin", app.origin())
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            401,
            "{method} {path} answered a visitor without a session"
        );
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], "not_signed_in", "{path}");
    }
}

#[tokio::test]
async fn no_page_shows_a_patient_to_a_visitor_or_another_patient() {
    let app = spawn(true).await;
    let secrets = secrets(&app).await;
    let paths = page_paths();
    for expected in [
        "/",
        "/medications",
        "/checkups",
        "/costs",
        "/insurance",
        "/account",
        "/report",
    ] {
        assert!(
            paths.iter().any(|p| p == expected),
            "{expected} in {paths:?}"
        );
    }
    let downloads = ["/costs/export?year=2025", "/costs/export.xlsx?year=2025"];
    let check = |signed_in: Option<usize>| {
        let app = &app;
        let secrets = &secrets;
        let paths = &paths;
        async move {
            for path in paths.iter().map(String::as_str).chain(downloads) {
                let res = app.get(path).await;
                assert!(res.status().as_u16() < 500, "{path}: {}", res.status());
                let body = res.text().await.unwrap();
                for (owner, secret) in secrets {
                    if Some(*owner) != signed_in {
                        assert!(
                            !body.contains(secret.as_str()),
                            "{path} shows patient {owner}'s data ({secret}) to {signed_in:?}"
                        );
                    }
                }
            }
        }
    };
    check(None).await;
    // Signed in as the first patient: every page shows only that patient.
    sign_in_as(&app, "DEMO-0001").await;
    check(Some(0)).await;
    let home = app.get("/").await.text().await.unwrap();
    assert!(
        home.contains(secrets[0].1.as_str()),
        "the signed-in patient's own name"
    );
}

/// One query's single number.
async fn number(app: &App, sql: &str) -> i64 {
    common::strings(&app.db.db, &format!("SELECT CAST(({sql}) AS TEXT)"))
        .await
        .pop()
        .unwrap()
        .parse()
        .unwrap()
}

/// Everything a patient's data could change through: their log (apart from the pages a proxy
/// of theirs was shown), consents, reports, notices set aside, proxies and invitations.
async fn state_of(app: &App, patient: i64) -> Vec<i64> {
    let mut out = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM access_log WHERE patient_id = {p} AND action <> 'page_viewed'",
        "SELECT COUNT(*) FROM consents WHERE patient_id = {p} AND ended_at IS NULL",
        "SELECT COUNT(*) FROM consents WHERE patient_id = {p}",
        "SELECT COUNT(*) FROM record_disputes WHERE patient_id = {p}",
        "SELECT COUNT(*) FROM access_reports WHERE patient_id = {p}",
        "SELECT COUNT(*) FROM notices WHERE patient_id = {p} AND dismissed_at IS NOT NULL",
        "SELECT COUNT(*) FROM proxies WHERE patient_id = {p} AND ended_at IS NULL",
        "SELECT COUNT(*) FROM proxy_invitations WHERE patient_id = {p} AND cancelled_at IS NULL",
        "SELECT COUNT(*) FROM receipts WHERE patient_id = {p}",
        "SELECT COUNT(*) FROM cost_corrections WHERE patient_id = {p}",
    ] {
        out.push(number(app, &sql.replace("{p}", &patient.to_string())).await);
    }
    out
}

/// Every route and every id, with each kind of proxy: a proxy of another patient, a revoked
/// one, an expired one, and a view-only proxy on what only the manage scope may do. Each tries
/// every page (with the patient's own record and log ids in the address), both downloads,
/// every server function, every form with the patient's ids (grants, invitations, notices,
/// consents, records, log entries) and the institution API with its session. Nobody sees the
/// patient who is not theirs to see, and nothing of the patient's changes.
#[tokio::test]
async fn no_proxy_reaches_a_patient_they_do_not_act_for() {
    use common::proxy::{acting, invite, page, post, signed_in};
    let app = spawn(true).await;
    let secrets = secrets(&app).await;
    // Demo persons by index: 0..=5 are DEMO-0001..DEMO-0006.
    let (patient, mut patient_card, patient_id, _) = signed_in(&app, "DEMO-0002").await;
    let (revoked, _, revoked_id, _) = signed_in(&app, "DEMO-0001").await;
    let (expired, _, expired_id, _) = signed_in(&app, "DEMO-0004").await;
    let (outsider, _, outsider_id, _) = signed_in(&app, "DEMO-0005").await;
    let (other, mut other_card, _, _) = signed_in(&app, "DEMO-0006").await;
    let (viewer, _, viewer_id, _) = signed_in(&app, "DEMO-0003").await;

    // The revoked and the view-only proxy; the expired one's grant ends tomorrow.
    let revoked_grant = acting(
        &app,
        (&patient, &mut patient_card),
        (&revoked, revoked_id),
        "manage_consent",
    )
    .await;
    acting(
        &app,
        (&patient, &mut patient_card),
        (&viewer, viewer_id),
        "view_records",
    )
    .await;
    let tomorrow = (common::today() + chrono::Days::new(1)).to_string();
    let member = common::current_member(&app.db.db, expired_id).await;
    let code = invite(&app, &patient, &member, "view_records", &tomorrow).await;
    assert_eq!(
        post(&app, &expired, &[("action", "accept"), ("code", &code)])
            .await
            .0,
        303
    );
    let expired_grant = common::strings(
        &app.db.db,
        &format!(
            "SELECT CAST(id AS TEXT) FROM proxies WHERE proxy_id = {}",
            expired_id.0
        ),
    )
    .await
    .remove(0);
    // A proxy of another patient.
    acting(
        &app,
        (&other, &mut other_card),
        (&outsider, outsider_id),
        "manage_consent",
    )
    .await;
    // The patient's own ids to try: a consent, an open invitation, a notice, records, entries.
    assert_eq!(
        patient_card
            .step_up(&app, &patient, "change_consent")
            .await
            .status(),
        200
    );
    let institution = common::strings(&app.db.db, "SELECT code FROM institutions ORDER BY code")
        .await
        .remove(0);
    let (status, _, _) = common::card::post_form(
        &app,
        &patient,
        "/consents",
        &[
            ("action", "grant"),
            ("institution", &institution),
            ("k_checkups", "on"),
            ("period", "until_revoked"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        patient_card
            .step_up(&app, &patient, "manage_proxies")
            .await
            .status(),
        200
    );
    let stranger = common::current_member(&app.db.db, outsider_id).await;
    invite(&app, &patient, &stranger, "view_records", "").await;
    page(&app, &viewer, "/").await; // raises the notice of a proxy's first act
    let p = patient_id.0;
    let ids = |sql: &'static str| {
        let app = &app;
        async move { common::strings(&app.db.db, &sql.replace("{p}", &p.to_string())).await }
    };
    let grants = ids("SELECT CAST(id AS TEXT) FROM proxies WHERE patient_id = {p}").await;
    let invitations =
        ids("SELECT CAST(id AS TEXT) FROM proxy_invitations WHERE patient_id = {p}").await;
    let topics = ids("SELECT topic FROM notices WHERE patient_id = {p}").await;
    let medication = ids("SELECT CAST(MIN(id) AS TEXT) FROM medications WHERE patient_id = {p}")
        .await
        .remove(0);
    let checkup = ids("SELECT CAST(MIN(id) AS TEXT) FROM checkups WHERE patient_id = {p}")
        .await
        .remove(0);
    let notice = ids("SELECT CAST(MIN(id) AS TEXT) FROM cost_notices WHERE patient_id = {p}")
        .await
        .remove(0);
    let month_and_code = ids(
        "SELECT care_month || ',' || institution_code FROM cost_notices WHERE patient_id = {p}
         ORDER BY id LIMIT 1",
    )
    .await
    .remove(0);
    let (care_month, institution_code) = month_and_code.split_once(',').unwrap();
    let entries = ids("SELECT CAST(id AS TEXT) FROM access_log WHERE patient_id = {p}").await;
    assert!(!grants.is_empty() && !invitations.is_empty() && !topics.is_empty());

    // The patient revokes one proxy while its session acts for them; the expired one's last
    // day passes while it acts. (Its day is moved back, not the clock: 36 hours would end
    // every session, and what must hold is that a session acting when the grant ends is out.)
    let (status, _, _) = post(
        &app,
        &patient,
        &[("action", "revoke"), ("grant", &revoked_grant)],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        post(
            &app,
            &expired,
            &[("action", "act"), ("grant", &expired_grant)]
        )
        .await
        .0,
        303
    );
    let yesterday = (common::today() - chrono::Days::new(1)).to_string();
    common::exec(
        &app.db.db,
        &format!("UPDATE proxies SET until = '{yesterday}' WHERE id = {expired_grant}"),
    )
    .await;
    let before = state_of(&app, p).await;

    let mut gets: Vec<String> = page_paths();
    gets.extend(
        [
            format!("/report?kind=medication&id={medication}"),
            format!("/report?kind=checkup&id={checkup}"),
            format!("/report?kind=cost_notice&id={notice}"),
            format!("/costs/correction?month={care_month}&institution={institution_code}"),
            "/costs/export?year=2025".to_owned(),
            "/costs/export.xlsx?year=2025".to_owned(),
            "/access-log/export?format=json".to_owned(),
            "/access-log/export?format=csv".to_owned(),
        ]
        .into_iter()
        .chain(
            entries
                .iter()
                .map(|e| format!("/access-log/report?entry={e}")),
        ),
    );
    let mut posts: Vec<(&str, Vec<(&str, String)>)> = Vec::new();
    for g in &grants {
        for action in ["act", "revoke", "confirm"] {
            posts.push((
                "/proxies",
                vec![("action", action.to_owned()), ("grant", g.clone())],
            ));
        }
    }
    for i in &invitations {
        posts.push((
            "/proxies",
            vec![("action", "cancel".to_owned()), ("invitation", i.clone())],
        ));
    }
    for t in &topics {
        posts.push(("/notices", vec![("topic", t.clone())]));
    }
    posts.push((
        "/consents",
        vec![
            ("action", "revoke".to_owned()),
            ("institution", institution.clone()),
        ],
    ));
    for (kind, id) in [
        ("medication", &medication),
        ("checkup", &checkup),
        ("cost_notice", &notice),
    ] {
        posts.push((
            "/report",
            vec![
                ("kind", kind.to_owned()),
                ("id", id.clone()),
                ("reason", "not_mine".to_owned()),
            ],
        ));
    }
    for action in ["correct", "withdraw_correction"] {
        posts.push((
            "/costs",
            vec![
                ("action", action.to_owned()),
                ("month", care_month.to_owned()),
                ("institution", institution_code.to_owned()),
                ("reimbursed", "100".to_owned()),
            ],
        ));
    }
    for e in &entries {
        posts.push((
            "/access-log/report",
            vec![
                ("entry", e.clone()),
                ("concern", "not_me".to_owned()),
                ("note", "sweep".to_owned()),
            ],
        ));
    }

    // Each role with whose data it may show: its own, and for the outsider the patient they
    // act for; the view-only proxy may see the patient's records, never change anything.
    let roles: [(&str, &reqwest::Client, Vec<usize>); 4] = [
        ("proxy of another patient", &outsider, vec![4, 5]),
        ("revoked proxy", &revoked, vec![0]),
        ("expired proxy", &expired, vec![3]),
        ("view-only proxy", &viewer, vec![1, 2]),
    ];
    for (role, client, allowed) in &roles {
        let shows = |body: &str, what: &str| {
            for (owner, secret) in &secrets {
                assert!(
                    allowed.contains(owner) || !body.contains(secret.as_str()),
                    "{what} shows patient {owner}'s data ({secret}) to a {role}"
                );
            }
        };
        for path in &gets {
            let res = client.get(app.url(path)).send().await.unwrap();
            assert!(res.status().as_u16() < 500, "{path}: {}", res.status());
            shows(&res.text().await.unwrap(), path);
        }
        for (path, method) in server_fns() {
            // Signing out concerns only the caller's own sessions, and would end the sweep.
            if path.contains("sign_out") {
                continue;
            }
            let res = client
                .request(method.clone(), app.url(&path))
                .header("origin", app.origin())
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            assert!(res.status().as_u16() < 500, "{path}: {}", res.status());
            shows(&res.text().await.unwrap(), &path);
        }
        for (path, fields) in &posts {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (status, _, body) = common::card::post_form(&app, client, path, &fields).await;
            assert!(status < 500, "{path} {fields:?}: {status}");
            shows(&body, path);
        }
        if *role == "view-only proxy" {
            let res = client
                .get(app.url("/access-log/export?format=json"))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 404, "the log is not in a view-only scope");
            let (_, log) = page(&app, client, "/access-log").await;
            assert!(!log.contains("entries-caption"));
        }
        let res = client
            .post(app.url("/institution/v1/medications"))
            .json(&serde_json::json!({ "insured": {}, "visit_date": "2026-11-20" }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401, "the API takes no session ({role})");
        assert_eq!(
            state_of(&app, p).await,
            before,
            "a {role} changed the patient's data"
        );
        let (_, home) = page(&app, client, "/").await;
        assert!(
            common::proxy::header_of(&home).contains("/api/auth/sign_out"),
            "the {role} was signed in all along"
        );
    }
    // The view-only proxy still reads what its scope allows.
    let (_, name) = portal::storage::patients::identity(&app.db.db, patient_id)
        .await
        .unwrap();
    let (_, meds) = page(&app, &viewer, "/medications").await;
    assert!(common::proxy::main_of(&meds).contains("<table"));
    assert!(common::proxy::header_of(&meds).contains(&name));
}
