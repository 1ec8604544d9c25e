//! 医療費の記録: one calendar year by month (stacked by type of care, each month complete or
//! still open), the deduction estimate with an optional income, the tax-form download, and
//! totals by year. Everything is a form or a link, so it works without JavaScript: the year is
//! a GET form; receipts and the income for the estimate are posted, and a form with mistakes
//! comes back in the post's answer (`server::forms`), never with what was typed in the address.

use crate::costs::{CostPage, CostQuery, MonthView, ReceiptTyped, load_costs};
use crate::disputes::RecordKind;
use crate::domain::card_check::StepUpFor;
use crate::domain::cost::{ByCareType, MonthStatus, ThresholdBasis};
use crate::format::{self, pick};
use crate::i18n::*;
use crate::ui::card_check::CardCheck;
use crate::ui::chart::Chart;
use crate::ui::disputes::ReportLink;
use crate::ui::page_title::PageTitle;
use crate::ui::records::{FieldErrors, FreshnessNote, InputField, RecordsGate, field_error};
use crate::ui::table::DataTable;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CostsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let data = query.with_untracked(|q| {
        let get = |k: &str| q.get(k).unwrap_or_default();
        CostQuery {
            year: get("year"),
            income: get("income"),
            receipt: ReceiptTyped {
                paid_on: get("r_paid_on"),
                payee: get("r_payee"),
                kind: get("r_kind"),
                amount: get("r_amount"),
                reimbursed: get("r_reimbursed"),
                errors: get("r_errors"),
            },
        }
    });
    let data = load_costs(data, format::tag(i18n.get_locale_untracked()).to_owned());
    view! {
        <PageTitle text=t_string!(i18n, page_costs).to_string() />
        <h1>{t!(i18n, page_costs)}</h1>
        <RecordsGate load=data disputes=RecordKind::CostNotice render=|page| view! { <Costs page /> }.into_any() />
    }
}

#[component]
fn Costs(page: CostPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    if !page.any_notices {
        return view! {
            <FreshnessNote freshness=page.freshness.clone() />
            <p class="empty">{t!(i18n, costs_empty)}</p>
            // Receipts need no notice: a patient can start with their own.
            <Receipts page=page.clone() />
        }
        .into_any();
    }
    let year = page.year;
    let (total, patient): (i64, i64) = page
        .months
        .iter()
        .fold((0, 0), |(t, p), m| (t + m.total, p + m.patient_paid));
    let months = page.months.clone();
    let summary = td_string!(
        l,
        costs_chart_summary,
        year = year,
        total = format::yen(l, total),
        patient = format::yen(l, patient)
    )
    .to_string();
    view! {
        <p class="lead">{t!(i18n, costs_lead)}</p>
        <FreshnessNote freshness=page.freshness.clone() />
        <p class="notice notice--info">{t!(i18n, costs_lag_notice)}</p>
        <YearForm page=page.clone() />
        <section class="section" aria-labelledby="months-heading">
            <h2 id="months-heading">{td_string!(l, costs_months_heading, year = year).to_string()}</h2>
            {match page.chart.clone() {
                Some(spec) => view! {
                    <Chart spec title=td_string!(l, costs_chart_title).to_string() summary>
                        <MonthTable months=months.clone() year />
                    </Chart>
                }.into_any(),
                None => view! { <p class="empty">{td_string!(l, costs_year_empty, year = year).to_string()}</p> }.into_any(),
            }}
        </section>
        <Notices page=page.clone() />
        <Receipts page=page.clone() />
        <Deduction page=page.clone() />
        <Yearly page />
    }
    .into_any()
}

