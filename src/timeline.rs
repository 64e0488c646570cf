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
//! Kinds that name no single day, `period` figures and deltas over more than one day, are kept
//! whole in `periods` (same shape as `undated`): placing them on a daily series would need the
//! span's start, which the text rarely gives. Nothing is dropped.
//!
//! Bounds are not values. A dated total or daily delta qualified `more_than`, `less_than` or
//! `almost` ("more than 500 tanks", "almost 150,000") only says on which side of a number the
//! value lies, so it never becomes a series value nor a candidate in a conflict: it is kept whole
//! in `bounds` (same shape as `undated`). `about` figures do stay in the series: the General
//! Staff's own posts say "about 144440", and that is the official figure; an exact figure still
//! beats an `about` one in a conflict.
//!
//! Stale totals. Sloppy rewrites copy an earlier day's total, often next to the day's change
//! ("special equipment -1,260 ( +8)" on 2023-12-31, where 1,260 is the 2023-12-30 total). A
//! stale total is never chosen: another value of the day wins the conflict, and if it is the
//! only one the day has no total for the category (the conflict lists it with `chosen: null`).
//! Either way a `stale_total` check names the values and why. No corrected value is made up.
//! Days are judged in date order, each against the choices before it, so the outcome depends on
//! the evidence alone (and a merge gives the same bytes as one run). Found stale:
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
//!
//! Memory: a [`Timeline`] holds only that evidence, compactly (file paths, categories, parties
//! and date bases interned once and referred to by index, lines as `u32`), and derives its
//! points, conflicts and checks when it is written, one item at a time. So a timeline costs about
//! a dozen bytes per source plus the figures it keeps whole, and `from_json` reads a file straight
//! into that form.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::io::Write;
use std::sync::Arc;

use anyhow::{bail, Context};
use chrono::NaiveDate;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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
}

/// The canonical order of category ids: the columns of `official-daily.csv`, then by name.
fn category_cmp(a: &str, b: &str) -> Ordering {
    let rank = |c: &str| {
        CATEGORY_ORDER
            .iter()
            .position(|known| *known == c)
            .unwrap_or(CATEGORY_ORDER.len())
    };
    (rank(a), a).cmp(&(rank(b), b))
}

