//! Reading a patient's records for pages. Every query is keyed by the internal patient id that
//! the caller got from the signed-in session, never from the browser.

use super::disputes::{NOT_DISPUTED_CHECKUP, NOT_DISPUTED_COST, NOT_DISPUTED_MEDICATION};
use super::patients::PatientId;
use super::{Db, StorageError, enum_from_db};
use crate::domain::checkup::classify_value;
use crate::domain::insured::PersonalInsuredNumber;
use crate::domain::person::Sex;
use crate::home::{
    CheckupValueView, CheckupView, CostView, CoverageView, HOME_CHECKUP_ITEMS, HomeSummary,
    InstitutionRef, MedicationView, RecordCounts,
};
use crate::on_db;
use chrono::{DateTime, NaiveDate, Utc};

pub async fn home_summary(
    db: &Db,
    patient: PatientId,
    today: NaiveDate,
) -> Result<HomeSummary, StorageError> {
    let (name, sex): (String, String) = on_db!(db, p => {
        sqlx::query_as("SELECT name, sex FROM patients WHERE id = $1")
            .bind(patient.0)
            .fetch_one(p)
            .await?
    });
    let sex: Sex = enum_from_db(&sex)?;
    Ok(HomeSummary {
        name,
        coverage: current_coverage(db, patient, today).await?,
        latest_medication: latest_medication(db, patient).await?,
        latest_checkup: latest_checkup(db, patient, sex).await?,
        latest_cost: latest_cost(db, patient).await?,
        counts: counts(db, patient).await?,
        // About the login, not the records: the server function adds them.
        card_changes: Vec::new(),
    })
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

async fn current_coverage(
    db: &Db,
    patient: PatientId,
    today: NaiveDate,
) -> Result<Option<CoverageView>, StorageError> {
    let sql = format!(
        "SELECT {COVERAGE_COLUMNS} FROM coverages
         WHERE patient_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $2)
         ORDER BY valid_from DESC LIMIT 1"
    );
    let row: Option<CoverageRow> = on_db!(db, p => {
        sqlx::query_as(&sql).bind(patient.0).bind(today).fetch_optional(p).await?
    });
    match row {
        Some(r) => coverage_view(db, r).await.map(Some),
        None => Ok(None),
    }
}

const COVERAGE_COLUMNS: &str = "id, kind, insurer_name, insurer_number, symbol, member_number,
    branch, public_payer_number, recipient_number, welfare_office, ceiling_category, valid_from,
    valid_to";

/// Every qualification the patient has had, newest first: numbers change with insurers.
pub async fn coverage_history(
    db: &Db,
    patient: PatientId,
) -> Result<Vec<CoverageView>, StorageError> {
    let sql = format!(
        "SELECT {COVERAGE_COLUMNS} FROM coverages WHERE patient_id = $1
         ORDER BY valid_from DESC, id DESC"
    );
    let rows: Vec<CoverageRow> =
        on_db!(db, p => sqlx::query_as(&sql).bind(patient.0).fetch_all(p).await?);
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(coverage_view(db, r).await?);
    }
    Ok(out)
}

