//! The timeline: dated figures folded into one point per (date, side, claimant), with conflicts
//! resolved and the series checked.
//!
//! A timeline is a pure function of a *set of evidence*: for each (claimant, side, date,
//! category, total-or-daily-delta), the distinct values stated and, for each value, its sources
//! (file and line, with the qualifier the source used); plus the figures that cannot be placed on
//! a day (`undated`, `periods`). `build` gathers that set from figures; `merge` reads it back out of
//! timelines (points, conflicts and the two figure lists hold all of it) and takes the union. Both
//! derive the output the same way, so, because set union is associative, commutative and
//! idempotent, the timeline of a folder equals the merge of the timelines of any split of it,
//! byte for byte, and merging a timeline into itself changes nothing.
//!
//! Kinds that name no single day, `period` figures and deltas over more than one day, are kept
//! whole in `periods` (same shape as `undated`): placing them on a daily series would need the
//! span's start, which the text rarely gives. Nothing is dropped.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::Write;

use anyhow::{bail, Context};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::figure::{Figure, Kind, Qualifier};

/// The version written to and required from every timeline file.
pub const SCHEMA_VERSION: u32 = 1;

/// Category ids in the column order of `official-daily.csv`, so output reads like the public
/// datasets. A category not listed here sorts after them, by name.
pub const CATEGORY_ORDER: [&str; 17] = [
    "personnel",
    "tanks",
    "afv",
    "artillery",
    "mlrs",
    "air_defense",
    "aircraft",
    "helicopters",
    "uav",
    "cruise_missiles",
    "ships",
    "submarines",
    "vehicles",
    "special_equipment",
    "srbm",
    "military_vehicles",
    "fuel_tanks",
];

/// A category id that orders canonically, so maps keyed by it serialise in column order
/// (serde writes a `BTreeMap` in its key order).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Category(pub String);

impl Category {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn rank(&self) -> usize {
        CATEGORY_ORDER
            .iter()
            .position(|c| *c == self.0)
            .unwrap_or(CATEGORY_ORDER.len())
    }
}

impl Ord for Category {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.rank(), &self.0).cmp(&(other.rank(), &other.0))
    }
}

impl PartialOrd for Category {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl From<&str> for Category {
    fn from(s: &str) -> Self {
        Category(s.to_owned())
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A JSON object keyed by category, in canonical order.
pub type CategoryMap<V> = BTreeMap<Category, V>;

/// The kinds that belong on a day: a cumulative total or the change over that one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PointKind {
    Total,
    Delta,
}

impl fmt::Display for PointKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PointKind::Total => "total",
            PointKind::Delta => "delta",
        })
    }
}

/// The whole output of `casrep timeline`; also what `--merge` reads back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timeline {
    pub schema_version: u32,
    /// One point per (date, side, claimant), sorted by claimant, side, date (null first).
    pub timeline: Vec<Point>,
    /// Figures whose date could not be resolved, sorted by file and position.
    pub undated: Vec<Figure>,
    /// Dated figures over a span other than one day (kind `period`, deltas of several days).
    pub periods: Vec<Figure>,
    /// Every (date, side, claimant, category, kind) stated with more than one value.
    pub conflicts: Vec<Conflict>,
    /// Problems found in the chosen series.
    pub checks: Vec<Check>,
}

/// What one claimant says about one side's losses on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    pub date: NaiveDate,
    pub side: Option<String>,
    pub claimant: Option<String>,
    /// Cumulative counts since the invasion began.
    pub totals: CategoryMap<u64>,
    /// Changes over this one day.
    pub deltas: CategoryMap<u64>,
    /// Where each chosen value was stated (both kinds of a category share the list).
    pub sources: CategoryMap<Vec<PointSource>>,
}

/// A place that states a point's value: `kind` tells whether it backs the total or the delta.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointSource {
    pub file: String,
    pub line: usize,
    pub kind: PointKind,
    pub qualifier: Qualifier,
}

/// Two or more values for one (date, side, claimant, category, kind), and which one won.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conflict {
    pub date: NaiveDate,
    pub side: Option<String>,
    pub claimant: Option<String>,
    pub category: Category,
    pub kind: PointKind,
    /// Best first: the chosen value leads.
    pub candidates: Vec<Candidate>,
    pub chosen: u64,
    pub reason: String,
}

/// One value in a conflict; `qualifier` is the most precise any of its sources used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    pub value: u64,
    pub qualifier: Qualifier,
    pub sources: Vec<Source>,
}

