//! Owns the downloads of one year for the tax agency's 医療費集計フォーム: the workbook itself
//! (`workbook`), which the e-Tax 作成コーナー reads, and a CSV in its columns to read or paste.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::history::month_end;
use super::{NoticePayment, Receipt, TaxCategory, Yen};
use crate::domain::institution::InstitutionCode;
use crate::domain::person::PersonName;

/// The headings of 国税庁「医療費集計フォーム」, in its column order (B to J; column A is its
/// own row number). The four category columns follow the form and the 医療費控除の明細書:
/// 診療・治療, 医薬品購入, 介護保険サービス, その他の医療費.
pub const TAX_FORM_HEADERS: [&str; 9] = [
    "医療を受けた人",
    "病院・薬局などの支払先の名称",
    "診療・治療",
    "医薬品購入",
    "介護保険サービス",
    "その他の医療費",
    "支払った医療費の金額",
    "左のうち、補填される金額",
    "支払年月日",
];

/// The value the form's category columns take when ticked.
pub const TAX_FORM_CHECKED: &str = "該当する";

/// Excel opens a UTF-8 CSV without a BOM as Shift_JIS and garbles every Japanese heading.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

#[derive(Debug, thiserror::Error)]
pub enum TaxExportError {
    /// Writing to memory does not fail in practice; kept typed rather than unwrapped.
    #[error("could not write the CSV")]
    Write(#[from] csv::Error),
    #[error("could not write the workbook")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    /// The agency's form holds 995 payments a year.
    #[error("the form holds {max} payments, the year has {found}", max = workbook::MAX_ROWS)]
    TooManyRows { found: usize },
}

impl TaxExportError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Write(_) => "tax_export_write",
            Self::Workbook(_) => "tax_export_workbook",
            Self::TooManyRows { .. } => "tax_export_too_many_rows",
        }
    }
}

/// One line of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxFormRow {
    pub patient: String,
    pub payee: String,
    pub category: TaxCategory,
    pub paid: Yen,
    pub reimbursed: Yen,
    pub paid_on: NaiveDate,
}

/// Rows for every notice and receipt, all years.
///
/// Notices become one row per institution and month of care, as [`super::notice_payments`]
/// groups them: the form asks for payments per payee, and a row per notice line would only
/// lengthen it. The amount is what was paid (the 患者負担額, or the patient's correction of it)
/// with what was refunded in the 補填 column. Rows of ¥0 (care paid wholly by public expense)
/// are left out. Notices carry no payment date, so the date is the last day of the month of
/// care, the same paid-in-the-month-of-care assumption as the yearly totals.
/// `institution_name` supplies the payee; the institution code stands in when it is unknown.
pub fn tax_form_rows(
    patient: &PersonName,
    payments: &[NoticePayment],
    receipts: &[Receipt],
    institution_name: impl Fn(&InstitutionCode) -> Option<String>,
) -> Vec<TaxFormRow> {
    let from_notices = payments
        .iter()
        .filter(|p| p.paid > Yen::ZERO)
        .map(|p| TaxFormRow {
            patient: patient.as_str().to_owned(),
            payee: institution_name(&p.institution)
                .unwrap_or_else(|| p.institution.as_str().to_owned()),
            category: p.category,
            paid: p.paid,
            reimbursed: p.reimbursed,
            paid_on: month_end(p.care_month),
        });
    let from_receipts = receipts.iter().map(|r| TaxFormRow {
        patient: patient.as_str().to_owned(),
        payee: r.payee.as_str().to_owned(),
        category: r.kind.tax_category(),
        paid: r.amount,
        reimbursed: r.reimbursed,
        paid_on: r.paid_on,
    });
    from_notices.chain(from_receipts).collect()
}

/// The rows paid in `year`, by date then payee, as UTF-8 with a BOM and CRLF line ends
/// (RFC 4180; fields with a comma, quote or line break are quoted). Amounts are plain
/// integers and dates YYYY/MM/DD, as the form's cells expect. No total line: pasted into the
/// form it would be counted as one more payment, and the form adds up its own columns.
pub fn tax_form_csv(year: i32, rows: &[TaxFormRow]) -> Result<Vec<u8>, TaxExportError> {
    let selected = sorted_year(year, rows);
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(UTF8_BOM.to_vec());
    writer.write_record(TAX_FORM_HEADERS)?;
    for row in selected {
        let ticks = TaxCategory::FORM_ORDER.map(|c| {
            if c == row.category {
                TAX_FORM_CHECKED
            } else {
                ""
            }
        });
        let [care, medicine, care_service, other] = ticks;
        let patient = form_text(&row.patient, workbook::PATIENT_MAX_CHARS);
        let payee = form_text(&row.payee, workbook::PAYEE_MAX_CHARS);
        writer.write_record([
            spreadsheet_text(&patient).as_ref(),
            spreadsheet_text(&payee).as_ref(),
            care,
            medicine,
            care_service,
            other,
            &row.paid.value().to_string(),
            &row.reimbursed.value().to_string(),
            &row.paid_on.format("%Y/%m/%d").to_string(),
        ])?;
    }
    writer
        .into_inner()
        .map_err(|e| TaxExportError::Write(e.into_error().into()))
}

/// `iryouhi_2024.csv`: ASCII, so the Content-Disposition header needs no encoding.
pub fn tax_form_filename(year: i32) -> String {
    format!("iryouhi_{year}.csv")
}

/// The rows paid in `year`, by date then payee, as both files list them.
fn sorted_year(year: i32, rows: &[TaxFormRow]) -> Vec<&TaxFormRow> {
    let mut selected: Vec<&TaxFormRow> = rows.iter().filter(|r| r.paid_on.year() == year).collect();
    selected.sort_by(|a, b| (a.paid_on, &a.payee).cmp(&(b.paid_on, &b.payee)));
    selected
}

/// A name cut to the characters the form's heading allows (its cells refuse longer ones).
fn form_text(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        Some((cut, _)) => Cow::Borrowed(s[..cut].trim_end()),
        None => Cow::Borrowed(s),
    }
}

/// A name starting with `=`, `+`, `-` or `@` would run as a formula when the file is opened
/// in a spreadsheet (CSV injection); a leading apostrophe makes the cell plain text.
fn spreadsheet_text(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

mod workbook;
pub use workbook::{tax_form_workbook, tax_form_workbook_filename};

#[cfg(test)]
mod tests;
