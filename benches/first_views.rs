//! First views of many patients (issue 14 item 1): the traffic a national portal really gets,
//! millions of patients each opening a few pages once, instead of one patient's page answered
//! again and again from memory. Not part of the test suite or CI; `scripts/bench.sh` (part
//! `first-views`) runs it and docs/performance.md keeps the figures.
//!
//! `cargo bench --features ssr --bench first_views -- serve ADDR SESSIONS_FILE` serves the
//! portal's own router on ADDR over a SQLite file holding `PATIENTS` demo patients (default
//! 10,000; the first six are the personas, the sixth has ten years of records) and writes one
//! session cookie per patient to SESSIONS_FILE, each made by the real enrollment and card
//! sign-in over HTTP with a software card (from its own client address, as patients sign in
//! from their own networks; the sign-in limits per address stay on). Every second it writes
//! the records cache's hits and misses to `SESSIONS_FILE.cache`. `RECORDS_CACHE_ENTRIES=0`
//! serves with the records caches off, so the cold path is measured on its own.
//!
//! The imported database is kept as a template in `target/bench/` (importing 10,000 patients
//! takes minutes) and copied for each run, so every run starts from the same data with no
//! session.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use futures::StreamExt;
use portal::storage::{Db, DbTarget};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Enrollments and sign-ins made at once while preparing the sessions.
const SIGN_INS_AT_ONCE: usize = 8;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(i) = args.iter().position(|a| a == "serve") else {
        eprintln!("usage: first_views serve ADDR SESSIONS_FILE (scripts/bench.sh runs it)");
        return;
    };
    let addr: SocketAddr = args[i + 1].parse().expect("serve ADDR SESSIONS_FILE");
    let sessions_file = PathBuf::from(&args[i + 2]);
    let patients: usize = std::env::var("PATIENTS")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(10_000);
    let site_root = std::env::var("SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    portal::logging::init(portal::config::LogFormat::Text);

    let template = template_db(patients).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("portal.db");
    std::fs::copy(&template, &file).unwrap();
    let db = Db::connect(&DbTarget::parse(&format!("sqlite:{}", file.display())).unwrap())
        .await
        .unwrap();

    let (token, policy) = support::software_card();
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
    let served = support::serve(db, &site_root, listener, policy).await;

    let started = Instant::now();
    // Patients on welfare medical aid enroll with their aid ticket; the bench uses the
    // insured number, so they (a few in a hundred) take no part.
    let ids = support::insured_patients(&served.db).await;
    let token = Arc::new(std::sync::Mutex::new(token));
    let cookies: Vec<String> = futures::stream::iter(ids.into_iter().enumerate())
        .map(|(n, patient)| {
            let served = &served;
            let token = token.clone();
            async move {
                // 10.x.y.z: one address per patient, so the per-address limits see what they
                // would see in production.
                let from = format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255);
                support::Card::enroll_shared(served, token, patient, Some(from))
                    .await
                    .cookie()
            }
        })
        .buffer_unordered(SIGN_INS_AT_ONCE)
        .collect()
        .await;
    eprintln!(
        "{} patients signed in with their cards in {:.0} s",
        cookies.len(),
        started.elapsed().as_secs_f64()
    );

    let stats = PathBuf::from(format!("{}.cache", sessions_file.display()));
    let cache = served.records_cache.clone();
    tokio::spawn(async move {
        loop {
            let (hits, misses) = cache.counts();
            let _ = std::fs::write(&stats, format!("{hits} {misses}\n"));
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        }
    });
    // Written last: the script waits for this file before it starts measuring.
    std::fs::write(&sessions_file, cookies.join("\n") + "\n").unwrap();
    println!(
        "serving {patients} patients on {addr}; sessions in {}",
        sessions_file.display()
    );
    std::future::pending::<()>().await;
}

/// The SQLite file with `patients` demo patients (five years each, the heavy persona ten),
/// imported once and kept in `target/bench/`.
async fn template_db(patients: usize) -> PathBuf {
    let dir = Path::new(&std::env::var("BENCH_DB_DIR").unwrap_or_else(|_| "target/bench".into()))
        .to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("first-views-{patients}.db"));
    if file.exists() {
        return file;
    }
    let started = Instant::now();
    let partial = dir.join(format!("first-views-{patients}.db.partial"));
    let _ = std::fs::remove_file(&partial);
    let db = Db::connect(&DbTarget::parse(&format!("sqlite:{}", partial.display())).unwrap())
        .await
        .unwrap();
    db.migrate().await.unwrap();
    let rows = support::load_demo(&db, patients).await;
    if let Db::Sqlite(pool) = &db {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(pool)
            .await
            .unwrap();
    }
    db.close().await;
    std::fs::rename(&partial, &file).unwrap();
    eprintln!(
        "imported {patients} patients ({rows} rows) in {:.0} s into {}",
        started.elapsed().as_secs_f64(),
        file.display()
    );
    file
}
