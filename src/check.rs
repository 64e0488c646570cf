//! Fact-checking: every dated figure of Ukraine's series on Russian losses against a reference
//! series in the format of `official-daily.csv` (`date,day,` then one column per category,
//! empty where unknown).

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;

use anyhow::{bail, Context};
use chrono::NaiveDate;
use serde::Serialize;

use crate::figure::{Figure, Kind, Qualifier};

/// A daily series of cumulative totals, by date and category id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reference {
    totals: BTreeMap<NaiveDate, BTreeMap<String, u64>>,
}

impl Reference {
    /// The total of `category` on `date`, if the series knows it.
    pub fn total(&self, date: NaiveDate, category: &str) -> Option<u64> {
        self.totals.get(&date)?.get(category).copied()
    }

    /// The change of `category` from the day before `date`; the reference may fall (a
    /// correction), so this is signed.
    pub fn daily_change(&self, date: NaiveDate, category: &str) -> Option<i128> {
        let today = self.total(date, category)?;
        let before = self.total(date.pred_opt()?, category)?;
        Some(i128::from(today) - i128::from(before))
    }
}

/// Reads a reference CSV. The header names the columns: `date` first, then categories (a `day`
/// column is ignored; it follows from the date).
pub fn load(reader: impl Read) -> anyhow::Result<Reference> {
    let mut csv = csv::Reader::from_reader(reader);
    let headers = csv
        .headers()
        .context("reading the reference header")?
        .clone();
    if headers.get(0) != Some("date") {
        bail!(
            "reference: the first column must be `date`, not {:?}",
            headers.get(0)
        );
    }
    let mut reference = Reference::default();
    for record in csv.records() {
        let record = record.context("reading the reference")?;
        let line = record.position().map_or(0, |p| p.line());
        let date: NaiveDate = record[0]
            .trim()
            .parse()
            .with_context(|| format!("reference line {line}: bad date {:?}", &record[0]))?;
        let mut row = BTreeMap::new();
        for (column, cell) in headers.iter().zip(record.iter()).skip(1) {
            let cell = cell.trim();
            if column == "day" || cell.is_empty() {
                continue;
            }
            let value = cell.parse().with_context(|| {
                format!("reference line {line}: {column} {cell:?} is not a count")
            })?;
            row.insert(column.to_owned(), value);
        }
        if reference.totals.insert(date, row).is_some() {
            bail!("reference line {line}: {date} appears twice");
        }
    }
    Ok(reference)
}

/// A figure that disagrees with the reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    pub file: String,
    pub line: usize,
    pub quote: String,
    pub category: String,
    pub kind: Kind,
    pub qualifier: Qualifier,
    pub date: NaiveDate,
    pub stated: u64,
    /// The reference total, or for a delta its change from the day before.
    pub reference: i128,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hedge = match self.qualifier {
            Qualifier::Exact => "",
            Qualifier::About => "about ",
            Qualifier::MoreThan => "more than ",
            Qualifier::LessThan => "less than ",
            Qualifier::Almost => "almost ",
        };
        // A delta reads as a change: "+620", and the reference's change keeps its sign.
        let (sign, reference_sign, what) = match self.kind {
            Kind::Delta if self.reference >= 0 => ("+", "+", " (daily change)"),
            Kind::Delta => ("+", "", " (daily change)"),
            _ => ("", "", ""),
        };
        write!(
            f,
            "{}:{}: {:?} states {hedge}{sign}{} {}{what} on {} where the series has \
             {reference_sign}{}",
            self.file, self.line, self.quote, self.stated, self.category, self.date, self.reference
        )
    }
}

/// Every dated total and daily delta that Ukraine (or an unnamed claimant) states about Russian
/// (or unnamed) losses and that the reference contradicts, in the order of `figures`. Figures the
/// reference has no number for are not judged.
pub fn compare(figures: &[Figure], reference: &Reference) -> Vec<Mismatch> {
    figures
        .iter()
        .filter(|f| matches!(f.side.as_deref(), None | Some("russia")))
        .filter(|f| matches!(f.claimant.as_deref(), None | Some("ukraine")))
        .filter_map(|f| {
            let date = f.date?;
            let expected = match (f.kind, f.days) {
                (Kind::Total, _) => i128::from(reference.total(date, &f.category)?),
                (Kind::Delta, None | Some(1)) => reference.daily_change(date, &f.category)?,
                _ => return None,
            };
            (!agrees(f.qualifier, f.value, expected)).then(|| Mismatch {
                file: f.file.clone(),
                line: f.line,
                quote: f.quote.clone(),
                category: f.category.clone(),
                kind: f.kind,
                qualifier: f.qualifier,
                date,
                stated: f.value,
                reference: expected,
            })
        })
        .collect()
}

