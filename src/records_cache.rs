//! Records pages answer from memory while the patient's records are unchanged.
//!
//! Reading ten years of dispensings costs tens of milliseconds, most of it moving rows out of
//! the database one by one, and a patient opens the same pages again and again (the list, a
//! filter, back). Each page's data is kept here under the patient, the page and its arguments,
//! together with the [`RecordsVersion`] it was built from. Database triggers bump that version
//! on every change to the patient's records, whoever writes (this server, another one, a CLI
//! import), and the sign-in check reads it with the login on every request; an entry is used
//! only while its version is the one just read, so a page never shows records older than the
//! request. Entries are keyed by the patient id taken from the server-side session, never by
//! anything the browser sends.

use crate::storage::patients::{PatientId, RecordsVersion};
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// How many page answers are kept at most (all patients together); the least recently used
/// goes first. The heaviest answer (ten years of medicines) is a few hundred kilobytes, most
/// are a few kilobytes.
pub const DEFAULT_CAPACITY: usize = 2048;

pub struct RecordsCache {
    /// 0: nothing is kept (`off`), every page is built from the database.
    capacity: usize,
    inner: Mutex<Inner>,
    /// Answers found and not found, for the benchmarks and the operator.
    hits: AtomicU64,
    misses: AtomicU64,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<Key, Entry>,
    /// A logical clock for "least recently used".
    tick: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    patient: PatientId,
    page: &'static str,
    /// Everything else the answer depends on: the page's query, the language, the day.
    args: String,
}

struct Entry {
    version: RecordsVersion,
    used: u64,
    value: Arc<dyn Any + Send + Sync>,
}

impl Default for RecordsCache {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY)
    }
}

impl RecordsCache {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            inner: Mutex::default(),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// A cache that keeps nothing: every page is read and rendered afresh, so the cold path
    /// can be measured on its own.
    pub fn off() -> Self {
        Self::new(0)
    }

