//! The timeline: dated figures folded into one point per (date, side, claimant), with conflicts
//! resolved and the series checked.
//!
//! A timeline is a pure function of a *set of evidence*: for each (claimant, side, date,
//! category, total-or-daily-delta), the distinct values stated and, for each value, its sources
//! (file and line, with the qualifier the source used); plus the figures that cannot be placed on
//! a day (`undated`, `periods`, `bounds`). `build` gathers that set from figures; `merge` reads it
//! back out of timelines (points, conflicts and the three figure lists hold all of it) and takes
//! the union. Both derive the output the same way, so, because set union is associative,
//! commutative and idempotent, the timeline of a folder equals the merge of the timelines of any
//! split of it, byte for byte, and merging a timeline into itself changes nothing.
//!
//! The stages, in the order the data goes through them:
//! 1. [`evidence`]: figures gathered into the evidence set (and timelines united), compactly;
//!    which figures are values of a day and which are kept whole (undated, periods, bounds).
//! 2. [`choosing`]: the values of one key ranked, the best chosen, and the reason written.
//! 3. [`stale`]: totals that the rest of their series shows to be an earlier day's count.
//! 4. [`derive`]: the decisions of a whole timeline, series by series in date order, and the
//!    points and conflicts made from them one at a time.
//! 5. [`checks`]: problems found in the chosen series, against what a day can plausibly bring
//!    ([`plausible`]).
//! 6. [`read`] and [`write`]: the JSON document in and out, and NDJSON out; [`csv`]: one
//!    series as CSV.
//!
//! [`document`] holds the public types of the document's parts.

mod articles;
mod checks;
mod choosing;
mod csv;
mod derive;
mod document;
mod evidence;
mod kept;
mod plausible;
mod read;
mod stale;
mod write;

#[cfg(test)]
mod test_support;

pub use csv::{to_csv, CsvOptions};
pub use document::{
    is_unprintable, printable, Candidate, Category, CategoryMap, Check, Conflict, Point, PointKind,
    PointSource, Problem, Source, CATEGORY_ORDER, SCHEMA_VERSION,
};
pub use read::{check_dates, check_figure, check_plausible, from_file, from_json};
#[cfg(test)]
pub use write::to_json;
pub use write::{to_ndjson, write_json};

use crate::figure::Figure;
use evidence::Evidence;

/// The whole output of `casrep timeline`; also what `--merge` reads back.
///
/// Held as its evidence (see the module docs); [`Timeline::points`], [`Timeline::conflicts`] and
/// [`Timeline::checks`] derive the parts of the document, and the writers derive them one item at
/// a time. The document's keys: `schema_version`; `timeline`, one [`Point`] per (date, side,
/// claimant), sorted by claimant, side, date (null first); `undated`, figures whose date could not
/// be resolved; `periods`, dated figures over a span other than one day; `bounds`, dated figures
/// that only bound a value ("more than 500 tanks"); `conflicts`, every (date, side, claimant,
/// category, kind) stated with more than one value or with only a stale one; `checks`, problems
/// found in the chosen series. The three figure lists are sorted by file and position.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    evidence: Evidence,
}

/// The timeline of a set of figures.
pub fn build(figures: Vec<Figure>) -> Timeline {
    let mut evidence = Evidence::default();
    for figure in figures {
        evidence.add_figure(figure);
    }
    evidence.normalise();
    Timeline { evidence }
}

/// One timeline holding the evidence of all `parts`; equal to `build` over all their figures.
/// The parts must come from `build`, `merge` or `from_json` (which checks what this relies on).
pub fn merge(parts: Vec<Timeline>) -> Timeline {
    let mut running = Builder::default();
    for part in parts {
        running.add(part);
    }
    running.finish()
}

/// A timeline being folded together from parts as they come (the timelines of batches of
/// articles, `--merge` files), holding one running evidence: each value of a key once,
/// however many parts state it. [`Builder::finish`] puts it in order once, at the end, and
/// gives the same timeline as [`merge`] of all the parts.
#[derive(Debug, Default)]
pub struct Builder {
    evidence: Evidence,
}

impl Builder {
    /// Folds in a timeline from `build`, `merge` or `from_json`.
    pub fn add(&mut self, part: Timeline) {
        if self.evidence.size() == 0 {
            self.evidence = part.evidence;
        } else {
            self.evidence.absorb(part.evidence);
        }
    }

    pub fn finish(mut self) -> Timeline {
        self.evidence.normalise();
        Timeline {
            evidence: self.evidence,
        }
    }
}

impl Timeline {
    /// The points, in output order.
    pub fn points(&self) -> Vec<Point> {
        self.evidence.derive().points().collect()
    }

