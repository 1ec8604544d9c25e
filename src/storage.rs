//! The one storage layer: an embedded SQLite file by default, PostgreSQL when the database URL
//! says so. Queries are written once, with `$n` placeholders that both engines accept, and run
//! against whichever pool is configured through [`on_db!`].

pub mod access_log;
pub mod access_reports;
pub mod card_checks;
pub mod cards;
pub mod ceremonies;
pub mod checkups;
pub mod consents;
pub mod cost_corrections;
pub mod costs;
pub mod coverages;
pub mod credentials;
pub mod disputes;
pub mod emergency;
pub mod events;
pub mod import;
pub mod institutions;
pub mod logins;
pub mod medications;
pub mod notices;
pub mod patients;
pub mod proxies;
pub mod receipts;
pub mod records;
pub mod sessions;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

/// Runs the same body against either pool; `$p` is bound to the concrete pool in each arm, so
/// one query text and one set of binds serve both engines.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $p:ident => $body:expr) => {
        match $db {
            $crate::storage::Db::Sqlite($p) => $body,
            $crate::storage::Db::Postgres($p) => $body,
        }
    };
}

/// Opens a transaction that will write. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`): a deferred transaction that reads first and writes later cannot wait for the
/// lock when another writer committed in between, and fails at once with "database is locked"
/// whatever the busy timeout. PostgreSQL's ordinary `BEGIN` has no such problem.
///
/// The transaction dereferences to its connection, so queries take `&mut *tx` on both engines.
pub trait BeginWrite {
    type Database: sqlx::Database;
    type Tx: std::ops::DerefMut<Target = <Self::Database as sqlx::Database>::Connection> + Send;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<Self::Tx, sqlx::Error>> + Send;
}

/// A SQLite write transaction holding its database's turn among this process's writers.
///
/// SQLite has one writer at a time. Writers that meet a held lock wait in SQLite's busy
/// handler, which sleeps in steps growing from 1 to 100 ms and wakes no one when the lock is
/// freed: under load most of a write's latency was those sleeps (docs/performance.md). Writers
/// of this process now queue first on an async lock per database file, in arrival order, and
/// only then begin; SQLite's busy timeout is left for writers of other processes (an import
/// from the command line while the server runs) and for single-statement writes.
pub struct SqliteWrite {
    tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

impl SqliteWrite {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for SqliteWrite {
    type Target = sqlx::SqliteConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for SqliteWrite {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// The writers' queue of the database file this pool opens (one per file in the process).
fn writers_queue(pool: &SqlitePool) -> std::sync::Arc<tokio::sync::Mutex<()>> {
    use std::collections::HashMap;
    use std::sync::{Arc, LazyLock, Mutex, PoisonError};
    static QUEUES: LazyLock<Mutex<HashMap<std::path::PathBuf, Arc<tokio::sync::Mutex<()>>>>> =
        LazyLock::new(Mutex::default);
    let file = pool.connect_options().get_filename().to_path_buf();
    QUEUES
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(file)
        .or_default()
        .clone()
}

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;
    type Tx = SqliteWrite;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<SqliteWrite, sqlx::Error>> + Send {
        let queue = writers_queue(self);
        async move {
            // The turn first, then a connection: a writer waiting for its turn holds none.
            let turn = queue.lock_owned().await;
            let tx = self.begin_with("BEGIN IMMEDIATE").await?;
            Ok(SqliteWrite { tx, _turn: turn })
        }
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;
    type Tx = sqlx::Transaction<'static, sqlx::Postgres>;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<Self::Tx, sqlx::Error>> + Send {
        self.begin()
    }
}

/// How long a writer waits for SQLite's lock before giving up; long enough that concurrent
/// requests queue instead of failing with "database is locked".
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error(
        "DATABASE_URL must start with sqlite: or postgres:// (got a URL starting with {scheme:?})"
    )]
    UnsupportedUrl { scheme: String },
    #[error("the data directory {path} cannot be created or written: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("cannot apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
    /// A stored value no longer parses; it names the row, never the value (it may be personal).
    #[error("stored data does not parse: {0}")]
    Corrupt(String),
}

/// How a member is stored in `coverages`: (insurer or payer number, symbol, member or recipient
/// number, branch), with absent parts as empty strings.
pub fn member_key(m: &crate::domain::qualification::Member) -> (String, String, String, String) {
    use crate::domain::qualification::Member;
    match m {
        Member::Insured(n) => (
            n.insurer().to_jp_core(),
            n.symbol()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            n.number().as_str().to_owned(),
            n.branch()
                .map(|b| b.as_str().to_owned())
                .unwrap_or_default(),
        ),
        Member::Welfare { payer, recipient } => (
            payer.as_str().to_owned(),
            String::new(),
            recipient.as_str().to_owned(),
            String::new(),
        ),
    }
}

/// Enums are stored as their serde names (`insurance_claim`, `outpatient`), the same names the
/// feeds and the API use.
pub fn enum_to_db<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

pub fn enum_from_db<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StorageError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|_| {
        StorageError::Corrupt(format!("unknown value for {}", std::any::type_name::<T>()))
    })
}

