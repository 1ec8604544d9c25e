//! The costs page's posts, to `/costs` (carried out by `server::forms`): add or remove a
//! receipt, record or withdraw what was really paid and refunded for a month of notices, each
//! after a card check made for it (or a sign-in) in the last five minutes, and the deduction
//! estimate with an income, which is neither stored nor put in an address.

use crate::domain::card_check::StepUpFor;
use crate::error::ServerError;
use crate::forms::{FormAnswer, Posted, STEP_UP_REQUIRED};
use crate::state::AppState;
use crate::storage::logins::LoginRow;
use crate::storage::patients::PatientId;

/// Carries out the post named by its `action` field.
pub async fn answer(
    state: &AppState,
    login: &LoginRow,
    form: &Posted,
) -> Result<FormAnswer, ServerError> {
    match form.get("action").as_str() {
        "add_receipt" => add_receipt(state, login, form).await,
        "remove_receipt" => remove_receipt(state, login, form).await,
        "correct" => correct(state, login, form, false).await,
        "withdraw_correction" => correct(state, login, form, true).await,
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
    let errors = match Receipt::parse(&input, state.clock.today_japan()) {
        Ok(receipt) if fresh => {
            crate::storage::receipts::add(&state.db, patient, &receipt, state.clock.now()).await?;
            use chrono::Datelike;
            return Ok(FormAnswer::Done(format!(
                "/costs?year={}#receipts-heading",
                receipt.paid_on.year()
            )));
        }
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(|e| (e.field(), e.code())).collect(),
    };
    Ok(FormAnswer::Again {
        path: "/costs",
        fields: vec![
            ("r_paid_on", input.paid_on),
            ("r_payee", input.payee),
            ("r_kind", input.kind),
            ("r_amount", input.amount),
            ("r_reimbursed", input.reimbursed),
            ("r_errors", mistakes(errors, fresh)),
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

/// Records what was really paid and refunded for one month and institution, or withdraws it
/// (`withdraw`): both are kept as one more correction. Every mistake is reported at once and
/// the form comes back with what was typed; nothing is stored without a fresh card check.
async fn correct(
    state: &AppState,
    login: &LoginRow,
    form: &Posted,
    withdraw: bool,
) -> Result<FormAnswer, ServerError> {
    use crate::domain::cost::{
        CorrectionInput, CostCorrection, NoticeAmounts, current_corrections,
    };
    // Only the patient records what they paid: anyone else is refused before anything else.
    let patient = subject(login)?;
    let (month, code, lines) = super::correction::notice_lines(
        state,
        patient,
        &form.get("month"),
        &form.get("institution"),
    )
    .await?;
    let input = CorrectionInput {
        paid: form.get("paid"),
        reimbursed: form.get("reimbursed"),
    };
    let parsed = if withdraw {
        let stored = crate::storage::cost_corrections::corrections(&state.db, patient).await?;
        // Withdrawing nothing would only add a row to the history.
        if !current_corrections(&stored).contains_key(&(month, code.clone())) {
            return Ok(FormAnswer::Done(correction_page(month, &code, false)));
        }
        Ok(CostCorrection::withdrawal(month, code.clone()))
    } else {
        let notices = lines.iter().map(|l| &l.notice);
        CostCorrection::parse(month, code.clone(), &input, NoticeAmounts::of(notices))
    };
    let fresh = checked(state, login, StepUpFor::CorrectCosts).await?;
    let errors = match parsed {
        Ok(correction) if fresh => {
            crate::storage::cost_corrections::record(
                &state.db,
                patient,
                &correction,
                state.clock.now(),
            )
            .await?;
            return Ok(FormAnswer::Done(correction_page(month, &code, true)));
        }
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(|e| (e.field(), e.code())).collect(),
    };
    Ok(FormAnswer::Again {
        path: "/costs/correction",
        fields: vec![
            ("month", month.to_string()),
            ("institution", code.as_str().to_owned()),
            ("paid", input.paid),
            ("reimbursed", input.reimbursed),
            (
                "form",
                if withdraw { "withdraw" } else { "record" }.to_owned(),
            ),
            ("errors", mistakes(errors, fresh)),
        ],
    })
}

/// What a form comes back with: every mistake as `field:code`, and a card check that is too old
/// as one more (nothing is stored until the card has been checked).
fn mistakes(errors: Vec<(&str, &str)>, fresh: bool) -> String {
    let mut codes: Vec<String> = errors
        .into_iter()
        .map(|(field, code)| format!("{field}:{code}"))
        .collect();
    if !fresh {
        codes.push(STEP_UP_REQUIRED.to_owned());
    }
    codes.join(",")
}

fn correction_page(
    month: crate::domain::cost::CareMonth,
    code: &crate::domain::institution::InstitutionCode,
    saved: bool,
) -> String {
    let saved = if saved { "&saved=1" } else { "" };
    format!(
        "/costs/correction?month={month}&institution={}{saved}#current-heading",
        code.as_str()
    )
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
