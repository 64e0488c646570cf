//! Long documents read in windows, so that the memory a worker needs does not grow with the size
//! of the file.
//!
//! Extraction holds about 30 bytes of tokens, sentences and marks for every byte of text it
//! reads (a 50 MB article peaked at 1.6 GB). A document longer than [`WINDOW_BYTES`] is cut at
//! paragraph breaks (else line breaks, else sentence ends, else spaces between words) into windows
//! of at most that size, and each window is read as an article of its own, with the document's
//! first lines (its header: title, date line, dateline) in front of it, so that every window is
//! dated as the whole document would be. Offsets and line numbers are those of the document, and
//! every quote is still the bytes at start..end.
//!
//! The price, for documents over a window only: what an article carries from one paragraph to
//! a later one across a window's edge is not carried (a claimant named once for the whole
//! article, a hedged figure folded into an exact one said far away).

use std::ops::Range;

use crate::extract::{extract, extract_with_notes, Extraction, Options};
use crate::lexicon::Lexicon;

/// The longest text read at once: a window is 1 MiB, about 150,000 words, far more than any news
/// article.
pub const WINDOW_BYTES: usize = 1 << 20;

/// How much of the document's start is its header, put in front of every later window: the
/// first lines where a document date is looked for.
const HEADER_LINES: usize = 12;
const HEADER_BYTES: usize = 4 << 10;

/// The windows of `text`, in order, each at most `size` bytes (unless a single character is
/// longer), covering it exactly.
pub fn windows(text: &str, size: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while text.len() - start > size {
        let cut = cut_point(text, start, size);
        out.push(start..cut);
        start = cut;
    }
    if start < text.len() || out.is_empty() {
        out.push(start..text.len());
    }
    out
}

/// Where the window starting at `start` ends: after the last paragraph break in its second
/// half, else after a line break, a sentence end or a space between words (never between two
/// digits, which may be "145 060"), else at the last character boundary.
fn cut_point(text: &str, start: usize, size: usize) -> usize {
    let mut limit = start + size;
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let mut low = start + size / 2;
    while !text.is_char_boundary(low) {
        low += 1;
    }
    let span = &text[low..limit];
    let after = |at: usize, len: usize| low + at + len;
    let paragraph = [("\n\n", 2), ("\n\r\n", 3)]
        .into_iter()
        .filter_map(|(gap, len)| span.rfind(gap).map(|at| after(at, len)))
        .max();
    if let Some(cut) = paragraph {
        return cut;
    }
    if let Some(at) = span.rfind('\n') {
        return after(at, 1);
    }
    if let Some(at) = span.rfind(". ") {
        return after(at, 2);
    }
    let b = text.as_bytes();
    let between_words = span.bytes().enumerate().rev().find(|&(k, c)| {
        let at = low + k;
        c == b' '
            && !(at > 0
                && b[at - 1].is_ascii_digit()
                && b.get(at + 1).is_some_and(u8::is_ascii_digit))
    });
    match between_words {
        Some((k, _)) => low + k + 1,
        None if limit > start => limit,
        // A window smaller than one character: take the character.
        _ => {
            let mut end = start + 1;
            while !text.is_char_boundary(end) {
                end += 1;
            }
            end
        }
    }
}

/// The end of the document's header: its first lines, as far as they fit in a few KiB and in
/// the first window. A first line too long for that (a document on one line) gives its
/// sentences that fit: what a date stated there carries to the sentences after it, it carries
/// to every window.
pub fn header_end(text: &str, first_window: &Range<usize>) -> usize {
    let mut end = 0;
    for (n, line) in text[first_window.clone()].split_inclusive('\n').enumerate() {
        if n == HEADER_LINES || end + line.len() > HEADER_BYTES {
            if n == 0 {
                let mut limit = HEADER_BYTES.min(first_window.end);
                while !text.is_char_boundary(limit) {
                    limit -= 1;
                }
                return text[..limit].rfind(". ").map_or(0, |at| at + 2);
            }
            break;
        }
        end += line.len();
    }
    end
}

/// Line breaks before `offset`, counted as `LineIndex` counts them (CRLF once, a lone CR too).
pub fn line_breaks(text: &str, from: usize, to: usize) -> usize {
    let b = &text.as_bytes()[from..to];
    let newlines = b.iter().filter(|&&c| c == b'\n').count();
    let lone_cr = b
        .iter()
        .enumerate()
        .filter(|&(k, &c)| c == b'\r' && b.get(k + 1) != Some(&b'\n'))
        .count();
    newlines + lone_cr
}

