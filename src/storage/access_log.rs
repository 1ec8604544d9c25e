//! The patient's access log in the database: appended inside the transaction of what it
//! records, one hash chain per patient (`domain::access_log`), read back newest first for the
//! patient, and verified whole by `portal verify-log`.

use super::patients::PatientId;
use super::{BeginWrite, Db, StorageError};
use crate::domain::access_log::{self, Action, ActorKind, Break, Entry, Outcome, StoredLink};
use crate::domain::consent::DataKind;
use crate::domain::institution::InstitutionRef;
use crate::on_db;
use chrono::{DateTime, NaiveDate, Utc};

/// Appends `$entry` to the patient's chain inside the caller's transaction `$tx`: one statement
/// moves the head's number on (making the head at a patient's first entry) and returns the
/// link to follow; inserting the entry moves the head's hash (migration 0010). Moving the head
/// first locks it on PostgreSQL until the transaction ends, and SQLite has one writer: of two
/// appends for one patient, the second waits and links to the first.
#[macro_export]
macro_rules! append_log {
    ($tx:expr, $patient:expr, $entry:expr) => {{
        let patient: $crate::storage::patients::PatientId = $patient;
        let entry: &$crate::domain::access_log::Entry = $entry;
        async {
            // On a conflict RETURNING gives the updated row, whose hash is still the previous
            // entry's.
            let (seq, previous): (i64, String) = sqlx::query_as(
                "INSERT INTO access_log_heads (patient_id, seq, hash) VALUES ($1, 1, $2)
                 ON CONFLICT (patient_id) DO UPDATE SET seq = access_log_heads.seq + 1
                 RETURNING seq, hash",
            )
            .bind(patient.0)
            .bind($crate::domain::access_log::GENESIS)
            .fetch_one(&mut *$tx)
            .await?;
            let hash = entry.link(&previous, patient.0, seq);
            sqlx::query(
                "INSERT INTO access_log (patient_id, seq, occurred_at, actor_kind, actor_code,
                    actor_name, action, data_kind, records, consent_id, reason, outcome, detail,
                    prev_hash, hash)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            )
            .bind(patient.0)
            .bind(seq)
            .bind(entry.occurred_at)
            .bind(entry.actor_kind.as_str())
            .bind(entry.actor_code.clone())
            .bind(entry.actor_name.clone())
            .bind(entry.action.as_str())
            .bind(entry.data_kind.map(|k| k.as_str()))
            .bind(entry.records)
            .bind(entry.consent_id)
            .bind(entry.reason.clone())
            .bind(entry.outcome.as_str())
            .bind(entry.detail.clone())
            .bind(previous)
            .bind(hash)
            .execute(&mut *$tx)
            .await?;
            Ok::<(), sqlx::Error>(())
        }
        .await
    }};
}

/// Appends one entry in a transaction of its own.
pub async fn append(db: &Db, patient: PatientId, entry: &Entry) -> Result<(), StorageError> {
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        append_log!(tx, patient, entry)?;
        tx.commit().await?;
    });
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    seq: i64,
    occurred_at: DateTime<Utc>,
    actor_kind: String,
    actor_code: Option<String>,
    actor_name: Option<String>,
    action: String,
    data_kind: Option<String>,
    records: Option<i64>,
    consent_id: Option<i64>,
    reason: Option<String>,
    outcome: String,
    detail: String,
    prev_hash: String,
    hash: String,
}

const COLUMNS: &str = "id, seq, occurred_at, actor_kind, actor_code, actor_name, action,
    data_kind, records, consent_id, reason, outcome, detail, prev_hash, hash";

fn stored(r: Row) -> Result<StoredLink, StorageError> {
    let corrupt = |what: &str| StorageError::Corrupt(format!("access log {}: {what}", r.id));
    Ok(StoredLink {
        id: r.id,
        seq: r.seq,
        entry: Entry {
            occurred_at: r.occurred_at,
            actor_kind: ActorKind::parse(&r.actor_kind).ok_or_else(|| corrupt("actor"))?,
            actor_code: r.actor_code,
            actor_name: r.actor_name,
            action: Action::parse(&r.action).ok_or_else(|| corrupt("action"))?,
            data_kind: match r.data_kind.as_deref() {
                None => None,
                Some(k) => Some(DataKind::parse(k).ok_or_else(|| corrupt("data kind"))?),
            },
            records: r.records,
            consent_id: r.consent_id,
            reason: r.reason,
            outcome: Outcome::parse(&r.outcome).ok_or_else(|| corrupt("outcome"))?,
            detail: r.detail,
        },
        prev_hash: r.prev_hash,
        hash: r.hash,
    })
}

