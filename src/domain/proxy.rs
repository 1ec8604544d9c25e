//! Family proxies: a patient lets another person, signed in with their own card, see their
//! records (a parent for a child, an adult child for a parent), or also manage their consents
//! and read their access log. A grant always ends: on the day the patient chose (one year by
//! default, three at most), on a child's 15th birthday for a guardian set up by the operators,
//! at once when the patient revokes it, and it is suspended while the patient's card is stopped
//! or reissued until the patient confirms it again.
//!
//! The patient invites with the proxy's insured-person number and a one-time code handed over
//! in person (the same rules as enrollment codes: 80 bits, kept as a keyed hash, a few attempts,
//! a week to use it); the proxy accepts signed in with their own card.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::clock::japan_offset;

/// What a proxy may do for the patient they act for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// See the records only.
    ViewRecords,
    /// See the records and the access log, and grant, change or revoke consents.
    ManageConsent,
}

names!(Scope {
    ViewRecords => "view_records",
    ManageConsent => "manage_consent",
});

/// How a grant came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The patient invited the proxy and the proxy accepted.
    Invited,
    /// The operators set up a guardian for a child without a card of their own.
    Guardian,
}

names!(Kind {
    Invited => "invited",
    Guardian => "guardian",
});

/// Why a grant ended before its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The patient revoked it.
    Revoked,
    /// The operators locked every proxy of the patient on a support request.
    Locked,
}

names!(EndReason {
    Revoked => "revoked",
    Locked => "locked",
});

/// How long an invitation's code may be used.
pub const INVITATION_VALID: Duration = Duration::days(7);

/// Wrong codes an invitation takes before it stops working (the patient then invites again).
pub const MAX_ATTEMPTS: i64 = 5;

/// The age from which a child has a card and decides for themself.
pub const GUARDIAN_UNTIL_AGE: i32 = 15;

/// Why an invitation, an acceptance or a change was refused; the code is what pages and
/// commands name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProxyError {
    #[error("choose what the person may do")]
    ScopeUnknown,
    #[error("the access must end after today")]
    UntilPast,
    #[error("the access may last three years at most")]
    UntilTooFar,
    #[error("you cannot invite yourself")]
    SelfInvite,
    #[error("no open invitation matches this code")]
    InvitationUnknown,
    #[error("the invitation has expired; ask for a new one")]
    InvitationExpired,
    #[error("too many wrong codes; ask for a new invitation")]
    TooManyAttempts,
    #[error("this person already acts for the patient")]
    AlreadyProxy,
    #[error("the person is 15 or older")]
    NotAChild,
    #[error("a renewal names its new last day")]
    UntilRequired,
}

impl ProxyError {
    pub fn code(self) -> &'static str {
        match self {
            Self::ScopeUnknown => "proxy_scope_unknown",
            Self::UntilPast => "proxy_until_past",
            Self::UntilTooFar => "proxy_until_too_far",
            Self::SelfInvite => "proxy_self",
            Self::InvitationUnknown => "proxy_invitation_unknown",
            Self::InvitationExpired => "proxy_invitation_expired",
            Self::TooManyAttempts => "proxy_attempts",
            Self::AlreadyProxy => "proxy_already",
            Self::NotAChild => "proxy_not_a_child",
            Self::UntilRequired => "proxy_until_required",
        }
    }
}

/// How the patient's access log names a proxy acting under grant `id` (its `actor_code`).
pub fn actor_code(grant: i64) -> String {
    format!("proxy:{grant}")
}

/// The scope a form names.
pub fn parse_scope(text: &str) -> Result<Scope, ProxyError> {
    Scope::parse(text.trim()).ok_or(ProxyError::ScopeUnknown)
}

/// The last day of a grant: the day asked for (after today, within three years), or a year
/// from today when none is given.
pub fn grant_until(asked: Option<NaiveDate>, today: NaiveDate) -> Result<NaiveDate, ProxyError> {
    let longest = longest_until(today);
    match asked {
        None => Ok(years_after(today, 1)),
        Some(day) if day <= today => Err(ProxyError::UntilPast),
        Some(day) if day > longest => Err(ProxyError::UntilTooFar),
        Some(day) => Ok(day),
    }
}

