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
#[cfg(feature = "ssr")]
pub mod export;
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
    pub institution: crate::home::InstitutionRef,
    pub care_type: crate::domain::cost::CareType,
    pub days: u16,
    pub total: i64,
    pub patient_paid: i64,
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
    crate::viewer::with_status(
        async move {
            let args = format!("{lang}|{}", crate::viewer::cache_args(&query)?);
            crate::viewer::cached_records("costs", args, async |state, patient| {
                let internal = |e: crate::storage::StorageError| crate::viewer::internal(&e);
                let lines = crate::storage::costs::notices(&state.db, patient)
                    .await
                    .map_err(internal)?;
                let receipts = crate::storage::receipts::list(&state.db, patient)
                    .await
                    .map_err(internal)?;
                let today = state.clock.today_japan();
                Ok(page::page(
                    query,
                    &lines,
                    &receipts,
                    today,
                    crate::ui::format::locale_of(&lang),
                ))
            })
            .await
        }
        .await,
    )
}

/// The mistake a receipt form comes back with when the card was last checked more than five
/// minutes ago: adding and removing receipts changes what the tax form says.
#[cfg(feature = "ssr")]
const STEP_UP_REQUIRED: &str = "card:step_up_required";

/// The receipt form's post (works without JavaScript). Every mistake is reported at once; the
/// form comes back with what was typed.
#[server(endpoint = "costs/add_receipt")]
pub async fn add_receipt(
    #[server(default)] paid_on: String,
    #[server(default)] payee: String,
    #[server(default)] kind: String,
    #[server(default)] amount: String,
    #[server(default)] reimbursed: String,
) -> Result<(), PortalError> {
    use crate::domain::cost::{Receipt, ReceiptInput};
    crate::viewer::with_status(
        async move {
            let (state, login) = crate::viewer::require_login().await?;
            let patient = crate::storage::patients::PatientId(login.patient_id);
            let fresh = crate::auth::flows::checked_for(
                &state.db,
                &login,
                crate::auth::api::StepUpFor::AddReceipt,
                state.clock.now(),
            )
            .await
            .map_err(|e| crate::viewer::internal(&e))?;
            let input = ReceiptInput {
                paid_on: paid_on.clone(),
                payee: payee.clone(),
                kind: kind.clone(),
                amount: amount.clone(),
                reimbursed: reimbursed.clone(),
            };
            let today = state.clock.today_japan();
            // A stale card check is one more mistake in the summary: the rest are named too,
            // and nothing is stored until the card has been checked.
            let parsed = Receipt::parse(&input, today).map_err(|errors| {
                errors
                    .iter()
                    .map(|e| format!("{}:{}", e.field(), e.code()))
                    .collect::<Vec<_>>()
            });
            let parsed = match (parsed, fresh) {
                (Ok(receipt), true) => Ok(receipt),
                (Ok(_), false) => Err(vec![STEP_UP_REQUIRED.to_owned()]),
                (Err(mut codes), false) => {
                    codes.push(STEP_UP_REQUIRED.to_owned());
                    Err(codes)
                }
                (Err(codes), true) => Err(codes),
            };
            match parsed {
                Ok(receipt) => {
                    crate::storage::receipts::add(&state.db, patient, &receipt, state.clock.now())
                        .await
                        .map_err(|e| crate::viewer::internal(&e))?;
                    use chrono::Datelike;
                    leptos_axum::redirect(&format!(
                        "/costs?year={}#receipts-heading",
                        receipt.paid_on.year()
                    ));
                }
                Err(codes) => {
                    let mut url = url::form_urlencoded::Serializer::new(String::new());
                    url.append_pair("r_paid_on", &paid_on)
                        .append_pair("r_payee", &payee)
                        .append_pair("r_kind", &kind)
                        .append_pair("r_amount", &amount)
                        .append_pair("r_reimbursed", &reimbursed)
                        .append_pair("r_errors", &codes.join(","));
                    leptos_axum::redirect(&format!("/costs?{}#receipt-form", url.finish()));
                }
            }
            Ok(())
        }
        .await,
    )
}

/// Removes one of the patient's receipts (the row is kept, marked removed).
#[server(endpoint = "costs/remove_receipt")]
pub async fn remove_receipt(
    id: String,
    #[server(default)] year: String,
) -> Result<(), PortalError> {
    crate::viewer::with_status(
        async move {
            let (state, login) = crate::viewer::require_login().await?;
            let patient = crate::storage::patients::PatientId(login.patient_id);
            let id: i64 = id.trim().parse().map_err(|_| PortalError::NotFound)?;
            let year: String = year.chars().filter(char::is_ascii_digit).take(4).collect();
            let checked = crate::auth::flows::checked_for(
                &state.db,
                &login,
                crate::auth::api::StepUpFor::RemoveReceipt,
                state.clock.now(),
            )
            .await
            .map_err(|e| crate::viewer::internal(&e))?;
            if !checked {
                leptos_axum::redirect(&format!(
                    "/costs?year={year}&r_remove={id}&r_errors={STEP_UP_REQUIRED}#f-card"
                ));
                return Ok(());
            }
            let removed =
                crate::storage::receipts::remove(&state.db, patient, id, state.clock.now())
                    .await
                    .map_err(|e| crate::viewer::internal(&e))?;
            if !removed {
                return Err(PortalError::NotFound);
            }
            leptos_axum::redirect(&format!("/costs?year={year}#receipts-heading"));
            Ok(())
        }
        .await,
    )
}
