//! アクセス記録について報告: the patient says an entry of their log was not them, or names an
//! institution they do not know. A plain form post that works without JavaScript; a mistake
//! comes back in the post's answer (`server::forms`) with what was typed.

use crate::access_log::reports::{Concern, NOTE_MAX, ReportTarget, load_report_target};
use crate::access_log::words;
use crate::format;
use crate::i18n::*;
use crate::ui::page_title::PageTitle;
use crate::ui::records::RecordsGate;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Default)]
struct Typed {
    error: String,
    concern: String,
    note: String,
}

#[component]
pub fn AccessReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let target = query.with_untracked(|q| load_report_target(q.get("entry").unwrap_or_default()));
    let typed = query.with_untracked(|q| Typed {
        error: q.get("error").unwrap_or_default(),
        concern: q.get("concern").unwrap_or_default(),
        note: q.get("note").unwrap_or_default(),
    });
    provide_context(typed);
    view! {
        <PageTitle text=t_string!(i18n, page_access_report).to_string() />
        <h1>{t!(i18n, page_access_report)}</h1>
        <RecordsGate load=target live=true render=|t| view! { <ReportForm target=t /> }.into_any() />
    }
}

pub fn concern_label(l: Locale, c: Concern) -> String {
    match c {
        Concern::NotMe => td_string!(l, access_report_not_me),
        Concern::UnknownInstitution => td_string!(l, access_report_unknown_institution),
    }
    .to_string()
}

#[component]
fn ReportForm(target: ReportTarget) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let typed = use_context::<Typed>().unwrap_or_default();
    let e = &target.entry;
    let entry = view! {
        <section class="card section" aria-labelledby="entry-heading">
            <h2 id="entry-heading" class="card__title">{t!(i18n, access_report_entry)}</h2>
            <dl class="facts facts--compact">
                <div><dt>{t!(i18n, log_col_when)}</dt><dd>{format::timestamp(l, e.at)}</dd></div>
                <div><dt>{t!(i18n, log_col_who)}</dt><dd>{words::who(l, e)}</dd></div>
                <div><dt>{t!(i18n, log_col_what)}</dt><dd>{words::what(l, e)}</dd></div>
                <div><dt>{t!(i18n, log_col_outcome)}</dt><dd>{words::outcome(l, e.outcome)}</dd></div>
            </dl>
        </section>
    };
    if target.status.is_some() {
        return view! {
            {entry}
            <p class="notice notice--info">{t!(i18n, access_report_already)}</p>
            <p><a href="/access-log#reports-heading">{t!(i18n, access_report_back)}</a></p>
        }
        .into_any();
    }
    let error = match typed.error.as_str() {
        "" => None,
        "note_too_long" => Some((
            "f-note",
            td_string!(l, access_report_error_note, max = NOTE_MAX).to_string(),
        )),
        _ => Some((
            "f-concern-0",
            td_string!(l, access_report_error_concern).to_string(),
        )),
    };
    let concern_error = error.as_ref().is_some_and(|(f, _)| *f == "f-concern-0");
    let note_error = error.as_ref().is_some_and(|(f, _)| *f == "f-note");
    // One fitting concern is chosen for the patient; two are theirs to choose.
    let only = (target.concerns.len() == 1).then(|| target.concerns[0]);
    view! {
        <p class="lead">{t!(i18n, access_report_lead)}</p>
        {entry}
        {error.clone().map(|(field, message)| view! {
            <div class="notice notice--error" role="alert" aria-labelledby="form-errors-heading">
                <h2 id="form-errors-heading">{t!(i18n, form_errors_heading)}</h2>
                <ul><li><a href=format!("#{field}")>{message}</a></li></ul>
            </div>
        })}
        <form method="post" action="/access-log/report" class="form" id="access-report-form">
            <input type="hidden" name="entry" value=target.entry.id.to_string() />
            <fieldset class="field" class:field--error=concern_error aria-describedby=concern_error.then_some("concern-error")>
                <legend>{t!(i18n, access_report_concern)}</legend>
                {concern_error.then(|| view! { <span class="field__error" id="concern-error">{td_string!(l, access_report_error_concern).to_string()}</span> })}
                {target.concerns.iter().enumerate().map(|(i, c)| {
                    let id = format!("f-concern-{i}");
                    let checked = typed.concern == c.as_str() || only == Some(*c);
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name="concern" value=c.as_str() checked=checked required=true />
                            <label for=id>{concern_label(l, *c)}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field" class:field--error=note_error>
                <label for="f-note">{t!(i18n, dispute_note)}</label>
                <span class="hint" id="f-note-hint">{td_string!(l, dispute_note_hint, max = NOTE_MAX).to_string()}</span>
                {note_error.then(|| view! { <span class="field__error" id="f-note-error">{td_string!(l, access_report_error_note, max = NOTE_MAX).to_string()}</span> })}
                <textarea id="f-note" name="note" rows="3" maxlength=NOTE_MAX.to_string()
                    aria-invalid=note_error.then_some("true")
                    aria-describedby=if note_error { "f-note-hint f-note-error" } else { "f-note-hint" }>{typed.note.clone()}</textarea>
            </div>
            <p class="hint">{t!(i18n, access_report_effect)}</p>
            <p class="actions">
                <button type="submit" class="button button--primary">{t!(i18n, access_report_submit)}</button>
                <a class="button button--secondary" href="/access-log">{t!(i18n, dispute_cancel)}</a>
            </p>
        </form>
    }
    .into_any()
}
