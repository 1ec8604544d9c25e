//! The patient's sessions, cards and the record of sign-ins and card changes.

use crate::account::{AccountView, CardView, load_account};
use crate::format;
use crate::i18n::*;
use crate::ui::auth_message::{AuthError, StepError, Working, hydrated, message};
use crate::ui::page_title::PageTitle;
use crate::ui::records::RecordsGate;
use crate::ui::table::DataTable;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=t_string!(i18n, page_account).to_string() />
        <h1>{t!(i18n, page_account)}</h1>
        <RecordsGate
            load=load_account()
            live=true
            render=|account| view! { <Account account /> }.into_any()
            not_found=acting
        />
    }
}

/// Acting for someone: their cards are never the proxy's to see.
fn acting() -> AnyView {
    let i18n = use_i18n();
    view! {
        <p class="notice notice--info">{t!(i18n, account_acting)}</p>
        <p><a href="/proxies#theirs-heading">{t!(i18n, page_proxies)}</a></p>
    }
    .into_any()
}

pub fn event_label(i18n: leptos_i18n::I18nContext<Locale>, kind: &str) -> String {
    match kind {
        "enrollment_code_issued" => t_string!(i18n, event_enrollment_code_issued),
        "card_added" => t_string!(i18n, event_card_added),
        "card_revoked" => t_string!(i18n, event_card_revoked),
        "card_disabled" => t_string!(i18n, event_card_disabled),
        "signed_in" => t_string!(i18n, event_signed_in),
        "sign_in_failed" => t_string!(i18n, event_sign_in_failed),
        "session_ended" => t_string!(i18n, event_session_ended),
        "card_checked" => t_string!(i18n, event_card_checked),
        _ => "",
    }
    .to_string()
}

fn reason_label(i18n: leptos_i18n::I18nContext<Locale>, reason: &str) -> String {
    match reason {
        "idle" => t_string!(i18n, reason_idle).to_string(),
        "absolute" => t_string!(i18n, reason_absolute).to_string(),
        "signed_out" => t_string!(i18n, reason_signed_out).to_string(),
        "signed_out_elsewhere" => t_string!(i18n, reason_signed_out_elsewhere).to_string(),
        "card_revoked" => t_string!(i18n, reason_card_revoked).to_string(),
        "reenrolment" => t_string!(i18n, reason_reenrolment).to_string(),
        "lost" => t_string!(i18n, reason_lost).to_string(),
        "counter_regression" => t_string!(i18n, reason_counter_regression).to_string(),
        other => crate::ui::auth_message::message(i18n, other, None),
    }
}

