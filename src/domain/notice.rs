//! Notices to the patient: what they should learn without going to look for it. An institution
//! read their data for the first time (was that expected?), or a consent they gave is about to
//! end (renew it, or let it go). Each notice has one topic, raised once and kept after the
//! patient dismisses it.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::clock::japan_offset;
use super::consent::{Consent, Period};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// An institution read the patient's data for the first time.
    FirstRead,
    /// A consent ends by itself within [`EXPIRING_WITHIN_DAYS`].
    ConsentExpiring,
    /// A hospital started emergency access (`domain::emergency`).
    Emergency,
    /// A proxy saw or changed something for the patient for the first time under a grant.
    ProxyFirstAction,
}

names!(NoticeKind {
    FirstRead => "first_read",
    ConsentExpiring => "consent_expiring",
    Emergency => "emergency",
    ProxyFirstAction => "proxy_first",
});

/// How far ahead a consent's end is announced.
pub const EXPIRING_WITHIN_DAYS: u64 = 7;

/// The topic of a first read by `institution`: one per institution, ever.
pub fn first_read_topic(institution: &str) -> String {
    format!("first_read:{institution}")
}

/// The topic of a consent's coming end: one per consent.
pub fn expiring_topic(consent: i64) -> String {
    format!("consent_expiring:{consent}")
}

/// The topic of an emergency access: one per access.
pub fn emergency_topic(emergency: i64) -> String {
    format!("emergency:{emergency}")
}

/// The topic of a proxy's first act under a grant: one per grant.
pub fn proxy_first_topic(grant: i64) -> String {
    format!("proxy_first:{grant}")
}

/// The kind a topic belongs to, and what it names (an institution code, or the id of a
/// consent, an emergency access or a proxy grant).
pub fn parse_topic(topic: &str) -> Option<(NoticeKind, &str)> {
    let (kind, what) = topic.split_once(':')?;
    let kind = NoticeKind::parse(kind)?;
    let valid = match kind {
        NoticeKind::FirstRead => what.len() == 10 && what.bytes().all(|b| b.is_ascii_digit()),
        NoticeKind::ConsentExpiring | NoticeKind::Emergency | NoticeKind::ProxyFirstAction => {
            what.parse::<i64>().is_ok_and(|id| id > 0)
        }
    };
    valid.then_some((kind, what))
}

/// Whether `consent` is about to end: open, ending by itself on a Japan day from `today` to
/// [`EXPIRING_WITHIN_DAYS`] later. Visit consents are left out: they last a day by design,
/// as the patient chose at the counter, and announcing each would teach the patient to ignore
/// notices. Decided by the day alone, so the home page says the same all day.
pub fn expiring(consent: &Consent, today: NaiveDate) -> bool {
    if consent.ended.is_some() || consent.terms.period == Period::Visit {
        return false;
    }
    let Some(ends) = consent.expires_at else {
        return false;
    };
    // The last moment it allows is the microsecond before it ends.
    let last_day = (ends - chrono::Duration::microseconds(1))
        .with_timezone(&japan_offset())
        .date_naive();
    let horizon = today
        .checked_add_days(Days::new(EXPIRING_WITHIN_DAYS))
        .unwrap_or(NaiveDate::MAX);
    last_day >= today && last_day <= horizon
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::consent::{DataKind, Ending, Terms};
    use chrono::{DateTime, Utc};

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn consent(period: Period, granted: &str) -> Consent {
        let granted_at: DateTime<Utc> = granted.parse().unwrap();
        Consent {
            id: 7,
            terms: Terms::new(
                "1311234567",
                [DataKind::Medications],
                period,
                granted_at.date_naive(),
            )
            .unwrap(),
            granted_at,
            expires_at: period.ends_at(granted_at),
            ended: None,
        }
    }

    #[test]
    fn a_consent_is_announced_in_its_last_seven_days() {
        let today = day("2026-12-05");
        let ends_on = |d: &str| consent(Period::Until(day(d)), "2026-11-01T00:00:00Z");
        assert!(expiring(&ends_on("2026-12-05"), today), "ends today");
        assert!(expiring(&ends_on("2026-12-12"), today), "ends in 7 days");
        assert!(!expiring(&ends_on("2026-12-13"), today), "ends in 8 days");
        let mut ended = ends_on("2026-12-06");
        ended.ended = Some(("2026-12-01T00:00:00Z".parse().unwrap(), Ending::Revoked));
        assert!(!expiring(&ended, today), "already revoked");
        assert!(
            !expiring(
                &consent(Period::UntilRevoked, "2026-11-01T00:00:00Z"),
                today
            ),
            "never ends by itself"
        );
        assert!(
            !expiring(&consent(Period::Visit, "2026-12-05T00:00:00Z"), today),
            "a visit is a day by design"
        );
        let past = ends_on("2026-12-04");
        assert!(!expiring(&past, today), "ended yesterday");
    }

    #[test]
    fn topics_name_one_thing_and_are_checked() {
        assert_eq!(
            parse_topic(&first_read_topic("1311234567")),
            Some((NoticeKind::FirstRead, "1311234567"))
        );
        assert_eq!(
            parse_topic(&expiring_topic(12)),
            Some((NoticeKind::ConsentExpiring, "12"))
        );
        assert_eq!(
            parse_topic(&proxy_first_topic(7)),
            Some((NoticeKind::ProxyFirstAction, "7"))
        );
        for bad in [
            "",
            "first_read",
            "first_read:13",
            "first_read:131123456x",
            "consent_expiring:-1",
            "consent_expiring:abc",
            "emergency:x",
            "proxy_first:0",
            "proxy_first:",
            "other:1",
        ] {
            assert_eq!(parse_topic(bad), None, "{bad}");
        }
    }
}
