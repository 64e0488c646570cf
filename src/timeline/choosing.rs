//! Choosing: the values stated for one key (date, side, claimant, category, kind) ranked, the
//! best chosen, and the reason written, as a conflict records it.
//!
//! The ranking ([`choose`]):
//! 1. a stale total (see `stale`) comes last and is never chosen;
//! 2. an exact figure beats an `about` one;
//! 3. then the value stated in more files;
//! 4. then, on a tie, for a delta the value equal to the change between the day's chosen totals;
//!    for a total the value that lies between the nearest uncontested totals of its series
//!    before and after it (a cumulative count cannot fall, so a value above the next day's
//!    total is most likely a later report given the wrong date);
//! 5. then the larger value, because cumulative counts only grow and a smaller figure is most
//!    likely an earlier day's report copied on (for deltas by the same rule).

use std::cmp::Ordering;

use chrono::NaiveDate;

use super::articles::{Articles, Identity};
use super::document::PointKind;
use super::evidence::{probe, Src, Stated};
use super::stale::Stale;
use crate::figure::Qualifier;
use crate::messages::plural;

/// The most precise qualifier any source used for a value.
pub(super) fn qualifier_of(sources: &[Src]) -> Qualifier {
    // Every value enters with a source (`from_json` refuses one without); the fallback only
    // keeps this total.
    sources
        .iter()
        .map(|s| s.qualifier)
        .min()
        .unwrap_or(Qualifier::Almost)
}

/// Sources count once per article: an article repeating its own number is not a second
/// witness, nor is the same article under another path (see `articles`).
pub(super) fn distinct_files(sources: &[Src], articles: &Articles) -> usize {
    let mut seen: Vec<Identity> = sources.iter().map(|s| articles.identity(s.file)).collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

/// The values of one key, best first, and why the first won. `chosen` is the first unless every
/// value is stale; then it is `None` and the key has no value in its point.
#[derive(Debug)]
pub(super) struct Choice {
    pub(super) ranked: Vec<u64>,
    pub(super) chosen: Option<u64>,
    pub(super) reason: String,
    pub(super) stale: Vec<Stale>,
}

/// The totals of a series nearest before and after a date that no other value contests.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Around {
    pub(super) before: Option<(NaiveDate, u64)>,
    pub(super) after: Option<(NaiveDate, u64)>,
}

impl Around {
    /// Whether a total lies between them, as a cumulative count must.
    fn fits(&self, value: u64) -> bool {
        self.before.is_none_or(|(_, b)| b <= value) && self.after.is_none_or(|(_, a)| value <= a)
    }

    fn describe(&self) -> String {
        match (self.before, self.after) {
            (Some((bd, b)), Some((ad, a))) => format!("{b} on {bd} and {a} on {ad}"),
            (Some((bd, b)), None) => format!("{b} on {bd}"),
            (None, Some((ad, a))) => format!("{a} on {ad}"),
            (None, None) => String::new(),
        }
    }
}

/// What a key's values are judged against besides their own sources.
#[derive(Clone, Debug, Default)]
pub(super) struct Judge {
    /// For a delta: the change between the chosen totals of the day and the day before.
    pub(super) change: Option<i128>,
    /// For a total: the uncontested totals around it.
    pub(super) around: Around,
    /// The values set aside: for a total, those found stale; for a delta, those above what a
    /// day can bring.
    pub(super) stale: Vec<Stale>,
}

/// Ranks the values of one key (see the module docs) and says why the first won. Each value's
/// standing is worked out once, so ranking n values costs O(n log n).
pub(super) fn choose(
    kind: PointKind,
    values: &[Stated],
    judge: Judge,
    articles: &Articles,
) -> Choice {
    let rank = Ranking {
        kind,
        judge: &judge,
        articles,
    };
    let mut standings: Vec<Standing> = values.iter().map(|s| rank.standing(s)).collect();
    standings.sort_by(|a, b| a.cmp(b));
    let ranked: Vec<u64> = standings.iter().map(|s| s.value).collect();
    standings.retain(|s| !s.stale);
    let fresh = standings;
    let chosen = fresh.first().map(|s| s.value);
    let reason = with_stale(rank.reason(&fresh), chosen, fresh.len(), &judge.stale);
    Choice {
        ranked,
        chosen,
        reason,
        stale: judge.stale,
    }
}

/// The reason completed with the values set aside (stale or implausible), if any.
fn with_stale(reason: String, chosen: Option<u64>, fresh: usize, stale: &[Stale]) -> String {
    let Some(first) = stale.first() else {
        return reason;
    };
    let word = if stale.iter().all(|s| s.word() == first.word()) {
        first.word()
    } else {
        "set aside"
    };
    let stale: Vec<String> = stale
        .iter()
        .map(|s| format!("{} {}: {}", s.value, s.why, s.word()))
        .collect();
    let stale = stale.join("; ");
    match (chosen, fresh) {
        (None, _) => format!("{stale}, so no value is chosen"),
        (Some(best), 1) => format!("{best} is the only value that is not {word}: {stale}"),
        _ => format!("{reason}; {stale}"),
    }
}

