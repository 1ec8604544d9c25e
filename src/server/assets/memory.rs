//! The site's static files held in memory from start, with their brotli and gzip copies.
//!
//! Why: `ServeDir` reads through `tokio::fs`, which hands every open, stat and read to the
//! blocking thread pool; on two shared cores those hand-offs, not the bytes, capped a 2 KB
//! stylesheet at about 1,700 requests a second (docs/performance.md). The built site does not
//! change while the portal runs (cargo-leptos restarts it after each build, and hashed names
//! change with their content), so it is read once. Files that appear later, or whose type is
//! not listed here, are still answered by `ServeDir` behind this.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

#[derive(Default)]
pub struct Preloaded {
    /// By URL path, e.g. `/pkg/portal.<hash>.wasm`.
    files: HashMap<String, Variants>,
}

struct Variants {
    content_type: &'static str,
    identity: Bytes,
    br: Option<Bytes>,
    gzip: Option<Bytes>,
}

impl Preloaded {
    /// Reads every file of a known type under the folders `dirs` of `site_root` (served under
    /// `/<dir>/`) and the single `files` at its top.
    pub fn load(site_root: &Path, dirs: &[&str], files: &[&str]) -> Self {
        let mut found = Vec::new();
        for dir in dirs {
            walk(&site_root.join(dir), &format!("/{dir}"), &mut found);
        }
        for file in files {
            found.push((site_root.join(file), format!("/{file}")));
        }
        let mut preloaded = Self::default();
        for (path, url) in found {
            let Some(content_type) = content_type(&url) else {
                continue;
            };
            let Ok(identity) = std::fs::read(&path) else {
                continue;
            };
            let sibling = |ext: &str| {
                let mut name = path.clone().into_os_string();
                name.push(ext);
                std::fs::read(name).ok().map(Bytes::from)
            };
            let variants = Variants {
                content_type,
                identity: Bytes::from(identity),
                br: sibling(".br"),
                gzip: sibling(".gz"),
            };
            preloaded.files.insert(url, variants);
        }
        preloaded
    }
}

/// Every file below `dir` with its URL, recursively; a missing folder (no fonts yet) is empty.
fn walk(dir: &Path, url: &str, out: &mut Vec<(std::path::PathBuf, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        if path.is_dir() {
            walk(&path, &format!("{url}/{name}"), out);
        } else {
            out.push((path, format!("{url}/{name}")));
        }
    }
}

/// The types the site holds; `.br` and `.gz` copies are variants, never files of their own.
fn content_type(url: &str) -> Option<&'static str> {
    let ext = url.rsplit_once('.')?.1;
    Some(match ext {
        "wasm" => "application/wasm",
        "js" | "mjs" => "text/javascript",
        "css" => "text/css",
        "svg" => "image/svg+xml",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "json" => "application/json",
        _ => return None,
    })
}

/// Middleware in front of the static routes: answers from memory what was loaded, passes the
/// rest on.
pub async fn serve(State(files): State<Arc<Preloaded>>, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let Some(v) = files.files.get(req.uri().path()) else {
        return next.run(req).await;
    };
    let headers = req.headers();
    let (body, encoding) = match (&v.br, &v.gzip) {
        (Some(br), _) if accepts(headers, "br") => (br.clone(), Some("br")),
        (_, Some(gz)) if accepts(headers, "gzip") => (gz.clone(), Some("gzip")),
        _ => (v.identity.clone(), None),
    };
    let mut res = Response::new(Body::from(body));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(v.content_type),
    );
    if let Some(encoding) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    res
}

/// Whether `Accept-Encoding` allows `coding` (named with a non-zero quality).
fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            name.eq_ignore_ascii_case(coding) && quality > 0.0
        })
}

#[cfg(test)]
mod tests {
    use super::accepts;
    use axum::body::Body;
    use axum::http::{HeaderMap, HeaderValue, Request, header};
    use tower::ServiceExt;

    /// The Content-Encoding and body of `path` through `app`.
    async fn get(app: &axum::Router, path: &str, accept: &str) -> (Option<String>, String) {
        let req = Request::get(path)
            .header(header::ACCEPT_ENCODING, accept)
            .body(Body::empty())
            .unwrap_or_default();
        let Ok(res) = app.clone().oneshot(req).await;
        let encoding = res
            .headers()
            .get(header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .unwrap_or_default();
        (encoding, String::from_utf8_lossy(&bytes).into_owned())
    }

    #[tokio::test]
    async fn files_present_at_start_come_from_memory_and_later_ones_from_the_disk() {
        let Ok(site) = tempfile::tempdir() else {
            return;
        };
        let pkg = site.path().join("pkg");
        let write = |name: &str, body: &str| std::fs::write(pkg.join(name), body).is_ok();
        assert!(std::fs::create_dir_all(&pkg).is_ok());
        assert!(write("a.css", "plain") && write("a.css.br", "br:") && write("a.css.gz", "gz:"));
        let app: axum::Router = super::super::routes(site.path());
        // Loaded at start: changing the disk afterwards does not change the answer.
        assert!(write("a.css.br", "changed"));
        let br = (Some("br".to_owned()), "br:".to_owned());
        assert_eq!(get(&app, "/pkg/a.css", "gzip, br").await, br);
        let gz = (Some("gzip".to_owned()), "gz:".to_owned());
        assert_eq!(get(&app, "/pkg/a.css", "gzip, br;q=0").await, gz);
        assert_eq!(
            get(&app, "/pkg/a.css", "identity").await,
            (None, "plain".into())
        );
        // A file written after start is still found, on the disk.
        assert!(write("b.css", "later"));
        assert_eq!(get(&app, "/pkg/b.css", "br").await, (None, "later".into()));
    }

    fn with(value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
        h
    }

    #[test]
    fn an_encoding_counts_when_named_without_a_zero_quality() {
        assert!(accepts(&with("gzip, deflate, br, zstd"), "br"));
        assert!(accepts(&with("br;q=0.5, gzip"), "br"));
        assert!(accepts(&with("GZIP"), "gzip"));
        assert!(!accepts(&with("gzip, br;q=0"), "br"));
        assert!(!accepts(&with("gzip"), "br"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
    }
}
