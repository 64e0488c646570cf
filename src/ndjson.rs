//! NDJSON written by `casrep extract`, read back: lines of bounded length, each a figure, a
//! blank line, or a problem to report as `FILE:LINE: problem`.

use std::io::{self, BufRead, Read};

use crate::figure::{date_out_of_range, Figure};

/// The longest NDJSON line read; a longer one is reported and skipped. A figure is a few
/// hundred bytes, so this is only there to bound memory on a file that is not NDJSON at all.
pub const MAX_LINE_BYTES: u64 = 16 << 20;

/// One NDJSON line: a figure, nothing (a blank line), or what is wrong with it.
pub fn parse_figure(line: Result<&[u8], String>) -> Result<Option<Figure>, String> {
    let line = line?;
    let text = std::str::from_utf8(line).map_err(|_| "not valid UTF-8".to_owned())?;
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let figure: Figure =
        serde_json::from_str(text).map_err(|e| format!("not a casrep figure: {e}"))?;
    if let Some(problem) = figure.date.and_then(date_out_of_range) {
        return Err(format!("not a casrep figure: date {problem}"));
    }
    crate::timeline::check_figure(&figure).map_err(|e| format!("not a casrep figure: {e}"))?;
    Ok(Some(figure))
}

/// Lines of at most [`MAX_LINE_BYTES`], numbered from 1, with a UTF-8 BOM on the first dropped.
pub struct NdjsonLines<R> {
    reader: R,
    buf: Vec<u8>,
    number: usize,
}

impl<R: BufRead> NdjsonLines<R> {
    pub fn new(reader: R) -> Self {
        NdjsonLines {
            reader,
            buf: Vec::new(),
            number: 0,
        }
    }

    /// The next line's number and bytes (without the line end), or the problem with it.
    #[allow(clippy::type_complexity)]
    pub fn next_line(&mut self) -> io::Result<Option<(usize, Result<&[u8], String>)>> {
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
}
