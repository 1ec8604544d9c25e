//! Turning raw feed rows into domain values. Every field of every row is checked and every
//! problem reported (not just the first), by position and field name, with a stable code.

use super::{FeedKind, FeedRows, RawRow, RowError, RowPosition};
use crate::domain::checkup::{
    CheckupItem, CheckupKind, CheckupResult, CheckupValue, Questionnaire, UrineGrade,
};
use crate::domain::cost::{CareMonth, CareType, CostNotice, Yen};
use crate::domain::institution::{InstitutionCode, InstitutionKind};
use crate::domain::insured::PersonalInsuredNumber;
use crate::domain::medication::{DrugCode, MedicationRecord, Route};
use crate::domain::normalize::normalize_text;
use crate::domain::person::{PersonName, Sex};
use crate::domain::qualification::welfare::{OfficeName, PublicPayerNumber, RecipientNumber};
use crate::domain::qualification::{CeilingCategory, InsuranceKind, Member, Validity};
use crate::domain::source::RecordSource;
use chrono::NaiveDate;
use std::collections::HashSet;

#[derive(Debug, Clone)]
pub struct Institution {
    pub position: RowPosition,
    pub code: InstitutionCode,
    pub name: String,
    pub name_en: String,
    pub kind: InstitutionKind,
}

#[derive(Debug, Clone)]
pub struct PersonPeriod {
    pub position: RowPosition,
    pub link_key: String,
    pub name: PersonName,
    pub name_kana: PersonName,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub kind: InsuranceKind,
    pub insurer_name: String,
    pub member: Member,
    pub welfare_office: Option<String>,
    pub designated: Vec<InstitutionCode>,
    pub ceiling: Option<CeilingCategory>,
    pub validity: Validity,
}

#[derive(Debug, Clone)]
pub struct Medication {
    pub position: RowPosition,
    pub record_key: String,
    pub member: Member,
    pub record: MedicationRecord,
}

#[derive(Debug, Clone)]
pub struct Checkup {
    pub position: RowPosition,
    pub record_key: String,
    pub member: Member,
    pub examined_on: NaiveDate,
    pub kind: CheckupKind,
    pub institution: InstitutionCode,
    pub questionnaire: Questionnaire,
    pub results: Vec<CheckupResult>,
}

#[derive(Debug, Clone)]
pub struct Cost {
    pub position: RowPosition,
    pub record_key: String,
    pub member: Member,
    pub notice: CostNotice,
}

/// A whole file of valid rows.
#[derive(Debug, Clone)]
pub enum Valid {
    Institutions(Vec<Institution>),
    Persons(Vec<PersonPeriod>),
    Medications(Vec<Medication>),
    Checkups(Vec<Checkup>),
    Costs(Vec<Cost>),
}

impl Valid {
    pub fn kind(&self) -> FeedKind {
        match self {
            Self::Institutions(_) => FeedKind::Institutions,
            Self::Persons(_) => FeedKind::Persons,
            Self::Medications(_) => FeedKind::Medications,
            Self::Checkups(_) => FeedKind::Checkups,
            Self::Costs(_) => FeedKind::Costs,
        }
    }
}

/// Validates every row; any error anywhere rejects the whole file.
pub fn validate(file: &FeedRows) -> Result<Valid, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    macro_rules! each {
        ($variant:ident, $f:ident) => {{
            let rows: Vec<_> = file
                .rows
                .iter()
                .filter_map(|raw| {
                    let mut f = Fields::new(raw);
                    let row = $f(&mut f);
                    if let Some(key) = f.record_key.take()
                        && !seen.insert(key)
                    {
                        f.error(
                            "record_id",
                            "duplicate_record_id",
                            "the same record_id appears earlier in this file".into(),
                        );
                    }
                    errors.append(&mut f.errors);
                    row
                })
                .collect();
            Valid::$variant(rows)
        }};
    }
    let valid = match file.kind {
        FeedKind::Institutions => each!(Institutions, institution),
        FeedKind::Persons => each!(Persons, person),
        FeedKind::Medications => each!(Medications, medication),
        FeedKind::Checkups => each!(Checkups, checkup),
        FeedKind::Costs => each!(Costs, cost),
    };
    if errors.is_empty() {
        Ok(valid)
    } else {
        Err(errors)
    }
}

/// Reads the fields of one row, collecting errors instead of stopping at the first.
struct Fields<'a> {
    raw: &'a RawRow,
    errors: Vec<RowError>,
    record_key: Option<String>,
}

impl<'a> Fields<'a> {
    fn new(raw: &'a RawRow) -> Self {
        Self {
            raw,
            errors: Vec::new(),
            record_key: None,
        }
    }

