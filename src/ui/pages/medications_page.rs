//! お薬の記録: filters (a GET form that works without JavaScript), duplicate hints, the drug
//! timeline with its table, and the dispensing list in pages of fifty.

use crate::disputes::RecordKind;
use crate::domain::medication::DuplicateKind;
use crate::error::FieldError;
use crate::format::{self, pick};
use crate::i18n::*;
use crate::medications::{
    DispensingView, DuplicateView, EpisodeView, MedicationPage, MedicationQuery, load_medications,
};
use crate::ui::chart::Chart;
use crate::ui::disputes::ReportLink;
use crate::ui::page_title::PageTitle;
use crate::ui::records::{DateField, FieldErrors, FreshnessNote, Pages, RecordsGate};
use crate::ui::table::DataTable;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn MedicationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let data = query.with_untracked(|q| {
        let get = |k: &str| q.get(k).unwrap_or_default();
        MedicationQuery {
            from: get("from"),
            to: get("to"),
            institution: get("institution"),
            drug: get("drug"),
            route: get("route"),
            page: get("page"),
        }
    });
    let data = load_medications(data, format::tag(i18n.get_locale_untracked()).to_owned());
    view! {
        <PageTitle text=t_string!(i18n, page_medications).to_string() />
        <h1>{t!(i18n, page_medications)}</h1>
        <RecordsGate load=data disputes=RecordKind::Medication render=|page| view! { <Medications page /> }.into_any() />
    }
}

#[component]
fn Medications(page: MedicationPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    if page.all_count == 0 {
        return view! {
            <FreshnessNote freshness=page.freshness.clone() />
            <p class="empty">{t!(i18n, meds_empty)}</p>
        }
        .into_any();
    }
    let lag_from = format::date(l, page.claims_may_lag_from);
    view! {
        <p class="lead">{t!(i18n, meds_lead)}</p>
        <FreshnessNote freshness=page.freshness.clone() />
        <p class="notice notice--info">{td_string!(l, meds_lag_notice, date = lag_from).to_string()}</p>
        <Duplicates hints=page.duplicates.clone() />
        <Filters page=page.clone() />
        <Timeline page=page.clone() />
        <List page />
    }
    .into_any()
}

#[component]
fn Duplicates(hints: Vec<DuplicateView>) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    (!hints.is_empty()).then(|| {
        let items = hints
            .into_iter()
            .map(|h| {
                let a_from = pick(l, &h.first_from.name, &h.first_from.name_en);
                let b_from = pick(l, &h.second_from.name, &h.second_from.name_en);
                let (start, end) = (
                    format::date(l, h.overlap_start),
                    format::date(l, h.overlap_end),
                );
                let text = match h.kind {
                    DuplicateKind::SameIngredient => td_string!(
                        l,
                        meds_dup_same_ingredient,
                        a = h.first_drug,
                        a_from = a_from,
                        b = h.second_drug,
                        b_from = b_from,
                        start = start,
                        end = end
                    )
                    .to_string(),
                    DuplicateKind::SameClass => td_string!(
                        l,
                        meds_dup_same_class,
                        a = h.first_drug,
                        a_from = a_from,
                        b = h.second_drug,
                        b_from = b_from,
                        start = start,
                        end = end
                    )
                    .to_string(),
                };
                view! { <li>{text}</li> }
            })
            .collect_view();
        view! {
            <section class="section notice notice--warning" aria-labelledby="dup-heading">
                <h2 id="dup-heading">{t!(i18n, meds_duplicates_heading)}</h2>
                <p>{t!(i18n, meds_duplicates_lead)}</p>
                <ul>{items}</ul>
            </section>
        }
    })
}

