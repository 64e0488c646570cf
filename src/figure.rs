//! The figure: one loss figure found in one article. This is the contract that `extract` prints
//! (one JSON object per line) and that `timeline` reads back, so its field names and values are
//! stable and documented in the README.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What the number counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Cumulative since the invasion began.
    Total,
    /// The change over a stated number of days (`days`, 1 for the usual daily change).
    Delta,
    /// The change over a span without a fixed length ("since December", "in about six months").
    Period,
}

/// How the text hedges the number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    Exact,
    About,
    MoreThan,
    LessThan,
    Almost,
}

impl Qualifier {
    pub fn is_exact(self) -> bool {
        self == Qualifier::Exact
    }
}

/// One figure, where it stands in which file, and the date it refers to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(expecting = "a figure as `casrep extract` prints it")]
pub struct Figure {
    /// The path as given on the command line or found by walking a directory.
    pub file: String,
    /// The article's identity: what the timeline counts as one source, whatever its path.
    /// See [`article_hash`]; `None` from `extract()` itself, set by the command for each
    /// article it reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// 1-based line of `start`.
    pub line: usize,
    /// Byte offsets in the file's text; `quote` is exactly the text between them.
    pub start: usize,
    pub end: usize,
    pub quote: String,
    /// A canonical category id (see `casrep categories`).
    pub category: String,
    pub kind: Kind,
    /// For a delta: how many days the change spans (1 for a daily change); null otherwise.
    #[serde(default)]
    pub days: Option<u32>,
    pub value: u64,
    pub qualifier: Qualifier,
    /// Whose losses: "russia", "ukraine", or null.
    pub side: Option<String>,
    /// Who says so: "ukraine", "united_states", "united_kingdom", "russia", ... or null.
    pub claimant: Option<String>,
    /// The day the figure refers to, or null.
    #[serde(default, deserialize_with = "day::optional")]
    pub date: Option<NaiveDate>,
    /// How the date was found, or why it could not be.
    pub date_basis: String,
}

/// The identity of an article's text: the first 128 bits of its BLAKE3 hash, as 32 lowercase
/// hex digits (for a UTF-8 file without a byte-order mark, the start of what `b3sum` prints).
/// The same article under two paths, or read from two folders, has one hash.
pub fn article_hash(text: &str) -> String {
    let hash = blake3::hash(text.as_bytes());
    hash.to_hex()[..32].to_owned()
}

/// Whether `s` is an [`article_hash`]: 32 lowercase hex digits.
pub fn is_article_hash(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Dates read back from JSON, refused in words ("invalid date \"2023-13-01\": expected
/// YYYY-MM-DD") rather than with the parser's own message.
pub mod day {
    use chrono::NaiveDate;
    use serde::{de, Deserialize, Deserializer};

    fn parse<E: de::Error>(s: &str) -> Result<NaiveDate, E> {
        s.parse()
            .map_err(|_| E::custom(format!("invalid date {s:?}: expected YYYY-MM-DD")))
    }

    pub fn required<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        parse(&std::borrow::Cow::<'de, str>::deserialize(d)?)
    }

    pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Option::<std::borrow::Cow<'de, str>>::deserialize(d)?
            .map(|s| parse(&s))
            .transpose()
    }
}

#[cfg(test)]
impl Figure {
    /// For tests: Kyiv's exact count of Russian losses in `category` on `on` (a delta over one
    /// day), from line 1 of "t.txt"; a test sets the fields it looks at beside it.
    pub fn sample(category: &str, kind: Kind, value: u64, on: &str) -> Figure {
        Figure {
            file: "t.txt".to_owned(),
            hash: None,
            line: 1,
            start: 0,
            end: 1,
            quote: "x".to_owned(),
            category: category.to_owned(),
            kind,
            days: (kind == Kind::Delta).then_some(1),
            value,
            qualifier: Qualifier::Exact,
            side: Some("russia".to_owned()),
            claimant: Some("ukraine".to_owned()),
            date: Some(on.parse().expect("a test date")),
            date_basis: "test".to_owned(),
        }
    }
}
