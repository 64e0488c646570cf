//! The word tables: categories and their aliases, and each language's number words, hedges, months,
//! weekdays and cue phrases. They live in data files embedded in the binary (`data/`), are loaded
//! once, and are matched word by word against the tokens of `text`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use compact_str::CompactString;
use hashbrown::HashTable;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::figure::Qualifier;
use crate::text::{normalise_word, tokenize, word_hash, TokKind, Token, Tokenized};

const CATEGORIES_JSON: &str = include_str!("../data/categories.json");
/// Every language casrep reads. Adding one is adding a file here and in data/lang/.
const LANGUAGES: &[(&str, &str)] = &[
    ("en", include_str!("../data/lang/en.json")),
    ("uk", include_str!("../data/lang/uk.json")),
];

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
    pub aliases: BTreeMap<String, Vec<String>>,
    /// The largest plausible count; a larger number next to the name is no loss figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
    /// Names that count only as a label before a number, never as a noun after one.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, Vec<String>>,
}

/// A name that means another category from a date on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Until {
    pub date: NaiveDate,
    pub then: String,
}

#[derive(Debug, Deserialize, Default)]
struct LangFile {
    number_words: BTreeMap<String, u64>,
    multipliers: BTreeMap<String, u64>,
    qualifiers: BTreeMap<String, Vec<String>>,
    months: BTreeMap<String, u32>,
    weekdays: BTreeMap<String, u32>,
    modifiers: Vec<String>,
    sides: BTreeMap<String, Vec<String>>,
    side_phrases: BTreeMap<String, Vec<String>>,
    claimants: BTreeMap<String, Vec<String>>,
    delta_cues: Vec<String>,
    delta_by: Vec<String>,
    total_cues: Vec<String>,
    period_cues: Vec<String>,
    span_units: BTreeMap<String, u32>,
    previous_day: Vec<String>,
    week_earlier: Vec<String>,
    same_day: Vec<String>,
    negative_cues: Vec<String>,
    loss_verbs: Vec<String>,
    anaphors: Vec<String>,
    anaphor_after: Vec<String>,
    connectors: Vec<String>,
    chain: Vec<String>,
    respectively: Vec<String>,
    invasion_words: Vec<String>,
    historical: Vec<String>,
    report_cues: Vec<String>,
    header_labels: Vec<String>,
    rejecting_modifiers: Vec<String>,
    same_period: Vec<String>,
    from_pair: Vec<String>,
    including: Vec<String>,
    claim_verbs: Vec<String>,
    unit_nouns: Vec<String>,
    period_after_cues: Vec<String>,
}

/// The phrases that start with one word, longest first.
#[derive(Debug, Clone)]
struct FirstWord<T> {
    word: CompactString,
    hash: u64,
    phrases: Vec<Phrase<T>>,
}

/// A phrase's words, their `word_hash`es (a quick test before comparing), and its payload.
#[derive(Debug, Clone)]
struct Phrase<T> {
    words: Vec<String>,
    hashes: Vec<u64>,
    value: T,
}

/// Phrases (word sequences) with a payload, matched longest first at a token position.
#[derive(Debug, Default, Clone)]
pub struct Phrases<T> {
    /// Keyed by `word_hash` of the first word: a token carries that hash, so a lookup hashes
    /// nothing.
    by_first: HashTable<FirstWord<T>>,
    /// Whether '&', '/' and '+' in the text match the word "and" of a phrase.
    and_symbols: bool,
    /// Whether long words may match with one typo.
    fuzzy: bool,
    /// First words by (first letter, length), to find a misspelt first word quickly.
    by_shape: FxHashMap<(char, usize), Vec<String>>,
    /// This table's bit in `Token::starts`, and the stamp of the lexicon that set it (0: none).
    bit: u64,
    stamp: u32,
}

