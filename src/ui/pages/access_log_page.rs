//! アクセス記録: everyone who saw or asked for the patient's data, and every change to consents,
//! cards and sign-ins, newest first, in plain words; filters (a GET form), pages of fifty and
//! CSV or JSON export, all without JavaScript.

use crate::access_log::reports::{ReportStatus, ReportView};
use crate::access_log::{EntryView, LogPage, LogQuery, load_access_log, words};
use crate::domain::access_log::Outcome;
use crate::domain::consent::DataKind;
use crate::format::{self, pick};
use crate::i18n::*;
use crate::ui::page_title::PageTitle;
use crate::ui::pages::access_report_page::concern_label;
use crate::ui::records::{DateField, FieldErrors, Pages, RecordsGate, urlencode};
use crate::ui::table::DataTable;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccessLogPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map().with_untracked(|q| {
        let get = |k: &str| q.get(k).unwrap_or_default();
        LogQuery {
            who: get("who"),
            kind: get("kind"),
            outcome: get("outcome"),
            from: get("from"),
            to: get("to"),
            page: get("page"),
        }
    });
    let data = load_access_log(query);
    let just_reported = use_query_map().with_untracked(|q| q.get("reported").is_some());
    view! {
        <PageTitle text=t_string!(i18n, page_access_log).to_string() />
        <h1>{t!(i18n, page_access_log)}</h1>
        <p class="lead">{t!(i18n, log_lead)}</p>
        {just_reported.then(|| view! {
            <p class="notice notice--info" role="status">{t!(i18n, access_report_received)}</p>
        })}
        <RecordsGate load=data live=true render=|page| view! { <Log page /> }.into_any() />
    }
}

#[component]
fn Log(page: LogPage) -> impl IntoView {
    view! {
        <AccessNow page=page.clone() />
        <Filters page=page.clone() />
        <Reports reports=page.reports.clone() />
        <Entries page />
    }
}

