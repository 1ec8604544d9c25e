//! The year's payments as the tax agency's 医療費集計フォーム itself: an Excel workbook in the
//! layout of its Ver.3.1 (the file the e-Tax 確定申告書等作成コーナー reads back), so the
//! patient uploads it as is instead of pasting a CSV into the agency's template.
//!
//! The layout is the one of the agency's published workbook: sheet 医療費集計フォーム, totals
//! in C3 and C4, headings in rows 6-7, one payment per row from row 9 to row 1003 (995 rows),
//! the category columns D-G ticked with 該当する from the list in L2:M2, names cut to the
//! lengths its headings state (10 and 20 characters), amounts as whole numbers, the payment
//! date as text. Only the input cells are unlocked, as in the original.

use chrono::Datelike;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, DocProperties, Format, FormatAlign, Formula, Workbook,
    Worksheet, XlsxError,
};

use super::{TAX_FORM_CHECKED, TaxExportError, TaxFormRow, form_text, sorted_year};
use crate::domain::cost::TaxCategory;

/// The sheet the 作成コーナー reads.
pub const SHEET: &str = "医療費集計フォーム";
/// Row 9, the first payment (0-based row index 8).
pub const FIRST_ROW: u32 = 8;
/// The form holds 995 payments (rows 9-1003).
pub const MAX_ROWS: usize = 995;
/// The lengths the form's headings allow: the patient (全角10文字以内) and the payee
/// (全角20文字以内).
pub const PATIENT_MAX_CHARS: usize = 10;
pub const PAYEE_MAX_CHARS: usize = 20;
const LAST_ROW: u32 = FIRST_ROW + MAX_ROWS as u32 - 1;

/// The rows paid in `year` as the form's workbook.
pub fn tax_form_workbook(year: i32, rows: &[TaxFormRow]) -> Result<Vec<u8>, TaxExportError> {
    let selected = sorted_year(year, rows);
    if selected.len() > MAX_ROWS {
        return Err(TaxExportError::TooManyRows {
            found: selected.len(),
        });
    }
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title("医療費集計フォーム")
            .set_subject("Ver.3.1")
            .set_comment(format!("{year}年分")),
    );
    let sheet = workbook.add_worksheet();
    form_sheet(sheet, &selected)?;
    notes_sheet(workbook.add_worksheet())?;
    Ok(workbook.save_to_buffer()?)
}

/// `iryouhi_form_2025.xlsx`.
pub fn tax_form_workbook_filename(year: i32) -> String {
    format!("iryouhi_form_{year}.xlsx")
}