/// Two words of six letters or more that differ by one insertion, deletion, substitution or
/// swap of neighbours: the typos of hurried rewrites ("vehicels", "cruize", "warefare").
pub fn one_typo(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    // ASCII words compare byte by byte without allocating; others character by character.
    if a.is_ascii() && b.is_ascii() {
        return one_typo_in(a.as_bytes(), b.as_bytes(), &b's');
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    one_typo_in(&a, &b, &'s')
}

/// `one_typo` on letters: bytes for ASCII words (no allocation), characters otherwise.
fn one_typo_in<C: PartialEq>(a: &[C], b: &[C], plural: &C) -> bool {
    if a.len().min(b.len()) < 6 || a.len().abs_diff(b.len()) > 1 || a[0] != b[0] {
        return false;
    }
    // A plural 's' more or less is a different word ("Russian" is no "Russians"); the tables list
    // the plurals they mean.
    let (long, short) = if a.len() > b.len() { (a, b) } else { (b, a) };
    if long.len() != short.len() && long.last() == Some(plural) && long[..long.len() - 1] == *short
    {
        return false;
    }
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[p..], &b[p..]);
    match ra.len().cmp(&rb.len()) {
        std::cmp::Ordering::Equal => {
            ra[1..] == rb[1..]
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        std::cmp::Ordering::Greater => ra[1..] == *rb,
        std::cmp::Ordering::Less => *ra == rb[1..],
    }
}

/// String equality for short words, inline: cheaper than a call to memcmp.
#[inline]
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// Split a phrase of the data files into the words the tokenizer would make of it.
pub fn phrase_words(phrase: &str) -> Vec<String> {
    tokenize(phrase)
        .tokens
        .iter()
        .map(|t| {
            // Thousands of table phrases are read at every start: no formatting machinery.
            let mut word = String::with_capacity(t.norm.len() + t.suffix.len());
            word.push_str(&t.norm);
            word.push_str(&t.suffix);
            word
        })
        .collect()
}

impl<T: Clone> Phrases<T> {
    pub fn new(and_symbols: bool) -> Self {
        Phrases {
            by_first: HashTable::new(),
            and_symbols,
            fuzzy: false,
            by_shape: FxHashMap::default(),
            bit: 0,
            stamp: 0,
        }
    }

    pub fn add(&mut self, phrase: &str, value: T) {
        let words = phrase_words(phrase);
        if words.is_empty() {
            return;
        }
        if let Some(c) = words[0].chars().next() {
            let shape = self
                .by_shape
                .entry((c, words[0].chars().count()))
                .or_default();
            if !shape.contains(&words[0]) {
                shape.push(words[0].clone());
            }
        }
        let hash = word_hash(&words[0]);
        let entry = self
            .by_first
            .entry(hash, |e| e.word == words[0], |e| e.hash)
            .or_insert_with(|| FirstWord {
                word: CompactString::from(words[0].as_str()),
                hash,
                phrases: Vec::new(),
            });
        let list = &mut entry.into_mut().phrases;
        if list.iter().any(|p| p.words == words) {
            return;
        }
        let hashes = words.iter().map(|w| word_hash(w)).collect();
        list.push(Phrase {
            words,
            hashes,
            value,
        });
        list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
    }

    fn first_word(&self, word: &str, hash: u64) -> Option<&[Phrase<T>]> {
        self.by_first
            .find(hash, |e| same(&e.word, word))
            .map(|e| e.phrases.as_slice())
    }

    /// Whether `tok` reads as the word `w` (whose `word_hash` is `hash`).
    fn word_eq(&self, tok: &Token, w: &str, hash: u64) -> bool {
        if !tok.suffix.is_empty() {
            // "24h": digits and the letters glued to them.
            return w.len() == tok.norm.len() + tok.suffix.len()
                && w.starts_with(tok.norm.as_str())
                && w.ends_with(tok.suffix.as_str());
        }
        (tok.hash == hash && same(&tok.norm, w))
            || (self.and_symbols && w == "and" && matches!(tok.norm.as_str(), "&" | "/" | "+"))
            || (self.fuzzy
                && tok.kind == TokKind::Word
                && !tok.norm.contains('\'')
                && one_typo(&tok.norm, w))
    }

    /// Let words of six letters or more match with one typo ("vehicels", "cruize").
    pub fn with_typos(mut self) -> Self {
        self.fuzzy = true;
        self
    }

    /// Whether a phrase of this table may start at `tok`. The lexicon's `tokenize` marks each
    /// token with the tables whose phrases it can start, so most lookups end on this one test;
    /// tokens marked by no lexicon, or by another one, take the full lookup.
    #[inline]
    fn may_start(&self, tok: &Token) -> bool {
        self.bit == 0 || tok.stamp != self.stamp || tok.starts & self.bit != 0
    }

    /// The phrases that may start at `tok`: those of its word, or of a word one typo away.
    fn phrases_at(&self, tok: &Token) -> Option<&[Phrase<T>]> {
        let found = if self.and_symbols && matches!(tok.norm.as_str(), "&" | "/" | "+") {
            self.first_word("and", word_hash("and"))
        } else if !tok.suffix.is_empty() {
            // Glued suffixes are rare ("24h"): no need to avoid the allocation.
            self.first_word(&format!("{}{}", tok.norm, tok.suffix), tok.hash)
        } else {
            self.first_word(&tok.norm, tok.hash)
        };
        match found {
            Some(list) => Some(list),
            None => self
                .typo_of(tok)
                .and_then(|word| self.first_word(word, word_hash(word))),
        }
    }

    /// The first word `tok` misspells, in a table that allows typos.
    fn typo_of(&self, tok: &Token) -> Option<&String> {
        if !(self.fuzzy && may_be_typo(tok)) {
            return None;
        }
        let key = tok.norm.as_str();
        let first_char = key.chars().next()?;
        let n = key.chars().count();
        let near = (n - 1..=n + 1)
            .filter_map(|len| self.by_shape.get(&(first_char, len)))
            .flatten();
        // Several near words: the smallest, so the output never depends on hashing.
        near.filter(|w| one_typo(key, w)).min()
    }

    /// The longest phrase starting at `tokens[i]`: (number of tokens, payload).
    #[inline]
    pub fn longest_at(&self, tokens: &[Token], i: usize, limit: usize) -> Option<(usize, &T)> {
        let tok = tokens.get(i)?;
        if !self.may_start(tok) {
            return None;
        }
        self.longest_from(tokens, i, limit)
    }

    fn longest_from(&self, tokens: &[Token], i: usize, limit: usize) -> Option<(usize, &T)> {
        let list = self.phrases_at(&tokens[i])?;
        'outer: for p in list {
            if i + p.words.len() > limit {
                continue;
            }
            // The first word matched when `phrases_at` chose the list (as itself, as "and" for a
            // symbol, with its suffix, or with one typo): `word_eq` holds for it.
            for (k, (w, &hash)) in p.words.iter().zip(&p.hashes).enumerate().skip(1) {
                if !self.word_eq(&tokens[i + k], w, hash) {
                    continue 'outer;
                }
            }
            return Some((p.words.len(), &p.value));
        }
        None
    }

    /// The longest phrase ending right before `tokens[end]` (and starting at or after `floor`).
    pub fn longest_ending_at(
        &self,
        tokens: &[Token],
        floor: usize,
        end: usize,
    ) -> Option<(usize, &T)> {
        let mut best: Option<(usize, &T)> = None;
        for start in floor..end {
            if let Some((n, v)) = self.longest_at(tokens, start, end) {
                if start + n == end && best.is_none_or(|(bn, _)| n > bn) {
                    best = Some((n, v));
                }
            }
        }
        best
    }

    pub fn contains_at(&self, tokens: &[Token], i: usize, limit: usize) -> Option<usize> {
        self.longest_at(tokens, i, limit).map(|(n, _)| n)
    }

    /// First match anywhere in tokens[from..to]: (position, length, payload).
    pub fn find(&self, tokens: &[Token], from: usize, to: usize) -> Option<(usize, usize, &T)> {
        (from..to).find_map(|i| self.longest_at(tokens, i, to).map(|(n, v)| (i, n, v)))
    }

    pub fn find_all(&self, tokens: &[Token], from: usize, to: usize) -> Vec<(usize, usize, T)> {
        let mut out = Vec::new();
        let mut i = from;
        while i < to {
            if let Some((n, v)) = self.longest_at(tokens, i, to) {
                out.push((i, n, v.clone()));
                i += n;
            } else {
                i += 1;
            }
        }
        out
    }
}

