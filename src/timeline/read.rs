//! Reading: a timeline document straight into the evidence, checking what `merge` relies on
//! as it goes (every value has a source of its kind, every source a value, no bound among
//! them), one point, conflict or figure at a time.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use anyhow::{bail, Context};
use chrono::NaiveDate;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::document::{series_label, PointKind, Problem, SCHEMA_VERSION};
use super::evidence::{is_bound, Evidence, FactKey, Src};
use super::Timeline;
use crate::figure::{Figure, Qualifier};

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
}
