//! The word tables: the categories (the same in every language, `data/categories.json`) and,
//! for each language, a file of its words (`data/lang/CODE.json`: category names, number words,
//! hedges, months, weekdays, claimants and cue phrases), embedded in the binary and loaded once.
//! A language is a data file: adding `data/lang/CODE.json` adds it, with no change to the code
//! (build.rs embeds every file there), and `--lang-file` adds one at run time.
//!
//! An article is read in one language, the one [`Lexicon::language_of`] finds for its text, so
//! that one language's words never fire in another's text.

mod categories;
mod function_words;
mod language;
mod phrases;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anyhow::{bail, Context, Result};
use rustc_hash::FxHashMap;
use serde::Deserialize;

use categories::CategoriesFile;
pub use categories::{CategoryEntry, CategoryName, Until};
pub use function_words::FunctionWords;
pub use language::Language;
pub use phrases::{one_typo, phrase_words, Phrases, Words};

use crate::text::normalise_word;
use language::{lowered, LangFile};

const CATEGORIES_JSON: &str = include_str!("../../data/categories.json");
include!(concat!(env!("OUT_DIR"), "/languages.rs"));

/// The language an article is read in when the detector cannot tell.
const FALLBACK_LANGUAGE: &str = "en";

/// How much of an article the language detector reads: a first sample that gives most articles
/// a sure answer, and a longer one for those it leaves unsure (a page that opens with menus, a
/// list of figures, two languages). The detector's cost grows with the sample, and it used to be
/// a third of the time of reading a plain article.
const DETECT_BYTES: [usize; 2] = [1024, 4096];

/// The categories and every language's tables.
///
/// Of the built-in tables, a language's are read (those build.rs built) the first time an
/// article asks for them (an English article never reads the other ten), so a one-article run
/// pays for the tables it reads; what every run needs of all languages (the months of file
/// names, the detector's languages) build.rs wrote as constants, and the category names of
/// `casrep categories` are read from the files' outlines when first asked for. With a user's
/// table, every table is built at load.
pub struct Lexicon {
    /// Every category, with its names in every language: see `categories`.
    categories: OnceLock<Vec<CategoryEntry>>,
    /// Every language, in the order of their codes.
    languages: Vec<LazyLanguage>,
    detector: Option<whatlang::Detector>,
    /// The user's aliases by category id, which every language reads.
    user: BTreeMap<String, Vec<String>>,
    path_months: Arc<FxHashMap<String, u32>>,
}

/// One language and its tables, once built or read.
struct LazyLanguage {
    code: String,
    detector_code: Option<String>,
    /// The tables build.rs built of a built-in file, for a language built on first use.
    tables: Option<&'static [u8]>,
    built: OnceLock<Language>,
}

/// What the lexicon needs of a language file before its tables are built: the rest of the
/// file is skipped unread.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Outline {
    language: OutlineInfo,
    categories: BTreeMap<String, Vec<String>>,
    labels: BTreeMap<String, Vec<String>>,
    months: BTreeMap<String, u32>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OutlineInfo {
    whatlang: Option<String>,
}

impl Outline {
    fn of(file: &LangFile) -> Outline {
        Outline {
            language: OutlineInfo {
                whatlang: file.language.whatlang.clone(),
            },
            categories: file.categories.clone(),
            labels: file.labels.clone(),
            months: file.months.clone(),
        }
    }
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

    /// The built-in tables plus the user's aliases and language files. The built-in tables
    /// alone are built lazily, language by language (they are checked by the tests); with a
    /// user's file every table is built here, so that a mistake in it is reported at once.
    pub fn load_from(sources: &Sources) -> Result<Lexicon> {
        if sources.aliases.is_none() && sources.languages.is_empty() {
            return Ok(Lexicon::builtin_lazy());
        }
        let mut files = builtin_files();
        for path in sources.languages {
            let code = language_code(path)?;
            let json = read_table(path, "language file")?;
            files.retain(|(c, _)| *c != code);
            files.push((code, json));
        }
        let aliases = match sources.aliases {
            Some(path) => Some(read_table(path, "alias file")?),
            None => None,
        };
        Lexicon::from_texts(&files, aliases.as_deref()).map_err(|e| match sources.aliases {
            Some(path) if format!("{e:#}").contains("alias") => {
                e.context(path.display().to_string())
            }
            _ => e,
        })
    }

