//! A running portal on a random port with demo data, for tests that speak HTTP.

use portal::config::Settings;
use portal::state::AppState;
use std::net::SocketAddr;
use std::sync::Arc;

pub struct App {
    pub addr: SocketAddr,
    /// The public URL's scheme.
    pub scheme: String,
    pub client: reqwest::Client,
    pub db: super::TestDb,
    /// The app's clock: tests move it to pass timeouts and the step-up window.
    pub clock: Arc<portal::domain::clock::FixedClock>,
    /// The server key (keys enrollment-code hashes).
    pub key: Vec<u8>,
    /// The app's logins checked in the last second.
    pub recent_logins: Arc<portal::recent_logins::RecentLogins>,
    pub _site: tempfile::TempDir,
}

impl App {
    /// The server by its IPv4 address: tests connect from several loopback addresses
    /// (127.0.0.x) to be distinct clients, and those cannot reach `localhost` on ::1.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.addr.port())
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// A POST as this portal's own pages send it (with their Origin).
    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.client
            .post(self.url(path))
            .header("origin", self.origin())
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        use portal::domain::clock::Clock;
        self.clock.now()
    }

    /// The public origin the pages are served under (what `Origin` must say).
    pub fn origin(&self) -> String {
        format!("{}://localhost:{}", self.scheme, self.addr.port())
    }
}

/// A demo portal on the engine named (`postgres`: a fresh schema at TEST_POSTGRES_URL).
pub async fn spawn_on(postgres: bool) -> App {
    Options {
        postgres,
        ..Options::default()
    }
    .spawn()
    .await
}

pub async fn spawn(demo: bool) -> App {
    spawn_with(demo, portal::auth::ceremony::CardPolicy::Dev).await
}

/// A portal whose ceremonies follow `policy` (tests pass a card policy trusting a SoftToken).
pub async fn spawn_with(demo: bool, policy: portal::auth::ceremony::CardPolicy) -> App {
    spawn_at(demo, policy, "http").await
}

/// As [`spawn_with`], with the public URL's scheme chosen (the test still talks plain HTTP to
/// the socket, as a TLS-terminating proxy in front of the portal would).
pub async fn spawn_at(demo: bool, policy: portal::auth::ceremony::CardPolicy, scheme: &str) -> App {
    Options {
        demo,
        policy,
        scheme,
        ..Options::default()
    }
    .spawn()
    .await
}

/// Serves on a runtime of its own that is never shut down. Each `#[tokio::test]` has its own
/// runtime, dropped when the test ends; a server living on it was torn down mid-flight while
/// the tests beside it still rendered pages in the same process, and now and then one of their
/// pages never finished (Leptos keeps some state per process). A server that outlives its test
/// costs a thread and nothing else.
fn serve_for_good(listener: std::net::TcpListener, state: AppState) {
    // The test's log subscriber, if it set one for its thread, goes along (tests/logging.rs).
    let logs = tracing::dispatcher::get_default(|d| d.clone());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        tracing::dispatcher::with_default(&logs, || {
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let router = portal::server::router(state);
                portal::server::serve(listener, router, std::future::pending())
                    .await
                    .unwrap();
            })
        });
    });
}

/// How a test portal is set up.
pub struct Options<'a> {
    pub demo: bool,
    pub policy: portal::auth::ceremony::CardPolicy,
    pub scheme: &'a str,
    /// `Secure` (and `__Host-`) session cookies; reqwest's cookie store keeps Secure cookies
    /// away from http://localhost, so only tests reading `Set-Cookie` themselves turn it on.
    pub secure_cookies: bool,
    pub trusted_proxies: &'a [&'a str],
    /// Serve from a fresh PostgreSQL schema (TEST_POSTGRES_URL) instead of a SQLite file.
    pub postgres: bool,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Self {
            demo: true,
            policy: portal::auth::ceremony::CardPolicy::Dev,
            scheme: "http",
            secure_cookies: false,
            trusted_proxies: &[],
            postgres: false,
        }
    }
}

impl Options<'_> {
    pub async fn spawn(self) -> App {
        let Options {
            demo,
            policy,
            scheme,
            secure_cookies,
            trusted_proxies,
            postgres,
        } = self;
        let t = if postgres {
            super::postgres().await
        } else {
            super::sqlite().await
        };
        super::load_demo(&t.db).await;
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("pkg")).unwrap();
        std::fs::write(site.path().join("pkg/portal.css"), "body{}").unwrap();
        // The page script as cargo-leptos copies it from public/.
        std::fs::create_dir_all(site.path().join("scripts")).unwrap();
        std::fs::copy(
            concat!(env!("CARGO_MANIFEST_DIR"), "/public/scripts/page.js"),
            site.path().join("scripts/page.js"),
        )
        .unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let public_url = url::Url::parse(&format!("{scheme}://localhost:{}", addr.port())).unwrap();
        let clock = Arc::new(super::clock());
        let recent_logins = Arc::new(portal::recent_logins::RecentLogins::default());
        let auth = portal::auth::flows::Auth {
            ceremonies: portal::auth::ceremony::Ceremonies::new(&public_url, "Test", policy)
                .unwrap(),
            key: vec![7; 32],
            limiter: Default::default(),
            timeouts: Default::default(),
            id_length: Default::default(),
        };
        let settings = Settings {
            demo,
            public_url,
            site_root: site.path().to_path_buf(),
            secure_cookies,
            trusted_proxies: portal::client_addr::TrustedProxies::parse(trusted_proxies).unwrap(),
        };
        let state = AppState {
            db: t.db.clone(),
            settings: Arc::new(settings),
            clock: clock.clone(),
            auth: Arc::new(auth),
            leptos: Arc::new(
                leptos::config::LeptosOptions::builder()
                    .output_name("portal")
                    .site_root(site.path().display().to_string())
                    .site_addr(addr)
                    .build(),
            ),
            records_cache: Default::default(),
            recent_logins: recent_logins.clone(),
            institution_limits: Default::default(),
        };
        serve_for_good(listener, state);
        let client = super::client()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap();
        App {
            addr,
            scheme: scheme.to_owned(),
            client,
            db: t,
            clock,
            key: vec![7; 32],
            recent_logins,
            _site: site,
        }
    }
}
