//! The patient's access log as the domain sees it: who did what with their data, when, under
//! which consent, with what outcome; and the hash chain that makes the log tamper-evident.
//!
//! Each patient has one chain. An entry's link is `SHA-256(previous link || its content)`, the
//! content written in one fixed encoding ([`Entry::canonical`]); the first entry follows
//! [`GENESIS`]. Changing, removing, adding or swapping an entry breaks the links from there on,
//! and nobody can mend them without rewriting every later entry and the chain's head.

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

use super::consent::DataKind;

/// The link before a chain's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// The patient, signed in with their own card.
    Patient,
    /// A family member acting for the patient.
    Proxy,
    /// A clinic, hospital or pharmacy, through the institution API.
    Institution,
    /// The portal's operators (issuing an enrollment code).
    Operator,
    /// Someone not (yet) known: a failed sign-in.
    Unknown,
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    SignIn,
    SignInFailed,
    SessionEnded,
    EnrollmentCodeIssued,
    CardAdded,
    CardRevoked,
    CardDisabled,
    CardChecked,
    /// Records were read (or a read was refused).
    Read,
    ConsentGranted,
    ConsentChanged,
    ConsentRevoked,
    /// The patient dismissed a notice on their home page (`detail.topic` says which).
    NoticeDismissed,
    /// A hospital started emergency access (`reason`: why the patient could not consent), or
    /// was refused one.
    EmergencyAccess,
    /// A page of the patient's was shown to a proxy (`reason`: which page).
    PageViewed,
    /// The patient invited a proxy (`reason`: the scope).
    ProxyInvited,
    /// The patient cancelled an invitation not yet accepted.
    ProxyInvitationCancelled,
    /// The invited person accepted: they now act for the patient (`reason`: the scope).
    ProxyGranted,
    /// The patient revoked a proxy's access.
    ProxyRevoked,
    /// The patient's card was stopped or reissued: every proxy waits for the patient to confirm
    /// them again (`records`: how many).
    ProxiesSuspended,
    /// The patient confirmed a suspended proxy again.
    ProxyConfirmed,
    /// The operators locked every proxy of the patient on a support request (`reason`: the
    /// request's reference; `records`: how many).
    ProxiesLocked,
    /// The operators made a guardian the proxy of a child without a card (`reason`: the scope),
    /// or moved a guardian's last day (`detail.until`).
    GuardianSet,
}

/// How it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A read consent allowed.
    Allowed,
    /// A request refused (no consent, wrong kind, expired…).
    Refused,
    /// A change made.
    Done,
    /// An attempt that failed (a card that did not sign in).
    Failed,
}

names!(ActorKind {
    Patient => "patient",
    Proxy => "proxy",
    Institution => "institution",
    Operator => "operator",
    Unknown => "unknown",
});

names!(Action {
    SignIn => "sign_in",
    SignInFailed => "sign_in_failed",
    SessionEnded => "session_ended",
    EnrollmentCodeIssued => "enrollment_code_issued",
    CardAdded => "card_added",
    CardRevoked => "card_revoked",
    CardDisabled => "card_disabled",
    CardChecked => "card_checked",
    Read => "read",
    ConsentGranted => "consent_granted",
    ConsentChanged => "consent_changed",
    ConsentRevoked => "consent_revoked",
    NoticeDismissed => "notice_dismissed",
    EmergencyAccess => "emergency_access",
    PageViewed => "page_viewed",
    ProxyInvited => "proxy_invited",
    ProxyInvitationCancelled => "proxy_invitation_cancelled",
    ProxyGranted => "proxy_granted",
    ProxyRevoked => "proxy_revoked",
    ProxiesSuspended => "proxies_suspended",
    ProxyConfirmed => "proxy_confirmed",
    ProxiesLocked => "proxies_locked",
    GuardianSet => "guardian_set",
});

names!(Outcome {
    Allowed => "allowed",
    Refused => "refused",
    Done => "done",
    Failed => "failed",
});

/// One entry, as appended and as read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub occurred_at: DateTime<Utc>,
    pub actor_kind: ActorKind,
    /// The institution code, for an institution.
    pub actor_code: Option<String>,
    /// The institution's name when it acted.
    pub actor_name: Option<String>,
    pub action: Action,
    /// What kind of data was read or asked for.
    pub data_kind: Option<DataKind>,
    /// How many records a read returned.
    pub records: Option<i64>,
    /// The consent that allowed a read, or that a change made.
    pub consent_id: Option<i64>,
    /// Why a request was refused, or what a change was for (a stable code).
    pub reason: Option<String>,
    pub outcome: Outcome,
    /// A small JSON object of codes and ids (never personal data), `{}` when there is nothing.
    pub detail: String,
}

impl Entry {
    /// An entry at `at`, kept to the microsecond: both databases store that much, and the link
    /// must be computed from exactly what is stored.
    pub fn new(at: DateTime<Utc>, actor_kind: ActorKind, action: Action, outcome: Outcome) -> Self {
        Self {
            occurred_at: at.trunc_subsecs(6),
            actor_kind,
            actor_code: None,
            actor_name: None,
            action,
            data_kind: None,
            records: None,
            consent_id: None,
            reason: None,
            outcome,
            detail: "{}".into(),
        }
    }

    /// The entry's content in the one encoding its link covers: a JSON array in a fixed order,
    /// with the chain's patient and the entry's place in it, so an entry cannot be moved to
    /// another patient's chain or to another place in its own.
    pub fn canonical(&self, patient: i64, seq: i64) -> String {
        let at = self
            .occurred_at
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        serde_json::json!([
            patient,
            seq,
            at,
            self.actor_kind.as_str(),
            self.actor_code,
            self.actor_name,
            self.action.as_str(),
            self.data_kind.map(DataKind::as_str),
            self.records,
            self.consent_id,
            self.reason,
            self.outcome.as_str(),
            self.detail,
        ])
        .to_string()
    }

