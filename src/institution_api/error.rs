//! The institution API's one error type: every refusal is JSON with a stable code (and a code
//! per field for bad input), never an HTML page, never a bare 500 without a request id.

use crate::domain::consent::{DataKind, Refusal};
use crate::error::FieldError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("send the institution's credential as `Authorization: Bearer <token>`")]
    CredentialMissing,
    #[error("the credential is not valid (unknown, revoked or mistyped)")]
    CredentialInvalid,
    #[error("too many requests with this credential")]
    RateLimited {
        retry_at: DateTime<Utc>,
        /// Seconds from now, for `Retry-After`.
        seconds: i64,
    },
    #[error("the request body is not the JSON this call takes: {0}")]
    BodyInvalid(String),
    #[error("some fields are not valid")]
    Fields(Vec<FieldError>),
    /// No consent allows this read (also answered for a number no patient holds on that day,
    /// so the API never tells whether someone is a patient here).
    #[error("{refusal}")]
    Refused { refusal: Refusal, kind: DataKind },
    /// An emergency access refused: not a hospital, or a repeat of a running one.
    #[error("{0}")]
    Emergency(crate::domain::emergency::EmergencyError),
    /// Emergency access names a patient the portal does not know (a hospital treating someone
    /// needs to know the number was wrong).
    #[error("no patient holds this number today")]
    PatientNotFound,
    #[error("no such call")]
    NotFound,
    #[error("this call takes another method")]
    MethodNotAllowed,
    #[error("something went wrong on our side")]
    Internal(String),
}

#[derive(Serialize)]
struct Body<'a> {
    error: Detail<'a>,
}

#[derive(Serialize)]
struct Detail<'a> {
    code: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fields: Vec<FieldError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_at: Option<DateTime<Utc>>,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::CredentialMissing | Self::CredentialInvalid => StatusCode::UNAUTHORIZED,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::BodyInvalid(_) | Self::Fields(_) => StatusCode::BAD_REQUEST,
            Self::Refused { .. } => StatusCode::FORBIDDEN,
            Self::Emergency(e) => match e {
                crate::domain::emergency::EmergencyError::NotHospital => StatusCode::FORBIDDEN,
                crate::domain::emergency::EmergencyError::NotRenewed => StatusCode::CONFLICT,
                _ => StatusCode::BAD_REQUEST,
            },
            Self::NotFound | Self::PatientNotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::CredentialMissing => "credential_missing",
            Self::CredentialInvalid => "credential_invalid",
            Self::RateLimited { .. } => "rate_limited",
            Self::BodyInvalid(_) => "body_invalid",
            Self::Fields(_) => "fields_invalid",
            Self::Refused { refusal, .. } => refusal.as_str(),
            Self::Emergency(e) => e.code(),
            Self::PatientNotFound => "patient_not_found",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Internal(_) => "internal",
        }
    }

    /// A fault on our side, logged here with the request id the answer carries.
    pub fn internal(e: impl std::fmt::Display, request_id: &str) -> Self {
        tracing::error!(request_id, error = %e, "institution API call failed");
        Self::Internal(request_id.to_owned())
    }
}

impl From<crate::storage::StorageError> for ApiError {
    fn from(e: crate::storage::StorageError) -> Self {
        Self::internal(e, "-")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            Self::Internal(id) => format!("something went wrong on our side (request {id})"),
            other => other.to_string(),
        };
        let (fields, kind, retry_at) = match &self {
            Self::Fields(f) => (f.clone(), None, None),
            Self::Refused { kind, .. } => (Vec::new(), Some(kind.as_str()), None),
            Self::RateLimited { retry_at, .. } => (Vec::new(), None, Some(*retry_at)),
            _ => (Vec::new(), None, None),
        };
        let body = Body {
            error: Detail {
                code: self.code(),
                message,
                fields,
                kind,
                retry_at,
            },
        };
        let mut res = (status, axum::Json(body)).into_response();
        if let Self::RateLimited { seconds, .. } = self
            && let Ok(v) = HeaderValue::from_str(&seconds.max(1).to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"institution\""),
            );
        }
        res
    }
}
