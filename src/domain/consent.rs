//! Consent: which institution may read which kinds of the patient's data, for how long; and the
//! one decision every institution request goes through.
//!
//! A consent's terms never change once given. Narrowing, widening or renewing gives a new
//! consent that replaces the open one; revoking ends it. So "consent #12 allowed this read"
//! always names exact terms, and the history is every consent ever given.

use chrono::{DateTime, Duration, Months, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::clock::japan_offset;

/// The kinds of data a consent names, one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataKind {
    Medications,
    Checkups,
    CostNotices,
    /// The insurance qualification, with the ceiling category for high-cost care.
    Qualification,
}

names!(DataKind {
    Medications => "medications",
    Checkups => "checkups",
    CostNotices => "cost_notices",
    Qualification => "qualification",
});

impl DataKind {
    /// How far back from the visit an institution sees this kind, as the national online
    /// qualification system shows it (medication information 3 years, specific health checkups
    /// 5 years); cost notices follow medications. Qualification is the one in force that day.
    pub fn lookback_years(self) -> u32 {
        match self {
            Self::Medications | Self::CostNotices => 3,
            Self::Checkups => 5,
            Self::Qualification => 0,
        }
    }
}

/// How long a consent lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "until", rename_all = "snake_case")]
pub enum Period {
    /// This visit: 24 hours from the grant, as at the card reader.
    Visit,
    /// To the end of this Japan day.
    Until(NaiveDate),
    /// Until the patient revokes it (a regular pharmacy).
    UntilRevoked,
}

/// How long a visit consent lasts.
pub const VISIT: Duration = Duration::hours(24);

/// The furthest end date a patient may choose: longer than that is "until revoked", which the
/// page states plainly and which stays visible on the consent page.
pub const LONGEST_UNTIL_YEARS: u32 = 3;

impl Period {
    pub fn name(self) -> &'static str {
        match self {
            Self::Visit => "visit",
            Self::Until(_) => "until",
            Self::UntilRevoked => "until_revoked",
        }
    }

    /// When a consent granted at `granted_at` ends by itself; `None` when only revoking ends it.
    pub fn ends_at(self, granted_at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Self::Visit => Some(granted_at + VISIT),
            Self::Until(day) => day
                .succ_opt()
                .and_then(|next| next.and_hms_opt(0, 0, 0))
                .and_then(|t| japan_offset().from_local_datetime(&t).single())
                .map(|t| t.with_timezone(&Utc)),
            Self::UntilRevoked => None,
        }
    }
}

/// What the patient agrees to: one institution, some kinds, one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    /// The institution's 10-digit code.
    pub institution: String,
    /// Sorted, each kind once.
    pub kinds: Vec<DataKind>,
    pub period: Period,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermsError {
    #[error("choose at least one kind of data")]
    NoKinds,
    #[error("the end date has passed")]
    UntilPassed,
    #[error("the end date is more than {LONGEST_UNTIL_YEARS} years away")]
    UntilTooFar,
}

impl TermsError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoKinds => "consent_no_kinds",
            Self::UntilPassed => "consent_until_passed",
            Self::UntilTooFar => "consent_until_too_far",
        }
    }
}

impl Terms {
    /// Terms as the patient chose them on `today` (Japan day): kinds sorted and deduplicated.
    pub fn new(
        institution: impl Into<String>,
        kinds: impl IntoIterator<Item = DataKind>,
        period: Period,
        today: NaiveDate,
    ) -> Result<Self, TermsError> {
        let mut kinds: Vec<DataKind> = kinds.into_iter().collect();
        kinds.sort_unstable();
        kinds.dedup();
        if kinds.is_empty() {
            return Err(TermsError::NoKinds);
        }
        if let Period::Until(day) = period {
            if day < today {
                return Err(TermsError::UntilPassed);
            }
            let furthest = today
                .checked_add_months(Months::new(12 * LONGEST_UNTIL_YEARS))
                .unwrap_or(today);
            if day > furthest {
                return Err(TermsError::UntilTooFar);
            }
        }
        Ok(Self {
            institution: institution.into(),
            kinds,
            period,
        })
    }

    /// The terms in one fixed text, as the card signs them and the log keeps them:
    /// `institution|kind,kind|period[|date]`.
    pub fn canonical(&self) -> String {
        let kinds: Vec<&str> = self.kinds.iter().map(|k| k.as_str()).collect();
        let period = match self.period {
            Period::Until(day) => format!("until|{day}"),
            other => other.name().to_owned(),
        };
        format!("{}|{}|{period}", self.institution, kinds.join(","))
    }

