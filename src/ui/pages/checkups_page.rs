//! 健診の記録: the latest checkup in plain sentences with our own verdicts, then every item's
//! trend with its bands, each chart backed by a table that states the cut-offs.

use crate::checkups::{CheckupPage, FindingView, LatestCheckup, Trend, load_checkups};
use crate::disputes::RecordKind;
use crate::domain::checkup::{Band, CheckupItem, CheckupKind, Cutoff, Direction, GuidanceOutcome};
use crate::domain::person::Sex;
use crate::format::{self, pick};
use crate::i18n::*;
use crate::ui::chart::Chart;
use crate::ui::disputes::ReportLink;
use crate::ui::page_title::PageTitle;
use crate::ui::records::{FreshnessNote, RecordsGate};
use crate::ui::table::DataTable;
use leptos::prelude::*;

#[component]
pub fn CheckupsPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = load_checkups(format::tag(i18n.get_locale_untracked()).to_owned());
    view! {
        <PageTitle text=t_string!(i18n, page_checkups).to_string() />
        <h1>{t!(i18n, page_checkups)}</h1>
        <RecordsGate load=data disputes=RecordKind::Checkup render=|page| view! { <Checkups page /> }.into_any() />
    }
}

#[component]
fn Checkups(page: CheckupPage) -> impl IntoView {
    let i18n = use_i18n();
    let Some(latest) = page.latest.clone() else {
        return view! {
            <FreshnessNote freshness=page.freshness.clone() />
            <p class="empty">{t!(i18n, checkups_empty)}</p>
        }
        .into_any();
    };
    let sex = page.sex;
    view! {
        <p class="lead">{t!(i18n, checkups_lead)}</p>
        <FreshnessNote freshness=page.freshness.clone() />
        <Latest latest sex />
        <section class="section" aria-labelledby="trends-heading">
            <h2 id="trends-heading">{t!(i18n, checkups_trends_heading)}</h2>
            <p>{t!(i18n, checkups_trends_lead)}</p>
            {page.trends.into_iter().map(|t| view! { <ItemTrend trend=t sex /> }).collect_view()}
        </section>
        <Records records=page.records />
    }
    .into_any()
}

/// "130以上" / "below 40": how the official cut-off reads.
fn cutoff_text(l: Locale, c: Cutoff, direction: Direction) -> String {
    let b = format::number(c.bound);
    match (l, direction, c.inclusive) {
        (Locale::ja, Direction::HigherIsWorse, true) => format!("{b}以上"),
        (Locale::ja, Direction::HigherIsWorse, false) => format!("{b}超"),
        (Locale::ja, Direction::LowerIsWorse, true) => format!("{b}以下"),
        (Locale::ja, Direction::LowerIsWorse, false) => format!("{b}未満"),
        (Locale::en, Direction::HigherIsWorse, true) => format!("{b} or more"),
        (Locale::en, Direction::HigherIsWorse, false) => format!("over {b}"),
        (Locale::en, Direction::LowerIsWorse, true) => format!("{b} or less"),
        (Locale::en, Direction::LowerIsWorse, false) => format!("below {b}"),
    }
}

/// The cut-off a finding reached, if the item has numeric cut-offs.
fn reached_cutoff(l: Locale, item: CheckupItem, sex: Sex, band: Band) -> Option<String> {
    let t = item.threshold(sex)?;
    let c = match band {
        Band::SeeDoctor => t.see_doctor?,
        Band::Guidance => t.guidance,
        Band::Normal => return None,
    };
    Some(cutoff_text(l, c, t.direction))
}

/// One plain sentence per finding: what the value is, which level it reached, what to do.
fn sentence(l: Locale, f: &FindingView, sex: Sex) -> String {
    let item = pick(l, f.item.label_ja(), f.item.label_en());
    let value = format!("{}{}", f.value, unit_suffix(f.item));
    let cutoff = reached_cutoff(l, f.item, sex, f.band).unwrap_or_else(|| "+".to_owned());
    match (f.band, f.treated) {
        (Band::SeeDoctor, false) => td_string!(
            l,
            checkups_finding_see_doctor,
            item = item,
            value = value,
            cutoff = cutoff
        )
        .to_string(),
        (Band::SeeDoctor, true) => td_string!(
            l,
            checkups_finding_treated,
            item = item,
            value = value,
            cutoff = cutoff
        )
        .to_string(),
        _ => td_string!(
            l,
            checkups_finding_guidance,
            item = item,
            value = value,
            cutoff = cutoff
        )
        .to_string(),
    }
}

fn unit_suffix(item: CheckupItem) -> String {
    match item.unit() {
        "" => String::new(),
        "%" => "%".to_owned(),
        u => format!(" {u}"),
    }
}

fn guidance_text(l: Locale, g: &GuidanceOutcome) -> String {
    match g {
        GuidanceOutcome::Stratified(s) => {
            let level = pick(l, s.level.label_ja(), s.level.label_en());
            if s.age_capped {
                td_string!(l, checkups_guidance_age_capped, level = level).to_string()
            } else {
                level
            }
        }
        GuidanceOutcome::LaterElderly => td_string!(l, checkups_guidance_later_elderly).to_string(),
        GuidanceOutcome::Under40 => td_string!(l, checkups_guidance_under40).to_string(),
        GuidanceOutcome::OnMedication => td_string!(l, checkups_guidance_on_medication).to_string(),
        GuidanceOutcome::NotObese => td_string!(l, checkups_guidance_not_obese).to_string(),
        GuidanceOutcome::NotMeasured(item) => td_string!(
            l,
            checkups_guidance_not_measured,
            item = pick(l, item.label_ja(), item.label_en())
        )
        .to_string(),
    }
}

