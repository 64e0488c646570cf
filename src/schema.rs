//! JSON Schemas (draft 2020-12) of what casrep writes, for `casrep schema` and for users who
//! validate its output in their own pipelines. Hand-written to say exactly what the serialised
//! shapes are; the tests hold them to the real output.

use serde_json::{json, Value};

const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The schema of one figure, as `casrep extract` prints it (one per line).
pub fn figure_schema() -> Value {
    let mut schema = json!({
        "$schema": DRAFT,
        "title": "casrep figure",
        "description": "One loss figure found in one article.",
    });
    merge_into(&mut schema, figure_def());
    merge_into(&mut schema, json!({ "$defs": common_defs() }));
    schema
}

/// The schema of the document `casrep timeline` writes and `--merge` reads.
pub fn timeline_schema() -> Value {
    let mut defs = common_defs();
    merge_into(
        &mut defs,
        json!({
            "figure": figure_def(),
            "point_kind": { "enum": ["total", "delta"] },
            "series_qualifier": {
                "description": "How a series value was stated: bounds (more_than, less_than, \
                                almost) are never series values; they are kept in `bounds`.",
                "enum": ["exact", "about"]
            },
            "counts": {
                "description": "Category id to count, in the column order of official-daily.csv.",
                "type": "object",
                "additionalProperties": { "type": "integer", "minimum": 0 }
            },
            "point_source": {
                "type": "object",
                "required": ["file", "line", "kind", "qualifier"],
                "additionalProperties": false,
                "properties": {
                    "file": { "type": "string" },
                    "hash": { "$ref": "#/$defs/hash" },
                    "line": { "type": "integer", "minimum": 1 },
                    "kind": { "$ref": "#/$defs/point_kind" },
                    "qualifier": { "$ref": "#/$defs/series_qualifier" }
                }
            },
            "source": {
                "type": "object",
                "required": ["file", "line", "qualifier"],
                "additionalProperties": false,
                "properties": {
                    "file": { "type": "string" },
                    "hash": { "$ref": "#/$defs/hash" },
                    "line": { "type": "integer", "minimum": 1 },
                    "qualifier": { "$ref": "#/$defs/series_qualifier" }
                }
            },
            "point": {
                "description": "What one claimant says about one side's losses on one day.",
                "type": "object",
                "required": ["date", "side", "claimant", "totals", "deltas", "sources"],
                "additionalProperties": false,
                "properties": {
                    "date": { "$ref": "#/$defs/date" },
                    "side": { "$ref": "#/$defs/party" },
                    "claimant": { "$ref": "#/$defs/party" },
                    "totals": { "$ref": "#/$defs/counts" },
                    "deltas": { "$ref": "#/$defs/counts" },
                    "sources": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "array",
                            "minItems": 1,
                            "items": { "$ref": "#/$defs/point_source" }
                        }
                    }
                }
            },
            "candidate": {
                "type": "object",
                "required": ["value", "qualifier", "sources"],
                "additionalProperties": false,
                "properties": {
                    "value": { "type": "integer", "minimum": 0 },
                    "qualifier": { "$ref": "#/$defs/series_qualifier" },
                    "sources": {
                        "type": "array",
                        "minItems": 1,
                        "items": { "$ref": "#/$defs/source" }
                    }
                }
            },
            "conflict": {
                "description": "Two or more values for one date, side, claimant, category and kind, \
                                or one that is stale.",
                "type": "object",
                "required": [
                    "date", "side", "claimant", "category", "kind", "candidates", "chosen", "reason"
                ],
                "additionalProperties": false,
                "properties": {
                    "date": { "$ref": "#/$defs/date" },
                    "side": { "$ref": "#/$defs/party" },
                    "claimant": { "$ref": "#/$defs/party" },
                    "category": { "$ref": "#/$defs/category" },
                    "kind": { "$ref": "#/$defs/point_kind" },
                    "candidates": {
                        "description": "Best first; a stale value comes last.",
                        "type": "array",
                        "minItems": 1,
                        "items": { "$ref": "#/$defs/candidate" }
                    },
                    "chosen": {
                        "description": "Null when the only value is stale (see the checks).",
                        "type": ["integer", "null"],
                        "minimum": 0
                    },
                    "reason": { "type": "string" }
                }
            },
            "check": {
                "type": "object",
                "required": ["date", "side", "claimant", "category", "problem", "detail"],
                "additionalProperties": false,
                "properties": {
                    "date": { "$ref": "#/$defs/date" },
                    "side": { "$ref": "#/$defs/party" },
                    "claimant": { "$ref": "#/$defs/party" },
                    "category": { "$ref": "#/$defs/category" },
                    "problem": {
                        "enum": [
                            "total_decreased", "delta_mismatch", "stale_total", "implausible_change"
                        ]
                    },
                    "detail": { "type": "string" }
                }
            }
        }),
    );
    let figures = json!({ "type": "array", "items": { "$ref": "#/$defs/figure" } });
    json!({
        "$schema": DRAFT,
        "title": "casrep timeline",
        "type": "object",
        "required": [
            "schema_version", "timeline", "undated", "periods", "bounds", "conflicts", "checks"
        ],
        "additionalProperties": false,
        "properties": {
            "schema_version": { "const": 2 },
            "timeline": {
                "description": "Sorted by claimant, side, date; null first.",
                "type": "array",
                "items": { "$ref": "#/$defs/point" }
            },
            "undated": figures.clone(),
            "periods": figures,
            "bounds": {
                "description": "Dated totals and daily deltas qualified more_than, less_than or \
                                almost: bounds, never series values.",
                "type": "array",
                "items": { "$ref": "#/$defs/figure" }
            },
            "conflicts": { "type": "array", "items": { "$ref": "#/$defs/conflict" } },
            "checks": { "type": "array", "items": { "$ref": "#/$defs/check" } }
        },
        "$defs": defs
    })
}

