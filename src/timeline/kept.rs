//! The figures a timeline keeps whole (`undated`, `periods`, `bounds`), held so that memory
//! does not grow with the corpus: in memory up to [`SPILL_FIGURES`], then sorted and written
//! to a temporary file as a *run*; read back as one sorted stream that merges the runs.
//!
//! A figure is held in its canonical form, as the document prints it (a `hash` that is no
//! article hash is dropped), so that runs need no table of ids and any two of them merge.
//! The stream's order is that of the document: by file and position, then every other field
//! (strings compared as strings), so the order is total and equal figures lie side by side;
//! the stream drops each figure that repeats the one before it, and each figure without a hash
//! or a sentence that equals the next one but for them (the same figure of the same article,
//! read again by a casrep that writes them: see `articles`). Where the runs end depends on the order figures arrive in;
//! the stream does not.

use std::cmp::Ordering;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex};

use super::articles::{hash_text, parse_hash};
use crate::figure::Figure;

/// Figures held in memory before they are written out as a run (a few MB of figures).
const SPILL_FIGURES: usize = 4096;

/// Bytes read from a run at a time.
const READ_BYTES: usize = 1 << 15;

/// A list of figures kept whole; see the module docs.
#[derive(Clone, Debug, Default)]
pub(super) struct Kept {
    /// Not yet written out; sorted and each once when `sorted` is set.
    pending: Vec<Figure>,
    sorted: bool,
    runs: Vec<Arc<Run>>,
}

/// Sorted figures in a temporary file (deleted when the last handle goes), one JSON object a
/// line.
#[derive(Debug)]
struct Run {
    file: Mutex<File>,
    len: u64,
    count: usize,
}

/// The form a figure is kept and printed in.
pub(super) fn canonical(mut f: Figure) -> Figure {
    f.hash = parse_hash(f.hash.as_deref()).map(hash_text);
    f
}

/// The order of the document's figure lists.
fn order(a: &Figure, b: &Figure) -> Ordering {
    (a.file.as_str(), a.start, a.end, a.line, a.category.as_str())
        .cmp(&(b.file.as_str(), b.start, b.end, b.line, b.category.as_str()))
        .then_with(|| {
            (a.kind, a.days, a.value, a.qualifier).cmp(&(b.kind, b.days, b.value, b.qualifier))
        })
        .then_with(|| {
            (a.side.as_deref(), a.claimant.as_deref(), a.date).cmp(&(
                b.side.as_deref(),
                b.claimant.as_deref(),
                b.date,
            ))
        })
        .then_with(|| {
            (a.quote.as_str(), a.date_basis.as_str())
                .cmp(&(b.quote.as_str(), b.date_basis.as_str()))
        })
        .then_with(|| {
            (a.hash.as_deref(), a.lang.as_deref()).cmp(&(b.hash.as_deref(), b.lang.as_deref()))
        })
        .then_with(|| a.sentence.cmp(&b.sentence))
}

/// Whether `a` is `b` but for a hash or a sentence that `b` has and `a` lacks (casrep wrote
/// figures without them before 0.2 and 0.3): the same figure of the same article, read again.
fn covered_by(a: &Figure, b: &Figure) -> bool {
    let adds =
        (a.hash.is_none() && b.hash.is_some()) || (a.sentence.is_empty() && !b.sentence.is_empty());
    adds && (a.hash.is_none() || a.hash == b.hash)
        && (a.sentence.is_empty() || a.sentence == b.sentence)
        && Figure {
            hash: b.hash.clone(),
            sentence: b.sentence.clone(),
            ..a.clone()
        } == *b
}

impl Kept {
    /// How many figures were added (repeats included).
    pub(super) fn len(&self) -> usize {
        self.pending.len() + self.runs.iter().map(|r| r.count).sum::<usize>()
    }

    pub(super) fn push(&mut self, figure: Figure) {
        self.pending.push(canonical(figure));
        self.sorted = false;
        self.spill_if_full();
    }

    /// Adds the figures of `other`.
    pub(super) fn absorb(&mut self, other: Kept) {
        self.runs.extend(other.runs);
        if self.pending.is_empty() {
            self.pending = other.pending;
            self.sorted = other.sorted;
        } else if !other.pending.is_empty() {
            self.pending.extend(other.pending);
            self.sorted = false;
        }
        self.spill_if_full();
    }

