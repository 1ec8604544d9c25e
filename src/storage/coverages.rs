//! A patient's qualifications (insurance or welfare aid), current and past, with the
//! institutions a welfare recipient is designated to.

use super::patients::PatientId;
use super::{Db, StorageError, enum_from_db};
use crate::domain::institution::InstitutionRef;
use crate::domain::insured::PersonalInsuredNumber;
use crate::domain::qualification::{CeilingCategory, InsuranceKind};
use crate::on_db;
use chrono::NaiveDate;

/// One qualification period as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    pub kind: InsuranceKind,
    pub insurer_name: String,
    /// The full number and a masked form for shared screens; welfare aid has a recipient
    /// number instead.
    pub number: String,
    pub number_masked: String,
    pub ceiling: Option<CeilingCategory>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub welfare_office: Option<String>,
    pub designated: Vec<InstitutionRef>,
}

#[derive(sqlx::FromRow)]
struct CoverageRow {
    id: i64,
    kind: String,
    insurer_name: String,
    insurer_number: Option<String>,
    symbol: Option<String>,
    member_number: Option<String>,
    branch: Option<String>,
    public_payer_number: Option<String>,
    recipient_number: Option<String>,
    welfare_office: Option<String>,
    ceiling_category: Option<String>,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
}

pub async fn current(
    db: &Db,
    patient: PatientId,
    today: NaiveDate,
) -> Result<Option<Coverage>, StorageError> {
    let sql = format!(
        "SELECT {COVERAGE_COLUMNS} FROM coverages
         WHERE patient_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $2)
         ORDER BY valid_from DESC LIMIT 1"
    );
    let row: Option<CoverageRow> = on_db!(db, p => {
        sqlx::query_as(&sql).bind(patient.0).bind(today).fetch_optional(p).await?
    });
    match row {
        Some(r) => coverage(db, r).await.map(Some),
        None => Ok(None),
    }
}

const COVERAGE_COLUMNS: &str = "id, kind, insurer_name, insurer_number, symbol, member_number,
    branch, public_payer_number, recipient_number, welfare_office, ceiling_category, valid_from,
    valid_to";

/// Every qualification the patient has had, newest first: numbers change with insurers.
pub async fn history(db: &Db, patient: PatientId) -> Result<Vec<Coverage>, StorageError> {
    let sql = format!(
        "SELECT {COVERAGE_COLUMNS} FROM coverages WHERE patient_id = $1
         ORDER BY valid_from DESC, id DESC"
    );
    let rows: Vec<CoverageRow> =
        on_db!(db, p => sqlx::query_as(&sql).bind(patient.0).fetch_all(p).await?);
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(coverage(db, r).await?);
    }
    Ok(out)
}

async fn coverage(db: &Db, r: CoverageRow) -> Result<Coverage, StorageError> {
    let (number, number_masked) = match (&r.insurer_number, &r.member_number) {
        (Some(ins), Some(num)) => {
            let parsed = PersonalInsuredNumber::parse_parts(
                ins,
                r.symbol.as_deref().unwrap_or_default(),
                num,
                r.branch.as_deref().unwrap_or_default(),
            )
            .map_err(|e| StorageError::Corrupt(format!("coverage {}: {}", r.id, e.code())))?;
            (parsed.to_string(), parsed.masked())
        }
        _ => {
            let payer = r.public_payer_number.clone().unwrap_or_default();
            let recipient = r.recipient_number.clone().unwrap_or_default();
            let shown = recipient.len().saturating_sub(2);
            let masked = format!("{payer}:{}{}", "*".repeat(shown), &recipient[shown..]);
            (format!("{payer}:{recipient}"), masked)
        }
    };
    let designated: Vec<InstitutionRef> = on_db!(db, p => {
        sqlx::query_as(
            "SELECT i.code, i.name, i.name_en FROM welfare_designations d
             JOIN institutions i ON i.code = d.institution_code
             WHERE d.coverage_id = $1 ORDER BY i.code",
        )
        .bind(r.id)
        .fetch_all(p)
        .await?
    })
    .into_iter()
    .map(
        |(code, name, name_en): (String, String, String)| InstitutionRef {
            code,
            name,
            name_en,
        },
    )
    .collect();
    Ok(Coverage {
        kind: enum_from_db(&r.kind)?,
        insurer_name: r.insurer_name,
        number,
        number_masked,
        ceiling: r
            .ceiling_category
            .as_deref()
            .map(enum_from_db)
            .transpose()?,
        valid_from: r.valid_from,
        valid_to: r.valid_to,
        welfare_office: r.welfare_office,
        designated,
    })
}
