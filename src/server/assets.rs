//! Static files: the build's WebAssembly, JavaScript and CSS (`/pkg`), vendored scripts
//! (`/vendor`), the page script (`/scripts`), fonts (`/fonts`) and the icon. Each folder has its own route, outside the page
//! stack (no session, no CSRF check, no not-found page), and is answered with the `.br` or `.gz`
//! sibling the build wrote when the browser accepts it. How long browsers keep them is decided
//! in `headers`: a name that carries its content hash never changes.

mod memory;

use axum::Router;
use axum::http::{HeaderValue, header};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// The file cargo-leptos writes beside the server binary when `hash-files` is on: one line per
/// kind (`js: HASH`, `wasm: HASH`, `css: HASH`). Leptos reads it from the same place.
pub const HASH_FILE: &str = "hash.txt";

/// Routes for every static folder of the built site: what is there at start is answered from
/// memory (see `memory`), anything else from the disk.
pub fn routes<S: Clone + Send + Sync + 'static>(site_root: &Path) -> Router<S> {
    let preloaded = Arc::new(memory::Preloaded::load(
        site_root,
        &["pkg", "vendor", "fonts", "scripts"],
        &["favicon.svg"],
    ));
    let dir = |name: &str| {
        ServeDir::new(site_root.join(name))
            .precompressed_br()
            .precompressed_gzip()
    };
    Router::new()
        .nest_service("/pkg", dir("pkg"))
        .nest_service("/vendor", dir("vendor"))
        .nest_service("/fonts", dir("fonts"))
        .nest_service("/scripts", dir("scripts"))
        .route_service(
            "/favicon.svg",
            ServeFile::new(site_root.join("favicon.svg"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(axum::middleware::from_fn_with_state(
            preloaded,
            memory::serve,
        ))
        // One URL answers with different encodings: shared caches must key on the header.
        .layer(SetResponseHeaderLayer::appending(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
}

/// Whether the last segment of `path` carries a cargo-leptos content hash
/// (`portal.<22 base64url characters>.wasm`): such a URL never changes what it answers.
pub fn content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.split('.');
    // The hash is neither the first part (the stem) nor the last (the extension).
    parts.next();
    let mut middle: Vec<&str> = parts.collect();
    middle.pop();
    middle.iter().any(|part| {
        part.len() == 22
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AssetsError {
    #[error("cannot read {0}")]
    Unreadable(String),
    #[error(
        "{0} names {1}, which is not in the site folder: the site was built by another build of the portal; rebuild with `cargo leptos build --release` or pass its --site-root"
    )]
    Mismatch(String, String),
}

/// Whether this binary was built with hashed file names, checked against the site folder.
/// cargo-leptos writes `hash.txt` beside the binary it builds; without it (a plain `cargo run`)
/// pages link the unhashed names. With it, every file it names must exist in `site_root/pkg`,
/// so a binary started on another build's site refuses to start instead of serving pages
/// whose scripts are missing.
pub fn hashed_names(site_root: &Path) -> Result<bool, AssetsError> {
    let Some(hash_file) = hash_file_path() else {
        return Ok(false);
    };
    if !hash_file.exists() {
        return Ok(false);
    }
    let text = std::fs::read_to_string(&hash_file)
        .map_err(|_| AssetsError::Unreadable(hash_file.display().to_string()))?;
    for (kind, hash) in text.lines().filter_map(|l| l.split_once(':')) {
        let (kind, hash) = (kind.trim(), hash.trim());
        if !matches!(kind, "js" | "wasm" | "css") {
            continue;
        }
        let name = format!("portal.{hash}.{kind}");
        if !site_root.join("pkg").join(&name).is_file() {
            return Err(AssetsError::Mismatch(
                hash_file.display().to_string(),
                format!("pkg/{name}"),
            ));
        }
    }
    Ok(true)
}

fn hash_file_path() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(HASH_FILE))
}

#[cfg(test)]
mod tests {
    use super::content_hashed;

    #[test]
    fn only_names_with_a_cargo_leptos_hash_count_as_hashed() {
        assert!(content_hashed("/pkg/portal.AbCdEfGhIjKlMnOpQrSt-_.wasm"));
        assert!(content_hashed("/pkg/portal.0123456789abcdefghijkl.css"));
        assert!(content_hashed("/fonts/noto.0123456789abcdefghijkl.woff2"));
        assert!(!content_hashed("/pkg/portal.wasm"));
        assert!(!content_hashed("/pkg/portal.css"));
        // 21 and 23 characters, a hash-like stem or extension, a character outside base64url.
        assert!(!content_hashed("/pkg/portal.0123456789abcdefghijk.css"));
        assert!(!content_hashed("/pkg/portal.0123456789abcdefghijklm.css"));
        assert!(!content_hashed("/pkg/0123456789abcdefghijkl.css"));
        assert!(!content_hashed("/pkg/portal.0123456789abcdefghijkl"));
        assert!(!content_hashed("/pkg/portal.0123456789abcdefghij+l.css"));
    }
}