/// A category name as matched: the category it names, and whether it switches on a date.
#[derive(Debug, Clone)]
pub struct CategoryName {
    pub id: String,
    pub until: Option<Until>,
}

/// Everything the extractor needs to know about words.
pub struct Lexicon {
    pub categories: Vec<CategoryEntry>,
    pub category_names: Phrases<CategoryName>,
    /// The names and the label-only names: what may stand before a number.
    pub category_labels: Phrases<CategoryName>,
    pub number_words: Phrases<u64>,
    pub multipliers: FxHashMap<String, u64>,
    pub qualifiers: Phrases<Qualifier>,
    pub months: FxHashMap<String, u32>,
    pub weekdays: FxHashMap<String, u32>,
    pub modifiers: Phrases<()>,
    pub sides: Phrases<String>,
    pub side_phrases: Phrases<String>,
    pub claimants: Phrases<String>,
    pub delta_cues: Phrases<()>,
    pub delta_by: Phrases<()>,
    pub total_cues: Phrases<()>,
    pub period_cues: Phrases<()>,
    pub span_units: FxHashMap<String, u32>,
    pub previous_day: Phrases<()>,
    pub week_earlier: Phrases<()>,
    pub same_day: Phrases<()>,
    pub negative_cues: Phrases<()>,
    pub loss_verbs: Phrases<()>,
    pub anaphors: Phrases<()>,
    pub anaphor_after: Phrases<()>,
    pub connectors: Phrases<()>,
    pub chain: Phrases<()>,
    pub respectively: Phrases<()>,
    pub invasion_words: Phrases<()>,
    pub historical: Phrases<()>,
    pub report_cues: Phrases<()>,
    pub header_labels: Phrases<()>,
    /// Words between a number and its noun that make it something other than a loss
    /// ("American troops", "new soldiers", "Leopard tanks").
    pub rejecting_modifiers: Phrases<()>,
    pub same_period: Phrases<()>,
    pub from_pair: Phrases<()>,
    pub including: Phrases<()>,
    pub claim_verbs: Phrases<()>,
    /// Nouns a category name can qualify ("tank battalion"): then it counts those, not losses.
    pub unit_nouns: Phrases<()>,
    /// Spans that make a period only after the number ("12 of them this week").
    pub period_after_cues: Phrases<()>,
    /// Which tables a word can start a phrase of, for `tokenize`.
    starts: StartIndex,
}

