//! What a plain form post (one that works without JavaScript) answers: either the change was
//! made and the browser is sent on, or the page comes back in the post's own answer with what
//! was typed and what was wrong. What was typed never travels in an address, where browser
//! history, proxies and logs would keep it.

/// The mistake a form that changes the patient's data comes back with when no card check made
/// for it (or, where that counts, a sign-in) is from the last five minutes.
pub const STEP_UP_REQUIRED: &str = "card:step_up_required";

/// A form's outcome, decided by its feature and carried out by the server layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormAnswer {
    /// Done: the browser goes to this address (`303 See Other`, so a reload does not post again).
    Done(String),
    /// Not done (or nothing to store): the page at `path` is rendered as the answer, reading
    /// `fields` as its query would be read; the page itself says what was wrong.
    Again {
        path: &'static str,
        fields: Vec<(&'static str, String)>,
    },
}

/// A form's fields as posted: the first value of each name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Posted(Vec<(String, String)>);

impl Posted {
    /// Reads an `application/x-www-form-urlencoded` body.
    pub fn parse(body: &[u8]) -> Self {
        Self(
            url::form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The field's value, or empty when it was not sent.
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// A date as typed into a date field (or by hand: full-width digits and slashes are fine);
/// `Ok(None)` when left empty.
pub fn parse_date(input: &str) -> Result<Option<chrono::NaiveDate>, NotADate> {
    let s: String = crate::domain::normalize::normalize_code_compact(input)
        .chars()
        .map(|c| if c == '/' { '-' } else { c })
        .collect();
    if s.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| NotADate)
}

/// What was typed is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotADate;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posted_fields_are_decoded_and_missing_ones_empty() {
        let p = Posted::parse(b"payee=%E8%96%AC%E5%B1%80+A&amount=12&amount=99");
        assert_eq!(p.get("payee"), "薬局 A");
        assert_eq!(p.get("amount"), "12", "the first value counts");
        assert_eq!(p.get("kind"), "");
    }
}