#[component]
fn Account(account: AccountView) -> impl IntoView {
    let i18n = use_i18n();
    let others = account.sessions.iter().filter(|s| !s.current).count();
    view! {
        <section class="section" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">{t!(i18n, account_sessions_heading)}</h2>
            <ul class="card-list">
                {account.sessions.into_iter().map(|s| {
                    let (signed, seen, current) = (s.signed_in_at, s.last_seen_at, s.current);
                    view! {
                        <li class="card">
                            <p class="card__lead">{s.browser.clone()}
                                {current.then(|| view! { " " <span class="tag">{t!(i18n, account_this_browser)}</span> })}
                            </p>
                            <dl class="facts facts--compact">
                                <div><dt>{t!(i18n, account_signed_in_at)}</dt><dd>{move || format::timestamp(i18n.get_locale(), signed)}</dd></div>
                                <div><dt>{t!(i18n, account_last_seen)}</dt><dd>{move || format::timestamp(i18n.get_locale(), seen)}</dd></div>
                            </dl>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(others > 0).then(|| view! {
                <form method="post" action="/api/account/sign_out_elsewhere">
                    <button type="submit" class="button button--secondary">{t!(i18n, account_sign_out_elsewhere)}</button>
                </form>
            })}
        </section>
        <Cards cards=account.cards />
        <section class="section" aria-labelledby="events-heading">
            <h2 id="events-heading">{t!(i18n, account_events_heading)}</h2>
            <DataTable caption_id="events-caption" caption=td_string!(i18n.get_locale_untracked(), account_events_caption).to_string()>
                    <thead><tr>
                        <th scope="col">{t!(i18n, account_when)}</th>
                        <th scope="col">{t!(i18n, account_what)}</th>
                        <th scope="col">{t!(i18n, account_detail)}</th>
                    </tr></thead>
                    <tbody>
                        {account.events.into_iter().map(|e| {
                            let at = e.at;
                            let kind = e.kind.clone();
                            let reason = e.reason.clone();
                            view! {
                                <tr>
                                    <td>{move || format::timestamp(i18n.get_locale(), at)}</td>
                                    <td>{move || event_label(i18n, &kind)}</td>
                                    <td>{move || reason.as_deref().map(|r| reason_label(i18n, r)).unwrap_or_default()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
            </DataTable>
        </section>
    }
}

/// The patient's cards: stop a lost one, add another. Both need a fresh card check; with
/// scripts the page asks the card itself, without them the server accepts a change only within
/// five minutes of signing in and says so otherwise.
#[component]
fn Cards(cards: Vec<CardView>) -> impl IntoView {
    let i18n = use_i18n();
    let (stopped, added, card_error) = use_query_map().with_untracked(|q| {
        (
            q.get("card_stopped").is_some(),
            q.get("card_added").is_some(),
            q.get("card_error"),
        )
    });
    view! {
        <section class="section" aria-labelledby="cards-heading">
            <h2 id="cards-heading">{t!(i18n, account_cards_heading)}</h2>
            {stopped.then(|| view! { <p class="notice notice--info" role="status">{t!(i18n, account_card_stopped)}</p> })}
            {added.then(|| view! { <p class="notice notice--info" role="status">{t!(i18n, account_card_added_notice)}</p> })}
            {card_error.map(|code| view! {
                <p class="notice notice--error" role="alert">{move || message(i18n, &code, None)}</p>
            })}
            <CardSteps>
                <ul class="card-list">
                    {cards.into_iter().enumerate().map(|(n, c)| {
                        let (added, used) = (c.added_at, c.last_used_at);
                        let ended = c.ended.clone();
                        let working = ended.is_none();
                        let label_id = format!("card-{}", c.id);
                        view! {
                            <li class="card">
                                <p class="card__lead" id=label_id.clone()>
                                    {move || td_string!(i18n.get_locale(), account_card_name, n = n + 1).to_string()}
                                    " "
                                    <span class="tag">{move || match &ended {
                                        None => t_string!(i18n, account_card_in_use).to_string(),
                                        Some(r) => format!("{} ({})", t_string!(i18n, event_card_revoked), reason_label(i18n, r)),
                                    }}</span>
                                    {c.current.then(|| view! { " " <span class="tag">{t!(i18n, account_card_this_session)}</span> })}
                                </p>
                                <dl class="facts facts--compact">
                                    <div><dt>{t!(i18n, account_card_added)}</dt><dd>{move || format::timestamp(i18n.get_locale(), added)}</dd></div>
                                    <div><dt>{t!(i18n, account_card_last_used)}</dt><dd>{move || match used {
                                        Some(u) => format::timestamp(i18n.get_locale(), u),
                                        None => t_string!(i18n, account_card_never_used).to_string(),
                                    }}</dd></div>
                                </dl>
                                {working.then(|| view! {
                                    <form class="inline-form" method="post" action="/api/account/revoke_card">
                                        <input type="hidden" name="card" value=c.id.to_string() />
                                        <button type="submit" class="button button--secondary button--small"
                                            aria-describedby=label_id.clone()>
                                            {t!(i18n, account_card_stop)}
                                        </button>
                                    </form>
                                    {c.current.then(|| view! { <p class="hint">{t!(i18n, account_card_stop_current_hint)}</p> })}
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </CardSteps>
            <noscript><p class="notice notice--error">{t!(i18n, needs_js)}</p></noscript>
        </section>
    }
}

/// The card steps around the server-rendered list: "Stop this card" forms inside it are
/// caught as they are submitted and sent once the card has been checked; "Add another card"
/// runs the enrollment ceremony.
#[island]
fn CardSteps(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let (error, set_error) = signal(None::<StepError>);
    let (busy, set_busy) = signal(false);
    let ready = hydrated();
    let stop = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            ev.prevent_default();
            // One card step at a time.
            if busy.get_untracked() {
                return;
            }
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            set_busy.set(true);
            set_error.set(None);
            leptos::task::spawn_local(async move {
                use crate::domain::card_check::StepUpFor;
                match crate::ui::auth_message::check_card(StepUpFor::RevokeCard).await {
                    // A plain submission from here on: the server answers with where to go.
                    Ok(()) => {
                        let _ = form.submit();
                    }
                    Err(e) => {
                        set_error.set(Some(e));
                        set_busy.set(false);
                    }
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, busy, set_busy, set_error);
    };
    let add = move |_| {
        #[cfg(feature = "hydrate")]
        crate::ui::auth_message::run_card_step(
            async {
                use crate::domain::card_check::StepUpFor;
                use crate::sign_in::{begin_add_card, complete_add_card};
                use crate::ui::auth_message::{check_card, code_of};
                // A card check made for adding a card counts for five minutes (signing in does
                // not); ask the card only when the server says there is none.
                let options = match begin_add_card().await {
                    Err(crate::error::PortalError::Refused { reason, .. })
                        if reason == "step_up_required" =>
                    {
                        check_card(StepUpFor::AddCard).await?;
                        begin_add_card().await
                    }
                    other => other,
                }
                .map_err(|e| code_of(&e))?;
                let reply = crate::sign_in::browser::create(options)
                    .await
                    .map_err(|e| (e.code().to_owned(), None))?;
                complete_add_card(reply).await.map_err(|e| code_of(&e))
            },
            "/account?card_added=1#cards-heading",
            set_busy,
            set_error,
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = (set_busy, set_error);
    };
    view! {
        <AuthError error />
        <div on:submit=stop>{children()}</div>
        <p class="hint" id="add-card-hint">{t!(i18n, account_add_card_hint)}</p>
        <p>
            <button type="button" class="button button--primary" on:click=add
                aria-describedby="add-card-hint" disabled=move || !ready.get() || busy.get()>
                {t!(i18n, account_add_card)}
            </button>
        </p>
        <Working busy />
    }
}
