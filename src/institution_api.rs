//! The institution API under `/institution/v1`: clinics, hospitals and pharmacies read a
//! patient's data here, and only here, with their institution's credential, and get only what
//! the patient's current consent allows. Every call that names a patient is appended to that
//! patient's access log before its answer leaves, allowed or refused.
//!
//! A router of its own, apart from the pages' and server functions' (`/api/`): no session, no
//! cookies, no Origin check; a bearer credential, a rate limit per credential, and JSON errors
//! ([`ApiError`]) with a code per field. Lookups are POSTs with a JSON body, so insured numbers
//! never appear in an address, where proxies and logs would keep them.

pub mod client;
pub mod credentials;
mod emergency;
pub mod error;
mod openapi;

use crate::auth::rate_limit::Rule;
use crate::domain::access_log::{Action, Entry, Outcome};
use crate::domain::consent::{self, DataKind, Refusal};
use crate::domain::emergency::{self as emergency_rules, Basis};
use crate::domain::insured::{
    Branch, InsuredMemberNumber, InsuredSymbol, InsurerNumber, PersonalInsuredNumber,
};
use crate::domain::qualification::Member;
use crate::domain::qualification::welfare::{PublicPayerNumber, RecipientNumber};
use crate::error::FieldError;
use crate::state::AppState;
use crate::storage::credentials::CredentialRow;
use crate::storage::institutions::Institution;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Extension, State};
use axum::http::{HeaderMap, Request};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{NaiveDate, TimeDelta};
pub use error::ApiError;
use serde::{Deserialize, Serialize};

pub const PREFIX: &str = "/institution/v1";

/// Calls per credential per minute: a busy pharmacy's counter, with room to spare; a system
/// pulling every patient it can name is stopped.
pub const CALLS_PER_CREDENTIAL: Rule = Rule {
    max_failures: 120,
    window: TimeDelta::minutes(1),
};

/// Failed authentications per client address per ten minutes.
pub const BAD_CREDENTIALS_PER_CLIENT: Rule = Rule {
    max_failures: 20,
    window: TimeDelta::minutes(10),
};

/// Emergency accesses a hospital may start an hour: a mass-casualty day needs a few, a system
/// starting them in bulk is stopped (and every one is reviewed by the operators).
pub const EMERGENCIES_PER_INSTITUTION: Rule = Rule {
    max_failures: 10,
    window: TimeDelta::hours(1),
};

/// Request bodies are a number and a date.
const MAX_BODY: usize = 8 * 1024;

/// The institution a call is made for, found from its credential.
#[derive(Debug, Clone)]
pub struct Caller {
    pub credential: CredentialRow,
    pub institution: Institution,
}

impl Caller {
    /// The caller as the portal's one principal model names it: no subject of its own.
    pub fn principal(&self) -> crate::principal::Principal {
        crate::principal::Principal::Institution {
            code: self.institution.code.clone(),
            credential: self.credential.public_id.clone(),
        }
    }
}

pub fn router(state: AppState) -> Router {
    let mut reads = Router::new();
    for kind in DataKind::ALL.iter().copied() {
        let handler =
            move |state: State<AppState>,
                  caller: Extension<Caller>,
                  headers: HeaderMap,
                  body: Bytes| read(state, caller, headers, body, kind);
        reads = reads.route(path_of(kind), post(handler));
    }
    let reads = reads
        .route("/emergency", post(emergency::start))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            authenticate,
        ))
        .route("/openapi.json", get(openapi::document))
        .fallback(async || ApiError::NotFound)
        .method_not_allowed_fallback(async || ApiError::MethodNotAllowed)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state);
    Router::new().nest(PREFIX, reads)
}

/// The path of a kind's read under [`PREFIX`]; the OpenAPI document names the same.
pub fn path_of(kind: DataKind) -> &'static str {
    match kind {
        DataKind::Qualification => "/qualification",
        DataKind::Medications => "/medications",
        DataKind::Checkups => "/checkups",
        DataKind::CostNotices => "/cost-notices",
    }
}

