//! Family proxies in the database (`domain::proxy`): invitations, the grants they become, and
//! the check every request of a proxy makes. Each change is written with its entry in the
//! patient's access log, in one transaction; grants are kept after they end.

use super::patients::{PatientId, RecordsVersion};
use super::{BeginWrite, Db, StorageError};
use crate::domain::access_log::Entry;
use crate::domain::proxy::{EndReason, Grant, Kind, MAX_ATTEMPTS, ProxyError, Scope};
use crate::on_db;
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, thiserror::Error)]
pub enum ProxiesError {
    #[error(transparent)]
    Refused(#[from] ProxyError),
    /// No such grant among the patient's own (or someone else's: the same answer).
    #[error("no such proxy")]
    NotFound,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for ProxiesError {
    fn from(e: sqlx::Error) -> Self {
        Self::Storage(e.into())
    }
}

/// How an invitation names the proxy: their number as `coverages` stores it, parts joined.
pub fn member_text(member: &crate::domain::qualification::Member) -> String {
    let (a, b, c, d) = super::member_key(member);
    format!("{a}:{b}:{c}:{d}")
}

/// The numbers on the patient's coverages valid on `today`, as [`member_text`] writes them:
/// an invitation naming any of them is theirs to accept.
pub async fn member_texts(
    db: &Db,
    patient: PatientId,
    today: NaiveDate,
) -> Result<Vec<String>, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_scalar(
            "SELECT COALESCE(insurer_number, public_payer_number, '') || ':' || COALESCE(symbol, '')
                || ':' || COALESCE(member_number, recipient_number, '') || ':' || COALESCE(branch, '')
             FROM coverages
             WHERE patient_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $2)",
        )
        .bind(patient.0)
        .bind(today)
        .fetch_all(p)
        .await?
    }))
}

/// A new invitation, with its entry for the patient's log.
pub struct NewInvitation<'a> {
    pub patient: PatientId,
    pub proxy_member: &'a str,
    pub code_hash: &'a str,
    pub scope: Scope,
    pub until: NaiveDate,
    pub at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub entry: &'a Entry,
}

pub async fn invite(db: &Db, new: &NewInvitation<'_>) -> Result<i64, StorageError> {
    Ok(on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO proxy_invitations (patient_id, proxy_member, code_hash, scope, until,
                created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(new.patient.0)
        .bind(new.proxy_member)
        .bind(new.code_hash)
        .bind(new.scope.as_str())
        .bind(new.until)
        .bind(new.at)
        .bind(new.expires_at)
        .fetch_one(&mut *tx)
        .await?;
        crate::append_log!(tx, new.patient, new.entry)?;
        tx.commit().await?;
        id
    }))
}

/// An invitation not yet accepted, as its patient sees it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OpenInvitation {
    pub id: i64,
    /// To show a code just made once more, in the answer to the post that made it.
    pub code_hash: String,
    pub scope: String,
    pub until: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub attempts: i64,
}

/// The patient's invitations still open (not accepted or cancelled, not expired, not locked by
/// wrong codes), newest first.
pub async fn open_invitations(
    db: &Db,
    patient: PatientId,
    now: DateTime<Utc>,
) -> Result<Vec<OpenInvitation>, StorageError> {
    Ok(on_db!(db, p => {
        sqlx::query_as(
            "SELECT id, code_hash, scope, until, created_at, expires_at, attempts
             FROM proxy_invitations
             WHERE patient_id = $1 AND accepted_at IS NULL AND cancelled_at IS NULL
               AND expires_at > $2 AND attempts < $3
             ORDER BY created_at DESC, id DESC",
        )
        .bind(patient.0)
        .bind(now)
        .bind(MAX_ATTEMPTS)
        .fetch_all(p)
        .await?
    }))
}