/// A place that states a candidate value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub file: String,
    pub line: usize,
    pub qualifier: Qualifier,
}

/// A problem in one (side, claimant, category) series.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub date: NaiveDate,
    pub side: Option<String>,
    pub claimant: Option<String>,
    pub category: Category,
    pub problem: Problem,
    pub detail: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// A total lower than the latest earlier total of its series.
    TotalDecreased,
    /// A daily delta that differs from the difference of that day's and the previous day's totals.
    DeltaMismatch,
}

/// The timeline of a set of figures.
pub fn build(figures: Vec<Figure>) -> Timeline {
    let mut evidence = Evidence::default();
    for figure in figures {
        evidence.add_figure(figure);
    }
    evidence.into_timeline()
}

/// One timeline holding the evidence of all `parts`; equal to `build` over all their figures.
/// The parts must come from `build`, `merge` or `from_json` (which checks what this relies on).
pub fn merge(parts: Vec<Timeline>) -> Timeline {
    let mut evidence = Evidence::default();
    for part in parts {
        evidence.add_timeline(part);
    }
    evidence.into_timeline()
}

/// The timeline as pretty JSON with a final newline: readable in a diff, stable in bytes.
/// Streamed, so a large timeline is not held twice; an I/O error is returned as the
/// `io::Error` itself (serde_json's error would hide it from `output::is_broken_pipe`).
pub fn write_json(t: &Timeline, mut w: impl Write) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut w, t).map_err(std::io::Error::from)?;
    w.write_all(b"\n")?;
    Ok(())
}

/// [`write_json`] to a string.
#[cfg(test)]
pub fn to_json(t: &Timeline) -> String {
    let mut json = Vec::new();
    write_json(t, &mut json).expect("a timeline always serialises");
    String::from_utf8(json).expect("JSON is UTF-8")
}

/// Reads a timeline written by `to_json`, refusing anything else with a reason.
pub fn from_json(s: &str) -> anyhow::Result<Timeline> {
    let value: serde_json::Value =
        serde_json::from_str(s).context("not a casrep timeline: not a single JSON document")?;
    let object = value
        .as_object()
        .context("not a casrep timeline: expected a JSON object")?;
    match object.get("schema_version") {
        None => bail!("not a casrep timeline: no schema_version"),
        Some(v) if v.as_u64() == Some(u64::from(SCHEMA_VERSION)) => {}
        Some(v) => {
            bail!("unsupported timeline schema_version {v} (this casrep reads {SCHEMA_VERSION})")
        }
    }
    let timeline: Timeline =
        serde_json::from_value(value).context("not a casrep timeline: wrong shape")?;
    timeline.validate()?;
    Ok(timeline)
}

/// One point per line, for tools that stream.
pub fn to_ndjson(t: &Timeline, mut w: impl Write) -> anyhow::Result<()> {
    for point in &t.timeline {
        let line = serde_json::to_string(point)?;
        writeln!(w, "{line}")?;
    }
    Ok(())
}

/// The totals of one series as CSV: `date,day,` then the category columns of
/// `official-daily.csv` (plus any other category the series has, after them), one row per date,
/// empty where unknown. `day` counts `invasion_start` as day 1.
pub fn to_csv(
    t: &Timeline,
    claimant: &str,
    side: &str,
    invasion_start: NaiveDate,
    mut w: impl Write,
) -> anyhow::Result<()> {
    let points: Vec<&Point> = t
        .timeline
        .iter()
        .filter(|p| p.claimant.as_deref() == Some(claimant) && p.side.as_deref() == Some(side))
        .collect();
    let mut columns: BTreeSet<Category> = CATEGORY_ORDER.iter().map(|&c| c.into()).collect();
    columns.extend(points.iter().flat_map(|p| p.totals.keys().cloned()));

    // Into memory first, so an I/O error reaches the caller as a plain `io::Error` (a broken
    // pipe is then easy to recognise) rather than wrapped in a `csv::Error`.
    let mut csv = csv::Writer::from_writer(Vec::new());
    let header = ["date", "day"]
        .into_iter()
        .chain(columns.iter().map(Category::as_str));
    csv.write_record(header)?;
    for point in points {
        let day = (point.date - invasion_start).num_days() + 1;
        let mut record = vec![point.date.to_string(), day.to_string()];
        record.extend(columns.iter().map(|c| {
            point
                .totals
                .get(c)
                .map_or_else(String::new, |v| v.to_string())
        }));
        csv.write_record(&record)?;
    }
    let bytes = csv.into_inner().context("writing CSV")?;
    w.write_all(&bytes)?;
    Ok(())
}

