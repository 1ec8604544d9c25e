//! Enrollment and sign-in as a patient goes through them, free of HTTP: check the insured
//! number and the mailed code, register the card, sign in with it. Callers keep ceremony state
//! in the server-side session and hand it back exactly once.

use super::ceremony::{
    Ceremonies, CeremonyError, CreationChallengeResponse, PublicKeyCredential,
    RegisterPublicKeyCredential, RegistrationState, RequestChallengeResponse, SignInState,
    StoredCard, Uuid,
};
use super::enrollment_code::EnrollmentCode;
use super::rate_limit::{Limiter, Rule};
use crate::feed::validate::Member;
use crate::storage::cards::{self, CardError, NewCard};
use crate::storage::events::{self, EventKind, NewEvent};
use crate::storage::logins::{self, Timeouts};
use crate::storage::patients::{self, PatientId};
use crate::storage::{Db, StorageError};
use base64::Engine;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

/// How long a mailed code stays valid.
pub const CODE_VALIDITY: TimeDelta = TimeDelta::days(30);
const ENROLL_PER_MEMBER: Rule = Rule {
    max_failures: 5,
    window: TimeDelta::minutes(15),
};
const ENROLL_PER_IP: Rule = Rule {
    max_failures: 20,
    window: TimeDelta::minutes(15),
};
const SIGN_IN_PER_IP: Rule = Rule {
    max_failures: 10,
    window: TimeDelta::minutes(15),
};
const SIGN_IN_PER_CARD: Rule = Rule {
    max_failures: 5,
    window: TimeDelta::minutes(15),
};

/// Everything sign-in needs that lives as long as the server.
pub struct Auth {
    pub ceremonies: Ceremonies,
    /// Keys the hashes of enrollment codes.
    pub key: Vec<u8>,
    pub limiter: Limiter,
    pub timeouts: Timeouts,
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("the insured-person number is not in a valid form")]
    MemberFormat(&'static str),
    #[error("the enrollment code is not in a valid form")]
    CodeFormat(&'static str),
    /// Deliberately the same for an unknown number and a wrong code, so the form cannot be
    /// used to find out who is insured.
    #[error("the insured-person number and enrollment code do not match a valid code")]
    NoMatch,
    #[error("too many attempts; try again after {0}")]
    TooManyAttempts(DateTime<Utc>),
    #[error("this card is not registered")]
    UnknownCard,
    #[error("this card was revoked")]
    CardRevoked,
    #[error("this card was disabled because its signature counter went backwards")]
    CardDisabled,
    #[error("the enrollment code was used or replaced meanwhile")]
    CodeGone,
    #[error("this card is already registered")]
    AlreadyRegistered,
    #[error("the card check failed: {0}")]
    Ceremony(#[from] CeremonyError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl AuthError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::MemberFormat(_) => "member_format",
            Self::CodeFormat(_) => "code_format",
            Self::NoMatch => "no_match",
            Self::TooManyAttempts(_) => "too_many_attempts",
            Self::UnknownCard => "unknown_card",
            Self::CardRevoked => "card_revoked",
            Self::CardDisabled => "card_disabled",
            Self::CodeGone => "code_gone",
            Self::AlreadyRegistered => "already_registered",
            Self::Ceremony(e) => e.code(),
            Self::Storage(_) => "internal",
        }
    }
}

impl From<CardError> for AuthError {
    fn from(e: CardError) -> Self {
        match e {
            CardError::CodeGone => Self::CodeGone,
            CardError::AlreadyRegistered => Self::AlreadyRegistered,
            CardError::Storage(s) => Self::Storage(s),
        }
    }
}

/// Operators issue a code for a patient (printed and mailed); earlier unused codes stop working.
pub async fn issue_code(
    db: &Db,
    key: &[u8],
    patient: PatientId,
    now: DateTime<Utc>,
    rng: &mut impl rand::RngCore,
) -> Result<EnrollmentCode, StorageError> {
    let code = EnrollmentCode::generate(rng);
    cards::issue_code(db, patient, &code.keyed_hash(key), now, now + CODE_VALIDITY).await?;
    Ok(code)
}

