//! The tax-form downloads through HTTP as a browser fetches them: the workbook is the agency's
//! 医療費集計フォーム with the patient's year in it, the same rows as the CSV; a visitor gets
//! neither, and a bad year is named in the reader's language. What the patient records as
//! really paid and refunded for a month of notices changes the deduction and both files, keeps
//! its history, and needs a fresh card check (on SQLite and on PostgreSQL).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::TimeDelta;
use common::app::{App, spawn};
use common::card::{Card, browser, post_form, sign_in_as};
use std::io::Cursor;

http_suite!(what_was_really_paid_and_refunded_counts_in_the_deduction_and_the_tax_files);

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

/// The CSV rows of `year` as the patient downloads them, without the heading.
async fn csv_rows(app: &App, client: &reqwest::Client, year: &str) -> Vec<Vec<String>> {
    let csv = text(app, client, &format!("/costs/export?year={year}")).await;
    csv::ReaderBuilder::new()
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

async fn text(app: &App, client: &reqwest::Client, path: &str) -> String {
    let res = client.get(app.url(path)).send().await.unwrap();
    res.text().await.unwrap()
}

/// The deduction section's figure for `label` on the costs page, as shown (`1,234円`).
fn fact<'a>(html: &'a str, label: &str) -> Option<&'a str> {
    let after = html.split_once(&format!("<dt>{label}</dt><dd>"))?.1;
    after.split_once("</dd>").map(|(v, _)| v)
}

