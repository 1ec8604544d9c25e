//! 家族・代理人: who acts for the signed-in person (with revoke), their open invitations (with
//! cancel), the invitation form, whom they act for (with the switch), and the acceptance form.
//! Every form is a plain post; inviting and revoking ask for a card check first (the page comes
//! back offering it when none is fresh).

use crate::domain::card_check::StepUpFor;
use crate::domain::proxy::{Kind, Scope, Standing};
use crate::error::FieldError;
use crate::format;
use crate::i18n::*;
use crate::proxies::{GrantView, ProxiesPage, load_proxies};
use crate::ui::card_check::CardCheck;
use crate::ui::page_title::PageTitle;
use crate::ui::records::{FieldErrors, RecordsGate};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What the post that brought the page back sent, and what was wrong with it.
#[derive(Clone, Default)]
struct Typed {
    action: String,
    member: String,
    scope: String,
    until: String,
    revoke: String,
    confirm: String,
    done: String,
    errors: Vec<FieldError>,
}

#[component]
pub fn ProxiesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let (typed, issued) = query.with_untracked(|q| {
        let get = |k: &str| q.get(k).unwrap_or_default();
        (
            Typed {
                action: get("action"),
                member: get("member"),
                scope: get("scope"),
                until: get("until"),
                revoke: get("revoke"),
                confirm: get("confirm"),
                done: get("done"),
                errors: FieldError::parse_list(&get("errors")),
            },
            get("issued"),
        )
    });
    provide_context(typed);
    view! {
        <PageTitle text=t_string!(i18n, page_proxies).to_string() />
        <h1>{t!(i18n, page_proxies)}</h1>
        <p class="lead">{t!(i18n, proxies_lead)}</p>
        <RecordsGate load=load_proxies(issued) live=true render=|page| view! { <Proxies page /> }.into_any() />
    }
}

fn scope_label(l: Locale, s: Scope) -> String {
    match s {
        Scope::ViewRecords => td_string!(l, proxy_scope_view_records),
        Scope::ManageConsent => td_string!(l, proxy_scope_manage_consent),
    }
    .to_string()
}

fn standing_label(l: Locale, s: Standing) -> String {
    match s {
        Standing::Active => td_string!(l, proxy_standing_active),
        Standing::Suspended => td_string!(l, proxy_standing_suspended),
        Standing::Expired => td_string!(l, proxy_standing_expired),
        Standing::Ended(_) => td_string!(l, proxy_standing_ended),
    }
    .to_string()
}

#[component]
fn Proxies(page: ProxiesPage) -> impl IntoView {
    let i18n = use_i18n();
    let typed = use_context::<Typed>().unwrap_or_default();
    let done = match typed.done.as_str() {
        "revoked" => Some(td_string!(i18n.get_locale_untracked(), proxy_done_revoked).to_string()),
        "cancelled" => {
            Some(td_string!(i18n.get_locale_untracked(), proxy_done_cancelled).to_string())
        }
        "accepted" => {
            Some(td_string!(i18n.get_locale_untracked(), proxy_done_accepted).to_string())
        }
        "confirmed" => {
            Some(td_string!(i18n.get_locale_untracked(), proxy_done_confirmed).to_string())
        }
        _ => None,
    };
    let acting = page.acting_for.clone();
    view! {
        {done.map(|d| view! { <p class="notice notice--info" role="status">{d}</p> })}
        {match acting {
            Some(name) => view! {
                <p class="notice notice--info">{td_string!(i18n.get_locale_untracked(), proxy_acting_only_self, name = name).to_string()}</p>
            }.into_any(),
            None => view! {
                <Mine page=page.clone() />
                <Invite page=page.clone() />
            }.into_any(),
        }}
        <Theirs page=page.clone() />
    }
}

