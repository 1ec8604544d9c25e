//! 保険の資格: today's qualification in full, then the history of insurers and numbers.

use crate::domain::qualification::InsuranceKind;
use crate::format::{self, pick};
use crate::i18n::*;
use crate::insurance::{InsurancePage, load_insurance};
use crate::ui::page_title::PageTitle;
use crate::ui::pages::home_page::{CeilingText, Coverage};
use crate::ui::records::RecordsGate;
use crate::ui::table::DataTable;
use leptos::prelude::*;

#[component]
pub fn InsurancePage() -> impl IntoView {
    let i18n = use_i18n();
    let data = load_insurance();
    view! {
        <PageTitle text=t_string!(i18n, page_insurance).to_string() />
        <h1>{t!(i18n, page_insurance)}</h1>
        <RecordsGate load=data render=|page| view! { <Insurance page /> }.into_any() />
    }
}

#[component]
fn Insurance(page: InsurancePage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let current: Vec<_> = page
        .coverages
        .iter()
        .filter(|c| page.is_current(c))
        .cloned()
        .collect();
    view! {
        <p class="lead">{t!(i18n, insurance_lead)}</p>
        <section class="section" aria-labelledby="current-heading">
            <h2 id="current-heading">{t!(i18n, insurance_current)}</h2>
            {if current.is_empty() {
                view! { <p class="empty">{t!(i18n, home_no_coverage)}</p> }.into_any()
            } else {
                current.into_iter().map(|c| view! { <div class="card"><Coverage coverage=c /></div> }).collect_view().into_any()
            }}
        </section>
        <section class="section" aria-labelledby="history-heading">
            <h2 id="history-heading">{t!(i18n, insurance_history)}</h2>
            <DataTable caption_id="history-caption" caption=td_string!(l, insurance_history_caption).to_string()>
                    <thead><tr>
                        <th scope="col">{t!(i18n, home_valid)}</th>
                        <th scope="col">{t!(i18n, home_coverage_kind)}</th>
                        <th scope="col">{t!(i18n, home_insurer)}</th>
                        <th scope="col">{t!(i18n, insurance_number)}</th>
                        <th scope="col">{t!(i18n, home_ceiling)}</th>
                    </tr></thead>
                    <tbody>
                        {page.coverages.iter().map(|c| {
                            let period = match c.valid_to {
                                Some(to) => format!("{} – {}", format::date_era(l, c.valid_from), format::date_era(l, to)),
                                None => td_string!(l, home_valid_open, from = format::date_era(l, c.valid_from)).to_string(),
                            };
                            let current = page.is_current(c);
                            view! {
                                <tr>
                                    <th scope="row">{period}
                                        {current.then(|| view! { " " <span class="tag">{t!(i18n, insurance_now)}</span> })}
                                    </th>
                                    <td>{pick(l, c.kind.label_ja(), c.kind.label_en())}</td>
                                    <td>{c.insurer_name.clone()}</td>
                                    <td class="nowrap">{c.number_masked.clone()}</td>
                                    <td>{match (c.kind, c.ceiling) {
                                        (InsuranceKind::WelfareAid, _) => "—".into_any(),
                                        (_, Some(cat)) => view! { <CeilingText category=cat /> }.into_any(),
                                        (_, None) => td_string!(l, home_ceiling_none).to_string().into_any(),
                                    }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
            </DataTable>
        </section>
    }
}
