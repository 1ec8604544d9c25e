//! Command line and environment: one `clap` parser, a doc comment on every setting, and a clear
//! error for each bad value before anything starts.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;
use url::Url;

#[derive(Debug, Parser)]
#[command(
    name = "portal",
    version,
    about = "Patient health-record portal: medication, checkup and cost history"
)]
pub struct Cli {
    /// Database: `sqlite:PATH` (the embedded default) or `postgres://user:pass@host/db`.
    #[arg(
        long,
        env = "DATABASE_URL",
        global = true,
        default_value = "sqlite:data/portal.db"
    )]
    pub database_url: String,
    /// Log format: readable text, or one JSON object per line for log collectors.
    #[arg(long, env = "LOG_FORMAT", global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal.
    Serve(ServeArgs),
    /// Check the configuration and the database, then exit without serving.
    CheckConfig(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Write deterministic demo feed files (JSON) into a folder.
    DemoData(DemoArgs),
    /// Import insurer feed files (JSON, or CSV in UTF-8 or Shift_JIS); a file with any bad row
    /// imports nothing, and importing the same file again changes nothing.
    Import(ImportArgs),
    /// Copy a consistent snapshot of the SQLite database while the portal keeps running.
    Backup(BackupArgs),
    /// Issue a one-time enrollment code for a patient, to print and mail with the card letter.
    /// Earlier unused codes of the patient stop working; enrolling with it ends old cards.
    EnrollCode(EnrollCodeArgs),
    /// Reports by patients that a record is not theirs: list the open ones, or decide one.
    #[command(subcommand)]
    Disputes(DisputesCommand),
    /// Check every patient's access log from its first entry: names each entry that was
    /// edited, removed, inserted or moved, and a cut-off end. Exits non-zero when any is found.
    VerifyLog,
    /// Institutions' credentials for the institution API: issue (the token is shown once),
    /// list and revoke.
    #[command(subcommand)]
    Institutions(InstitutionsCommand),
    /// Call the institution API as an institution would: one read for one patient and visit.
    Api(ApiArgs),
    /// Emergency accesses hospitals started, for the operators' review.
    #[command(subcommand)]
    Emergency(EmergencyCommand),
    /// Patients' reports about entries of their access log ("this wasn't me", "I don't know
    /// this institution"): list the open ones, show one with its steps, or decide one.
    #[command(subcommand)]
    AccessReports(AccessReportsCommand),
    /// Family proxies on a support request: list a patient's, lock them all at once, or set up
    /// (or renew) a guardian for a child who has no card yet.
    #[command(subcommand)]
    Proxies(ProxiesCommand),
}

