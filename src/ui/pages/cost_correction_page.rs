//! 支払額と補填の記録: what the patient really paid one institution for one month, and what was
//! refunded, beside what the cost notice says. Plain forms that work without JavaScript; a form
//! with mistakes comes back in the post's answer (`server::forms`) with what was typed.

use crate::costs::correction::{CorrectionTarget, load_correction};
use crate::domain::card_check::StepUpFor;
use crate::error::FieldError;
use crate::format::{self, pick};
use crate::i18n::*;
use crate::ui::card_check::CardCheck;
use crate::ui::page_title::PageTitle;
use crate::ui::records::{FieldErrors, InputField, RecordsGate};
use crate::ui::table::DataTable;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const RECORD_FORM: &str = "correction-form";
const WITHDRAW_FORM: &str = "withdraw-form";

/// What a form that came back carried: the typed amounts, `field:code,...` and which form.
#[derive(Clone, Default)]
struct Typed {
    paid: String,
    reimbursed: String,
    errors: Vec<FieldError>,
    withdraw: bool,
    saved: bool,
}

#[component]
pub fn CostCorrectionPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let (target, typed) = query.with_untracked(|q| {
        let get = |k: &str| q.get(k).unwrap_or_default();
        let errors = FieldError::parse_list(&get("errors"))
            .into_iter()
            .filter(|e| ["paid", "reimbursed", "card"].contains(&e.field.as_str()))
            .collect();
        (
            load_correction(get("month"), get("institution")),
            Typed {
                paid: get("paid"),
                reimbursed: get("reimbursed"),
                errors,
                withdraw: get("form") == "withdraw",
                saved: q.get("saved").is_some(),
            },
        )
    });
    provide_context(typed);
    view! {
        <PageTitle text=t_string!(i18n, page_cost_correction).to_string() />
        <h1>{t!(i18n, page_cost_correction)}</h1>
        // Live: the page echoes what a form that came back carried, so it is never kept.
        <RecordsGate load=target live=true not_found=not_found render=|t| view! { <Correction target=t /> }.into_any() />
    }
}

/// A month and institution the patient has no notice for (or a proxy asking): 404, as for
/// any address that leads nowhere.
fn not_found() -> AnyView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <p class="notice notice--error" role="alert">{t!(i18n, error_not_found)}</p>
        <p><a href="/costs">{t!(i18n, correction_back)}</a></p>
    }
    .into_any()
}

