//! The figures of every input, in input order, handed on in batches: articles are read and
//! extracted in parallel, NDJSON written by `casrep extract` is read back line by line.
//!
//! Order: inputs are taken in the sorted order `inputs::discover` gives; a batch of articles is
//! extracted by the worker threads and its figures are put back in input order before the batch
//! is handed on, so the output does not depend on the number of threads (`-j 1` and `-j 8` give
//! the same bytes).
//!
//! Progress: every input counts on the bar of `progress` as it finishes (shown on a terminal
//! for runs over a second; nothing on stdout).
//!
//! Memory: one thread produces batches while the caller consumes them, through a queue of
//! [`QUEUE_BATCHES`]; so at most a few batches of figures are held at once, whatever the size of
//! the corpus (plus the list of input paths).

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, SyncSender};

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::atomic::describe;
use crate::config::InputSettings;
use crate::extract;
use crate::figure::{article_hash, date_out_of_range, Figure};
use crate::inputs::{self, display_path, Source, STDIN_PATH};
use crate::messages::Messages;
use crate::ndjson::{parse_figure, NdjsonLines};
use crate::progress::Progress;
use crate::windows::{self, WINDOW_BYTES};

/// Articles per batch: enough to keep every worker busy and make the pause at the end of a
/// batch (waiting for its slowest article) small, few enough to keep memory small.
const BATCH_DOCS: usize = 256;

/// Articles gathered together by one worker: a batch is shared among the workers this many at
/// a time, small enough to balance slow articles, large enough that a partial timeline of them
/// is worth building.
const CHUNK_DOCS: usize = 32;

/// Figures per batch read from NDJSON.
const BATCH_FIGURES: usize = 8192;

/// Batches done and waiting for the consumer.
const QUEUE_BATCHES: usize = 2;

/// Whether an input may be longer than a window, and so is read window by window: a file
/// whose size says so, or standard input, whose size is unknown until it is read.
fn is_large(source: &Source) -> bool {
    match source {
        Source::Stdin => true,
        Source::File(p) => std::fs::metadata(p).is_ok_and(|m| m.len() > WINDOW_BYTES as u64),
    }
}

/// Which inputs are NDJSON written by `casrep extract` rather than articles: all of them
/// (`--from-ndjson`), those with a .ndjson or .jsonl extension, and `files`, found so by their
/// content.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ndjson<'a> {
    pub all: bool,
    pub files: &'a [PathBuf],
}

/// How one input is read.
fn is_ndjson(source: &Source, ndjson: Ndjson) -> bool {
    ndjson.all
        || matches!(source, Source::File(p) if p
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ndjson") || e.eq_ignore_ascii_case("jsonl"))
            || ndjson.files.contains(p))
}

/// Calls `sink` with the figures of every source, in order, batch by batch (never with an empty
/// batch). Inputs that cannot be read are reported through `messages` and skipped. An error from
/// `sink` (a closed stdout) stops the run and is returned.
pub fn for_each_batch(
    settings: &InputSettings,
    sources: Vec<Source>,
    from_ndjson: bool,
    messages: &Messages,
    sink: impl FnMut(Vec<Figure>) -> Result<()>,
) -> Result<()> {
    let ndjson = Ndjson {
        all: from_ndjson,
        files: &[],
    };
    for_each_batch_of(settings, sources, ndjson, messages, sink)
}

/// [`for_each_batch`], with the NDJSON inputs named.
pub fn for_each_batch_of(
    settings: &InputSettings,
    sources: Vec<Source>,
    ndjson: Ndjson,
    messages: &Messages,
    sink: impl FnMut(Vec<Figure>) -> Result<()>,
) -> Result<()> {
    fold_batches(settings, sources, ndjson, messages, |figures| figures, sink)
}

