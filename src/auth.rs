//! Card sign-in: the insurance card as a hardware WebAuthn authenticator. Enrollment with a
//! mailed one-time code, sign-in without a user name, server-side sessions with idle and
//! absolute timeouts, and an append-only record of every step. The server functions pages call
//! are in `sign_in`.

pub mod ceremony;
pub mod decoys;
pub mod enrollment_code;
pub mod flows;
pub mod rate_limit;
pub mod sealed_step;
pub mod server_key;
pub mod signatures;