/// Who can see the patient's data now, with a revoke button beside each: the log's natural
/// next step. Revoking needs a card check, which the consent page asks for when it is missing.
#[component]
fn AccessNow(page: LogPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    view! {
        <section class="section" aria-labelledby="access-now-heading">
            <h2 id="access-now-heading">{t!(i18n, consent_current_heading)}</h2>
            {if page.access_now.is_empty() {
                view! { <p class="empty">{t!(i18n, consent_current_none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="card-list">
                        {page.access_now.into_iter().map(|a| {
                            let name = pick(l, &a.institution.name, &a.institution.name_en);
                            let label = td_string!(l, consent_revoke_label, institution = name.clone()).to_string();
                            let sep = if l == Locale::ja { "、" } else { ", " };
                            let kinds = a.kinds.iter().map(|k| words::kind(l, *k)).collect::<Vec<_>>().join(sep);
                            let until = a.expires_at.map_or_else(
                                || td_string!(l, consent_period_until_revoked).to_string(),
                                |t| td_string!(l, log_access_until, end = format::timestamp(l, t)).to_string(),
                            );
                            view! {
                                <li class="card">
                                    <p class="card__lead">{format!("{name} ({})", a.institution.code)}
                                        {a.emergency.then(|| view! { " " <span class="tag tag--warning">{t!(i18n, access_now_emergency)}</span> })}
                                    </p>
                                    <p>{kinds}" · "{until}</p>
                                    {if a.emergency {
                                        view! { <p class="hint">{t!(i18n, access_now_emergency_hint)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <form method="post" action="/consents" class="inline-form">
                                                <input type="hidden" name="action" value="revoke" />
                                                <input type="hidden" name="institution" value=a.institution.code.clone() />
                                                <button type="submit" class="button button--danger" aria-label=label>{t!(i18n, consent_revoke)}</button>
                                            </form>
                                        }.into_any()
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Filters(page: LogPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let q = page.query.clone();
    let errors = page.errors.clone();
    let chosen = |value: &str, current: &str| value == current.trim();
    view! {
        <section class="section no-print" aria-labelledby="filters-heading">
            <h2 id="filters-heading">{t!(i18n, log_filters_heading)}</h2>
            <FieldErrors errors=errors.clone() heading=td_string!(l, filters_errors_heading).to_string() labels=vec![
                ("who".to_owned(), td_string!(l, log_filter_who).to_string()),
                ("kind".to_owned(), td_string!(l, log_filter_kind).to_string()),
                ("outcome".to_owned(), td_string!(l, log_filter_outcome).to_string()),
                ("from".to_owned(), td_string!(l, meds_from).to_string()),
                ("to".to_owned(), td_string!(l, meds_to).to_string()),
            ] />
            <form method="get" action="/access-log" class="form filters">
                <div class="filters__row">
                    <div class="field">
                        <label for="f-who">{t!(i18n, log_filter_who)}</label>
                        <select id="f-who" name="who">
                            <option value="">{t!(i18n, filter_any)}</option>
                            <option value="patient" selected=chosen("patient", &q.who)>{t!(i18n, log_actor_patient)}</option>
                            {page.institutions.iter().map(|i| view! {
                                <option value=i.code.clone() selected=chosen(&i.code, &q.who)>{format!("{} ({})", pick(l, &i.name, &i.name_en), i.code)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="f-kind">{t!(i18n, log_filter_kind)}</label>
                        <select id="f-kind" name="kind">
                            <option value="">{t!(i18n, filter_any)}</option>
                            {DataKind::ALL.iter().map(|k| view! {
                                <option value=k.as_str() selected=chosen(k.as_str(), &q.kind)>{words::kind(l, *k)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="f-outcome">{t!(i18n, log_filter_outcome)}</label>
                        <select id="f-outcome" name="outcome">
                            <option value="">{t!(i18n, filter_any)}</option>
                            {Outcome::ALL.iter().map(|o| view! {
                                <option value=o.as_str() selected=chosen(o.as_str(), &q.outcome)>{words::outcome(l, *o)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <div class="filters__row">
                    <DateField name="from" label=td_string!(l, meds_from).to_string() value=q.from.clone() errors=errors.clone() />
                    <DateField name="to" label=td_string!(l, meds_to).to_string() value=q.to.clone() errors=errors.clone() />
                </div>
                <p class="actions">
                    <button type="submit" class="button button--primary">{t!(i18n, filter_apply)}</button>
                    <a class="button button--secondary" href="/access-log">{t!(i18n, filter_clear)}</a>
                </p>
            </form>
        </section>
    }
}

#[component]
fn Entries(page: LogPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let size = crate::access_log::PAGE_SIZE;
    let first = (page.page - 1) * size + 1;
    let last = first + i64::try_from(page.entries.len()).unwrap_or(0) - 1;
    let pairs: Vec<(String, String)> = page
        .query
        .pairs()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let export = |format: &str| {
        let mut query: Vec<String> = vec![format!("format={format}")];
        query.extend(pairs.iter().map(|(k, v)| format!("{k}={}", urlencode(v))));
        format!("/access-log/export?{}", query.join("&"))
    };
    let (csv, json) = (export("csv"), export("json"));
    view! {
        <section class="section" aria-labelledby="entries-heading">
            <h2 id="entries-heading">{t!(i18n, log_entries_heading)}</h2>
            {if page.entries.is_empty() {
                view! { <p class="empty">{t!(i18n, log_empty)}</p> }.into_any()
            } else {
                view! {
                    <p>{td_string!(l, log_range, total = page.total, first = first, last = last).to_string()}</p>
                    <DataTable caption_id="entries-caption" caption=td_string!(l, log_caption, page = page.page, pages = page.pages).to_string()>
                        <thead><tr>
                            <th scope="col">{t!(i18n, log_col_when)}</th>
                            <th scope="col">{t!(i18n, log_col_who)}</th>
                            <th scope="col">{t!(i18n, log_col_what)}</th>
                            <th scope="col">{t!(i18n, log_col_outcome)}</th>
                            <th scope="col">{t!(i18n, log_col_basis)}</th>
                            <th scope="col" class="no-print">{t!(i18n, access_report_col)}</th>
                        </tr></thead>
                        <tbody>
                            {page.entries.into_iter().map(|e| {
                                let report = page.reports.iter().find(|r| r.entry.id == e.id).map(|r| r.status);
                                view! { <Row entry=e report locale=l /> }
                            }).collect_view()}
                        </tbody>
                    </DataTable>
                    <Pages path="/access-log" page=page.page pages=page.pages pairs=pairs.clone() />
                    <p class="actions no-print">
                        <a class="button button--secondary" href=csv download="">{t!(i18n, log_export_csv)}</a>
                        <a class="button button--secondary" href=json download="">{t!(i18n, log_export_json)}</a>
                    </p>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Row(entry: EntryView, report: Option<ReportStatus>, locale: Locale) -> impl IntoView {
    let l = locale;
    let refused = matches!(entry.outcome, Outcome::Refused | Outcome::Failed);
    let when = format::timestamp(l, entry.at);
    // Beside each entry: a report, or where the report about it stands.
    let report = match report {
        Some(status) => view! { <span class="tag">{status_label(l, status)}</span> }.into_any(),
        None => view! {
            <a class="report-link" href=format!("/access-log/report?entry={}", entry.id)
                aria-label=td_string!(l, access_report_link_label, when = when.clone()).to_string()>
                {td_string!(l, access_report_link).to_string()}
            </a>
        }
        .into_any(),
    };
    view! {
        <tr>
            <td class="nowrap">{format::timestamp(l, entry.at)}</td>
            <td>{words::who(l, &entry)}</td>
            <th scope="row">{words::what(l, &entry)}</th>
            <td><span class="tag" class:tag--warning=refused>{words::outcome(l, entry.outcome)}</span></td>
            <td>{words::basis(l, &entry)}</td>
            <td class="no-print">{report}</td>
        </tr>
    }
}

fn status_label(l: Locale, s: ReportStatus) -> String {
    match s {
        ReportStatus::Open => td_string!(l, access_report_status_open),
        ReportStatus::Confirmed => td_string!(l, access_report_status_confirmed),
        ReportStatus::Explained => td_string!(l, access_report_status_explained),
    }
    .to_string()
}

/// The patient's reports about entries, with where each stands.
#[component]
fn Reports(reports: Vec<ReportView>) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    (!reports.is_empty()).then(|| view! {
        <section class="section" aria-labelledby="reports-heading">
            <h2 id="reports-heading">{t!(i18n, access_report_list_heading)}</h2>
            <p>{t!(i18n, access_report_list_lead)}</p>
            <ul class="card-list">
                {reports.into_iter().map(|r| view! {
                    <li class="card">
                        <p class="card__lead">{format!("{} · {}", format::timestamp(l, r.entry.at), words::who(l, &r.entry))}</p>
                        <p>{words::what(l, &r.entry)}</p>
                        <dl class="facts facts--compact">
                            <div><dt>{t!(i18n, access_report_concern)}</dt><dd>{concern_label(l, r.concern)}</dd></div>
                            <div><dt>{t!(i18n, dispute_reported_at)}</dt><dd>{format::timestamp(l, r.reported_at)}</dd></div>
                            <div><dt>{t!(i18n, dispute_status)}</dt><dd><span class="tag">{status_label(l, r.status)}</span></dd></div>
                        </dl>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    })
}