fn form_sheet(sheet: &mut Worksheet, rows: &[&TaxFormRow]) -> Result<(), XlsxError> {
    sheet.set_name(SHEET)?;
    let bold = Format::new().set_bold();
    let heading = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let text_input = Format::new().set_num_format("@").set_unlocked();
    let yen_input = Format::new().set_num_format("#,##0").set_unlocked();
    let yen_total = Format::new().set_num_format("#,##0").set_bold();

    sheet.write_string_with_format(0, 0, "医療費集計フォーム  Ver.3.1", &bold)?;
    // The list the category columns choose from: blank or 該当する.
    sheet.write_string(1, 12, TAX_FORM_CHECKED)?;
    sheet.merge_range(2, 0, 3, 0, "入力した合計金額", &heading)?;
    sheet.write_string(2, 1, "支払った医療費の金額")?;
    sheet.write_string(3, 1, "左のうち、補填される金額")?;
    let paid: i64 = rows.iter().map(|r| r.paid.value()).sum();
    let reimbursed: i64 = rows.iter().map(|r| r.reimbursed.value()).sum();
    for (row, column, total) in [(2, "H", paid), (3, "I", reimbursed)] {
        let formula = Formula::new(format!(
            "=IF(0=SUM({column}9:{column}1003),\"\",SUM({column}9:{column}1003))"
        ))
        .set_result(if total == 0 {
            String::new()
        } else {
            total.to_string()
        });
        sheet.write_formula_with_format(row, 2, formula, &yen_total)?;
    }
    sheet.write_string(2, 6, "●ご利用に当たって")?;
    sheet.merge_range(
        3,
        6,
        3,
        9,
        "　 ご利用に当たってはシート「ご利用に当たって」の内容をご確認ください。",
        &Format::new(),
    )?;

    sheet.merge_range(5, 0, 6, 0, "No", &heading)?;
    for (column, text) in [
        (1, "医療を受けた人"),
        (2, "病院・薬局などの名称"),
        (7, "支払った医療費の金額"),
        (8, "左のうち、補填される金額"),
        (9, "支払年月日"),
    ] {
        sheet.write_string_with_format(5, column, text, &heading)?;
    }
    sheet.merge_range(5, 3, 5, 6, "医療費の区分　※複数選択可", &heading)?;
    let kinds = TaxCategory::FORM_ORDER.map(TaxCategory::label_ja);
    let notes = ["（全角10文字以内）", "（全角20文字以内）"]
        .into_iter()
        .chain(kinds)
        .chain(["（半角数字９桁以内）", "（半角数字９桁以内）", "（任意）"]);
    for (column, text) in (1..).zip(notes) {
        sheet.write_string_with_format(6, column, text, &heading)?;
    }
    sheet.set_row_hidden(7)?;

    // Every input cell of the form, filled or not, is unlocked and formatted as the
    // original's; the numbers in column A are the form's own formula.
    sheet.set_range_format(FIRST_ROW, 1, LAST_ROW, 6, &text_input)?;
    sheet.set_range_format(FIRST_ROW, 7, LAST_ROW, 8, &yen_input)?;
    sheet.set_range_format(FIRST_ROW, 9, LAST_ROW, 9, &text_input)?;
    for (i, row) in (FIRST_ROW..=LAST_ROW).enumerate() {
        sheet.write_formula(
            row,
            0,
            Formula::new("=ROW()-8").set_result((i + 1).to_string()),
        )?;
    }
    for (row, payment) in (FIRST_ROW..).zip(rows) {
        let patient = form_text(&payment.patient, PATIENT_MAX_CHARS);
        let payee = form_text(&payment.payee, PAYEE_MAX_CHARS);
        sheet.write_string_with_format(row, 1, patient.as_ref(), &text_input)?;
        sheet.write_string_with_format(row, 2, payee.as_ref(), &text_input)?;
        for (column, category) in (3..).zip(TaxCategory::FORM_ORDER) {
            if category == payment.category {
                sheet.write_string_with_format(row, column, TAX_FORM_CHECKED, &text_input)?;
            }
        }
        sheet.write_number_with_format(row, 7, payment.paid.value() as f64, &yen_input)?;
        if payment.reimbursed.value() > 0 {
            sheet.write_number_with_format(
                row,
                8,
                payment.reimbursed.value() as f64,
                &yen_input,
            )?;
        }
        let date = format!(
            "{}/{:02}/{:02}",
            payment.paid_on.year(),
            payment.paid_on.month(),
            payment.paid_on.day()
        );
        sheet.write_string_with_format(row, 9, &date, &text_input)?;
    }

    let categories = DataValidation::new()
        .allow_list_formula(Formula::new("=$L$2:$M$2"))
        .set_error_title("入力形式エラー")?
        .set_error_message("「該当する」をリストから選択し直してください。")?;
    sheet.add_data_validation(FIRST_ROW, 3, LAST_ROW, 6, &categories)?;
    let patient = DataValidation::new()
        .allow_text_length(DataValidationRule::Between(0, PATIENT_MAX_CHARS as u32));
    sheet.add_data_validation(FIRST_ROW, 1, LAST_ROW, 1, &patient)?;
    let payee = DataValidation::new()
        .allow_text_length(DataValidationRule::Between(0, PAYEE_MAX_CHARS as u32));
    sheet.add_data_validation(FIRST_ROW, 2, LAST_ROW, 2, &payee)?;
    let amounts =
        DataValidation::new().allow_whole_number(DataValidationRule::Between(0, 999_999_999));
    sheet.add_data_validation(FIRST_ROW, 7, LAST_ROW, 8, &amounts)?;

    for (column, width) in [
        (0, 5.0),
        (1, 14.0),
        (2, 26.0),
        (3, 9.0),
        (4, 9.0),
        (5, 9.0),
        (6, 9.0),
        (7, 13.0),
        (8, 13.0),
        (9, 12.0),
        (10, 0.14),
    ] {
        sheet.set_column_width(column, width)?;
    }
    sheet.set_freeze_panes(FIRST_ROW, 1)?;
    sheet.protect();
    Ok(())
}

/// The second sheet: what this file is and how to use it, in the portal's words.
fn notes_sheet(sheet: &mut Worksheet) -> Result<(), XlsxError> {
    sheet.set_name("ご利用に当たって")?;
    let lines = [
        "このファイルは「わたしの健康記録」が、医療費通知の記録と入力した領収書から作成した医療費集計フォームです。",
        "・確定申告書等作成コーナーの医療費控除の入力画面で「医療費集計フォームを読み込む」を選び、このファイルを指定してください。",
        "・医療費通知の自己負担額は、保険の決まりで計算した額です。子ども医療費助成などの公費や高額療養費の払い戻しがあると、実際に支払った金額とは違うことがあります。違う行は、読み込んだあとに作成コーナーで直してください。",
        "・「左のうち、補填される金額」は、その給付の目的となった医療費の金額を限度として差し引かれます。",
        "・医療費通知の記録は、受診した月の末日を支払年月日としています。",
        "・データは995件まで入力できます。",
    ];
    for (row, line) in (0..).zip(lines) {
        sheet.write_string(row, 0, line)?;
    }
    sheet.set_column_width(0, 120.0)?;
    Ok(())
}

#[cfg(test)]
#[path = "workbook_tests.rs"]
mod tests;
