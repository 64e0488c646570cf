//! Gathering figures into evidence: the set a timeline is derived from, held compactly.
//!
//! A dated total or daily delta is a *fact*: a value of a key (claimant, side, category, date,
//! kind) with its sources (file, line, qualifier). Everything else is kept whole:
//! - figures with no date go to `undated`;
//! - kinds that name no single day, `period` figures and deltas over more than one day, go to
//!   `periods` (same shape as `undated`): placing them on a daily series would need the span's
//!   start, which the text rarely gives. Nothing is dropped;
//! - bounds are not values. A dated total or daily delta qualified `more_than`, `less_than` or
//!   `almost` ("more than 500 tanks", "almost 150,000") only says on which side of a number the
//!   value lies, so it never becomes a series value nor a candidate in a conflict: it is kept
//!   whole in `bounds`. `about` figures do stay in the series: the General Staff's own posts say
//!   "about 144440", and that is the official figure; an exact figure still beats an `about` one
//!   in a conflict.
//!
//! Memory: a timeline holds only this evidence, compactly (file paths, categories and parties
//! interned once and referred to by index, lines as `u32`), and derives its points, conflicts
//! and checks when it is written, one item at a time. So a timeline costs about a dozen bytes
//! per source; the figures it keeps whole go to temporary files past a few thousand (see
//! `kept`), and `from_json` reads a file straight into that form.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;

use super::articles::{parse_hash, Articles};
use super::document::PointKind;
use super::kept::Kept;
use crate::figure::{Figure, Kind, Qualifier};

/// Strings stored once and referred to by index. Ids depend on the order strings arrive in, so
/// nothing is ever ordered by id: output order comes from [`Interner::ranks`].
#[derive(Clone, Debug, Default)]
pub(super) struct Interner {
    names: Vec<Arc<str>>,
    ids: HashMap<Arc<str>, u32>,
}

impl Interner {
    pub(super) fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = u32::try_from(self.names.len()).expect("fewer than 2^32 distinct strings");
        let name: Arc<str> = name.into();
        self.names.push(Arc::clone(&name));
        self.ids.insert(name, id);
        id
    }

    pub(super) fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// Each id's position among the names sorted by `cmp`.
    pub(super) fn ranks(&self, cmp: impl Fn(&str, &str) -> Ordering) -> Vec<u32> {
        let mut ids: Vec<u32> = (0..self.names.len() as u32).collect();
        ids.sort_by(|&a, &b| cmp(self.name(a), self.name(b)));
        let mut ranks = vec![0; ids.len()];
        for (rank, id) in ids.into_iter().enumerate() {
            ranks[id as usize] = rank as u32;
        }
        ranks
    }
}

/// A party id (claimant or side) in `Evidence::names`, or [`NULL`].
pub(super) type PartyId = u32;
pub(super) const NULL: PartyId = u32::MAX;

/// Lines and positions beyond 2^32 would need a file of more than 4 GB, which casrep does not
/// read whole; they are clamped rather than refused.
pub(super) fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// For tests of how work grows with the evidence: counts the values a look-up examines.
pub(super) mod probe {
    #[cfg(test)]
    thread_local! {
        static EXAMINED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    #[inline]
    pub(in crate::timeline) fn count(_n: usize) {
        #[cfg(test)]
        EXAMINED.with(|e| e.set(e.get() + _n));
    }

    /// The count since the last call, on this thread.
    #[cfg(test)]
    pub(in crate::timeline) fn take() -> usize {
        EXAMINED.with(|e| e.replace(0))
    }
}

/// What a value is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct FactKey {
    pub(super) claimant: PartyId,
    pub(super) side: PartyId,
    pub(super) category: u32,
    pub(super) date: NaiveDate,
    pub(super) kind: PointKind,
}

/// A place that states a value: file id, line, and the most precise qualifier used there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Src {
    pub(super) file: u32,
    pub(super) line: u32,
    pub(super) qualifier: Qualifier,
}

/// One value of a key and its sources (after `normalise`: sorted by file and line, each once).
/// After `normalise` a key's values are sorted by value, each once: see [`find_value`].
#[derive(Clone, Debug)]
pub(super) struct Stated {
    pub(super) value: u64,
    pub(super) sources: Vec<Src>,
}

/// The value `value` among a key's values (sorted, as `normalise` leaves them), by binary
/// search: a look-up costs O(log n) however many values a key has.
pub(super) fn find_value(values: &[Stated], value: u64) -> Option<&Stated> {
    probe::count(usize::BITS as usize - values.len().leading_zeros() as usize + 1);
    let at = values.binary_search_by_key(&value, |s| s.value).ok()?;
    Some(&values[at])
}

