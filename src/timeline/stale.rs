//! Stale totals: a total that the rest of its series shows to be an earlier day's count.
//!
//! Sloppy rewrites copy an earlier day's total, often next to the day's change ("special
//! equipment -1,260 ( +8)" on 2023-12-31, where 1,260 is the 2023-12-30 total). A stale total is
//! never chosen: another value of the day wins the conflict, and if it is the only one the day
//! has no total for the category (the conflict lists it with `chosen: null`). Either way a
//! `stale_total` check names the values and why. No corrected value is made up. Days are judged
//! in date order, each against the choices before it, so the outcome depends on the evidence
//! alone (and a merge gives the same bytes as one run). Found stale:
//! - in any series, a total on D that equals the chosen total on D-1 while the same line (file
//!   and line) states a non-zero change on D: a count that grew by 8 cannot equal the day
//!   before's. Not when a report of D-1 states the total the line implies (total minus change):
//!   then the line agrees with that report and the doubt is on D-1's choice;
//! - in a daily series (a claimant and side with a daily change on at least half of their
//!   dates: the General Staff's count, Russia's defence ministry's), an exact total that is out
//!   of line with the nearest totals around it: (1) with a non-zero change on its line yet not
//!   above the total before it; (2) stated in one file and lower than both the total before and
//!   the one after it, which are in order ("1,055, 1,053, 1,056"); (3) lower than the total the
//!   next day's line implies for it (2,602 (+4) on the 30th says 2,598 on the 29th) in at least
//!   as many files. A neighbour above the total after it, or stated in fewer files, judges
//!   nothing, so one misread figure cannot condemn the right ones after it; a line whose total
//!   minus change is stated for the day before is never doubted. Estimates gathered from many
//!   outlets (Oryx, "media") have no daily changes and keep their dips, reported as
//!   `total_decreased`. The price: a correction the General Staff made (the official series
//!   falls 13 times, e.g. tanks 3,799, 3,797, 3,801 in May 2023) looks exactly like rule (2)
//!   when only one article reports it, and is left out with its check.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::articles::Identity;
use super::choosing::{distinct_files, qualifier_of, Choice};
use super::derive::Day;
use super::evidence::{find_value, Evidence, FactKey, Src, Stated};

/// A value set aside: a total the rest of its series shows to be out of date (see the module
/// docs), or a daily change larger than a day can bring (`implausible`, see `plausible`); `why`
/// completes "1260 ...".
#[derive(Clone, Debug)]
pub(super) struct Stale {
    pub(super) value: u64,
    pub(super) why: String,
    pub(super) implausible: bool,
}

impl Stale {
    /// The word a conflict's reason and a check use for it.
    pub(super) fn word(&self) -> &'static str {
        if self.implausible {
            "implausible"
        } else {
            "stale"
        }
    }
}

/// A chosen exact total of a daily series, as its neighbours see it.
struct Kept<'a> {
    date: NaiveDate,
    key: &'a FactKey,
    stated: &'a Stated,
    files: usize,
    changes: Vec<(Src, u64)>,
}

impl Evidence {
    /// Whether one of a day's total `values` is stale: it equals `yesterday`'s chosen total,
    /// while a line stating it also states a non-zero change of the same category for the day
    /// ("special equipment -1,260 ( +8)" where 1,260 was the day before's total). A total that
    /// grew by 8 cannot equal the day before's, so the line copied yesterday's total next to
    /// today's change; the change is the better evidence, since a rewrite that updates the
    /// change but forgets the total is the known failure, the reverse would need a made-up
    /// change. Not stale when yesterday's values include the total the line itself implies
    /// (value minus change): then the line agrees with a report of the day before, and the
    /// doubt is on yesterday's choice instead. Deterministic: it depends on the evidence and on
    /// the (earlier) choice for the day before only.
    pub(super) fn stale(
        &self,
        values: &[Stated],
        delta: Option<&FactKey>,
        (before, yesterday): (NaiveDate, u64),
        yesterday_total: Option<&FactKey>,
    ) -> Option<Stale> {
        let stated = find_value(values, yesterday)?;
        let stated_yesterday =
            |v: u64| yesterday_total.is_some_and(|k| find_value(&self.facts[k], v).is_some());
        for (src, change) in self.changes_beside(stated, delta) {
            let implied = yesterday.checked_sub(change);
            if change == 0 || implied.is_some_and(stated_yesterday) {
                continue;
            }
            return Some(Stale {
                implausible: false,
                value: yesterday,
                why: format!(
                    "repeats the total of {before} while {}:{} states a change of +{change} \
                     that day",
                    self.articles.path(src.file),
                    src.line,
                ),
            });
        }
        None
    }

