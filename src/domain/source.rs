//! Owns where a record came from and how late such records typically arrive.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordSource {
    /// レセプト (insurance claim data).
    InsuranceClaim,
    /// 電子処方箋管理サービス.
    EPrescription,
    /// 特定健診等の結果ファイル.
    CheckupFile,
    /// 医療費通知.
    CostNotice,
}

impl RecordSource {
    pub const ALL: [Self; 4] = [
        Self::InsuranceClaim,
        Self::EPrescription,
        Self::CheckupFile,
        Self::CostNotice,
    ];

    pub fn label_ja(self) -> &'static str {
        match self {
            Self::InsuranceClaim => "レセプト",
            Self::EPrescription => "電子処方箋",
            Self::CheckupFile => "健診結果ファイル",
            Self::CostNotice => "医療費通知",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::InsuranceClaim => "Insurance claim",
            Self::EPrescription => "E-prescription",
            Self::CheckupFile => "Checkup result file",
            Self::CostNotice => "Medical cost notice",
        }
    }

    /// Typical days between the care event and the record reaching us, for "may still be
    /// missing" hints in the UI. These are rules of thumb, not guarantees:
    /// claims are submitted the month after care and processed over the next weeks (~45);
    /// e-prescriptions are registered at dispensing (0); checkup files are batched by insurers
    /// (~90); cost notices are issued after claims settle (~60).
    pub fn usual_lag_days(self) -> u16 {
        match self {
            Self::InsuranceClaim => 45,
            Self::EPrescription => 0,
            Self::CheckupFile => 90,
            Self::CostNotice => 60,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        use RecordSource as S;
        let cases = [
            (S::InsuranceClaim, "レセプト", "Insurance claim", 45),
            (S::EPrescription, "電子処方箋", "E-prescription", 0),
            (
                S::CheckupFile,
                "健診結果ファイル",
                "Checkup result file",
                90,
            ),
            (S::CostNotice, "医療費通知", "Medical cost notice", 60),
        ];
        for (source, ja, en, lag) in cases {
            assert_eq!(
                (
                    source.label_ja(),
                    source.label_en(),
                    source.usual_lag_days()
                ),
                (ja, en, lag)
            );
        }
        assert_eq!(S::ALL.len(), cases.len());
    }
}
