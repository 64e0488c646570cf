//! Phrases: word sequences with a payload, matched longest first at a token position, with
//! optional tolerance for one typo in long words and for '&', '/' and '+' standing for "and". A
//! word of a phrase may have several forms (a stem with the endings of its declension), so one
//! entry of a word table covers every inflection of a name.

use std::hash::Hasher;
use std::sync::OnceLock;

use compact_str::CompactString;
use hashbrown::HashTable;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::text::{normalise_word, tokenize, word_hash, TokKind, Token};

/// The phrases that start with one word (one form of it), longest first.
#[derive(Debug, Clone)]
struct FirstWord {
    word: CompactString,
    hash: u64,
    phrases: Vec<Phrase>,
}

/// A phrase: its words, `len` of them from `start` in `Entries::words`, and the index of its
/// payload in `Entries::values`. Plain numbers: a phrase listed under each form of its first
/// word is copied there, and no phrase owns an allocation.
#[derive(Debug, Clone, Copy)]
struct Phrase {
    start: u32,
    len: u32,
    value: u32,
}

/// A table's phrases, flat: the words of every phrase one after another, the phrases as runs
/// of them, each payload once (when read back from the embedded tables; one a phrase while a
/// table is built). Reading a table back then allocates per table, not per phrase, and a lookup
/// reads a phrase's words side by side.
#[derive(Debug, Clone)]
struct Entries<T> {
    /// Keyed by `word_hash` of the first word: a token carries that hash, so a lookup hashes
    /// nothing.
    by_first: HashTable<FirstWord>,
    words: Vec<Word>,
    /// Every phrase once, in the order added (their runs of `words` follow one another).
    phrases: Vec<Phrase>,
    values: Vec<T>,
}

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Entries {
            by_first: HashTable::new(),
            words: Vec::new(),
            phrases: Vec::new(),
            values: Vec::new(),
        }
    }
}

impl<T> Entries<T> {
    fn words_of(&self, phrase: &Phrase) -> &[Word] {
        &self.words[phrase.start as usize..(phrase.start + phrase.len) as usize]
    }
}

/// The forms a word of a phrase may take ("танк", "танки", "танків"), each with its
/// `word_hash` (a quick test before comparing). Written as its forms alone: the rest follows
/// from them.
#[derive(Debug, Clone, Serialize)]
#[serde(into = "Vec<CompactString>")]
struct Word {
    forms: Forms,
    /// What a token must have to be read as one of the forms, tested before any of them.
    filter: WordFilter,
}

/// Necessary conditions for `Phrases::word_eq` to hold for some form of a word, as bit sets: a
/// token that meets none is rejected by a few integer tests instead of a loop over the forms.
#[derive(Debug, Clone, Copy, Default)]
struct WordFilter {
    /// `hash_bit` of each form's hash: an exact match (with or without a glued suffix) has the
    /// form's hash.
    hashes: u64,
    /// `byte_bit` of the first byte of each form of six bytes or more: a match with one typo
    /// keeps the first letter, and both words have six letters or more.
    typo_firsts: u64,
    /// A form is "and", which '&', '/' and '+' may stand for.
    and: bool,
}

fn hash_bit(hash: u64) -> u64 {
    1 << (hash >> 58)
}

fn byte_bit(b: u8) -> u64 {
    1 << (b & 63)
}

/// A word's forms, each with its hash; the first inline, as most words have one form (a table's
/// thousands of words then take no allocation each).
#[derive(Debug, Clone, PartialEq)]
struct Forms {
    first: (CompactString, u64),
    rest: Vec<(CompactString, u64)>,
}

impl Forms {
    /// None for no forms.
    fn of(mut forms: Vec<(CompactString, u64)>) -> Option<Forms> {
        if forms.is_empty() {
            return None;
        }
        let first = forms.remove(0);
        Some(Forms { first, rest: forms })
    }

    fn iter(&self) -> impl Iterator<Item = &(CompactString, u64)> {
        std::iter::once(&self.first).chain(&self.rest)
    }

    fn len(&self) -> usize {
        1 + self.rest.len()
    }
}