    /// The changes stated on the lines that state `stated` (a total of the same category and
    /// day, whose delta key is `delta`), with the source of each: for each of its sources in
    /// order, the day's changes stated on that line, smallest first. Linear in the sources.
    fn changes_beside(&self, stated: &Stated, delta: Option<&FactKey>) -> Vec<(Src, u64)> {
        let Some(deltas) = delta.map(|k| &self.facts[k]) else {
            return Vec::new();
        };
        // Each line's changes, in value order (a key's values are sorted). A line is a line of
        // an article, whatever path it was read under.
        let line = |s: &Src| (self.articles.identity(s.file), s.line);
        let mut on_line: HashMap<(Identity, u32), Vec<u64>> = HashMap::new();
        for d in deltas {
            for s in &d.sources {
                on_line.entry(line(s)).or_default().push(d.value);
            }
        }
        let mut changes = Vec::new();
        for src in &stated.sources {
            if let Some(values) = on_line.get(&line(src)) {
                changes.extend(values.iter().map(|&v| (*src, v)));
            }
        }
        changes
    }

    /// The chosen exact totals of one daily series that its neighbours show to be an earlier
    /// day's count copied on (see the module docs), each with the reason. Judged against the
    /// choices of the first pass, so the outcome depends on the evidence alone.
    pub(super) fn out_of_line<'a>(
        &'a self,
        days: &BTreeMap<NaiveDate, Day<'a>>,
        choices: &HashMap<&'a FactKey, Choice>,
    ) -> Vec<(&'a FactKey, Stale)> {
        let kept = self.kept(days, choices);
        let mut found = Vec::new();
        for (i, this) in kept.iter().enumerate() {
            let before = i.checked_sub(1).map(|j| &kept[j]);
            let after = kept.get(i + 1);
            if self.agrees_with_the_day_before(this, days) {
                continue;
            }
            let why = self
                .out_of_order(this, before, after)
                .or_else(|| self.below_implied(this, before, after));
            if let Some(why) = why {
                let value = this.stated.value;
                let implausible = false;
                found.push((
                    this.key,
                    Stale {
                        value,
                        why,
                        implausible,
                    },
                ));
            }
        }
        found
    }

    /// The chosen exact totals of a series, in date order.
    fn kept<'a>(
        &'a self,
        days: &BTreeMap<NaiveDate, Day<'a>>,
        choices: &HashMap<&'a FactKey, Choice>,
    ) -> Vec<Kept<'a>> {
        days.iter()
            .filter_map(|(&date, day)| {
                let key = day.total?;
                let value = choices.get(key)?.chosen?;
                let stated = find_value(&self.facts[key], value)?;
                qualifier_of(&stated.sources).is_exact().then(|| Kept {
                    date,
                    key,
                    stated,
                    files: distinct_files(&stated.sources, &self.articles),
                    changes: self.changes_beside(stated, day.delta),
                })
            })
            .collect()
    }

    /// Whether the line agrees with a report of the day before (its total minus its change is
    /// stated for that day): then any doubt is on the neighbours, not on it.
    fn agrees_with_the_day_before(&self, this: &Kept, days: &BTreeMap<NaiveDate, Day>) -> bool {
        let value = this.stated.value;
        let day_before = this.date.pred_opt().and_then(|d| days.get(&d)?.total);
        day_before.is_some_and(|k| {
            this.changes.iter().any(|&(_, c)| {
                let implied = value.checked_sub(c);
                implied.is_some_and(|v| find_value(&self.facts[k], v).is_some())
            })
        })
    }

    /// Rules (1) and (2) of the module docs, against a sound neighbour before: one that is not
    /// itself above the one after it, and is stated in at least as many files (one wrong figure
    /// must not condemn the right ones after it).
    fn out_of_order(
        &self,
        this: &Kept,
        before: Option<&Kept>,
        after: Option<&Kept>,
    ) -> Option<String> {
        let value = this.stated.value;
        let growth = this.changes.iter().find(|&&(_, c)| c != 0).copied();
        let sound_before = before.filter(|b| {
            after.is_none_or(|a| b.stated.value <= a.stated.value) && this.files <= b.files
        });
        if let (Some(b), Some((src, change))) =
            (sound_before.filter(|b| b.stated.value >= value), growth)
        {
            // 1. It grew by the change stated beside it, yet is not above an earlier total.
            Some(format!(
                "is not above {} on {}, though {} states a change of +{change} that day",
                b.stated.value,
                b.date,
                self.source_at(src)
            ))
        } else if let (Some(b), Some(a), 1) = (sound_before, after, this.files) {
            // 2. A dip below both neighbours that the next one recovers from.
            (value < b.stated.value && b.stated.value <= a.stated.value).then(|| {
                format!(
                    "is lower than {} on {} and {} on {} around it",
                    b.stated.value, b.date, a.stated.value, a.date
                )
            })
        } else {
            None
        }
    }

    /// Rule (3): below what the next day's report implies for the day (its total minus its
    /// change), in at least as many files as state this value.
    fn below_implied(
        &self,
        this: &Kept,
        before: Option<&Kept>,
        after: Option<&Kept>,
    ) -> Option<String> {
        let value = this.stated.value;
        let next = after.filter(|a| Some(a.date) == this.date.succ_opt())?;
        let mut implied: BTreeMap<u64, Vec<Src>> = BTreeMap::new();
        for &(src, change) in &next.changes {
            if let Some(v) = next.stated.value.checked_sub(change) {
                implied.entry(v).or_default().push(src);
            }
        }
        let (&implied, srcs) = implied
            .iter()
            .max_by_key(|(&v, srcs)| (distinct_files(srcs, &self.articles), v))?;
        let fits = before.is_none_or(|b| b.stated.value <= implied);
        (implied > value && fits && this.files <= distinct_files(srcs, &self.articles)).then(|| {
            format!(
                "is below the {implied} that {} implies for the day ({} on {} after a change of \
                 +{})",
                self.source_at(srcs[0]),
                next.stated.value,
                next.date,
                next.stated.value - implied
            )
        })
    }

    /// `FILE:LINE` of a source.
    fn source_at(&self, src: Src) -> String {
        format!("{}:{}", self.articles.path(src.file), src.line)
    }
}