fn request_id(headers: &HeaderMap) -> String {
    headers
        .get(crate::request::REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned()
}

/// Finds the caller from `Authorization: Bearer <token>`, and counts the call against the
/// credential's limit. Failures count against the client's address.
async fn authenticate(
    State(state): State<AppState>,
    mut req: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    let now = state.clock.now();
    let client = req
        .extensions()
        .get::<crate::client_addr::ClientAddr>()
        .map_or_else(|| "-".to_owned(), |c| c.0.to_string());
    let limits = &state.institution_limits;
    let bad_key = format!("bad-credential:{client}");
    if let Err(retry_at) = limits.check(&bad_key, BAD_CREDENTIALS_PER_CLIENT, now) {
        let seconds = (retry_at - now).num_seconds();
        return ApiError::RateLimited { retry_at, seconds }.into_response();
    }
    let token = req
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(token) = token else {
        return ApiError::CredentialMissing.into_response();
    };
    let found = match credentials::authenticate(&state.db, token).await {
        Ok(found) => found,
        Err(e) => return ApiError::internal(e, &request_id(req.headers())).into_response(),
    };
    let Some((credential, institution)) = found else {
        limits.fail(&bad_key, now);
        tracing::warn!(client, "institution API call with an invalid credential");
        return ApiError::CredentialInvalid.into_response();
    };
    let key = format!("credential:{}", credential.public_id);
    if let Err(retry_at) = limits.check(&key, CALLS_PER_CREDENTIAL, now) {
        let seconds = (retry_at - now).num_seconds();
        return ApiError::RateLimited { retry_at, seconds }.into_response();
    }
    limits.fail(&key, now);
    // Noted at most once a minute: the row just read says when it was last noted.
    let noted_lately = credential
        .last_used_at
        .is_some_and(|at| now - at < crate::storage::credentials::USE_NOTED_EVERY);
    if !noted_lately
        && let Err(e) = crate::storage::credentials::used(&state.db, credential.id, now).await
    {
        tracing::warn!(error = %e, "could not note a credential's use");
    }
    req.extensions_mut().insert(Caller {
        credential,
        institution,
    });
    next.run(req).await
}

/// The body every read takes: the patient by their insured-person number, or (welfare medical
/// aid recipients, who have none) by their public payer and recipient numbers.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LookupBody {
    insured: Option<InsuredBody>,
    public_aid: Option<PublicAidBody>,
    visit_date: Option<String>,
}

/// The four parts of the insured-person number as on the card; 記号 and 枝番 may be empty.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct InsuredBody {
    #[serde(default)]
    insurer: String,
    #[serde(default)]
    symbol: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    branch: String,
}

/// 公費負担者番号 and 受給者番号 of 医療扶助, as on the recipient's medical ticket.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PublicAidBody {
    #[serde(default)]
    payer: String,
    #[serde(default)]
    recipient: String,
}

/// A valid lookup: who, and the visit it is for.
struct Lookup {
    member: Member,
    visit: NaiveDate,
}

fn field(field: &str, code: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        code: code.to_owned(),
    }
}

/// The insured-person number, or the codes of its bad parts in `errors`.
/// The patient a body names, by insured-person number or by welfare ticket, never both.
fn member_of(
    insured: Option<&InsuredBody>,
    public_aid: Option<&PublicAidBody>,
    errors: &mut Vec<FieldError>,
) -> Option<Member> {
    match (insured, public_aid) {
        (None, None) => {
            errors.push(field("insured", "required"));
            None
        }
        // One person, one way of naming them: never guess which of two numbers was meant.
        (Some(_), Some(_)) => {
            errors.push(field("public_aid", "insured_or_public_aid"));
            None
        }
        (Some(insured), None) => insured_member(insured, errors),
        (None, Some(aid)) => public_aid_member(aid, errors),
    }
}