#[component]
fn Latest(latest: LatestCheckup, sex: Sex) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let heading = td_string!(
        l,
        checkups_latest_heading,
        year = format::fiscal_year(l, latest.fiscal_year)
    )
    .to_string();
    let sentences: Vec<String> = latest
        .findings
        .iter()
        .map(|f| sentence(l, f, sex))
        .collect();
    let normal = latest.normal_count;
    view! {
        <section class="section card" aria-labelledby="latest-heading">
            <h2 id="latest-heading" class="card__title">{heading}</h2>
            <dl class="facts">
                <div><dt>{t!(i18n, checkups_examined_on)}</dt><dd>{format::date_era(l, latest.examined_on)}</dd></div>
                <div><dt>{t!(i18n, checkups_place)}</dt><dd>{pick(l, &latest.place.name, &latest.place.name_en)}</dd></div>
                <div><dt>{t!(i18n, checkups_kind)}</dt><dd>{pick(l, latest.kind.label_ja(), latest.kind.label_en())}</dd></div>
                {latest.verdict.map(|v| view! {
                    <div><dt>{t!(i18n, checkups_verdict)}</dt><dd>{pick(l, v.label_ja(), v.label_en())}</dd></div>
                })}
                <div><dt>{t!(i18n, checkups_guidance)}</dt><dd>{guidance_text(l, &latest.guidance)}</dd></div>
            </dl>
            <h3>{t!(i18n, checkups_findings_heading)}</h3>
            {if sentences.is_empty() {
                view! { <p>{t!(i18n, checkups_all_normal)}</p> }.into_any()
            } else {
                view! {
                    <ul class="findings">{sentences.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                    {(normal > 0).then(|| view! { <p>{td_string!(l, checkups_others_normal, count = normal).to_string()}</p> })}
                }.into_any()
            }}
            <p class="muted">{move || if latest.kind == CheckupKind::LaterElderly {
                t_string!(i18n, checkups_computed_note_elderly).to_string()
            } else {
                t_string!(i18n, checkups_computed_note).to_string()
            }}</p>
        </section>
    }
}

#[component]
fn ItemTrend(trend: Trend, sex: Sex) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let item = trend.item;
    let name = pick(l, item.label_ja(), item.label_en());
    let unit = item.unit();
    let title = if unit.is_empty() {
        name.clone()
    } else {
        format!("{name}（{unit}）")
    };
    let bands = item.threshold(sex).map(|t| {
        let guidance = cutoff_text(l, t.guidance, t.direction);
        match t.see_doctor {
            Some(s) => td_string!(
                l,
                checkups_bands_both,
                guidance = guidance,
                see_doctor = cutoff_text(l, s, t.direction)
            )
            .to_string(),
            None => td_string!(l, checkups_bands_guidance_only, guidance = guidance).to_string(),
        }
    });
    let latest = trend.points.last().cloned();
    let summary = latest
        .map(|p| {
            let band = p
                .band
                .map(|b| pick(l, b.label_ja(), b.label_en()))
                .unwrap_or_default();
            td_string!(
                l,
                checkups_trend_summary,
                count = trend.points.len(),
                year = format::fiscal_year(l, p.fiscal_year),
                value = format!("{}{}", p.value, unit_suffix(item)),
                band = band
            )
            .to_string()
        })
        .unwrap_or_default();
    let caption_id = format!("caption-{}", item.code());
    let caption = match &bands {
        Some(b) => format!("{name}: {b}"),
        None => name.clone(),
    };
    let table = view! {
        <DataTable caption_id=caption_id.clone() caption=caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, checkups_col_year)}</th>
                    <th scope="col">{t!(i18n, checkups_examined_on)}</th>
                    <th scope="col" class="num">{t!(i18n, checkups_col_value)}</th>
                    <th scope="col">{t!(i18n, checkups_col_band)}</th>
                </tr></thead>
                <tbody>
                    {trend.points.iter().map(|p| view! {
                        <tr>
                            <th scope="row" class="nowrap">{format::fiscal_year(l, p.fiscal_year)}</th>
                            <td class="nowrap">{format::date(l, p.examined_on)}</td>
                            <td class="num">{p.value.clone()}</td>
                            <td>{p.band.map(|b| view! {
                                <span class=format!("band band--{}", b.as_str())>{pick(l, b.label_ja(), b.label_en())}</span>
                            })}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
        </DataTable>
    };
    view! {
        <div class="trend">
            {match trend.chart {
                Some(spec) => view! { <Chart spec title=title summary>{table}</Chart> }.into_any(),
                None => view! { <h3>{title}</h3> <p class="chart__summary">{summary}</p> {table} }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Records(records: Vec<crate::checkups::CheckupRef>) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    view! {
        <section class="section" aria-labelledby="records-heading">
            <h2 id="records-heading">{t!(i18n, checkups_records_heading)}</h2>
            <DataTable caption_id="records-caption" caption=td_string!(l, checkups_records_caption).to_string()>
                    <thead><tr>
                        <th scope="col">{t!(i18n, checkups_examined_on)}</th>
                        <th scope="col">{t!(i18n, checkups_place)}</th>
                        <th scope="col">{t!(i18n, checkups_kind)}</th>
                        <th scope="col" class="no-print">{t!(i18n, col_report)}</th>
                    </tr></thead>
                    <tbody>
                        {records.into_iter().map(|r| view! {
                            <tr>
                                <th scope="row" class="nowrap">{format::date(l, r.examined_on)}</th>
                                <td>{pick(l, &r.place.name, &r.place.name_en)}</td>
                                <td>{pick(l, r.kind.label_ja(), r.kind.label_en())}</td>
                                <td class="no-print"><ReportLink kind=RecordKind::Checkup id=r.id /></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
            </DataTable>
        </section>
    }
}
