//! Emergency access: a hospital treating a patient who cannot consent (unconscious, unable to
//! communicate, in a disaster) may read their medications and checkups for 24 hours without a
//! consent, stating why. It is never silent: every start and every read under it is flagged in
//! the patient's access log, the patient gets a notice, and the operators review each one.
//!
//! Only hospitals may start one (clinics and pharmacies see patients who can consent at the
//! counter). A start names a reason from a fixed list and says in words what happened; while
//! one is running, another needs new words (an access is not renewed by repeating the call).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::clock::japan_offset;
use super::consent::{Consent, DataKind, Refusal};

/// How long an emergency access lasts.
pub const DURATION: Duration = Duration::hours(24);

/// What an emergency access lets the hospital read.
pub const KINDS: [DataKind; 2] = [DataKind::Medications, DataKind::Checkups];

/// The longest account of what happened, in characters.
pub const NOTE_MAX: usize = 500;

/// The institution kind that may start one, as the institutions feed names it.
pub const HOSPITAL: &str = "hospital";

/// Why the patient cannot consent themself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Unconscious or sedated.
    Unconscious,
    /// Conscious but unable to understand or answer (confusion, dementia, language).
    CannotCommunicate,
    /// Life-threatening, with no time to ask.
    LifeThreatening,
    /// A disaster: the patient's card or records are out of reach.
    Disaster,
}

names!(Reason {
    Unconscious => "unconscious",
    CannotCommunicate => "cannot_communicate",
    LifeThreatening => "life_threatening",
    Disaster => "disaster",
});

/// One emergency access as started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Emergency {
    pub id: i64,
    pub institution: String,
    pub reason: Reason,
    pub note: String,
    pub started_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl Emergency {
    pub fn active(&self, now: DateTime<Utc>) -> bool {
        self.started_at <= now && now < self.ends_at
    }
}

/// Why a start was refused; the code is what the API answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmergencyError {
    #[error("only hospitals may start emergency access")]
    NotHospital,
    #[error("state why the patient cannot consent (a reason from the list)")]
    ReasonMissing,
    #[error("the reason is not one of the list")]
    ReasonUnknown,
    #[error("say in words what happened")]
    NoteMissing,
    #[error("the account is longer than {NOTE_MAX} characters")]
    NoteTooLong,
    #[error(
        "an emergency access for this patient is running; a new one needs a new account of what happened"
    )]
    NotRenewed,
}

impl EmergencyError {
    pub fn code(self) -> &'static str {
        match self {
            Self::NotHospital => "emergency_not_hospital",
            Self::ReasonMissing => "required",
            Self::ReasonUnknown => "emergency_reason_unknown",
            Self::NoteMissing => "required",
            Self::NoteTooLong => "too_long",
            Self::NotRenewed => "emergency_not_renewed",
        }
    }

    /// The request field it is about, for a code per field.
    pub fn field(self) -> Option<&'static str> {
        match self {
            Self::ReasonMissing | Self::ReasonUnknown => Some("reason"),
            Self::NoteMissing | Self::NoteTooLong => Some("note"),
            Self::NotHospital | Self::NotRenewed => None,
        }
    }
}

/// A start as asked: the reason and the account, each checked (every bad field named at once).
pub fn parse(reason: &str, note: &str) -> Result<(Reason, String), Vec<EmergencyError>> {
    let mut errors = Vec::new();
    let reason = match reason.trim() {
        "" => {
            errors.push(EmergencyError::ReasonMissing);
            None
        }
        r => Reason::parse(r).or_else(|| {
            errors.push(EmergencyError::ReasonUnknown);
            None
        }),
    };
    let note = note.trim();
    if note.is_empty() {
        errors.push(EmergencyError::NoteMissing);
    } else if note.chars().count() > NOTE_MAX {
        errors.push(EmergencyError::NoteTooLong);
    }
    match reason {
        Some(r) if errors.is_empty() => Ok((r, note.to_owned())),
        _ => Err(errors),
    }
}

/// Whether `institution` (of `kind`) may start one now, given the patient's emergency accesses
/// by that institution: a hospital, and, while one runs, with a new account of what happened.
pub fn may_start(
    kind: &str,
    note: &str,
    earlier: &[Emergency],
    now: DateTime<Utc>,
) -> Result<(), EmergencyError> {
    if kind != HOSPITAL {
        return Err(EmergencyError::NotHospital);
    }
    if earlier
        .iter()
        .any(|e| e.active(now) && e.note.trim() == note.trim())
    {
        return Err(EmergencyError::NotRenewed);
    }
    Ok(())
}

/// The emergency access that allows reading `kind` for a visit on `visit` at `now`, if any:
/// running now, covering that kind, and the visit on a Japan day it spans.
pub fn allowing(
    emergencies: &[Emergency],
    kind: DataKind,
    visit: NaiveDate,
    now: DateTime<Utc>,
) -> Option<i64> {
    if !KINDS.contains(&kind) {
        return None;
    }
    let day = |t: DateTime<Utc>| t.with_timezone(&japan_offset()).date_naive();
    emergencies
        .iter()
        .filter(|e| e.active(now))
        .filter(|e| {
            day(e.started_at) <= visit && visit <= day(e.ends_at - Duration::microseconds(1))
        })
        .max_by_key(|e| (e.started_at, e.id))
        .map(|e| e.id)
}

