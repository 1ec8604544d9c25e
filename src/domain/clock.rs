//! Owns the notion of "now" and of the Japanese calendar day and fiscal year derived from it.

use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeDelta, Utc};

/// UTC+09:00. Japan has observed no daylight saving time since 1951, so a fixed offset gives
/// the correct local day for every date the portal handles, without a time-zone database.
const JST: FixedOffset = match FixedOffset::east_opt(9 * 3600) {
    Some(offset) => offset,
    None => panic!("+09:00 is a valid offset"),
};

pub fn japan_offset() -> FixedOffset {
    JST
}

/// Source of the current instant, injected so that date logic is testable.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;

    fn now_japan(&self) -> DateTime<FixedOffset> {
        self.now().with_timezone(&JST)
    }

    /// The calendar date in Japan, which differs from the UTC date between 00:00 and 09:00 JST.
    fn today_japan(&self) -> NaiveDate {
        self.now_japan().date_naive()
    }
}

/// The real clock. Note: needs an OS clock; on wasm32-unknown-unknown chrono's `Utc::now`
/// requires chrono's `wasmbind` feature, so use this on the server only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A settable clock for tests.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Mutex::new(at))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = at;
    }

    /// Moves the clock by `by` (may be negative); leaves it unchanged if that would leave
    /// chrono's representable range.
    pub fn advance(&self, by: TimeDelta) {
        let mut now = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(next) = now.checked_add_signed(by) {
            *now = next;
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        // A panic in another test thread while holding the lock must not wedge the clock.
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Japanese fiscal year (年度), April to March: 2025-03-31 is FY2024, 2025-04-01 is FY2025.
pub fn fiscal_year(date: NaiveDate) -> i32 {
    if date.month() >= 4 {
        date.year()
    } else {
        date.year() - 1
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn japan_day_boundary() {
        let cases = [
            ("2025-03-31T14:59:59Z", d(2025, 3, 31)),
            ("2025-03-31T15:00:00Z", d(2025, 4, 1)),
            ("2025-04-01T00:00:00Z", d(2025, 4, 1)),
            ("2024-12-31T15:00:00Z", d(2025, 1, 1)),
            ("2024-02-28T15:00:00Z", d(2024, 2, 29)),
        ];
        for (instant, want) in cases {
            assert_eq!(
                FixedClock::new(utc(instant)).today_japan(),
                want,
                "{instant}"
            );
        }
        assert_eq!(japan_offset().local_minus_utc(), 9 * 3600);
    }

    #[test]
    fn fixed_clock_set_and_advance() {
        let clock = FixedClock::new(utc("2025-03-31T14:00:00Z"));
        assert_eq!(clock.today_japan(), d(2025, 3, 31));
        clock.advance(TimeDelta::hours(1));
        assert_eq!(clock.now(), utc("2025-03-31T15:00:00Z"));
        assert_eq!(clock.today_japan(), d(2025, 4, 1));
        assert_eq!(fiscal_year(clock.today_japan()), 2025);
        clock.advance(TimeDelta::MAX);
        assert_eq!(clock.now(), utc("2025-03-31T15:00:00Z"));
        clock.set(utc("2000-01-01T00:00:00Z"));
        assert_eq!(clock.now_japan().to_rfc3339(), "2000-01-01T09:00:00+09:00");
    }

    #[test]
    fn clock_is_object_safe_and_shareable() {
        let clock: std::sync::Arc<dyn Clock> = std::sync::Arc::new(SystemClock);
        assert!(clock.today_japan() > d(2020, 1, 1));
    }

    #[test]
    fn fiscal_year_cases() {
        let cases = [
            (d(2025, 3, 31), 2024),
            (d(2025, 4, 1), 2025),
            (d(2025, 1, 1), 2024),
            (d(2024, 12, 31), 2024),
            (d(2024, 4, 1), 2024),
        ];
        for (date, want) in cases {
            assert_eq!(fiscal_year(date), want, "{date}");
        }
    }
}
