//! The `portal` binary as an operator uses it: help, version, demo data, import and the clear
//! errors for bad configuration.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

fn portal(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_portal"));
    cmd.args(args)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Writes the demo feed files into `dir/demo` and imports the institutions and persons with
/// `env` (the database to fill).
fn import_demo_people(dir: &std::path::Path, env: &[(&str, &str)]) {
    let out = dir.join("demo");
    let demo = portal(
        &[
            "demo-data",
            "--until",
            "2026-11-20",
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert!(demo.status.success(), "{}", stderr(&demo));
    let files: Vec<String> = ["institutions", "persons"]
        .iter()
        .map(|k| out.join(format!("{k}.json")).display().to_string())
        .collect();
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    let o = portal(&args, env);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn help_and_version() {
    let help = portal(&["--help"], &[]);
    assert!(help.status.success());
    for sub in [
        "serve",
        "check-config",
        "migrate",
        "demo-data",
        "import",
        "backup",
    ] {
        assert!(stdout(&help).contains(sub), "--help lists {sub}");
    }
    let version = portal(&["--version"], &[]);
    assert_eq!(
        stdout(&version).trim(),
        format!("portal {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn demo_data_is_byte_identical_for_the_same_seed() {
    let dir = tempfile::tempdir().unwrap();
    let run = |out: &str, seed: &str| {
        let o = portal(
            &[
                "demo-data",
                "--seed",
                seed,
                "--until",
                "2026-11-20",
                "--out",
                out,
            ],
            &[],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    };
    let (a, b, c) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    run(a.to_str().unwrap(), "7");
    run(b.to_str().unwrap(), "7");
    run(c.to_str().unwrap(), "8");
    let mut differs = false;
    for name in [
        "institutions.json",
        "persons.json",
        "medications.json",
        "checkups.json",
        "costs.json",
    ] {
        let (x, y, z) = (
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
            std::fs::read(c.join(name)).unwrap(),
        );
        assert_eq!(x, y, "{name} is byte-identical for the same seed");
        differs |= x != z;
    }
    assert!(differs, "another seed gives other data");
}

#[test]
fn import_reports_bad_rows_and_imports_nothing_then_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}/p.db", dir.path().display());
    let env = [("DATABASE_URL", db.as_str())];
    let out = dir.path().join("demo");
    let o = portal(
        &[
            "demo-data",
            "--until",
            "2026-11-20",
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success());
    let inst = out.join("institutions.json");
    let bad = dir.path().join("bad-institutions.csv");
    std::fs::write(&bad, "code,name,name_en,kind\n1310123455,良い診療所,Good Clinic,clinic\n1310123456,悪い診療所,Bad Clinic,clinic\n9910123455,県なし,No Prefecture,clinic\n").unwrap();
    let o = portal(&["import", bad.to_str().unwrap()], &env);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("nothing imported"), "{err}");
    assert!(err.contains("line 3, field code"), "{err}");
    assert!(err.contains("line 4, field code"), "{err}");
    assert!(!err.contains("line 2"), "{err}");
    let first = portal(&["import", inst.to_str().unwrap()], &env);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("20 new"), "{}", stdout(&first));
    let again = portal(&["import", inst.to_str().unwrap()], &env);
    assert!(
        stdout(&again).contains("0 new, 20 already present"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn bad_configuration_gets_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    let site = site.to_str().unwrap();

    let o = portal(&["migrate"], &[("DATABASE_URL", "mysql://u:secret@h/db")]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("must start with sqlite: or postgres://"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("secret"));

    let o = portal(
        &["migrate"],
        &[("DATABASE_URL", "sqlite:/proc/portal-test/p.db")],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("/proc/portal-test")
            && stderr(&o).contains("cannot be created or written"),
        "{}",
        stderr(&o)
    );

    let db = format!("sqlite:{}/p.db", dir.path().display());
    let o = portal(
        &[
            "check-config",
            "--site-root",
            site,
            "--public-url",
            "http://127.0.0.1:3000",
        ],
        &[("DATABASE_URL", &db)],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("host name, not an IP address"),
        "{}",
        stderr(&o)
    );

    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let bind = busy.local_addr().unwrap().to_string();
    let key = format!("{}/server.key", dir.path().display());
    let o = portal(
        &["serve", "--bind", &bind, "--site-root", site],
        &[
            ("DATABASE_URL", &db),
            ("DEMO", "true"),
            ("DEMO_PATIENTS", "1"),
            ("KEY_FILE", &key),
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("already in use"), "{}", stderr(&o));

    let o = portal(
        &["check-config", "--site-root", site],
        &[("DATABASE_URL", &db), ("KEY_FILE", &key)],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("needs at least one --trust-anchor"),
        "{}",
        stderr(&o)
    );
    let o = portal(
        &["check-config", "--site-root", site, "--card-policy", "dev"],
        &[("DATABASE_URL", &db), ("KEY_FILE", &key)],
    );
    assert!(
        stderr(&o).contains("only allowed with --demo"),
        "{}",
        stderr(&o)
    );

    let o = portal(&["serve", "--bind", "localhost:99999"], &[]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--bind"), "{}", stderr(&o));
}

#[test]
fn backup_copies_the_sqlite_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}/p.db", dir.path().display());
    let env = [("DATABASE_URL", db.as_str())];
    assert!(portal(&["migrate"], &env).status.success());
    let to = dir.path().join("backup/copy.db");
    let o = portal(&["backup", "--to", to.to_str().unwrap()], &env);
    assert!(o.status.success(), "{}", stderr(&o));
    let copy = format!("sqlite:{}", to.display());
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    let key = format!("{}/server.key", dir.path().display());
    let o = portal(
        &[
            "check-config",
            "--demo",
            "--site-root",
            site.to_str().unwrap(),
        ],
        &[("DATABASE_URL", &copy), ("KEY_FILE", &key)],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("migrations applied"),
        "the copy is a complete, migrated database"
    );
}

/// Starts `portal serve --demo` (one patient) in `dir` and waits until it listens.
fn serve_demo(dir: &std::path::Path) -> (std::process::Child, String, u16) {
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bind = format!("127.0.0.1:{port}");
    let db = format!("sqlite:{}/p.db", dir.display());
    let child = Command::new(env!("CARGO_BIN_EXE_portal"))
        .args([
            "serve",
            "--bind",
            &bind,
            "--site-root",
            site.to_str().unwrap(),
        ])
        .env("DATABASE_URL", &db)
        .env("DEMO", "true")
        .env("DEMO_PATIENTS", "1")
        .env("KEY_FILE", dir.join("server.key"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        std::net::TcpStream::connect(&bind).is_ok()
    });
    assert!(started, "the server listens");
    (child, bind, port)
}

fn sigterm(child: &std::process::Child) {
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let (child, bind, port) = serve_demo(dir.path());
    sigterm(&child);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "exit after SIGTERM: {:?} {}",
        out.status,
        stderr(&out)
    );
    assert!(
        stdout(&out).contains(&format!("http://localhost:{port}/")),
        "the URL uses a host name"
    );
    assert!(stderr(&out).contains("stopped"), "{}", stderr(&out));
    assert!(
        std::net::TcpStream::connect(&bind).is_err(),
        "no longer accepting connections"
    );
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The database, its WAL and shared-memory files, a backup, the key and the demo codes can be
/// read by their owner only; a key file others could read stops the portal.
#[cfg(unix)]
#[test]
fn data_files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (child, _, _) = serve_demo(dir.path());
    let live: Vec<_> = ["p.db", "p.db-wal", "p.db-shm"]
        .iter()
        .map(|f| dir.path().join(f))
        .filter(|p| p.exists())
        .collect();
    assert!(
        live.len() >= 2,
        "the database and its WAL exist while serving: {live:?}"
    );
    for path in live.iter().chain(
        [
            dir.path().join("server.key"),
            dir.path().join("demo-enrollment-codes.txt"),
        ]
        .iter(),
    ) {
        assert_eq!(mode(path), 0o600, "{}", path.display());
    }
    let db = format!("sqlite:{}/p.db", dir.path().display());
    let to = dir.path().join("backups/copy.db");
    let o = portal(
        &["backup", "--to", to.to_str().unwrap()],
        &[("DATABASE_URL", &db)],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(mode(&to), 0o600, "the backup");
    sigterm(&child);
    assert!(child.wait_with_output().unwrap().status.success());

    let key = dir.path().join("server.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = portal(
        &["enroll-code", "--link-key", "DEMO-0001"],
        &[("DATABASE_URL", &db), ("KEY_FILE", key.to_str().unwrap())],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("chmod 600"), "{}", stderr(&o));
}

#[test]
fn operators_issue_enrollment_codes() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}/p.db", dir.path().display());
    let key = format!("{}/server.key", dir.path().display());
    let env = [("DATABASE_URL", db.as_str()), ("KEY_FILE", key.as_str())];
    import_demo_people(dir.path(), &env);
    let o = portal(&["enroll-code", "--link-key", "DEMO-0001"], &env);
    assert!(o.status.success(), "{}", stderr(&o));
    let printed = stdout(&o);
    let code = printed
        .lines()
        .find_map(|l| l.strip_prefix("enrollment code: "))
        .unwrap();
    assert_eq!(code.len(), 19, "four groups of four: {code}");
    assert!(printed.contains("valid until"));
    let o = portal(&["enroll-code", "--link-key", "NOBODY"], &env);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no patient has the link key"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn operators_list_and_decide_reports_of_records_that_are_not_the_patients() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}/p.db", dir.path().display());
    let env = [("DATABASE_URL", db.as_str())];
    let out = dir.path().join("demo");
    let o = portal(
        &[
            "demo-data",
            "--until",
            "2026-11-20",
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success());
    let files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    let mut args = vec!["import"];
    // Institutions and persons first: records refer to them.
    let mut sorted = files.clone();
    sorted.sort_by_key(|f| !(f.ends_with("institutions.json") || f.ends_with("persons.json")));
    sorted.sort_by_key(|f| !f.ends_with("institutions.json"));
    args.extend(sorted.iter().map(String::as_str));
    let o = portal(&args, &env);
    assert!(o.status.success(), "{}", stderr(&o));

    let o = portal(&["disputes", "list"], &env);
    assert!(o.status.success());
    assert!(stdout(&o).contains("no open reports"));

    // A patient's report, as the page makes it.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dispute = rt.block_on(async {
        let db = portal::storage::Db::connect(&portal::storage::DbTarget::parse(&db).unwrap())
            .await
            .unwrap();
        let patient = portal::storage::patients::by_link_key(&db, "DEMO-0001")
            .await
            .unwrap()
            .unwrap();
        let med = portal::storage::medications::history(&db, patient)
            .await
            .unwrap()[0]
            .id;
        portal::storage::disputes::report(
            &db,
            patient,
            portal::disputes::RecordKind::Medication,
            med,
            portal::disputes::DisputeReason::NeverVisited,
            "",
            chrono::Utc::now(),
        )
        .await
        .unwrap()
    });
    let o = portal(&["disputes", "list"], &env);
    assert!(
        stdout(&o).contains(&format!("#{dispute} ")),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("never_visited"));

    let id = dispute.to_string();
    let o = portal(
        &[
            "disputes",
            "resolve",
            "--id",
            &id,
            "--decision",
            "upheld",
            "--note",
            " ",
        ],
        &env,
    );
    assert!(!o.status.success(), "a decision needs a reason");
    let o = portal(
        &[
            "disputes",
            "resolve",
            "--id",
            &id,
            "--decision",
            "upheld",
            "--note",
            "保険者に確認",
        ],
        &env,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = portal(
        &[
            "disputes",
            "resolve",
            "--id",
            &id,
            "--decision",
            "rejected",
            "--note",
            "again",
        ],
        &env,
    );
    assert!(!o.status.success(), "a decided report is not decided twice");
    let o = portal(&["disputes", "show", "--id", &id], &env);
    let steps = stdout(&o);
    assert!(
        steps.contains("patient reported") && steps.contains("operator upheld 保険者に確認"),
        "{steps}"
    );
    assert!(stdout(&portal(&["disputes", "list"], &env)).contains("no open reports"));
}

#[tokio::test]
async fn verify_log_names_a_tampered_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    let db = format!("sqlite:{}", path.display());
    let key = format!("{}/server.key", dir.path().display());
    let env = [("DATABASE_URL", db.as_str()), ("KEY_FILE", key.as_str())];
    import_demo_people(dir.path(), &env);
    // Each code issued is an entry in the patient's log.
    for _ in 0..3 {
        assert!(
            portal(&["enroll-code", "--link-key", "DEMO-0001"], &env)
                .status
                .success()
        );
    }
    let o = portal(&["verify-log"], &env);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("checked 3 entries of 1 patients: every chain is whole"),
        "{}",
        stdout(&o)
    );

    // Someone with the file goes around the trigger and edits the middle entry.
    let pool = sqlx::SqlitePool::connect(&db).await.unwrap();
    sqlx::query("DROP TRIGGER access_log_no_update")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE access_log SET actor_kind = 'patient' WHERE seq = 2")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let o = portal(&["verify-log"], &env);
    assert!(!o.status.success());
    assert!(
        stdout(&o).contains(
            "(number 2 in the chain): its content does not give its stored hash: it was edited"
        ),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains(": 1 problem\n"), "{}", stdout(&o));
    assert!(stderr(&o).contains("tampered"), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_issue_and_revoke_institution_credentials_and_portal_api_calls_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, bind, _) = serve_demo(dir.path());
    let db = format!("sqlite:{}/p.db", dir.path().display());
    let env = [("DATABASE_URL", db.as_str())];
    let pool = sqlx::SqlitePool::connect(&db).await.unwrap();
    let code: String = sqlx::query_scalar("SELECT code FROM institutions ORDER BY code LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let (insurer, symbol, number, branch): (String, String, String, String) = sqlx::query_as(
        "SELECT insurer_number, COALESCE(symbol, ''), member_number, COALESCE(branch, '')
         FROM coverages WHERE insurer_number IS NOT NULL AND valid_to IS NULL LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;

    let o = portal(
        &[
            "institutions",
            "issue-credential",
            "--code",
            &code,
            "--label",
            "reception 1",
        ],
        &env,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let token = stdout(&o).lines().last().unwrap().to_owned();
    let (id, _) = token.split_once('.').unwrap();
    let o = portal(&["institutions", "credentials"], &env);
    assert!(
        stdout(&o).contains(id) && stdout(&o).contains("working"),
        "{}",
        stdout(&o)
    );
    assert!(
        !stdout(&o).contains(&token),
        "the token is never shown again"
    );
    let o = portal(
        &[
            "institutions",
            "issue-credential",
            "--code",
            "0000000000",
            "--label",
            "x",
        ],
        &env,
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no institution has the code"),
        "{}",
        stderr(&o)
    );

    let insured = format!("{insurer}:{symbol}:{number}:{branch}");
    let url = format!("http://{bind}");
    let call = |token: &str| {
        portal(
            &["api", "medications", "--url", &url, "--insured", &insured],
            &[("INSTITUTION_TOKEN", token)],
        )
    };
    let o = call(&token);
    assert!(!o.status.success(), "no consent yet");
    assert!(stdout(&o).contains("\"consent_missing\""), "{}", stdout(&o));
    assert!(stderr(&o).contains("403"), "{}", stderr(&o));

    let o = portal(&["institutions", "revoke-credential", "--id", id], &env);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = call(&token);
    assert!(
        stdout(&o).contains("\"credential_invalid\""),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).contains("401"), "{}", stderr(&o));
    let o = portal(&["institutions", "revoke-credential", "--id", id], &env);
    assert!(!o.status.success(), "revoking twice says so");
    let o = portal(
        &[
            "api",
            "medications",
            "--url",
            &url,
            "--insured",
            "1:2",
            "--token",
            "x",
        ],
        &[],
    );
    assert!(stderr(&o).contains("four parts"), "{}", stderr(&o));

    sigterm(&child);
    let _ = child.wait();
}

#[test]
fn operators_list_show_and_decide_reports_about_log_entries() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}/p.db", dir.path().display());
    let env = [("DATABASE_URL", db.as_str())];
    import_demo_people(dir.path(), &env);
    let o = portal(&["access-reports", "list"], &env);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("no open reports"));

    // A patient's report about an institution's read, as the log page makes it.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let report = rt.block_on(async {
        use portal::domain::access_log::{Action, ActorKind, Entry, Outcome};
        let db = portal::storage::Db::connect(&portal::storage::DbTarget::parse(&db).unwrap())
            .await
            .unwrap();
        let patient = portal::storage::patients::by_link_key(&db, "DEMO-0001")
            .await
            .unwrap()
            .unwrap();
        let mut read = Entry::new(
            chrono::Utc::now(),
            ActorKind::Institution,
            Action::Read,
            Outcome::Allowed,
        );
        read.actor_code = Some("1310000011".into());
        read.data_kind = Some(portal::domain::consent::DataKind::Medications);
        read.records = Some(4);
        portal::storage::access_log::append(&db, patient, &read)
            .await
            .unwrap();
        let filter = portal::storage::access_log::Filter::default();
        let (entries, _) = portal::storage::access_log::page(&db, patient, &filter, 0, 1)
            .await
            .unwrap();
        portal::storage::access_reports::report(
            &db,
            patient,
            entries[0].id,
            portal::domain::access_report::Concern::UnknownInstitution,
            "行ったことのない薬局",
            chrono::Utc::now(),
        )
        .await
        .unwrap()
    });
    let listed = stdout(&portal(&["access-reports", "list"], &env));
    assert!(listed.contains(&format!("#{report} ")), "{listed}");
    assert!(
        listed.contains("[unknown_institution] 行ったことのない薬局"),
        "{listed}"
    );
    assert!(
        listed.contains("1310000011") && listed.contains("(4 records)"),
        "the entry in words: {listed}"
    );

    let id = report.to_string();
    let resolve = |decision: &str, note: &str| {
        portal(
            &[
                "access-reports",
                "resolve",
                "--id",
                &id,
                "--decision",
                decision,
                "--note",
                note,
            ],
            &env,
        )
    };
    assert!(
        !resolve("confirmed", " ").status.success(),
        "a decision says why"
    );
    assert!(
        !resolve("maybe", "x").status.success(),
        "decisions are from the list"
    );
    let o = resolve("confirmed", "credential revoked; the pharmacy was called");
    assert!(o.status.success(), "{}", stderr(&o));
    let o = resolve("explained", "again");
    assert!(!o.status.success(), "a decided report is not decided twice");
    let shown = stdout(&portal(&["access-reports", "show", "--id", &id], &env));
    assert!(shown.contains("[confirmed]"), "{shown}");
    assert!(
        shown.contains("patient reported 行ったことのない薬局")
            && shown.contains("operator confirmed credential revoked; the pharmacy was called"),
        "{shown}"
    );
    assert!(stdout(&portal(&["access-reports", "list"], &env)).contains("no open reports"));
    let o = portal(&["access-reports", "show", "--id", "999"], &env);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("no report #999"), "{}", stderr(&o));
}

