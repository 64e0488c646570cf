//! `casrep timeline --format table`: the timeline as aligned text tables, for a person at a
//! terminal. JSON stays the default everywhere; this is only written when asked for.
//!
//! One block per (claimant, side) series, Kyiv's series of Russian losses first, then the others
//! in timeline order. Each block has the date and one column per category that has a value in
//! the series (or those of `--category`, in its order), latest date first. A cell holds the
//! total with thousands separators and the day's change beside it, `145,060 (+620)`; totals are
//! right-aligned so their digits line up. More than [`MAX_COLUMNS`] categories are split into
//! several tables of the same dates, so a line stays readable in a terminal.

use std::io::Write;

use crate::timeline::{printable, Category, Point, Timeline};

/// Category columns per table; more are wrapped into a further table.
pub const MAX_COLUMNS: usize = 8;

/// The width a table keeps within, unless a single column is wider.
pub const MAX_WIDTH: usize = 120;

/// The series shown first: the Ukrainian General Staff's figures of Russian losses.
const MAIN_SERIES: (&str, &str) = ("ukraine", "russia");

/// What the table shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableOptions {
    /// Only this claimant's series; every series when `None`.
    pub claimant: Option<String>,
    /// Only the series of this side's losses; every side when `None`.
    pub side: Option<String>,
    /// These categories' columns, in this order; every category with a value when empty.
    pub categories: Vec<String>,
}

/// `145060` → `145,060`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "losses of russia according to ukraine", with null ids said in words. A character that
/// would act on the terminal is shown as an escape (see `timeline::printable`).
pub fn series_title(claimant: Option<&str>, side: Option<&str>) -> String {
    format!(
        "losses of {} according to {}",
        printable(side.unwrap_or("an unnamed side")),
        printable(claimant.unwrap_or("an unnamed source"))
    )
}

/// One (claimant, side) series: its points in date order.
struct Series<'a> {
    claimant: Option<&'a str>,
    side: Option<&'a str>,
    points: Vec<&'a Point>,
}

/// The series of a timeline, the main one first, then in timeline order.
fn series(points: &[Point]) -> Vec<Series<'_>> {
    let mut all: Vec<Series<'_>> = Vec::new();
    for p in points {
        let (claimant, side) = (p.claimant.as_deref(), p.side.as_deref());
        match all.last_mut() {
            Some(s) if s.claimant == claimant && s.side == side => s.points.push(p),
            _ => all.push(Series {
                claimant,
                side,
                points: vec![p],
            }),
        }
    }
    let is_main =
        |s: &Series<'_>| (s.claimant, s.side) == (Some(MAIN_SERIES.0), Some(MAIN_SERIES.1));
    // A stable sort keeps the timeline's order among the others.
    all.sort_by_key(|s| !is_main(s));
    all
}

/// Writes the tables of `t`; see the module docs.
pub fn write_table(t: &Timeline, options: &TableOptions, mut w: impl Write) -> anyhow::Result<()> {
    let mut out = String::new();
    let mut blocks = 0;
    let points = t.points();
    for s in series(&points) {
        let other = |asked: &Option<String>, id: Option<&str>| {
            asked.as_deref().is_some_and(|a| id != Some(a))
        };
        if other(&options.claimant, s.claimant) || other(&options.side, s.side) {
            continue;
        }
        let columns = columns(&s, &options.categories);
        if columns.is_empty() {
            continue;
        }
        if blocks > 0 {
            out.push('\n');
        }
        blocks += 1;
        let dates = s.points.len();
        out.push_str(&format!(
            "{} ({})\n",
            series_title(s.claimant, s.side),
            crate::messages::plural(dates, "date", "dates")
        ));
        for (i, chunk) in chunks(&s, &columns).iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            render(&s, chunk, &mut out);
        }
    }
    if blocks == 0 {
        out.push_str("no dated figures");
        if let Some(c) = &options.claimant {
            out.push_str(&format!(" according to {}", printable(c)));
        }
        out.push('\n');
    }
    let notes = [
        (t.undated().len(), "undated figure", "undated figures"),
        (
            t.periods().len(),
            "figure over a period",
            "figures over a period",
        ),
        (t.conflicts().len(), "conflict", "conflicts"),
        (t.checks().len(), "failed check", "failed checks"),
    ];
    let notes: Vec<String> = notes
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|&(n, one, many)| crate::messages::plural(n, one, many))
        .collect();
    if !notes.is_empty() {
        out.push_str(&format!(
            "\nnot shown: {} (see --format json)\n",
            notes.join(", ")
        ));
    }
    w.write_all(out.as_bytes())?;
    Ok(())
}