    fn error(&mut self, field: &str, code: &str, message: String) {
        self.errors.push(RowError {
            position: self.raw.position,
            field: field.into(),
            code: code.into(),
            message,
        });
    }

    fn optional(&self, field: &str) -> Option<&'a str> {
        self.raw.get(field).map(str::trim)
    }

    fn required(&mut self, field: &str) -> Option<&'a str> {
        let v = self.optional(field);
        if v.is_none() {
            self.error(field, "missing", format!("{field} is required"));
        }
        v
    }

    /// Parses a required field with a domain parser whose error has a code.
    fn parse<T, E: std::fmt::Display + HasCode>(
        &mut self,
        field: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let text = self.required(field)?;
        self.parse_text(field, text, parse)
    }

    fn parse_optional<T, E: std::fmt::Display + HasCode>(
        &mut self,
        field: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<Option<T>> {
        match self.optional(field) {
            None => Some(None),
            Some(text) => self.parse_text(field, text, parse).map(Some),
        }
    }

    fn parse_text<T, E: std::fmt::Display + HasCode>(
        &mut self,
        field: &str,
        text: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        match parse(text) {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(field, e.code(), e.to_string());
                None
            }
        }
    }

    /// A value named by its serde name, e.g. `outpatient` or `insurance_claim`.
    fn choice<T: serde::de::DeserializeOwned>(&mut self, field: &str, allowed: &str) -> Option<T> {
        let text = self.required(field)?;
        let parsed = serde_json::from_value(serde_json::Value::String(text.to_owned())).ok();
        if parsed.is_none() {
            self.error(
                field,
                "unknown_value",
                format!("{field} must be one of: {allowed}"),
            );
        }
        parsed
    }

    fn date(&mut self, field: &str) -> Option<NaiveDate> {
        let text = self.required(field)?;
        self.date_text(field, text)
    }

    fn date_text(&mut self, field: &str, text: &str) -> Option<NaiveDate> {
        let normalized = crate::domain::normalize::normalize_code(text).replace('/', "-");
        match NaiveDate::parse_from_str(&normalized, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                self.error(
                    field,
                    "invalid_date",
                    format!("{field} must be a date like 2024-05-31"),
                );
                None
            }
        }
    }

    fn number<T: std::str::FromStr>(&mut self, field: &str) -> Option<T> {
        let text = self.required(field)?;
        self.number_text(field, text)
    }

    fn number_text<T: std::str::FromStr>(&mut self, field: &str, text: &str) -> Option<T> {
        let normalized = crate::domain::normalize::normalize_code_compact(text).replace(',', "");
        let parsed = normalized.parse().ok();
        if parsed.is_none() {
            self.error(field, "invalid_number", format!("{field} must be a number"));
        }
        parsed
    }

    fn flag(&mut self, field: &str) -> Option<bool> {
        match self.required(field)?.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "y" | "はい" => Some(true),
            "false" | "0" | "no" | "n" | "いいえ" => Some(false),
            _ => {
                self.error(
                    field,
                    "invalid_flag",
                    format!("{field} must be true or false"),
                );
                None
            }
        }
    }

    fn text(&mut self, field: &str, max: usize) -> Option<String> {
        let text = normalize_text(self.required(field)?);
        if text.chars().count() > max {
            self.error(
                field,
                "too_long",
                format!("{field} must be at most {max} characters"),
            );
            return None;
        }
        Some(text)
    }

    fn record_id(&mut self) -> Option<String> {
        let key = self.text("record_id", 64)?;
        self.record_key = Some(key.clone());
        Some(key)
    }

    fn member(&mut self) -> Option<Member> {
        let text = self.required("member")?;
        match Member::parse(text) {
            Ok(m) => Some(m),
            Err((code, message)) => {
                self.error("member", code, message);
                None
            }
        }
    }
}

impl Member {
    /// `保険者番号:記号:番号:枝番` for the insured, `公費負担者番号:受給者番号` for welfare
    /// medical aid (one colon). Errors carry the part's stable code and a message.
    pub fn parse(text: &str) -> Result<Self, (&'static str, String)> {
        let err = |e: &dyn DisplayCode| (e.code(), e.to_string());
        if text.matches([':', '：']).count() == 1 {
            let (payer, recipient) = text.split_once([':', '：']).unwrap_or((text, ""));
            let payer = PublicPayerNumber::parse(payer).map_err(|e| err(&e))?;
            let recipient = RecipientNumber::parse(recipient).map_err(|e| err(&e))?;
            Ok(Self::Welfare { payer, recipient })
        } else {
            PersonalInsuredNumber::parse_jp_core(text)
                .map(Self::Insured)
                .map_err(|e| err(&e))
        }
    }
}

