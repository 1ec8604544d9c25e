//! `POST /proxies` (carried out by `server::forms`), by its `action` field:
//! - `invite`: the patient names the proxy's insured-person number, the scope and the last day,
//!   with a card check made for it; the answer shows the one-time code once;
//! - `cancel`: the patient cancels an invitation not yet accepted;
//! - `revoke`: the patient ends a proxy's access at once, with a card check made for it;
//! - `confirm`: the patient lets a proxy paused by a card change act again, with a card check;
//! - `accept`: the invited person, signed in with their own card, types the code;
//! - `act`: the signed-in person chooses to act for someone they are a proxy of, or for
//!   themself again (`grant` = `self`).
//!
//! Every id is looked up among the signed-in person's own grants and invitations: another
//! person's is answered as not found. Every change is in the patient's access log.

use crate::auth::enrollment_code::EnrollmentCode;
use crate::domain::access_log::{Action, ActorKind, Entry, Outcome};
use crate::domain::card_check::StepUpFor;
use crate::domain::proxy::{self, ProxyError, Standing};
use crate::error::ServerError;
use crate::forms::{FormAnswer, Posted, STEP_UP_REQUIRED};
use crate::principal::Act;
use crate::state::AppState;
use crate::storage::logins::LoginRow;
use crate::storage::patients::PatientId;
use crate::storage::proxies::{self as stored, ProxiesError};

pub async fn answer(
    state: &AppState,
    login: &LoginRow,
    form: &Posted,
) -> Result<FormAnswer, ServerError> {
    match form.get("action").as_str() {
        "invite" => invite(state, login, form).await,
        "cancel" => cancel(state, login, form).await,
        "revoke" => revoke(state, login, form).await,
        "confirm" => confirm(state, login, form).await,
        "accept" => accept(state, login, form).await,
        "act" => act(state, login, form).await,
        _ => Ok(FormAnswer::Done("/proxies".to_owned())),
    }
}

/// The patient themself: proxies are never managed by a proxy.
fn patient_only(login: &LoginRow) -> Result<PatientId, ServerError> {
    crate::viewer::allowed(crate::viewer::principal_of(login), Act::ManageProxies)
        .map(|(_, patient)| patient)
}

fn entry(at: chrono::DateTime<chrono::Utc>, action: Action) -> Entry {
    Entry::new(at, ActorKind::Patient, action, Outcome::Done)
}