/// The categories of a series' columns: those asked for that have a value, or every one with
/// a value, in canonical order.
fn columns(s: &Series<'_>, asked: &[String]) -> Vec<Category> {
    let has_value = |c: &Category| {
        s.points
            .iter()
            .any(|p| p.totals.contains_key(c) || p.deltas.contains_key(c))
    };
    if asked.is_empty() {
        let mut all: Vec<Category> = s
            .points
            .iter()
            .flat_map(|p| p.totals.keys().chain(p.deltas.keys()).cloned())
            .collect();
        all.sort();
        all.dedup();
        all
    } else {
        asked
            .iter()
            .map(|c| Category::from(c.as_str()))
            .filter(has_value)
            .collect()
    }
}

/// The columns split into tables of at most [`MAX_COLUMNS`] columns and [`MAX_WIDTH`]
/// characters, in order.
fn chunks(s: &Series<'_>, columns: &[Category]) -> Vec<Vec<Category>> {
    let mut chunks: Vec<Vec<Category>> = Vec::new();
    let mut width = 0;
    for c in columns {
        // The widest this column can be: every point's cell, or the header.
        let cell = |p: &&Point| {
            let total = p.totals.get(c).map_or(0, |&v| thousands(v).len());
            let delta = p.deltas.get(c).map_or(0, |&v| thousands(v).len() + 3);
            (total, delta)
        };
        let total = s.points.iter().map(|p| cell(p).0).max().unwrap_or(0);
        let delta = s.points.iter().map(|p| cell(p).1).max().unwrap_or(0);
        let column =
            2 + (total + if delta > 0 { 1 + delta } else { 0 }).max(printable(c.as_str()).len());
        match chunks.last_mut() {
            Some(chunk) if chunk.len() < MAX_COLUMNS && width + column <= MAX_WIDTH => {
                chunk.push(c.clone());
                width += column;
            }
            _ => {
                chunks.push(vec![c.clone()]);
                width = "yyyy-mm-dd".len() + column;
            }
        }
    }
    chunks
}

/// One cell: the total and the change, formatted apart so each can be aligned.
struct Cell {
    total: String,
    delta: String,
}