impl Ord for Category {
    fn cmp(&self, other: &Self) -> Ordering {
        category_cmp(&self.0, &other.0)
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

/// Two or more values for one (date, side, claimant, category, kind), or one that is stale, and
/// which one won.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conflict {
    pub date: NaiveDate,
    pub side: Option<String>,
    pub claimant: Option<String>,
    pub category: Category,
    pub kind: PointKind,
    /// Best first: the chosen value leads; a stale value comes last.
    pub candidates: Vec<Candidate>,
    /// Null when the only value is stale: then the point has no value for the key.
    pub chosen: Option<u64>,
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
    /// A total that the rest of its series shows to be an earlier day's count copied on, or
    /// out of line with its neighbours (see the module docs); left out of the series.
    StaleTotal,
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
    // The largest part is the base, so a large running timeline is extended, not copied.
    let mut parts: Vec<Evidence> = parts.into_iter().map(|t| t.evidence).collect();
    let largest = (0..parts.len()).max_by_key(|&i| parts[i].size());
    let mut evidence = largest.map(|i| parts.swap_remove(i)).unwrap_or_default();
    for part in parts {
        evidence.absorb(part);
    }
    evidence.normalise();
    Timeline { evidence }
}

/// The timeline as pretty JSON with a final newline: readable in a diff, stable in bytes.
/// Streamed, so a large timeline is not held twice; an I/O error is returned as the
/// `io::Error` itself (serde_json's error would hide it from `output::is_broken_pipe`).
pub fn write_json(t: &Timeline, mut w: impl Write) -> anyhow::Result<()> {
    let derived = t.evidence.derive();
    serde_json::to_writer_pretty(&mut w, &Document(&derived)).map_err(std::io::Error::from)?;
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

/// Reads a timeline written by `write_json`, refusing anything else with a reason.
///
/// Two passes over the text: the first reads only `schema_version` (so a file of another version
/// or another kind is named for what it is, not for its first unexpected key), the second reads
/// the evidence straight into the compact form, one point, conflict or figure at a time.
pub fn from_json(s: &str) -> anyhow::Result<Timeline> {
    #[derive(Deserialize)]
    struct Header {
        schema_version: Option<serde_json::Value>,
    }
    let mut de = serde_json::Deserializer::from_str(s);
    let header = match Header::deserialize(&mut de) {
        Ok(header) => header,
        Err(e) if e.is_data() => bail!("not a casrep timeline: expected a JSON object"),
        Err(e) => {
            return Err(e).context("not a casrep timeline: not a single JSON document");
        }
    };
    de.end()
        .context("not a casrep timeline: not a single JSON document")?;
    if !s.trim_start().starts_with('{') {
        bail!("not a casrep timeline: expected a JSON object");
    }
    match header.schema_version {
        None => bail!("not a casrep timeline: no schema_version"),
        Some(v) if v.as_u64() == Some(u64::from(SCHEMA_VERSION)) => {}
        Some(v) => {
            bail!("unsupported timeline schema_version {v} (this casrep reads {SCHEMA_VERSION})")
        }
    }

    let mut loader = Loader::default();
    let mut de = serde_json::Deserializer::from_str(s);
    let read = DeserializeSeed::deserialize(&mut loader, &mut de).and_then(|()| de.end());
    if let Some(invalid) = loader.invalid {
        bail!("not a casrep timeline: {invalid}");
    }
    read.context("not a casrep timeline: wrong shape")?;
    let mut evidence = loader.evidence;
    evidence.normalise();
    Ok(Timeline { evidence })
}

/// One point per line, for tools that stream.
pub fn to_ndjson(t: &Timeline, mut w: impl Write) -> anyhow::Result<()> {
    let derived = t.evidence.derive();
    for point in derived.points() {
        let line = serde_json::to_string(&point)?;
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
    let derived = t.evidence.derive();
    let points: Vec<Point> = derived
        .points()
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
    /// The points, in output order.
    pub fn points(&self) -> Vec<Point> {
        self.evidence.derive().points().collect()
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

fn series_label(claimant: Option<&str>, side: Option<&str>) -> String {
    format!(
        "claimant {}, side {}",
        claimant.unwrap_or("null"),
        side.unwrap_or("null")
    )
}

// ---------------------------------------------------------------------------------------------
// The evidence, compactly.

/// Strings stored once and referred to by index. Ids depend on the order strings arrive in, so
/// nothing is ever ordered by id: output order comes from [`Interner::ranks`].
#[derive(Clone, Debug, Default)]
struct Interner {
    names: Vec<Arc<str>>,
    ids: HashMap<Arc<str>, u32>,
}

impl Interner {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = u32::try_from(self.names.len()).expect("fewer than 2^32 distinct strings");
        let name: Arc<str> = name.into();
        self.names.push(Arc::clone(&name));
        self.ids.insert(name, id);
        id
    }

    fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// Each id's position among the names sorted by `cmp`.
    fn ranks(&self, cmp: impl Fn(&str, &str) -> Ordering) -> Vec<u32> {
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
type PartyId = u32;
const NULL: PartyId = u32::MAX;

/// Lines and positions beyond 2^32 would need a file of more than 4 GB, which casrep does not
/// read whole; they are clamped rather than refused.
fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What a value is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct FactKey {
    claimant: PartyId,
    side: PartyId,
    category: u32,
    date: NaiveDate,
    kind: PointKind,
}

/// A place that states a value: file id, line, and the most precise qualifier used there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Src {
    file: u32,
    line: u32,
    qualifier: Qualifier,
}

/// One value of a key and its sources (after `normalise`: sorted by file and line, each once).
#[derive(Clone, Debug)]
struct Stated {
    value: u64,
    sources: Vec<Src>,
}

/// A figure kept whole (undated, periods, bounds), with its strings interned.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Stored {
    file: u32,
    line: usize,
    start: usize,
    end: usize,
    quote: Box<str>,
    category: u32,
    kind: Kind,
    days: Option<u32>,
    value: u64,
    qualifier: Qualifier,
    side: PartyId,
    claimant: PartyId,
    lang: PartyId,
    date: Option<NaiveDate>,
    date_basis: u32,
}

/// The set a timeline is derived from (see the module docs).
#[derive(Clone, Debug, Default)]
struct Evidence {
    files: Interner,
    /// Category ids and party ids.
    names: Interner,
    /// `date_basis` texts, which repeat a lot.
    bases: Interner,
    /// Values per key, sorted by value after `normalise`.
    facts: HashMap<FactKey, Vec<Stated>>,
    undated: Vec<Stored>,
    periods: Vec<Stored>,
    bounds: Vec<Stored>,
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
fn is_bound(qualifier: Qualifier) -> bool {
    matches!(
        qualifier,
        Qualifier::MoreThan | Qualifier::LessThan | Qualifier::Almost
    )
}

impl Evidence {
    fn size(&self) -> usize {
        self.facts.len() + self.undated.len() + self.periods.len() + self.bounds.len()
    }

    fn party_id(&mut self, party: Option<&str>) -> PartyId {
        party.map_or(NULL, |p| self.names.id(p))
    }

    fn party(&self, id: PartyId) -> Option<&str> {
        (id != NULL).then(|| self.names.name(id))
    }

    fn add_figure(&mut self, figure: Figure) {
        let Some(date) = figure.date else {
            let stored = self.store(figure);
            self.undated.push(stored);
            return;
        };
        match place(figure.kind, figure.days, figure.qualifier) {
            Place::Periods => {
                let stored = self.store(figure);
                self.periods.push(stored);
            }
            Place::Bounds => {
                let stored = self.store(figure);
                self.bounds.push(stored);
            }
            Place::Fact(kind) => {
                let key = FactKey {
                    claimant: self.party_id(figure.claimant.as_deref()),
                    side: self.party_id(figure.side.as_deref()),
                    category: self.names.id(&figure.category),
                    date,
                    kind,
                };
                let src = Src {
                    file: self.files.id(&figure.file),
                    line: small(figure.line),
                    qualifier: figure.qualifier,
                };
                self.add_source(key, figure.value, src);
            }
        }
    }

    fn store(&mut self, f: Figure) -> Stored {
        Stored {
            file: self.files.id(&f.file),
            line: f.line,
            start: f.start,
            end: f.end,
            quote: f.quote.into_boxed_str(),
            category: self.names.id(&f.category),
            kind: f.kind,
            days: f.days,
            value: f.value,
            qualifier: f.qualifier,
            side: self.party_id(f.side.as_deref()),
            claimant: self.party_id(f.claimant.as_deref()),
            lang: self.party_id(f.lang.as_deref()),
            date: f.date,
            date_basis: self.bases.id(&f.date_basis),
        }
    }

    fn unstore(&self, s: &Stored) -> Figure {
        Figure {
            file: self.files.name(s.file).to_owned(),
            line: s.line,
            start: s.start,
            end: s.end,
            quote: s.quote.to_string(),
            category: self.names.name(s.category).to_owned(),
            kind: s.kind,
            days: s.days,
            value: s.value,
            qualifier: s.qualifier,
            side: self.party(s.side).map(str::to_owned),
            claimant: self.party(s.claimant).map(str::to_owned),
            lang: self.party(s.lang).map(str::to_owned),
            date: s.date,
            date_basis: self.bases.name(s.date_basis).to_owned(),
        }
    }

    fn figures<'a>(&'a self, list: &'a [Stored]) -> impl Iterator<Item = Figure> + 'a {
        list.iter().map(|s| self.unstore(s))
    }

    /// Adds one source of one value; duplicates are merged by `normalise`.
    fn add_source(&mut self, key: FactKey, value: u64, src: Src) {
        let values = self.facts.entry(key).or_default();
        match values.iter_mut().find(|s| s.value == value) {
            Some(stated) => stated.sources.push(src),
            None => values.push(Stated {
                value,
                sources: vec![src],
            }),
        }
    }

    /// Adds the evidence of `other`, translating its ids into ours.
    fn absorb(&mut self, other: Evidence) {
        let files: Vec<u32> = other.files.names.iter().map(|n| self.files.id(n)).collect();
        let names: Vec<u32> = other.names.names.iter().map(|n| self.names.id(n)).collect();
        let bases: Vec<u32> = other.bases.names.iter().map(|n| self.bases.id(n)).collect();
        let party = |id: PartyId| if id == NULL { NULL } else { names[id as usize] };
        for (key, values) in other.facts {
            let key = FactKey {
                claimant: party(key.claimant),
                side: party(key.side),
                category: names[key.category as usize],
                ..key
            };
            for stated in values {
                for src in stated.sources {
                    let src = Src {
                        file: files[src.file as usize],
                        ..src
                    };
                    self.add_source(key, stated.value, src);
                }
            }
        }
        let translate = |s: Stored| Stored {
            file: files[s.file as usize],
            category: names[s.category as usize],
            side: party(s.side),
            claimant: party(s.claimant),
            lang: party(s.lang),
            date_basis: bases[s.date_basis as usize],
            ..s
        };
        self.undated
            .extend(other.undated.into_iter().map(translate));
        self.periods
            .extend(other.periods.into_iter().map(translate));
        self.bounds.extend(other.bounds.into_iter().map(translate));
    }

    /// Puts the evidence in its canonical form: values sorted, each source once per value with
    /// the most precise qualifier it used (`Exact` orders first: a source that once said it
    /// exactly keeps saying so), sources and figure lists sorted, exact duplicate figures dropped.
    fn normalise(&mut self) {
        let file_rank = self.files.ranks(str::cmp);
        for values in self.facts.values_mut() {
            values.sort_by_key(|s| s.value);
            // Equal values were merged on entry, but `absorb` may add a value again.
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
                sources.shrink_to_fit();
            }
        }
        let order = FigureOrder::new(self);
        for list in [&mut self.undated, &mut self.periods, &mut self.bounds] {
            list.sort_by(|a, b| order.cmp(a, b));
            list.dedup();
        }
    }
}

/// The order of figure lists: by file and position, with every other field as a tie-break so
/// the order is total (strings compared as strings, never by id).
struct FigureOrder {
    file: Vec<u32>,
    name: Vec<u32>,
    basis: Vec<u32>,
}

impl FigureOrder {
    fn new(e: &Evidence) -> Self {
        FigureOrder {
            file: e.files.ranks(str::cmp),
            name: e.names.ranks(str::cmp),
            basis: e.bases.ranks(str::cmp),
        }
    }

    /// `None` before any party, as `Option` orders.
    fn party(&self, id: PartyId) -> Option<u32> {
        (id != NULL).then(|| self.name[id as usize])
    }

    fn cmp(&self, a: &Stored, b: &Stored) -> Ordering {
        let first = |f: &Stored| {
            (
                self.file[f.file as usize],
                f.start,
                f.end,
                f.line,
                self.name[f.category as usize],
                f.kind,
                f.days,
                f.value,
            )
        };
        let then = |f: &Stored| {
            (
                f.qualifier,
                self.party(f.side),
                self.party(f.claimant),
                f.date,
            )
        };
        first(a)
            .cmp(&first(b))
            .then_with(|| then(a).cmp(&then(b)))
            .then_with(|| a.quote.cmp(&b.quote))
            .then_with(|| self.basis[a.date_basis as usize].cmp(&self.basis[b.date_basis as usize]))
    }
}

// ---------------------------------------------------------------------------------------------
// Deriving the document from the evidence.

/// The most precise qualifier any source used for a value.
fn qualifier_of(sources: &[Src]) -> Qualifier {
    // Every value enters with a source (`from_json` refuses one without); the fallback only
    // keeps this total.
    sources
        .iter()
        .map(|s| s.qualifier)
        .min()
        .unwrap_or(Qualifier::Almost)
}

/// Sources count once per file: an article repeating its own number is not a second witness.
/// (Sources are sorted by file, so one file's sources are adjacent.)
fn distinct_files(sources: &[Src]) -> usize {
    let mut files: Vec<u32> = sources.iter().map(|s| s.file).collect();
    files.dedup();
    files.len()
}

/// The values of one key, best first, and why the first won. `chosen` is the first unless every
/// value is stale; then it is `None` and the key has no value in its point.
#[derive(Debug)]
struct Choice {
    ranked: Vec<u64>,
    chosen: Option<u64>,
    reason: String,
    stale: Vec<Stale>,
}

/// A total the rest of its series shows to be out of date (see the module docs); `why`
/// completes "1260 ...".
#[derive(Clone, Debug)]
struct Stale {
    value: u64,
    why: String,
}

/// The totals of a series nearest before and after a date that no other value contests.
#[derive(Clone, Copy, Debug, Default)]
struct Around {
    before: Option<(NaiveDate, u64)>,
    after: Option<(NaiveDate, u64)>,
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
struct Judge {
    /// For a delta: the change between the chosen totals of the day and the day before.
    change: Option<i128>,
    /// For a total: the uncontested totals around it.
    around: Around,
    /// For a total: the values found stale.
    stale: Vec<Stale>,
}

/// Ranks the values of one key:
/// 1. a stale total (see [`Evidence::stale`]) comes last and is never chosen;
/// 2. an exact figure beats an `about` one;
/// 3. then the value stated in more files;
/// 4. then, on a tie, for a delta the value equal to the change between the day's chosen totals;
///    for a total the value that lies between the nearest uncontested totals of its series
///    before and after it (a cumulative count cannot fall, so a value above the next day's
///    total is most likely a later report given the wrong date);
/// 5. then the larger value, because cumulative counts only grow and a smaller figure is most
///    likely an earlier day's report copied on (for deltas by the same rule).
fn choose(kind: PointKind, values: &[Stated], judge: Judge) -> Choice {
    let sources = |value: u64| {
        &values
            .iter()
            .find(|s| s.value == value)
            .expect("ranked values come from `values`")
            .sources
    };
    let strength = |value: u64| {
        let sources = sources(value);
        (qualifier_of(sources).is_exact(), distinct_files(sources))
    };
    let matches_change = |value: u64| judge.change == Some(i128::from(value));
    let fits = |value: u64| kind == PointKind::Total && judge.around.fits(value);
    let is_stale = |value: u64| judge.stale.iter().any(|s| s.value == value);
    let mut ranked: Vec<u64> = values.iter().map(|s| s.value).collect();
    ranked.sort_by(|&a, &b| {
        is_stale(a)
            .cmp(&is_stale(b))
            .then_with(|| strength(b).cmp(&strength(a)))
            .then_with(|| matches_change(b).cmp(&matches_change(a)))
            .then_with(|| fits(b).cmp(&fits(a)))
            .then_with(|| b.cmp(&a))
    });
    let fresh: Vec<u64> = ranked.iter().copied().filter(|&v| !is_stale(v)).collect();
    let chosen = fresh.first().copied();
    let mut reason = match fresh.split_first() {
        Some((&best, [runner_up, ..])) => {
            let (exact, files) = strength(best);
            match strength(*runner_up) {
                (false, _) if exact => format!("{best} is stated exactly, the others are hedged"),
                (_, runner_up) if runner_up < files => format!(
                    "{best} is stated in {files} files, more than any other value ({runner_up})"
                ),
                _ => {
                    let tied: Vec<u64> = fresh
                        .iter()
                        .copied()
                        .filter(|&v| strength(v) == (exact, files))
                        .collect();
                    let how = if exact { "exact" } else { "hedged" };
                    let rule =
                        match kind {
                            PointKind::Delta if matches_change(best) => {
                                format!("{best} equals the change between the day's totals")
                            }
                            PointKind::Delta => "the larger change wins, as for totals (no totals \
                                             on both days to decide)"
                                .to_owned(),
                            PointKind::Total if fits(best) && !fits(tied[1]) => {
                                format!(
                            "{best} lies within the uncontested totals around it ({}), {} not",
                            judge.around.describe(),
                            if tied.len() > 2 { "the others do" } else { "the other does" }
                        )
                            }
                            PointKind::Total => "the larger total wins, since cumulative counts \
                                             only grow and a smaller one is most likely an \
                                             earlier report"
                                .to_owned(),
                        };
                    format!(
                        "tie between {} {how} values stated in {files} file(s) each: {rule}",
                        tied.len()
                    )
                }
            }
        }
        _ => String::new(),
    };
    if !judge.stale.is_empty() {
        let stale: Vec<String> = judge
            .stale
            .iter()
            .map(|s| format!("{} {}: stale", s.value, s.why))
            .collect();
        let stale = stale.join("; ");
        reason = match (chosen, fresh.len()) {
            (None, _) => format!("{stale}, so no value is chosen"),
            (Some(best), 1) => format!("{best} is the only value that is not stale: {stale}"),
            _ => format!("{reason}; {stale}"),
        };
    }
    Choice {
        ranked,
        chosen,
        reason,
        stale: judge.stale,
    }
}

/// (claimant, side, category).
type SeriesKey = (PartyId, PartyId, u32);

/// The keys of one series on one date.
#[derive(Default)]
struct Day<'a> {
    total: Option<&'a FactKey>,
    delta: Option<&'a FactKey>,
}

/// The decisions of a timeline, from which its document is written.
struct Derived<'a> {
    ev: &'a Evidence,
    file_rank: Vec<u32>,
    /// Every key, in output order: claimant, side, date, category, kind.
    keys: Vec<&'a FactKey>,
    choices: HashMap<&'a FactKey, Choice>,
    checks: Vec<Check>,
}

impl Evidence {
    fn derive(&self) -> Derived<'_> {
        let party_rank = {
            let by_name = self.names.ranks(str::cmp);
            move |id: PartyId| (id != NULL).then(|| by_name[id as usize])
        };
        let category_rank = self.names.ranks(category_cmp);
        let order = |k: &FactKey| {
            (
                party_rank(k.claimant),
                party_rank(k.side),
                k.date,
                category_rank[k.category as usize],
                k.kind,
            )
        };
        let mut keys: Vec<&FactKey> = self.facts.keys().collect();
        keys.sort_by_key(|k| order(k));

        let mut series: HashMap<SeriesKey, BTreeMap<NaiveDate, Day>> = HashMap::new();
        for &key in &keys {
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

        // A claimant that reports a daily change on at least half of its dates publishes one
        // cumulative series (the General Staff, Russia's defence ministry), so a total out of
        // line with its neighbours is an error there, not another outlet's estimate (Oryx,
        // "media", Western intelligence); the neighbour rules apply to such series only.
        let mut dates: HashMap<(PartyId, PartyId), (BTreeSet<NaiveDate>, BTreeSet<NaiveDate>)> =
            HashMap::new();
        for k in &keys {
            let (all, with_delta) = dates.entry((k.claimant, k.side)).or_default();
            all.insert(k.date);
            if k.kind == PointKind::Delta {
                with_delta.insert(k.date);
            }
        }
        let daily: BTreeSet<(PartyId, PartyId)> = dates
            .into_iter()
            .filter(|(_, (all, with_delta))| 2 * with_delta.len() >= all.len())
            .map(|(party, _)| party)
            .collect();

        let mut choices: HashMap<&FactKey, Choice> = HashMap::with_capacity(keys.len());
        for (&(claimant, side, _), days) in &series {
            // The uncontested totals: dates whose total has one value.
            let uncontested: Vec<(NaiveDate, u64)> = days
                .iter()
                .filter_map(|(&date, day)| match self.facts[day.total?].as_slice() {
                    [one] => Some((date, one.value)),
                    _ => None,
                })
                .collect();
            // Totals first, by date: whether a total is stale depends on the day before's
            // choice; a tie between deltas is settled by the chosen totals around them.
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
                choices.insert(key, choose(key.kind, values, judge.clone()));
                judges.insert(key, judge);
            }
            if daily.contains(&(claimant, side)) {
                for (key, stale) in self.out_of_line(days, &choices) {
                    let mut judge = judges.remove(key).unwrap_or_default();
                    judge.stale.push(stale);
                    choices.insert(key, choose(key.kind, &self.facts[key], judge));
                }
            }
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
                    ..Judge::default()
                };
                let choice = choose(key.kind, &self.facts[key], judge);
                choices.insert(key, choice);
            }
        }

        let mut derived = Derived {
            ev: self,
            file_rank: self.files.ranks(str::cmp),
            keys,
            choices,
            checks: Vec::new(),
        };
        derived.checks = derived.series_checks(|k| order(k));
        derived
    }
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
    fn stale(
        &self,
        values: &[Stated],
        delta: Option<&FactKey>,
        (before, yesterday): (NaiveDate, u64),
        yesterday_total: Option<&FactKey>,
    ) -> Option<Stale> {
        let stated = values.iter().find(|s| s.value == yesterday)?;
        let stated_yesterday =
            |v: u64| yesterday_total.is_some_and(|k| self.facts[k].iter().any(|s| s.value == v));
        for (src, change) in self.changes_beside(stated, delta) {
            let implied = yesterday.checked_sub(change);
            if change == 0 || implied.is_some_and(stated_yesterday) {
                continue;
            }
            return Some(Stale {
                value: yesterday,
                why: format!(
                    "repeats the total of {before} while {}:{} states a change of +{change} \
                     that day",
                    self.files.name(src.file),
                    src.line,
                ),
            });
        }
        None
    }