impl PartialEq for Word {
    fn eq(&self, other: &Word) -> bool {
        self.forms == other.forms
    }
}

/// A hash of a phrase's words, from their forms' hashes (`Phrases::seen`).
fn phrase_hash(words: &[Word]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    for word in words {
        h.write_usize(word.forms.len());
        for (_, hash) in word.forms.iter() {
            h.write_u64(*hash);
        }
    }
    h.finish()
}

impl From<Word> for Vec<CompactString> {
    fn from(word: Word) -> Vec<CompactString> {
        let Forms { first, rest } = word.forms;
        std::iter::once(first)
            .chain(rest)
            .map(|(form, _)| form)
            .collect()
    }
}

impl<'de> Deserialize<'de> for Word {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Word, D::Error> {
        struct FormList;
        impl<'de> serde::de::Visitor<'de> for FormList {
            type Value = Word;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("the forms of a word")
            }
            // Straight into the word's list, each with its hash: no list of forms in between.
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Word, A::Error> {
                let hashed = |form: CompactString| {
                    let hash = word_hash(&form);
                    (form, hash)
                };
                let first = seq
                    .next_element::<CompactString>()?
                    .ok_or_else(|| serde::de::Error::custom("a word without forms"))?;
                let mut rest = Vec::new();
                while let Some(form) = seq.next_element::<CompactString>()? {
                    rest.push(hashed(form));
                }
                let forms = Forms {
                    first: hashed(first),
                    rest,
                };
                Ok(Word::of_forms(forms))
            }
        }
        d.deserialize_seq(FormList)
    }
}

impl Word {
    /// The word of `forms`; none for no forms.
    fn new(forms: Vec<String>) -> Option<Word> {
        // Most words fit a compact string's inline bytes: a table's words take no allocation
        // each (thousands of them are read at start-up).
        let forms = forms
            .into_iter()
            .map(|f| {
                let hash = word_hash(&f);
                (CompactString::from(f), hash)
            })
            .collect();
        Forms::of(forms).map(Word::of_forms)
    }

    fn of_forms(forms: Forms) -> Word {
        let mut filter = WordFilter::default();
        for (form, hash) in forms.iter() {
            filter.hashes |= hash_bit(*hash);
            if form.len() >= 6 {
                filter.typo_firsts |= byte_bit(form.as_bytes()[0]);
            }
            filter.and |= form == "and";
        }
        Word { forms, filter }
    }
}

