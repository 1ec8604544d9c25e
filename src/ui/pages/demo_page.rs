//! Demo only: pick a fictitious patient to look around as.

use crate::demo_picker::demo_patients;
use crate::error::PortalError;
use crate::i18n::*;
use crate::ui::pages::not_found_page::PageTitle;
use crate::ui::status::{ErrorPanel, Loading};
use leptos::prelude::*;

#[component]
pub fn DemoPage() -> impl IntoView {
    let i18n = use_i18n();
    let patients = OnceResource::new(demo_patients());
    view! {
        <PageTitle text=move || t_string!(i18n, page_demo).to_string() />
        <h1>{t!(i18n, demo_heading)}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match patients.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">{t!(i18n, demo_none)}</p> }.into_any(),
                    Ok(list) => view! {
                        <p>{t!(i18n, demo_lead)}</p>
                        <ul class="card-list">
                            {list.into_iter().map(|p| {
                                let age = p.age;
                                let c = p.counts;
                                let name = p.name.clone();
                                view! {
                                    <li class="card">
                                        <h2 class="card__title">{p.name.clone()}</h2>
                                        <p class="card__meta">
                                            {move || t_string!(i18n, demo_age, age = age).to_string()}
                                            " · "
                                            {move || t_string!(i18n, demo_records, meds = c.medications, checkups = c.checkups, costs = c.costs).to_string()}
                                        </p>
                                        <form method="post" action="/demo/select">
                                            <input type="hidden" name="patient" value=p.public_id.clone() />
                                            <button type="submit" class="button button--primary">
                                                {move || t_string!(i18n, demo_choose_named, name = name.clone()).to_string()}
                                            </button>
                                        </form>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <form method="post" action="/demo/leave">
                            <button type="submit" class="button button--secondary">{t!(i18n, demo_leave)}</button>
                        </form>
                    }.into_any(),
                    Err(PortalError::NotFound) => view! { <p class="empty">{t!(i18n, demo_unavailable)}</p> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
