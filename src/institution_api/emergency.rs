//! `POST /institution/v1/emergency`: a hospital starts emergency access for a patient who
//! cannot consent (`domain::emergency`). A reason from the list and an account in words are
//! required; clinics and pharmacies are refused; the start (with the patient's notice, in one
//! transaction) or the refusal is appended to the patient's log.

use super::{ApiError, Caller, InsuredBody, PublicAidBody, field, request_id};
use crate::domain::access_log::{Action, Entry, Outcome};
use crate::domain::consent::DataKind;
use crate::domain::emergency::{self, EmergencyError};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The body: who, why, and what happened in words.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StartBody {
    insured: Option<InsuredBody>,
    public_aid: Option<PublicAidBody>,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
}

/// The answer to a start.
#[derive(Debug, Serialize)]
pub struct Started {
    pub emergency_id: i64,
    pub reason: emergency::Reason,
    pub started_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// What it lets the hospital read, with the usual calls.
    pub kinds: Vec<DataKind>,
}

pub async fn start(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, axum::Json<Started>), ApiError> {
    let request_id = request_id(&headers);
    let internal = |e: crate::storage::StorageError| ApiError::internal(e, &request_id);
    let now = state.clock.now();
    let body: StartBody =
        serde_json::from_slice(&body).map_err(|e| ApiError::BodyInvalid(e.to_string()))?;
    // Counted per institution, every attempt: a system starting them in bulk is stopped.
    let key = format!("emergency:{}", caller.institution.code);
    let limits = &state.institution_limits;
    if let Err(retry_at) = limits.check(&key, super::EMERGENCIES_PER_INSTITUTION, now) {
        let seconds = (retry_at - now).num_seconds();
        return Err(ApiError::RateLimited { retry_at, seconds });
    }
    limits.fail(&key, now);
    let mut errors = Vec::new();
    let member = super::member_of(body.insured.as_ref(), body.public_aid.as_ref(), &mut errors);
    let asked = emergency::parse(&body.reason, &body.note).map_err(|bad| {
        for e in bad {
            errors.push(field(e.field().unwrap_or("body"), e.code()));
        }
    });
    let (member, (reason, note)) = match (member, asked) {
        (Some(member), Ok(asked)) if errors.is_empty() => (member, asked),
        _ => return Err(ApiError::Fields(errors)),
    };
    let today = state.clock.today_japan();
    let found = crate::storage::patients::by_member(&state.db, &member, today)
        .await
        .map_err(internal)?;
    let code = &caller.institution.code;
    let entry = |outcome: Outcome| {
        let mut e = Entry::new(
            now,
            caller.principal().actor(),
            Action::EmergencyAccess,
            outcome,
        );
        e.actor_code = Some(code.clone());
        e.actor_name = Some(caller.institution.name.clone());
        e.reason = Some(reason.as_str().to_owned());
        e
    };
    // The account in words stays with the operators' review: it may name other people.
    let detail = |emergency: Option<i64>| {
        serde_json::json!({
            "emergency": emergency,
            "credential": caller.credential.public_id,
            "request": request_id,
        })
        .to_string()
    };
    let refuse = async |patient, refused: EmergencyError| {
        let mut e = entry(Outcome::Refused);
        e.reason = Some(refused.code().to_owned());
        e.detail = detail(None);
        crate::storage::access_log::append(&state.db, patient, &e)
            .await
            .map_err(internal)?;
        Err(ApiError::Emergency(refused))
    };
    // Clinics and pharmacies are refused whoever they name (the patient's log keeps it).
    if caller.institution.kind != emergency::HOSPITAL {
        return match found {
            Some(patient) => refuse(patient, EmergencyError::NotHospital).await,
            None => Err(ApiError::Emergency(EmergencyError::NotHospital)),
        };
    }
    let Some(patient) = found else {
        return Err(ApiError::PatientNotFound);
    };
    let earlier = crate::storage::emergency::running(&state.db, patient, code, now)
        .await
        .map_err(internal)?;
    if let Err(refused) = emergency::may_start(&caller.institution.kind, &note, &earlier, now) {
        return refuse(patient, refused).await;
    }
    let started = crate::storage::emergency::start(
        &state.db,
        &crate::storage::emergency::Start {
            patient,
            institution: &caller.institution,
            credential: &caller.credential.public_id,
            reason,
            note: &note,
            at: now,
        },
        |id| {
            let mut e = entry(Outcome::Done);
            e.detail = detail(Some(id));
            e
        },
    )
    .await
    .map_err(internal)?;
    // The patient's home page shows the notice at once, not after the reused login checks.
    state.recent_logins.forget_patient(patient.0);
    tracing::warn!(
        emergency = started.id,
        institution = %code,
        reason = reason.as_str(),
        "emergency access started"
    );
    Ok((
        StatusCode::CREATED,
        axum::Json(Started {
            emergency_id: started.id,
            reason,
            started_at: started.started_at,
            ends_at: started.ends_at,
            kinds: emergency::KINDS.to_vec(),
        }),
    ))
}
