//! The layering, checked from the source tree: dependencies point down only
//! (domain <- storage <- features <- ui and server), and no two top-level modules import each
//! other, directly or round a longer loop. `docs/architecture.md` says what each module is;
//! the table below is the same list, and a new top-level module fails here until it is placed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every top-level module of `src/`, by layer, lowest first. A module may import from its own
/// layer (without forming a loop) and from the layers below, never from a layer above.
const LAYERS: &[(&str, &[&str])] = &[
    // The rules, and the national feed's rows made into domain values: plain Rust, no I/O.
    ("domain", &["domain", "feed"]),
    ("storage", &["storage"]),
    (
        "features",
        &[
            // What every feature shares: who is asking, the shared state, errors and helpers.
            "client_addr",
            "config",
            "error",
            "request",
            "page_cache",
            "format",
            "forms",
            "freshness",
            "state",
            "principal",
            "viewer",
            "wire",
            "download",
            "charts",
            "records_cache",
            "recent_logins",
            // Card sign-in: the ceremonies, and the server functions pages call.
            "auth",
            "sign_in",
            // The patient's records and what they do with them.
            "access_log",
            "account",
            "checkups",
            "consent",
            "disclosure",
            "costs",
            "disputes",
            "home",
            "insurance",
            "masthead",
            "medications",
            "notices",
            "proxies",
            // Loading the national feed, and the demo that fills it.
            "import",
            "demo",
        ],
    ),
    (
        "ui and server",
        // The counter is, like the API, where institutions come in with their credential.
        &[
            "app",
            "ui",
            "server",
            "institution_api",
            "counter",
            "cli",
            "logging",
        ],
    ),
];

/// Generated code any layer may use: the translations (`build.rs`), which import nothing.
const SHARED_LEAVES: &[&str] = &["i18n"];

/// Outside crates a layer must not reach for: the domain is plain Rust, and storage knows
/// nothing of pages or HTTP.
const PLAIN_RUST: &[&str] = &[
    "leptos",
    "leptos_axum",
    "leptos_router",
    "axum",
    "http",
    "sqlx",
    "tower_sessions",
    "webauthn_rs",
    "tokio",
];

const FORBIDDEN_CRATES: &[(&str, &[&str])] = &[
    ("domain", PLAIN_RUST),
    ("feed", PLAIN_RUST),
    (
        "storage",
        &["leptos", "leptos_axum", "leptos_router", "axum", "http"],
    ),
];

