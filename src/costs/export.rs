//! The year's payments for the tax agency's medical-expense aggregation form (医療費集計フォーム):
//! `GET /costs/export.xlsx?year=2025` is the form's own workbook, which the e-Tax 作成コーナー
//! reads; `GET /costs/export?year=2025` the same rows as CSV in UTF-8 with a BOM. Both carry
//! what the patient recorded as really paid and refunded (`correction`) over the notices'
//! share. Plain links, so they download without JavaScript; the session decides whose data it
//! is, never the query.

use crate::domain::cost::{
    TaxExportError, TaxFormRow, notice_payments, tax_form_csv, tax_form_filename, tax_form_rows,
    tax_form_workbook, tax_form_workbook_filename,
};
use crate::domain::person::PersonName;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    year: String,
}

/// The two files the page offers for one year.
#[derive(Clone, Copy)]
enum TaxFile {
    Workbook,
    Csv,
}

/// The year's payments as the agency's workbook (`GET /costs/export.xlsx?year=2025`), the file
/// the e-Tax 作成コーナー reads.
pub async fn workbook(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    axum::Extension(notes): axum::Extension<crate::viewer::RequestNotes>,
    Query(q): Query<ExportQuery>,
) -> Response {
    download(TaxFile::Workbook, &state, &session, &headers, &notes, &q).await
}

/// The year's payments as a CSV in the form's columns (`GET /costs/export?year=2025`).
pub async fn export(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    axum::Extension(notes): axum::Extension<crate::viewer::RequestNotes>,
    Query(q): Query<ExportQuery>,
) -> Response {
    download(TaxFile::Csv, &state, &session, &headers, &notes, &q).await
}

async fn download(
    file: TaxFile,
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    notes: &crate::viewer::RequestNotes,
    q: &ExportQuery,
) -> Response {
    let english = crate::download::english(headers);
    let (year, rows) = match year_rows(state, session, headers, notes, q).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let written = match file {
        TaxFile::Workbook => tax_form_workbook(year, &rows).map(|bytes| {
            (
                bytes,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                tax_form_workbook_filename(year),
            )
        }),
        TaxFile::Csv => tax_form_csv(year, &rows)
            .map(|bytes| (bytes, "text/csv; charset=utf-8", tax_form_filename(year))),
    };
    match written {
        Ok((bytes, content_type, name)) => crate::download::file(bytes, content_type, &name),
        Err(TaxExportError::TooManyRows { found }) => crate::download::message(
            StatusCode::UNPROCESSABLE_ENTITY,
            english,
            &format!(
                "The tax agency's form holds 995 payments a year; {year} has {found}. Download the CSV instead."
            ),
            &format!(
                "国税庁の医療費集計フォームに入るのは1年995件までですが、{year}年は{found}件あります。CSVファイルをお使いください。"
            ),
        ),
        Err(e) => {
            tracing::error!(error = %e, code = e.code(), "cost export failed");
            crate::download::failed(english)
        }
    }
}

/// The year asked for and every payment of the signed-in subject, or the answer that says why
/// not (signed out, not allowed, a bad year, a storage failure).
async fn year_rows(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    notes: &crate::viewer::RequestNotes,
    q: &ExportQuery,
) -> Result<(i32, Vec<TaxFormRow>), Response> {
    let english = crate::download::english(headers);
    let patient = crate::download::subject(
        state,
        session,
        headers,
        notes,
        crate::principal::Act::ReadRecords,
        "costs_export",
    )
    .await?;
    let Some(year) = q
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2999).contains(y))
    else {
        return Err(crate::download::message(
            StatusCode::BAD_REQUEST,
            english,
            "Choose a year from the costs page.",
            "医療費のページから年を選んでください。",
        ));
    };
    let failed = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "cost export failed");
        crate::download::failed(english)
    };
    let lines = crate::storage::costs::notices(&state.db, patient)
        .await
        .map_err(|e| failed(&e))?;
    let (_, name) = crate::storage::patients::identity(&state.db, patient)
        .await
        .map_err(|e| failed(&e))?;
    let person = PersonName::parse(&name).map_err(|e| failed(&e))?;
    let receipts = crate::storage::receipts::list(&state.db, patient)
        .await
        .map_err(|e| failed(&e))?
        .into_iter()
        .map(|(_, r)| r)
        .collect::<Vec<_>>();
    let corrections = crate::storage::cost_corrections::corrections(&state.db, patient)
        .await
        .map_err(|e| failed(&e))?;
    let notices: Vec<_> = lines.iter().map(|l| l.notice.clone()).collect();
    let payments = notice_payments(&notices, &corrections);
    // Looked up once per payment: a map, not a scan of every notice line each time.
    let names: std::collections::HashMap<_, _> = lines
        .iter()
        .map(|l| (&l.notice.institution, &l.institution.name))
        .collect();
    let rows = tax_form_rows(&person, &payments, &receipts, |code| {
        names.get(code).map(|name| (*name).clone())
    });
    Ok((year, rows))
}
