//! Ceremony errors, their stable codes, and the mapping from webauthn-rs errors.

use webauthn_rs::prelude::WebauthnError;

/// Why a ceremony failed. `code()` is stable and safe to show, log or put in metrics; the
/// messages are for operators, not patients.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CeremonyError {
    #[error("no attestation trust anchors were configured")]
    NoTrustAnchors,
    #[error("trust anchor {label:?} is not a PEM certificate")]
    BadTrustAnchor { label: String },
    #[error("invalid relying-party configuration or ceremony input")]
    Config,
    #[error("the authenticator's attestation is missing, invalid or not from a trusted issuer")]
    NotTrusted,
    #[error("the authenticator did not verify the user")]
    UserNotVerified,
    #[error("the signature counter did not increase: the card may be cloned")]
    CounterRegressed,
    #[error("the reply answers a different challenge")]
    ChallengeMismatch,
    #[error("the reply was made for a different origin")]
    OriginMismatch,
    #[error("the reply was signed for a different relying-party id")]
    RpIdMismatch,
    #[error("the reply names a credential that is not the expected card")]
    UnknownCredential,
    #[error("the reply is malformed or its signature does not verify")]
    BadReply,
    #[error("webauthn failure: {0}")]
    Other(String),
}

impl CeremonyError {
    /// Stable snake_case code, one per variant.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoTrustAnchors => "no_trust_anchors",
            Self::BadTrustAnchor { .. } => "bad_trust_anchor",
            Self::Config => "config",
            Self::NotTrusted => "not_trusted",
            Self::UserNotVerified => "user_not_verified",
            Self::CounterRegressed => "counter_regressed",
            Self::ChallengeMismatch => "challenge_mismatch",
            Self::OriginMismatch => "origin_mismatch",
            Self::RpIdMismatch => "rp_id_mismatch",
            Self::UnknownCredential => "unknown_credential",
            Self::BadReply => "bad_reply",
            Self::Other(_) => "other",
        }
    }
}

