//! The language switch: a form post that stores the choice in the cookie leptos_i18n reads,
//! then returns to the page it came from.

use axum::Form;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Switch {
    to: String,
    #[serde(default)]
    back: String,
}

pub async fn switch(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    Form(form): Form<Switch>,
) -> Response {
    let locale = match form.to.as_str() {
        "en" => "en",
        _ => "ja",
    };
    let mut res = Redirect::to(&safe_back(&form.back)).into_response();
    // Not `__Host-` prefixed: leptos_i18n reads the cookie by this name.
    let cookie = format!(
        "i18n_pref_locale={locale}; Path=/; Max-Age=31536000; SameSite=Lax{}",
        state.settings.secure_attribute()
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// Only same-site absolute paths: a `back` of `//evil.example` or `https://…` would make this an
/// open redirect.
fn safe_back(back: &str) -> String {
    let ok = back.starts_with('/')
        && !back.starts_with("//")
        && !back.starts_with("/\\")
        && !back.chars().any(|c| c.is_control());
    if ok { back.to_owned() } else { "/".to_owned() }
}

#[cfg(test)]
mod tests {
    use super::safe_back;

    #[test]
    fn back_is_same_site_only() {
        let cases = [
            ("/", "/"),
            ("/demo?x=1", "/demo?x=1"),
            ("//evil.example", "/"),
            ("https://evil.example", "/"),
            ("/\\evil.example", "/"),
            ("", "/"),
            ("/a\nb", "/"),
        ];
        for (given, want) in cases {
            assert_eq!(safe_back(given), want, "{given:?}");
        }
    }
}