/// A stored checkup result back as a domain value.
pub fn checkup_value(
    item: crate::domain::checkup::CheckupItem,
    num: Option<f64>,
    grade: Option<&str>,
) -> Result<crate::domain::checkup::CheckupValue, StorageError> {
    use crate::domain::checkup::{CheckupValue, UrineGrade};
    match (num, grade) {
        (Some(n), _) => Ok(CheckupValue::Number(n)),
        (None, Some(g)) => UrineGrade::parse(g)
            .map(CheckupValue::Urine)
            .map_err(|_| StorageError::Corrupt(format!("checkup item {}", item.code()))),
        (None, None) => Err(StorageError::Corrupt(format!(
            "checkup item {} has no value",
            item.code()
        ))),
    }
}

/// A connection pool on one of the two supported engines.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Which engine a URL selects; parsed before anything is opened so a typo fails clearly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DbTarget {
    SqliteFile(PathBuf),
    SqliteMemory,
    Postgres(String),
}

impl DbTarget {
    pub fn parse(url: &str) -> Result<Self, StorageError> {
        let url = url.trim();
        if url == "sqlite::memory:" {
            return Ok(Self::SqliteMemory);
        }
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.trim_start_matches("//");
            let path = path.split('?').next().unwrap_or(path);
            if path.is_empty() {
                return Err(StorageError::UnsupportedUrl {
                    scheme: "sqlite: without a file path".into(),
                });
            }
            return Ok(Self::SqliteFile(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_string()));
        }
        let scheme = url
            .split(':')
            .next()
            .unwrap_or_default()
            .chars()
            .take(20)
            .collect();
        Err(StorageError::UnsupportedUrl { scheme })
    }

    pub fn engine(&self) -> &'static str {
        match self {
            Self::SqliteFile(_) | Self::SqliteMemory => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }
}

impl Db {
    /// Opens the pool, creating the SQLite file (and its directory) on first start.
    pub async fn connect(target: &DbTarget) -> Result<Self, StorageError> {
        match target {
            DbTarget::SqliteFile(path) => {
                ensure_writable_dir(path.parent().unwrap_or(Path::new(".")))?;
                // Owner-only before SQLite first opens it: SQLite gives the WAL and shared-memory
                // files the database file's own permissions.
                create_owner_only(path).map_err(|source| StorageError::DataDir {
                    path: path.clone(),
                    source,
                })?;
                let opts = sqlite_options(SqliteConnectOptions::new().filename(path))
                    .create_if_missing(true);
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    // A file on this machine does not drop like a network connection; the
                    // ping before each use was a third round trip to the connection's thread
                    // on every query (sqlx still checks each connection when it comes back).
                    .test_before_acquire(false)
                    .connect_with(opts)
                    .await
                    .map_err(StorageError::Connect)?;
                Ok(Self::Sqlite(pool))
            }
            DbTarget::SqliteMemory => {
                // One connection: each in-memory connection would otherwise be its own database.
                let opts = sqlite_options(
                    SqliteConnectOptions::from_str("sqlite::memory:")
                        .map_err(StorageError::Connect)?,
                );
                let pool = SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(opts)
                    .await
                    .map_err(StorageError::Connect)?;
                Ok(Self::Sqlite(pool))
            }
            DbTarget::Postgres(url) => {
                let opts = PgConnectOptions::from_str(url).map_err(StorageError::Connect)?;
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(opts)
                    .await
                    .map_err(StorageError::Connect)?;
                Ok(Self::Postgres(pool))
            }
        }
    }

