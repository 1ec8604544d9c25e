//! The patient's sessions, cards and the record of sign-ins and card changes.

use crate::account::{AccountView, load_account};
use crate::error::PortalError;
use crate::i18n::*;
use crate::ui::format;
use crate::ui::pages::not_found_page::PageTitle;
use crate::ui::status::{ErrorPanel, Loading};
use crate::ui::table::DataTable;
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let account = OnceResource::new(load_account());
    view! {
        <PageTitle text=move || t_string!(i18n, page_account).to_string() />
        <h1>{t!(i18n, page_account)}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(a) => view! { <Account account=a /> }.into_any(),
                    Err(PortalError::NotSignedIn) => view! {
                        <p class="empty">{t!(i18n, account_sign_in_needed)}</p>
                        <p><a class="button button--primary" href="/sign-in">{t!(i18n, sign_in_button)}</a></p>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn event_label(i18n: leptos_i18n::I18nContext<Locale>, kind: &str) -> String {
    match kind {
        "enrollment_code_issued" => t_string!(i18n, event_enrollment_code_issued),
        "card_added" => t_string!(i18n, event_card_added),
        "card_revoked" => t_string!(i18n, event_card_revoked),
        "card_disabled" => t_string!(i18n, event_card_disabled),
        "signed_in" => t_string!(i18n, event_signed_in),
        "sign_in_failed" => t_string!(i18n, event_sign_in_failed),
        "session_ended" => t_string!(i18n, event_session_ended),
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
        <section class="section" aria-labelledby="cards-heading">
            <h2 id="cards-heading">{t!(i18n, account_cards_heading)}</h2>
            <ul class="card-list">
                {account.cards.into_iter().map(|c| {
                    let (added, used) = (c.added_at, c.last_used_at);
                    let ended = c.ended.clone();
                    view! {
                        <li class="card">
                            <p class="card__lead">{move || match &ended {
                                None => t_string!(i18n, account_card_in_use).to_string(),
                                Some(r) => format!("{} ({})", t_string!(i18n, event_card_revoked), reason_label(i18n, r)),
                            }}</p>
                            <dl class="facts facts--compact">
                                <div><dt>{t!(i18n, account_card_added)}</dt><dd>{move || format::timestamp(i18n.get_locale(), added)}</dd></div>
                                <div><dt>{t!(i18n, account_card_last_used)}</dt><dd>{move || match used {
                                    Some(u) => format::timestamp(i18n.get_locale(), u),
                                    None => t_string!(i18n, account_card_never_used).to_string(),
                                }}</dd></div>
                            </dl>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
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
