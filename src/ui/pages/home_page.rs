//! Home: the landing page for visitors, and for a patient their qualification and the latest
//! record of each kind.

use crate::domain::qualification::{CeilingCategory, InsuranceKind};
use crate::format::{self, pick};
use crate::home::{CheckupView, CostView, HomeSummary, MedicationView, load_home_summary};
use crate::i18n::*;
use crate::insurance::CoverageView;
use crate::ui::page_title::PageTitle;
use crate::ui::records::RecordsGate;
use crate::ui::site::SiteInfo;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=t_string!(i18n, page_home).to_string() />
        <RecordsGate
            load=load_home_summary()
            render=|summary| view! { <PatientHome summary /> }.into_any()
            signed_out=|| view! { <Landing /> }.into_any()
        />
    }
}

#[component]
fn Landing() -> impl IntoView {
    let i18n = use_i18n();
    let demo = use_context::<SiteInfo>().unwrap_or_default().demo;
    view! {
        <h1>{t!(i18n, landing_heading)}</h1>
        <p class="lead">{t!(i18n, landing_lead)}</p>
        <p class="actions">
            <a class="button button--primary" href="/sign-in">{t!(i18n, sign_in_button)}</a>
            <a class="button button--secondary" href="/enroll">{t!(i18n, page_enroll)}</a>
        </p>
        <Show when=move || demo>
            <p class="notice notice--info">{t!(i18n, landing_demo_link)}</p>
        </Show>
        <h2>{t!(i18n, landing_features_heading)}</h2>
        <ul class="feature-list">
            <li>{t!(i18n, landing_feature_meds)}</li>
            <li>{t!(i18n, landing_feature_checkups)}</li>
            <li>{t!(i18n, landing_feature_costs)}</li>
        </ul>
    }
}

#[component]
fn PatientHome(summary: HomeSummary) -> impl IntoView {
    let i18n = use_i18n();
    let name = summary.name.clone();
    let c = summary.counts;
    view! {
        <h1>{move || t_string!(i18n, home_greeting, name = name.clone()).to_string()}</h1>
        <CardChanges changes=summary.card_changes.clone() />
        <Notices notices=summary.notices.clone() />
        <p class="card__meta">
            {move || t_string!(i18n, home_counts, meds = c.medications, checkups = c.checkups, costs = c.costs).to_string()}
        </p>
        <section aria-labelledby="qualification-heading" class="section">
            <h2 id="qualification-heading">{t!(i18n, home_qualification)}</h2>
            {match summary.coverage {
                Some(cov) => view! { <Coverage coverage=cov /> }.into_any(),
                None => view! { <p class="empty">{t!(i18n, home_no_coverage)}</p> }.into_any(),
            }}
        </section>
        <section aria-labelledby="latest-heading" class="section">
            <h2 id="latest-heading">{t!(i18n, home_latest_heading)}</h2>
            <div class="card-grid">
                <LatestMedication record=summary.latest_medication />
                <LatestCheckup record=summary.latest_checkup />
                <LatestCost record=summary.latest_cost />
            </div>
        </section>
    }
}

