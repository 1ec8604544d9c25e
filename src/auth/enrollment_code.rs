//! One-time enrollment codes, like the code mailed with a card: 16 Crockford base32 characters
//! (80 bits), shown in groups of four, stored only as an HMAC under the server key and compared
//! in constant time.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// Crockford's alphabet: no I, L, O or U, so a code read aloud or copied by hand survives.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const LEN: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("the code must be 16 letters and digits (hyphens and spaces are ignored)")]
    Length { found: usize },
    #[error("the code contains a character that is not used in codes")]
    Character,
}

impl CodeError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Length { .. } => "enrollment_code_length",
            Self::Character => "enrollment_code_character",
        }
    }
}

/// A code in canonical form (16 upper-case characters from the alphabet).
#[derive(Clone, PartialEq, Eq)]
pub struct EnrollmentCode(String);

impl std::fmt::Debug for EnrollmentCode {
    // A code is a secret until used: never print it in debug output or logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EnrollmentCode(…)")
    }
}

impl EnrollmentCode {
    pub fn generate(rng: &mut impl RngCore) -> Self {
        let mut bytes = [0u8; LEN];
        rng.fill_bytes(&mut bytes);
        // 256 is a multiple of 32, so taking the low five bits keeps every character equally likely.
        Self(
            bytes
                .iter()
                .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
                .collect(),
        )
    }

    /// Accepts what people paste or type: lower case, spaces, hyphens, full-width characters,
    /// and the look-alikes O→0, I/L→1.
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let mut out = String::with_capacity(LEN);
        for c in crate::domain::normalize::normalize_code(input).chars() {
            let c = match c.to_ascii_uppercase() {
                '-' | ' ' | '\u{3000}' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
                return Err(CodeError::Character);
            }
            out.push(c);
        }
        if out.len() != LEN {
            return Err(CodeError::Length { found: out.len() });
        }
        Ok(Self(out))
    }

    /// `ABCD-EFGH-JKMN-PQRS`, for printing on the letter.
    pub fn display_grouped(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        chars
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// The keyed hash that is stored; without the key a stolen table reveals nothing.
    pub fn keyed_hash(&self, key: &[u8]) -> String {
        hex::encode(mac(key, &self.0).finalize().into_bytes())
    }

    /// Constant-time comparison with a stored keyed hash.
    pub fn matches(&self, key: &[u8], stored_hex: &str) -> bool {
        match hex::decode(stored_hex) {
            Ok(stored) => mac(key, &self.0).verify_slice(&stored).is_ok(),
            Err(_) => false,
        }
    }
}

/// HMAC-SHA256 of `text` under the server key, for values that must look random to outsiders
/// yet stay the same for the same input (the decoy credential id of an unknown number).
pub fn keyed_digest(key: &[u8], text: &str) -> Vec<u8> {
    mac(key, text).finalize().into_bytes().to_vec()
}

/// Whether `tag` is [`keyed_digest`] of `text`, compared in constant time.
pub fn keyed_digest_matches(key: &[u8], text: &str, tag: &[u8]) -> bool {
    mac(key, text).verify_slice(tag).is_ok()
}

fn mac(key: &[u8], code: &str) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so this cannot fail; the fallback keeps it panic-free.
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| <Hmac<Sha256> as Mac>::new(&Default::default()));
    m.update(code.as_bytes());
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn generated_codes_parse_back_and_differ() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let a = EnrollmentCode::generate(&mut rng);
        let b = EnrollmentCode::generate(&mut rng);
        assert_ne!(a, b);
        let grouped = a.display_grouped();
        assert_eq!(grouped.len(), 19);
        assert_eq!(EnrollmentCode::parse(&grouped), Ok(a.clone()));
        assert_eq!(EnrollmentCode::parse(&grouped.to_lowercase()), Ok(a));
    }

    #[test]
    fn parse_cases() {
        let cases = [
            ("ABCD-EFGH-JKMN-PQRS", Ok("ABCDEFGHJKMNPQRS")),
            (" abcd efgh jkmn pqrs ", Ok("ABCDEFGHJKMNPQRS")),
            (
                "ＡＢＣＤ－ＥＦＧＨ－ＪＫＭＮ－ＰＱＲＳ",
                Ok("ABCDEFGHJKMNPQRS"),
            ),
            ("OIL0-0000-0000-0000", Ok("0110000000000000")),
            ("ABCD-EFGH-JKMN-PQR", Err(CodeError::Length { found: 15 })),
            ("ABCD-EFGH-JKMN-PQRSX", Err(CodeError::Length { found: 17 })),
            ("ABCD-EFGH-JKMN-PQR!", Err(CodeError::Character)),
            ("ABCD-EFGH-JKMN-PQRU", Err(CodeError::Character)),
            ("", Err(CodeError::Length { found: 0 })),
        ];
        for (input, want) in cases {
            let got = EnrollmentCode::parse(input).map(|c| c.0);
            assert_eq!(got, want.map(str::to_owned), "{input:?}");
        }
    }

    #[test]
    fn keyed_hash_matches_only_with_the_same_key_and_code() {
        let code = EnrollmentCode::parse("ABCD-EFGH-JKMN-PQRS").unwrap_or_else(|_| unreachable!());
        let other = EnrollmentCode::parse("ABCD-EFGH-JKMN-PQRT").unwrap_or_else(|_| unreachable!());
        let stored = code.keyed_hash(b"key one");
        assert!(code.matches(b"key one", &stored));
        assert!(!code.matches(b"key two", &stored));
        assert!(!other.matches(b"key one", &stored));
        assert!(!code.matches(b"key one", "not hex"));
        assert!(
            !format!("{code:?}").contains("ABCD"),
            "Debug never shows the code"
        );
    }
}
