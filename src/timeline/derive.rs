//! Deriving: the decisions of a whole timeline, made series by series (claimant, side,
//! category) in date order, and the points and conflicts of the document made from them one at
//! a time as the writer asks for them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;

use super::articles::hash_text;
use super::choosing::{choose, qualifier_of, Around, Choice, Judge};
use super::document::{
    category_cmp, Candidate, Category, CategoryMap, Check, Conflict, Point, PointKind, PointSource,
    Source,
};
use super::evidence::{find_value, Evidence, FactKey, PartyId, Src, Stated, NULL};
use super::plausible::daily_max;
use super::stale::Stale;

/// (claimant, side, category).
pub(super) type SeriesKey = (PartyId, PartyId, u32);

/// The keys of one series on one date.
#[derive(Default)]
pub(super) struct Day<'a> {
    pub(super) total: Option<&'a FactKey>,
    pub(super) delta: Option<&'a FactKey>,
}

/// The decisions of a timeline, from which its document is written.
pub(super) struct Derived<'a> {
    pub(super) ev: &'a Evidence,
    file_rank: Vec<u32>,
    /// Every key, in output order: claimant, side, date, category, kind.
    pub(super) keys: Vec<&'a FactKey>,
    pub(super) choices: HashMap<&'a FactKey, Choice>,
    pub(super) checks: Vec<Check>,
}

/// The output order of keys: claimant, side (names as strings, null first), date, category
/// (canonical order), kind.
pub(super) struct KeyOrder {
    party: Vec<u32>,
    category: Vec<u32>,
}

impl KeyOrder {
    fn new(ev: &Evidence) -> Self {
        KeyOrder {
            party: ev.names.ranks(str::cmp),
            category: ev.names.ranks(category_cmp),
        }
    }

    fn party(&self, id: PartyId) -> Option<u32> {
        (id != NULL).then(|| self.party[id as usize])
    }

    #[allow(clippy::type_complexity)]
    pub(super) fn of(&self, k: &FactKey) -> (Option<u32>, Option<u32>, NaiveDate, u32, PointKind) {
        (
            self.party(k.claimant),
            self.party(k.side),
            k.date,
            self.category[k.category as usize],
            k.kind,
        )
    }
}

/// The keys of each series, by date.
fn series_of<'a>(keys: &[&'a FactKey]) -> HashMap<SeriesKey, BTreeMap<NaiveDate, Day<'a>>> {
    let mut series: HashMap<SeriesKey, BTreeMap<NaiveDate, Day>> = HashMap::new();
    for &key in keys {
        let day = series
            .entry((key.claimant, key.side, key.category))
            .or_default()
            .entry(key.date)
            .or_default();
        match key.kind {
            PointKind::Total => day.total = Some(key),
            PointKind::Delta => day.delta = Some(key),
        }
    }
    series
}

/// The (claimant, side) pairs that publish one daily cumulative series.
///
/// A claimant that reports a daily change on at least half of its dates publishes one
/// cumulative series (the General Staff, Russia's defence ministry), so a total out of line
/// with its neighbours is an error there, not another outlet's estimate (Oryx, "media", Western
/// intelligence); the neighbour rules apply to such series only.
fn daily_parties(keys: &[&FactKey]) -> BTreeSet<(PartyId, PartyId)> {
    let mut dates: HashMap<(PartyId, PartyId), (BTreeSet<NaiveDate>, BTreeSet<NaiveDate>)> =
        HashMap::new();
    for k in keys {
        let (all, with_delta) = dates.entry((k.claimant, k.side)).or_default();
        all.insert(k.date);
        if k.kind == PointKind::Delta {
            with_delta.insert(k.date);
        }
    }
    dates
        .into_iter()
        .filter(|(_, (all, with_delta))| 2 * with_delta.len() >= all.len())
        .map(|(party, _)| party)
        .collect()
}