/// The first words of every table, with the bits of the tables they start phrases of.
#[derive(Default)]
struct StartIndex {
    stamp: u32,
    words: HashTable<StartWord>,
    /// Tables where '&', '/' and '+' stand for "and", and those of them with phrases starting
    /// with "and".
    and_symbols: u64,
    and_starts: u64,
    /// The first words of the tables that allow typos, by first letter (ASCII letters by
    /// index), each list by length: a word one typo away from one starts its tables' phrases.
    typo_ascii: Vec<Vec<TypoWord>>,
    typo_other: FxHashMap<char, Vec<TypoWord>>,
}

/// Bits of `Token::starts` past the tables': the token names a month or a weekday.
const MONTH: u64 = 1 << 62;
const WEEKDAY: u64 = 1 << 63;

struct TypoWord {
    word: CompactString,
    chars: usize,
    letters: u32,
    tables: u64,
}

struct StartWord {
    word: CompactString,
    hash: u64,
    tables: u64,
}

impl StartIndex {
    fn add_word(&mut self, word: &str, bits: u64) {
        let hash = word_hash(word);
        let entry = self
            .words
            .entry(hash, |e| e.word == word, |e| e.hash)
            .or_insert_with(|| StartWord {
                word: CompactString::from(word),
                hash,
                tables: 0,
            });
        entry.into_mut().tables |= bits;
    }

    fn add<T: Clone>(&mut self, table: &mut Phrases<T>, bit: u64) {
        assert!(
            bit < MONTH,
            "too many word tables for the bits of Token::starts"
        );
        table.bit = bit;
        table.stamp = self.stamp;
        for first in table.by_first.iter() {
            self.add_word(&first.word, bit);
        }
        if table.and_symbols {
            self.and_symbols |= bit;
        }
        if table.fuzzy {
            if self.typo_ascii.is_empty() {
                self.typo_ascii.resize_with(128, Vec::new);
            }
            for (&(c, chars), words) in &table.by_shape {
                let list = if c.is_ascii() {
                    &mut self.typo_ascii[c as usize]
                } else {
                    self.typo_other.entry(c).or_default()
                };
                for w in words {
                    match list.iter_mut().find(|t| t.word == *w) {
                        Some(t) => t.tables |= bit,
                        None => list.push(TypoWord {
                            word: CompactString::from(w.as_str()),
                            chars,
                            letters: letter_set(w),
                            tables: bit,
                        }),
                    }
                }
                list.sort_by_key(|t| t.chars);
            }
        }
    }