#[derive(Debug, Clone, Subcommand)]
pub enum ProxiesCommand {
    /// Everyone who acts or acted for the patient, with scope, last day and standing.
    List {
        /// The patient's person linkage key.
        #[arg(long)]
        link_key: String,
    },
    /// End every proxy of the patient at once, and their open invitations (for example to
    /// protect someone from a former partner). Their sessions lose access on the next request.
    Lock {
        #[arg(long)]
        link_key: String,
        /// The support request's reference, kept in the patient's log.
        #[arg(long)]
        request: String,
    },
    /// Make a guardian the proxy of a child under 15 (viewing and managing consents) until the
    /// day before the child's 15th birthday, on the guardian's request with proof of custody;
    /// run again with --until to renew it.
    Guardian {
        /// The child's person linkage key.
        #[arg(long)]
        child: String,
        /// The guardian's person linkage key (they sign in with their own card).
        #[arg(long)]
        guardian: String,
        /// The last day (YYYY-MM-DD): earlier than the birthday for a new guardian; required to
        /// renew, within three years.
        #[arg(long)]
        until: Option<chrono::NaiveDate>,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum AccessReportsCommand {
    /// The open reports, oldest first, each with the entry it is about.
    List,
    /// One report: the entry, the patient's words and every step so far.
    Show {
        #[arg(long)]
        id: i64,
    },
    /// Decide a report, once: `confirmed` (the access was not the patient's or not allowed:
    /// revoke the credential or stop the card as well) or `explained` (it was legitimate; call
    /// the patient and say so). Every step is kept.
    Resolve {
        /// The report's number, as `access-reports list` prints it.
        #[arg(long)]
        id: i64,
        #[arg(long, value_parser = ["confirmed", "explained"])]
        decision: String,
        /// What was found and done, for the record.
        #[arg(long)]
        note: String,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum EmergencyCommand {
    /// Every emergency access started in the last DAYS days, newest first: when, which hospital
    /// and credential, which patient (link key), the reason, the account in words, and the end.
    List {
        /// Bounded so that a mistyped number is a clear error, never a date out of range.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3660))]
        days: u32,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum InstitutionsCommand {
    /// Issue a credential for one institution. The token is printed once; only its hash is kept.
    IssueCredential {
        /// The institution's 10-digit code.
        #[arg(long)]
        code: String,
        /// What it is for, for the list (e.g. "reception terminal 2").
        #[arg(long)]
        label: String,
    },
    /// List credentials, newest first.
    Credentials {
        /// Only this institution's.
        #[arg(long)]
        code: Option<String>,
    },
    /// Revoke a credential at once: its next call is refused.
    RevokeCredential {
        /// The credential's id, the part of the token before the dot.
        #[arg(long)]
        id: String,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ApiArgs {
    /// What to read.
    #[arg(value_parser = ["qualification", "medications", "checkups", "cost_notices"])]
    pub kind: String,
    /// The portal's address.
    #[arg(long, env = "PORTAL_URL", default_value = "http://127.0.0.1:3000")]
    pub url: String,
    /// The institution's credential (`<id>.<secret>`).
    #[arg(long, env = "INSTITUTION_TOKEN", hide_env_values = true)]
    pub token: String,
    /// The insured-person number as `insurer:symbol:number:branch`.
    #[arg(
        long,
        required_unless_present = "public_aid",
        conflicts_with = "public_aid"
    )]
    pub insured: Option<String>,
    /// For a recipient of welfare medical aid: `payer:recipient` from the medical ticket.
    #[arg(long)]
    pub public_aid: Option<String>,
    /// The day of the visit, YYYY-MM-DD (default: today in Japan).
    #[arg(long)]
    pub visit: Option<String>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum DisputesCommand {
    /// List the open reports, oldest first.
    List,
    /// Decide a report: `upheld` keeps the record out of the patient's data for good (then fix
    /// the feed at the insurer), `rejected` brings it back. Every step is kept.
    Resolve {
        /// The report's number, as `disputes list` prints it.
        #[arg(long)]
        id: i64,
        #[arg(long, value_parser = ["upheld", "rejected"])]
        decision: String,
        /// Why, for the record (what the insurer confirmed, who was called).
        #[arg(long)]
        note: String,
    },
    /// Every step of one report.
    Show {
        #[arg(long)]
        id: i64,
    },
}

#[derive(Debug, Clone, Args)]
pub struct EnrollCodeArgs {
    /// The patient's linkage key, as in the insurer's persons feed.
    #[arg(long)]
    pub link_key: String,
    /// The server's secret key file (the same one `serve` uses).
    #[arg(long, env = "KEY_FILE", default_value = "data/server.key")]
    pub key_file: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,
    /// The origin people type into their browser, e.g. `https://portal.example.jp`. It must use
    /// a host name: WebAuthn refuses IP-address origins. Defaults to `http://localhost:PORT`.
    #[arg(long, env = "PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Load demo data on first start and allow the demo-only patient picker.
    #[arg(long, env = "DEMO", default_value_t = false)]
    pub demo: bool,
    /// Folder holding the built site (`pkg/`, fonts, icons) produced by `cargo leptos build`.
    #[arg(long, env = "SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
    /// Which authenticators may be registered: `card` (hardware cards whose attestation chains
    /// to a --trust-anchor; the default) or `dev` (any authenticator with user verification,
    /// such as a browser's passkeys; only with --demo, where it is the default).
    #[arg(long, env = "CARD_POLICY", value_enum)]
    pub card_policy: Option<PolicyArg>,
    /// PEM file with a card issuer's root certificate; repeat, or separate with commas.
    #[arg(long = "trust-anchor", env = "TRUST_ANCHORS", value_delimiter = ',')]
    pub trust_anchors: Vec<PathBuf>,
    /// File with the server's secret key (keys enrollment-code hashes); created on first start.
    #[arg(long, env = "KEY_FILE", default_value = "data/server.key")]
    pub key_file: PathBuf,
    /// A reverse proxy (address or range, e.g. `10.0.0.0/8`) whose `Forwarded` or
    /// `X-Forwarded-For` header names the client; repeat, or separate with commas. Without one,
    /// the connecting address is the client and those headers are ignored.
    #[arg(long = "trusted-proxy", env = "TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,
    /// How many records-page answers are kept in memory (all patients together); 0 turns the
    /// records caches off, so every page is read and rendered afresh (docs/performance.md).
    #[arg(long, env = "RECORDS_CACHE_ENTRIES", default_value_t = crate::records_cache::DEFAULT_CAPACITY)]
    pub records_cache_entries: usize,
    #[command(flatten)]
    pub demo_data: DemoParams,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolicyArg {
    Card,
    Dev,
}

#[derive(Debug, Clone, Args)]
pub struct DemoParams {
    /// Seed of the demo data generator: the same seed gives the same data.
    #[arg(long, env = "DEMO_SEED", default_value_t = 1)]
    pub seed: u64,
    /// How many patients: the first six are fixed personas, more are generated.
    #[arg(long, env = "DEMO_PATIENTS", default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub patients: u32,
    /// Years of history to generate (the heavy benchmark patient always has ten).
    #[arg(long, env = "DEMO_YEARS", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=30))]
    pub years: u32,
}

#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub params: DemoParams,
    /// Last day of the generated history (Japan date, YYYY-MM-DD); defaults to today in Japan.
    #[arg(long)]
    pub until: Option<chrono::NaiveDate>,
    /// Folder to write the feed files into.
    #[arg(long, default_value = "data/demo")]
    pub out: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The kind of rows, when a CSV file's header does not tell.
    #[arg(long, value_parser = ["institutions", "persons", "medications", "checkups", "costs"])]
    pub kind: Option<String>,
    /// Feed files, imported in the order given, each in its own transaction.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// Where to write the copy.
    #[arg(long)]
    pub to: PathBuf,
}

/// Settings the running server needs after validation.
#[derive(Debug, Clone)]
pub struct Settings {
    pub demo: bool,
    pub public_url: Url,
    pub site_root: PathBuf,
    /// `Secure` on cookies; off only for plain-http localhost in the demo.
    pub secure_cookies: bool,
    /// Proxies whose forwarding headers name the client.
    pub trusted_proxies: crate::client_addr::TrustedProxies,
}

impl Settings {
    /// A cookie's name: `__Host-` prefixed wherever cookies are Secure. Browsers then accept
    /// the cookie only when it is Secure, for the whole site and from this exact host, so a
    /// neighbouring subdomain cannot plant or overwrite it (session fixation).
    pub fn cookie_name(&self, base: &str) -> String {
        if self.secure_cookies {
            format!("__Host-{base}")
        } else {
            base.to_owned()
        }
    }

    /// The `Secure` attribute of a cookie written by hand: nothing of this site's travels over
    /// plain http, except on the http://localhost demo.
    pub fn secure_attribute(&self) -> &'static str {
        if self.secure_cookies { "; Secure" } else { "" }
    }
}

/// The card policy with its trust anchors read: (file name, PEM bytes).
#[derive(Debug, Clone)]
pub enum Policy {
    Card(Vec<(String, Vec<u8>)>),
    Dev,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("PUBLIC_URL {0:?} is not a URL (expected e.g. https://portal.example.jp)")]
    PublicUrlInvalid(String),
    #[error("PUBLIC_URL must start with https:// (or http:// for localhost), got {0:?}")]
    PublicUrlScheme(String),
    #[error(
        "PUBLIC_URL must use a host name, not an IP address ({0}): WebAuthn refuses IP origins; use e.g. http://localhost:3000"
    )]
    PublicUrlIp(String),
    #[error("PUBLIC_URL must be an origin only (no path, query or fragment), got {0:?}")]
    PublicUrlPath(String),
    #[error(
        "the site folder {0} has no pkg/ inside; build it first with `cargo leptos build --release`"
    )]
    SiteRootMissing(String),
    #[error(
        "the card policy needs at least one --trust-anchor (a card issuer's root certificate, PEM); to try the portal without cards use --demo"
    )]
    NoTrustAnchors,
    #[error("the dev card policy accepts any authenticator and is only allowed with --demo")]
    DevPolicyWithoutDemo,
    #[error("cannot read the trust anchor {0}")]
    TrustAnchorUnreadable(String),
    #[error(
        "--demo (and the dev card policy) only runs on a localhost PUBLIC_URL, got {0}: demo data, printed enrollment codes and any-authenticator sign-in must never face real users"
    )]
    DemoNotLocal(String),
    #[error("--trusted-proxy: {0}")]
    TrustedProxy(#[from] crate::client_addr::BadProxy),
}

