//! The patient's home: their current qualification and the latest record of each kind.

use crate::domain::checkup::{Band, CheckupItem, CheckupKind};
use crate::domain::cost::CareType;
use crate::domain::institution::InstitutionRef;
use crate::domain::source::RecordSource;
use crate::error::PortalError;
use crate::insurance::CoverageView;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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
    /// First reads by institutions and consents about to end, not yet dismissed.
    pub notices: Vec<crate::notices::NoticeView>,
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
    let (_, login) = crate::viewer::require_login().await?;
    // The card changes are since this login's previous sign-in: the key names the login.
    let summary = crate::page_cache::data("home", login.id.clone(), async |state, patient| {
        let today = state.clock.today_japan();
        let mut summary = summary(&state.db, patient, today).await?;
        summary.card_changes =
            crate::storage::events::card_changes_since_last_sign_in(&state.db, patient, &login.id)
                .await?
                .into_iter()
                .map(|e| (e.occurred_at, e.kind))
                .collect();
        // Kept with the page while the records version stands: raising or dismissing a notice
        // and any consent change move it (migration 0011), and "about to end" is by the day.
        summary.notices =
            crate::notices::of_patient(&state.db, patient, state.clock.now(), today).await?;
        // A proxy sees neither the patient's cards nor the notices about proxies: both are the
        // patient's own.
        if login.acting.is_some() {
            summary.card_changes.clear();
            summary
                .notices
                .retain(|n| n.kind != crate::domain::notice::NoticeKind::ProxyFirstAction);
        }
        Ok(summary)
    })
    .await?;
    Ok(summary)
}

/// The home page's records for a patient (without the login's card changes).
#[cfg(feature = "ssr")]
pub async fn summary(
    db: &crate::storage::Db,
    patient: crate::storage::patients::PatientId,
    today: NaiveDate,
) -> Result<HomeSummary, crate::storage::StorageError> {
    let glance = crate::storage::records::glance(db, patient, today).await?;
    Ok(HomeSummary {
        name: glance.name,
        coverage: glance.coverage.map(CoverageView::from),
        latest_medication: glance.latest_medication.map(|d| MedicationView {
            dispensed_on: d.record.dispensed_on,
            drug_name: d.record.drug_name,
            strength: d.record.strength,
            days_supplied: i32::from(d.record.days_supplied),
            generic: d.record.generic,
            dispenser: d.dispenser,
            prescriber: d.prescriber,
            source: d.record.source,
            loaded_at: d.loaded_at,
        }),
        latest_checkup: glance.latest_checkup.map(|c| CheckupView {
            examined_on: c.examined_on,
            fiscal_year: c.fiscal_year,
            kind: c.kind,
            place: c.place,
            values: HOME_CHECKUP_ITEMS
                .into_iter()
                .filter_map(|item| {
                    let value = c.results.iter().find(|r| r.item() == item)?.value();
                    Some(CheckupValueView {
                        item,
                        value: crate::checkups::shown(&value),
                        band: crate::domain::checkup::classify_value(item, glance.sex, &value),
                    })
                })
                .collect(),
            source: c.source,
            loaded_at: c.loaded_at,
        }),
        latest_cost: glance.latest_cost.map(|n| CostView {
            care_month: n.notice.care_month.to_string(),
            institution: n.institution,
            care_type: n.notice.care_type,
            total: n.notice.total.value(),
            patient_paid: n.notice.patient_paid.value(),
            source: n.notice.source,
            loaded_at: n.loaded_at,
        }),
        counts: RecordCounts {
            medications: glance.counts.medications,
            checkups: glance.counts.checkups,
            costs: glance.counts.costs,
        },
        // About the login, not the records: the server function adds them.
        card_changes: Vec::new(),
        notices: Vec::new(),
    })
}
