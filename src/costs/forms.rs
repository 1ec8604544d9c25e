//! The costs page's posts, to `/costs` (carried out by `server::forms`): add or remove a
//! receipt, each after a card check made for it (or a sign-in) in the last five minutes, and
//! the deduction estimate with an income, which is neither stored nor put in an address.

use crate::domain::card_check::StepUpFor;
use crate::error::ServerError;
use crate::forms::{FormAnswer, Posted};
use crate::state::AppState;
use crate::storage::logins::LoginRow;
use crate::storage::patients::PatientId;

/// The mistake a receipt form comes back with when the card was not checked for it in the
/// last five minutes: adding and removing receipts changes what the tax form says.
const STEP_UP_REQUIRED: &str = "card:step_up_required";

/// Carries out the post named by its `action` field.
pub async fn answer(
    state: &AppState,
    login: &LoginRow,
    form: &Posted,
) -> Result<FormAnswer, ServerError> {
    match form.get("action").as_str() {
        "add_receipt" => add_receipt(state, login, form).await,
        "remove_receipt" => remove_receipt(state, login, form).await,
        "estimate" => Ok(estimate(form)),
        _ => Ok(FormAnswer::Again {
            path: "/costs",
            fields: Vec::new(),
        }),
    }
}

/// The patient whose receipts these are: the principal's subject, if it may change them.
fn subject(login: &LoginRow) -> Result<PatientId, ServerError> {
    crate::viewer::allowed(
        crate::viewer::principal_of(login),
        crate::principal::Act::ChangeRecords,
    )
    .map(|(_, subject)| subject)
}

async fn checked(
    state: &AppState,
    login: &LoginRow,
    purpose: StepUpFor,
) -> Result<bool, ServerError> {
    Ok(crate::auth::flows::checked_for(&state.db, login, purpose, state.clock.now()).await?)
}

/// Every mistake is reported at once; the form comes back with what was typed.
async fn add_receipt(
    state: &AppState,
    login: &LoginRow,
    form: &Posted,
) -> Result<FormAnswer, ServerError> {
    use crate::domain::cost::{Receipt, ReceiptInput};
    // Only the patient adds receipts: anyone else is refused before anything is checked.
    let patient = subject(login)?;
    let input = ReceiptInput {
        paid_on: form.get("paid_on"),
        payee: form.get("payee"),
        kind: form.get("kind"),
        amount: form.get("amount"),
        reimbursed: form.get("reimbursed"),
    };
    let fresh = checked(state, login, StepUpFor::AddReceipt).await?;
    // A stale card check is one more mistake in the summary: the rest are named too, and
    // nothing is stored until the card has been checked.
    let mut codes: Vec<String> = match Receipt::parse(&input, state.clock.today_japan()) {
        Ok(receipt) if fresh => {
            crate::storage::receipts::add(&state.db, patient, &receipt, state.clock.now()).await?;
            use chrono::Datelike;
            return Ok(FormAnswer::Done(format!(
                "/costs?year={}#receipts-heading",
                receipt.paid_on.year()
            )));
        }
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .iter()
            .map(|e| format!("{}:{}", e.field(), e.code()))
            .collect(),
    };
    if !fresh {
        codes.push(STEP_UP_REQUIRED.to_owned());
    }
    Ok(FormAnswer::Again {
        path: "/costs",
        fields: vec![
            ("r_paid_on", input.paid_on),
            ("r_payee", input.payee),
            ("r_kind", input.kind),
            ("r_amount", input.amount),
            ("r_reimbursed", input.reimbursed),
            ("r_errors", codes.join(",")),
        ],
    })
}

/// Removes one of the patient's receipts (the row is kept, marked removed).
async fn remove_receipt(
    state: &AppState,
    login: &LoginRow,
    form: &Posted,
) -> Result<FormAnswer, ServerError> {
    let patient = subject(login)?;
    let id: i64 = form
        .get("id")
        .trim()
        .parse()
        .map_err(|_| ServerError::NotFound)?;
    let year: String = form
        .get("year")
        .chars()
        .filter(char::is_ascii_digit)
        .take(4)
        .collect();
    if !checked(state, login, StepUpFor::RemoveReceipt).await? {
        return Ok(FormAnswer::Again {
            path: "/costs",
            fields: vec![
                ("year", year),
                ("r_remove", id.to_string()),
                ("r_errors", STEP_UP_REQUIRED.to_owned()),
            ],
        });
    }
    let removed =
        crate::storage::receipts::remove(&state.db, patient, id, state.clock.now()).await?;
    if !removed {
        return Err(ServerError::NotFound);
    }
    Ok(FormAnswer::Done(format!(
        "/costs?year={year}#receipts-heading"
    )))
}

/// The deduction estimate for an income: the page for the year, answered to the post (a bad
/// amount is named there).
fn estimate(form: &Posted) -> FormAnswer {
    let income = form.get("income");
    FormAnswer::Again {
        path: "/costs",
        fields: vec![("year", form.get("year")), ("income", income)],
    }
}
