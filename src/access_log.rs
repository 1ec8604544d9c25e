//! The patient's access log page: every read, refusal, consent change, sign-in and card
//! change, newest first, in pages of fifty on the server, with filters (a GET form that works
//! without JavaScript) and CSV or JSON export (`export`). Never kept in the records cache: an
//! institution's read must show up on the next view.

use crate::domain::access_log::{Action, ActorKind, Outcome};
use crate::domain::consent::DataKind;
use crate::domain::institution::InstitutionRef;
use crate::error::{FieldError, PortalError};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
mod filter;
pub mod reports;
#[cfg(feature = "ssr")]
pub use filter::Filter;

pub const PAGE_SIZE: i64 = 50;

/// The page's query string exactly as typed, so a filter with a mistake comes back as it was.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogQuery {
    /// An institution code, or `patient` for the patient's own actions.
    #[serde(default)]
    pub who: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub page: String,
}

impl LogQuery {
    /// The filters as query pairs (without the page), for links that keep them.
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("who", self.who.as_str()),
            ("kind", self.kind.as_str()),
            ("outcome", self.outcome.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect()
    }
}

/// One entry as the page says it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryView {
    /// The entry's number, which a report about it names.
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: ActorKind,
    /// The institution's code as logged, and its names when it is known.
    pub actor_code: Option<String>,
    /// The name logged with the actor: an institution's, or a proxy's.
    pub actor_name: Option<String>,
    /// The proxy who acted, by name, when a proxy did (a consent change names the institution
    /// as its actor and the proxy in its detail).
    pub proxy: Option<String>,
    pub institution: Option<InstitutionRef>,
    pub action: Action,
    pub data_kind: Option<DataKind>,
    pub records: Option<i64>,
    pub consent_id: Option<i64>,
    pub reason: Option<String>,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogPage {
    pub query: LogQuery,
    pub errors: Vec<FieldError>,
    pub entries: Vec<EntryView>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    /// The institutions in the log, for the filter.
    pub institutions: Vec<InstitutionRef>,
    /// Who can see the patient's data now, each with a revoke button beside it.
    pub access_now: Vec<AccessNow>,
    /// The patient's reports about entries, newest first (each entry says if it was reported).
    pub reports: Vec<reports::ReportView>,
}

/// An institution with an active consent, or with emergency access running.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessNow {
    pub institution: InstitutionRef,
    pub kinds: Vec<DataKind>,
    pub expires_at: Option<DateTime<Utc>>,
    /// Emergency access: no consent to revoke, it ends by itself (the patient may report it).
    pub emergency: bool,
}

#[cfg(feature = "ssr")]
impl From<crate::storage::access_log::Logged> for EntryView {
    fn from(l: crate::storage::access_log::Logged) -> Self {
        let e = l.entry;
        let proxy = match e.actor_kind {
            ActorKind::Proxy => serde_json::from_str::<serde_json::Value>(&e.detail)
                .ok()
                .and_then(|d| d.get("proxy_name")?.as_str().map(str::to_owned))
                .or_else(|| e.actor_name.clone()),
            _ => None,
        };
        Self {
            id: l.id,
            proxy,
            at: e.occurred_at,
            actor: e.actor_kind,
            actor_code: e.actor_code,
            actor_name: e.actor_name,
            institution: l.institution,
            action: e.action,
            data_kind: e.data_kind,
            records: e.records,
            consent_id: e.consent_id,
            reason: e.reason,
            outcome: e.outcome,
        }
    }
}

/// The signed-in patient's log, as the query asks. Never cached: it changes with every read.
#[server(endpoint = "access_log", input = server_fn::codec::Json, output = crate::wire::JsonText)]
pub async fn load_access_log(query: LogQuery) -> Result<LogPage, PortalError> {
    use crate::storage::access_log;
    let (state, _, patient) =
        crate::viewer::require_viewing(crate::principal::Act::ReadAccessLog, "access_log").await?;
    let institutions = access_log::institutions(&state.db, patient).await?;
    let (filter, errors) = Filter::parse(&query, &institutions);
    let at = |page: i64| {
        access_log::page(
            &state.db,
            patient,
            &filter.storage,
            (page - 1) * PAGE_SIZE,
            PAGE_SIZE,
        )
    };
    let (mut entries, total) = at(filter.page).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    // Page numbers are links the server wrote; one edited past the end shows the last page.
    let page = filter.page.min(pages);
    if page != filter.page {
        entries = at(page).await?.0;
    }
    let now = state.clock.now();
    let mut access_now: Vec<AccessNow> = crate::storage::consents::active(&state.db, patient, now)
        .await?
        .into_iter()
        .map(|(c, i)| AccessNow {
            institution: i.reference(),
            kinds: c.terms.kinds,
            expires_at: c.expires_at,
            emergency: false,
        })
        .collect();
    // A hospital reading under emergency access can see the data now too, without a consent.
    let mut emergencies =
        crate::storage::emergency::running_for_patient(&state.db, patient, now).await?;
    let mut seen = std::collections::HashSet::new();
    emergencies.retain(|e| seen.insert(e.institution.clone()));
    for e in emergencies {
        if let Some(i) = crate::storage::institutions::by_code(&state.db, &e.institution).await? {
            access_now.push(AccessNow {
                institution: i.reference(),
                kinds: crate::domain::emergency::KINDS.to_vec(),
                expires_at: Some(e.ends_at),
                emergency: true,
            });
        }
    }
    let reports = reports::of_patient(&state.db, patient).await?;
    Ok(LogPage {
        query,
        errors,
        access_now,
        reports,
        entries: entries.into_iter().map(EntryView::from).collect(),
        total,
        page,
        pages,
        institutions,
    })
}

