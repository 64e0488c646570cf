//! Embeds every language table under data/lang/ (each `CODE.json`; the `CODE.examples.json`
//! beside it are tests, not tables), so that adding a language is adding a file, and builds
//! their tables with the crate's own code (src/lexicon/embed.rs), so that a run reads the built
//! tables instead of building them at start-up.

use std::fmt::Write as _;
use std::path::Path;

// The modules that build a language's tables, as the crate has them; only part of each is used.
#[allow(dead_code)]
#[path = "src/figure/qualifier.rs"]
mod qualifier;
mod figure {
    pub use super::qualifier::Qualifier;
}
#[allow(dead_code, unused_imports)]
#[path = "src/lexicon/embed.rs"]
mod lexicon;
#[allow(dead_code, unused_imports)]
#[path = "src/text.rs"]
mod text;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("data/lang");
    println!("cargo:rerun-if-changed={}", dir.display());
    for source in [
        "src/lexicon",
        "src/text.rs",
        "src/figure/qualifier.rs",
        "data/categories.json",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(source).display());
    }
    let mut codes: Vec<String> = std::fs::read_dir(&dir)
        .expect("data/lang/ is readable")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json") && !name.ends_with(".examples.json"))
        .map(|name| name.trim_end_matches(".json").to_string())
        .collect();
    codes.sort();
    let texts: Vec<String> = codes
        .iter()
        .map(|code| {
            let path = dir.join(format!("{code}.json"));
            println!("cargo:rerun-if-changed={}", path.display());
            std::fs::read_to_string(&path).expect("data/lang/CODE.json is readable")
        })
        .collect();
    let categories = std::fs::read_to_string(root.join("data/categories.json"))
        .expect("data/categories.json is readable");
    let files: Vec<(&str, &str)> = codes
        .iter()
        .map(String::as_str)
        .zip(texts.iter().map(String::as_str))
        .collect();
    let built = lexicon::tables(&categories, &files).unwrap_or_else(|e| panic!("{e:#}"));

    let out_dir = std::env::var("OUT_DIR").unwrap();
    let mut out = String::from("/// Every built-in language, in the order of their codes.\n");
    out.push_str("const BUILTIN_LANGUAGES: &[Builtin] = &[\n");
    for ((code, table), whatlang) in codes.iter().zip(&built.tables).zip(&built.whatlang) {
        let bin = Path::new(&out_dir).join(format!("{code}.tables"));
        std::fs::write(&bin, table).expect("OUT_DIR is writable");
        writeln!(
            out,
            "    Builtin {{ code: {code:?}, json: include_str!({:?}), tables: include_bytes!({:?}), whatlang: {whatlang:?} }},",
            dir.join(format!("{code}.json")).display().to_string(),
            bin.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    out.push_str("/// The months of every built-in language, for dates in file names.\n");
    out.push_str("const BUILTIN_PATH_MONTHS: &[(&str, u32)] = &[\n");
    for (month, number) in &built.path_months {
        writeln!(out, "    ({month:?}, {number}),").unwrap();
    }
    out.push_str("];\n");
    let target = Path::new(&out_dir).join("languages.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}
