//! What the benches share: a database with the demo data (SQLite file or a fresh PostgreSQL
//! schema), the portal serving it on a real socket with time running as in production, and a
//! software card that enrolls, signs in and makes card checks over HTTP as the browser pages do.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use portal::auth::ceremony::{
    CardPolicy, Ceremonies, CreationChallengeResponse, RequestChallengeResponse,
};
use portal::storage::patients::PatientId;
use portal::storage::{Db, DbTarget};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Instant;
use webauthn_authenticator_rs::prelude::WebauthnAuthenticator;
use webauthn_authenticator_rs::softtoken::SoftToken;
use webauthn_rs::prelude::Url;

/// The moment the demo data is made up to; the clock starts here.
pub fn demo_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 3, 0, 0).unwrap()
}

/// A database on `engine` ("sqlite", or "postgres" with `BENCH_POSTGRES_URL`), migrated, with
/// the demo data of `portal serve --demo` (seed 1, six patients, five years). The guard keeps
/// the SQLite file's directory.
pub async fn demo_db(engine: &str) -> (Db, Option<tempfile::TempDir>) {
    let (db, dir) = match engine {
        "sqlite" => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite:{}/portal.db", dir.path().display());
            let db = Db::connect(&DbTarget::parse(&url).unwrap()).await.unwrap();
            (db, Some(dir))
        }
        "postgres" => (postgres_schema().await, None),
        other => panic!("unknown engine {other}: sqlite or postgres"),
    };
    db.migrate().await.unwrap();
    load_demo(&db, 6).await;
    (db, dir)
}

/// Imports the demo data of seed 1 with `patients` patients (five years each; the sixth, the
/// heavy persona, ten) up to the demo day, as `portal serve --demo` does; the rows imported.
pub async fn load_demo(db: &Db, patients: usize) -> usize {
    let clock = portal::domain::clock::FixedClock::new(demo_now());
    let data = portal::demo::generate(&portal::demo::DemoConfig {
        seed: 1,
        patients,
        years: 5,
        until: demo_now().date_naive(),
    });
    let rows = data.persons.len() + data.medications.len() + data.checkups.len() + data.costs.len();
    for (kind, name, json) in data.files() {
        portal::import::import_bytes(db, &clock, name, json.as_bytes(), Some(kind))
            .await
            .unwrap();
    }
    rows
}

/// The schema `bench` in the database of `BENCH_POSTGRES_URL`, dropped and made afresh, with
/// the pool the portal itself would open (16 connections).
async fn postgres_schema() -> Db {
    let url = std::env::var("BENCH_POSTGRES_URL")
        .expect("BENCH_POSTGRES_URL must name a PostgreSQL database (scripts/bench.sh sets it)");
    let admin = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .expect("PostgreSQL is unreachable at BENCH_POSTGRES_URL");
    for sql in ["DROP SCHEMA IF EXISTS bench CASCADE", "CREATE SCHEMA bench"] {
        sqlx::query(sql).execute(&admin).await.unwrap();
    }
    admin.close().await;
    let opts = sqlx::postgres::PgConnectOptions::from_str(&url)
        .unwrap()
        .options([("search_path", "bench")]);
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(16)
        .connect_with(opts)
        .await
        .unwrap();
    Db::Postgres(pool)
}

/// A software card and the card policy that trusts its maker, as the portal trusts a real
/// card's issuer: the attestation is checked as a real card's is.
pub fn software_card() -> (SoftToken, CardPolicy) {
    let (token, ca) = SoftToken::new(true).unwrap();
    let mut anchors = webauthn_rs::prelude::AttestationCaListBuilder::new();
    anchors
        .insert_device_x509(
            ca,
            webauthn_authenticator_rs::softtoken::AAGUID,
            "softtoken".into(),
            Default::default(),
        )
        .unwrap();
    (token, CardPolicy::Card(anchors.build()))
}

/// Real time, starting at a fixed moment.
pub struct RunningClock {
    pub start: DateTime<Utc>,
    pub started: Instant,
}

impl portal::domain::clock::Clock for RunningClock {
    fn now(&self) -> DateTime<Utc> {
        self.start + chrono::TimeDelta::from_std(self.started.elapsed()).unwrap_or_default()
    }
}