    fn tables_of(&self, word: &str, hash: u64) -> u64 {
        self.words
            .find(hash, |e| same(&e.word, word))
            .map_or(0, |e| e.tables)
    }

    /// The tables whose phrases may start at `tok`: exactly those where `Phrases::phrases_at`
    /// finds a list.
    fn starts(&self, tok: &Token) -> u64 {
        let mut bits = if tok.suffix.is_empty() {
            self.tables_of(&tok.norm, tok.hash)
        } else {
            self.tables_of(&format!("{}{}", tok.norm, tok.suffix), tok.hash)
        };
        if matches!(tok.norm.as_str(), "&" | "/" | "+") {
            bits = (bits & !self.and_symbols) | self.and_starts;
        }
        if tok.norm.ends_with('.') {
            // "u.s.": `Lexicon::month` reads the word without its dots.
            let month = self.tables_of(
                tok.norm.trim_end_matches('.'),
                word_hash(tok.norm.trim_end_matches('.')),
            );
            bits = (bits & !MONTH) | (month & MONTH);
        }
        if may_be_typo(tok) {
            bits |= self.typo_tables(&tok.norm);
        }
        bits
    }

    /// The typo tables with a first word one typo away from `word` (`Phrases::typo_of`).
    fn typo_tables(&self, word: &str) -> u64 {
        let list = match word.chars().next() {
            Some(c) if c.is_ascii() => self.typo_ascii.get(c as usize),
            Some(c) => self.typo_other.get(&c),
            None => None,
        };
        let Some(list) = list else {
            return 0;
        };
        let n = if word.is_ascii() {
            word.len()
        } else {
            word.chars().count()
        };
        let near =
            list.partition_point(|t| t.chars + 1 < n)..list.partition_point(|t| t.chars <= n + 1);
        let letters = letter_set(word);
        list[near]
            .iter()
            .filter(|t| (t.letters ^ letters).count_ones() <= 2 && one_typo(word, &t.word))
            .fold(0, |bits, t| bits | t.tables)
    }
}

/// The words `Phrases::typo_of` tries to match with one typo.
fn may_be_typo(tok: &Token) -> bool {
    tok.kind == TokKind::Word
        && tok.suffix.is_empty()
        && tok.norm.len() >= 6
        && !tok.norm.contains('\'')
}

/// The letters of a word as a set of 32 bits (each character hashed to one): two words one typo
/// apart differ in at most two of them, whatever the collisions. A cheap test before `one_typo`.
fn letter_set(word: &str) -> u32 {
    if word.is_ascii() {
        return word.bytes().fold(0, |set, b| set | 1 << (b % 32));
    }
    word.chars().fold(0, |set, c| set | 1 << (c as u32 % 32))
}

fn phrases(lists: &[&Vec<String>], and_symbols: bool) -> Phrases<()> {
    let mut p = Phrases::new(and_symbols);
    for list in lists {
        for s in list.iter() {
            p.add(s, ());
        }
    }
    p
}

fn parse_qualifier(name: &str) -> Result<Qualifier> {
    Ok(match name {
        "about" => Qualifier::About,
        "more_than" => Qualifier::MoreThan,
        "less_than" => Qualifier::LessThan,
        "almost" => Qualifier::Almost,
        "exact" => Qualifier::Exact,
        other => bail!("unknown qualifier {other:?}"),
    })
}