/// Who acts for me, each with its state and a revoke button while it is open.
#[component]
fn Mine(page: ProxiesPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let typed = use_context::<Typed>().unwrap_or_default();
    view! {
        <section class="section" aria-labelledby="mine-heading">
            <h2 id="mine-heading">{t!(i18n, proxy_mine_heading)}</h2>
            {page.mine.iter().any(|g| g.standing == Standing::Suspended).then(|| view! {
                <div class="notice notice--warning"><p>{t!(i18n, proxy_suspended_lead)}</p></div>
            })}
            {if page.mine.is_empty() {
                view! { <p class="empty">{t!(i18n, proxy_mine_none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="card-list">
                        {page.mine.into_iter().map(|g| {
                            let form_id = format!("revoke-{}", g.id);
                            let confirm_id = format!("confirm-{}", g.id);
                            let open = matches!(g.standing, Standing::Active | Standing::Suspended);
                            let paused = g.standing == Standing::Suspended;
                            let check = typed.revoke == g.id.to_string();
                            let confirm_check = typed.confirm == g.id.to_string();
                            let label = td_string!(l, proxy_revoke_label, name = g.name.clone()).to_string();
                            let confirm_label = td_string!(l, proxy_confirm_label, name = g.name.clone()).to_string();
                            view! {
                                <li class="card">
                                    <GrantFacts grant=g.clone() />
                                    {check.then(|| view! {
                                        <div class="notice notice--error" role="alert">
                                            <p>{t!(i18n, err_step_up_required)}</p>
                                        </div>
                                        <CardCheck purpose=StepUpFor::ManageProxies form_id=form_id.clone() />
                                    })}
                                    {confirm_check.then(|| view! {
                                        <div class="notice notice--error" role="alert">
                                            <p>{t!(i18n, err_step_up_required)}</p>
                                        </div>
                                        <CardCheck purpose=StepUpFor::ManageProxies form_id=confirm_id.clone() />
                                    })}
                                    {paused.then(|| view! {
                                        <form method="post" action="/proxies" class="inline-form" id=confirm_id.clone()>
                                            <input type="hidden" name="action" value="confirm" />
                                            <input type="hidden" name="grant" value=g.id.to_string() />
                                            <button type="submit" class="button button--primary" aria-label=confirm_label>{t!(i18n, proxy_confirm)}</button>
                                        </form>
                                    })}
                                    {open.then(|| view! {
                                        <form method="post" action="/proxies" class="inline-form" id=form_id.clone()>
                                            <input type="hidden" name="action" value="revoke" />
                                            <input type="hidden" name="grant" value=g.id.to_string() />
                                            <button type="submit" class="button button--danger" aria-label=label>{t!(i18n, proxy_revoke)}</button>
                                        </form>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!page.invitations.is_empty()).then(|| view! {
                <h3 id="invitations-heading">{t!(i18n, proxy_invitations_heading)}</h3>
                <ul class="card-list">
                    {page.invitations.iter().map(|i| view! {
                        <li class="card">
                            <p class="card__lead">{scope_label(l, i.scope)}</p>
                            <p>{td_string!(l, proxy_invitation_facts, until = format::date(l, i.until), expires = format::timestamp(l, i.expires_at)).to_string()}</p>
                            <form method="post" action="/proxies" class="inline-form">
                                <input type="hidden" name="action" value="cancel" />
                                <input type="hidden" name="invitation" value=i.id.to_string() />
                                <button type="submit" class="button button--secondary">{t!(i18n, proxy_cancel_invitation)}</button>
                            </form>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
fn GrantFacts(grant: GrantView) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let g = grant;
    view! {
        <p class="card__lead">{g.name.clone()}
            {(g.kind == Kind::Guardian).then(|| view! { " " <span class="tag">{t!(i18n, proxy_kind_guardian)}</span> })}
            " " <span class="tag" class:tag--warning=g.standing != Standing::Active>{standing_label(l, g.standing)}</span>
        </p>
        <dl class="facts facts--compact">
            <div><dt>{t!(i18n, proxy_scope)}</dt><dd>{scope_label(l, g.scope)}</dd></div>
            <div><dt>{t!(i18n, proxy_until)}</dt><dd>{format::date(l, g.until)}</dd></div>
            <div><dt>{t!(i18n, proxy_granted_at)}</dt><dd>{format::timestamp(l, g.granted_at)}</dd></div>
        </dl>
    }
}

/// The invitation form, or the code just made (shown once).
#[component]
fn Invite(page: ProxiesPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let typed = use_context::<Typed>().unwrap_or_default();
    let inviting = typed.action == "invite";
    let errors: Vec<FieldError> = if inviting {
        typed.errors.clone()
    } else {
        Vec::new()
    };
    let step_up = errors.iter().any(|e| e.code == "step_up_required");
    let shown: Vec<FieldError> = errors
        .iter()
        .filter(|e| e.code != "step_up_required")
        .cloned()
        .collect();
    let has = |f: &str| shown.iter().any(|e| e.field == f);
    let (member_error, scope_error, until_error) = (has("member"), has("scope"), has("until"));
    let scope_now = if typed.scope.is_empty() {
        Scope::ViewRecords.as_str().to_owned()
    } else {
        typed.scope.clone()
    };
    let until_value = if typed.until.is_empty() {
        page.until_default.to_string()
    } else {
        typed.until.clone()
    };
    view! {
        <section class="section" aria-labelledby="invite-heading">
            <h2 id="invite-heading">{t!(i18n, proxy_invite_heading)}</h2>
            {match page.issued.clone() {
                Some(code) => view! {
                    <div class="notice notice--info" role="status">
                        <p>{t!(i18n, proxy_issued_lead)}</p>
                        <p class="code-display"><strong>{code}</strong></p>
                        <p>{t!(i18n, proxy_issued_hint)}</p>
                    </div>
                }.into_any(),
                None => ().into_any(),
            }}
            <p>{t!(i18n, proxy_invite_lead)}</p>
            <FieldErrors errors=shown.clone() heading=td_string!(l, form_errors_heading).to_string() labels=vec![
                ("member".to_owned(), td_string!(l, proxy_member).to_string()),
                ("scope".to_owned(), td_string!(l, proxy_scope).to_string()),
                ("until".to_owned(), td_string!(l, proxy_until).to_string()),
            ] />
            {step_up.then(|| view! {
                <div class="notice notice--error" role="alert"><p>{t!(i18n, err_step_up_required)}</p></div>
                <CardCheck purpose=StepUpFor::ManageProxies form_id="invite-form".to_owned() />
            })}
            <form method="post" action="/proxies" class="form" id="invite-form">
                <input type="hidden" name="action" value="invite" />
                <div class="field" class:field--error=member_error>
                    <label for="f-member">{t!(i18n, proxy_member)}</label>
                    <span class="hint" id="f-member-hint">{t!(i18n, proxy_member_hint)}</span>
                    <input id="f-member" name="member" type="text" autocomplete="off" required=true
                        value=typed.member.clone() aria-describedby="f-member-hint"
                        aria-invalid=member_error.then_some("true") />
                </div>
                <fieldset class="field" class:field--error=scope_error>
                    <legend id="f-scope">{t!(i18n, proxy_scope)}</legend>
                    {[Scope::ViewRecords, Scope::ManageConsent].into_iter().map(|s| {
                        let id = format!("f-scope-{}", s.as_str());
                        view! {
                            <div class="choice">
                                <input type="radio" id=id.clone() name="scope" value=s.as_str() checked=scope_now == s.as_str() />
                                <label for=id>{scope_label(l, s)}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field" class:field--error=until_error>
                    <label for="f-until">{t!(i18n, proxy_until)}</label>
                    <span class="hint" id="f-until-hint">{td_string!(l, proxy_until_hint, max = format::date(l, page.until_max)).to_string()}</span>
                    <input id="f-until" name="until" type="date" value=until_value
                        min=page.today.succ_opt().unwrap_or(page.today).to_string() max=page.until_max.to_string()
                        aria-describedby="f-until-hint" aria-invalid=until_error.then_some("true") />
                </div>
                <p class="hint">{t!(i18n, proxy_invite_card)}</p>
                <p class="actions"><button type="submit" class="button button--primary">{t!(i18n, proxy_invite_submit)}</button></p>
            </form>
        </section>
    }
}

/// Whom I act for, with the switch; and the form to accept an invitation.
#[component]
fn Theirs(page: ProxiesPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let typed = use_context::<Typed>().unwrap_or_default();
    let errors: Vec<FieldError> = if typed.action == "accept" {
        typed.errors.clone()
    } else {
        Vec::new()
    };
    let code_error = !errors.is_empty();
    let acting = page.acting_for.is_some();
    view! {
        <section class="section" aria-labelledby="theirs-heading">
            <h2 id="theirs-heading">{t!(i18n, proxy_theirs_heading)}</h2>
            {if page.theirs.is_empty() {
                view! { <p class="empty">{t!(i18n, proxy_theirs_none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="card-list">
                        {page.theirs.into_iter().map(|g| {
                            let active = g.standing == Standing::Active;
                            let label = td_string!(l, proxy_act_label, name = g.name.clone()).to_string();
                            view! {
                                <li class="card">
                                    <GrantFacts grant=g.clone() />
                                    {active.then(|| view! {
                                        <form method="post" action="/proxies" class="inline-form">
                                            <input type="hidden" name="action" value="act" />
                                            <input type="hidden" name="grant" value=g.id.to_string() />
                                            <button type="submit" class="button button--primary">{label}</button>
                                        </form>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {acting.then(|| view! {
                <form method="post" action="/proxies" class="inline-form">
                    <input type="hidden" name="action" value="act" />
                    <input type="hidden" name="grant" value="self" />
                    <button type="submit" class="button button--secondary">{t!(i18n, proxy_act_self)}</button>
                </form>
            })}
        </section>
        {(!acting).then(|| view! {
            <section class="section" aria-labelledby="accept-heading">
                <h2 id="accept-heading">{t!(i18n, proxy_accept_heading)}</h2>
                <p>{t!(i18n, proxy_accept_lead)}</p>
                <FieldErrors errors=errors.clone() heading=td_string!(l, form_errors_heading).to_string() labels=vec![
                    ("code".to_owned(), td_string!(l, proxy_code).to_string()),
                ] />
                <form method="post" action="/proxies" class="form" id="accept-form">
                    <input type="hidden" name="action" value="accept" />
                    <div class="field" class:field--error=code_error>
                        <label for="f-code">{t!(i18n, proxy_code)}</label>
                        <span class="hint" id="f-code-hint">{t!(i18n, proxy_code_hint)}</span>
                        <input id="f-code" name="code" type="text" autocomplete="off" required=true
                            aria-describedby="f-code-hint" aria-invalid=code_error.then_some("true") />
                    </div>
                    <p class="actions"><button type="submit" class="button button--primary">{t!(i18n, proxy_accept_submit)}</button></p>
                </form>
            </section>
        })}
    }
}
