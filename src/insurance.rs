//! The qualification page: the insurance the patient holds today and every earlier one, with
//! ceiling category, welfare medical aid and its designated institutions, and validity dates.

use crate::error::PortalError;
use crate::home::CoverageView;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InsurancePage {
    pub today: NaiveDate,
    /// Newest first.
    pub coverages: Vec<CoverageView>,
}

impl InsurancePage {
    /// Valid on `today`: started, and not ended before today.
    pub fn is_current(&self, c: &CoverageView) -> bool {
        c.valid_from <= self.today && c.valid_to.is_none_or(|to| to >= self.today)
    }
}

#[server(endpoint = "insurance", output = crate::wire::JsonText)]
pub async fn load_insurance() -> Result<InsurancePage, PortalError> {
    crate::viewer::with_status(
        async move {
            crate::viewer::cached_records("insurance", String::new(), async |state, patient| {
                let coverages = crate::storage::records::coverage_history(&state.db, patient)
                    .await
                    .map_err(|e| crate::viewer::internal(&e))?;
                Ok(InsurancePage {
                    today: state.clock.today_japan(),
                    coverages,
                })
            })
            .await
        }
        .await,
    )
}
