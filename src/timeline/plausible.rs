//! What one day can plausibly bring: for each category, the largest daily change a loss count
//! can take, from `data/daily_max.json` (made by `scripts/daily-max.py` from the official daily
//! series: its largest change between two consecutive days, times 5, rounded up). A stated
//! daily change above it is a misreading (a cumulative total taken for a day's change, a digit
//! too many): it is set aside like a stale total, with an `implausible_change` check, and so is
//! never drawn; a total that rises by more than that from one day to the next is checked too.
//! A category without an entry (one of a user's own) has no limit.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Deserialize)]
struct Table {
    max: BTreeMap<String, u64>,
}

/// The most one day can plausibly add to `category`'s count, if known.
pub(super) fn daily_max(category: &str) -> Option<u64> {
    static TABLE: OnceLock<BTreeMap<String, u64>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let table: Table = serde_json::from_str(include_str!("../../data/daily_max.json"))
            .expect("data/daily_max.json is valid (a test reads it)");
        table.max
    });
    table.get(category).copied()
}

/// How far an approximate value may lie from the count it rounds: one unit of its last
/// non-zero digit ("about 145,000" is within 1,000 of it); nothing for an exact value.
pub(super) fn rounding(value: u64, exact: bool) -> u64 {
    if exact || value == 0 {
        return 0;
    }
    let mut unit = 1;
    while value % (unit * 10) == 0 {
        unit *= 10;
    }
    unit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_has_a_limit_for_every_category_of_the_official_series() {
        for category in crate::timeline::CATEGORY_ORDER {
            let max = daily_max(category).unwrap_or_else(|| panic!("no limit for {category}"));
            assert!(max >= 10, "{category}: {max}");
        }
        assert_eq!(daily_max("tanks"), Some(500));
        assert_eq!(daily_max("widgets"), None);
    }

    #[test]
    fn an_approximate_value_is_within_a_unit_of_its_last_digit() {
        assert_eq!(rounding(145_000, false), 1000);
        assert_eq!(rounding(144_440, false), 10);
        assert_eq!(rounding(1_200_000, false), 100_000);
        assert_eq!(rounding(145_000, true), 0);
        assert_eq!(rounding(0, false), 0);
    }
}
