//! Importing one insurer feed file: read, validate every row, then write all of it in one
//! transaction or nothing. Rows already present are skipped, so the same file imported twice
//! changes nothing.

use crate::domain::clock::Clock;
use crate::feed::{self, FeedError, FeedKind, RowError};
use crate::storage::import::{ImportMeta, WriteError};
use crate::storage::{Db, StorageError};
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Feed(#[from] FeedError),
    #[error("{} bad rows", .0.len())]
    Rows(Vec<RowError>),
    #[error("{0}")]
    Storage(#[from] StorageError),
}

impl ImportError {
    /// The row-level problems, in file order.
    pub fn row_errors(&self) -> &[RowError] {
        match self {
            Self::Rows(rows) => rows,
            _ => &[],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub file: String,
    pub kind: FeedKind,
    pub rows: usize,
    /// Rows that were new; the rest were already there.
    pub inserted: u64,
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} {} rows read, {} new, {} already present",
            self.file,
            self.rows,
            self.kind.as_str(),
            self.inserted,
            u64::try_from(self.rows)
                .unwrap_or(u64::MAX)
                .saturating_sub(self.inserted)
        )
    }
}

pub async fn import_bytes(
    db: &Db,
    clock: &dyn Clock,
    file: &str,
    bytes: &[u8],
    kind: Option<FeedKind>,
) -> Result<ImportReport, ImportError> {
    let rows = feed::read(bytes, kind)?;
    let count = rows.rows.len();
    let kind = rows.kind;
    let valid = feed::validate::validate(&rows).map_err(ImportError::Rows)?;
    let meta = ImportMeta {
        file_name: file.rsplit('/').next().unwrap_or(file).to_owned(),
        sha256: hex::encode(Sha256::digest(bytes)),
        loaded_at: clock.now(),
        row_count: count,
    };
    let inserted = match crate::storage::import::write(db, &valid, &meta).await {
        Ok(n) => n,
        Err(WriteError::Rows(errors)) => return Err(ImportError::Rows(errors)),
        Err(WriteError::Storage(e)) => return Err(ImportError::Storage(e)),
    };
    tracing::info!(
        kind = kind.as_str(),
        rows = count,
        inserted,
        "feed imported"
    );
    Ok(ImportReport {
        file: file.to_owned(),
        kind,
        rows: count,
        inserted,
    })
}