/// The portal serving `db` on `listener`, its router (for in-process requests), and what a
/// card needs to talk to it.
pub struct Served {
    pub router: axum::Router,
    pub db: Db,
    pub public_url: Url,
    /// The server key (keys enrollment-code hashes).
    pub key: Vec<u8>,
    pub today: NaiveDate,
    pub clock: Arc<RunningClock>,
    pub records_cache: Arc<portal::records_cache::RecordsCache>,
}

/// Serves the portal's own router on `listener`: the clock runs in real time from the demo
/// data's day (logins rechecked every second, activity written every minute, limits counted
/// over real windows, as in production). Loopback is a trusted proxy, so a bench client can
/// name the address it stands for (`X-Forwarded-For`) as the many patients' networks would be
/// seen behind a real one. `RECORDS_CACHE_ENTRIES` sizes the records caches as
/// `portal serve` does (0: off).
pub async fn serve(
    db: Db,
    site_root: &str,
    listener: tokio::net::TcpListener,
    policy: CardPolicy,
) -> Served {
    let addr: SocketAddr = listener.local_addr().unwrap();
    let public_url = Url::parse(&format!("http://localhost:{}", addr.port())).unwrap();
    let key = vec![7; 32];
    let auth = portal::auth::flows::Auth {
        ceremonies: Ceremonies::new(&public_url, "Bench", policy).unwrap(),
        key: key.clone(),
        limiter: Default::default(),
        timeouts: Default::default(),
        id_length: Default::default(),
    };
    let site_root = std::path::PathBuf::from(site_root);
    let entries = std::env::var("RECORDS_CACHE_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(portal::records_cache::DEFAULT_CAPACITY);
    let records_cache = Arc::new(portal::records_cache::RecordsCache::new(entries));
    let clock = Arc::new(RunningClock {
        start: demo_now(),
        started: Instant::now(),
    });
    let state = portal::state::AppState {
        db: db.clone(),
        settings: Arc::new(portal::config::Settings {
            demo: true,
            public_url: public_url.clone(),
            site_root: site_root.clone(),
            secure_cookies: false,
            trusted_proxies: portal::client_addr::TrustedProxies::parse(&["127.0.0.1"]).unwrap(),
        }),
        clock: clock.clone(),
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
        records_cache: records_cache.clone(),
        recent_logins: Default::default(),
        institution_limits: Default::default(),
    };
    let router = portal::server::router(state);
    tokio::spawn(portal::server::serve(
        listener,
        router.clone(),
        std::future::pending(),
    ));
    Served {
        router,
        db,
        public_url,
        key,
        today: demo_now()
            .with_timezone(&portal::domain::clock::japan_offset())
            .date_naive(),
        clock,
        records_cache,
    }
}

/// A software card of one patient, signed in inside its own cookie jar.
pub struct Card {
    /// One software authenticator may hold the cards of many patients.
    token: Arc<std::sync::Mutex<SoftToken>>,
    cred_id: Vec<u8>,
    handle: Vec<u8>,
    pub origin: Url,
    pub jar: Arc<reqwest::cookie::Jar>,
    pub client: reqwest::Client,
}

impl Card {
    /// Enrolls `token` for `patient` with a freshly issued enrollment code and signs in.
    pub async fn enroll(served: &Served, token: SoftToken, patient: PatientId) -> Card {
        Self::enroll_shared(
            served,
            Arc::new(std::sync::Mutex::new(token)),
            patient,
            None,
        )
        .await
    }

    /// Enrolls a new card on the shared `token` for `patient` and signs in, from the client
    /// address `from` when given (see [`serve`]).
    pub async fn enroll_shared(
        served: &Served,
        token: Arc<std::sync::Mutex<SoftToken>>,
        patient: PatientId,
        from: Option<String>,
    ) -> Card {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(from) = from {
            headers.insert("x-forwarded-for", from.parse().unwrap());
        }
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let mut card = Card {
            token,
            cred_id: Vec::new(),
            handle: Vec::new(),
            origin: served.public_url.clone(),
            jar,
            client,
        };
        let code = portal::auth::flows::issue_code(
            &served.db,
            &served.key,
            patient,
            demo_now(),
            &mut rand::rng(),
        )
        .await
        .unwrap()
        .display_grouped();
        let member = current_member(&served.db, patient).await;
        let res = card
            .call(
                "/api/auth/begin_enrollment",
                json!({ "member": member, "code": code }),
            )
            .await;
        let mut ccr: CreationChallengeResponse = res.json().await.unwrap();
        card.handle = ccr.public_key.user.id.to_vec();
        if let Some(sel) = ccr.public_key.authenticator_selection.as_mut() {
            sel.require_resident_key = false;
        }
        let reply = card
            .token
            .lock()
            .unwrap()
            .do_registration(card.origin.clone(), ccr)
            .unwrap();
        card.cred_id = reply.raw_id.to_vec();
        card.call("/api/auth/complete_enrollment", json!({ "reply": reply }))
            .await;
        let res = card.call("/api/auth/begin_sign_in", json!({})).await;
        let rcr: RequestChallengeResponse = res.json().await.unwrap();
        let answer = card.answer(rcr);
        card.call("/api/auth/complete_sign_in", json!({ "reply": answer }))
            .await;
        card
    }

    /// A fresh card check for `purpose` in this card's session.
    pub async fn check(&mut self, purpose: &str) {
        let res = self
            .call("/api/auth/begin_step_up", json!({ "purpose": purpose }))
            .await;
        let rcr: RequestChallengeResponse = res.json().await.unwrap();
        let answer = self.answer(rcr);
        self.call("/api/auth/complete_step_up", json!({ "reply": answer }))
            .await;
    }

    /// The session's Cookie header.
    pub fn cookie(&self) -> String {
        use reqwest::cookie::CookieStore;
        self.jar
            .cookies(&self.origin)
            .expect("signed in: a session cookie")
            .to_str()
            .unwrap()
            .to_owned()
    }

    /// POSTs a form as the pages do (same origin); the answer must be a redirect.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let res = self
            .client
            .post(self.origin.join(path).unwrap())
            .header("origin", self.origin.as_str().trim_end_matches('/'))
            .form(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "{path}: {}", res.text().await.unwrap());
        res
    }

    /// Answers sign-in options (the software token keeps no resident key, so the credential
    /// id and user handle are supplied here as a card would).
    fn answer(&mut self, mut rcr: RequestChallengeResponse) -> Value {
        if rcr.public_key.allow_credentials.is_empty() {
            rcr.public_key.allow_credentials = vec![webauthn_rs_proto::AllowCredentials {
                type_: "public-key".into(),
                id: self.cred_id.clone(),
                transports: None,
            }];
        }
        let mut answer = self
            .token
            .lock()
            .unwrap()
            .do_authentication(self.origin.clone(), rcr)
            .unwrap();
        answer.response.user_handle = Some(self.handle.clone());
        serde_json::to_value(answer).unwrap()
    }

    async fn call(&self, path: &str, body: Value) -> reqwest::Response {
        let res = self
            .client
            .post(self.origin.join(path).unwrap())
            .header("origin", self.origin.as_str().trim_end_matches('/'))
            .json(&body)
            .send()
            .await
            .unwrap();
        if res.status() != 200 {
            panic!("{path}: {} {}", res.status(), res.text().await.unwrap());
        }
        res
    }
}

