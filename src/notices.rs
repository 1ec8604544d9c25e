//! Notices on the patient's home page: an institution read their data for the first time, a
//! consent is about to end, a hospital started emergency access, a proxy acted for them for
//! the first time. Dismissing one is a plain form post (`POST /notices`) and goes
//! into the access log; the notice itself stays kept.

use crate::domain::consent::DataKind;
use crate::domain::institution::InstitutionRef;
use crate::domain::notice::NoticeKind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One notice as the home page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeView {
    /// What the dismiss button names.
    pub topic: String,
    pub kind: NoticeKind,
    pub institution: Option<InstitutionRef>,
    /// When the institution first read, or when the consent ends.
    pub at: DateTime<Utc>,
    /// The kinds a consent about to end covers.
    pub kinds: Vec<DataKind>,
    /// The proxy a first act is about, by name.
    pub proxy: Option<String>,
}

/// The patient's notices now: the open ones raised by events (first reads), then the consents
/// about to end that the patient has not dismissed, newest first.
#[cfg(feature = "ssr")]
pub async fn of_patient(
    db: &crate::storage::Db,
    patient: crate::storage::patients::PatientId,
    now: DateTime<Utc>,
    today: chrono::NaiveDate,
) -> Result<Vec<NoticeView>, crate::storage::StorageError> {
    use crate::domain::notice::{expiring, expiring_topic, parse_topic};
    use crate::storage::notices;
    let mut shown: Vec<NoticeView> = notices::open_of(db, patient)
        .await?
        .into_iter()
        .filter_map(|n| {
            Some(NoticeView {
                kind: NoticeKind::parse(&n.kind)?,
                institution: InstitutionRef::joined(n.institution_code, n.name, n.name_en),
                topic: n.topic,
                at: n.raised_at,
                kinds: Vec::new(),
                proxy: None,
            })
        })
        .collect();
    if shown.iter().any(|n| n.kind == NoticeKind::ProxyFirstAction) {
        let grants = crate::storage::proxies::of_patient(db, patient).await?;
        for n in &mut shown {
            if let Some((NoticeKind::ProxyFirstAction, id)) = parse_topic(&n.topic) {
                n.proxy = grants
                    .iter()
                    .find(|g| g.grant.id.to_string() == id)
                    .map(|g| g.name.clone());
            }
        }
    }
    let dismissed = notices::dismissed(db, patient, NoticeKind::ConsentExpiring).await?;
    for (consent, institution) in crate::storage::consents::active(db, patient, now).await? {
        let topic = expiring_topic(consent.id);
        if !expiring(&consent, today) || dismissed.contains(&topic) {
            continue;
        }
        let Some(at) = consent.expires_at else {
            continue;
        };
        shown.push(NoticeView {
            topic,
            kind: NoticeKind::ConsentExpiring,
            institution: Some(institution.reference()),
            at,
            kinds: consent.terms.kinds,
            proxy: None,
        });
    }
    Ok(shown)
}

/// `POST /notices`: the patient dismisses one of the notices their home page shows now; any
/// other topic (someone else's, made up, dismissed already) changes nothing.
#[cfg(feature = "ssr")]
pub async fn answer(
    state: &crate::state::AppState,
    login: &crate::storage::logins::LoginRow,
    form: &crate::forms::Posted,
) -> Result<crate::forms::FormAnswer, crate::error::ServerError> {
    use crate::domain::access_log::{Action, Entry, Outcome};
    use crate::forms::FormAnswer;
    use crate::storage::notices::{Dismissal, dismiss};
    let (principal, patient) = crate::viewer::allowed(
        crate::viewer::principal_of(login),
        crate::principal::Act::ReadAccessLog,
    )?;
    let back = || FormAnswer::Done("/?notice=dismissed#notices-heading".to_owned());
    let topic = form.get("topic");
    let now = state.clock.now();
    let current = of_patient(&state.db, patient, now, state.clock.today_japan()).await?;
    // A proxy's first act is the patient's to acknowledge, never the proxy's to hide.
    let Some(notice) = current.into_iter().find(|n| {
        n.topic == topic && !(n.kind == NoticeKind::ProxyFirstAction && login.acting.is_some())
    }) else {
        return Ok(FormAnswer::Done("/#notices-heading".to_owned()));
    };
    let consent = match crate::domain::notice::parse_topic(&notice.topic) {
        Some((NoticeKind::ConsentExpiring, id)) => id.parse::<i64>().ok(),
        _ => None,
    };
    let mut entry = Entry::new(
        now,
        principal.actor(),
        Action::NoticeDismissed,
        Outcome::Done,
    );
    entry.actor_code = notice.institution.as_ref().map(|i| i.code.clone());
    entry.actor_name = match &notice.institution {
        Some(i) => Some(i.name.clone()),
        None => notice.proxy.clone(),
    };
    entry.consent_id = consent;
    let mut detail = serde_json::json!({ "topic": notice.topic });
    // The entry's actor fields name what the notice was about (an institution); who dismissed
    // it, when a proxy did, is in the detail as for a consent change.
    if let Some(acting) = &login.acting {
        acting.note_in(&mut detail);
    }
    entry.detail = detail.to_string();
    dismiss(
        &state.db,
        &Dismissal {
            patient,
            topic: &notice.topic,
            kind: notice.kind,
            institution: notice.institution.as_ref().map(|i| i.code.as_str()),
            consent,
            entry: &entry,
        },
    )
    .await?;
    Ok(back())
}
