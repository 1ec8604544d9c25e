//! The per-patient model the generators read: who the patient is over time (coverage periods),
//! what they are prescribed (repeating plans and one-off courses), the visits that bring no
//! prescription, and the health profile behind their checkups.

use super::calendar::Window;
use super::checkups::Health;
use super::drugs::Drug;
use super::identity::member_of;
use super::institutions::{Inst, Kind};
use crate::feed::rows::PersonRow;
use chrono::NaiveDate;

pub struct Patient {
    /// 1-based; also the number in the link key and in every record id.
    pub index: usize,
    pub birth: NaiveDate,
    /// The dates this patient's records may fall on.
    pub window: Window,
    /// Coverage periods in date order: insured numbers are a dated history.
    pub periods: Vec<PersonRow>,
    pub plans: Vec<Plan>,
    pub courses: Vec<Rx>,
    pub visits: Vec<Encounter>,
    pub health: Option<Health>,
}

impl Patient {
    pub fn new(index: usize, birth: NaiveDate, window: Window) -> Self {
        Self {
            index,
            birth,
            window,
            periods: Vec::new(),
            plans: Vec::new(),
            courses: Vec::new(),
            visits: Vec::new(),
            health: None,
        }
    }

    pub fn coverage_on(&self, d: NaiveDate) -> Option<&PersonRow> {
        self.periods
            .iter()
            .find(|p| p.valid_from <= d && p.valid_to.is_none_or(|to| d <= to))
    }

    /// The member string a record dated `d` carries, from the period valid that day.
    pub fn member_on(&self, d: NaiveDate) -> Option<String> {
        self.coverage_on(d).map(member_of)
    }
}

/// How much of a drug one prescription line gives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Qty {
    /// Units per day, times the days supplied (tablets, capsules, granules).
    PerDay(f64),
    /// Units per day for the days supplied, but only the total is on the claim (patches).
    Topical(f64),
    /// A fixed amount per prescription (pens, eye drops, tubes).
    Fixed(f64),
    /// 頓服: this many single doses, taken when needed.
    AsNeeded(u16),
}

/// A drug in a repeating plan, prescribed only between `from` and `to`.
pub struct Line {
    pub drug: &'static Drug,
    pub qty: Qty,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Line {
    pub fn new(drug: &'static Drug, qty: Qty) -> Self {
        Self {
            drug,
            qty,
            from: NaiveDate::MIN,
            to: NaiveDate::MAX,
        }
    }

    pub fn between(self, from: NaiveDate, to: NaiveDate) -> Self {
        Self { from, to, ..self }
    }
}

/// A doctor's repeating prescription: a visit every `every` days (a range), dispensed at
/// `dispenser` (the doctor's own site for in-house dispensing).
pub struct Plan {
    pub prescriber: &'static Inst,
    pub dispenser: &'static Inst,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub every: (u16, u16),
    /// The doctor's fee for one visit in yen, before any lab tests.
    pub visit_yen: i64,
    pub lines: Vec<Line>,
}

/// One prescription as dispensed: lines are (drug, amount, days supplied).
#[derive(Clone)]
pub struct Rx {
    pub date: NaiveDate,
    pub prescriber: &'static Inst,
    pub dispenser: &'static Inst,
    pub visit_yen: i64,
    pub lines: Vec<(&'static Drug, Qty, u16)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Care {
    Inpatient,
    Outpatient,
    Dental,
    Dispensing,
}

impl Care {
    pub fn as_str(self) -> &'static str {
        match self {
            Care::Inpatient => "inpatient",
            Care::Outpatient => "outpatient",
            Care::Dental => "dental",
            Care::Dispensing => "dispensing",
        }
    }

    /// The care an ordinary visit to a site is billed as.
    pub fn at(site: &Inst) -> Care {
        match site.kind {
            Kind::Hospital | Kind::Clinic => Care::Outpatient,
            Kind::Dental => Care::Dental,
            Kind::Pharmacy => Care::Dispensing,
        }
    }
}

/// One billable day at one site, the unit costs are summed from.
#[derive(Debug, Clone)]
pub struct Encounter {
    pub date: NaiveDate,
    pub site: &'static Inst,
    pub care: Care,
    pub yen: i64,
}

impl Encounter {
    pub fn visit(date: NaiveDate, site: &'static Inst, yen: i64) -> Self {
        Self {
            date,
            site,
            care: Care::at(site),
            yen,
        }
    }
}

/// A hospital stay of `days` days: surgery or admission work on the first day, then a daily fee.
pub fn stay(
    site: &'static Inst,
    from: NaiveDate,
    days: i64,
    first: i64,
    daily: i64,
) -> Vec<Encounter> {
    (0..days)
        .map(|d| Encounter {
            date: super::calendar::add_days(from, d),
            site,
            care: Care::Inpatient,
            yen: if d == 0 { first } else { daily },
        })
        .collect()
}