/// One table: the date column and `columns`, for the dates that have a value in one of them,
/// latest first.
fn render(s: &Series<'_>, columns: &[Category], out: &mut String) {
    let rows: Vec<(String, Vec<Cell>)> = s
        .points
        .iter()
        .rev()
        .filter(|p| {
            columns
                .iter()
                .any(|c| p.totals.contains_key(c) || p.deltas.contains_key(c))
        })
        .map(|p| {
            let cells = columns
                .iter()
                .map(|c| Cell {
                    total: p.totals.get(c).map_or_else(String::new, |&v| thousands(v)),
                    delta: p
                        .deltas
                        .get(c)
                        .map_or_else(String::new, |&v| format!("(+{})", thousands(v))),
                })
                .collect();
            (p.date.to_string(), cells)
        })
        .collect();

    // Per column: the width of the totals, of the changes, and of the whole column.
    let widths: Vec<(usize, usize, usize)> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let total = rows.iter().map(|r| r.1[i].total.len()).max().unwrap_or(0);
            let delta = rows.iter().map(|r| r.1[i].delta.len()).max().unwrap_or(0);
            let content = total + if delta > 0 { 1 + delta } else { 0 };
            (total, delta, content.max(printable(c.as_str()).len()))
        })
        .collect();

    let mut header = String::from("date      ");
    let mut rule = String::from("----------");
    for (c, &(total, delta, width)) in columns.iter().zip(&widths) {
        // The header ends where the totals end, like the numbers under it.
        let content = total + if delta > 0 { 1 + delta } else { 0 };
        let before_totals_end = width - content + total;
        let name = printable(c.as_str());
        let pad = before_totals_end.saturating_sub(name.len());
        header.push_str("  ");
        header.push_str(&" ".repeat(pad));
        header.push_str(&name);
        header.push_str(&" ".repeat(width - pad - name.len()));
        rule.push_str("  ");
        rule.push_str(&"-".repeat(width));
    }
    push_line(out, &header);
    push_line(out, &rule);
    for (date, cells) in &rows {
        let mut line = date.clone();
        for (cell, &(total, delta, width)) in cells.iter().zip(&widths) {
            let content = total + if delta > 0 { 1 + delta } else { 0 };
            line.push_str("  ");
            line.push_str(&" ".repeat(width - content));
            line.push_str(&format!("{:>total$}", cell.total));
            if delta > 0 {
                line.push_str(&format!(" {:<delta$}", cell.delta));
            }
        }
        push_line(out, &line);
    }
}

