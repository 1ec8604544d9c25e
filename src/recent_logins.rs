//! Logins checked in the last second, by session.
//!
//! Every page view and call checks its login against the database: the session record, then the
//! login row with the patient's records version. Through SQLite's connection threads that is
//! about a tenth of a millisecond of hand-offs per query, more than the rest of a cached
//! records page. A browser often asks several times in a row (a page, its follow-up calls,
//! quick navigation), so an answer is reused for [`RECHECK`] when all of these hold:
//! - no request that can change the patient's data (anything but GET or HEAD by one of their
//!   sessions, or a sign-in or enrollment naming them) has finished in this process since the
//!   check began: sign-out elsewhere, a stopped card, a fresh card check, a receipt or a report
//!   each make that patient's sessions ask the database again. Other patients' sessions keep
//!   theirs: an anonymous post, or one patient's change, must not make every session ask;
//! - the login is inside its absolute limit, and its activity was written less than
//!   [`crate::storage::logins::TOUCH_EVERY`] ago, so no activity write is due and the idle
//!   limit cannot have passed.
//!
//! Changes made by another process (a second server on the same PostgreSQL, a CLI import) are
//! therefore seen within [`RECHECK`]; everything this process does is seen at once.

use crate::storage::logins::{LoginRow, TOUCH_EVERY, Timeouts};
use chrono::{DateTime, TimeDelta, Utc};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// How long a checked login is trusted without asking the database again.
pub const RECHECK: TimeDelta = TimeDelta::seconds(1);

/// Sessions kept at most; past that the whole map starts again (it refills in a second).
const CAPACITY: usize = 100_000;

#[derive(Default)]
pub struct RecentLogins {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Moves on every change; an answer read before a change is never kept after it.
    generation: u64,
    by_session: HashMap<String, Entry>,
}

struct Entry {
    row: LoginRow,
    checked_at: DateTime<Utc>,
}

/// Taken before asking the database, handed back with the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket(u64);

impl RecentLogins {
    /// The login `session` held when checked less than [`RECHECK`] ago, if it may be used
    /// now without asking the database.
    pub fn get(&self, session: &str, now: DateTime<Utc>, timeouts: Timeouts) -> Option<LoginRow> {
        let inner = self.lock();
        let entry = inner.by_session.get(session)?;
        let age = now - entry.checked_at;
        let row = &entry.row;
        let usable = age >= TimeDelta::zero()
            && age < RECHECK
            && now - row.signed_in_at <= timeouts.absolute
            && now - row.last_seen_at < TOUCH_EVERY;
        usable.then(|| row.clone())
    }

    /// Call before asking the database.
    pub fn ticket(&self) -> Ticket {
        Ticket(self.lock().generation)
    }

    /// Keeps an active login just read from the database, unless something changed since the
    /// `ticket` was taken.
    pub fn put(&self, ticket: Ticket, session: String, row: LoginRow, checked_at: DateTime<Utc>) {
        let mut inner = self.lock();
        if inner.generation != ticket.0 {
            return;
        }
        if inner.by_session.len() >= CAPACITY {
            inner.by_session.clear();
        }
        inner.by_session.insert(session, Entry { row, checked_at });
    }

    /// Something of this patient's may have changed: each of their sessions asks the database
    /// next time, and an answer read before now is not kept for anyone (the generation moves).
    pub fn forget_patient(&self, patient: i64) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.by_session.retain(|_, e| e.row.patient_id != patient);
    }

    /// How many sessions are kept now.
    pub fn len(&self) -> usize {
        self.lock().by_session.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Nothing can panic while the lock is held, and the map stays consistent if it did.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::patients::RecordsVersion;
    use chrono::TimeZone;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 3, 0, 0).unwrap() + TimeDelta::seconds(secs)
    }

    fn row(signed_in: i64, seen: i64) -> LoginRow {
        LoginRow {
            id: "login".into(),
            patient_id: 1,
            card_id: 1,
            signed_in_at: at(signed_in),
            last_seen_at: at(seen),
            user_agent: String::new(),
            ended_at: None,
            end_reason: None,
            records: RecordsVersion {
                patient: 1,
                epoch: 0,
            },
            acting_grant: None,
            name: "山田 花子".into(),
            acting: None,
        }
    }

    fn kept(signed_in: i64, seen: i64, checked: i64) -> RecentLogins {
        let logins = RecentLogins::default();
        let ticket = logins.ticket();
        logins.put(ticket, "s".into(), row(signed_in, seen), at(checked));
        logins
    }

    #[test]
    fn an_answer_lasts_one_second() {
        let t = Timeouts::default();
        let logins = kept(0, 0, 10);
        assert!(logins.get("s", at(10), t).is_some());
        assert!(
            logins
                .get("s", at(10) + TimeDelta::milliseconds(999), t)
                .is_some()
        );
        assert!(logins.get("s", at(11), t).is_none());
        assert!(logins.get("s", at(9), t).is_none(), "a clock set back");
        assert!(logins.get("other", at(10), t).is_none());
    }

    #[test]
    fn due_activity_and_the_absolute_limit_go_to_the_database() {
        let t = Timeouts::default();
        // Seen 59.5 s before: usable. Seen a minute before: the activity write is due.
        let fresh = kept(0, 0, 59);
        assert!(
            fresh
                .get("s", at(59) + TimeDelta::milliseconds(500), t)
                .is_some()
        );
        let due = kept(0, 0, 60);
        assert!(due.get("s", at(60), t).is_none());
        // Checked half a second before the absolute limit: not used past it.
        let limit = t.absolute.num_seconds();
        let logins = RecentLogins::default();
        let ticket = logins.ticket();
        let just_before = at(limit) - TimeDelta::milliseconds(500);
        let mut near = row(0, 0);
        near.last_seen_at = just_before;
        logins.put(ticket, "s".into(), near, just_before);
        assert!(logins.get("s", at(limit), t).is_some());
        assert!(
            logins
                .get("s", at(limit) + TimeDelta::milliseconds(200), t)
                .is_none()
        );
    }

    #[test]
    fn a_change_forgets_its_patient_and_refuses_answers_read_before_it() {
        let t = Timeouts::default();
        let logins = kept(0, 0, 0);
        let mut other = row(0, 0);
        other.patient_id = 2;
        logins.put(logins.ticket(), "other".into(), other, at(0));
        let before = logins.ticket();
        logins.forget_patient(1);
        assert!(
            logins.get("other", at(0), t).is_some(),
            "another patient's session is kept"
        );
        assert!(logins.get("s", at(0), t).is_none());
        // An answer the database gave before the change arrives after it.
        logins.put(before, "s".into(), row(0, 0), at(0));
        assert!(logins.get("s", at(0), t).is_none());
        let after = logins.ticket();
        logins.put(after, "s".into(), row(0, 0), at(0));
        assert!(logins.get("s", at(0), t).is_some());
    }
}