/// Where one value stands on each rule of the ranking.
#[derive(Clone, Copy, Debug)]
struct Standing {
    value: u64,
    stale: bool,
    /// Stated exactly, and in how many files.
    strength: (bool, usize),
    matches_change: bool,
    fits: bool,
}

impl Standing {
    /// Best first.
    fn cmp(&self, other: &Self) -> Ordering {
        self.stale
            .cmp(&other.stale)
            .then_with(|| other.strength.cmp(&self.strength))
            .then_with(|| other.matches_change.cmp(&self.matches_change))
            .then_with(|| other.fits.cmp(&self.fits))
            .then_with(|| other.value.cmp(&self.value))
    }
}

/// The rules of the ranking, for the values of one key.
struct Ranking<'a> {
    kind: PointKind,
    judge: &'a Judge,
    articles: &'a Articles,
}

impl Ranking<'_> {
    fn standing(&self, stated: &Stated) -> Standing {
        let value = stated.value;
        probe::count(1);
        Standing {
            value,
            stale: self.judge.stale.iter().any(|s| s.value == value),
            strength: (
                qualifier_of(&stated.sources).is_exact(),
                distinct_files(&stated.sources, self.articles),
            ),
            matches_change: self.judge.change == Some(i128::from(value)),
            fits: self.kind == PointKind::Total && self.judge.around.fits(value),
        }
    }

    /// Why the first of the `fresh` (not stale) values, best first, beat the others; empty
    /// when there is no other.
    fn reason(&self, fresh: &[Standing]) -> String {
        let Some((best, [runner_up, ..])) = fresh.split_first() else {
            return String::new();
        };
        let (value, (exact, files)) = (best.value, best.strength);
        match runner_up.strength {
            (false, _) if exact => format!("{value} is stated exactly, the others are hedged"),
            (_, runner_up) if runner_up < files => format!(
                "{value} is stated in {}, more than any other value ({runner_up})",
                plural(files, "file", "files")
            ),
            _ => {
                let tied: Vec<&Standing> = fresh
                    .iter()
                    .filter(|s| s.strength == (exact, files))
                    .collect();
                let how = if exact { "exact" } else { "hedged" };
                format!(
                    "tie between {} {how} values stated in {} each: {}",
                    tied.len(),
                    plural(files, "file", "files"),
                    self.tie_rule(best, &tied)
                )
            }
        }
    }

    /// The rule that settled a tie between equally strong values (`tied`, best first).
    fn tie_rule(&self, best: &Standing, tied: &[&Standing]) -> String {
        let value = best.value;
        match self.kind {
            PointKind::Delta if best.matches_change => {
                format!("{value} equals the change between the day's totals")
            }
            PointKind::Delta => "the larger change wins, as for totals (no totals on both days \
                                 to decide)"
                .to_owned(),
            PointKind::Total if best.fits && !tied[1].fits => format!(
                "{value} lies within the uncontested totals around it ({}), {} not",
                self.judge.around.describe(),
                if tied.len() > 2 {
                    "the others do"
                } else {
                    "the other does"
                }
            ),
            PointKind::Total => "the larger total wins, since cumulative counts only grow and a \
                                 smaller one is most likely an earlier report"
                .to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::timeline::test_support::*;

    #[test]
    fn exact_figure_beats_about_even_with_more_sources() {
        let about = |file| {
            hedged(
                fig(file, 1, "personnel", Kind::Total, 146000, "2023-02-23"),
                Qualifier::About,
            )
        };
        let exact = fig("x.txt", 9, "personnel", Kind::Total, 145850, "2023-02-23");
        let t = build(vec![about("p.txt"), about("q.txt"), exact]);
        assert_eq!(point(&t, "2023-02-23").totals[&cat("personnel")], 145850);
        let conflicts = t.conflicts();
        let conflict = &conflicts[0];
        assert_eq!(conflict.chosen, Some(145850));
        assert_eq!(
            conflict.reason,
            "145850 is stated exactly, the others are hedged"
        );
    }

    #[test]
    fn value_stated_in_more_files_wins() {
        let t = build(vec![
            fig("a.txt", 1, "tanks", Kind::Total, 3350, "2023-02-23"),
            fig("b.txt", 1, "tanks", Kind::Total, 3350, "2023-02-23"),
            fig("c.txt", 1, "tanks", Kind::Total, 3530, "2023-02-23"),
        ]);
        assert_eq!(t.conflicts()[0].chosen, Some(3350));
        assert_eq!(
            t.conflicts()[0].reason,
            "3350 is stated in 2 files, more than any other value (1)"
        );
    }

    #[test]
    fn repeating_a_number_in_one_file_is_not_more_agreement() {
        let t = build(vec![
            fig("a.txt", 1, "tanks", Kind::Total, 3334, "2023-02-22"),
            fig("a.txt", 7, "tanks", Kind::Total, 3334, "2023-02-22"),
            fig("b.txt", 1, "tanks", Kind::Total, 3343, "2023-02-22"),
        ]);
        assert_eq!(t.conflicts()[0].chosen, Some(3343));
        assert!(t.conflicts()[0]
            .reason
            .starts_with("tie between 2 exact values"));
    }

    #[test]
    fn tie_between_totals_takes_the_larger() {
        let t = build(vec![
            fig("a.txt", 1, "personnel", Kind::Total, 145060, "2023-02-23"),
            fig("b.txt", 1, "personnel", Kind::Total, 145850, "2023-02-23"),
        ]);
        assert_eq!(point(&t, "2023-02-23").totals[&cat("personnel")], 145850);
        assert!(t.conflicts()[0].reason.contains("the larger total wins"));
    }

    #[test]
    fn tie_between_totals_takes_the_one_within_its_uncontested_neighbours() {
        // A weekly piece's 986 tanks given the date a week too early, against the day's 838.
        let t = build(vec![
            fig("a.txt", 1, "tanks", Kind::Total, 836, "2022-04-21"),
            fig("b.txt", 1, "tanks", Kind::Total, 838, "2022-04-22"),
            fig("w.txt", 1, "tanks", Kind::Total, 986, "2022-04-22"),
            fig("c.txt", 1, "tanks", Kind::Total, 847, "2022-04-23"),
        ]);
        assert_eq!(point(&t, "2022-04-22").totals[&cat("tanks")], 838);
        assert_eq!(
            t.conflicts()[0].reason,
            "tie between 2 exact values stated in 1 file each: 838 lies within the \
             uncontested totals around it (836 on 2022-04-21 and 847 on 2022-04-23), the other \
             does not"
        );
    }

    #[test]
    fn tie_between_deltas_takes_the_one_matching_the_totals() {
        let mut figures = seeds();
        figures.push(fig("z.txt", 2, "personnel", Kind::Delta, 790, "2023-02-22"));
        let t = build(figures);
        assert_eq!(point(&t, "2023-02-22").deltas[&cat("personnel")], 620);
        assert_eq!(
            t.conflicts()[0].reason,
            "tie between 2 exact values stated in 1 file each: \
             620 equals the change between the day's totals"
        );
    }

    /// One key with `n` distinct values, each stated in its own file.
    fn many_values(n: usize) -> Vec<Figure> {
        (0..n)
            .map(|i| {
                let file = format!("f{i}.txt");
                fig(
                    &file,
                    1,
                    "tanks",
                    Kind::Total,
                    1000 + i as u64,
                    "2023-02-22",
                )
            })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

        /// Building and choosing among n values of one key examines O(n log n) values: one
        /// value's look-up is never a scan of all the others.
        #[test]
        fn choosing_among_many_values_grows_as_n_log_n(n in 1usize..3000) {
            let figures = many_values(n);
            super::super::evidence::probe::take();
            let t = build(figures);
            let conflicts = t.conflicts();
            let examined = super::super::evidence::probe::take();
            let bound = 16 * n * (usize::BITS - n.leading_zeros()) as usize + 64;
            proptest::prop_assert!(examined <= bound, "{examined} values examined for n = {n}, bound {bound}");
            // Still the right choice: the larger total on a tie.
            let chosen = if n > 1 { conflicts[0].chosen } else { None };
            proptest::prop_assert_eq!(chosen, (n > 1).then(|| 1000 + n as u64 - 1));
        }
    }

    /// A figure of `file` whose text is `text` (its hash).
    fn of_text(file: &str, text: &str, value: u64) -> Figure {
        Figure {
            hash: Some(crate::figure::article_hash(text)),
            ..fig(file, 1, "tanks", Kind::Total, value, "2023-02-22")
        }
    }

    #[test]
    fn the_same_article_under_two_paths_is_one_witness() {
        let t = build(vec![
            of_text("a.txt", "one article", 3334),
            of_text("copy/a.txt", "one article", 3334),
            of_text("b.txt", "another article", 3343),
        ]);
        let conflict = &t.conflicts()[0];
        assert_eq!(conflict.chosen, Some(3343));
        assert!(
            conflict
                .reason
                .starts_with("tie between 2 exact values stated in 1 file each"),
            "{}",
            conflict.reason
        );
        // Both names of the article stay listed.
        let files: Vec<&str> = conflict.candidates[1]
            .sources
            .iter()
            .map(|s| s.file.as_str())
            .collect();
        assert_eq!(files, ["a.txt", "copy/a.txt"]);
        // Two different texts under two paths are two witnesses.
        let t = build(vec![
            of_text("a.txt", "one article", 3334),
            of_text("copy/a.txt", "an edited article", 3334),
            of_text("b.txt", "another article", 3343),
        ]);
        assert_eq!(t.conflicts()[0].chosen, Some(3334));
    }
}
