//! `portal api`: calls the institution API as an institution's system would, for operators and
//! institutions trying it out. Prints the JSON answer; fails with the error's code.

use crate::domain::consent::DataKind;
use anyhow::{Context, Result, bail};

/// One read to make.
#[derive(Debug, Clone)]
pub struct Call {
    /// The portal's public URL, e.g. `https://portal.example.jp`.
    pub base_url: String,
    pub token: String,
    pub kind: DataKind,
    pub patient: Patient,
    pub visit_date: String,
}

/// How the call names the patient, as typed on the command line.
#[derive(Debug, Clone)]
pub enum Patient {
    /// `保険者番号:記号:番号:枝番`, as JP Core writes it (記号 and 枝番 may be empty).
    Insured(String),
    /// `公費負担者番号:受給者番号` of welfare medical aid.
    PublicAid(String),
}

impl Patient {
    /// The body's part naming the patient.
    fn body(&self) -> Result<(&'static str, serde_json::Value)> {
        let split = |s: &str| s.split([':', '：']).map(str::to_owned).collect::<Vec<_>>();
        match self {
            Self::Insured(text) => match split(text).as_slice() {
                [insurer, symbol, number, branch] => Ok((
                    "insured",
                    serde_json::json!({ "insurer": insurer, "symbol": symbol, "number": number, "branch": branch }),
                )),
                parts => bail!(
                    "--insured takes four parts, insurer:symbol:number:branch (empty symbol or branch allowed), found {}",
                    parts.len()
                ),
            },
            Self::PublicAid(text) => match split(text).as_slice() {
                [payer, recipient] => Ok((
                    "public_aid",
                    serde_json::json!({ "payer": payer, "recipient": recipient }),
                )),
                parts => bail!(
                    "--public-aid takes two parts, payer:recipient, found {}",
                    parts.len()
                ),
            },
        }
    }
}

/// Makes the call; the status and the JSON answer.
pub async fn call(c: &Call) -> Result<(u16, serde_json::Value)> {
    let (name, patient) = c.patient.body()?;
    let url = format!(
        "{}{}{}",
        c.base_url.trim_end_matches('/'),
        super::PREFIX,
        super::path_of(c.kind)
    );
    let body = serde_json::json!({ name: patient, "visit_date": c.visit_date });
    let res = reqwest::Client::new()
        .post(&url)
        .bearer_auth(&c.token)
        .json(&body)
        .send()
        .await
        .with_context(|| format!("cannot reach {url}"))?;
    let status = res.status().as_u16();
    let text = res.text().await.context("the answer could not be read")?;
    let json = serde_json::from_str(&text)
        .with_context(|| format!("the answer ({status}) is not JSON: {text}"))?;
    Ok((status, json))
}
