//! Figures and look-ups for the unit tests of the timeline's stages.

pub use super::*;
pub use crate::figure::{Figure, Kind, Qualifier};
pub use chrono::NaiveDate;

pub fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A General Staff figure about Russian losses.
pub fn fig(file: &str, line: usize, category: &str, kind: Kind, value: u64, on: &str) -> Figure {
    Figure {
        file: file.to_owned(),
        line,
        start: line * 100,
        end: line * 100 + 10,
        quote: format!("{value} {category}"),
        sentence: format!("Russia lost {value} {category}."),
        date_basis: "header line Date:".to_owned(),
        ..Figure::sample(category, kind, value, on)
    }
}

pub fn hedged(mut f: Figure, qualifier: Qualifier) -> Figure {
    f.qualifier = qualifier;
    f
}

pub fn undated(mut f: Figure) -> Figure {
    f.date = None;
    f.date_basis = "no date in the text".to_owned();
    f
}

pub fn seeds() -> Vec<Figure> {
    vec![
        fig("a.txt", 3, "personnel", Kind::Total, 144440, "2023-02-21"),
        fig("a.txt", 4, "tanks", Kind::Total, 3326, "2023-02-21"),
        fig("b.txt", 5, "personnel", Kind::Total, 145060, "2023-02-22"),
        fig("b.txt", 5, "personnel", Kind::Delta, 620, "2023-02-22"),
        fig("b.txt", 6, "tanks", Kind::Total, 3334, "2023-02-22"),
    ]
}

pub fn point(t: &Timeline, on: &str) -> Point {
    t.points()
        .into_iter()
        .find(|p| p.date == date(on) && p.claimant.as_deref() == Some("ukraine"))
        .unwrap()
}

pub fn cat(s: &str) -> Category {
    s.into()
}