    /// Whether every read these terms allow, `other` allows too (a narrowing of `other`).
    pub fn within(
        &self,
        other: &Terms,
        granted_at: DateTime<Utc>,
        other_at: DateTime<Utc>,
    ) -> bool {
        let ends = |t: &Terms, at| t.period.ends_at(at);
        let shorter = match (ends(self, granted_at), ends(other, other_at)) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(a), Some(b)) => a <= b,
        };
        self.institution == other.institution
            && self.kinds.iter().all(|k| other.kinds.contains(k))
            && shorter
    }
}

/// How a consent ended before its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    /// The patient revoked it.
    Revoked,
    /// The patient changed it: a new consent took its place.
    Replaced,
}

names!(Ending {
    Revoked => "revoked",
    Replaced => "replaced",
});

/// One consent as given, and how it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub id: i64,
    pub terms: Terms,
    pub granted_at: DateTime<Utc>,
    /// When it ends by itself (`None`: until revoked).
    pub expires_at: Option<DateTime<Utc>>,
    pub ended: Option<(DateTime<Utc>, Ending)>,
}

/// Where a consent stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Active,
    Expired,
    Revoked,
    Replaced,
}

impl Consent {
    pub fn standing(&self, now: DateTime<Utc>) -> Standing {
        match self.ended {
            Some((at, Ending::Revoked)) if at <= now => Standing::Revoked,
            Some((at, Ending::Replaced)) if at <= now => Standing::Replaced,
            _ if self.expires_at.is_some_and(|e| e <= now) => Standing::Expired,
            _ => Standing::Active,
        }
    }
}

/// Why an institution's request was refused; the code is what the API answers and the log
/// keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    #[error("the patient has given this institution no consent")]
    NoConsent,
    #[error("the patient's consent for this institution has expired")]
    ConsentExpired,
    #[error("the patient has revoked their consent for this institution")]
    ConsentRevoked,
    #[error("the patient's consent does not include this kind of data")]
    KindNotConsented,
    #[error("the visit date is outside the consent's period")]
    VisitOutsideConsent,
}

names!(Refusal {
    NoConsent => "consent_missing",
    ConsentExpired => "consent_expired",
    ConsentRevoked => "consent_revoked",
    KindNotConsented => "consent_kind_missing",
    VisitOutsideConsent => "consent_visit_outside",
});

