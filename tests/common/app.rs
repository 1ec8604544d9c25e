//! A running portal on a random port with demo data, for tests that speak HTTP.

use portal::config::Settings;
use portal::state::AppState;
use std::net::SocketAddr;
use std::sync::Arc;

pub struct App {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub db: super::TestDb,
    /// The app's clock: tests move it to pass timeouts and the step-up window.
    pub clock: Arc<portal::domain::clock::FixedClock>,
    /// The server key (keys enrollment-code hashes).
    pub key: Vec<u8>,
    pub _site: tempfile::TempDir,
}

impl App {
    pub fn url(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.addr.port())
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

    pub fn origin(&self) -> String {
        format!("http://localhost:{}", self.addr.port())
    }
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
    let t = super::sqlite().await;
    super::load_demo(&t.db).await;
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/portal.css"), "body{}").unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let public_url = url::Url::parse(&format!("{scheme}://localhost:{}", addr.port())).unwrap();
    let clock = Arc::new(super::clock());
    let auth = portal::auth::flows::Auth {
        ceremonies: portal::auth::ceremony::Ceremonies::new(&public_url, "Test", policy).unwrap(),
        key: vec![7; 32],
        limiter: Default::default(),
        timeouts: Default::default(),
    };
    let settings = Settings {
        demo,
        public_url,
        site_root: site.path().to_path_buf(),
        // reqwest's cookie store keeps Secure cookies away from http://localhost.
        secure_cookies: false,
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
        recent_logins: Default::default(),
    };
    let router = portal::server::router(state);
    tokio::spawn(portal::server::serve(
        listener,
        router,
        std::future::pending(),
    ));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    App {
        addr,
        client,
        db: t,
        clock,
        key: vec![7; 32],
        _site: site,
    }
}
