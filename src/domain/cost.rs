//! Owns medical cost notices: care month, yen amounts and the consistency of what was paid.

mod category;
mod completeness;
mod correction;
mod deduction;
mod history;
mod money;
mod receipt;
#[cfg(feature = "ssr")]
mod tax_export;

pub use category::{ReceiptKind, TaxCategory};
pub use completeness::{CLAIM_SETTLE_MONTHS, MonthStatus, final_by, month_status};
pub use correction::{
    CorrectionError, CorrectionInput, CostCorrection, NoticeAmounts, NoticePayment,
    current_corrections, notice_payments,
};
pub use deduction::{
    DEDUCTION_CAP_YEN, DeductionStatus, INCOME_SHARE_BELOW_YEN, STANDARD_THRESHOLD_YEN,
    ThresholdBasis, YearExpenses, deduction, deduction_threshold, year_expenses,
};
pub use history::{
    Amounts, ByCareType, MonthlyCosts, YearTotals, month_end, monthly_costs, monthly_costs_between,
    months_between, next_month, yearly_totals,
};
pub use money::{Yen, group_thousands};
pub use receipt::{PayeeName, RECEIPT_MAX_YEN, Receipt, ReceiptError, ReceiptInput, parse_paid_on};
#[cfg(feature = "ssr")]
pub use tax_export::{
    TAX_FORM_CHECKED, TAX_FORM_HEADERS, TaxExportError, TaxFormRow, tax_form_csv,
    tax_form_filename, tax_form_rows, tax_form_workbook, tax_form_workbook_filename,
};

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::institution::InstitutionCode;
use super::normalize::normalize_code_compact;
use super::source::RecordSource;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CostError {
    #[error("care month must look like 2024-05, 2024/05, 202405 or 2024年5月")]
    CareMonthFormat,
    #[error("care month year {found} is outside 1900-2999")]
    CareMonthYear { found: i32 },
    #[error("care month {found} is outside 1-12")]
    CareMonthMonth { found: u32 },
    #[error("yen amount must be a whole number")]
    YenFormat,
    #[error("yen amount must not be negative")]
    YenNegative,
    #[error("days {days} exceed the {max} days of the care month")]
    DaysExceedMonth { days: u16, max: u16 },
    #[error("insurer paid plus patient paid ({paid}) exceeds the total ({total})")]
    PaidExceedsTotal { paid: Yen, total: Yen },
}

impl CostError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::CareMonthFormat => "care_month_format",
            Self::CareMonthYear { .. } => "care_month_year",
            Self::CareMonthMonth { .. } => "care_month_month",
            Self::YenFormat => "yen_format",
            Self::YenNegative => "yen_negative",
            Self::DaysExceedMonth { .. } => "cost_days_exceed_month",
            Self::PaidExceedsTotal { .. } => "cost_paid_exceeds_total",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CareType {
    Inpatient,
    Outpatient,
    Dental,
    Dispensing,
}

impl CareType {
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Inpatient => "入院",
            Self::Outpatient => "外来",
            Self::Dental => "歯科",
            Self::Dispensing => "調剤",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Inpatient => "Inpatient",
            Self::Outpatient => "Outpatient",
            Self::Dental => "Dental",
            Self::Dispensing => "Dispensing",
        }
    }
}

/// 診療年月: the month care was given (claims and cost notices are per month).
/// Serializes as "YYYY-MM".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CareMonth(NaiveDate);

impl CareMonth {
    /// Accepts "2024-05", "2024/05", "202405", "2024-5" and "2024年5月", full-width included.
    pub fn parse(input: &str) -> Result<Self, CostError> {
        let s = normalize_code_compact(input);
        let (year, month) = if let Some(jp) = s.strip_suffix('月') {
            jp.split_once('年').ok_or(CostError::CareMonthFormat)?
        } else if let Some(parts) = s.split_once(['-', '/']) {
            parts
        } else if s.len() == 6 && s.is_ascii() {
            s.split_at(4)
        } else {
            return Err(CostError::CareMonthFormat);
        };
        let digits = |p: &str, max_len| {
            !p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit())
        };
        if year.len() != 4 || !digits(year, 4) || !digits(month, 2) {
            return Err(CostError::CareMonthFormat);
        }
        let year: i32 = year.parse().map_err(|_| CostError::CareMonthFormat)?;
        let month: u32 = month.parse().map_err(|_| CostError::CareMonthFormat)?;
        Self::new(year, month)
    }

    pub fn new(year: i32, month: u32) -> Result<Self, CostError> {
        if !(1900..=2999).contains(&year) {
            return Err(CostError::CareMonthYear { found: year });
        }
        NaiveDate::from_ymd_opt(year, month, 1)
            .map(Self)
            .ok_or(CostError::CareMonthMonth { found: month })
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }

    pub fn month(self) -> u32 {
        self.0.month()
    }

    pub fn first_day(self) -> NaiveDate {
        self.0
    }

    pub fn days_in_month(self) -> u16 {
        match self.month() {
            2 if self.0.leap_year() => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        date.year() == self.year() && date.month() == self.month()
    }
}

impl fmt::Display for CareMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl FromStr for CareMonth {
    type Err = CostError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for CareMonth {
    type Error = CostError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<CareMonth> for String {
    fn from(m: CareMonth) -> String {
        m.to_string()
    }
}

/// One line of a 医療費通知: what one institution charged for one month and who paid.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CostNotice {
    pub care_month: CareMonth,
    pub institution: InstitutionCode,
    pub care_type: CareType,
    /// 診療実日数 (0 is allowed: some dispensing lines carry no day count).
    pub days: u16,
    pub total: Yen,
    pub insurer_paid: Yen,
    pub patient_paid: Yen,
    pub source: RecordSource,
}

impl CostNotice {
    /// Insurer plus patient may be less than the total because public expense programmes
    /// (公費) can pay the rest, but never more.
    pub fn validate(&self) -> Result<(), CostError> {
        let max = self.care_month.days_in_month();
        if self.days > max {
            return Err(CostError::DaysExceedMonth {
                days: self.days,
                max,
            });
        }
        match self.insurer_paid.checked_add(self.patient_paid) {
            Some(paid) if paid <= self.total => Ok(()),
            paid => Err(CostError::PaidExceedsTotal {
                paid: paid.unwrap_or(Yen::MAX),
                total: self.total,
            }),
        }
    }

    /// The part of the total paid by neither insurer nor patient (public expense and the like).
    pub fn other_paid(&self) -> Yen {
        self.insurer_paid
            .checked_add(self.patient_paid)
            .and_then(|paid| self.total.checked_sub(paid))
            .unwrap_or(Yen::ZERO)
    }
}

#[cfg(test)]
mod tests;