/// Like [`for_each_batch_of`], but each batch's figures are first turned into a `T` by
/// `gather`, in the worker threads (a few dozen articles at a time), and `sink` gets the `T`s
/// in input order: so the work of folding figures into, say, a partial timeline is shared by
/// the workers, and the consumer only combines.
pub fn fold_batches<T: Send>(
    settings: &InputSettings,
    sources: Vec<Source>,
    ndjson: Ndjson,
    messages: &Messages,
    gather: impl Fn(Vec<Figure>) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<()>,
) -> Result<()> {
    // One article needs no pool: starting the threads costs more than the article (a tenth of
    // a one-file run).
    // A single long file is read by all workers, window by window.
    let single_long = sources.len() == 1 && is_large(&sources[0]);
    let one_long_file = single_long && matches!(&sources[0], Source::File(_));
    // One article read whole (no NDJSON, no windows: standard input is read in windows) is one
    // batch, so it needs no producer thread either.
    let one_batch =
        sources.len() <= 1 && !single_long && !sources.iter().any(|s| is_ndjson(s, ndjson));
    let jobs = if sources.len() <= 1 && !one_long_file {
        1
    } else {
        settings.jobs
    };
    let pool = match jobs {
        1 => None,
        n => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .thread_name(|i| format!("casrep-worker-{i}"))
                .build()
                .context("starting worker threads")?,
        ),
    };
    let progress = Progress::new(sources.len(), settings.quiet, messages);
    let producer = Producer {
        settings,
        ndjson,
        messages,
        pool: pool.as_ref(),
        progress: &progress,
        gather: &gather,
    };
    if one_batch {
        // Read here, without a producer thread (whose start and memory arena cost a one-file
        // run more than the article). Its one batch fits the channel, as nothing reads it yet.
        let (tx, rx) = sync_channel(1);
        producer.run(&sources, &tx);
        drop(tx);
        for part in rx.into_iter().flatten() {
            sink(part)?;
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel(QUEUE_BATCHES);
        scope.spawn(move || producer.run(&sources, &tx));
        // On an error `rx` is dropped on return, before the scope joins the producer, whose
        // next send then fails and stops it.
        for batch in rx {
            for part in batch {
                sink(part)?;
            }
        }
        Ok(())
    })
}

struct Producer<'a, G> {
    settings: &'a InputSettings,
    ndjson: Ndjson<'a>,
    messages: &'a Messages,
    pool: Option<&'a rayon::ThreadPool>,
    progress: &'a Progress,
    gather: &'a G,
}

/// Hands a batch on; false once the consumer has stopped.
fn send<T>(tx: &SyncSender<Vec<T>>, batch: Vec<T>) -> bool {
    batch.is_empty() || tx.send(batch).is_ok()
}