impl Timeline {
    /// Checks what `merge` relies on to read the evidence back: every value has a source, every
    /// source backs a value.
    fn validate(&self) -> anyhow::Result<()> {
        for point in &self.timeline {
            let at = || {
                format!(
                    "not a casrep timeline: point {} ({})",
                    point.date,
                    series_label(&point.claimant, &point.side)
                )
            };
            for (kind, values) in [
                (PointKind::Total, &point.totals),
                (PointKind::Delta, &point.deltas),
            ] {
                for category in values.keys() {
                    let backed = point
                        .sources
                        .get(category)
                        .is_some_and(|s| s.iter().any(|s| s.kind == kind));
                    if !backed {
                        bail!("{}: {kind} {category} has no source", at());
                    }
                }
            }
            for (category, sources) in &point.sources {
                for source in sources {
                    let values = match source.kind {
                        PointKind::Total => &point.totals,
                        PointKind::Delta => &point.deltas,
                    };
                    if !values.contains_key(category) {
                        bail!(
                            "{}: source {}:{} backs a {} {category} the point does not have",
                            at(),
                            source.file,
                            source.line,
                            source.kind
                        );
                    }
                }
            }
        }
        for conflict in &self.conflicts {
            let at = format!(
                "not a casrep timeline: conflict {} {} {} ({})",
                conflict.date,
                conflict.kind,
                conflict.category,
                series_label(&conflict.claimant, &conflict.side)
            );
            if conflict.candidates.is_empty() {
                bail!("{at}: no candidates");
            }
            if conflict.candidates.iter().any(|c| c.sources.is_empty()) {
                bail!("{at}: a candidate has no source");
            }
        }
        Ok(())
    }
}

fn series_label(claimant: &Option<String>, side: &Option<String>) -> String {
    format!(
        "claimant {}, side {}",
        claimant.as_deref().unwrap_or("null"),
        side.as_deref().unwrap_or("null")
    )
}

/// The sources of one value: (file, line) → the most precise qualifier stated there. A map, so
/// the same source seen again (a repeated merge, a file in two shards) counts once.
type SourceSet = BTreeMap<(String, usize), Qualifier>;

/// What a value is about. Field order is the output order: claimant, side, date, category, kind.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct FactKey {
    claimant: Option<String>,
    side: Option<String>,
    date: NaiveDate,
    category: Category,
    kind: PointKind,
}

/// The set a timeline is derived from (see the module docs).
#[derive(Default)]
struct Evidence {
    facts: BTreeMap<FactKey, BTreeMap<u64, SourceSet>>,
    undated: Vec<Figure>,
    periods: Vec<Figure>,
}

impl Evidence {
    fn add_figure(&mut self, figure: Figure) {
        let Some(date) = figure.date else {
            self.undated.push(figure);
            return;
        };
        let kind = match (figure.kind, figure.days) {
            (Kind::Total, _) => PointKind::Total,
            (Kind::Delta, None | Some(1)) => PointKind::Delta,
            _ => {
                self.periods.push(figure);
                return;
            }
        };
        let key = FactKey {
            claimant: figure.claimant,
            side: figure.side,
            date,
            category: Category(figure.category),
            kind,
        };
        self.add_source(
            key,
            figure.value,
            figure.file,
            figure.line,
            figure.qualifier,
        );
    }

    fn add_source(
        &mut self,
        key: FactKey,
        value: u64,
        file: String,
        line: usize,
        qualifier: Qualifier,
    ) {
        let stated = self
            .facts
            .entry(key)
            .or_default()
            .entry(value)
            .or_default()
            .entry((file, line))
            .or_insert(qualifier);
        // `Exact` orders first: a source that once said it exactly keeps saying so.
        *stated = (*stated).min(qualifier);
    }

