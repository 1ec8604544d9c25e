//! The access log in the database, on SQLite and on PostgreSQL: appended per patient as one hash
//! chain, refused any change by the database itself, and every kind of tampering (an edited,
//! deleted, inserted or reordered entry, a cut-off end) named by `verify` once someone with
//! the database's owner rights goes around the triggers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;

use chrono::Duration;
use common::{TestDb, clock_now, exec, load_demo};
use portal::domain::access_log::{Action, ActorKind, Break, Entry, Outcome};
use portal::domain::consent::DataKind;
use portal::storage::Db;
use portal::storage::access_log::{self, Filter, Problem};
use portal::storage::patients::PatientId;

storage_suite!(
    entries_chain_per_patient_and_read_back_newest_first,
    the_database_refuses_to_change_or_remove_an_entry,
    verify_names_each_kind_of_tampering,
);

async fn patients(db: &Db) -> Vec<PatientId> {
    let ids: Vec<i64> = match db {
        Db::Sqlite(p) => sqlx::query_scalar("SELECT id FROM patients ORDER BY id")
            .fetch_all(p)
            .await
            .unwrap(),
        Db::Postgres(p) => sqlx::query_scalar("SELECT id FROM patients ORDER BY id")
            .fetch_all(p)
            .await
            .unwrap(),
    };
    ids.into_iter().map(PatientId).collect()
}

/// An institution's read of `n` records, `minutes` after the test's clock.
fn read(minutes: i64, n: i64) -> Entry {
    let mut e = Entry::new(
        clock_now() + Duration::minutes(minutes),
        ActorKind::Institution,
        Action::Read,
        Outcome::Allowed,
    );
    e.actor_code = Some("1311234567".into());
    e.actor_name = Some("みなと薬局".into());
    e.data_kind = Some(DataKind::Medications);
    e.records = Some(n);
    e
}

async fn append_reads(db: &Db, patient: PatientId, n: i64) {
    for i in 1..=n {
        access_log::append(db, patient, &read(i, i)).await.unwrap();
    }
}

/// Runs a statement that must fail, and returns the database's message.
async fn refused(db: &Db, sql: &str) -> String {
    let result = match db {
        Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(drop),
        Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(drop),
    };
    result.expect_err(sql).to_string()
}

async fn entries_chain_per_patient_and_read_back_newest_first(t: TestDb) {
    load_demo(&t.db).await;
    let ps = patients(&t.db).await;
    append_reads(&t.db, ps[0], 4).await;
    append_reads(&t.db, ps[1], 2).await;

    // Concurrent appends for one patient queue on the chain's head and all link.
    let appends = (10..20).map(|i| {
        let db = t.db.clone();
        let p = ps[2];
        tokio::spawn(async move { access_log::append(&db, p, &read(i, i)).await })
    });
    for a in appends {
        a.await.unwrap().unwrap();
    }

    let checked = access_log::verify(&t.db).await.unwrap();
    assert_eq!(checked.problems, []);
    assert_eq!((checked.patients, checked.entries), (3, 16));

    let (page, total) = access_log::page(&t.db, ps[0], &Filter::default(), 0, 3)
        .await
        .unwrap();
    assert_eq!(total, 4);
    let counts: Vec<_> = page.iter().map(|l| l.entry.records.unwrap()).collect();
    assert_eq!(counts, [4, 3, 2], "newest first, one page");
    assert_eq!(page[0].entry, read(4, 4), "read back exactly as written");
    let (rest, _) = access_log::page(&t.db, ps[0], &Filter::default(), 3, 3)
        .await
        .unwrap();
    assert_eq!(rest.len(), 1);

    // Filters: by who, outcome and Japan day (the test clock is 12:00 in Japan).
    let by = |who: &str| Filter {
        who: Some(who.into()),
        ..Filter::default()
    };
    let first = ps[0];
    let total_of = |f: Filter| {
        let db = t.db.clone();
        async move { access_log::page(&db, first, &f, 0, 50).await.unwrap().1 }
    };
    assert_eq!(total_of(by("1311234567")).await, 4);
    assert_eq!(total_of(by("1319999999")).await, 0);
    assert_eq!(total_of(by("patient")).await, 0);
    let refused_only = Filter {
        outcome: Some(Outcome::Refused),
        ..Filter::default()
    };
    assert_eq!(total_of(refused_only).await, 0);
    let day = clock_now()
        .with_timezone(&portal::domain::clock::japan_offset())
        .date_naive();
    let that_day = Filter {
        from: Some(day),
        to: Some(day),
        ..Filter::default()
    };
    assert_eq!(total_of(that_day).await, 4);
    let next_day = Filter {
        from: day.succ_opt(),
        ..Filter::default()
    };
    assert_eq!(total_of(next_day).await, 0);
    // Another patient's entries never appear.
    let (other, _) = access_log::page(&t.db, ps[3], &Filter::default(), 0, 50)
        .await
        .unwrap();
    assert_eq!(other, []);
}