    /// This entry's link in the chain after `previous`.
    #[cfg(feature = "ssr")]
    pub fn link(&self, previous: &str, patient: i64, seq: i64) -> String {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        hash.update(previous.as_bytes());
        hash.update(b"\n");
        hash.update(self.canonical(patient, seq).as_bytes());
        hex::encode(hash.finalize())
    }
}

/// What is wrong at one place in a chain, found by walking it from its start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The entry's content no longer gives its stored link: it was edited.
    Edited,
    /// The entry does not follow the one before it: something was removed, added or moved
    /// before it.
    NotLinked,
    /// The chain skips numbers before this entry: entries were removed.
    Gap { expected: i64 },
    /// The chain's head names a later entry, or another link, than the chain ends with: its
    /// end was cut off or replaced.
    Head { head_seq: i64 },
}

/// One stored link to check: the entry, its place and the links stored with it.
#[derive(Debug, Clone)]
pub struct StoredLink {
    pub id: i64,
    pub seq: i64,
    pub entry: Entry,
    pub prev_hash: String,
    pub hash: String,
}

/// Walks one patient's chain (in `seq` order) against its head `(seq, hash)`, naming every
/// entry where it breaks: `(entry id or None for the head, seq, what)`.
#[cfg(feature = "ssr")]
pub fn check_chain(
    patient: i64,
    links: &[StoredLink],
    head: Option<(i64, &str)>,
) -> Vec<(Option<i64>, i64, Break)> {
    let mut found = Vec::new();
    let mut previous = GENESIS.to_owned();
    let mut expected = 1;
    for link in links {
        if link.seq != expected {
            found.push((Some(link.id), link.seq, Break::Gap { expected }));
        }
        if link.prev_hash != previous {
            found.push((Some(link.id), link.seq, Break::NotLinked));
        }
        if link.entry.link(&link.prev_hash, patient, link.seq) != link.hash {
            found.push((Some(link.id), link.seq, Break::Edited));
        }
        previous = link.hash.clone();
        expected = link.seq + 1;
    }
    let last = links.last().map(|l| (l.seq, l.hash.as_str()));
    match (head, last) {
        (Some((seq, hash)), Some((last_seq, last_hash)))
            if seq != last_seq || hash != last_hash =>
        {
            found.push((None, last_seq, Break::Head { head_seq: seq }))
        }
        (Some((seq, _)), None) if seq > 0 => found.push((None, 0, Break::Head { head_seq: seq })),
        _ => {}
    }
    found
}

#[cfg(all(test, feature = "ssr"))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<StoredLink> {
        let at = DateTime::parse_from_rfc3339("2026-04-01T09:00:00.123456789Z")
            .unwrap()
            .with_timezone(&Utc);
        let mut previous = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let mut entry = Entry::new(at, ActorKind::Patient, Action::SignIn, Outcome::Done);
                entry.records = Some(seq);
                let hash = entry.link(&previous, 7, seq);
                let link = StoredLink {
                    id: 100 + seq,
                    seq,
                    entry,
                    prev_hash: previous.clone(),
                    hash: hash.clone(),
                };
                previous = hash;
                link
            })
            .collect()
    }

    fn head(links: &[StoredLink]) -> Option<(i64, &str)> {
        links.last().map(|l| (l.seq, l.hash.as_str()))
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let links = chain(5);
        assert!(check_chain(7, &links, head(&links)).is_empty());
        assert_eq!(
            links[0].entry.occurred_at.timestamp_subsec_nanos(),
            123_456_000
        );
    }

    #[test]
    fn each_kind_of_tampering_is_named() {
        let links = chain(5);
        let head = head(&links).map(|(s, h)| (s, h.to_owned()));
        let head = head.as_ref().map(|(s, h)| (*s, h.as_str()));

        let mut edited = links.clone();
        edited[2].entry.records = Some(99);
        assert_eq!(
            check_chain(7, &edited, head),
            [(Some(103), 3, Break::Edited)]
        );

        let mut deleted = links.clone();
        deleted.remove(1);
        let found = check_chain(7, &deleted, head);
        assert!(found.contains(&(Some(103), 3, Break::Gap { expected: 2 })));
        assert!(found.contains(&(Some(103), 3, Break::NotLinked)));

        let mut reordered = links.clone();
        reordered.swap(1, 2);
        (reordered[1].seq, reordered[2].seq) = (2, 3);
        let found = check_chain(7, &reordered, head);
        assert!(
            found
                .iter()
                .any(|(id, _, b)| *id == Some(103) && *b == Break::NotLinked)
        );

        // Rehashing an inserted entry is not enough: the one after it no longer follows.
        let mut inserted = links.clone();
        let mut extra = inserted[1].entry.clone();
        extra.action = Action::CardAdded;
        let hash = extra.link(&inserted[1].hash, 7, 3);
        inserted.insert(
            2,
            StoredLink {
                id: 999,
                seq: 3,
                entry: extra,
                prev_hash: inserted[1].hash.clone(),
                hash,
            },
        );
        for (i, l) in inserted.iter_mut().enumerate().skip(3) {
            l.seq = i as i64 + 1;
        }
        let found = check_chain(7, &inserted, head);
        assert!(
            found
                .iter()
                .any(|(id, _, b)| *id == Some(103) && *b == Break::NotLinked)
        );

        let mut cut = links.clone();
        cut.pop();
        assert_eq!(
            check_chain(7, &cut, head),
            [(None, 4, Break::Head { head_seq: 5 })]
        );

        // An entry moved to another patient's chain does not verify there.
        assert!(!check_chain(8, &links, head).is_empty());
    }
}