/// Phrases (word sequences) with a payload, matched longest first at a token position.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(bound(
    serialize = "T: Serialize",
    deserialize = "T: Deserialize<'de> + Clone"
))]
pub struct Phrases<T> {
    entries: Entries<T>,
    /// Whether '&', '/' and '+' in the text match the word "and" of a phrase.
    and_symbols: bool,
    /// Whether long words may match with one typo.
    fuzzy: bool,
    /// First words by (first letter, length in characters), to find a misspelt first word
    /// quickly; made from the first words when first asked for (by a misspelt word, or the start
    /// index), so reading a table back does not build it.
    #[serde(skip)]
    by_shape: OnceLock<FxHashMap<(char, usize), Vec<CompactString>>>,
    /// The phrases added so far by index, to add each once (emptied by `finish`).
    #[serde(skip)]
    seen: HashTable<u32>,
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
    // Most phrases are words of letters alone between plain spaces: the tokenizer makes one word
    // of each run of letters, normalised, so they need no tokenizing (which allocates for a
    // whole text; loading a language splits thousands of phrases).
    if phrase.chars().all(|c| c == ' ' || c.is_alphabetic()) {
        return phrase
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| normalise_word(w).into_string())
            .collect();
    }
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
            entries: Entries::default(),
            and_symbols,
            fuzzy: false,
            by_shape: OnceLock::new(),
            seen: HashTable::new(),
            bit: 0,
            stamp: 0,
        }
    }

    /// Adds a phrase written as the tokenizer would split it, each word with one form.
    pub fn add(&mut self, phrase: &str, value: T) {
        let words: Vec<Vec<String>> = phrase_words(phrase).into_iter().map(|w| vec![w]).collect();
        self.add_forms(words, value);
    }

    /// Adds a phrase given as the forms of each of its words. Linear in the number of phrases:
    /// duplicates are found by hashing, and lists are put in order once, by `finish`.
    pub fn add_forms(&mut self, words: Vec<Vec<String>>, value: T) {
        // A word without forms makes no phrase.
        let Some(words) = words.into_iter().map(Word::new).collect::<Option<Vec<_>>>() else {
            return;
        };
        if words.is_empty() {
            return;
        }
        // The words themselves are the key: no string is built to find a duplicate.
        let key = phrase_hash(&words);
        let entries = &self.entries;
        let same_phrase =
            |&p: &u32| entries.words_of(&entries.phrases[p as usize]) == words.as_slice();
        if self.seen.find(key, same_phrase).is_some() {
            return;
        }
        let phrase = Phrase {
            start: small(self.entries.words.len()),
            len: small(words.len()),
            value: small(self.entries.values.len()),
        };
        let firsts: Vec<(CompactString, u64)> = words[0].forms.iter().cloned().collect();
        self.entries.words.extend(words);
        self.entries.values.push(value);
        let id = small(self.entries.phrases.len());
        self.entries.phrases.push(phrase);
        let entries = &self.entries;
        self.seen.insert_unique(key, id, |&p| {
            phrase_hash(entries.words_of(&entries.phrases[p as usize]))
        });
        for (first, hash) in firsts {
            let entry = self
                .entries
                .by_first
                .entry(hash, |e| e.word == first, |e| e.hash)
                .or_insert_with(|| FirstWord {
                    word: first,
                    hash,
                    phrases: Vec::new(),
                });
            entry.into_mut().phrases.push(phrase);
        }
        self.by_shape = OnceLock::new();
    }

    /// The first words by shape (see `by_shape`). Their order in a list does not matter: a
    /// lookup takes the smallest near word, and the start index a union of bits.
    fn shapes(&self) -> &FxHashMap<(char, usize), Vec<CompactString>> {
        self.by_shape.get_or_init(|| {
            let mut shapes: FxHashMap<_, Vec<CompactString>> = FxHashMap::default();
            for first in self.entries.by_first.iter() {
                if let Some(c) = first.word.chars().next() {
                    let shape = (c, first.word.chars().count());
                    shapes.entry(shape).or_default().push(first.word.clone());
                }
            }
            shapes
        })
    }

    /// Puts every list of phrases longest first (phrases of one length in the order they were
    /// added), as lookups expect. Called once the table is complete.
    pub fn finish(&mut self) {
        for entry in self.entries.by_first.iter_mut() {
            entry.phrases.sort_by_key(|p| std::cmp::Reverse(p.len));
        }
        self.seen = HashTable::new();
    }

    fn first_word(&self, word: &str, hash: u64) -> Option<&[Phrase]> {
        self.entries
            .by_first
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
                && !has_apostrophe(&tok.norm)
                && one_typo(&tok.norm, w))
    }

    /// Whether `tok` may read as one of `word`'s forms: false only where `word_eq` fails for
    /// every form (see `WordFilter`).
    #[inline]
    fn may_be(&self, tok: &Token, word: &Word) -> bool {
        let f = &word.filter;
        f.hashes & hash_bit(tok.hash) != 0
            || (self.fuzzy
                && f.typo_firsts & byte_bit(tok.norm.as_bytes().first().copied().unwrap_or(0)) != 0
                && tok.norm.len() >= 6)
            || (self.and_symbols && f.and && matches!(tok.norm.as_str(), "&" | "/" | "+"))
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
    fn phrases_at(&self, tok: &Token) -> Option<&[Phrase]> {
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
    fn typo_of(&self, tok: &Token) -> Option<&CompactString> {
        if !(self.fuzzy && may_be_typo(tok)) {
            return None;
        }
        let key = tok.norm.as_str();
        let first_char = key.chars().next()?;
        let n = key.chars().count();
        let near = (n - 1..=n + 1)
            .filter_map(|len| self.shapes().get(&(first_char, len)))
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
            let len = p.len as usize;
            if i + len > limit {
                continue;
            }
            // The first word matched when `phrases_at` chose the list (as itself, as "and" for a
            // symbol, with its suffix, or with one typo): `word_eq` holds for it.
            for (k, word) in self.entries.words_of(p).iter().enumerate().skip(1) {
                let tok = &tokens[i + k];
                if !self.may_be(tok, word)
                    || !word
                        .forms
                        .iter()
                        .any(|(w, hash)| self.word_eq(tok, w, *hash))
                {
                    continue 'outer;
                }
            }
            return Some((len, &self.entries.values[p.value as usize]));
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
        self.matches(tokens, from, to)
            .map(|(i, n, v)| (i, n, v.clone()))
            .collect()
    }

    /// The matches of `find_all`, lazily and by reference: a question about them ("is any
    /// Kyiv?") stops at the answer and copies no payload.
    pub fn matches<'a>(
        &'a self,
        tokens: &'a [Token],
        from: usize,
        to: usize,
    ) -> impl Iterator<Item = (usize, usize, &'a T)> + 'a {
        let mut i = from;
        std::iter::from_fn(move || {
            while i < to {
                let at = i;
                if let Some((n, v)) = self.longest_at(tokens, at, to) {
                    i += n;
                    return Some((at, n, v));
                }
                i += 1;
            }
            None
        })
    }
}

/// A table of single words, each with its forms, for questions asked of one token ("is the
/// word before this weekday a comparison's?"). Unlike [`Phrases`] it marks no token: its words
/// are no table words for `Language::is_table_word`.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Words {
    forms: Vec<CompactString>,
    /// `hash_bit` of each form's `word_hash`: a token without a glued suffix carries its word's
    /// hash, so most tokens that are none of the words are told so by one test, not a loop.
    hashes: u64,
}