    /// The changes stated on the lines that state `stated` (a total of the same category and
    /// day, whose delta key is `delta`), with the source of each.
    fn changes_beside(&self, stated: &Stated, delta: Option<&FactKey>) -> Vec<(Src, u64)> {
        let Some(deltas) = delta.map(|k| &self.facts[k]) else {
            return Vec::new();
        };
        let mut changes = Vec::new();
        for src in &stated.sources {
            for d in deltas {
                let same_line = |s: &Src| (s.file, s.line) == (src.file, src.line);
                if d.sources.iter().any(same_line) {
                    changes.push((*src, d.value));
                }
            }
        }
        changes
    }

    /// The chosen exact totals of one daily series that its neighbours show to be an earlier
    /// day's count copied on (see the module docs), each with the reason. Judged against the
    /// choices of the first pass, so the outcome depends on the evidence alone.
    fn out_of_line<'a>(
        &'a self,
        days: &BTreeMap<NaiveDate, Day<'a>>,
        choices: &HashMap<&'a FactKey, Choice>,
    ) -> Vec<(&'a FactKey, Stale)> {
        struct Kept<'a> {
            date: NaiveDate,
            key: &'a FactKey,
            stated: &'a Stated,
            files: usize,
            changes: Vec<(Src, u64)>,
        }
        let kept: Vec<Kept> = days
            .iter()
            .filter_map(|(&date, day)| {
                let key = day.total?;
                let value = choices.get(key)?.chosen?;
                let stated = self.facts[key].iter().find(|s| s.value == value)?;
                qualifier_of(&stated.sources).is_exact().then(|| Kept {
                    date,
                    key,
                    stated,
                    files: distinct_files(&stated.sources),
                    changes: self.changes_beside(stated, day.delta),
                })
            })
            .collect();
        let place = |src: Src| format!("{}:{}", self.files.name(src.file), src.line);
        let mut found = Vec::new();
        for (i, this) in kept.iter().enumerate() {
            let value = this.stated.value;
            let before = i.checked_sub(1).map(|j| &kept[j]);
            let after = kept.get(i + 1);
            // The line agrees with a report of the day before (its total minus its change is
            // stated for that day): then any doubt is on the neighbours, not on it.
            let day_before = this.date.pred_opt().and_then(|d| days.get(&d)?.total);
            let growth = this.changes.iter().find(|&&(_, c)| c != 0).copied();
            let verified = day_before.is_some_and(|k| {
                this.changes.iter().any(|&(_, c)| {
                    let implied = value.checked_sub(c);
                    self.facts[k].iter().any(|s| Some(s.value) == implied)
                })
            });
            if verified {
                continue;
            }
            // A neighbour before that is not itself above the one after it, and is stated in at
            // least as many files: one wrong figure must not condemn the right ones after it.
            let sound_before = before.filter(|b| {
                after.is_none_or(|a| b.stated.value <= a.stated.value) && this.files <= b.files
            });
            let why = if let (Some(b), Some((src, change))) =
                (sound_before.filter(|b| b.stated.value >= value), growth)
            {
                // 1. It grew by the change stated beside it, yet is not above an earlier total.
                Some(format!(
                    "is not above {} on {}, though {} states a change of +{change} that day",
                    b.stated.value,
                    b.date,
                    place(src)
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
            };
            // 3. Below what the next day's report implies for the day (its total minus its
            //    change), in at least as many files as state this value.
            let why = why.or_else(|| {
                let next = after.filter(|a| Some(a.date) == this.date.succ_opt())?;
                let mut implied: BTreeMap<u64, Vec<Src>> = BTreeMap::new();
                for &(src, change) in &next.changes {
                    if let Some(v) = next.stated.value.checked_sub(change) {
                        implied.entry(v).or_default().push(src);
                    }
                }
                let (&implied, srcs) = implied
                    .iter()
                    .max_by_key(|(&v, srcs)| (distinct_files(srcs), v))?;
                let fits = before.is_none_or(|b| b.stated.value <= implied);
                (implied > value && fits && this.files <= distinct_files(srcs)).then(|| {
                    format!(
                        "is below the {implied} that {} implies for the day ({} on {} after a \
                         change of +{})",
                        place(srcs[0]),
                        next.stated.value,
                        next.date,
                        next.stated.value - implied
                    )
                })
            });
            if let Some(why) = why {
                found.push((this.key, Stale { value, why }));
            }
        }
        found
    }
}

