//! Enrollment and sign-in as a patient goes through them, free of HTTP: check the insured
//! number and the mailed code, register the card, sign in with it. Callers keep ceremony state
//! where the browser cannot alter it and hand it back exactly once (`auth::api`).

use super::ceremony::{
    AssertionRecord, Ceremonies, CeremonyError, CreationChallengeResponse, PublicKeyCredential,
    RegisterPublicKeyCredential, RegistrationState, RequestChallengeResponse, SignInState,
    StoredCard, Uuid,
};
use super::enrollment_code::EnrollmentCode;
use super::rate_limit::{Limiter, Rule};
use crate::domain::card_check::StepUpFor;
use crate::domain::qualification::Member;
use crate::error::ServerError;
use crate::storage::card_checks::{NewCardCheck, Purpose};
use crate::storage::cards::{self, CardError, NewCard};
use crate::storage::events::{self, EventKind, NewEvent};
use crate::storage::logins::{self, LoginRow, Timeouts};
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
/// Insured-number lookups before a sign-in: each one counts, found or not.
const LOOKUP_PER_IP: Rule = Rule {
    max_failures: 30,
    window: TimeDelta::minutes(15),
};
/// Failed answers for one card from one client: counted per card *and* client, so a stranger
/// replaying junk for a patient's card locks out only themselves, never the patient.
const SIGN_IN_PER_CARD: Rule = Rule {
    max_failures: 5,
    window: TimeDelta::minutes(15),
};
/// How many credentials the insured-number fallback always offers, real or made up: the same
/// count for every number, so the answer does not say whether anyone is enrolled under it.
pub const FALLBACK_ENTRIES: usize = 4;

/// Everything sign-in needs that lives as long as the server.
pub struct Auth {
    pub ceremonies: Ceremonies,
    /// Keys the hashes of enrollment codes.
    pub key: Vec<u8>,
    pub limiter: Limiter,
    pub timeouts: Timeouts,
    /// The usual credential id length, for the fallback's made-up entries.
    pub id_length: super::decoys::IdLength,
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
    /// Another sign-in with the same card was stored first, with a counter at least as high.
    #[error("this card was just used for another sign-in; try again")]
    CardBusy,
    #[error("the enrollment code was used or replaced meanwhile")]
    CodeGone,
    #[error("this card is already registered")]
    AlreadyRegistered,
    /// The change needs a card check within the last few minutes.
    #[error("check your card again before this change")]
    StepUpRequired,
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
            Self::CardBusy => "card_busy",
            Self::CodeGone => "code_gone",
            Self::AlreadyRegistered => "already_registered",
            Self::StepUpRequired => "step_up_required",
            Self::Ceremony(e) => e.code(),
            Self::Storage(_) => "internal",
        }
    }
}

/// What a refusal tells the browser: its code, and until when a client over its limit waits.
impl From<AuthError> for ServerError {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::Storage(s) => Self::internal(s),
            AuthError::TooManyAttempts(retry_at) => Self::TooManyAttempts { retry_at },
            other => Self::Refused {
                reason: other.code(),
            },
        }
    }
}

