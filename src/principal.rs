//! Who is asking, as one value, and what they may do with whose data.
//!
//! Every read and write takes the patient it concerns (the subject) from the principal, never
//! from an id in the request. Three kinds of principal reach patient data:
//! - a patient signed in with their own card, who acts for themself;
//! - a proxy signed in with their own card, acting for another patient within the scope of an
//!   active grant (`domain::proxy`: a parent for a child, an adult child for a parent);
//! - an institution calling the institution API with its credential, which has no subject of
//!   its own: it reaches a patient only through an insured number and that patient's consent
//!   (`domain::consent::decide`), never through the portal's pages.

use crate::domain::access_log::ActorKind;
use crate::storage::patients::PatientId;

/// What a proxy may do for the patient they act for.
pub use crate::domain::proxy::Scope as ProxyScope;

/// What a request does with its subject's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// The records pages and their downloads.
    ReadRecords,
    /// Receipts and "not my record" reports: the patient's own additions, never a proxy's.
    ChangeRecords,
    /// The access log page and its export.
    ReadAccessLog,
    /// The consent page's changes.
    ManageConsent,
    /// Cards, sessions and enrollment: only ever the card holder themself.
    ManageCards,
    /// Inviting and revoking proxies: only ever the patient themself.
    ManageProxies,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Patient {
        patient: PatientId,
        login: String,
    },
    Proxy {
        proxy: PatientId,
        subject: PatientId,
        scope: ProxyScope,
        login: String,
    },
    Institution {
        code: String,
        credential: String,
    },
}

impl Principal {
    /// The patient whose data this principal's pages show; `None` for an institution.
    pub fn subject(&self) -> Option<PatientId> {
        match self {
            Self::Patient { patient, .. } => Some(*patient),
            Self::Proxy { subject, .. } => Some(*subject),
            Self::Institution { .. } => None,
        }
    }

    /// How the access log names this principal.
    pub fn actor(&self) -> ActorKind {
        match self {
            Self::Patient { .. } => ActorKind::Patient,
            Self::Proxy { .. } => ActorKind::Proxy,
            Self::Institution { .. } => ActorKind::Institution,
        }
    }

    /// Whether this principal may do `act` with its subject's data. Institutions do nothing
    /// through the pages: their one way in is the institution API.
    pub fn may(&self, act: Act) -> bool {
        match (self, act) {
            (Self::Patient { .. }, _) => true,
            (Self::Proxy { scope, .. }, Act::ReadRecords) => {
                matches!(scope, ProxyScope::ViewRecords | ProxyScope::ManageConsent)
            }
            (
                Self::Proxy {
                    scope: ProxyScope::ManageConsent,
                    ..
                },
                Act::ReadAccessLog | Act::ManageConsent,
            ) => true,
            // Receipts and "not my record" reports are the patient's own statements about their
            // care: no scope lets someone else make them.
            (Self::Proxy { .. }, _) => false,
            (Self::Institution { .. }, _) => false,
        }
    }

    /// Part of every records-cache key: pages kept for one principal never reach another, even
    /// for the same subject (a proxy's view may differ from the patient's own).
    pub fn cache_scope(&self) -> String {
        match self {
            Self::Patient { .. } => "self".to_owned(),
            Self::Proxy { proxy, scope, .. } => format!("proxy:{}:{scope:?}", proxy.0),
            Self::Institution { code, .. } => format!("institution:{code}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTS: [Act; 6] = [
        Act::ReadRecords,
        Act::ChangeRecords,
        Act::ReadAccessLog,
        Act::ManageConsent,
        Act::ManageCards,
        Act::ManageProxies,
    ];

    fn allowed(p: &Principal) -> Vec<Act> {
        ACTS.into_iter().filter(|a| p.may(*a)).collect()
    }

    #[test]
    fn each_principal_may_do_exactly_its_part() {
        let patient = Principal::Patient {
            patient: PatientId(1),
            login: "l".into(),
        };
        assert_eq!(allowed(&patient), ACTS);
        assert_eq!(patient.subject(), Some(PatientId(1)));
        let viewer = Principal::Proxy {
            proxy: PatientId(2),
            subject: PatientId(1),
            scope: ProxyScope::ViewRecords,
            login: "l".into(),
        };
        assert_eq!(allowed(&viewer), [Act::ReadRecords]);
        assert_eq!(
            viewer.subject(),
            Some(PatientId(1)),
            "the patient acted for"
        );
        let manager = Principal::Proxy {
            proxy: PatientId(2),
            subject: PatientId(1),
            scope: ProxyScope::ManageConsent,
            login: "l".into(),
        };
        assert_eq!(
            allowed(&manager),
            [Act::ReadRecords, Act::ReadAccessLog, Act::ManageConsent],
            "never records of their own making, cards or proxies"
        );
        let institution = Principal::Institution {
            code: "1311234567".into(),
            credential: "c".into(),
        };
        assert_eq!(allowed(&institution), []);
        assert_eq!(institution.subject(), None);
        let scopes = [&patient, &viewer, &manager, &institution].map(Principal::cache_scope);
        for (i, a) in scopes.iter().enumerate() {
            for b in &scopes[i + 1..] {
                assert_ne!(a, b, "each principal caches apart");
            }
        }
    }
}