/// The patient's current insured number as typed on the enrollment page (`I:S:N:B`).
pub async fn current_member(db: &Db, patient: PatientId) -> String {
    let (a, b, c, d) = insured(db, patient).await;
    format!("{a}:{b}:{c}:{d}")
}

/// The four parts of the patient's current insured number.
pub async fn insured(db: &Db, patient: PatientId) -> (String, String, String, String) {
    let sql = "SELECT insurer_number, COALESCE(symbol, ''), member_number, COALESCE(branch, '')
               FROM coverages WHERE patient_id = $1 AND valid_to IS NULL";
    portal::on_db!(db, p => {
        sqlx::query_as(sql).bind(patient.0).fetch_one(p).await.unwrap()
    })
}

/// Every patient with a current insured number (welfare medical aid recipients have a payer
/// and recipient number instead), in id order.
pub async fn insured_patients(db: &Db) -> Vec<PatientId> {
    let sql = "SELECT patient_id FROM coverages
               WHERE valid_to IS NULL AND insurer_number IS NOT NULL ORDER BY patient_id";
    let ids: Vec<i64> = portal::on_db!(db, p => {
        sqlx::query_scalar(sql).fetch_all(p).await.unwrap()
    });
    ids.into_iter().map(PatientId).collect()
}

/// Sorted durations' median, 99th percentile and mean, in milliseconds.
pub fn summary(times: &mut [std::time::Duration]) -> (f64, f64, f64) {
    times.sort();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let mean = times.iter().sum::<std::time::Duration>() / u32::try_from(times.len()).unwrap();
    (
        ms(times[times.len() / 2]),
        ms(times[times.len() * 99 / 100]),
        ms(mean),
    )
}
