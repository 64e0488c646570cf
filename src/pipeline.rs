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
use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, SyncSender};

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::atomic::describe;
use crate::config::InputSettings;
use crate::extract;
use crate::figure::{article_hash, Figure};
use crate::inputs::{self, display_path, Source, STDIN_PATH};
use crate::messages::Messages;
use crate::progress::Progress;

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

/// The longest NDJSON line read; a longer one is reported and skipped. A figure is a few
/// hundred bytes, so this is only there to bound memory on a file that is not NDJSON at all.
const MAX_LINE_BYTES: u64 = 16 << 20;

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
    let jobs = if sources.len() <= 1 { 1 } else { settings.jobs };
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
                let mut figures = extract::extract(s.lexicon, &doc.path, &doc.text, &s.options);
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

/// One NDJSON line: a figure, nothing (a blank line), or what is wrong with it.
fn parse_figure(line: Result<&[u8], String>) -> Result<Option<Figure>, String> {
    let line = line?;
    let text = std::str::from_utf8(line).map_err(|_| "not valid UTF-8".to_owned())?;
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let figure: Figure =
        serde_json::from_str(text).map_err(|e| format!("not a casrep figure: {e}"))?;
    crate::timeline::check_figure(&figure).map_err(|e| format!("not a casrep figure: {e}"))?;
    Ok(Some(figure))
}

/// Lines of at most [`MAX_LINE_BYTES`], numbered from 1, with a UTF-8 BOM on the first dropped.
struct NdjsonLines<R> {
    reader: R,
    buf: Vec<u8>,
    number: usize,
}

impl<R: BufRead> NdjsonLines<R> {
    fn new(reader: R) -> Self {
        NdjsonLines {
            reader,
            buf: Vec::new(),
            number: 0,
        }
    }

    /// The next line's number and bytes (without the line end), or the problem with it.
    #[allow(clippy::type_complexity)]
    fn next_line(&mut self) -> io::Result<Option<(usize, Result<&[u8], String>)>> {
        self.buf.clear();
        let n = (&mut self.reader)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut self.buf)?;
        if n == 0 {
            return Ok(None);
        }
        self.number += 1;
        if self.buf.last() != Some(&b'\n') && self.buf.len() as u64 > MAX_LINE_BYTES {
            // Skip the rest of the line without holding it.
            loop {
                let available = self.reader.fill_buf()?;
                if available.is_empty() {
                    break;
                }
                match available.iter().position(|&b| b == b'\n') {
                    Some(at) => {
                        self.reader.consume(at + 1);
                        break;
                    }
                    None => {
                        let len = available.len();
                        self.reader.consume(len);
                    }
                }
            }
            let problem = format!("line longer than {} MiB, skipped", MAX_LINE_BYTES >> 20);
            return Ok(Some((self.number, Err(problem))));
        }
        let mut line = self.buf.as_slice();
        if self.number == 1 {
            line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        }
        Ok(Some((self.number, Ok(line))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn lines_of(bytes: &[u8]) -> Vec<(usize, Result<String, String>)> {
        let mut lines = NdjsonLines::new(bytes);
        let mut out = Vec::new();
        while let Some((n, line)) = lines.next_line().unwrap() {
            out.push((n, line.map(|l| String::from_utf8_lossy(l).into_owned())));
        }
        out
    }

    #[test]
    fn ndjson_lines_are_numbered_from_one_without_bom() {
        let lines = lines_of(b"\xEF\xBB\xBF{}\n\n{\"a\":1}");
        assert_eq!(
            lines,
            [
                (1, Ok("{}\n".to_owned())),
                (2, Ok("\n".to_owned())),
                (3, Ok("{\"a\":1}".to_owned()))
            ]
        );
    }

    #[test]
    fn an_overlong_line_is_skipped_and_the_next_one_read() {
        let mut bytes = vec![b'x'; (MAX_LINE_BYTES + 10) as usize];
        bytes.extend_from_slice(b"\nnext\n");
        let lines = lines_of(&bytes);
        assert_eq!(lines.len(), 2);
        assert!(lines[0]
            .1
            .as_ref()
            .unwrap_err()
            .contains("longer than 16 MiB"));
        assert_eq!(lines[1], (2, Ok("next\n".to_owned())));
    }

    #[test]
    fn a_blank_line_is_no_figure_and_no_error() {
        assert_eq!(parse_figure(Ok(b"  \r\n")), Ok(None));
    }

    #[test]
    fn a_line_that_is_not_a_figure_says_why() {
        let err = parse_figure(Ok(b"{\"file\":\"a.txt\"}\n")).unwrap_err();
        assert!(
            err.starts_with("not a casrep figure: missing field"),
            "{err}"
        );
        assert_eq!(parse_figure(Ok(b"\xff\n")).unwrap_err(), "not valid UTF-8");
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
