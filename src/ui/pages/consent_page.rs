//! 同意の管理: which clinic or pharmacy may see which data now, finding one, seeing exactly what
//! it would see, granting, changing and revoking with a card check, and every consent given.

use crate::access_log::words;
use crate::consent::{
    ConsentPage, ConsentQuery, ConsentView, InstitutionView, Preview, load_consents,
};
use crate::domain::card_check::StepUpFor;
use crate::domain::consent::{DataKind, Period, Standing};
use crate::format::{self, pick};
use crate::i18n::*;
use crate::ui::card_check::CardCheck;
use crate::ui::page_title::PageTitle;
use crate::ui::records::{FieldErrors, RecordsGate, field_error, urlencode};
use crate::ui::table::DataTable;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ConsentPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map().with_untracked(|q| {
        let get = |k: &str| q.get(k).unwrap_or_default();
        ConsentQuery {
            q: get("q"),
            prefecture: get("prefecture"),
            institution: get("institution"),
            k_medications: get("k_medications"),
            k_checkups: get("k_checkups"),
            k_cost_notices: get("k_cost_notices"),
            k_qualification: get("k_qualification"),
            period: get("period"),
            until: get("until"),
            preview: get("preview"),
            errors: get("errors"),
            done: get("done"),
            action: get("action"),
        }
    });
    let data = load_consents(query);
    view! {
        <PageTitle text=t_string!(i18n, page_consents).to_string() />
        <h1>{t!(i18n, page_consents)}</h1>
        <p class="lead">{t!(i18n, consent_lead)}</p>
        <p class="notice notice--info">{t!(i18n, consent_never_stops_care)}</p>
        <RecordsGate load=data live=true render=|page| view! { <Consents page /> }.into_any() />
    }
}

fn period_text(l: Locale, period: Period, ends: Option<chrono::DateTime<chrono::Utc>>) -> String {
    let end = ends.map(|e| format::timestamp(l, e)).unwrap_or_default();
    match period {
        Period::Visit => td_string!(l, consent_period_visit_until, end = end).to_string(),
        Period::Until(day) => {
            td_string!(l, consent_period_until_day, day = format::date(l, day)).to_string()
        }
        Period::UntilRevoked => td_string!(l, consent_period_until_revoked).to_string(),
    }
}

fn institution_text(l: Locale, i: &InstitutionView) -> String {
    format!("{} ({})", pick(l, &i.name, &i.name_en), i.code)
}

#[component]
fn Consents(page: ConsentPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let done = match page.query.done.as_str() {
        "granted" => Some(td_string!(l, consent_done_granted).to_string()),
        "changed" => Some(td_string!(l, consent_done_changed).to_string()),
        "revoked" => Some(td_string!(l, consent_done_revoked).to_string()),
        _ => None,
    };
    view! {
        {done.map(|m| view! { <p class="notice notice--info" role="status">{m}</p> })}
        <FieldErrors top=true errors=page.errors.clone() heading=td_string!(l, form_errors_heading).to_string() labels=vec![
            ("institution".to_owned(), td_string!(l, consent_institution).to_string()),
            ("kinds".to_owned(), td_string!(l, consent_kinds).to_string()),
            ("period".to_owned(), td_string!(l, consent_period).to_string()),
            ("until".to_owned(), td_string!(l, consent_until).to_string()),
            ("prefecture".to_owned(), td_string!(l, consent_prefecture).to_string()),
            ("card".to_owned(), td_string!(l, card_check_label).to_string()),
        ] />
        <Current page=page.clone() />
        <Find page=page.clone() />
        <History history=page.history />
    }
}

/// Whether the page came back from `action` needing a card check.
fn needs_card(page: &ConsentPage, action: &str, institution: &str) -> bool {
    page.query.action == action
        && page.query.institution == institution
        && page.errors.iter().any(|e| e.code == "step_up_required")
}

