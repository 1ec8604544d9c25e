//! The error every server function returns, shared with the browser: a stable code the page
//! turns into a message in the reader's language, never internal details.

use leptos::server_fn;
use serde::{Deserialize, Serialize};

/// A form or filter field the server could not use, and why: `code` is a stable name the page
/// turns into a message (`invalid_date`, `unknown_choice`…); `field` names the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
}

impl FieldError {
    /// `field:code,field:code`, as a form that came back carries its mistakes.
    pub fn parse_list(text: &str) -> Vec<Self> {
        text.split(',')
            .filter_map(|e| e.split_once(':'))
            .map(|(field, code)| Self {
                field: field.to_owned(),
                code: code.to_owned(),
            })
            .collect()
    }
}

/// Errors a page can be told about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum PortalError {
    /// 401: nobody is signed in (or the demo picker has not been used).
    #[error("not signed in")]
    NotSignedIn,
    /// 400/403/429: the request was understood and refused; `reason` says why (e.g. `no_match`,
    /// `too_many_attempts`, `card_revoked`), `retry_at` when the caller may try again.
    #[error("refused: {reason}")]
    Refused {
        reason: String,
        retry_at: Option<String>,
    },
    /// 404: the thing asked for does not exist, or is not the viewer's to see.
    #[error("not found")]
    NotFound,
    /// 500: something failed on the server; the details are in the log under this request id.
    #[error("internal error (request {request_id})")]
    Internal { request_id: String },
    /// The call itself failed (network, encoding) before our code ran.
    #[error("request failed: {message}")]
    Transport { message: String },
}

impl PortalError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotSignedIn => "not_signed_in",
            Self::NotFound => "not_found",
            Self::Refused { .. } => "refused",
            Self::Internal { .. } => "internal",
            Self::Transport { .. } => "transport",
        }
    }
}

impl server_fn::error::FromServerFnError for PortalError {
    type Encoder = server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: server_fn::error::ServerFnErrorErr) -> Self {
        Self::Transport {
            message: value.to_string(),
        }
    }
}

#[cfg(feature = "ssr")]
mod server;
#[cfg(feature = "ssr")]
pub use server::ServerError;
