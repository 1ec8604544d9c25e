//! Consents in the database: given, replaced and revoked in one transaction with the access
//! log entry that records the change and the card check that approved it; read back for the
//! one decision (`domain::consent::decide`) and for the patient's consent page.

use super::card_checks::CardCheckRow;
use super::institutions::Institution;
use super::patients::PatientId;
use super::{BeginWrite, Db, StorageError};
use crate::domain::access_log::{Action, ActorKind, Entry, Outcome};
use crate::domain::consent::{Consent, DataKind, Ending, Period, Refusal, Terms};
use crate::domain::emergency::Basis;
use crate::on_db;
use chrono::{DateTime, NaiveDate, Utc};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    institution_code: String,
    kinds: String,
    period: String,
    until_day: Option<NaiveDate>,
    granted_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    ended_at: Option<DateTime<Utc>>,
    ending: Option<String>,
}

const COLUMNS: &str = "c.id, c.institution_code, c.kinds, c.period, c.until_day, c.granted_at, c.expires_at, c.ended_at, c.ending";

fn consent(r: Row) -> Result<Consent, StorageError> {
    let corrupt = |what: &str| StorageError::Corrupt(format!("consent {}: {what}", r.id));
    let kinds = r
        .kinds
        .split(',')
        .map(|k| DataKind::parse(k).ok_or_else(|| corrupt("kind")))
        .collect::<Result<Vec<_>, _>>()?;
    let period = match (r.period.as_str(), r.until_day) {
        ("visit", None) => Period::Visit,
        ("until", Some(day)) => Period::Until(day),
        ("until_revoked", None) => Period::UntilRevoked,
        _ => return Err(corrupt("period")),
    };
    let ended = match (r.ended_at, r.ending.as_deref()) {
        (None, None) => None,
        (Some(at), Some(e)) => Some((at, Ending::parse(e).ok_or_else(|| corrupt("ending"))?)),
        _ => return Err(corrupt("ending")),
    };
    Ok(Consent {
        id: r.id,
        terms: Terms {
            institution: r.institution_code,
            kinds,
            period,
        },
        granted_at: r.granted_at,
        expires_at: r.expires_at,
        ended,
    })
}

/// Every consent the patient gave `institution`, for the one decision.
pub async fn for_institution(
    db: &Db,
    patient: PatientId,
    institution: &str,
) -> Result<Vec<Consent>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM consents c WHERE c.patient_id = $1 AND c.institution_code = $2"
    );
    let rows: Vec<Row> = on_db!(db, p => {
        sqlx::query_as(&sql).bind(patient.0).bind(institution).fetch_all(p).await?
    });
    rows.into_iter().map(consent).collect()
}

/// Every consent the patient ever gave, newest first, with its institution: the consent page's
/// current list and its history.
pub async fn of_patient(
    db: &Db,
    patient: PatientId,
) -> Result<Vec<(Consent, Institution)>, StorageError> {
    #[derive(sqlx::FromRow)]
    struct Joined {
        #[sqlx(flatten)]
        row: Row,
        #[sqlx(flatten)]
        institution: Institution,
    }
    let sql = format!(
        "SELECT {COLUMNS}, i.code, i.name, i.name_en, i.kind, i.prefecture
         FROM consents c JOIN institutions i ON i.code = c.institution_code
         WHERE c.patient_id = $1 ORDER BY c.granted_at DESC, c.id DESC"
    );
    let rows: Vec<Joined> = on_db!(db, p => {
        sqlx::query_as(&sql).bind(patient.0).fetch_all(p).await?
    });
    rows.into_iter()
        .map(|j| Ok((consent(j.row)?, j.institution)))
        .collect()
}

/// What the patient decided, and who approved it with which card check.
pub struct Change<'a> {
    pub patient: PatientId,
    pub institution: &'a Institution,
    /// New terms, or `None` to revoke the open consent.
    pub terms: Option<&'a Terms>,
    /// The proxy who made it for the patient (`None`: the patient themself). Their grant and
    /// name go into the entry, so the log says who acted and `verify-log` can tell why a card
    /// of another person signed it.
    pub proxy: Option<&'a crate::storage::proxies::Acting>,
    pub check: &'a CardCheckRow,
    pub at: DateTime<Utc>,
    /// Made at the institution's own counter terminal (the card-reader flow), not at home.
    pub at_counter: bool,
}

