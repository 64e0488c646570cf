//! Writing: the JSON document, streamed, its items made one at a time as the serialiser asks for
//! them; one point per line (NDJSON); one series' totals as CSV.

use std::collections::BTreeSet;
use std::io::Write;

use anyhow::Context;
use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use super::derive::Derived;
use super::document::{Category, Point, CATEGORY_ORDER, SCHEMA_VERSION};
use super::Timeline;

/// The timeline as pretty JSON with a final newline: readable in a diff, stable in bytes.
/// Streamed, so a large timeline is not held twice; an I/O error is returned as the
/// `io::Error` itself (serde_json's error would hide it from `output::is_broken_pipe`).
pub fn write_json(t: &Timeline, mut w: impl Write) -> anyhow::Result<()> {
    let derived = t.evidence.derive();
    serde_json::to_writer_pretty(&mut w, &Document(&derived)).map_err(std::io::Error::from)?;
    w.write_all(b"\n")?;
    Ok(())
}

/// [`write_json`] to a string.
#[cfg(test)]
pub fn to_json(t: &Timeline) -> String {
    let mut json = Vec::new();
    write_json(t, &mut json).expect("a timeline always serialises");
    String::from_utf8(json).expect("JSON is UTF-8")
}

/// One point per line, for tools that stream.
pub fn to_ndjson(t: &Timeline, mut w: impl Write) -> anyhow::Result<()> {
    let derived = t.evidence.derive();
    for point in derived.points() {
        let line = serde_json::to_string(&point)?;
        writeln!(w, "{line}")?;
    }
    Ok(())
}

/// The totals of one series as CSV: `date,day,` then the category columns of
/// `official-daily.csv` (plus any other category the series has, after them), one row per date,
/// empty where unknown. `day` counts `invasion_start` as day 1.
pub fn to_csv(
    t: &Timeline,
    claimant: &str,
    side: &str,
    invasion_start: NaiveDate,
    mut w: impl Write,
) -> anyhow::Result<()> {
    let derived = t.evidence.derive();
    let points: Vec<Point> = derived
        .points()
        .filter(|p| p.claimant.as_deref() == Some(claimant) && p.side.as_deref() == Some(side))
        .collect();
    let mut columns: BTreeSet<Category> = CATEGORY_ORDER.iter().map(|&c| c.into()).collect();
    columns.extend(points.iter().flat_map(|p| p.totals.keys().cloned()));

    // Into memory first, so an I/O error reaches the caller as a plain `io::Error` (a broken
    // pipe is then easy to recognise) rather than wrapped in a `csv::Error`.
    let mut csv = csv::Writer::from_writer(Vec::new());
    let header = ["date", "day"]
        .into_iter()
        .chain(columns.iter().map(Category::as_str));
    csv.write_record(header)?;
    for point in points {
        let day = (point.date - invasion_start).num_days() + 1;
        let mut record = vec![point.date.to_string(), day.to_string()];
        record.extend(columns.iter().map(|c| {
            point
                .totals
                .get(c)
                .map_or_else(String::new, |v| v.to_string())
        }));
        csv.write_record(&record)?;
    }
    let bytes = csv.into_inner().context("writing CSV")?;
    w.write_all(&bytes)?;
    Ok(())
}

/// A JSON array of the items `make` yields.
struct Items<F>(F);

impl<F, I> Serialize for Items<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// The whole document, in its key order.
struct Document<'d, 'a>(&'d Derived<'a>);

impl Serialize for Document<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let d = self.0;
        let ev = d.ev;
        let mut s = serializer.serialize_struct("Timeline", 7)?;
        s.serialize_field("schema_version", &SCHEMA_VERSION)?;
        s.serialize_field("timeline", &Items(|| d.points()))?;
        s.serialize_field("undated", &Items(|| ev.figures(&ev.undated)))?;
        s.serialize_field("periods", &Items(|| ev.figures(&ev.periods)))?;
        s.serialize_field("bounds", &Items(|| ev.figures(&ev.bounds)))?;
        s.serialize_field("conflicts", &Items(|| d.conflicts()))?;
        s.serialize_field("checks", &d.checks)?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use crate::timeline::test_support::*;

    #[test]
    fn csv_has_one_row_per_date_in_the_reference_columns() {
        let mut other = fig("c.txt", 1, "personnel", Kind::Total, 200000, "2023-02-21");
        other.claimant = Some("united_states".to_owned());
        let mut figures = seeds();
        figures.push(other);
        let mut out = Vec::new();
        to_csv(
            &build(figures),
            "ukraine",
            "russia",
            date("2022-02-24"),
            &mut out,
        )
        .unwrap();
        let empty = ",".repeat(15);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!(
                "date,day,personnel,tanks,afv,artillery,mlrs,air_defense,aircraft,helicopters,\
                 uav,cruise_missiles,ships,submarines,vehicles,special_equipment,srbm,\
                 military_vehicles,fuel_tanks\n\
                 2023-02-21,363,144440,3326{empty}\n\
                 2023-02-22,364,145060,3334{empty}\n"
            )
        );
    }

    #[test]
    fn csv_adds_a_column_for_a_category_of_the_users_own() {
        let mut figures = seeds();
        figures.push(fig("d.txt", 1, "pow", Kind::Total, 20, "2023-02-22"));
        let mut out = Vec::new();
        to_csv(
            &build(figures),
            "ukraine",
            "russia",
            date("2022-02-24"),
            &mut out,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.lines().next().unwrap().ends_with(",fuel_tanks,pow"));
        assert!(text.lines().nth(2).unwrap().ends_with(",,20"));
    }

    #[test]
    fn ndjson_writes_one_point_per_line() {
        let t = build(seeds());
        let mut out = Vec::new();
        to_ndjson(&t, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        let first: Point = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(first, point(&t, "2023-02-21"));
    }

    #[test]
    fn json_round_trips() {
        let mut figures = seeds();
        figures.push(undated(fig(
            "u.txt",
            1,
            "uav",
            Kind::Total,
            2026,
            "2023-02-22",
        )));
        figures.push(hedged(
            fig("b.txt", 9, "tanks", Kind::Total, 3300, "2023-02-22"),
            Qualifier::MoreThan,
        ));
        let t = build(figures);
        let json = to_json(&t);
        assert_eq!(to_json(&from_json(&json).unwrap()), json);
    }
}
