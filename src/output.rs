//! The only code that writes to stdout: NDJSON figures and timeline documents, buffered, with the
//! final flush checked. A closed pipe (`casrep extract | head -1`) ends the run quietly: every
//! write returns its `io::Error`, which reaches `main` inside the `anyhow::Error`, where
//! [`is_broken_pipe`] finds it.
//!
//! [`write_timeline`] writes the same bytes to stdout or, through `atomic`, to `--output`.
//! The SVG of `casrep plot -o -` and the text of `completions` and `man` come here as bytes too.

use std::io::{self, BufWriter, Write};

use serde::Serialize;

use crate::figure::Figure;
use crate::table::{self, TableOptions};
use crate::timeline::{self, CsvOptions, Timeline};

/// True when `err` comes from writing to a closed pipe.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// How a timeline is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimelineFormat {
    /// The whole document, pretty JSON.
    Json,
    /// One point per line.
    Ndjson,
    /// One (claimant, side) series, one row per date (see `timeline::CsvOptions`).
    Csv(CsvOptions),
    /// Aligned text tables for a person (see `table`).
    Table(TableOptions),
}

/// Writes a timeline in a format. An I/O error reaches the caller as an `io::Error` in the
/// chain (not hidden inside a serde_json error), so a closed pipe is recognised.
pub fn write_timeline(
    t: &Timeline,
    format: &TimelineFormat,
    mut w: impl Write,
) -> anyhow::Result<()> {
    match format {
        TimelineFormat::Json => timeline::write_json(t, &mut w)?,
        TimelineFormat::Ndjson => timeline::to_ndjson(t, &mut w)?,
        TimelineFormat::Csv(options) => timeline::to_csv(t, options, &mut w)?,
        TimelineFormat::Table(options) => table::write_table(t, options, &mut w)?,
    }
    Ok(())
}

/// For formats that show only the points (ndjson) or one series (csv): what the timeline holds
/// that they leave out, for a note on stderr ("12 undated figures, 3 conflicts"); `None` when
/// nothing is left out, and for the formats that show everything or say so themselves.
pub fn not_shown(t: &Timeline, format: &TimelineFormat) -> Option<String> {
    let other_series = match format {
        TimelineFormat::Ndjson => 0,
        TimelineFormat::Csv(o) => t
            .series()
            .iter()
            .filter(|(c, s)| (c.as_deref(), s.as_deref()) != (Some(&*o.claimant), Some(&*o.side)))
            .count(),
        TimelineFormat::Json | TimelineFormat::Table(_) => return None,
    };
    let counts = [
        (other_series, "other series", "other series"),
        (t.undated().len(), "undated figure", "undated figures"),
        (
            t.periods().len(),
            "figure over a period",
            "figures over a period",
        ),
        (t.bounds().len(), "bound", "bounds"),
        (t.conflicts().len(), "conflict", "conflicts"),
        (t.checks().len(), "failed check", "failed checks"),
    ];
    let shown: Vec<String> = counts
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|&(n, one, many)| crate::messages::plural(n, one, many))
        .collect();
    (!shown.is_empty()).then(|| format!("not shown: {} (see --format json)", shown.join(", ")))
}

pub struct Stdout {
    out: BufWriter<io::StdoutLock<'static>>,
    /// A figure's line, kept between figures so that writing one allocates nothing.
    line: Vec<u8>,
}

impl Default for Stdout {
    fn default() -> Self {
        Self::new()
    }
}

impl Stdout {
    pub fn new() -> Stdout {
        Stdout {
            out: BufWriter::with_capacity(1 << 16, io::stdout().lock()),
            line: Vec::new(),
        }
    }

    /// One figure as one line of JSON: the bytes `json_line` would write (see `figure_line`).
    pub fn figure(&mut self, f: &Figure) -> io::Result<()> {
        self.line.clear();
        crate::figure_line::write(f, &mut self.line);
        self.line.push(b'\n');
        self.out.write_all(&self.line)
    }

    /// One value as one line of JSON.
    pub fn json_line(&mut self, value: &impl Serialize) -> io::Result<()> {
        // A serde_json error that wraps an I/O error converts back to that very io::Error.
        serde_json::to_writer(&mut self.out, value)?;
        self.out.write_all(b"\n")
    }

    /// A value as pretty JSON with a final newline.
    pub fn json_pretty(&mut self, value: &impl Serialize) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut self.out, value)?;
        self.out.write_all(b"\n")
    }

    pub fn bytes(&mut self, b: &[u8]) -> io::Result<()> {
        self.out.write_all(b)
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_pipe_is_found_behind_context() {
        let err = anyhow::Error::from(io::Error::from(io::ErrorKind::BrokenPipe))
            .context("writing the timeline");
        assert!(is_broken_pipe(&err));
        let other = anyhow::Error::from(io::Error::from(io::ErrorKind::PermissionDenied));
        assert!(!is_broken_pipe(&other));
    }

    #[test]
    fn a_closed_pipe_under_the_json_writer_is_still_a_broken_pipe() {
        let t = timeline::build(Vec::new());
        let err = write_timeline(&t, &TimelineFormat::Json, Closed).unwrap_err();
        assert!(is_broken_pipe(&err), "{err:?}");
    }

    struct Closed;

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn serde_json_hands_back_the_io_error_it_met() {
        let err = serde_json::to_writer(Closed, &[1, 2, 3]).unwrap_err();
        assert_eq!(io::Error::from(err).kind(), io::ErrorKind::BrokenPipe);
    }
}
