//! The HTTP application driven over a real socket: pages, health, headers, the language switch,
//! the patient home behind card sign-in, CSRF refusals, and graceful shutdown.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::{Arc, Mutex};

use common::app::spawn;
use common::card::sign_in_as;

#[tokio::test]
async fn health_and_readiness() {
    let app = spawn(false).await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ready");
}

#[tokio::test]
async fn landing_page_in_japanese_by_default_and_english_on_request() {
    let app = spawn(false).await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    // Nothing on the landing page runs WebAssembly (see tests/page_scripts.rs).
    assert!(
        csp.contains("'nonce-")
            && !csp.contains("'wasm-unsafe-eval'")
            && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(res.headers().contains_key("x-request-id"));
    let html = res.text().await.unwrap();
    assert!(html.contains("lang=\"ja\""), "Japanese is the default");
    assert!(html.contains("お薬・健診・医療費の記録を"));
    assert!(
        !html.contains("<script src") && !html.contains(".wasm"),
        "a visitor's landing page loads no script"
    );
    let sign_in = app.get("/sign-in").await;
    let csp = sign_in.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        sign_in
            .text()
            .await
            .unwrap()
            .contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the nonce"
    );
    let en = app
        .client
        .get(app.url("/"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert!(
        en.text()
            .await
            .unwrap()
            .contains("Your medicines, checkups")
    );
}

#[tokio::test]
async fn language_switch_sets_the_cookie_and_returns_to_the_page() {
    let app = spawn(true).await;
    let res = app
        .post("/locale")
        .form(&[("to", "en"), ("back", "/sign-in")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/sign-in");
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("i18n_pref_locale=en")
    );
    let html = app.get("/sign-in").await.text().await.unwrap();
    assert!(html.contains("lang=\"en\"") && html.contains("Sign in with card"));
    let res = app
        .post("/locale")
        .form(&[("to", "ja"), ("back", "//evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/", "no open redirect");
}

#[tokio::test]
async fn a_signed_in_patient_sees_their_home_with_the_number_masked() {
    let app = spawn(true).await;
    let html = app.get("/").await.text().await.unwrap();
    assert!(!html.contains("さんの記録"), "no patient before sign-in");
    let res = app.post("/api/home_summary").send().await.unwrap();
    assert_eq!(res.status(), 401, "refusals are 4xx, never 500");
    let body = res.text().await.unwrap();
    assert!(body.contains("not_signed_in"), "{body}");

    sign_in_as(&app, "DEMO-0001").await;
    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains("さんの記録"), "the patient's home");
    assert!(html.contains("*"), "the insured number is masked");
    let revealed = app.get("/?show=number").await.text().await.unwrap();
    assert!(revealed.contains("番号を隠す"));
}

#[tokio::test]
async fn the_demo_picker_is_gone_and_its_old_cookie_opens_nothing() {
    let app = spawn(true).await;
    assert_eq!(app.get("/demo").await.status(), 404);
    let status = app.post("/demo/select").send().await.unwrap().status();
    assert!(matches!(status.as_u16(), 404 | 405), "{status}");
    let patient = portal::storage::patients::by_link_key(&app.db.db, "DEMO-0001")
        .await
        .unwrap()
        .unwrap();
    let (public_id, _) = portal::storage::patients::identity(&app.db.db, patient)
        .await
        .unwrap();
    let res = app
        .client
        .get(app.url("/"))
        .header("cookie", format!("portal_demo_patient={public_id}"))
        .send()
        .await
        .unwrap();
    assert!(!res.text().await.unwrap().contains("さんの記録"));
}

#[tokio::test]
async fn unknown_paths_get_the_not_found_page_with_404() {
    let app = spawn(false).await;
    let res = app.get("/no/such/page").await;
    assert_eq!(res.status(), 404);
    let request_id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    let html = res.text().await.unwrap();
    assert!(html.contains("ページが見つかりません"));
    assert!(html.contains(&request_id), "the page shows its request id");
    let css = app.get("/pkg/portal.css").await;
    assert_eq!(css.status(), 200);
}

#[tokio::test]
async fn graceful_shutdown_finishes_in_flight_requests_and_refuses_new_ones() {
    use axum::routing::get;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
    let started_tx = Arc::new(Mutex::new(Some(started_tx)));
    let router = axum::Router::new().route(
        "/slow",
        get(move || {
            let started = started_tx.clone();
            async move {
                if let Some(tx) = started.lock().unwrap().take() {
                    let _ = tx.send(());
                }
                tokio::time::sleep(std::time::Duration::from_millis(400)).await;
                "done"
            }
        }),
    );
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(portal::server::serve(listener, router, async {
        let _ = stop_rx.await;
    }));
    let client = common::client().build().unwrap();
    let in_flight = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .get(format!("http://localhost:{}/slow", addr.port()))
                .send()
                .await
        }
    });
    started_rx.await.unwrap();
    stop_tx.send(()).unwrap();
    let res = in_flight.await.unwrap().unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "done");
    server.await.unwrap().unwrap();
    let refused = common::client()
        .build()
        .unwrap()
        .get(format!("http://localhost:{}/slow", addr.port()))
        .send()
        .await;
    assert!(
        refused.is_err(),
        "new connections are refused after shutdown"
    );
}

