//! The browser half of the ceremonies: hand the server's options to the card through
//! `navigator.credentials` and bring its answer back. Only WebAuthn itself needs JavaScript.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use webauthn_rs_proto::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse,
};

/// Why the browser step failed, as a code the page turns into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrowserError {
    /// No WebAuthn here (old browser, insecure origin).
    Unsupported,
    /// The person cancelled, or the card timed out (`NotAllowedError`).
    Cancelled,
    /// This card is already registered here (`InvalidStateError`).
    AlreadyRegistered,
    Other,
}

impl BrowserError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unsupported => "webauthn_unsupported",
            Self::Cancelled => "webauthn_cancelled",
            Self::AlreadyRegistered => "already_registered",
            Self::Other => "webauthn_failed",
        }
    }
}

fn from_js(e: wasm_bindgen::JsValue) -> BrowserError {
    match e.dyn_ref::<web_sys::DomException>().map(|d| d.name()) {
        Some(name) if name == "NotAllowedError" || name == "AbortError" => BrowserError::Cancelled,
        Some(name) if name == "InvalidStateError" => BrowserError::AlreadyRegistered,
        Some(name) if name == "NotSupportedError" || name == "SecurityError" => {
            BrowserError::Unsupported
        }
        _ => BrowserError::Other,
    }
}

fn credentials() -> Result<web_sys::CredentialsContainer, BrowserError> {
    web_sys::window()
        .map(|w| w.navigator().credentials())
        .ok_or(BrowserError::Unsupported)
}

/// Registers a card: `navigator.credentials.create`.
pub async fn create(
    options: CreationChallengeResponse,
) -> Result<RegisterPublicKeyCredential, BrowserError> {
    let options: web_sys::CredentialCreationOptions = options.into();
    let promise = credentials()?
        .create_with_options(&options)
        .map_err(from_js)?;
    let credential = JsFuture::from(promise).await.map_err(from_js)?;
    let credential: web_sys::PublicKeyCredential =
        credential.dyn_into().map_err(|_| BrowserError::Other)?;
    Ok(RegisterPublicKeyCredential::from(credential))
}

/// Signs in with a card: `navigator.credentials.get`.
pub async fn get(options: RequestChallengeResponse) -> Result<PublicKeyCredential, BrowserError> {
    let options: web_sys::CredentialRequestOptions = options.into();
    let promise = credentials()?.get_with_options(&options).map_err(from_js)?;
    let credential = JsFuture::from(promise).await.map_err(from_js)?;
    let credential: web_sys::PublicKeyCredential =
        credential.dyn_into().map_err(|_| BrowserError::Other)?;
    Ok(PublicKeyCredential::from(credential))
}

/// Whether this browser lists passkeys in the autofill of a field marked
/// `autocomplete="username webauthn"` (conditional mediation). Browsers without the question
/// do not offer it.
pub async fn autofill_available() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Ok(class) = js_sys::Reflect::get(&window, &"PublicKeyCredential".into()) else {
        return false;
    };
    let Ok(ask) = js_sys::Reflect::get(&class, &"isConditionalMediationAvailable".into()) else {
        return false;
    };
    let Some(ask) = ask.dyn_ref::<js_sys::Function>() else {
        return false;
    };
    let Ok(promise) = ask.call0(&class) else {
        return false;
    };
    match promise.dyn_into::<js_sys::Promise>() {
        Ok(p) => JsFuture::from(p)
            .await
            .map(|v| v.as_bool() == Some(true))
            .unwrap_or(false),
        Err(_) => false,
    }
}

/// Signs in through the autofill list: the options carry `mediation: "conditional"`, so this
/// waits until the person picks a card there. `signal` ends the wait before a sign-in the
/// person starts with a button (a browser runs one request at a time).
pub async fn get_from_autofill(
    options: RequestChallengeResponse,
    signal: &web_sys::AbortSignal,
) -> Result<PublicKeyCredential, BrowserError> {
    let options: web_sys::CredentialRequestOptions = options.into();
    js_sys::Reflect::set(&options, &"signal".into(), signal).map_err(|_| BrowserError::Other)?;
    let promise = credentials()?.get_with_options(&options).map_err(from_js)?;
    let credential = JsFuture::from(promise).await.map_err(from_js)?;
    let credential: web_sys::PublicKeyCredential =
        credential.dyn_into().map_err(|_| BrowserError::Other)?;
    Ok(PublicKeyCredential::from(credential))
}