impl ServeArgs {
    /// Validates the flags into [`Settings`].
    pub fn settings(&self) -> Result<Settings, ConfigError> {
        let public_url = public_url(self.public_url.as_deref(), self.bind.port())?;
        if self.demo && !is_local(&public_url) {
            return Err(ConfigError::DemoNotLocal(public_url.to_string()));
        }
        let trusted_proxies = crate::client_addr::TrustedProxies::parse(&self.trusted_proxies)?;
        if !self.site_root.join("pkg").is_dir() {
            return Err(ConfigError::SiteRootMissing(
                self.site_root.display().to_string(),
            ));
        }
        Ok(Settings {
            demo: self.demo,
            secure_cookies: !(self.demo && public_url.scheme() == "http"),
            public_url,
            site_root: self.site_root.clone(),
            trusted_proxies,
        })
    }

    /// The card policy: `card` unless --demo without anchors; `dev` only under --demo.
    pub fn policy(&self) -> Result<Policy, ConfigError> {
        let chosen = self
            .card_policy
            .unwrap_or(if self.demo && self.trust_anchors.is_empty() {
                PolicyArg::Dev
            } else {
                PolicyArg::Card
            });
        match chosen {
            PolicyArg::Dev if !self.demo => Err(ConfigError::DevPolicyWithoutDemo),
            PolicyArg::Dev => {
                let url = public_url(self.public_url.as_deref(), self.bind.port())?;
                if is_local(&url) {
                    Ok(Policy::Dev)
                } else {
                    Err(ConfigError::DemoNotLocal(url.to_string()))
                }
            }
            PolicyArg::Card if self.trust_anchors.is_empty() => Err(ConfigError::NoTrustAnchors),
            PolicyArg::Card => self
                .trust_anchors
                .iter()
                .map(|p| {
                    std::fs::read(p)
                        .map(|pem| (p.display().to_string(), pem))
                        .map_err(|_| ConfigError::TrustAnchorUnreadable(p.display().to_string()))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Policy::Card),
        }
    }
}

/// `localhost` or a name under it: only this machine reaches it.
fn is_local(url: &Url) -> bool {
    matches!(url.host(), Some(url::Host::Domain(d)) if d == "localhost" || d.ends_with(".localhost"))
}

/// The origin users type; `http` is only accepted for `localhost`, where browsers treat it as
/// a secure context.
pub fn public_url(given: Option<&str>, port: u16) -> Result<Url, ConfigError> {
    let text = given
        .map(str::to_owned)
        .unwrap_or_else(|| format!("http://localhost:{port}"));
    let url = Url::parse(text.trim()).map_err(|_| ConfigError::PublicUrlInvalid(text.clone()))?;
    match url.host() {
        Some(url::Host::Domain(d)) => {
            let local = d == "localhost" || d.ends_with(".localhost");
            match url.scheme() {
                "https" => {}
                "http" if local => {}
                _ => return Err(ConfigError::PublicUrlScheme(text)),
            }
        }
        Some(url::Host::Ipv4(ip)) => return Err(ConfigError::PublicUrlIp(ip.to_string())),
        Some(url::Host::Ipv6(ip)) => return Err(ConfigError::PublicUrlIp(ip.to_string())),
        None => return Err(ConfigError::PublicUrlInvalid(text)),
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::PublicUrlPath(text));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_url_rules() {
        let ok = [
            (None, "http://localhost:3000/"),
            (
                Some("https://portal.example.jp"),
                "https://portal.example.jp/",
            ),
            (
                Some("http://app.localhost:8080"),
                "http://app.localhost:8080/",
            ),
        ];
        for (given, want) in ok {
            assert_eq!(
                public_url(given, 3000).map(|u| u.to_string()),
                Ok(want.to_string())
            );
        }
        let bad = [
            ("http://127.0.0.1:3000", "ip"),
            ("https://[::1]:3000", "ip"),
            ("http://portal.example.jp", "scheme"),
            ("ftp://localhost", "scheme"),
            ("https://portal.example.jp/app", "path"),
            ("not a url", "invalid"),
        ];
        for (given, kind) in bad {
            let err = public_url(Some(given), 3000);
            let got = match err {
                Err(ConfigError::PublicUrlIp(_)) => "ip",
                Err(ConfigError::PublicUrlScheme(_)) => "scheme",
                Err(ConfigError::PublicUrlPath(_)) => "path",
                Err(ConfigError::PublicUrlInvalid(_)) => "invalid",
                _ => "accepted",
            };
            assert_eq!(got, kind, "{given}");
        }
    }

    #[test]
    fn cli_parses_and_rejects_bad_values() {
        use clap::Parser;
        assert!(Cli::try_parse_from(["portal", "serve", "--demo"]).is_ok());
        assert!(Cli::try_parse_from(["portal", "serve", "--bind", "nonsense"]).is_err());
        assert!(Cli::try_parse_from(["portal", "demo-data", "--patients", "0"]).is_err());
        assert!(Cli::try_parse_from(["portal", "import", "--kind", "pets", "x.csv"]).is_err());
    }

    #[test]
    fn card_policy_rules() {
        use clap::Parser;
        let policy = |args: &[&str]| {
            let mut all = vec!["portal", "serve"];
            all.extend_from_slice(args);
            match Cli::try_parse_from(all).map(|c| c.command) {
                Ok(Command::Serve(s)) => s.policy().map(|p| matches!(p, Policy::Dev)),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(policy(&["--demo"]), Ok(true), "the demo defaults to dev");
        assert_eq!(
            policy(&[]),
            Err(ConfigError::NoTrustAnchors),
            "card without anchors refuses to start"
        );
        assert_eq!(
            policy(&["--card-policy", "dev"]),
            Err(ConfigError::DevPolicyWithoutDemo)
        );
        assert!(matches!(
            policy(&["--trust-anchor", "/nonexistent/ca.pem"]),
            Err(ConfigError::TrustAnchorUnreadable(_))
        ));
    }

    #[test]
    fn demo_needs_a_localhost_public_url() {
        use clap::Parser;
        let serve = |args: &[&str]| {
            let mut all = vec!["portal", "serve"];
            all.extend_from_slice(args);
            match Cli::try_parse_from(all).map(|c| c.command) {
                Ok(Command::Serve(s)) => s,
                other => panic!("{other:?}"),
            }
        };
        let public = ["--demo", "--public-url", "https://portal.example.jp"];
        assert!(matches!(
            serve(&public).settings(),
            Err(ConfigError::DemoNotLocal(_))
        ));
        assert!(matches!(
            serve(&public).policy(),
            Err(ConfigError::DemoNotLocal(_))
        ));
        let dev = [
            "--demo",
            "--card-policy",
            "dev",
            "--public-url",
            "https://portal.example.jp",
        ];
        assert!(matches!(
            serve(&dev).policy(),
            Err(ConfigError::DemoNotLocal(_))
        ));
        assert!(matches!(serve(&["--demo"]).policy(), Ok(Policy::Dev)));
        assert!(matches!(
            serve(&["--demo", "--public-url", "http://app.localhost:3000"]).policy(),
            Ok(Policy::Dev)
        ));
        assert!(matches!(
            serve(&["--demo", "--trusted-proxy", "10.0.0.0/8,nonsense"]).settings(),
            Err(ConfigError::TrustedProxy(_))
        ));
    }
}
