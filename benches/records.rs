//! Server render time of each records page for the ten-year demo patient (persona 6,
//! DEMO-0006), signed in with a software card over HTTP as a browser signs in. Not part of the
//! test suite or CI; `scripts/bench.sh` runs it and docs/performance.md keeps the figures.
//!
//! `cargo bench --features ssr --bench records` prints the render times (in process, through
//! the whole router: session, layers and the streamed HTML to its last byte).
//! `... --bench records -- serve ADDR COOKIE_FILE` serves the same portal on ADDR and writes
//! the session cookie to COOKIE_FILE, for wrk.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::body::Body;
use axum::http::{Request, header};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// The records pages (the home page is the patient's summary of all of them).
const PAGES: [&str; 5] = ["/", "/medications", "/checkups", "/costs", "/insurance"];
const HEAVY_PATIENT: &str = "DEMO-0006";
const RUNS: usize = 200;

struct Portal {
    router: axum::Router,
    cookie: String,
    _dir: Option<tempfile::TempDir>,
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
/// heavy one has ten years) up to a fixed day, and a session for the heavy patient signed in
/// with a software card whose attestation the portal checks as it checks a real card's.
async fn start(site_root: &str, addr: SocketAddr) -> Portal {
    let (db, dir) = support::demo_db("sqlite").await;
    let (token, policy) = support::software_card();
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
    let served = support::serve(db, site_root, listener, policy).await;
    let patient = portal::storage::patients::by_link_key(&served.db, HEAVY_PATIENT)
        .await
        .unwrap()
        .unwrap();
    let card = support::Card::enroll(&served, token, patient).await;
    Portal {
        router: served.router.clone(),
        cookie: card.cookie(),
        _dir: dir,
    }
}