impl Evidence {
    pub(super) fn derive(&self) -> Derived<'_> {
        let order = KeyOrder::new(self);
        let mut keys: Vec<&FactKey> = self.facts.keys().collect();
        keys.sort_by_key(|k| order.of(k));
        let series = series_of(&keys);
        let daily = daily_parties(&keys);
        let mut choices: HashMap<&FactKey, Choice> = HashMap::with_capacity(keys.len());
        for (&(claimant, side, _), days) in &series {
            self.choose_series(days, daily.contains(&(claimant, side)), &mut choices);
        }
        let mut derived = Derived {
            ev: self,
            file_rank: self.articles.ranks(),
            keys,
            choices,
            checks: Vec::new(),
        };
        derived.checks = derived.series_checks(&order);
        derived
    }

    /// The choices of one series: totals first, by date, since whether a total is stale
    /// depends on the day before's choice; then, in a daily series, the totals out of line with
    /// their neighbours set aside; then the deltas, since a tie between deltas is settled by the
    /// chosen totals around them.
    fn choose_series<'a>(
        &'a self,
        days: &BTreeMap<NaiveDate, Day<'a>>,
        daily: bool,
        choices: &mut HashMap<&'a FactKey, Choice>,
    ) {
        let mut judges = self.choose_totals(days, choices);
        if daily {
            for (key, stale) in self.out_of_line(days, choices) {
                let mut judge = judges.remove(key).unwrap_or_default();
                judge.stale.push(stale);
                choices.insert(
                    key,
                    choose(key.kind, &self.facts[key], judge, &self.articles),
                );
            }
        }
        self.choose_deltas(days, choices);
    }

    /// The totals of one series chosen in date order; the judge of each, for a second look.
    fn choose_totals<'a>(
        &'a self,
        days: &BTreeMap<NaiveDate, Day<'a>>,
        choices: &mut HashMap<&'a FactKey, Choice>,
    ) -> HashMap<&'a FactKey, Judge> {
        // The uncontested totals: dates whose total has one value.
        let uncontested: Vec<(NaiveDate, u64)> = days
            .iter()
            .filter_map(|(&date, day)| match self.facts[day.total?].as_slice() {
                [one] => Some((date, one.value)),
                _ => None,
            })
            .collect();
        let mut judges: HashMap<&FactKey, Judge> = HashMap::new();
        for (&date, day) in days {
            let Some(key) = day.total else { continue };
            let values = &self.facts[key];
            let yesterday = date.pred_opt().and_then(|d| Some((d, days.get(&d)?)));
            let stale: Vec<Stale> = yesterday
                .and_then(|(before, y)| {
                    let chosen = choices.get(y.total?)?.chosen?;
                    self.stale(values, day.delta, (before, chosen), y.total)
                })
                .into_iter()
                .collect();
            let around = if values.len() > 1 {
                let at = uncontested.partition_point(|&(d, _)| d < date);
                Around {
                    before: at.checked_sub(1).map(|i| uncontested[i]),
                    after: uncontested[at..].iter().find(|&&(d, _)| d > date).copied(),
                }
            } else {
                Around::default()
            };
            let judge = Judge {
                around,
                stale,
                ..Judge::default()
            };
            choices.insert(key, choose(key.kind, values, judge.clone(), &self.articles));
            judges.insert(key, judge);
        }
        judges
    }

    /// The values of a daily change above what one day can bring (see `plausible`).
    fn implausible(&self, key: &FactKey) -> Vec<Stale> {
        let category = self.names.name(key.category);
        let Some(max) = daily_max(category) else {
            return Vec::new();
        };
        self.facts[key]
            .iter()
            .filter(|s| s.value > max)
            .map(|s| Stale {
                value: s.value,
                why: format!("is more than a day plausibly brings (at most {max} {category})"),
                implausible: true,
            })
            .collect()
    }

    /// The deltas of one series, each judged against the change between the chosen totals of
    /// its day and the day before.
    fn choose_deltas<'a>(
        &'a self,
        days: &BTreeMap<NaiveDate, Day<'a>>,
        choices: &mut HashMap<&'a FactKey, Choice>,
    ) {
        for (&date, day) in days {
            let Some(key) = day.delta else { continue };
            let total_on = |date: Option<NaiveDate>| {
                let key = days.get(&date?)?.total?;
                choices.get(key)?.chosen
            };
            let change = total_on(Some(date))
                .zip(total_on(date.pred_opt()))
                .map(|(today, before)| i128::from(today) - i128::from(before));
            let judge = Judge {
                change,
                stale: self.implausible(key),
                ..Judge::default()
            };
            let choice = choose(key.kind, &self.facts[key], judge, &self.articles);
            choices.insert(key, choice);
        }
    }
}

