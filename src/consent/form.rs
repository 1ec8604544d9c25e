//! The consent page's posts, to `/consents` (carried out by `server::forms`): grant or change a
//! consent, or revoke one. Each needs a card check made for it in the last five minutes that
//! has approved nothing else; the change, the check and the access log entry that binds the
//! terms to the check's challenge are written in one transaction.

use super::ConsentQuery;
use crate::domain::consent::{Period, Terms, TermsError};
use crate::error::{FieldError, ServerError};
use crate::forms::{FormAnswer, Posted, STEP_UP_REQUIRED};
use crate::principal::Act;
use crate::state::AppState;
use crate::storage::consents::{self, Change, Changed};
use crate::storage::logins::LoginRow;
use chrono::NaiveDate;

pub fn field_error(field: &str, code: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        code: code.to_owned(),
    }
}

/// The terms the query describes, or every mistake in it.
pub fn terms_of(
    q: &ConsentQuery,
    institution: &str,
    today: NaiveDate,
) -> Result<Terms, Vec<FieldError>> {
    let mut errors = Vec::new();
    let period = match q.period.trim() {
        "visit" => Some(Period::Visit),
        "until_revoked" => Some(Period::UntilRevoked),
        "until" => match crate::forms::parse_date(&q.until) {
            Ok(Some(day)) => Some(Period::Until(day)),
            Ok(None) => {
                errors.push(field_error("until", "required"));
                None
            }
            Err(_) => {
                errors.push(field_error("until", "invalid_date"));
                None
            }
        },
        _ => {
            errors.push(field_error("period", "consent_period_missing"));
            None
        }
    };
    let kinds = q.kinds();
    if kinds.is_empty() {
        errors.push(field_error("kinds", TermsError::NoKinds.code()));
    }
    let Some(period) = period else {
        return Err(errors);
    };
    // The period is checked even when no kind was ticked, so every mistake is named at once.
    let checked_kinds = if kinds.is_empty() {
        vec![crate::domain::consent::DataKind::Medications]
    } else {
        kinds
    };
    match Terms::new(institution, checked_kinds, period, today) {
        Ok(terms) if errors.is_empty() => Ok(terms),
        Ok(_) => Err(errors),
        Err(e) => {
            errors.push(field_error("until", e.code()));
            Err(errors)
        }
    }
}

fn query_of(form: &Posted) -> ConsentQuery {
    ConsentQuery {
        institution: form.get("institution").trim().to_owned(),
        k_medications: form.get("k_medications"),
        k_checkups: form.get("k_checkups"),
        k_cost_notices: form.get("k_cost_notices"),
        k_qualification: form.get("k_qualification"),
        period: form.get("period"),
        until: form.get("until"),
        action: form.get("action"),
        ..ConsentQuery::default()
    }
}

/// The page again, with what was posted, the preview (for a grant) and the mistakes.
fn again(q: ConsentQuery, errors: &[String]) -> FormAnswer {
    if q.action == "revoke" {
        return FormAnswer::Again {
            path: "/consents",
            fields: vec![
                ("institution", q.institution),
                ("action", q.action),
                ("errors", errors.join(",")),
            ],
        };
    }
    FormAnswer::Again {
        path: "/consents",
        fields: vec![
            ("action", q.action),
            ("institution", q.institution),
            ("k_medications", q.k_medications),
            ("k_checkups", q.k_checkups),
            ("k_cost_notices", q.k_cost_notices),
            ("k_qualification", q.k_qualification),
            ("period", q.period),
            ("until", q.until),
            ("preview", "1".to_owned()),
            ("errors", errors.join(",")),
        ],
    }
}

/// Carries out the post named by its `action` field.
pub async fn answer(
    state: &AppState,
    login: &LoginRow,
    form: &Posted,
) -> Result<FormAnswer, ServerError> {
    let q = query_of(form);
    let (_, patient) =
        crate::viewer::allowed(crate::viewer::principal_of(login), Act::ManageConsent)?;
    let now = state.clock.now();
    let Some(institution) =
        crate::storage::institutions::by_code(&state.db, &q.institution).await?
    else {
        return Ok(again(q, &["institution:institution_unknown".to_owned()]));
    };
    let revoke = match q.action.as_str() {
        "grant" => false,
        "revoke" => true,
        _ => return Ok(again(q, &[])),
    };
    let terms = if revoke {
        None
    } else {
        match terms_of(&q, &institution.code, state.clock.today_japan()) {
            Ok(t) => Some(t),
            Err(errors) => {
                let codes: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{}:{}", e.field, e.code))
                    .collect();
                return Ok(again(q, &codes));
            }
        }
    };
    let since = now - crate::storage::logins::STEP_UP_WINDOW;
    let Some(check) = consents::unused_check(&state.db, &login.id, since).await? else {
        return Ok(again(q, &[STEP_UP_REQUIRED.to_owned()]));
    };
    let change = Change {
        patient,
        institution: &institution,
        terms: terms.as_ref(),
        proxy: login.acting.as_deref(),
        check: &check,
        at: now,
        at_counter: false,
    };
    let done = match consents::change(&state.db, &change).await? {
        Changed::Granted(_) => "granted",
        Changed::Replaced { .. } => "changed",
        Changed::Revoked(_) => "revoked",
        Changed::NothingOpen => {
            return Ok(again(q, &["institution:consent_not_active".to_owned()]));
        }
        Changed::CheckUsed => return Ok(again(q, &[STEP_UP_REQUIRED.to_owned()])),
    };
    Ok(FormAnswer::Done(format!(
        "/consents?done={done}&institution={}#current-heading",
        institution.code
    )))
}
