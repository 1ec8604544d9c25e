//! Owns the categories of medical expenses: the four of the tax agency's deduction statement
//! and aggregation form (医療費の区分), the kinds patients pick for receipts, and how care
//! types and receipt kinds map onto the form's four.

use serde::{Deserialize, Serialize};

use super::{CareType, ReceiptError};
use crate::domain::normalize::normalize_code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxCategory {
    /// 診療・治療.
    MedicalCare,
    /// 医薬品購入.
    Medicine,
    /// 介護保険サービス.
    CareService,
    /// その他の医療費 (transport to care, among others).
    Other,
}

impl TaxCategory {
    /// Column order of the 国税庁「医療費集計フォーム」 and of the 医療費控除の明細書:
    /// 診療・治療, 医薬品購入, 介護保険サービス, その他の医療費.
    pub const FORM_ORDER: [Self; 4] = [
        Self::MedicalCare,
        Self::Medicine,
        Self::CareService,
        Self::Other,
    ];

    /// Exactly the form's column heading.
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::MedicalCare => "診療・治療",
            Self::Medicine => "医薬品購入",
            Self::CareService => "介護保険サービス",
            Self::Other => "その他の医療費",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::MedicalCare => "Medical care",
            Self::Medicine => "Medicine",
            Self::CareService => "Long-term care services",
            Self::Other => "Other medical expenses",
        }
    }

    /// Dispensing (調剤) is 医薬品購入: the law lists "医薬品の購入の対価" (所得税法施行令
    /// 第207条第2号) separately from a doctor's 診療又は治療 (第1号), and a pharmacy sells the
    /// prescribed medicine; the prescription itself is billed by the clinic as care. Inpatient
    /// stays (第3号, 病院への収容) have no column of their own and go under 診療・治療.
    /// The category is descriptive only: every column counts the same towards the deduction.
    pub fn of_care_type(care_type: CareType) -> Self {
        match care_type {
            CareType::Inpatient | CareType::Outpatient | CareType::Dental => Self::MedicalCare,
            CareType::Dispensing => Self::Medicine,
        }
    }
}

/// What the patient paid for. Finer than the tax form's four columns because "transport" is
/// what people look for; it is filed under その他の医療費.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptKind {
    MedicalCare,
    Medicine,
    CareService,
    Transport,
    Other,
}

impl ReceiptKind {
    pub const ALL: [Self; 5] = [
        Self::MedicalCare,
        Self::Medicine,
        Self::CareService,
        Self::Transport,
        Self::Other,
    ];

    /// Accepts the form values (`medical_care`, …) and the Japanese labels.
    pub fn parse(input: &str) -> Result<Self, ReceiptError> {
        let s = normalize_code(input);
        Self::ALL
            .into_iter()
            .find(|k| s == k.id() || s == k.label_ja())
            .ok_or(ReceiptError::KindUnknown)
    }

    /// The form value, equal to the serde name.
    pub fn id(self) -> &'static str {
        match self {
            Self::MedicalCare => "medical_care",
            Self::Medicine => "medicine",
            Self::CareService => "care_service",
            Self::Transport => "transport",
            Self::Other => "other",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Self::MedicalCare => "診療・治療",
            Self::Medicine => "医薬品購入",
            Self::CareService => "介護保険サービス",
            Self::Transport => "通院費",
            Self::Other => "その他",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::MedicalCare => "Medical care",
            Self::Medicine => "Medicine bought",
            Self::CareService => "Long-term care services",
            Self::Transport => "Transport to care",
            Self::Other => "Other",
        }
    }

    pub fn tax_category(self) -> TaxCategory {
        match self {
            Self::MedicalCare => TaxCategory::MedicalCare,
            Self::Medicine => TaxCategory::Medicine,
            Self::CareService => TaxCategory::CareService,
            Self::Transport | Self::Other => TaxCategory::Other,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_care_types() {
        let labels: Vec<&str> = TaxCategory::FORM_ORDER
            .iter()
            .map(|c| c.label_ja())
            .collect();
        assert_eq!(
            labels,
            [
                "診療・治療",
                "医薬品購入",
                "介護保険サービス",
                "その他の医療費"
            ]
        );
        let cases = [
            (CareType::Inpatient, TaxCategory::MedicalCare),
            (CareType::Outpatient, TaxCategory::MedicalCare),
            (CareType::Dental, TaxCategory::MedicalCare),
            (CareType::Dispensing, TaxCategory::Medicine),
        ];
        for (care_type, want) in cases {
            assert_eq!(TaxCategory::of_care_type(care_type), want, "{care_type:?}");
        }
        assert_eq!(
            TaxCategory::CareService.label_en(),
            "Long-term care services"
        );
    }

    #[test]
    fn kind_parse_and_categories() {
        let cases = [
            (
                "medical_care",
                Ok((ReceiptKind::MedicalCare, TaxCategory::MedicalCare)),
            ),
            (
                "medicine",
                Ok((ReceiptKind::Medicine, TaxCategory::Medicine)),
            ),
            (
                "care_service",
                Ok((ReceiptKind::CareService, TaxCategory::CareService)),
            ),
            (
                "transport",
                Ok((ReceiptKind::Transport, TaxCategory::Other)),
            ),
            (" other ", Ok((ReceiptKind::Other, TaxCategory::Other))),
            ("通院費", Ok((ReceiptKind::Transport, TaxCategory::Other))),
            (
                "医薬品購入",
                Ok((ReceiptKind::Medicine, TaxCategory::Medicine)),
            ),
            ("Transport", Err(ReceiptError::KindUnknown)),
            ("", Err(ReceiptError::KindUnknown)),
        ];
        for (text, want) in cases {
            let got = ReceiptKind::parse(text).map(|k| (k, k.tax_category()));
            assert_eq!(got, want, "{text:?}");
        }
        for kind in ReceiptKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.id()));
        }
    }
}