    /// The tables of the given language files (code, JSON text) and alias file text, every
    /// one built (and so checked) at once.
    pub fn from_texts(languages: &[(String, String)], aliases: Option<&str>) -> Result<Lexicon> {
        Lexicon::assemble(languages, aliases)
    }

    /// The built-in tables: each language's read on first use from the tables build.rs built
    /// of it, and what every run needs of all languages (the detector's codes, the months of file
    /// names) from what build.rs read of their files; no file is parsed at start-up.
    fn builtin_lazy() -> Lexicon {
        let languages = BUILTIN_LANGUAGES
            .iter()
            .map(|b| LazyLanguage {
                code: b.code.to_string(),
                detector_code: b.whatlang.map(str::to_string),
                tables: Some(b.tables),
                built: OnceLock::new(),
            })
            .collect();
        let path_months = BUILTIN_PATH_MONTHS
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect();
        Lexicon::of_languages(languages, OnceLock::new(), BTreeMap::new(), path_months)
    }

    /// The lexicon of the given files, every language's tables built now (and their errors
    /// returned).
    fn assemble(languages: &[(String, String)], aliases: Option<&str>) -> Result<Lexicon> {
        let mut categories = base_categories()?;
        let user = match aliases {
            Some(text) => {
                let user = add_user_aliases(&mut categories, text).context("the alias file")?;
                check_user_aliases(languages, &user).context("the alias file")?;
                user
            }
            None => BTreeMap::new(),
        };
        let mut parsed: Vec<LangFile> = Vec::new();
        for (code, json) in languages {
            let lang: LangFile = serde_json::from_str(json)
                .with_context(|| format!("language table {code}.json"))?;
            parsed.push(lang);
        }
        let outlines: Vec<Outline> = parsed.iter().map(Outline::of).collect();
        let path_months = outlines.iter().flat_map(|o| lowered(&o.months)).collect();
        name_categories(&mut categories, languages, &outlines);
        let lazy = languages
            .iter()
            .zip(&outlines)
            .map(|((code, _), outline)| LazyLanguage {
                code: code.clone(),
                detector_code: outline.language.whatlang.clone(),
                tables: None,
                built: OnceLock::new(),
            })
            .collect();
        let lexicon = Lexicon::of_languages(lazy, OnceLock::from(categories), user, path_months);
        for (lang, file) in lexicon.languages.iter().zip(&parsed) {
            let built = lexicon
                .build(&lang.code, file)
                .with_context(|| format!("language table {}.json", lang.code))?;
            let _ = lang.built.set(built);
        }
        Ok(lexicon)
    }

    fn of_languages(
        languages: Vec<LazyLanguage>,
        categories: OnceLock<Vec<CategoryEntry>>,
        user: BTreeMap<String, Vec<String>>,
        path_months: FxHashMap<String, u32>,
    ) -> Lexicon {
        let known: Vec<whatlang::Lang> = languages
            .iter()
            .filter_map(|l| l.detector_code.as_deref())
            .filter_map(whatlang::Lang::from_code)
            .collect();
        let detector = (!known.is_empty()).then(|| whatlang::Detector::with_allowlist(known));
        Lexicon {
            categories,
            languages,
            detector,
            user,
            path_months: Arc::new(path_months),
        }
    }

    /// Every category, with its names in every language (for `casrep categories`); of the
    /// built-in tables, read from their files when first asked for.
    pub fn categories(&self) -> &[CategoryEntry] {
        self.categories.get_or_init(|| {
            let files = builtin_files();
            let mut categories = base_categories().expect("data/categories.json is valid");
            let outlines: Vec<Outline> = files
                .iter()
                .map(|(code, json)| {
                    serde_json::from_str(json)
                        .unwrap_or_else(|e| panic!("built-in language table {code}.json: {e}"))
                })
                .collect();
            name_categories(&mut categories, &files, &outlines);
            categories
        })
    }

    fn build(&self, code: &str, file: &LangFile) -> Result<Language> {
        Language::build(
            code,
            file,
            self.categories(),
            &self.user,
            self.path_months.clone(),
            Language::runtime_stamp(),
        )
    }

    /// The tables of one language, read on first use from those build.rs built (a lexicon
    /// built lazily has the built-in files alone, and their tables are built at once otherwise).
    fn built<'a>(&'a self, lang: &'a LazyLanguage) -> &'a Language {
        lang.built.get_or_init(|| {
            let tables = lang
                .tables
                .unwrap_or_else(|| panic!("{}: no embedded tables", lang.code));
            Language::from_tables(tables, self.path_months.clone())
                .unwrap_or_else(|e| panic!("built-in language table {}.json: {e:#}", lang.code))
        })
    }