async fn what_was_really_paid_and_refunded_counts_in_the_deduction_and_the_tax_files(app: App) {
    let a = browser();
    let mut card = Card::enroll(&app, &a, "DEMO-0001").await;
    assert_eq!(card.sign_in(&app, &a).await.status(), 200);
    let patient = common::demo_patients(&app.db.db).await[0];
    // The office worker's largest share of a month at one institution in 2025.
    let lines = portal::storage::costs::notices(&app.db.db, patient)
        .await
        .unwrap();
    let mut shares = std::collections::BTreeMap::new();
    for l in lines.iter().filter(|l| l.notice.care_month.year() == 2025) {
        let key = (l.notice.care_month, l.notice.institution.clone());
        let sum = shares
            .entry(key)
            .or_insert((0, 0, l.institution.name.clone()));
        sum.0 += l.notice.patient_paid.value();
        sum.1 += l.notice.total.value();
    }
    let ((month, code), (share, total, name)) = shares
        .into_iter()
        .max_by_key(|(_, (share, _, _))| *share)
        .unwrap();
    assert!(share > 1_000, "a month worth correcting: {share}");
    let (month, code) = (month.to_string(), code.as_str().to_owned());
    let page_url = format!("/costs/correction?month={month}&institution={code}");
    // Notices are dated the last day of their month: `2025/04/`.
    let date = format!("{}/", month.replace('-', "/"));
    let row_of = |rows: &[Vec<String>]| {
        rows.iter()
            .find(|r| r[1] == name && r[8].starts_with(&date))
            .cloned()
            .unwrap()
    };
    let before = csv_rows(&app, &a, "2025").await;
    assert_eq!(row_of(&before)[6..8], [share.to_string(), "0".to_owned()]);
    let costs = text(&app, &a, "/costs?year=2025").await;
    let counted_before = fact(&costs, "控除の計算に使う合計").unwrap().to_owned();
    assert!(costs.contains(&format!("href=\"{}\"", page_url.replace('&', "&amp;"))));

    // The page shows the notice and that nothing is recorded yet.
    let res = a.get(app.url(&page_url)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains(&name) && html.contains("まだ記録はありません。"));

    // Mistakes are named, each by its field, and nothing is stored.
    let post = |paid: String, reimbursed: &'static str, action: &'static str| {
        let fields = [
            ("action", action.to_owned()),
            ("month", month.clone()),
            ("institution", code.clone()),
            ("paid", paid),
            ("reimbursed", reimbursed.to_owned()),
        ];
        let (a, app) = (a.clone(), &app);
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post_form(app, &a, "/costs", &fields).await
        }
    };
    for (paid, reimbursed, error) in [
        (String::new(), "", "f-paid-error"),
        ("12O0".to_owned(), "", "f-paid-error"),
        ((total + 1).to_string(), "", "f-paid-error"),
        (String::new(), "-3", "f-reimbursed-error"),
        ("100".to_owned(), "200", "f-reimbursed-error"),
    ] {
        let (status, location, html) = post(paid.clone(), reimbursed, "correct").await;
        assert_eq!(
            (status, location.as_str()),
            (200, ""),
            "{paid} {reimbursed}"
        );
        assert!(
            html.contains(&format!("id=\"{error}\"")),
            "{paid} {reimbursed}: {error}"
        );
        assert!(html.contains("role=\"alert\""));
    }
    assert_eq!(common::count(&app.db.db, "cost_corrections").await, 0);

    // A high-cost care refund of ¥1,000 on what the notice says was paid.
    let (status, location, _) = post(String::new(), "1000", "correct").await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("{page_url}&saved=1#current-heading"));
    let after = csv_rows(&app, &a, "2025").await;
    assert_eq!(row_of(&after)[6..8], [share.to_string(), "1000".to_owned()]);
    assert_eq!(after.len(), before.len());
    let costs = text(&app, &a, "/costs?year=2025").await;
    assert_eq!(
        fact(&costs, "医療費通知分の補填される金額"),
        Some("1,000円")
    );
    let amount = |s: &str| {
        s.trim_end_matches('円')
            .replace(',', "")
            .parse::<i64>()
            .unwrap()
    };
    assert_eq!(
        amount(fact(&costs, "控除の計算に使う合計").unwrap()),
        amount(&counted_before) - 1_000
    );
    // The form starts from what is in force: changing one amount keeps the other.
    let html = text(&app, &a, &page_url).await;
    assert!(
        html.contains(r#"name="paid" value="""#),
        "paid left as the notice's"
    );
    assert!(html.contains(r#"name="reimbursed" value="1000""#));
    // The workbook carries it in the 補填 column too.
    let bytes = a
        .get(app.url("/costs/export.xlsx?year=2025"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("医療費集計フォーム").unwrap();
    assert_eq!(
        sheet.get_value((3, 2)).map(Data::to_string),
        Some("1000".to_owned())
    );

    // Six minutes on, a change needs a card check: the form comes back with what was typed.
    app.clock.advance(TimeDelta::minutes(6));
    let (status, _, html) = post("0".to_owned(), "", "correct").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("card-check") || html.contains("id=\"f-card\""),
        "{html}"
    );
    assert!(html.contains(r#"name="paid" value="0""#));
    assert_eq!(common::count(&app.db.db, "cost_corrections").await, 1);
    assert_eq!(card.step_up(&app, &a, "correct_costs").await.status(), 200);
    // Children's aid paid the counter: nothing was paid, so the row leaves the form.
    assert_eq!(post("0".to_owned(), "", "correct").await.0, 303);
    let after = csv_rows(&app, &a, "2025").await;
    assert_eq!(after.len(), before.len() - 1);
    assert!(
        !after
            .iter()
            .any(|r| r[1] == name && r[8].starts_with(&date))
    );

    // Withdrawn: the notice's amounts again, and every step stays in the history.
    assert_eq!(post(String::new(), "", "withdraw_correction").await.0, 303);
    assert_eq!(csv_rows(&app, &a, "2025").await, before);
    let html = text(&app, &a, &page_url).await;
    assert!(html.contains("取り消し（通知の金額に戻す）"));
    assert!(!html.contains("withdraw-form"), "nothing left to withdraw");
    assert_eq!(common::count(&app.db.db, "cost_corrections").await, 3);
    // The history cannot be rewritten, even from inside the database.
    for sql in [
        "UPDATE cost_corrections SET reimbursed_yen = 0",
        "DELETE FROM cost_corrections",
    ] {
        assert!(common::try_exec(&app.db.db, sql).await.is_err(), "{sql}");
    }

    // A month and institution without the patient's notice is nobody's page.
    for other in [
        format!("/costs/correction?month={month}&institution=0110113420"),
        format!("/costs/correction?month=1999-01&institution={code}"),
        "/costs/correction?month=abc&institution=x".to_owned(),
    ] {
        assert_eq!(
            a.get(app.url(&other)).send().await.unwrap().status(),
            404,
            "{other}"
        );
    }
    let fields = [
        ("action", "correct"),
        ("month", month.as_str()),
        ("institution", "0110113420"),
        ("reimbursed", "1"),
    ];
    assert_eq!(post_form(&app, &a, "/costs", &fields).await.0, 404);
    assert_eq!(common::count(&app.db.db, "cost_corrections").await, 3);
}