#[component]
pub fn Coverage(coverage: CoverageView) -> impl IntoView {
    let i18n = use_i18n();
    let cov = coverage;
    let kind = cov.kind;
    let ceiling = cov.ceiling;
    let (from, to) = (cov.valid_from, cov.valid_to);
    let designated = cov.designated.clone();
    let office = cov.welfare_office.clone();
    view! {
        <dl class="facts">
            <div><dt>{t!(i18n, home_insurer)}</dt><dd>{cov.insurer_name.clone()}</dd></div>
            <div><dt>{t!(i18n, home_coverage_kind)}</dt>
                <dd>{move || pick(i18n.get_locale(), kind.label_ja(), kind.label_en())}</dd></div>
            <div><dt>{move || if kind == InsuranceKind::WelfareAid {
                    t_string!(i18n, home_recipient_number)
                } else {
                    t_string!(i18n, home_insured_number)
                }}</dt>
                <dd><InsuredNumber full=cov.number.clone() masked=cov.number_masked.clone() /></dd></div>
            <div><dt>{t!(i18n, home_ceiling)}</dt>
                <dd>{match ceiling {
                    Some(c) => view! { <CeilingText category=c /> }.into_any(),
                    None => t!(i18n, home_ceiling_none).into_any(),
                }}</dd></div>
            <div><dt>{t!(i18n, home_valid)}</dt>
                <dd>{move || {
                    let l = i18n.get_locale();
                    match to {
                        Some(to) => format!("{} – {}", format::date_era(l, from), format::date_era(l, to)),
                        None => t_string!(i18n, home_valid_open, from = format::date_era(l, from)).to_string(),
                    }
                }}</dd></div>
            {office.map(|o| view! {
                <div><dt>{t!(i18n, home_welfare_office)}</dt><dd>{o}</dd></div>
            })}
            {(!designated.is_empty()).then(|| view! {
                <div><dt>{t!(i18n, home_designated)}</dt>
                    <dd><ul class="plain-list">
                        {designated.into_iter().map(|inst| view! {
                            <li>{move || pick(i18n.get_locale(), &inst.name, &inst.name_en)}</li>
                        }).collect_view()}
                    </ul></dd></div>
            })}
        </dl>
    }
}

/// The insured number, masked by default. The toggle is a GET form so it also works without
/// JavaScript (`?show=number`); the page script flips it in place without a reload.
#[component]
fn InsuredNumber(full: String, masked: String) -> impl IntoView {
    let i18n = use_i18n();
    let shown = use_query_map().read_untracked().get("show").as_deref() == Some("number");
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    let now = if shown { full.clone() } else { masked.clone() };
    view! {
        <span class="insured-number" id="insured-number" data-testid="insured-number">{now}</span>
        <form method="get" action=path class="inline-form" data-reveal="insured-number"
            data-full=full data-masked=masked
            data-show-label=move || t_string!(i18n, home_show_number)
            data-hide-label=move || t_string!(i18n, home_hide_number)>
            <input type="hidden" name="show" value=if shown { "" } else { "number" } />
            <button type="submit" class="button button--small" aria-pressed=shown.to_string()>
                {move || if shown { t_string!(i18n, home_hide_number) } else { t_string!(i18n, home_show_number) }}
            </button>
        </form>
        <p class="hint">{t!(i18n, home_number_masked_note)}</p>
    }
}

#[component]
fn LatestMedication(record: Option<MedicationView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <article class="card" aria-labelledby="latest-med">
            <h3 id="latest-med" class="card__title">{t!(i18n, home_latest_medication)}</h3>
            {match record {
                None => view! { <p class="empty">{t!(i18n, home_no_medication)}</p> }.into_any(),
                Some(m) => {
                    let (d, days, generic, src, loaded) = (m.dispensed_on, m.days_supplied, m.generic, m.source, m.loaded_at);
                    let disp = m.dispenser.clone();
                    let pres = m.prescriber.clone();
                    view! {
                        <p class="card__lead">{m.drug_name.clone()}" "<span class="muted">{m.strength.clone()}</span></p>
                        <dl class="facts facts--compact">
                            <div><dt>{t!(i18n, home_dispensed_on)}</dt><dd>{move || format::date(i18n.get_locale(), d)}</dd></div>
                            <div><dt>{t!(i18n, home_dispenser)}</dt><dd>{move || pick(i18n.get_locale(), &disp.name, &disp.name_en)}</dd></div>
                            {pres.map(|p| view! {
                                <div><dt>{t!(i18n, home_prescriber)}</dt><dd>{move || pick(i18n.get_locale(), &p.name, &p.name_en)}</dd></div>
                            })}
                            <div><dt>{t!(i18n, home_source)}</dt><dd>{move || pick(i18n.get_locale(), src.label_ja(), src.label_en())}</dd></div>
                        </dl>
                        <p class="tags">
                            <span class="tag">{move || t_string!(i18n, home_days_supplied, days = days).to_string()}</span>
                            <span class="tag">{move || if generic { t_string!(i18n, home_generic) } else { t_string!(i18n, home_brand) }}</span>
                        </p>
                        <p class="hint">{t!(i18n, home_loaded_at)}": "{move || format::timestamp(i18n.get_locale(), loaded)}</p>
                    }.into_any()
                }
            }}
        </article>
    }
}