/// Whether a stated figure is true of the reference value. A hedge is taken at its word:
/// "more than 145,000" is true of 145,060. "About" allows 5%, which covers rounding to the
/// leading digits that news does ("about 145,000"); "almost" allows up to 10% below.
fn agrees(qualifier: Qualifier, stated: u64, reference: i128) -> bool {
    let stated = i128::from(stated);
    match qualifier {
        Qualifier::Exact => reference == stated,
        Qualifier::MoreThan => reference >= stated,
        Qualifier::LessThan => reference <= stated,
        Qualifier::Almost => reference <= stated && reference * 10 >= stated * 9,
        Qualifier::About => (reference - stated).abs() * 20 <= stated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of official-daily.csv around the first anniversary.
    const REFERENCE: &str = "\
date,day,personnel,tanks,afv,artillery,mlrs,air_defense,aircraft,helicopters,uav,cruise_missiles,ships,submarines,vehicles,special_equipment,srbm,military_vehicles,fuel_tanks,pow
2023-02-21,363,144440,3326,6562,2338,471,243,299,287,2023,873,18,,5210,226,,,,
2023-02-22,364,145060,3334,6569,2345,471,243,299,287,2026,873,18,,5212,226,,,,
2023-02-23,365,145850,3350,6593,2352,471,244,299,287,2029,873,18,,5215,228,,,,
";

    fn reference() -> Reference {
        load(REFERENCE.as_bytes()).unwrap()
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn fig(quote: &str, category: &str, kind: Kind, value: u64, on: &str) -> Figure {
        Figure {
            file: "000_x.txt".to_owned(),
            line: 14,
            end: quote.len(),
            quote: quote.to_owned(),
            date_basis: "header line Date:".to_owned(),
            ..Figure::sample(category, kind, value, on)
        }
    }

    #[test]
    fn load_reads_totals_and_leaves_empty_cells_unknown() {
        let r = reference();
        assert_eq!(r.total(date("2023-02-22"), "personnel"), Some(145060));
        assert_eq!(r.total(date("2023-02-22"), "submarines"), None);
        assert_eq!(r.total(date("2023-02-22"), "day"), None);
        assert_eq!(r.daily_change(date("2023-02-22"), "personnel"), Some(620));
        assert_eq!(r.daily_change(date("2023-02-21"), "personnel"), None);
    }

    #[test]
    fn load_reads_the_shipped_reference() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/reference/official-daily.csv"
        );
        let r = load(std::fs::File::open(path).unwrap()).unwrap();
        assert_eq!(r.total(date("2023-02-23"), "special_equipment"), Some(228));
    }

    #[test]
    fn load_refuses_a_cell_that_is_not_a_count() {
        let csv = "date,day,personnel\n2023-02-21,363,many\n";
        let err = format!("{:#}", load(csv.as_bytes()).unwrap_err());
        assert!(
            err.contains("line 2: personnel \"many\" is not a count"),
            "{err}"
        );
    }

    #[test]
    fn load_refuses_a_file_without_a_date_column() {
        assert!(load("day,personnel\n363,144440\n".as_bytes()).is_err());
    }

    #[test]
    fn load_refuses_a_repeated_date() {
        let csv = "date,personnel\n2023-02-21,1\n2023-02-21,2\n";
        assert!(load(csv.as_bytes()).is_err());
    }

    #[test]
    fn matching_figures_raise_nothing() {
        let figures = [
            fig(
                "145,060 personnel",
                "personnel",
                Kind::Total,
                145060,
                "2023-02-22",
            ),
            fig("(+620)", "personnel", Kind::Delta, 620, "2023-02-22"),
        ];
        assert!(compare(&figures, &reference()).is_empty());
    }

    #[test]
    fn wrong_total_is_reported_with_quote_and_source() {
        let figures = [fig(
            "226 special equipment platforms",
            "special_equipment",
            Kind::Total,
            226,
            "2023-02-23",
        )];
        let mismatches = compare(&figures, &reference());
        assert_eq!(
            mismatches[0].to_string(),
            "000_x.txt:14: \"226 special equipment platforms\" states 226 special_equipment \
             on 2023-02-23 where the series has 228"
        );
    }

    #[test]
    fn wrong_delta_is_compared_with_the_change_between_rows() {
        // 145,850 − 145,060: right on the 23rd, wrong on the 22nd.
        let figures = [fig("(+790)", "personnel", Kind::Delta, 790, "2023-02-23")];
        assert!(compare(&figures, &reference()).is_empty());
        let figures = [fig("(+790)", "personnel", Kind::Delta, 790, "2023-02-22")];
        assert_eq!(
            compare(&figures, &reference())[0].to_string(),
            "000_x.txt:14: \"(+790)\" states +790 personnel (daily change) on 2023-02-22 \
             where the series has +620"
        );
    }

    #[test]
    fn hedged_figures_are_taken_at_their_word() {
        let mut more_than = fig(
            "more than 145,000",
            "personnel",
            Kind::Total,
            145000,
            "2023-02-22",
        );
        more_than.qualifier = Qualifier::MoreThan;
        let mut almost = fig(
            "almost 150,000",
            "personnel",
            Kind::Total,
            150000,
            "2023-02-23",
        );
        almost.qualifier = Qualifier::Almost;
        let mut about = fig(
            "about 144440",
            "personnel",
            Kind::Total,
            144440,
            "2023-02-21",
        );
        about.qualifier = Qualifier::About;
        assert!(compare(&[more_than, almost.clone(), about], &reference()).is_empty());
        almost.value = 145000;
        assert_eq!(compare(&[almost], &reference()).len(), 1);
    }

    #[test]
    fn other_claimants_and_sides_are_not_judged() {
        let mut us = fig("200,000", "personnel", Kind::Total, 200000, "2023-02-22");
        us.claimant = Some("united_states".to_owned());
        let mut ukraine_side = fig("13,000", "personnel", Kind::Total, 13000, "2023-02-22");
        ukraine_side.side = Some("ukraine".to_owned());
        let mut unnamed = fig("1,000", "personnel", Kind::Total, 1000, "2023-02-22");
        unnamed.claimant = None;
        unnamed.side = None;
        assert_eq!(compare(&[us, ukraine_side, unnamed], &reference()).len(), 1);
    }

    #[test]
    fn undated_periods_and_unknown_cells_are_not_judged() {
        let mut undated = fig("3,000 tanks", "tanks", Kind::Total, 3000, "2023-02-22");
        undated.date = None;
        let period = fig("25 tanks", "tanks", Kind::Period, 25, "2023-02-22");
        let submarine = fig("one submarine", "submarines", Kind::Total, 1, "2023-02-22");
        assert!(compare(&[undated, period, submarine], &reference()).is_empty());
    }
}
