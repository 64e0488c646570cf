//! Reading: a timeline document straight into the evidence, checking what `merge` relies on
//! as it goes (every value has a source of its kind, every source a value, no bound among
//! them), one point, conflict or figure at a time.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::{anyhow, bail};
use chrono::NaiveDate;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::articles::{parse_hash, Hash};
use super::document::{
    is_unprintable, printable, series_label, PointKind, Problem, SCHEMA_VERSION,
    SCHEMA_VERSIONS_READ,
};
use super::evidence::{is_bound, Evidence, FactKey, Src};
use super::Timeline;
use crate::figure::{day, Figure, Qualifier};

/// Reads a timeline written by `write_json`, refusing anything else with a reason that says
/// what is wrong and where (the list and item, the line and column).
///
/// Two passes over the text: the first reads only `schema_version` (so a file of another version
/// or another kind is named for what it is, not for its first unexpected key), the second reads
/// the evidence straight into the compact form, one point, conflict or figure at a time.
pub fn from_json(s: &str) -> anyhow::Result<Timeline> {
    check_start(s.trim_start().chars().next())?;
    read_header(&mut serde_json::Deserializer::from_str(s))?;
    load(&mut serde_json::Deserializer::from_str(s))
}

/// [`from_json`] of a file, streamed: the text is never held whole, so merging a large
/// timeline costs its evidence only. The file is read twice (once for `schema_version`), and
/// an I/O error is returned as the `io::Error` itself.
pub fn from_file(path: &Path) -> anyhow::Result<Timeline> {
    let open = || -> std::io::Result<BufReader<File>> {
        Ok(BufReader::with_capacity(1 << 16, File::open(path)?))
    };
    let mut head = open()?;
    let first = loop {
        let buf = head.fill_buf()?;
        let Some(&b) = buf.first() else { break None };
        if b.is_ascii_whitespace() {
            head.consume(1);
        } else {
            break Some(char::from(b));
        }
    };
    check_start(first)?;
    // casrep writes schema_version first: then the version is known from the first bytes and
    // the file is read once.
    let leading = leading_version(head.fill_buf()?);
    let header = match leading {
        Some(version) => check_version(&serde_json::Value::from(version)),
        None => read_header(&mut serde_json::Deserializer::from_reader(open()?)),
    };
    let streamed = header.and_then(|()| load(&mut serde_json::Deserializer::from_reader(open()?)));
    match streamed {
        Err(e) if e.downcast_ref::<std::io::Error>().is_none() => {
            // A reader's positions lag behind the text; the file read whole (only on this
            // path, which ends the run) says exactly where the problem is.
            match std::fs::read_to_string(path) {
                Ok(text) => from_json(&text),
                Err(_) => Err(e),
            }
        }
        result => result,
    }
}

/// The evidence of a document whose header was found right.
fn load<'de, R: serde_json::de::Read<'de>>(
    de: &mut serde_json::Deserializer<R>,
) -> anyhow::Result<Timeline> {
    let mut loader = Loader::default();
    let read = DeserializeSeed::deserialize(&mut loader, &mut *de).and_then(|()| de.end());
    let at = match loader.at.as_str() {
        "" => String::new(),
        at => format!("{at}: "),
    };
    if let Some(invalid) = loader.invalid {
        bail!("not a casrep timeline: {at}{invalid}");
    }
    if let Err(e) = read {
        if let Some(kind) = e.io_error_kind() {
            return Err(std::io::Error::from(kind).into());
        }
        bail!("not a casrep timeline: {at}{}", json_problem(&e));
    }
    let mut evidence = loader.evidence;
    evidence.normalise();
    Ok(Timeline { evidence })
}

/// Whether a document starts (after white space) as a timeline does.
fn check_start(first: Option<char>) -> anyhow::Result<()> {
    match first {
        None => bail!("not a casrep timeline: the file is empty"),
        Some('{') => Ok(()),
        Some(_) => bail!("not a casrep timeline: expected a JSON object ({{...}})"),
    }
}

/// Refuses a timeline that holds a date outside the dates casrep reads (see
/// `figure::date_out_of_range`): a day no report can have, which only an edited or foreign file
/// holds. Names the first such date, in a stable order.
pub fn check_dates(t: &Timeline) -> Result<(), String> {
    let ev = &t.evidence;
    let dates = ev.facts.keys().map(|key| Some(key.date)).chain(
        [&ev.undated, &ev.periods, &ev.bounds]
            .into_iter()
            .flat_map(|list| list.figures())
            .map(|f| f.date),
    );
    let mut found: Vec<String> = dates
        .flatten()
        .filter_map(crate::figure::date_out_of_range)
        .collect();
    found.sort();
    match found.first() {
        None => Ok(()),
        Some(first) => Err(format!("not a casrep timeline: {first}")),
    }
}

