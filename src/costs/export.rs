//! `GET /costs/export?year=2025`: the year's payments as the tax agency's medical-expense
//! aggregation form (医療費集計フォーム), CSV in UTF-8 with a BOM. A plain link, so it downloads
//! without JavaScript; the session decides whose data it is, never the query.

use crate::domain::cost::{tax_form_csv, tax_form_filename, tax_form_rows};
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

pub async fn export(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    axum::Extension(notes): axum::Extension<crate::viewer::RequestNotes>,
    Query(q): Query<ExportQuery>,
) -> Response {
    let english = crate::download::english(&headers);
    let patient = match crate::download::subject(
        &state,
        &session,
        &headers,
        &notes,
        crate::principal::Act::ReadRecords,
        "costs_export",
    )
    .await
    {
        Ok(p) => p,
        Err(answer) => return answer,
    };
    let Some(year) = q
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2999).contains(y))
    else {
        return crate::download::message(
            StatusCode::BAD_REQUEST,
            english,
            "Choose a year from the costs page.",
            "医療費のページから年を選んでください。",
        );
    };
    let lines = match crate::storage::costs::notices(&state.db, patient).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(error = %e, "cost export failed");
            return crate::download::failed(english);
        }
    };
    let name = match crate::storage::patients::identity(&state.db, patient).await {
        Ok((_, name)) => name,
        Err(e) => {
            tracing::error!(error = %e, "cost export failed");
            return crate::download::failed(english);
        }
    };
    let Ok(person) = PersonName::parse(&name) else {
        return crate::download::failed(english);
    };
    let receipts = match crate::storage::receipts::list(&state.db, patient).await {
        Ok(r) => r.into_iter().map(|(_, r)| r).collect::<Vec<_>>(),
        Err(e) => {
            tracing::error!(error = %e, "cost export failed");
            return crate::download::failed(english);
        }
    };
    let notices: Vec<_> = lines.iter().map(|l| l.notice.clone()).collect();
    let rows = tax_form_rows(&person, &notices, &receipts, |code| {
        lines
            .iter()
            .find(|l| l.notice.institution == *code)
            .map(|l| l.institution.name.clone())
    });
    match tax_form_csv(year, &rows) {
        Ok(bytes) => {
            crate::download::file(bytes, "text/csv; charset=utf-8", &tax_form_filename(year))
        }
        Err(e) => {
            tracing::error!(error = %e, code = e.code(), "cost export failed");
            crate::download::failed(english)
        }
    }
}