impl<'a> Derived<'a> {
    pub(super) fn chosen(&self, key: &FactKey) -> Option<&'a Stated> {
        let value = self.choices[key].chosen?;
        find_value(&self.ev.facts[key], value)
    }

    pub(super) fn party(&self, id: PartyId) -> Option<String> {
        self.ev.party(id).map(str::to_owned)
    }

    pub(super) fn category(&self, key: &FactKey) -> Category {
        Category(self.ev.names.name(key.category).to_owned())
    }

    /// The points, one per (claimant, side, date), built one at a time.
    pub(super) fn points(&self) -> impl Iterator<Item = Point> + '_ {
        self.keys
            .chunk_by(|a, b| (a.claimant, a.side, a.date) == (b.claimant, b.side, b.date))
            .map(|keys| self.point(keys))
    }

    fn point(&self, keys: &[&FactKey]) -> Point {
        let first = keys[0];
        let mut point = Point {
            date: first.date,
            side: self.party(first.side),
            claimant: self.party(first.claimant),
            totals: CategoryMap::new(),
            deltas: CategoryMap::new(),
            sources: CategoryMap::new(),
        };
        let mut sources: CategoryMap<Vec<(PointKind, Src)>> = CategoryMap::new();
        for &key in keys {
            let Some(stated) = self.chosen(key) else {
                continue;
            };
            let category = self.category(key);
            match key.kind {
                PointKind::Total => point.totals.insert(category.clone(), stated.value),
                PointKind::Delta => point.deltas.insert(category.clone(), stated.value),
            };
            sources
                .entry(category)
                .or_default()
                .extend(stated.sources.iter().map(|s| (key.kind, *s)));
        }
        // Sorted as `PointSource` orders: file (as a string), line, kind, qualifier.
        point.sources = sources
            .into_iter()
            .map(|(category, mut list)| {
                list.sort_by_key(|(kind, s)| {
                    (self.file_rank[s.file as usize], s.line, *kind, s.qualifier)
                });
                let list = list
                    .into_iter()
                    .map(|(kind, s)| PointSource {
                        file: self.ev.articles.path(s.file).to_owned(),
                        hash: self.ev.articles.hash(s.file).map(hash_text),
                        line: s.line as usize,
                        kind,
                        qualifier: s.qualifier,
                    })
                    .collect();
                (category, list)
            })
            .collect();
        point
    }

    /// Every key with more than one value or with no value chosen, in output order.
    pub(super) fn conflicts(&self) -> impl Iterator<Item = Conflict> + '_ {
        self.keys
            .iter()
            .filter(|&&k| self.ev.facts[k].len() > 1 || self.choices[k].chosen.is_none())
            .map(|&k| self.conflict(k))
    }

    fn conflict(&self, key: &FactKey) -> Conflict {
        let choice = &self.choices[key];
        let values = &self.ev.facts[key];
        let candidates = choice
            .ranked
            .iter()
            .map(|&value| {
                let stated =
                    find_value(values, value).expect("ranked values come from the key's values");
                Candidate {
                    value,
                    qualifier: qualifier_of(&stated.sources),
                    sources: stated
                        .sources
                        .iter()
                        .map(|s| Source {
                            file: self.ev.articles.path(s.file).to_owned(),
                            hash: self.ev.articles.hash(s.file).map(hash_text),
                            line: s.line as usize,
                            qualifier: s.qualifier,
                        })
                        .collect(),
                }
            })
            .collect();
        Conflict {
            date: key.date,
            side: self.party(key.side),
            claimant: self.party(key.claimant),
            category: self.category(key),
            kind: key.kind,
            candidates,
            chosen: choice.chosen,
            reason: choice.reason.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::timeline::test_support::*;

    #[test]
    fn daily_series_holds_totals_and_the_delta_without_checks() {
        let t = build(seeds());
        let p = point(&t, "2023-02-22");
        assert_eq!(p.totals[&cat("personnel")], 145060);
        assert_eq!(p.totals[&cat("tanks")], 3334);
        assert_eq!(p.deltas[&cat("personnel")], 620);
        assert_eq!(point(&t, "2023-02-21").totals[&cat("personnel")], 144440);
        assert!(t.checks().is_empty(), "{:?}", t.checks());
        assert!(t.conflicts().is_empty());
    }

    #[test]
    fn point_sources_say_which_kind_they_back() {
        let t = build(seeds());
        let sources = &point(&t, "2023-02-22").sources[&cat("personnel")];
        let kinds: Vec<_> = sources.iter().map(|s| (s.line, s.kind)).collect();
        assert_eq!(kinds, [(5, PointKind::Total), (5, PointKind::Delta)]);
    }

    #[test]
    fn points_sort_by_claimant_side_date_with_null_first() {
        let mut us = fig("c.txt", 1, "personnel", Kind::Total, 200000, "2023-02-21");
        us.claimant = Some("united_states".to_owned());
        let mut unknown = fig("c.txt", 2, "personnel", Kind::Total, 145000, "2023-02-23");
        unknown.claimant = None;
        let mut ukraine_side = fig("c.txt", 3, "personnel", Kind::Total, 13000, "2023-02-20");
        ukraine_side.side = Some("ukraine".to_owned());
        let mut figures = seeds();
        figures.extend([us, unknown, ukraine_side]);
        let order: Vec<_> = build(figures)
            .points()
            .iter()
            .map(|p| (p.claimant.clone(), p.side.clone(), p.date.to_string()))
            .collect();
        let s = |v: &str| Some(v.to_owned());
        assert_eq!(
            order,
            [
                (None, s("russia"), "2023-02-23".to_owned()),
                (s("ukraine"), s("russia"), "2023-02-21".to_owned()),
                (s("ukraine"), s("russia"), "2023-02-22".to_owned()),
                (s("ukraine"), s("ukraine"), "2023-02-20".to_owned()),
                (s("united_states"), s("russia"), "2023-02-21".to_owned()),
            ]
        );
    }

    #[test]
    fn conflict_lists_every_candidate_with_its_sources_best_first() {
        let t = build(vec![
            fig(
                "a.txt",
                4,
                "special_equipment",
                Kind::Total,
                228,
                "2023-02-23",
            ),
            hedged(
                fig(
                    "b.txt",
                    2,
                    "special_equipment",
                    Kind::Total,
                    226,
                    "2023-02-23",
                ),
                Qualifier::About,
            ),
        ]);
        let json = serde_json::to_value(t.conflicts()).unwrap();
        assert_eq!(
            json,
            serde_json::json!([{
                "date": "2023-02-23", "side": "russia", "claimant": "ukraine",
                "category": "special_equipment", "kind": "total",
                "candidates": [
                    {"value": 228, "qualifier": "exact",
                     "sources": [{"file": "a.txt", "line": 4, "qualifier": "exact"}]},
                    {"value": 226, "qualifier": "about",
                     "sources": [{"file": "b.txt", "line": 2, "qualifier": "about"}]}
                ],
                "chosen": 228,
                "reason": "228 is stated exactly, the others are hedged"
            }])
        );
    }
}
