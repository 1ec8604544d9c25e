//! Assembles the medications page from the patient's whole history: filters, one page of the
//! list, the timeline of the filtered dispensings, and duplicate hints over everything.

use super::PAGE_SIZE;
use super::filter::Filter;
use super::timeline::{self, Row};
use super::{
    DispensingView, DrugChoice, DuplicateView, EpisodeView, MedicationPage, MedicationQuery,
};
use crate::domain::institution::InstitutionRef;
use crate::domain::medication::{
    DispensingSummary, DrugKey, MedicationRecord, duplicate_hints, medication_timeline,
};
use crate::domain::source::RecordSource;
use crate::format;
use crate::freshness::Freshness;
use crate::i18n::{Locale, td_string};
use crate::storage::medications::Dispensing;
use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;

pub fn page(
    query: MedicationQuery,
    history: &[Dispensing],
    today: NaiveDate,
    locale: Locale,
) -> MedicationPage {
    let institutions = institutions(history);
    let drugs = drug_choices(history);
    let (filter, errors) = {
        let codes: Vec<&str> = institutions.iter().map(|i| i.code.as_str()).collect();
        let keys: Vec<&str> = drugs.iter().map(|d| d.key.as_str()).collect();
        Filter::parse(&query, today, &codes, &keys)
    };
    let chosen: Vec<&Dispensing> = history
        .iter()
        .filter(|d| filter.matches(d, DrugKey::of(&d.record.drug_code).as_str()))
        .collect();
    let total = chosen.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = filter.page.min(pages);
    let rows = chosen
        .iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|d| view(d))
        .collect();

    let claims_may_lag_from = today
        .checked_sub_days(Days::new(u64::from(
            RecordSource::InsuranceClaim.usual_lag_days(),
        )))
        .unwrap_or(today);
    let records: Vec<MedicationRecord> = chosen.iter().map(|d| d.record.clone()).collect();
    let drug_rows = medication_timeline(&records);
    let episodes = drug_rows
        .iter()
        .flat_map(|r| {
            r.episodes.iter().rev().map(|e| EpisodeView {
                drug_name: r.drug_name.clone(),
                start: e.start,
                end: e.end,
                dispensings: e.dispensings,
                days_supplied: e.days_supplied_total,
            })
        })
        .collect();
    let timeline = (!drug_rows.is_empty()).then(|| {
        let rows: Vec<Row> = drug_rows
            .iter()
            .map(|r| Row {
                label: r.drug_name.clone(),
                episodes: r.episodes.iter().map(|e| (e.start, e.end)).collect(),
            })
            .collect();
        let description = td_string!(
            locale,
            meds_timeline_summary,
            count = rows.len(),
            from = format::date(locale, filter.from),
            to = format::date(locale, filter.to)
        )
        .to_string();
        timeline::chart(
            &rows,
            filter.from,
            filter.to,
            claims_may_lag_from,
            locale,
            &description,
        )
    });

    let duplicates = duplicates(history, &institutions, filter.from);
    MedicationPage {
        query,
        errors,
        from: filter.from,
        to: filter.to,
        rows,
        page: u32::try_from(page).unwrap_or(u32::MAX),
        pages: u32::try_from(pages).unwrap_or(u32::MAX),
        total,
        all_count: history.len(),
        institutions,
        drugs,
        episodes,
        timeline,
        duplicates,
        freshness: Freshness::of(
            history
                .iter()
                .map(|d| (d.record.dispensed_on, d.record.source, d.loaded_at)),
        ),
        claims_may_lag_from,
    }
}

/// Hints over the whole history (a filter must not hide a safety hint), those still
/// overlapping the period shown.
fn duplicates(
    history: &[Dispensing],
    institutions: &[InstitutionRef],
    from: NaiveDate,
) -> Vec<DuplicateView> {
    let records: Vec<MedicationRecord> = history.iter().map(|d| d.record.clone()).collect();
    // The hint names whoever prescribed, or the dispenser for in-house dispensing.
    let who = |s: &DispensingSummary| {
        let code = s
            .prescriber
            .as_ref()
            .unwrap_or(&s.dispenser)
            .as_str()
            .to_owned();
        institutions
            .iter()
            .find(|i| i.code == code)
            .cloned()
            .unwrap_or(InstitutionRef {
                name: code.clone(),
                name_en: code.clone(),
                code,
            })
    };
    duplicate_hints(&records)
        .into_iter()
        .filter(|h| h.overlap_end >= from)
        .map(|h| DuplicateView {
            kind: h.kind,
            first_drug: h.a.drug_name.clone(),
            first_from: who(&h.a),
            second_drug: h.b.drug_name.clone(),
            second_from: who(&h.b),
            overlap_start: h.overlap_start,
            overlap_end: h.overlap_end,
        })
        .collect()
}

fn view(d: &Dispensing) -> DispensingView {
    let r = &d.record;
    DispensingView {
        id: d.id,
        dispensed_on: r.dispensed_on,
        drug_name: r.drug_name.clone(),
        drug_code: r.drug_code.as_str().to_owned(),
        strength: r.strength.clone(),
        dose_per_day: r.dose_per_day,
        days_supplied: r.days_supplied,
        quantity: r.quantity,
        unit: r.unit.clone(),
        route: r.route,
        generic: r.generic,
        dispenser: d.dispenser.clone(),
        prescriber: d.prescriber.clone(),
        source: r.source,
    }
}

/// Every institution in the history, prescribing or dispensing, by code.
fn institutions(history: &[Dispensing]) -> Vec<InstitutionRef> {
    let mut by_code = BTreeMap::new();
    for d in history {
        by_code
            .entry(d.dispenser.code.clone())
            .or_insert_with(|| d.dispenser.clone());
        if let Some(p) = &d.prescriber {
            by_code.entry(p.code.clone()).or_insert_with(|| p.clone());
        }
    }
    by_code.into_values().collect()
}

/// One choice per drug key, named after its newest dispensing (history is newest first).
fn drug_choices(history: &[Dispensing]) -> Vec<DrugChoice> {
    let mut by_key: BTreeMap<String, String> = BTreeMap::new();
    for d in history {
        by_key
            .entry(DrugKey::of(&d.record.drug_code).as_str().to_owned())
            .or_insert_with(|| d.record.drug_name.clone());
    }
    let mut choices: Vec<DrugChoice> = by_key
        .into_iter()
        .map(|(key, name)| DrugChoice { key, name })
        .collect();
    choices.sort_by(|a, b| a.name.cmp(&b.name));
    choices
}