    /// Reads the evidence back: a conflict lists every value of its key; any other key's one
    /// value is in its point, with the sources of that kind.
    fn add_timeline(&mut self, t: Timeline) {
        let mut in_conflicts = BTreeSet::new();
        for conflict in t.conflicts {
            let key = FactKey {
                claimant: conflict.claimant,
                side: conflict.side,
                date: conflict.date,
                category: conflict.category,
                kind: conflict.kind,
            };
            for candidate in conflict.candidates {
                for s in candidate.sources {
                    self.add_source(key.clone(), candidate.value, s.file, s.line, s.qualifier);
                }
            }
            in_conflicts.insert(key);
        }
        for point in t.timeline {
            let values = point
                .totals
                .iter()
                .map(|(c, &v)| (c, v, PointKind::Total))
                .chain(point.deltas.iter().map(|(c, &v)| (c, v, PointKind::Delta)));
            for (category, value, kind) in values {
                let key = FactKey {
                    claimant: point.claimant.clone(),
                    side: point.side.clone(),
                    date: point.date,
                    category: category.clone(),
                    kind,
                };
                if in_conflicts.contains(&key) {
                    continue;
                }
                let cited = point.sources.get(category).into_iter().flatten();
                for s in cited.filter(|s| s.kind == kind) {
                    self.add_source(key.clone(), value, s.file.clone(), s.line, s.qualifier);
                }
            }
        }
        for figure in t.undated.into_iter().chain(t.periods) {
            self.add_figure(figure);
        }
    }

    fn into_timeline(mut self) -> Timeline {
        sort_figures(&mut self.undated);
        sort_figures(&mut self.periods);

        // Totals first: a tie between deltas is settled by the chosen totals around them.
        let mut choices: BTreeMap<&FactKey, Choice> = BTreeMap::new();
        let mut chosen_totals: BTreeMap<FactKey, u64> = BTreeMap::new();
        for (key, values) in self
            .facts
            .iter()
            .filter(|(k, _)| k.kind == PointKind::Total)
        {
            let choice = choose(key.kind, values, None);
            chosen_totals.insert(key.clone(), choice.ranked[0]);
            choices.insert(key, choice);
        }
        for (key, values) in self
            .facts
            .iter()
            .filter(|(k, _)| k.kind == PointKind::Delta)
        {
            let total_on = |date: Option<NaiveDate>| {
                let key = FactKey {
                    date: date?,
                    kind: PointKind::Total,
                    ..key.clone()
                };
                chosen_totals.get(&key).copied()
            };
            let change = total_on(Some(key.date))
                .zip(total_on(key.date.pred_opt()))
                .map(|(today, before)| i128::from(today) - i128::from(before));
            choices.insert(key, choose(key.kind, values, change));
        }

        let mut points: BTreeMap<(Option<String>, Option<String>, NaiveDate), Point> =
            BTreeMap::new();
        let mut conflicts = Vec::new();
        let mut series = Series::default();
        for (key, choice) in choices {
            let values = &self.facts[key];
            let chosen = choice.ranked[0];
            let point = points
                .entry((key.claimant.clone(), key.side.clone(), key.date))
                .or_insert_with(|| Point {
                    date: key.date,
                    side: key.side.clone(),
                    claimant: key.claimant.clone(),
                    totals: CategoryMap::new(),
                    deltas: CategoryMap::new(),
                    sources: CategoryMap::new(),
                });
            match key.kind {
                PointKind::Total => point.totals.insert(key.category.clone(), chosen),
                PointKind::Delta => point.deltas.insert(key.category.clone(), chosen),
            };
            let cited = point.sources.entry(key.category.clone()).or_default();
            cited.extend(
                values[&chosen]
                    .iter()
                    .map(|((file, line), &qualifier)| PointSource {
                        file: file.clone(),
                        line: *line,
                        kind: key.kind,
                        qualifier,
                    }),
            );
            cited.sort();
            if qualifier_of(&values[&chosen]).is_exact() {
                series.add(key, chosen);
            }
            if values.len() > 1 {
                conflicts.push(conflict(key, values, choice));
            }
        }

        Timeline {
            schema_version: SCHEMA_VERSION,
            timeline: points.into_values().collect(),
            undated: self.undated,
            periods: self.periods,
            conflicts,
            checks: series.checks(),
        }
    }
}

/// Sorts by file and position, with every other field as a tie-break so the order is total,
/// then drops exact duplicates.
fn sort_figures(figures: &mut Vec<Figure>) {
    figures.sort_by(|a, b| {
        (
            &a.file,
            a.start,
            a.end,
            a.line,
            &a.category,
            a.kind,
            a.days,
            a.value,
        )
            .cmp(&(
                &b.file,
                b.start,
                b.end,
                b.line,
                &b.category,
                b.kind,
                b.days,
                b.value,
            ))
            .then_with(|| {
                (
                    &a.qualifier,
                    &a.side,
                    &a.claimant,
                    &a.date,
                    &a.quote,
                    &a.date_basis,
                )
                    .cmp(&(
                        &b.qualifier,
                        &b.side,
                        &b.claimant,
                        &b.date,
                        &b.quote,
                        &b.date_basis,
                    ))
            })
    });
    figures.dedup();
}