/// Refuses a timeline that holds a value above the largest plausible count of its category
/// (`max` of the category table; `None` for a category without one): extraction never reads
/// such a number as a loss, so it can only come from an edited or foreign file. Names the first
/// such value, in a stable order, and how many others there are.
pub fn check_plausible(t: &Timeline, max: impl Fn(&str) -> Option<u64>) -> Result<(), String> {
    let ev = &t.evidence;
    let mut found: Vec<String> = Vec::new();
    let above = |category: &str, value: u64| max(category).filter(|&cap| value > cap);
    for (key, values) in &ev.facts {
        let category = ev.names.name(key.category);
        // A key's values are sorted: the largest is the last.
        let Some(top) = values.last() else { continue };
        if let Some(cap) = above(category, top.value) {
            let series = series_label(ev.party(key.claimant), ev.party(key.side));
            found.push(format!(
                "{} {category} {} on {} ({series}) is above the largest plausible count, {cap}",
                key.kind, top.value, key.date
            ));
        }
    }
    for (list, figures) in [
        ("undated", &ev.undated),
        ("periods", &ev.periods),
        ("bounds", &ev.bounds),
    ] {
        for f in figures.figures() {
            let category = f.category.as_str();
            if let Some(cap) = above(category, f.value) {
                found.push(format!(
                    "{list}: {category} {} at {}:{} is above the largest plausible count, {cap}",
                    f.value,
                    printable(&f.file),
                    f.line
                ));
            }
        }
    }
    found.sort();
    let Some(first) = found.first() else {
        return Ok(());
    };
    let more = match found.len() - 1 {
        0 => String::new(),
        n => format!(" (and {n} more)"),
    };
    Err(format!(
        "{first}{more}: no loss is that large, so casrep never writes it; correct or remove the \
         value (`casrep categories --json` lists each category's max)"
    ))
}

/// Whether the text is one JSON object with the `schema_version` this casrep reads.
fn read_header<'de, R: serde_json::de::Read<'de>>(
    de: &mut serde_json::Deserializer<R>,
) -> anyhow::Result<()> {
    #[derive(Deserialize)]
    struct Header {
        schema_version: Option<serde_json::Value>,
    }
    let header = Header::deserialize(&mut *de)
        .and_then(|header| de.end().map(|()| header))
        .map_err(|e| anyhow!("not a casrep timeline: {}", document_problem(&e)))?;
    match header.schema_version {
        None => bail!("not a casrep timeline: no schema_version"),
        Some(v) => check_version(&v),
    }
}

/// The version of a document that starts `{"schema_version": N` (after white space), if so.
fn leading_version(head: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(&head[..head.len().min(256)]).ok()?;
    let rest = text.trim_start().strip_prefix('{')?.trim_start();
    let rest = rest.strip_prefix("\"schema_version\"")?.trim_start();
    let rest = rest.strip_prefix(':')?.trim_start();
    let digits = rest.find(|c: char| !c.is_ascii_digit())?;
    // The number must end there: "1," or "1\n", not "1.5".
    let after = rest[digits..].trim_start();
    (digits > 0 && after.starts_with([',', '}'])).then(|| rest[..digits].parse().ok())?
}

/// Whether this casrep reads documents of version `v`.
fn check_version(v: &serde_json::Value) -> anyhow::Result<()> {
    match v {
        v if SCHEMA_VERSIONS_READ
            .iter()
            .any(|&read| v.as_u64() == Some(u64::from(read))) =>
        {
            Ok(())
        }
        v => bail!(
            "unsupported timeline schema_version {v}: this casrep reads versions 1 to \
             {SCHEMA_VERSION}; a file from another casrep needs that version to read it"
        ),
    }
}

/// Why a text is not one JSON document, in words.
fn document_problem(e: &serde_json::Error) -> String {
    match e.classify() {
        serde_json::error::Category::Eof => format!(
            "not a single JSON document: it ends at line {}, column {}, before the document \
             does; was it cut short?",
            e.line(),
            e.column()
        ),
        _ => format!("not a single JSON document: {}", json_problem(e)),
    }
}