/// The latest last day a grant made today may have: three years on.
pub fn longest_until(today: NaiveDate) -> NaiveDate {
    years_after(today, 3)
}

/// The moment a grant whose last day is `until` ends: the following midnight in Japan.
pub fn ends_at(until: NaiveDate) -> DateTime<Utc> {
    let next = until.succ_opt().unwrap_or(until);
    next.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(japan_offset()).single())
        .map_or(DateTime::<Utc>::MAX_UTC, |t| t.with_timezone(&Utc))
}

/// The last day of a guardian's grant for a child born on `birth`: the day before the 15th
/// birthday (the child reaches 15 as that day ends). Born on 29 February: the 15th birthday
/// falls on 1 March in a common year.
pub fn guardian_until(birth: NaiveDate) -> NaiveDate {
    let birthday = years_after(birth, GUARDIAN_UNTIL_AGE);
    birthday.pred_opt().unwrap_or(birthday)
}

/// The last day of a guardian's grant the operators set for a child born on `birth`: a new
/// guardian only for a child under 15 today, until the day before the 15th birthday or an
/// earlier day asked for; a renewal (the guardian is already the child's proxy) moves the last
/// day to the one asked for, after today and within three years, past the 15th birthday if
/// need be (a child who cannot yet decide alone).
pub fn guardian_terms(
    birth: NaiveDate,
    today: NaiveDate,
    asked: Option<NaiveDate>,
    renewing: bool,
) -> Result<NaiveDate, ProxyError> {
    if renewing {
        return match asked {
            Some(day) => grant_until(Some(day), today),
            None => Err(ProxyError::UntilRequired),
        };
    }
    if !is_child(birth, today) {
        return Err(ProxyError::NotAChild);
    }
    let last = guardian_until(birth);
    match asked {
        None => Ok(last),
        Some(day) if day <= today => Err(ProxyError::UntilPast),
        Some(day) if day > last => Err(ProxyError::UntilTooFar),
        Some(day) => Ok(day),
    }
}

/// Whether someone born on `birth` is under 15 on `today`.
pub fn is_child(birth: NaiveDate, today: NaiveDate) -> bool {
    today < years_after(birth, GUARDIAN_UNTIL_AGE)
}

/// The same day `years` later; 29 February becomes 1 March in a common year.
fn years_after(day: NaiveDate, years: i32) -> NaiveDate {
    let year = day.year() + years;
    day.with_year(year)
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .unwrap_or(day)
}

/// One grant as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub id: i64,
    pub scope: Scope,
    pub kind: Kind,
    pub granted_at: DateTime<Utc>,
    /// The last day (in Japan) of access.
    pub until: NaiveDate,
    pub ended_at: Option<DateTime<Utc>>,
    pub end_reason: Option<EndReason>,
    /// Since when the grant waits for the patient's confirmation after a card change.
    pub suspended_at: Option<DateTime<Utc>>,
}

/// Where a grant stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Active,
    /// Waiting for the patient to confirm it after their card was stopped or reissued.
    Suspended,
    Expired,
    Ended(EndReason),
}

impl Grant {
    pub fn standing(&self, now: DateTime<Utc>) -> Standing {
        match (self.ended_at, self.end_reason) {
            (Some(at), Some(reason)) if at <= now => Standing::Ended(reason),
            _ if now >= ends_at(self.until) => Standing::Expired,
            _ if self.suspended_at.is_some_and(|at| at <= now) => Standing::Suspended,
            _ => Standing::Active,
        }
    }

