//! `GET /access-log/export?format=csv|json&who=…`: every entry the filters match, newest first.
//! CSV (UTF-8 with a BOM, so spreadsheet programs read the Japanese) says each entry in the
//! reader's language as the page does; JSON keeps the stable codes, for programs. A plain link,
//! so it downloads without JavaScript; the session decides whose log it is, never the query.

use super::{EntryView, Filter, LogQuery, words};
use crate::error::ServerError;
use crate::i18n::{Locale, td_string};
use crate::state::AppState;
use crate::storage::access_log;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    format: String,
    #[serde(flatten)]
    query: LogQuery,
}

/// Rows read from the database at a time while building the file.
const BATCH: i64 = 1000;

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
        crate::principal::Act::ReadAccessLog,
        "access_log_export",
    )
    .await
    {
        Ok(p) => p,
        Err(answer) => return answer,
    };
    let csv = match q.format.as_str() {
        "csv" => true,
        "json" => false,
        _ => {
            return crate::download::message(
                StatusCode::BAD_REQUEST,
                english,
                "Choose CSV or JSON on the access log page.",
                "アクセス記録のページで CSV か JSON を選んでください。",
            );
        }
    };
    let entries = match entries(&state, patient, &q.query).await {
        Ok(Some(e)) => e,
        Ok(None) => {
            return crate::download::message(
                StatusCode::BAD_REQUEST,
                english,
                "A filter was not understood; correct it on the access log page.",
                "絞り込みの条件に誤りがあります。アクセス記録のページで直してください。",
            );
        }
        Err(e) => {
            tracing::error!(error = %e, "access log export failed");
            return crate::download::failed(english);
        }
    };
    let today = state.clock.today_japan();
    let locale = if english { Locale::en } else { Locale::ja };
    if csv {
        match to_csv(locale, &entries) {
            Ok(bytes) => crate::download::file(
                bytes,
                "text/csv; charset=utf-8",
                &format!("access-log-{today}.csv"),
            ),
            Err(e) => {
                tracing::error!(error = %e, "access log export failed");
                crate::download::failed(english)
            }
        }
    } else {
        match serde_json::to_vec_pretty(&entries) {
            Ok(bytes) => crate::download::file(
                bytes,
                "application/json",
                &format!("access-log-{today}.json"),
            ),
            Err(e) => {
                tracing::error!(error = %e, "access log export failed");
                crate::download::failed(english)
            }
        }
    }
}

/// Every entry the query's filters match; `None` when a filter has a mistake (the export never
/// silently widens what was asked for).
async fn entries(
    state: &AppState,
    patient: crate::storage::patients::PatientId,
    query: &LogQuery,
) -> Result<Option<Vec<EntryView>>, ServerError> {
    let institutions = access_log::institutions(&state.db, patient).await?;
    let (filter, errors) = Filter::parse(query, &institutions);
    if !errors.is_empty() {
        return Ok(None);
    }
    let mut all = Vec::new();
    loop {
        let offset = i64::try_from(all.len()).unwrap_or(i64::MAX);
        let (batch, total) =
            access_log::page(&state.db, patient, &filter.storage, offset, BATCH).await?;
        let done = batch.is_empty() || offset + BATCH >= total;
        all.extend(batch.into_iter().map(EntryView::from));
        if done {
            return Ok(Some(all));
        }
    }
}

fn to_csv(l: Locale, entries: &[EntryView]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    out.write_record([
        td_string!(l, log_col_when).to_string(),
        td_string!(l, log_col_who).to_string(),
        td_string!(l, log_col_what).to_string(),
        td_string!(l, log_col_outcome).to_string(),
        td_string!(l, log_col_basis).to_string(),
    ])?;
    for e in entries {
        out.write_record([
            crate::format::timestamp(l, e.at),
            words::who(l, e),
            words::what(l, e),
            words::outcome(l, e.outcome),
            words::basis(l, e),
        ])?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}
