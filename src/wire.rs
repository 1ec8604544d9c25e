//! The records pages' server-function answers: JSON, exactly as server_fn's own `Json`, but
//! read in the browser with `serde_json::from_str`.
//!
//! Why: a page's data reaches the browser twice over, once as the resource serialised into the
//! server-rendered HTML (which Leptos reads with `from_str`) and once as a server function's
//! answer on client-side navigation (which `Json` reads with `from_slice`). Each way
//! instantiates every page type's deserialiser separately in the WebAssembly; reading both from
//! text lets the two share one copy.

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// JSON over POST whose answer is decoded from text (see the module comment).
pub type JsonText = Post<JsonTextEncoding>;

pub struct JsonTextEncoding;

#[derive(Debug, thiserror::Error)]
pub enum JsonTextError {
    #[error("the answer is not UTF-8")]
    NotUtf8,
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

impl ContentType for JsonTextEncoding {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonTextEncoding {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonTextEncoding {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonTextEncoding {
    type Error = JsonTextError;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(|_| JsonTextError::NotUtf8)?;
        Ok(serde_json::from_str(text)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_round_trip_and_refuse_bytes_that_are_not_text() {
        let bytes =
            <JsonTextEncoding as Encodes<Vec<&str>>>::encode(&vec!["薬", "a"]).unwrap_or_default();
        let back: Result<Vec<String>, _> = JsonTextEncoding::decode(bytes);
        assert_eq!(back.ok(), Some(vec!["薬".to_owned(), "a".to_owned()]));
        let bad: Result<Vec<String>, _> = JsonTextEncoding::decode(Bytes::from_static(b"\xff"));
        assert!(matches!(bad, Err(JsonTextError::NotUtf8)));
    }
}