fn insured_member(i: &InsuredBody, errors: &mut Vec<FieldError>) -> Option<Member> {
    let optional = |s: &str| !crate::domain::normalize::normalize_code(s).is_empty();
    let insurer = InsurerNumber::parse(&i.insurer)
        .map_err(|e| errors.push(field("insured.insurer", e.code())))
        .ok();
    let symbol = if optional(&i.symbol) {
        InsuredSymbol::parse(&i.symbol)
            .map(Some)
            .map_err(|e| errors.push(field("insured.symbol", e.code())))
            .ok()
    } else {
        Some(None)
    };
    let number = InsuredMemberNumber::parse(&i.number)
        .map_err(|e| errors.push(field("insured.number", e.code())))
        .ok();
    let branch = if optional(&i.branch) {
        Branch::parse(&i.branch)
            .map(Some)
            .map_err(|e| errors.push(field("insured.branch", e.code())))
            .ok()
    } else {
        Some(None)
    };
    Some(Member::Insured(PersonalInsuredNumber::new(
        insurer?, symbol?, number?, branch?,
    )))
}

/// The public payer and recipient numbers, or the codes of the bad ones in `errors`.
fn public_aid_member(a: &PublicAidBody, errors: &mut Vec<FieldError>) -> Option<Member> {
    let payer = PublicPayerNumber::parse(&a.payer)
        .map_err(|e| errors.push(field("public_aid.payer", e.code())))
        .ok();
    let recipient = RecipientNumber::parse(&a.recipient)
        .map_err(|e| errors.push(field("public_aid.recipient", e.code())))
        .ok();
    Some(Member::Welfare {
        payer: payer?,
        recipient: recipient?,
    })
}

/// Reads the body, naming every bad field at once.
fn lookup(body: &[u8], today: NaiveDate) -> Result<Lookup, ApiError> {
    let body: LookupBody =
        serde_json::from_slice(body).map_err(|e| ApiError::BodyInvalid(e.to_string()))?;
    let mut errors = Vec::new();
    let member = member_of(body.insured.as_ref(), body.public_aid.as_ref(), &mut errors);
    let visit = match body.visit_date.as_deref().map(str::trim) {
        None | Some("") => {
            errors.push(field("visit_date", "required"));
            None
        }
        Some(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Err(_) => {
                errors.push(field("visit_date", "invalid_date"));
                None
            }
            Ok(d) if d > today => {
                errors.push(field("visit_date", "visit_date_future"));
                None
            }
            Ok(d) => Some(d),
        },
    };
    match (member, visit) {
        (Some(member), Some(visit)) if errors.is_empty() => Ok(Lookup { member, visit }),
        _ => Err(ApiError::Fields(errors)),
    }
}

/// A read's answer.
#[derive(Debug, Serialize)]
pub struct Answer {
    pub kind: DataKind,
    pub visit_date: NaiveDate,
    /// The consent that allowed it; `None` when an emergency access did.
    pub consent_id: Option<i64>,
    /// The emergency access that allowed it, where no consent did.
    pub emergency_id: Option<i64>,
    /// Records dated from this day to the visit are included.
    pub from: NaiveDate,
    pub records: crate::disclosure::Disclosed,
}

