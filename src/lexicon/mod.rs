//! The word tables: the categories (the same in every language, `data/categories.json`) and,
//! for each language, a file of its words (`data/lang/CODE.json`: category names, number words,
//! hedges, months, weekdays, claimants and cue phrases), embedded in the binary and loaded once.
//! A language is a data file: adding `data/lang/CODE.json` adds it, with no change to the code
//! (build.rs embeds every file there), and `--lang-file` adds one at run time.
//!
//! An article is read in one language, the one [`Lexicon::language_of`] finds for its text, so
//! that one language's words never fire in another's text.

mod language;
mod phrases;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

pub use language::Language;
pub use phrases::{one_typo, phrase_words, Phrases};

use crate::text::normalise_word;
use language::LangFile;

const CATEGORIES_JSON: &str = include_str!("../../data/categories.json");
include!(concat!(env!("OUT_DIR"), "/languages.rs"));

/// The language an article is read in when the detector cannot tell.
const FALLBACK_LANGUAGE: &str = "en";

/// How much of an article the language detector reads: enough for a sure answer.
const DETECT_BYTES: usize = 4096;

#[derive(Debug, Deserialize)]
struct CategoriesFile {
    categories: Vec<CategoryEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CategoryEntry {
    pub id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Until>,
    /// The names of the category, by language (and "user" for `--aliases`).
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
    /// The largest plausible count; a larger number next to the name is no loss figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
    /// Names that count only as a label before a number, never as a noun after one, by language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, Vec<String>>,
}

/// A name that means another category from a date on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Until {
    pub date: NaiveDate,
    pub then: String,
}

/// A category name as matched: the category it names, whether it switches on a date, and the
/// largest count it can plausibly have.
#[derive(Debug, Clone)]
pub struct CategoryName {
    pub id: String,
    pub until: Option<Until>,
    pub max: Option<u64>,
}

/// The categories and every language's tables.
pub struct Lexicon {
    /// Every category, with its names in every language (for `casrep categories`).
    pub categories: Vec<CategoryEntry>,
    languages: Vec<Language>,
    detector: Option<whatlang::Detector>,
}

/// Where the tables come from: the built-in files, plus what the user adds.
#[derive(Default)]
pub struct Sources<'a> {
    /// `--aliases FILE`: more names for the categories, in every language.
    pub aliases: Option<&'a Path>,
    /// `--lang-file FILE`: a language table of the user's, added or replacing the built-in one
    /// of the same code (the file's name without `.json`).
    pub languages: &'a [PathBuf],
}

impl Lexicon {
    /// The built-in tables plus a user's alias file, if any.
    pub fn load(user_aliases: Option<&Path>) -> Result<Lexicon> {
        Lexicon::load_from(&Sources {
            aliases: user_aliases,
            languages: &[],
        })
    }

    /// The built-in tables plus the user's aliases and language files.
    pub fn load_from(sources: &Sources) -> Result<Lexicon> {
        let mut files: Vec<(String, String)> = BUILTIN_LANGUAGES
            .iter()
            .map(|(code, json)| (code.to_string(), json.to_string()))
            .collect();
        for path in sources.languages {
            let code = language_code(path)?;
            let json = std::fs::read_to_string(path)
                .with_context(|| format!("{}: cannot read the language file", path.display()))?;
            files.retain(|(c, _)| *c != code);
            files.push((code, json));
        }
        let aliases = match sources.aliases {
            Some(path) => Some(
                std::fs::read_to_string(path)
                    .with_context(|| format!("{}: cannot read the alias file", path.display()))?,
            ),
            None => None,
        };
        Lexicon::from_texts(&files, aliases.as_deref()).map_err(|e| match sources.aliases {
            Some(path) if format!("{e:#}").contains("alias") => {
                e.context(path.display().to_string())
            }
            _ => e,
        })
    }

    /// The tables of the given language files (code, JSON text) and alias file text.
    pub fn from_texts(languages: &[(String, String)], aliases: Option<&str>) -> Result<Lexicon> {
        let file: CategoriesFile =
            serde_json::from_str(CATEGORIES_JSON).context("built-in data/categories.json")?;
        let mut categories = file.categories;
        let user = match aliases {
            Some(text) => add_user_aliases(&mut categories, text).context("the alias file")?,
            None => BTreeMap::new(),
        };
        let mut parsed = Vec::new();
        for (code, json) in languages {
            let lang: LangFile = serde_json::from_str(json)
                .with_context(|| format!("language table {code}.json"))?;
            parsed.push((code.clone(), lang));
        }
        let path_months: Arc<FxHashMap<String, u32>> = Arc::new(
            parsed
                .iter()
                .flat_map(|(_, l)| l.months_lowercase())
                .collect(),
        );
        for c in &mut categories {
            for (code, lang) in &parsed {
                if let Some(names) = lang.categories.get(&c.id) {
                    c.aliases.insert(code.clone(), names.clone());
                }
                if let Some(names) = lang.labels.get(&c.id) {
                    c.labels.insert(code.clone(), names.clone());
                }
            }
        }
        let mut built = Vec::new();
        for (code, lang) in &parsed {
            let l = Language::build(code, lang, &categories, &user, path_months.clone())
                .with_context(|| format!("language table {code}.json"))?;
            built.push(l);
        }
        let known: Vec<whatlang::Lang> = built
            .iter()
            .filter_map(|l| l.detector_code.as_deref())
            .filter_map(whatlang::Lang::from_code)
            .collect();
        let detector = (!known.is_empty()).then(|| whatlang::Detector::with_allowlist(known));
        Ok(Lexicon {
            categories,
            languages: built,
            detector,
        })
    }