impl From<AuthError> for crate::error::PortalError {
    fn from(e: AuthError) -> Self {
        ServerError::from(e).into()
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
    // Per number *and* client: a stranger typing wrong codes for someone's number must not
    // block that person's own enrollment. Codes carry 80 bits, so spreading guesses over many
    // addresses gains nothing.
    let member_key = format!(
        "enroll-member:{:?}:{ip}",
        crate::storage::member_key(&member)
    );
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

/// Sign-in from the browser's autofill list, where the browser offers one.
pub fn start_autofill_sign_in(
    auth: &Auth,
) -> Result<(RequestChallengeResponse, SignInState), AuthError> {
    Ok(auth.ceremonies.start_autofill_sign_in()?)
}

/// The fallback for browsers and cards that cannot offer a credential by themselves: the
/// patient types their insured number first and the options list that patient's cards.
///
/// Every number gets the same shape of answer: [`FALLBACK_ENTRIES`] credential ids, the made-up
/// ones derived from the number under the server key (so asking again gives the same answer)
/// and as long as the usual card's, none with transports, all in one order. So this cannot be
/// used to learn who is insured or enrolled; every lookup counts against the client's
/// allowance.
pub async fn start_sign_in_for_member(
    db: &Db,
    auth: &Auth,
    member_text: &str,
    ip: &str,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<(RequestChallengeResponse, SignInState), AuthError> {
    let ip_key = format!("sign-in-lookup-ip:{ip}");
    auth.limiter
        .check(&ip_key, LOOKUP_PER_IP, now)
        .map_err(AuthError::TooManyAttempts)?;
    auth.limiter.fail(&ip_key, now);
    let member = Member::parse(member_text).map_err(|(code, _)| AuthError::MemberFormat(code))?;
    let key = crate::storage::member_key(&member);
    let cards = match patients::by_member(db, &member, today).await? {
        Some(patient) => active_cards(db, patient).await?,
        None => Vec::new(),
    };
    let length = auth.id_length.get(db, now).await?;
    let decoys = super::decoys::ids(&auth.key, &format!("{key:?}"), FALLBACK_ENTRIES, length);
    Ok(auth
        .ceremonies
        .start_sign_in_padded(&cards, &decoys, FALLBACK_ENTRIES)?)
}

/// The patient's cards that still work, the most recently used first.
async fn active_cards(db: &Db, patient: PatientId) -> Result<Vec<StoredCard>, AuthError> {
    let mut rows: Vec<_> = cards::of_patient(db, patient)
        .await?
        .into_iter()
        .filter(|c| c.revoked_at.is_none())
        .collect();
    rows.sort_by_key(|c| std::cmp::Reverse(c.last_used_at.unwrap_or(c.created_at)));
    rows.iter()
        .map(|c| StoredCard::from_json(&c.credential).map_err(AuthError::from))
        .collect()
}

/// A successful sign-in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub patient: PatientId,
    pub card_id: i64,
    pub login_id: String,
}

/// A card answer that verified against the stored card.
struct Verified {
    patient: PatientId,
    card_id: i64,
    assertion: AssertionRecord,
}

/// Checks a card's answer against the card stored under its credential id, with back-off per
/// address and per card, and keeps the card's new counter. `owner` is the patient who must own
/// the card (a step-up); `None` for a sign-in, where the card says who it is. A counter that
/// went backwards disables the card for good: it may have been cloned. Failures are recorded on
/// the card owner's event log.
async fn verify_answer(
    db: &Db,
    auth: &Auth,
    reply: &PublicKeyCredential,
    state: SignInState,
    owner: Option<PatientId>,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<Verified, AuthError> {
    answers_allowed(auth, ip, now)?;
    let ip_key = format!("sign-in-ip:{ip}");
    let fail_ip = |e: AuthError| {
        auth.limiter.fail(&ip_key, now);
        e
    };
    let cred_id = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&reply.raw_id);
    let row = match cards::by_credential_id(db, &cred_id).await? {
        Some(row) if owner.is_none_or(|o| o.0 == row.patient_id) => row,
        _ => return Err(fail_ip(AuthError::UnknownCard)),
    };
    let patient = PatientId(row.patient_id);
    let card_key = format!("sign-in-card:{}:{ip}", row.id);
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
            // Stored only if the counter moved forward past what any parallel sign-in stored
            // meanwhile: two answers verified against the same old counter cannot both count.
            if !cards::record_use(db, row.id, &updated.to_json()?, assertion.counter, now).await? {
                return Err(fail_ip(AuthError::CardBusy));
            }
            auth.limiter.succeed(&card_key);
            Ok(Verified {
                patient,
                card_id: row.id,
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

/// Verifies the card's answer, records the outcome on the patient's event log, and opens a
/// login, keeping the assertion that opened it.
pub async fn finish_sign_in(
    db: &Db,
    auth: &Auth,
    reply: &PublicKeyCredential,
    state: SignInState,
    ip: &str,
    user_agent: &str,
    now: DateTime<Utc>,
) -> Result<SignedIn, AuthError> {
    let v = verify_answer(db, auth, reply, state, None, ip, now).await?;
    let login_id = random_id();
    logins::create(
        db,
        &login_id,
        v.patient,
        v.card_id,
        user_agent,
        &v.assertion,
        now,
    )
    .await?;
    Ok(SignedIn {
        patient: v.patient,
        card_id: v.card_id,
        login_id,
    })
}

/// The card placed on an institution's counter terminal: verified like a sign-in (any
/// patient's card; user verification required), but it opens no session. The check is kept for
/// a consent change at that institution ([`logins::record_counter_check`]); the id returned
/// finds it again when the patient confirms what to share.
pub async fn finish_counter_check(
    db: &Db,
    auth: &Auth,
    reply: &PublicKeyCredential,
    state: SignInState,
    institution: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<CounterCheck, AuthError> {
    let v = verify_answer(db, auth, reply, state, None, ip, now).await?;
    let login_id = random_id();
    logins::record_counter_check(
        db,
        &login_id,
        v.patient,
        v.card_id,
        institution,
        &v.assertion,
        now,
    )
    .await?;
    Ok(CounterCheck {
        patient: v.patient,
        login_id,
    })
}

/// A card check at a counter: whose card, and the id its check is kept under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterCheck {
    pub patient: PatientId,
    pub login_id: String,
}

/// A fresh card check inside a login (step-up): options listing the patient's own cards.
pub async fn start_step_up(
    db: &Db,
    auth: &Auth,
    patient: PatientId,
) -> Result<(RequestChallengeResponse, SignInState), AuthError> {
    let cards = active_cards(db, patient).await?;
    Ok(auth.ceremonies.start_sign_in_for(&cards)?)
}

/// Finishes a step-up with the card's answer to the options kept in the session: it must come from one of the signed-in patient's own working
/// cards. The check and its assertion are kept with `purpose`, and changes that need a fresh
/// check are allowed for [`logins::STEP_UP_WINDOW`].
pub async fn finish_step_up(
    db: &Db,
    auth: &Auth,
    login: &LoginRow,
    purpose: Purpose,
    (reply, state): (&PublicKeyCredential, SignInState),
    ip: &str,
    now: DateTime<Utc>,
) -> Result<(), AuthError> {
    let patient = PatientId(login.patient_id);
    let v = verify_answer(db, auth, reply, state, Some(patient), ip, now).await?;
    let check = NewCardCheck {
        patient,
        card_id: v.card_id,
        login_id: &login.id,
        purpose,
        assertion: &v.assertion,
    };
    logins::record_step_up(db, &check, now).await?;
    Ok(())
}

/// Whether `login` passed a card check for `purpose` within the last five minutes
/// ([`logins::STEP_UP_WINDOW`]); signing in counts only where [`StepUpFor::sign_in_counts`].
pub async fn checked_for(
    db: &Db,
    login: &LoginRow,
    purpose: StepUpFor,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    let mut purposes = vec![Purpose::StepUp(purpose)];
    if purpose.sign_in_counts() {
        purposes.push(Purpose::SignIn);
    }
    let last = crate::storage::card_checks::last_of(db, &login.id, &purposes).await?;
    Ok(last.is_some_and(|at| now - at <= logins::STEP_UP_WINDOW))
}

/// [`checked_for`] as a refusal.
pub async fn require_fresh_check(
    db: &Db,
    login: &LoginRow,
    purpose: StepUpFor,
    now: DateTime<Utc>,
) -> Result<(), AuthError> {
    if checked_for(db, login, purpose, now).await? {
        Ok(())
    } else {
        Err(AuthError::StepUpRequired)
    }
}

/// Revokes one of the signed-in patient's cards (lost, or no longer wanted) after a card check
/// made for that. The card is looked up among the patient's own: another patient's card id is
/// simply not found. Its sessions end at once, this one too if it was signed in with it.
pub async fn revoke_card(
    db: &Db,
    login: &LoginRow,
    card_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AuthError> {
    require_fresh_check(db, login, StepUpFor::RevokeCard, now).await?;
    if cards::revoke(db, PatientId(login.patient_id), card_id, "lost", now).await? {
        Ok(())
    } else {
        Err(AuthError::UnknownCard)
    }
}

/// Whether client `ip` may answer a card step now: refused while its failed answers are over
/// the limit. Asked before anything of the answer is read or recorded.
pub fn answers_allowed(auth: &Auth, ip: &str, now: DateTime<Utc>) -> Result<(), AuthError> {
    auth.limiter
        .check(&format!("sign-in-ip:{ip}"), SIGN_IN_PER_IP, now)
        .map_err(AuthError::TooManyAttempts)
}

/// 128 random bits as hex: login ids and ceremony handles are bearer secrets inside the
/// server-side session.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    hex::encode(bytes)
}

#[cfg(test)]
mod refusal_tests {
    use super::AuthError;
    use crate::error::ServerError;
    use crate::storage::StorageError;
    use chrono::Utc;
    use http::StatusCode;

    #[test]
    fn auth_refusals_keep_their_codes_and_faults_stay_internal() {
        let at = Utc::now();
        assert_eq!(
            ServerError::from(AuthError::CardBusy).status(),
            StatusCode::BAD_REQUEST
        );
        assert!(matches!(
            ServerError::from(AuthError::NoMatch),
            ServerError::Refused { reason: "no_match" }
        ));
        assert!(matches!(
            ServerError::from(AuthError::TooManyAttempts(at)),
            ServerError::TooManyAttempts { retry_at } if retry_at == at
        ));
        assert!(matches!(
            ServerError::from(AuthError::Storage(StorageError::Corrupt("x".into()))),
            ServerError::Internal(_)
        ));
    }
}