impl Words {
    /// The table of `forms`, each a word as the tokenizer normalises it.
    pub fn new(forms: Vec<String>) -> Words {
        let hashes = forms.iter().fold(0, |h, f| h | hash_bit(word_hash(f)));
        let forms = forms.into_iter().map(CompactString::from).collect();
        Words { forms, hashes }
    }

    /// Whether `tok` is one of the words.
    pub fn has(&self, tok: &Token) -> bool {
        if tok.suffix.is_empty() && self.hashes & hash_bit(tok.hash) == 0 {
            return false;
        }
        self.forms.iter().any(|w| tok.norm == w.as_str())
    }

    /// Whether `word` (normalised) is one of the words.
    pub fn contains(&self, word: &str) -> bool {
        self.forms.iter().any(|w| w == word)
    }

    /// Whether `tok`'s word begins with one of the words (a table of stems: "report" for
    /// "reported", "reports").
    pub fn starts(&self, tok: &Token) -> bool {
        self.forms.iter().any(|w| tok.norm.starts_with(w.as_str()))
    }
}

/// The first words of every table, with the bits of the tables they start phrases of.
#[derive(Default, Serialize, Deserialize)]
pub(super) struct StartIndex {
    pub(super) stamp: u32,
    #[serde(with = "start_words")]
    words: HashTable<StartWord>,
    /// Tables where '&', '/' and '+' stand for "and", and those of them with phrases starting
    /// with "and".
    pub(super) and_symbols: u64,
    pub(super) and_starts: u64,
    /// The first words of the tables that allow typos, by first letter (ASCII letters by
    /// index), each list by length: a word one typo away from one starts its tables' phrases.
    typo_ascii: Vec<Vec<TypoWord>>,
    typo_other: FxHashMap<char, Vec<TypoWord>>,
}

/// Bits of `Token::starts` past the tables': the token names a month or a weekday.
pub(super) const MONTH: u64 = 1 << 62;
pub(super) const WEEKDAY: u64 = 1 << 63;

#[derive(Serialize, Deserialize)]
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

/// The start index's words written as (word, tables) and read back under their `word_hash`, as
/// `StartIndex::add_word` keys them (the built tables embedded by build.rs; see
/// `Language::from_tables`).
mod start_words {
    use super::*;