#[component]
fn LatestCheckup(record: Option<CheckupView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <article class="card" aria-labelledby="latest-checkup">
            <h3 id="latest-checkup" class="card__title">{t!(i18n, home_latest_checkup)}</h3>
            {match record {
                None => view! { <p class="empty">{t!(i18n, home_no_checkup)}</p> }.into_any(),
                Some(c) => {
                    let (d, fy, kind) = (c.examined_on, c.fiscal_year, c.kind);
                    let place = c.place.clone();
                    view! {
                        <p class="card__lead">
                            {move || format::date(i18n.get_locale(), d)}
                            " ("{move || t_string!(i18n, home_fiscal_year, year = fy).to_string()}")"
                        </p>
                        <p class="muted">{move || pick(i18n.get_locale(), kind.label_ja(), kind.label_en())}
                            " · "{move || pick(i18n.get_locale(), &place.name, &place.name_en)}</p>
                        <dl class="facts facts--compact">
                            {c.values.into_iter().map(|v| {
                                let item = v.item;
                                let band = v.band;
                                view! {
                                    <div>
                                        <dt>{move || pick(i18n.get_locale(), item.label_ja(), item.label_en())}</dt>
                                        <dd>{v.value.clone()}" "{item.unit()}" "
                                            {band.map(|band| view! {
                                                <span class=format!("band band--{}", band.as_str())>
                                                    {move || pick(i18n.get_locale(), band.label_ja(), band.label_en())}
                                                </span>
                                            })}
                                        </dd>
                                    </div>
                                }
                            }).collect_view()}
                        </dl>
                    }.into_any()
                }
            }}
        </article>
    }
}

#[component]
fn LatestCost(record: Option<CostView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <article class="card" aria-labelledby="latest-cost">
            <h3 id="latest-cost" class="card__title">{t!(i18n, home_latest_cost)}</h3>
            {match record {
                None => view! { <p class="empty">{t!(i18n, home_no_cost)}</p> }.into_any(),
                Some(c) => {
                    let (ty, total, paid) = (c.care_type, c.total, c.patient_paid);
                    let month = c.care_month.clone();
                    let inst = c.institution.clone();
                    view! {
                        <p class="card__lead">{move || format::month(i18n.get_locale(), &month)}</p>
                        <dl class="facts facts--compact">
                            <div><dt>{t!(i18n, home_institution)}</dt><dd>{move || pick(i18n.get_locale(), &inst.name, &inst.name_en)}</dd></div>
                            <div><dt>{t!(i18n, home_care_type)}</dt><dd>{move || pick(i18n.get_locale(), ty.label_ja(), ty.label_en())}</dd></div>
                            <div><dt>{t!(i18n, home_total_cost)}</dt><dd>{move || format::yen(i18n.get_locale(), total)}</dd></div>
                            <div><dt>{t!(i18n, home_patient_paid)}</dt><dd>{move || format::yen(i18n.get_locale(), paid)}</dd></div>
                        </dl>
                    }.into_any()
                }
            }}
        </article>
    }
}

/// Cards added or stopped since the last sign-in: a change the patient did not make stands out
/// here, with the way to act on it.
#[component]
fn CardChanges(changes: Vec<(chrono::DateTime<chrono::Utc>, String)>) -> impl IntoView {
    let i18n = use_i18n();
    (!changes.is_empty()).then(|| {
        view! {
            <div class="notice notice--info" role="status">
                <p>{t!(i18n, home_card_changes)}</p>
                <ul>
                    {changes.into_iter().map(|(at, kind)| view! {
                        <li>
                            {move || crate::format::timestamp(i18n.get_locale(), at)} " "
                            {move || crate::ui::pages::account_page::event_label(i18n, &kind)}
                        </li>
                    }).collect_view()}
                </ul>
                <p>{t!(i18n, home_card_changes_help)} " " <a href="/account#cards-heading">{t!(i18n, home_card_changes_link)}</a></p>
            </div>
        }
    })
}

