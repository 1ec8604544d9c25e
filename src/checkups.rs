//! The checkups page: the latest checkup as a summary card with our own metabolic-syndrome
//! verdict and guidance level, and each item's trend over the fiscal years with the two official
//! threshold bands.

use crate::charts::ChartSpec;
use crate::domain::checkup::{Band, CheckupItem, CheckupKind, GuidanceOutcome, MetabolicVerdict};
use crate::domain::institution::InstitutionRef;
use crate::domain::person::Sex;
use crate::error::PortalError;
use crate::freshness::Freshness;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
mod summary;
#[cfg(feature = "ssr")]
mod trend;
#[cfg(feature = "ssr")]
pub use summary::shown;

/// The items with a trend, in the order of the official result form.
pub const TREND_ITEMS: [CheckupItem; 15] = [
    CheckupItem::Bmi,
    CheckupItem::Waist,
    CheckupItem::SystolicBp,
    CheckupItem::DiastolicBp,
    CheckupItem::Triglycerides,
    CheckupItem::Hdl,
    CheckupItem::Ldl,
    CheckupItem::FastingGlucose,
    CheckupItem::Hba1c,
    CheckupItem::Ast,
    CheckupItem::Alt,
    CheckupItem::GammaGt,
    CheckupItem::Egfr,
    CheckupItem::UrineGlucose,
    CheckupItem::UrineProtein,
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingView {
    pub item: CheckupItem,
    /// As printed on the result sheet (`6.4`, `+`).
    pub value: String,
    pub band: Band,
    /// Already on medication for what the item measures.
    pub treated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatestCheckup {
    pub examined_on: NaiveDate,
    pub fiscal_year: i32,
    pub kind: CheckupKind,
    pub place: InstitutionRef,
    pub age: u32,
    /// Only for 特定健診; later-elderly checkups have no verdict.
    pub verdict: Option<MetabolicVerdict>,
    pub guidance: GuidanceOutcome,
    /// Out-of-range findings, most serious first.
    pub findings: Vec<FindingView>,
    /// How many measured items were within range.
    pub normal_count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    pub fiscal_year: i32,
    pub examined_on: NaiveDate,
    pub value: String,
    pub band: Option<Band>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    pub item: CheckupItem,
    pub points: Vec<TrendPoint>,
    /// Graded urine items have a table only.
    pub chart: Option<ChartSpec>,
}

/// One checkup in the list of checkups (where a patient can report one that is not theirs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckupRef {
    pub id: i64,
    pub examined_on: NaiveDate,
    pub kind: CheckupKind,
    pub place: InstitutionRef,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckupPage {
    pub sex: Sex,
    /// Newest first.
    pub records: Vec<CheckupRef>,
    pub latest: Option<LatestCheckup>,
    pub trends: Vec<Trend>,
    pub freshness: Freshness,
}

#[server(endpoint = "checkups", input = server_fn::codec::Json, output = crate::wire::JsonText)]
pub async fn load_checkups(lang: String) -> Result<CheckupPage, PortalError> {
    let page = crate::page_cache::data("checkups", lang.clone(), async |state, patient| {
        let (sex, birth) = crate::storage::checkups::person(&state.db, patient).await?;
        let history = crate::storage::checkups::history(&state.db, patient).await?;
        let locale = crate::format::locale_of(&lang);
        Ok(CheckupPage {
            sex,
            records: history
                .iter()
                .rev()
                .map(|c| CheckupRef {
                    id: c.id,
                    examined_on: c.examined_on,
                    kind: c.kind,
                    place: c.place.clone(),
                })
                .collect(),
            latest: history.last().map(|c| summary::latest(c, sex, birth)),
            trends: trend::trends(&history, sex, locale),
            freshness: Freshness::of(
                history
                    .iter()
                    .map(|c| (c.examined_on, c.source, c.loaded_at)),
            ),
        })
    })
    .await?;
    Ok(page)
}
