//! A patient's records at a glance: who they are, their current qualification, the latest
//! record of each kind and how many there are. Every query is keyed by the internal patient id
//! that the caller got from the signed-in session, never from the browser.

use super::checkups::Checkup;
use super::costs::NoticeLine;
use super::coverages::Coverage;
use super::disputes::{NOT_DISPUTED_CHECKUP, NOT_DISPUTED_COST, NOT_DISPUTED_MEDICATION};
use super::medications::Dispensing;
use super::patients::PatientId;
use super::{Db, StorageError, enum_from_db};
use crate::domain::person::Sex;
use crate::on_db;
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq)]
pub struct Glance {
    pub name: String,
    pub sex: Sex,
    pub coverage: Option<Coverage>,
    pub latest_medication: Option<Dispensing>,
    pub latest_checkup: Option<Checkup>,
    pub latest_cost: Option<NoticeLine>,
    pub counts: Counts,
}

/// How many records of each kind the patient has, leaving out those reported as not theirs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub medications: i64,
    pub checkups: i64,
    pub costs: i64,
}

pub async fn glance(db: &Db, patient: PatientId, today: NaiveDate) -> Result<Glance, StorageError> {
    let (name, sex): (String, String) = on_db!(db, p => {
        sqlx::query_as("SELECT name, sex FROM patients WHERE id = $1")
            .bind(patient.0)
            .fetch_one(p)
            .await?
    });
    Ok(Glance {
        name,
        sex: enum_from_db(&sex)?,
        coverage: super::coverages::current(db, patient, today).await?,
        latest_medication: super::medications::latest(db, patient).await?,
        latest_checkup: super::checkups::latest(db, patient).await?,
        latest_cost: super::costs::latest(db, patient).await?,
        counts: counts(db, patient).await?,
    })
}

async fn counts(db: &Db, patient: PatientId) -> Result<Counts, StorageError> {
    let sql = format!(
        "SELECT
        (SELECT COUNT(*) FROM medications m WHERE m.patient_id = $1 AND {NOT_DISPUTED_MEDICATION}),
        (SELECT COUNT(*) FROM checkups c WHERE c.patient_id = $1 AND {NOT_DISPUTED_CHECKUP}),
        (SELECT COUNT(*) FROM cost_notices n WHERE n.patient_id = $1 AND {NOT_DISPUTED_COST})"
    );
    let (medications, checkups, costs): (i64, i64, i64) =
        on_db!(db, p => sqlx::query_as(&sql).bind(patient.0).fetch_one(p).await?);
    Ok(Counts {
        medications,
        checkups,
        costs,
    })
}
