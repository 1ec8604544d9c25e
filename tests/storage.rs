//! The storage suite: every test here runs once on SQLite and once on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;

use common::{TestDb, clock, count, counts, demo_files, exec, load_demo, today, try_exec};
use portal::feed::FeedKind;
use portal::import::{ImportError, import_bytes};
use portal::storage::Db;

storage_suite!(
    migrations_leave_the_database_ready,
    demo_data_imports_and_reimport_changes_nothing,
    a_file_with_a_bad_row_imports_nothing_and_names_line_and_field,
    records_follow_the_insured_number_history,
    a_record_outside_any_coverage_is_refused,
    shift_jis_csv_imports,
    real_institution_codes_from_every_prefecture_import,
    home_summaries_for_each_persona,
    medication_and_checkup_histories_read_back_whole,
    a_disputed_record_leaves_charts_totals_and_exports_until_rejected,
    receipts_are_kept_per_patient_and_removed_only_by_their_owner,
    concurrent_writers_and_readers_all_succeed,
    concurrent_sign_ins_activity_and_sign_outs_all_succeed,
    activity_is_written_at_most_once_a_minute,
    every_change_to_records_moves_only_their_patients_version,
    reports_about_log_entries_are_the_patients_own_kept_and_decided_once,
);

async fn migrations_leave_the_database_ready(t: TestDb) {
    assert!(t.db.ready().await.unwrap());
    t.db.migrate().await.unwrap();
    assert!(t.db.ready().await.unwrap(), "migrating twice is harmless");
}

async fn demo_data_imports_and_reimport_changes_nothing(t: TestDb) {
    load_demo(&t.db).await;
    let before = counts(&t.db).await;
    assert_eq!(before[1], 6, "six patients");
    assert!(
        before[4] > 2000,
        "the heavy patient brings thousands of dispensing lines"
    );
    let clock = clock();
    for (kind, name, json) in demo_files() {
        let report = import_bytes(&t.db, &clock, name, json.as_bytes(), Some(kind))
            .await
            .unwrap();
        assert_eq!(report.inserted, 0, "{name} again inserts nothing");
    }
    assert_eq!(
        counts(&t.db).await,
        before,
        "re-import changes nothing, imports log included"
    );
}

fn first_row(kind: FeedKind) -> serde_json::Map<String, serde_json::Value> {
    let (_, _, json) = demo_files()
        .into_iter()
        .find(|(k, _, _)| *k == kind)
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["rows"][0].as_object().unwrap().clone()
}

