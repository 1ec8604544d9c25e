//! Test support: fresh databases on each engine, demo data, and a running app.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod app;
pub mod card;
pub mod proxy;

/// Declares each named async test of an [`app::App`] twice, `sqlite::name` and
/// `postgres::name`, each with a demo portal on that engine: the HTTP flows that write the
/// most run on both (and count in the storage suite's tally).
#[macro_export]
macro_rules! http_suite {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test]
               async fn $name() { super::$name(super::common::app::spawn_on(false).await).await } )*
        }
        mod postgres {
            $( #[tokio::test]
               async fn $name() { super::$name(super::common::app::spawn_on(true).await).await } )*
        }
    };
}

/// Declares each named async test twice, `sqlite::name` and `postgres::name`, each on a fresh
/// database: the storage suite runs the same tests on both engines (and .ci/test counts them).
#[macro_export]
macro_rules! storage_suite {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() { super::$name(super::common::sqlite().await).await } )*
        }
        mod postgres {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() { super::$name(super::common::postgres().await).await } )*
        }
    };
}

use chrono::{NaiveDate, TimeZone, Utc};

/// How long a test client waits for an answer. A request the server never answers then fails
/// its own test, naming the URL, instead of stalling the whole run until CI's limit.
pub const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_secs(120);

/// Every test's HTTP client starts here (see [`ANSWER_WITHIN`]).
pub fn client() -> reqwest::ClientBuilder {
    reqwest::Client::builder().timeout(ANSWER_WITHIN)
}
use portal::domain::clock::FixedClock;
use portal::storage::{Db, DbTarget};
use sqlx::postgres::PgPoolOptions;
use std::str::FromStr;

/// The day every test lives on, so expiry and "latest" never depend on the real date.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

pub fn clock() -> FixedClock {
    FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 20, 3, 0, 0).unwrap())
}

/// A fresh database; the guard keeps its directory (SQLite) alive for the test.
pub struct TestDb {
    pub db: Db,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let target = DbTarget::parse(&format!("sqlite:{}/portal.db", dir.path().display())).unwrap();
    let db = Db::connect(&target).await.unwrap();
    db.migrate().await.unwrap();
    TestDb {
        db,
        _dir: Some(dir),
    }
}

/// A fresh schema in the PostgreSQL database named by TEST_POSTGRES_URL. The PostgreSQL half
/// of the suite fails, never skips, when that database is unreachable.
pub async fn postgres() -> TestDb {
    let url = std::env::var("TEST_POSTGRES_URL")
        .expect("TEST_POSTGRES_URL must point at a PostgreSQL database (.ci/test sets it)");
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .expect("PostgreSQL is unreachable at TEST_POSTGRES_URL");
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let opts = sqlx::postgres::PgConnectOptions::from_str(&url)
        .unwrap()
        .options([("search_path", schema.as_str())]);
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .connect_with(opts)
        .await
        .unwrap();
    let db = Db::Postgres(pool);
    db.migrate().await.unwrap();
    TestDb { db, _dir: None }
}

/// The demo data of seed 1, six patients, five years up to `today()`.
pub fn demo_files() -> Vec<(portal::feed::FeedKind, &'static str, String)> {
    let data = portal::demo::generate(&portal::demo::DemoConfig {
        seed: 1,
        patients: 6,
        years: 5,
        until: today(),
    });
    data.files()
}

pub async fn load_demo(db: &Db) {
    let clock = clock();
    for (kind, name, json) in demo_files() {
        portal::import::import_bytes(db, &clock, name, json.as_bytes(), Some(kind))
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}: {:?}", e.row_errors()));
    }
}

pub async fn count(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(&sql).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(&sql).fetch_one(p).await.unwrap(),
    }
}

/// The first column of every row a query gives, as text.
pub async fn strings(db: &Db, sql: &str) -> Vec<String> {
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
    }
}

/// Runs one SQL statement on either engine: for changes no import or page makes.
pub async fn exec(db: &Db, sql: &str) {
    try_exec(db, sql).await.unwrap();
}

/// [`exec`] for a statement the database may refuse (a trigger guarding history).
pub async fn try_exec(db: &Db, sql: &str) -> Result<(), sqlx::Error> {
    match db {
        Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(drop),
        Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(drop),
    }
}

pub const TABLES: [&str; 8] = [
    "institutions",
    "patients",
    "coverages",
    "welfare_designations",
    "medications",
    "checkups",
    "checkup_results",
    "cost_notices",
];

pub async fn counts(db: &Db) -> Vec<i64> {
    let mut out = Vec::new();
    for t in TABLES {
        out.push(count(db, t).await);
    }
    out.push(count(db, "imports").await);
    out
}

/// The instant of `clock()`.
pub fn clock_now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 3, 0, 0).unwrap()
}

/// The six demo personas, in order (`DEMO-0001`…`DEMO-0006`).
pub async fn demo_patients(db: &Db) -> Vec<portal::storage::patients::PatientId> {
    let mut ids = Vec::new();
    for n in 1..=6 {
        let key = format!("DEMO-{n:04}");
        if let Some(id) = portal::storage::patients::by_link_key(db, &key)
            .await
            .unwrap()
        {
            ids.push(id);
        }
    }
    ids
}

/// A patient's current insured number in JP Core form, as they would type it.
pub async fn current_member(db: &Db, patient: portal::storage::patients::PatientId) -> String {
    let sql =
        "SELECT COALESCE(insurer_number, ''), COALESCE(symbol, ''), COALESCE(member_number, ''),
            COALESCE(branch, ''), COALESCE(public_payer_number, ''), COALESCE(recipient_number, '')
        FROM coverages WHERE patient_id = $1 AND valid_to IS NULL";
    type Row = (String, String, String, String, String, String);
    let (a, b, c, d, payer, recipient): Row = match db {
        Db::Sqlite(p) => sqlx::query_as(sql)
            .bind(patient.0)
            .fetch_one(p)
            .await
            .unwrap(),
        Db::Postgres(p) => sqlx::query_as(sql)
            .bind(patient.0)
            .fetch_one(p)
            .await
            .unwrap(),
    };
    // Welfare medical aid recipients type the payer and recipient numbers instead.
    if a.is_empty() {
        format!("{payer}:{recipient}")
    } else {
        format!("{a}:{b}:{c}:{d}")
    }
}
