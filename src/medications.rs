//! The medications page: the dispensing list with filters and server-side pages, the timeline
//! of drug episodes, and hints about possible duplicate prescriptions.

use crate::charts::ChartSpec;
use crate::domain::institution::InstitutionRef;
use crate::domain::medication::{DuplicateKind, Route};
use crate::domain::source::RecordSource;
use crate::error::{FieldError, PortalError};
use crate::freshness::Freshness;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
mod filter;
#[cfg(feature = "ssr")]
mod listing;
#[cfg(feature = "ssr")]
mod timeline;
#[cfg(feature = "ssr")]
pub use filter::Filter;

/// About fifty rows a page: a year of monthly refills of four drugs fits on one.
pub const PAGE_SIZE: usize = 50;

/// The page's query string exactly as typed, so a form with a mistake comes back as it was.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicationQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub institution: String,
    #[serde(default)]
    pub drug: String,
    #[serde(default)]
    pub route: String,
    #[serde(default)]
    pub page: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DispensingView {
    pub id: i64,
    pub dispensed_on: NaiveDate,
    pub drug_name: String,
    pub drug_code: String,
    pub strength: String,
    pub dose_per_day: Option<f64>,
    pub days_supplied: u16,
    pub quantity: f64,
    pub unit: String,
    pub route: Route,
    pub generic: bool,
    pub dispenser: InstitutionRef,
    pub prescriber: Option<InstitutionRef>,
    pub source: RecordSource,
}

/// A choice for the drug filter: one per ingredient, so brand and generic are one choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrugChoice {
    pub key: String,
    pub name: String,
}

/// One continuous stretch of taking a drug.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpisodeView {
    pub drug_name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub dispensings: usize,
    pub days_supplied: u32,
}

/// Two drugs from two institutions that overlapped: something to ask a doctor or pharmacist
/// about, never a verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateView {
    pub kind: DuplicateKind,
    pub first_drug: String,
    pub first_from: InstitutionRef,
    pub second_drug: String,
    pub second_from: InstitutionRef,
    pub overlap_start: NaiveDate,
    pub overlap_end: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MedicationPage {
    pub query: MedicationQuery,
    pub errors: Vec<FieldError>,
    /// The period actually shown (the default is the last three years).
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<DispensingView>,
    pub page: u32,
    pub pages: u32,
    pub total: usize,
    pub all_count: usize,
    pub institutions: Vec<InstitutionRef>,
    pub drugs: Vec<DrugChoice>,
    pub episodes: Vec<EpisodeView>,
    pub timeline: Option<ChartSpec>,
    pub duplicates: Vec<DuplicateView>,
    pub freshness: Freshness,
    /// From this day on, claims may not have arrived yet: only e-prescriptions are complete.
    pub claims_may_lag_from: NaiveDate,
}

#[server(endpoint = "medications", input = server_fn::codec::Json, output = crate::wire::JsonText)]
pub async fn load_medications(
    query: MedicationQuery,
    lang: String,
) -> Result<MedicationPage, PortalError> {
    let args = format!("{lang}|{}", crate::page_cache::args(&query)?);
    let page = crate::page_cache::data("medications", args, async |state, patient| {
        let history = crate::storage::medications::history(&state.db, patient).await?;
        Ok(listing::page(
            query,
            &history,
            state.clock.today_japan(),
            crate::format::locale_of(&lang),
        ))
    })
    .await?;
    Ok(page)
}