/// The most precise qualifier any source used for a value.
fn qualifier_of(sources: &SourceSet) -> Qualifier {
    // Every value enters with a source (`from_json` refuses one without); the fallback only
    // keeps this total.
    sources.values().min().copied().unwrap_or(Qualifier::Almost)
}

/// Sources count once per file: an article repeating its own number is not a second witness.
fn distinct_files(sources: &SourceSet) -> usize {
    let mut files: Vec<&String> = sources.keys().map(|(file, _)| file).collect();
    files.dedup();
    files.len()
}

/// The values of one key, best first, and why the first won.
struct Choice {
    ranked: Vec<u64>,
    reason: String,
}

/// Ranks the values of one key: an exact figure beats a hedged one ("almost 150,000" never
/// overrides 145,850); then the value stated in more files; then, on a tie, for a total the
/// larger value, because cumulative counts only grow and a smaller figure is most likely an
/// earlier day's report copied on; for a delta the value equal to the change between the day's
/// chosen totals (`change`), else the larger, by the same rule.
fn choose(kind: PointKind, values: &BTreeMap<u64, SourceSet>, change: Option<i128>) -> Choice {
    let strength = |value: u64| {
        let sources = &values[&value];
        (qualifier_of(sources).is_exact(), distinct_files(sources))
    };
    let matches_change = |value: u64| change == Some(i128::from(value));
    let mut ranked: Vec<u64> = values.keys().copied().collect();
    ranked.sort_by(|&a, &b| {
        strength(b)
            .cmp(&strength(a))
            .then_with(|| matches_change(b).cmp(&matches_change(a)))
            .then_with(|| b.cmp(&a))
    });
    let Some((&best, rest)) = ranked.split_first() else {
        return Choice {
            ranked,
            reason: String::new(),
        };
    };
    let (exact, files) = strength(best);
    let reason = match rest.first().map(|&v| strength(v)) {
        None => String::new(),
        Some((false, _)) if exact => format!("{best} is stated exactly, the others are hedged"),
        Some((_, runner_up)) if runner_up < files => {
            format!("{best} is stated in {files} files, more than any other value ({runner_up})")
        }
        Some(_) => {
            let tied = ranked
                .iter()
                .filter(|&&v| strength(v) == (exact, files))
                .count();
            let how = if exact { "exact" } else { "hedged" };
            let rule = match kind {
                PointKind::Delta if matches_change(best) => {
                    format!("{best} equals the change between the day's totals")
                }
                PointKind::Delta => {
                    "the larger change wins, as for totals (no totals on both days to decide)"
                        .to_owned()
                }
                PointKind::Total => "the larger total wins, since cumulative counts only grow \
                                     and a smaller one is most likely an earlier report"
                    .to_owned(),
            };
            format!("tie between {tied} {how} values stated in {files} file(s) each: {rule}")
        }
    };
    Choice { ranked, reason }
}

fn conflict(key: &FactKey, values: &BTreeMap<u64, SourceSet>, choice: Choice) -> Conflict {
    let candidates = choice
        .ranked
        .iter()
        .map(|&value| Candidate {
            value,
            qualifier: qualifier_of(&values[&value]),
            sources: values[&value]
                .iter()
                .map(|((file, line), &qualifier)| Source {
                    file: file.clone(),
                    line: *line,
                    qualifier,
                })
                .collect(),
        })
        .collect();
    Conflict {
        date: key.date,
        side: key.side.clone(),
        claimant: key.claimant.clone(),
        category: key.category.clone(),
        kind: key.kind,
        candidates,
        chosen: choice.ranked[0],
        reason: choice.reason,
    }
}

/// The chosen exact values of each (claimant, side, category) series. Hedged figures are left
/// out: "more than 145,000" the day after 145,060 is rounding, not a problem.
#[derive(Default)]
struct Series {
    totals: BTreeMap<SeriesKey, BTreeMap<NaiveDate, u64>>,
    deltas: BTreeMap<SeriesKey, BTreeMap<NaiveDate, u64>>,
}

/// (claimant, side, category).
type SeriesKey = (Option<String>, Option<String>, Category);

fn new_check(series: &SeriesKey, date: NaiveDate, problem: Problem, detail: String) -> Check {
    let (claimant, side, category) = series;
    Check {
        date,
        side: side.clone(),
        claimant: claimant.clone(),
        category: category.clone(),
        problem,
        detail,
    }
}