fn s(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn cost_csv(rows: &[[String; 9]]) -> String {
    let mut out = String::from(
        "record_id,member,care_month,institution_code,care_type,days,total,insurer_paid,patient_paid\n",
    );
    for r in rows {
        out.push_str(&r.join(","));
        out.push('\n');
    }
    out
}

fn cost_row(id: &str, total: &str, member: Option<&str>) -> [String; 9] {
    let r = first_row(FeedKind::Costs);
    [
        id.into(),
        member.map(str::to_owned).unwrap_or_else(|| s(&r["member"])),
        s(&r["care_month"]),
        s(&r["institution_code"]),
        s(&r["care_type"]),
        s(&r["days"]),
        total.into(),
        "0".into(),
        "0".into(),
    ]
}

async fn a_file_with_a_bad_row_imports_nothing_and_names_line_and_field(t: TestDb) {
    load_demo(&t.db).await;
    let before = counts(&t.db).await;
    let member = s(&first_row(FeedKind::Costs)["member"]);
    // Break the insurer number's check digit: the last digit of the first part.
    let mut bad_member: Vec<char> = member.chars().collect();
    bad_member[7] = if bad_member[7] == '9' {
        '0'
    } else {
        char::from(bad_member[7] as u8 + 1)
    };
    let bad_member: String = bad_member.into_iter().collect();
    let csv = cost_csv(&[
        cost_row("NEW-1", "1000", None),
        cost_row("NEW-2", "12a", None),
        cost_row("NEW-3", "1000", Some(&bad_member)),
        cost_row("NEW-1", "1000", None),
    ]);
    let err = import_bytes(&t.db, &clock(), "bad.csv", csv.as_bytes(), None)
        .await
        .unwrap_err();
    let found: Vec<(String, String, String)> = err
        .row_errors()
        .iter()
        .map(|e| (e.position.to_string(), e.field.clone(), e.code.clone()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("line 3".into(), "total".into(), "yen_format".into()),
            (
                "line 4".into(),
                "member".into(),
                "insurer_number_check_digit".into()
            ),
            (
                "line 5".into(),
                "record_id".into(),
                "duplicate_record_id".into()
            ),
        ],
        "{err}"
    );
    assert_eq!(counts(&t.db).await, before, "nothing was imported");
}

async fn records_follow_the_insured_number_history(t: TestDb) {
    load_demo(&t.db).await;
    // Persona 1 changed insurer: two coverage periods with different numbers, one patient.
    let periods = sql_i64(&t.db, "SELECT COUNT(*) FROM coverages c JOIN patients p ON p.id = c.patient_id WHERE p.link_key = 'DEMO-0001'").await;
    assert_eq!(periods, 2);
    let numbers = sql_i64(&t.db, "SELECT COUNT(DISTINCT c.insurer_number) FROM coverages c JOIN patients p ON p.id = c.patient_id WHERE p.link_key = 'DEMO-0001'").await;
    assert_eq!(numbers, 2);
    let first_year = sql_i64(&t.db, "SELECT COUNT(*) FROM medications m JOIN patients p ON p.id = m.patient_id WHERE p.link_key = 'DEMO-0001' AND m.dispensed_on < (SELECT MAX(valid_from) FROM coverages c WHERE c.patient_id = p.id)").await;
    let later = sql_i64(&t.db, "SELECT COUNT(*) FROM medications m JOIN patients p ON p.id = m.patient_id WHERE p.link_key = 'DEMO-0001' AND m.dispensed_on >= (SELECT MAX(valid_from) FROM coverages c WHERE c.patient_id = p.id)").await;
    assert!(
        first_year > 0 && later > 0,
        "records under both numbers reach the same patient ({first_year}, {later})"
    );
}

async fn sql_i64(db: &Db, sql: &str) -> i64 {
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
    }
}

