//! Pure domain model of the health-record portal: identifiers, records and rules, free of I/O.

/// Wires a string newtype into `FromStr`, `Display`, `TryFrom<String>` and `From<T> for String`,
/// so serde's `try_from = "String", into = "String"` re-runs `parse` on every deserialized value.
/// The type must provide `parse(&str) -> Result<Self, $err>` and `as_str(&self) -> &str`.
macro_rules! string_newtype {
    ($t:ty, $err:ty) => {
        impl ::std::str::FromStr for $t {
            type Err = $err;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl ::std::convert::TryFrom<String> for $t {
            type Error = $err;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl ::std::convert::From<$t> for String {
            fn from(v: $t) -> String {
                v.as_str().to_owned()
            }
        }

        impl ::std::fmt::Display for $t {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// Gives a fieldless enum its stable names: `ALL`, `as_str` and `parse` (the names stored in the
/// database and sent in JSON, which must never change once written).
macro_rules! names {
    ($t:ty { $($v:ident => $s:literal),+ $(,)? }) => {
        impl $t {
            pub const ALL: &'static [Self] = &[$(Self::$v),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some(Self::$v),)+ _ => None }
            }
        }
    };
}

pub mod access_log;
pub mod access_report;
pub mod card_check;
pub mod check_digit;
pub mod checkup;
pub mod clock;
pub mod consent;
pub mod cost;
pub mod dispute;
pub mod emergency;
pub mod institution;
pub mod insured;
pub mod medication;
pub mod normalize;
pub mod notice;
pub mod person;
pub mod proxy;
pub mod qualification;
pub mod source;