#[test]
fn every_import_points_down_or_sideways() {
    let graph = Graph::of(&src());
    let layer = layer_of_modules();
    let mut wrong = Vec::new();
    for (from, tos) in &graph.edges {
        for (to, place) in tos {
            if SHARED_LEAVES.contains(&to.as_str()) {
                continue;
            }
            match (layer.get(from.as_str()), layer.get(to.as_str())) {
                (Some(a), Some(b)) if b > a => wrong.push(format!(
                    "{place}: `{from}` ({}) imports `{to}` ({})",
                    LAYERS[*a].0, LAYERS[*b].0
                )),
                (Some(_), Some(_)) => {}
                _ => {}
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports pointing up:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_module_has_a_layer() {
    let graph = Graph::of(&src());
    let layer = layer_of_modules();
    let unplaced: Vec<_> = graph
        .modules
        .iter()
        .filter(|m| !layer.contains_key(m.as_str()))
        .collect();
    assert!(
        unplaced.is_empty(),
        "top-level modules missing from LAYERS (and docs/architecture.md): {unplaced:?}"
    );
    let gone: Vec<_> = layer
        .keys()
        .filter(|m| !graph.modules.contains(**m))
        .collect();
    assert!(
        gone.is_empty(),
        "LAYERS names modules that no longer exist: {gone:?}"
    );
    let unknown: Vec<_> = graph.unknown.iter().collect();
    assert!(
        unknown.is_empty(),
        "`crate::` paths naming no top-level module: {unknown:?}"
    );
}

#[test]
fn no_import_cycles_between_top_level_modules() {
    let graph = Graph::of(&src());
    let cycles = graph.cycles();
    assert!(
        cycles.is_empty(),
        "top-level modules importing each other:\n{}",
        cycles
            .iter()
            .map(|c| c.join(" -> "))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn low_layers_use_no_framework_crates() {
    let mut wrong = Vec::new();
    for (module, crates) in FORBIDDEN_CRATES {
        for file in files_of(&src(), module) {
            let code = code_only(&std::fs::read_to_string(&file).unwrap_or_default());
            for krate in *crates {
                if uses_crate(&code, krate) {
                    wrong.push(format!("{}: uses `{krate}`", file.display()));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Pages render on the server only and whole (`SsrMode::Async`): all a page shows is awaited
/// as plain futures in one bare `Suspend` (`ui::records::RecordsGate`). `<Suspense>` and
/// resources wait on a reactive effect that can miss its wake-up under load
/// (leptos-rs/leptos#4851, #4578), which once left a page unanswered.
#[test]
fn pages_never_wait_on_suspense_or_resources() {
    let mut wrong = Vec::new();
    for file in files_of(&src(), "ui") {
        let code = code_only(&std::fs::read_to_string(&file).unwrap_or_default());
        for pattern in [
            "<Suspense",
            "<Transition",
            "Resource::new",
            "OnceResource::new",
        ] {
            if code.contains(pattern) {
                wrong.push(format!("{}: {pattern}", file.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(!files_of(&src(), "ui").is_empty(), "the pages were read");
}

#[test]
fn the_checks_see_what_they_must() {
    // The parser and the loop finder, on code written to break the rules.
    let code = code_only(
        "use crate::{a::X, b::{self, Y}};\n// crate::c::Hidden\nlet s = \"crate::d\";\n\
         let c = '\\''; fn f<'a>() { crate::e::g!(); $crate::f::h(); }\n",
    );
    assert_eq!(first_segments(&code), ["a", "b", "e", "f"]);
    assert!(uses_crate("let x = leptos::prelude::view;", "leptos"));
    assert!(!uses_crate("let x = my_leptos::view;", "leptos"));
    let mut graph = Graph::default();
    for (a, b) in [("x", "y"), ("y", "z"), ("z", "x"), ("z", "w")] {
        graph
            .edges
            .entry(a.into())
            .or_default()
            .insert(b.into(), String::new());
    }
    assert_eq!(graph.cycles(), [vec!["x", "y", "z", "x"]]);
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn layer_of_modules() -> BTreeMap<&'static str, usize> {
    let mut layer = BTreeMap::new();
    for (i, (_, modules)) in LAYERS.iter().enumerate() {
        for m in *modules {
            layer.insert(*m, i);
        }
    }
    layer
}

/// Top-level modules and who imports whom (with the first file that does, for messages).
#[derive(Default)]
struct Graph {
    modules: BTreeSet<String>,
    edges: BTreeMap<String, BTreeMap<String, String>>,
    unknown: BTreeSet<String>,
}

impl Graph {
    fn of(src: &Path) -> Self {
        let mut graph = Self::default();
        for entry in std::fs::read_dir(src).into_iter().flatten().flatten() {
            let path = entry.path();
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_owned();
            let is_module = path.extension().is_some_and(|e| e == "rs") || path.is_dir();
            if is_module && !["lib", "main", "locales"].contains(&name.as_str()) {
                graph.modules.insert(name);
            }
        }
        // `crate::on_db!` and friends: exported macros live at the crate root but belong to
        // the module defining them.
        let mut macros = BTreeMap::new();
        for module in &graph.modules {
            for file in files_of(src, module) {
                let code = code_only(&std::fs::read_to_string(&file).unwrap_or_default());
                for name in code.split("macro_rules!").skip(1).filter_map(ident_at) {
                    macros.insert(name, module.clone());
                }
            }
        }
        for module in graph.modules.clone() {
            for file in files_of(src, &module) {
                let code = code_only(&std::fs::read_to_string(&file).unwrap_or_default());
                for first in first_segments(&code) {
                    let target = if graph.modules.contains(&first)
                        || SHARED_LEAVES.contains(&first.as_str())
                    {
                        first
                    } else if let Some(owner) = macros.get(&first) {
                        owner.clone()
                    } else {
                        graph
                            .unknown
                            .insert(format!("{}: crate::{first}", file.display()));
                        continue;
                    };
                    if target != module {
                        let place = file
                            .strip_prefix(src)
                            .unwrap_or(&file)
                            .display()
                            .to_string();
                        graph
                            .edges
                            .entry(module.clone())
                            .or_default()
                            .entry(target)
                            .or_insert(place);
                    }
                }
            }
        }
        graph
    }

    /// One loop per strongly connected group of modules, shortest first found by a search from
    /// its smallest member: enough to name what to untangle.
    fn cycles(&self) -> Vec<Vec<String>> {
        let mut found: Vec<Vec<String>> = Vec::new();
        let mut covered: BTreeSet<String> = BTreeSet::new();
        for start in self.edges.keys() {
            if covered.contains(start) {
                continue;
            }
            if let Some(path) = self.shortest_loop(start) {
                covered.extend(path.iter().cloned());
                found.push(path);
            }
        }
        found
    }

    fn shortest_loop(&self, start: &str) -> Option<Vec<String>> {
        let mut previous: BTreeMap<String, String> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start.to_owned()]);
        while let Some(at) = queue.pop_front() {
            for next in self.edges.get(&at).into_iter().flat_map(|e| e.keys()) {
                if next == start {
                    let mut hops = vec![at.clone()];
                    while let Some(back) = previous.get(hops.last().unwrap_or(&at)) {
                        if back == start {
                            break;
                        }
                        hops.push(back.clone());
                    }
                    hops.reverse();
                    let mut path = vec![start.to_owned()];
                    path.extend(hops);
                    path.push(start.to_owned());
                    return Some(path);
                }
                if !previous.contains_key(next) {
                    previous.insert(next.clone(), at.clone());
                    queue.push_back(next.clone());
                }
            }
        }
        None
    }
}

/// The files of one top-level module: `src/name.rs` and everything under `src/name/`.
fn files_of(src: &Path, module: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let file = src.join(format!("{module}.rs"));
    if file.is_file() {
        files.push(file);
    }
    let mut dirs = vec![src.join(module)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The source without comments, string and character literals, so that only code is read.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r' && matches!(next, Some('#') | Some('"')) && !ident_before(&chars, i) {
            // A raw string: r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|h| chars.get(j + 1 + h) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A character literal ('x', '\n', '\'') or a lifetime ('a), which has no closing
            // quote right after its first character.
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
                out.push_str("' '");
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// The first segment after every `crate::` (and `$crate::`), including each branch of a
/// `crate::{…}` use tree.
fn first_segments(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().last();
        let after = &rest[at + "crate::".len()..];
        rest = after;
        if before.is_some_and(|b| b.is_alphanumeric() || b == '_') {
            continue;
        }
        let after = after.trim_start();
        if let Some(group) = after.strip_prefix('{') {
            let mut depth = 1;
            let mut item_start = true;
            for (i, ch) in group.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => item_start = true,
                    c if item_start && depth == 1 && !c.is_whitespace() => {
                        item_start = false;
                        if let Some(name) = ident_at(&group[i..]) {
                            out.push(name);
                        }
                    }
                    _ => {}
                }
            }
        } else if let Some(name) = ident_at(after) {
            out.push(name);
        }
    }
    out
}

/// The identifier at the start of `s`, after blanks.
fn ident_at(s: &str) -> Option<String> {
    let s = s.trim_start();
    let name: String = s
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit())).then_some(name)
}

/// Whether code names an outside crate as a path root (`krate::…`, not `my_krate::…`).
fn uses_crate(code: &str, krate: &str) -> bool {
    let needle = format!("{krate}::");
    code.match_indices(&needle).any(|(at, _)| {
        !code[..at]
            .chars()
            .last()
            .is_some_and(|b| b.is_alphanumeric() || b == '_' || b == ':')
    })
}