    pub(super) fn serialize<S: Serializer>(
        table: &HashTable<StartWord>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(table.iter().map(|e| (e.word.as_str(), e.tables)))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<HashTable<StartWord>, D::Error> {
        let entries = Vec::<(CompactString, u64)>::deserialize(d)?;
        let mut table = HashTable::with_capacity(entries.len());
        for (word, tables) in entries {
            let hash = word_hash(&word);
            let entry = StartWord { word, hash, tables };
            table.insert_unique(hash, entry, |e| e.hash);
        }
        Ok(table)
    }
}

/// The words a language's tables have written or read so far, while one is written or read
/// whole (`with_shared_words`): tables that share words when built (a language's labels are its
/// names and more) write each word once and copy it again when read back.
#[derive(Default)]
struct SharedWords {
    /// The index of each word written so far, by its forms.
    ids: FxHashMap<Vec<CompactString>, u32>,
    /// The words read so far, in the order they were written.
    read: Vec<Word>,
}

thread_local! {
    static SHARED_WORDS: std::cell::RefCell<Option<SharedWords>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `f` (which writes or reads one language's tables) with the tables' words shared.
pub(super) fn with_shared_words<R>(f: impl FnOnce() -> R) -> R {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            SHARED_WORDS.set(None);
        }
    }
    SHARED_WORDS.set(Some(SharedWords::default()));
    let _reset = Reset;
    f()
}

/// A table's entries written flat, each payload once and each word once per language, and read
/// back so (see [`Entries`]).
mod wire {
    use serde::de::Error as _;

    use super::*;

    /// The payloads; the words of the phrases, one phrase after another; each phrase's
    /// (number of words, payload index); the first words, each with how many phrases it starts
    /// (its hash is the word's `word_hash`); and the indices of those phrases, the first word's
    /// first.
    type Wire<V, W, F> = (
        Vec<V>,
        Vec<SharedWord<W>>,
        Vec<(u32, u32)>,
        Vec<(F, u32)>,
        Vec<u32>,
    );

    /// A word, written out or, where another table of the language wrote it, the index of it
    /// among the language's shared words.
    #[derive(Serialize, Deserialize)]
    enum SharedWord<W> {
        New(W),
        Seen(u32),
    }

    /// A word as written: the index of an earlier table's in the shared words, registering it
    /// there the first time.
    fn written(word: &Word) -> SharedWord<&Word> {
        let forms: Vec<CompactString> = word.forms.iter().map(|(f, _)| f.clone()).collect();
        SHARED_WORDS.with_borrow_mut(|shared| match shared {
            Some(shared) => match shared.ids.get(&forms) {
                Some(&id) => SharedWord::Seen(id),
                None => {
                    let id = shared.ids.len() as u32;
                    shared.ids.insert(forms, id);
                    SharedWord::New(word)
                }
            },
            None => SharedWord::New(word),
        })
    }

    /// A word as read, kept among the shared words (if a language is read whole) for the
    /// tables after.
    fn read(word: SharedWord<Word>, shared: &mut Option<SharedWords>) -> Option<Word> {
        match (word, shared) {
            (SharedWord::New(word), Some(shared)) => {
                shared.read.push(word.clone());
                Some(word)
            }
            (SharedWord::New(word), None) => Some(word),
            (SharedWord::Seen(id), Some(shared)) => shared.read.get(id as usize).cloned(),
            (SharedWord::Seen(_), None) => None,
        }
    }

