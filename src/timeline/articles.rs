//! The articles that sources name, and what makes two sources one.
//!
//! A source is identified by what it is, not by how it was named: an article is a path and the
//! hash of its text ([`crate::figure::article_hash`]), and two sources with the same hash are
//! the same article, whatever their paths. So the same article under another path, or read
//! again from another folder and merged, counts once as a witness (see `choosing`), and its
//! lines are the same lines for the stale rules. Both paths stay listed: a source keeps the
//! name it was read under.
//!
//! A source without a hash (from a timeline of schema version 1, or NDJSON written before
//! hashes) is identified by its path alone, as casrep did before; where the same value of a key
//! also has a hashed source of that path and line, the hashless one adds nothing and is dropped
//! (`Evidence::normalise`), so re-reading old articles into an old timeline does not count them
//! twice. Dropping only what a kept source covers keeps merging associative, commutative and
//! idempotent.

use std::hash::BuildHasher;

use hashbrown::HashTable;

/// The first 128 bits of an article's BLAKE3 hash.
pub(super) type Hash = u128;

/// The hash of a figure's `hash` field, if it is one (see [`crate::figure::is_article_hash`]).
pub(super) fn parse_hash(s: Option<&str>) -> Option<Hash> {
    let s = s.filter(|s| crate::figure::is_article_hash(s))?;
    u128::from_str_radix(s, 16).ok()
}

/// How a hash is written: 32 lowercase hex digits.
pub(super) fn hash_text(hash: Hash) -> String {
    format!("{hash:032x}")
}

/// What counts as one article: its hash, or the path of an article read without one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Identity {
    Hash(Hash),
    Path(u32),
}

/// The articles sources name, each (path, hash) stored once and referred to by id.
///
/// Compact, since a corpus brings one per article: the paths' bytes in one string, each path
/// and each article found again through a table of ids hashed by content (no second copy of a
/// key), the hash in two words.
#[derive(Clone, Debug, Default)]
pub(super) struct Articles {
    /// Every distinct path, one after another; path `k` ends at `ends[k]`.
    text: String,
    ends: Vec<usize>,
    /// Path ids, found by their text.
    path_ids: HashTable<u32>,
    list: Vec<Entry>,
    /// Article ids, found by (path id, hash).
    ids: HashTable<u32>,
}

/// One article: its path id and hash, if it has one.
#[derive(Clone, Copy, Debug)]
struct Entry {
    path: u32,
    hashed: bool,
    hash: [u64; 2],
}

impl Entry {
    fn new(path: u32, hash: Option<Hash>) -> Entry {
        let h = hash.unwrap_or(0);
        Entry {
            path,
            hashed: hash.is_some(),
            hash: [(h >> 64) as u64, h as u64],
        }
    }

    fn hash(&self) -> Option<Hash> {
        self.hashed
            .then(|| (u128::from(self.hash[0]) << 64) | u128::from(self.hash[1]))
    }

    fn key(&self) -> (u32, Option<Hash>) {
        (self.path, self.hash())
    }
}

fn hash_of<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(value)
}

impl Articles {
    pub(super) fn id(&mut self, path: &str, hash: Option<Hash>) -> u32 {
        let path = self.path_id_of(path);
        let key = (path, hash);
        let list = &self.list;
        let h = hash_of(&key);
        if let Some(&id) = self.ids.find(h, |&id| list[id as usize].key() == key) {
            return id;
        }
        let id = u32::try_from(self.list.len()).expect("fewer than 2^32 articles");
        self.list.push(Entry::new(path, hash));
        let list = &self.list;
        self.ids
            .insert_unique(h, id, |&id| hash_of(&list[id as usize].key()));
        id
    }

    /// The id of a path, added if new.
    fn path_id_of(&mut self, path: &str) -> u32 {
        let h = hash_of(path);
        let (text, ends) = (&self.text, &self.ends);
        let name = |id: u32| path_text(text, ends, id);
        if let Some(&id) = self.path_ids.find(h, |&id| name(id) == path) {
            return id;
        }
        let id = u32::try_from(self.ends.len()).expect("fewer than 2^32 paths");
        self.text.push_str(path);
        self.ends.push(self.text.len());
        let (text, ends) = (&self.text, &self.ends);
        self.path_ids
            .insert_unique(h, id, |&id| hash_of(path_text(text, ends, id)));
        id
    }

    pub(super) fn path(&self, id: u32) -> &str {
        path_text(&self.text, &self.ends, self.list[id as usize].path)
    }

    pub(super) fn hash(&self, id: u32) -> Option<Hash> {
        self.list[id as usize].hash()
    }

    /// The path's id: two articles with one path have one path id.
    pub(super) fn path_id(&self, id: u32) -> u32 {
        self.list[id as usize].path
    }

    pub(super) fn identity(&self, id: u32) -> Identity {
        let entry = &self.list[id as usize];
        match entry.hash() {
            Some(hash) => Identity::Hash(hash),
            None => Identity::Path(entry.path),
        }
    }

    /// Every article's (path, hash), by id.
    pub(super) fn all(&self) -> impl Iterator<Item = (&str, Option<Hash>)> + '_ {
        self.list
            .iter()
            .map(|e| (path_text(&self.text, &self.ends, e.path), e.hash()))
    }

    /// Each id's position among the articles sorted by path, then hash (none first): the
    /// order sources are written in.
    pub(super) fn ranks(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = (0..self.list.len() as u32).collect();
        ids.sort_by(|&a, &b| {
            let (ea, eb) = (&self.list[a as usize], &self.list[b as usize]);
            path_text(&self.text, &self.ends, ea.path)
                .cmp(path_text(&self.text, &self.ends, eb.path))
                .then_with(|| ea.hash().cmp(&eb.hash()))
        });
        let mut ranks = vec![0; ids.len()];
        for (rank, id) in ids.into_iter().enumerate() {
            ranks[id as usize] = rank as u32;
        }
        ranks
    }
}

/// The text of path `id`.
fn path_text<'a>(text: &'a str, ends: &[usize], id: u32) -> &'a str {
    let id = id as usize;
    let start = if id == 0 { 0 } else { ends[id - 1] };
    &text[start..ends[id]]
}