/// The outcome of a [`change`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    /// A first consent for this institution (or the first since the last ended).
    Granted(i64),
    /// The open consent was replaced by new terms.
    Replaced {
        old: i64,
        new: i64,
    },
    Revoked(i64),
    /// There was no open consent to revoke.
    NothingOpen,
    /// The card check has approved another change already.
    CheckUsed,
}

impl Change<'_> {
    /// The access log entry of this change: the patient's (or proxy's) act about an
    /// institution, with the exact terms and the card check bound together in the chain.
    fn entry(&self, action: Action, consent: i64, terms: &str) -> Entry {
        let actor = match self.proxy {
            Some(_) => ActorKind::Proxy,
            None => ActorKind::Patient,
        };
        let mut e = Entry::new(self.at, actor, action, Outcome::Done);
        e.actor_code = Some(self.institution.code.clone());
        e.actor_name = Some(self.institution.name.clone());
        e.consent_id = Some(consent);
        let mut detail = serde_json::json!({
            "terms": terms,
            "card_check": self.check.id,
            "challenge": challenge_of(&self.check.client_data_json),
        });
        if self.at_counter {
            detail["counter"] = serde_json::Value::Bool(true);
        }
        if let Some(acting) = self.proxy {
            acting.note_in(&mut detail);
        }
        e.detail = detail.to_string();
        e
    }
}

/// The challenge the card signed, read from the stored (base64url) client data.
pub fn challenge_of(client_data_json_b64: &str) -> Option<String> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(client_data_json_b64)
        .ok()?;
    crate::domain::card_check::challenge(&bytes)
}

/// Grants, replaces or revokes in one transaction: the open consent ends, the new one is
/// inserted, and the change is appended to the patient's access log.
pub async fn change(db: &Db, c: &Change<'_>) -> Result<Changed, StorageError> {
    let lock = match db {
        Db::Postgres(_) => " FOR UPDATE",
        Db::Sqlite(_) => "",
    };
    let open_sql = format!(
        "SELECT id FROM consents WHERE patient_id = $1 AND institution_code = $2
         AND ended_at IS NULL{lock}"
    );
    let changed = on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let approved = sqlx::query(
            "INSERT INTO consent_approvals (card_check_id, patient_id, approved_at)
             VALUES ($1, $2, $3) ON CONFLICT (card_check_id) DO NOTHING",
        )
        .bind(c.check.id)
        .bind(c.patient.0)
        .bind(c.at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if approved == 0 {
            return Ok(Changed::CheckUsed);
        }
        let open: Option<i64> = sqlx::query_scalar(&open_sql)
            .bind(c.patient.0)
            .bind(&c.institution.code)
            .fetch_optional(&mut *tx)
            .await?;
        let ending = if c.terms.is_some() { Ending::Replaced } else { Ending::Revoked };
        if let Some(old) = open {
            sqlx::query("UPDATE consents SET ended_at = $2, ending = $3 WHERE id = $1")
                .bind(old)
                .bind(c.at)
                .bind(ending.as_str())
                .execute(&mut *tx)
                .await?;
        }
        let changed = match (c.terms, open) {
            (None, None) => Changed::NothingOpen,
            (None, Some(old)) => Changed::Revoked(old),
            (Some(terms), open) => {
                let kinds: Vec<&str> = terms.kinds.iter().map(|k| k.as_str()).collect();
                let until = match terms.period {
                    Period::Until(day) => Some(day),
                    _ => None,
                };
                let new: i64 = sqlx::query_scalar(
                    "INSERT INTO consents (patient_id, institution_code, kinds, period, until_day,
                        granted_at, expires_at, card_check_id, replaces)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(c.patient.0)
                .bind(&terms.institution)
                .bind(kinds.join(","))
                .bind(terms.period.name())
                .bind(until)
                .bind(c.at)
                .bind(terms.period.ends_at(c.at))
                .bind(c.check.id)
                .bind(open)
                .fetch_one(&mut *tx)
                .await?;
                match open {
                    Some(old) => Changed::Replaced { old, new },
                    None => Changed::Granted(new),
                }
            }
        };
        let logged = match (changed, c.terms) {
            (Changed::Granted(id), Some(t)) => Some(c.entry(Action::ConsentGranted, id, &t.canonical())),
            (Changed::Replaced { new, .. }, Some(t)) => {
                Some(c.entry(Action::ConsentChanged, new, &t.canonical()))
            }
            (Changed::Revoked(id), _) => {
                Some(c.entry(Action::ConsentRevoked, id, &format!("{}|revoked", c.institution.code)))
            }
            _ => None,
        };
        match logged {
            Some(entry) => {
                crate::append_log!(tx, c.patient, &entry)?;
                if let Some(acting) = c.proxy {
                    crate::raise_proxy_first!(tx, c.patient, acting.grant.id, c.at)?;
                }
            }
            // Nothing changed: the check stays unused (the transaction rolls back).
            None => return Ok(changed),
        }
        tx.commit().await?;
        changed
    });
    Ok(changed)
}