/// Where and what a JSON error is: "line 3, column 7: missing field `totals`".
fn json_problem(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    let what = message.strip_suffix(&position).unwrap_or(&message);
    if e.line() == 0 {
        what.to_owned()
    } else {
        format!("line {}, column {}: {what}", e.line(), e.column())
    }
}

/// The evidence being read, and the first reason the file is not a timeline, if any.
#[derive(Default)]
struct Loader {
    evidence: Evidence,
    invalid: Option<String>,
    /// The list and item being read ("timeline[3]"), to say where a problem is.
    at: String,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a point: an object with date, side, claimant, totals, deltas and sources"
)]
struct PointIn<'a> {
    #[serde(deserialize_with = "day::required")]
    date: NaiveDate,
    side: Option<String>,
    claimant: Option<String>,
    totals: BTreeMap<String, u64>,
    deltas: BTreeMap<String, u64>,
    #[serde(borrow)]
    sources: BTreeMap<String, Vec<PointSourceIn<'a>>>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a source: an object with file, line, kind and qualifier"
)]
struct PointSourceIn<'a> {
    #[serde(borrow)]
    file: Cow<'a, str>,
    #[serde(default, borrow)]
    hash: Option<Cow<'a, str>>,
    line: u32,
    kind: PointKind,
    qualifier: Qualifier,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a conflict: an object with date, side, claimant, category, kind, candidates, chosen and reason"
)]
struct ConflictIn<'a> {
    #[serde(deserialize_with = "day::required")]
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
#[serde(
    deny_unknown_fields,
    expecting = "a candidate: an object with value, qualifier and sources"
)]
struct CandidateIn<'a> {
    value: u64,
    #[allow(dead_code)]
    qualifier: Qualifier,
    #[serde(borrow)]
    sources: Vec<SourceIn<'a>>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a source: an object with file, line and qualifier"
)]
struct SourceIn<'a> {
    #[serde(borrow)]
    file: Cow<'a, str>,
    #[serde(default, borrow)]
    hash: Option<Cow<'a, str>>,
    line: u32,
    qualifier: Qualifier,
}

/// Refuses an id (claimant, side, category) with a character that would act on a terminal or
/// make it look like another id; casrep's ids are plain words such as `united_states`.
fn plain_id(what: &str, id: &str) -> Result<(), String> {
    if id.chars().any(is_unprintable) {
        return Err(format!(
            "{what} \"{}\" holds a control or invisible character; ids are plain words such as \
             ukraine or special_equipment",
            printable(id)
        ));
    }
    Ok(())
}

/// A source's hash, refused unless it is one casrep writes.
fn hash_of(hash: Option<&str>) -> Result<Option<Hash>, String> {
    let Some(text) = hash else {
        return Ok(None);
    };
    match parse_hash(Some(text)) {
        Some(hash) => Ok(Some(hash)),
        None => Err(format!(
            "hash \"{}\" is not an article hash (32 lowercase hex digits)",
            printable(text)
        )),
    }
}

fn plain_party(what: &str, id: Option<&str>) -> Result<(), String> {
    id.map_or(Ok(()), |id| plain_id(what, id))
}

/// Refuses a figure whose claimant, side or category is not a plain id (see [`plain_id`]), or
/// whose hash is not one, as `extract` never writes one: for figures read back from NDJSON.
pub fn check_figure(f: &Figure) -> Result<(), String> {
    hash_of(f.hash.as_deref())?;
    plain_party("claimant", f.claimant.as_deref())?;
    plain_party("side", f.side.as_deref())?;
    plain_id("category", &f.category)
}

