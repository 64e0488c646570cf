//! One-line messages for people on stderr: `casrep: PATH: problem`.
//!
//! One bad file never stops the batch: the stage that meets it reports it here and goes on, and
//! `had_errors` tells `main` at the end whether the exit status must say that something failed.
//! Shared by reference between worker threads, so everything here takes `&self`.

use std::fmt::{self, Write as _};
use std::io::{self, Write as _};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

/// The reporter every stage shares; see the module docs.
#[derive(Debug)]
pub struct Messages {
    /// Silences notes and warnings; errors always print, since they change the exit status.
    quiet: bool,
    errored: AtomicBool,
    /// Lines kept in memory instead of printed, so tests can look at them (test builds only).
    sink: Option<Mutex<Vec<String>>>,
    /// Prints a line instead of a plain write to stderr: set while a progress bar is drawn
    /// there, which must be cleared before a line and drawn again after it.
    printer: OnceLock<Printer>,
}

/// See [`Messages::print_through`].
struct Printer(Box<dyn Fn(&str) + Send + Sync>);

impl fmt::Debug for Printer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Printer")
    }
}

impl Messages {
    /// A reporter that prints on stderr.
    pub fn new(quiet: bool) -> Messages {
        Messages {
            quiet,
            errored: AtomicBool::new(false),
            sink: None,
            printer: OnceLock::new(),
        }
    }

    /// A reporter that keeps its lines in memory (see [`Messages::lines`]) instead of printing.
    pub fn capturing() -> Messages {
        Messages {
            quiet: false,
            errored: AtomicBool::new(false),
            sink: Some(Mutex::new(Vec::new())),
            printer: OnceLock::new(),
        }
    }

    /// Prints every later line with `print` (one line, without its newline) instead of writing
    /// it to stderr: a progress bar on stderr clears itself, prints and redraws. Only the first
    /// call counts.
    pub fn print_through(&self, print: impl Fn(&str) + Send + Sync + 'static) {
        let _ = self.printer.set(Printer(Box::new(print)));
    }

    /// Something skipped on purpose (a hidden or binary file, a FIFO); silenced by quiet.
    pub fn note(&self, path: impl AsRef<Path>, msg: impl fmt::Display) {
        if !self.quiet {
            self.emit(path.as_ref(), &msg);
        }
    }

    /// Something read, but maybe not as the author meant (a fallback decoding); silenced by quiet.
    pub fn warn(&self, path: impl AsRef<Path>, msg: impl fmt::Display) {
        if !self.quiet {
            self.emit(path.as_ref(), &msg);
        }
    }

    /// An input that could not be read: always printed, and remembered for the exit status.
    pub fn error(&self, path: impl AsRef<Path>, msg: impl fmt::Display) {
        self.errored.store(true, Ordering::Relaxed);
        self.emit(path.as_ref(), &msg);
    }

    /// Whether any error was reported, so the run must end with a failure status.
    pub fn had_errors(&self) -> bool {
        self.errored.load(Ordering::Relaxed)
    }

    /// The lines captured so far; empty for a reporter made with [`Messages::new`].
    pub fn lines(&self) -> Vec<String> {
        match &self.sink {
            Some(sink) => lock(sink).clone(),
            None => Vec::new(),
        }
    }

    fn emit(&self, path: &Path, msg: &dyn fmt::Display) {
        let line = format_line(path, msg);
        match (&self.sink, self.printer.get()) {
            (Some(sink), _) => lock(sink).push(line),
            (None, Some(printer)) => (printer.0)(&line),
            (None, None) => {
                // One write per line keeps lines from threads whole. A closed stderr must not
                // end the run (eprintln! would panic), and there is nowhere left to report it.
                let _ = writeln!(io::stderr().lock(), "{line}");
            }
        }
    }
}

/// A count and its noun in the number the count needs: "1 day", "2 days", "0 files". The noun
/// is given in both forms, since English plurals are not all an added "s" ("1 entry", "2
/// entries").
pub fn plural(n: impl fmt::Display, one: &str, many: &str) -> String {
    let n = n.to_string();
    let word = if n == "1" || n == "-1" { one } else { many };
    format!("{n} {word}")
}