async fn coverage_view(db: &Db, r: CoverageRow) -> Result<CoverageView, StorageError> {
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
    Ok(CoverageView {
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

#[derive(sqlx::FromRow)]
struct MedicationRow {
    dispensed_on: NaiveDate,
    drug_name: String,
    strength: String,
    days_supplied: i32,
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

async fn latest_medication(
    db: &Db,
    patient: PatientId,
) -> Result<Option<MedicationView>, StorageError> {
    let sql = format!(
        "SELECT m.dispensed_on, m.drug_name, m.strength, m.days_supplied, m.generic,
            m.source, m.loaded_at, d.code AS d_code, d.name AS d_name, d.name_en AS d_name_en,
            pr.code AS p_code, pr.name AS p_name, pr.name_en AS p_name_en
        FROM medications m
        JOIN institutions d ON d.code = m.dispenser_code
        LEFT JOIN institutions pr ON pr.code = m.prescriber_code
        WHERE m.patient_id = $1 AND {NOT_DISPUTED_MEDICATION}
        ORDER BY m.dispensed_on DESC, m.id DESC LIMIT 1"
    );
    let row: Option<MedicationRow> =
        on_db!(db, p => sqlx::query_as(&sql).bind(patient.0).fetch_optional(p).await?);
    let Some(r) = row else { return Ok(None) };
    let prescriber = InstitutionRef::joined(r.p_code, r.p_name, r.p_name_en);
    Ok(Some(MedicationView {
        dispensed_on: r.dispensed_on,
        drug_name: r.drug_name,
        strength: r.strength,
        days_supplied: r.days_supplied,
        generic: r.generic,
        dispenser: InstitutionRef {
            code: r.d_code,
            name: r.d_name,
            name_en: r.d_name_en,
        },
        prescriber,
        source: enum_from_db(&r.source)?,
        loaded_at: r.loaded_at,
    }))
}

#[derive(sqlx::FromRow)]
struct CheckupRow {
    id: i64,
    examined_on: NaiveDate,
    fiscal_year: i32,
    kind: String,
    source: String,
    loaded_at: DateTime<Utc>,
    code: String,
    name: String,
    name_en: String,
}

async fn latest_checkup(
    db: &Db,
    patient: PatientId,
    sex: Sex,
) -> Result<Option<CheckupView>, StorageError> {
    let sql = format!(
        "SELECT c.id, c.examined_on, c.fiscal_year, c.kind, c.source, c.loaded_at,
            i.code, i.name, i.name_en
        FROM checkups c JOIN institutions i ON i.code = c.institution_code
        WHERE c.patient_id = $1 AND {NOT_DISPUTED_CHECKUP}
        ORDER BY c.examined_on DESC, c.id DESC LIMIT 1"
    );
    let row: Option<CheckupRow> =
        on_db!(db, p => sqlx::query_as(&sql).bind(patient.0).fetch_optional(p).await?);
    let Some(r) = row else { return Ok(None) };
    let results: Vec<(String, Option<f64>, Option<String>)> = on_db!(db, p => {
        sqlx::query_as(
            "SELECT item_code, value_num, value_grade FROM checkup_results WHERE checkup_id = $1",
        )
        .bind(r.id)
        .fetch_all(p)
        .await?
    });
    let mut values = Vec::new();
    for item in HOME_CHECKUP_ITEMS {
        let Some((_, num, grade)) = results.iter().find(|(code, _, _)| code == item.code()) else {
            continue;
        };
        let value = super::checkup_value(item, *num, grade.as_deref())?;
        values.push(CheckupValueView {
            item,
            value: crate::checkups::shown(&value),
            band: classify_value(item, sex, &value),
        });
    }
    Ok(Some(CheckupView {
        examined_on: r.examined_on,
        fiscal_year: r.fiscal_year,
        kind: enum_from_db(&r.kind)?,
        place: InstitutionRef {
            code: r.code,
            name: r.name,
            name_en: r.name_en,
        },
        values,
        source: enum_from_db(&r.source)?,
        loaded_at: r.loaded_at,
    }))
}

#[derive(sqlx::FromRow)]
struct CostRow {
    care_month: String,
    care_type: String,
    total_yen: i64,
    patient_paid_yen: i64,
    source: String,
    loaded_at: DateTime<Utc>,
    code: String,
    name: String,
    name_en: String,
}

async fn latest_cost(db: &Db, patient: PatientId) -> Result<Option<CostView>, StorageError> {
    let sql = format!(
        "SELECT n.care_month, n.care_type, n.total_yen, n.patient_paid_yen, n.source,
            n.loaded_at, i.code, i.name, i.name_en
        FROM cost_notices n JOIN institutions i ON i.code = n.institution_code
        WHERE n.patient_id = $1 AND {NOT_DISPUTED_COST}
        ORDER BY n.care_month DESC, n.id DESC LIMIT 1"
    );
    let row: Option<CostRow> =
        on_db!(db, p => sqlx::query_as(&sql).bind(patient.0).fetch_optional(p).await?);
    let Some(r) = row else { return Ok(None) };
    Ok(Some(CostView {
        care_month: r.care_month,
        institution: InstitutionRef {
            code: r.code,
            name: r.name,
            name_en: r.name_en,
        },
        care_type: enum_from_db(&r.care_type)?,
        total: r.total_yen,
        patient_paid: r.patient_paid_yen,
        source: enum_from_db(&r.source)?,
        loaded_at: r.loaded_at,
    }))
}

async fn counts(db: &Db, patient: PatientId) -> Result<RecordCounts, StorageError> {
    let sql = format!(
        "SELECT
        (SELECT COUNT(*) FROM medications m WHERE m.patient_id = $1 AND {NOT_DISPUTED_MEDICATION}),
        (SELECT COUNT(*) FROM checkups c WHERE c.patient_id = $1 AND {NOT_DISPUTED_CHECKUP}),
        (SELECT COUNT(*) FROM cost_notices n WHERE n.patient_id = $1 AND {NOT_DISPUTED_COST})"
    );
    let (medications, checkups, costs): (i64, i64, i64) =
        on_db!(db, p => sqlx::query_as(&sql).bind(patient.0).fetch_one(p).await?);
    Ok(RecordCounts {
        medications,
        checkups,
        costs,
    })
}