impl Lexicon {
    /// The built-in tables plus a user's alias file, if any.
    pub fn load(user_aliases: Option<&Path>) -> Result<Lexicon> {
        let file: CategoriesFile =
            serde_json::from_str(CATEGORIES_JSON).context("built-in data/categories.json")?;
        let mut categories = file.categories;
        if let Some(path) = user_aliases {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("{}: cannot read the alias file", path.display()))?;
            add_user_aliases(&mut categories, &text)
                .with_context(|| format!("{}", path.display()))?;
        }
        let mut langs = Vec::new();
        for (code, json) in LANGUAGES {
            let lang: LangFile = serde_json::from_str(json)
                .with_context(|| format!("built-in data/lang/{code}.json"))?;
            langs.push(lang);
        }
        let mut category_names = Phrases::new(true).with_typos();
        for c in &categories {
            for names in c.aliases.values() {
                for name in names {
                    category_names.add(
                        name,
                        CategoryName {
                            id: c.id.clone(),
                            until: c.until.clone(),
                        },
                    );
                }
            }
        }
        let mut category_labels = category_names.clone();
        for c in &categories {
            for names in c.labels.values() {
                for name in names {
                    category_labels.add(
                        name,
                        CategoryName {
                            id: c.id.clone(),
                            until: c.until.clone(),
                        },
                    );
                }
            }
        }
        let mut number_words = Phrases::new(false);
        let mut qualifiers = Phrases::new(false);
        let mut sides = Phrases::new(false);
        let mut side_phrases = Phrases::new(false);
        let mut claimants = Phrases::new(false);
        let mut multipliers = FxHashMap::default();
        let mut months = FxHashMap::default();
        let mut weekdays = FxHashMap::default();
        let mut span_units = FxHashMap::default();
        for l in &langs {
            for (w, v) in &l.number_words {
                number_words.add(w, *v);
            }
            for (q, list) in &l.qualifiers {
                let q = parse_qualifier(q)?;
                for w in list {
                    qualifiers.add(w, q);
                }
            }
            for (side, list) in &l.sides {
                for w in list {
                    sides.add(w, side.clone());
                }
            }
            for (side, list) in &l.side_phrases {
                for w in list {
                    side_phrases.add(w, side.clone());
                }
            }
            for (who, list) in &l.claimants {
                for w in list {
                    claimants.add(w, who.clone());
                    // "Oryx's count", "the Pentagon's estimate"
                    if !w.ends_with("'s") && w.is_ascii() {
                        claimants.add(&format!("{w}'s"), who.clone());
                    }
                }
            }
            multipliers.extend(l.multipliers.iter().map(|(k, v)| (k.clone(), *v)));
            months.extend(l.months.iter().map(|(k, v)| (k.clone(), *v)));
            weekdays.extend(l.weekdays.iter().map(|(k, v)| (k.clone(), *v)));
            span_units.extend(l.span_units.iter().map(|(k, v)| (k.clone(), *v)));
        }
        macro_rules! all {
            ($field:ident) => {
                phrases(&langs.iter().map(|l| &l.$field).collect::<Vec<_>>(), false)
            };
        }
        let mut lex = Lexicon {
            categories,
            category_names,
            category_labels,
            number_words,
            multipliers,
            qualifiers,
            months,
            weekdays,
            modifiers: all!(modifiers),
            sides,
            side_phrases,
            claimants,
            delta_cues: all!(delta_cues),
            delta_by: all!(delta_by),
            total_cues: all!(total_cues),
            period_cues: all!(period_cues),
            span_units,
            previous_day: all!(previous_day),
            week_earlier: all!(week_earlier),
            same_day: all!(same_day),
            negative_cues: all!(negative_cues),
            loss_verbs: all!(loss_verbs),
            anaphors: all!(anaphors),
            anaphor_after: all!(anaphor_after),
            connectors: all!(connectors),
            chain: all!(chain),
            respectively: all!(respectively),
            invasion_words: all!(invasion_words),
            historical: all!(historical),
            report_cues: all!(report_cues),
            header_labels: all!(header_labels),
            rejecting_modifiers: all!(rejecting_modifiers),
            same_period: all!(same_period),
            from_pair: all!(from_pair),
            including: all!(including),
            claim_verbs: all!(claim_verbs),
            unit_nouns: all!(unit_nouns),
            period_after_cues: all!(period_after_cues),
            starts: StartIndex::default(),
        };
        lex.index_starts();
        Ok(lex)
    }

    /// Give every table its bit and index the words that start its phrases.
    fn index_starts(&mut self) {
        static STAMPS: AtomicU32 = AtomicU32::new(1);
        let mut index = StartIndex {
            // A stamp per loaded lexicon: tokens marked by one are never read with another's bits.
            stamp: STAMPS.fetch_add(1, Ordering::Relaxed),
            ..StartIndex::default()
        };
        let mut bit = 1u64;
        macro_rules! index {
            ($($field:ident),* $(,)?) => {
                $(
                    index.add(&mut self.$field, bit);
                    bit <<= 1;
                )*
            };
        }
        index!(
            category_names,
            category_labels,
            number_words,
            qualifiers,
            modifiers,
            sides,
            side_phrases,
            claimants,
            delta_cues,
            delta_by,
            total_cues,
            period_cues,
            previous_day,
            week_earlier,
            same_day,
            negative_cues,
            loss_verbs,
            anaphors,
            anaphor_after,
            connectors,
            chain,
            respectively,
            invasion_words,
            historical,
            report_cues,
            header_labels,
            rejecting_modifiers,
            same_period,
            from_pair,
            including,
            claim_verbs,
            unit_nouns,
            period_after_cues,
        );
        let _ = bit;
        for m in self.months.keys() {
            index.add_word(m, MONTH);
        }
        for d in self.weekdays.keys() {
            index.add_word(d, WEEKDAY);
        }
        index.and_starts = index.tables_of("and", word_hash("and")) & index.and_symbols;
        self.starts = index;
    }

    /// Split `text` into tokens (`text::tokenize`), each marked with the tables whose phrases
    /// may start at it, so that table lookups at the other tokens cost one test.
    pub fn tokenize(&self, text: &str) -> Tokenized {
        let mut tok = tokenize(text);
        for t in &mut tok.tokens {
            t.starts = self.starts.starts(t);
            t.stamp = self.starts.stamp;
        }
        tok
    }

    /// The built-in tables, loaded once.
    pub fn builtin() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| Lexicon::load(None).expect("built-in word tables are valid"))
    }

    pub fn month(&self, tok: &Token) -> Option<u32> {
        if tok.kind != TokKind::Word || tok.stamp == self.starts.stamp && tok.starts & MONTH == 0 {
            return None;
        }
        self.months.get(tok.norm.trim_end_matches('.')).copied()
    }

    pub fn weekday(&self, tok: &Token) -> Option<u32> {
        if tok.kind != TokKind::Word || tok.stamp == self.starts.stamp && tok.starts & WEEKDAY == 0
        {
            return None;
        }
        self.weekdays.get(tok.norm.as_str()).copied()
    }

    pub fn weekday_at(&self, tokens: &[Token], i: usize) -> Option<u32> {
        tokens.get(i).and_then(|t| self.weekday(t))
    }

    /// Canonical order of the category ids: the table's order, user categories after.
    pub fn category_ids(&self) -> Vec<String> {
        self.categories.iter().map(|c| c.id.clone()).collect()
    }
}

