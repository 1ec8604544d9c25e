//! Server render time of each records page for the ten-year demo patient (persona 6,
//! DEMO-0006), signed in with a software card over HTTP as a browser signs in. Not part of the
//! test suite or CI; `scripts/bench.sh` runs it and docs/performance.md keeps the figures.
//!
//! `cargo bench --features ssr --bench records` prints the render times (in process, through
//! the whole router: session, layers and the streamed HTML to its last byte).
//! `... --bench records -- serve ADDR COOKIE_FILE` serves the same portal on ADDR and writes
//! the session cookie to COOKIE_FILE, for wrk.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{Request, header};
use chrono::{NaiveDate, TimeZone, Utc};
use portal::auth::ceremony::{
    CardPolicy, Ceremonies, CreationChallengeResponse, RequestChallengeResponse,
};
use portal::storage::{Db, DbTarget};
use serde_json::json;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;
use webauthn_authenticator_rs::prelude::WebauthnAuthenticator;
use webauthn_authenticator_rs::softtoken::{AAGUID, SoftToken};
use webauthn_rs::prelude::{AttestationCaListBuilder, Url};

/// The records pages (the home page is the patient's summary of all of them).
const PAGES: [&str; 5] = ["/", "/medications", "/checkups", "/costs", "/insurance"];
const HEAVY_PATIENT: &str = "DEMO-0006";
const RUNS: usize = 200;

struct Portal {
    router: axum::Router,
    cookie: String,
    _dir: tempfile::TempDir,
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let site_root = std::env::var("SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    if let Some(i) = args.iter().position(|a| a == "serve") {
        let addr: SocketAddr = args[i + 1].parse().expect("serve ADDR COOKIE_FILE");
        portal::logging::init(portal::config::LogFormat::Text);
        let portal = start(&site_root, addr).await;
        std::fs::write(&args[i + 2], &portal.cookie).unwrap();
        println!("serving on {addr}; cookie in {}", args[i + 2]);
        std::future::pending::<()>().await;
    }
    let portal = start(&site_root, "127.0.0.1:0".parse().unwrap()).await;
    println!("page\tbytes\tmedian ms\tp90 ms\tmean ms\t({RUNS} runs each, after 20 to warm up)");
    for page in PAGES {
        let (bytes, times) = time_page(&portal, page).await;
        let mean = times.iter().sum::<Duration>() / u32::try_from(times.len()).unwrap();
        println!(
            "{page}\t{bytes}\t{:.2}\t{:.2}\t{:.2}",
            ms(times[times.len() / 2]),
            ms(times[times.len() * 9 / 10]),
            ms(mean)
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Sorted durations of `RUNS` requests for `page`, and the size of its HTML.
async fn time_page(portal: &Portal, page: &str) -> (usize, Vec<Duration>) {
    let mut times = Vec::with_capacity(RUNS);
    let mut bytes = 0;
    for run in 0..RUNS + 20 {
        let req = Request::get(page)
            .header(header::COOKIE, &portal.cookie)
            .header(header::ACCEPT, "text/html")
            .body(Body::empty())
            .unwrap();
        let start = Instant::now();
        let res = portal.router.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), 200, "{page}");
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        if run >= 20 {
            times.push(start.elapsed());
        }
        bytes = body.len();
    }
    times.sort();
    (bytes, times)
}

/// A portal on `addr` with the demo data of `portal serve --demo` (seed 1, six patients; the
/// heavy one has ten years) up to a fixed day, and a session for the heavy patient.
async fn start(site_root: &str, addr: SocketAddr) -> Portal {
    let dir = tempfile::tempdir().unwrap();
    let target = DbTarget::parse(&format!("sqlite:{}/portal.db", dir.path().display())).unwrap();
    let db = Db::connect(&target).await.unwrap();
    db.migrate().await.unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 20, 3, 0, 0).unwrap();
    let clock = portal::domain::clock::FixedClock::new(now);
    let data = portal::demo::generate(&portal::demo::DemoConfig {
        seed: 1,
        patients: 6,
        years: 5,
        until: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
    });
    for (kind, name, json) in data.files() {
        portal::import::import_bytes(&db, &clock, name, json.as_bytes(), Some(kind))
            .await
            .unwrap();
    }
    let (token, ca) = SoftToken::new(true).unwrap();
    let mut anchors = AttestationCaListBuilder::new();
    anchors
        .insert_device_x509(ca, AAGUID, "softtoken".into(), Default::default())
        .unwrap();
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let public_url = Url::parse(&format!("http://localhost:{port}")).unwrap();
    let key = vec![7; 32];
    let auth = portal::auth::flows::Auth {
        ceremonies: Ceremonies::new(&public_url, "Bench", CardPolicy::Card(anchors.build()))
            .unwrap(),
        key: key.clone(),
        limiter: Default::default(),
        timeouts: Default::default(),
        id_length: Default::default(),
    };
    let site_root = std::path::PathBuf::from(site_root);
    let state = portal::state::AppState {
        db: db.clone(),
        settings: Arc::new(portal::config::Settings {
            demo: true,
            public_url: public_url.clone(),
            site_root: site_root.clone(),
            secure_cookies: false,
            trusted_proxies: Default::default(),
        }),
        // Time runs as it does in production (logins are rechecked every second, activity
        // written every minute), from the fixed day the demo data was made for.
        clock: Arc::new(RunningClock {
            start: now,
            started: Instant::now(),
        }),
        auth: Arc::new(auth),
        leptos: Arc::new(
            leptos::config::LeptosOptions::builder()
                .output_name("portal")
                .site_root(site_root.display().to_string())
                .site_pkg_dir("pkg")
                .site_addr(addr)
                .env(leptos::config::Env::PROD)
                .hash_files(portal::server::assets::hashed_names(&site_root).unwrap())
                .build(),
        ),
        records_cache: Default::default(),
        recent_logins: Default::default(),
        institution_limits: Default::default(),
    };
    let router = portal::server::router(state);
    tokio::spawn(portal::server::serve(
        listener,
        router.clone(),
        std::future::pending(),
    ));
    let patient = portal::storage::patients::by_link_key(&db, HEAVY_PATIENT)
        .await
        .unwrap()
        .unwrap();
    let code = portal::auth::flows::issue_code(&db, &key, patient, now, &mut rand::rng())
        .await
        .unwrap();
    let member = current_member(&db, patient.0).await;
    let cookie = sign_in(&public_url, token, &member, &code.display_grouped()).await;
    Portal {
        router,
        cookie,
        _dir: dir,
    }
}