impl Loader {
    /// A point's values with their sources; every value needs a source of its kind and every
    /// source a value.
    fn add_point(&mut self, p: PointIn<'_>) -> Result<(), String> {
        plain_party("claimant", p.claimant.as_deref())?;
        plain_party("side", p.side.as_deref())?;
        for category in p
            .totals
            .keys()
            .chain(p.deltas.keys())
            .chain(p.sources.keys())
        {
            plain_id("category", category)?;
        }
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
                        printable(&s.file),
                        s.line,
                        s.kind
                    ));
                };
                if is_bound(s.qualifier) {
                    return Err(format!(
                        "{}: source {}:{} of {} {category} is a bound, never a series value",
                        at(),
                        printable(&s.file),
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
                    file: ev.articles.id(&s.file, hash_of(s.hash.as_deref())?),
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
        plain_party("claimant", c.claimant.as_deref())?;
        plain_party("side", c.side.as_deref())?;
        plain_id("category", &c.category)?;
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
                printable(&s.file),
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
                    file: ev.articles.id(&s.file, hash_of(s.hash.as_deref())?),
                    line: s.line,
                    qualifier: s.qualifier,
                };
                ev.add_source(key, candidate.value, src);
            }
        }
        Ok(())
    }

    fn add_figure(&mut self, f: Figure) -> Result<(), String> {
        check_figure(&f)?;
        self.evidence.add_figure(f);
        Ok(())
    }

    /// Checks are derived; they are read only to hold the file to its shape.
    fn skip_check(&mut self, _: CheckIn) -> Result<(), String> {
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a check: an object with date, side, claimant, category, problem and detail"
)]
#[allow(dead_code)]
struct CheckIn {
    #[serde(deserialize_with = "day::required")]
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
    /// The document's key for the list.
    name: &'static str,
    add: F,
    item: std::marker::PhantomData<T>,
}

