//! Institutions as the feed lists them: found by code, or searched by name, code or
//! prefecture for the consent page.

use super::{Db, StorageError};
use crate::domain::institution::InstitutionRef;
use crate::on_db;

/// An institution with what the consent page and the API need to know of it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Institution {
    pub code: String,
    pub name: String,
    pub name_en: String,
    /// hospital | clinic | dental_clinic | pharmacy
    pub kind: String,
    /// 01..47
    pub prefecture: String,
}

impl Institution {
    pub fn reference(&self) -> InstitutionRef {
        InstitutionRef {
            code: self.code.clone(),
            name: self.name.clone(),
            name_en: self.name_en.clone(),
        }
    }
}

pub async fn by_code(db: &Db, code: &str) -> Result<Option<Institution>, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_as("SELECT code, name, name_en, kind, prefecture FROM institutions WHERE code = $1")
            .bind(code)
            .fetch_optional(p)
            .await?
    }))
}

/// At most `limit` institutions whose name (either language) contains `text` or whose code
/// starts with it, in `prefecture` when given; by name.
pub async fn search(
    db: &Db,
    text: &str,
    prefecture: Option<&str>,
    limit: i64,
) -> Result<Vec<Institution>, StorageError> {
    // LIKE's own wildcards in what was typed match only themselves.
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    let contains = format!("%{escaped}%");
    let starts = format!("{escaped}%");
    Ok(on_db!(db, p => {
        sqlx::query_as(
            "SELECT code, name, name_en, kind, prefecture FROM institutions
             WHERE ($1 = '' OR name LIKE $2 ESCAPE '\\' OR LOWER(name_en) LIKE LOWER($2) ESCAPE '\\'
                    OR code LIKE $3 ESCAPE '\\')
               AND ($4 IS NULL OR prefecture = $4)
             ORDER BY name, code LIMIT $5",
        )
        .bind(text)
        .bind(&contains)
        .bind(&starts)
        .bind(prefecture)
        .bind(limit)
        .fetch_all(p)
        .await?
    }))
}
