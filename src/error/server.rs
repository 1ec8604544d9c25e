//! The one error type of the server side. Handlers return it (or an error that converts into
//! it with `?`); it knows its HTTP status and public code, and becomes the browser's
//! [`PortalError`] in one place, where a fault is logged under the request id and, for a server
//! function called over HTTP, the response is given the status.

use super::PortalError;
use chrono::{DateTime, Utc};
use http::StatusCode;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Nobody is signed in, or the login has ended.
    #[error("not signed in")]
    NotSignedIn,
    /// The thing asked for does not exist, or is not the viewer's to see: one answer for both.
    #[error("not found")]
    NotFound,
    /// Understood and refused; `reason` is the stable code a page turns into a message.
    #[error("refused: {reason}")]
    Refused { reason: &'static str },
    /// Too many attempts from this client (or for this card or number) until `retry_at`.
    #[error("too many attempts until {retry_at}")]
    TooManyAttempts { retry_at: DateTime<Utc> },
    /// A fault on our side; the details go to the log, never to the browser.
    #[error("internal error: {0}")]
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

impl ServerError {
    /// Wraps any fault (a session store, an encoder…) as internal.
    pub fn internal(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Internal(e.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotSignedIn => StatusCode::UNAUTHORIZED,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Refused { .. } => StatusCode::BAD_REQUEST,
            Self::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the browser is told. An internal fault is logged here, once, under the request id
    /// the browser gets instead of the details.
    pub fn public(self) -> PortalError {
        match self {
            Self::NotSignedIn => PortalError::NotSignedIn,
            Self::NotFound => PortalError::NotFound,
            Self::Refused { reason } => PortalError::Refused {
                reason: reason.into(),
                retry_at: None,
            },
            Self::TooManyAttempts { retry_at } => PortalError::Refused {
                reason: "too_many_attempts".into(),
                retry_at: Some(retry_at.to_rfc3339()),
            },
            Self::Internal(e) => {
                let request_id = crate::request::request_id();
                tracing::error!(%request_id, error = %e, "request failed");
                PortalError::Internal { request_id }
            }
        }
    }
}

/// A server function's error on its way out. Called over HTTP, the response gets the error's
/// status (bad input is a 4xx with a code, never a 500). Called by a page rendering on the
/// server, the page decides its own status: a landing page is not a 401.
impl From<ServerError> for PortalError {
    fn from(e: ServerError) -> Self {
        let status = e.status();
        let over_http =
            crate::request::with_request(|p| p.uri.path().starts_with("/api/")).unwrap_or(false);
        let response = leptos::prelude::use_context::<leptos_axum::ResponseOptions>();
        if let (true, Some(res)) = (over_http, response) {
            res.set_status(status);
        }
        e.public()
    }
}

impl From<crate::storage::StorageError> for ServerError {
    fn from(e: crate::storage::StorageError) -> Self {
        Self::internal(e)
    }
}

impl From<crate::storage::disputes::DisputeError> for ServerError {
    fn from(e: crate::storage::disputes::DisputeError) -> Self {
        use crate::storage::disputes::DisputeError;
        match e {
            DisputeError::NotFound => Self::NotFound,
            other => Self::internal(other),
        }
    }
}

impl From<serde_json::Error> for ServerError {
    fn from(e: serde_json::Error) -> Self {
        Self::internal(e)
    }
}

impl From<tower_sessions::session::Error> for ServerError {
    fn from(e: tower_sessions::session::Error) -> Self {
        Self::internal(e)
    }
}

/// `?` on a storage or session call inside a server function: through [`ServerError`], so the
/// status and the log line are the same as for every other fault.
macro_rules! public_through_server_error {
    ($($from:ty),+) => {$(
        impl From<$from> for PortalError {
            fn from(e: $from) -> Self {
                ServerError::from(e).into()
            }
        }
    )+};
}

public_through_server_error!(
    crate::storage::StorageError,
    tower_sessions::session::Error,
    serde_json::Error
);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::storage::StorageError;

    #[test]
    fn every_error_has_its_status_and_public_code() {
        let at = DateTime::parse_from_rfc3339("2026-04-01T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let cases = [
            (ServerError::NotSignedIn, 401, "not_signed_in", None),
            (ServerError::NotFound, 404, "not_found", None),
            (
                ServerError::Refused { reason: "no_match" },
                400,
                "refused",
                Some("no_match"),
            ),
            (
                ServerError::TooManyAttempts { retry_at: at },
                429,
                "refused",
                Some("too_many_attempts"),
            ),
            (ServerError::internal("disk full"), 500, "internal", None),
        ];
        for (error, status, code, reason) in cases {
            assert_eq!(error.status().as_u16(), status, "{error}");
            let public = error.public();
            assert_eq!(public.code(), code);
            if let PortalError::Refused {
                reason: said,
                retry_at,
            } = &public
            {
                assert_eq!(Some(said.as_str()), reason);
                assert_eq!(
                    retry_at.is_some(),
                    reason == Some("too_many_attempts"),
                    "only a limit says when to come back"
                );
            }
        }
    }

    #[test]
    fn internal_details_never_reach_the_browser() {
        let public = ServerError::from(StorageError::Corrupt("patient 7: secret".into())).public();
        let json = serde_json::to_string(&public).unwrap();
        assert!(!json.contains("secret"), "{json}");
        assert_eq!(public.code(), "internal");
    }
}
