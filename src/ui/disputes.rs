//! The "not my record" pieces every records page shares: the link on each record, and the list
//! of the patient's reports with where each stands.

use crate::disputes::{DisputeReason, DisputeStatus, DisputeView, RecordKind};
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The link beside a record; the report form names the record again before anything is sent.
/// Not for a proxy: only the patient says a record is not theirs.
#[component]
pub fn ReportLink(kind: RecordKind, id: i64) -> impl IntoView {
    let i18n = use_i18n();
    (!crate::ui::layout::acting_now()).then(|| {
        view! {
            <a class="report-link" href=format!("/report?kind={}&id={id}", kind.as_str())>
                {t!(i18n, dispute_link)}
            </a>
        }
    })
}

pub fn reason_label(l: Locale, r: DisputeReason) -> String {
    match r {
        DisputeReason::NotMe => td_string!(l, dispute_reason_not_me),
        DisputeReason::NeverVisited => td_string!(l, dispute_reason_never_visited),
        DisputeReason::WrongContent => td_string!(l, dispute_reason_wrong_content),
    }
    .to_string()
}

/// The patient's reports about records of one kind (loaded with the page's records, see
/// [`crate::ui::records::RecordsGate`]), and a confirmation after a report.
#[component]
pub fn DisputeList(list: Vec<DisputeView>) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let query = use_query_map();
    let just_reported = move || query.with(|q| q.get("reported").is_some());
    view! {
        <Show when=just_reported>
            <p class="notice notice--info" role="status">{t!(i18n, dispute_received)}</p>
        </Show>
        {(!list.is_empty()).then(|| view! {
            <section class="section" aria-labelledby="disputes-heading">
                <h2 id="disputes-heading">{t!(i18n, dispute_list_heading)}</h2>
                <p>{t!(i18n, dispute_list_lead)}</p>
                <ul class="card-list">
                    {list.into_iter().map(|d| {
                        let status = match d.status {
                            DisputeStatus::Open => td_string!(l, dispute_status_open).to_string(),
                            DisputeStatus::Upheld => td_string!(l, dispute_status_upheld).to_string(),
                            DisputeStatus::Rejected => td_string!(l, dispute_status_rejected).to_string(),
                        };
                        view! {
                            <li class="card">
                                <p class="card__lead">{d.summary}</p>
                                <dl class="facts facts--compact">
                                    <div><dt>{t!(i18n, dispute_reason)}</dt><dd>{reason_label(l, d.reason)}</dd></div>
                                    <div><dt>{t!(i18n, dispute_reported_at)}</dt><dd>{format::timestamp(l, d.reported_at)}</dd></div>
                                    <div><dt>{t!(i18n, dispute_status)}</dt><dd><span class="tag">{status}</span></dd></div>
                                </dl>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}