/// What allowed a read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    Consent(i64),
    Emergency(i64),
}

/// The one decision, emergencies included: the patient's consent decides first; where it
/// refuses, an emergency access this institution has running allows medications and checkups
/// (a patient who cannot consent cannot renew a consent either). Otherwise the consent's
/// refusal stands.
pub fn decide(
    consents: &[Consent],
    emergencies: &[Emergency],
    kind: DataKind,
    visit: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Basis, Refusal> {
    match super::consent::decide(consents, kind, visit, now) {
        Ok(id) => Ok(Basis::Consent(id)),
        Err(refusal) => allowing(emergencies, kind, visit, now)
            .map(Basis::Emergency)
            .ok_or(refusal),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn started(id: i64, note: &str, when: &str) -> Emergency {
        Emergency {
            id,
            institution: "1311234567".into(),
            reason: Reason::Unconscious,
            note: note.into(),
            started_at: at(when),
            ends_at: at(when) + DURATION,
        }
    }

    #[test]
    fn only_a_hospital_with_a_reason_and_an_account_starts_one() {
        let now = at("2026-12-05T03:00:00Z");
        for kind in ["pharmacy", "clinic", "dental_clinic"] {
            assert_eq!(
                may_start(kind, "x", &[], now),
                Err(EmergencyError::NotHospital)
            );
        }
        assert_eq!(may_start("hospital", "x", &[], now), Ok(()));
        assert_eq!(
            parse("", ""),
            Err(vec![
                EmergencyError::ReasonMissing,
                EmergencyError::NoteMissing
            ])
        );
        assert_eq!(
            parse("bored", " found collapsed "),
            Err(vec![EmergencyError::ReasonUnknown])
        );
        assert_eq!(
            parse("unconscious", &"あ".repeat(NOTE_MAX + 1)),
            Err(vec![EmergencyError::NoteTooLong])
        );
        assert_eq!(
            parse(" unconscious ", " found collapsed at the station "),
            Ok((Reason::Unconscious, "found collapsed at the station".into()))
        );
    }

    #[test]
    fn a_running_access_is_not_renewed_by_repeating_the_call() {
        let first = started(1, "found collapsed", "2026-12-05T00:00:00Z");
        let now = at("2026-12-05T20:00:00Z");
        assert_eq!(
            may_start(
                "hospital",
                " found collapsed ",
                std::slice::from_ref(&first),
                now
            ),
            Err(EmergencyError::NotRenewed)
        );
        assert_eq!(
            may_start(
                "hospital",
                "still unconscious after surgery",
                std::slice::from_ref(&first),
                now
            ),
            Ok(())
        );
        // Once it has ended, the same words start a new one.
        assert_eq!(
            may_start(
                "hospital",
                "found collapsed",
                &[first],
                at("2026-12-06T00:00:00Z")
            ),
            Ok(())
        );
    }

    #[test]
    fn a_consent_decides_first_and_an_emergency_only_where_it_refuses() {
        let e = started(4, "x", "2026-12-05T00:00:00Z");
        let visit: NaiveDate = "2026-12-05".parse().unwrap();
        let now = at("2026-12-05T01:00:00Z");
        assert_eq!(
            decide(
                &[],
                std::slice::from_ref(&e),
                DataKind::Checkups,
                visit,
                now
            ),
            Ok(Basis::Emergency(4))
        );
        assert_eq!(
            decide(
                &[],
                std::slice::from_ref(&e),
                DataKind::CostNotices,
                visit,
                now
            ),
            Err(Refusal::NoConsent)
        );
        assert_eq!(
            decide(&[], &[], DataKind::Checkups, visit, now),
            Err(Refusal::NoConsent)
        );
    }

    #[test]
    fn it_allows_medications_and_checkups_for_24_hours() {
        let e = started(4, "x", "2026-12-05T00:00:00Z");
        let visit: NaiveDate = "2026-12-05".parse().unwrap();
        let during = at("2026-12-05T23:59:59Z");
        let es = std::slice::from_ref(&e);
        assert_eq!(allowing(es, DataKind::Medications, visit, during), Some(4));
        assert_eq!(allowing(es, DataKind::Checkups, visit, during), Some(4));
        assert_eq!(allowing(es, DataKind::CostNotices, visit, during), None);
        assert_eq!(allowing(es, DataKind::Qualification, visit, during), None);
        assert_eq!(
            allowing(es, DataKind::Medications, visit, at("2026-12-06T00:00:00Z")),
            None,
            "ended"
        );
        assert_eq!(
            allowing(
                es,
                DataKind::Medications,
                "2026-12-03".parse().unwrap(),
                during
            ),
            None,
            "a visit before it began"
        );
    }
}