#[component]
fn Current(page: ConsentPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    view! {
        <section class="section" aria-labelledby="current-heading">
            <h2 id="current-heading">{t!(i18n, consent_current_heading)}</h2>
            {if page.current.is_empty() {
                view! { <p class="empty">{t!(i18n, consent_current_none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="card-list">
                        {page.current.iter().map(|c| {
                            let form_id = format!("revoke-{}", c.institution.code);
                            let card = needs_card(&page, "revoke", &c.institution.code);
                            let mut change = format!("/consents?institution={}", urlencode(&c.institution.code));
                            for k in &c.kinds {
                                change.push_str(&format!("&{}=on", ConsentQuery::kind_field(*k)));
                            }
                            match c.period {
                                Period::Until(day) => change.push_str(&format!("&period=until&until={day}")),
                                p => change.push_str(&format!("&period={}", p.name())),
                            }
                            change.push_str("#grant-heading");
                            let label = td_string!(l, consent_revoke_label, institution = pick(l, &c.institution.name, &c.institution.name_en)).to_string();
                            view! {
                                <li class="card">
                                    <p class="card__lead">{institution_text(l, &c.institution)}
                                        " " <span class="tag">{pick(l, c.institution.kind.label_ja(), c.institution.kind.label_en())}</span></p>
                                    <dl class="facts facts--compact">
                                        <div><dt>{t!(i18n, consent_kinds)}</dt><dd>{words::kinds(l, &c.kinds)}</dd></div>
                                        <div><dt>{t!(i18n, consent_period)}</dt><dd>{period_text(l, c.period, c.expires_at)}</dd></div>
                                        <div><dt>{t!(i18n, consent_granted_at)}</dt><dd>{format::timestamp(l, c.granted_at)}</dd></div>
                                    </dl>
                                    {card.then(|| view! { <CardCheck purpose=StepUpFor::ChangeConsent form_id=form_id.clone() /> })}
                                    <div class="actions">
                                        <a class="button button--secondary" href=change>{t!(i18n, consent_change)}</a>
                                        <form method="post" action="/consents" class="inline-form" id=form_id.clone()>
                                            <input type="hidden" name="action" value="revoke" />
                                            <input type="hidden" name="institution" value=c.institution.code.clone() />
                                            <button type="submit" class="button button--danger" aria-label=label>{t!(i18n, consent_revoke)}</button>
                                        </form>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p><a href="/access-log">{t!(i18n, consent_see_log)}</a></p>
        </section>
    }
}

#[component]
fn Find(page: ConsentPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let q = page.query.clone();
    view! {
        <section class="section" aria-labelledby="find-heading">
            <h2 id="find-heading">{t!(i18n, consent_find_heading)}</h2>
            <form method="get" action="/consents" class="form filters" id="f-institution">
                <div class="filters__row">
                    <div class="field">
                        <label for="f-q">{t!(i18n, consent_search)}</label>
                        <span class="hint" id="f-q-hint">{t!(i18n, consent_search_hint)}</span>
                        <input type="search" id="f-q" name="q" value=q.q.clone() aria-describedby="f-q-hint" />
                    </div>
                    <div class="field">
                        <label for="f-prefecture">{t!(i18n, consent_prefecture)}</label>
                        <select id="f-prefecture" name="prefecture">
                            <option value="">{t!(i18n, filter_any)}</option>
                            {crate::domain::institution::Prefecture::all().map(|p| view! {
                                <option value=p.as_str() selected=p.as_str() == q.prefecture.trim()>{pick(l, p.name_ja(), p.name_en())}</option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <p class="actions"><button type="submit" class="button button--primary">{t!(i18n, consent_search_button)}</button></p>
            </form>
            {page.results.clone().map(|results| if results.is_empty() {
                view! { <p class="empty" role="status">{t!(i18n, consent_search_none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list" aria-label=td_string!(l, consent_results).to_string()>
                        {results.into_iter().map(|i| {
                            let href = format!("/consents?institution={}#grant-heading", urlencode(&i.code));
                            view! {
                                <li class="result">
                                    <a href=href>{institution_text(l, &i)}</a>
                                    " " <span class="tag">{pick(l, i.kind.label_ja(), i.kind.label_en())}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
            {page.chosen.clone().map(|i| view! { <Grant page=page.clone() institution=i /> })}
        </section>
    }
}

#[component]
fn Grant(page: ConsentPage, institution: InstitutionView) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let q = page.query.clone();
    let has = |field: &str| {
        page.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| field_error(l, &e.code))
    };
    let (kinds_error, period_error, until_error) = (has("kinds"), has("period"), has("until"));
    let heading = td_string!(
        l,
        consent_grant_heading,
        institution = institution_text(l, &institution)
    )
    .to_string();
    view! {
        <h3 id="grant-heading">{heading}</h3>
        {page.chosen_current.clone().map(|c| view! {
            <p class="notice notice--info">{td_string!(l, consent_replaces, kinds = words::kinds(l, &c.kinds), period = period_text(l, c.period, c.expires_at)).to_string()}</p>
        })}
        <form method="get" action="/consents" class="form" id="grant-form">
            <input type="hidden" name="institution" value=institution.code.clone() />
            <input type="hidden" name="preview" value="1" />
            <fieldset class="field" class:field--error=kinds_error.is_some() id="f-kinds">
                <legend>{t!(i18n, consent_kinds)}</legend>
                {kinds_error.clone().map(|m| view! { <span class="field__error">{m}</span> })}
                {DataKind::ALL.iter().map(|k| {
                    let name = ConsentQuery::kind_field(*k);
                    let id = format!("f-{name}");
                    view! {
                        <div class="choice">
                            <input type="checkbox" id=id.clone() name=name value="on" checked=!q.kind_flag(*k).is_empty() />
                            <label for=id>{words::kind(l, *k)}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <fieldset class="field" class:field--error=period_error.is_some() id="f-period">
                <legend>{t!(i18n, consent_period)}</legend>
                {period_error.clone().map(|m| view! { <span class="field__error">{m}</span> })}
                {[("visit", td_string!(l, consent_period_visit).to_string()), ("until", td_string!(l, consent_period_until).to_string()), ("until_revoked", td_string!(l, consent_period_until_revoked).to_string())].into_iter().map(|(value, label)| {
                    let id = format!("f-period-{value}");
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name="period" value=value checked=q.period == value />
                            <label for=id>{label}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field" class:field--error=until_error.is_some()>
                <label for="f-until">{t!(i18n, consent_until)}</label>
                <span class="hint" id="f-until-hint">{t!(i18n, consent_until_hint)}</span>
                {until_error.clone().map(|m| view! { <span class="field__error" id="f-until-error">{m}</span> })}
                <input type="date" id="f-until" name="until" value=q.until.clone()
                    aria-invalid=until_error.as_ref().map(|_| "true")
                    aria-describedby=if until_error.is_some() { "f-until-hint f-until-error" } else { "f-until-hint" } />
            </div>
            <p class="actions"><button type="submit" class="button button--primary">{t!(i18n, consent_preview_button)}</button></p>
        </form>
        {page.preview.clone().map(|preview| view! { <PreviewSection page=page.clone() institution=institution.clone() preview /> })}
    }
}

#[component]
fn PreviewSection(
    page: ConsentPage,
    institution: InstitutionView,
    preview: Preview,
) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let q = page.query.clone();
    let card = needs_card(&page, "grant", &institution.code);
    let name = pick(l, &institution.name, &institution.name_en);
    view! {
        <section class="section preview" aria-labelledby="preview-heading">
            <h3 id="preview-heading">{td_string!(l, consent_preview_heading, institution = name.clone()).to_string()}</h3>
            <DataTable caption_id="preview-caption" caption=td_string!(l, consent_preview_caption, day = format::date(l, page.today)).to_string()>
                <thead><tr>
                    <th scope="col">{t!(i18n, consent_kinds)}</th>
                    <th scope="col">{t!(i18n, consent_preview_from)}</th>
                    <th scope="col" class="num">{t!(i18n, consent_preview_count)}</th>
                </tr></thead>
                <tbody>
                    {preview.lines.iter().map(|line| view! {
                        <tr>
                            <th scope="row">{words::kind(l, line.kind)}</th>
                            <td>{line.from.map(|d| td_string!(l, consent_preview_since, day = format::date(l, d)).to_string()).unwrap_or_else(|| td_string!(l, consent_preview_in_force).to_string())}</td>
                            <td class="num">{line.count}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </DataTable>
            <p>{td_string!(l, consent_preview_period, period = period_text(l, preview.period, preview.ends_at)).to_string()}</p>
            <p class="hint">{t!(i18n, consent_preview_logged)}</p>
            {card.then(|| view! { <CardCheck purpose=StepUpFor::ChangeConsent form_id="confirm-form".to_owned() /> })}
            <form method="post" action="/consents" class="form" id="confirm-form">
                <input type="hidden" name="action" value="grant" />
                <input type="hidden" name="institution" value=institution.code.clone() />
                {DataKind::ALL.iter().filter(|k| !q.kind_flag(**k).is_empty()).map(|k| view! {
                    <input type="hidden" name=ConsentQuery::kind_field(*k) value="on" />
                }).collect_view()}
                <input type="hidden" name="period" value=q.period.clone() />
                <input type="hidden" name="until" value=q.until.clone() />
                <p class="actions">
                    <button type="submit" class="button button--primary">{td_string!(l, consent_confirm_button, institution = name).to_string()}</button>
                    <a class="button button--secondary" href="/consents">{t!(i18n, consent_cancel)}</a>
                </p>
            </form>
        </section>
    }
}

#[component]
fn History(history: Vec<ConsentView>) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    view! {
        <section class="section" aria-labelledby="history-heading">
            <h2 id="history-heading">{t!(i18n, consent_history_heading)}</h2>
            {if history.is_empty() {
                view! { <p class="empty">{t!(i18n, consent_history_none)}</p> }.into_any()
            } else {
                view! {
                    <DataTable caption_id="history-caption" caption=td_string!(l, consent_history_caption).to_string()>
                        <thead><tr>
                            <th scope="col">{t!(i18n, consent_number)}</th>
                            <th scope="col">{t!(i18n, consent_institution)}</th>
                            <th scope="col">{t!(i18n, consent_kinds)}</th>
                            <th scope="col">{t!(i18n, consent_period)}</th>
                            <th scope="col">{t!(i18n, consent_granted_at)}</th>
                            <th scope="col">{t!(i18n, consent_standing)}</th>
                        </tr></thead>
                        <tbody>
                            {history.into_iter().map(|c| {
                                let standing = match c.standing {
                                    Standing::Active => td_string!(l, consent_standing_active).to_string(),
                                    Standing::Expired => td_string!(l, consent_standing_expired).to_string(),
                                    Standing::Revoked => td_string!(l, consent_standing_revoked, at = c.ended_at.map(|t| format::timestamp(l, t)).unwrap_or_default()).to_string(),
                                    Standing::Replaced => td_string!(l, consent_standing_replaced, at = c.ended_at.map(|t| format::timestamp(l, t)).unwrap_or_default()).to_string(),
                                };
                                view! {
                                    <tr>
                                        <td class="num">{format!("#{}", c.id)}</td>
                                        <th scope="row">{institution_text(l, &c.institution)}</th>
                                        <td>{words::kinds(l, &c.kinds)}</td>
                                        <td>{period_text(l, c.period, c.expires_at)}</td>
                                        <td class="nowrap">{format::timestamp(l, c.granted_at)}</td>
                                        <td>{standing}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </DataTable>
                }.into_any()
            }}
        </section>
    }
}
