//! The qualification page: the insurance the patient holds today and every earlier one, with
//! ceiling category, welfare medical aid and its designated institutions, and validity dates.

use crate::domain::institution::InstitutionRef;
use crate::domain::qualification::{CeilingCategory, InsuranceKind};
use crate::error::PortalError;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageView {
    pub kind: InsuranceKind,
    pub insurer_name: String,
    /// The full number and a masked form for shared screens; welfare aid has a recipient
    /// number instead.
    pub number: String,
    pub number_masked: String,
    pub ceiling: Option<CeilingCategory>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub welfare_office: Option<String>,
    pub designated: Vec<InstitutionRef>,
}

#[cfg(feature = "ssr")]
impl From<crate::storage::coverages::Coverage> for CoverageView {
    fn from(c: crate::storage::coverages::Coverage) -> Self {
        Self {
            kind: c.kind,
            insurer_name: c.insurer_name,
            number: c.number,
            number_masked: c.number_masked,
            ceiling: c.ceiling,
            valid_from: c.valid_from,
            valid_to: c.valid_to,
            welfare_office: c.welfare_office,
            designated: c.designated,
        }
    }
}

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
    let page = crate::page_cache::data("insurance", String::new(), async |state, patient| {
        let coverages = crate::storage::coverages::history(&state.db, patient).await?;
        Ok(InsurancePage {
            today: state.clock.today_japan(),
            coverages: coverages.into_iter().map(CoverageView::from).collect(),
        })
    })
    .await?;
    Ok(page)
}
