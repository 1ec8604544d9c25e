//! "How current is this page?": the newest record, where it came from, how late such records
//! usually arrive, and when we last loaded anything of this kind. Shown on every records page,
//! because claims-based data lags by weeks and a patient must not read a gap as "no care".

use crate::domain::source::RecordSource;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Freshness {
    /// The date of the newest record and its source.
    pub newest: Option<(NaiveDate, RecordSource)>,
    pub last_loaded: Option<DateTime<Utc>>,
}

impl Freshness {
    /// From (record date, source, loaded at) triples in any order.
    pub fn of(records: impl IntoIterator<Item = (NaiveDate, RecordSource, DateTime<Utc>)>) -> Self {
        records
            .into_iter()
            .fold(Self::default(), |mut f, (date, source, loaded)| {
                if f.newest.is_none_or(|(d, _)| date > d) {
                    f.newest = Some((date, source));
                }
                if f.last_loaded.is_none_or(|l| loaded > l) {
                    f.last_loaded = Some(loaded);
                }
                f
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn newest_record_and_latest_load_are_taken_independently() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default();
        let t = |h| {
            Utc.with_ymd_and_hms(2026, 11, 1, h, 0, 0)
                .single()
                .unwrap_or_default()
        };
        let f = Freshness::of([
            (d(9, 1), RecordSource::InsuranceClaim, t(5)),
            (d(11, 20), RecordSource::EPrescription, t(3)),
            (d(10, 2), RecordSource::InsuranceClaim, t(9)),
        ]);
        assert_eq!(f.newest, Some((d(11, 20), RecordSource::EPrescription)));
        assert_eq!(f.last_loaded, Some(t(9)));
        assert_eq!(Freshness::of([]), Freshness::default());
    }
}
