//! The parts of the document `casrep timeline` writes, as public types (read by `table`, `plot`
//! and `schema` too), and the canonical order of categories.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::figure::Qualifier;

/// The version written to every timeline file: 2 since sources carry their article's hash.
pub const SCHEMA_VERSION: u32 = 2;

/// The versions read: a version 1 file is version 2 without hashes (see `articles`).
pub const SCHEMA_VERSIONS_READ: [u32; 2] = [1, 2];

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
pub(super) fn category_cmp(a: &str, b: &str) -> Ordering {
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
    /// The article's hash (see `figure::article_hash`): two sources with one hash are one
    /// article. Absent only for sources read from a timeline written before hashes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
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
    /// As in [`PointSource`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
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
    /// out of line with its neighbours (see `stale`); left out of the series.
    StaleTotal,
    /// A day's change larger than one day can bring (see `plausible`): a stated change, left
    /// out of the series, or the rise between two days' totals.
    ImplausibleChange,
}

/// Whether a character is invisible or acts on a terminal rather than showing: a control
/// character (an escape sequence starts with one), or a format character such as a zero-width
/// space or a bidirectional override, which would make one id look like another.
pub fn is_unprintable(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{ad}'
                | '\u{61c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// The text with each unprintable character written as an escape (`\u{1b}`), so that printing
/// it to a terminal shows it rather than acting on it.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unprintable) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unprintable(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

pub(super) fn series_label(claimant: Option<&str>, side: Option<&str>) -> String {
    format!(
        "claimant {}, side {}",
        printable(claimant.unwrap_or("null")),
        printable(side.unwrap_or("null"))
    )
}

#[cfg(test)]
mod tests {
    use crate::timeline::test_support::*;

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
}