    /// The built-in tables, loaded once.
    pub fn builtin() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| Lexicon::load(None).expect("built-in word tables are valid"))
    }

    /// Every language, in the order of their codes (all of them built).
    pub fn languages(&self) -> Vec<&Language> {
        self.languages.iter().map(|l| self.built(l)).collect()
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        let lang = self.languages.iter().find(|l| l.code == code)?;
        Some(self.built(lang))
    }

    /// The language an article is written in, as the detector reads its beginning; English
    /// when it cannot tell (a list of numbers, a text too short).
    pub fn language_of(&self, text: &str) -> &Language {
        let (sample, detected) = self.detect(text);
        let found = detected
            .and_then(|lang| {
                self.languages
                    .iter()
                    .find(|l| l.detector_code.as_deref() == Some(lang.code()))
            })
            .map(|l| self.built(l));
        let fallback = self.language(FALLBACK_LANGUAGE);
        match (found, fallback) {
            // The detector guesses on short texts and lists of figures ("personnel ‒ 144440
            // (+790) persons"); a guess whose tables read fewer of the words than the fallback
            // language's is no better than the fallback.
            (Some(l), Some(f))
                if l.code != f.code && {
                    // One tokenization, marked by each language in turn.
                    let mut tokens = crate::text::tokenize(sample).tokens;
                    words_read(f, &mut tokens) > words_read(l, &mut tokens)
                } =>
            {
                f
            }
            (Some(l), _) => l,
            (None, Some(f)) => f,
            (None, None) => self.built(&self.languages[0]),
        }
    }

    /// The detector's language for the beginning of `text`, with the sample it was read from: the
    /// first sample whose answer the detector deems reliable, or the longest.
    fn detect<'t>(&self, text: &'t str) -> (&'t str, Option<whatlang::Lang>) {
        let mut sample = "";
        let mut lang = None;
        for bytes in DETECT_BYTES {
            sample = prefix(text, bytes);
            let info = self.detector.as_ref().and_then(|d| d.detect(sample));
            lang = info.as_ref().map(|i| i.lang());
            if sample.len() == text.len() || info.is_some_and(|i| i.is_reliable()) {
                break;
            }
        }
        (sample, lang)
    }

    /// Canonical order of the category ids: the table's order, user categories after.
    pub fn category_ids(&self) -> Vec<String> {
        self.categories().iter().map(|c| c.id.clone()).collect()
    }
}

/// The longest beginning of `text` of at most `bytes` bytes that ends on a character boundary.
fn prefix(text: &str, bytes: usize) -> &str {
    let mut end = text.len().min(bytes);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// How many words of `text` start a phrase of one of the language's tables.
fn words_read(lang: &Language, tokens: &mut [crate::text::Token]) -> usize {
    lang.mark(tokens);
    tokens
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

impl Lexicon {
    /// The built-in tables plus the aliases of an alias file's text (for the fuzz target of the
    /// alias loader, which has no file).
    pub fn with_aliases(text: &str) -> Result<Lexicon> {
        Lexicon::from_texts(&builtin_files(), Some(text))
    }
}

/// The text of a user's table, or what kept it from being read: "a.json: cannot read the alias
/// file: no such file or directory".
fn read_table(path: &Path, what: &str) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        anyhow::anyhow!(
            "{}: cannot read the {what}: {}",
            path.display(),
            crate::messages::describe_io(&e)
        )
    })
}

/// What build.rs embeds of a built-in language file.
struct Builtin {
    code: &'static str,
    /// The file's text.
    json: &'static str,
    /// Its tables, built (`Language::from_tables`).
    tables: &'static [u8],
    /// The language detector's code of it, if any.
    whatlang: Option<&'static str>,
}

/// The categories of data/categories.json, without their names in any language.
fn base_categories() -> Result<Vec<CategoryEntry>> {
    let file: CategoriesFile =
        serde_json::from_str(CATEGORIES_JSON).context("built-in data/categories.json")?;
    Ok(file.categories)
}

/// Gives each category its names and labels in each language, from the languages' outlines.
fn name_categories(
    categories: &mut [CategoryEntry],
    languages: &[(String, String)],
    outlines: &[Outline],
) {
    for c in categories {
        for ((code, _), outline) in languages.iter().zip(outlines) {
            if let Some(names) = outline.categories.get(&c.id) {
                c.aliases.insert(code.clone(), names.clone());
            }
            if let Some(names) = outline.labels.get(&c.id) {
                c.labels.insert(code.clone(), names.clone());
            }
        }
    }
}

