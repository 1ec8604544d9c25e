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
    let downloads = ["/costs/export?year=2025"];
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
