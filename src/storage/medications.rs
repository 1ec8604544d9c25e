//! The patient's dispensing history, the one source for the medications page's list, timeline
//! and duplicate hints.

use super::disputes::NOT_DISPUTED_MEDICATION;
use super::patients::PatientId;
use super::{Db, StorageError, enum_from_db};
use crate::domain::institution::InstitutionCode;
use crate::domain::institution::InstitutionRef;
use crate::domain::medication::{DrugCode, MedicationRecord};
use crate::on_db;
use chrono::{DateTime, NaiveDate, Utc};

/// One dispensing with the names of the institutions involved.
#[derive(Debug, Clone, PartialEq)]
pub struct Dispensing {
    pub id: i64,
    pub record: MedicationRecord,
    pub dispenser: InstitutionRef,
    pub prescriber: Option<InstitutionRef>,
    pub loaded_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow, serde::Deserialize)]
struct Row {
    id: i64,
    dispensed_on: NaiveDate,
    drug_code: String,
    drug_name: String,
    strength: String,
    dose_per_day: Option<f64>,
    days_supplied: i32,
    quantity: f64,
    unit: String,
    route: String,
    generic: bool,
    source: String,
    loaded_at: DateTime<Utc>,
    d_code: String,
    d_name: String,
    d_name_en: String,
    p_code: Option<String>,
    p_name: Option<String>,
    p_name_en: Option<String>,
}

/// Every dispensing of the patient, newest first, leaving out records reported as not theirs.
/// A patient has at most a few thousand over ten years, so the page filters, pages and groups them in memory from this one read.
///
/// On SQLite the rows come back as one JSON array: sqlx hands each row of a result from the
/// database's thread to the caller's task on its own, which for ten years of dispensings
/// (2,500 rows) cost about 30 ms, while SQLite builds the array and serde reads it in a few.
pub async fn history(db: &Db, patient: PatientId) -> Result<Vec<Dispensing>, StorageError> {
    let mut rows: Vec<Row> = match db {
        Db::Sqlite(p) => {
            let sql = format!(
                "SELECT json_group_array(json_object(
                    'id', id, 'dispensed_on', dispensed_on, 'drug_code', drug_code,
                    'drug_name', drug_name, 'strength', strength, 'dose_per_day', dose_per_day,
                    'days_supplied', days_supplied, 'quantity', quantity, 'unit', unit,
                    'route', route, 'generic', json(CASE WHEN generic THEN 'true' ELSE 'false' END),
                    'source', source, 'loaded_at', loaded_at, 'd_code', d_code, 'd_name', d_name,
                    'd_name_en', d_name_en, 'p_code', p_code, 'p_name', p_name,
                    'p_name_en', p_name_en))
                FROM ({})",
                select("", "")
            );
            let json: String = sqlx::query_scalar(&sql)
                .bind(patient.0)
                .fetch_one(p)
                .await?;
            serde_json::from_str(&json)
                .map_err(|e| StorageError::Corrupt(format!("medications of {}: {e}", patient.0)))?
        }
        Db::Postgres(p) => {
            let sql = select("", "");
            sqlx::query_as(&sql).bind(patient.0).fetch_all(p).await?
        }
    };
    // Newest first; sorted here because an aggregate does not promise its input's order.
    rows.sort_unstable_by_key(|r| std::cmp::Reverse((r.dispensed_on, r.id)));
    rows.into_iter().map(dispensing).collect()
}

/// The dispensings from `from` to `to` (both included), newest first, leaving out records
/// reported as not theirs: an institution's window, read through the date index.
pub async fn between(
    db: &Db,
    patient: PatientId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Dispensing>, StorageError> {
    let sql = select(
        "AND m.dispensed_on BETWEEN $2 AND $3",
        "ORDER BY m.dispensed_on DESC, m.id DESC",
    );
    let rows: Vec<Row> = on_db!(db, p => {
        sqlx::query_as(&sql).bind(patient.0).bind(from).bind(to).fetch_all(p).await?
    });
    rows.into_iter().map(dispensing).collect()
}

/// The most recent dispensing, for the home page.
pub async fn latest(db: &Db, patient: PatientId) -> Result<Option<Dispensing>, StorageError> {
    let sql = select("", "ORDER BY m.dispensed_on DESC, m.id DESC LIMIT 1");
    let row: Option<Row> =
        on_db!(db, p => sqlx::query_as(&sql).bind(patient.0).fetch_optional(p).await?);
    row.map(dispensing).transpose()
}

fn select(filter: &str, order: &str) -> String {
    format!(
        "SELECT m.id, m.dispensed_on, m.drug_code, m.drug_name, m.strength,
            m.dose_per_day, m.days_supplied, m.quantity, m.unit, m.route, m.generic, m.source,
            m.loaded_at, d.code AS d_code, d.name AS d_name, d.name_en AS d_name_en,
            pr.code AS p_code, pr.name AS p_name, pr.name_en AS p_name_en
        FROM medications m
        JOIN institutions d ON d.code = m.dispenser_code
        LEFT JOIN institutions pr ON pr.code = m.prescriber_code
        WHERE m.patient_id = $1 AND {NOT_DISPUTED_MEDICATION} {filter}
        {order}"
    )
}

fn dispensing(r: Row) -> Result<Dispensing, StorageError> {
    let corrupt = |what: &str| StorageError::Corrupt(format!("medication {}: {what}", r.id));
    let dispenser_code = InstitutionCode::parse(&r.d_code).map_err(|_| corrupt("dispenser"))?;
    let prescriber_code = r
        .p_code
        .as_deref()
        .map(InstitutionCode::parse)
        .transpose()
        .map_err(|_| corrupt("prescriber"))?;
    let record = MedicationRecord {
        dispensed_on: r.dispensed_on,
        dispenser: dispenser_code,
        prescriber: prescriber_code,
        drug_name: r.drug_name.clone(),
        drug_code: DrugCode::parse(&r.drug_code).map_err(|_| corrupt("drug code"))?,
        strength: r.strength.clone(),
        dose_per_day: r.dose_per_day,
        days_supplied: u16::try_from(r.days_supplied).map_err(|_| corrupt("days supplied"))?,
        quantity: r.quantity,
        unit: r.unit.clone(),
        route: enum_from_db(&r.route)?,
        generic: r.generic,
        source: enum_from_db(&r.source)?,
    };
    let prescriber = InstitutionRef::joined(r.p_code, r.p_name, r.p_name_en);
    Ok(Dispensing {
        id: r.id,
        record,
        dispenser: InstitutionRef {
            code: r.d_code,
            name: r.d_name,
            name_en: r.d_name_en,
        },
        prescriber,
        loaded_at: r.loaded_at,
    })
}
