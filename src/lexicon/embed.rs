//! The part of the lexicon build.rs compiles, to build every built-in language's tables with
//! the crate's own code when the crate is built (so a run reads them instead of building them,
//! and a mistake in a built-in table fails the build). Not a module of the crate.

#[path = "categories.rs"]
mod categories;
#[path = "function_words.rs"]
mod function_words;
#[path = "language.rs"]
mod language;
#[path = "phrases.rs"]
mod phrases;

use std::collections::BTreeMap;

use anyhow::{Context, Result};

pub use categories::{CategoryEntry, CategoryName};
use language::{LangFile, Language};

/// What build.rs embeds of the built-in language files.
pub struct Built {
    /// The tables of each file, in the order given, as `Language::from_tables` reads them.
    pub tables: Vec<Vec<u8>>,
    /// The language detector's code of each, if any.
    pub whatlang: Vec<Option<String>>,
    /// The months of every file, as `Lexicon::path_months` has them (normalised words).
    pub path_months: Vec<(String, u32)>,
}

/// The tables of each built-in language file (code, JSON text), and what every run needs of
/// all of them.
pub fn tables(categories_json: &str, languages: &[(&str, &str)]) -> Result<Built> {
    let categories = serde_json::from_str::<categories::CategoriesFile>(categories_json)
        .context("data/categories.json")?
        .categories;
    let mut out = Built {
        tables: Vec::new(),
        whatlang: Vec::new(),
        path_months: Vec::new(),
    };
    for (index, (code, json)) in languages.iter().enumerate() {
        let built = serde_json::from_str::<LangFile>(json)
            .map_err(anyhow::Error::from)
            .and_then(|file| {
                out.whatlang.push(file.language.whatlang.clone());
                out.path_months.extend(language::lowered(&file.months));
                Language::build(
                    code,
                    &file,
                    &categories,
                    &BTreeMap::new(),
                    Default::default(),
                    Language::builtin_stamp(index),
                )
            })
            .with_context(|| format!("data/lang/{code}.json"))?;
        out.tables.push(built.to_tables()?);
    }
    Ok(out)
}
