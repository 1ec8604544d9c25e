//! Logs: every line written while serving a request carries its request id, and no line
//! carries personal data. Alone in its binary because the capturing subscriber is thread-local.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::app::spawn;
use std::sync::{Arc, Mutex};

#[tokio::test]
async fn logs_carry_request_ids_and_no_personal_data() {
    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buf = Buf::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_current_span(true)
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let app = spawn(true).await;
    for n in 1..=6 {
        common::card::sign_in_as(&app, &format!("DEMO-000{n}")).await;
        app.get("/").await;
        app.get("/?show=number").await;
        app.get("/medications").await;
        app.get("/checkups").await;
        app.get("/costs").await;
        app.get("/insurance").await;
    }
    app.get("/missing").await;

    let logs = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    let request_lines: Vec<&str> = logs.lines().filter(|l| l.contains("\"span\"")).collect();
    assert!(!request_lines.is_empty(), "{logs}");
    for line in &request_lines {
        assert!(line.contains("request_id"), "{line}");
    }
    // Nothing personal: names, insured numbers, drug names of every demo record.
    let mut secrets: Vec<String> = Vec::new();
    for (_, _, json) in common::demo_files() {
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        for row in v["rows"].as_array().unwrap() {
            for key in [
                "name",
                "name_kana",
                "member",
                "member_number",
                "drug_name",
                "recipient_number",
            ] {
                if let Some(s) = row.get(key).and_then(|s| s.as_str()) {
                    secrets.push(s.to_owned());
                }
            }
        }
    }
    // Short all-digit parts (a member number like "152") occur by chance inside request ids
    // and timestamps; they are checked as part of the full member strings instead.
    secrets.retain(|s| !(s.len() < 8 && s.chars().all(|c| c.is_ascii_digit())));
    secrets.sort();
    secrets.dedup();
    assert!(secrets.len() > 20);
    for s in &secrets {
        assert!(
            !logs.contains(s.as_str()),
            "personal data {s:?} reached the log"
        );
    }
}