/// Cancels one of the patient's open invitations; `false` when it was not theirs or not open.
pub async fn cancel_invitation(
    db: &Db,
    patient: PatientId,
    id: i64,
    at: DateTime<Utc>,
    entry: &Entry,
) -> Result<bool, StorageError> {
    Ok(on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let done = sqlx::query(
            "UPDATE proxy_invitations SET cancelled_at = $3
             WHERE id = $1 AND patient_id = $2 AND accepted_at IS NULL AND cancelled_at IS NULL",
        )
        .bind(id)
        .bind(patient.0)
        .bind(at)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if done {
            crate::append_log!(tx, patient, entry)?;
            tx.commit().await?;
        }
        done
    }))
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    id: i64,
    patient_id: i64,
    code_hash: String,
    scope: String,
    until: NaiveDate,
    expires_at: DateTime<Utc>,
    attempts: i64,
}

/// An acceptance: the proxy (signed in), the numbers on their own coverages now, the code they
/// typed (checked by `matches` against each stored hash), and the entry for the patient's log
/// that `entry` makes once the patient is known.
pub struct Acceptance<'a> {
    pub proxy: PatientId,
    pub members: &'a [String],
    pub at: DateTime<Utc>,
}

/// Accepts the invitation naming one of the proxy's numbers whose code matches. A wrong code
/// counts against every open invitation naming the proxy; an invitation with
/// [`MAX_ATTEMPTS`] wrong codes no longer works.
pub async fn accept(
    db: &Db,
    a: &Acceptance<'_>,
    matches: impl Fn(&str) -> bool,
    entry: impl FnOnce(PatientId, i64) -> Entry,
) -> Result<(PatientId, Grant), ProxiesError> {
    if a.members.is_empty() {
        return Err(ProxyError::InvitationUnknown.into());
    }
    let marks = (0..a.members.len())
        .map(|i| format!("${}", i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let open = format!(
        "SELECT id, patient_id, code_hash, scope, until, expires_at, attempts
         FROM proxy_invitations
         WHERE proxy_member IN ({marks}) AND accepted_at IS NULL AND cancelled_at IS NULL"
    );
    let count = format!(
        "UPDATE proxy_invitations SET attempts = attempts + 1
         WHERE proxy_member IN ({marks}) AND accepted_at IS NULL AND cancelled_at IS NULL
           AND attempts < {MAX_ATTEMPTS}"
    );
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let mut query = sqlx::query_as::<_, InvitationRow>(&open);
        for m in a.members {
            query = query.bind(m);
        }
        let rows = query.fetch_all(&mut *tx).await?;
        let Some(found) = rows.into_iter().find(|r| matches(&r.code_hash)) else {
            let mut update = sqlx::query(&count);
            for m in a.members {
                update = update.bind(m);
            }
            update.execute(&mut *tx).await?;
            tx.commit().await?;
            return Err(ProxyError::InvitationUnknown.into());
        };
        if found.attempts >= MAX_ATTEMPTS {
            return Err(ProxyError::TooManyAttempts.into());
        }
        if found.expires_at <= a.at {
            return Err(ProxyError::InvitationExpired.into());
        }
        let patient = PatientId(found.patient_id);
        if patient == a.proxy {
            return Err(ProxyError::SelfInvite.into());
        }
        let open_pair: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM proxies WHERE patient_id = $1 AND proxy_id = $2 AND ended_at IS NULL",
        )
        .bind(patient.0)
        .bind(a.proxy.0)
        .fetch_optional(&mut *tx)
        .await?;
        if open_pair.is_some() {
            return Err(ProxyError::AlreadyProxy.into());
        }
        sqlx::query("UPDATE proxy_invitations SET accepted_at = $2 WHERE id = $1")
            .bind(found.id)
            .bind(a.at)
            .execute(&mut *tx)
            .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO proxies (patient_id, proxy_id, scope, kind, invitation_id, granted_at, until)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(patient.0)
        .bind(a.proxy.0)
        .bind(&found.scope)
        .bind(Kind::Invited.as_str())
        .bind(found.id)
        .bind(a.at)
        .bind(found.until)
        .fetch_one(&mut *tx)
        .await?;
        crate::append_log!(tx, patient, &entry(patient, id))?;
        tx.commit().await?;
        let scope = Scope::parse(&found.scope)
            .ok_or_else(|| StorageError::Corrupt(format!("invitation {}: scope", found.id)))?;
        Ok((
            patient,
            Grant {
                id,
                scope,
                kind: Kind::Invited,
                granted_at: a.at,
                until: found.until,
                ended_at: None,
                end_reason: None,
                suspended_at: None,
            },
        ))
    })
}