    /// Sorts the figures in memory, each once.
    pub(super) fn normalise(&mut self) {
        if !self.sorted {
            self.pending.sort_by(order);
            self.pending.dedup();
            self.sorted = true;
        }
    }

    fn spill_if_full(&mut self) {
        if self.pending.len() < SPILL_FIGURES {
            return;
        }
        self.normalise();
        // A temporary file that cannot be written leaves the figures in memory: the same
        // output, only larger.
        if let Ok(run) = Run::write(&self.pending) {
            self.runs.push(Arc::new(run));
            self.pending = Vec::new();
        }
    }

    /// Every figure, in the document's order, each once (see the module docs).
    pub(super) fn figures(&self) -> impl Iterator<Item = Figure> + '_ {
        let pending: Box<dyn Iterator<Item = Figure> + '_> = if self.sorted {
            Box::new(self.pending.iter().cloned())
        } else {
            let mut sorted = self.pending.clone();
            sorted.sort_by(order);
            Box::new(sorted.into_iter())
        };
        let mut heads: Vec<Box<dyn Iterator<Item = Figure> + '_>> = self
            .runs
            .iter()
            .map(|run| Box::new(RunReader::new(run)) as Box<dyn Iterator<Item = Figure>>)
            .collect();
        heads.push(pending);
        let merged = Merge::new(heads);
        Canonical {
            merged: merged.peekable(),
        }
    }
}

impl Run {
    fn write(figures: &[Figure]) -> std::io::Result<Run> {
        let mut out = BufWriter::new(tempfile::tempfile()?);
        for f in figures {
            serde_json::to_writer(&mut out, f)?;
            out.write_all(b"\n")?;
        }
        let mut file = out.into_inner().map_err(|e| e.into_error())?;
        let len = file.stream_position()?;
        Ok(Run {
            file: Mutex::new(file),
            len,
            count: figures.len(),
        })
    }
}

/// The figures of one run, read a block at a time from its own offset (so that two readers of
/// one run do not disturb each other).
struct RunReader<'a> {
    run: &'a Run,
    at: u64,
    buf: Vec<u8>,
    start: usize,
}

impl<'a> RunReader<'a> {
    fn new(run: &'a Run) -> Self {
        RunReader {
            run,
            at: 0,
            buf: Vec::new(),
            start: 0,
        }
    }

    /// Reads more of the run; false at its end.
    fn fill(&mut self) -> bool {
        if self.at >= self.run.len {
            return false;
        }
        self.buf.drain(..self.start);
        self.start = 0;
        let want = READ_BYTES.min((self.run.len - self.at) as usize);
        let old = self.buf.len();
        self.buf.resize(old + want, 0);
        let mut file = self.run.file.lock().unwrap_or_else(|e| e.into_inner());
        file.seek(SeekFrom::Start(self.at))
            .and_then(|_| file.read_exact(&mut self.buf[old..]))
            .expect("the timeline's temporary file can be read back");
        self.at += want as u64;
        true
    }
}

impl Iterator for RunReader<'_> {
    type Item = Figure;

    fn next(&mut self) -> Option<Figure> {
        loop {
            if let Some(end) = self.buf[self.start..].iter().position(|&b| b == b'\n') {
                let line = &self.buf[self.start..self.start + end];
                let figure = serde_json::from_slice(line)
                    .expect("the timeline's temporary file holds the figures written to it");
                self.start += end + 1;
                return Some(figure);
            }
            if !self.fill() {
                return None;
            }
        }
    }
}

/// Sorted streams merged into one sorted stream.
struct Merge<'a> {
    heads: Vec<(Option<Figure>, Box<dyn Iterator<Item = Figure> + 'a>)>,
}

impl<'a> Merge<'a> {
    fn new(streams: Vec<Box<dyn Iterator<Item = Figure> + 'a>>) -> Self {
        let heads = streams
            .into_iter()
            .map(|mut s| (s.next(), s))
            .filter(|(head, _)| head.is_some())
            .collect();
        Merge { heads }
    }
}

impl Iterator for Merge<'_> {
    type Item = Figure;

    fn next(&mut self) -> Option<Figure> {
        // A handful of runs: the smallest head found by looking at each.
        let mut best: Option<usize> = None;
        for (k, (head, _)) in self.heads.iter().enumerate() {
            let Some(head) = head else { continue };
            if best.is_none_or(|b| {
                let other = self.heads[b].0.as_ref().expect("a head");
                order(head, other) == Ordering::Less
            }) {
                best = Some(k);
            }
        }
        let (head, stream) = &mut self.heads[best?];
        let next = stream.next();
        std::mem::replace(head, next)
    }
}

