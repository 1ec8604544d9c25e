//! The demo-only patient picker: lets a visitor look around as a fictitious patient until card
//! sign-in exists. The server refuses all of it unless the portal runs with `--demo`.

use crate::error::PortalError;
use crate::home::RecordCounts;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoPatient {
    pub public_id: String,
    pub name: String,
    pub age: u32,
    pub counts: RecordCounts,
}

#[server(endpoint = "demo_patients")]
pub async fn demo_patients() -> Result<Vec<DemoPatient>, PortalError> {
    crate::viewer::with_status(
        async move {
            let state = crate::viewer::state()?;
            if !state.settings.demo {
                return Err(PortalError::NotFound);
            }
            let today = state.clock.today_japan();
            crate::storage::patients::demo_list(&state.db, today)
                .await
                .map_err(|e| crate::viewer::internal(&e))
        }
        .await,
    )
}

/// Plain form posts for choosing and leaving a demo patient; they work without JavaScript.
#[cfg(feature = "ssr")]
pub mod routes {
    use crate::state::AppState;
    use crate::viewer::DEMO_COOKIE;
    use axum::extract::{Form, State};
    use axum::http::{HeaderValue, StatusCode, header};
    use axum::response::{IntoResponse, Redirect, Response};
    use serde::Deserialize;

    #[derive(Deserialize)]
    pub struct Choice {
        patient: String,
    }

    pub async fn choose(State(state): State<AppState>, Form(choice): Form<Choice>) -> Response {
        if !state.settings.demo {
            return StatusCode::NOT_FOUND.into_response();
        }
        match crate::storage::patients::by_public_id(&state.db, choice.patient.trim()).await {
            Ok(Some(_)) => with_cookie(
                &state,
                &format!("{DEMO_COOKIE}={}", choice.patient.trim()),
                "/",
            ),
            Ok(None) => Redirect::to("/demo?error=unknown_patient").into_response(),
            Err(e) => {
                tracing::error!(error = %e, "demo choice failed");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }

    pub async fn leave(State(state): State<AppState>) -> Response {
        if !state.settings.demo {
            return StatusCode::NOT_FOUND.into_response();
        }
        with_cookie(&state, &format!("{DEMO_COOKIE}=; Max-Age=0"), "/")
    }

    fn with_cookie(state: &AppState, cookie: &str, to: &str) -> Response {
        let secure = if state.settings.public_url.scheme() == "https" {
            "; Secure"
        } else {
            ""
        };
        let value = format!("{cookie}; Path=/; HttpOnly; SameSite=Strict{secure}");
        let mut res = Redirect::to(to).into_response();
        if let Ok(v) = HeaderValue::from_str(&value) {
            res.headers_mut().insert(header::SET_COOKIE, v);
        }
        res
    }
}