/// Step 1 of enrollment: the number and code typed by the patient. Returns the patient and the
/// code's id, to be kept in the session until the card is registered.
pub async fn check_code(
    db: &Db,
    auth: &Auth,
    member_text: &str,
    code_text: &str,
    ip: &str,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<(PatientId, i64), AuthError> {
    let ip_key = format!("enroll-ip:{ip}");
    auth.limiter
        .check(&ip_key, ENROLL_PER_IP, now)
        .map_err(AuthError::TooManyAttempts)?;
    let member = Member::parse(member_text).map_err(|(code, _)| {
        auth.limiter.fail(&ip_key, now);
        AuthError::MemberFormat(code)
    })?;
    let member_key = format!("enroll-member:{:?}", crate::storage::member_key(&member));
    auth.limiter
        .check(&member_key, ENROLL_PER_MEMBER, now)
        .map_err(AuthError::TooManyAttempts)?;
    let code = EnrollmentCode::parse(code_text).map_err(|e| {
        auth.limiter.fail(&ip_key, now);
        AuthError::CodeFormat(e.code())
    })?;
    if let Some(patient) = patients::by_member(db, &member, today).await? {
        // Compare against every usable code in constant time each; no early exit on a match
        // would reveal more than the answer itself.
        let mut found = None;
        for (id, stored) in cards::usable_codes(db, patient, now).await? {
            if code.matches(&auth.key, &stored) {
                found = Some(id);
            }
        }
        if let Some(id) = found {
            auth.limiter.succeed(&member_key);
            return Ok((patient, id));
        }
    }
    auth.limiter.fail(&ip_key, now);
    auth.limiter.fail(&member_key, now);
    Err(AuthError::NoMatch)
}

/// The WebAuthn user handle of a patient: their public id, never the internal key.
async fn user_of(db: &Db, patient: PatientId) -> Result<(Uuid, String, String), AuthError> {
    let (public_id, name) = patients::identity(db, patient).await?;
    let uuid = Uuid::parse_str(&public_id)
        .map_err(|_| StorageError::Corrupt(format!("patient {} public id", patient.0)))?;
    Ok((uuid, public_id, name))
}

/// Step 2: the options for `navigator.credentials.create`, excluding the patient's cards.
pub async fn start_registration(
    db: &Db,
    auth: &Auth,
    patient: PatientId,
) -> Result<(CreationChallengeResponse, RegistrationState), AuthError> {
    let (uuid, public_id, name) = user_of(db, patient).await?;
    let existing: Vec<StoredCard> = cards::of_patient(db, patient)
        .await?
        .iter()
        .filter(|c| c.revoked_at.is_none())
        .filter_map(|c| StoredCard::from_json(&c.credential).ok())
        .collect();
    Ok(auth
        .ceremonies
        .start_registration(uuid, &public_id, &name, &existing)?)
}

fn new_card(card: &StoredCard) -> Result<NewCard, AuthError> {
    Ok(NewCard {
        credential_id: base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(card.cred_id()),
        kind: card.kind().to_owned(),
        credential: card.to_json()?,
    })
}

/// Step 3: verifies the new card and stores it, using the code. Earlier cards end.
pub async fn finish_enrollment(
    db: &Db,
    auth: &Auth,
    patient: PatientId,
    code_id: i64,
    reply: &RegisterPublicKeyCredential,
    state: RegistrationState,
    now: DateTime<Utc>,
) -> Result<i64, AuthError> {
    let card = auth.ceremonies.finish_registration(reply, state)?;
    Ok(cards::enroll(db, patient, code_id, &new_card(&card)?, now).await?)
}

/// A signed-in patient adds another card (after a fresh card check).
pub async fn finish_add_card(
    db: &Db,
    auth: &Auth,
    patient: PatientId,
    reply: &RegisterPublicKeyCredential,
    state: RegistrationState,
    now: DateTime<Utc>,
) -> Result<i64, AuthError> {
    let card = auth.ceremonies.finish_registration(reply, state)?;
    Ok(cards::add(db, patient, &new_card(&card)?, now).await?)
}

/// "Sign in with card": no name typed; the card offers its credential.
pub fn start_sign_in(auth: &Auth) -> Result<(RequestChallengeResponse, SignInState), AuthError> {
    Ok(auth.ceremonies.start_discoverable_sign_in()?)
}

/// A successful sign-in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub patient: PatientId,
    pub card_id: i64,
    pub login_id: String,
    pub assertion: super::ceremony::AssertionRecord,
}

/// Verifies the card's answer, records the outcome on the patient's event log, and opens a
/// login. A counter that went backwards disables the card for good: it may have been cloned.
pub async fn finish_sign_in(
    db: &Db,
    auth: &Auth,
    reply: &PublicKeyCredential,
    state: SignInState,
    ip: &str,
    user_agent: &str,
    now: DateTime<Utc>,
) -> Result<SignedIn, AuthError> {
    let ip_key = format!("sign-in-ip:{ip}");
    auth.limiter
        .check(&ip_key, SIGN_IN_PER_IP, now)
        .map_err(AuthError::TooManyAttempts)?;
    let fail_ip = |e: AuthError| {
        auth.limiter.fail(&ip_key, now);
        e
    };
    let (_, cred_id) = auth
        .ceremonies
        .identify(reply)
        .map_err(|e| fail_ip(e.into()))?;
    let cred_id = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(cred_id);
    let Some(row) = cards::by_credential_id(db, &cred_id).await? else {
        return Err(fail_ip(AuthError::UnknownCard));
    };
    let patient = PatientId(row.patient_id);
    let card_key = format!("sign-in-card:{}", row.id);
    auth.limiter
        .check(&card_key, SIGN_IN_PER_CARD, now)
        .map_err(AuthError::TooManyAttempts)?;
    let failed = |code: &str| NewEvent {
        patient,
        kind: EventKind::SignInFailed,
        card_id: Some(row.id),
        login_id: None,
        detail: serde_json::json!({ "code": code }),
    };
    if row.revoked_at.is_some() {
        let e = if row.revoke_reason.as_deref() == Some("counter_regression") {
            AuthError::CardDisabled
        } else {
            AuthError::CardRevoked
        };
        events::append(db, &failed(e.code()), now).await?;
        return Err(fail_ip(e));
    }
    let stored = StoredCard::from_json(&row.credential)?;
    match auth.ceremonies.finish_sign_in(reply, state, &stored) {
        Ok((updated, assertion)) => {
            cards::record_use(db, row.id, &updated.to_json()?, now).await?;
            let login_id = random_id();
            logins::create(db, &login_id, patient, row.id, user_agent, now).await?;
            auth.limiter.succeed(&card_key);
            Ok(SignedIn {
                patient,
                card_id: row.id,
                login_id,
                assertion,
            })
        }
        Err(CeremonyError::CounterRegressed) => {
            cards::revoke(db, patient, row.id, "counter_regression", now).await?;
            Err(fail_ip(AuthError::CardDisabled))
        }
        Err(e) => {
            events::append(db, &failed(e.code()), now).await?;
            auth.limiter.fail(&card_key, now);
            Err(fail_ip(e.into()))
        }
    }
}

/// 128 random bits as hex: login ids are bearer secrets inside the server-side session.
fn random_id() -> String {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    hex::encode(bytes)
}
