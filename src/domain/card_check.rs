//! A check of the patient's card: what it is for, and the facts of the card's answer that are
//! kept as evidence.

use serde::{Deserialize, Serialize};

/// What a fresh card check is for; the record of the check keeps it, and it allows only that.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepUpFor {
    AddCard,
    RevokeCard,
    AddReceipt,
    RemoveReceipt,
    /// Recording what was really paid or refunded for a month of notices.
    CorrectCosts,
    ReportRecord,
    /// Granting, changing or revoking a consent: the check is kept with the exact terms.
    ChangeConsent,
    /// Inviting, revoking or confirming a family proxy.
    ManageProxies,
}

impl StepUpFor {
    /// Whether signing in within the last five minutes also allows this change. Changes to the
    /// patient's own data do; changes to the cards that sign in do not: whoever finds a
    /// signed-in browser must not be able to add their own card or stop the patient's without
    /// the card in hand.
    pub fn sign_in_counts(self) -> bool {
        match self {
            // A consent change is signed by the card with its exact terms: only a check made
            // for it will do, never the sign-in's.
            // Who else may see the records is decided with the card in hand, like the cards themselves.
            Self::AddCard | Self::RevokeCard | Self::ChangeConsent | Self::ManageProxies => false,
            Self::AddReceipt | Self::RemoveReceipt | Self::CorrectCosts | Self::ReportRecord => {
                true
            }
        }
    }
}

/// The facts of one verified sign-in, kept so they can be recorded (e.g. as evidence of who
/// signed in with which card); the raw byte fields let a third party re-verify the signature
/// with the card's public key: it covers `authenticator_data || SHA-256(client_data_json)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssertionRecord {
    pub credential_id: Vec<u8>,
    pub counter: u32,
    pub user_verified: bool,
    pub client_data_json: Vec<u8>,
    pub authenticator_data: Vec<u8>,
    pub signature: Vec<u8>,
}

/// The challenge a card answered, read from the client data it signed (`challenge` is the
/// base64url text the server issued).
pub fn challenge(client_data_json: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct ClientData {
        challenge: String,
    }
    serde_json::from_slice::<ClientData>(client_data_json)
        .ok()
        .map(|c| c.challenge)
}
