//! Date arithmetic for the demo: saturating steps, ages, fiscal years and clinic opening days.
//!
//! Every helper saturates instead of panicking, so an extreme `until` gives odd data, never a
//! crash.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// The dates a patient's records may fall on, both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: NaiveDate,
    pub until: NaiveDate,
}

impl Window {
    /// The `years` years up to and including `until`.
    pub fn years_to(until: NaiveDate, years: u32) -> Self {
        Self {
            start: years_before(until, years),
            until,
        }
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.until
    }
}

pub fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    let step = Days::new(n.unsigned_abs());
    let moved = if n >= 0 {
        d.checked_add_days(step)
    } else {
        d.checked_sub_days(step)
    };
    moved.unwrap_or(d)
}

pub fn add_months(d: NaiveDate, n: i32) -> NaiveDate {
    let step = Months::new(n.unsigned_abs());
    let moved = if n >= 0 {
        d.checked_add_months(step)
    } else {
        d.checked_sub_months(step)
    };
    moved.unwrap_or(d)
}

pub fn years_before(d: NaiveDate, years: u32) -> NaiveDate {
    add_months(d, -(years.min(1000) as i32) * 12)
}

/// A birth date that makes the person `age` years and `days` days old on `on`.
pub fn born(on: NaiveDate, age: u32, days: i64) -> NaiveDate {
    add_days(years_before(on, age), -days)
}

pub fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// Completed years of age on `on` (a birthday counts from the day itself).
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age.max(0) as u32
}

/// The Japanese fiscal year (April to March) a date falls in, named by its starting year.
pub fn fiscal_year(d: NaiveDate) -> i32 {
    if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    }
}

pub fn fiscal_year_start(fy: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(fy, 4, 1)
}

/// The day a child starts elementary school: the first April 1 after the day before their
/// sixth birthday (Japanese law counts age from that eve, so April 1 births start a year early).
/// Until then they are "before compulsory school age" and pay 20% instead of 30%.
pub fn school_entry(birth: NaiveDate) -> NaiveDate {
    let eve = add_days(add_months(birth, 72), -1);
    let year = if eve.month() < 4 {
        eve.year()
    } else {
        eve.year() + 1
    };
    NaiveDate::from_ymd_opt(year, 4, 1).unwrap_or(eve)
}

pub fn month_key(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// Clinics and pharmacies are closed on Sundays and over the New Year (Dec 29 - Jan 3).
fn closed(d: NaiveDate) -> bool {
    d.weekday() == Weekday::Sun
        || (d.month() == 12 && d.day() >= 29)
        || (d.month() == 1 && d.day() <= 3)
}

/// The first open day on or after `d`: a visit planned for a closed day happens later.
pub fn open_on_or_after(d: NaiveDate) -> NaiveDate {
    let mut day = d;
    for _ in 0..8 {
        if !closed(day) {
            return day;
        }
        day = add_days(day, 1);
    }
    day
}

/// The last open day on or before `d`.
pub fn open_on_or_before(d: NaiveDate) -> NaiveDate {
    let mut day = d;
    for _ in 0..8 {
        if !closed(day) {
            return day;
        }
        day = add_days(day, -1);
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn school_entry_follows_the_april_first_rule() {
        let cases = [
            (ymd(2016, 4, 1), ymd(2022, 4, 1)),
            (ymd(2016, 4, 2), ymd(2023, 4, 1)),
            (ymd(2016, 3, 15), ymd(2022, 4, 1)),
            (ymd(2016, 12, 24), ymd(2023, 4, 1)),
        ];
        for (birth, entry) in cases {
            assert_eq!(school_entry(birth), entry, "born {birth}");
        }
    }

    #[test]
    fn ages_fiscal_years_and_open_days() {
        assert_eq!(age_on(ymd(1980, 6, 10), ymd(2025, 6, 9)), 44);
        assert_eq!(age_on(ymd(1980, 6, 10), ymd(2025, 6, 10)), 45);
        assert_eq!(fiscal_year(ymd(2025, 3, 31)), 2024);
        assert_eq!(fiscal_year(ymd(2025, 4, 1)), 2025);
        // 2025-01-01 is a Wednesday: the first open day is Saturday Jan 4.
        assert_eq!(open_on_or_after(ymd(2025, 1, 1)), ymd(2025, 1, 4));
        // 2025-06-08 is a Sunday.
        assert_eq!(open_on_or_before(ymd(2025, 6, 8)), ymd(2025, 6, 7));
        assert_eq!(add_months(ymd(2024, 2, 29), -12), ymd(2023, 2, 28));
    }
}