/// Which entries the patient asked to see.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// An institution code, or `patient` for the patient's own actions.
    pub who: Option<String>,
    pub action: Option<Action>,
    pub data_kind: Option<DataKind>,
    pub outcome: Option<Outcome>,
    /// Japan days, both included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// An entry as the patient's log page shows it: with the institution's current names in both
/// languages, when an institution acted and is still known.
#[derive(Debug, Clone, PartialEq)]
pub struct Logged {
    /// The entry's row id, which a report names.
    pub id: i64,
    pub entry: Entry,
    pub institution: Option<InstitutionRef>,
}

#[derive(sqlx::FromRow)]
struct LoggedRow {
    #[sqlx(flatten)]
    row: Row,
    institution_name: Option<String>,
    institution_name_en: Option<String>,
}

/// One page of the patient's log, newest first, and how many entries the filter matches.
pub async fn page(
    db: &Db,
    patient: PatientId,
    filter: &Filter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Logged>, i64), StorageError> {
    // Japan days as UTC instants: a day starts at 15:00 UTC the day before.
    let day_start = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc() - chrono::Duration::hours(9))
    };
    let from = filter.from.and_then(day_start);
    let to = filter.to.and_then(|d| d.succ_opt()).and_then(day_start);
    let (who_kind, who_code) = match filter.who.as_deref() {
        Some("patient") => (Some("patient".to_owned()), None),
        Some(code) => (None, Some(code.to_owned())),
        None => (None, None),
    };
    let conditions = "patient_id = $1
        AND ($2 IS NULL OR actor_kind = $2)
        AND ($3 IS NULL OR actor_code = $3)
        AND ($4 IS NULL OR action = $4)
        AND ($5 IS NULL OR data_kind = $5)
        AND ($6 IS NULL OR outcome = $6)
        AND ($7 IS NULL OR occurred_at >= $7)
        AND ($8 IS NULL OR occurred_at < $8)";
    let list = format!(
        "SELECT {COLUMNS}, i.name AS institution_name, i.name_en AS institution_name_en
         FROM access_log LEFT JOIN institutions i ON i.code = actor_code
         WHERE {conditions}
         ORDER BY occurred_at DESC, seq DESC LIMIT $9 OFFSET $10"
    );
    let count = format!("SELECT COUNT(*) FROM access_log WHERE {conditions}");
    let action = filter.action.map(Action::as_str);
    let outcome = filter.outcome.map(Outcome::as_str);
    let (rows, total): (Vec<LoggedRow>, i64) = on_db!(db, p => {
        let rows = sqlx::query_as(&list)
            .bind(patient.0)
            .bind(who_kind.clone())
            .bind(who_code.clone())
            .bind(action)
            .bind(filter.data_kind.map(DataKind::as_str))
            .bind(outcome)
            .bind(from)
            .bind(to)
            .bind(limit)
            .bind(offset)
            .fetch_all(p)
            .await?;
        let total = sqlx::query_scalar(&count)
            .bind(patient.0)
            .bind(who_kind)
            .bind(who_code)
            .bind(action)
            .bind(filter.data_kind.map(DataKind::as_str))
            .bind(outcome)
            .bind(from)
            .bind(to)
            .fetch_one(p)
            .await?;
        (rows, total)
    });
    let entries = rows.into_iter().map(logged).collect::<Result<_, _>>()?;
    Ok((entries, total))
}

fn logged(r: LoggedRow) -> Result<Logged, StorageError> {
    let code = r.row.actor_code.clone();
    let institution = InstitutionRef::joined(code, r.institution_name, r.institution_name_en);
    stored(r.row).map(|l| Logged {
        id: l.id,
        entry: l.entry,
        institution,
    })
}

