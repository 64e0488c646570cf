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

use std::collections::HashMap;

use super::evidence::Interner;

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

/// The articles sources and figures name, each (path, hash) stored once and referred to by id.
#[derive(Clone, Debug, Default)]
pub(super) struct Articles {
    pub(super) paths: Interner,
    list: Vec<(u32, Option<Hash>)>,
    ids: HashMap<(u32, Option<Hash>), u32>,
}

impl Articles {
    pub(super) fn id(&mut self, path: &str, hash: Option<Hash>) -> u32 {
        let key = (self.paths.id(path), hash);
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        let id = u32::try_from(self.list.len()).expect("fewer than 2^32 articles");
        self.list.push(key);
        self.ids.insert(key, id);
        id
    }

    pub(super) fn path(&self, id: u32) -> &str {
        self.paths.name(self.list[id as usize].0)
    }

    pub(super) fn hash(&self, id: u32) -> Option<Hash> {
        self.list[id as usize].1
    }

    /// The path's id in `paths`.
    pub(super) fn path_id(&self, id: u32) -> u32 {
        self.list[id as usize].0
    }

    pub(super) fn identity(&self, id: u32) -> Identity {
        match self.list[id as usize] {
            (_, Some(hash)) => Identity::Hash(hash),
            (path, None) => Identity::Path(path),
        }
    }

    /// Every article's (path, hash), by id.
    pub(super) fn all(&self) -> impl Iterator<Item = (&str, Option<Hash>)> + '_ {
        self.list
            .iter()
            .map(|&(path, hash)| (self.paths.name(path), hash))
    }

    /// Each id's position among the articles sorted by path, then hash (none first): the
    /// order sources are written in.
    pub(super) fn ranks(&self) -> Vec<u32> {
        let path_rank = self.paths.ranks(str::cmp);
        let mut ids: Vec<u32> = (0..self.list.len() as u32).collect();
        ids.sort_by_key(|&id| {
            let (path, hash) = self.list[id as usize];
            (path_rank[path as usize], hash)
        });
        let mut ranks = vec![0; ids.len()];
        for (rank, id) in ids.into_iter().enumerate() {
            ranks[id as usize] = rank as u32;
        }
        ranks
    }
}