/// The merged stream with repeats and covered figures dropped.
struct Canonical<I: Iterator<Item = Figure>> {
    merged: std::iter::Peekable<I>,
}

impl<I: Iterator<Item = Figure>> Iterator for Canonical<I> {
    type Item = Figure;

    fn next(&mut self) -> Option<Figure> {
        loop {
            let figure = self.merged.next()?;
            while self.merged.next_if_eq(&figure).is_some() {}
            if self
                .merged
                .peek()
                .is_some_and(|next| covered_by(&figure, next))
            {
                continue;
            }
            return Some(figure);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::test_support::*;

    fn figures(n: usize) -> Vec<Figure> {
        (0..n)
            .map(|k| {
                let mut f = undated(fig(
                    &format!("f{:03}.txt", (k * 7919) % 331),
                    1 + k % 13,
                    "tanks",
                    Kind::Total,
                    1000 + (k % 17) as u64,
                    "2023-02-22",
                ));
                f.hash = (k % 3 == 0).then(|| crate::figure::article_hash(&f.file));
                f
            })
            .collect()
    }

    fn in_memory(list: &[Figure]) -> Vec<Figure> {
        let mut all: Vec<Figure> = list.iter().cloned().map(canonical).collect();
        all.sort_by(order);
        all.dedup();
        let covered: Vec<bool> = (0..all.len())
            .map(|i| all.get(i + 1).is_some_and(|n| covered_by(&all[i], n)))
            .collect();
        all.into_iter()
            .zip(covered)
            .filter(|(_, c)| !c)
            .map(|(f, _)| f)
            .collect()
    }

    #[test]
    fn spilled_runs_read_back_as_the_list_sorted_in_memory() {
        // Several runs, repeats across runs, and hashless copies of hashed figures.
        let mut list = figures(3 * SPILL_FIGURES + 100);
        let copies: Vec<Figure> = list
            .iter()
            .filter(|f| f.hash.is_some())
            .take(500)
            .map(|f| Figure {
                hash: None,
                ..f.clone()
            })
            .collect();
        list.extend(copies);
        list.extend(figures(2000));
        let mut kept = Kept::default();
        for f in list.iter().cloned() {
            kept.push(f);
        }
        assert!(kept.runs.len() >= 3);
        let expected = in_memory(&list);
        assert_eq!(kept.figures().collect::<Vec<_>>(), expected);
        kept.normalise();
        assert_eq!(kept.figures().collect::<Vec<_>>(), expected);
        // Read twice at once: each reader has its own place.
        let both: Vec<(Figure, Figure)> = kept.figures().zip(kept.figures()).collect();
        assert!(both.iter().all(|(a, b)| a == b) && both.len() == expected.len());
    }

    #[test]
    fn a_figure_read_again_with_its_sentence_replaces_the_one_without() {
        let old = undated(fig("a.txt", 4, "tanks", Kind::Total, 3334, "2023-02-22"));
        let old = Figure {
            hash: Some(crate::figure::article_hash("the article")),
            sentence: String::new(),
            ..old
        };
        let again = Figure {
            sentence: "Russia has lost 3334 tanks.".to_owned(),
            ..old.clone()
        };
        let hashless = Figure {
            hash: None,
            ..old.clone()
        };
        let mut kept = Kept::default();
        for f in [again.clone(), old, hashless] {
            kept.push(f);
        }
        assert_eq!(kept.figures().collect::<Vec<_>>(), [again]);
    }

    #[test]
    fn where_the_runs_end_does_not_change_the_stream() {
        let list = figures(2 * SPILL_FIGURES + 7);
        let mut one = Kept::default();
        for f in list.iter().cloned() {
            one.push(f);
        }
        // The same figures in another order, in small parts absorbed one by one.
        let mut parts = Kept::default();
        for chunk in list.iter().rev().cloned().collect::<Vec<_>>().chunks(333) {
            let mut part = Kept::default();
            for f in chunk.iter().cloned() {
                part.push(f);
            }
            part.normalise();
            parts.absorb(part);
        }
        parts.normalise();
        assert_eq!(
            one.figures().collect::<Vec<_>>(),
            parts.figures().collect::<Vec<_>>()
        );
    }
}
