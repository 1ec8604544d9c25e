//! Reads the filter form: every field is checked, a bad one is reported by name and code and
//! ignored, and the rest still apply.

use super::MedicationQuery;
use crate::domain::medication::Route;
use crate::error::FieldError;
use crate::forms::parse_date;
use crate::storage::medications::Dispensing;
use chrono::{Months, NaiveDate};

/// Without a start date the page shows three years, what national portals keep at least.
const DEFAULT_YEARS: u32 = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub institution: Option<String>,
    pub drug: Option<String>,
    pub route: Option<Route>,
    pub page: usize,
}

impl Filter {
    /// `known_institutions` and `known_drugs` are the patient's own, so a stale or edited link
    /// naming someone else's institution is reported instead of silently showing nothing.
    pub fn parse(
        q: &MedicationQuery,
        today: NaiveDate,
        known_institutions: &[&str],
        known_drugs: &[&str],
    ) -> (Self, Vec<FieldError>) {
        let mut errors = Vec::new();
        let mut error = |field: &str, code: &str| {
            errors.push(FieldError {
                field: field.to_owned(),
                code: code.to_owned(),
            })
        };
        let default_from = today
            .checked_sub_months(Months::new(12 * DEFAULT_YEARS))
            .unwrap_or(today);
        let mut from = match parse_date(&q.from) {
            Ok(Some(d)) => d,
            Ok(None) => default_from,
            Err(_) => {
                error("from", "invalid_date");
                default_from
            }
        };
        let to = match parse_date(&q.to) {
            Ok(Some(d)) => d,
            Ok(None) => today,
            Err(_) => {
                error("to", "invalid_date");
                today
            }
        };
        if from > to {
            error("to", "before_from");
            from = to;
        }
        let institution = choice(
            &q.institution,
            known_institutions,
            "institution",
            &mut error,
        );
        let drug = choice(&q.drug, known_drugs, "drug", &mut error);
        let route = match q.route.trim() {
            "" => None,
            r => match serde_json::from_value::<Route>(serde_json::Value::String(r.to_owned())) {
                Ok(route) => Some(route),
                Err(_) => {
                    error("route", "unknown_choice");
                    None
                }
            },
        };
        // Pages are links the server wrote; a hand-edited number is clamped later, not refused.
        let page = q.page.trim().parse::<usize>().unwrap_or(1).max(1);
        (
            Self {
                from,
                to,
                institution,
                drug,
                route,
                page,
            },
            errors,
        )
    }

    /// Whether a dispensing is in the period and matches every chosen field; `drug_key` is
    /// the ingredient key of its drug.
    pub fn matches(&self, d: &Dispensing, drug_key: &str) -> bool {
        let r = &d.record;
        let institution_ok = self.institution.as_deref().is_none_or(|code| {
            d.dispenser.code == code || d.prescriber.as_ref().is_some_and(|p| p.code == code)
        });
        r.dispensed_on >= self.from
            && r.dispensed_on <= self.to
            && institution_ok
            && self.drug.as_deref().is_none_or(|k| k == drug_key)
            && self.route.is_none_or(|route| route == r.route)
    }
}

/// `2024-05-01` from a date input, or `2024/05/01` typed by hand (full-width digits allowed).
fn choice(
    input: &str,
    known: &[&str],
    field: &str,
    error: &mut impl FnMut(&str, &str),
) -> Option<String> {
    let v = input.trim();
    if v.is_empty() {
        None
    } else if known.contains(&v) {
        Some(v.to_owned())
    } else {
        error(field, "unknown_choice");
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn query(from: &str, to: &str, institution: &str, route: &str, page: &str) -> MedicationQuery {
        MedicationQuery {
            from: from.into(),
            to: to.into(),
            institution: institution.into(),
            drug: String::new(),
            route: route.into(),
            page: page.into(),
        }
    }

    #[test]
    fn reads_each_field_and_reports_the_bad_ones_by_name() {
        let today = day(2026, 11, 25);
        let known = ["1312345678"];
        type Case = (
            MedicationQuery,
            NaiveDate,
            NaiveDate,
            &'static [(&'static str, &'static str)],
        );
        let cases: [Case; 6] = [
            (query("", "", "", "", ""), day(2023, 11, 25), today, &[]),
            (
                query("2024-01-01", "2024-12-31", "", "", ""),
                day(2024, 1, 1),
                day(2024, 12, 31),
                &[],
            ),
            (
                query("２０２４/０１/０１", "", "", "", ""),
                day(2024, 1, 1),
                today,
                &[],
            ),
            (
                query("2024-13-01", "", "", "", ""),
                day(2023, 11, 25),
                today,
                &[("from", "invalid_date")],
            ),
            (
                query("2025-01-01", "2024-01-01", "", "", ""),
                day(2024, 1, 1),
                day(2024, 1, 1),
                &[("to", "before_from")],
            ),
            (
                query("", "", "9999999999", "pills", "x"),
                day(2023, 11, 25),
                today,
                &[
                    ("institution", "unknown_choice"),
                    ("route", "unknown_choice"),
                ],
            ),
        ];
        for (q, from, to, want) in cases {
            let (f, errors) = Filter::parse(&q, today, &known, &[]);
            assert_eq!((f.from, f.to), (from, to), "{q:?}");
            let got: Vec<(&str, &str)> = errors
                .iter()
                .map(|e| (e.field.as_str(), e.code.as_str()))
                .collect();
            assert_eq!(got, want, "{q:?}");
            assert_eq!(f.page, 1);
        }
        let (f, _) = Filter::parse(
            &query("", "", "1312345678", "as_needed", "3"),
            today,
            &known,
            &[],
        );
        assert_eq!(f.institution.as_deref(), Some("1312345678"));
        assert_eq!(f.route, Some(Route::AsNeeded));
        assert_eq!(f.page, 3);
    }
}