/// The one decision: may `institution` read `kind` at `now`, for a visit on `visit` (a Japan
/// day)? `consents` are the patient's consents for that institution, any order. The newest
/// consent decides: a revoked or expired one refuses even if an older one had allowed.
pub fn decide(
    consents: &[Consent],
    kind: DataKind,
    visit: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64, Refusal> {
    let newest = consents
        .iter()
        .filter(|c| c.granted_at <= now)
        .max_by_key(|c| (c.granted_at, c.id))
        .ok_or(Refusal::NoConsent)?;
    match newest.standing(now) {
        Standing::Active => {}
        Standing::Expired => return Err(Refusal::ConsentExpired),
        // A replaced consent is never the newest (its replacement is granted as it ends), so
        // this is a revocation or data changed under the request: refuse, never guess.
        Standing::Revoked | Standing::Replaced => return Err(Refusal::ConsentRevoked),
    }
    if !newest.terms.kinds.contains(&kind) {
        return Err(Refusal::KindNotConsented);
    }
    let first_day = newest
        .granted_at
        .with_timezone(&japan_offset())
        .date_naive();
    let last_day = newest.expires_at.map(|e| {
        (e - Duration::microseconds(1))
            .with_timezone(&japan_offset())
            .date_naive()
    });
    if visit < first_day || last_day.is_some_and(|d| visit > d) {
        return Err(Refusal::VisitOutsideConsent);
    }
    Ok(newest.id)
}

/// The first day of records an institution sees of `kind` for a visit on `visit`.
pub fn window_start(kind: DataKind, visit: NaiveDate) -> NaiveDate {
    visit
        .checked_sub_months(Months::new(12 * kind.lookback_years()))
        .unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn consent(id: i64, kinds: &[DataKind], period: Period, granted: &str) -> Consent {
        let granted_at = at(granted);
        Consent {
            id,
            terms: Terms::new(
                "1311234567",
                kinds.iter().copied(),
                period,
                granted_at.date_naive(),
            )
            .unwrap(),
            granted_at,
            expires_at: period.ends_at(granted_at),
            ended: None,
        }
    }

    use DataKind::*;

    #[test]
    fn terms_are_checked_and_written_one_way() {
        let today = day("2026-12-01");
        assert_eq!(
            Terms::new("1311234567", [], Period::Visit, today),
            Err(TermsError::NoKinds)
        );
        assert_eq!(
            Terms::new(
                "1311234567",
                [Checkups],
                Period::Until(day("2026-11-30")),
                today
            ),
            Err(TermsError::UntilPassed)
        );
        assert_eq!(
            Terms::new(
                "1311234567",
                [Checkups],
                Period::Until(day("2029-12-02")),
                today
            ),
            Err(TermsError::UntilTooFar)
        );
        let t = Terms::new(
            "1311234567",
            [Qualification, Medications, Medications],
            Period::Until(day("2026-12-01")),
            today,
        )
        .unwrap();
        assert_eq!(
            t.canonical(),
            "1311234567|medications,qualification|until|2026-12-01"
        );
    }

    #[test]
    fn periods_end_in_japan_time() {
        let granted = at("2026-12-01T01:00:00Z");
        assert_eq!(
            Period::Visit.ends_at(granted),
            Some(at("2026-12-02T01:00:00Z"))
        );
        // The end of 1 December in Japan is 15:00 UTC that day.
        assert_eq!(
            Period::Until(day("2026-12-01")).ends_at(granted),
            Some(at("2026-12-01T15:00:00Z"))
        );
        assert_eq!(Period::UntilRevoked.ends_at(granted), None);
    }

    #[test]
    fn each_consent_state_decides_as_it_must() {
        let now = at("2026-12-01T03:00:00Z");
        let visit = day("2026-12-01");
        let active = consent(
            1,
            &[Medications],
            Period::UntilRevoked,
            "2026-11-01T00:00:00Z",
        );
        assert_eq!(
            decide(&[], Medications, visit, now),
            Err(Refusal::NoConsent)
        );
        assert_eq!(
            decide(std::slice::from_ref(&active), Medications, visit, now),
            Ok(1)
        );
        assert_eq!(
            decide(std::slice::from_ref(&active), Checkups, visit, now),
            Err(Refusal::KindNotConsented)
        );
        let expired = consent(2, &[Medications], Period::Visit, "2026-11-29T00:00:00Z");
        assert_eq!(
            decide(&[active.clone(), expired], Medications, visit, now),
            Err(Refusal::ConsentExpired),
            "the newest decides"
        );
        let mut revoked = active.clone();
        revoked.ended = Some((at("2026-12-01T02:59:59Z"), Ending::Revoked));
        assert_eq!(
            decide(&[revoked.clone()], Medications, visit, now),
            Err(Refusal::ConsentRevoked)
        );
        // Revoked a moment after this request: it still counted then.
        assert_eq!(
            decide(&[revoked], Medications, visit, at("2026-12-01T02:59:58Z")),
            Ok(1)
        );
        // Narrowed: the replacing consent decides.
        let mut replaced = consent(
            3,
            &[Medications, Checkups],
            Period::UntilRevoked,
            "2026-10-01T00:00:00Z",
        );
        replaced.ended = Some((at("2026-11-15T00:00:00Z"), Ending::Replaced));
        let narrowed = consent(4, &[Checkups], Period::UntilRevoked, "2026-11-15T00:00:00Z");
        assert_eq!(
            decide(
                &[replaced.clone(), narrowed.clone()],
                Medications,
                visit,
                now
            ),
            Err(Refusal::KindNotConsented)
        );
        assert_eq!(decide(&[replaced, narrowed], Checkups, visit, now), Ok(4));
        // A visit before the grant, or after its end, is outside it.
        assert_eq!(
            decide(
                std::slice::from_ref(&active),
                Medications,
                day("2026-10-31"),
                now
            ),
            Err(Refusal::VisitOutsideConsent)
        );
        let until = consent(
            5,
            &[Medications],
            Period::Until(day("2026-12-10")),
            "2026-11-20T00:00:00Z",
        );
        assert_eq!(
            decide(
                std::slice::from_ref(&until),
                Medications,
                day("2026-12-10"),
                now
            ),
            Ok(5)
        );
        assert_eq!(
            decide(&[until], Medications, day("2026-12-11"), now),
            Err(Refusal::VisitOutsideConsent)
        );
    }

    #[test]
    fn narrowing_is_recognised() {
        let at0 = at("2026-12-01T00:00:00Z");
        let today = day("2026-12-01");
        let wide = Terms::new(
            "1311234567",
            [Medications, Checkups],
            Period::UntilRevoked,
            today,
        )
        .unwrap();
        let narrow = Terms::new(
            "1311234567",
            [Checkups],
            Period::Until(day("2027-01-01")),
            today,
        )
        .unwrap();
        assert!(narrow.within(&wide, at0, at0));
        assert!(!wide.within(&narrow, at0, at0));
    }

    #[test]
    fn lookback_follows_the_national_system() {
        assert_eq!(
            window_start(Medications, day("2026-12-01")),
            day("2023-12-01")
        );
        assert_eq!(window_start(Checkups, day("2026-12-01")), day("2021-12-01"));
    }
}
