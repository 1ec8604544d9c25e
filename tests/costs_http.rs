//! The tax-form downloads through HTTP as a browser fetches them: the workbook is the agency's
//! 医療費集計フォーム with the patient's year in it, the same rows as the CSV; a visitor gets
//! neither, and a bad year is named in the reader's language.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::app::spawn;
use common::card::sign_in_as;
use std::io::Cursor;

#[tokio::test]
async fn the_year_downloads_as_the_agencys_workbook_with_the_csvs_rows() {
    let app = spawn(true).await;
    // Signed out: no file, whoever asks.
    let res = common::card::browser()
        .get(app.url("/costs/export.xlsx?year=2026"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "sent to sign in");
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/sign-in")
    );

    sign_in_as(&app, "DEMO-0001").await;
    let res = app.get("/costs/export.xlsx?year=2026").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"iryouhi_form_2026.xlsx\""
    );
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("医療費集計フォーム").unwrap();
    let cell = |r: u32, c: u32| {
        sheet
            .get_value((r, c))
            .map(Data::to_string)
            .unwrap_or_default()
    };

    let csv = app
        .get("/costs/export?year=2026")
        .await
        .text()
        .await
        .unwrap();
    let csv_rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert!(
        csv_rows.len() > 3,
        "the office worker paid for care in 2026"
    );
    for (i, want) in csv_rows.iter().enumerate() {
        let row = 8 + i as u32;
        let got: Vec<String> = (1..10).map(|c| cell(row, c)).collect();
        let mut want = want.clone();
        // The workbook leaves a reimbursement of nothing blank, as a person filling it in would.
        if want[7] == "0" {
            want[7] = String::new();
        }
        assert_eq!(got, want, "row {}", row + 1);
    }
    assert_eq!(cell(8 + csv_rows.len() as u32, 1), "", "no more rows");
    let paid: i64 = csv_rows.iter().map(|r| r[6].parse::<i64>().unwrap()).sum();
    assert_eq!(cell(2, 2), paid.to_string(), "the form's own total");

    // A year that is not one: a message in the reader's language, no file.
    let res = app.get("/costs/export.xlsx?year=abc").await;
    assert_eq!(res.status(), 400);
    assert_eq!(
        res.text().await.unwrap(),
        "医療費のページから年を選んでください。"
    );
}