impl<'a> Derived<'a> {
    fn chosen(&self, key: &FactKey) -> Option<&'a Stated> {
        let value = self.choices[key].chosen?;
        self.ev.facts[key].iter().find(|s| s.value == value)
    }

    fn party(&self, id: PartyId) -> Option<String> {
        self.ev.party(id).map(str::to_owned)
    }

    fn category(&self, key: &FactKey) -> Category {
        Category(self.ev.names.name(key.category).to_owned())
    }

    /// The points, one per (claimant, side, date), built one at a time.
    fn points(&self) -> impl Iterator<Item = Point> + '_ {
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
                        file: self.ev.files.name(s.file).to_owned(),
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
    fn conflicts(&self) -> impl Iterator<Item = Conflict> + '_ {
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
                let stated = values
                    .iter()
                    .find(|s| s.value == value)
                    .expect("ranked values come from the key's values");
                Candidate {
                    value,
                    qualifier: qualifier_of(&stated.sources),
                    sources: stated
                        .sources
                        .iter()
                        .map(|s| Source {
                            file: self.ev.files.name(s.file).to_owned(),
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

    /// Checks of the chosen exact values of each (claimant, side, category) series. Hedged
    /// figures are left out: "about 145,000" the day after 145,060 is rounding, not a problem.
    fn series_checks<K: Ord>(&self, order: impl Fn(&FactKey) -> K) -> Vec<Check> {
        let mut totals: BTreeMap<SeriesKey, BTreeMap<NaiveDate, u64>> = BTreeMap::new();
        let mut deltas: BTreeMap<SeriesKey, BTreeMap<NaiveDate, u64>> = BTreeMap::new();
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
        let mut checks: Vec<(FactKey, Problem, String)> = Vec::new();
        let name = |s: &SeriesKey| self.ev.names.name(s.2);
        let at = |s: &SeriesKey, date| FactKey {
            claimant: s.0,
            side: s.1,
            category: s.2,
            date,
            kind: PointKind::Total,
        };
        for (series, totals) in &totals {
            // Against the latest earlier total only, so one wrong figure raises one check, not
            // one for every later date.
            for ((&before, &earlier), (&date, &total)) in totals.iter().zip(totals.iter().skip(1)) {
                if total < earlier {
                    let detail = format!(
                        "{} total {total} on {date} is lower than {earlier} on {before}",
                        name(series)
                    );
                    checks.push((at(series, date), Problem::TotalDecreased, detail));
                }
            }
        }
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
        for (series, deltas) in &deltas {
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
                        name(series)
                    );
                    checks.push((at(series, date), Problem::DeltaMismatch, detail));
                }
            }
        }
        checks.sort_by_key(|(key, problem, _)| (order(key), *problem));
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
}