/// Every built-in language file: (code, JSON text).
fn builtin_files() -> Vec<(String, String)> {
    BUILTIN_LANGUAGES
        .iter()
        .map(|b| (b.code.to_string(), b.json.to_string()))
        .collect()
}

/// A user's alias file: `{"tanks": ["armour", "heavy armour"], "new_id": ["widgets"]}`. Returns
/// the names by category id; a new id is added as a category. An entry that is not a list of
/// non-empty strings, an id given twice, and an alias given to two ids are refused, naming the
/// entry. Linear in the size of the file.
fn add_user_aliases(
    categories: &mut Vec<CategoryEntry>,
    text: &str,
) -> Result<BTreeMap<String, Vec<String>>> {
    let entries: UserEntries = serde_json::from_str(text).context("not valid JSON")?;
    let mut index: FxHashMap<String, usize> = categories
        .iter()
        .enumerate()
        .map(|(k, c)| (c.id.clone(), k))
        .collect();
    let mut user = BTreeMap::new();
    let mut owner: FxHashMap<Vec<String>, String> = FxHashMap::default();
    for (id, names) in entries.0 {
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            bail!("entry {id:?}: a category id is lowercase letters, digits and '_'");
        }
        if user.contains_key(&id) {
            bail!("entry {id:?} is given twice; put all its aliases in one list");
        }
        let list = names
            .as_array()
            .with_context(|| format!("entry {id:?}: expected a list of aliases"))?;
        let mut words = Vec::new();
        for n in list {
            let s = n
                .as_str()
                .with_context(|| format!("entry {id:?}: alias {n} is not a string"))?;
            let phrase = phrase_words(s);
            check_alias_shape(&id, s, &phrase)?;
            if let Some(other) = owner.insert(phrase, id.clone()).filter(|o| *o != id) {
                bail!("entry {id:?}: alias {s:?} is also given to {other:?}; give it to one");
            }
            words.push(normalise_word(s).into_string());
        }
        match index.get(&id) {
            Some(&k) => categories[k]
                .aliases
                .entry("user".into())
                .or_default()
                .extend(words.clone()),
            None => {
                index.insert(id.clone(), categories.len());
                categories.push(CategoryEntry {
                    id: id.clone(),
                    label: id.clone(),
                    until: None,
                    max: None,
                    aliases: BTreeMap::from([("user".to_string(), words.clone())]),
                    labels: BTreeMap::new(),
                    max_daily: None,
                    floors: Vec::new(),
                });
            }
        }
        user.insert(id, words);
    }
    Ok(user)
}

/// The entries of an alias file in the order written, duplicates kept (a map would keep only
/// the last of two entries with one id, without a word).
struct UserEntries(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for UserEntries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = UserEntries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object mapping category ids to lists of aliases")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<UserEntries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(UserEntries(entries))
            }
        }
        d.deserialize_map(Visit)
    }
}

/// The shortest alias of one word: a shorter one would match ordinary words of the text ("5 a
/// day", "3 of them").
const MIN_ALIAS_LETTERS: usize = 3;

/// Refuses an alias that names nothing, or only one short word.
fn check_alias_shape(id: &str, alias: &str, words: &[String]) -> Result<()> {
    if words.is_empty() {
        bail!("entry {id:?}: alias {alias:?} has no words");
    }
    let letters = |w: &String| w.chars().filter(|c| c.is_alphabetic()).count();
    if words.iter().all(|w| letters(w) == 0) {
        bail!("entry {id:?}: alias {alias:?} has no letters; an alias is a name, such as \"heavy armour\"");
    }
    if let [word] = words {
        if word.chars().count() < MIN_ALIAS_LETTERS {
            bail!(
                "entry {id:?}: alias {alias:?} is too short: a single word of fewer than \
                 {MIN_ALIAS_LETTERS} characters would match ordinary text; give a longer name \
                 (\"{alias} systems\")"
            );
        }
    }
    Ok(())
}