/// The figures of one window of `text` (as `windows` cut it), with the document's offsets and
/// line numbers: `first_line` is the line the window starts on, `header` the end of the
/// document's header (see [`header_end`]).
pub fn extract_window(
    lex: &Lexicon,
    file: &str,
    text: &str,
    opts: &Options,
    window: &Range<usize>,
    header: usize,
    first_line: usize,
) -> Extraction {
    if window.start == 0 {
        return extract_with_notes(lex, file, &text[window.clone()], opts);
    }
    // The header, a blank line (a paragraph of its own), then the window.
    let mut article = String::with_capacity(header + 2 + window.len());
    article.push_str(&text[..header]);
    if !article.ends_with('\n') && !article.is_empty() {
        article.push('\n');
    }
    article.push('\n');
    let prefix = article.len();
    let prefix_lines = line_breaks(&article, 0, prefix);
    article.push_str(&text[window.clone()]);
    let mut figures = extract(lex, file, &article, opts);
    figures.retain(|f| f.start >= prefix);
    for f in &mut figures {
        f.start = f.start - prefix + window.start;
        f.end = f.end - prefix + window.start;
        f.line = f.line - prefix_lines + first_line - 1;
    }
    // The notes on the document's date were given with the first window: it has the same head.
    Extraction {
        figures,
        notes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_the_text_at_paragraph_breaks_first() {
        let text = "aaaa bbbb.\n\ncccc dddd. eeee\nffff gggg hhhh";
        for size in 1..text.len() + 2 {
            let w = windows(text, size);
            assert_eq!(w.first().unwrap().start, 0);
            assert_eq!(w.last().unwrap().end, text.len());
            assert!(w
                .windows(2)
                .all(|p| p[0].end == p[1].start && p[0].start < p[0].end));
        }
        assert_eq!(windows(text, 16), [0..12, 12..28, 28..text.len()]);
    }

    #[test]
    fn a_window_is_never_cut_inside_a_spaced_number_or_a_character() {
        let text = "tanks 145 060 тисяч 7 8";
        // Windows of one or two words; smaller ones must cut somewhere.
        for size in 8..text.len() {
            for w in windows(text, size) {
                assert!(text.is_char_boundary(w.start) && text.is_char_boundary(w.end));
                let cut_in_number = w.end < text.len()
                    && text[..w.end].ends_with(' ')
                    && text.as_bytes()[w.end - 2].is_ascii_digit()
                    && text.as_bytes()[w.end].is_ascii_digit();
                assert!(!cut_in_number, "{size}: {w:?}");
            }
        }
    }

    #[test]
    fn windows_give_the_figures_of_the_whole_document_with_its_offsets_and_lines() {
        let lex = Lexicon::builtin();
        let mut text = String::from("Losses report\r\nPublished: 2023-02-22\r\n\r\n");
        for k in 0..40 {
            text.push_str(&format!(
                "Russia has lost {} troops and {} tanks, the General Staff said.\r\n\r\n",
                140_000 + k * 10,
                3000 + k
            ));
        }
        let opts = Options::default();
        let whole = extract(lex, "a.txt", &text, &opts);
        assert_eq!(whole.len(), 80);
        let w = windows(&text, 700);
        assert!(w.len() >= 4, "{w:?}");
        let header = header_end(&text, &w[0]);
        let mut parts = Vec::new();
        for window in &w {
            let first_line = 1 + line_breaks(&text, 0, window.start);
            parts.extend(
                extract_window(lex, "a.txt", &text, &opts, window, header, first_line).figures,
            );
        }
        assert_eq!(parts, whole);
    }

    #[test]
    fn a_document_on_one_line_is_dated_in_every_window_as_the_whole_is() {
        let lex = Lexicon::builtin();
        // A date in the first sentence, carried to every later one.
        let mut text = String::from(
            "Published 2023-02-22: Russia has lost 139,990 troops, the General Staff said. ",
        );
        for k in 0..150 {
            text.push_str(&format!(
                "Russia has lost {} troops and {} tanks, the General Staff said. ",
                140_000 + k * 10,
                3000 + k
            ));
        }
        let opts = Options::default();
        let whole = extract(lex, "a.txt", &text, &opts);
        assert!(whole.iter().all(|f| f.date.is_some()), "{:?}", whole[0]);
        let w = windows(&text, 5000);
        assert!(w.len() >= 2, "{w:?}");
        let header = header_end(&text, &w[0]);
        assert!(header > 0 && text[..header].ends_with(". "), "{header}");
        let mut parts = Vec::new();
        for window in &w {
            parts.extend(extract_window(lex, "a.txt", &text, &opts, window, header, 1).figures);
        }
        assert_eq!(parts, whole);
    }
}
