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
use crate::suggest;

/// The official daily series shipped with casrep (`data/reference/`, MIT-licensed; see the
/// README there), the reference when none is given. Only `check` reads it: extraction never
/// looks at it, so it never dates or changes a figure.
pub const BUILT_IN: &str = include_str!("../data/reference/official-daily.csv");

/// How the built-in series is named in messages.
pub const BUILT_IN_NAME: &str = "the built-in official daily series";

/// A daily series of cumulative totals, by date and category id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reference {
    totals: BTreeMap<NaiveDate, BTreeMap<String, u64>>,
    /// Columns that are no category id (the official series' `pow`): read past, never compared.
    pub left_out: Vec<String>,
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

    /// The first and last dates of the series.
    pub fn dates(&self) -> Option<(NaiveDate, NaiveDate)> {
        Some((
            *self.totals.keys().next()?,
            *self.totals.keys().next_back()?,
        ))
    }
}

/// The built-in series, read.
pub fn built_in(known: &[&str]) -> anyhow::Result<Reference> {
    load(BUILT_IN.as_bytes(), known)
}

/// What each column of a reference holds: a category of `known`, or nothing to compare. A
/// column that looks like a mistyped id, or one named twice, is refused: either would silently
/// check less than the user meant.
fn columns(headers: &csv::StringRecord, known: &[&str]) -> anyhow::Result<Vec<Option<String>>> {
    if headers.get(0) != Some("date") {
        bail!(
            "reference: the first column must be `date`, not {:?}",
            headers.get(0)
        );
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut columns = vec![None];
    for column in headers.iter().skip(1) {
        let column = column.trim();
        if !seen.insert(column) {
            bail!("reference: column {column:?} appears twice; which one holds the figures?");
        }
        if known.contains(&column) {
            columns.push(Some(column.to_owned()));
            continue;
        }
        if column != "day" {
            if let Some(meant) = suggest::closest(column, known.iter().copied()) {
                bail!(
                    "reference: column {column:?} is no category id; did you mean {meant:?}? \
                     (the ids are in `casrep categories`)"
                );
            }
        }
        columns.push(None);
    }
    if columns.iter().all(Option::is_none) {
        bail!(
            "reference: no column is a category id (personnel, tanks, ...), so nothing could be \
             checked; the ids are in `casrep categories`"
        );
    }
    Ok(columns)
}

/// Reads a reference CSV. The header names the columns: `date` first, then category ids of
/// `known` (a `day` column is ignored: it follows from the date; other columns that are no id are
/// listed in [`Reference::left_out`]).
pub fn load(reader: impl Read, known: &[&str]) -> anyhow::Result<Reference> {
    let mut csv = csv::Reader::from_reader(reader);
    let headers = csv
        .headers()
        .context("reading the reference header")?
        .clone();
    let columns = columns(&headers, known)?;
    let mut reference = Reference {
        left_out: headers
            .iter()
            .zip(&columns)
            .skip(1)
            .filter(|(name, id)| id.is_none() && *name != "day")
            .map(|(name, _)| name.to_owned())
            .collect(),
        ..Reference::default()
    };
    for record in csv.records() {
        let record = record.context("reading the reference")?;
        let line = record.position().map_or(0, |p| p.line());
        let date: NaiveDate = record[0]
            .trim()
            .parse()
            .with_context(|| format!("reference line {line}: bad date {:?}", &record[0]))?;
        let mut row = BTreeMap::new();
        for (column, cell) in columns.iter().zip(record.iter()).skip(1) {
            let (Some(column), cell) = (column, cell.trim()) else {
                continue;
            };
            if cell.is_empty() {
                continue;
            }
            let value = cell.parse().with_context(|| {
                format!("reference line {line}: {column} {cell:?} is not a count")
            })?;
            row.insert(column.clone(), value);
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
    /// The sentence the figure stands in (see `Figure::sentence`), for the reader to judge.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub sentence: String,
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

/// What comparing one batch of figures found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Figures the reference has a number for, so judged.
    pub checked: usize,
    /// The judged figures that disagree, in the order of the figures.
    pub mismatches: Vec<Mismatch>,
}

/// Every dated total and daily delta that Ukraine (or an unnamed claimant) states about Russian
/// (or unnamed) losses, judged against the reference. Figures the reference has no number for
/// are not judged.
pub fn compare(figures: &[Figure], reference: &Reference) -> Comparison {
    let mut comparison = Comparison::default();
    let judged = figures
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
            Some((f, date, expected))
        });
    for (f, date, expected) in judged {
        comparison.checked += 1;
        if !agrees(f.qualifier, f.value, expected) {
            comparison.mismatches.push(Mismatch {
                file: f.file.clone(),
                line: f.line,
                quote: f.quote.clone(),
                sentence: f.sentence.clone(),
                category: f.category.clone(),
                kind: f.kind,
                qualifier: f.qualifier,
                date,
                stated: f.value,
                reference: expected,
            });
        }
    }
    comparison
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

    /// The category ids of the official series, in its column order.
    const IDS: [&str; 17] = crate::timeline::CATEGORY_ORDER;

    fn reference() -> Reference {
        load(REFERENCE.as_bytes(), &IDS).unwrap()
    }

    fn mismatches(figures: &[Figure]) -> Vec<Mismatch> {
        compare(figures, &reference()).mismatches
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
    fn the_built_in_reference_is_the_shipped_series() {
        let known: Vec<String> = crate::lexicon::Lexicon::load(None).unwrap().category_ids();
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        let r = built_in(&known).unwrap();
        assert_eq!(r.total(date("2023-02-23"), "special_equipment"), Some(228));
        assert_eq!(
            r.total(date("2022-04-30"), "military_vehicles"),
            Some(1_701)
        );
        assert_eq!(r.dates().unwrap().0, date("2022-02-25"));
        // Prisoners of war are no category: the column is read past, not compared.
        assert_eq!(r.left_out, ["pow"]);
    }

    #[test]
    fn load_refuses_a_mistyped_column_naming_it() {
        let csv = "date,day,personnel,tankz\n2023-02-21,363,144440,3326\n";
        let err = format!("{:#}", load(csv.as_bytes(), &IDS).unwrap_err());
        assert!(
            err.contains("column \"tankz\" is no category id; did you mean \"tanks\"?"),
            "{err}"
        );
    }

    #[test]
    fn load_refuses_a_column_named_twice() {
        let csv = "date,tanks,personnel,tanks\n2023-02-21,3326,144440,3\n";
        let err = format!("{:#}", load(csv.as_bytes(), &IDS).unwrap_err());
        assert!(err.contains("column \"tanks\" appears twice"), "{err}");
    }

    #[test]
    fn load_refuses_a_reference_with_nothing_to_check() {
        let csv = "date,day,greatest losses direction\n2023-02-21,363,Bakhmut\n";
        let err = format!("{:#}", load(csv.as_bytes(), &IDS).unwrap_err());
        assert!(err.contains("nothing could be checked"), "{err}");
    }

    #[test]
    fn other_columns_are_left_out_and_listed() {
        let csv = "date,day,personnel,greatest losses direction\n2023-02-21,363,144440,Bakhmut\n";
        let r = load(csv.as_bytes(), &IDS).unwrap();
        assert_eq!(r.left_out, ["greatest losses direction"]);
        assert_eq!(r.total(date("2023-02-21"), "personnel"), Some(144440));
    }

    #[test]
    fn load_refuses_a_cell_that_is_not_a_count() {
        let csv = "date,day,personnel\n2023-02-21,363,many\n";
        let err = format!("{:#}", load(csv.as_bytes(), &IDS).unwrap_err());
        assert!(
            err.contains("line 2: personnel \"many\" is not a count"),
            "{err}"
        );
    }

    #[test]
    fn load_refuses_a_file_without_a_date_column() {
        assert!(load("day,personnel\n363,144440\n".as_bytes(), &IDS).is_err());
    }

    #[test]
    fn load_refuses_a_repeated_date() {
        let csv = "date,personnel\n2023-02-21,1\n2023-02-21,2\n";
        assert!(load(csv.as_bytes(), &IDS).is_err());
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
        assert!(mismatches(&figures).is_empty());
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
        let found = mismatches(&figures);
        assert_eq!(
            found[0].to_string(),
            "000_x.txt:14: \"226 special equipment platforms\" states 226 special_equipment \
             on 2023-02-23 where the series has 228"
        );
    }

    #[test]
    fn wrong_delta_is_compared_with_the_change_between_rows() {
        // 145,850 − 145,060: right on the 23rd, wrong on the 22nd.
        let figures = [fig("(+790)", "personnel", Kind::Delta, 790, "2023-02-23")];
        assert!(mismatches(&figures).is_empty());
        let figures = [fig("(+790)", "personnel", Kind::Delta, 790, "2023-02-22")];
        assert_eq!(
            mismatches(&figures)[0].to_string(),
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
        assert!(mismatches(&[more_than, almost.clone(), about]).is_empty());
        almost.value = 145000;
        assert_eq!(mismatches(&[almost]).len(), 1);
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
        assert_eq!(mismatches(&[us, ukraine_side, unnamed]).len(), 1);
    }

    #[test]
    fn undated_periods_and_unknown_cells_are_not_judged() {
        let mut undated = fig("3,000 tanks", "tanks", Kind::Total, 3000, "2023-02-22");
        undated.date = None;
        let period = fig("25 tanks", "tanks", Kind::Period, 25, "2023-02-22");
        let submarine = fig("one submarine", "submarines", Kind::Total, 1, "2023-02-22");
        let comparison = compare(&[undated, period, submarine], &reference());
        assert_eq!(comparison, Comparison::default());
    }
}