#[derive(sqlx::FromRow)]
struct GrantRow {
    id: i64,
    scope: String,
    kind: String,
    granted_at: DateTime<Utc>,
    until: NaiveDate,
    ended_at: Option<DateTime<Utc>>,
    end_reason: Option<String>,
    suspended_at: Option<DateTime<Utc>>,
    /// The other person: the proxy (for the patient's list) or the patient (for the proxy's).
    other: i64,
    name: String,
}

const GRANT_COLUMNS: &str =
    "g.id, g.scope, g.kind, g.granted_at, g.until, g.ended_at, g.end_reason, g.suspended_at";

fn grant(r: &GrantRow) -> Result<Grant, StorageError> {
    let corrupt = |what: &str| StorageError::Corrupt(format!("proxy {}: {what}", r.id));
    Ok(Grant {
        id: r.id,
        scope: Scope::parse(&r.scope).ok_or_else(|| corrupt("scope"))?,
        kind: Kind::parse(&r.kind).ok_or_else(|| corrupt("kind"))?,
        granted_at: r.granted_at,
        until: r.until,
        ended_at: r.ended_at,
        end_reason: match &r.end_reason {
            Some(reason) => Some(EndReason::parse(reason).ok_or_else(|| corrupt("end reason"))?),
            None => None,
        },
        suspended_at: r.suspended_at,
    })
}

/// A grant with the other person in it, by id and name.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub grant: Grant,
    pub other: PatientId,
    pub name: String,
}

fn listed(rows: Vec<GrantRow>) -> Result<Vec<Listed>, StorageError> {
    rows.iter()
        .map(|r| {
            Ok(Listed {
                grant: grant(r)?,
                other: PatientId(r.other),
                name: r.name.clone(),
            })
        })
        .collect()
}

/// Everyone who acts or acted for the patient, newest first.
pub async fn of_patient(db: &Db, patient: PatientId) -> Result<Vec<Listed>, StorageError> {
    grants_by(db, "patient_id", "proxy_id", patient).await
}

/// Everyone the proxy acts or acted for, newest first.
pub async fn of_proxy(db: &Db, proxy: PatientId) -> Result<Vec<Listed>, StorageError> {
    grants_by(db, "proxy_id", "patient_id", proxy).await
}

/// The grants whose `side` column is `who`, each with the person in the `other` column.
async fn grants_by(
    db: &Db,
    side: &'static str,
    other: &'static str,
    who: PatientId,
) -> Result<Vec<Listed>, StorageError> {
    let sql = format!(
        "SELECT {GRANT_COLUMNS}, g.{other} AS other, p.name FROM proxies g
         JOIN patients p ON p.id = g.{other} WHERE g.{side} = $1
         ORDER BY g.granted_at DESC, g.id DESC"
    );
    let rows = on_db!(db, p => { sqlx::query_as(&sql).bind(who.0).fetch_all(p).await? });
    listed(rows)
}

/// Ends one of the patient's grants now (`Revoked`), with its log entry; `NotFound` when the
/// grant is not the patient's or has already ended.
pub async fn revoke(
    db: &Db,
    patient: PatientId,
    id: i64,
    at: DateTime<Utc>,
    entry: &Entry,
) -> Result<(), ProxiesError> {
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let ended = sqlx::query(
            "UPDATE proxies SET ended_at = $3, end_reason = $4
             WHERE id = $1 AND patient_id = $2 AND ended_at IS NULL",
        )
        .bind(id)
        .bind(patient.0)
        .bind(at)
        .bind(EndReason::Revoked.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if ended != 1 {
            return Err(ProxiesError::NotFound);
        }
        crate::append_log!(tx, patient, entry)?;
        tx.commit().await?;
        Ok(())
    })
}

/// A proxy's request acting for a patient, as one read makes it: the grant (active or not), the
/// patient and their name, and the patient's records version for the pages kept in memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Acting {
    pub grant: Grant,
    pub subject: PatientId,
    /// The patient's name, for the header of every page.
    pub name: String,
    /// The proxy's own name, as the patient's log names them.
    pub proxy_name: String,
    pub records: RecordsVersion,
}

