//! The report form's post (works without JavaScript): on success back to the log, at the list
//! of reports; on a mistake the form again, in the post's answer, with what was typed.

use crate::domain::access_report::parse;
use crate::error::ServerError;
use crate::forms::{FormAnswer, Posted};
use crate::state::AppState;
use crate::storage::access_reports::AccessReportError;
use crate::storage::logins::LoginRow;

pub async fn answer(
    state: &AppState,
    login: &LoginRow,
    form: &Posted,
) -> Result<FormAnswer, ServerError> {
    let (_, patient) = crate::viewer::allowed(
        crate::viewer::principal_of(login),
        crate::principal::Act::ReadAccessLog,
    )?;
    let entry: i64 = form
        .get("entry")
        .trim()
        .parse()
        .map_err(|_| ServerError::NotFound)?;
    // Another patient's entry is answered as one that does not exist.
    let logged = crate::storage::access_log::entry_of(&state.db, patient, entry)
        .await?
        .ok_or(ServerError::NotFound)?;
    let concern = form.get("concern");
    let note = crate::domain::normalize::normalize_text(&form.get("note"));
    let parsed = match parse(logged.entry.actor_kind, &concern, &note) {
        Ok(c) => c,
        Err(e) => {
            return Ok(FormAnswer::Again {
                path: "/access-log/report",
                fields: vec![
                    ("entry", entry.to_string()),
                    ("error", e.code().to_owned()),
                    ("concern", concern),
                    ("note", note),
                ],
            });
        }
    };
    // A report asks the operators to look; it changes no data, so it needs no card check.
    let now = state.clock.now();
    match crate::storage::access_reports::report(&state.db, patient, entry, parsed, &note, now)
        .await
    {
        Ok(_) | Err(AccessReportError::AlreadyReported) => Ok(FormAnswer::Done(
            "/access-log?reported=1#reports-heading".to_owned(),
        )),
        Err(AccessReportError::NotFound) => Err(ServerError::NotFound),
        Err(AccessReportError::NotOpen) => Err(ServerError::internal("a new report is open")),
        Err(AccessReportError::Storage(e)) => Err(e.into()),
    }
}
