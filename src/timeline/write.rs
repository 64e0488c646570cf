//! Writing: the JSON document, streamed, its items made one at a time as the serialiser asks for
//! them; one point per line (NDJSON). CSV is in `csv`.

use std::io::Write;

use serde::{Serialize, Serializer};

use super::derive::Derived;
use super::document::SCHEMA_VERSION;
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
