//! What each page makes the browser run (`ui::scripts`), read from the pages as a browser gets
//! them: no script at all for a visitor on a page without a card step, the small page script on
//! signed-in pages, the WebAssembly only where an island needs it, and a Content-Security-Policy
//! that allows WebAssembly only there.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::TimeDelta;
use common::app::{App, spawn};
use common::card::sign_in_as;

/// What one answer loads and allows.
struct Loaded {
    status: u16,
    csp: String,
    html: String,
}

impl Loaded {
    async fn from(res: reqwest::Response) -> Self {
        let status = res.status().as_u16();
        let csp = res
            .headers()
            .get("content-security-policy")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        Self {
            status,
            csp,
            html: res.text().await.unwrap(),
        }
    }

    fn wasm(&self) -> bool {
        self.html.contains("rel=\"modulepreload\"") && self.html.contains(".wasm")
    }

    fn page_script(&self) -> bool {
        self.html.contains("src=\"/scripts/page.js?v=")
    }

    /// The islands on the page, other than the two every page holds (the language context and
    /// the mark that islands have run), which do nothing for the visitor by themselves.
    fn working_islands(&self) -> Vec<&str> {
        self.html
            .split("data-component=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|name| {
                !name.starts_with("I18nContextProvider") && !name.starts_with("HydratedMark")
            })
            .collect()
    }

    /// Loads exactly what it needs: WebAssembly if and only if an island works on it (card
    /// pages load it even when their island is not shown, e.g. a form already sent), and
    /// 'wasm-unsafe-eval' only then.
    fn check(&self, what: &str, wasm: bool) {
        let islands = self.working_islands();
        assert!(
            islands.is_empty() || self.wasm(),
            "{what}: islands {islands:?} but no WebAssembly"
        );
        assert_eq!(self.wasm(), wasm, "{what}: WebAssembly loaded");
        assert_eq!(
            self.csp.contains("'wasm-unsafe-eval'"),
            self.wasm(),
            "{what}: {}",
            self.csp
        );
        let nonce = self
            .csp
            .split("'nonce-")
            .nth(1)
            .and_then(|r| r.split('\'').next())
            .unwrap();
        // leptos_i18n leaves an empty script in its island, which browsers never run.
        for tag in self.html.split("<script").skip(1) {
            let (tag, body) = tag.split_once('>').unwrap();
            assert!(
                body.starts_with("</script>") || tag.contains(&format!("nonce=\"{nonce}\"")),
                "{what}: every script carries the nonce: <script{tag}>"
            );
        }
    }
}

async fn load(app: &App, path: &str) -> Loaded {
    Loaded::from(app.get(path).await).await
}

#[tokio::test]
async fn a_visitor_who_is_not_signed_in_runs_scripts_only_to_use_the_card() {
    let app = spawn(true).await;
    for path in ["/", "/no-such-page"] {
        let page = load(&app, path).await;
        page.check(path, false);
        assert!(!page.html.contains("<script src"), "{path}: no script file");
        assert!(!page.html.contains("idle-warning"), "{path}: no session");
    }
    // The counter's card button shows only on a terminal an institution has set up.
    for (path, card_button) in [("/sign-in", true), ("/enroll", true), ("/counter", false)] {
        let page = load(&app, path).await;
        assert_eq!(page.status, 200, "{path}");
        page.check(path, true);
        assert_eq!(!page.working_islands().is_empty(), card_button, "{path}");
        assert!(!page.page_script(), "{path}: nobody is signed in");
    }
}

#[tokio::test]
async fn signed_in_pages_load_the_page_script_and_only_card_pages_the_webassembly() {
    let app = spawn(true).await;
    sign_in_as(&app, "DEMO-0006").await;
    let pages = [
        ("/", false),
        ("/medications", false),
        ("/checkups", false),
        ("/costs", false),
        (
            "/costs/correction?month=2025-04&institution=0000000000",
            true,
        ),
        ("/insurance", false),
        ("/access-log", false),
        ("/access-log/report", false),
        ("/consents", true),
        ("/proxies", true),
        ("/report?kind=medication&id=1", true),
        ("/account", true),
        ("/no-such-page", false),
    ];
    for (path, card_page) in pages {
        let page = load(&app, path).await;
        page.check(path, card_page);
        assert!(page.page_script(), "{path}: the page script");
        assert!(
            page.html.contains("id=\"idle-warning\""),
            "{path}: the idle warning"
        );
    }
    // Charts reach the page script as data beside their tables.
    let meds = load(&app, "/medications").await;
    assert!(meds.html.contains("class=\"chart__canvas\""));
    assert!(meds.html.contains("data-option=\"{"));
    assert!(meds.html.contains("data-library=\"/vendor/echarts-"));
    // The number toggle flips in place from what the form carries.
    let home = load(&app, "/").await;
    assert!(home.html.contains("data-reveal=\"insured-number\""));
}

#[tokio::test]
async fn a_form_that_comes_back_for_a_card_check_loads_the_webassembly_to_make_it() {
    let app = spawn(true).await;
    sign_in_as(&app, "DEMO-0001").await;
    // Six minutes after signing in, removing a receipt needs a fresh card check.
    app.clock.advance(TimeDelta::minutes(6));
    let res = app
        .client
        .post(app.url("/costs"))
        .header("origin", app.origin())
        .form(&[("action", "remove_receipt"), ("id", "1"), ("year", "2025")])
        .send()
        .await
        .unwrap();
    let page = Loaded::from(res).await;
    assert_eq!(page.status, 200);
    assert!(
        page.working_islands()
            .iter()
            .any(|i| i.starts_with("CardCheck")),
        "{}",
        page.html
    );
    page.check("POST /costs", true);
    // The same form state read from an address offers the same card check.
    let page = load(
        &app,
        "/costs?year=2026&r_paid_on=2026-11-02&r_payee=Bus&r_kind=transport&r_amount=480&r_errors=card%3Astep_up_required",
    )
    .await;
    assert!(
        page.working_islands()
            .iter()
            .any(|i| i.starts_with("CardCheck"))
    );
    page.check("GET /costs with a card check", true);
}

#[tokio::test]
async fn the_page_script_is_kept_for_good_only_under_its_digest() {
    let app = spawn(true).await;
    let url = portal::ui::scripts::page_script_url();
    let res = app
        .client
        .get(app.url(url))
        .header("accept-encoding", "identity")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/javascript");
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let body = res.text().await.unwrap();
    assert_eq!(body, include_str!("../public/scripts/page.js"));
    // Any other address of it (an older digest, none) is checked again each time.
    for other in ["/scripts/page.js", "/scripts/page.js?v=0000000000000000"] {
        let res = app.get(other).await;
        assert_eq!(res.status(), 200, "{other}");
        assert_eq!(res.headers()["cache-control"], "no-cache", "{other}");
    }
}
