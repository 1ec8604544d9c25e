//! Owns whether a month of care can still gain notices: claims arrive in monthly batches and
//! late claims in later ones, so recent months are shown as "expected by" a date.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::CareMonth;

/// Whole calendar months after the month of care until its notices are treated as final.
///
/// Why 2: institutions submit the claims for month M by the 10th of M+1; the review bodies
/// examine them during M+1 and insurers settle them by the end of M+2, which is when the
/// cost-notice data for M is normally complete. Months rather than `usual_lag_days` because
/// claims move in monthly batches: a day count from the month end would put the cut-off in
/// the middle of a batch. Late claims (月遅れ請求) and resubmitted ones (返戻・再請求) can still
/// arrive after this; it is when the portal stops warning, not a guarantee.
pub const CLAIM_SETTLE_MONTHS: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MonthStatus {
    Complete,
    /// More notices may arrive up to and including this date.
    ExpectedBy(NaiveDate),
}

impl MonthStatus {
    pub fn is_complete(self) -> bool {
        self == Self::Complete
    }
}

/// The last day of month M + [`CLAIM_SETTLE_MONTHS`].
pub fn final_by(month: CareMonth) -> NaiveDate {
    // First day of M+3 minus one day. Beyond chrono's range (never, for years up to 2999) the
    // month is treated as never final rather than failing.
    month
        .first_day()
        .checked_add_months(Months::new(CLAIM_SETTLE_MONTHS + 1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// `today` is the Japan calendar date (`Clock::today_japan`). Complete only once `today` is
/// after [`final_by`]: a batch can still land on that day itself.
pub fn month_status(month: CareMonth, today: NaiveDate) -> MonthStatus {
    let due = final_by(month);
    if today > due {
        MonthStatus::Complete
    } else {
        MonthStatus::ExpectedBy(due)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::cost::history::{month_end, months_between};
    use crate::domain::source::RecordSource;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn m(s: &str) -> CareMonth {
        CareMonth::parse(s).unwrap()
    }

    #[test]
    fn final_by_is_end_of_second_following_month() {
        let cases = [
            ("2024-05", d(2024, 7, 31)),
            ("2024-06", d(2024, 8, 31)),
            ("2024-07", d(2024, 9, 30)),
            ("2023-12", d(2024, 2, 29)),
            ("2024-12", d(2025, 2, 28)),
            ("2024-11", d(2025, 1, 31)),
            ("2999-12", d(3000, 2, 28)),
        ];
        for (month, want) in cases {
            assert_eq!(final_by(m(month)), want, "{month}");
        }
    }

    #[test]
    fn status_boundaries() {
        use MonthStatus::*;
        let may = m("2024-05");
        let cases = [
            (d(2024, 5, 15), ExpectedBy(d(2024, 7, 31))),
            (d(2024, 6, 30), ExpectedBy(d(2024, 7, 31))),
            (d(2024, 7, 31), ExpectedBy(d(2024, 7, 31))),
            (d(2024, 8, 1), Complete),
            (d(2030, 1, 1), Complete),
            // A month still in the future is, naturally, not complete either.
            (d(2024, 4, 1), ExpectedBy(d(2024, 7, 31))),
        ];
        for (today, want) in cases {
            assert_eq!(month_status(may, today), want, "{today}");
        }
        assert!(month_status(may, d(2024, 8, 1)).is_complete());
        assert!(!month_status(may, d(2024, 7, 31)).is_complete());
    }

    #[test]
    fn cut_off_is_never_earlier_than_the_usual_claim_lag() {
        let lag = chrono::TimeDelta::days(RecordSource::InsuranceClaim.usual_lag_days().into());
        for month in months_between(m("2023-01"), m("2025-12")) {
            assert!(final_by(month) >= month_end(month) + lag, "{month}");
        }
    }

    #[test]
    fn serializes_for_the_wire() {
        let json = serde_json::to_string(&month_status(m("2024-05"), d(2024, 6, 1))).unwrap();
        assert_eq!(json, r#"{"expected_by":"2024-07-31"}"#);
        assert_eq!(
            serde_json::to_string(&MonthStatus::Complete).unwrap(),
            r#""complete""#
        );
    }
}