fn each<'l, T, F>(loader: &'l mut Loader, name: &'static str, add: F) -> Each<'l, T, F> {
    loader.at = name.to_owned();
    Each {
        loader,
        name,
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
        f.write_str("a JSON array")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        for i in 0.. {
            self.loader.at = format!("{}[{i}]", self.name);
            let Some(item) = seq.next_element::<T>()? else {
                break;
            };
            if let Err(invalid) = (self.add)(self.loader, item) {
                self.loader.invalid = Some(invalid);
                return Err(de::Error::custom("not a casrep timeline"));
            }
        }
        self.loader.at.clear();
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
                1 => map.next_value_seed(each(self, KEYS[i], Loader::add_point))?,
                2..=4 => map.next_value_seed(each(self, KEYS[i], Loader::add_figure))?,
                5 => map.next_value_seed(each(self, KEYS[i], Loader::add_conflict))?,
                _ => map.next_value_seed(each(self, KEYS[i], Loader::skip_check))?,
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
    use crate::timeline::test_support::*;

    #[test]
    fn from_json_refuses_a_bound_in_the_series() {
        let mut t: serde_json::Value = serde_json::from_str(&to_json(&build(seeds()))).unwrap();
        t["timeline"][0]["sources"]["personnel"][0]["qualifier"] = serde_json::json!("almost");
        let msg = refusal(&t.to_string());
        assert!(msg.contains("is a bound, never a series value"), "{msg}");
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
        let msg = refusal(r#"{"schema_version":3,"timeline":[]}"#);
        assert!(
            msg.contains("unsupported timeline schema_version 3"),
            "{msg}"
        );
    }

    #[test]
    fn from_json_refuses_a_wrong_shape() {
        let msg = refusal(r#"{"schema_version":1,"timeline":{}}"#);
        assert_eq!(
            msg,
            "not a casrep timeline: timeline: line 1, column 31: invalid type: map, expected a \
             JSON array"
        );
    }

    #[test]
    fn from_json_refuses_a_value_without_a_source() {
        let mut t: serde_json::Value = serde_json::from_str(&to_json(&build(seeds()))).unwrap();
        t["timeline"][0]["sources"] = serde_json::json!({});
        let msg = refusal(&t.to_string());
        assert!(msg.contains("total personnel has no source"), "{msg}");
    }

    /// A minimal document with the given `timeline` list.
    fn with_points(points: &str) -> String {
        format!(
            r#"{{"schema_version":1,"timeline":{points},"undated":[],"periods":[],"bounds":[],"conflicts":[],"checks":[]}}"#
        )
    }

    #[test]
    fn from_json_says_which_item_is_wrong_and_what_it_should_be() {
        let msg = refusal(&with_points("[5]"));
        assert_eq!(
            msg,
            "not a casrep timeline: timeline[0]: line 1, column 33: invalid type: integer `5`, \
             expected a point: an object with date, side, claimant, totals, deltas and sources"
        );
        let msg = refusal(&with_points(r#"[{"date":"2023-13-01"}]"#));
        assert!(
            msg.starts_with(
                "not a casrep timeline: timeline[0]: line 1, column 53: invalid date \
                 \"2023-13-01\": expected YYYY-MM-DD"
            ),
            "{msg}"
        );
    }

    #[test]
    fn from_json_names_what_a_file_is_instead_of_a_timeline() {
        assert_eq!(
            refusal("[1, 2]"),
            "not a casrep timeline: expected a JSON object ({...})"
        );
        assert_eq!(refusal("  \n"), "not a casrep timeline: the file is empty");
        let msg = refusal(r#"{"schema_version": 1, "timeline": ["#);
        assert!(
            msg.contains("it ends at line 1, column 35, before the document does"),
            "{msg}"
        );
    }

    #[test]
    fn from_json_refuses_a_control_character_in_an_id() {
        let mut t: serde_json::Value = serde_json::from_str(&to_json(&build(seeds()))).unwrap();
        t["timeline"][0]["claimant"] = serde_json::json!("ukr\u{1b}[31maine");
        assert_eq!(
            refusal(&t.to_string()),
            "not a casrep timeline: timeline[0]: claimant \"ukr\\u{1b}[31maine\" holds a \
             control or invisible character; ids are plain words such as ukraine or \
             special_equipment"
        );
        let mut t: serde_json::Value = serde_json::from_str(&to_json(&build(seeds()))).unwrap();
        t["undated"] = serde_json::json!([serde_json::to_value(undated(fig(
            "a.txt",
            1,
            "tanks\u{202e}",
            Kind::Total,
            3,
            "2023-02-22"
        )))
        .unwrap()]);
        assert!(refusal(&t.to_string()).starts_with("not a casrep timeline: undated[0]: category"));
    }

    #[test]
    fn a_value_above_its_categorys_maximum_is_refused_naming_it() {
        let mut figures = seeds();
        figures.push(fig("z.txt", 2, "tanks", Kind::Delta, 900_000, "2023-02-22"));
        figures.push(undated(fig(
            "u.txt",
            4,
            "tanks",
            Kind::Total,
            200_000,
            "2023-02-22",
        )));
        let t = from_json(&to_json(&build(figures))).unwrap();
        let max = |c: &str| (c == "tanks").then_some(100_000);
        assert_eq!(
            check_plausible(&t, max).unwrap_err(),
            "delta tanks 900000 on 2023-02-22 (claimant ukraine, side russia) is above the \
             largest plausible count, 100000 (and 1 more): no loss is that large, so casrep \
             never writes it; correct or remove the value (`casrep categories --json` lists \
             each category's max)"
        );
        assert_eq!(check_plausible(&build(seeds()), max), Ok(()));
    }

    #[test]
    fn a_version_1_timeline_is_read_as_sources_without_hashes() {
        let v2 = to_json(&build(seeds()));
        assert!(v2.starts_with("{\n  \"schema_version\": 2,"), "{v2}");
        let v1 = v2.replacen("\"schema_version\": 2", "\"schema_version\": 1", 1);
        assert_eq!(to_json(&from_json(&v1).unwrap()), v2);
        let msg = refusal(&v2.replacen(
            "\"file\": \"a.txt\",",
            "\"file\": \"a.txt\", \"hash\": \"XYZ\",",
            1,
        ));
        assert!(
            msg.contains("hash \"XYZ\" is not an article hash (32 lowercase hex digits)"),
            "{msg}"
        );
    }

    #[test]
    fn the_leading_version_is_read_from_the_first_bytes_only_when_it_leads() {
        use super::leading_version;
        assert_eq!(leading_version(b"{\n  \"schema_version\": 2,\n"), Some(2));
        assert_eq!(leading_version(b" {\"schema_version\":1}"), Some(1));
        assert_eq!(leading_version(b"{\"schema_version\": 1.5,"), None);
        assert_eq!(
            leading_version(b"{\"timeline\": [], \"schema_version\": 2}"),
            None
        );
        assert_eq!(leading_version(b"{\"schema_version\": 2"), None);
    }

    #[test]
    fn a_file_streamed_reads_as_its_text_does() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.json");
        let json = to_json(&build(seeds()));
        std::fs::write(&path, &json).unwrap();
        assert_eq!(to_json(&from_file(&path).unwrap()), json);
        std::fs::write(&path, format!("  \n{}", &json[..json.len() / 2])).unwrap();
        let msg = format!("{:#}", from_file(&path).unwrap_err());
        assert!(msg.contains("was it cut short?"), "{msg}");
        std::fs::write(&path, "").unwrap();
        let msg = format!("{:#}", from_file(&path).unwrap_err());
        assert_eq!(msg, "not a casrep timeline: the file is empty");
        let err = from_file(&dir.path().join("missing.json")).unwrap_err();
        assert!(err.downcast_ref::<std::io::Error>().is_some(), "{err:#}");
    }
}
