//! The consent page: who may see what now, finding an institution (by name, code or
//! prefecture), a preview of exactly what it would see, granting, changing and revoking (each
//! signed by a fresh card check), and every consent ever given. Filters and the preview are GET
//! forms; changes are plain form posts (`form`), so the page works without JavaScript except
//! for the card check itself.

use crate::domain::consent::{DataKind, Period, Standing};
use crate::domain::institution::InstitutionKind;
use crate::error::{FieldError, PortalError};
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod form;

/// How many institutions a search shows at most.
pub const SEARCH_LIMIT: i64 = 20;

/// The page's query exactly as typed (also what a form post comes back with).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentQuery {
    /// Search text: a name or the start of a code.
    #[serde(default)]
    pub q: String,
    /// Two-digit prefecture code.
    #[serde(default)]
    pub prefecture: String,
    /// The institution whose grant form is shown.
    #[serde(default)]
    pub institution: String,
    /// One flag per kind (`on` when ticked): checkboxes with their own names survive a GET
    /// form and a page that comes back, without repeated keys.
    #[serde(default)]
    pub k_medications: String,
    #[serde(default)]
    pub k_checkups: String,
    #[serde(default)]
    pub k_cost_notices: String,
    #[serde(default)]
    pub k_qualification: String,
    /// visit | until | until_revoked
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub until: String,
    /// Set by the "see what they will see" button.
    #[serde(default)]
    pub preview: String,
    /// Codes of mistakes from a form post, `field:code` comma-separated.
    #[serde(default)]
    pub errors: String,
    /// What was just done: granted | changed | revoked.
    #[serde(default)]
    pub done: String,
    /// The change a form post came back from: grant | revoke.
    #[serde(default)]
    pub action: String,
}

impl ConsentQuery {
    /// The kinds ticked.
    pub fn kinds(&self) -> Vec<DataKind> {
        DataKind::ALL
            .iter()
            .copied()
            .filter(|k| !self.kind_flag(*k).is_empty())
            .collect()
    }

    pub fn kind_flag(&self, kind: DataKind) -> &str {
        match kind {
            DataKind::Medications => &self.k_medications,
            DataKind::Checkups => &self.k_checkups,
            DataKind::CostNotices => &self.k_cost_notices,
            DataKind::Qualification => &self.k_qualification,
        }
    }