    /// How many answers were found kept, and how many were not, since the start.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// The answer kept for `page` with `args` when it was built from `version`; otherwise
    /// `load`s it and keeps it. Errors are never kept.
    pub async fn get_or_load<T, E, F, Fut>(
        &self,
        patient: PatientId,
        version: RecordsVersion,
        page: &'static str,
        args: String,
        load: F,
    ) -> Result<T, E>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let key = Key {
            patient,
            page,
            args,
        };
        if let Some(value) = self.get::<T>(&key, version) {
            return Ok(value);
        }
        let value = load().await?;
        self.put(key, version, Arc::new(value.clone()));
        Ok(value)
    }

    /// The answer kept for `page` with `args` when it was built from `version`.
    pub fn peek<T: Clone + 'static>(
        &self,
        patient: PatientId,
        version: RecordsVersion,
        page: &'static str,
        args: String,
    ) -> Option<T> {
        self.get(
            &Key {
                patient,
                page,
                args,
            },
            version,
        )
    }

    fn get<T: Clone + 'static>(&self, key: &Key, version: RecordsVersion) -> Option<T> {
        let found = self.find(key, version);
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    fn find<T: Clone + 'static>(&self, key: &Key, version: RecordsVersion) -> Option<T> {
        if self.capacity == 0 {
            return None;
        }
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        let entry = inner.entries.get_mut(key)?;
        if entry.version != version {
            return None;
        }
        entry.used = tick;
        entry.value.downcast_ref::<T>().cloned()
    }

    fn put(&self, key: Key, version: RecordsVersion, value: Arc<dyn Any + Send + Sync>) {
        if self.capacity == 0 {
            return;
        }
        let mut inner = self.lock();
        // A request that read the version just before a change may finish after one that read
        // it just after: the newer answer stays.
        if let Some(kept) = inner.entries.get(&key)
            && (kept.version.patient > version.patient || kept.version.epoch > version.epoch)
        {
            return;
        }
        if inner.entries.len() >= self.capacity && !inner.entries.contains_key(&key) {
            let oldest = inner
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                inner.entries.remove(&oldest);
            }
        }
        inner.tick += 1;
        let used = inner.tick;
        inner.entries.insert(
            key,
            Entry {
                version,
                used,
                value,
            },
        );
    }

    /// How many answers are kept now.
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Nothing can panic while the lock is held, and the map stays consistent if it did.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::cell::Cell;

    const V1: RecordsVersion = RecordsVersion {
        patient: 1,
        epoch: 0,
    };
    const V2: RecordsVersion = RecordsVersion {
        patient: 2,
        epoch: 0,
    };

    /// Loads through the cache, counting real loads.
    async fn load(
        cache: &RecordsCache,
        loads: &Cell<u32>,
        patient: i64,
        version: RecordsVersion,
        args: &str,
    ) -> String {
        let answer = format!("{patient}/{args}@{}.{}", version.patient, version.epoch);
        cache
            .get_or_load(PatientId(patient), version, "page", args.into(), || async {
                loads.set(loads.get() + 1);
                Ok::<_, ()>(answer)
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_cache_turned_off_loads_every_time_and_counts_each_miss() {
        let cache = RecordsCache::off();
        let loads = Cell::new(0);
        for _ in 0..3 {
            assert_eq!(load(&cache, &loads, 1, V1, "ja").await, "1/ja@1.0");
        }
        assert_eq!(loads.get(), 3);
        assert_eq!(cache.counts(), (0, 3));
        let on = RecordsCache::default();
        load(&on, &loads, 1, V1, "ja").await;
        load(&on, &loads, 1, V1, "ja").await;
        assert_eq!(on.counts(), (1, 1));
    }

    #[tokio::test]
    async fn the_same_version_is_answered_from_memory() {
        let cache = RecordsCache::default();
        let loads = Cell::new(0);
        assert_eq!(load(&cache, &loads, 1, V1, "ja").await, "1/ja@1.0");
        assert_eq!(load(&cache, &loads, 1, V1, "ja").await, "1/ja@1.0");
        assert_eq!(loads.get(), 1);
    }

    #[tokio::test]
    async fn a_new_version_loads_again() {
        let cache = RecordsCache::default();
        let loads = Cell::new(0);
        load(&cache, &loads, 1, V1, "ja").await;
        assert_eq!(load(&cache, &loads, 1, V2, "ja").await, "1/ja@2.0");
        let epoch = RecordsVersion {
            patient: 2,
            epoch: 1,
        };
        assert_eq!(load(&cache, &loads, 1, epoch, "ja").await, "1/ja@2.1");
        assert_eq!(loads.get(), 3);
    }

    #[tokio::test]
    async fn patients_and_arguments_are_kept_apart() {
        let cache = RecordsCache::default();
        let loads = Cell::new(0);
        assert_eq!(load(&cache, &loads, 1, V1, "ja").await, "1/ja@1.0");
        assert_eq!(load(&cache, &loads, 2, V1, "ja").await, "2/ja@1.0");
        assert_eq!(load(&cache, &loads, 1, V1, "en").await, "1/en@1.0");
        assert_eq!(loads.get(), 3);
        assert_eq!(cache.len(), 3);
    }

    #[tokio::test]
    async fn an_older_answer_never_replaces_a_newer_one() {
        let cache = RecordsCache::default();
        let loads = Cell::new(0);
        load(&cache, &loads, 1, V2, "ja").await;
        // A slow request that read the version before the change finishes last.
        load(&cache, &loads, 1, V1, "ja").await;
        assert_eq!(load(&cache, &loads, 1, V2, "ja").await, "1/ja@2.0");
        assert_eq!(loads.get(), 2);
    }

    #[tokio::test]
    async fn errors_are_not_kept() {
        let cache = RecordsCache::default();
        let failed: Result<String, &str> = cache
            .get_or_load(PatientId(1), V1, "page", String::new(), || async {
                Err("database unreachable")
            })
            .await;
        assert!(failed.is_err());
        assert!(cache.is_empty());
    }

    #[tokio::test]
    async fn the_least_recently_used_goes_first() {
        let cache = RecordsCache::new(2);
        let loads = Cell::new(0);
        load(&cache, &loads, 1, V1, "a").await;
        load(&cache, &loads, 1, V1, "b").await;
        load(&cache, &loads, 1, V1, "a").await; // "a" is now newer than "b"
        load(&cache, &loads, 1, V1, "c").await; // "b" goes
        assert_eq!(cache.len(), 2);
        assert_eq!(loads.get(), 3);
        load(&cache, &loads, 1, V1, "a").await;
        assert_eq!(loads.get(), 3);
        load(&cache, &loads, 1, V1, "b").await;
        assert_eq!(loads.get(), 4);
    }
}