    pub fn engine(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    /// Applies the migrations of this engine; each backend has its own folder because the
    /// column types differ (TEXT dates on SQLite, DATE and TIMESTAMPTZ on PostgreSQL).
    pub async fn migrate(&self) -> Result<(), StorageError> {
        match self {
            Self::Sqlite(p) => sqlx::migrate!("./migrations/sqlite").run(p).await?,
            Self::Postgres(p) => sqlx::migrate!("./migrations/postgres").run(p).await?,
        }
        Ok(())
    }

    /// True when the database answers and every migration this build knows is applied.
    pub async fn ready(&self) -> Result<bool, StorageError> {
        let expected = match self {
            Self::Sqlite(_) => sqlx::migrate!("./migrations/sqlite").migrations.len(),
            Self::Postgres(_) => sqlx::migrate!("./migrations/postgres").migrations.len(),
        };
        let applied: Result<i64, sqlx::Error> = on_db!(self, p => {
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
                .fetch_one(p)
                .await
        });
        match applied {
            Ok(n) => Ok(usize::try_from(n).unwrap_or(0) >= expected),
            // No migrations table yet: reachable but not ready.
            Err(sqlx::Error::Database(_)) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Copies a consistent snapshot of the SQLite database to `dest` while it stays online.
    pub async fn backup_sqlite(&self, dest: &Path) -> Result<(), StorageError> {
        let Self::Sqlite(pool) = self else {
            return Err(StorageError::UnsupportedUrl {
                scheme: "backup works on SQLite; use pg_dump for PostgreSQL".into(),
            });
        };
        if let Some(dir) = dest.parent() {
            ensure_writable_dir(dir)?;
        }
        // VACUUM INTO fills an empty file and keeps its permissions: owner-only, as the database.
        create_owner_only(dest).map_err(|source| StorageError::DataDir {
            path: dest.to_path_buf(),
            source,
        })?;
        // VACUUM INTO writes a transactionally consistent copy without blocking readers.
        sqlx::query("VACUUM INTO $1")
            .bind(dest.to_string_lossy().into_owned())
            .execute(pool)
            .await?;
        Ok(())
    }

    pub async fn close(&self) {
        on_db!(self, p => p.close().await)
    }
}

fn sqlite_options(opts: SqliteConnectOptions) -> SqliteConnectOptions {
    opts.journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(SQLITE_BUSY_TIMEOUT)
        .foreign_keys(true)
        // sqlx runs SQLite on a worker thread that hands rows over a bounded channel (50 by
        // default). A page that reads a ten-year history (2,500 dispensings) filled it at once,
        // and from then on every row taken woke the blocked worker for the next one: a thread
        // switch per row, most of the medicines page's time (docs/performance.md). A channel
        // that holds a whole history lets the worker run ahead and the reader drain it.
        .row_buffer_size(4096)
}

/// Creates `path` as an empty file readable and writable by its owner only, unless it exists.
/// Health data, keys and codes never sit in files others on the machine can read.
pub fn create_owner_only(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Writes `text` to `path`, created owner-only (an existing file is made owner-only first).
pub fn write_owner_only(path: &Path, text: &str) -> std::io::Result<()> {
    create_owner_only(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    std::fs::write(path, text)
}

/// Creates the directory and proves it is writable, so a read-only mount fails at start with
/// its path instead of at the first write.
pub fn ensure_writable_dir(dir: &Path) -> Result<(), StorageError> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let err = |source| StorageError::DataDir {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(err)?;
    // One probe per process: the server and operator commands (or two of them) may start on
    // the same directory at once, and a shared name lets one remove the other's probe.
    let probe = dir.join(format!(".write-probe-{}", std::process::id()));
    std::fs::write(&probe, b"ok").map_err(err)?;
    std::fs::remove_file(&probe).map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_database_urls() {
        let cases = [
            ("sqlite:data/portal.db", Some("sqlite")),
            ("sqlite://data/portal.db?mode=rwc", Some("sqlite")),
            ("sqlite::memory:", Some("sqlite")),
            ("postgres://u:p@localhost/db", Some("postgres")),
            ("postgresql://localhost/db", Some("postgres")),
            ("mysql://localhost/db", None),
            ("sqlite:", None),
            ("", None),
        ];
        for (url, engine) in cases {
            let got = DbTarget::parse(url).ok().map(|t| t.engine());
            assert_eq!(got, engine, "{url}");
        }
    }

    #[test]
    fn unsupported_url_names_the_scheme_but_not_credentials() {
        let Err(e) = DbTarget::parse("mysql://user:secret@host/db") else {
            panic!("mysql must be refused");
        };
        let msg = e.to_string();
        assert!(msg.contains("mysql"), "{msg}");
        assert!(!msg.contains("secret"), "{msg}");
    }
}
