//! Checks: problems found in the chosen series of a timeline (`checks` in the document).
//!
//! Every chosen value is checked, exact or approximate; an approximate one ("about 145,000") is
//! allowed the error its rounding implies (one unit of its last non-zero digit, see
//! `plausible::rounding`), so "about 145,000" the day after 145,060 is no problem, "around
//! 355,000" the day after 409,000 is.
//! - `total_decreased`: a total lower than the latest earlier total of its series (against that
//!   one only, so one wrong figure raises one check, not one for every later date);
//! - `delta_mismatch`: a daily change that differs from the difference of the day's and the
//!   day before's totals;
//! - `stale_total`: a total set aside as stale (see `stale`), with the reason;
//! - `implausible_change`: a stated daily change above what one day can bring, set aside, or a
//!   total that rose by more than that since the day before (see `plausible`).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::choosing::qualifier_of;
use super::derive::{Derived, KeyOrder, SeriesKey};
use super::document::{Check, PointKind, Problem};
use super::evidence::FactKey;
use super::plausible::{daily_max, rounding};

/// The chosen values of each series, by date, each with the error its rounding allows.
type Values = BTreeMap<SeriesKey, BTreeMap<NaiveDate, (u64, u64)>>;

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
        let (totals, deltas) = self.chosen_values();
        let mut checks = self.decreases(&totals);
        checks.extend(self.stale_checks());
        checks.extend(self.mismatches(&totals, &deltas));
        checks.extend(self.jumps(&totals));
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

    /// The chosen totals and deltas of each series.
    fn chosen_values(&self) -> (Values, Values) {
        let mut totals = Values::new();
        let mut deltas = Values::new();
        for &key in &self.keys {
            let Some(stated) = self.chosen(key) else {
                continue;
            };
            let exact = qualifier_of(&stated.sources).is_exact();
            let series = match key.kind {
                PointKind::Total => &mut totals,
                PointKind::Delta => &mut deltas,
            };
            series
                .entry((key.claimant, key.side, key.category))
                .or_default()
                .insert(key.date, (stated.value, rounding(stated.value, exact)));
        }
        (totals, deltas)
    }

    fn name(&self, s: &SeriesKey) -> &str {
        self.ev.names.name(s.2)
    }

    /// Totals lower than the latest earlier one, by more than their rounding allows.
    fn decreases(&self, totals: &Values) -> Vec<Found> {
        let mut checks = Vec::new();
        for (series, totals) in totals {
            for ((&before, &(earlier, e)), (&date, &(total, t))) in
                totals.iter().zip(totals.iter().skip(1))
            {
                if total + t < earlier.saturating_sub(e) {
                    let detail = format!(
                        "{} total {} on {date} is lower than {} on {before}{}",
                        self.name(series),
                        approx(total, t),
                        approx(earlier, e),
                        beyond(e + t)
                    );
                    checks.push((total_at(series, date), Problem::TotalDecreased, detail));
                }
            }
        }
        checks
    }

    /// Totals that rose from one day to the next by more than a day can bring.
    fn jumps(&self, totals: &Values) -> Vec<Found> {
        let mut checks = Vec::new();
        for (series, totals) in totals {
            let Some(max) = daily_max(self.name(series)) else {
                continue;
            };
            for ((&before, &(earlier, e)), (&date, &(total, t))) in
                totals.iter().zip(totals.iter().skip(1))
            {
                let rise = total.saturating_sub(earlier);
                if before.succ_opt() == Some(date) && rise > max + e + t {
                    let detail = format!(
                        "{} total rose from {} on {before} to {} on {date} (+{rise}), more than \
                         a day plausibly brings (at most {max})",
                        self.name(series),
                        approx(earlier, e),
                        approx(total, t)
                    );
                    checks.push((total_at(series, date), Problem::ImplausibleChange, detail));
                }
            }
        }
        checks
    }

    /// Values set aside: stale totals and implausible changes.
    fn stale_checks(&self) -> Vec<Found> {
        let mut checks = Vec::new();
        for &key in &self.keys {
            for stale in &self.choices[key].stale {
                let (what, problem) = if stale.implausible {
                    ("change", Problem::ImplausibleChange)
                } else {
                    ("total", Problem::StaleTotal)
                };
                let detail = format!(
                    "{} {what} {} on {} {}: {}, left out of the series",
                    self.ev.names.name(key.category),
                    stale.value,
                    key.date,
                    stale.why,
                    stale.word()
                );
                checks.push((*key, problem, detail));
            }
        }
        checks
    }

    /// Daily changes that differ from the change between the day's and the day before's totals,
    /// by more than their rounding allows.
    fn mismatches(&self, totals: &Values, deltas: &Values) -> Vec<Found> {
        let mut checks = Vec::new();
        for (series, deltas) in deltas {
            let Some(totals) = totals.get(series) else {
                continue;
            };
            for (&date, &(delta, d)) in deltas {
                let Some(before) = date.pred_opt() else {
                    continue;
                };
                let (Some(&(today, t)), Some(&(yesterday, y))) =
                    (totals.get(&date), totals.get(&before))
                else {
                    continue;
                };
                let change = i128::from(today) - i128::from(yesterday);
                let slack = i128::from(d + t + y);
                if (change - i128::from(delta)).abs() > slack {
                    let detail = format!(
                        "{} change {} on {date}, but the total went from {} on {before} to {} \
                         ({change:+}){}",
                        self.name(series),
                        approx(delta, d),
                        approx(yesterday, y),
                        approx(today, t),
                        beyond(d + t + y)
                    );
                    checks.push((total_at(series, date), Problem::DeltaMismatch, detail));
                }
            }
        }
        checks
    }
}

