//! The latest checkup as a summary: verdicts computed by our code from the values and the
//! questionnaire (never copied from the feed), and the findings a patient should read first.

use super::{FindingView, LatestCheckup};
use crate::domain::checkup::{
    Ages, Band, CheckupKind, CheckupValue, findings, guidance, metabolic_verdict,
};
use crate::domain::person::Sex;
use crate::storage::checkups::Checkup;
use chrono::NaiveDate;

pub fn latest(c: &Checkup, sex: Sex, birth: NaiveDate) -> LatestCheckup {
    let ages = Ages::of(birth, c.examined_on);
    let all = findings(sex, &c.results, &c.questionnaire);
    let normal_count = all.iter().filter(|f| f.band == Band::Normal).count();
    LatestCheckup {
        examined_on: c.examined_on,
        fiscal_year: c.fiscal_year,
        kind: c.kind,
        place: c.place.clone(),
        age: ages.at_exam,
        verdict: (c.kind == CheckupKind::Specific)
            .then(|| metabolic_verdict(sex, &c.results, &c.questionnaire)),
        guidance: guidance(c.kind, ages, sex, &c.results, &c.questionnaire),
        findings: all
            .into_iter()
            .filter(|f| f.band != Band::Normal)
            .map(|f| FindingView {
                item: f.item,
                value: shown(&f.value),
                band: f.band,
                treated: f.treated,
            })
            .collect(),
        normal_count,
    }
}

/// A value as the result sheet prints it: whole numbers without decimals, one decimal
/// otherwise, urine grades as their symbol.
pub fn shown(v: &CheckupValue) -> String {
    match v {
        CheckupValue::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
        CheckupValue::Number(n) => format!("{n:.1}"),
        CheckupValue::Urine(g) => g.symbol().to_owned(),
    }
}