impl Acting {
    /// Names this proxy in a log entry's detail, for a change made under the grant whose
    /// entry's actor fields name something else (the institution a consent or notice is
    /// about): `verify-log` checks the grant, and the log page shows the name.
    pub fn note_in(&self, detail: &mut serde_json::Value) {
        detail["proxy_grant"] = self.grant.id.into();
        detail["proxy_name"] = self.proxy_name.clone().into();
    }
}

#[derive(sqlx::FromRow)]
struct ActingRow {
    #[sqlx(flatten)]
    grant: GrantRow,
    proxy_name: String,
    #[sqlx(flatten)]
    records: RecordsVersion,
}

/// The grant `id` of `proxy`, if it is theirs (whatever it stands at: the caller decides with
/// [`Grant::active`] at its own clock).
pub async fn acting(db: &Db, proxy: PatientId, id: i64) -> Result<Option<Acting>, StorageError> {
    let sql = format!(
        "SELECT {GRANT_COLUMNS}, g.patient_id AS other, p.name, q.name AS proxy_name,
            p.records_version, e.version AS records_epoch
         FROM proxies g JOIN patients p ON p.id = g.patient_id
         JOIN patients q ON q.id = g.proxy_id CROSS JOIN records_epoch e
         WHERE g.id = $1 AND g.proxy_id = $2"
    );
    let row: Option<ActingRow> =
        on_db!(db, p => { sqlx::query_as(&sql).bind(id).bind(proxy.0).fetch_optional(p).await? });
    row.map(|r| {
        Ok(Acting {
            grant: grant(&r.grant)?,
            subject: PatientId(r.grant.other),
            name: r.grant.name.clone(),
            proxy_name: r.proxy_name.clone(),
            records: r.records,
        })
    })
    .transpose()
}

/// Appends what a proxy saw or did under `grant` to the patient's log, and raises the notice of
/// that grant's first act with it (once per grant), in one transaction: the patient learns the
/// first time someone acts for them, from the same write that records it.
pub async fn log_act(
    db: &Db,
    patient: PatientId,
    grant: i64,
    entry: &Entry,
) -> Result<(), StorageError> {
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        crate::append_log!(tx, patient, entry)?;
        crate::raise_proxy_first!(tx, patient, grant, entry.occurred_at)?;
        tx.commit().await?;
    });
    Ok(())
}

/// Pauses every open proxy of `$patient` inside the caller's transaction, with one entry in
/// the patient's log when there were any: a card stopped or reissued may mean someone else held
/// it, so nobody keeps acting for the patient until the patient, with their new card, confirms
/// each proxy again (`confirm`). Gives `sqlx::Error` like the statements it runs.
#[macro_export]
macro_rules! suspend_proxies {
    ($tx:expr, $patient:expr, $now:expr) => {{
        let patient: $crate::storage::patients::PatientId = $patient;
        let now: chrono::DateTime<chrono::Utc> = $now;
        async {
            let paused = sqlx::query(
                "UPDATE proxies SET suspended_at = $2
                 WHERE patient_id = $1 AND ended_at IS NULL AND suspended_at IS NULL",
            )
            .bind(patient.0)
            .bind(now)
            .execute(&mut *$tx)
            .await?
            .rows_affected();
            if paused > 0 {
                use $crate::domain::access_log::{Action, ActorKind, Entry, Outcome};
                let mut e = Entry::new(
                    now,
                    ActorKind::Patient,
                    Action::ProxiesSuspended,
                    Outcome::Done,
                );
                e.records = i64::try_from(paused).ok();
                $crate::append_log!($tx, patient, &e)?;
            }
            Ok::<u64, sqlx::Error>(paused)
        }
        .await
    }};
}

/// The patient confirms a paused proxy again, with its log entry; `NotFound` unless the grant
/// is the patient's, open and paused.
pub async fn confirm(
    db: &Db,
    patient: PatientId,
    id: i64,
    entry: &Entry,
) -> Result<(), ProxiesError> {
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let confirmed = sqlx::query(
            "UPDATE proxies SET suspended_at = NULL
             WHERE id = $1 AND patient_id = $2 AND ended_at IS NULL AND suspended_at IS NOT NULL",
        )
        .bind(id)
        .bind(patient.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if confirmed != 1 {
            return Err(ProxiesError::NotFound);
        }
        crate::append_log!(tx, patient, entry)?;
        tx.commit().await?;
        Ok(())
    })
}