    /// The built-in tables, loaded once.
    pub fn builtin() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| Lexicon::load(None).expect("built-in word tables are valid"))
    }

    /// Every language, in the order of their codes.
    pub fn languages(&self) -> &[Language] {
        &self.languages
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The language an article is written in, as the detector reads its beginning; English
    /// when it cannot tell (a list of numbers, a text too short).
    pub fn language_of(&self, text: &str) -> &Language {
        let mut end = text.len().min(DETECT_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let sample = &text[..end];
        let found = self
            .detector
            .as_ref()
            .and_then(|d| d.detect_lang(sample))
            .and_then(|lang| {
                self.languages
                    .iter()
                    .find(|l| l.detector_code.as_deref() == Some(lang.code()))
            });
        let fallback = self.language(FALLBACK_LANGUAGE);
        match (found, fallback) {
            // The detector guesses on short texts and lists of figures ("personnel ‒ 144440
            // (+790) persons"); a guess whose tables read fewer of the words than the fallback
            // language's is no better than the fallback.
            (Some(l), Some(f))
                if l.code != f.code && words_read(f, sample) > words_read(l, sample) =>
            {
                f
            }
            (Some(l), _) => l,
            (None, Some(f)) => f,
            (None, None) => &self.languages[0],
        }
    }

    /// Canonical order of the category ids: the table's order, user categories after.
    pub fn category_ids(&self) -> Vec<String> {
        self.categories.iter().map(|c| c.id.clone()).collect()
    }
}

/// How many words of `text` start a phrase of one of the language's tables.
fn words_read(lang: &Language, text: &str) -> usize {
    lang.tokenize(text)
        .tokens
        .iter()
        .filter(|t| t.kind == crate::text::TokKind::Word && t.starts != 0)
        .count()
}

/// The code of a language file: its name without `.json` ("nl.json" is "nl").
fn language_code(path: &Path) -> Result<String> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let code = name.strip_suffix(".json").unwrap_or_default();
    if code.is_empty()
        || !code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_')
    {
        bail!(
            "{}: a language file is named CODE.json, with a lowercase code such as nl.json",
            path.display()
        );
    }
    Ok(code.to_string())
}

