//! A patient's report about one entry of their access log: "this wasn't me" (a sign-in, a
//! card or consent change they did not make, a visit they did not pay) or "I don't know this
//! institution" (a read by a clinic or pharmacy they never went to). Operators review each one,
//! as they do "not my record" reports; every step is kept.
//!
//! A report changes nothing by itself: the log entry stays as it was (it is evidence), and the
//! patient revokes a consent on the consent page. What the operator finds decides the follow-up
//! (revoking an institution's credential, stopping a card).

use super::access_log::ActorKind;
use serde::{Deserialize, Serialize};

/// The longest note, in characters: the operator calls the patient for details.
pub const NOTE_MAX: usize = 200;

/// What the patient says about the entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Concern {
    /// The patient did not do this, or was not there when it happened.
    NotMe,
    /// The patient has never been to the institution named.
    UnknownInstitution,
}

names!(Concern {
    NotMe => "not_me",
    UnknownInstitution => "unknown_institution",
});

impl Concern {
    /// The concerns that make sense for an entry by this kind of actor: only an entry naming an
    /// institution can be about an unknown institution.
    pub fn for_actor(actor: ActorKind) -> &'static [Self] {
        match actor {
            ActorKind::Institution => Self::ALL,
            _ => &[Self::NotMe],
        }
    }
}

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Waiting for an operator.
    Open,
    /// The operator found the access was not the patient's or not allowed, and acted on it.
    Confirmed,
    /// The operator found the access legitimate and explained it to the patient.
    Explained,
}

names!(ReportStatus {
    Open => "open",
    Confirmed => "confirmed",
    Explained => "explained",
});

/// Why a report was not taken; the code is what forms and the operator command show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("choose what is wrong with this entry")]
    ConcernMissing,
    #[error("this concern does not fit this entry")]
    ConcernUnfit,
    #[error("the note is longer than {NOTE_MAX} characters")]
    NoteTooLong,
}

impl ReportError {
    pub fn code(self) -> &'static str {
        match self {
            Self::ConcernMissing => "concern_missing",
            Self::ConcernUnfit => "concern_unfit",
            Self::NoteTooLong => "note_too_long",
        }
    }
}

/// A report as the form sent it, checked against the entry's actor.
pub fn parse(actor: ActorKind, concern: &str, note: &str) -> Result<Concern, ReportError> {
    let concern = match concern.trim() {
        "" => return Err(ReportError::ConcernMissing),
        c => Concern::parse(c).ok_or(ReportError::ConcernUnfit)?,
    };
    if !Concern::for_actor(actor).contains(&concern) {
        return Err(ReportError::ConcernUnfit);
    }
    if note.chars().count() > NOTE_MAX {
        return Err(ReportError::NoteTooLong);
    }
    Ok(concern)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_institution_can_be_unknown() {
        assert_eq!(
            parse(ActorKind::Institution, "unknown_institution", ""),
            Ok(Concern::UnknownInstitution)
        );
        assert_eq!(
            parse(ActorKind::Patient, "unknown_institution", ""),
            Err(ReportError::ConcernUnfit)
        );
        for actor in [
            ActorKind::Patient,
            ActorKind::Proxy,
            ActorKind::Institution,
            ActorKind::Operator,
            ActorKind::Unknown,
        ] {
            assert_eq!(
                parse(actor, " not_me ", ""),
                Ok(Concern::NotMe),
                "{actor:?}"
            );
        }
    }

    #[test]
    fn a_concern_is_required_and_a_note_is_short() {
        assert_eq!(
            parse(ActorKind::Patient, "", ""),
            Err(ReportError::ConcernMissing)
        );
        assert_eq!(
            parse(ActorKind::Patient, "curious", ""),
            Err(ReportError::ConcernUnfit)
        );
        let long = "あ".repeat(NOTE_MAX + 1);
        assert_eq!(
            parse(ActorKind::Patient, "not_me", &long),
            Err(ReportError::NoteTooLong)
        );
        let exact = "あ".repeat(NOTE_MAX);
        assert_eq!(
            parse(ActorKind::Patient, "not_me", &exact),
            Ok(Concern::NotMe)
        );
    }
}
