//! The counter's posts, to `/counter` (carried out by `server::forms`): the staff sign the
//! terminal in and out; the patient confirms what to share for this visit, or cancels.

use super::{COUNTER_KINDS, CounterView};
use crate::domain::consent::{DataKind, Period, Standing, Terms};
use crate::error::ServerError;
use crate::forms::{FormAnswer, Posted};
use crate::state::AppState;
use crate::storage::consents::{self, Change, Changed};
use crate::storage::institutions::Institution;
use crate::storage::patients::PatientId;

/// The page again with one mistake, as the page's `error` field carries it.
fn again(code: &str) -> FormAnswer {
    FormAnswer::Again {
        path: "/counter",
        fields: vec![("error", code.to_owned())],
    }
}

fn done() -> FormAnswer {
    FormAnswer::Done("/counter".to_owned())
}

/// The form field of a kind's checkbox: the consent page's own.
fn kind_field(kind: DataKind) -> &'static str {
    crate::consent::ConsentQuery::kind_field(kind)
}

/// Carries out the post named by its `action` field.
pub async fn answer(
    state: &AppState,
    session: &tower_sessions::Session,
    client: &str,
    form: &Posted,
) -> Result<FormAnswer, ServerError> {
    let action = form.get("action");
    if action == "terminal" {
        return sign_in_terminal(state, session, client, &form.get("credential")).await;
    }
    let Some(institution) = super::terminal_of(state, session).await? else {
        return Ok(again("counter_no_terminal"));
    };
    match action.as_str() {
        "confirm" => confirm(state, session, &institution, form).await,
        "cancel" | "next" => {
            super::forget_patient(session).await?;
            Ok(done())
        }
        "end_terminal" => {
            super::forget_terminal(session).await?;
            Ok(done())
        }
        _ => Ok(done()),
    }
}

/// The staff's one step: the institution's credential, checked as the API checks it, with the
/// same limit on wrong ones per client address.
async fn sign_in_terminal(
    state: &AppState,
    session: &tower_sessions::Session,
    client: &str,
    token: &str,
) -> Result<FormAnswer, ServerError> {
    let now = state.clock.now();
    let key = format!("bad-credential:{client}");
    let limits = &state.institution_limits;
    let rule = crate::institution_api::BAD_CREDENTIALS_PER_CLIENT;
    if limits.check(&key, rule, now).is_err() {
        return Ok(again("too_many_attempts"));
    }
    let token = token.trim();
    if token.is_empty() {
        return Ok(again("counter_credential_required"));
    }
    match crate::institution_api::credentials::authenticate(&state.db, token).await? {
        Some((credential, _)) => {
            super::become_terminal(session, &credential.public_id).await?;
            Ok(done())
        }
        None => {
            limits.fail(&key, now);
            tracing::warn!(
                client,
                "counter terminal sign-in with an invalid credential"
            );
            Ok(again("counter_credential_invalid"))
        }
    }
}

/// The patient's choice for this visit: a visit consent (24 hours) for this institution only,
/// approved by the card check just made at this terminal. A consent that already allows all of
/// it for longer stays as it is.
async fn confirm(
    state: &AppState,
    session: &tower_sessions::Session,
    institution: &Institution,
    form: &Posted,
) -> Result<FormAnswer, ServerError> {
    let kinds: Vec<DataKind> = COUNTER_KINDS
        .into_iter()
        .filter(|k| !form.get(kind_field(*k)).is_empty())
        .collect();
    if kinds.is_empty() {
        // The card step stays: the patient only has to tick something.
        return Ok(again("consent_no_kinds"));
    }
    let Some(pending) = super::take_pending(state, session).await? else {
        return Ok(again("counter_card_expired"));
    };
    let now = state.clock.now();
    let patient = PatientId(pending.patient);
    let terms = Terms::new(
        &institution.code,
        kinds,
        Period::Visit,
        state.clock.today_japan(),
    )
    .map_err(|e| ServerError::internal(e.to_string()))?;
    let visit_ends = Period::Visit.ends_at(now);
    let open = consents::for_institution(&state.db, patient, &institution.code)
        .await?
        .into_iter()
        .find(|c| c.standing(now) == Standing::Active);
    if let Some(open) = open.filter(|c| terms.within(&c.terms, now, c.granted_at)) {
        let shown = CounterView::Confirmed {
            institution: institution.reference(),
            kinds: open.terms.kinds,
            until: open.expires_at,
            unchanged: true,
        };
        super::show_once(session, &shown).await?;
        return Ok(done());
    }
    let since = now - crate::storage::logins::STEP_UP_WINDOW;
    let Some(check) = consents::unused_check(&state.db, &pending.login_id, since).await? else {
        return Ok(again("counter_card_expired"));
    };
    let change = Change {
        patient,
        institution,
        terms: Some(&terms),
        proxy: None,
        check: &check,
        at: now,
        at_counter: true,
    };
    match consents::change(&state.db, &change).await? {
        Changed::Granted(_) | Changed::Replaced { .. } => {}
        Changed::CheckUsed | Changed::NothingOpen | Changed::Revoked(_) => {
            return Ok(again("counter_card_expired"));
        }
    }
    let shown = CounterView::Confirmed {
        institution: institution.reference(),
        kinds: terms.kinds,
        until: visit_ends,
        unchanged: false,
    };
    super::show_once(session, &shown).await?;
    Ok(done())
}