/// Real time, starting at a fixed moment.
struct RunningClock {
    start: chrono::DateTime<Utc>,
    started: Instant,
}

impl portal::domain::clock::Clock for RunningClock {
    fn now(&self) -> chrono::DateTime<Utc> {
        self.start + chrono::TimeDelta::from_std(self.started.elapsed()).unwrap_or_default()
    }
}

/// Enrolls the software card with the enrollment code and signs in, as the browser pages do;
/// returns the Cookie header of the resulting session.
async fn sign_in(origin: &Url, mut token: SoftToken, member: &str, code: &str) -> String {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .build()
        .unwrap();
    let call = async |path: &str, body: serde_json::Value| {
        let res = client
            .post(origin.join(path).unwrap())
            .header("origin", origin.as_str().trim_end_matches('/'))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
        res
    };
    let res = call(
        "/api/auth/begin_enrollment",
        json!({ "member": member, "code": code }),
    )
    .await;
    let mut ccr: CreationChallengeResponse = res.json().await.unwrap();
    let handle = ccr.public_key.user.id.to_vec();
    if let Some(sel) = ccr.public_key.authenticator_selection.as_mut() {
        sel.require_resident_key = false;
    }
    let reply = token.do_registration(origin.clone(), ccr).unwrap();
    let cred_id = reply.raw_id.to_vec();
    call("/api/auth/complete_enrollment", json!({ "reply": reply })).await;
    let res = call("/api/auth/begin_sign_in", json!({})).await;
    let mut rcr: RequestChallengeResponse = res.json().await.unwrap();
    rcr.public_key.allow_credentials = vec![webauthn_rs_proto::AllowCredentials {
        type_: "public-key".into(),
        id: cred_id,
        transports: None,
    }];
    let mut answer = token.do_authentication(origin.clone(), rcr).unwrap();
    answer.response.user_handle = Some(handle);
    call("/api/auth/complete_sign_in", json!({ "reply": answer })).await;
    use reqwest::cookie::CookieStore;
    jar.cookies(origin)
        .expect("signed in: a session cookie")
        .to_str()
        .unwrap()
        .to_owned()
}

/// The patient's current insured number as typed on the enrollment page.
async fn current_member(db: &Db, patient: i64) -> String {
    let sql = "SELECT insurer_number, COALESCE(symbol, ''), member_number, COALESCE(branch, '') FROM coverages WHERE patient_id = $1 AND valid_to IS NULL";
    let Db::Sqlite(pool) = db else {
        unreachable!("the bench runs on SQLite")
    };
    let (a, b, c, d): (String, String, String, String) = sqlx::query_as(sql)
        .bind(patient)
        .fetch_one(pool)
        .await
        .unwrap();
    format!("{a}:{b}:{c}:{d}")
}