async fn the_database_refuses_to_change_or_remove_an_entry(t: TestDb) {
    load_demo(&t.db).await;
    let p = patients(&t.db).await[0];
    append_reads(&t.db, p, 3).await;
    for sql in [
        "UPDATE access_log SET records = 0".to_owned(),
        "DELETE FROM access_log".to_owned(),
        format!("DELETE FROM access_log_heads WHERE patient_id = {}", p.0),
        format!(
            "UPDATE access_log_heads SET seq = 1 WHERE patient_id = {}",
            p.0
        ),
        format!(
            "UPDATE access_log_heads SET seq = 9 WHERE patient_id = {}",
            p.0
        ),
    ] {
        let message = refused(&t.db, &sql).await;
        assert!(
            message.contains("append-only")
                || message.contains("forward")
                || message.contains("kept"),
            "{sql}: {message}"
        );
    }
    if matches!(t.db, Db::Postgres(_)) {
        let message = refused(&t.db, "TRUNCATE access_log").await;
        assert!(message.contains("append-only"), "{message}");
    }
    assert_eq!(access_log::verify(&t.db).await.unwrap().problems, []);
}

/// What someone with the owner's rights could do: switch the guards off, then change the rows.
async fn without_guards(db: &Db) {
    match db {
        Db::Sqlite(_) => {
            for trigger in [
                "access_log_no_update",
                "access_log_no_delete",
                "access_log_heads_forward",
                "access_log_heads_no_delete",
            ] {
                exec(db, &format!("DROP TRIGGER {trigger}")).await;
            }
        }
        Db::Postgres(_) => {
            exec(db, "ALTER TABLE access_log DISABLE TRIGGER USER").await;
            exec(db, "ALTER TABLE access_log_heads DISABLE TRIGGER USER").await;
        }
    }
}