/// First reads and consents about to end, each with where to act and a dismiss button (a
/// plain form post; the dismissal goes into the access log).
#[component]
fn Notices(notices: Vec<crate::notices::NoticeView>) -> impl IntoView {
    use crate::domain::notice::NoticeKind;
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let dismissed = use_query_map().read_untracked().get("notice").as_deref() == Some("dismissed");
    if notices.is_empty() && !dismissed {
        return None;
    }
    let items = notices
        .into_iter()
        .map(|n| {
            // What the notice is about: an institution, or a proxy by name.
            let institution = n
                .institution
                .as_ref()
                .map(|i| format!("{} ({})", pick(l, &i.name, &i.name_en), i.code))
                .or_else(|| n.proxy.clone())
                .unwrap_or_default();
            let at = format::timestamp(l, n.at);
            let kinds = crate::access_log::words::kinds(l, &n.kinds);
            let (text, hint, link, link_text) = match n.kind {
                NoticeKind::FirstRead => (
                    td_string!(
                        l,
                        notice_first_read,
                        institution = institution.clone(),
                        at = at
                    )
                    .to_string(),
                    td_string!(l, notice_first_read_unknown).to_string(),
                    "/access-log",
                    td_string!(l, notice_see_log).to_string(),
                ),
                NoticeKind::Emergency => (
                    td_string!(
                        l,
                        notice_emergency,
                        institution = institution.clone(),
                        at = at
                    )
                    .to_string(),
                    td_string!(l, notice_emergency_hint).to_string(),
                    "/access-log",
                    td_string!(l, notice_see_log).to_string(),
                ),
                NoticeKind::ProxyFirstAction => (
                    td_string!(l, notice_proxy_first, name = institution.clone(), at = at)
                        .to_string(),
                    td_string!(l, notice_proxy_first_hint).to_string(),
                    "/proxies",
                    td_string!(l, notice_see_proxies).to_string(),
                ),
                NoticeKind::ConsentExpiring => (
                    td_string!(
                        l,
                        notice_expiring,
                        institution = institution.clone(),
                        kinds = kinds,
                        at = at
                    )
                    .to_string(),
                    td_string!(l, notice_expiring_hint).to_string(),
                    "/consents",
                    td_string!(l, notice_see_consents).to_string(),
                ),
            };
            let about = td_string!(l, notice_dismiss_about, institution = institution).to_string();
            let topic = n.topic.clone();
            view! {
                <li class="notice notice--warning notice-item" data-topic=topic>
                    <p>{text}</p>
                    <p>{hint}" "<a href=link>{link_text}</a></p>
                    <form method="post" action="/notices">
                        <input type="hidden" name="topic" value=n.topic />
                        <button type="submit" class="button button--secondary button--small"
                            aria-label=about>
                            {t!(i18n, notice_dismiss)}
                        </button>
                    </form>
                </li>
            }
        })
        .collect_view();
    Some(view! {
        <section aria-labelledby="notices-heading" class="section">
            <h2 id="notices-heading" tabindex="-1">{t!(i18n, notices_heading)}</h2>
            {dismissed.then(|| view! {
                <p class="notice notice--info" role="status">{t!(i18n, notice_dismissed)}</p>
            })}
            <ul class="plain-list notice-list">{items}</ul>
        </section>
    })
}

/// A ceiling category with who is in it and the monthly ceiling, in the reader's language.
#[component]
pub fn CeilingText(category: CeilingCategory) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    view! {
        <span class="ceiling">
            <span class="ceiling__label">{pick(l, category.label_ja(), category.label_en())}</span>
            " "
            <span class="ceiling__note">{pick(l, category.explanation_ja(), category.explanation_en())}</span>
        </span>
    }
}