#[component]
fn Correction(target: CorrectionTarget) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let typed = use_context::<Typed>().unwrap_or_default();
    let institution = pick(l, &target.institution.name, &target.institution.name_en);
    let month = format::month(l, &target.month);
    let year = target.month.get(..4).unwrap_or_default().to_owned();
    let back = format!("/costs?year={year}#notices-heading");
    // A form that came back shows what was typed; otherwise the amounts in force, so changing
    // one keeps the other.
    let corrected = target.in_force.is_some();
    let came_back = !typed.errors.is_empty() && !typed.withdraw;
    let (paid, reimbursed) = match (&target.in_force, came_back) {
        (_, true) => (typed.paid.clone(), typed.reimbursed.clone()),
        (Some(entry), false) => (
            entry.paid.map(|p| p.to_string()).unwrap_or_default(),
            if entry.reimbursed > 0 {
                entry.reimbursed.to_string()
            } else {
                String::new()
            },
        ),
        (None, false) => (String::new(), String::new()),
    };
    let card_form = typed
        .errors
        .iter()
        .any(|e| e.field == "card")
        .then_some(if typed.withdraw {
            WITHDRAW_FORM
        } else {
            RECORD_FORM
        });
    view! {
        {typed.saved.then(|| view! {
            <p class="notice notice--info" role="status">{t!(i18n, correction_saved)}</p>
        })}
        <p class="lead">{t!(i18n, correction_lead)}</p>
        <section class="section" aria-labelledby="notice-heading">
            <h2 id="notice-heading">{t!(i18n, correction_notice_heading)}</h2>
            <DataTable caption_id="notice-caption" caption=td_string!(l, correction_notice_caption, month = month.clone(), institution = institution.clone()).to_string()>
                <thead><tr>
                    <th scope="col">{t!(i18n, costs_col_type)}</th>
                    <th scope="col" class="num">{t!(i18n, costs_col_days)}</th>
                    <th scope="col" class="num">{t!(i18n, costs_col_total)}</th>
                    <th scope="col" class="num">{t!(i18n, costs_col_patient)}</th>
                </tr></thead>
                <tbody>
                    {target.lines.iter().map(|n| view! {
                        <tr>
                            <th scope="row">{pick(l, n.care_type.label_ja(), n.care_type.label_en())}</th>
                            <td class="num">{n.days}</td>
                            <td class="num">{format::yen(l, n.total)}</td>
                            <td class="num">{format::yen(l, n.share)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot><tr>
                    <th scope="row">{t!(i18n, correction_col_share_total)}</th>
                    <td></td>
                    <td class="num">{format::yen(l, target.total)}</td>
                    <td class="num">{format::yen(l, target.share)}</td>
                </tr></tfoot>
            </DataTable>
        </section>
        <section class="section" aria-labelledby="current-heading">
            <h2 id="current-heading">{t!(i18n, correction_current_heading)}</h2>
            <dl class="facts">
                <div><dt>{t!(i18n, correction_paid)}</dt><dd>
                    {format::yen(l, target.paid)}
                    {(!corrected).then(|| format!(" ({})", td_string!(l, correction_as_notice)))}
                </dd></div>
                <div><dt>{t!(i18n, correction_reimbursed)}</dt><dd>{format::yen(l, target.reimbursed)}</dd></div>
                <div><dt>{t!(i18n, costs_counted_total)}</dt><dd>{format::yen(l, target.paid - target.reimbursed)}</dd></div>
            </dl>
        </section>
        <section class="section" aria-labelledby="correction-form-heading">
            <h2 id="correction-form-heading">{t!(i18n, correction_form_heading)}</h2>
            <FieldErrors errors=typed.errors.clone() heading=td_string!(l, form_errors_heading).to_string() labels=vec![
                ("paid".to_owned(), td_string!(l, correction_paid).to_string()),
                ("reimbursed".to_owned(), td_string!(l, correction_reimbursed).to_string()),
                ("card".to_owned(), td_string!(l, card_check_label).to_string()),
            ] />
            {card_form.map(|form_id| view! { <CardCheck purpose=StepUpFor::CorrectCosts form_id=form_id.to_owned() /> })}
            <form method="post" action="/costs" class="form" id=RECORD_FORM>
                <input type="hidden" name="action" value="correct" />
                <input type="hidden" name="month" value=target.month.clone() />
                <input type="hidden" name="institution" value=target.institution.code.clone() />
                <InputField name="paid" label=td_string!(l, correction_paid).to_string() inputmode="numeric"
                    value=paid
                    hint=td_string!(l, correction_paid_hint, share = format::yen(l, target.share)).to_string()
                    errors=typed.errors.clone() />
                <InputField name="reimbursed" label=td_string!(l, correction_reimbursed).to_string() inputmode="numeric"
                    value=reimbursed
                    hint=td_string!(l, correction_reimbursed_hint).to_string()
                    errors=typed.errors.clone() />
                <p class="actions">
                    <button type="submit" class="button button--primary">{t!(i18n, correction_submit)}</button>
                    <a class="button button--secondary" href=back.clone()>{t!(i18n, correction_back)}</a>
                </p>
            </form>
        </section>
        {corrected.then(|| view! {
            <section class="section" aria-labelledby="withdraw-heading">
                <h2 id="withdraw-heading">{t!(i18n, correction_withdraw_heading)}</h2>
                <p>{t!(i18n, correction_withdraw_lead)}</p>
                <form method="post" action="/costs" class="form" id=WITHDRAW_FORM>
                    <input type="hidden" name="action" value="withdraw_correction" />
                    <input type="hidden" name="month" value=target.month.clone() />
                    <input type="hidden" name="institution" value=target.institution.code.clone() />
                    <p class="actions"><button type="submit" class="button button--secondary">{t!(i18n, correction_withdraw)}</button></p>
                </form>
            </section>
        })}
        <section class="section" aria-labelledby="history-heading">
            <h2 id="history-heading">{t!(i18n, correction_history_heading)}</h2>
            {if target.history.is_empty() {
                view! { <p class="empty">{t!(i18n, correction_history_none)}</p> }.into_any()
            } else {
                view! {
                    <DataTable caption_id="history-caption" caption=td_string!(l, correction_history_caption).to_string()>
                        <thead><tr>
                            <th scope="col">{t!(i18n, correction_col_recorded_at)}</th>
                            <th scope="col" class="num">{t!(i18n, correction_paid)}</th>
                            <th scope="col" class="num">{t!(i18n, correction_reimbursed)}</th>
                        </tr></thead>
                        <tbody>
                            {target.history.iter().map(|h| view! {
                                <tr>
                                    <th scope="row" class="nowrap">{format::timestamp(l, h.recorded_at)}</th>
                                    {if h.withdrawal {
                                        view! { <td colspan="2">{t!(i18n, correction_withdrawn)}</td> }.into_any()
                                    } else {
                                        view! {
                                            <td class="num">{match h.paid {
                                                Some(paid) => format::yen(l, paid),
                                                None => td_string!(l, correction_as_notice).to_string(),
                                            }}</td>
                                            <td class="num">{format::yen(l, h.reimbursed)}</td>
                                        }.into_any()
                                    }}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </DataTable>
                }.into_any()
            }}
        </section>
    }
}
