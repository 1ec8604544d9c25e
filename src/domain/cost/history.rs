//! Owns the cost history: totals per month of care and per calendar year, split by care type,
//! for the stacked bar charts and the tables beside them.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{CareMonth, CareType, CostNotice, Yen};

/// What some care cost and who paid. `total` may exceed insurer plus patient because public
/// expense programmes (公費) pay the rest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amounts {
    pub total: Yen,
    pub insurer_paid: Yen,
    pub patient_paid: Yen,
}

impl Amounts {
    pub fn of(notice: &CostNotice) -> Self {
        Self {
            total: notice.total,
            insurer_paid: notice.insurer_paid,
            patient_paid: notice.patient_paid,
        }
    }

    pub fn plus(self, other: Self) -> Self {
        Self {
            total: add_yen(self.total, other.total),
            insurer_paid: add_yen(self.insurer_paid, other.insurer_paid),
            patient_paid: add_yen(self.patient_paid, other.patient_paid),
        }
    }
}

/// Amounts per care type. Named fields rather than a map so the wire form is stable and every
/// type is present (a chart series needs a zero, not a missing key).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByCareType {
    pub inpatient: Amounts,
    pub outpatient: Amounts,
    pub dental: Amounts,
    pub dispensing: Amounts,
}

impl ByCareType {
    /// Stacking order of the bars and column order of the tables.
    pub const ORDER: [CareType; 4] = [
        CareType::Inpatient,
        CareType::Outpatient,
        CareType::Dental,
        CareType::Dispensing,
    ];

    pub fn get(&self, care_type: CareType) -> Amounts {
        match care_type {
            CareType::Inpatient => self.inpatient,
            CareType::Outpatient => self.outpatient,
            CareType::Dental => self.dental,
            CareType::Dispensing => self.dispensing,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (CareType, Amounts)> + '_ {
        Self::ORDER.into_iter().map(|t| (t, self.get(t)))
    }

    fn add(&mut self, notice: &CostNotice) {
        let slot = match notice.care_type {
            CareType::Inpatient => &mut self.inpatient,
            CareType::Outpatient => &mut self.outpatient,
            CareType::Dental => &mut self.dental,
            CareType::Dispensing => &mut self.dispensing,
        };
        *slot = slot.plus(Amounts::of(notice));
    }
}

/// One bar of the monthly chart. `notices` tells an empty month (0) from a month of ¥0 care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyCosts {
    pub month: CareMonth,
    pub by_type: ByCareType,
    pub total: Amounts,
    pub notices: usize,
}

impl MonthlyCosts {
    fn empty(month: CareMonth) -> Self {
        Self {
            month,
            by_type: ByCareType::default(),
            total: Amounts::default(),
            notices: 0,
        }
    }

    fn add(&mut self, notice: &CostNotice) {
        self.by_type.add(notice);
        self.total = self.total.plus(Amounts::of(notice));
        self.notices += 1;
    }
}

/// Totals of one calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearTotals {
    pub year: i32,
    pub by_type: ByCareType,
    pub total: Amounts,
    pub notices: usize,
}

/// Every month from the earliest to the latest notice, empty months included, so a chart
/// has no gaps that would make two distant months look adjacent. Empty input, empty output.
pub fn monthly_costs(notices: &[CostNotice]) -> Vec<MonthlyCosts> {
    let months = notices.iter().map(|n| n.care_month);
    match (months.clone().min(), months.max()) {
        (Some(first), Some(last)) => monthly_costs_between(notices, first, last),
        _ => Vec::new(),
    }
}

/// Every month of `first..=last` (for a fixed window such as the last 36 months or up to the
/// current month, whose missing notices are then visible as empty bars); notices outside it
/// are ignored.
pub fn monthly_costs_between(
    notices: &[CostNotice],
    first: CareMonth,
    last: CareMonth,
) -> Vec<MonthlyCosts> {
    let mut out: Vec<MonthlyCosts> = months_between(first, last)
        .into_iter()
        .map(MonthlyCosts::empty)
        .collect();
    for notice in notices {
        let slot = usize::try_from(month_index(notice.care_month) - month_index(first))
            .ok()
            .and_then(|i| out.get_mut(i));
        if let Some(slot) = slot {
            slot.add(notice);
        }
    }
    out
}

/// Totals per calendar year, every year from the earliest to the latest notice.
///
/// Why by the year of the month of care: the tax deduction (医療費控除) counts what was paid
/// in a calendar year, but notices carry only the month of care, not the payment date. We
/// assume each notice was paid in its month of care, which holds for counter payments at
/// clinics and pharmacies; an inpatient stay billed after a year end can land one year early.
pub fn yearly_totals(notices: &[CostNotice]) -> Vec<YearTotals> {
    let years = notices.iter().map(|n| n.care_month.year());
    let (Some(first), Some(last)) = (years.clone().min(), years.max()) else {
        return Vec::new();
    };
    (first..=last)
        .map(|year| {
            let mut totals = YearTotals {
                year,
                by_type: ByCareType::default(),
                total: Amounts::default(),
                notices: 0,
            };
            for notice in notices.iter().filter(|n| n.care_month.year() == year) {
                totals.by_type.add(notice);
                totals.total = totals.total.plus(Amounts::of(notice));
                totals.notices += 1;
            }
            totals
        })
        .collect()
}

/// `first..=last`; empty when `first` is after `last`.
pub fn months_between(first: CareMonth, last: CareMonth) -> Vec<CareMonth> {
    let mut out = Vec::new();
    let mut month = Some(first);
    while let Some(m) = month.filter(|m| *m <= last) {
        out.push(m);
        month = next_month(m);
    }
    out
}

/// `None` after 2999-12, the last month `CareMonth` accepts.
pub fn next_month(month: CareMonth) -> Option<CareMonth> {
    match month.month() {
        12 => CareMonth::new(month.year() + 1, 1).ok(),
        m => CareMonth::new(month.year(), m + 1).ok(),
    }
}

/// The last day of the month.
pub fn month_end(month: CareMonth) -> NaiveDate {
    let first = month.first_day();
    // `days_in_month` is always a valid day of this month, so the fallback is never taken.
    first
        .with_day(u32::from(month.days_in_month()))
        .unwrap_or(first)
}

fn month_index(month: CareMonth) -> i64 {
    i64::from(month.year()) * 12 + i64::from(month.month()) - 1
}

/// Saturates instead of failing: no real sum of yen comes near `i64::MAX`, and a chart should
/// never fail because of one absurd feed value.
pub(super) fn add_yen(a: Yen, b: Yen) -> Yen {
    a.checked_add(b).unwrap_or(Yen::MAX)
}

/// A yen constant or a difference known to be non-negative; negatives become zero.
pub(super) fn yen(amount: i64) -> Yen {
    Yen::new(amount.max(0)).unwrap_or(Yen::ZERO)
}

#[cfg(test)]
mod tests;
