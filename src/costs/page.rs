//! Assembles the costs page for one calendar year from every notice line.

use super::chart::monthly_chart;
use super::{CostPage, CostQuery, MonthView, NoticeView, ReceiptView, YearView};
use crate::domain::cost::{
    Amounts, ByCareType, CareMonth, CostCorrection, CostNotice, Receipt, Yen, deduction,
    month_status, monthly_costs_between, notice_payments, year_expenses, yearly_totals,
};
use crate::error::FieldError;
use crate::freshness::Freshness;
use crate::i18n::Locale;
use crate::storage::costs::NoticeLine;
use chrono::{Datelike, NaiveDate};

pub fn page(
    query: CostQuery,
    lines: &[NoticeLine],
    receipts: &[(i64, Receipt)],
    corrections: &[CostCorrection],
    today: NaiveDate,
    locale: Locale,
) -> CostPage {
    let notices: Vec<CostNotice> = lines.iter().map(|l| l.notice.clone()).collect();
    let mut years: Vec<i32> = notices.iter().map(|n| n.care_month.year()).collect();
    years.extend(receipts.iter().map(|(_, r)| r.paid_on.year()));
    years.push(today.year());
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let mut errors = Vec::new();
    let year = match query.year.trim() {
        "" => default_year(&notices, today),
        y => match y.parse::<i32>() {
            Ok(y) if years.contains(&y) => y,
            _ => {
                errors.push(FieldError {
                    field: "year".into(),
                    code: "unknown_choice".into(),
                });
                default_year(&notices, today)
            }
        },
    };
    let income = match query.income.trim() {
        "" => None,
        text => match Yen::parse(text) {
            Ok(y) if y > Yen::ZERO => Some(y),
            _ => {
                errors.push(FieldError {
                    field: "income".into(),
                    code: "invalid_amount".into(),
                });
                None
            }
        },
    };
    // The months of the year up to this month: future months have nothing to show.
    let last_month = if year == today.year() {
        today.month()
    } else {
        12
    };
    let months = match (CareMonth::new(year, 1), CareMonth::new(year, last_month)) {
        (Ok(first), Ok(last)) => monthly_costs_between(&notices, first, last),
        _ => Vec::new(),
    };
    let months: Vec<MonthView> = months
        .iter()
        .map(|m| MonthView {
            month: m.month.to_string(),
            by_type: ByCareType::ORDER.map(|t| m.by_type.get(t).total.value()),
            total: m.total.total.value(),
            insurer_paid: m.total.insurer_paid.value(),
            patient_paid: m.total.patient_paid.value(),
            notices: m.notices,
            status: month_status(m.month, today),
        })
        .collect();
    let chart = months
        .iter()
        .any(|m| m.notices > 0)
        .then(|| monthly_chart(&months, year, locale));
    let yearly = yearly_totals(&notices)
        .into_iter()
        .rev()
        .map(|y| view_year(y.year, y.total, y.notices))
        .collect();
    let all_receipts: Vec<Receipt> = receipts.iter().map(|(_, r)| r.clone()).collect();
    let payments = notice_payments(&notices, corrections);
    let expenses = year_expenses(year, &payments, &all_receipts);
    let receipt_errors = FieldError::parse_list(&query.receipt.errors)
        .into_iter()
        .filter(|e| RECEIPT_FIELDS.contains(&e.field.as_str()))
        .collect();
    let year_receipts = receipts
        .iter()
        .filter(|(_, r)| r.paid_on.year() == year)
        .map(|(id, r)| ReceiptView {
            id: *id,
            paid_on: r.paid_on,
            payee: r.payee.as_str().to_owned(),
            kind: r.kind,
            amount: r.amount.value(),
            reimbursed: r.reimbursed.value(),
        })
        .collect();
    let corrected: std::collections::HashMap<_, _> = payments
        .iter()
        .filter(|p| p.corrected)
        .map(|p| {
            (
                (p.care_month, &p.institution),
                (p.paid.value(), p.reimbursed.value()),
            )
        })
        .collect();
    let year_lines = lines
        .iter()
        .rev()
        .filter(|l| l.notice.care_month.year() == year)
        .map(|l| NoticeView {
            id: l.id,
            month: l.notice.care_month.to_string(),
            institution: l.institution.clone(),
            care_type: l.notice.care_type,
            days: l.notice.days,
            total: l.notice.total.value(),
            patient_paid: l.notice.patient_paid.value(),
            corrected: corrected
                .get(&(l.notice.care_month, &l.notice.institution))
                .copied(),
        })
        .collect();
    CostPage {
        query,
        errors,
        year,
        years,
        months,
        notices: year_lines,
        chart,
        yearly,
        deduction: deduction(expenses.total, income),
        receipts: year_receipts,
        receipt_errors,
        expenses,
        any_notices: !notices.is_empty() || !receipts.is_empty(),
        freshness: Freshness::of(lines.iter().map(|l| {
            (
                l.notice.care_month.first_day(),
                l.notice.source,
                l.loaded_at,
            )
        })),
    }
}

/// The receipt form's fields, and `card` for a card check that is too old; a `r_errors` naming
/// anything else is ignored.
const RECEIPT_FIELDS: [&str; 6] = ["paid_on", "payee", "kind", "amount", "reimbursed", "card"];

/// The latest year with notices, or this year when there are none.
fn default_year(notices: &[CostNotice], today: NaiveDate) -> i32 {
    notices
        .iter()
        .map(|n| n.care_month.year())
        .max()
        .unwrap_or(today.year())
}

fn view_year(year: i32, a: Amounts, notices: usize) -> YearView {
    YearView {
        year,
        total: a.total.value(),
        insurer_paid: a.insurer_paid.value(),
        patient_paid: a.patient_paid.value(),
        notices,
    }
}
