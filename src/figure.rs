//! The figure: one loss figure found in one article. This is the contract that `extract` prints
//! (one JSON object per line) and that `timeline` reads back, so its field names and values are
//! stable and documented in the README.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The first day a figure may refer to: the war began in 2014, eight years before the full-scale
/// invasion, and no count of its losses is older.
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2014, 1, 1) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// The last day a figure may refer to: a few years ahead, so a date typed with a wrong year is
/// caught, and arithmetic on dates (a day before, a week after) can never overflow.
pub const LATEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2035, 12, 31) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// The longest `sentence` a figure carries, in characters: a paragraph's worth, enough for any
/// sentence of news, bounded for the run-on lines of lists and tables.
pub const SENTENCE_CHARS: usize = 600;

/// `None` when `date` is one a figure may refer to; otherwise what is wrong with it, for a
/// message: "9999-12-31 is outside the dates casrep reads (2014-01-01 to 2035-12-31)".
pub fn date_out_of_range(date: NaiveDate) -> Option<String> {
    (!(EARLIEST_DATE..=LATEST_DATE).contains(&date)).then(|| {
        format!("{date} is outside the dates casrep reads ({EARLIEST_DATE} to {LATEST_DATE})")
    })
}

/// Checks every `date` field of a JSON document (a timeline, a figure) against the dates casrep
/// reads, without building the document: `Err` names the first date outside them (with its line
/// and column). Anything else wrong with the document is left to its own reader, so only a
/// date out of range gives an error.
pub fn check_json_dates(json: &str) -> Result<(), String> {
    let mut de = serde_json::Deserializer::from_str(json);
    match serde::de::DeserializeSeed::deserialize(DateFields { is_date: false }, &mut de) {
        Err(e) if e.is_data() => Err(e.to_string()),
        _ => Ok(()),
    }
}

/// A JSON value walked for its `date` fields (see [`check_json_dates`]).
struct DateFields {
    is_date: bool,
}

impl<'de> serde::de::DeserializeSeed<'de> for DateFields {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for DateFields {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        match v.parse::<NaiveDate>().ok().and_then(date_out_of_range) {
            Some(problem) if self.is_date => Err(E::custom(problem)),
            _ => Ok(()),
        }
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(DateFields { is_date: false })?
            .is_some()
        {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            map.next_value_seed(DateFields {
                is_date: key == "date",
            })?;
        }
        Ok(())
    }
}

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

mod qualifier;
pub use qualifier::Qualifier;

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
    /// The whole sentence the figure stands in, as written (whitespace collapsed), in at most
    /// [`SENTENCE_CHARS`] characters: a longer one is cut around the figure, with "…" where
    /// cut. Empty, and not written, for a figure read back from casrep before 0.3.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sentence: String,
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
    /// The language the article was read in ("en", "uk", ...: the code of its word table).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
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
            sentence: "x".to_owned(),
            category: category.to_owned(),
            kind,
            days: (kind == Kind::Delta).then_some(1),
            value,
            qualifier: Qualifier::Exact,
            side: Some("russia".to_owned()),
            claimant: Some("ukraine".to_owned()),
            lang: Some("en".to_owned()),
            date: Some(on.parse().expect("a test date")),
            date_basis: "test".to_owned(),
        }
    }
}

#[cfg(test)]
mod date_tests {
    use super::*;

    #[test]
    fn dates_outside_the_war_are_named() {
        assert_eq!(date_out_of_range(EARLIEST_DATE), None);
        assert_eq!(date_out_of_range(LATEST_DATE), None);
        let far = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
        assert_eq!(
            date_out_of_range(far).unwrap(),
            "9999-12-31 is outside the dates casrep reads (2014-01-01 to 2035-12-31)"
        );
    }

    #[test]
    fn only_date_fields_out_of_range_fail_a_json_document() {
        let ok = r#"{"a": [{"date": "2023-02-22", "x": "9999-12-31"}], "date": null}"#;
        assert_eq!(check_json_dates(ok), Ok(()));
        let far =
            r#"{"timeline": [{"date": "2023-02-22"}, {"totals": {}, "date": "+262142-12-31"}]}"#;
        let err = check_json_dates(far).unwrap_err();
        assert!(
            err.contains("+262142-12-31 is outside the dates casrep reads"),
            "{err}"
        );
        // Broken JSON is its reader's business.
        assert_eq!(check_json_dates("{\"date\": "), Ok(()));
    }
}
