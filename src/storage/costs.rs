//! The patient's cost-notice lines: the one source for the costs page's charts, totals,
//! deduction figure and the tax-form export.

use super::disputes::NOT_DISPUTED_COST;
use super::patients::PatientId;
use super::{Db, StorageError, enum_from_db};
use crate::domain::cost::{CareMonth, CostNotice, Yen};
use crate::domain::institution::InstitutionCode;
use crate::domain::institution::InstitutionRef;
use crate::on_db;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq)]
pub struct NoticeLine {
    pub id: i64,
    pub notice: CostNotice,
    pub institution: InstitutionRef,
    pub loaded_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    care_month: String,
    care_type: String,
    days: i32,
    total_yen: i64,
    insurer_paid_yen: i64,
    patient_paid_yen: i64,
    source: String,
    loaded_at: DateTime<Utc>,
    code: String,
    name: String,
    name_en: String,
}

/// Every notice line, oldest month first, leaving out lines reported as not the patient's.
pub async fn notices(db: &Db, patient: PatientId) -> Result<Vec<NoticeLine>, StorageError> {
    let sql = select("", "ORDER BY n.care_month, n.id");
    let rows: Vec<Row> = on_db!(db, p => sqlx::query_as(&sql).bind(patient.0).fetch_all(p).await?);
    rows.into_iter().map(line).collect()
}

/// The lines of the months from `from` to `to` (both included), newest month first: an
/// institution's window, read through the month index.
pub async fn between(
    db: &Db,
    patient: PatientId,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<Vec<NoticeLine>, StorageError> {
    let month = |d: chrono::NaiveDate| d.format("%Y-%m").to_string();
    let sql = select(
        "AND n.care_month BETWEEN $2 AND $3",
        "ORDER BY n.care_month DESC, n.id DESC",
    );
    let rows: Vec<Row> = on_db!(db, p => {
        sqlx::query_as(&sql).bind(patient.0).bind(month(from)).bind(month(to)).fetch_all(p).await?
    });
    rows.into_iter().map(line).collect()
}

/// The line of the latest month, for the home page.
pub async fn latest(db: &Db, patient: PatientId) -> Result<Option<NoticeLine>, StorageError> {
    let sql = select("", "ORDER BY n.care_month DESC, n.id DESC LIMIT 1");
    let row: Option<Row> =
        on_db!(db, p => sqlx::query_as(&sql).bind(patient.0).fetch_optional(p).await?);
    row.map(line).transpose()
}

fn select(filter: &str, order: &str) -> String {
    format!(
        "SELECT n.id, n.care_month, n.care_type, n.days, n.total_yen,
            n.insurer_paid_yen, n.patient_paid_yen, n.source, n.loaded_at,
            i.code, i.name, i.name_en
        FROM cost_notices n JOIN institutions i ON i.code = n.institution_code
        WHERE n.patient_id = $1 AND {NOT_DISPUTED_COST} {filter} {order}"
    )
}

fn line(r: Row) -> Result<NoticeLine, StorageError> {
    let corrupt = |what: &str| StorageError::Corrupt(format!("cost notice {}: {what}", r.id));
    let yen = |v: i64| Yen::new(v).map_err(|_| corrupt("amount"));
    Ok(NoticeLine {
        id: r.id,
        notice: CostNotice {
            care_month: CareMonth::parse(&r.care_month).map_err(|_| corrupt("month"))?,
            institution: InstitutionCode::parse(&r.code).map_err(|_| corrupt("institution"))?,
            care_type: enum_from_db(&r.care_type)?,
            days: u16::try_from(r.days).map_err(|_| corrupt("days"))?,
            total: yen(r.total_yen)?,
            insurer_paid: yen(r.insurer_paid_yen)?,
            patient_paid: yen(r.patient_paid_yen)?,
            source: enum_from_db(&r.source)?,
        },
        institution: InstitutionRef {
            code: r.code,
            name: r.name,
            name_en: r.name_en,
        },
        loaded_at: r.loaded_at,
    })
}