/// Ends every open proxy of the patient at once (`Locked`), on the operators' word after a
/// support request; one entry in the patient's log names the request. Returns how many ended.
pub async fn lock_all(
    db: &Db,
    patient: PatientId,
    at: DateTime<Utc>,
    entry: &Entry,
) -> Result<u64, StorageError> {
    Ok(on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let locked = sqlx::query(
            "UPDATE proxies SET ended_at = $2, end_reason = $3
             WHERE patient_id = $1 AND ended_at IS NULL",
        )
        .bind(patient.0)
        .bind(at)
        .bind(EndReason::Locked.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // Invitations not yet accepted would let the locked-out person back in.
        sqlx::query(
            "UPDATE proxy_invitations SET cancelled_at = $2
             WHERE patient_id = $1 AND accepted_at IS NULL AND cancelled_at IS NULL",
        )
        .bind(patient.0)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        let mut entry = entry.clone();
        entry.records = i64::try_from(locked).ok();
        crate::append_log!(tx, patient, &entry)?;
        tx.commit().await?;
        locked
    }))
}

/// The open grant of `guardian` for `child`, if any (to tell a renewal from a new guardian).
pub async fn open_between(
    db: &Db,
    child: PatientId,
    guardian: PatientId,
) -> Result<Option<Grant>, StorageError> {
    let sql = format!(
        "SELECT {GRANT_COLUMNS}, g.proxy_id AS other, p.name FROM proxies g
         JOIN patients p ON p.id = g.proxy_id
         WHERE g.patient_id = $1 AND g.proxy_id = $2 AND g.ended_at IS NULL"
    );
    let row: Option<GrantRow> = on_db!(db, p => {
        sqlx::query_as(&sql).bind(child.0).bind(guardian.0).fetch_optional(p).await?
    });
    row.as_ref().map(grant).transpose()
}

/// Makes `guardian` the proxy of `child` (scope: manage consent; kind: guardian) until
/// `until`, or moves the last day of the guardian grant already open, with the log entry, in
/// one transaction. `AlreadyProxy` when the guardian already acts for the child by invitation.
/// Returns the grant's id.
pub async fn set_guardian(
    db: &Db,
    child: PatientId,
    guardian: PatientId,
    until: NaiveDate,
    at: DateTime<Utc>,
    entry: &Entry,
) -> Result<i64, ProxiesError> {
    let lock = match db {
        Db::Postgres(_) => " FOR UPDATE",
        Db::Sqlite(_) => "",
    };
    let open_sql = format!(
        "SELECT id, kind FROM proxies WHERE patient_id = $1 AND proxy_id = $2
         AND ended_at IS NULL{lock}"
    );
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let open: Option<(i64, String)> = sqlx::query_as(&open_sql)
            .bind(child.0)
            .bind(guardian.0)
            .fetch_optional(&mut *tx)
            .await?;
        let id = match open {
            Some((id, kind)) if kind == Kind::Guardian.as_str() => {
                sqlx::query("UPDATE proxies SET until = $2 WHERE id = $1")
                    .bind(id)
                    .bind(until)
                    .execute(&mut *tx)
                    .await?;
                id
            }
            Some(_) => return Err(ProxiesError::Refused(ProxyError::AlreadyProxy)),
            None => {
                sqlx::query_scalar(
                    "INSERT INTO proxies (patient_id, proxy_id, scope, kind, granted_at, until)
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(child.0)
                .bind(guardian.0)
                .bind(Scope::ManageConsent.as_str())
                .bind(Kind::Guardian.as_str())
                .bind(at)
                .bind(until)
                .fetch_one(&mut *tx)
                .await?
            }
        };
        let mut entry = entry.clone();
        entry.actor_code = Some(crate::domain::proxy::actor_code(id));
        crate::append_log!(tx, child, &entry)?;
        tx.commit().await?;
        Ok(id)
    })
}