// ---------------------------------------------------------------------------------------------
// Writing: the document's items are made one at a time as the serialiser asks for them.

/// A JSON array of the items `make` yields.
struct Items<F>(F);

impl<F, I> Serialize for Items<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// The whole document, in its key order.
struct Document<'d, 'a>(&'d Derived<'a>);

impl Serialize for Document<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let d = self.0;
        let ev = d.ev;
        let mut s = serializer.serialize_struct("Timeline", 7)?;
        s.serialize_field("schema_version", &SCHEMA_VERSION)?;
        s.serialize_field("timeline", &Items(|| d.points()))?;
        s.serialize_field("undated", &Items(|| ev.figures(&ev.undated)))?;
        s.serialize_field("periods", &Items(|| ev.figures(&ev.periods)))?;
        s.serialize_field("bounds", &Items(|| ev.figures(&ev.bounds)))?;
        s.serialize_field("conflicts", &Items(|| d.conflicts()))?;
        s.serialize_field("checks", &d.checks)?;
        s.end()
    }
}

// ---------------------------------------------------------------------------------------------
// Reading: straight into the evidence, checking what `merge` relies on as it goes.

/// The evidence being read, and the first reason the file is not a timeline, if any.
#[derive(Default)]
struct Loader {
    evidence: Evidence,
    invalid: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PointIn<'a> {
    date: NaiveDate,
    side: Option<String>,
    claimant: Option<String>,
    totals: BTreeMap<String, u64>,
    deltas: BTreeMap<String, u64>,
    #[serde(borrow)]
    sources: BTreeMap<String, Vec<PointSourceIn<'a>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PointSourceIn<'a> {
    #[serde(borrow)]
    file: Cow<'a, str>,
    line: u32,
    kind: PointKind,
    qualifier: Qualifier,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConflictIn<'a> {
    date: NaiveDate,
    side: Option<String>,
    claimant: Option<String>,
    category: String,
    kind: PointKind,
    #[serde(borrow)]
    candidates: Vec<CandidateIn<'a>>,
    #[allow(dead_code)]
    chosen: IgnoredAny,
    #[allow(dead_code)]
    reason: IgnoredAny,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CandidateIn<'a> {
    value: u64,
    #[allow(dead_code)]
    qualifier: Qualifier,
    #[serde(borrow)]
    sources: Vec<SourceIn<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceIn<'a> {
    #[serde(borrow)]
    file: Cow<'a, str>,
    line: u32,
    qualifier: Qualifier,
}

impl Loader {
    /// A point's values with their sources; every value needs a source of its kind and every
    /// source a value.
    fn add_point(&mut self, p: PointIn<'_>) -> Result<(), String> {
        let at = || {
            format!(
                "point {} ({})",
                p.date,
                series_label(p.claimant.as_deref(), p.side.as_deref())
            )
        };
        for (kind, values) in [(PointKind::Total, &p.totals), (PointKind::Delta, &p.deltas)] {
            for category in values.keys() {
                let backed = p
                    .sources
                    .get(category)
                    .is_some_and(|s| s.iter().any(|s| s.kind == kind));
                if !backed {
                    return Err(format!("{}: {kind} {category} has no source", at()));
                }
            }
        }
        let ev = &mut self.evidence;
        let claimant = ev.party_id(p.claimant.as_deref());
        let side = ev.party_id(p.side.as_deref());
        for (category, sources) in &p.sources {
            let category_id = ev.names.id(category);
            for s in sources {
                let values = match s.kind {
                    PointKind::Total => &p.totals,
                    PointKind::Delta => &p.deltas,
                };
                let Some(&value) = values.get(category) else {
                    return Err(format!(
                        "{}: source {}:{} backs a {} {category} the point does not have",
                        at(),
                        s.file,
                        s.line,
                        s.kind
                    ));
                };
                if is_bound(s.qualifier) {
                    return Err(format!(
                        "{}: source {}:{} of {} {category} is a bound, never a series value",
                        at(),
                        s.file,
                        s.line,
                        s.kind
                    ));
                }
                let key = FactKey {
                    claimant,
                    side,
                    category: category_id,
                    date: p.date,
                    kind: s.kind,
                };
                let src = Src {
                    file: ev.files.id(&s.file),
                    line: s.line,
                    qualifier: s.qualifier,
                };
                ev.add_source(key, value, src);
            }
        }
        Ok(())
    }