/// An error that can be shown and named by a stable code.
trait DisplayCode: std::fmt::Display + HasCode {}
impl<T: std::fmt::Display + HasCode> DisplayCode for T {}

/// The stable code of a domain error, for reports and translations.
trait HasCode {
    fn code(&self) -> &'static str;
}

macro_rules! has_code {
    ($($t:ty),*) => {$(impl HasCode for $t { fn code(&self) -> &'static str { <$t>::code(self) } })*};
}
has_code!(
    crate::domain::institution::InstitutionError,
    crate::domain::insured::InsuredError,
    crate::domain::qualification::QualificationError,
    crate::domain::medication::MedicationError,
    crate::domain::checkup::CheckupError,
    crate::domain::cost::CostError,
    crate::domain::person::PersonError
);

fn institution(f: &mut Fields) -> Option<Institution> {
    let code = f.parse("code", InstitutionCode::parse);
    let name = f.text("name", 100);
    let name_en = f.text("name_en", 100);
    let kind: Option<InstitutionKind> =
        f.choice("kind", "hospital, clinic, dental_clinic, pharmacy");
    let (code, kind) = (code?, kind?);
    if let Err(e) = kind.ensure_matches(&code) {
        f.error("kind", e.code(), e.to_string());
        return None;
    }
    Some(Institution {
        position: f.raw.position,
        code,
        name: name?,
        name_en: name_en?,
        kind,
    })
}

fn person(f: &mut Fields) -> Option<PersonPeriod> {
    let link_key = f.text("link_key", 64);
    let name = f.parse("name", PersonName::parse);
    let name_kana = f.parse("name_kana", PersonName::parse);
    let birth_date = f.date("birth_date");
    let sex = f.parse("sex", Sex::parse);
    let kind: Option<InsuranceKind> = f.choice(
        "coverage_kind",
        "employee, national, later_elderly, welfare_aid",
    );
    let insurer_name = f.text("insurer_name", 100);
    let ceiling = f.parse_optional("ceiling_category", CeilingCategory::parse);
    let from = f.date("valid_from");
    let to = match f.optional("valid_to") {
        Some(t) => f.date_text("valid_to", t).map(Some),
        None => Some(None),
    };
    let validity = match (from, to) {
        (Some(from), Some(to)) => f.parse_text("valid_to", "", |_| Validity::new(from, to)),
        _ => None,
    };
    let (member, office, designated) = if kind == Some(InsuranceKind::WelfareAid) {
        let payer = f.parse("public_payer_number", PublicPayerNumber::parse);
        let recipient = f.parse("recipient_number", RecipientNumber::parse);
        let office = f.parse("welfare_office", OfficeName::parse);
        let mut designated = Vec::new();
        for code in f
            .optional("designated_institutions")
            .unwrap_or_default()
            .split_whitespace()
        {
            designated.extend(f.parse_text(
                "designated_institutions",
                code,
                InstitutionCode::parse,
            ));
        }
        let member = match (payer, recipient) {
            (Some(payer), Some(recipient)) => Some(Member::Welfare { payer, recipient }),
            _ => None,
        };
        (member, office.map(|o| o.as_str().to_owned()), designated)
    } else {
        let insurer = f.required("insurer_number");
        let number = f.required("member_number");
        let symbol = f.optional("symbol").unwrap_or_default();
        let branch = f.optional("branch").unwrap_or_default();
        let member = match (insurer, number) {
            (Some(i), Some(n)) => f
                .parse_text("member_number", n, |n| {
                    PersonalInsuredNumber::parse_parts(i, symbol, n, branch)
                })
                .map(Member::Insured),
            _ => None,
        };
        (member, None, Vec::new())
    };
    Some(PersonPeriod {
        position: f.raw.position,
        link_key: link_key?,
        name: name?,
        name_kana: name_kana?,
        birth_date: birth_date?,
        sex: sex?,
        kind: kind?,
        insurer_name: insurer_name?,
        member: member?,
        welfare_office: office,
        designated,
        ceiling: ceiling?,
        validity: validity?,
    })
}

fn medication(f: &mut Fields) -> Option<Medication> {
    let record_key = f.record_id();
    let member = f.member();
    let dispensed_on = f.date("dispensed_on");
    let dispenser = f.parse("dispenser_code", InstitutionCode::parse);
    let prescriber = f.parse_optional("prescriber_code", InstitutionCode::parse);
    let drug_code = f.parse("drug_code", DrugCode::parse);
    let drug_name = f.text("drug_name", 200);
    let strength = f
        .optional("strength")
        .map(normalize_text)
        .unwrap_or_default();
    let dose_per_day = match f.optional("dose_per_day") {
        Some(t) => f.number_text("dose_per_day", t).map(Some),
        None => Some(None),
    };
    let days_supplied = f.number("days_supplied");
    let quantity = f.number("quantity");
    let unit = f.text("unit", 20);
    let route: Option<Route> = f.choice("route", "oral, as_needed, external, injection");
    let generic = f.flag("generic");
    let source: Option<RecordSource> = f.choice("source", "insurance_claim, e_prescription");
    let record = MedicationRecord {
        dispensed_on: dispensed_on?,
        dispenser: dispenser?,
        prescriber: prescriber?,
        drug_name: drug_name?,
        drug_code: drug_code?,
        strength,
        dose_per_day: dose_per_day?,
        days_supplied: days_supplied?,
        quantity: quantity?,
        unit: unit?,
        route: route?,
        generic: generic?,
        source: source?,
    };
    if let Err(e) = record.validate() {
        let field = match e.code() {
            c if c.contains("days") => "days_supplied",
            c if c.contains("quantity") => "quantity",
            c if c.contains("dose") => "dose_per_day",
            _ => "drug_name",
        };
        f.error(field, e.code(), e.to_string());
        return None;
    }
    Some(Medication {
        position: f.raw.position,
        record_key: record_key?,
        member: member?,
        record,
    })
}

const CHECKUP_FIELDS: [&str; 11] = [
    "record_id",
    "member",
    "examined_on",
    "kind",
    "institution_code",
    "fasting",
    "on_bp_medication",
    "on_glucose_medication",
    "on_lipid_medication",
    "smoker",
    "results",
];

fn checkup(f: &mut Fields) -> Option<Checkup> {
    let record_key = f.record_id();
    let member = f.member();
    let examined_on = f.date("examined_on");
    let kind: Option<CheckupKind> = f.choice("kind", "specific, later_elderly");
    let institution = f.parse("institution_code", InstitutionCode::parse);
    let fasting = f.flag("fasting");
    let on_bp = f.flag("on_bp_medication");
    let on_glucose = f.flag("on_glucose_medication");
    let on_lipid = f.flag("on_lipid_medication");
    let smoker = f.flag("smoker");
    let mut results = Vec::new();
    let mut ok = true;
    for (code, text) in &f.raw.fields {
        if CHECKUP_FIELDS.contains(&code.as_str()) || text.trim().is_empty() {
            continue;
        }
        let Some(item) = f.parse_text(code, code, CheckupItem::from_code) else {
            ok = false;
            continue;
        };
        let value = if item.is_urine() {
            f.parse_text(code, text, UrineGrade::parse)
                .map(CheckupValue::Urine)
        } else {
            f.number_text(code, text).map(CheckupValue::Number)
        };
        match value.and_then(|v| f.parse_text(code, text, |_| CheckupResult::new(item, v))) {
            Some(r) => results.push(r),
            None => ok = false,
        }
    }
    if results.is_empty() && ok {
        f.error(
            "results",
            "no_results",
            "a checkup needs at least one result column (17-digit item code)".into(),
        );
    }
    let questionnaire = Questionnaire {
        on_bp_medication: on_bp?,
        on_glucose_medication: on_glucose?,
        on_lipid_medication: on_lipid?,
        smoker: smoker?,
        fasting: fasting?,
    };
    (ok && !results.is_empty()).then_some(())?;
    Some(Checkup {
        position: f.raw.position,
        record_key: record_key?,
        member: member?,
        examined_on: examined_on?,
        kind: kind?,
        institution: institution?,
        questionnaire,
        results,
    })
}

fn cost(f: &mut Fields) -> Option<Cost> {
    let record_key = f.record_id();
    let member = f.member();
    let care_month = f.parse("care_month", CareMonth::parse);
    let institution = f.parse("institution_code", InstitutionCode::parse);
    let care_type: Option<CareType> =
        f.choice("care_type", "inpatient, outpatient, dental, dispensing");
    let days = f.number("days");
    let total = f.parse("total", Yen::parse);
    let insurer_paid = f.parse("insurer_paid", Yen::parse);
    let patient_paid = f.parse("patient_paid", Yen::parse);
    let notice = CostNotice {
        care_month: care_month?,
        institution: institution?,
        care_type: care_type?,
        days: days?,
        total: total?,
        insurer_paid: insurer_paid?,
        patient_paid: patient_paid?,
        source: RecordSource::CostNotice,
    };
    if let Err(e) = notice.validate() {
        let field = if e.code().contains("days") {
            "days"
        } else {
            "patient_paid"
        };
        f.error(field, e.code(), e.to_string());
        return None;
    }
    Some(Cost {
        position: f.raw.position,
        record_key: record_key?,
        member: member?,
        notice,
    })
}