async fn a_record_outside_any_coverage_is_refused(t: TestDb) {
    load_demo(&t.db).await;
    let mut row = cost_row("EARLY-1", "1000", None);
    row[2] = "1990-01".into();
    let err = import_bytes(
        &t.db,
        &clock(),
        "early.csv",
        cost_csv(&[row]).as_bytes(),
        None,
    )
    .await
    .unwrap_err();
    let codes: Vec<_> = err
        .row_errors()
        .iter()
        .map(|e| (e.field.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(codes, vec![("member", "unknown_member")]);
    assert!(matches!(err, ImportError::Rows(_)));
}

/// An institutions file of codes the regional health bureaus issued, from every prefecture
/// and score table (`tests/data/real_institution_codes.csv` names the list of each), imports
/// whole.
async fn real_institution_codes_from_every_prefecture_import(t: TestDb) {
    let mut csv = String::from("code,name,name_en,kind\n");
    let real = include_str!("data/real_institution_codes.csv");
    for line in real.lines().skip(1) {
        let fields: Vec<&str> = line.splitn(5, ',').collect();
        let kind = match (fields[2], fields[3].contains("病院")) {
            ("1", true) => "hospital",
            ("1", false) => "clinic",
            ("3", _) => "dental_clinic",
            _ => "pharmacy",
        };
        let name = fields[3].replace('"', "\"\"");
        csv.push_str(&format!(
            "{},\"{name}\",Institution {},{kind}\n",
            fields[0], fields[0]
        ));
    }
    let report = import_bytes(&t.db, &clock(), "real.csv", csv.as_bytes(), None)
        .await
        .unwrap_or_else(|e| panic!("{e}: {:?}", e.row_errors()));
    assert_eq!(report.kind, FeedKind::Institutions);
    assert_eq!(report.inserted as usize, real.lines().count() - 1);
    let prefectures = common::strings(
        &t.db,
        "SELECT DISTINCT substr(code, 1, 2) FROM institutions ORDER BY 1",
    )
    .await;
    assert_eq!(prefectures.len(), 47);
}

async fn shift_jis_csv_imports(t: TestDb) {
    let csv = "code,name,name_en,kind\n1310123455,東京テスト診療所,Tokyo Test Clinic,clinic\n";
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(csv);
    let report = import_bytes(&t.db, &clock(), "inst.csv", &bytes, None)
        .await
        .unwrap();
    assert_eq!((report.kind, report.inserted), (FeedKind::Institutions, 1));
    let name: String = match &t.db {
        Db::Sqlite(p) => sqlx::query_scalar("SELECT name FROM institutions")
            .fetch_one(p)
            .await
            .unwrap(),
        Db::Postgres(p) => sqlx::query_scalar("SELECT name FROM institutions")
            .fetch_one(p)
            .await
            .unwrap(),
    };
    assert_eq!(name, "東京テスト診療所");
}

async fn home_summaries_for_each_persona(t: TestDb) {
    load_demo(&t.db).await;
    let patients = common::demo_patients(&t.db).await;
    assert_eq!(patients.len(), 6);
    let mut summaries = Vec::new();
    for &id in &patients {
        summaries.push(portal::home::summary(&t.db, id, today()).await.unwrap());
    }
    let office = &summaries[0];
    assert!(
        office
            .coverage
            .as_ref()
            .unwrap()
            .number_masked
            .contains('*')
    );
    assert!(
        office.latest_medication.is_some()
            && office.latest_checkup.is_some()
            && office.latest_cost.is_some()
    );
    let checkup = office.latest_checkup.as_ref().unwrap();
    assert!(
        checkup
            .values
            .iter()
            .any(|v| v.item == portal::domain::checkup::CheckupItem::Hba1c)
    );
    let welfare = summaries[3].coverage.as_ref().unwrap();
    assert!(
        !welfare.designated.is_empty(),
        "welfare aid lists its designated institutions"
    );
    assert!(welfare.welfare_office.is_some());
    let empty = &summaries[4];
    assert!(
        empty.latest_medication.is_none()
            && empty.latest_checkup.is_none()
            && empty.latest_cost.is_none()
    );
    assert_eq!(empty.counts, portal::home::RecordCounts::default());
    assert!(
        empty.coverage.is_some(),
        "a new patient still has their insurance"
    );
}

async fn concurrent_writers_and_readers_all_succeed(t: TestDb) {
    let mut tasks = Vec::new();
    for i in 0..12u32 {
        let db = t.db.clone();
        tasks.push(tokio::spawn(async move {
            // Distinct valid institution codes: prefecture 13, medical, local number i.
            let body = format!("{:02}{:04}", 10 + i, 1000 + i);
            let code = format!(
                "131{}",
                portal::domain::check_digit::with_check_digit(&body).unwrap()
            );
            let csv = format!("code,name,name_en,kind\n{code},診療所{i},Clinic {i},clinic\n");
            import_bytes(&db, &clock(), "c.csv", csv.as_bytes(), None)
                .await
                .map(|r| r.inserted)
        }));
        let db = t.db.clone();
        tasks.push(tokio::spawn(async move {
            portal::storage::patients::count(&db)
                .await
                .map(|_| 0)
                .map_err(ImportError::from)
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(count(&t.db, "institutions").await, 12);
}

/// The first demo patient with a card, and a card answer to sign in with.
async fn a_card(
    db: &Db,
) -> (
    portal::storage::patients::PatientId,
    i64,
    portal::auth::ceremony::AssertionRecord,
) {
    load_demo(db).await;
    let patient = common::demo_patients(db).await[0];
    let card = portal::storage::cards::NewCard {
        credential_id: "test-card".into(),
        kind: "passkey".into(),
        credential: "{}".into(),
    };
    let card_id = portal::storage::cards::add(db, patient, &card, common::clock_now())
        .await
        .unwrap();
    let assertion = portal::auth::ceremony::AssertionRecord {
        credential_id: vec![1],
        counter: 1,
        user_verified: true,
        client_data_json: b"{}".to_vec(),
        authenticator_data: vec![0; 37],
        signature: vec![0; 64],
    };
    (patient, card_id, assertion)
}

/// Sign-outs read the login and then write inside one transaction while other requests mark
/// their logins seen: on SQLite a deferred transaction would fail at once with "database is
/// locked" when another write lands between its read and its write.
async fn concurrent_sign_ins_activity_and_sign_outs_all_succeed(t: TestDb) {
    use portal::storage::logins;
    let (patient, card_id, assertion) = a_card(&t.db).await;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let (db, assertion) = (t.db.clone(), assertion.clone());
        tasks.push(tokio::spawn(async move {
            let id = format!("login-{i}");
            let now = common::clock_now();
            logins::create(&db, &id, patient, card_id, "test", &assertion, now).await?;
            for _ in 0..3 {
                logins::check(&db, &id, now, logins::Timeouts::default(), true).await?;
            }
            logins::end(&db, &id, "signed_out", now).await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert!(logins::active_of(&t.db, patient).await.unwrap().is_empty());
}

async fn medication_and_checkup_histories_read_back_whole(t: TestDb) {
    load_demo(&t.db).await;
    let patients = common::demo_patients(&t.db).await;
    let mut dispensings = Vec::new();
    let mut checkups = Vec::new();
    for &id in &patients {
        dispensings.push(
            portal::storage::medications::history(&t.db, id)
                .await
                .unwrap(),
        );
        checkups.push(portal::storage::checkups::history(&t.db, id).await.unwrap());
    }
    let total: usize = dispensings.iter().map(Vec::len).sum();
    assert_eq!(
        total as i64,
        counts(&t.db).await[4],
        "every dispensing, each once"
    );
    let heavy = &dispensings[5];
    assert!(heavy.len() > 2000, "ten years of a heavy patient");
    assert!(
        heavy
            .windows(2)
            .all(|w| w[0].record.dispensed_on >= w[1].record.dispensed_on),
        "newest first"
    );
    assert!(
        dispensings[4].is_empty() && checkups[4].is_empty(),
        "the patient with no data"
    );
    let office = &checkups[0];
    assert!(office.len() >= 5, "five years of checkups");
    assert!(
        office
            .windows(2)
            .all(|w| w[0].examined_on <= w[1].examined_on),
        "oldest first"
    );
    assert!(
        office.iter().all(|c| c.results.len() >= 10),
        "results come with each checkup"
    );
    let (sex, _) =
        portal::storage::checkups::person(&t.db, portal::storage::patients::PatientId(1))
            .await
            .unwrap();
    assert_eq!(sex, portal::domain::person::Sex::Male);
}

async fn a_disputed_record_leaves_charts_totals_and_exports_until_rejected(t: TestDb) {
    use portal::disputes::{DisputeReason, DisputeStatus, RecordKind};
    use portal::storage::disputes::{self, DisputeError};
    load_demo(&t.db).await;
    let office = portal::storage::patients::by_link_key(&t.db, "DEMO-0001")
        .await
        .unwrap()
        .unwrap();
    let other = portal::storage::patients::by_link_key(&t.db, "DEMO-0002")
        .await
        .unwrap()
        .unwrap();
    let meds = portal::storage::medications::history(&t.db, office)
        .await
        .unwrap();
    let checkups = portal::storage::checkups::history(&t.db, office)
        .await
        .unwrap();
    let notices = portal::storage::costs::notices(&t.db, office)
        .await
        .unwrap();
    let home = portal::home::summary(&t.db, office, today()).await.unwrap();
    let newest_med = meds[0].id;
    let newest_checkup = checkups.last().unwrap().id;
    let newest_notice = notices.last().unwrap();
    let notice_id: i64 = match &t.db {
        portal::storage::Db::Sqlite(p) => sqlx::query_scalar(
            "SELECT id FROM cost_notices WHERE patient_id = $1 ORDER BY care_month DESC, id DESC LIMIT 1",
        ).bind(office.0).fetch_one(p).await.unwrap(),
        portal::storage::Db::Postgres(p) => sqlx::query_scalar(
            "SELECT id FROM cost_notices WHERE patient_id = $1 ORDER BY care_month DESC, id DESC LIMIT 1",
        ).bind(office.0).fetch_one(p).await.unwrap(),
    };

    // Someone else's record cannot be reported by this patient: the same answer as no record.
    assert!(matches!(
        disputes::report(
            &t.db,
            other,
            RecordKind::Medication,
            newest_med,
            DisputeReason::NotMe,
            "",
            common::clock_now()
        )
        .await,
        Err(DisputeError::NotFound)
    ));

    let med_dispute = disputes::report(
        &t.db,
        office,
        RecordKind::Medication,
        newest_med,
        DisputeReason::NotMe,
        "別の薬局",
        common::clock_now(),
    )
    .await
    .unwrap();
    disputes::report(
        &t.db,
        office,
        RecordKind::Checkup,
        newest_checkup,
        DisputeReason::NeverVisited,
        "",
        common::clock_now(),
    )
    .await
    .unwrap();
    disputes::report(
        &t.db,
        office,
        RecordKind::CostNotice,
        notice_id,
        DisputeReason::WrongContent,
        "",
        common::clock_now(),
    )
    .await
    .unwrap();
    assert!(matches!(
        disputes::report(
            &t.db,
            office,
            RecordKind::Medication,
            newest_med,
            DisputeReason::NotMe,
            "",
            common::clock_now()
        )
        .await,
        Err(DisputeError::AlreadyReported)
    ));

    // The list, the timeline and the duplicate hints read this one query.
    let meds_after = portal::storage::medications::history(&t.db, office)
        .await
        .unwrap();
    assert_eq!(meds_after.len(), meds.len() - 1);
    assert!(meds_after.iter().all(|d| d.id != newest_med));
    // Checkup trends and verdicts.
    let checkups_after = portal::storage::checkups::history(&t.db, office)
        .await
        .unwrap();
    assert_eq!(checkups_after.len(), checkups.len() - 1);
    // Cost charts, totals, the deduction figure and the tax-form export.
    let notices_after = portal::storage::costs::notices(&t.db, office)
        .await
        .unwrap();
    assert_eq!(notices_after.len(), notices.len() - 1);
    assert!(!notices_after.contains(newest_notice));
    // The home page's latest records and counts.
    let home_after = portal::home::summary(&t.db, office, today()).await.unwrap();
    assert_eq!(home_after.counts.medications, home.counts.medications - 1);
    assert_eq!(home_after.counts.checkups, home.counts.checkups - 1);
    assert_eq!(home_after.counts.costs, home.counts.costs - 1);
    assert_ne!(home_after.latest_checkup, home.latest_checkup);

    let mine = disputes::for_patient(&t.db, office).await.unwrap();
    assert_eq!(mine.len(), 3);
    assert!(mine.iter().all(|d| d.status == "open"));
    assert_eq!(disputes::open(&t.db).await.unwrap().len(), 3);

    // Rejected: the record is the patient's after all and comes back; every step is kept.
    disputes::resolve(
        &t.db,
        med_dispute,
        DisputeStatus::Rejected,
        "本人の調剤と確認",
        common::clock_now(),
    )
    .await
    .unwrap();
    assert!(matches!(
        disputes::resolve(
            &t.db,
            med_dispute,
            DisputeStatus::Upheld,
            "",
            common::clock_now()
        )
        .await,
        Err(DisputeError::NotOpen)
    ));
    assert_eq!(
        portal::storage::medications::history(&t.db, office)
            .await
            .unwrap()
            .len(),
        meds.len()
    );
    let steps = disputes::steps(&t.db, med_dispute).await.unwrap();
    let actions: Vec<(&str, &str)> = steps
        .iter()
        .map(|s| (s.actor.as_str(), s.action.as_str()))
        .collect();
    assert_eq!(actions, [("patient", "reported"), ("operator", "rejected")]);
    assert_eq!(disputes::open(&t.db).await.unwrap().len(), 2);
}

async fn receipts_are_kept_per_patient_and_removed_only_by_their_owner(t: TestDb) {
    use portal::domain::cost::{Receipt, ReceiptInput};
    load_demo(&t.db).await;
    let me = portal::storage::patients::by_link_key(&t.db, "DEMO-0001")
        .await
        .unwrap()
        .unwrap();
    let other = portal::storage::patients::by_link_key(&t.db, "DEMO-0002")
        .await
        .unwrap()
        .unwrap();
    let input = ReceiptInput {
        paid_on: "2025-06-10".into(),
        payee: "タクシー, 東京".into(),
        kind: "transport".into(),
        amount: "3,200".into(),
        reimbursed: "".into(),
    };
    let receipt = Receipt::parse(&input, today()).unwrap();
    let id = portal::storage::receipts::add(&t.db, me, &receipt, common::clock_now())
        .await
        .unwrap();
    let mine = portal::storage::receipts::list(&t.db, me).await.unwrap();
    assert_eq!(mine, vec![(id, receipt)]);
    assert!(
        portal::storage::receipts::list(&t.db, other)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !portal::storage::receipts::remove(&t.db, other, id, common::clock_now())
            .await
            .unwrap(),
        "another patient cannot remove it"
    );
    assert!(
        portal::storage::receipts::remove(&t.db, me, id, common::clock_now())
            .await
            .unwrap()
    );
    assert!(
        portal::storage::receipts::list(&t.db, me)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !portal::storage::receipts::remove(&t.db, me, id, common::clock_now())
            .await
            .unwrap()
    );
}

/// A page view writes the time it was seen only when the stored one is a minute old or more, so
/// most page views are reads; the idle limit counts from the stored time, never later.
async fn activity_is_written_at_most_once_a_minute(t: TestDb) {
    use chrono::TimeDelta;
    use portal::storage::logins::{self, LoginState, Timeouts};
    let (patient, card_id, assertion) = a_card(&t.db).await;
    let start = common::clock_now();
    logins::create(&t.db, "seen", patient, card_id, "test", &assertion, start)
        .await
        .unwrap();
    let seen_at = |offset: TimeDelta, touch: bool| {
        let db = t.db.clone();
        async move {
            match logins::check(&db, "seen", start + offset, Timeouts::default(), touch)
                .await
                .unwrap()
            {
                LoginState::Active(row) => row.last_seen_at - start,
                other => panic!("the login ended: {other:?}"),
            }
        }
    };
    let s = TimeDelta::seconds;
    assert_eq!(
        seen_at(s(59), true).await,
        s(0),
        "under a minute: not written"
    );
    assert_eq!(seen_at(s(60), true).await, s(60), "a minute: written");
    assert_eq!(seen_at(s(110), true).await, s(60));
    assert_eq!(
        seen_at(s(200), false).await,
        s(60),
        "background polling never writes"
    );
    // Stored at 60 s: the 15-minute idle limit runs from there, even after the views at 110 s.
    assert_eq!(seen_at(s(60 + 15 * 60), true).await, s(60 + 15 * 60));
    let ended = logins::check(
        &t.db,
        "seen",
        start + s(60 + 15 * 60) + TimeDelta::minutes(15) + s(1),
        Timeouts::default(),
        true,
    )
    .await
    .unwrap();
    assert_eq!(ended, LoginState::Ended("idle".into()));
}

/// The records cache trusts the version completely: every kind of change to what a records page
/// shows must move it (for the patient concerned only), and nothing else may.
async fn every_change_to_records_moves_only_their_patients_version(t: TestDb) {
    use portal::disputes::{DisputeReason, DisputeStatus, RecordKind};
    use portal::domain::cost::{Receipt, ReceiptInput};
    use portal::storage::patients::{PatientId, RecordsVersion, records_version};
    load_demo(&t.db).await;
    let patients = common::demo_patients(&t.db).await;
    let me = patients[0];
    let versions = async |db: &Db| -> Vec<RecordsVersion> {
        let mut all = Vec::new();
        for p in &patients {
            all.push(records_version(db, *p).await.unwrap());
        }
        all
    };
    // Which patients' versions moved since `before`, and whether the shared epoch did.
    let moved = async |db: &Db, before: &[RecordsVersion]| -> (Vec<PatientId>, bool) {
        let after = versions(db).await;
        let who = patients
            .iter()
            .zip(before.iter().zip(&after))
            .filter(|(_, (b, a))| b.patient != a.patient)
            .map(|(p, _)| *p)
            .collect();
        (who, after[0].epoch != before[0].epoch)
    };

    let before = versions(&t.db).await;
    let clock = clock();
    for (kind, name, json) in demo_files() {
        import_bytes(&t.db, &clock, name, json.as_bytes(), Some(kind))
            .await
            .unwrap();
    }
    assert_eq!(
        moved(&t.db, &before).await,
        (vec![], false),
        "re-import changes nothing"
    );

    let before = versions(&t.db).await;
    import_bytes(
        &t.db,
        &clock,
        "late.csv",
        cost_csv(&[cost_row("LATE-1", "1200", None)]).as_bytes(),
        None,
    )
    .await
    .unwrap();
    let (who, epoch) = moved(&t.db, &before).await;
    assert_eq!(
        (who.len(), epoch),
        (1, false),
        "a late claim: its patient only"
    );

    let before = versions(&t.db).await;
    let input = ReceiptInput {
        paid_on: "2025-06-10".into(),
        payee: "薬局".into(),
        kind: "medicine".into(),
        amount: "980".into(),
        reimbursed: "".into(),
    };
    let receipt = Receipt::parse(&input, today()).unwrap();
    let id = portal::storage::receipts::add(&t.db, me, &receipt, common::clock_now())
        .await
        .unwrap();
    assert_eq!(moved(&t.db, &before).await, (vec![me], false), "a receipt");
    let before = versions(&t.db).await;
    portal::storage::receipts::remove(&t.db, me, id, common::clock_now())
        .await
        .unwrap();
    assert_eq!(
        moved(&t.db, &before).await,
        (vec![me], false),
        "a removed receipt"
    );

    let before = versions(&t.db).await;
    let notice = portal::storage::costs::notices(&t.db, me).await.unwrap()[0]
        .notice
        .clone();
    let correction = portal::domain::cost::CostCorrection::withdrawal(
        notice.care_month,
        notice.institution.clone(),
    );
    portal::storage::cost_corrections::record(&t.db, me, &correction, common::clock_now())
        .await
        .unwrap();
    assert_eq!(
        moved(&t.db, &before).await,
        (vec![me], false),
        "a cost correction"
    );
    assert_eq!(
        portal::storage::cost_corrections::corrections(&t.db, me)
            .await
            .unwrap(),
        [correction]
    );

    let before = versions(&t.db).await;
    let med = portal::storage::medications::history(&t.db, me)
        .await
        .unwrap()[0]
        .id;
    let dispute = portal::storage::disputes::report(
        &t.db,
        me,
        RecordKind::Medication,
        med,
        DisputeReason::NotMe,
        "",
        common::clock_now(),
    )
    .await
    .unwrap();
    assert_eq!(moved(&t.db, &before).await, (vec![me], false), "a report");
    let before = versions(&t.db).await;
    portal::storage::disputes::resolve(
        &t.db,
        dispute,
        DisputeStatus::Rejected,
        "確認済み",
        common::clock_now(),
    )
    .await
    .unwrap();
    assert_eq!(
        moved(&t.db, &before).await,
        (vec![me], false),
        "a resolved report"
    );

    // Changes no import makes today, straight in SQL: the triggers still see them.
    let me_id = me.0;
    let welfare = PatientId(
        sql_i64(
            &t.db,
            "SELECT c.patient_id FROM welfare_designations d JOIN coverages c ON c.id = d.coverage_id
             ORDER BY d.coverage_id LIMIT 1",
        )
        .await,
    );
    let before = versions(&t.db).await;
    exec(
        &t.db,
        &format!(
            "DELETE FROM welfare_designations WHERE coverage_id IN
             (SELECT id FROM coverages WHERE patient_id = {})",
            welfare.0
        ),
    )
    .await;
    assert_eq!(
        moved(&t.db, &before).await,
        (vec![welfare], false),
        "designated institutions"
    );
    for (what, sql) in [
        (
            "a checkup value",
            format!(
                "UPDATE checkup_results SET value_num = value_num + 1 WHERE checkup_id =
             (SELECT MIN(id) FROM checkups WHERE patient_id = {me_id}) AND value_num IS NOT NULL"
            ),
        ),
        (
            "a coverage",
            format!("UPDATE coverages SET ceiling_category = NULL WHERE patient_id = {me_id}"),
        ),
        (
            "the name",
            format!("UPDATE patients SET name = 'テスト 花子' WHERE id = {me_id}"),
        ),
        // The home page says which cards changed since the previous sign-in.
        (
            "a card event",
            format!(
                "INSERT INTO patient_events (patient_id, occurred_at, kind, detail)
                 VALUES ({me_id}, '2026-11-20T03:00:00Z', 'card_revoked', '{{}}')"
            ),
        ),
    ] {
        let before = versions(&t.db).await;
        exec(&t.db, &sql).await;
        assert_eq!(moved(&t.db, &before).await, (vec![me], false), "{what}");
    }

    // Other events (a failed sign-in, a card check) change nothing a page shows.
    let before = versions(&t.db).await;
    exec(
        &t.db,
        &format!(
            "INSERT INTO patient_events (patient_id, occurred_at, kind, detail)
             VALUES ({me_id}, '2026-11-20T03:00:00Z', 'sign_in_failed', '{{}}')"
        ),
    )
    .await;
    assert_eq!(
        moved(&t.db, &before).await,
        (vec![], false),
        "a failed sign-in"
    );
    let before = versions(&t.db).await;
    let (_, card, assertion) = a_card(&t.db).await;
    assert_eq!(moved(&t.db, &before).await, (vec![me], false), "a new card");
    let before = versions(&t.db).await;
    portal::storage::logins::create(
        &t.db,
        "a-new-login",
        me,
        card,
        "test",
        &assertion,
        common::clock_now(),
    )
    .await
    .unwrap();
    assert_eq!(moved(&t.db, &before).await, (vec![me], false), "a sign-in");

    // Institution names are shown on every patient's pages: the shared epoch moves, and only
    // for a real change.
    let before = versions(&t.db).await;
    exec(&t.db, "UPDATE institutions SET name = name").await;
    assert_eq!(
        moved(&t.db, &before).await,
        (vec![], false),
        "an unchanged name"
    );
    exec(&t.db, "UPDATE institutions SET name = name || '（旧）' WHERE code = (SELECT MIN(code) FROM institutions)").await;
    assert_eq!(
        moved(&t.db, &before).await,
        (vec![], true),
        "a renamed institution"
    );
}

async fn reports_about_log_entries_are_the_patients_own_kept_and_decided_once(t: TestDb) {
    use portal::domain::access_log::{Action, ActorKind, Entry, Outcome};
    use portal::domain::access_report::{Concern, ReportStatus};
    use portal::storage::access_reports::{self, AccessReportError};
    load_demo(&t.db).await;
    let patients = common::demo_patients(&t.db).await;
    let (me, other) = (patients[0], patients[1]);
    let at = common::clock_now();
    let sign_in = Entry::new(at, ActorKind::Patient, Action::SignIn, Outcome::Done);
    portal::storage::access_log::append(&t.db, me, &sign_in)
        .await
        .unwrap();
    let filter = portal::storage::access_log::Filter::default();
    let (mine, _) = portal::storage::access_log::page(&t.db, me, &filter, 0, 1)
        .await
        .unwrap();
    let entry = mine[0].id;

    // Another patient cannot report my entry: the same answer as no entry at all.
    for (who, id) in [(other, entry), (me, entry + 1000)] {
        assert!(matches!(
            access_reports::report(&t.db, who, id, Concern::NotMe, "", at).await,
            Err(AccessReportError::NotFound)
        ));
    }
    let id = access_reports::report(&t.db, me, entry, Concern::NotMe, "not me", at)
        .await
        .unwrap();
    assert!(matches!(
        access_reports::report(&t.db, me, entry, Concern::NotMe, "again", at).await,
        Err(AccessReportError::AlreadyReported)
    ));
    assert_eq!(access_reports::open(&t.db).await.unwrap().len(), 1);
    assert!(
        access_reports::of_patient(&t.db, other)
            .await
            .unwrap()
            .is_empty()
    );

    access_reports::resolve(
        &t.db,
        id,
        ReportStatus::Explained,
        "a sign-in from home",
        at,
    )
    .await
    .unwrap();
    assert!(matches!(
        access_reports::resolve(&t.db, id, ReportStatus::Confirmed, "changed mind", at).await,
        Err(AccessReportError::NotOpen)
    ));
    let report = access_reports::one(&t.db, id).await.unwrap().unwrap();
    assert_eq!(
        (report.status, report.resolved_at, report.entry_id),
        (ReportStatus::Explained, Some(at), entry)
    );
    let steps = access_reports::steps(&t.db, id).await.unwrap();
    let said: Vec<(&str, &str, &str)> = steps
        .iter()
        .map(|s| (s.actor.as_str(), s.action.as_str(), s.note.as_str()))
        .collect();
    assert_eq!(
        said,
        [
            ("patient", "reported", "not me"),
            ("operator", "explained", "a sign-in from home")
        ]
    );
    // The database keeps every step and every decision as made, whoever writes to it.
    for sql in [
        format!("UPDATE access_report_steps SET note = 'x' WHERE report_id = {id}"),
        format!("DELETE FROM access_report_steps WHERE report_id = {id}"),
        format!("UPDATE access_reports SET status = 'open' WHERE id = {id}"),
        format!("DELETE FROM access_reports WHERE id = {id}"),
    ] {
        assert!(try_exec(&t.db, &sql).await.is_err(), "{sql}");
    }
}
