//! 記録の確認の依頼: the patient says a record is not theirs. A plain form post that works
//! without JavaScript; a mistake comes back in the post's answer (`server::forms`) with a
//! summary and what was typed.

use crate::disputes::{DisputeReason, NOTE_MAX_CHARS, load_report_target};
use crate::domain::card_check::StepUpFor;
use crate::i18n::*;
use crate::ui::card_check::CardCheck;
use crate::ui::disputes::reason_label;
use crate::ui::page_title::PageTitle;
use crate::ui::records::RecordsGate;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[derive(Clone)]
struct Typed {
    error: String,
    reason: String,
    note: String,
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let target = query.with_untracked(|q| {
        load_report_target(
            q.get("kind").unwrap_or_default(),
            q.get("id").unwrap_or_default(),
        )
    });
    let typed = query.with_untracked(|q| Typed {
        error: q.get("error").unwrap_or_default(),
        reason: q.get("reason").unwrap_or_default(),
        note: q.get("note").unwrap_or_default(),
    });
    provide_context(typed);
    view! {
        <PageTitle text=t_string!(i18n, page_report).to_string() />
        <h1>{t!(i18n, page_report)}</h1>
        <RecordsGate load=target render=|t| view! { <ReportForm target=t /> }.into_any() />
    }
}

#[component]
fn ReportForm(target: crate::disputes::ReportTarget) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let typed = use_context::<Typed>().unwrap_or(Typed {
        error: String::new(),
        reason: String::new(),
        note: String::new(),
    });
    if target.reported {
        return view! {
            <p class="card__lead">{target.summary.clone()}</p>
            <p class="notice notice--info">{t!(i18n, dispute_already)}</p>
            <p><a href=crate::disputes::page_of(target.kind)>{t!(i18n, dispute_back)}</a></p>
        }
        .into_any();
    }
    let error = match typed.error.as_str() {
        "" => None,
        "note_too_long" => Some((
            "f-note",
            td_string!(l, dispute_error_note_too_long, max = NOTE_MAX_CHARS).to_string(),
        )),
        "step_up_required" => Some(("f-card", td_string!(l, err_step_up_required).to_string())),
        _ => Some((
            "f-reason-0",
            td_string!(l, dispute_error_reason).to_string(),
        )),
    };
    let reason_error = error.as_ref().is_some_and(|(f, _)| *f == "f-reason-0");
    let note_error = error.as_ref().is_some_and(|(f, _)| *f == "f-note");
    view! {
        <p class="lead">{t!(i18n, dispute_lead)}</p>
        <section class="card section" aria-labelledby="record-heading">
            <h2 id="record-heading" class="card__title">{t!(i18n, dispute_record)}</h2>
            <p class="card__lead">{target.summary.clone()}</p>
        </section>
        {error.clone().map(|(field, message)| view! {
            <div class="notice notice--error" role="alert" aria-labelledby="form-errors-heading">
                <h2 id="form-errors-heading">{t!(i18n, form_errors_heading)}</h2>
                <ul><li><a href=format!("#{field}")>{message}</a></li></ul>
            </div>
        })}
        {(typed.error == "step_up_required").then(|| view! {
            <CardCheck purpose=StepUpFor::ReportRecord form_id="report-form".to_owned() />
        })}
        <form method="post" action="/report" class="form" id="report-form">
            <input type="hidden" name="kind" value=target.kind.as_str() />
            <input type="hidden" name="id" value=target.id.to_string() />
            <fieldset class="field" class:field--error=reason_error aria-describedby=reason_error.then_some("reason-error")>
                <legend>{t!(i18n, dispute_reason)}</legend>
                {reason_error.then(|| view! { <span class="field__error" id="reason-error">{td_string!(l, dispute_error_reason).to_string()}</span> })}
                {DisputeReason::ALL.into_iter().enumerate().map(|(i, r)| {
                    let id = format!("f-reason-{i}");
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name="reason" value=r.as_str() checked=typed.reason == r.as_str() required=true />
                            <label for=id>{reason_label(l, r)}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field" class:field--error=note_error>
                <label for="f-note">{t!(i18n, dispute_note)}</label>
                <span class="hint" id="f-note-hint">{td_string!(l, dispute_note_hint, max = NOTE_MAX_CHARS).to_string()}</span>
                {note_error.then(|| view! { <span class="field__error" id="f-note-error">{td_string!(l, dispute_error_note_too_long, max = NOTE_MAX_CHARS).to_string()}</span> })}
                <textarea id="f-note" name="note" rows="3" maxlength=NOTE_MAX_CHARS.to_string()
                    aria-invalid=note_error.then_some("true")
                    aria-describedby=if note_error { "f-note-hint f-note-error" } else { "f-note-hint" }>{typed.note.clone()}</textarea>
            </div>
            <p class="hint">{t!(i18n, dispute_effect)}</p>
            <p class="actions">
                <button type="submit" class="button button--primary">{t!(i18n, dispute_submit)}</button>
                <a class="button button--secondary" href=crate::disputes::page_of(target.kind)>{t!(i18n, dispute_cancel)}</a>
            </p>
        </form>
    }
    .into_any()
}