/// Decides an institution's read on the patient's consents, and the emergency accesses it has
/// running, as they stand inside one transaction (`domain::emergency::decide`), and appends the
/// entry `entry` makes of that decision in the same transaction (with the patient's notice when
/// it is this institution's first read): a consent change waits for it (and it for a change),
/// so no read is logged as allowed by a consent already revoked, and no answer leaves without
/// its entry committed. Says whether a notice was raised (the patient's pages then change).
pub async fn decide_and_log(
    db: &Db,
    patient: PatientId,
    institution: &str,
    kind: DataKind,
    visit: NaiveDate,
    now: DateTime<Utc>,
    entry: impl FnOnce(Result<Basis, Refusal>) -> (Entry, Result<Basis, Refusal>),
) -> Result<Decided, StorageError> {
    let lock = match db {
        Db::Postgres(_) => " FOR SHARE",
        Db::Sqlite(_) => "",
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM consents c WHERE c.patient_id = $1 AND c.institution_code = $2{lock}"
    );
    let running = format!(
        "SELECT {} FROM emergency_accesses
         WHERE patient_id = $1 AND institution_code = $2 AND ends_at > $3",
        super::emergency::COLUMNS
    );
    Ok(on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let rows: Vec<Row> = sqlx::query_as(&sql)
            .bind(patient.0)
            .bind(institution)
            .fetch_all(&mut *tx)
            .await?;
        let consents = rows.into_iter().map(consent).collect::<Result<Vec<_>, _>>()?;
        let emergencies: Vec<super::emergency::Row> = sqlx::query_as(&running)
            .bind(patient.0)
            .bind(institution)
            .bind(now)
            .fetch_all(&mut *tx)
            .await?;
        let emergencies = emergencies
            .into_iter()
            .map(super::emergency::emergency)
            .collect::<Result<Vec<_>, _>>()?;
        let decided =
            crate::domain::emergency::decide(&consents, &emergencies, kind, visit, now);
        let (logged, outcome) = entry(decided);
        crate::append_log!(tx, patient, &logged)?;
        // The patient learns of an institution's first read on their home page.
        let mut notice_raised = false;
        if logged.outcome == Outcome::Allowed {
            let raised =
                crate::raise_first_read!(tx, patient, institution, logged.consent_id, now)?;
            notice_raised = raised.rows_affected() > 0;
        }
        tx.commit().await?;
        Decided { outcome, notice_raised }
    }))
}

/// What [`decide_and_log`] decided, and whether it raised the patient's first-read notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decided {
    pub outcome: Result<Basis, Refusal>,
    pub notice_raised: bool,
}

/// The newest card check of this login made for a consent change at `since` or later that has
/// not approved one yet.
pub async fn unused_check(
    db: &Db,
    login_id: &str,
    since: DateTime<Utc>,
) -> Result<Option<CardCheckRow>, StorageError> {
    let purpose = crate::storage::card_checks::Purpose::StepUp(
        crate::domain::card_check::StepUpFor::ChangeConsent,
    );
    Ok(on_db!(db, p => {
        sqlx::query_as(
            "SELECT id, card_id, purpose, checked_at, counter, client_data_json,
                authenticator_data, signature
             FROM card_checks c WHERE login_id = $1 AND purpose = $2 AND checked_at >= $3
               AND NOT EXISTS (SELECT 1 FROM consent_approvals a WHERE a.card_check_id = c.id)
             ORDER BY checked_at DESC, id DESC LIMIT 1",
        )
        .bind(login_id)
        .bind(purpose.as_db())
        .bind(since)
        .fetch_optional(p)
        .await?
    }))
}

/// The patient's consents that allow something now, by institution: for the log page's
/// revoke buttons and the home page.
pub async fn active(
    db: &Db,
    patient: PatientId,
    now: DateTime<Utc>,
) -> Result<Vec<(Consent, Institution)>, StorageError> {
    Ok(of_patient(db, patient)
        .await?
        .into_iter()
        .filter(|(c, _)| c.standing(now) == crate::domain::consent::Standing::Active)
        .collect())
}