impl Series {
    fn add(&mut self, key: &FactKey, value: u64) {
        let series = match key.kind {
            PointKind::Total => &mut self.totals,
            PointKind::Delta => &mut self.deltas,
        };
        series
            .entry((key.claimant.clone(), key.side.clone(), key.category.clone()))
            .or_default()
            .insert(key.date, value);
    }

    fn checks(&self) -> Vec<Check> {
        let mut checks = Vec::new();
        for (series, totals) in &self.totals {
            // Against the latest earlier total only, so one wrong figure raises one check, not
            // one for every later date.
            for ((&before, &earlier), (&date, &total)) in totals.iter().zip(totals.iter().skip(1)) {
                if total < earlier {
                    let detail = format!(
                        "{} total {total} on {date} is lower than {earlier} on {before}",
                        series.2
                    );
                    checks.push(new_check(series, date, Problem::TotalDecreased, detail));
                }
            }
        }
        for (series, deltas) in &self.deltas {
            let Some(totals) = self.totals.get(series) else {
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
                        series.2
                    );
                    checks.push(new_check(series, date, Problem::DeltaMismatch, detail));
                }
            }
        }
        checks.sort_by(|a, b| {
            (&a.claimant, &a.side, a.date, &a.category, a.problem).cmp(&(
                &b.claimant,
                &b.side,
                b.date,
                &b.category,
                b.problem,
            ))
        });
        checks
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A General Staff figure about Russian losses.
    fn fig(file: &str, line: usize, category: &str, kind: Kind, value: u64, on: &str) -> Figure {
        Figure {
            file: file.to_owned(),
            line,
            start: line * 100,
            end: line * 100 + 10,
            quote: format!("{value} {category}"),
            category: category.to_owned(),
            kind,
            days: (kind == Kind::Delta).then_some(1),
            value,
            qualifier: Qualifier::Exact,
            side: Some("russia".to_owned()),
            claimant: Some("ukraine".to_owned()),
            date: Some(date(on)),
            date_basis: "header line Date:".to_owned(),
        }
    }

    fn hedged(mut f: Figure, qualifier: Qualifier) -> Figure {
        f.qualifier = qualifier;
        f
    }

    fn undated(mut f: Figure) -> Figure {
        f.date = None;
        f.date_basis = "no date in the text".to_owned();
        f
    }

    fn seeds() -> Vec<Figure> {
        vec![
            fig("a.txt", 3, "personnel", Kind::Total, 144440, "2023-02-21"),
            fig("a.txt", 4, "tanks", Kind::Total, 3326, "2023-02-21"),
            fig("b.txt", 5, "personnel", Kind::Total, 145060, "2023-02-22"),
            fig("b.txt", 5, "personnel", Kind::Delta, 620, "2023-02-22"),
            fig("b.txt", 6, "tanks", Kind::Total, 3334, "2023-02-22"),
        ]
    }

    fn point<'a>(t: &'a Timeline, on: &str) -> &'a Point {
        t.timeline
            .iter()
            .find(|p| p.date == date(on) && p.claimant.as_deref() == Some("ukraine"))
            .unwrap()
    }

    fn cat(s: &str) -> Category {
        s.into()
    }

    #[test]
    fn daily_series_holds_totals_and_the_delta_without_checks() {
        let t = build(seeds());
        let p = point(&t, "2023-02-22");
        assert_eq!(p.totals[&cat("personnel")], 145060);
        assert_eq!(p.totals[&cat("tanks")], 3334);
        assert_eq!(p.deltas[&cat("personnel")], 620);
        assert_eq!(point(&t, "2023-02-21").totals[&cat("personnel")], 144440);
        assert!(t.checks.is_empty(), "{:?}", t.checks);
        assert!(t.conflicts.is_empty());
    }

    #[test]
    fn point_sources_say_which_kind_they_back() {
        let t = build(seeds());
        let sources = &point(&t, "2023-02-22").sources[&cat("personnel")];
        let kinds: Vec<_> = sources.iter().map(|s| (s.line, s.kind)).collect();
        assert_eq!(kinds, [(5, PointKind::Total), (5, PointKind::Delta)]);
    }

    #[test]
    fn categories_serialise_in_csv_column_order_with_unknown_ones_last() {
        let mut figures = vec![
            fig("a.txt", 1, "zebras", Kind::Total, 1, "2023-02-21"),
            fig("a.txt", 2, "fuel_tanks", Kind::Total, 2, "2023-02-21"),
            fig("a.txt", 3, "apples", Kind::Total, 3, "2023-02-21"),
        ];
        figures.extend(seeds());
        let json = serde_json::to_string(&point(&build(figures), "2023-02-21").totals).unwrap();
        assert_eq!(
            json,
            r#"{"personnel":144440,"tanks":3326,"fuel_tanks":2,"apples":3,"zebras":1}"#
        );
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
            .timeline
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
    fn exact_figure_beats_almost_even_with_more_sources() {
        let almost = |file| {
            hedged(
                fig(file, 1, "personnel", Kind::Total, 150000, "2023-02-23"),
                Qualifier::Almost,
            )
        };
        let exact = fig("x.txt", 9, "personnel", Kind::Total, 145850, "2023-02-23");
        let t = build(vec![almost("p.txt"), almost("q.txt"), exact]);
        assert_eq!(point(&t, "2023-02-23").totals[&cat("personnel")], 145850);
        let conflict = &t.conflicts[0];
        assert_eq!(conflict.chosen, 145850);
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
        assert_eq!(t.conflicts[0].chosen, 3350);
        assert_eq!(
            t.conflicts[0].reason,
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
        assert_eq!(t.conflicts[0].chosen, 3343);
        assert!(t.conflicts[0]
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
        assert!(t.conflicts[0].reason.contains("the larger total wins"));
    }

    #[test]
    fn tie_between_deltas_takes_the_one_matching_the_totals() {
        let mut figures = seeds();
        figures.push(fig("z.txt", 2, "personnel", Kind::Delta, 790, "2023-02-22"));
        let t = build(figures);
        assert_eq!(point(&t, "2023-02-22").deltas[&cat("personnel")], 620);
        assert_eq!(
            t.conflicts[0].reason,
            "tie between 2 exact values stated in 1 file(s) each: \
             620 equals the change between the day's totals"
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
        let json = serde_json::to_value(&t.conflicts).unwrap();
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

    #[test]
    fn falling_total_is_checked_against_the_latest_earlier_one() {
        let mut figures = seeds();
        figures.push(fig("c.txt", 1, "tanks", Kind::Total, 3316, "2023-02-23"));
        figures.push(fig("c.txt", 2, "tanks", Kind::Total, 3363, "2023-02-24"));
        let t = build(figures);
        assert_eq!(t.checks.len(), 1, "{:?}", t.checks);
        assert_eq!(t.checks[0].problem, Problem::TotalDecreased);
        assert_eq!(t.checks[0].date, date("2023-02-23"));
        assert_eq!(
            t.checks[0].detail,
            "tanks total 3316 on 2023-02-23 is lower than 3334 on 2023-02-22"
        );
    }

    #[test]
    fn delta_that_disagrees_with_the_totals_is_checked() {
        let mut figures = seeds();
        figures.retain(|f| f.kind != Kind::Delta);
        figures.push(fig("b.txt", 5, "personnel", Kind::Delta, 790, "2023-02-22"));
        let t = build(figures);
        assert_eq!(t.checks.len(), 1);
        assert_eq!(t.checks[0].problem, Problem::DeltaMismatch);
        assert_eq!(
            t.checks[0].detail,
            "personnel change 790 on 2023-02-22, but the total went from 144440 on 2023-02-21 \
             to 145060 (+620)"
        );
    }

    #[test]
    fn hedged_totals_are_not_checked() {
        let mut figures = seeds();
        figures.push(hedged(
            fig("c.txt", 1, "personnel", Kind::Total, 145000, "2023-02-23"),
            Qualifier::MoreThan,
        ));
        assert!(build(figures).checks.is_empty());
    }

    #[test]
    fn undated_figures_are_kept_sorted_and_deduplicated() {
        let late = undated(fig("b.txt", 1, "tanks", Kind::Total, 3334, "2023-02-22"));
        let early = undated(fig("a.txt", 9, "tanks", Kind::Total, 3334, "2023-02-22"));
        let t = build(vec![late.clone(), early.clone(), late.clone()]);
        assert_eq!(t.undated, [early, late]);
        assert!(t.timeline.is_empty());
    }

    #[test]
    fn periods_and_multi_day_deltas_are_kept_apart() {
        let mut two_days = fig("a.txt", 1, "tanks", Kind::Delta, 25, "2023-02-22");
        two_days.days = Some(2);
        let since_december = fig("a.txt", 2, "personnel", Kind::Period, 100000, "2023-02-22");
        let mut no_days = fig("a.txt", 3, "personnel", Kind::Delta, 620, "2023-02-22");
        no_days.days = None;
        let t = build(vec![two_days.clone(), since_december.clone(), no_days]);
        assert_eq!(t.periods, [two_days, since_december]);
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
        assert_eq!(t.conflicts[0].chosen, 3343);
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
    fn csv_has_one_row_per_date_in_the_reference_columns() {
        let mut other = fig("c.txt", 1, "personnel", Kind::Total, 200000, "2023-02-21");
        other.claimant = Some("united_states".to_owned());
        let mut figures = seeds();
        figures.push(other);
        let mut out = Vec::new();
        to_csv(
            &build(figures),
            "ukraine",
            "russia",
            date("2022-02-24"),
            &mut out,
        )
        .unwrap();
        let empty = ",".repeat(15);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!(
                "date,day,personnel,tanks,afv,artillery,mlrs,air_defense,aircraft,helicopters,\
                 uav,cruise_missiles,ships,submarines,vehicles,special_equipment,srbm,\
                 military_vehicles,fuel_tanks\n\
                 2023-02-21,363,144440,3326{empty}\n\
                 2023-02-22,364,145060,3334{empty}\n"
            )
        );
    }

    #[test]
    fn csv_adds_a_column_for_a_category_of_the_users_own() {
        let mut figures = seeds();
        figures.push(fig("d.txt", 1, "pow", Kind::Total, 20, "2023-02-22"));
        let mut out = Vec::new();
        to_csv(
            &build(figures),
            "ukraine",
            "russia",
            date("2022-02-24"),
            &mut out,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.lines().next().unwrap().ends_with(",fuel_tanks,pow"));
        assert!(text.lines().nth(2).unwrap().ends_with(",,20"));
    }

    #[test]
    fn ndjson_writes_one_point_per_line() {
        let t = build(seeds());
        let mut out = Vec::new();
        to_ndjson(&t, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        let first: Point = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(&first, point(&t, "2023-02-21"));
    }

    #[test]
    fn json_round_trips() {
        let mut figures = seeds();
        figures.push(undated(fig(
            "u.txt",
            1,
            "uav",
            Kind::Total,
            2026,
            "2023-02-22",
        )));
        let t = build(figures);
        assert_eq!(from_json(&to_json(&t)).unwrap(), t);
    }

    fn refusal(json: &str) -> String {
        format!("{:#}", from_json(json).unwrap_err())
    }

    #[test]
    fn from_json_refuses_a_file_without_schema_version() {
        let figure = serde_json::to_string(&seeds()[0]).unwrap();
        assert!(refusal(&figure).contains("not a casrep timeline: no schema_version"));
    }

    #[test]
    fn from_json_refuses_ndjson() {
        let line = serde_json::to_string(&seeds()[0]).unwrap();
        assert!(refusal(&format!("{line}\n{line}\n")).contains("not a single JSON document"));
    }

    #[test]
    fn from_json_refuses_another_schema_version() {
        let msg = refusal(r#"{"schema_version":2,"timeline":[]}"#);
        assert!(
            msg.contains("unsupported timeline schema_version 2"),
            "{msg}"
        );
    }

    #[test]
    fn from_json_refuses_a_wrong_shape() {
        let msg = refusal(r#"{"schema_version":1,"timeline":{}}"#);
        assert!(msg.contains("not a casrep timeline: wrong shape"), "{msg}");
    }

    #[test]
    fn from_json_refuses_a_value_without_a_source() {
        let mut t = build(seeds());
        t.timeline[0].sources.clear();
        let msg = refusal(&to_json(&t));
        assert!(msg.contains("total personnel has no source"), "{msg}");
    }

    fn arb_figure() -> impl Strategy<Value = Figure> {
        let text = |options: &'static [&'static str]| proptest::sample::select(options);
        let opt_text = |options: &'static [&'static str]| {
            proptest::option::of(text(options)).prop_map(|o| o.map(str::to_owned))
        };
        (
            (
                text(&["a.txt", "b.txt", "c.txt"]),
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
                |((file, line, category, kind, days), (value, qualifier, side, claimant, day))| {
                    Figure {
                        file: file.to_owned(),
                        line,
                        start: line * 10,
                        end: line * 10 + 5,
                        quote: format!("{value} {category}"),
                        category: category.to_owned(),
                        kind,
                        days,
                        value,
                        qualifier,
                        side,
                        claimant,
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