/// The figure object itself, without `$schema`, so the timeline can embed it.
fn figure_def() -> Value {
    json!({
        "type": "object",
        "required": [
            "file", "line", "start", "end", "quote", "category", "kind", "days", "value",
            "qualifier", "side", "claimant", "date", "date_basis"
        ],
        "additionalProperties": false,
        "properties": {
            "file": { "type": "string" },
            "hash": { "$ref": "#/$defs/hash" },
            "line": { "type": "integer", "minimum": 1 },
            "start": { "type": "integer", "minimum": 0 },
            "end": { "type": "integer", "minimum": 0 },
            "quote": { "type": "string" },
            "sentence": {
                "description": "The whole sentence the figure stands in, as written (whitespace collapsed), at most 600 characters: a longer one is cut around the figure, with … where cut. Figures written by casrep before 0.3 have none.",
                "type": "string"
            },
            "category": { "$ref": "#/$defs/category" },
            "kind": { "enum": ["total", "delta", "period"] },
            "days": { "type": ["integer", "null"], "minimum": 1 },
            "value": { "type": "integer", "minimum": 0 },
            "qualifier": { "$ref": "#/$defs/qualifier" },
            "side": { "$ref": "#/$defs/party" },
            "claimant": { "$ref": "#/$defs/party" },
            "lang": {
                "description": "The language the article was read in: the code of its word table (en, uk, de, ...). Figures written by casrep before 0.2 have none.",
                "type": "string"
            },
            "date": { "anyOf": [{ "$ref": "#/$defs/date" }, { "type": "null" }] },
            "date_basis": { "type": "string" }
        }
    })
}

/// Definitions the figure and the timeline share.
fn common_defs() -> Value {
    json!({
        "category": {
            "description": "A category id: personnel, tanks, ... (see `casrep categories`).",
            "type": "string",
            "minLength": 1
        },
        "qualifier": { "enum": ["exact", "about", "more_than", "less_than", "almost"] },
        "party": {
            "description": "A lowercase id such as russia, ukraine, united_states; null if unknown.",
            "type": ["string", "null"]
        },
        "date": { "type": "string", "format": "date" },
        "hash": {
            "description": "The article's identity: the first 128 bits of the BLAKE3 hash of its \
                            text, in hex. Sources with one hash are one article, whatever their \
                            paths.",
            "type": "string",
            "pattern": "^[0-9a-f]{32}$"
        }
    })
}