    /// Every candidate of a conflict with its sources.
    fn add_conflict(&mut self, c: ConflictIn<'_>) -> Result<(), String> {
        let at = || {
            format!(
                "conflict {} {} {} ({})",
                c.date,
                c.kind,
                c.category,
                series_label(c.claimant.as_deref(), c.side.as_deref())
            )
        };
        if c.candidates.is_empty() {
            return Err(format!("{}: no candidates", at()));
        }
        if c.candidates.iter().any(|c| c.sources.is_empty()) {
            return Err(format!("{}: a candidate has no source", at()));
        }
        let sources = || c.candidates.iter().flat_map(|c| &c.sources);
        if let Some(s) = sources().find(|s| is_bound(s.qualifier)) {
            return Err(format!(
                "{}: source {}:{} is a bound, never a candidate",
                at(),
                s.file,
                s.line
            ));
        }
        let ev = &mut self.evidence;
        let key = FactKey {
            claimant: ev.party_id(c.claimant.as_deref()),
            side: ev.party_id(c.side.as_deref()),
            category: ev.names.id(&c.category),
            date: c.date,
            kind: c.kind,
        };
        for candidate in &c.candidates {
            for s in &candidate.sources {
                let src = Src {
                    file: ev.files.id(&s.file),
                    line: s.line,
                    qualifier: s.qualifier,
                };
                ev.add_source(key, candidate.value, src);
            }
        }
        Ok(())
    }

