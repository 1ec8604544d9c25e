//! Owns what the patient says they really paid one institution for one month of care, and what
//! was refunded (補填される金額), where it differs from the 患者負担額 of the cost notice.
//!
//! The notice's share is what the insurance rules set, not a receipt: children's and other
//! public medical aid (子ども医療費助成 and the like) can pay part of it at the counter, a
//! high-cost care refund (高額療養費) or a reduced claim (減額査定) can give part of it back
//! later, and a private insurance payout for a stay is 補填 under the tax rules. The notice stays
//! as the insurer sent it; a correction is kept beside it, every one with its time (a
//! withdrawal is one more correction, nothing is overwritten), and the deduction figure and the
//! tax form count the newest correction of each month and institution.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::history::add_yen;
use super::{CareMonth, CostError, CostNotice, RECEIPT_MAX_YEN, TaxCategory, Yen};
use crate::domain::institution::InstitutionCode;
use crate::domain::normalize::normalize_code_compact;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CorrectionError {
    #[error("enter what was paid, what was refunded, or both")]
    NothingEntered,
    #[error("amount paid must be a whole number of yen")]
    PaidFormat,
    #[error("amount paid must not be negative")]
    PaidNegative,
    #[error("amount paid {paid} exceeds the notices' total cost of care {total}")]
    PaidExceedsTotal { paid: Yen, total: Yen },
    #[error("refunded amount must be a whole number of yen")]
    ReimbursedFormat,
    #[error("refunded amount must not be negative")]
    ReimbursedNegative,
    #[error("refunded amount {reimbursed} exceeds the amount paid {paid}")]
    ReimbursedExceedsPaid { reimbursed: Yen, paid: Yen },
}

impl CorrectionError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NothingEntered => "correction_nothing_entered",
            Self::PaidFormat => "correction_paid_format",
            Self::PaidNegative => "correction_paid_negative",
            Self::PaidExceedsTotal { .. } => "correction_paid_exceeds_total",
            Self::ReimbursedFormat => "correction_reimbursed_format",
            Self::ReimbursedNegative => "correction_reimbursed_negative",
            Self::ReimbursedExceedsPaid { .. } => "correction_reimbursed_exceeds_paid",
        }
    }

    /// The form field ([`CorrectionInput`] member) the error belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            Self::NothingEntered
            | Self::PaidFormat
            | Self::PaidNegative
            | Self::PaidExceedsTotal { .. } => "paid",
            Self::ReimbursedFormat
            | Self::ReimbursedNegative
            | Self::ReimbursedExceedsPaid { .. } => "reimbursed",
        }
    }
}

/// The correction form as posted: either field may be blank.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionInput {
    pub paid: String,
    pub reimbursed: String,
}

/// What one institution's notices of one month add up to: the bounds a correction is checked
/// against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeAmounts {
    /// 医療費の総額.
    pub total: Yen,
    /// 患者負担額.
    pub share: Yen,
}