/// The entry in plain words, in the reader's language: who, what, and on what basis. The page
/// and the CSV export say it the same way.
pub mod words {
    use super::EntryView;
    use crate::domain::access_log::{Action, ActorKind, Outcome};
    use crate::domain::consent::DataKind;
    use crate::format::pick;
    use crate::i18n::{Locale, td_string};

    pub fn who(l: Locale, e: &EntryView) -> String {
        match (e.actor, &e.institution, &e.actor_code) {
            (ActorKind::Institution, Some(i), _) => {
                format!("{} ({})", pick(l, &i.name, &i.name_en), i.code)
            }
            (ActorKind::Institution, None, Some(code)) => code.clone(),
            (ActorKind::Patient, ..) => td_string!(l, log_actor_patient).to_string(),
            (ActorKind::Proxy, ..) => match &e.proxy {
                Some(name) => td_string!(l, log_actor_proxy_named, name = name.clone()).to_string(),
                None => td_string!(l, log_actor_proxy).to_string(),
            },
            (ActorKind::Operator, ..) => td_string!(l, log_actor_operator).to_string(),
            (ActorKind::Institution | ActorKind::Unknown, ..) => {
                td_string!(l, log_actor_unknown).to_string()
            }
        }
    }

    pub fn kind(l: Locale, k: DataKind) -> String {
        match k {
            DataKind::Medications => td_string!(l, log_kind_medications),
            DataKind::Checkups => td_string!(l, log_kind_checkups),
            DataKind::CostNotices => td_string!(l, log_kind_cost_notices),
            DataKind::Qualification => td_string!(l, log_kind_qualification),
        }
        .to_string()
    }

    /// Several kinds, as one phrase: "medications, checkup results".
    pub fn kinds(l: Locale, kinds: &[DataKind]) -> String {
        let sep = match l {
            Locale::ja => "、",
            Locale::en => ", ",
        };
        kinds
            .iter()
            .map(|k| kind(l, *k))
            .collect::<Vec<_>>()
            .join(sep)
    }

    /// The institution a consent change names, for "you granted … to X".
    fn subject(l: Locale, e: &EntryView) -> String {
        match (&e.institution, &e.actor_code) {
            (Some(i), _) => format!("{} ({})", pick(l, &i.name, &i.name_en), i.code),
            (None, Some(code)) => code.clone(),
            (None, None) => String::new(),
        }
    }

    pub fn what(l: Locale, e: &EntryView) -> String {
        let kind = e.data_kind.map(|k| kind(l, k)).unwrap_or_default();
        match e.action {
            Action::Read if e.outcome == Outcome::Refused => {
                td_string!(l, log_read_refused, kind = kind).to_string()
            }
            Action::Read => {
                td_string!(l, log_read, kind = kind, count = e.records.unwrap_or(0)).to_string()
            }
            Action::ConsentGranted => {
                td_string!(l, log_consent_granted, institution = subject(l, e)).to_string()
            }
            Action::ConsentChanged => {
                td_string!(l, log_consent_changed, institution = subject(l, e)).to_string()
            }
            Action::ConsentRevoked => {
                td_string!(l, log_consent_revoked, institution = subject(l, e)).to_string()
            }
            Action::EmergencyAccess if e.outcome == Outcome::Refused => {
                td_string!(l, log_emergency_refused).to_string()
            }
            Action::EmergencyAccess => td_string!(l, log_emergency_started).to_string(),
            Action::NoticeDismissed => {
                td_string!(l, log_notice_dismissed, institution = subject(l, e)).to_string()
            }
            Action::SignIn => td_string!(l, log_sign_in).to_string(),
            Action::SignInFailed => td_string!(l, log_sign_in_failed).to_string(),
            Action::SessionEnded => td_string!(l, log_session_ended).to_string(),
            Action::EnrollmentCodeIssued => td_string!(l, log_enrollment_code_issued).to_string(),
            Action::CardAdded => td_string!(l, log_card_added).to_string(),
            Action::CardRevoked => td_string!(l, log_card_revoked).to_string(),
            Action::CardDisabled => td_string!(l, log_card_disabled).to_string(),
            Action::CardChecked => td_string!(l, log_card_checked).to_string(),
            Action::PageViewed => {
                td_string!(l, log_page_viewed, page = page(l, e.reason.as_deref())).to_string()
            }
            Action::ProxyInvited => td_string!(l, log_proxy_invited).to_string(),
            Action::ProxyInvitationCancelled => {
                td_string!(l, log_proxy_invitation_cancelled).to_string()
            }
            Action::ProxyGranted => td_string!(l, log_proxy_granted).to_string(),
            Action::ProxyRevoked => td_string!(l, log_proxy_revoked).to_string(),
            Action::ProxiesSuspended => {
                td_string!(l, log_proxies_suspended, count = e.records.unwrap_or(0)).to_string()
            }
            Action::ProxyConfirmed => td_string!(l, log_proxy_confirmed).to_string(),
            Action::ProxiesLocked => {
                td_string!(l, log_proxies_locked, count = e.records.unwrap_or(0)).to_string()
            }
            Action::GuardianSet => td_string!(l, log_guardian_set).to_string(),
        }
    }

