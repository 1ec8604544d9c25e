//! Reads the log's filter form: every field is checked, a bad one is reported by name and code
//! and ignored, and the rest still apply.

use super::LogQuery;
use crate::domain::access_log::Outcome;
use crate::domain::consent::DataKind;
use crate::domain::institution::InstitutionRef;
use crate::error::FieldError;
use crate::forms::parse_date;
use crate::storage::access_log;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub storage: access_log::Filter,
    /// From 1; clamped to the last page by the caller.
    pub page: i64,
}

impl Filter {
    /// `known` are the institutions in the patient's own log: a code naming any other is
    /// reported, not silently answered with nothing.
    pub fn parse(q: &LogQuery, known: &[InstitutionRef]) -> (Self, Vec<FieldError>) {
        let mut errors = Vec::new();
        let mut error = |field: &str, code: &str| {
            errors.push(FieldError {
                field: field.to_owned(),
                code: code.to_owned(),
            })
        };
        let who = match q.who.trim() {
            "" => None,
            "patient" => Some("patient".to_owned()),
            code if known.iter().any(|i| i.code == code) => Some(code.to_owned()),
            _ => {
                error("who", "unknown_choice");
                None
            }
        };
        let data_kind = match q.kind.trim() {
            "" => None,
            k => DataKind::parse(k).or_else(|| {
                error("kind", "unknown_choice");
                None
            }),
        };
        let outcome = match q.outcome.trim() {
            "" => None,
            o => Outcome::parse(o).or_else(|| {
                error("outcome", "unknown_choice");
                None
            }),
        };
        let from = parse_date(&q.from).unwrap_or_else(|_| {
            error("from", "invalid_date");
            None
        });
        let mut to = parse_date(&q.to).unwrap_or_else(|_| {
            error("to", "invalid_date");
            None
        });
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            error("to", "before_from");
            to = None;
        }
        let page = q.page.trim().parse::<i64>().unwrap_or(1).max(1);
        (
            Self {
                storage: access_log::Filter {
                    who,
                    action: None,
                    data_kind,
                    outcome,
                    from,
                    to,
                },
                page,
            },
            errors,
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn known() -> Vec<InstitutionRef> {
        vec![InstitutionRef {
            code: "1311234567".into(),
            name: "みなと薬局".into(),
            name_en: "Minato Pharmacy".into(),
        }]
    }

    #[test]
    fn every_field_is_read_and_a_bad_one_named() {
        let q = LogQuery {
            who: "1311234567".into(),
            kind: "checkups".into(),
            outcome: "refused".into(),
            from: "２０２６/１１/０１".into(),
            to: "2026-11-30".into(),
            page: "3".into(),
        };
        let (f, errors) = Filter::parse(&q, &known());
        assert_eq!(errors, []);
        assert_eq!(f.page, 3);
        assert_eq!(f.storage.who.as_deref(), Some("1311234567"));
        assert_eq!(f.storage.data_kind, Some(DataKind::Checkups));
        assert_eq!(f.storage.outcome, Some(Outcome::Refused));
        assert_eq!(f.storage.from.unwrap().to_string(), "2026-11-01");

        let bad = LogQuery {
            who: "1319999999".into(),
            kind: "x-rays".into(),
            outcome: "maybe".into(),
            from: "2026-13-01".into(),
            to: "".into(),
            page: "-4".into(),
        };
        let (f, errors) = Filter::parse(&bad, &known());
        let named: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            named,
            [
                ("who", "unknown_choice"),
                ("kind", "unknown_choice"),
                ("outcome", "unknown_choice"),
                ("from", "invalid_date")
            ]
        );
        assert_eq!(f.storage, access_log::Filter::default());
        assert_eq!(f.page, 1);

        let backwards = LogQuery {
            from: "2026-12-01".into(),
            to: "2026-11-01".into(),
            ..LogQuery::default()
        };
        let (f, errors) = Filter::parse(&backwards, &known());
        assert_eq!(errors[0].code, "before_from");
        assert_eq!(f.storage.to, None);
    }
}