impl From<WebauthnError> for CeremonyError {
    fn from(e: WebauthnError) -> Self {
        use WebauthnError as W;
        match e {
            // Empty user name/display name (webauthn-rs-core core.rs:242), bad RP setup, and
            // states whose policies disagree: our or the caller's mistakes, not the patient's.
            W::Configuration
            | W::MissingAttestationCaList
            | W::InvalidUsername
            | W::InconsistentUserVerificationPolicy => Self::Config,
            W::AttestationCertificateTrustStoreEmpty => Self::NoTrustAnchors,
            // Every way an attestation can fail to establish trust. `AttestationNotVerifiable`
            // is what a self/none attestation gets under a CA list (core.rs:682), and
            // `CredentialMayNotBeHardwareBound` is a synced passkey (BE=1) (core.rs:729).
            W::AttestationChainNotTrusted(_)
            | W::AttestationNotVerifiable
            | W::AttestationNotSupported
            | W::AttestationUntrustedAaguid
            | W::AttestationFormatMissingAaguid
            | W::AttestationTrustFailure
            | W::AttestationCertificateAAGUIDMismatch
            | W::AttestationCertificateNonceMismatch
            | W::AttestationCertificateRequirementsNotMet
            | W::AttestationCredentialSubjectKeyMismatch
            | W::AttestationLeafCertMissing
            | W::AttestationStatementMapInvalid
            | W::AttestationStatementResponseMissing
            | W::AttestationStatementResponseInvalid
            | W::AttestationStatementSigMissing
            | W::AttestationStatementSigInvalid
            | W::AttestationStatementVerMissing
            | W::AttestationStatementVerInvalid
            | W::AttestationStatementVerUnsupported
            | W::AttestationStatementX5CMissing
            | W::AttestationStatementX5CInvalid
            | W::AttestationStatementAlgMissing
            | W::AttestationStatementCertInfoMissing
            | W::AttestationStatementMissingExtension
            | W::AttestationStatementPubAreaMissing
            | W::AttestationStatementAlgMismatch
            | W::AttestationStatementAlgInvalid
            | W::AttestationTpmStInvalid
            | W::AttestationTpmPubAreaMismatch
            | W::AttestationTpmExtraDataInvalid
            | W::AttestationTpmExtraDataMismatch
            | W::AttestationTpmPubAreaHashUnknown
            | W::AttestationTpmPubAreaHashInvalid
            | W::AttestationTpmAttestCertifyInvalid
            | W::MissingAttestationCredentialData
            | W::TrustFailure
            | W::CertificatePublicKeyInvalid
            | W::CredentialInsecureCryptography
            | W::CredentialMayNotBeHardwareBound
            | W::CredentialBackupEligibilityInconsistent => Self::NotTrusted,
            W::UserNotVerified | W::UserNotPresent => Self::UserNotVerified,
            W::CredentialPossibleCompromise => Self::CounterRegressed,
            W::MismatchedChallenge | W::ChallengeNotFound => Self::ChallengeMismatch,
            W::InvalidRPOrigin | W::CredentialCrossOrigin => Self::OriginMismatch,
            W::InvalidRPIDHash => Self::RpIdMismatch,
            W::CredentialNotFound => Self::UnknownCredential,
            // `CredentialAlteredAlgFromRequest` is also what an excluded (already registered)
            // credential gets (core.rs:745): the browser normally refuses those itself.
            W::InvalidClientDataType
            | W::InvalidUserUniqueId
            | W::InvalidExtensions
            | W::AuthenticatorDataMissingExtension
            | W::AuthenticationFailure
            | W::SignatureInvalid
            | W::CredentialAlteredAlgFromRequest
            | W::CredentialExcludedFromRequest
            | W::ParseBase64Failure(_)
            | W::ParseCBORFailure(_)
            | W::ParseJSONFailure(_)
            | W::ParseNOMFailure
            | W::ParseInsufficientBytesAvailable
            | W::COSEKeyInvalidCBORValue
            | W::COSEKeyInvalidType
            | W::COSEKeyEDUnsupported
            | W::COSEKeyECDSAXYInvalid
            | W::COSEKeyRSANEInvalid
            | W::COSEKeyECDSAInvalidCurve
            | W::COSEKeyEDDSAXInvalid
            | W::COSEKeyEDDSAInvalidCurve
            | W::COSEKeyInvalidAlgorithm
            | W::EcdsaPointInvalid
            | W::X509DerInvalid => Self::BadReply,
            other => Self::Other(other.to_string()),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn webauthn_errors_map_to_the_documented_codes() {
        let cases = [
            (WebauthnError::MismatchedChallenge, "challenge_mismatch"),
            (WebauthnError::InvalidRPOrigin, "origin_mismatch"),
            (WebauthnError::InvalidRPIDHash, "rp_id_mismatch"),
            (WebauthnError::UserNotVerified, "user_not_verified"),
            (
                WebauthnError::CredentialPossibleCompromise,
                "counter_regressed",
            ),
            (WebauthnError::AttestationNotVerifiable, "not_trusted"),
            (
                WebauthnError::CredentialMayNotBeHardwareBound,
                "not_trusted",
            ),
            (WebauthnError::CredentialNotFound, "unknown_credential"),
            (WebauthnError::AuthenticationFailure, "bad_reply"),
            (WebauthnError::MissingAttestationCaList, "config"),
            (WebauthnError::CredentialPersistenceError, "other"),
        ];
        for (err, code) in cases {
            let name = format!("{err:?}");
            assert_eq!(CeremonyError::from(err).code(), code, "{name}");
        }
    }

    #[test]
    fn codes_are_unique_snake_case() {
        let all = [
            CeremonyError::NoTrustAnchors,
            CeremonyError::BadTrustAnchor { label: "x".into() },
            CeremonyError::Config,
            CeremonyError::NotTrusted,
            CeremonyError::UserNotVerified,
            CeremonyError::CounterRegressed,
            CeremonyError::ChallengeMismatch,
            CeremonyError::OriginMismatch,
            CeremonyError::RpIdMismatch,
            CeremonyError::UnknownCredential,
            CeremonyError::BadReply,
            CeremonyError::Other("x".into()),
        ];
        let codes: HashSet<_> = all.iter().map(CeremonyError::code).collect();
        assert_eq!(codes.len(), all.len());
        for c in codes {
            assert!(
                c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'),
                "{c}"
            );
        }
    }
}
