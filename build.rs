//! Embeds every language table under data/lang/ (each `CODE.json`; the `CODE.examples.json`
//! beside it are tests, not tables), so that adding a language is adding a file.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/lang");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut codes: Vec<String> = std::fs::read_dir(&dir)
        .expect("data/lang/ is readable")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json") && !name.ends_with(".examples.json"))
        .map(|name| name.trim_end_matches(".json").to_string())
        .collect();
    codes.sort();
    let mut out =
        String::from("/// Every built-in language: (code, the text of data/lang/CODE.json).\n");
    out.push_str("pub(super) const BUILTIN_LANGUAGES: &[(&str, &str)] = &[\n");
    for code in &codes {
        let path = dir.join(format!("{code}.json"));
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            out,
            "    ({code:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").unwrap()).join("languages.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}