/// A value as a check shows it: "about 145000" when approximate.
fn approx(value: u64, rounding: u64) -> String {
    if rounding > 0 {
        format!("about {value}")
    } else {
        value.to_string()
    }
}

/// What a check of approximate values adds: by how much they may be off.
fn beyond(rounding: u64) -> String {
    if rounding > 0 {
        format!(", more than the {rounding} their rounding allows")
    } else {
        String::new()
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
    fn hedged_totals_are_checked_within_their_rounding() {
        let mut figures = seeds();
        figures.push(hedged(
            fig("c.txt", 1, "personnel", Kind::Total, 145000, "2023-02-23"),
            Qualifier::About,
        ));
        assert!(build(figures).checks().is_empty());
    }

    #[test]
    fn an_about_total_far_below_the_day_before_is_checked() {
        let mut figures = seeds();
        figures.push(hedged(
            fig("c.txt", 1, "personnel", Kind::Total, 135000, "2023-02-23"),
            Qualifier::About,
        ));
        let checks = build(figures).checks();
        assert_eq!(checks.len(), 1, "{checks:?}");
        assert_eq!(checks[0].problem, Problem::TotalDecreased);
        assert_eq!(
            checks[0].detail,
            "personnel total about 135000 on 2023-02-23 is lower than 145060 on 2023-02-22, \
             more than the 1000 their rounding allows"
        );
    }

    #[test]
    fn a_daily_change_above_what_a_day_brings_is_set_aside_and_checked() {
        let t = build(vec![
            fig("a.txt", 1, "vehicles", Kind::Total, 13000, "2023-02-22"),
            fig("a.txt", 1, "vehicles", Kind::Delta, 79826, "2023-02-22"),
        ]);
        let p = &t.points()[0];
        assert_eq!(p.deltas.get(&cat("vehicles")), None);
        assert_eq!(p.totals[&cat("vehicles")], 13000);
        let checks = t.checks();
        assert_eq!(checks.len(), 1, "{checks:?}");
        assert_eq!(checks[0].problem, Problem::ImplausibleChange);
        assert_eq!(
            checks[0].detail,
            "vehicles change 79826 on 2023-02-22 is more than a day plausibly brings (at most \
             5000 vehicles): implausible, left out of the series"
        );
        let conflicts = t.conflicts();
        assert_eq!(conflicts[0].chosen, None);
        assert_eq!(
            conflicts[0].reason,
            "79826 is more than a day plausibly brings (at most 5000 vehicles): implausible, so \
             no value is chosen"
        );
    }

    #[test]
    fn a_total_that_rises_more_than_a_day_brings_is_checked() {
        let t = build(vec![
            fig("a.txt", 1, "tanks", Kind::Total, 3334, "2023-02-22"),
            fig("b.txt", 1, "tanks", Kind::Total, 33400, "2023-02-23"),
            fig("c.txt", 1, "tanks", Kind::Total, 3360, "2023-02-25"),
        ]);
        let checks: Vec<_> = t
            .checks()
            .into_iter()
            .filter(|c| c.problem == Problem::ImplausibleChange)
            .collect();
        assert_eq!(checks.len(), 1, "{checks:?}");
        assert_eq!(
            checks[0].detail,
            "tanks total rose from 3334 on 2023-02-22 to 33400 on 2023-02-23 (+30066), more than \
             a day plausibly brings (at most 500)"
        );
    }
}