/// The set a timeline is derived from (see the module docs).
#[derive(Clone, Debug, Default)]
pub(super) struct Evidence {
    /// The articles that `Src::file` refers to.
    pub(super) articles: Articles,
    /// Category ids and party ids.
    pub(super) names: Interner,
    /// Values per key, sorted by value after `normalise`.
    pub(super) facts: HashMap<FactKey, Vec<Stated>>,
    pub(super) undated: Kept,
    pub(super) periods: Kept,
    pub(super) bounds: Kept,
}

/// Where a dated figure goes.
enum Place {
    Fact(PointKind),
    Periods,
    Bounds,
}

/// A span other than one day makes a period, whatever the qualifier; a day's total or delta
/// that is only bounded makes a bound.
fn place(kind: Kind, days: Option<u32>, qualifier: Qualifier) -> Place {
    let kind = match (kind, days) {
        (Kind::Total, _) => PointKind::Total,
        (Kind::Delta, None | Some(1)) => PointKind::Delta,
        _ => return Place::Periods,
    };
    if is_bound(qualifier) {
        Place::Bounds
    } else {
        Place::Fact(kind)
    }
}

/// "more than", "less than", "almost": the text gives a bound, not the value.
pub(super) fn is_bound(qualifier: Qualifier) -> bool {
    matches!(
        qualifier,
        Qualifier::MoreThan | Qualifier::LessThan | Qualifier::Almost
    )
}

impl Evidence {
    pub(super) fn size(&self) -> usize {
        self.facts.len() + self.undated.len() + self.periods.len() + self.bounds.len()
    }

    pub(super) fn party_id(&mut self, party: Option<&str>) -> PartyId {
        party.map_or(NULL, |p| self.names.id(p))
    }

    pub(super) fn party(&self, id: PartyId) -> Option<&str> {
        (id != NULL).then(|| self.names.name(id))
    }

    pub(super) fn add_figure(&mut self, figure: Figure) {
        let Some(date) = figure.date else {
            self.undated.push(figure);
            return;
        };
        match place(figure.kind, figure.days, figure.qualifier) {
            Place::Periods => self.periods.push(figure),
            Place::Bounds => self.bounds.push(figure),
            Place::Fact(kind) => {
                let key = FactKey {
                    claimant: self.party_id(figure.claimant.as_deref()),
                    side: self.party_id(figure.side.as_deref()),
                    category: self.names.id(&figure.category),
                    date,
                    kind,
                };
                let src = Src {
                    file: self
                        .articles
                        .id(&figure.file, parse_hash(figure.hash.as_deref())),
                    line: small(figure.line),
                    qualifier: figure.qualifier,
                };
                self.add_source(key, figure.value, src);
            }
        }
    }

    pub(super) fn figures<'a>(&'a self, list: &'a Kept) -> impl Iterator<Item = Figure> + 'a {
        list.figures()
    }

    /// Adds one source of one value. A value is looked for only among the last one added, so
    /// adding is constant-time however many values a key has: `normalise` merges the rest.
    pub(super) fn add_source(&mut self, key: FactKey, value: u64, src: Src) {
        let values = self.facts.entry(key).or_default();
        probe::count(1);
        match values.last_mut() {
            Some(stated) if stated.value == value => stated.sources.push(src),
            _ => values.push(Stated {
                value,
                sources: vec![src],
            }),
        }
    }

    /// Adds the evidence of `other`, translating its ids into ours. When both have their values
    /// sorted, each once (as `normalise` leaves them), so does the result: a key's values are
    /// merged as two sorted lists, so folding many parts into one running evidence keeps one
    /// entry per value, whatever the number of parts.
    pub(super) fn absorb(&mut self, other: Evidence) {
        let files: Vec<u32> = other
            .articles
            .all()
            .map(|(path, hash)| self.articles.id(path, hash))
            .collect();
        let names: Vec<u32> = other.names.names.iter().map(|n| self.names.id(n)).collect();
        let party = |id: PartyId| if id == NULL { NULL } else { names[id as usize] };
        for (key, mut values) in other.facts {
            let key = FactKey {
                claimant: party(key.claimant),
                side: party(key.side),
                category: names[key.category as usize],
                ..key
            };
            for stated in &mut values {
                for src in &mut stated.sources {
                    src.file = files[src.file as usize];
                }
            }
            let mine = self.facts.entry(key).or_default();
            merge_values(mine, values);
        }
        self.undated.absorb(other.undated);
        self.periods.absorb(other.periods);
        self.bounds.absorb(other.bounds);
    }

