//! The patient's checkups with every result and questionnaire answer: the one source for the
//! checkups page's trends, summary card and verdicts.

use super::disputes::NOT_DISPUTED_CHECKUP;
use super::patients::PatientId;
use super::{Db, StorageError, checkup_value, enum_from_db};
use crate::domain::checkup::{CheckupItem, CheckupKind, CheckupResult, Questionnaire};
use crate::domain::institution::InstitutionRef;
use crate::domain::person::Sex;
use crate::domain::source::RecordSource;
use crate::on_db;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Checkup {
    pub id: i64,
    pub examined_on: NaiveDate,
    pub fiscal_year: i32,
    pub kind: CheckupKind,
    pub place: InstitutionRef,
    pub questionnaire: Questionnaire,
    pub results: Vec<CheckupResult>,
    pub source: RecordSource,
    pub loaded_at: DateTime<Utc>,
}

/// Sex and date of birth: the cut-offs and the guidance rules depend on them.
pub async fn person(db: &Db, patient: PatientId) -> Result<(Sex, NaiveDate), StorageError> {
    let (sex, birth): (String, NaiveDate) = on_db!(db, p => {
        sqlx::query_as("SELECT sex, birth_date FROM patients WHERE id = $1")
            .bind(patient.0)
            .fetch_one(p)
            .await?
    });
    Ok((enum_from_db(&sex)?, birth))
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    examined_on: NaiveDate,
    fiscal_year: i32,
    kind: String,
    fasting: bool,
    on_bp_medication: bool,
    on_glucose_medication: bool,
    on_lipid_medication: bool,
    smoker: bool,
    source: String,
    loaded_at: DateTime<Utc>,
    code: String,
    name: String,
    name_en: String,
}

/// Every checkup, oldest first, with its results in item order, leaving out checkups reported
/// as not the patient's.
pub async fn history(db: &Db, patient: PatientId) -> Result<Vec<Checkup>, StorageError> {
    load(db, patient, "ORDER BY c.examined_on, c.id").await
}

/// The most recent checkup, for the home page.
pub async fn latest(db: &Db, patient: PatientId) -> Result<Option<Checkup>, StorageError> {
    let mut one = load(
        db,
        patient,
        "ORDER BY c.examined_on DESC, c.id DESC LIMIT 1",
    )
    .await?;
    Ok(one.pop())
}

/// The checkups `order` picks, with their results: the results are read for exactly those
/// checkups.
async fn load(db: &Db, patient: PatientId, order: &str) -> Result<Vec<Checkup>, StorageError> {
    let checkups = format!(
        "SELECT c.id, c.examined_on, c.fiscal_year, c.kind, c.fasting,
            c.on_bp_medication, c.on_glucose_medication, c.on_lipid_medication, c.smoker,
            c.source, c.loaded_at, i.code, i.name, i.name_en
        FROM checkups c JOIN institutions i ON i.code = c.institution_code
        WHERE c.patient_id = $1 AND {NOT_DISPUTED_CHECKUP} {order}"
    );
    const RESULTS: &str = "SELECT r.checkup_id, r.item_code, r.value_num, r.value_grade
        FROM checkup_results r JOIN checkups c ON c.id = r.checkup_id
        WHERE c.patient_id = $1";
    let rows: Vec<Row> =
        on_db!(db, p => sqlx::query_as(&checkups).bind(patient.0).fetch_all(p).await?);
    let values: Vec<(i64, String, Option<f64>, Option<String>)> = match rows.as_slice() {
        [] => Vec::new(),
        [one] => {
            let sql = format!("{RESULTS} AND c.id = $2");
            on_db!(db, p => sqlx::query_as(&sql).bind(patient.0).bind(one.id).fetch_all(p).await?)
        }
        _ => on_db!(db, p => sqlx::query_as(RESULTS).bind(patient.0).fetch_all(p).await?),
    };
    let mut by_checkup: BTreeMap<i64, Vec<CheckupResult>> = BTreeMap::new();
    for (checkup_id, code, num, grade) in values {
        let item = CheckupItem::from_code(&code)
            .map_err(|_| StorageError::Corrupt(format!("checkup {checkup_id}: item {code}")))?;
        let value = checkup_value(item, num, grade.as_deref())?;
        let result = CheckupResult::new(item, value)
            .map_err(|e| StorageError::Corrupt(format!("checkup {checkup_id}: {}", e.code())))?;
        by_checkup.entry(checkup_id).or_default().push(result);
    }
    rows.into_iter()
        .map(|r| {
            let mut results = by_checkup.remove(&r.id).unwrap_or_default();
            results.sort_by_key(CheckupResult::item);
            Ok(Checkup {
                id: r.id,
                examined_on: r.examined_on,
                fiscal_year: r.fiscal_year,
                kind: enum_from_db(&r.kind)?,
                place: InstitutionRef {
                    code: r.code,
                    name: r.name,
                    name_en: r.name_en,
                },
                questionnaire: Questionnaire {
                    on_bp_medication: r.on_bp_medication,
                    on_glucose_medication: r.on_glucose_medication,
                    on_lipid_medication: r.on_lipid_medication,
                    smoker: r.smoker,
                    fasting: r.fasting,
                },
                results,
                source: enum_from_db(&r.source)?,
                loaded_at: r.loaded_at,
            })
        })
        .collect()
}
