//! Back-off for sign-in and enrollment attempts. Failures are counted per key (an IP address,
//! a credential, an insured number) in a sliding window; past the limit the caller is told when
//! to retry. Nothing locks an account for good, so a stranger cannot shut a patient out: the
//! window simply passes.

use chrono::{DateTime, TimeDelta, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub max_failures: usize,
    pub window: TimeDelta,
}

/// Failure timestamps per key. In one process; several portal processes behind a load balancer
/// would each count separately (documented in README), which only loosens the limit by that factor.
#[derive(Debug, Default)]
pub struct Limiter {
    failures: Mutex<HashMap<String, Vec<DateTime<Utc>>>>,
}

impl Limiter {
    /// `Err(retry_at)` when the key is over its limit now.
    pub fn check(&self, key: &str, rule: Rule, now: DateTime<Utc>) -> Result<(), DateTime<Utc>> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let Some(times) = map.get_mut(key) else {
            return Ok(());
        };
        times.retain(|t| now - *t < rule.window);
        if times.len() >= rule.max_failures {
            let oldest = times.iter().min().copied().unwrap_or(now);
            return Err(oldest + rule.window);
        }
        Ok(())
    }

    pub fn fail(&self, key: &str, now: DateTime<Utc>) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        // Bound memory under a flood of distinct keys: drop the stalest entries.
        if map.len() > 100_000 {
            map.retain(|_, v| v.iter().any(|t| now - *t < TimeDelta::hours(1)));
        }
        map.entry(key.to_owned()).or_default().push(now);
    }

    pub fn succeed(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn blocks_after_the_limit_until_the_window_passes() {
        let rule = Rule {
            max_failures: 3,
            window: TimeDelta::minutes(15),
        };
        let l = Limiter::default();
        let t0 = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        for i in 0..3 {
            assert_eq!(l.check("ip:1", rule, t0), Ok(()), "attempt {i}");
            l.fail("ip:1", t0 + TimeDelta::minutes(i));
        }
        let now = t0 + TimeDelta::minutes(3);
        assert_eq!(l.check("ip:1", rule, now), Err(t0 + TimeDelta::minutes(15)));
        assert_eq!(
            l.check("ip:2", rule, now),
            Ok(()),
            "other keys are unaffected"
        );
        assert_eq!(
            l.check("ip:1", rule, t0 + TimeDelta::minutes(15)),
            Ok(()),
            "the oldest failure aged out"
        );
        l.succeed("ip:1");
        assert_eq!(l.check("ip:1", rule, now), Ok(()));
    }
}
