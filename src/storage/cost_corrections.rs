//! The patient's corrections of their cost notices (what was really paid, what was refunded),
//! kept as entered: rows are only ever added (the tables refuse changes), the newest of a month
//! and institution counts.

use super::patients::PatientId;
use super::{Db, StorageError};
use crate::domain::cost::{CareMonth, CostCorrection, Yen};
use crate::domain::institution::InstitutionCode;
use crate::on_db;
use chrono::{DateTime, Utc};

/// A correction with when the patient entered it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCorrection {
    pub correction: CostCorrection,
    pub recorded_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    care_month: String,
    institution_code: String,
    paid_yen: Option<i64>,
    reimbursed_yen: i64,
    recorded_at: DateTime<Utc>,
}

pub async fn record(
    db: &Db,
    patient: PatientId,
    c: &CostCorrection,
    at: DateTime<Utc>,
) -> Result<(), StorageError> {
    on_db!(db, p => {
        sqlx::query(
            "INSERT INTO cost_corrections
                 (patient_id, care_month, institution_code, paid_yen, reimbursed_yen, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(patient.0)
        .bind(c.care_month.to_string())
        .bind(c.institution.as_str())
        .bind(c.paid.map(Yen::value))
        .bind(c.reimbursed.value())
        .bind(at)
        .execute(p)
        .await?;
    });
    Ok(())
}

/// Every correction the patient entered, oldest first (the order `current_corrections` reads).
pub async fn list(db: &Db, patient: PatientId) -> Result<Vec<StoredCorrection>, StorageError> {
    let rows: Vec<Row> = on_db!(db, p => {
        sqlx::query_as(
            "SELECT id, care_month, institution_code, paid_yen, reimbursed_yen, recorded_at
             FROM cost_corrections WHERE patient_id = $1 ORDER BY id",
        )
        .bind(patient.0)
        .fetch_all(p)
        .await?
    });
    rows.into_iter()
        .map(|r| {
            let corrupt = || StorageError::Corrupt(format!("cost correction {}", r.id));
            Ok(StoredCorrection {
                correction: CostCorrection {
                    care_month: CareMonth::parse(&r.care_month).map_err(|_| corrupt())?,
                    institution: InstitutionCode::parse(&r.institution_code)
                        .map_err(|_| corrupt())?,
                    paid: r
                        .paid_yen
                        .map(Yen::new)
                        .transpose()
                        .map_err(|_| corrupt())?,
                    reimbursed: Yen::new(r.reimbursed_yen).map_err(|_| corrupt())?,
                },
                recorded_at: r.recorded_at,
            })
        })
        .collect()
}

/// Only the corrections, oldest first, for the figures that count them.
pub async fn corrections(db: &Db, patient: PatientId) -> Result<Vec<CostCorrection>, StorageError> {
    Ok(list(db, patient)
        .await?
        .into_iter()
        .map(|s| s.correction)
        .collect())
}