#[component]
fn Filters(page: MedicationPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let q = page.query.clone();
    let errors = page.errors.clone();
    // A field with a mistake shows what was typed; otherwise the period actually used.
    let from = if has_error(&errors, "from") {
        q.from.clone()
    } else {
        page.from.to_string()
    };
    let to = if has_error(&errors, "to") {
        q.to.clone()
    } else {
        page.to.to_string()
    };
    let selected = |value: &str, chosen: &str| value == chosen;
    let routes = [
        crate::domain::medication::Route::Oral,
        crate::domain::medication::Route::AsNeeded,
        crate::domain::medication::Route::External,
        crate::domain::medication::Route::Injection,
    ];
    let route_value = |r: crate::domain::medication::Route| {
        serde_json::to_value(r)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    view! {
        <section class="section no-print" aria-labelledby="filters-heading">
            <h2 id="filters-heading">{t!(i18n, meds_filters_heading)}</h2>
            <FieldErrors errors=errors.clone() heading=td_string!(l, filters_errors_heading).to_string() labels=vec![
                ("from".to_owned(), td_string!(l, meds_from).to_string()),
                ("to".to_owned(), td_string!(l, meds_to).to_string()),
                ("institution".to_owned(), td_string!(l, meds_institution).to_string()),
                ("drug".to_owned(), td_string!(l, meds_drug).to_string()),
                ("route".to_owned(), td_string!(l, meds_route).to_string()),
            ] />
            <form method="get" action="/medications" class="form filters">
                <div class="filters__row">
                    <DateField name="from" label=td_string!(l, meds_from).to_string() value=from errors=errors.clone() />
                    <DateField name="to" label=td_string!(l, meds_to).to_string() value=to errors=errors.clone() />
                </div>
                <div class="filters__row">
                    <div class="field">
                        <label for="f-institution">{t!(i18n, meds_institution)}</label>
                        <select id="f-institution" name="institution">
                            <option value="">{t!(i18n, filter_any)}</option>
                            {page.institutions.iter().map(|i| view! {
                                <option value=i.code.clone() selected=selected(&i.code, &q.institution)>{pick(l, &i.name, &i.name_en)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="f-drug">{t!(i18n, meds_drug)}</label>
                        <select id="f-drug" name="drug">
                            <option value="">{t!(i18n, filter_any)}</option>
                            {page.drugs.iter().map(|d| view! {
                                <option value=d.key.clone() selected=selected(&d.key, &q.drug)>{d.name.clone()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="f-route">{t!(i18n, meds_route)}</label>
                        <select id="f-route" name="route">
                            <option value="">{t!(i18n, filter_any)}</option>
                            {routes.into_iter().map(|r| {
                                let v = route_value(r);
                                view! { <option value=v.clone() selected=selected(&v, &q.route)>{pick(l, r.label_ja(), r.label_en())}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <p class="actions">
                    <button type="submit" class="button button--primary">{t!(i18n, filter_apply)}</button>
                    <a class="button button--secondary" href="/medications">{t!(i18n, filter_clear)}</a>
                </p>
            </form>
        </section>
    }
}

fn has_error(errors: &[FieldError], field: &str) -> bool {
    errors.iter().any(|e| e.field == field)
}

#[component]
fn Timeline(page: MedicationPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let count = {
        let mut names: Vec<&str> = page.episodes.iter().map(|e| e.drug_name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names.len()
    };
    let summary = td_string!(
        l,
        meds_timeline_summary,
        count = count,
        from = format::date(l, page.from),
        to = format::date(l, page.to)
    )
    .to_string();
    view! {
        <section class="section" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{t!(i18n, meds_timeline_heading)}</h2>
            {match page.timeline {
                None => view! { <p class="empty">{t!(i18n, meds_none)}</p> }.into_any(),
                Some(spec) => view! {
                    <Chart spec title=td_string!(l, meds_chart_title).to_string() summary>
                        <EpisodeTable episodes=page.episodes.clone() />
                    </Chart>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn EpisodeTable(episodes: Vec<EpisodeView>) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    view! {
        <DataTable caption_id="episodes-caption" caption=td_string!(l, meds_episodes_caption).to_string()>
                <thead><tr>
                    <th scope="col">{t!(i18n, meds_col_drug)}</th>
                    <th scope="col">{t!(i18n, meds_col_period)}</th>
                    <th scope="col" class="num">{t!(i18n, meds_col_dispensings)}</th>
                    <th scope="col" class="num">{t!(i18n, meds_col_days)}</th>
                </tr></thead>
                <tbody>
                    {episodes.into_iter().map(|e| view! {
                        <tr>
                            <th scope="row">{e.drug_name}</th>
                            <td><span class="nowrap">{format::date(l, e.start)}</span>" – "<span class="nowrap">{format::date(l, e.end)}</span></td>
                            <td class="num">{e.dispensings}</td>
                            <td class="num">{td_string!(l, meds_days, days = e.days_supplied).to_string()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
        </DataTable>
    }
}

#[component]
fn List(page: MedicationPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let size = crate::medications::PAGE_SIZE;
    let first = (page.page as usize - 1) * size + 1;
    let last = (first + page.rows.len()).saturating_sub(1);
    let range = td_string!(
        l,
        meds_range,
        total = page.total,
        first = first,
        last = last
    )
    .to_string();
    view! {
        <section class="section" aria-labelledby="list-heading">
            <h2 id="list-heading">{t!(i18n, meds_list_heading)}</h2>
            {if page.rows.is_empty() {
                view! { <p class="empty">{t!(i18n, meds_none)}</p> }.into_any()
            } else {
                view! {
                    <p>{range}</p>
                    <DataTable caption_id="list-caption" caption=td_string!(l, meds_list_caption, page = page.page, pages = page.pages).to_string()>
                            <thead><tr>
                                <th scope="col">{t!(i18n, meds_col_date)}</th>
                                <th scope="col">{t!(i18n, meds_col_drug)}</th>
                                <th scope="col">{t!(i18n, meds_col_amount)}</th>
                                <th scope="col">{t!(i18n, meds_route)}</th>
                                <th scope="col">{t!(i18n, meds_col_prescriber)}</th>
                                <th scope="col">{t!(i18n, meds_col_dispenser)}</th>
                                <th scope="col">{t!(i18n, meds_col_source)}</th>
                                <th scope="col" class="no-print">{t!(i18n, col_report)}</th>
                            </tr></thead>
                            <tbody>
                                {page.rows.into_iter().map(|r| view! { <Row row=r locale=l /> }).collect_view()}
                            </tbody>
                    </DataTable>
                    <Pages path="/medications" page=i64::from(page.page) pages=i64::from(page.pages) pairs=query_pairs(&page.query) />
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Row(row: DispensingView, locale: Locale) -> impl IntoView {
    let l = locale;
    let kind = if row.generic {
        td_string!(l, meds_generic)
    } else {
        td_string!(l, meds_brand)
    };
    let amount = match row.dose_per_day {
        Some(dose) => format!(
            "{} {}",
            td_string!(
                l,
                meds_per_day,
                dose = format!("{}{}", format::number(dose), row.unit)
            ),
            td_string!(l, meds_days, days = row.days_supplied)
        ),
        None => format!("{}{}", format::number(row.quantity), row.unit),
    };
    view! {
        <tr>
            <td class="nowrap">{format::date(l, row.dispensed_on)}</td>
            <th scope="row">
                {row.drug_name}<br />
                <span class="muted">{row.strength}" · "{kind.to_string()}</span>
            </th>
            <td>{amount}</td>
            <td>{pick(l, row.route.label_ja(), row.route.label_en())}</td>
            <td>{row.prescriber.map(|p| pick(l, &p.name, &p.name_en)).unwrap_or_else(|| "—".to_owned())}</td>
            <td>{pick(l, &row.dispenser.name, &row.dispenser.name_en)}</td>
            <td><span class="tag">{pick(l, row.source.label_ja(), row.source.label_en())}</span></td>
            <td class="no-print"><ReportLink kind=RecordKind::Medication id=row.id /></td>
        </tr>
    }
}

/// The filters to keep in page links.
fn query_pairs(q: &MedicationQuery) -> Vec<(String, String)> {
    [
        ("from", &q.from),
        ("to", &q.to),
        ("institution", &q.institution),
        ("drug", &q.drug),
        ("route", &q.route),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| (k.to_owned(), v.clone()))
    .collect()
}
