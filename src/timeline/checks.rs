//! Checks: problems found in the chosen series of a timeline (`checks` in the document).
//!
//! Only the chosen exact values are checked: "about 145,000" the day after 145,060 is rounding,
//! not a problem.
//! - `total_decreased`: a total lower than the latest earlier total of its series (against that
//!   one only, so one wrong figure raises one check, not one for every later date);
//! - `delta_mismatch`: a daily change that differs from the difference of the day's and the
//!   day before's totals;
//! - `stale_total`: a total set aside as stale (see `stale`), with the reason.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::choosing::qualifier_of;
use super::derive::{Derived, KeyOrder, SeriesKey};
use super::document::{Check, PointKind, Problem};
use super::evidence::FactKey;

/// The chosen exact values of each series, by date.
type Values = BTreeMap<SeriesKey, BTreeMap<NaiveDate, u64>>;

/// A check before its names are written out.
type Found = (FactKey, Problem, String);

/// The key of a series' total on a date, where its checks are reported.
fn total_at(s: &SeriesKey, date: NaiveDate) -> FactKey {
    FactKey {
        claimant: s.0,
        side: s.1,
        category: s.2,
        date,
        kind: PointKind::Total,
    }
}

impl Derived<'_> {
    /// The checks of every series, in output order.
    pub(super) fn series_checks(&self, order: &KeyOrder) -> Vec<Check> {
        let (totals, deltas) = self.exact_values();
        let mut checks = self.decreases(&totals);
        checks.extend(self.stale_checks());
        checks.extend(self.mismatches(&totals, &deltas));
        checks.sort_by_key(|(key, problem, _)| (order.of(key), *problem));
        checks
            .into_iter()
            .map(|(key, problem, detail)| Check {
                date: key.date,
                side: self.party(key.side),
                claimant: self.party(key.claimant),
                category: self.category(&key),
                problem,
                detail,
            })
            .collect()
    }

    /// The chosen exact totals and deltas of each series.
    fn exact_values(&self) -> (Values, Values) {
        let mut totals = Values::new();
        let mut deltas = Values::new();
        for &key in &self.keys {
            let Some(stated) = self.chosen(key) else {
                continue;
            };
            if !qualifier_of(&stated.sources).is_exact() {
                continue;
            }
            let series = match key.kind {
                PointKind::Total => &mut totals,
                PointKind::Delta => &mut deltas,
            };
            series
                .entry((key.claimant, key.side, key.category))
                .or_default()
                .insert(key.date, stated.value);
        }
        (totals, deltas)
    }

    fn name(&self, s: &SeriesKey) -> &str {
        self.ev.names.name(s.2)
    }

    /// Totals lower than the latest earlier one.
    fn decreases(&self, totals: &Values) -> Vec<Found> {
        let mut checks = Vec::new();
        for (series, totals) in totals {
            for ((&before, &earlier), (&date, &total)) in totals.iter().zip(totals.iter().skip(1)) {
                if total < earlier {
                    let detail = format!(
                        "{} total {total} on {date} is lower than {earlier} on {before}",
                        self.name(series)
                    );
                    checks.push((total_at(series, date), Problem::TotalDecreased, detail));
                }
            }
        }
        checks
    }

    /// Totals set aside as stale.
    fn stale_checks(&self) -> Vec<Found> {
        let mut checks = Vec::new();
        for &key in &self.keys {
            for stale in &self.choices[key].stale {
                let detail = format!(
                    "{} total {} on {} {}: stale, left out of the series",
                    self.ev.names.name(key.category),
                    stale.value,
                    key.date,
                    stale.why
                );
                checks.push((*key, Problem::StaleTotal, detail));
            }
        }
        checks
    }

    /// Daily changes that differ from the change between the day's and the day before's totals.
    fn mismatches(&self, totals: &Values, deltas: &Values) -> Vec<Found> {
        let mut checks = Vec::new();
        for (series, deltas) in deltas {
            let Some(totals) = totals.get(series) else {
                continue;
            };
            for (&date, &delta) in deltas {
                let Some(before) = date.pred_opt() else {
                    continue;
                };
                let (Some(&today), Some(&yesterday)) = (totals.get(&date), totals.get(&before))
                else {
                    continue;
                };
                let change = i128::from(today) - i128::from(yesterday);
                if change != i128::from(delta) {
                    let detail = format!(
                        "{} change {delta} on {date}, but the total went from {yesterday} on \
                         {before} to {today} ({change:+})",
                        self.name(series)
                    );
                    checks.push((total_at(series, date), Problem::DeltaMismatch, detail));
                }
            }
        }
        checks
    }
}

#[cfg(test)]
mod tests {
    use crate::timeline::test_support::*;

    #[test]
    fn falling_total_is_checked_against_the_latest_earlier_one() {
        let mut figures = seeds();
        figures.push(fig("c.txt", 1, "tanks", Kind::Total, 3316, "2023-02-23"));
        figures.push(fig("c.txt", 2, "tanks", Kind::Total, 3363, "2023-02-24"));
        let t = build(figures);
        assert_eq!(t.checks().len(), 1, "{:?}", t.checks());
        assert_eq!(t.checks()[0].problem, Problem::TotalDecreased);
        assert_eq!(t.checks()[0].date, date("2023-02-23"));
        assert_eq!(
            t.checks()[0].detail,
            "tanks total 3316 on 2023-02-23 is lower than 3334 on 2023-02-22"
        );
    }

    #[test]
    fn delta_that_disagrees_with_the_totals_is_checked() {
        let mut figures = seeds();
        figures.retain(|f| f.kind != Kind::Delta);
        figures.push(fig("b.txt", 5, "personnel", Kind::Delta, 790, "2023-02-22"));
        let t = build(figures);
        assert_eq!(t.checks().len(), 1);
        assert_eq!(t.checks()[0].problem, Problem::DeltaMismatch);
        assert_eq!(
            t.checks()[0].detail,
            "personnel change 790 on 2023-02-22, but the total went from 144440 on 2023-02-21 \
             to 145060 (+620)"
        );
    }

    #[test]
    fn hedged_totals_are_not_checked() {
        let mut figures = seeds();
        figures.push(hedged(
            fig("c.txt", 1, "personnel", Kind::Total, 145000, "2023-02-23"),
            Qualifier::About,
        ));
        assert!(build(figures).checks().is_empty());
    }
}