/// A user's alias file: `{"tanks": ["armour", "heavy armour"], "new_id": ["widgets"]}`.
/// An entry that is not a list of non-empty strings is refused with its name.
fn add_user_aliases(categories: &mut Vec<CategoryEntry>, text: &str) -> Result<()> {
    let value: serde_json::Value = serde_json::from_str(text).context("not valid JSON")?;
    let obj = value
        .as_object()
        .context("expected a JSON object mapping category ids to lists of aliases")?;
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
            Some(c) => c.aliases.entry("user".into()).or_default().extend(words),
            None => categories.push(CategoryEntry {
                id: id.clone(),
                label: id.clone(),
                until: None,
                max: None,
                aliases: BTreeMap::from([("user".to_string(), words)]),
                labels: BTreeMap::new(),
            }),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn longest_alias_wins() {
        let lex = Lexicon::builtin();
        let t = tokenize("vehicles and fuel tanks");
        let (n, name) = lex
            .category_names
            .longest_at(&t.tokens, 0, t.tokens.len())
            .unwrap();
        assert_eq!((n, name.id.as_str()), (4, "vehicles"));
    }

    #[test]
    fn slash_and_ampersand_match_and() {
        let lex = Lexicon::builtin();
        for s in ["ships/boats", "ships & boats", "warships / boats"] {
            let t = tokenize(s);
            let (_, name) = lex
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
}