async fn verify_names_each_kind_of_tampering(t: TestDb) {
    load_demo(&t.db).await;
    let ps = patients(&t.db).await;
    assert!(ps.len() >= 6);
    for p in &ps[..6] {
        append_reads(&t.db, *p, 5).await;
    }
    assert_eq!(access_log::verify(&t.db).await.unwrap().problems, []);
    without_guards(&t.db).await;
    let id_of = |p: PatientId, seq: i64| {
        let db = t.db.clone();
        async move {
            let sql = format!(
                "SELECT id FROM access_log WHERE patient_id = {} AND seq = {seq}",
                p.0
            );
            match &db {
                Db::Sqlite(c) => sqlx::query_scalar::<_, i64>(&sql)
                    .fetch_one(c)
                    .await
                    .unwrap(),
                Db::Postgres(c) => sqlx::query_scalar::<_, i64>(&sql)
                    .fetch_one(c)
                    .await
                    .unwrap(),
            }
        }
    };

    // 0: an entry edited (fewer records read than were).
    let edited = id_of(ps[0], 3).await;
    exec(
        &t.db,
        &format!("UPDATE access_log SET records = 1 WHERE id = {edited}"),
    )
    .await;
    // 1: an entry deleted.
    let after_deleted = id_of(ps[1], 3).await;
    exec(
        &t.db,
        &format!(
            "DELETE FROM access_log WHERE patient_id = {} AND seq = 2",
            ps[1].0
        ),
    )
    .await;
    // 2: an entry inserted, rehashed to follow the one before it, later ones renumbered.
    let after_inserted = id_of(ps[2], 3).await;
    exec(
        &t.db,
        &format!(
            "UPDATE access_log SET seq = seq + 100 WHERE patient_id = {} AND seq >= 3",
            ps[2].0
        ),
    )
    .await;
    exec(
        &t.db,
        &format!(
            "UPDATE access_log SET seq = seq - 99 WHERE patient_id = {} AND seq >= 100",
            ps[2].0
        ),
    )
    .await;
    let previous: String = common::strings(
        &t.db,
        &format!(
            "SELECT hash FROM access_log WHERE patient_id = {} AND seq = 2",
            ps[2].0
        ),
    )
    .await
    .remove(0);
    let forged = read(2, 0);
    let hash = forged.link(&previous, ps[2].0, 3);
    exec(
        &t.db,
        &format!(
            "INSERT INTO access_log (patient_id, seq, occurred_at, actor_kind, action, outcome,
                detail, prev_hash, hash, actor_code, actor_name, data_kind, records)
             SELECT patient_id, 3, occurred_at, actor_kind, action, outcome, detail,
                '{previous}', '{hash}', actor_code, actor_name, data_kind, 0
             FROM access_log WHERE patient_id = {} AND seq = 2",
            ps[2].0
        ),
    )
    .await;
    exec(
        &t.db,
        &format!(
            "UPDATE access_log_heads SET seq = 6 WHERE patient_id = {}",
            ps[2].0
        ),
    )
    .await;
    // 3: two entries swapped (each keeps its links, and takes the other's place).
    let (second, third) = (id_of(ps[3], 2).await, id_of(ps[3], 3).await);
    exec(
        &t.db,
        &format!("UPDATE access_log SET seq = -2 WHERE id = {second}"),
    )
    .await;
    exec(
        &t.db,
        &format!("UPDATE access_log SET seq = 2 WHERE id = {third}"),
    )
    .await;
    exec(
        &t.db,
        &format!("UPDATE access_log SET seq = 3 WHERE id = {second}"),
    )
    .await;
    // 4: the newest entry cut off.
    exec(
        &t.db,
        &format!(
            "DELETE FROM access_log WHERE patient_id = {} AND seq = 5",
            ps[4].0
        ),
    )
    .await;
    // 5: untouched.

    let found = access_log::verify(&t.db).await.unwrap();
    let of = |p: PatientId| -> Vec<&Problem> {
        found.problems.iter().filter(|f| f.patient == p).collect()
    };
    let has = |p: PatientId, entry: Option<i64>, what: Break| {
        of(p).iter().any(|f| f.entry == entry && f.what == what)
    };
    assert!(has(ps[0], Some(edited), Break::Edited), "{:?}", of(ps[0]));
    assert_eq!(of(ps[0]).len(), 1, "only the edited entry: {:?}", of(ps[0]));
    assert!(
        has(ps[1], Some(after_deleted), Break::Gap { expected: 2 }),
        "{:?}",
        of(ps[1])
    );
    assert!(
        has(ps[1], Some(after_deleted), Break::NotLinked),
        "{:?}",
        of(ps[1])
    );
    assert!(
        has(ps[2], Some(after_inserted), Break::NotLinked),
        "{:?}",
        of(ps[2])
    );
    assert!(has(ps[3], Some(third), Break::Edited), "{:?}", of(ps[3]));
    assert!(
        of(ps[4])
            .iter()
            .any(|f| matches!(f.what, Break::Head { head_seq: 5 })),
        "{:?}",
        of(ps[4])
    );
    assert_eq!(of(ps[5]), Vec::<&Problem>::new());
}