    /// A page's name, as the navigation says it.
    fn page(l: Locale, page: Option<&str>) -> String {
        match page.unwrap_or_default() {
            "home" => td_string!(l, nav_home),
            "medications" => td_string!(l, nav_medications),
            "checkups" => td_string!(l, nav_checkups),
            "costs" => td_string!(l, nav_costs),
            "insurance" => td_string!(l, nav_insurance),
            "consents" => td_string!(l, nav_consents),
            "access_log" => td_string!(l, nav_access_log),
            "costs_export" => td_string!(l, log_page_costs_export),
            "access_log_export" => td_string!(l, log_page_access_log_export),
            _ => td_string!(l, log_reason_other),
        }
        .to_string()
    }

    pub fn outcome(l: Locale, o: Outcome) -> String {
        match o {
            Outcome::Allowed => td_string!(l, log_outcome_allowed),
            Outcome::Refused => td_string!(l, log_outcome_refused),
            Outcome::Done => td_string!(l, log_outcome_done),
            Outcome::Failed => td_string!(l, log_outcome_failed),
        }
        .to_string()
    }

    /// On what basis: the consent that allowed a read, or why something was refused or done.
    pub fn basis(l: Locale, e: &EntryView) -> String {
        if let (Some(id), Action::Read) = (e.consent_id, e.action) {
            return td_string!(l, log_basis_consent, id = id).to_string();
        }
        e.reason
            .as_deref()
            .map(|r| reason(l, r))
            .unwrap_or_default()
    }

    pub fn reason(l: Locale, code: &str) -> String {
        match code {
            "consent_missing" => td_string!(l, log_reason_consent_missing),
            "consent_expired" => td_string!(l, log_reason_consent_expired),
            "consent_revoked" => td_string!(l, log_reason_consent_revoked),
            "consent_kind_missing" => td_string!(l, log_reason_consent_kind_missing),
            "consent_visit_outside" => td_string!(l, log_reason_consent_visit_outside),
            "emergency_access" => td_string!(l, log_reason_emergency_access),
            "emergency_not_hospital" => td_string!(l, log_reason_emergency_not_hospital),
            "emergency_not_renewed" => td_string!(l, log_reason_emergency_not_renewed),
            "unconscious" => td_string!(l, emergency_reason_unconscious),
            "cannot_communicate" => td_string!(l, emergency_reason_cannot_communicate),
            "life_threatening" => td_string!(l, emergency_reason_life_threatening),
            "disaster" => td_string!(l, emergency_reason_disaster),
            "idle" => td_string!(l, reason_idle),
            "absolute" => td_string!(l, reason_absolute),
            "signed_out" => td_string!(l, reason_signed_out),
            "signed_out_elsewhere" => td_string!(l, reason_signed_out_elsewhere),
            "card_revoked" => td_string!(l, reason_card_revoked),
            "reenrolment" => td_string!(l, reason_reenrolment),
            "lost" => td_string!(l, reason_lost),
            "counter_regression" => td_string!(l, reason_counter_regression),
            "add_card" => td_string!(l, log_purpose_add_card),
            "revoke_card" => td_string!(l, log_purpose_revoke_card),
            "add_receipt" => td_string!(l, log_purpose_add_receipt),
            "remove_receipt" => td_string!(l, log_purpose_remove_receipt),
            "correct_costs" => td_string!(l, log_purpose_correct_costs),
            "report_record" => td_string!(l, log_purpose_report_record),
            "change_consent" => td_string!(l, log_purpose_change_consent),
            _ => td_string!(l, log_reason_other),
        }
        .to_string()
    }
}