    /// Whether the proxy may act now.
    pub fn active(&self, now: DateTime<Utc>) -> bool {
        self.standing(now) == Standing::Active
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_grant_lasts_a_year_unless_asked_and_three_years_at_most() {
        let today = day(2026, 12, 6);
        assert_eq!(grant_until(None, today), Ok(day(2027, 12, 6)));
        assert_eq!(
            grant_until(Some(day(2026, 12, 7)), today),
            Ok(day(2026, 12, 7))
        );
        assert_eq!(grant_until(Some(today), today), Err(ProxyError::UntilPast));
        assert_eq!(
            grant_until(Some(day(2029, 12, 6)), today),
            Ok(day(2029, 12, 6))
        );
        assert_eq!(
            grant_until(Some(day(2029, 12, 7)), today),
            Err(ProxyError::UntilTooFar)
        );
        // From 29 February a year on is 1 March.
        assert_eq!(grant_until(None, day(2028, 2, 29)), Ok(day(2029, 3, 1)));
    }

    #[test]
    fn a_grant_ends_at_midnight_in_japan_after_its_last_day() {
        assert_eq!(
            ends_at(day(2027, 1, 31)),
            Utc.with_ymd_and_hms(2027, 1, 31, 15, 0, 0).unwrap()
        );
    }

    #[test]
    fn a_guardian_acts_until_the_day_before_the_15th_birthday() {
        assert_eq!(guardian_until(day(2015, 4, 2)), day(2030, 4, 1));
        assert_eq!(guardian_until(day(2016, 2, 29)), day(2031, 2, 28));
        assert!(is_child(day(2015, 4, 2), day(2030, 4, 1)));
        assert!(!is_child(day(2015, 4, 2), day(2030, 4, 2)));
        assert!(is_child(day(2016, 2, 29), day(2031, 2, 28)));
        assert!(!is_child(day(2016, 2, 29), day(2031, 3, 1)));
    }

    #[test]
    fn standing_follows_revocation_expiry_and_suspension() {
        let granted = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
        let mut g = Grant {
            id: 1,
            scope: Scope::ViewRecords,
            kind: Kind::Invited,
            granted_at: granted,
            until: day(2027, 1, 31),
            ended_at: None,
            end_reason: None,
            suspended_at: None,
        };
        let last_second = Utc.with_ymd_and_hms(2027, 1, 31, 14, 59, 59).unwrap();
        assert!(g.active(last_second));
        assert_eq!(
            g.standing(last_second + Duration::seconds(1)),
            Standing::Expired
        );
        g.suspended_at = Some(granted + Duration::days(1));
        assert_eq!(g.standing(granted + Duration::days(2)), Standing::Suspended);
        g.ended_at = Some(granted + Duration::days(3));
        g.end_reason = Some(EndReason::Revoked);
        assert_eq!(g.standing(granted + Duration::days(2)), Standing::Suspended);
        assert_eq!(
            g.standing(granted + Duration::days(3)),
            Standing::Ended(EndReason::Revoked)
        );
    }

    #[test]
    fn scopes_are_named_in_forms() {
        assert_eq!(parse_scope(" manage_consent "), Ok(Scope::ManageConsent));
        assert_eq!(parse_scope("view_records"), Ok(Scope::ViewRecords));
        assert_eq!(parse_scope("all"), Err(ProxyError::ScopeUnknown));
    }

    #[test]
    fn a_guardian_is_set_for_a_child_and_renewed_past_fifteen_only_on_purpose() {
        let birth = day(2015, 6, 10);
        let today = day(2026, 12, 7);
        assert_eq!(
            guardian_terms(birth, today, None, false),
            Ok(day(2030, 6, 9)),
            "the day before the 15th birthday"
        );
        assert_eq!(
            guardian_terms(birth, today, Some(day(2027, 1, 1)), false),
            Ok(day(2027, 1, 1))
        );
        assert_eq!(
            guardian_terms(birth, today, Some(day(2030, 6, 10)), false),
            Err(ProxyError::UntilTooFar)
        );
        assert_eq!(
            guardian_terms(birth, today, Some(today), false),
            Err(ProxyError::UntilPast)
        );
        // Fifteen on 10 June 2030: no new guardian from that day.
        assert_eq!(
            guardian_terms(birth, day(2030, 6, 10), None, false),
            Err(ProxyError::NotAChild)
        );
        assert!(guardian_terms(birth, day(2030, 6, 9), None, false).is_ok());
        // A renewal names its day, within three years, past the birthday if need be.
        assert_eq!(
            guardian_terms(birth, day(2030, 6, 1), Some(day(2031, 6, 1)), true),
            Ok(day(2031, 6, 1))
        );
        assert_eq!(
            guardian_terms(birth, today, None, true),
            Err(ProxyError::UntilRequired)
        );
        assert_eq!(
            guardian_terms(birth, today, Some(day(2029, 12, 8)), true),
            Err(ProxyError::UntilTooFar)
        );
    }
}