impl<T: Send, G: Fn(Vec<Figure>) -> T + Sync> Producer<'_, G> {
    fn run(&self, sources: &[Source], tx: &SyncSender<Vec<T>>) {
        let mut articles: Vec<&Source> = Vec::with_capacity(BATCH_DOCS);
        for source in sources {
            if is_ndjson(source, self.ndjson) {
                if !send(tx, self.extract(&mut articles)) {
                    return;
                }
                let go_on = self.read_ndjson(source, tx);
                self.progress.inc();
                if !go_on {
                    return;
                }
                continue;
            }
            if is_large(source) {
                // Read alone, window by window, its figures handed on as they come.
                if !send(tx, self.extract(&mut articles)) || !self.extract_large(source, tx) {
                    return;
                }
                continue;
            }
            articles.push(source);
            if articles.len() == BATCH_DOCS && !send(tx, self.extract(&mut articles)) {
                return;
            }
        }
        send(tx, self.extract(&mut articles));
    }

    /// The figures of one article.
    fn extract_one(&self, source: &Source) -> Vec<Figure> {
        let figures = match inputs::read(source, self.messages) {
            Some(doc) => {
                let s = self.settings;
                let extraction =
                    extract::extract_with_notes(s.lexicon, &doc.path, &doc.text, &s.options);
                for note in &extraction.notes {
                    self.messages.note(&doc.path, note);
                }
                let mut figures = extraction.figures;
                undate_out_of_range(&mut figures);
                // The article's identity, whatever its path (see `timeline`).
                let hash = article_hash(&doc.text);
                for f in &mut figures {
                    f.hash = Some(hash.clone());
                }
                figures
            }
            None => Vec::new(),
        };
        self.progress.inc();
        figures
    }

    /// A batch of articles, gathered [`CHUNK_DOCS`] at a time in input order (chunks without
    /// a figure give nothing); empties the batch.
    fn extract(&self, articles: &mut Vec<&Source>) -> Vec<T> {
        let chunk = |docs: &[&Source]| -> Option<T> {
            let figures: Vec<Figure> = docs.iter().flat_map(|s| self.extract_one(s)).collect();
            (!figures.is_empty()).then(|| (self.gather)(figures))
        };
        let parts: Vec<Option<T>> = match self.pool {
            Some(pool) => pool.install(|| articles.par_chunks(CHUNK_DOCS).map(chunk).collect()),
            None => articles.chunks(CHUNK_DOCS).map(chunk).collect(),
        };
        articles.clear();
        parts.into_iter().flatten().collect()
    }

    /// Reads a document that may be longer than a window (see `windows`): its windows are
    /// read by the workers a few at a time, and their figures handed on in order, so that
    /// neither the work nor the figures of the whole file are held at once. False once the
    /// consumer has stopped.
    fn extract_large(&self, source: &Source, tx: &SyncSender<Vec<T>>) -> bool {
        let doc = inputs::read(source, self.messages);
        let Some(doc) = doc else {
            self.progress.inc();
            return true;
        };
        let s = self.settings;
        let text = doc.text.as_str();
        let all = windows::windows(text, WINDOW_BYTES);
        let header = windows::header_end(text, &all[0]);
        // The line each window starts on, counted once through the document.
        let mut first_lines = Vec::with_capacity(all.len());
        let mut line = 1;
        let mut at = 0;
        for w in &all {
            line += windows::line_breaks(text, at, w.start);
            at = w.start;
            first_lines.push(line);
        }
        // The article's identity, whatever its path (see `timeline`).
        let hash = article_hash(text);
        let in_flight = 2 * s.jobs.max(1);
        for (group, lines) in all.chunks(in_flight).zip(first_lines.chunks(in_flight)) {
            let one = |(w, &first_line): (&std::ops::Range<usize>, &usize)| {
                let extraction = windows::extract_window(
                    s.lexicon, &doc.path, text, &s.options, w, header, first_line,
                );
                for note in &extraction.notes {
                    self.messages.note(&doc.path, note);
                }
                let mut figures = extraction.figures;
                undate_out_of_range(&mut figures);
                figures
            };
            let per_window: Vec<Vec<Figure>> = match self.pool {
                Some(pool) => pool.install(|| group.par_iter().zip(lines).map(one).collect()),
                None => group.iter().zip(lines).map(one).collect(),
            };
            let mut figures = per_window.concat();
            for f in &mut figures {
                f.hash = Some(hash.clone());
            }
            if !self.send_figures(tx, &mut figures) {
                return false;
            }
        }
        self.progress.inc();
        true
    }

    /// Streams the figures of one NDJSON input in batches; false once the consumer has stopped.
    /// A line that is not a figure is reported as `FILE:LINE: problem` and skipped.
    fn read_ndjson(&self, source: &Source, tx: &SyncSender<Vec<T>>) -> bool {
        let (path, reader): (String, io::Result<Box<dyn Read>>) = match source {
            Source::Stdin => (STDIN_PATH.to_owned(), Ok(Box::new(io::stdin().lock()))),
            Source::File(p) => (
                display_path(p),
                File::open(p).map(|f| Box::new(f) as Box<dyn Read>),
            ),
        };
        let reader = match reader {
            Ok(r) => r,
            Err(e) => {
                self.messages.error(&path, describe(&e));
                return true;
            }
        };
        let mut lines = NdjsonLines::new(BufReader::with_capacity(1 << 16, reader));
        let mut batch = Vec::new();
        loop {
            let (number, line) = match lines.next_line() {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err(e) => {
                    self.messages.error(&path, describe(&e));
                    break;
                }
            };
            match parse_figure(line) {
                Ok(None) => {}
                Ok(Some(figure)) => {
                    batch.push(figure);
                    if batch.len() == BATCH_FIGURES && !self.send_figures(tx, &mut batch) {
                        return false;
                    }
                }
                Err(problem) => self.messages.error(format!("{path}:{number}"), problem),
            }
        }
        self.send_figures(tx, &mut batch)
    }

    /// Gathers NDJSON figures and hands them on (nothing when there are none); empties them.
    fn send_figures(&self, tx: &SyncSender<Vec<T>>, figures: &mut Vec<Figure>) -> bool {
        if figures.is_empty() {
            return true;
        }
        send(tx, vec![(self.gather)(std::mem::take(figures))])
    }
}

