//! One series as CSV, for spreadsheets and pandas: a row per date that has a value, the
//! columns of `official-daily.csv` (or those asked for), daily changes on request, and which
//! values were only approximate.

use std::io::Write;

use anyhow::Context;
use chrono::NaiveDate;

use super::document::{Category, Point, PointKind, CATEGORY_ORDER};
use super::Timeline;

/// What the CSV shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvOptions {
    /// The series: who claims, and whose losses.
    pub claimant: String,
    pub side: String,
    /// Day 1 of the `day` column.
    pub invasion_start: NaiveDate,
    /// These categories' columns, in this order; when empty, every category of
    /// `official-daily.csv` and any other the series has, in canonical order.
    pub categories: Vec<String>,
    /// A `CATEGORY_change` column (the day's change) after each category's totals.
    pub deltas: bool,
}

/// One column of values: a category's totals or its daily changes.
struct Column {
    category: Category,
    kind: PointKind,
    name: String,
}

/// Writes the series as CSV: `date,day,`, the value columns, then `hedged`, the names of the
/// columns of the row whose value was stated as approximate ("about 145,000"), separated by
/// spaces; a date without a value in any column has no row. `day` counts `invasion_start`
/// as day 1.
pub fn to_csv(t: &Timeline, options: &CsvOptions, mut w: impl Write) -> anyhow::Result<()> {
    let derived = t.evidence.derive();
    let points: Vec<Point> = derived
        .points()
        .filter(|p| {
            p.claimant.as_deref() == Some(options.claimant.as_str())
                && p.side.as_deref() == Some(options.side.as_str())
        })
        .collect();
    let columns = columns(&points, options);
    // Into memory first, so an I/O error reaches the caller as a plain `io::Error` (a broken
    // pipe is then easy to recognise) rather than wrapped in a `csv::Error`.
    let mut csv = ::csv::Writer::from_writer(Vec::new());
    let header = ["date", "day"]
        .into_iter()
        .chain(columns.iter().map(|c| c.name.as_str()))
        .chain(["hedged"]);
    csv.write_record(header)?;
    for point in &points {
        if let Some(record) = row(point, &columns, options.invasion_start) {
            csv.write_record(&record)?;
        }
    }
    let bytes = csv.into_inner().context("writing CSV")?;
    w.write_all(&bytes)?;
    Ok(())
}

/// The value columns, in order.
fn columns(points: &[Point], options: &CsvOptions) -> Vec<Column> {
    let categories: Vec<Category> = if options.categories.is_empty() {
        let mut all: Vec<Category> = CATEGORY_ORDER.iter().map(|&c| c.into()).collect();
        for p in points {
            all.extend(p.totals.keys().cloned());
            if options.deltas {
                all.extend(p.deltas.keys().cloned());
            }
        }
        all.sort();
        all.dedup();
        all
    } else {
        options
            .categories
            .iter()
            .map(|c| Category::from(c.as_str()))
            .collect()
    };
    let mut columns = Vec::new();
    for category in categories {
        // The totals, then the change beside them.
        columns.push(Column {
            name: category.to_string(),
            category: category.clone(),
            kind: PointKind::Total,
        });
        if options.deltas {
            columns.push(Column {
                name: format!("{category}_change"),
                category,
                kind: PointKind::Delta,
            });
        }
    }
    columns
}

/// A point's row, or `None` when it has no value in any column.
fn row(point: &Point, columns: &[Column], invasion_start: NaiveDate) -> Option<Vec<String>> {
    let mut cells = Vec::with_capacity(columns.len());
    let mut hedged: Vec<&str> = Vec::new();
    for c in columns {
        let values = match c.kind {
            PointKind::Total => &point.totals,
            PointKind::Delta => &point.deltas,
        };
        let Some(value) = values.get(&c.category) else {
            cells.push(String::new());
            continue;
        };
        cells.push(value.to_string());
        if !is_exact(point, c) {
            hedged.push(&c.name);
        }
    }
    if cells.iter().all(String::is_empty) {
        return None;
    }
    let day = (point.date - invasion_start).num_days() + 1;
    let mut record = vec![point.date.to_string(), day.to_string()];
    record.extend(cells);
    record.push(hedged.join(" "));
    Some(record)
}

/// Whether a point's value in a column was stated exactly by at least one of its sources.
fn is_exact(point: &Point, c: &Column) -> bool {
    point.sources.get(&c.category).is_some_and(|sources| {
        sources
            .iter()
            .any(|s| s.kind == c.kind && s.qualifier.is_exact())
    })
}

#[cfg(test)]
mod tests {
    use crate::timeline::test_support::*;

    fn csv(t: &Timeline, categories: &[&str], deltas: bool) -> String {
        let options = CsvOptions {
            claimant: "ukraine".to_owned(),
            side: "russia".to_owned(),
            invasion_start: date("2022-02-24"),
            categories: categories.iter().map(|&c| c.to_owned()).collect(),
            deltas,
        };
        let mut out = Vec::new();
        to_csv(t, &options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_has_one_row_per_date_in_the_reference_columns() {
        let mut other = fig("c.txt", 1, "personnel", Kind::Total, 200000, "2023-02-21");
        other.claimant = Some("united_states".to_owned());
        let mut figures = seeds();
        figures.push(other);
        let empty = ",".repeat(15);
        assert_eq!(
            csv(&build(figures), &[], false),
            format!(
                "date,day,personnel,tanks,afv,artillery,mlrs,air_defense,aircraft,helicopters,\
                 uav,cruise_missiles,ships,submarines,vehicles,special_equipment,srbm,\
                 military_vehicles,fuel_tanks,hedged\n\
                 2023-02-21,363,144440,3326{empty},\n\
                 2023-02-22,364,145060,3334{empty},\n"
            )
        );
    }

    #[test]
    fn csv_adds_a_column_for_a_category_of_the_users_own() {
        let mut figures = seeds();
        figures.push(fig("d.txt", 1, "pow", Kind::Total, 20, "2023-02-22"));
        let text = csv(&build(figures), &[], false);
        assert!(text
            .lines()
            .next()
            .unwrap()
            .ends_with(",fuel_tanks,pow,hedged"));
        assert!(text.lines().nth(2).unwrap().ends_with(",,20,"));
    }

    #[test]
    fn csv_chooses_columns_adds_changes_and_marks_hedged_values() {
        let mut figures = seeds();
        figures.push(hedged(
            fig("e.txt", 2, "tanks", Kind::Total, 3340, "2023-02-23"),
            Qualifier::About,
        ));
        // A day with a value only in a column not shown has no row.
        figures.push(fig("e.txt", 3, "uav", Kind::Total, 2100, "2023-02-24"));
        assert_eq!(
            csv(&build(figures), &["tanks", "personnel"], true),
            "date,day,tanks,tanks_change,personnel,personnel_change,hedged\n\
             2023-02-21,363,3326,,144440,,\n\
             2023-02-22,364,3334,,145060,620,\n\
             2023-02-23,365,3340,,,,tanks\n"
        );
    }
}
