//! Loading the attestation trust anchors (issuer CA certificates of accepted cards) from PEM.

use super::CeremonyError;
use webauthn_rs::prelude::AttestationCaList;

const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
const END: &str = "-----END CERTIFICATE-----";

/// Builds the trust list for [`super::CardPolicy::Card`]. Each `(label, pem)` may hold one or
/// several certificates (a bundle); every certificate becomes a whole-CA anchor, i.e. any card
/// whose attestation chains to it is accepted, whatever its AAGUID.
pub fn load_trust_anchors(pems: &[(String, Vec<u8>)]) -> Result<AttestationCaList, CeremonyError> {
    if pems.is_empty() {
        return Err(CeremonyError::NoTrustAnchors);
    }
    let mut list = AttestationCaList::default();
    for (label, pem) in pems {
        let bad = || CeremonyError::BadTrustAnchor {
            label: label.clone(),
        };
        let text = std::str::from_utf8(pem).map_err(|_| bad())?;
        let blocks = certificate_blocks(text);
        // A file without any certificate is a misconfiguration, not "trust nothing from it".
        if blocks.is_empty() {
            return Err(bad());
        }
        for block in blocks {
            // webauthn-rs parses exactly one certificate per call
            // (webauthn-attestation-ca lib.rs:146), hence the splitting above.
            let one = AttestationCaList::try_from(block.as_bytes()).map_err(|_| bad())?;
            list.union(&one);
        }
    }
    Ok(list)
}

/// The `BEGIN`..`END CERTIFICATE` blocks of `text`, markers included; an unterminated block
/// is returned as-is so that parsing it fails loudly instead of being skipped.
fn certificate_blocks(text: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(BEGIN) {
        let tail = &rest[start..];
        match tail.find(END) {
            Some(end) => {
                let stop = end + END.len();
                blocks.push(&tail[..stop]);
                rest = &tail[stop..];
            }
            None => {
                blocks.push(tail);
                break;
            }
        }
    }
    blocks
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crypto_glue::traits::{EncodePem, LineEndingPem};
    use webauthn_authenticator_rs::softtoken::SoftToken;

    fn ca_pem() -> Result<String, Box<dyn std::error::Error>> {
        let (_tok, ca) = SoftToken::new(true)?;
        Ok(ca.to_pem(LineEndingPem::LF)?)
    }

    #[test]
    fn loads_single_and_bundled_pems() -> Result<(), Box<dyn std::error::Error>> {
        let (one, two) = (ca_pem()?, ca_pem()?);
        let bundle = format!("# two issuers\n{one}\n{two}");
        let cases = [
            (vec![("a".to_string(), one.clone().into_bytes())], 1),
            (vec![("bundle".to_string(), bundle.into_bytes())], 2),
            (
                vec![
                    ("a".to_string(), one.clone().into_bytes()),
                    ("a-again".to_string(), one.into_bytes()),
                ],
                1,
            ),
        ];
        for (input, anchors) in cases {
            assert_eq!(load_trust_anchors(&input)?.len(), anchors);
        }
        Ok(())
    }

    #[test]
    fn refuses_empty_and_garbage() -> Result<(), Box<dyn std::error::Error>> {
        let good = ca_pem()?;
        let truncated = good[..good.len() / 2].to_string();
        let cases: [(Pems, CeremonyError); 5] = [
            (vec![], CeremonyError::NoTrustAnchors),
            (vec![("junk".into(), b"not a pem".to_vec())], bad("junk")),
            (vec![("bin".into(), vec![0xff, 0xfe, 0x00])], bad("bin")),
            (vec![("cut".into(), truncated.into_bytes())], bad("cut")),
            (
                vec![
                    ("good".into(), good.into_bytes()),
                    (
                        "mangled".into(),
                        format!("{BEGIN}\nAAAA\n{END}\n").into_bytes(),
                    ),
                ],
                bad("mangled"),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(load_trust_anchors(&input).err(), Some(want));
        }
        Ok(())
    }

    type Pems = Vec<(String, Vec<u8>)>;

    fn bad(label: &str) -> CeremonyError {
        CeremonyError::BadTrustAnchor {
            label: label.into(),
        }
    }
}
