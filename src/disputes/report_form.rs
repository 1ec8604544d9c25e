//! The report form's post (works without JavaScript): on success back to the record's page, on
//! a mistake the form again, in the post's answer, with the error and what was typed.

use super::{DisputeReason, NOTE_MAX_CHARS, RecordKind};
use crate::domain::card_check::StepUpFor;
use crate::error::ServerError;
use crate::forms::{FormAnswer, Posted};
use crate::state::AppState;
use crate::storage::disputes::DisputeError;
use crate::storage::logins::LoginRow;

pub async fn answer(
    state: &AppState,
    login: &LoginRow,
    form: &Posted,
) -> Result<FormAnswer, ServerError> {
    let kind = RecordKind::parse(&form.get("kind")).ok_or(ServerError::NotFound)?;
    let record_id: i64 = form
        .get("id")
        .trim()
        .parse()
        .map_err(|_| ServerError::NotFound)?;
    let reason = form.get("reason");
    let note = crate::domain::normalize::normalize_text(&form.get("note"));
    let again = |code: &str| FormAnswer::Again {
        path: "/report",
        fields: vec![
            ("kind", kind.as_str().to_owned()),
            ("id", record_id.to_string()),
            ("error", code.to_owned()),
            ("reason", reason.clone()),
            ("note", note.clone()),
        ],
    };
    let Some(parsed) = DisputeReason::parse(&reason) else {
        return Ok(again("reason_missing"));
    };
    if note.chars().count() > NOTE_MAX_CHARS {
        return Ok(again("note_too_long"));
    }
    // A report takes a record out of every view and download: it needs a card check from the
    // last five minutes, like every change to the patient's data.
    let now = state.clock.now();
    let checked =
        crate::auth::flows::checked_for(&state.db, login, StepUpFor::ReportRecord, now).await?;
    if !checked {
        return Ok(again("step_up_required"));
    }
    let (_, patient) = crate::viewer::allowed(
        crate::viewer::principal_of(login),
        crate::principal::Act::ChangeRecords,
    )?;
    match crate::storage::disputes::report(&state.db, patient, kind, record_id, parsed, &note, now)
        .await
    {
        Ok(_) | Err(DisputeError::AlreadyReported) => Ok(FormAnswer::Done(format!(
            "{}?reported=1#disputes-heading",
            super::page_of(kind)
        ))),
        Err(DisputeError::NotFound) => Err(ServerError::NotFound),
        Err(e) => Err(e.into()),
    }
}
