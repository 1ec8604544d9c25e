//! Patient health-record portal: a patient's medication, checkup and medical-cost history,
//! rendered on the server with Leptos; the browser hydrates only the interactive islands.
#![recursion_limit = "256"]

pub mod access_log;
pub mod account;
pub mod app;
pub mod charts;
pub mod checkups;
pub mod consent;
pub mod costs;
pub mod counter;
pub mod disputes;
pub mod domain;
pub mod error;
pub mod format;
pub mod freshness;
pub mod home;
pub mod insurance;
pub mod masthead;
pub mod medications;
pub mod notices;
pub mod proxies;
pub mod sign_in;
pub mod ui;
pub mod wire;

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod cli;
#[cfg(feature = "ssr")]
pub mod client_addr;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod disclosure;
#[cfg(feature = "ssr")]
pub mod download;
#[cfg(feature = "ssr")]
pub mod feed;
#[cfg(feature = "ssr")]
pub mod forms;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod institution_api;
#[cfg(feature = "ssr")]
pub mod logging;
#[cfg(feature = "ssr")]
pub mod page_cache;
#[cfg(feature = "ssr")]
pub mod principal;
#[cfg(feature = "ssr")]
pub mod recent_logins;
#[cfg(feature = "ssr")]
pub mod records_cache;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod storage;
#[cfg(feature = "ssr")]
pub mod viewer;

/// The generated translations (`src/locales/*.json`); generated code may `expect` on locale
/// identifiers it wrote itself.
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}
pub use generated::i18n;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
