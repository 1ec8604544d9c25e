//! Writing a validated feed file: one transaction per file, rows matched to patients through the
//! insured-number history, existing rows skipped. If any row cannot be placed (unknown member on
//! that date, unknown institution) the transaction is rolled back and every such row reported.
//!
//! The bodies are macros so the same statements run on SQLite and PostgreSQL transactions,
//! whose types differ.

use super::{BeginWrite, Db, StorageError, enum_to_db, member_key};
use crate::domain::qualification::Member;
use crate::feed::validate::Valid;
use crate::feed::{RowError, RowPosition};
use crate::on_db;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct ImportMeta {
    pub file_name: String,
    pub sha256: String,
    pub loaded_at: DateTime<Utc>,
    pub row_count: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{} rows cannot be placed", .0.len())]
    Rows(Vec<RowError>),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for WriteError {
    fn from(e: sqlx::Error) -> Self {
        Self::Storage(StorageError::Query(e))
    }
}

/// The coverage periods of one member, loaded once per file.
type Periods = Vec<(i64, NaiveDate, Option<NaiveDate>)>;

fn row_error(position: RowPosition, field: &str, code: &str, message: String) -> RowError {
    RowError {
        position,
        field: field.into(),
        code: code.into(),
        message,
    }
}

/// Finds the patient whose coverage for `member` overlaps the days `$from..=$to` (one day for a
/// dispensing or a checkup; the whole month for a cost notice, since a coverage can start
/// mid-month).
macro_rules! resolve {
    ($tx:expr, $cache:expr, $member:expr, $on:expr) => {
        resolve!($tx, $cache, $member, $on, $on)
    };
    ($tx:expr, $cache:expr, $member:expr, $from:expr, $to:expr) => {{
        let key = member_key($member);
        if !$cache.contains_key(&key) {
            let periods: Periods = match $member {
                Member::Insured(_) => sqlx::query_as(
                    "SELECT patient_id, valid_from, valid_to FROM coverages
                     WHERE insurer_number = $1 AND COALESCE(symbol, '') = $2
                       AND member_number = $3 AND COALESCE(branch, '') = $4",
                ),
                Member::Welfare { .. } => sqlx::query_as(
                    "SELECT patient_id, valid_from, valid_to FROM coverages
                     WHERE public_payer_number = $1 AND $2 = '' AND recipient_number = $3 AND $4 = ''",
                ),
            }
            .bind(&key.0)
            .bind(&key.1)
            .bind(&key.2)
            .bind(&key.3)
            .fetch_all(&mut *$tx)
            .await?;
            $cache.insert(key.clone(), periods);
        }
        $cache.get(&key).and_then(|ps: &Periods| {
            ps.iter()
                .find(|(_, from, to)| *from <= $to && to.is_none_or(|t| $from <= t))
                .map(|(id, _, _)| *id)
        })
    }};
}

/// Checks that institution codes exist, loading the known codes once per file.
macro_rules! known_institutions {
    ($tx:expr) => {{
        let codes: Vec<String> = sqlx::query_scalar("SELECT code FROM institutions")
            .fetch_all(&mut *$tx)
            .await?;
        codes
            .into_iter()
            .collect::<std::collections::HashSet<String>>()
    }};
}

macro_rules! write_all {
    ($pool:expr, $valid:expr, $meta:expr) => {{
        let mut tx = $pool.begin_write().await?;
        let mut errors: Vec<RowError> = Vec::new();
        let mut inserted: u64 = 0;
        let import_id: i64 = sqlx::query_scalar(
            "INSERT INTO imports (kind, file_name, file_sha256, row_count, inserted, loaded_at)
             VALUES ($1, $2, $3, $4, 0, $5) RETURNING id",
        )
        .bind($valid.kind().as_str())
        .bind(&$meta.file_name)
        .bind(&$meta.sha256)
        .bind(i64::try_from($meta.row_count).unwrap_or(i64::MAX))
        .bind($meta.loaded_at)
        .fetch_one(&mut *tx)
        .await?;
        let loaded_at = $meta.loaded_at;
        let mut cache: HashMap<(String, String, String, String), Periods> = HashMap::new();
        match $valid {
            Valid::Institutions(rows) => {
                for r in rows {
                    let res = sqlx::query(
                        "INSERT INTO institutions (code, name, name_en, kind, prefecture)
                         VALUES ($1, $2, $3, $4, $5)
                         ON CONFLICT (code) DO UPDATE SET name = excluded.name,
                            name_en = excluded.name_en, kind = excluded.kind
                         WHERE institutions.name <> excluded.name
                            OR institutions.name_en <> excluded.name_en
                            OR institutions.kind <> excluded.kind",
                    )
                    .bind(r.code.as_str())
                    .bind(&r.name)
                    .bind(&r.name_en)
                    .bind(enum_to_db(&r.kind))
                    .bind(r.code.prefecture().as_str())
                    .execute(&mut *tx)
                    .await?;
                    inserted += res.rows_affected();
                }
            }
            Valid::Persons(rows) => {
                let known = known_institutions!(tx);
                for r in rows {
                    for code in &r.designated {
                        if !known.contains(code.as_str()) {
                            errors.push(row_error(r.position, "designated_institutions", "unknown_institution",
                                format!("institution {} is not registered; import institutions first", code.as_str())));
                        }
                    }
                    let existing: Option<i64> =
                        sqlx::query_scalar("SELECT id FROM patients WHERE link_key = $1")
                            .bind(&r.link_key)
                            .fetch_optional(&mut *tx)
                            .await?;
                    let patient_id = match existing {
                        Some(id) => {
                            // Names change (marriage); the feed is the authority on them.
                            let res = sqlx::query(
                                "UPDATE patients SET name = $2, name_kana = $3 WHERE id = $1
                                 AND (name <> $2 OR name_kana <> $3)",
                            )
                            .bind(id)
                            .bind(r.name.as_str())
                            .bind(r.name_kana.as_str())
                            .execute(&mut *tx)
                            .await?;
                            inserted += res.rows_affected();
                            id
                        }
                        None => {
                            inserted += 1;
                            sqlx::query_scalar(
                                "INSERT INTO patients (public_id, link_key, name, name_kana, birth_date, sex, created_at)
                                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                            )
                            .bind(uuid::Uuid::new_v4().to_string())
                            .bind(&r.link_key)
                            .bind(r.name.as_str())
                            .bind(r.name_kana.as_str())
                            .bind(r.birth_date)
                            .bind(enum_to_db(&r.sex))
                            .bind(loaded_at)
                            .fetch_one(&mut *tx)
                            .await?
                        }
                    };
                    let key = member_key(&r.member);
                    let (insured, welfare) = match &r.member {
                        Member::Insured(_) => (true, false),
                        Member::Welfare { .. } => (false, true),
                    };
                    let coverage_id: Option<i64> = sqlx::query_scalar(
                        "INSERT INTO coverages (patient_id, kind, insurer_number, insurer_name, symbol,
                            member_number, branch, public_payer_number, recipient_number, welfare_office,
                            ceiling_category, valid_from, valid_to, loaded_at, import_id)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
                         ON CONFLICT (patient_id, kind, valid_from) DO UPDATE SET valid_to = excluded.valid_to
                         WHERE coverages.valid_to IS DISTINCT FROM excluded.valid_to
                         RETURNING id",
                    )
                    .bind(patient_id)
                    .bind(enum_to_db(&r.kind))
                    .bind(insured.then(|| key.0.clone()))
                    .bind(&r.insurer_name)
                    .bind((insured && !key.1.is_empty()).then(|| key.1.clone()))
                    .bind(insured.then(|| key.2.clone()))
                    .bind((insured && !key.3.is_empty()).then(|| key.3.clone()))
                    .bind(welfare.then(|| key.0.clone()))
                    .bind(welfare.then(|| key.2.clone()))
                    .bind(r.welfare_office.clone())
                    .bind(r.ceiling.map(|c| enum_to_db(&c)))
                    .bind(r.validity.from())
                    .bind(r.validity.to())
                    .bind(loaded_at)
                    .bind(import_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if let Some(cid) = coverage_id {
                        inserted += 1;
                        for code in &r.designated {
                            if known.contains(code.as_str()) {
                                sqlx::query(
                                    "INSERT INTO welfare_designations (coverage_id, institution_code)
                                     VALUES ($1, $2) ON CONFLICT DO NOTHING",
                                )
                                .bind(cid)
                                .bind(code.as_str())
                                .execute(&mut *tx)
                                .await?;
                            }
                        }
                    }
                }
            }
            Valid::Medications(rows) => {
                let known = known_institutions!(tx);
                for r in rows {
                    let patient = resolve!(tx, cache, &r.member, r.record.dispensed_on);
                    let mut ok = check_member(&mut errors, r.position, patient);
                    ok &= check_institution(&mut errors, &known, r.position, "dispenser_code", Some(&r.record.dispenser));
                    ok &= check_institution(&mut errors, &known, r.position, "prescriber_code", r.record.prescriber.as_ref());
                    let (Some(patient), true) = (patient, ok) else { continue };
                    let res = sqlx::query(
                        "INSERT INTO medications (patient_id, record_key, dispensed_on, dispenser_code,
                            prescriber_code, drug_code, drug_name, strength, dose_per_day, days_supplied,
                            quantity, unit, route, generic, source, loaded_at, import_id)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
                         ON CONFLICT (patient_id, record_key) DO NOTHING",
                    )
                    .bind(patient)
                    .bind(&r.record_key)
                    .bind(r.record.dispensed_on)
                    .bind(r.record.dispenser.as_str())
                    .bind(r.record.prescriber.as_ref().map(|c| c.as_str().to_owned()))
                    .bind(r.record.drug_code.as_str())
                    .bind(&r.record.drug_name)
                    .bind(&r.record.strength)
                    .bind(r.record.dose_per_day)
                    .bind(i32::from(r.record.days_supplied))
                    .bind(r.record.quantity)
                    .bind(&r.record.unit)
                    .bind(enum_to_db(&r.record.route))
                    .bind(r.record.generic)
                    .bind(enum_to_db(&r.record.source))
                    .bind(loaded_at)
                    .bind(import_id)
                    .execute(&mut *tx)
                    .await?;
                    inserted += res.rows_affected();
                }
            }
            Valid::Checkups(rows) => {
                let known = known_institutions!(tx);
                for r in rows {
                    let patient = resolve!(tx, cache, &r.member, r.examined_on);
                    let mut ok = check_member(&mut errors, r.position, patient);
                    ok &= check_institution(&mut errors, &known, r.position, "institution_code", Some(&r.institution));
                    let (Some(patient), true) = (patient, ok) else { continue };
                    let q = &r.questionnaire;
                    let id: Option<i64> = sqlx::query_scalar(
                        "INSERT INTO checkups (patient_id, record_key, examined_on, fiscal_year, kind,
                            institution_code, fasting, on_bp_medication, on_glucose_medication,
                            on_lipid_medication, smoker, source, loaded_at, import_id)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                         ON CONFLICT (patient_id, record_key) DO NOTHING RETURNING id",
                    )
                    .bind(patient)
                    .bind(&r.record_key)
                    .bind(r.examined_on)
                    .bind(crate::domain::clock::fiscal_year(r.examined_on))
                    .bind(enum_to_db(&r.kind))
                    .bind(r.institution.as_str())
                    .bind(q.fasting)
                    .bind(q.on_bp_medication)
                    .bind(q.on_glucose_medication)
                    .bind(q.on_lipid_medication)
                    .bind(q.smoker)
                    .bind("checkup_file")
                    .bind(loaded_at)
                    .bind(import_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some(checkup_id) = id else { continue };
                    inserted += 1;
                    for result in &r.results {
                        let (num, grade) = match result.value() {
                            crate::domain::checkup::CheckupValue::Number(n) => (Some(n), None),
                            crate::domain::checkup::CheckupValue::Urine(g) => (None, Some(enum_to_db(&g))),
                        };
                        sqlx::query(
                            "INSERT INTO checkup_results (checkup_id, item_code, value_num, value_grade)
                             VALUES ($1, $2, $3, $4)",
                        )
                        .bind(checkup_id)
                        .bind(result.item().code())
                        .bind(num)
                        .bind(grade)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
            Valid::Costs(rows) => {
                let known = known_institutions!(tx);
                for r in rows {
                    let month = r.notice.care_month;
                    let last = month.first_day() + chrono::Days::new(u64::from(month.days_in_month()) - 1);
                    let patient = resolve!(tx, cache, &r.member, month.first_day(), last);
                    let mut ok = check_member(&mut errors, r.position, patient);
                    ok &= check_institution(&mut errors, &known, r.position, "institution_code", Some(&r.notice.institution));
                    let (Some(patient), true) = (patient, ok) else { continue };
                    let res = sqlx::query(
                        "INSERT INTO cost_notices (patient_id, record_key, care_month, institution_code,
                            care_type, days, total_yen, insurer_paid_yen, patient_paid_yen, source,
                            loaded_at, import_id)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                         ON CONFLICT (patient_id, record_key) DO NOTHING",
                    )
                    .bind(patient)
                    .bind(&r.record_key)
                    .bind(r.notice.care_month.to_string())
                    .bind(r.notice.institution.as_str())
                    .bind(enum_to_db(&r.notice.care_type))
                    .bind(i32::from(r.notice.days))
                    .bind(r.notice.total.value())
                    .bind(r.notice.insurer_paid.value())
                    .bind(r.notice.patient_paid.value())
                    .bind("cost_notice")
                    .bind(loaded_at)
                    .bind(import_id)
                    .execute(&mut *tx)
                    .await?;
                    inserted += res.rows_affected();
                }
            }
        }
        if !errors.is_empty() {
            tx.rollback().await?;
            errors.sort();
            return Err(WriteError::Rows(errors));
        }
        if inserted == 0 {
            // Nothing new: leave no trace, so a re-import changes nothing at all.
            tx.rollback().await?;
        } else {
            sqlx::query("UPDATE imports SET inserted = $2 WHERE id = $1")
                .bind(import_id)
                .bind(i64::try_from(inserted).unwrap_or(i64::MAX))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(inserted)
    }};
}

fn check_member(errors: &mut Vec<RowError>, position: RowPosition, patient: Option<i64>) -> bool {
    if patient.is_none() {
        errors.push(row_error(
            position,
            "member",
            "unknown_member",
            "no person holds this insured number on this date; import the persons feed first"
                .into(),
        ));
    }
    patient.is_some()
}

fn check_institution(
    errors: &mut Vec<RowError>,
    known: &std::collections::HashSet<String>,
    position: RowPosition,
    field: &str,
    code: Option<&crate::domain::institution::InstitutionCode>,
) -> bool {
    match code {
        Some(c) if !known.contains(c.as_str()) => {
            errors.push(row_error(
                position,
                field,
                "unknown_institution",
                format!(
                    "institution {} is not registered; import institutions first",
                    c.as_str()
                ),
            ));
            false
        }
        _ => true,
    }
}

/// Writes one validated file; returns how many rows were new.
pub async fn write(db: &Db, valid: &Valid, meta: &ImportMeta) -> Result<u64, WriteError> {
    on_db!(db, p => write_all!(p, valid, meta))
}
