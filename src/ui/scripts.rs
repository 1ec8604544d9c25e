//! What a page makes the browser run. Every page is whole as HTML; scripts only add to it, and
//! each page loads the least that does the job:
//!
//! - **Nothing** for a visitor who is not signed in on a page without a card step (the landing
//!   page, the not-found page).
//! - **The page script** (`public/scripts/page.js`, plain JavaScript of a few kilobytes) on
//!   every signed-in page: the warning before the session ends, charts drawn above their
//!   tables, the insured-number toggle.
//! - **The WebAssembly** (the islands) only where the card is used: WebAuthn ceremonies,
//!   their error handling and the card list are Rust shared with the server. A form post that
//!   comes back may offer a card check (`forms::STEP_UP_REQUIRED`), so every post's answer
//!   loads it too, as does a page whose query carries that mistake (the same form state read
//!   from an address).
//!
//! `tests/page_scripts.rs` renders every page and checks that a page holding an island loads
//! the WebAssembly, so a new card step cannot be left inert.

use leptos::prelude::*;

/// Pages whose islands talk to the card (or, on the account page, stop one after checking it).
pub const CARD_PAGES: &[&str] = &[
    "/sign-in",
    "/enroll",
    "/account",
    "/counter",
    "/consents",
    "/proxies",
    "/report",
    "/costs/correction",
];

/// Whether a page answered for `method`, `path` and `query` loads the WebAssembly.
pub fn loads_wasm(method: &str, path: &str, query: &str) -> bool {
    method == "POST" || CARD_PAGES.contains(&path) || query.contains(STEP_UP_CODE)
}

/// The code part of `forms::STEP_UP_REQUIRED` (`card:step_up_required`), as it reads in a
/// query whether or not the colon is percent-encoded.
const STEP_UP_CODE: &str = "step_up_required";

/// Whether the page being rendered loads the WebAssembly: decided from its request, before
/// the head is written.
#[cfg(feature = "ssr")]
pub fn this_page_loads_wasm() -> bool {
    use_context::<http::request::Parts>().is_some_and(|parts| {
        loads_wasm(
            parts.method.as_str(),
            parts.uri.path(),
            parts.uri.query().unwrap_or_default(),
        )
    })
}

/// The page script's address, with a digest of its content so browsers keep it for good and
/// fetch it again only when it changes. The digest is of the file compiled into this binary,
/// the same file cargo-leptos copies into the site.
#[cfg(feature = "ssr")]
pub fn page_script_url() -> &'static str {
    use sha2::{Digest, Sha256};
    use std::sync::LazyLock;
    static URL: LazyLock<String> = LazyLock::new(|| {
        let digest = Sha256::digest(include_bytes!("../../public/scripts/page.js"));
        format!("{PAGE_SCRIPT_PATH}?v={}", hex::encode(&digest[..8]))
    });
    &URL
}

/// Where the site serves the page script.
pub const PAGE_SCRIPT_PATH: &str = "/scripts/page.js";

/// The page script, deferred (it runs once the document is parsed) and allowed by the page's
/// Content-Security-Policy nonce.
#[component]
pub fn PageScript() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let src = page_script_url();
    #[cfg(not(feature = "ssr"))]
    let src = PAGE_SCRIPT_PATH;
    view! { <script src=src defer nonce=leptos::nonce::use_nonce()></script> }
}

#[cfg(test)]
mod tests {
    use super::{STEP_UP_CODE, loads_wasm};

    #[test]
    fn only_card_pages_and_forms_asking_for_a_card_check_load_the_webassembly() {
        assert!(loads_wasm("GET", "/sign-in", ""));
        assert!(loads_wasm("GET", "/costs/correction", "month=2025-04"));
        assert!(loads_wasm("POST", "/costs", ""));
        assert!(loads_wasm(
            "GET",
            "/costs",
            "year=2026&r_errors=card%3Astep_up_required"
        ));
        assert!(loads_wasm(
            "GET",
            "/costs",
            "r_errors=card:step_up_required"
        ));
        for page in [
            "/",
            "/medications",
            "/checkups",
            "/costs",
            "/access-log",
            "/nowhere",
        ] {
            assert!(
                !loads_wasm("GET", page, "year=2026&r_errors=amount%3Aformat"),
                "{page}"
            );
            assert!(!loads_wasm("HEAD", page, ""), "{page}");
        }
    }

    #[test]
    fn the_code_looked_for_is_the_forms_step_up_mistake() {
        assert!(crate::forms::STEP_UP_REQUIRED.ends_with(&format!(":{STEP_UP_CODE}")));
    }
}