/// One entry of the patient's own log, or `None` when there is no such entry or it is another
/// patient's (the same answer: an id from a form is never trusted).
pub async fn entry_of(
    db: &Db,
    patient: PatientId,
    id: i64,
) -> Result<Option<Logged>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS}, i.name AS institution_name, i.name_en AS institution_name_en
         FROM access_log LEFT JOIN institutions i ON i.code = actor_code
         WHERE id = $1 AND patient_id = $2"
    );
    let row: Option<LoggedRow> =
        on_db!(db, p => sqlx::query_as(&sql).bind(id).bind(patient.0).fetch_optional(p).await?);
    row.map(logged).transpose()
}

/// The institutions that appear in the patient's log, for its filter: by name, each once.
pub async fn institutions(
    db: &Db,
    patient: PatientId,
) -> Result<Vec<InstitutionRef>, StorageError> {
    let rows: Vec<(String, String, String)> = on_db!(db, p => {
        sqlx::query_as(
            "SELECT i.code, i.name, i.name_en FROM institutions i
             WHERE i.code IN (SELECT DISTINCT actor_code FROM access_log
                              WHERE patient_id = $1 AND actor_code IS NOT NULL)
             ORDER BY i.name",
        )
        .bind(patient.0)
        .fetch_all(p)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(code, name, name_en)| InstitutionRef {
            code,
            name,
            name_en,
        })
        .collect())
}

/// One break found by [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub patient: PatientId,
    /// The entry's row id; `None` for the chain's head.
    pub entry: Option<i64>,
    pub seq: i64,
    pub what: Break,
}

/// What [`verify`] checked and found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    pub patients: usize,
    pub entries: usize,
    pub problems: Vec<Problem>,
}

/// Walks every patient's chain from its start and checks it against its head. Reads one
/// patient at a time, so memory stays that of the longest chain.
pub async fn verify(db: &Db) -> Result<Verification, StorageError> {
    let patients: Vec<(i64, Option<i64>, Option<String>)> = on_db!(db, p => {
        sqlx::query_as(
            "SELECT p.patient_id, h.seq, h.hash FROM
                (SELECT patient_id FROM access_log UNION SELECT patient_id FROM access_log_heads) p
             LEFT JOIN access_log_heads h ON h.patient_id = p.patient_id
             ORDER BY p.patient_id",
        )
        .fetch_all(p)
        .await?
    });
    let mut result = Verification::default();
    let sql = format!("SELECT {COLUMNS} FROM access_log WHERE patient_id = $1 ORDER BY seq, id");
    for (patient, head_seq, head_hash) in patients {
        let rows: Vec<Row> =
            on_db!(db, p => sqlx::query_as(&sql).bind(patient).fetch_all(p).await?);
        let links = rows
            .into_iter()
            .map(stored)
            .collect::<Result<Vec<_>, _>>()?;
        result.patients += 1;
        result.entries += links.len();
        let head = match (head_seq, head_hash.as_deref()) {
            (Some(seq), Some(hash)) => Some((seq, hash)),
            // Entries without a head: the head row itself was removed.
            _ => Some((-1, "")),
        };
        for (entry, seq, what) in access_log::check_chain(patient, &links, head) {
            result.problems.push(Problem {
                patient: PatientId(patient),
                entry,
                seq,
                what,
            });
        }
    }
    Ok(result)
}

/// Every entry recording one of `actions`, of every patient, in chain order: for checks that
/// go beyond the chain (the card signatures on consent changes).
pub async fn with_actions(
    db: &Db,
    actions: &[Action],
) -> Result<Vec<(PatientId, StoredLink)>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS}, patient_id FROM access_log WHERE action = $1 ORDER BY patient_id, seq"
    );
    #[derive(sqlx::FromRow)]
    struct WithPatient {
        #[sqlx(flatten)]
        row: Row,
        patient_id: i64,
    }
    let mut found = Vec::new();
    for action in actions {
        let rows: Vec<WithPatient> =
            on_db!(db, p => sqlx::query_as(&sql).bind(action.as_str()).fetch_all(p).await?);
        for r in rows {
            found.push((PatientId(r.patient_id), stored(r.row)?));
        }
    }
    Ok(found)
}
