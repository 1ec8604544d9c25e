//! The institution API under load (issue 10 item 7). Not part of the test suite or CI;
//! `scripts/bench.sh` runs it and docs/performance.md keeps the figures.
//!
//! Set-up, on each engine: the demo data (six patients, five years), each patient with an
//! insured number (four; the two on welfare medical aid have none) signed in
//! with a software card over HTTP, granting every kind of data to each of the 20 demo
//! institutions until revoked (a card check per consent, as on the consent page: 80 consents),
//! and `CREDENTIALS` institution credentials issued as the operator command issues them.
//!
//! `cargo bench --features ssr --bench institution_api` prints, per engine (SQLite; PostgreSQL
//! too when `BENCH_POSTGRES_URL` is set):
//! - the consent check plus the durable log append (`consents::decide_and_log`, one
//!   transaction) for an allowed read, sequentially, median, p99 and mean;
//! - a whole API read through the router in process (credential, number, consents, records,
//!   decision and log entry, JSON), per kind.
//!
//! `... --bench institution_api -- serve ENGINE ADDR SCRIPT` serves the same portal on ADDR
//! and writes a wrk script to SCRIPT that sends each request with a random credential for a
//! random patient.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::body::Body;
use axum::http::{Request, header};
use portal::domain::access_log::{Action, ActorKind, Entry, Outcome};
use portal::domain::consent::DataKind;
use portal::storage::patients::PatientId;
use std::fmt::Write as _;
use std::time::{Duration, Instant};
use support::{Card, Served};
use tower::ServiceExt;
use webauthn_authenticator_rs::softtoken::SoftToken;

/// Credentials issued, spread over the institutions. The limit is 120 calls a minute per
/// credential (a reception terminal); a run of about a minute at several thousand calls a second
/// needs a few thousand terminals calling at once so that no call is refused for the limit.
const CREDENTIALS: usize = 4000;
const RUNS: usize = 2000;
const KINDS: [DataKind; 4] = [
    DataKind::Qualification,
    DataKind::Medications,
    DataKind::Checkups,
    DataKind::CostNotices,
];

struct Setup {
    served: Served,
    patients: Vec<PatientId>,
    institutions: Vec<portal::storage::institutions::Institution>,
    /// Bearer tokens, each with its institution's index.
    tokens: Vec<(usize, String)>,
    /// Each patient's lookup body (insured number and today's visit).
    bodies: Vec<String>,
    _dir: Option<tempfile::TempDir>,
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let site_root = std::env::var("SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    if let Some(i) = args.iter().position(|a| a == "serve") {
        let (engine, addr, script) = (&args[i + 1], &args[i + 2], &args[i + 3]);
        portal::logging::init(portal::config::LogFormat::Text);
        let listener = tokio::net::TcpListener::bind(addr.as_str()).await.unwrap();
        let setup = set_up(engine, &site_root, listener).await;
        // Whole or not at all: scripts/bench.sh starts wrk once the file is there.
        let part = format!("{script}.part");
        std::fs::write(&part, wrk_script(&setup)).unwrap();
        std::fs::rename(&part, script).unwrap();
        println!("serving {engine} on {addr}; wrk script in {script}");
        std::future::pending::<()>().await;
    }
    let mut engines = vec!["sqlite"];
    if std::env::var_os("BENCH_POSTGRES_URL").is_some() {
        engines.push("postgres");
    }
    for engine in engines {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let setup = set_up(engine, &site_root, listener).await;
        println!("\n{engine}: {RUNS} sequential calls each, after 100 to warm up; ms");
        println!("what\tmedian\tp99\tmean\trecords per answer");
        let (p50, p99, mean) = support::summary(&mut check_and_append(&setup).await);
        println!("consent check + log append\t{p50:.3}\t{p99:.3}\t{mean:.3}\t-");
        for kind in KINDS {
            let (mut times, records) = api_reads(&setup, kind).await;
            let (p50, p99, mean) = support::summary(&mut times);
            println!(
                "API read {}\t{p50:.3}\t{p99:.3}\t{mean:.3}\t{records:.0}",
                kind.as_str()
            );
        }
    }
}

