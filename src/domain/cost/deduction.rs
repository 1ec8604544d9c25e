//! Owns the medical-expense deduction (医療費控除) arithmetic of one calendar year: what counts,
//! the threshold, and how far the year is from it or over it.

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::history::{add_yen, yen};
use super::{NoticePayment, Receipt, Yen};

/// The usual threshold: expenses above ¥100,000 are deductible.
pub const STANDARD_THRESHOLD_YEN: i64 = 100_000;
/// Below this income the threshold is 5% of income instead (5% of ¥2,000,000 is exactly
/// ¥100,000, so the two rules meet here).
pub const INCOME_SHARE_BELOW_YEN: i64 = 2_000_000;
/// The deduction itself is capped at ¥2,000,000 (所得税法第73条).
pub const DEDUCTION_CAP_YEN: i64 = 2_000_000;

/// Which rule set the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdBasis {
    /// ¥100,000.
    Standard,
    /// 5% of the income the patient entered.
    IncomeShare,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeductionStatus {
    /// Counted expenses: paid less reimbursed.
    pub total: Yen,
    pub threshold: Yen,
    pub basis: ThresholdBasis,
    /// `total - threshold`, zero when not over.
    pub over_by: Yen,
    /// `over_by` capped at ¥2,000,000: the amount the deduction would be.
    pub deductible: Yen,
    /// `threshold - total`, zero once the threshold is reached.
    pub remaining: Yen,
}

impl DeductionStatus {
    pub fn is_deductible(&self) -> bool {
        self.deductible > Yen::ZERO
    }
}

/// What one calendar year adds up to, kept apart so the page can show where the total
/// comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearExpenses {
    pub year: i32,
    /// 患者負担額 of the notices whose month of care is in `year`, as the insurer sent them:
    /// notices carry no payment date, so each is assumed paid in its month of care (see
    /// `yearly_totals`).
    pub notices_share: Yen,
    /// What was paid for that care: the share, or the patient's correction of it.
    pub notices_paid: Yen,
    /// What was refunded of it (補填される金額), from the patient's corrections.
    pub notices_reimbursed: Yen,
    /// Receipts paid in `year`.
    pub receipts_paid: Yen,
    pub receipts_reimbursed: Yen,
    /// What counts: notices and receipts, each less what was refunded of it.
    pub total: Yen,
}

/// `payments` are the notices as [`super::notice_payments`] counts them.
pub fn year_expenses(year: i32, payments: &[NoticePayment], receipts: &[Receipt]) -> YearExpenses {
    let notices = || payments.iter().filter(|p| p.care_month.year() == year);
    let sum = |amount: fn(&NoticePayment) -> Yen| {
        notices().fold(Yen::ZERO, |sum, p| add_yen(sum, amount(p)))
    };
    let notices_counted = sum(NoticePayment::counted);
    let in_year = || receipts.iter().filter(|r| r.paid_on.year() == year);
    let receipts_paid = in_year().fold(Yen::ZERO, |sum, r| add_yen(sum, r.amount));
    let receipts_reimbursed = in_year().fold(Yen::ZERO, |sum, r| add_yen(sum, r.reimbursed));
    // Per receipt, so a payout larger than its own bill (rejected by validation anyway)
    // could never eat into other expenses.
    let receipts_counted = in_year().fold(Yen::ZERO, |sum, r| add_yen(sum, r.counted()));
    YearExpenses {
        year,
        notices_share: sum(|p| p.notices.share),
        notices_paid: sum(|p| p.paid),
        notices_reimbursed: sum(|p| p.reimbursed),
        receipts_paid,
        receipts_reimbursed,
        total: add_yen(notices_counted, receipts_counted),
    }
}

/// `income` is the 総所得金額等 the patient enters (after the employment-income deduction,
/// not the gross salary); without it the standard ¥100,000 applies.
///
/// 5% is floored to whole yen: amounts on the return are whole yen, and flooring lowers the
/// threshold by under one yen, in the patient's favour.
pub fn deduction_threshold(income: Option<Yen>) -> (Yen, ThresholdBasis) {
    match income {
        Some(income) if income.value() < INCOME_SHARE_BELOW_YEN => {
            // 5% is 1/20; integer division floors for non-negative values.
            (yen(income.value() / 20), ThresholdBasis::IncomeShare)
        }
        _ => (yen(STANDARD_THRESHOLD_YEN), ThresholdBasis::Standard),
    }
}

