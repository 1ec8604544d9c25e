//! `GET /costs/export?year=2025`: the year's payments as the tax agency's medical-expense
//! aggregation form (医療費集計フォーム), CSV in UTF-8 with a BOM. A plain link, so it downloads
//! without JavaScript; the session decides whose data it is, never the query.

use crate::domain::cost::{tax_form_csv, tax_form_filename, tax_form_rows};
use crate::domain::person::PersonName;
use crate::error::ServerError;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
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
    let english =
        crate::request::cookie_value(&headers, "i18n_pref_locale").as_deref() == Some("en");
    let patient = match crate::viewer::patient_of(&state, &session, &headers, Some(&notes)).await {
        Ok(p) => p,
        Err(ServerError::NotSignedIn) => return Redirect::to("/sign-in").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "cost export failed");
            return failed(english);
        }
    };
    let Some(year) = q
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2999).contains(y))
    else {
        let message = if english {
            "Choose a year from the costs page."
        } else {
            "医療費のページから年を選んでください。"
        };
        return (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            message,
        )
            .into_response();
    };
    let lines = match crate::storage::costs::notices(&state.db, patient).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(error = %e, "cost export failed");
            return failed(english);
        }
    };
    let name = match crate::storage::patients::identity(&state.db, patient).await {
        Ok((_, name)) => name,
        Err(e) => {
            tracing::error!(error = %e, "cost export failed");
            return failed(english);
        }
    };
    let Ok(person) = PersonName::parse(&name) else {
        return failed(english);
    };
    let receipts = match crate::storage::receipts::list(&state.db, patient).await {
        Ok(r) => r.into_iter().map(|(_, r)| r).collect::<Vec<_>>(),
        Err(e) => {
            tracing::error!(error = %e, "cost export failed");
            return failed(english);
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
            let mut res = bytes.into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            if let Ok(v) = HeaderValue::from_str(&format!(
                "attachment; filename=\"{}\"",
                tax_form_filename(year)
            )) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            res
        }
        Err(e) => {
            tracing::error!(error = %e, code = e.code(), "cost export failed");
            failed(english)
        }
    }
}

fn failed(english: bool) -> Response {
    let message = if english {
        "The file could not be made. Please try again later."
    } else {
        "ファイルを作成できませんでした。しばらくしてからもう一度お試しください。"
    };
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}