    /// Puts the evidence in its canonical form: values sorted, each source once per value with
    /// the most precise qualifier it used (`Exact` orders first: a source that once said it
    /// exactly keeps saying so), sources and figure lists sorted, exact duplicate figures dropped.
    pub(super) fn normalise(&mut self) {
        let file_rank = self.articles.ranks();
        let articles = &self.articles;
        for values in self.facts.values_mut() {
            values.sort_by_key(|s| s.value);
            // `add_source` merges a value only with the one added just before it.
            values.dedup_by(|later, earlier| {
                let same = later.value == earlier.value;
                if same {
                    earlier.sources.append(&mut later.sources);
                }
                same
            });
            for stated in values.iter_mut() {
                let sources = &mut stated.sources;
                sources.sort_by_key(|s| (file_rank[s.file as usize], s.line, s.qualifier));
                sources.dedup_by(|later, earlier| {
                    (later.file, later.line) == (earlier.file, earlier.line)
                });
                drop_covered(sources, articles);
                sources.shrink_to_fit();
            }
        }
        for list in [&mut self.undated, &mut self.periods, &mut self.bounds] {
            list.normalise();
        }
    }
}

/// Merges `theirs` into `mine`, both sorted by value: equal values become one, with the
/// sources of both. Linear in the two lengths (unsorted lists are merged right too, just not
/// into one entry per value: `normalise` finishes the job).
fn merge_values(mine: &mut Vec<Stated>, theirs: Vec<Stated>) {
    if mine.is_empty() {
        *mine = theirs;
        return;
    }
    // Most parts bring one or two values of a key: found in place, without a new list.
    if theirs.len() <= 2 {
        for stated in theirs {
            match mine.binary_search_by_key(&stated.value, |s| s.value) {
                Ok(at) => extend_snug(&mut mine[at].sources, stated.sources),
                Err(at) => mine.insert(at, stated),
            }
        }
        return;
    }
    let ours = std::mem::take(mine);
    let mut ours = ours.into_iter().peekable();
    let mut theirs = theirs.into_iter().peekable();
    loop {
        let next = match (ours.peek(), theirs.peek()) {
            (Some(a), Some(b)) if a.value == b.value => {
                let (mut a, b) = (ours.next().unwrap(), theirs.next().unwrap());
                extend_snug(&mut a.sources, b.sources);
                a
            }
            (Some(a), Some(b)) if a.value < b.value => ours.next().unwrap(),
            (Some(_), Some(_)) => theirs.next().unwrap(),
            (Some(_), None) => ours.next().unwrap(),
            (None, Some(_)) => theirs.next().unwrap(),
            (None, None) => break,
        };
        mine.push(next);
    }
}

/// Appends `more` to `mine`, growing it by at most an eighth beyond what it holds: a running
/// timeline's sources arrive a few at a time over the whole run, and doubling would leave up to
/// half of their memory unused.
fn extend_snug(mine: &mut Vec<Src>, more: Vec<Src>) {
    let need = mine.len() + more.len();
    if need > mine.capacity() {
        mine.reserve_exact(need + need / 8 - mine.len());
    }
    mine.extend(more);
}

/// Drops each source without a hash whose path and line a hashed source of the same value
/// also has: the same article, read again by a casrep that hashes (see `articles`).
fn drop_covered(sources: &mut Vec<Src>, articles: &Articles) {
    if sources.iter().all(|s| articles.hash(s.file).is_some()) {
        return;
    }
    let hashed: HashSet<(u32, u32)> = sources
        .iter()
        .filter(|s| articles.hash(s.file).is_some())
        .map(|s| (articles.path_id(s.file), s.line))
        .collect();
    sources.retain(|s| {
        articles.hash(s.file).is_some() || !hashed.contains(&(articles.path_id(s.file), s.line))
    });
}

#[cfg(test)]
mod tests {
    use crate::timeline::test_support::*;

    #[test]
    fn almost_150000_is_a_bound_and_never_overrides_145850() {
        let almost = hedged(
            fig("p.txt", 1, "personnel", Kind::Total, 150000, "2023-02-23"),
            Qualifier::Almost,
        );
        let exact = fig("x.txt", 9, "personnel", Kind::Total, 145850, "2023-02-23");
        let t = build(vec![almost.clone(), exact]);
        assert_eq!(point(&t, "2023-02-23").totals[&cat("personnel")], 145850);
        assert!(t.conflicts().is_empty());
        assert_eq!(t.bounds(), [almost]);
    }

    #[test]
    fn bounds_alone_make_no_series_value() {
        let more_than = hedged(
            fig("a.txt", 1, "tanks", Kind::Total, 500, "2022-03-26"),
            Qualifier::MoreThan,
        );
        let less_than = hedged(
            fig("a.txt", 2, "personnel", Kind::Delta, 1000, "2022-03-26"),
            Qualifier::LessThan,
        );
        let t = build(vec![more_than.clone(), less_than.clone()]);
        assert!(t.points().is_empty());
        assert_eq!(t.bounds(), [more_than, less_than]);
        assert!(t.undated().is_empty() && t.periods().is_empty());
    }