/// Adds `extra`'s keys to `target`, merging nested objects.
fn merge_into(target: &mut Value, extra: Value) {
    match (target, extra) {
        (Value::Object(target), Value::Object(extra)) => {
            for (key, value) in extra {
                match target.get_mut(&key) {
                    Some(existing) => merge_into(existing, value),
                    None => {
                        target.insert(key, value);
                    }
                }
            }
        }
        (target, extra) => *target = extra,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::{Figure, Kind, Qualifier};
    use crate::timeline;

    /// Validates `value` against the subset of JSON Schema these schemas use, failing on any
    /// keyword it does not know, so nothing in the schema goes unchecked.
    fn validate(root: &Value, schema: &Value, value: &Value, path: &str) -> Result<(), String> {
        let schema = schema
            .as_object()
            .ok_or(format!("{path}: schema is not an object"))?;
        let fail = |what: String| Err(format!("{path}: {what}"));
        for (keyword, rule) in schema {
            match keyword.as_str() {
                "$schema" | "title" | "description" | "$defs" => {}
                "$ref" => {
                    let name = rule.as_str().unwrap().strip_prefix("#/$defs/").unwrap();
                    let target = &root["$defs"][name];
                    assert!(!target.is_null(), "unresolved $ref {name}");
                    validate(root, target, value, path)?;
                }
                "type" => {
                    let types: Vec<&str> = match rule {
                        Value::Array(ts) => ts.iter().map(|t| t.as_str().unwrap()).collect(),
                        t => vec![t.as_str().unwrap()],
                    };
                    let ok = types.iter().any(|t| match *t {
                        "object" => value.is_object(),
                        "array" => value.is_array(),
                        "string" => value.is_string(),
                        "integer" => value.is_u64() || value.is_i64(),
                        "null" => value.is_null(),
                        other => panic!("unknown type {other}"),
                    });
                    if !ok {
                        return fail(format!("{value} is not {types:?}"));
                    }
                }
                "required" => {
                    for key in rule.as_array().unwrap() {
                        if value.get(key.as_str().unwrap()).is_none() {
                            return fail(format!("missing {key}"));
                        }
                    }
                }
                "properties" => {
                    for (key, sub) in rule.as_object().unwrap() {
                        if let Some(v) = value.get(key) {
                            validate(root, sub, v, &format!("{path}.{key}"))?;
                        }
                    }
                }
                "additionalProperties" => {
                    let Some(object) = value.as_object() else {
                        continue;
                    };
                    let known = schema.get("properties").and_then(Value::as_object);
                    for (key, v) in object {
                        if known.is_some_and(|k| k.contains_key(key)) {
                            continue;
                        }
                        match rule {
                            Value::Bool(false) => return fail(format!("unexpected key {key}")),
                            sub => validate(root, sub, v, &format!("{path}.{key}"))?,
                        }
                    }
                }
                "items" => {
                    for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                        validate(root, rule, item, &format!("{path}[{i}]"))?;
                    }
                }
                "minItems" => {
                    if value
                        .as_array()
                        .is_some_and(|a| (a.len() as u64) < rule.as_u64().unwrap())
                    {
                        return fail(format!("fewer than {rule} items"));
                    }
                }
                "minimum" => {
                    if value.as_i64().is_some_and(|n| n < rule.as_i64().unwrap()) {
                        return fail(format!("{value} is below {rule}"));
                    }
                }
                "minLength" => {
                    let short = value
                        .as_str()
                        .is_some_and(|s| (s.chars().count() as u64) < rule.as_u64().unwrap());
                    if short {
                        return fail(format!("{value} is shorter than {rule}"));
                    }
                }
                "enum" => {
                    if !rule.as_array().unwrap().contains(value) {
                        return fail(format!("{value} is not one of {rule}"));
                    }
                }
                "const" => {
                    if rule != value {
                        return fail(format!("{value} is not {rule}"));
                    }
                }
                "anyOf" => {
                    let options = rule.as_array().unwrap();
                    if !options
                        .iter()
                        .any(|o| validate(root, o, value, path).is_ok())
                    {
                        return fail(format!("{value} matches none of anyOf"));
                    }
                }
                "format" => {
                    assert_eq!(rule, "date");
                    let date = value.as_str().map(str::parse::<chrono::NaiveDate>);
                    if date.is_some_and(|d| d.is_err()) {
                        return fail(format!("{value} is not a date"));
                    }
                }
                other => panic!("the test validator does not know keyword {other}"),
            }
        }
        Ok(())
    }

    fn check(schema: &Value, value: &Value) -> Result<(), String> {
        validate(schema, schema, value, "$")
    }

    fn fig(line: usize, kind: Kind, value: u64, on: Option<&str>) -> Figure {
        Figure {
            file: "000_x.txt".to_owned(),
            line,
            start: line * 100,
            end: line * 100 + 17,
            quote: format!("{value} personnel"),
            sentence: format!("Russia has lost {value} personnel."),
            days: (kind != Kind::Total).then_some(1),
            claimant: None,
            date: on.map(|d| d.parse().unwrap()),
            date_basis: "header line Date:".to_owned(),
            ..Figure::sample("personnel", kind, value, "2023-02-22")
        }
    }

    fn timeline_json(t: &timeline::Timeline) -> String {
        let mut out = Vec::new();
        timeline::write_json(t, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// A timeline with every part filled: points, an undated figure, a period, a conflict and
    /// a check.
    fn full_timeline() -> Value {
        let mut about = fig(9, Kind::Total, 145000, Some("2023-02-22"));
        about.qualifier = Qualifier::About;
        let mut almost = fig(10, Kind::Total, 150000, Some("2023-02-22"));
        almost.qualifier = Qualifier::Almost;
        let t = timeline::build(vec![
            fig(1, Kind::Total, 144440, Some("2023-02-21")),
            fig(2, Kind::Total, 145060, Some("2023-02-22")),
            fig(3, Kind::Delta, 790, Some("2023-02-22")),
            fig(4, Kind::Total, 3334, None),
            fig(5, Kind::Period, 100000, Some("2023-02-22")),
            about,
            almost,
        ]);
        assert!(!t.undated().is_empty() && !t.periods().is_empty());
        assert!(!t.bounds().is_empty());
        assert!(!t.conflicts().is_empty() && !t.checks().is_empty());
        serde_json::from_str(&timeline_json(&t)).unwrap()
    }

    #[test]
    fn built_timeline_matches_its_schema() {
        check(&timeline_schema(), &full_timeline()).unwrap();
    }

    #[test]
    fn schema_rejects_a_point_without_totals() {
        let mut t = full_timeline();
        t["timeline"][0].as_object_mut().unwrap().remove("totals");
        let err = check(&timeline_schema(), &t).unwrap_err();
        assert_eq!(err, "$.timeline[0]: missing \"totals\"");
    }

    #[test]
    fn schema_rejects_a_key_it_does_not_describe() {
        let mut t = full_timeline();
        t["conflicts"][0]["winner"] = json!(1);
        assert!(check(&timeline_schema(), &t).is_err());
    }

    #[test]
    fn schema_rejects_a_bound_as_a_series_value() {
        let mut t = full_timeline();
        t["timeline"][0]["sources"]["personnel"][0]["qualifier"] = json!("more_than");
        assert!(check(&timeline_schema(), &t).is_err());
    }

    #[test]
    fn schema_rejects_another_version() {
        let mut t = full_timeline();
        t["schema_version"] = json!(1);
        assert!(check(&timeline_schema(), &t).is_err());
    }

    #[test]
    fn figure_matches_its_schema_dated_or_not() {
        let schema = figure_schema();
        for figure in [
            fig(1, Kind::Total, 144440, Some("2023-02-21")),
            fig(4, Kind::Total, 3334, None),
        ] {
            check(&schema, &serde_json::to_value(figure).unwrap()).unwrap();
        }
    }

    #[test]
    fn schema_rejects_an_unknown_qualifier() {
        let mut figure = serde_json::to_value(fig(1, Kind::Total, 144440, None)).unwrap();
        figure["qualifier"] = json!("roughly");
        assert!(check(&figure_schema(), &figure).is_err());
    }
}
