//! The costs page: a calendar year's months as stacked bars by type of care, each month marked
//! complete or "expected by", totals by year, the patient-paid total against the medical-expense
//! deduction threshold, and the year as the tax agency's aggregation form (CSV).

use crate::charts::ChartSpec;
use crate::domain::cost::{DeductionStatus, MonthStatus, YearExpenses};
use crate::error::{FieldError, PortalError};
use crate::freshness::Freshness;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
mod chart;
pub mod correction;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod forms;
#[cfg(feature = "ssr")]
mod page;

/// The query string as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostQuery {
    #[serde(default)]
    pub year: String,
    /// 総所得金額等, only when the patient enters it; never stored.
    #[serde(default)]
    pub income: String,
    /// A receipt form that came back with mistakes: what was typed, and `field:code,...`.
    #[serde(default)]
    pub receipt: ReceiptTyped,
}

/// The receipt form's fields as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptTyped {
    #[serde(default)]
    pub paid_on: String,
    #[serde(default)]
    pub payee: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub reimbursed: String,
    #[serde(default)]
    pub errors: String,
}

/// A receipt the patient entered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceiptView {
    pub id: i64,
    pub paid_on: chrono::NaiveDate,
    pub payee: String,
    pub kind: crate::domain::cost::ReceiptKind,
    pub amount: i64,
    pub reimbursed: i64,
}

/// Amounts in yen, per type in [`crate::domain::cost::ByCareType::ORDER`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthView {
    /// `2025-04`.
    pub month: String,
    pub by_type: [i64; 4],
    pub total: i64,
    pub insurer_paid: i64,
    pub patient_paid: i64,
    pub notices: usize,
    pub status: MonthStatus,
}

/// One line of a cost notice, as the insurer sent it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeView {
    pub id: i64,
    pub month: String,
    pub institution: crate::domain::institution::InstitutionRef,
    pub care_type: crate::domain::cost::CareType,
    pub days: u16,
    pub total: i64,
    pub patient_paid: i64,
    /// The patient's correction of this month and institution: (paid, refunded).
    pub corrected: Option<(i64, i64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearView {
    pub year: i32,
    pub total: i64,
    pub insurer_paid: i64,
    pub patient_paid: i64,
    pub notices: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostPage {
    pub query: CostQuery,
    pub errors: Vec<FieldError>,
    pub year: i32,
    /// Years to choose from, newest first.
    pub years: Vec<i32>,
    pub months: Vec<MonthView>,
    /// The year's notice lines, newest month first.
    pub notices: Vec<NoticeView>,
    pub chart: Option<ChartSpec>,
    pub yearly: Vec<YearView>,
    /// The year's receipts, by payment date.
    pub receipts: Vec<ReceiptView>,
    /// Mistakes in a receipt form that came back, by field.
    pub receipt_errors: Vec<FieldError>,
    pub expenses: YearExpenses,
    pub deduction: DeductionStatus,
    pub any_notices: bool,
    pub freshness: Freshness,
}

#[server(endpoint = "costs", input = server_fn::codec::Json, output = crate::wire::JsonText)]
pub async fn load_costs(query: CostQuery, lang: String) -> Result<CostPage, PortalError> {
    let args = format!("{lang}|{}", crate::page_cache::args(&query)?);
    let page = crate::page_cache::data("costs", args, async |state, patient| {
        let lines = crate::storage::costs::notices(&state.db, patient).await?;
        let receipts = crate::storage::receipts::list(&state.db, patient).await?;
        let corrections = crate::storage::cost_corrections::corrections(&state.db, patient).await?;
        let today = state.clock.today_japan();
        Ok(page::page(
            query,
            &lines,
            &receipts,
            &corrections,
            today,
            crate::format::locale_of(&lang),
        ))
    })
    .await?;
    Ok(page)
}
