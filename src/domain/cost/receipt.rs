//! Owns out-of-pocket receipts the patient enters for what cost notices do not cover: medicine
//! bought over the counter, transport to care, long-term care services, care outside insurance.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{CostError, ReceiptKind, Yen};
use crate::domain::normalize::{normalize_code_compact, normalize_text};

/// ¥100,000,000: far above any real receipt, low enough to catch a mistyped amount (a date
/// pasted into the amount field) before it inflates the deduction.
pub const RECEIPT_MAX_YEN: i64 = 100_000_000;
const PAYEE_MAX_CHARS: usize = 100;
/// The portal keeps a few years of history; earlier dates are typing errors.
const EARLIEST_YEAR: i32 = 2000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    #[error("payment date must look like 2024-05-31, 2024/05/31, 20240531 or 2024年5月31日")]
    PaidOnFormat,
    #[error("payment date {paid_on} is after today ({today})")]
    PaidOnInFuture {
        paid_on: NaiveDate,
        today: NaiveDate,
    },
    #[error("payment date year {found} is before 2000")]
    PaidOnTooEarly { found: i32 },
    #[error("payee is empty")]
    PayeeEmpty,
    #[error("payee may have at most 100 characters, found {found}")]
    PayeeTooLong { found: usize },
    #[error("payee contains a control character")]
    PayeeControlChar,
    #[error("unknown receipt kind")]
    KindUnknown,
    #[error("amount must be a whole number of yen")]
    AmountFormat,
    #[error("amount must be more than zero")]
    AmountNotPositive,
    #[error("amount {found} exceeds ¥100,000,000")]
    AmountTooLarge { found: Yen },
    #[error("reimbursed amount must be a whole number of yen")]
    ReimbursedFormat,
    #[error("reimbursed amount must not be negative")]
    ReimbursedNegative,
    #[error("reimbursed amount {reimbursed} exceeds the amount paid {amount}")]
    ReimbursedExceedsAmount { reimbursed: Yen, amount: Yen },
}

impl ReceiptError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::PaidOnFormat => "receipt_paid_on_format",
            Self::PaidOnInFuture { .. } => "receipt_paid_on_future",
            Self::PaidOnTooEarly { .. } => "receipt_paid_on_too_early",
            Self::PayeeEmpty => "receipt_payee_empty",
            Self::PayeeTooLong { .. } => "receipt_payee_too_long",
            Self::PayeeControlChar => "receipt_payee_control_char",
            Self::KindUnknown => "receipt_kind_unknown",
            Self::AmountFormat => "receipt_amount_format",
            Self::AmountNotPositive => "receipt_amount_not_positive",
            Self::AmountTooLarge { .. } => "receipt_amount_too_large",
            Self::ReimbursedFormat => "receipt_reimbursed_format",
            Self::ReimbursedNegative => "receipt_reimbursed_negative",
            Self::ReimbursedExceedsAmount { .. } => "receipt_reimbursed_exceeds_amount",
        }
    }

    /// The form field ([`ReceiptInput`] member) the error belongs to, so the page can put the
    /// message next to that input.
    pub fn field(&self) -> &'static str {
        match self {
            Self::PaidOnFormat | Self::PaidOnInFuture { .. } | Self::PaidOnTooEarly { .. } => {
                "paid_on"
            }
            Self::PayeeEmpty | Self::PayeeTooLong { .. } | Self::PayeeControlChar => "payee",
            Self::KindUnknown => "kind",
            Self::AmountFormat | Self::AmountNotPositive | Self::AmountTooLarge { .. } => "amount",
            Self::ReimbursedFormat
            | Self::ReimbursedNegative
            | Self::ReimbursedExceedsAmount { .. } => "reimbursed",
        }
    }
}

/// Who was paid (病院・薬局などの支払先の名称): whitespace-normalized, 1-100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PayeeName(String);

