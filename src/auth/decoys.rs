//! The made-up credentials of the insured-number fallback: for a number with fewer working
//! cards than the answer always lists (or none, or nobody's), ids that look like the real ones.
//! They are derived from the number under the server key, so the same number always gets the
//! same ids, and they are as long as the cards this deployment has, so a list cannot be told
//! from a real one by its lengths. (Under the card policy every card comes from one issuer and
//! shares one id length; under the demo's dev policy authenticators differ, and so may lengths.)

use super::enrollment_code::keyed_digest;
use crate::storage::{Db, StorageError};
use chrono::{DateTime, TimeDelta, Utc};
use std::sync::Mutex;

/// Until any card is stored: the length of a typical FIDO2 security key's credential id.
const DEFAULT_LENGTH: usize = 64;
/// How long a measured length is used before the cards are counted again.
const REMEASURE: TimeDelta = TimeDelta::minutes(10);

/// The most common credential id length among working cards, measured now and then.
#[derive(Debug, Default)]
pub struct IdLength(Mutex<Option<(DateTime<Utc>, usize)>>);

impl IdLength {
    pub async fn get(&self, db: &Db, now: DateTime<Utc>) -> Result<usize, StorageError> {
        if let Some((at, length)) = *self.lock()
            && now - at < REMEASURE
            && now >= at
        {
            return Ok(length);
        }
        let length = crate::storage::cards::usual_id_length(db)
            .await?
            .unwrap_or(DEFAULT_LENGTH);
        *self.lock() = Some((now, length));
        Ok(length)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(DateTime<Utc>, usize)>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// `count` ids of `length` bytes for `number` (any stable text naming it).
pub fn ids(key: &[u8], number: &str, count: usize, length: usize) -> Vec<Vec<u8>> {
    (0..count)
        .map(|i| {
            let mut id = Vec::with_capacity(length);
            let mut block = 0u32;
            while id.len() < length {
                id.extend(keyed_digest(
                    key,
                    &format!("decoy-card:{number}:{i}:{block}"),
                ));
                block += 1;
            }
            id.truncate(length);
            id
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_distinct_and_of_the_asked_length() {
        let a = ids(b"key", "n1", 4, 70);
        assert_eq!(a, ids(b"key", "n1", 4, 70), "the same number, the same ids");
        assert!(a.iter().all(|id| id.len() == 70));
        let unique: std::collections::HashSet<_> = a.iter().collect();
        assert_eq!(unique.len(), 4);
        assert_ne!(a, ids(b"key", "n2", 4, 70), "another number, other ids");
        assert_ne!(
            a,
            ids(b"other key", "n1", 4, 70),
            "unguessable without the key"
        );
        assert_eq!(ids(b"key", "n1", 2, 16)[0].len(), 16);
    }
}