    #[test]
    fn about_stays_in_the_series_like_the_general_staffs_own_posts() {
        let about = hedged(
            fig("a.txt", 3, "personnel", Kind::Total, 144440, "2023-02-21"),
            Qualifier::About,
        );
        let t = build(vec![about]);
        assert_eq!(point(&t, "2023-02-21").totals[&cat("personnel")], 144440);
        assert!(t.bounds().is_empty());
    }

    #[test]
    fn undated_bounds_stay_undated_and_bounded_periods_stay_periods() {
        let undated_bound = undated(hedged(
            fig("a.txt", 1, "tanks", Kind::Total, 500, "2022-03-26"),
            Qualifier::MoreThan,
        ));
        let bounded_period = hedged(
            fig("a.txt", 2, "tanks", Kind::Period, 100, "2022-03-26"),
            Qualifier::MoreThan,
        );
        let t = build(vec![undated_bound.clone(), bounded_period.clone()]);
        assert_eq!(t.undated(), [undated_bound]);
        assert_eq!(t.periods(), [bounded_period]);
        assert!(t.bounds().is_empty());
    }

    #[test]
    fn undated_figures_are_kept_sorted_and_deduplicated() {
        let late = undated(fig("b.txt", 1, "tanks", Kind::Total, 3334, "2023-02-22"));
        let early = undated(fig("a.txt", 9, "tanks", Kind::Total, 3334, "2023-02-22"));
        let t = build(vec![late.clone(), early.clone(), late.clone()]);
        assert_eq!(t.undated(), [early, late]);
        assert!(t.points().is_empty());
    }

    #[test]
    fn periods_and_multi_day_deltas_are_kept_apart() {
        let mut two_days = fig("a.txt", 1, "tanks", Kind::Delta, 25, "2023-02-22");
        two_days.days = Some(2);
        let since_december = fig("a.txt", 2, "personnel", Kind::Period, 100000, "2023-02-22");
        let mut no_days = fig("a.txt", 3, "personnel", Kind::Delta, 620, "2023-02-22");
        no_days.days = None;
        let t = build(vec![two_days.clone(), since_december.clone(), no_days]);
        assert_eq!(t.periods(), [two_days, since_december]);
        assert_eq!(point(&t, "2023-02-22").deltas[&cat("personnel")], 620);
    }

    #[test]
    fn merging_the_same_source_twice_does_not_add_agreement() {
        let a = build(vec![fig(
            "a.txt",
            1,
            "tanks",
            Kind::Total,
            3334,
            "2023-02-22",
        )]);
        let b = build(vec![
            fig("b.txt", 1, "tanks", Kind::Total, 3343, "2023-02-22"),
            fig("c.txt", 1, "tanks", Kind::Total, 3343, "2023-02-22"),
        ]);
        let t = merge(vec![a.clone(), a.clone(), a, b]);
        assert_eq!(t.conflicts()[0].chosen, Some(3343));
    }

    #[test]
    fn exact_and_about_from_one_line_keep_exact() {
        let exact = fig("a.txt", 1, "personnel", Kind::Total, 144440, "2023-02-21");
        let about = hedged(exact.clone(), Qualifier::About);
        let t = merge(vec![build(vec![about]), build(vec![exact])]);
        let sources = &point(&t, "2023-02-21").sources[&cat("personnel")];
        assert_eq!(sources.len(), 1);
        assert_eq!(sources[0].qualifier, Qualifier::Exact);
    }

    #[test]
    fn a_source_without_a_hash_adds_nothing_beside_the_same_line_with_one() {
        // An old timeline's source (no hash) and the same article read again with its hash.
        let old = fig("a.txt", 4, "tanks", Kind::Total, 3334, "2023-02-22");
        let again = Figure {
            hash: Some(crate::figure::article_hash("the article")),
            ..old.clone()
        };
        let other = fig("b.txt", 1, "tanks", Kind::Total, 3343, "2023-02-22");
        let t = merge(vec![
            build(vec![old.clone(), other.clone()]),
            build(vec![again.clone()]),
        ]);
        let sources = &t.conflicts()[0].candidates;
        let a = sources.iter().find(|c| c.value == 3334).unwrap();
        assert_eq!(a.sources.len(), 1);
        assert_eq!(a.sources[0].hash, again.hash);
        // Still one witness against one: the larger total wins the tie.
        assert_eq!(t.conflicts()[0].chosen, Some(3343));
        // The same for figures kept whole.
        let t = merge(vec![
            build(vec![undated(old)]),
            build(vec![undated(again.clone())]),
        ]);
        assert_eq!(t.undated(), [undated(again)]);
    }
}