impl NoticeAmounts {
    pub fn of<'a>(notices: impl IntoIterator<Item = &'a CostNotice>) -> Self {
        notices.into_iter().fold(
            Self {
                total: Yen::ZERO,
                share: Yen::ZERO,
            },
            |sum, n| Self {
                total: add_yen(sum.total, n.total),
                share: add_yen(sum.share, n.patient_paid),
            },
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CostCorrection {
    pub care_month: CareMonth,
    pub institution: InstitutionCode,
    /// What was really paid; `None` keeps the notice's 患者負担額.
    pub paid: Option<Yen>,
    /// 補填される金額: refunded or paid back by anyone; zero if nothing.
    pub reimbursed: Yen,
}

impl CostCorrection {
    /// Parses both fields and reports every problem at once. The amount paid can be more than
    /// the notice's share (counters round to ten yen, and a notice can be reduced after the
    /// visit) but never more than the care cost in all; a refund never more than was paid.
    pub fn parse(
        care_month: CareMonth,
        institution: InstitutionCode,
        input: &CorrectionInput,
        notices: NoticeAmounts,
    ) -> Result<Self, Vec<CorrectionError>> {
        let paid_blank = normalize_code_compact(&input.paid).is_empty();
        let reimbursed_blank = normalize_code_compact(&input.reimbursed).is_empty();
        if paid_blank && reimbursed_blank {
            return Err(vec![CorrectionError::NothingEntered]);
        }
        let mut errors = Vec::new();
        let paid = if paid_blank {
            Some(None)
        } else {
            amount(
                &input.paid,
                CorrectionError::PaidFormat,
                CorrectionError::PaidNegative,
            )
            .and_then(|paid| {
                if paid > notices.total {
                    Err(CorrectionError::PaidExceedsTotal {
                        paid,
                        total: notices.total,
                    })
                } else {
                    Ok(Some(paid))
                }
            })
            .map_err(|e| errors.push(e))
            .ok()
        };
        let reimbursed = if reimbursed_blank {
            Some(Yen::ZERO)
        } else {
            amount(
                &input.reimbursed,
                CorrectionError::ReimbursedFormat,
                CorrectionError::ReimbursedNegative,
            )
            .map_err(|e| errors.push(e))
            .ok()
        };
        if let (Some(paid), Some(reimbursed)) = (paid, reimbursed) {
            let paid = paid.unwrap_or(notices.share);
            if reimbursed > paid {
                errors.push(CorrectionError::ReimbursedExceedsPaid { reimbursed, paid });
            }
        }
        match (paid, reimbursed) {
            (Some(paid), Some(reimbursed)) if errors.is_empty() => Ok(Self {
                care_month,
                institution,
                paid,
                reimbursed,
            }),
            _ => Err(errors),
        }
    }

    /// Back to what the notice says: kept as one more correction, so the history shows it.
    pub fn withdrawal(care_month: CareMonth, institution: InstitutionCode) -> Self {
        Self {
            care_month,
            institution,
            paid: None,
            reimbursed: Yen::ZERO,
        }
    }

    pub fn is_withdrawal(&self) -> bool {
        self.paid.is_none() && self.reimbursed == Yen::ZERO
    }
}

fn amount(
    input: &str,
    format: CorrectionError,
    negative: CorrectionError,
) -> Result<Yen, CorrectionError> {
    match Yen::parse(input) {
        Ok(yen) if yen.value() <= RECEIPT_MAX_YEN => Ok(yen),
        Ok(_) | Err(CostError::YenFormat) => Err(format),
        Err(_) => Err(negative),
    }
}

/// The correction in force for each month and institution: the newest of `corrections`
/// (oldest first, as stored), unless it is a withdrawal.
pub fn current_corrections(
    corrections: &[CostCorrection],
) -> BTreeMap<(CareMonth, InstitutionCode), &CostCorrection> {
    let mut current = BTreeMap::new();
    for c in corrections {
        let key = (c.care_month, c.institution.clone());
        if c.is_withdrawal() {
            current.remove(&key);
        } else {
            current.insert(key, c);
        }
    }
    current
}

/// One institution's notices of one month as the deduction and the tax form count them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticePayment {
    pub care_month: CareMonth,
    pub institution: InstitutionCode,
    pub category: TaxCategory,
    pub notices: NoticeAmounts,
    /// What was paid: the correction's amount, or the notices' share without one.
    pub paid: Yen,
    pub reimbursed: Yen,
    pub corrected: bool,
}

impl NoticePayment {
    /// What counts towards the deduction: paid less refunded, set off per payment.
    pub fn counted(&self) -> Yen {
        self.paid.checked_sub(self.reimbursed).unwrap_or(Yen::ZERO)
    }
}

/// The notices grouped by month and institution, each with the correction in force.
///
/// A correction whose notices are gone (reported as not the patient's) counts for nothing; one
/// checked against notices that have since shrunk is held to them (never more paid than the
/// care cost, never more refunded than paid). The category is that of the care with the largest
/// share: in practice an institution's month is one category (pharmacies only dispense).
pub fn notice_payments(
    notices: &[CostNotice],
    corrections: &[CostCorrection],
) -> Vec<NoticePayment> {
    let mut grouped: BTreeMap<(CareMonth, InstitutionCode), Vec<&CostNotice>> = BTreeMap::new();
    for n in notices {
        grouped
            .entry((n.care_month, n.institution.clone()))
            .or_default()
            .push(n);
    }
    let current = current_corrections(corrections);
    grouped
        .into_iter()
        .map(|(key, lines)| {
            let amounts = NoticeAmounts::of(lines.iter().copied());
            let category = category_of(&lines);
            let correction = current.get(&key);
            let paid = correction
                .and_then(|c| c.paid)
                .map_or(amounts.share, |paid| paid.min(amounts.total));
            let reimbursed = correction.map_or(Yen::ZERO, |c| c.reimbursed.min(paid));
            NoticePayment {
                care_month: key.0,
                institution: key.1,
                category,
                notices: amounts,
                paid,
                reimbursed,
                corrected: correction.is_some(),
            }
        })
        .collect()
}

fn category_of(lines: &[&CostNotice]) -> TaxCategory {
    let mut shares: BTreeMap<usize, Yen> = BTreeMap::new();
    for n in lines {
        let category = TaxCategory::of_care_type(n.care_type);
        let index = TaxCategory::FORM_ORDER
            .iter()
            .position(|c| *c == category)
            .unwrap_or(0);
        let share = shares.entry(index).or_default();
        *share = add_yen(*share, n.patient_paid);
    }
    // The largest share; on a tie the first in the form's order.
    shares
        .into_iter()
        .max_by(|(ia, a), (ib, b)| a.cmp(b).then(ib.cmp(ia)))
        .and_then(|(index, _)| TaxCategory::FORM_ORDER.get(index).copied())
        .unwrap_or(TaxCategory::MedicalCare)
}

#[cfg(test)]
mod tests;
