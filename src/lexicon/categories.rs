//! The categories every language names: their ids, bounds and names (`data/categories.json`),
//! and a category as a matched name carries it.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use compact_str::CompactString;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
pub(super) struct CategoriesFile {
    pub(super) categories: Vec<CategoryEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CategoryEntry {
    pub id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Until>,
    /// The names of the category, by language (and "user" for `--aliases`).
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
    /// The largest plausible count; a larger number next to the name is no loss figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
    /// Names that count only as a label before a number, never as a noun after one, by language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, Vec<String>>,
    /// More than a day can plausibly bring: a larger change is no day's change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_daily: Option<u64>,
    /// Lower bounds of the cumulative count from a date on: a smaller "total" is none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub floors: Vec<(NaiveDate, u64)>,
}

/// A name that means another category from a date on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Until {
    pub date: NaiveDate,
    pub then: String,
}

/// A category name as matched: the category it names, whether it switches on a date, and the
/// largest count it can plausibly have.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CategoryName {
    /// Inline: a name's payload is copied to every phrase of it.
    pub id: CompactString,
    pub until: Option<Until>,
    pub max: Option<u64>,
    pub max_daily: Option<u64>,
    #[serde(with = "day_numbers")]
    pub floors: Arc<[(NaiveDate, u64)]>,
    /// A name too common to count by itself ("people"): only where the sentence speaks of losses.
    pub weak: bool,
}

impl CategoryName {
    /// The name of something no series counts ("pieces of equipment").
    pub fn not_series() -> CategoryName {
        CategoryName::plain("")
    }

    /// A category name without bounds.
    pub fn plain(id: &str) -> CategoryName {
        CategoryName {
            id: CompactString::from(id),
            until: None,
            max: None,
            max_daily: None,
            floors: Arc::from([]),
            weak: false,
        }
    }

    pub fn is_series(&self) -> bool {
        !self.id.is_empty()
    }

    /// The smallest cumulative count plausible on any date, from the first report on (a
    /// count only grows): what an undated total must reach.
    pub fn earliest_floor(&self) -> u64 {
        NaiveDate::from_ymd_opt(2022, 2, 24).map_or(0, |d| self.floor_on(d))
    }

    /// The smallest plausible cumulative count on `date` (0 when none is known).
    pub fn floor_on(&self, date: NaiveDate) -> u64 {
        self.floors
            .iter()
            .take_while(|(from, _)| *from <= date)
            .last()
            .map_or(0, |(_, v)| *v)
    }
}

/// Dates of the embedded tables as day numbers: read back without parsing text, for every
/// phrase of a category name carries its floors.
mod day_numbers {
    use chrono::Datelike;
    use serde::de::Error as _;
    use serde::{Deserializer, Serializer};

    use super::*;

    pub(super) fn serialize<S: Serializer>(
        floors: &Arc<[(NaiveDate, u64)]>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(floors.iter().map(|(d, v)| (d.num_days_from_ce(), *v)))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Arc<[(NaiveDate, u64)]>, D::Error> {
        Vec::<(i32, u64)>::deserialize(d)?
            .into_iter()
            .map(|(n, v)| {
                NaiveDate::from_num_days_from_ce_opt(n)
                    .map(|d| (d, v))
                    .ok_or_else(|| D::Error::custom("a day number out of range"))
            })
            .collect()
    }
}