fn again(fields: Vec<(&'static str, String)>) -> FormAnswer {
    FormAnswer::Again {
        path: "/proxies",
        fields,
    }
}

async fn fresh_check(state: &AppState, login: &LoginRow) -> Result<bool, ServerError> {
    Ok(crate::auth::flows::checked_for(
        &state.db,
        login,
        StepUpFor::ManageProxies,
        state.clock.now(),
    )
    .await?)
}

async fn invite(
    state: &AppState,
    login: &LoginRow,
    form: &Posted,
) -> Result<FormAnswer, ServerError> {
    let me = patient_only(login)?;
    let today = state.clock.today_japan();
    let (member_text, scope_text, until_text) =
        (form.get("member"), form.get("scope"), form.get("until"));
    let mut errors = Vec::new();
    let member = crate::domain::qualification::Member::parse(member_text.trim())
        .map_err(|_| errors.push("member:member_format".to_owned()))
        .ok();
    let scope = proxy::parse_scope(&scope_text)
        .map_err(|e| errors.push(format!("scope:{}", e.code())))
        .ok();
    let until = match crate::forms::parse_date(&until_text) {
        Ok(day) => proxy::grant_until(day, today)
            .map_err(|e| errors.push(format!("until:{}", e.code())))
            .ok(),
        Err(_) => {
            errors.push("until:invalid_date".to_owned());
            None
        }
    };
    if let Some(m) = &member
        && crate::storage::patients::by_member(&state.db, m, today).await? == Some(me)
    {
        errors.push(format!("member:{}", ProxyError::SelfInvite.code()));
    }
    let typed = |errors: Vec<String>| {
        again(vec![
            ("action", "invite".to_owned()),
            ("member", member_text.clone()),
            ("scope", scope_text.clone()),
            ("until", until_text.clone()),
            ("errors", errors.join(",")),
        ])
    };
    let (Some(member), Some(scope), Some(until)) = (member, scope, until) else {
        return Ok(typed(errors));
    };
    if !errors.is_empty() {
        return Ok(typed(errors));
    }
    if !fresh_check(state, login).await? {
        return Ok(typed(vec![STEP_UP_REQUIRED.to_owned()]));
    }
    let now = state.clock.now();
    let code = EnrollmentCode::generate(&mut rand::rng());
    let mut logged = entry(now, Action::ProxyInvited);
    logged.reason = Some(scope.as_str().to_owned());
    logged.detail = serde_json::json!({ "until": until }).to_string();
    stored::invite(
        &state.db,
        &stored::NewInvitation {
            patient: me,
            proxy_member: &stored::member_text(&member),
            code_hash: &code.keyed_hash(&state.auth.key),
            scope,
            until,
            at: now,
            expires_at: now + proxy::INVITATION_VALID,
            entry: &logged,
        },
    )
    .await?;
    // Shown once, in this answer: never in an address, never stored readable.
    Ok(again(vec![("issued", code.display_grouped())]))
}

fn id_of(form: &Posted, name: &str) -> Result<i64, ServerError> {
    form.get(name)
        .trim()
        .parse()
        .map_err(|_| ServerError::NotFound)
}

async fn cancel(
    state: &AppState,
    login: &LoginRow,
    form: &Posted,
) -> Result<FormAnswer, ServerError> {
    let me = patient_only(login)?;
    let id = id_of(form, "invitation")?;
    let now = state.clock.now();
    if stored::cancel_invitation(
        &state.db,
        me,
        id,
        now,
        &entry(now, Action::ProxyInvitationCancelled),
    )
    .await?
    {
        Ok(FormAnswer::Done(
            "/proxies?done=cancelled#invitations-heading".to_owned(),
        ))
    } else {
        Err(ServerError::NotFound)
    }
}

/// One of the patient's own grants that `fits` now, named by the form's `grant`, once a card
/// check made for managing proxies is fresh: `Err(NotFound)` for anyone else's (asked before
/// any card check), `Ok(Err(page))` when the page must come back asking for the card first,
/// with `action` naming the button the check is for.
async fn own_grant_checked(
    state: &AppState,
    login: &LoginRow,
    form: &Posted,
    action: &'static str,
    fits: impl Fn(&proxy::Grant) -> bool,
) -> Result<Result<(PatientId, stored::Listed), FormAnswer>, ServerError> {
    let me = patient_only(login)?;
    let id = id_of(form, "grant")?;
    let Some(grant) = stored::of_patient(&state.db, me)
        .await?
        .into_iter()
        .find(|l| l.grant.id == id && fits(&l.grant))
    else {
        return Err(ServerError::NotFound);
    };
    if !fresh_check(state, login).await? {
        return Ok(Err(again(vec![
            (action, id.to_string()),
            ("errors", STEP_UP_REQUIRED.to_owned()),
        ])));
    }
    Ok(Ok((me, grant)))
}

/// A change to a grant, carried out: the proxy's sessions then ask the database again at once
/// (the grant is read on every request anyway; this drops the reused login checks too).
fn changed(
    state: &AppState,
    grant: &stored::Listed,
    done: Result<(), ProxiesError>,
    to: &str,
) -> Result<FormAnswer, ServerError> {
    match done {
        Ok(()) => {}
        Err(ProxiesError::NotFound) => return Err(ServerError::NotFound),
        Err(ProxiesError::Refused(e)) => return Err(ServerError::internal(e)),
        Err(ProxiesError::Storage(e)) => return Err(e.into()),
    }
    state.recent_logins.forget_patient(grant.other.0);
    Ok(FormAnswer::Done(to.to_owned()))
}

async fn revoke(
    state: &AppState,
    login: &LoginRow,
    form: &Posted,
) -> Result<FormAnswer, ServerError> {
    let (me, grant) =
        match own_grant_checked(state, login, form, "revoke", |g| g.ended_at.is_none()).await? {
            Ok(found) => found,
            Err(page) => return Ok(page),
        };
    let now = state.clock.now();
    let mut logged = entry(now, Action::ProxyRevoked);
    logged.detail = serde_json::json!({ "grant": grant.grant.id }).to_string();
    let done = stored::revoke(&state.db, me, grant.grant.id, now, &logged).await;
    changed(state, &grant, done, "/proxies?done=revoked#mine-heading")
}

/// The patient confirms a proxy paused when their card was stopped or reissued: with a fresh
/// card check, so only the holder of the new card can let anyone back in.
async fn confirm(
    state: &AppState,
    login: &LoginRow,
    form: &Posted,
) -> Result<FormAnswer, ServerError> {
    let now = state.clock.now();
    let paused = |g: &proxy::Grant| g.standing(now) == Standing::Suspended;
    let (me, grant) = match own_grant_checked(state, login, form, "confirm", paused).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let mut logged = entry(now, Action::ProxyConfirmed);
    logged.actor_name = Some(grant.name.clone());
    logged.detail = serde_json::json!({ "grant": grant.grant.id }).to_string();
    let done = stored::confirm(&state.db, me, grant.grant.id, &logged).await;
    changed(state, &grant, done, "/proxies?done=confirmed#mine-heading")
}

async fn accept(
    state: &AppState,
    login: &LoginRow,
    form: &Posted,
) -> Result<FormAnswer, ServerError> {
    // Accepting is for oneself, signed in with one's own card, not while acting for someone.
    let proxy = patient_only(login)?;
    let typed = form.get("code");
    let refuse = |code: &str| {
        Ok(again(vec![
            ("action", "accept".to_owned()),
            ("errors", format!("code:{code}")),
        ]))
    };
    let code = match EnrollmentCode::parse(&typed) {
        Ok(code) => code,
        Err(e) => return refuse(e.code()),
    };
    let today = state.clock.today_japan();
    let members = stored::member_texts(&state.db, proxy, today).await?;
    let now = state.clock.now();
    let (_, name) = crate::storage::patients::identity(&state.db, proxy).await?;
    let accepted = stored::accept(
        &state.db,
        &stored::Acceptance {
            proxy,
            members: &members,
            at: now,
        },
        |hash| code.matches(&state.auth.key, hash),
        |_, grant| {
            let mut e = Entry::new(now, ActorKind::Proxy, Action::ProxyGranted, Outcome::Done);
            e.actor_code = Some(proxy::actor_code(grant));
            e.actor_name = Some(name.clone());
            e
        },
    )
    .await;
    match accepted {
        Ok((patient, _)) => {
            state.recent_logins.forget_patient(patient.0);
            Ok(FormAnswer::Done(
                "/proxies?done=accepted#theirs-heading".to_owned(),
            ))
        }
        Err(ProxiesError::Refused(e)) => refuse(e.code()),
        Err(ProxiesError::NotFound) => Err(ServerError::NotFound),
        Err(ProxiesError::Storage(e)) => Err(e.into()),
    }
}

async fn act(state: &AppState, login: &LoginRow, form: &Posted) -> Result<FormAnswer, ServerError> {
    let me = PatientId(login.patient_id);
    let grant = if form.get("grant").trim() == "self" {
        None
    } else {
        let id = id_of(form, "grant")?;
        match stored::acting(&state.db, me, id).await? {
            Some(acting) if acting.grant.active(state.clock.now()) => Some(id),
            // Someone else's grant, or one that no longer allows it.
            _ => return Err(ServerError::NotFound),
        }
    };
    crate::storage::logins::set_acting(&state.db, &login.id, grant).await?;
    // This login's next request reads the choice, not the login kept for a second.
    state.recent_logins.forget_patient(me.0);
    Ok(FormAnswer::Done("/".to_owned()))
}
