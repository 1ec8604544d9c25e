//! The workbook read back as a spreadsheet program reads it: the agency's sheet, headings and
//! cells in their places, one payment per row from row 9, names cut to the form's lengths.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::domain::cost::tax_export::tax_form_rows;
use crate::domain::cost::tax_export::tests::{notice, receipt};
use crate::domain::cost::{CareType, ReceiptKind, notice_payments};
use crate::domain::person::PersonName;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use std::io::Cursor;

fn rows() -> Vec<TaxFormRow> {
    let notices = vec![
        notice("2025-03", "1310123455", CareType::Outpatient, 3_000),
        notice("2025-03", "4749912343", CareType::Dispensing, 1_500),
        notice("2024-12", "1310123455", CareType::Outpatient, 800),
    ];
    let receipts = vec![receipt(
        "2025-04-02",
        "東都医科大学附属病院 総合医療センター 入院棟",
        ReceiptKind::MedicalCare,
        120_000,
        50_000,
    )];
    let patient = PersonName::parse("長谷川 由紀子アレクサンドラ").unwrap();
    tax_form_rows(
        &patient,
        &notice_payments(&notices, &[]),
        &receipts,
        |code| {
            Some(if code.as_str() == "1310123455" {
                "東都病院".to_owned()
            } else {
                "みなと薬局".to_owned()
            })
        },
    )
}

fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).unwrap()
}

fn text(range: &calamine::Range<Data>, cell: (u32, u32)) -> String {
    range
        .get_value(cell)
        .map(|d| d.to_string())
        .unwrap_or_default()
}

#[test]
fn the_workbook_reads_back_in_the_forms_layout() {
    let mut book = open(tax_form_workbook(2025, &rows()).unwrap());
    assert_eq!(book.sheet_names(), [SHEET, "ご利用に当たって"]);
    let sheet = book.worksheet_range(SHEET).unwrap();
    // Title, the list source, totals and headings where the agency's form has them.
    assert_eq!(text(&sheet, (0, 0)), "医療費集計フォーム  Ver.3.1");
    assert_eq!(text(&sheet, (1, 12)), "該当する");
    assert_eq!(text(&sheet, (2, 0)), "入力した合計金額");
    assert_eq!(text(&sheet, (2, 1)), "支払った医療費の金額");
    assert_eq!(text(&sheet, (3, 1)), "左のうち、補填される金額");
    let headings: Vec<String> = (0..10).map(|c| text(&sheet, (5, c))).collect();
    assert_eq!(
        headings,
        [
            "No",
            "医療を受けた人",
            "病院・薬局などの名称",
            "医療費の区分　※複数選択可",
            "",
            "",
            "",
            "支払った医療費の金額",
            "左のうち、補填される金額",
            "支払年月日"
        ]
    );
    let kinds: Vec<String> = (3..7).map(|c| text(&sheet, (6, c))).collect();
    assert_eq!(
        kinds,
        [
            "診療・治療",
            "医薬品購入",
            "介護保険サービス",
            "その他の医療費"
        ]
    );
    // One payment per row from row 9, by date: the year's two notice rows, then the receipt.
    let row = |r: u32| -> Vec<String> { (1..10).map(|c| text(&sheet, (r, c))).collect() };
    let who = "長谷川 由紀子アレク";
    assert_eq!(
        row(8),
        [
            who,
            "みなと薬局",
            "",
            "該当する",
            "",
            "",
            "1500",
            "",
            "2025/03/31"
        ]
    );
    assert_eq!(
        row(9),
        [
            who,
            "東都病院",
            "該当する",
            "",
            "",
            "",
            "3000",
            "",
            "2025/03/31"
        ]
    );
    assert_eq!(
        row(10),
        [
            who,
            "東都医科大学附属病院 総合医療センター",
            "該当する",
            "",
            "",
            "",
            "120000",
            "50000",
            "2025/04/02"
        ]
    );
    assert_eq!(text(&sheet, (11, 1)), "", "nothing after the year's rows");
    // Amounts are numbers, not text: the form adds them up.
    assert_eq!(sheet.get_value((9, 7)), Some(&Data::Float(3000.0)));
    // Its own formulas: the row numbers and the two totals.
    let formulas = book.worksheet_formula(SHEET).unwrap();
    assert_eq!(
        formulas.get_value((8, 0)).map(String::as_str),
        Some("ROW()-8")
    );
    assert_eq!(
        formulas.get_value((1002, 0)).map(String::as_str),
        Some("ROW()-8")
    );
    assert_eq!(
        formulas.get_value((2, 2)).map(String::as_str),
        Some("IF(0=SUM(H9:H1003),\"\",SUM(H9:H1003))")
    );
    let merged = book.merge_cells_by_sheet_name(SHEET).unwrap();
    let merged: Vec<_> = merged.iter().map(|d| (d.start, d.end)).collect();
    for range in [
        ((2, 0), (3, 0)),
        ((5, 0), (6, 0)),
        ((5, 3), (5, 6)),
        ((3, 6), (3, 9)),
    ] {
        assert!(merged.contains(&range), "{range:?} in {merged:?}");
    }
}

#[test]
fn a_year_with_more_payments_than_the_form_holds_is_refused() {
    let one = rows()
        .into_iter()
        .find(|r| r.paid_on.to_string().starts_with("2025"))
        .unwrap();
    let many = vec![one; MAX_ROWS + 1];
    let err = tax_form_workbook(2025, &many).unwrap_err();
    assert_eq!(err.code(), "tax_export_too_many_rows");
    assert!(tax_form_workbook(2025, &many[..MAX_ROWS]).is_ok());
    assert_eq!(tax_form_workbook_filename(2025), "iryouhi_form_2025.xlsx");
}