    /// The (claimant, side) of every series, in output order.
    pub fn series(&self) -> Vec<(Option<String>, Option<String>)> {
        let ev = &self.evidence;
        let series: std::collections::BTreeSet<(Option<&str>, Option<&str>)> = ev
            .facts
            .keys()
            .map(|k| (ev.party(k.claimant), ev.party(k.side)))
            .collect();
        let owned = |id: Option<&str>| id.map(str::to_owned);
        series
            .into_iter()
            .map(|(claimant, side)| (owned(claimant), owned(side)))
            .collect()
    }

    /// The conflicts, in output order.
    pub fn conflicts(&self) -> Vec<Conflict> {
        self.evidence.derive().conflicts().collect()
    }

    /// The checks, in output order.
    pub fn checks(&self) -> Vec<Check> {
        self.evidence.derive().checks
    }

    /// Figures whose date could not be resolved, sorted by file and position.
    pub fn undated(&self) -> Vec<Figure> {
        self.evidence.figures(&self.evidence.undated).collect()
    }

    /// Dated figures over a span other than one day.
    pub fn periods(&self) -> Vec<Figure> {
        self.evidence.figures(&self.evidence.periods).collect()
    }

    /// Dated totals and daily deltas that only bound the value ("more than 500 tanks").
    pub fn bounds(&self) -> Vec<Figure> {
        self.evidence.figures(&self.evidence.bounds).collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::timeline::test_support::*;
    use proptest::prelude::*;

    fn arb_figure() -> impl Strategy<Value = Figure> {
        let text = |options: &'static [&'static str]| proptest::sample::select(options);
        let opt_text = |options: &'static [&'static str]| {
            proptest::option::of(text(options)).prop_map(|o| o.map(str::to_owned))
        };
        (
            (
                (
                    text(&["a.txt", "b.txt", "c.txt", "again/a.txt"]),
                    // Mostly the article's text; sometimes none (an old timeline's source)
                    // or an edited text under the same path.
                    proptest::sample::select(vec![Some(""), Some(""), None, Some(" (edited)")]),
                ),
                1usize..4,
                text(&["personnel", "tanks", "pow"]),
                proptest::sample::select(vec![Kind::Total, Kind::Delta, Kind::Period]),
                proptest::option::of(1u32..3),
            ),
            (
                proptest::sample::select(vec![144440u64, 145060, 145850, 620, 790]),
                proptest::sample::select(vec![
                    Qualifier::Exact,
                    Qualifier::About,
                    Qualifier::Almost,
                ]),
                opt_text(&["russia"]),
                opt_text(&["ukraine", "united_states"]),
                proptest::option::of(20u32..24),
            ),
        )
            .prop_map(
                |(
                    ((file, text), line, category, kind, days),
                    (value, qualifier, side, claimant, day),
                )| {
                    // "again/a.txt" is a copy of "a.txt": the same text.
                    let article = file.trim_start_matches("again/");
                    Figure {
                        file: file.to_owned(),
                        hash: text.map(|t| crate::figure::article_hash(&format!("{article}{t}"))),
                        line,
                        start: line * 10,
                        end: line * 10 + 5,
                        quote: format!("{value} {category}"),
                        sentence: format!("Russia lost {value} {category}."),
                        category: category.to_owned(),
                        kind,
                        days,
                        value,
                        qualifier,
                        side,
                        claimant,
                        lang: None,
                        date: day.map(|d| NaiveDate::from_ymd_opt(2023, 2, d).unwrap()),
                        date_basis: "test".to_owned(),
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn timeline_of_shards_merges_to_the_timeline_of_all(
            figures in proptest::collection::vec(arb_figure(), 0..40),
            shard_of in proptest::collection::vec(0usize..4, 40),
        ) {
            let mut shards = vec![Vec::new(); 4];
            for (figure, &shard) in figures.iter().zip(&shard_of) {
                shards[shard].push(figure.clone());
            }
            // Through JSON, as a nightly job reads yesterday's file back.
            let parts = shards
                .into_iter()
                .map(|s| from_json(&to_json(&build(s))).unwrap())
                .collect();
            prop_assert_eq!(to_json(&merge(parts)), to_json(&build(figures)));
        }

        #[test]
        fn merging_a_timeline_into_itself_changes_nothing(
            figures in proptest::collection::vec(arb_figure(), 0..40),
        ) {
            let t = build(figures);
            prop_assert_eq!(to_json(&merge(vec![t.clone(), t.clone()])), to_json(&t));
            prop_assert_eq!(to_json(&merge(vec![t.clone()])), to_json(&t));
        }
    }
}