/// A user's alias file: `{"tanks": ["armour", "heavy armour"], "new_id": ["widgets"]}`. Returns
/// the names by category id; a new id is added as a category. An entry that is not a list of
/// non-empty strings is refused with its name.
fn add_user_aliases(
    categories: &mut Vec<CategoryEntry>,
    text: &str,
) -> Result<BTreeMap<String, Vec<String>>> {
    let value: serde_json::Value = serde_json::from_str(text).context("not valid JSON")?;
    let obj = value
        .as_object()
        .context("expected a JSON object mapping category ids to lists of aliases")?;
    let mut user = BTreeMap::new();
    for (id, names) in obj {
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            bail!("entry {id:?}: a category id is lowercase letters, digits and '_'");
        }
        let list = names
            .as_array()
            .with_context(|| format!("entry {id:?}: expected a list of aliases"))?;
        let mut words = Vec::new();
        for n in list {
            let s = n
                .as_str()
                .with_context(|| format!("entry {id:?}: alias {n} is not a string"))?;
            if phrase_words(s).is_empty() {
                bail!("entry {id:?}: alias {s:?} has no words");
            }
            words.push(normalise_word(s).into_string());
        }
        match categories.iter_mut().find(|c| c.id == *id) {
            Some(c) => c
                .aliases
                .entry("user".into())
                .or_default()
                .extend(words.clone()),
            None => categories.push(CategoryEntry {
                id: id.clone(),
                label: id.clone(),
                until: None,
                max: None,
                aliases: BTreeMap::from([("user".to_string(), words.clone())]),
                labels: BTreeMap::new(),
            }),
        }
        user.insert(id.clone(), words);
    }
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn en() -> &'static Language {
        Lexicon::builtin().language("en").unwrap()
    }

    #[test]
    fn one_typo_is_tolerated_in_long_words() {
        assert!(one_typo("vehicels", "vehicles"));
        assert!(one_typo("cruize", "cruise"));
        assert!(one_typo("warefare", "warfare"));
        assert!(!one_typo("tasks", "tanks"));
        assert!(!one_typo("russian", "russians"));
        assert!(!one_typo("artilerry", "artillery"));
    }

    #[test]
    fn builtin_tables_load() {
        let lex = Lexicon::builtin();
        assert_eq!(lex.categories[0].id, "personnel");
        assert_eq!(lex.categories.len(), 17);
        assert!(lex.language("en").is_some() && lex.language("uk").is_some());
    }

    #[test]
    fn longest_alias_wins() {
        let t = tokenize("vehicles and fuel tanks");
        let (n, name) = en()
            .category_names
            .longest_at(&t.tokens, 0, t.tokens.len())
            .unwrap();
        assert_eq!((n, name.id.as_str()), (4, "vehicles"));
    }

    #[test]
    fn slash_and_ampersand_match_and() {
        for s in ["ships/boats", "ships & boats", "warships / boats"] {
            let t = tokenize(s);
            let (_, name) = en()
                .category_names
                .longest_at(&t.tokens, 0, t.tokens.len())
                .unwrap();
            assert_eq!(name.id, "ships", "{s}");
        }
    }

    #[test]
    fn user_aliases_extend_a_category() {
        let mut cats = Lexicon::builtin().categories.clone();
        add_user_aliases(&mut cats, r#"{"tanks": ["heavy armour"]}"#).unwrap();
        assert!(
            cats.iter().find(|c| c.id == "tanks").unwrap().aliases["user"]
                .contains(&"heavy armour".to_string())
        );
    }

    #[test]
    fn malformed_user_alias_entry_is_named() {
        let mut cats = Lexicon::builtin().categories.clone();
        let err = add_user_aliases(&mut cats, r#"{"tanks": "armour"}"#).unwrap_err();
        assert!(format!("{err:#}").contains("\"tanks\""));
        let err = add_user_aliases(&mut cats, r#"{"Bad Id": ["x"]}"#).unwrap_err();
        assert!(format!("{err:#}").contains("Bad Id"));
    }

    /// A small language table with endings, as a user would write one.
    fn with_dutch() -> Lexicon {
        let mut files: Vec<(String, String)> = BUILTIN_LANGUAGES
            .iter()
            .map(|(c, j)| (c.to_string(), j.to_string()))
            .collect();
        files.push((
            "nl".to_string(),
            r#"{"language": {"name": "Dutch", "whatlang": "nld"},
                "endings": {"n": ["", "s", "en"]},
                "categories": {"tanks": ["tank{n}"], "personnel": ["soldat{en|}"]}}"#
                .to_string(),
        ));
        Lexicon::from_texts(&files, None).unwrap()
    }

    #[test]
    fn endings_give_every_form_of_a_name() {
        let lex = with_dutch();
        let nl = lex.language("nl").unwrap();
        for s in ["tank", "tanks", "tanken", "soldaten", "soldat"] {
            let t = nl.tokenize(s);
            assert!(
                nl.category_names.longest_at(&t.tokens, 0, 1).is_some(),
                "{s}"
            );
        }
        let t = nl.tokenize("tankx");
        assert!(nl.category_names.longest_at(&t.tokens, 0, 1).is_none());
    }

    #[test]
    fn an_article_is_read_in_its_own_language() {
        let lex = with_dutch();
        let nl = "Volgens de Oekraïense generale staf heeft het Russische leger sinds het begin \
                  van de oorlog meer dan elfduizend tanks en een groot aantal soldaten verloren.";
        assert_eq!(lex.language_of(nl).code, "nl");
        let en = "According to the General Staff, Russia has lost more than eleven thousand tanks \
                  since the start of the war.";
        assert_eq!(lex.language_of(en).code, "en");
        assert_eq!(lex.language_of("12 345 (+6)").code, "en");
    }

    #[test]
    fn a_guess_that_reads_fewer_words_than_english_is_english() {
        // Lists of figures in English that the detector takes for French or Spanish.
        let lex = Lexicon::builtin();
        for s in [
            "personnel ‒ about 144440 (+790) persons were liquidated, tanks ‒ 3325 (+9)",
            "russian army losses: bbm-21,400 (+40) , uav-75054 , APC/IFV-1976(+ 8)",
        ] {
            assert_eq!(lex.language_of(s).code, "en", "{s}");
        }
        let fr = "Selon l'état-major, la Russie a perdu 1 485 chars et 3 120 véhicules blindés.";
        assert_eq!(lex.language_of(fr).code, "fr");
    }

    #[test]
    fn an_unknown_ending_class_is_named() {
        let files = vec![(
            "xx".to_string(),
            r#"{"categories": {"tanks": ["tank{zz}"]}}"#.to_string(),
        )];
        let err = Lexicon::from_texts(&files, None).err().unwrap();
        assert!(format!("{err:#}").contains("zz"), "{err:#}");
    }
}
