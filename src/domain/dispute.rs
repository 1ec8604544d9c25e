//! A patient's report that a record linked to them is not theirs, as the domain sees it: which
//! kind of record, why, and where the report stands.

use serde::{Deserialize, Serialize};

/// The kinds of record a patient can report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Medication,
    Checkup,
    CostNotice,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Medication => "medication",
            Self::Checkup => "checkup",
            Self::CostNotice => "cost_notice",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Medication, Self::Checkup, Self::CostNotice]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeReason {
    /// The record is someone else's.
    NotMe,
    /// The patient never went to this institution.
    NeverVisited,
    /// The visit happened, but the content is wrong.
    WrongContent,
}

impl DisputeReason {
    pub const ALL: [Self; 3] = [Self::NotMe, Self::NeverVisited, Self::WrongContent];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotMe => "not_me",
            Self::NeverVisited => "never_visited",
            Self::WrongContent => "wrong_content",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeStatus {
    Open,
    Upheld,
    Rejected,
}

impl DisputeStatus {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(Self::Open),
            "upheld" => Some(Self::Upheld),
            "rejected" => Some(Self::Rejected),
            _ => None,
        }
    }
}
