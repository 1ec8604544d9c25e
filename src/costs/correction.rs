//! What the patient really paid one institution for one month, and what was refunded: the page
//! at `/costs/correction?month=2025-04&institution=1310123455` shows the notice, the amounts
//! that count now and every correction entered; its forms post to `/costs` (`forms`).
//! Only the patient themself: a proxy gets the same answer as for a page that does not exist.

use crate::domain::institution::InstitutionRef;
use crate::error::PortalError;
#[cfg(feature = "ssr")]
use crate::{
    domain::cost::CareMonth, domain::institution::InstitutionCode, error::ServerError,
    state::AppState, storage::costs::NoticeLine, storage::patients::PatientId,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One notice line of the month and institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionLine {
    pub care_type: crate::domain::cost::CareType,
    pub days: u16,
    pub total: i64,
    pub share: i64,
}

/// One correction as entered: `paid: None` keeps the notice's share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionEntry {
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    pub paid: Option<i64>,
    pub reimbursed: i64,
    pub withdrawal: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrectionTarget {
    /// `2025-04`.
    pub month: String,
    pub institution: InstitutionRef,
    pub lines: Vec<CorrectionLine>,
    pub total: i64,
    pub share: i64,
    /// What the deduction and the tax files count now.
    pub paid: i64,
    pub reimbursed: i64,
    /// The correction in force as entered (none: the notice's amounts count), so its form
    /// starts from it: changing one amount must not quietly reset the other to the notice's.
    pub in_force: Option<CorrectionEntry>,
    /// Newest first.
    pub history: Vec<CorrectionEntry>,
}

/// The month and institution named in a request, and the patient's notice lines of them:
/// not found when either does not parse or the patient has no such notice (nobody else's
/// month is anyone's to see or correct).
#[cfg(feature = "ssr")]
pub async fn notice_lines(
    state: &AppState,
    patient: PatientId,
    month: &str,
    institution: &str,
) -> Result<(CareMonth, InstitutionCode, Vec<NoticeLine>), ServerError> {
    let month = CareMonth::parse(month).map_err(|_| ServerError::NotFound)?;
    let code = InstitutionCode::parse(institution).map_err(|_| ServerError::NotFound)?;
    let lines: Vec<_> = crate::storage::costs::notices(&state.db, patient)
        .await?
        .into_iter()
        .filter(|l| l.notice.care_month == month && l.notice.institution == code)
        .collect();
    if lines.is_empty() {
        return Err(ServerError::NotFound);
    }
    Ok((month, code, lines))
}

#[server(endpoint = "costs/correction", input = server_fn::codec::Json, output = crate::wire::JsonText)]
pub async fn load_correction(
    month: String,
    institution: String,
) -> Result<CorrectionTarget, PortalError> {
    use crate::domain::cost::notice_payments;
    let (state, _, patient) = crate::viewer::require(crate::principal::Act::ChangeRecords).await?;
    let (month, code, lines) = notice_lines(&state, patient, &month, &institution).await?;
    let Some(first) = lines.first() else {
        return Err(ServerError::NotFound.into());
    };
    let institution = first.institution.clone();
    let stored: Vec<_> = crate::storage::cost_corrections::list(&state.db, patient)
        .await?
        .into_iter()
        .filter(|s| s.correction.care_month == month && s.correction.institution == code)
        .collect();
    let notices: Vec<_> = lines.iter().map(|l| l.notice.clone()).collect();
    let corrections: Vec<_> = stored.iter().map(|s| s.correction.clone()).collect();
    let payments = notice_payments(&notices, &corrections);
    let Some(payment) = payments.first() else {
        return Err(ServerError::NotFound.into());
    };
    let entry = |s: &crate::storage::cost_corrections::StoredCorrection| CorrectionEntry {
        recorded_at: s.recorded_at,
        paid: s.correction.paid.map(|y| y.value()),
        reimbursed: s.correction.reimbursed.value(),
        withdrawal: s.correction.is_withdrawal(),
    };
    // The newest row counts: when a correction is in force, it is that one.
    let in_force = payment
        .corrected
        .then(|| stored.last().map(entry))
        .flatten();
    Ok(CorrectionTarget {
        month: month.to_string(),
        institution,
        lines: lines
            .iter()
            .map(|l| CorrectionLine {
                care_type: l.notice.care_type,
                days: l.notice.days,
                total: l.notice.total.value(),
                share: l.notice.patient_paid.value(),
            })
            .collect(),
        total: payment.notices.total.value(),
        share: payment.notices.share.value(),
        paid: payment.paid.value(),
        reimbursed: payment.reimbursed.value(),
        in_force,
        history: stored.iter().rev().map(entry).collect(),
    })
}