    impl<T: Serialize> Serialize for Entries<T> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            // Payloads are often repeated (every name of a category carries its id and bounds):
            // each distinct one is written once.
            let mut value_ids: FxHashMap<Vec<u8>, u32> = FxHashMap::default();
            let mut values: Vec<&T> = Vec::new();
            let mut phrases = Vec::with_capacity(self.phrases.len());
            for p in &self.phrases {
                let value = &self.values[p.value as usize];
                let bytes = postcard::to_allocvec(value).map_err(serde::ser::Error::custom)?;
                let id = *value_ids.entry(bytes).or_insert_with(|| {
                    values.push(value);
                    values.len() as u32 - 1
                });
                phrases.push((p.len, id));
            }
            let words = self.words.iter().map(written).collect();
            let mut firsts = Vec::new();
            let mut listed = Vec::new();
            for first in self.by_first.iter() {
                firsts.push((first.word.as_str(), first.phrases.len() as u32));
                // The phrases lie in the order of their words: each is found by its start.
                listed.extend(
                    first
                        .phrases
                        .iter()
                        .map(|p| small(self.phrases.partition_point(|q| q.start < p.start))),
                );
            }
            let wire: Wire<&T, &Word, &str> = (values, words, phrases, firsts, listed);
            wire.serialize(s)
        }
    }

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Entries<T>, D::Error> {
            let (values, words, lengths, firsts, listed): Wire<T, Word, CompactString> =
                Deserialize::deserialize(d)?;
            let past = || D::Error::custom("an index past the list it points into");
            // The shared words are taken once for the table, not once a word.
            let mut shared = SHARED_WORDS.take();
            let words = words
                .into_iter()
                .map(|word| read(word, &mut shared))
                .collect::<Option<Vec<_>>>();
            SHARED_WORDS.set(shared);
            let words = words.ok_or_else(past)?;
            let mut phrases = Vec::with_capacity(lengths.len());
            let mut start = 0u32;
            for (len, value) in lengths {
                let end = start.checked_add(len).ok_or_else(past)?;
                if len == 0 || end as usize > words.len() || value as usize >= values.len() {
                    return Err(past());
                }
                phrases.push(Phrase { start, len, value });
                start = end;
            }
            let mut by_first = HashTable::with_capacity(firsts.len());
            let mut listed = listed.into_iter();
            for (word, count) in firsts {
                let hash = word_hash(&word);
                let list = listed
                    .by_ref()
                    .take(count as usize)
                    .map(|p| phrases.get(p as usize).copied())
                    .collect::<Option<Vec<_>>>()
                    .filter(|list| list.len() == count as usize)
                    .ok_or_else(past)?;
                let first = FirstWord {
                    word,
                    hash,
                    phrases: list,
                };
                by_first.insert_unique(hash, first, |e| e.hash);
            }
            Ok(Entries {
                by_first,
                words,
                phrases,
                values,
            })
        }
    }
}

/// A count or an index of a table's lists: tables hold far fewer than 2^32 entries.
fn small(n: usize) -> u32 {
    u32::try_from(n).expect("a word table of fewer than 2^32 entries")
}

impl StartIndex {
    pub(super) fn new(stamp: u32) -> StartIndex {
        StartIndex {
            stamp,
            ..StartIndex::default()
        }
    }

