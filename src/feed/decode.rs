//! Turning feed bytes into raw rows: the text encoding, then JSON or CSV.

use super::{FeedError, FeedKind, FeedRows, RawRow, RowPosition};
use std::collections::BTreeMap;

/// UTF-8 (with or without a byte-order mark) when the bytes are valid UTF-8, else Shift_JIS,
/// which is what many insurer systems still export.
pub fn text(bytes: &[u8]) -> Result<String, FeedError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_owned());
    }
    let (decoded, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
    if had_errors {
        return Err(FeedError::Encoding);
    }
    Ok(decoded.into_owned())
}

pub fn json(text: &str) -> Result<FeedRows, FeedError> {
    #[derive(serde::Deserialize)]
    struct File {
        kind: FeedKind,
        rows: Vec<serde_json::Map<String, serde_json::Value>>,
    }
    let file: File = serde_json::from_str(text).map_err(|e| FeedError::Json(e.to_string()))?;
    let rows = file
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, obj)| {
            let mut fields = BTreeMap::new();
            for (name, value) in obj {
                // Checkup results arrive as a nested object keyed by item code; flatten them so
                // JSON and CSV rows look the same to validation.
                if let serde_json::Value::Object(inner) = value {
                    for (code, v) in inner {
                        if let Some(s) = scalar(&v) {
                            fields.insert(code, s);
                        }
                    }
                } else if let Some(s) = scalar(&value) {
                    fields.insert(name, s);
                }
            }
            RawRow {
                position: RowPosition::Row(i + 1),
                fields,
            }
        })
        .collect();
    Ok(FeedRows {
        kind: file.kind,
        rows,
    })
}

fn scalar(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        // Arrays have no meaning in a feed row; keep their text so validation names the field.
        other => Some(other.to_string()),
    }
}

pub fn csv(text: &str, kind: Option<FeedKind>) -> Result<FeedRows, FeedError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::None)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(&e))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if headers.iter().all(|h| h.is_empty()) {
        return Err(FeedError::NoHeader);
    }
    let kind = match kind {
        Some(k) => k,
        None => infer_kind(&headers).ok_or(FeedError::UnknownKind)?,
    };
    let mut rows = Vec::new();
    // The reader's own line count skips blank lines; count newlines up to each record's byte
    // offset instead, so reported lines match what an editor shows.
    let (mut seen_byte, mut line) = (0usize, 1usize);
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&e))?;
        let byte = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(seen_byte)
            .min(text.len());
        // A record after blank lines reports where the blank lines begin.
        let bytes = text.as_bytes();
        let mut byte = byte;
        while byte < bytes.len() && (bytes[byte] == b'\n' || bytes[byte] == b'\r') {
            byte += 1;
        }
        line += text.as_bytes()[seen_byte.min(byte)..byte]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        seen_byte = byte;
        let usize_line = line;
        let fields = headers
            .iter()
            .zip(record.iter())
            .filter(|(h, _)| !h.is_empty())
            .map(|(h, v)| (h.clone(), v.to_owned()))
            .collect();
        rows.push(RawRow {
            position: RowPosition::Line(usize_line),
            fields,
        });
    }
    Ok(FeedRows { kind, rows })
}

fn infer_kind(headers: &[String]) -> Option<FeedKind> {
    let mut matches = FeedKind::ALL
        .into_iter()
        .filter(|k| headers.iter().any(|h| h == k.signature_column()));
    let first = matches.next()?;
    matches.next().is_none().then_some(first)
}

fn csv_error(e: &csv::Error) -> FeedError {
    let line = e
        .position()
        .map(|p| usize::try_from(p.line()).unwrap_or(usize::MAX))
        .unwrap_or_default();
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("expected {expected_len} fields, found {len}")
        }
        _ => e.to_string(),
    };
    FeedError::Csv { line, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utf8_with_and_without_bom_and_shift_jis() {
        let s = "name\n東京中央病院\n";
        assert_eq!(text(s.as_bytes()).ok().as_deref(), Some(s));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(s.as_bytes());
        assert_eq!(text(&bom).ok().as_deref(), Some(s));
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(s);
        assert_eq!(text(&sjis).ok().as_deref(), Some(s));
        assert!(matches!(text(b"\xff\xff\xfe"), Err(FeedError::Encoding)));
    }

    #[test]
    fn csv_rows_carry_their_line_numbers_and_kind() {
        let csv_text = "code,name,name_en,kind\n1310000001,A,A,clinic\n\n1310000002,B,B,clinic\n";
        let Ok(rows) = csv(csv_text, None) else {
            panic!("valid CSV must parse");
        };
        assert_eq!(rows.kind, FeedKind::Institutions);
        let lines: Vec<_> = rows.rows.iter().map(|r| r.position).collect();
        assert_eq!(lines, vec![RowPosition::Line(2), RowPosition::Line(4)]);
    }

    #[test]
    fn csv_with_a_short_row_names_the_line() {
        let bad = "code,name,name_en,kind\n1310000001,A,A\n";
        match csv(bad, None) {
            Err(FeedError::Csv { line, message }) => {
                assert_eq!(line, 2);
                assert!(message.contains("expected 4"), "{message}");
            }
            other => panic!("expected a CSV error, got {other:?}"),
        }
    }

    #[test]
    fn json_results_are_flattened_and_rows_numbered() {
        let j = r#"{"kind":"checkups","rows":[{"record_id":"a","fasting":true,"results":{"9N011000000000001":"24.1"}}]}"#;
        let Ok(rows) = json(j) else {
            panic!("valid JSON must parse");
        };
        let row = &rows.rows[0];
        assert_eq!(row.position, RowPosition::Row(1));
        assert_eq!(row.get("9N011000000000001"), Some("24.1"));
        assert_eq!(row.get("fasting"), Some("true"));
    }
}