/// Refuses user aliases that would change silently what the built-in tables read: a name that
/// another category already has (the alias would move it), and words the tables read as part of
/// a number or a hedge ("one", "k", "about"), which would make every "5 about ..." a figure.
/// Checked against the tables built without the aliases, in every language.
fn check_user_aliases(
    languages: &[(String, String)],
    user: &BTreeMap<String, Vec<String>>,
) -> Result<()> {
    if user.is_empty() {
        return Ok(());
    }
    let plain = Lexicon::from_texts(languages, None)?;
    for (id, names) in user {
        for name in names {
            let tokens = crate::text::tokenize(name).tokens;
            let n = tokens.len();
            let whole = |found: Option<usize>| found == Some(n);
            for lang in plain.languages() {
                if let Some((len, other)) = lang.category_names.longest_at(&tokens, 0, n) {
                    if len == n && other.id != *id {
                        bail!(
                            "entry {id:?}: alias {name:?} is already a name of {:?} (in the {} \
                             tables); an alias cannot move a name to another category",
                            other.id,
                            lang.name
                        );
                    }
                }
                let number = whole(lang.number_words.longest_at(&tokens, 0, n).map(|m| m.0))
                    || (n == 1 && lang.multipliers.contains_key(tokens[0].norm.as_str()));
                let hedge = whole(lang.qualifiers.longest_at(&tokens, 0, n).map(|m| m.0));
                if number || hedge {
                    bail!(
                        "entry {id:?}: alias {name:?} is a word the {} tables read as part of \
                         {}; it cannot be a name",
                        lang.name,
                        if number {
                            "a number"
                        } else {
                            "a hedge (\"about\", \"over\")"
                        }
                    );
                }
            }
        }
    }
    Ok(())
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
        assert_eq!(lex.categories()[0].id, "personnel");
        assert_eq!(lex.categories().len(), 17);
        assert!(lex.language("en").is_some() && lex.language("uk").is_some());
    }

    #[test]
    fn every_builtin_table_builds_and_lazy_tables_equal_eager_ones() {
        // The built-in lexicon builds a language when it is first asked for: every file must
        // build, and give the same outline-derived tables as a lexicon built at once.
        let lazy = Lexicon::load(None).unwrap();
        assert!(lazy.languages.iter().all(|l| l.built.get().is_none()));
        let eager = Lexicon::from_texts(&builtin_files(), None).unwrap();
        let codes = |lex: &Lexicon| -> Vec<String> {
            lex.languages().iter().map(|l| l.code.clone()).collect()
        };
        assert_eq!(codes(&lazy), codes(&eager));
        assert_eq!(lazy.path_months, eager.path_months);
        assert_eq!(
            serde_json::to_string(lazy.categories()).unwrap(),
            serde_json::to_string(eager.categories()).unwrap()
        );
        for (a, b) in lazy.languages().iter().zip(eager.languages()) {
            assert_eq!(a.detector_code, b.detector_code);
            assert_eq!(a.months, b.months);
        }
    }

    #[test]
    fn embedded_tables_are_the_files_tables() {
        // build.rs builds each built-in language's tables with the code below; built here again
        // from the files, they must give the same bytes (a stale or differently built embedding
        // would read other tables than the files say).
        let categories = base_categories().unwrap();
        for (index, b) in BUILTIN_LANGUAGES.iter().enumerate() {
            let file: LangFile = serde_json::from_str(b.json).unwrap();
            let stamp = Language::builtin_stamp(index);
            let built = Language::build(
                b.code,
                &file,
                &categories,
                &BTreeMap::new(),
                Arc::default(),
                stamp,
            )
            .unwrap();
            // (Compared as bytes, not printed: a table is hundreds of kilobytes.)
            assert!(built.to_tables().unwrap() == b.tables, "{}", b.code);
        }
    }

    #[test]
    fn every_language_reads_its_own_update_stamp() {
        // One label of each language's `update_labels`, as a page's stamp writes it.
        let stamps = [
            ("en", "Last updated: 03.05.2024"),
            ("uk", "Оновлено: 03.05.2024"),
            ("ru", "Обновлено: 03.05.2024"),
            ("de", "Zuletzt aktualisiert: 03.05.2024"),
            ("fr", "Mis à jour le 03.05.2024"),
            ("it", "Aggiornato il 03.05.2024"),
            ("es", "Actualizado el 03.05.2024"),
            ("pl", "Zaktualizowano: 03.05.2024"),
            ("pt", "Atualizado em 03.05.2024"),
            ("tr", "Güncellendi: 03.05.2024"),
            ("cs", "Aktualizováno: 03.05.2024"),
        ];
        let lex = Lexicon::builtin();
        let codes: Vec<&str> = lex.languages().iter().map(|l| l.code.as_str()).collect();
        let mut stamped: Vec<&str> = stamps.iter().map(|s| s.0).collect();
        stamped.sort_unstable();
        let mut all = codes.clone();
        all.sort_unstable();
        assert_eq!(stamped, all, "a stamp for every language");
        for (code, stamp) in stamps {
            let lang = lex.language(code).unwrap();
            let t = lang.tokenize(stamp);
            let date = t
                .tokens
                .iter()
                .position(|t| t.norm == "03.05.2024")
                .unwrap();
            let labelled = lang
                .update_labels
                .longest_ending_at(&t.tokens, 0, date)
                .or_else(|| lang.update_labels.longest_ending_at(&t.tokens, 0, date - 1));
            assert!(labelled.is_some(), "{code}: {stamp}");
        }
    }

    #[test]
    fn an_english_article_builds_only_the_english_tables() {
        let lex = Lexicon::load(None).unwrap();
        let text = "Russia has lost 3,350 tanks since the invasion began, the General Staff said.";
        assert_eq!(lex.language_of(text).code, "en");
        let built: Vec<&str> = lex
            .languages
            .iter()
            .filter(|l| l.built.get().is_some())
            .map(|l| l.code.as_str())
            .collect();
        assert_eq!(built, ["en"]);
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
        let mut cats = Lexicon::builtin().categories().to_vec();
        add_user_aliases(&mut cats, r#"{"tanks": ["heavy armour"]}"#).unwrap();
        assert!(
            cats.iter().find(|c| c.id == "tanks").unwrap().aliases["user"]
                .contains(&"heavy armour".to_string())
        );
    }

    #[test]
    fn no_builtin_language_lists_a_name_twice() {
        // `casrep categories` prints each language's names as the file lists them.
        for Builtin { code, json, .. } in BUILTIN_LANGUAGES {
            let file: LangFile = serde_json::from_str(json).unwrap();
            for (id, names) in file.categories.iter().chain(&file.weak_names) {
                let mut seen = std::collections::BTreeSet::new();
                for name in names {
                    assert!(seen.insert(name), "{code}.json: {id} lists {name:?} twice");
                }
            }
        }
    }

    fn alias_error(aliases: &str) -> String {
        let languages = builtin_files();
        match Lexicon::from_texts(&languages, Some(aliases)) {
            Ok(_) => String::new(),
            Err(e) => format!("{e:#}"),
        }
    }

    #[test]
    fn an_alias_cannot_move_a_builtin_name_to_another_category() {
        let err = alias_error(r#"{"personnel": ["tanks"]}"#);
        assert!(
            err.contains("entry \"personnel\": alias \"tanks\" is already a name of \"tanks\""),
            "{err}"
        );
        // Ukrainian names are names too; the same name for its own category is fine.
        let err = alias_error(r#"{"afv": ["танків"]}"#);
        assert!(err.contains("is already a name of \"tanks\""), "{err}");
        assert_eq!(alias_error(r#"{"tanks": ["tanks", "heavy armour"]}"#), "");
    }

    #[test]
    fn an_alias_that_would_read_ordinary_words_is_refused() {
        let err = alias_error(r#"{"tanks": ["a"]}"#);
        assert!(
            err.contains("entry \"tanks\": alias \"a\" is too short"),
            "{err}"
        );
        let err = alias_error(r#"{"widgets": ["about"]}"#);
        assert!(
            err.contains("alias \"about\" is a word the English tables read as part of a hedge"),
            "{err}"
        );
        let err = alias_error(r#"{"widgets": ["thousand"]}"#);
        assert!(err.contains("read as part of a number"), "{err}");
        let err = alias_error(r#"{"widgets": ["123"]}"#);
        assert!(err.contains("has no letters"), "{err}");
        assert_eq!(alias_error(r#"{"ew": ["ew systems", "jammers"]}"#), "");
    }

    #[test]
    fn an_entry_given_twice_or_an_alias_given_to_two_ids_is_refused() {
        let err = alias_error(r#"{"tanks": ["heavy armour"], "tanks": ["battle wagons"]}"#);
        assert!(err.contains("entry \"tanks\" is given twice"), "{err}");
        let err = alias_error(r#"{"tanks": ["heavy armour"], "afv": ["Heavy  Armour"]}"#);
        assert!(
            err.contains("entry \"afv\": alias \"Heavy  Armour\" is also given to \"tanks\""),
            "{err}"
        );
    }

    /// An alias file of `n` entries in one of the two shapes that once made loading quadratic:
    /// new categories with a name each, or many names of one category sharing their first words.
    fn alias_file(n: usize, new_ids: bool) -> String {
        let file: serde_json::Map<String, serde_json::Value> = if new_ids {
            (0..n)
                .map(|k| {
                    (
                        format!("widget_{k}"),
                        serde_json::json!([format!("gizmo{k} units")]),
                    )
                })
                .collect()
        } else {
            let names: Vec<String> = (0..n).map(|k| format!("heavy armour {k}")).collect();
            [("tanks".to_owned(), serde_json::json!(names))]
                .into_iter()
                .collect()
        };
        serde_json::to_string(&file).unwrap()
    }

    /// The best of two times to load `aliases` with every built-in language.
    fn load_time(aliases: &str) -> std::time::Duration {
        (0..2)
            .map(|_| {
                let start = std::time::Instant::now();
                Lexicon::from_texts(&builtin_files(), Some(aliases)).unwrap();
                start.elapsed()
            })
            .min()
            .unwrap()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3))]

        /// Eight times the aliases take at most eight times as long to load (about six, with
        /// the tables every load builds), never the 64 times of a search per alias among the
        /// others (16,000 new categories took 8 s that way). Timed, so release builds only (as
        /// CI runs the tests), with a margin for a busy machine.
        #[test]
        #[cfg_attr(debug_assertions, ignore = "timed: release builds only")]
        fn loading_aliases_grows_linearly_with_their_number(n in 2000usize..3000, new_ids: bool) {
            let small = load_time(&alias_file(n, new_ids));
            let large = load_time(&alias_file(8 * n, new_ids));
            proptest::prop_assert!(
                large < small * 16,
                "{n} aliases in {small:?}, {} in {large:?}",
                8 * n
            );
        }
    }

    #[test]
    fn many_aliases_load_and_each_one_is_read() {
        // Thousands of new categories and thousands of names sharing a first word: loading was
        // quadratic in both (a search per category, per name and per typo word).
        let n = 3000;
        let mut file = serde_json::Map::new();
        for k in 0..n {
            file.insert(
                format!("widget_{k}"),
                serde_json::json!([format!("gizmo{k} units")]),
            );
        }
        let shared: Vec<String> = (0..n).map(|k| format!("heavy armour {k}")).collect();
        file.insert("tanks".into(), serde_json::json!(shared));
        let text = serde_json::to_string(&file).unwrap();
        let languages = builtin_files();
        let lex = Lexicon::from_texts(&languages, Some(&text)).unwrap();
        assert_eq!(
            lex.categories().len(),
            Lexicon::builtin().categories().len() + n
        );
        let en = lex.language("en").unwrap();
        for k in [0, n / 2, n - 1] {
            let t = tokenize(&format!("gizmo{k} units and heavy armour {k}"));
            let (len, name) = en
                .category_names
                .longest_at(&t.tokens, 0, t.tokens.len())
                .unwrap();
            assert_eq!((len, name.id.as_str()), (2, format!("widget_{k}").as_str()));
            let (len, name) = en
                .category_names
                .longest_at(&t.tokens, 3, t.tokens.len())
                .unwrap();
            assert_eq!((len, name.id.as_str()), (3, "tanks"));
        }
    }

    #[test]
    fn malformed_user_alias_entry_is_named() {
        let mut cats = Lexicon::builtin().categories().to_vec();
        let err = add_user_aliases(&mut cats, r#"{"tanks": "armour"}"#).unwrap_err();
        assert!(format!("{err:#}").contains("\"tanks\""));
        let err = add_user_aliases(&mut cats, r#"{"Bad Id": ["x"]}"#).unwrap_err();
        assert!(format!("{err:#}").contains("Bad Id"));
    }

    /// A small language table with endings, as a user would write one.
    fn with_dutch() -> Lexicon {
        let mut files = builtin_files();
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
    fn a_beginning_the_detector_is_unsure_of_is_read_further() {
        // A page that opens with a kilobyte of figures and menus before its prose.
        let lex = Lexicon::builtin();
        let menu = "12 345 (+6) | 7 890 (+12) | 2024 | 1 | 2 | 3 | ".repeat(30);
        assert!(menu.len() > DETECT_BYTES[0]);
        let uk = "Генеральний штаб повідомив, що за минулу добу російська армія втратила ще \
                  дванадцять танків і близько тисячі військових.";
        assert_eq!(lex.language_of(&format!("{menu}\n{uk}")).code, "uk");
        let de = "Der ukrainische Generalstab teilte mit, die russische Armee habe am Vortag \
                  zwölf Panzer und rund tausend Soldaten verloren.";
        assert_eq!(lex.language_of(&format!("{menu}\n{de}")).code, "de");
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

    #[test]
    fn english_one_word_cues_are_read_from_its_table() {
        let en = en();
        let word = |table: &Words, w: &str| table.contains(w);
        assert!(word(&en.comparison_words, "than") && word(&en.comparison_words, "previous"));
        assert!(word(&en.change_markers, "from") && word(&en.change_markers, "to"));
        assert!(word(&en.report_nouns, "statistics"));
        assert!(word(&en.total_nouns, "tally") && word(&en.total_links, "at"));
        assert!(word(&en.headline_nouns, "toll") && !word(&en.headline_nouns, "tally"));
        assert!(word(&en.span_words, "within") && word(&en.header_date_words, "of"));
        assert!(word(&en.change_result_words, "to"));
        let t = tokenize("it went up to 434,710");
        assert_eq!(en.rise_verbs.contains_at(&t.tokens, 1, 4), Some(2));
        // A language whose file leaves the tables out has none of those words.
        let uk = Lexicon::builtin().language("uk").unwrap();
        assert!(!word(&uk.comparison_words, "than") && !word(&uk.span_words, "past"));
    }

    #[test]
    fn a_word_table_takes_its_endings_and_refuses_a_phrase() {
        let file = |json: &str| vec![("xx".to_string(), json.to_string())];
        let lex = Lexicon::from_texts(&file(r#"{"span_words": ["minul{ý|ých}"]}"#), None).unwrap();
        let xx = lex.language("xx").unwrap();
        assert!(xx.span_words.contains("minulý") && xx.span_words.contains("minulých"));
        let err = Lexicon::from_texts(&file(r#"{"span_words": ["the past"]}"#), None)
            .err()
            .unwrap();
        assert!(format!("{err:#}").contains("one word"), "{err:#}");
    }

    #[test]
    fn function_words_are_read_in_their_own_language_only() {
        let uk = Lexicon::builtin().language("uk").unwrap();
        let en = en();
        let (fw, uk_fw) = (&en.function_words, &uk.function_words);
        assert!(fw.range_openers.contains("between") && fw.day_prepositions.contains("on"));
        assert!(fw.date_links.contains("of") && fw.column_totals.contains("cumulative"));
        assert!(fw.header_stamp_words.contains("a.m.") && fw.measure_words.contains("km"));
        let t = tokenize("losses as of today, compared with 40 reported");
        assert_eq!(fw.status_date_labels.contains_at(&t.tokens, 1, 3), Some(2));
        assert_eq!(fw.clause_breaks.contains_at(&t.tokens, 5, 7), Some(2));
        assert!(fw.report_stems.starts(&t.tokens[8]) && !fw.report_stems.has(&t.tokens[8]));
        // One language's words never fire in another's text.
        assert!(uk_fw.column_changes.contains("день") && !fw.column_changes.contains("день"));
        assert!(!uk_fw.range_openers.contains("between") && !uk_fw.date_links.contains("de"));
        assert_eq!(uk_fw.clause_breaks.contains_at(&t.tokens, 5, 7), None);
        // Function words mark no token: "between" is no table word of English.
        let t = en.tokenize("between");
        assert!(!en.is_table_word(&t.tokens[0]));
    }

    #[test]
    fn a_function_word_list_names_its_file_when_refused() {
        let file = |json: &str| vec![("xx".to_string(), json.to_string())];
        let lex = Lexicon::from_texts(
            &file(r#"{"function_words": {"week_words": ["týd{en|ne}"]}}"#),
            None,
        )
        .unwrap();
        let xx = lex.language("xx").unwrap();
        assert!(
            xx.function_words.week_words.contains("týden")
                && xx.function_words.week_words.contains("týdne")
        );
        for bad in [
            r#"{"function_words": {"week_words": ["this week"]}}"#,
            r#"{"function_words": {"weak_words": ["week"]}}"#,
        ] {
            let err = Lexicon::from_texts(&file(bad), None).err().unwrap();
            assert!(format!("{err:#}").contains("xx.json"), "{err:#}");
        }
    }
}