    /// The form field of a kind's checkbox.
    pub fn kind_field(kind: DataKind) -> &'static str {
        match kind {
            DataKind::Medications => "k_medications",
            DataKind::Checkups => "k_checkups",
            DataKind::CostNotices => "k_cost_notices",
            DataKind::Qualification => "k_qualification",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionView {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub kind: InstitutionKind,
    pub prefecture: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentView {
    pub id: i64,
    pub institution: InstitutionView,
    pub kinds: Vec<DataKind>,
    pub period: Period,
    pub granted_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub standing: Standing,
    pub ended_at: Option<DateTime<Utc>>,
}

/// One kind in the preview: the records the institution would get for a visit today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewLine {
    pub kind: DataKind,
    /// Records dated from this day on (none for qualification: the one in force).
    pub from: Option<NaiveDate>,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub lines: Vec<PreviewLine>,
    pub period: Period,
    /// When it would end if granted now.
    pub ends_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentPage {
    pub query: ConsentQuery,
    pub today: NaiveDate,
    /// Consents that allow something now.
    pub current: Vec<ConsentView>,
    /// Every consent ever given, newest first.
    pub history: Vec<ConsentView>,
    /// Search results, when a search was made.
    pub results: Option<Vec<InstitutionView>>,
    /// The institution whose grant form is shown, and its consent now if it has one.
    pub chosen: Option<InstitutionView>,
    pub chosen_current: Option<ConsentView>,
    pub preview: Option<Preview>,
    pub errors: Vec<FieldError>,
}

#[cfg(feature = "ssr")]
impl From<crate::storage::institutions::Institution> for InstitutionView {
    fn from(i: crate::storage::institutions::Institution) -> Self {
        Self {
            kind: crate::storage::enum_from_db(&i.kind).unwrap_or(InstitutionKind::Clinic),
            code: i.code,
            name: i.name,
            name_en: i.name_en,
            prefecture: i.prefecture,
        }
    }
}

#[cfg(feature = "ssr")]
fn view_of(
    c: crate::domain::consent::Consent,
    i: crate::storage::institutions::Institution,
    now: DateTime<Utc>,
) -> ConsentView {
    ConsentView {
        id: c.id,
        standing: c.standing(now),
        ended_at: c.ended.map(|(at, _)| at),
        institution: i.into(),
        kinds: c.terms.kinds,
        period: c.terms.period,
        granted_at: c.granted_at,
        expires_at: c.expires_at,
    }
}

/// The signed-in patient's consents, the search, the chosen institution and its preview.
#[server(endpoint = "consents", input = server_fn::codec::Json, output = crate::wire::JsonText)]
pub async fn load_consents(query: ConsentQuery) -> Result<ConsentPage, PortalError> {
    use crate::storage::{consents, institutions};
    let (state, _, patient) =
        crate::viewer::require_viewing(crate::principal::Act::ManageConsent, "consents").await?;
    let now = state.clock.now();
    let today = state.clock.today_japan();
    let mut errors = crate::error::FieldError::parse_list(&query.errors);
    let all = consents::of_patient(&state.db, patient).await?;
    let history: Vec<ConsentView> = all.into_iter().map(|(c, i)| view_of(c, i, now)).collect();
    let current: Vec<ConsentView> = history
        .iter()
        .filter(|c| c.standing == Standing::Active)
        .cloned()
        .collect();
    let prefecture = match query.prefecture.trim() {
        "" => None,
        p => match crate::domain::institution::Prefecture::parse(p) {
            Ok(p) => Some(p.as_str().to_owned()),
            Err(_) => {
                errors.push(form::field_error("prefecture", "unknown_choice"));
                None
            }
        },
    };
    let text = query.q.trim();
    let results = if text.is_empty() && prefecture.is_none() {
        None
    } else {
        let found =
            institutions::search(&state.db, text, prefecture.as_deref(), SEARCH_LIMIT).await?;
        Some(found.into_iter().map(InstitutionView::from).collect())
    };
    let chosen = match query.institution.trim() {
        "" => None,
        code => match institutions::by_code(&state.db, code).await? {
            Some(i) => Some(InstitutionView::from(i)),
            None => {
                errors.push(form::field_error("institution", "institution_unknown"));
                None
            }
        },
    };
    let chosen_current = chosen.as_ref().and_then(|i| {
        current
            .iter()
            .find(|c| c.institution.code == i.code)
            .cloned()
    });
    let preview = match (
        &chosen,
        query.preview.is_empty() || query.action == "revoke",
    ) {
        (Some(i), false) => match form::terms_of(&query, &i.code, today) {
            Ok(terms) => {
                let mut lines = Vec::new();
                for kind in &terms.kinds {
                    let disclosed =
                        crate::disclosure::records(&state.db, patient, *kind, today).await?;
                    lines.push(PreviewLine {
                        kind: *kind,
                        from: (*kind != DataKind::Qualification)
                            .then(|| crate::domain::consent::window_start(*kind, today)),
                        count: disclosed.count(),
                    });
                }
                Some(Preview {
                    lines,
                    period: terms.period,
                    ends_at: terms.period.ends_at(now),
                })
            }
            Err(mistakes) => {
                for m in mistakes {
                    if !errors.contains(&m) {
                        errors.push(m);
                    }
                }
                None
            }
        },
        _ => None,
    };
    Ok(ConsentPage {
        query,
        today,
        current,
        history,
        results,
        chosen,
        chosen_current,
        preview,
        errors,
    })
}
