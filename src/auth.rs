//! Card sign-in: the insurance card as a hardware WebAuthn authenticator. Enrollment with a
//! mailed one-time code, sign-in without a user name, server-side sessions with idle and
//! absolute timeouts, and an append-only record of every step.

pub mod api;
#[cfg(feature = "hydrate")]
pub mod browser;
#[cfg(feature = "ssr")]
pub mod ceremony;
#[cfg(feature = "ssr")]
pub mod decoys;
#[cfg(feature = "ssr")]
pub mod enrollment_code;
#[cfg(feature = "ssr")]
pub mod flows;
#[cfg(feature = "ssr")]
pub mod rate_limit;
#[cfg(feature = "ssr")]
pub mod sealed_step;
#[cfg(feature = "ssr")]
pub mod server_key;