#[component]
fn YearForm(page: CostPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let year_errors: Vec<_> = page
        .errors
        .iter()
        .filter(|e| e.field == "year")
        .cloned()
        .collect();
    view! {
        <section class="section no-print" aria-labelledby="year-heading">
            <h2 id="year-heading">{t!(i18n, costs_form_heading)}</h2>
            <FieldErrors errors=year_errors heading=td_string!(l, filters_errors_heading).to_string() labels=vec![
                ("year".to_owned(), td_string!(l, costs_year).to_string()),
            ] />
            <form method="get" action="/costs" class="form filters">
                <div class="filters__row">
                    <div class="field">
                        <label for="f-year">{t!(i18n, costs_year)}</label>
                        <select id="f-year" name="year">
                            {page.years.iter().map(|y| view! {
                                <option value=y.to_string() selected=*y == page.year>{td_string!(l, costs_year_option, year = *y).to_string()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <p class="actions">
                    <button type="submit" class="button button--primary">{t!(i18n, costs_show)}</button>
                </p>
            </form>
        </section>
    }
}

/// The income for the deduction estimate: posted, so the amount never sits in an address, and
/// answered with this page; it is not stored.
#[component]
fn IncomeForm(page: CostPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let income_errors: Vec<_> = page
        .errors
        .iter()
        .filter(|e| e.field == "income")
        .cloned()
        .collect();
    let income_error = income_errors.first().map(|e| field_error(l, &e.code));
    let invalid = income_error.as_ref().map(|_| "true");
    let described = if income_error.is_some() {
        "f-income-hint f-income-error"
    } else {
        "f-income-hint"
    };
    view! {
        <FieldErrors errors=income_errors heading=td_string!(l, form_errors_heading).to_string() labels=vec![
            ("income".to_owned(), td_string!(l, costs_income).to_string()),
        ] />
        <form method="post" action="/costs" class="form no-print" id="income-form">
            <input type="hidden" name="action" value="estimate" />
            <input type="hidden" name="year" value=page.year.to_string() />
            <div class="field" class:field--error=income_error.is_some()>
                <label for="f-income">{t!(i18n, costs_income)}</label>
                <span class="hint" id="f-income-hint">{t!(i18n, costs_income_hint)}</span>
                {income_error.clone().map(|m| view! { <span class="field__error" id="f-income-error">{m}</span> })}
                <input type="text" inputmode="numeric" id="f-income" name="income" autocomplete="off"
                    value=page.query.income.clone() aria-invalid=invalid aria-describedby=described />
            </div>
            <p class="actions">
                <button type="submit" class="button button--secondary">{t!(i18n, costs_estimate)}</button>
            </p>
        </form>
    }
}

#[component]
fn MonthTable(months: Vec<MonthView>, year: i32) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let types = ByCareType::ORDER;
    view! {
        <DataTable caption_id="months-caption" caption=td_string!(l, costs_months_caption, year = year).to_string()>
                <thead><tr>
                    <th scope="col">{t!(i18n, costs_col_month)}</th>
                    {types.iter().map(|t| view! { <th scope="col" class="num">{pick(l, t.label_ja(), t.label_en())}</th> }).collect_view()}
                    <th scope="col" class="num">{t!(i18n, costs_col_total)}</th>
                    <th scope="col" class="num">{t!(i18n, costs_col_insurer)}</th>
                    <th scope="col" class="num">{t!(i18n, costs_col_patient)}</th>
                    <th scope="col">{t!(i18n, costs_col_status)}</th>
                </tr></thead>
                <tbody>
                    {months.into_iter().map(|m| view! {
                        <tr>
                            <th scope="row" class="nowrap">{format::month(l, &m.month)}</th>
                            {m.by_type.iter().map(|v| view! { <td class="num">{format::yen(l, *v)}</td> }).collect_view()}
                            <td class="num">{format::yen(l, m.total)}</td>
                            <td class="num">{format::yen(l, m.insurer_paid)}</td>
                            <td class="num">{format::yen(l, m.patient_paid)}</td>
                            <td>{match m.status {
                                MonthStatus::Complete => td_string!(l, costs_complete).to_string(),
                                MonthStatus::ExpectedBy(d) => td_string!(l, costs_expected_by, date = format::date(l, d)).to_string(),
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
        </DataTable>
    }
}

#[component]
fn Deduction(page: CostPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let d = page.deduction;
    let e = page.expenses;
    // Show how the patient's records changed the notices' share only where they did.
    let corrected = e.notices_paid != e.notices_share || e.notices_reimbursed.value() > 0;
    let year = page.year;
    let basis = match d.basis {
        ThresholdBasis::Standard => td_string!(l, costs_basis_standard).to_string(),
        ThresholdBasis::IncomeShare => td_string!(l, costs_basis_income).to_string(),
    };
    let verdict = if d.is_deductible() {
        td_string!(
            l,
            costs_over,
            over = format::yen(l, d.over_by.value()),
            deductible = format::yen(l, d.deductible.value())
        )
        .to_string()
    } else {
        td_string!(
            l,
            costs_remaining,
            remaining = format::yen(l, d.remaining.value())
        )
        .to_string()
    };
    let open_months = page
        .months
        .iter()
        .filter(|m| !m.status.is_complete())
        .count();
    view! {
        <section class="section" aria-labelledby="deduction-heading">
            <h2 id="deduction-heading">{td_string!(l, costs_deduction_heading, year = year).to_string()}</h2>
            <dl class="facts">
                <div><dt>{t!(i18n, costs_paid_total)}</dt><dd>{format::yen(l, e.notices_share.value())}</dd></div>
                {corrected.then(|| view! {
                    <div><dt>{t!(i18n, costs_corrected_paid)}</dt><dd>{format::yen(l, e.notices_paid.value())}</dd></div>
                    <div><dt>{t!(i18n, costs_notices_reimbursed)}</dt><dd>{format::yen(l, e.notices_reimbursed.value())}</dd></div>
                })}
                <div><dt>{t!(i18n, costs_receipts_total)}</dt><dd>{format::yen(l, e.receipts_paid.value() - e.receipts_reimbursed.value())}</dd></div>
                <div><dt>{t!(i18n, costs_counted_total)}</dt><dd>{format::yen(l, e.total.value())}</dd></div>
                <div><dt>{t!(i18n, costs_threshold)}</dt><dd>{format!("{} ({basis})", format::yen(l, d.threshold.value()))}</dd></div>
            </dl>
            <p><strong>{verdict}</strong></p>
            <IncomeForm page=page.clone() />
            {(open_months > 0).then(|| view! { <p>{td_string!(l, costs_open_months, count = open_months).to_string()}</p> })}
            <p>{t!(i18n, costs_receipts_note)}</p>
            <h3 id="export-heading">{t!(i18n, costs_export_heading)}</h3>
            <p>
                <a class="button button--primary" href=format!("/costs/export.xlsx?year={year}") download=format!("iryouhi_form_{year}.xlsx")>
                    {td_string!(l, costs_export_workbook, year = year).to_string()}
                </a>
            </p>
            <p class="hint">{t!(i18n, costs_export_workbook_hint)}</p>
            <p>
                <a class="button button--secondary" href=format!("/costs/export?year={year}") download=format!("iryouhi_{year}.csv")>
                    {td_string!(l, costs_export, year = year).to_string()}
                </a>
            </p>
            <p class="hint">{t!(i18n, costs_export_hint)}</p>
        </section>
    }
}

#[component]
fn Yearly(page: CostPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    view! {
        <section class="section" aria-labelledby="yearly-heading">
            <h2 id="yearly-heading">{t!(i18n, costs_yearly_heading)}</h2>
            <DataTable caption_id="yearly-caption" caption=td_string!(l, costs_yearly_caption).to_string()>
                    <thead><tr>
                        <th scope="col">{t!(i18n, costs_year)}</th>
                        <th scope="col" class="num">{t!(i18n, costs_col_total)}</th>
                        <th scope="col" class="num">{t!(i18n, costs_col_insurer)}</th>
                        <th scope="col" class="num">{t!(i18n, costs_col_patient)}</th>
                    </tr></thead>
                    <tbody>
                        {page.yearly.into_iter().map(|y| view! {
                            <tr>
                                <th scope="row"><a href=format!("/costs?year={}", y.year)>{td_string!(l, costs_year_option, year = y.year).to_string()}</a></th>
                                <td class="num">{format::yen(l, y.total)}</td>
                                <td class="num">{format::yen(l, y.insurer_paid)}</td>
                                <td class="num">{format::yen(l, y.patient_paid)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
            </DataTable>
        </section>
    }
}

#[component]
fn Notices(page: CostPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    (!page.notices.is_empty()).then(|| view! {
        <section class="section" aria-labelledby="notices-heading">
            <h2 id="notices-heading">{t!(i18n, costs_notices_heading)}</h2>
            <DataTable caption_id="notices-caption" caption=td_string!(l, costs_notices_caption, year = page.year).to_string()>
                    <thead><tr>
                        <th scope="col">{t!(i18n, costs_col_month)}</th>
                        <th scope="col">{t!(i18n, costs_col_institution)}</th>
                        <th scope="col">{t!(i18n, costs_col_type)}</th>
                        <th scope="col" class="num">{t!(i18n, costs_col_days)}</th>
                        <th scope="col" class="num">{t!(i18n, costs_col_total)}</th>
                        <th scope="col" class="num">{t!(i18n, costs_col_patient)}</th>
                        <th scope="col">{t!(i18n, costs_col_correction)}</th>
                        <th scope="col" class="no-print">{t!(i18n, col_report)}</th>
                    </tr></thead>
                    <tbody>
                        {page.notices.into_iter().map(|n| view! {
                            <tr>
                                <th scope="row" class="nowrap">{format::month(l, &n.month)}</th>
                                <td>{pick(l, &n.institution.name, &n.institution.name_en)}</td>
                                <td>{pick(l, n.care_type.label_ja(), n.care_type.label_en())}</td>
                                <td class="num">{n.days}</td>
                                <td class="num">{format::yen(l, n.total)}</td>
                                <td class="num">{format::yen(l, n.patient_paid)}</td>
                                <td><Correction notice=n.clone() /></td>
                                <td class="no-print"><ReportLink kind=RecordKind::CostNotice id=n.id /></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
            </DataTable>
        </section>
    })
}

/// What the patient recorded for the notice's month and institution, and the link to record it
/// (the patient only: a proxy sees what was recorded).
#[component]
fn Correction(notice: crate::costs::NoticeView) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let recorded = notice.corrected.map(|(paid, reimbursed)| {
        td_string!(
            l,
            costs_corrected,
            paid = format::yen(l, paid),
            reimbursed = format::yen(l, reimbursed)
        )
        .to_string()
    });
    let institution = pick(l, &notice.institution.name, &notice.institution.name_en);
    let label = td_string!(
        l,
        costs_correct_link_label,
        month = format::month(l, &notice.month),
        institution = institution
    )
    .to_string();
    let href = format!(
        "/costs/correction?month={}&institution={}",
        notice.month, notice.institution.code
    );
    let own = !crate::ui::layout::acting_now();
    view! {
        {recorded.map(|r| view! { <span class="nowrap">{r}</span>" " })}
        {own.then(|| view! { <a href=href aria-label=label class="no-print">{t!(i18n, costs_correct_link)}</a> })}
    }
}

/// The id of the form that adds a receipt.
const ADD_FORM: &str = "receipt-add-form";

#[component]
fn Receipts(page: CostPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let year = page.year;
    let typed = page.query.receipt.clone();
    let field_errors = page.receipt_errors.clone();
    let kind_error = field_errors
        .iter()
        .find(|e| e.field == "kind")
        .map(|e| field_error(l, &e.code));
    // The server asked for a fresh card check: which form to send again after it.
    let card_check = page
        .receipt_errors
        .iter()
        .any(|e| e.field == "card")
        .then(|| {
            use_query_map()
                .with_untracked(|q| q.get("r_remove"))
                .filter(|id| id.chars().all(|c| c.is_ascii_digit()))
                .map(|id| format!("remove-receipt-{id}"))
                .unwrap_or_else(|| ADD_FORM.to_owned())
        });
    // Receipts are the patient's own statements: a proxy sees them, and changes none.
    let own = !crate::ui::layout::acting_now();
    view! {
        <section class="section" aria-labelledby="receipts-heading">
            <h2 id="receipts-heading">{t!(i18n, costs_receipts_heading)}</h2>
            <p>{t!(i18n, costs_receipts_lead)}</p>
            {if page.receipts.is_empty() {
                view! { <p class="empty">{td_string!(l, costs_receipts_none, year = year).to_string()}</p> }.into_any()
            } else {
                view! {
                    <DataTable caption_id="receipts-caption" caption=td_string!(l, costs_receipts_caption, year = year).to_string()>
                        <thead><tr>
                            <th scope="col">{t!(i18n, receipt_paid_on)}</th>
                            <th scope="col">{t!(i18n, receipt_payee)}</th>
                            <th scope="col">{t!(i18n, receipt_col_kind)}</th>
                            <th scope="col" class="num">{t!(i18n, costs_col_patient)}</th>
                            <th scope="col" class="num">{t!(i18n, receipt_col_reimbursed)}</th>
                            {own.then(|| view! { <th scope="col"><span class="visually-hidden">{t!(i18n, receipt_remove)}</span></th> })}
                        </tr></thead>
                        <tbody>
                            {page.receipts.iter().map(|r| {
                                let label = td_string!(l, receipt_remove_label, payee = r.payee.clone(), date = format::date(l, r.paid_on)).to_string();
                                view! {
                                    <tr>
                                        <th scope="row" class="nowrap">{format::date(l, r.paid_on)}</th>
                                        <td>{r.payee.clone()}</td>
                                        <td>{pick(l, r.kind.label_ja(), r.kind.label_en())}</td>
                                        <td class="num">{format::yen(l, r.amount)}</td>
                                        <td class="num">{format::yen(l, r.reimbursed)}</td>
                                        {own.then(|| view! {
                                            <td>
                                                <form method="post" action="/costs" class="inline-form" id=format!("remove-receipt-{}", r.id)>
                                                    <input type="hidden" name="action" value="remove_receipt" />
                                                    <input type="hidden" name="id" value=r.id.to_string() />
                                                    <input type="hidden" name="year" value=year.to_string() />
                                                    <button type="submit" class="button button--small" aria-label=label.clone()>{t!(i18n, receipt_remove)}</button>
                                                </form>
                                            </td>
                                        })}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </DataTable>
                }.into_any()
            }}
            {(!own).then(|| view! { <p class="hint">{t!(i18n, receipt_patient_only)}</p> })}
            {own.then(move || view! {
            <h3 id="receipt-form">{t!(i18n, receipt_form_heading)}</h3>
            <FieldErrors errors=page.receipt_errors.clone() heading=td_string!(l, form_errors_heading).to_string() labels=vec![
                ("paid_on".to_owned(), td_string!(l, receipt_paid_on).to_string()),
                ("payee".to_owned(), td_string!(l, receipt_payee).to_string()),
                ("kind".to_owned(), td_string!(l, receipt_kind).to_string()),
                ("amount".to_owned(), td_string!(l, receipt_amount).to_string()),
                ("reimbursed".to_owned(), td_string!(l, receipt_reimbursed).to_string()),
                ("card".to_owned(), td_string!(l, card_check_label).to_string()),
            ] />
            {card_check.map(|form_id| {
                let purpose = if form_id == ADD_FORM { StepUpFor::AddReceipt } else { StepUpFor::RemoveReceipt };
                view! { <CardCheck purpose form_id /> }
            })}
            <form method="post" action="/costs" class="form" id=ADD_FORM>
                <input type="hidden" name="action" value="add_receipt" />
                <InputField name="paid_on" label=td_string!(l, receipt_paid_on).to_string() input_type="date" value=typed.paid_on.clone()
                    hint=td_string!(l, filter_date_hint).to_string() errors=field_errors.clone() />
                <InputField name="payee" label=td_string!(l, receipt_payee).to_string() value=typed.payee.clone() errors=field_errors.clone() />
                <div class="field" class:field--error=kind_error.is_some()>
                    <label for="f-kind">{t!(i18n, receipt_kind)}</label>
                    {kind_error.clone().map(|m| view! { <span class="field__error" id="f-kind-error">{m}</span> })}
                    <select id="f-kind" name="kind" aria-describedby=kind_error.as_ref().map(|_| "f-kind-error")>
                        {crate::domain::cost::ReceiptKind::ALL.into_iter().map(|k| view! {
                            <option value=k.id() selected=typed.kind == k.id()>{pick(l, k.label_ja(), k.label_en())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <InputField name="amount" label=td_string!(l, receipt_amount).to_string() value=typed.amount.clone()
                    inputmode="numeric" errors=field_errors.clone() />
                <InputField name="reimbursed" label=td_string!(l, receipt_reimbursed).to_string() value=typed.reimbursed.clone()
                    inputmode="numeric" hint=td_string!(l, receipt_reimbursed_hint).to_string() errors=field_errors.clone() />
                <p class="actions"><button type="submit" class="button button--primary">{t!(i18n, receipt_add)}</button></p>
            </form>
            })}
        </section>
    }
}