/// Locks the sink even if a thread panicked while holding it: a list of lines cannot be left
/// half-changed, and the messages are needed most after something went wrong.
/// An I/O error as the rest of a message: "No space left on device (os error 28)" → "no space
/// left on device", to read like the other messages (`casrep: PATH: problem`), with nothing of
/// Rust's own wording.
pub fn describe_io(err: &io::Error) -> String {
    let text = err.to_string();
    let text = match text.rfind(" (os error ") {
        Some(at) => &text[..at],
        None => &text,
    };
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

fn lock(sink: &Mutex<Vec<String>>) -> std::sync::MutexGuard<'_, Vec<String>> {
    sink.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `casrep: PATH: msg`, with the path lossy if not UTF-8 and control characters escaped, so that a
/// file name holding a newline still gives one line.
fn format_line(path: &Path, msg: &dyn fmt::Display) -> String {
    let mut line = String::from("casrep: ");
    push_escaped(&mut line, &path.to_string_lossy());
    line.push_str(": ");
    push_escaped(&mut line, &msg.to_string());
    line
}

fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        if c.is_control() {
            let _ = write!(out, "{}", c.escape_debug());
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiet_capturing() -> Messages {
        Messages {
            quiet: true,
            ..Messages::capturing()
        }
    }

    #[test]
    fn plural_takes_the_singular_only_for_one() {
        assert_eq!(plural(1, "day", "days"), "1 day");
        assert_eq!(plural(-1i64, "day", "days"), "-1 day");
        assert_eq!(plural(2u64, "day", "days"), "2 days");
        assert_eq!(plural(0usize, "file", "files"), "0 files");
        assert_eq!(plural(11, "NUL byte", "NUL bytes"), "11 NUL bytes");
    }

    #[test]
    fn messages_can_be_shared_between_threads() {
        fn assert_sync_send<T: Sync + Send>() {}
        assert_sync_send::<Messages>();
    }

    #[test]
    fn line_names_the_path_then_the_problem() {
        let messages = Messages::capturing();
        messages.warn("articles/b.txt", "not valid UTF-8, read as windows-1252");
        assert_eq!(
            messages.lines(),
            ["casrep: articles/b.txt: not valid UTF-8, read as windows-1252"]
        );
    }

    #[test]
    fn only_errors_set_the_failure_flag() {
        let messages = Messages::capturing();
        messages.note("a", "binary file, skipped");
        messages.warn("b", "read as windows-1252");
        assert!(!messages.had_errors());
        messages.error("c", "permission denied");
        assert!(messages.had_errors());
    }

    #[test]
    fn quiet_silences_notes_and_warnings_but_not_errors() {
        let messages = quiet_capturing();
        messages.note("a", "skipped");
        messages.warn("b", "fallback");
        messages.error("c", "permission denied");
        assert_eq!(messages.lines(), ["casrep: c: permission denied"]);
        assert!(messages.had_errors());
    }

    #[test]
    fn newline_in_path_stays_on_one_line() {
        let messages = Messages::capturing();
        messages.note("a\nb.txt", "skipped");
        assert_eq!(messages.lines(), ["casrep: a\\nb.txt: skipped"]);
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_path_is_printed_lossily() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let messages = Messages::capturing();
        messages.error(Path::new(OsStr::from_bytes(b"caf\xe9.txt")), "gone");
        assert_eq!(messages.lines(), ["casrep: caf\u{FFFD}.txt: gone"]);
    }

    #[test]
    fn threads_each_get_whole_lines() {
        let messages = Messages::capturing();
        std::thread::scope(|s| {
            for t in 0..4 {
                let messages = &messages;
                s.spawn(move || {
                    for i in 0..50 {
                        messages.note(format!("t{t}"), format!("line {i}"));
                    }
                });
            }
        });
        let lines = messages.lines();
        assert_eq!(lines.len(), 200);
        assert!(lines.iter().all(|l| l.starts_with("casrep: t")));
    }
}
