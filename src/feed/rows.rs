//! The rows of insurer feed files as they are written (by insurers, and by our demo generator).
//! Every field is plain text or a number, exactly as a CSV column or JSON member carries it;
//! `feed::validate` turns them into domain types.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A feed file in JSON: one kind of row per file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FeedFile<T> {
    pub kind: super::FeedKind,
    pub rows: Vec<T>,
}

/// One qualification period of one person (資格情報), with the number valid in that period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRow {
    /// The intermediary's linkage key for the person: stable across insurer changes.
    pub link_key: String,
    pub name: String,
    pub name_kana: String,
    pub birth_date: NaiveDate,
    pub sex: String,
    pub coverage_kind: String,
    pub insurer_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insurer_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symbol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_payer_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welfare_office: Option<String>,
    /// Space-separated institution codes where a welfare recipient may be treated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub designated_institutions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceiling_category: Option<String>,
    pub valid_from: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstitutionRow {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub kind: String,
}

/// One dispensing line (調剤), from a claim or an e-prescription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MedicationRow {
    pub record_id: String,
    /// Who: a personal insured number `保険者番号:記号:番号:枝番`, or for welfare medical aid
    /// `公費負担者番号:受給者番号`.
    pub member: String,
    pub dispensed_on: NaiveDate,
    pub dispenser_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prescriber_code: Option<String>,
    pub drug_code: String,
    pub drug_name: String,
    pub strength: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose_per_day: Option<f64>,
    pub days_supplied: u16,
    pub quantity: f64,
    pub unit: String,
    pub route: String,
    pub generic: bool,
    pub source: String,
}

/// One checkup with its results keyed by the 17-digit item code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckupRow {
    pub record_id: String,
    pub member: String,
    pub examined_on: NaiveDate,
    pub kind: String,
    pub institution_code: String,
    pub fasting: bool,
    pub on_bp_medication: bool,
    pub on_glucose_medication: bool,
    pub on_lipid_medication: bool,
    pub smoker: bool,
    pub results: BTreeMap<String, String>,
}

/// One monthly line of a medical-cost notice (医療費通知).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostRow {
    pub record_id: String,
    pub member: String,
    pub care_month: String,
    pub institution_code: String,
    pub care_type: String,
    pub days: u16,
    pub total: i64,
    pub insurer_paid: i64,
    pub patient_paid: i64,
}