#[cfg(test)]
mod tests {
    use crate::timeline::test_support::*;

    /// special_equipment 1,260 on 2023-12-30; on the 31st a rewrite states "1,260 (+8)".
    fn stale_rewrite() -> Vec<Figure> {
        let se = "special_equipment";
        vec![
            fig("a.txt", 4, se, Kind::Total, 1260, "2023-12-30"),
            fig("r.txt", 7, se, Kind::Total, 1260, "2023-12-31"),
            fig("r.txt", 7, se, Kind::Delta, 8, "2023-12-31"),
        ]
    }

    #[test]
    fn total_repeating_yesterdays_next_to_a_change_is_stale_and_left_out() {
        let t = build(stale_rewrite());
        let p = point(&t, "2023-12-31");
        assert_eq!(p.totals.get(&cat("special_equipment")), None);
        assert_eq!(p.deltas[&cat("special_equipment")], 8);
        let checks = t.checks();
        assert_eq!(checks.len(), 1, "{checks:?}");
        assert_eq!(checks[0].problem, Problem::StaleTotal);
        assert_eq!(
            checks[0].detail,
            "special_equipment total 1260 on 2023-12-31 repeats the total of 2023-12-30 while \
             r.txt:7 states a change of +8 that day: stale, left out of the series"
        );
        // Kept as evidence: a conflict with no chosen value.
        let conflicts = t.conflicts();
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].chosen, None);
        assert_eq!(conflicts[0].candidates[0].value, 1260);
        assert!(conflicts[0]
            .reason
            .ends_with(": stale, so no value is chosen"));
    }

    #[test]
    fn stale_total_loses_even_to_a_value_in_fewer_files() {
        let mut figures = stale_rewrite();
        let se = "special_equipment";
        figures.push(fig("s.txt", 2, se, Kind::Total, 1260, "2023-12-31"));
        figures.push(fig("s.txt", 2, se, Kind::Delta, 8, "2023-12-31"));
        figures.push(fig("o.txt", 9, se, Kind::Total, 1268, "2023-12-31"));
        let t = build(figures);
        assert_eq!(point(&t, "2023-12-31").totals[&cat(se)], 1268);
        let conflicts = t.conflicts();
        let values: Vec<_> = conflicts[0].candidates.iter().map(|c| c.value).collect();
        assert_eq!(values, [1268, 1260]);
        assert_eq!(conflicts[0].chosen, Some(1268));
        assert_eq!(
            conflicts[0].reason,
            "1268 is the only value that is not stale: 1260 repeats the total of 2023-12-30 \
             while r.txt:7 states a change of +8 that day: stale"
        );
        assert_eq!(t.checks()[0].problem, Problem::StaleTotal);
    }

    #[test]
    fn repeated_total_without_a_change_on_its_line_is_not_stale() {
        let mut figures = stale_rewrite();
        figures[2].line = 8;
        let t = build(figures.clone());
        assert_eq!(
            point(&t, "2023-12-31").totals[&cat("special_equipment")],
            1260
        );
        assert!(t.conflicts().is_empty());
        // A stated change of zero says the total stayed.
        figures[2].line = 7;
        figures[2].value = 0;
        let t = build(figures);
        assert_eq!(
            point(&t, "2023-12-31").totals[&cat("special_equipment")],
            1260
        );
    }

    #[test]
    fn total_is_not_stale_when_yesterday_was_also_reported_as_the_line_implies() {
        // Yesterday's 1,260 is contested by 1,252, which is 1,260 - 8: the line agrees with
        // that report, so the doubt is on yesterday's choice, not on this line.
        let mut figures = stale_rewrite();
        figures.push(fig(
            "b.txt",
            1,
            "special_equipment",
            Kind::Total,
            1252,
            "2023-12-30",
        ));
        let t = build(figures);
        assert_eq!(
            point(&t, "2023-12-31").totals[&cat("special_equipment")],
            1260
        );
        assert!(t.checks().iter().all(|c| c.problem != Problem::StaleTotal));
    }

    #[test]
    fn stale_total_stays_out_whatever_the_merge_order() {
        let figures = stale_rewrite();
        let whole = to_json(&build(figures.clone()));
        let parts = |order: [usize; 3]| {
            let parts = order.map(|i| build(vec![figures[i].clone()])).to_vec();
            to_json(&merge(parts))
        };
        assert_eq!(parts([0, 1, 2]), whole);
        assert_eq!(parts([2, 1, 0]), whole);
        let again = merge(vec![from_json(&whole).unwrap(), build(figures)]);
        assert_eq!(to_json(&again), whole);
    }

    /// A daily series of one category: for each (day, total, change) a line stating the total
    /// and, if any, the change beside it; each day in its own file.
    fn daily(category: &str, days: &[(&str, u64, Option<u64>)]) -> Vec<Figure> {
        let mut figures = Vec::new();
        for (i, &(on, total, change)) in days.iter().enumerate() {
            let file = format!("d{i}.txt");
            figures.push(fig(&file, 3, category, Kind::Total, total, on));
            if let Some(change) = change {
                figures.push(fig(&file, 3, category, Kind::Delta, change, on));
            }
        }
        figures
    }

    fn total_on(t: &Timeline, on: &str, category: &str) -> Option<u64> {
        point(t, on).totals.get(&cat(category)).copied()
    }

    fn stale_details(t: &Timeline) -> Vec<String> {
        t.checks()
            .into_iter()
            .filter(|c| c.problem == Problem::StaleTotal)
            .map(|c| c.detail)
            .collect()
    }

    #[test]
    fn total_that_grew_yet_is_not_above_an_earlier_day_is_stale() {
        // "mlrs 1,600 (+8)" on the 15th, where the 13th already had 1,600: copied from two days
        // before, next to the day's change.
        let t = build(daily(
            "mlrs",
            &[
                ("2026-01-12", 1598, Some(2)),
                ("2026-01-13", 1600, Some(2)),
                ("2026-01-15", 1600, Some(8)),
                ("2026-01-17", 1615, Some(1)),
            ],
        ));
        assert_eq!(total_on(&t, "2026-01-15", "mlrs"), None);
        assert_eq!(total_on(&t, "2026-01-17", "mlrs"), Some(1615));
        assert_eq!(
            stale_details(&t),
            [
                "mlrs total 1600 on 2026-01-15 is not above 1600 on 2026-01-13, though d2.txt:3 \
              states a change of +8 that day: stale, left out of the series"
            ]
        );
    }

    #[test]
    fn dip_in_a_daily_series_is_stale_unless_more_files_state_it() {
        let days = [
            ("2025-02-05", 1053, Some(0)),
            ("2025-02-06", 1055, Some(2)),
            ("2025-02-07", 1053, None),
            ("2025-02-08", 1056, Some(1)),
        ];
        let t = build(daily("air_defense", &days));
        assert_eq!(total_on(&t, "2025-02-07", "air_defense"), None);
        assert_eq!(
            stale_details(&t),
            [
                "air_defense total 1053 on 2025-02-07 is lower than 1055 on 2025-02-06 and 1056 \
              on 2025-02-08 around it: stale, left out of the series"
            ]
        );
        // Stated in two files it is a correction the reports agree on: kept, and checked.
        let mut figures = daily("air_defense", &days);
        figures.push(fig(
            "e.txt",
            1,
            "air_defense",
            Kind::Total,
            1053,
            "2025-02-07",
        ));
        let t = build(figures);
        assert_eq!(total_on(&t, "2025-02-07", "air_defense"), Some(1053));
        assert!(stale_details(&t).is_empty());
        assert_eq!(t.checks()[0].problem, Problem::TotalDecreased);
    }

    #[test]
    fn neighbour_rules_spare_series_without_daily_changes() {
        // Estimates gathered from many outlets (no daily changes) may well dip: not stale.
        let days = [
            ("2022-03-11", 132, None),
            ("2022-03-15", 125, None),
            ("2022-03-24", 173, None),
        ];
        let t = build(daily("tanks", &days));
        assert_eq!(total_on(&t, "2022-03-15", "tanks"), Some(125));
        assert!(stale_details(&t).is_empty());
        assert_eq!(t.checks()[0].problem, Problem::TotalDecreased);
    }

    #[test]
    fn one_wrong_high_total_does_not_condemn_the_right_ones_after_it() {
        // 33,400 (a misread) is above the total after it, so it judges nothing.
        let t = build(daily(
            "tanks",
            &[
                ("2023-02-20", 3330, Some(4)),
                ("2023-02-21", 33400, None),
                ("2023-02-22", 3334, Some(4)),
                ("2023-02-23", 3340, Some(6)),
            ],
        ));
        assert_eq!(total_on(&t, "2023-02-22", "tanks"), Some(3334));
        assert!(stale_details(&t).is_empty(), "{:?}", stale_details(&t));
    }

    #[test]
    fn total_below_what_the_next_days_report_implies_is_stale() {
        // 2,602 (+4) on the 30th says the 29th had 2,598; the 29th's 2,589 is the 28th's.
        let days = [
            ("2022-06-28", 2589, Some(14)),
            ("2022-06-29", 2589, None),
            ("2022-06-30", 2602, Some(4)),
        ];
        let t = build(daily("vehicles", &days));
        assert_eq!(total_on(&t, "2022-06-29", "vehicles"), None);
        assert_eq!(total_on(&t, "2022-06-30", "vehicles"), Some(2602));
        assert_eq!(
            stale_details(&t),
            [
                "vehicles total 2589 on 2022-06-29 is below the 2598 that d2.txt:3 implies for \
              the day (2602 on 2022-06-30 after a change of +4): stale, left out of the \
              series"
            ]
        );
        // A line that agrees with the day before (2,598 - 9 = 2,589) is not doubted: the
        // next day's line disagrees with both, and the check says so.
        let mut days = days;
        days[1] = ("2022-06-29", 2598, Some(9));
        days[2] = ("2022-06-30", 2610, Some(4));
        let t = build(daily("vehicles", &days));
        assert_eq!(total_on(&t, "2022-06-29", "vehicles"), Some(2598));
        assert!(stale_details(&t).is_empty());
        assert_eq!(t.checks()[0].problem, Problem::DeltaMismatch);
    }
}