    fn add_figure(&mut self, f: Figure) -> Result<(), String> {
        self.evidence.add_figure(f);
        Ok(())
    }

    /// Checks are derived; they are read only to hold the file to its shape.
    fn skip_check(&mut self, _: CheckIn) -> Result<(), String> {
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct CheckIn {
    date: NaiveDate,
    side: Option<String>,
    claimant: Option<String>,
    category: String,
    problem: Problem,
    detail: IgnoredAny,
}

/// Reads a JSON array, handing each item to `add` as it is read.
struct Each<'l, T, F> {
    loader: &'l mut Loader,
    add: F,
    item: std::marker::PhantomData<T>,
}

fn each<T, F>(loader: &mut Loader, add: F) -> Each<'_, T, F> {
    Each {
        loader,
        add,
        item: std::marker::PhantomData,
    }
}

impl<'de, T, F> DeserializeSeed<'de> for Each<'_, T, F>
where
    T: Deserialize<'de>,
    F: FnMut(&mut Loader, T) -> Result<(), String>,
{
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T, F> Visitor<'de> for Each<'_, T, F>
where
    T: Deserialize<'de>,
    F: FnMut(&mut Loader, T) -> Result<(), String>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element::<T>()? {
            if let Err(invalid) = (self.add)(self.loader, item) {
                self.loader.invalid = Some(invalid);
                return Err(de::Error::custom("not a casrep timeline"));
            }
        }
        Ok(())
    }
}

