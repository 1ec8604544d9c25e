//! The per-patient model the generators read: who the patient is over time (coverage periods),
//! what they are prescribed (repeating plans and one-off courses), the visits that bring no
//! prescription, and the health profile behind their checkups.

use super::calendar::Window;
use super::catalog::{Inst, Kind};
use super::checkups::Health;
use super::drugs::Drug;
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

/// `保険者番号:記号:番号:枝番` for the insured (absent parts left empty, as on later-elderly
/// cards that have no symbol or branch), `公費負担者番号:受給者番号` for welfare medical aid.
pub fn member_of(p: &PersonRow) -> String {
    let part = |s: &Option<String>| s.clone().unwrap_or_default();
    if p.coverage_kind == "welfare_aid" {
        format!(
            "{}:{}",
            part(&p.public_payer_number),
            part(&p.recipient_number)
        )
    } else {
        format!(
            "{}:{}:{}:{}",
            part(&p.insurer_number),
            part(&p.symbol),
            part(&p.member_number),
            part(&p.branch)
        )
    }
}

/// The parts of a person that do not change when their coverage does.
pub struct Identity {
    pub link_key: String,
    pub name: String,
    pub kana: String,
    pub birth: NaiveDate,
    pub male: bool,
}

/// An insurance card: (記号, 番号, 枝番); later-elderly cards have only the number.
pub type Card<'a> = (Option<&'a str>, &'a str, Option<&'a str>);

impl Identity {
    fn base(&self, coverage_kind: &str, insurer_name: &str, from: NaiveDate) -> PersonRow {
        PersonRow {
            link_key: self.link_key.clone(),
            name: self.name.clone(),
            name_kana: self.kana.clone(),
            birth_date: self.birth,
            sex: if self.male { "male" } else { "female" }.into(),
            coverage_kind: coverage_kind.into(),
            insurer_name: insurer_name.into(),
            insurer_number: None,
            symbol: None,
            member_number: None,
            branch: None,
            public_payer_number: None,
            recipient_number: None,
            welfare_office: None,
            designated_institutions: None,
            ceiling_category: None,
            valid_from: from,
            valid_to: None,
        }
    }

    /// A period of employee, national or later-elderly insurance.
    pub fn insured(
        &self,
        kind: &str,
        insurer: (&str, &str),
        card: Card<'_>,
        ceiling: Option<&str>,
        valid: (NaiveDate, Option<NaiveDate>),
    ) -> PersonRow {
        let (symbol, number, branch) = card;
        PersonRow {
            insurer_number: Some(insurer.1.into()),
            symbol: symbol.map(Into::into),
            member_number: Some(number.into()),
            branch: branch.map(Into::into),
            ceiling_category: ceiling.map(Into::into),
            valid_to: valid.1,
            ..self.base(kind, insurer.0, valid.0)
        }
    }

    /// A period of welfare medical aid, with the institutions it was granted for.
    pub fn welfare(
        &self,
        office: &str,
        numbers: (&str, &str),
        designated: &[&Inst],
        valid: (NaiveDate, Option<NaiveDate>),
    ) -> PersonRow {
        let codes: Vec<String> = designated.iter().map(|i| i.code()).collect();
        PersonRow {
            public_payer_number: Some(numbers.0.into()),
            recipient_number: Some(numbers.1.into()),
            welfare_office: Some(office.into()),
            designated_institutions: Some(codes.join(" ")),
            valid_to: valid.1,
            ..self.base("welfare_aid", office, valid.0)
        }
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
pub fn stay(site: &'static Inst, from: NaiveDate, days: i64, first: i64, daily: i64) -> Vec<Encounter> {
    (0..days)
        .map(|d| Encounter {
            date: super::calendar::add_days(from, d),
            site,
            care: Care::Inpatient,
            yen: if d == 0 { first } else { daily },
        })
        .collect()
}