/// A line without trailing spaces.
fn push_line(out: &mut String, line: &str) {
    out.push_str(line.trim_end());
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::{Figure, Kind};
    use crate::timeline;

    fn figure(claimant: &str, date: &str, category: &str, kind: Kind, value: u64) -> Figure {
        Figure {
            file: format!("{date}.txt"),
            claimant: Some(claimant.to_owned()),
            ..Figure::sample(category, kind, value, date)
        }
    }

    fn small_timeline() -> Timeline {
        use Kind::{Delta, Total};
        timeline::build(vec![
            figure("ukraine", "2023-02-21", "personnel", Total, 144_440),
            figure("ukraine", "2023-02-21", "tanks", Total, 3_330),
            figure("ukraine", "2023-02-22", "personnel", Total, 145_060),
            figure("ukraine", "2023-02-22", "personnel", Delta, 620),
            figure("ukraine", "2023-02-22", "tanks", Total, 3_334),
            figure("ukraine", "2023-02-22", "tanks", Delta, 4),
            figure("ukraine", "2023-02-22", "helicopters", Total, 287),
            figure("oryx", "2023-02-20", "tanks", Total, 1_800),
            figure("united_kingdom", "2023-02-20", "personnel", Total, 40_000),
        ])
    }

    fn table(t: &Timeline, options: &TableOptions) -> String {
        let mut out = Vec::new();
        write_table(t, options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn thousands_are_separated_by_commas() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(145_060), "145,060");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn table_aligns_totals_and_shows_changes_latest_first() {
        let out = table(&small_timeline(), &TableOptions::default());
        let expected = "\
losses of russia according to ukraine (2 dates)
date        personnel       tanks       helicopters
----------  --------------  ----------  -----------
2023-02-22  145,060 (+620)  3,334 (+4)          287
2023-02-21  144,440         3,330

losses of russia according to oryx (1 date)
date        tanks
----------  -----
2023-02-20  1,800

losses of russia according to united_kingdom (1 date)
date        personnel
----------  ---------
2023-02-20     40,000
";
        assert_eq!(out, expected, "\n{out}");
    }

    #[test]
    fn every_total_of_a_column_ends_in_the_same_place() {
        let out = table(&small_timeline(), &TableOptions::default());
        let lines: Vec<&str> = out.lines().take(5).collect();
        let end_of = |line: &str, total: &str| line.find(total).unwrap() + total.len();
        assert_eq!(end_of(lines[3], "145,060"), end_of(lines[4], "144,440"));
        assert_eq!(end_of(lines[3], "3,334"), end_of(lines[4], "3,330"));
        // A header ends with the totals under it, unless it is the wider.
        assert_eq!(end_of(lines[1], "tanks"), end_of(lines[3], "3,334"));
        assert_eq!(end_of(lines[1], "helicopters"), end_of(lines[3], "287"));
        assert_eq!(lines[1].find("personnel"), lines[3].find("145,060"));
    }

    #[test]
    fn category_and_claimant_choose_columns_and_series() {
        let options = TableOptions {
            claimant: Some("ukraine".to_owned()),
            categories: vec!["tanks".to_owned(), "personnel".to_owned()],
            ..TableOptions::default()
        };
        let out = table(&small_timeline(), &options);
        assert!(
            out.starts_with("losses of russia according to ukraine"),
            "{out}"
        );
        assert!(
            !out.contains("oryx") && !out.contains("helicopters"),
            "{out}"
        );
        let header = out.lines().nth(1).unwrap();
        assert!(header.find("tanks") < header.find("personnel"), "{header}");
    }

    #[test]
    fn many_categories_wrap_into_tables_of_at_most_eight_columns() {
        let ids = timeline::CATEGORY_ORDER;
        let figures = ids
            .iter()
            .enumerate()
            .map(|(i, c)| figure("ukraine", "2023-02-22", c, Kind::Total, 1_000 + i as u64))
            .collect();
        let out = table(&timeline::build(figures), &TableOptions::default());
        let headers: Vec<&str> = out.lines().filter(|l| l.starts_with("date ")).collect();
        assert_eq!(headers.len(), ids.len().div_ceil(MAX_COLUMNS), "{out}");
        for h in headers {
            assert!(h.split_whitespace().count() <= MAX_COLUMNS + 1, "{h}");
        }
    }

    #[test]
    fn an_empty_timeline_says_so() {
        let out = table(&timeline::build(Vec::new()), &TableOptions::default());
        assert_eq!(out, "no dated figures\n");
    }

    #[test]
    fn kyivs_series_comes_first() {
        let t = timeline::build(vec![
            figure("britain", "2023-02-20", "tanks", Kind::Total, 1),
            figure("ukraine", "2023-02-20", "tanks", Kind::Total, 2),
        ]);
        let out = table(&t, &TableOptions::default());
        assert!(
            out.starts_with("losses of russia according to ukraine"),
            "{out}"
        );
    }

    #[test]
    fn an_escape_sequence_in_an_id_is_shown_not_sent_to_the_terminal() {
        let t = timeline::build(vec![
            figure("ukr\u{1b}[2Jaine", "2023-02-20", "tanks", Kind::Total, 2),
            figure(
                "ukraine",
                "2023-02-20",
                "tan\u{1b}]0;x\u{7}ks",
                Kind::Total,
                3,
            ),
        ]);
        let out = table(&t, &TableOptions::default());
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
        assert!(out.contains("according to ukr\\u{1b}[2Jaine"), "{out}");
        assert!(out.contains("tan\\u{1b}]0;x\\u{7}ks"), "{out}");
    }

    #[test]
    fn side_chooses_the_series_of_one_sides_losses() {
        let own = Figure {
            side: Some("ukraine".to_owned()),
            ..figure("ukraine", "2023-02-20", "tanks", Kind::Total, 7)
        };
        let t = timeline::build(vec![
            own,
            figure("ukraine", "2023-02-20", "tanks", Kind::Total, 2),
        ]);
        let options = TableOptions {
            side: Some("ukraine".to_owned()),
            ..TableOptions::default()
        };
        let out = table(&t, &options);
        assert!(
            out.starts_with("losses of ukraine according to ukraine (1 date)\n"),
            "{out}"
        );
        assert!(!out.contains("losses of russia"), "{out}");
    }
}
