//! Receipts the patient enters: kept per patient, read by the costs page, the deduction figure
//! and the tax-form export alike.

use super::patients::PatientId;
use super::{Db, StorageError};
use crate::domain::cost::{PayeeName, Receipt, ReceiptKind, Yen};
use crate::on_db;
use chrono::{DateTime, NaiveDate, Utc};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    paid_on: NaiveDate,
    payee: String,
    kind: String,
    amount_yen: i64,
    reimbursed_yen: i64,
}

pub async fn add(
    db: &Db,
    patient: PatientId,
    r: &Receipt,
    at: DateTime<Utc>,
) -> Result<i64, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_scalar(
            "INSERT INTO receipts (patient_id, paid_on, payee, kind, amount_yen, reimbursed_yen, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(patient.0)
        .bind(r.paid_on)
        .bind(r.payee.as_str())
        .bind(r.kind.id())
        .bind(r.amount.value())
        .bind(r.reimbursed.value())
        .bind(at)
        .fetch_one(p)
        .await?
    }))
}

/// The patient's receipts still in use, by payment date.
pub async fn list(db: &Db, patient: PatientId) -> Result<Vec<(i64, Receipt)>, StorageError> {
    let rows: Vec<Row> = on_db!(db, p => {
        sqlx::query_as(
            "SELECT id, paid_on, payee, kind, amount_yen, reimbursed_yen FROM receipts
             WHERE patient_id = $1 AND removed_at IS NULL ORDER BY paid_on, id",
        )
        .bind(patient.0)
        .fetch_all(p)
        .await?
    });
    rows.into_iter()
        .map(|r| {
            let corrupt = || StorageError::Corrupt(format!("receipt {}", r.id));
            Ok((
                r.id,
                Receipt {
                    paid_on: r.paid_on,
                    payee: PayeeName::parse(&r.payee).map_err(|_| corrupt())?,
                    kind: ReceiptKind::parse(&r.kind).map_err(|_| corrupt())?,
                    amount: Yen::new(r.amount_yen).map_err(|_| corrupt())?,
                    reimbursed: Yen::new(r.reimbursed_yen).map_err(|_| corrupt())?,
                },
            ))
        })
        .collect()
}

/// Marks one of the patient's own receipts removed; `false` when there is no such receipt.
pub async fn remove(
    db: &Db,
    patient: PatientId,
    id: i64,
    at: DateTime<Utc>,
) -> Result<bool, StorageError> {
    let changed = on_db!(db, p => {
        sqlx::query(
            "UPDATE receipts SET removed_at = $1
             WHERE id = $2 AND patient_id = $3 AND removed_at IS NULL",
        )
        .bind(at)
        .bind(id)
        .bind(patient.0)
        .execute(p)
        .await?
        .rows_affected()
    });
    Ok(changed == 1)
}
