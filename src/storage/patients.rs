//! Patients: the internal key, the opaque public id, and lookups by either.

use super::{Db, StorageError};
use crate::demo_picker::DemoPatient;
use crate::domain::person::age_on;
use crate::home::RecordCounts;
use crate::on_db;
use chrono::NaiveDate;

/// The internal patient key every record hangs on. Never sent to a browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PatientId(pub i64);

pub async fn by_public_id(db: &Db, public_id: &str) -> Result<Option<PatientId>, StorageError> {
    let id: Option<i64> = on_db!(db, p => {
        sqlx::query_scalar("SELECT id FROM patients WHERE public_id = $1")
            .bind(public_id)
            .fetch_optional(p)
            .await?
    });
    Ok(id.map(PatientId))
}

pub async fn count(db: &Db) -> Result<i64, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_scalar("SELECT COUNT(*) FROM patients").fetch_one(p).await?
    }))
}

#[derive(sqlx::FromRow)]
struct DemoRow {
    public_id: String,
    name: String,
    birth_date: NaiveDate,
    medications: i64,
    checkups: i64,
    costs: i64,
}

/// The patients offered by the demo picker, oldest record first.
pub async fn demo_list(db: &Db, today: NaiveDate) -> Result<Vec<DemoPatient>, StorageError> {
    const SQL: &str = "SELECT p.public_id, p.name, p.birth_date,
            (SELECT COUNT(*) FROM medications m WHERE m.patient_id = p.id) AS medications,
            (SELECT COUNT(*) FROM checkups c WHERE c.patient_id = p.id) AS checkups,
            (SELECT COUNT(*) FROM cost_notices n WHERE n.patient_id = p.id) AS costs
        FROM patients p ORDER BY p.id LIMIT 50";
    let rows: Vec<DemoRow> = on_db!(db, p => sqlx::query_as(SQL).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|r| DemoPatient {
            public_id: r.public_id,
            name: r.name,
            age: age_on(r.birth_date, today),
            counts: RecordCounts {
                medications: r.medications,
                checkups: r.checkups,
                costs: r.costs,
            },
        })
        .collect())
}