impl PayeeName {
    pub fn parse(input: &str) -> Result<Self, ReceiptError> {
        let s = normalize_text(input);
        let count = s.chars().count();
        if count == 0 {
            return Err(ReceiptError::PayeeEmpty);
        }
        if count > PAYEE_MAX_CHARS {
            return Err(ReceiptError::PayeeTooLong { found: count });
        }
        if s.chars().any(char::is_control) {
            return Err(ReceiptError::PayeeControlChar);
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(PayeeName, ReceiptError);

/// The receipt form as posted: every field a string, `reimbursed` may be blank.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptInput {
    pub paid_on: String,
    pub payee: String,
    pub kind: String,
    pub amount: String,
    #[serde(default)]
    pub reimbursed: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Receipt {
    pub paid_on: NaiveDate,
    pub payee: PayeeName,
    pub kind: ReceiptKind,
    pub amount: Yen,
    /// 補填される金額: insurance payouts and the like that refund part of `amount`; zero if none.
    pub reimbursed: Yen,
}

impl Receipt {
    /// Parses every field and reports every problem at once, so a form posted without
    /// JavaScript comes back with all its messages in one round trip. `today` is the Japan date.
    pub fn parse(input: &ReceiptInput, today: NaiveDate) -> Result<Self, Vec<ReceiptError>> {
        let mut errors = Vec::new();
        let paid_on = keep(
            parse_paid_on(&input.paid_on).and_then(|d| check_paid_on(d, today)),
            &mut errors,
        );
        let payee = keep(PayeeName::parse(&input.payee), &mut errors);
        let kind = keep(ReceiptKind::parse(&input.kind), &mut errors);
        let amount = keep(parse_amount(&input.amount), &mut errors);
        let reimbursed = keep(parse_reimbursed(&input.reimbursed), &mut errors);
        if let (Some(amount), Some(reimbursed)) = (amount, reimbursed)
            && reimbursed > amount
        {
            errors.push(ReceiptError::ReimbursedExceedsAmount { reimbursed, amount });
        }
        match (paid_on, payee, kind, amount, reimbursed) {
            (Some(paid_on), Some(payee), Some(kind), Some(amount), Some(reimbursed))
                if errors.is_empty() =>
            {
                Ok(Self {
                    paid_on,
                    payee,
                    kind,
                    amount,
                    reimbursed,
                })
            }
            _ => Err(errors),
        }
    }

    /// Re-checks the rules that types cannot hold (a deserialized or stored receipt).
    pub fn validate(&self, today: NaiveDate) -> Result<(), ReceiptError> {
        check_paid_on(self.paid_on, today)?;
        check_amount(self.amount)?;
        if self.reimbursed > self.amount {
            return Err(ReceiptError::ReimbursedExceedsAmount {
                reimbursed: self.reimbursed,
                amount: self.amount,
            });
        }
        Ok(())
    }

    /// What counts towards the deduction: the amount less what is reimbursed. Reimbursements
    /// are set off per expense (a payout for one stay does not reduce another bill).
    pub fn counted(&self) -> Yen {
        self.amount
            .checked_sub(self.reimbursed)
            .unwrap_or(Yen::ZERO)
    }
}

/// Accepts "2024-05-31", "2024/5/31", "20240531" and "2024年5月31日", full-width included.
pub fn parse_paid_on(input: &str) -> Result<NaiveDate, ReceiptError> {
    let s = normalize_code_compact(input);
    let parts: Option<(&str, &str, &str)> = if let Some(jp) = s.strip_suffix('日') {
        jp.split_once('年')
            .and_then(|(y, rest)| rest.split_once('月').map(|(m, d)| (y, m, d)))
    } else if s.contains(['-', '/']) {
        let mut it = s.split(['-', '/']);
        match (it.next(), it.next(), it.next(), it.next()) {
            (Some(y), Some(m), Some(d), None) => Some((y, m, d)),
            _ => None,
        }
    } else if s.len() == 8 && s.is_ascii() {
        s.get(0..4)
            .zip(s.get(4..6))
            .zip(s.get(6..8))
            .map(|((y, m), d)| (y, m, d))
    } else {
        None
    };
    let (y, m, d) = parts.ok_or(ReceiptError::PaidOnFormat)?;
    let digits =
        |p: &str, lens: &[usize]| lens.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(y, &[4]) || !digits(m, &[1, 2]) || !digits(d, &[1, 2]) {
        return Err(ReceiptError::PaidOnFormat);
    }
    let number = |p: &str| p.parse::<u32>().map_err(|_| ReceiptError::PaidOnFormat);
    let year = i32::try_from(number(y)?).map_err(|_| ReceiptError::PaidOnFormat)?;
    NaiveDate::from_ymd_opt(year, number(m)?, number(d)?).ok_or(ReceiptError::PaidOnFormat)
}

fn keep<T>(result: Result<T, ReceiptError>, errors: &mut Vec<ReceiptError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

fn check_paid_on(paid_on: NaiveDate, today: NaiveDate) -> Result<NaiveDate, ReceiptError> {
    if paid_on.year() < EARLIEST_YEAR {
        return Err(ReceiptError::PaidOnTooEarly {
            found: paid_on.year(),
        });
    }
    if paid_on > today {
        return Err(ReceiptError::PaidOnInFuture { paid_on, today });
    }
    Ok(paid_on)
}

fn parse_amount(input: &str) -> Result<Yen, ReceiptError> {
    let amount = Yen::parse(input).map_err(|e| match e {
        CostError::YenNegative => ReceiptError::AmountNotPositive,
        _ => ReceiptError::AmountFormat,
    })?;
    check_amount(amount)
}

fn check_amount(amount: Yen) -> Result<Yen, ReceiptError> {
    if amount == Yen::ZERO {
        Err(ReceiptError::AmountNotPositive)
    } else if amount.value() > RECEIPT_MAX_YEN {
        Err(ReceiptError::AmountTooLarge { found: amount })
    } else {
        Ok(amount)
    }
}

fn parse_reimbursed(input: &str) -> Result<Yen, ReceiptError> {
    if normalize_code_compact(input).is_empty() {
        return Ok(Yen::ZERO);
    }
    Yen::parse(input).map_err(|e| match e {
        CostError::YenNegative => ReceiptError::ReimbursedNegative,
        _ => ReceiptError::ReimbursedFormat,
    })
}

#[cfg(test)]
mod tests;
