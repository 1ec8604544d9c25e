//! What each subcommand does. Errors carry context and end the process with a message.

use crate::auth::flows::Auth;
use crate::config::{
    AccessReportsCommand, ApiArgs, Cli, Command, DemoParams, DisputesCommand, EmergencyCommand,
    InstitutionsCommand, Policy, ProxiesCommand, ServeArgs,
};
use crate::demo::{DemoConfig, generate};
use crate::domain::clock::{Clock, SystemClock};
use crate::feed::FeedKind;
use crate::state::AppState;
use crate::storage::{Db, DbTarget};
use anyhow::{Context, Result, bail};
use leptos::config::{Env, LeptosOptions};
use std::sync::Arc;

pub async fn run(cli: Cli) -> Result<()> {
    let target = DbTarget::parse(&cli.database_url)?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    match cli.command {
        Command::Serve(args) => serve(&target, args, clock).await,
        Command::CheckConfig(args) => check_config(&target, &args).await,
        Command::Migrate => {
            let db = open(&target).await?;
            println!("migrations applied ({})", db.engine());
            Ok(())
        }
        Command::DemoData(args) => {
            let until = args.until.unwrap_or_else(|| clock.today_japan());
            let data = generate(&demo_config(&args.params, until));
            let paths = data
                .write_json(&args.out)
                .with_context(|| format!("cannot write demo data into {}", args.out.display()))?;
            for p in paths {
                println!("wrote {}", p.display());
            }
            Ok(())
        }
        Command::Import(args) => {
            let db = open(&target).await?;
            let kind = args.kind.as_deref().and_then(FeedKind::parse);
            let mut failed = 0;
            for path in &args.files {
                let bytes = std::fs::read(path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                let name = path.display().to_string();
                match crate::import::import_bytes(&db, clock.as_ref(), &name, &bytes, kind).await {
                    Ok(report) => println!("{report}"),
                    Err(e) => {
                        failed += 1;
                        eprintln!("{name}: nothing imported: {e}");
                        for row in e.row_errors() {
                            eprintln!("  {row}");
                        }
                    }
                }
            }
            if failed > 0 {
                bail!("{failed} of {} files were not imported", args.files.len());
            }
            Ok(())
        }
        Command::EnrollCode(args) => {
            let db = open(&target).await?;
            let key = crate::auth::server_key::load_or_create(&args.key_file, &mut rand::rng())?;
            let Some(patient) = crate::storage::patients::by_link_key(&db, &args.link_key).await?
            else {
                bail!(
                    "no patient has the link key {:?}; import the persons feed first",
                    args.link_key
                );
            };
            let now = clock.now();
            let code =
                crate::auth::flows::issue_code(&db, &key, patient, now, &mut rand::rng()).await?;
            let until = now + crate::auth::flows::CODE_VALIDITY;
            println!("enrollment code: {}", code.display_grouped());
            println!("valid until: {} (Japan time)", japan(until));
            Ok(())
        }
        Command::Disputes(cmd) => disputes(&target, cmd, clock.as_ref()).await,
        Command::VerifyLog => verify_log(&target).await,
        Command::Institutions(cmd) => institutions(&target, cmd, clock.as_ref()).await,
        Command::Api(args) => api(args, clock.as_ref()).await,
        Command::AccessReports(cmd) => access_reports(&target, cmd, clock.as_ref()).await,
        Command::Proxies(cmd) => proxies(&target, cmd, clock.as_ref()).await,
        Command::Emergency(EmergencyCommand::List { days }) => {
            let db = open(&target).await?;
            let since = clock.now() - chrono::TimeDelta::days(i64::from(days));
            let started = crate::storage::emergency::since(&db, since).await?;
            if started.is_empty() {
                println!("no emergency access in the last {days} days");
            }
            for r in started {
                let e = &r.emergency;
                println!(
                    "#{} {} {} {} (credential {}) patient {} reason {} until {}\n    {}",
                    e.id,
                    japan(e.started_at),
                    e.institution,
                    r.institution_name,
                    r.credential,
                    r.patient,
                    e.reason.as_str(),
                    japan(e.ends_at),
                    e.note
                );
            }
            Ok(())
        }
        Command::Backup(args) => {
            let db = open(&target).await?;
            db.backup_sqlite(&args.to).await?;
            println!("backup written to {}", args.to.display());
            Ok(())
        }
    }
}

async fn proxies(target: &DbTarget, cmd: ProxiesCommand, clock: &dyn Clock) -> Result<()> {
    use crate::domain::access_log::{Action, ActorKind, Entry, Outcome};
    use crate::storage::proxies;
    let db = open(target).await?;
    let patient = async |link_key: &str| -> Result<crate::storage::patients::PatientId> {
        crate::storage::patients::by_link_key(&db, link_key)
            .await?
            .with_context(|| format!("no patient has the link key {link_key:?}"))
    };
    let now = clock.now();
    match cmd {
        ProxiesCommand::List { link_key } => {
            let grants = proxies::of_patient(&db, patient(&link_key).await?).await?;
            if grants.is_empty() {
                println!("no proxies");
            }
            for l in grants {
                let g = &l.grant;
                println!(
                    "#{} {} ({}) {} {} granted {} last day {} {:?}",
                    g.id,
                    l.name,
                    crate::storage::patients::identity(&db, l.other).await?.0,
                    g.kind.as_str(),
                    g.scope.as_str(),
                    japan(g.granted_at),
                    g.until,
                    g.standing(now)
                );
            }
        }
        ProxiesCommand::Lock { link_key, request } => {
            if request.trim().is_empty() {
                bail!("name the support request (--request)");
            }
            let mut entry = Entry::new(
                now,
                ActorKind::Operator,
                Action::ProxiesLocked,
                Outcome::Done,
            );
            entry.reason = Some(request.trim().to_owned());
            let locked = proxies::lock_all(&db, patient(&link_key).await?, now, &entry).await?;
            println!("locked {locked} proxies; their invitations are cancelled");
        }
        ProxiesCommand::Guardian {
            child,
            guardian,
            until,
        } => {
            let (child, guardian) = (patient(&child).await?, patient(&guardian).await?);
            if child == guardian {
                bail!("the child and the guardian are the same person");
            }
            let (_, birth) = crate::storage::checkups::person(&db, child).await?;
            let renewing = proxies::open_between(&db, child, guardian).await?.is_some();
            let last =
                crate::domain::proxy::guardian_terms(birth, clock.today_japan(), until, renewing)
                    .map_err(|e| anyhow::anyhow!("{e} ({})", e.code()))?;
            let mut entry =
                Entry::new(now, ActorKind::Operator, Action::GuardianSet, Outcome::Done);
            entry.reason = Some(
                crate::domain::proxy::Scope::ManageConsent
                    .as_str()
                    .to_owned(),
            );
            entry.detail = serde_json::json!({ "until": last, "renewed": renewing }).to_string();
            let id = proxies::set_guardian(&db, child, guardian, last, now, &entry)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let done = if renewing { "renewed" } else { "set up" };
            println!("guardian {done}: grant #{id}, last day {last}");
        }
    }
    Ok(())
}

/// A time as operators read it: Japan's, to the minute.
fn japan(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&crate::domain::clock::japan_offset())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

async fn access_reports(
    target: &DbTarget,
    cmd: AccessReportsCommand,
    clock: &dyn Clock,
) -> Result<()> {
    use crate::domain::access_report::ReportStatus;
    use crate::storage::access_reports;
    let db = open(target).await?;
    // The entry as the patient saw it, said in English for the operators.
    let describe = async |r: &access_reports::Report| -> Result<String> {
        let (public_id, _) = crate::storage::patients::identity(&db, r.patient).await?;
        let entry = crate::storage::access_log::entry_of(&db, r.patient, r.entry_id)
            .await?
            .with_context(|| format!("report #{}: log entry {} is missing", r.id, r.entry_id))?;
        let view = crate::access_log::EntryView::from(entry);
        let l = crate::i18n::Locale::en;
        Ok(format!(
            "#{} reported {} patient {} [{}] {}\n    entry {} at {}: {}: {} ({})",
            r.id,
            japan(r.reported_at),
            public_id,
            r.concern.as_str(),
            r.note,
            r.entry_id,
            japan(view.at),
            crate::access_log::words::who(l, &view),
            crate::access_log::words::what(l, &view),
            crate::access_log::words::outcome(l, view.outcome),
        ))
    };
    match cmd {
        AccessReportsCommand::List => {
            let open = access_reports::open(&db).await?;
            if open.is_empty() {
                println!("no open reports");
            }
            for r in &open {
                println!("{}", describe(r).await?);
            }
        }
        AccessReportsCommand::Show { id } => {
            let report = access_reports::one(&db, id)
                .await?
                .with_context(|| format!("no report #{id}"))?;
            println!("{} [{}]", describe(&report).await?, report.status.as_str());
            for s in access_reports::steps(&db, id).await? {
                println!(
                    "{} {} {} {}",
                    japan(s.occurred_at),
                    s.actor,
                    s.action,
                    s.note
                );
            }
        }
        AccessReportsCommand::Resolve { id, decision, note } => {
            let status = ReportStatus::parse(&decision)
                .with_context(|| format!("unknown decision {decision}"))?;
            if note.trim().is_empty() {
                bail!("say what was found and done in --note; it is kept with the report");
            }
            access_reports::resolve(&db, id, status, note.trim(), clock.now())
                .await
                .with_context(|| format!("report #{id} was not changed"))?;
            println!("report #{id}: {decision}");
        }
    }
    Ok(())
}

async fn disputes(target: &DbTarget, cmd: DisputesCommand, clock: &dyn Clock) -> Result<()> {
    use crate::storage::disputes;
    let db = open(target).await?;
    match cmd {
        DisputesCommand::List => {
            let open = disputes::open(&db).await?;
            if open.is_empty() {
                println!("no open reports");
            }
            for d in open {
                let (public_id, _) = crate::storage::patients::identity(
                    &db,
                    crate::storage::patients::PatientId(d.patient_id),
                )
                .await?;
                println!(
                    "#{} reported {} patient {} {} {}: {} [{}] {}",
                    d.id,
                    japan(d.reported_at),
                    public_id,
                    d.record_kind,
                    d.record_id,
                    d.record_summary,
                    d.reason,
                    d.note
                );
            }
            Ok(())
        }
        DisputesCommand::Resolve { id, decision, note } => {
            let status = match decision.as_str() {
                "upheld" => crate::disputes::DisputeStatus::Upheld,
                _ => crate::disputes::DisputeStatus::Rejected,
            };
            if note.trim().is_empty() {
                bail!("say why in --note; it is kept with the report");
            }
            disputes::resolve(&db, id, status, note.trim(), clock.now())
                .await
                .with_context(|| format!("report #{id} was not changed"))?;
            println!("report #{id}: {decision}");
            Ok(())
        }
        DisputesCommand::Show { id } => {
            let steps = disputes::steps(&db, id).await?;
            if steps.is_empty() {
                bail!("no report #{id}");
            }
            for s in steps {
                println!(
                    "{} {} {} {}",
                    japan(s.occurred_at),
                    s.actor,
                    s.action,
                    s.note
                );
            }
            Ok(())
        }
    }
}

async fn institutions(
    target: &DbTarget,
    cmd: InstitutionsCommand,
    clock: &dyn Clock,
) -> Result<()> {
    use crate::storage::credentials;
    let db = open(target).await?;
    match cmd {
        InstitutionsCommand::IssueCredential { code, label } => {
            let (row, token) = crate::institution_api::credentials::issue(
                &db,
                code.trim(),
                &label,
                clock.now(),
                &mut rand::rng(),
            )
            .await?;
            println!(
                "credential {} for {} ({})",
                row.public_id, row.institution_code, row.label
            );
            println!("token (shown once; give it to the institution over a safe channel):");
            println!("{token}");
        }
        InstitutionsCommand::Credentials { code } => {
            let rows = credentials::list(&db, code.as_deref()).await?;
            if rows.is_empty() {
                println!("no credentials");
            }
            for r in rows {
                println!(
                    "{} {} {:?} issued {} last used {} {}",
                    r.public_id,
                    r.institution_code,
                    r.label,
                    japan(r.created_at),
                    r.last_used_at.map_or_else(|| "never".to_owned(), japan),
                    r.revoked_at
                        .map_or_else(|| "working".to_owned(), |t| format!("revoked {}", japan(t)))
                );
            }
        }
        InstitutionsCommand::RevokeCredential { id } => {
            if !credentials::revoke(&db, id.trim(), clock.now()).await? {
                bail!("no working credential {id}");
            }
            println!("credential {id} revoked");
        }
    }
    Ok(())
}

async fn api(args: ApiArgs, clock: &dyn Clock) -> Result<()> {
    use crate::institution_api::client;
    let kind = crate::domain::consent::DataKind::parse(&args.kind)
        .with_context(|| format!("unknown kind {}", args.kind))?;
    let call = client::Call {
        base_url: args.url,
        token: args.token,
        kind,
        patient: match (args.insured, args.public_aid) {
            (Some(insured), _) => client::Patient::Insured(insured),
            (None, Some(aid)) => client::Patient::PublicAid(aid),
            (None, None) => bail!("name the patient with --insured or --public-aid"),
        },
        visit_date: args
            .visit
            .unwrap_or_else(|| clock.today_japan().to_string()),
    };
    let (status, answer) = client::call(&call).await?;
    println!("{}", serde_json::to_string_pretty(&answer)?);
    if !(200..300).contains(&status) {
        let code = answer
            .pointer("/error/code")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("unknown");
        bail!("the API answered {status}: {code}");
    }
    Ok(())
}

async fn verify_log(target: &DbTarget) -> Result<()> {
    use crate::domain::access_log::Break;
    let db = open(target).await?;
    let checked = crate::storage::access_log::verify(&db).await?;
    for p in &checked.problems {
        let (public_id, _) = crate::storage::patients::identity(&db, p.patient).await?;
        let place = match p.entry {
            Some(id) => format!("entry #{id} (number {} in the chain)", p.seq),
            None => "the chain's head".to_owned(),
        };
        let what = match &p.what {
            Break::Edited => "its content does not give its stored hash: it was edited".to_owned(),
            Break::NotLinked => {
                "it does not follow the entry before it: an entry was removed, inserted or moved before it"
                    .to_owned()
            }
            Break::Gap { expected } => {
                format!("the chain jumps from number {} to {}: entries were removed", expected - 1, p.seq)
            }
            Break::Head { head_seq } => format!(
                "the head says the chain ends at number {head_seq}, the stored entries end at {}: its end was cut off or replaced",
                p.seq
            ),
        };
        println!("patient {public_id}: {place}: {what}");
    }
    let problems = |n: usize, whole: &str| match n {
        0 => whole.to_owned(),
        1 => "1 problem".to_owned(),
        n => format!("{n} problems"),
    };
    println!(
        "checked {} entries of {} patients: {}",
        checked.entries,
        checked.patients,
        problems(checked.problems.len(), "every chain is whole")
    );
    // The card's signature on every consent change: this card approved exactly these terms.
    let (consents, unsigned) = crate::auth::signatures::verify_consents(&db).await?;
    for u in &unsigned {
        let (public_id, _) = crate::storage::patients::identity(&db, u.patient).await?;
        println!(
            "patient {public_id}: entry #{} (number {} in the chain): {}",
            u.entry, u.seq, u.what
        );
    }
    println!(
        "checked the card signatures of {consents} consent changes: {}",
        problems(unsigned.len(), "every one verifies")
    );
    if !checked.problems.is_empty() || !unsigned.is_empty() {
        bail!("the access log has been tampered with");
    }
    Ok(())
}

fn demo_config(p: &DemoParams, until: chrono::NaiveDate) -> DemoConfig {
    DemoConfig {
        seed: p.seed,
        patients: usize::try_from(p.patients).unwrap_or(usize::MAX),
        years: p.years,
        until,
    }
}

async fn open(target: &DbTarget) -> Result<Db> {
    let db = Db::connect(target).await?;
    db.migrate().await?;
    Ok(db)
}

async fn check_config(target: &DbTarget, args: &ServeArgs) -> Result<()> {
    let settings = args.settings()?;
    let auth = auth_for(args, &settings)?;
    println!("card policy: {}", auth.ceremonies.policy_name());
    let db = Db::connect(target).await?;
    let ready = db.ready().await?;
    println!(
        "database: {} ({})",
        db.engine(),
        if ready {
            "migrations applied"
        } else {
            "migrations pending: run `portal migrate`"
        }
    );
    println!("public URL: {}", settings.public_url);
    let hashed = crate::server::assets::hashed_names(&settings.site_root)?;
    println!(
        "site files: {} ({})",
        settings.site_root.display(),
        if hashed {
            "names with content hashes"
        } else {
            "plain names"
        }
    );
    println!("demo mode: {}", if settings.demo { "on" } else { "off" });
    if !ready {
        bail!("the database is not ready");
    }
    Ok(())
}

async fn serve(target: &DbTarget, args: ServeArgs, clock: Arc<dyn Clock>) -> Result<()> {
    let settings = args.settings()?;
    let hashed = crate::server::assets::hashed_names(&settings.site_root)?;
    let auth = auth_for(&args, &settings)?;
    let db = open(target).await?;
    if settings.demo {
        tracing::warn!(
            "DEMO MODE: fictitious data and printed enrollment codes; never use --demo with real patients"
        );
        load_demo_once(&db, clock.as_ref(), &args.demo_data, &auth, &args.key_file).await?;
    }
    // Before binding: from the moment the port answers, SIGTERM means a graceful stop.
    let shutdown = crate::server::shutdown_signal();
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .map_err(|e| bind_error(args.bind, &e))?;
    let leptos = LeptosOptions::builder()
        .output_name("portal")
        .site_root(settings.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(args.bind)
        .env(Env::PROD)
        .hash_files(hashed)
        .build();
    let url = settings.public_url.clone();
    let state = AppState {
        db: db.clone(),
        settings: Arc::new(settings),
        clock,
        auth: Arc::new(auth),
        leptos: Arc::new(leptos),
        records_cache: Arc::new(crate::records_cache::RecordsCache::new(
            args.records_cache_entries,
        )),
        recent_logins: Default::default(),
        institution_limits: Default::default(),
    };
    crate::server::spawn_session_cleanup(db.clone(), state.clock.clone());
    tracing::info!(database = db.engine(), bind = %args.bind, "listening");
    println!("Portal running at {url} (listening on {})", args.bind);
    crate::server::serve(listener, crate::server::router(state), shutdown)
        .await
        .context("the server stopped with an error")?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

fn bind_error(addr: std::net::SocketAddr, e: &std::io::Error) -> anyhow::Error {
    match e.kind() {
        std::io::ErrorKind::AddrInUse => anyhow::anyhow!(
            "cannot listen on {addr}: the port is already in use (is another portal running?); choose another with --bind or BIND"
        ),
        std::io::ErrorKind::PermissionDenied => anyhow::anyhow!(
            "cannot listen on {addr}: permission denied (ports below 1024 need privileges); choose another with --bind or BIND"
        ),
        _ => anyhow::anyhow!("cannot listen on {addr}: {e}"),
    }
}

/// The ceremonies for the chosen card policy and the server key.
fn auth_for(args: &ServeArgs, settings: &crate::config::Settings) -> Result<Auth> {
    use crate::auth::ceremony::{CardPolicy, Ceremonies, load_trust_anchors};
    let policy = match args.policy()? {
        Policy::Dev => {
            tracing::warn!(
                "CARD POLICY dev: ANY authenticator with user verification can be registered (demo only)"
            );
            CardPolicy::Dev
        }
        Policy::Card(pems) => CardPolicy::Card(load_trust_anchors(&pems)?),
    };
    let ceremonies = Ceremonies::new(&settings.public_url, "わたしの健康記録", policy)?;
    let key = crate::auth::server_key::load_or_create(&args.key_file, &mut rand::rng())?;
    Ok(Auth {
        ceremonies,
        key,
        limiter: Default::default(),
        timeouts: Default::default(),
        id_length: Default::default(),
    })
}

/// Loads the demo data the first time a demo database starts (no patients yet), with an
/// enrollment code for every demo patient, printed and written beside the key file; later
/// starts keep whatever is there.
pub async fn load_demo_once(
    db: &Db,
    clock: &dyn Clock,
    params: &DemoParams,
    auth: &Auth,
    key_file: &std::path::Path,
) -> Result<()> {
    if crate::storage::patients::count(db).await? > 0 {
        return Ok(());
    }
    let data = generate(&demo_config(params, clock.today_japan()));
    for (kind, name, json) in data.files() {
        let report = crate::import::import_bytes(db, clock, name, json.as_bytes(), Some(kind))
            .await
            .with_context(|| format!("demo data {name} did not import"))?;
        tracing::info!(kind = kind.as_str(), rows = report.rows, "demo data loaded");
    }
    let mut lines = String::from(
        "# Demo enrollment codes (fictitious patients): link key, insured number, code\n",
    );
    for person in data.persons.iter().filter(|p| p.valid_to.is_none()) {
        let Some(patient) = crate::storage::patients::by_link_key(db, &person.link_key).await?
        else {
            continue;
        };
        let member = crate::demo::member_of(person);
        let code =
            crate::auth::flows::issue_code(db, &auth.key, patient, clock.now(), &mut rand::rng())
                .await?;
        lines.push_str(&format!(
            "{}\t{member}\t{}\n",
            person.link_key,
            code.display_grouped()
        ));
    }
    let path = key_file.with_file_name("demo-enrollment-codes.txt");
    crate::storage::write_owner_only(&path, &lines)
        .with_context(|| format!("cannot write {}", path.display()))?;
    println!(
        "Demo enrollment codes (also in {}):\n{lines}",
        path.display()
    );
    Ok(())
}