pub fn deduction(total: Yen, income: Option<Yen>) -> DeductionStatus {
    let (threshold, basis) = deduction_threshold(income);
    let over_by = total.checked_sub(threshold).unwrap_or(Yen::ZERO);
    DeductionStatus {
        total,
        threshold,
        basis,
        over_by,
        deductible: over_by.min(yen(DEDUCTION_CAP_YEN)),
        remaining: threshold.checked_sub(total).unwrap_or(Yen::ZERO),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::cost::{
        CareMonth, CareType, CostNotice, PayeeName, ReceiptKind, notice_payments,
    };
    use crate::domain::institution::InstitutionCode;
    use crate::domain::source::RecordSource;
    use chrono::NaiveDate;

    #[test]
    fn threshold_by_income() {
        use ThresholdBasis::*;
        let cases = [
            (None, 100_000, Standard),
            (Some(2_000_000), 100_000, Standard),
            (Some(1_999_999), 99_999, IncomeShare),
            (Some(1_999_980), 99_999, IncomeShare),
            (Some(1_999_979), 99_998, IncomeShare),
            (Some(1_000_000), 50_000, IncomeShare),
            (Some(19), 0, IncomeShare),
            (Some(0), 0, IncomeShare),
            (Some(50_000_000), 100_000, Standard),
        ];
        for (income, want, basis) in cases {
            let got = deduction_threshold(income.map(yen));
            assert_eq!(got, (yen(want), basis), "{income:?}");
        }
    }

    #[test]
    fn status_around_threshold_and_cap() {
        // (total, income, over_by, deductible, remaining)
        let cases = [
            (0, None, 0, 0, 100_000),
            (99_999, None, 0, 0, 1),
            (100_000, None, 0, 0, 0),
            (100_001, None, 1, 1, 0),
            (2_100_000, None, 2_000_000, 2_000_000, 0),
            (2_100_001, None, 2_000_001, 2_000_000, 0),
            (5_000_000, None, 4_900_000, 2_000_000, 0),
            (100_000, Some(1_999_999), 1, 1, 0),
            (100_000, Some(2_000_000), 0, 0, 0),
            (60_000, Some(1_000_000), 10_000, 10_000, 0),
            (40_000, Some(1_000_000), 0, 0, 10_000),
        ];
        for (total, income, over_by, deductible, remaining) in cases {
            let s = deduction(yen(total), income.map(yen));
            assert_eq!(
                (s.total, s.over_by, s.deductible, s.remaining),
                (yen(total), yen(over_by), yen(deductible), yen(remaining)),
                "{total} {income:?}"
            );
            assert_eq!(s.is_deductible(), deductible > 0);
        }
    }

    fn notice(month: &str, patient: i64) -> CostNotice {
        CostNotice {
            care_month: CareMonth::parse(month).unwrap(),
            institution: InstitutionCode::parse("1310123455").unwrap(),
            care_type: CareType::Outpatient,
            days: 1,
            total: yen(patient * 10),
            insurer_paid: yen(patient * 7),
            patient_paid: yen(patient),
            source: RecordSource::CostNotice,
        }
    }

    fn receipt(y: i32, m: u32, d: u32, amount: i64, reimbursed: i64) -> Receipt {
        Receipt {
            paid_on: NaiveDate::from_ymd_opt(y, m, d).unwrap(),
            payee: PayeeName::parse("薬局").unwrap(),
            kind: ReceiptKind::Medicine,
            amount: yen(amount),
            reimbursed: yen(reimbursed),
        }
    }

    #[test]
    fn year_expenses_by_calendar_year() {
        let notices = [
            notice("2023-12", 9_000),
            notice("2024-01", 30_000),
            notice("2024-12", 50_000),
            notice("2025-01", 7_000),
        ];
        let receipts = [
            receipt(2023, 12, 31, 1_000, 0),
            receipt(2024, 1, 1, 15_000, 0),
            receipt(2024, 12, 31, 40_000, 30_000),
            receipt(2025, 1, 1, 2_000, 0),
        ];
        let payments = notice_payments(&notices, &[]);
        let got = year_expenses(2024, &payments, &receipts);
        assert_eq!(
            got,
            YearExpenses {
                year: 2024,
                notices_share: yen(80_000),
                notices_paid: yen(80_000),
                notices_reimbursed: Yen::ZERO,
                receipts_paid: yen(55_000),
                receipts_reimbursed: yen(30_000),
                total: yen(105_000),
            }
        );
        let status = deduction(got.total, None);
        assert_eq!(
            (status.deductible, status.remaining),
            (yen(5_000), Yen::ZERO)
        );
        assert_eq!(year_expenses(2022, &payments, &receipts).total, Yen::ZERO);
    }
}