/// The demo portal on `listener` with every patient's consents and the credentials.
async fn set_up(engine: &str, site_root: &str, listener: tokio::net::TcpListener) -> Setup {
    let (db, dir) = support::demo_db(engine).await;
    let served = support::serve(
        db.clone(),
        site_root,
        listener,
        portal::auth::ceremony::CardPolicy::Dev,
    )
    .await;
    let patients = support::insured_patients(&db).await;
    let codes: Vec<String> = portal::on_db!(&db, p => {
        sqlx::query_scalar("SELECT code FROM institutions ORDER BY code")
            .fetch_all(p)
            .await
            .unwrap()
    });
    let mut institutions = Vec::new();
    for code in &codes {
        let found = portal::storage::institutions::by_code(&db, code).await;
        institutions.push(found.unwrap().unwrap());
    }
    for &patient in &patients {
        let (token, _ca) = SoftToken::new(true).unwrap();
        let mut card = Card::enroll(&served, token, patient).await;
        for code in &codes {
            card.check("change_consent").await;
            let form = [
                ("action", "grant"),
                ("institution", code.as_str()),
                ("k_qualification", "on"),
                ("k_medications", "on"),
                ("k_checkups", "on"),
                ("k_cost_notices", "on"),
                ("period", "until_revoked"),
            ];
            let res = card.post_form("/consents", &form).await;
            let to = res.headers()["location"].to_str().unwrap();
            assert!(to.contains("done=granted"), "{to}");
        }
    }
    let mut tokens = Vec::with_capacity(CREDENTIALS);
    for n in 0..CREDENTIALS {
        let i = n % codes.len();
        let (_, token) = portal::institution_api::credentials::issue(
            &db,
            &codes[i],
            &format!("terminal {n}"),
            support::demo_now(),
            &mut rand::rng(),
        )
        .await
        .unwrap();
        tokens.push((i, token));
    }
    let mut bodies = Vec::new();
    for &patient in &patients {
        let (insurer, symbol, number, branch) = support::insured(&db, patient).await;
        let body = serde_json::json!({
            "insured": { "insurer": insurer, "symbol": symbol, "number": number, "branch": branch },
            "visit_date": served.today,
        });
        bodies.push(body.to_string());
    }
    Setup {
        served,
        patients,
        institutions,
        tokens,
        bodies,
        _dir: dir,
    }
}

/// The decision and its log entry alone, as an allowed read makes them.
async fn check_and_append(setup: &Setup) -> Vec<Duration> {
    let db = &setup.served.db;
    let mut times = Vec::with_capacity(RUNS);
    for run in 0..RUNS + 100 {
        let patient = setup.patients[run % setup.patients.len()];
        let institution = &setup.institutions[run % setup.institutions.len()];
        let kind = KINDS[run % KINDS.len()];
        let now = portal::domain::clock::Clock::now(&*setup.served.clock);
        let start = Instant::now();
        let decided = portal::storage::consents::decide_and_log(
            db,
            patient,
            &institution.code,
            kind,
            setup.served.today,
            now,
            |decided| {
                let mut e = Entry::new(now, ActorKind::Institution, Action::Read, Outcome::Allowed);
                e.actor_code = Some(institution.code.clone());
                e.actor_name = Some(institution.name.clone());
                e.data_kind = Some(kind);
                e.records = Some(50);
                e.consent_id = match decided {
                    Ok(portal::domain::emergency::Basis::Consent(id)) => Some(id),
                    _ => None,
                };
                e.detail = r#"{"visit_date":"2026-11-20","credential":"bench"}"#.into();
                (e, decided)
            },
        )
        .await
        .unwrap();
        if run >= 100 {
            times.push(start.elapsed());
        }
        assert!(decided.outcome.is_ok(), "every pair has a consent");
    }
    times
}

/// Whole API reads of `kind` through the router in process, a different credential and
/// patient each time; returns the times and the mean number of records per answer.
async fn api_reads(setup: &Setup, kind: DataKind) -> (Vec<Duration>, f64) {
    let path = format!(
        "{}{}",
        portal::institution_api::PREFIX,
        portal::institution_api::path_of(kind)
    );
    let mut times = Vec::with_capacity(RUNS);
    let mut records = 0usize;
    let offset = KINDS.iter().position(|k| *k == kind).unwrap() * (RUNS + 100);
    for run in 0..RUNS + 100 {
        let (_, token) = &setup.tokens[(offset + run) % setup.tokens.len()];
        let body = &setup.bodies[run % setup.bodies.len()];
        let req = Request::post(&path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.clone()))
            .unwrap();
        let start = Instant::now();
        let res = setup.served.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        if run >= 100 {
            times.push(start.elapsed());
        }
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        let answer: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        // An array of records, or the one qualification (an object) or none.
        records += match &answer["records"] {
            serde_json::Value::Array(list) => list.len(),
            serde_json::Value::Object(_) => 1,
            _ => 0,
        };
    }
    #[allow(clippy::cast_precision_loss)]
    let mean = records as f64 / (RUNS + 100) as f64;
    (times, mean)
}

/// A wrk script sending every (credential, patient) pair's request at random; the path is the
/// URL's given to wrk.
fn wrk_script(setup: &Setup) -> String {
    let mut s = String::from("-- written by benches/institution_api.rs\nlocal tokens = {\n");
    for (_, token) in &setup.tokens {
        let _ = writeln!(s, "  \"{token}\",");
    }
    s.push_str("}\nlocal bodies = {\n");
    for body in &setup.bodies {
        let _ = writeln!(s, "  [[{body}]],");
    }
    s.push_str(
        r#"}
local requests = {}
function init(args)
  math.randomseed(os.time() + os.clock() * 1000000)
  for _, token in ipairs(tokens) do
    for _, body in ipairs(bodies) do
      requests[#requests + 1] = wrk.format("POST", wrk.path, {
        ["Authorization"] = "Bearer " .. token,
        ["Content-Type"] = "application/json",
      }, body)
    end
  end
end
function request()
  return requests[math.random(#requests)]
end
"#,
    );
    s
}
