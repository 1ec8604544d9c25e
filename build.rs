//! Generates the `i18n` module (Japanese default, English) from `src/locales/*.json`.
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out_dir = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set by cargo")?;
    let cfg = Config::new("ja")?
        .add_locale("en")?
        .locales_path("src/locales")
        // Lets `t_string!` interpolate values into plain strings (titles, attributes).
        .parse_options(ParseOptions::new().interpolate_display(true));
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(PathBuf::from(out_dir).join("i18n"))?;
    Ok(())
}