/// One read: the consent (or a running emergency access) decides, the log records, and only
/// then does the answer leave.
async fn read(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
    kind: DataKind,
) -> Result<axum::Json<Answer>, ApiError> {
    let request_id = request_id(&headers);
    let internal = |e: crate::storage::StorageError| ApiError::internal(e, &request_id);
    let now = state.clock.now();
    let Lookup { member, visit } = lookup(&body, state.clock.today_japan())?;
    let Some(patient) = crate::storage::patients::by_member(&state.db, &member, visit)
        .await
        .map_err(internal)?
    else {
        // Said exactly as for a patient without consent: whether a number is a patient here
        // is itself personal data.
        return Err(ApiError::Refused {
            refusal: Refusal::NoConsent,
            kind,
        });
    };
    let code = &caller.institution.code;
    let consents = crate::storage::consents::for_institution(&state.db, patient, code)
        .await
        .map_err(internal)?;
    // Read only what a first look allows; the decision that counts is made again with the log
    // entry, in one transaction. Emergency accesses are looked up only where consent refuses.
    let first_look = match consent::decide(&consents, kind, visit, now) {
        Ok(id) => Ok(Basis::Consent(id)),
        Err(refusal) if emergency_rules::KINDS.contains(&kind) => {
            let running = crate::storage::emergency::running(&state.db, patient, code, now)
                .await
                .map_err(internal)?;
            emergency_rules::decide(&consents, &running, kind, visit, now).map_err(|_| refusal)
        }
        Err(refusal) => Err(refusal),
    };
    let records = match first_look {
        Ok(_) => Some(
            crate::disclosure::records(&state.db, patient, kind, visit)
                .await
                .map_err(internal)?,
        ),
        Err(_) => None,
    };
    let entry = |outcome: Outcome| {
        let mut e = Entry::new(now, caller.principal().actor(), Action::Read, outcome);
        e.actor_code = Some(caller.institution.code.clone());
        e.actor_name = Some(caller.institution.name.clone());
        e.data_kind = Some(kind);
        e.detail = serde_json::json!({
            "visit_date": visit,
            "credential": caller.credential.public_id,
            "request": request_id,
        })
        .to_string();
        e
    };
    let count = records.as_ref().map(crate::disclosure::Disclosed::count);
    let decided = crate::storage::consents::decide_and_log(
        &state.db,
        patient,
        code,
        kind,
        visit,
        now,
        |decided| {
            let refused = |refusal: Refusal| {
                let mut e = entry(Outcome::Refused);
                e.reason = Some(refusal.as_str().to_owned());
                (e, Err(refusal))
            };
            match (decided, count) {
                (Ok(basis), Some(count)) => {
                    let mut allowed = entry(Outcome::Allowed);
                    allowed.records = Some(i64::try_from(count).unwrap_or(i64::MAX));
                    match basis {
                        Basis::Consent(id) => allowed.consent_id = Some(id),
                        // Flagged: the patient's log says no consent allowed this read.
                        Basis::Emergency(id) => {
                            allowed.reason = Some(EMERGENCY_READ.to_owned());
                            allowed.detail = serde_json::json!({
                                "visit_date": visit,
                                "credential": caller.credential.public_id,
                                "request": request_id,
                                "emergency": id,
                            })
                            .to_string();
                        }
                    }
                    (allowed, Ok(basis))
                }
                // Allowed between the first look and now: this call read nothing, and is
                // answered as the first look decided; the next one will read.
                (Ok(_), None) => refused(Refusal::NoConsent),
                (Err(refusal), _) => refused(refusal),
            }
        },
    )
    .await
    .map_err(internal)?;
    if decided.notice_raised {
        // The patient's home page shows the notice at once, not after the reused login checks.
        state.recent_logins.forget_patient(patient.0);
    }
    match (decided.outcome, records) {
        (Ok(basis), Some(records)) => Ok(axum::Json(Answer {
            kind,
            visit_date: visit,
            consent_id: match basis {
                Basis::Consent(id) => Some(id),
                Basis::Emergency(_) => None,
            },
            emergency_id: match basis {
                Basis::Emergency(id) => Some(id),
                Basis::Consent(_) => None,
            },
            from: consent::window_start(kind, visit),
            records,
        })),
        (Err(refusal), _) => Err(ApiError::Refused { refusal, kind }),
        (Ok(_), None) => Err(ApiError::Refused {
            refusal: Refusal::NoConsent,
            kind,
        }),
    }
}

/// The reason a read allowed by emergency access carries in the log.
pub const EMERGENCY_READ: &str = "emergency_access";
