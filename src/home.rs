//! The patient's home: their current qualification and the latest record of each kind.

use crate::domain::checkup::{Band, CheckupItem, CheckupKind};
use crate::domain::cost::CareType;
use crate::domain::qualification::{CeilingCategory, InsuranceKind};
use crate::domain::source::RecordSource;
use crate::error::PortalError;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An institution as shown to people: its code and its name in both languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstitutionRef {
    pub code: String,
    pub name: String,
    pub name_en: String,
}

impl InstitutionRef {
    /// From the columns of an outer join: an institution only when all three are there (a
    /// dispensing without a recorded prescriber has none).
    pub fn joined(
        code: Option<String>,
        name: Option<String>,
        name_en: Option<String>,
    ) -> Option<Self> {
        Some(Self {
            code: code?,
            name: name?,
            name_en: name_en?,
        })
    }
}

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MedicationView {
    pub dispensed_on: NaiveDate,
    pub drug_name: String,
    pub strength: String,
    pub days_supplied: i32,
    pub generic: bool,
    pub dispenser: InstitutionRef,
    pub prescriber: Option<InstitutionRef>,
    pub source: RecordSource,
    pub loaded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckupValueView {
    pub item: CheckupItem,
    pub value: String,
    pub band: Option<Band>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckupView {
    pub examined_on: NaiveDate,
    pub fiscal_year: i32,
    pub kind: CheckupKind,
    pub place: InstitutionRef,
    pub values: Vec<CheckupValueView>,
    pub source: RecordSource,
    pub loaded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostView {
    pub care_month: String,
    pub institution: InstitutionRef,
    pub care_type: CareType,
    pub total: i64,
    pub patient_paid: i64,
    pub source: RecordSource,
    pub loaded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordCounts {
    pub medications: i64,
    pub checkups: i64,
    pub costs: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeSummary {
    pub name: String,
    pub coverage: Option<CoverageView>,
    pub latest_medication: Option<MedicationView>,
    pub latest_checkup: Option<CheckupView>,
    pub latest_cost: Option<CostView>,
    pub counts: RecordCounts,
    /// Cards added or stopped since the previous sign-in: `(when, event kind)`, newest first.
    pub card_changes: Vec<(DateTime<Utc>, String)>,
}

/// The items shown on the home page's checkup card, in this order.
pub const HOME_CHECKUP_ITEMS: [CheckupItem; 4] = [
    CheckupItem::Hba1c,
    CheckupItem::Bmi,
    CheckupItem::SystolicBp,
    CheckupItem::Ldl,
];

#[server(endpoint = "home_summary", output = crate::wire::JsonText)]
pub async fn load_home_summary() -> Result<HomeSummary, PortalError> {
    crate::viewer::with_status(
        async move {
            let (_, login) = crate::viewer::require_login().await?;
            let internal = |e: crate::storage::StorageError| crate::viewer::internal(&e);
            // The card changes are since this login's previous sign-in: the key names the login.
            crate::viewer::cached_records("home", login.id.clone(), async |state, patient| {
                let today = state.clock.today_japan();
                let mut summary = crate::storage::records::home_summary(&state.db, patient, today)
                    .await
                    .map_err(internal)?;
                summary.card_changes = crate::storage::events::card_changes_since_last_sign_in(
                    &state.db, patient, &login.id,
                )
                .await
                .map_err(internal)?
                .into_iter()
                .map(|e| (e.occurred_at, e.kind))
                .collect();
                Ok(summary)
            })
            .await
        }
        .await,
    )
}