/// Leaves undated the figures an article dates outside the dates casrep reads (a header
/// "Published: 9999-12-31"): such a date is a typo, and a wrong date is worse than none.
fn undate_out_of_range(figures: &mut [Figure]) {
    for f in figures {
        if let Some(problem) = f.date.and_then(date_out_of_range) {
            f.date = None;
            f.date_basis = format!("not dated: {problem} (from {})", f.date_basis);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn a_figure_dated_outside_the_war_is_refused_naming_the_date() {
        let lex = crate::lexicon::Lexicon::builtin();
        let text = "Published: 2023-02-22\n\nRussia has lost 3,334 tanks, Kyiv said.\n";
        let mut f = extract::extract(lex, "a.txt", text, &extract::Options::default()).remove(0);
        assert!(parse_figure(Ok(serde_json::to_string(&f).unwrap().as_bytes())).is_ok());
        f.date = chrono::NaiveDate::from_ymd_opt(-262143, 1, 1);
        let line = serde_json::to_string(&f).unwrap();
        let err = parse_figure(Ok(line.as_bytes())).unwrap_err();
        assert!(
            err.contains("date -262143-01-01 is outside the dates casrep reads"),
            "{err}"
        );
    }

    #[test]
    fn an_article_dated_outside_the_war_gives_undated_figures_saying_why() {
        let lex = crate::lexicon::Lexicon::builtin();
        // 145,060 troops is below what the count had reached by the last date known, not below
        // the first report's: undated, it is a figure.
        let text =
            "Published: 9999-12-31\n\nRussia has lost 13,334 tanks and 145,060 troops, Kyiv said.\n";
        let mut figures = extract::extract(lex, "a.txt", text, &extract::Options::default());
        assert_eq!(figures.len(), 2, "{figures:?}");
        undate_out_of_range(&mut figures);
        assert_eq!(figures[0].date, None);
        assert!(
            figures[0]
                .date_basis
                .starts_with("not dated: 9999-12-31 is outside the dates casrep reads"),
            "{}",
            figures[0].date_basis
        );
    }

    #[test]
    fn ndjson_is_chosen_by_flag_or_extension() {
        let file = |p: &str| Source::File(PathBuf::from(p));
        let flag = |all| Ndjson { all, files: &[] };
        assert!(is_ndjson(&file("a.ndjson"), flag(false)));
        assert!(is_ndjson(&file("a.JSONL"), flag(false)));
        assert!(!is_ndjson(&file("a.txt"), flag(false)));
        assert!(!is_ndjson(&Source::Stdin, flag(false)));
        assert!(is_ndjson(&Source::Stdin, flag(true)));
        let found = [PathBuf::from("figures.json")];
        let files = Ndjson {
            all: false,
            files: &found,
        };
        assert!(is_ndjson(&file("figures.json"), files));
        assert!(!is_ndjson(&file("other.json"), files));
    }
}