    pub(super) fn add_word(&mut self, word: &str, bits: u64) {
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

    pub(super) fn add<T: Clone>(&mut self, table: &mut Phrases<T>, bit: u64) {
        table.finish();
        assert!(
            bit < MONTH,
            "too many word tables for the bits of Token::starts"
        );
        table.bit = bit;
        table.stamp = self.stamp;
        for first in table.entries.by_first.iter() {
            self.add_word(&first.word, bit);
        }
        if table.and_symbols {
            self.and_symbols |= bit;
        }
        if table.fuzzy {
            if self.typo_ascii.is_empty() {
                self.typo_ascii.resize_with(128, Vec::new);
            }
            // Each list is indexed by word once per table and sorted once: linear in the
            // number of words, where a search per word was quadratic.
            let mut by_char: FxHashMap<char, Vec<(&CompactString, usize)>> = FxHashMap::default();
            for (&(c, chars), words) in table.shapes() {
                by_char
                    .entry(c)
                    .or_default()
                    .extend(words.iter().map(|w| (w, chars)));
            }
            for (c, words) in by_char {
                let list = if c.is_ascii() {
                    &mut self.typo_ascii[c as usize]
                } else {
                    self.typo_other.entry(c).or_default()
                };
                let known: FxHashMap<CompactString, usize> = list
                    .iter()
                    .enumerate()
                    .map(|(k, t)| (t.word.clone(), k))
                    .collect();
                for (w, chars) in words {
                    match known.get(w.as_str()) {
                        Some(&k) => list[k].tables |= bit,
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

    pub(super) fn tables_of(&self, word: &str, hash: u64) -> u64 {
        self.words
            .find(hash, |e| same(&e.word, word))
            .map_or(0, |e| e.tables)
    }

    /// Marks every token with `starts`. A word long enough for a typo is looked up once per
    /// text: the search for first words one typo away is the costly part of marking, the bits
    /// depend only on the word, and an article says its words many times.
    pub(super) fn mark(&self, tokens: &mut [Token]) {
        // (index of the first token with the word, its bits), by the word's hash.
        let mut seen: HashTable<(usize, u64)> = HashTable::new();
        for i in 0..tokens.len() {
            let bits = if may_be_typo(&tokens[i]) {
                let (hash, norm) = (tokens[i].hash, &tokens[i].norm);
                match seen.find(hash, |&(j, _)| tokens[j].norm == *norm) {
                    Some(&(_, bits)) => bits,
                    None => {
                        let bits = self.starts(&tokens[i]);
                        seen.insert_unique(hash, (i, bits), |&(j, _)| tokens[j].hash);
                        bits
                    }
                }
            } else {
                self.starts(&tokens[i])
            };
            tokens[i].starts = bits;
            tokens[i].stamp = self.stamp;
        }
    }

    /// The tables whose phrases may start at `tok`: exactly those where `Phrases::phrases_at`
    /// finds a list.
    pub(super) fn starts(&self, tok: &Token) -> u64 {
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
            .filter(|t| at_most_two_bits(t.letters ^ letters) && one_typo(word, &t.word))
            .fold(0, |bits, t| bits | t.tables)
    }
}

/// The words `Phrases::typo_of` tries to match with one typo.
fn may_be_typo(tok: &Token) -> bool {
    tok.kind == TokKind::Word
        && tok.suffix.is_empty()
        && tok.norm.len() >= 6
        && !has_apostrophe(&tok.norm)
}

/// `x.count_ones() <= 2`, without a population count (a slow loop where the target has none).
#[inline]
fn at_most_two_bits(x: u32) -> bool {
    let y = x & x.wrapping_sub(1);
    y & y.wrapping_sub(1) == 0
}

/// Whether a word holds an apostrophe: a byte loop, cheaper on short words than memchr's call.
#[inline]
fn has_apostrophe(word: &str) -> bool {
    word.bytes().any(|b| b == b'\'')
}

/// The letters of a word as a set of 32 bits (each character hashed to one): two words one typo
/// apart differ in at most two of them, whatever the collisions. A cheap test before `one_typo`.
fn letter_set(word: &str) -> u32 {
    if word.is_ascii() {
        return word.bytes().fold(0, |set, b| set | 1 << (b % 32));
    }
    word.chars().fold(0, |set, c| set | 1 << (c as u32 % 32))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the tokenizer makes of a phrase, the slow way `phrase_words` avoids.
    fn tokenized(phrase: &str) -> Vec<String> {
        tokenize(phrase)
            .tokens
            .iter()
            .map(|t| format!("{}{}", t.norm, t.suffix))
            .collect()
    }

    #[test]
    fn phrase_words_of_letters_are_the_tokenizers_words() {
        for phrase in [
            "Main Battle Tanks",
            "  armoured   personnel carriers ",
            "танки",
            "бойових броньованих машин",
            "ПАЛИВНІ цистерни",
            "İstanbul Çanakkale",
            "Forças Armadas",
            "Straße",
            "ΣΟΦΟΣ",
            "пʼять",
            "",
        ] {
            assert_eq!(phrase_words(phrase), tokenized(phrase), "{phrase:?}");
        }
    }

    #[test]
    fn phrase_words_of_other_phrases_are_tokenized() {
        for phrase in [
            "Russia's losses",
            "anti-aircraft warfare",
            "U.S. officials",
            "24h",
            "air defense/anti-aircraft",
            "tanks\u{ad}s",
        ] {
            assert_eq!(phrase_words(phrase), tokenized(phrase), "{phrase:?}");
        }
    }
}