#[tokio::test]
async fn cross_site_posts_are_refused_even_with_the_session_cookie() {
    let app = spawn(true).await;
    sign_in_as(&app, "DEMO-0001").await;
    let name = {
        let patient = portal::storage::patients::by_link_key(&app.db.db, "DEMO-0001")
            .await
            .unwrap()
            .unwrap();
        portal::storage::patients::identity(&app.db.db, patient)
            .await
            .unwrap()
            .1
    };
    for path in [
        "/locale",
        "/api/home_summary",
        "/api/account",
        "/api/account/sign_out_elsewhere",
        "/api/account/revoke_card",
        "/api/auth/sign_out",
        "/api/auth/begin_step_up",
        "/api/auth/complete_step_up",
        "/api/auth/begin_add_card",
        "/api/auth/complete_add_card",
        "/api/auth/stay_signed_in",
        "/api/medications",
        "/api/checkups",
        "/api/costs",
        "/api/records/report",
        "/api/records/disputes",
        "/api/records/report_target",
    ] {
        for origin in [
            Some("https://evil.example"),
            Some("http://localhost:1"),
            Some("null"),
            None,
        ] {
            let mut req = app
                .client
                .post(app.url(path))
                .form(&[("to", "en"), ("card", "1")]);
            if let Some(o) = origin {
                req = req.header("origin", o);
            }
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), 403, "{path} from {origin:?}");
            let body: serde_json::Value = res.json().await.unwrap();
            assert_eq!(body["code"], "cross_origin_request");
        }
    }
    let home = app.get("/").await.text().await.unwrap();
    assert!(
        home.contains(&name),
        "nothing changed: still signed in, in Japanese"
    );
    assert!(home.contains("lang=\"ja\""));
    let res = app
        .client
        .post(app.url("/locale"))
        .header("referer", format!("{}/sign-in", app.origin()))
        .form(&[("to", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        303,
        "a same-origin Referer is accepted when Origin is absent"
    );
}

#[tokio::test]
async fn hsts_only_when_people_reach_the_portal_over_https() {
    let policy = || portal::auth::ceremony::CardPolicy::Dev;
    let https = common::app::spawn_at(false, policy(), "https").await;
    let res = https.get("/").await;
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=63072000; includeSubDomains"
    );
    let http = common::app::spawn_at(false, policy(), "http").await;
    assert!(
        !http
            .get("/")
            .await
            .headers()
            .contains_key("strict-transport-security")
    );
}

#[tokio::test]
async fn vendored_echarts_is_served_precompressed_and_cached_for_good() {
    let app = spawn(false).await;
    // A miss must not be cached as if it were the file.
    let res = app.get(portal::charts::ECHARTS_URL).await;
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let file = app
        ._site
        .path()
        .join(portal::charts::ECHARTS_URL.trim_start_matches('/'));
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "window.echarts = {};").unwrap();
    std::fs::write(file.with_extension("js.br"), b"compressed").unwrap();
    let res = app
        .client
        .get(app.url(portal::charts::ECHARTS_URL))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "br");
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
}

/// A file in the test site's folder, with a brotli and a gzip sibling as the release build
/// writes them (the contents only need to differ so the test can tell which was served).
fn write_precompressed(app: &common::app::App, path: &str, body: &str) {
    let file = app._site.path().join(path.trim_start_matches('/'));
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, body).unwrap();
    let name = file.file_name().unwrap().to_str().unwrap().to_owned();
    std::fs::write(file.with_file_name(format!("{name}.br")), "br:").unwrap();
    std::fs::write(file.with_file_name(format!("{name}.gz")), "gz:").unwrap();
}

async fn get_encoded(app: &common::app::App, path: &str, accept: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("accept-encoding", accept)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn hashed_build_files_and_fonts_are_served_precompressed_and_cached_for_good() {
    let app = spawn(false).await;
    let hashed = [
        (
            "/pkg/portal.AbCdEfGhIjKlMnOpQrSt-_.wasm",
            "application/wasm",
        ),
        ("/pkg/portal.0123456789abcdefghijkl.js", "text/javascript"),
        ("/pkg/portal.ZYXWVUTSRQPONMLKJIHGFE.css", "text/css"),
        (
            "/fonts/noto-sans-jp.0123456789abcdefghijkl.woff2",
            "font/woff2",
        ),
    ];
    for (path, mime) in hashed {
        write_precompressed(&app, path, "plain");
        for (accept, encoding, body) in [
            ("br, gzip", Some("br"), "br:"),
            ("gzip", Some("gzip"), "gz:"),
            ("identity", None, "plain"),
        ] {
            let res = get_encoded(&app, path, accept).await;
            assert_eq!(res.status(), 200, "{path} {accept}");
            let h = res.headers();
            assert_eq!(
                h.get("content-encoding").map(|v| v.to_str().unwrap()),
                encoding,
                "{path} {accept}"
            );
            assert!(
                h["content-type"].to_str().unwrap().starts_with(mime),
                "{path}: {:?}",
                h["content-type"]
            );
            assert_eq!(
                h["cache-control"], "public, max-age=31536000, immutable",
                "{path}"
            );
            assert_eq!(h["vary"], "accept-encoding", "{path}");
            assert_eq!(h["x-content-type-options"], "nosniff");
            assert!(!h.contains_key("set-cookie"), "no session for files");
            // reqwest decodes nothing here (no compression features), so the body is the
            // sibling file itself.
            assert_eq!(res.text().await.unwrap(), body, "{path} {accept}");
        }
    }
}

#[tokio::test]
async fn unhashed_build_files_are_revalidated_and_misses_are_not_cached() {
    let app = spawn(false).await;
    // Without `hash-files` the names stay the same across releases.
    let res = get_encoded(&app, "/pkg/portal.css", "br").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-cache");
    for path in [
        "/pkg/portal.0123456789abcdefghijkl.wasm",
        "/fonts/missing.0123456789abcdefghijkl.woff2",
    ] {
        let res = get_encoded(&app, path, "br").await;
        assert_eq!(res.status(), 404, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
}