/// The keys of a timeline document, each required once.
const KEYS: [&str; 7] = [
    "schema_version",
    "timeline",
    "undated",
    "periods",
    "bounds",
    "conflicts",
    "checks",
];

impl<'de> DeserializeSeed<'de> for &mut Loader {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &mut Loader {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a casrep timeline")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = [false; KEYS.len()];
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let Some(i) = KEYS.iter().position(|k| *k == key) else {
                return Err(de::Error::unknown_field(&key, &KEYS));
            };
            if std::mem::replace(&mut seen[i], true) {
                return Err(de::Error::duplicate_field(KEYS[i]));
            }
            match i {
                0 => {
                    map.next_value::<u32>()?;
                }
                1 => map.next_value_seed(each(self, Loader::add_point))?,
                2..=4 => map.next_value_seed(each(self, Loader::add_figure))?,
                5 => map.next_value_seed(each(self, Loader::add_conflict))?,
                _ => map.next_value_seed(each(self, Loader::skip_check))?,
            }
        }
        if let Some(i) = seen.iter().position(|seen| !seen) {
            return Err(de::Error::missing_field(KEYS[i]));
        }
        Ok(())
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
            date_basis: "header line Date:".to_owned(),
            ..Figure::sample(category, kind, value, on)
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

    fn point(t: &Timeline, on: &str) -> Point {
        t.points()
            .into_iter()
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
    fn from_json_refuses_a_bound_in_the_series() {
        let mut t: serde_json::Value = serde_json::from_str(&to_json(&build(seeds()))).unwrap();
        t["timeline"][0]["sources"]["personnel"][0]["qualifier"] = serde_json::json!("almost");
        let msg = refusal(&t.to_string());
        assert!(msg.contains("is a bound, never a series value"), "{msg}");
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
            "tie between 2 exact values stated in 1 file(s) each: 838 lies within the \
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
        assert_eq!(first, point(&t, "2023-02-21"));
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
        figures.push(hedged(
            fig("b.txt", 9, "tanks", Kind::Total, 3300, "2023-02-22"),
            Qualifier::MoreThan,
        ));
        let t = build(figures);
        let json = to_json(&t);
        assert_eq!(to_json(&from_json(&json).unwrap()), json);
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
        let mut t: serde_json::Value = serde_json::from_str(&to_json(&build(seeds()))).unwrap();
        t["timeline"][0]["sources"] = serde_json::json!({});
        let msg = refusal(&t.to_string());
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