/// Operators set up a guardian for a child without a card, renew it, list it and lock every
/// proxy of the child at once; each step is in the child's log, which still verifies. Mistakes
/// are refused with their reason and change nothing.
#[test]
fn operators_set_up_a_guardian_and_lock_a_patients_proxies() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}/p.db", dir.path().display());
    let env = [("DATABASE_URL", db.as_str())];
    import_demo_people(dir.path(), &env);
    let ok = |args: &[&str]| {
        let o = portal(args, &env);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        stdout(&o)
    };
    let refused = |args: &[&str]| {
        let o = portal(args, &env);
        assert!(!o.status.success(), "{args:?} should be refused");
        stderr(&o)
    };
    // Persona 3 is a child of nine; persona 1 (DEMO-0001) an adult.
    assert!(ok(&["proxies", "list", "--link-key", "DEMO-0003"]).contains("no proxies"));
    let set = ok(&[
        "proxies",
        "guardian",
        "--child",
        "DEMO-0003",
        "--guardian",
        "DEMO-0001",
    ]);
    assert!(set.starts_with("guardian set up: grant #"), "{set}");
    let listed = ok(&["proxies", "list", "--link-key", "DEMO-0003"]);
    assert!(listed.contains("guardian manage_consent"), "{listed}");
    assert!(listed.contains("Active"), "{listed}");
    // A renewal names its day; a far one, an adult or an unknown key are refused.
    assert!(
        refused(&[
            "proxies",
            "guardian",
            "--child",
            "DEMO-0003",
            "--guardian",
            "DEMO-0001"
        ])
        .contains("proxy_until_required")
    );
    assert!(
        refused(&[
            "proxies",
            "guardian",
            "--child",
            "DEMO-0003",
            "--guardian",
            "DEMO-0001",
            "--until",
            "2099-01-01",
        ])
        .contains("proxy_until_too_far")
    );
    assert!(
        refused(&[
            "proxies",
            "guardian",
            "--child",
            "DEMO-0001",
            "--guardian",
            "DEMO-0002"
        ])
        .contains("proxy_not_a_child")
    );
    assert!(refused(&["proxies", "list", "--link-key", "NOPE"]).contains("no patient"));
    let next_year = (chrono::Utc::now().date_naive() + chrono::Days::new(365)).to_string();
    let renewed = ok(&[
        "proxies",
        "guardian",
        "--child",
        "DEMO-0003",
        "--guardian",
        "DEMO-0001",
        "--until",
        &next_year,
    ]);
    assert!(renewed.contains("guardian renewed"), "{renewed}");
    assert!(renewed.contains(&next_year), "{renewed}");
    // A lock needs the request it answers.
    assert!(
        refused(&[
            "proxies",
            "lock",
            "--link-key",
            "DEMO-0003",
            "--request",
            " "
        ])
        .contains("support request")
    );
    assert!(
        ok(&[
            "proxies",
            "lock",
            "--link-key",
            "DEMO-0003",
            "--request",
            "support #1"
        ])
        .contains("locked 1 proxies")
    );
    let listed = ok(&["proxies", "list", "--link-key", "DEMO-0003"]);
    assert!(listed.contains("Ended(Locked)"), "{listed}");
    assert!(ok(&["verify-log"]).contains("every chain is whole"));
}
