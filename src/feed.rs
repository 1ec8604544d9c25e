//! Insurer feed files: reading JSON and CSV (UTF-8 or Shift_JIS) into raw rows that remember
//! where they came from, so every bad field can be reported by line and name.

pub mod decode;
pub mod rows;
pub mod validate;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What one feed file carries; one kind per file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedKind {
    Institutions,
    Persons,
    Medications,
    Checkups,
    Costs,
}

impl FeedKind {
    pub const ALL: [FeedKind; 5] = [
        Self::Institutions,
        Self::Persons,
        Self::Medications,
        Self::Checkups,
        Self::Costs,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Institutions => "institutions",
            Self::Persons => "persons",
            Self::Medications => "medications",
            Self::Checkups => "checkups",
            Self::Costs => "costs",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// Columns that identify the kind of a CSV file whose kind was not given.
    fn signature_column(self) -> &'static str {
        match self {
            Self::Institutions => "name_en",
            Self::Persons => "link_key",
            Self::Medications => "drug_code",
            Self::Checkups => "examined_on",
            Self::Costs => "care_month",
        }
    }
}

/// Where a row sits in its file: a line for CSV, a position in `rows` for JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "at", content = "number", rename_all = "snake_case")]
pub enum RowPosition {
    Line(usize),
    Row(usize),
}

impl std::fmt::Display for RowPosition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Line(n) => write!(f, "line {n}"),
            Self::Row(n) => write!(f, "row {n}"),
        }
    }
}

/// A row before validation: field name to text, empty fields left out.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    pub position: RowPosition,
    pub fields: BTreeMap<String, String>,
}

impl RawRow {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields
            .get(field)
            .map(|s| s.as_str())
            .filter(|s| !s.trim().is_empty())
    }
}

/// One problem in one field of one row, reported to the operator.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RowError {
    pub position: RowPosition,
    pub field: String,
    pub code: String,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}, field {}: {} [{}]",
            self.position, self.field, self.message, self.code
        )
    }
}

/// Why a whole file could not be read; row-level problems are [`RowError`]s instead.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("the file is neither UTF-8 nor Shift_JIS text")]
    Encoding,
    #[error("the JSON is not a feed file: {0}")]
    Json(String),
    #[error("the CSV cannot be read at line {line}: {message}")]
    Csv { line: usize, message: String },
    #[error("the CSV has no header line")]
    NoHeader,
    #[error("the kind of this CSV file cannot be told from its header; pass --kind")]
    UnknownKind,
    #[error("the file says it holds {found} rows but {expected} were asked for")]
    KindMismatch { expected: String, found: String },
    #[error("the file has no rows")]
    Empty,
}

/// A file read into rows of one kind.
#[derive(Debug, Clone)]
pub struct FeedRows {
    pub kind: FeedKind,
    pub rows: Vec<RawRow>,
}

/// Reads a feed file's bytes; `.json` by content (starts with `{`), CSV otherwise.
pub fn read(bytes: &[u8], kind: Option<FeedKind>) -> Result<FeedRows, FeedError> {
    let text = decode::text(bytes)?;
    let parsed = if text.trim_start().starts_with('{') {
        decode::json(&text)?
    } else {
        decode::csv(&text, kind)?
    };
    if let Some(expected) = kind
        && expected != parsed.kind
    {
        return Err(FeedError::KindMismatch {
            expected: expected.as_str().into(),
            found: parsed.kind.as_str().into(),
        });
    }
    if parsed.rows.is_empty() {
        return Err(FeedError::Empty);
    }
    Ok(parsed)
}
