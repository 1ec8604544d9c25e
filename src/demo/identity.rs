//! Who a patient is over time: the unchanging identity, the coverage-period rows built from it,
//! and the member string records carry.

use super::institutions::Inst;
use crate::feed::rows::PersonRow;
use chrono::NaiveDate;

/// `保険者番号:記号:番号:枝番` for the insured (absent parts left empty, as on later-elderly
/// cards that have no symbol or branch), `公費負担者番号:受給者番号` for welfare medical aid.
pub fn member_of(p: &PersonRow) -> String {
    let part = |s: &Option<String>| s.clone().unwrap_or_default();
    if p.coverage_kind == "welfare_aid" {
        format!(
            "{}:{}",
            part(&p.public_payer_number),
            part(&p.recipient_number)
        )
    } else {
        format!(
            "{}:{}:{}:{}",
            part(&p.insurer_number),
            part(&p.symbol),
            part(&p.member_number),
            part(&p.branch)
        )
    }
}

/// The parts of a person that do not change when their coverage does.
pub struct Identity {
    pub link_key: String,
    pub name: String,
    pub kana: String,
    pub birth: NaiveDate,
    pub male: bool,
}

/// An insurance card: (記号, 番号, 枝番); later-elderly cards have only the number.
pub type Card<'a> = (Option<&'a str>, &'a str, Option<&'a str>);

impl Identity {
    fn base(&self, coverage_kind: &str, insurer_name: &str, from: NaiveDate) -> PersonRow {
        PersonRow {
            link_key: self.link_key.clone(),
            name: self.name.clone(),
            name_kana: self.kana.clone(),
            birth_date: self.birth,
            sex: if self.male { "male" } else { "female" }.into(),
            coverage_kind: coverage_kind.into(),
            insurer_name: insurer_name.into(),
            insurer_number: None,
            symbol: None,
            member_number: None,
            branch: None,
            public_payer_number: None,
            recipient_number: None,
            welfare_office: None,
            designated_institutions: None,
            ceiling_category: None,
            valid_from: from,
            valid_to: None,
        }
    }

    /// A period of employee, national or later-elderly insurance.
    pub fn insured(
        &self,
        kind: &str,
        insurer: (&str, &str),
        card: Card<'_>,
        ceiling: Option<&str>,
        valid: (NaiveDate, Option<NaiveDate>),
    ) -> PersonRow {
        let (symbol, number, branch) = card;
        PersonRow {
            insurer_number: Some(insurer.1.into()),
            symbol: symbol.map(Into::into),
            member_number: Some(number.into()),
            branch: branch.map(Into::into),
            ceiling_category: ceiling.map(Into::into),
            valid_to: valid.1,
            ..self.base(kind, insurer.0, valid.0)
        }
    }

    /// A period of welfare medical aid, with the institutions it was granted for.
    pub fn welfare(
        &self,
        office: &str,
        numbers: (&str, &str),
        designated: &[&Inst],
        valid: (NaiveDate, Option<NaiveDate>),
    ) -> PersonRow {
        let codes: Vec<String> = designated.iter().map(|i| i.code()).collect();
        PersonRow {
            public_payer_number: Some(numbers.0.into()),
            recipient_number: Some(numbers.1.into()),
            welfare_office: Some(office.into()),
            designated_institutions: Some(codes.join(" ")),
            valid_to: valid.1,
            ..self.base("welfare_aid", office, valid.0)
        }
    }
}
