//! Stage "inputs": find the input files, read them and decode them to UTF-8.
//!
//! Problems are reported through [`Messages`] and the run goes on: a missing path, an unreadable
//! or oversized file is an error (exit status 1 at the end); a hidden, binary or special file is
//! skipped with a note; a file read with a fallback decoding gets a warning. Nothing here writes
//! to stdout.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use ignore::{DirEntry, WalkBuilder};

use crate::messages::{plural, Messages};

/// The largest input read, in bytes. Each document is held whole in memory (the extractor needs
/// the full text for offsets and dates), so anything bigger is refused rather than loaded.
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// The display path of standard input, in output and messages.
pub const STDIN_PATH: &str = "<stdin>";

/// How many leading bytes are searched for a NUL to call a file binary (as git and ripgrep do).
const BINARY_SNIFF_BYTES: usize = 8 << 10;

/// One input to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    /// A path as the user gave it, or joined with the part found by walking a directory. Kept as
    /// a `PathBuf`, not a string, so that names that are not UTF-8 can still be opened.
    File(PathBuf),
}

/// One input, read and decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The path to show: as the user passed it, joined with the walked part, lossy if not UTF-8
    /// ([`display_path`]); [`STDIN_PATH`] for standard input.
    pub path: String,
    /// The text decoded to UTF-8, byte order mark removed, line ends (CRLF, lone CR) untouched.
    ///
    /// Byte offsets reported downstream are offsets into this text, not into the file. The two
    /// agree for UTF-8 files without a BOM; for a file with a BOM or in another encoding there is
    /// no single byte-for-byte mapping, and a quote must always equal `text[start..end]`.
    pub text: String,
}

/// The path as shown to people and in output: lossy UTF-8, so a name that is not UTF-8 still
/// prints (with U+FFFD for the bad bytes) while the `Source` keeps the real name to open it.
pub fn display_path(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Turns the command-line paths into the list of inputs, in a fixed order.
///
/// No paths, or `-`, means standard input. A file is taken as given, even if hidden or special
/// (so `<(cmd)` works; such a file is the user's explicit choice). A directory is walked
/// recursively (see `walk`). A path that does not exist is an error and the rest go on.
pub fn discover(paths: &[PathBuf], messages: &Messages) -> Vec<Source> {
    if paths.is_empty() {
        return vec![Source::Stdin];
    }
    let mut sources = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            sources.push(Source::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Err(err) => report_missing(path, &err, messages),
            Ok(meta) if meta.is_dir() => walk(path, messages, &mut sources),
            Ok(_) => sources.push(Source::File(path.clone())),
        }
    }
    sources
}

/// Walks a directory and appends its files, sorted by the bytes of their full paths so that the
/// order (and so the output) is the same on every machine and every run.
///
/// Ignore files (.gitignore, .ignore) are not honoured: an archive of articles is not a source
/// tree, and a stray .gitignore must not hide articles. Hidden entries are skipped with a note.
/// Symbolic links are followed, and a link back to an ancestor is reported and not followed.
/// FIFOs, sockets and devices are skipped with a note and never opened: opening a FIFO with no
/// writer blocks forever.
fn walk(root: &Path, messages: &Messages, sources: &mut Vec<Source>) {
    // The filter must be 'static, so it cannot hold `messages`: it leaves its notes here, and the
    // loop below prints them as it goes, keeping messages in walk order.
    let skipped: Arc<Mutex<Vec<(PathBuf, &'static str)>>> = Arc::default();
    let mut builder = WalkBuilder::new(root);
    builder
        .standard_filters(false)
        .follow_links(true)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry({
            let skipped = Arc::clone(&skipped);
            move |entry| match skip_reason(entry) {
                Some(reason) => {
                    lock(&skipped).push((entry.path().to_path_buf(), reason));
                    false
                }
                None => true,
            }
        });
    let mut files = Vec::new();
    for result in builder.build() {
        flush_skipped(&skipped, messages);
        match result {
            Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                files.push(entry.into_path());
            }
            Ok(_) => {}
            Err(err) => report_walk_error(root, &err, messages),
        }
    }
    flush_skipped(&skipped, messages);
    files.sort_by(|a, b| {
        a.as_os_str()
            .as_encoded_bytes()
            .cmp(b.as_os_str().as_encoded_bytes())
    });
    sources.extend(files.into_iter().map(Source::File));
}

/// Why a walked entry is left out, or `None` to keep it. Never called for the root itself, which
/// the user named.
fn skip_reason(entry: &DirEntry) -> Option<&'static str> {
    if entry.file_name().as_encoded_bytes().starts_with(b".") {
        return Some("hidden, skipped");
    }
    let file_type = entry.file_type()?;
    if file_type.is_file() || file_type.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("named pipe (FIFO), skipped");
        }
        if file_type.is_socket() {
            return Some("socket, skipped");
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return Some("device, skipped");
        }
    }
    Some("not a regular file, skipped")
}

fn flush_skipped(skipped: &Mutex<Vec<(PathBuf, &'static str)>>, messages: &Messages) {
    for (path, reason) in lock(skipped).drain(..) {
        messages.note(&path, reason);
    }
}

/// Locks even if poisoned: the list cannot be left half-changed by a panic.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Reports an error from the walk against the deepest path it names. A symlink loop is only a
/// warning: every file in it is still read once, so no input was lost.
fn report_walk_error(at: &Path, err: &ignore::Error, messages: &Messages) {
    match err {
        ignore::Error::WithPath { path, err } => report_walk_error(path, err, messages),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            report_walk_error(at, err, messages)
        }
        ignore::Error::Partial(errs) => {
            for err in errs {
                report_walk_error(at, err, messages);
            }
        }
        ignore::Error::Loop { ancestor, child } => messages.warn(
            child,
            format!(
                "symbolic link loop back to {}, not followed",
                display_path(ancestor)
            ),
        ),
        ignore::Error::Io(io_err) => report_missing(at, io_err, messages),
        other => messages.error(at, other),
    }
}

/// Reports a path that could not be looked at, naming a dangling symlink as such: "no such file"
/// for a name the user can see in `ls` would puzzle them.
fn report_missing(path: &Path, err: &io::Error, messages: &Messages) {
    let dangling = err.kind() == io::ErrorKind::NotFound
        && path.symlink_metadata().is_ok_and(|m| m.is_symlink());
    if dangling {
        messages.error(path, "broken symbolic link");
    } else {
        messages.error(path, describe(err));
    }
}

/// Reads and decodes one input. Any problem is reported and gives `None`; the caller goes on.
pub fn read(source: &Source, messages: &Messages) -> Option<Document> {
    let (path, bytes) = match source {
        Source::Stdin => (
            STDIN_PATH.to_owned(),
            read_limited(io::stdin().lock(), MAX_FILE_BYTES, 0),
        ),
        Source::File(p) => (display_path(p), read_file(p)),
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(problem) => {
            messages.error(&path, problem);
            return None;
        }
    };
    if bytes.is_empty() && *source == Source::Stdin {
        // Likely a pipe whose first command failed: say so rather than print nothing.
        messages.note(&path, "empty input, nothing to read");
    }
    match decode(bytes) {
        Decoded::Binary(reason) => {
            messages.note(&path, reason);
            None
        }
        Decoded::Text { text, warning } => {
            if let Some(warning) = warning {
                messages.warn(&path, warning);
            }
            Some(Document { path, text })
        }
    }
}

/// Reads a whole file, refusing one over the limit from its metadata, before reading a byte.
fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|e| describe(&e))?;
    // Metadata of the open file, not of the path: the file cannot be swapped in between.
    let meta = file.metadata().map_err(|e| describe(&e))?;
    if meta.is_dir() {
        return Err("is a directory".to_owned());
    }
    if meta.is_file() && meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "file too large: {}, over the limit of {} ({MAX_FILE_BYTES} bytes)",
            plural(meta.len(), "byte", "bytes"),
            human_limit(MAX_FILE_BYTES)
        ));
    }
    read_limited(file, MAX_FILE_BYTES, meta.len())
}

/// Reads at most `limit` bytes; more is an error. Streams (stdin, pipes) and files that grow
/// while being read have no trustworthy size up front, so this bounds memory for them too.
fn read_limited(reader: impl Read, limit: u64, size_hint: u64) -> Result<Vec<u8>, String> {
    let capacity = usize::try_from(size_hint.min(limit)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| describe(&e))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "input too large: over the limit of {} ({limit} bytes)",
            human_limit(limit)
        ));
    }
    Ok(bytes)
}

fn human_limit(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes % (1 << 20) == 0 {
        format!("{} MiB", bytes >> 20)
    } else {
        plural(bytes, "byte", "bytes")
    }
}

/// A short lowercase description of an I/O error, for `casrep: PATH: problem`.
fn describe(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => crate::messages::describe_io(err),
    }
}

/// What decoding made of a file's bytes.
#[derive(Debug, PartialEq, Eq)]
enum Decoded {
    /// Text, with a warning when it was not clean UTF-8 or UTF-16.
    Text {
        text: String,
        warning: Option<String>,
    },
    /// Not text; the reason, for the note.
    Binary(String),
}

/// Decodes bytes to UTF-8 text.
///
/// In order: a UTF-16 byte-order mark decodes as UTF-16; a NUL in the first 8 KiB means UTF-16
/// without a mark when the bytes read as such ([`sniff_utf16`]), text with a few stray NULs
/// (read as spaces) when nothing else looks binary, and otherwise a binary file; then a UTF-8
/// BOM is dropped and UTF-8 taken as is (no copy). Bytes that are not valid UTF-8 are UTF-8 with
/// damage when they hold more valid multi-byte characters than bad sequences (a stray byte, a
/// character cut at the end), and otherwise a legacy encoding, which chardetng (the detector
/// Firefox uses) guesses: windows-1252, windows-1251, KOI8-U and the others of the Web.
fn decode(bytes: Vec<u8>) -> Decoded {
    let bom = Encoding::for_bom(&bytes);
    if let Some((encoding, bom_len)) = bom.filter(|(encoding, _)| *encoding != UTF_8) {
        return decode_utf16(encoding, &bytes[bom_len..], None);
    }
    let bom_len = bom.map_or(0, |(_, len)| len);
    let mut bytes = bytes;
    bytes.drain(..bom_len);
    let mut notes = Vec::new();
    let sample = &bytes[..bytes.len().min(BINARY_SNIFF_BYTES)];
    if let Some(at) = sample.iter().position(|&b| b == 0) {
        if let Some(encoding) = sniff_utf16(sample) {
            let note = format!("no byte-order mark, read as {}", encoding.name());
            return decode_utf16(encoding, &bytes, Some(note));
        }
        if !mostly_text(sample) {
            return Decoded::Binary(format!("binary file (a NUL byte at offset {at}), skipped"));
        }
        let nuls = bytes.iter().filter(|&&b| b == 0).count();
        for b in bytes.iter_mut().filter(|b| **b == 0) {
            *b = b' ';
        }
        notes.push(format!(
            "{} (the first at offset {at}) read as spaces",
            plural(nuls, "NUL byte", "NUL bytes")
        ));
    }
    let (text, warning) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(err) => decode_damaged(err.into_bytes(), bom_len > 0),
    };
    notes.extend(warning);
    Decoded::Text {
        text,
        warning: (!notes.is_empty()).then(|| notes.join("; ")),
    }
}

fn decode_utf16(encoding: &'static Encoding, body: &[u8], note: Option<String>) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    let damage = had_errors.then(|| {
        format!(
            "malformed {}, bad code units replaced with U+FFFD",
            encoding.name()
        )
    });
    let notes: Vec<String> = note.into_iter().chain(damage).collect();
    Decoded::Text {
        text: text.into_owned(),
        warning: (!notes.is_empty()).then(|| notes.join("; ")),
    }
}

/// Text that is not valid UTF-8: damaged UTF-8 (always so after a UTF-8 BOM) or a legacy
/// encoding; see [`decode`].
fn decode_damaged(bytes: Vec<u8>, had_bom: bool) -> (String, Option<String>) {
    let (mut valid_multibyte, mut bad, mut first_bad) = (0usize, 0usize, None);
    let mut offset = 0;
    for chunk in bytes.utf8_chunks() {
        valid_multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        offset += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            bad += 1;
            first_bad.get_or_insert(offset);
        }
        offset += chunk.invalid().len();
    }
    if had_bom || valid_multibyte > bad {
        let warning = format!(
            "not valid UTF-8 in {} (the first at byte {}), read as UTF-8 with the bad bytes \
             replaced by U+FFFD",
            plural(bad, "place", "places"),
            first_bad.unwrap_or(0)
        );
        return (String::from_utf8_lossy(&bytes).into_owned(), Some(warning));
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(&bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (text, _) = encoding.decode_without_bom_handling(&bytes);
    let warning = format!("not valid UTF-8, read as {}", encoding.name());
    (text.into_owned(), Some(warning))
}

/// The UTF-16 that bytes without a byte-order mark are written in, if they read as UTF-16
/// text: every code unit of a Latin letter, a digit, a space or punctuation, and so a good
/// share of any text, has a zero high byte, which sits on one side only (odd offsets in
/// little-endian), and the decoded text has no control characters.
fn sniff_utf16(sample: &[u8]) -> Option<&'static Encoding> {
    let units = sample.len() / 2;
    if units < 4 {
        return None;
    }
    let body = &sample[..units * 2];
    let zero_at = |parity: usize| {
        body.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zero_at(0), zero_at(1));
    let (encoding, zeros, other) = if odd >= even {
        (UTF_16LE, odd, even)
    } else {
        (UTF_16BE, even, odd)
    };
    if zeros * 10 < units || other * 20 > zeros {
        return None;
    }
    let (text, _) = encoding.decode_without_bom_handling(body);
    let (mut chars, mut odd_chars) = (0usize, 0usize);
    for c in text.chars() {
        chars += 1;
        let control = c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c');
        if control || c == '\u{FFFD}' || ('\u{E000}'..='\u{F8FF}').contains(&c) {
            odd_chars += 1;
        }
    }
    (odd_chars * 50 <= chars).then_some(encoding)
}

/// Whether a sample with a NUL in it is still text: control bytes (the NULs among them) are
/// at most one in a hundred (or one in all), where a binary format has them everywhere.
fn mostly_text(sample: &[u8]) -> bool {
    let controls = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)) || b == 0x7f)
        .count();
    controls <= (sample.len() / 100).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::time::Duration;

    /// Reads every source, as the pipeline does.
    fn read_all(sources: &[Source], messages: &Messages) -> Vec<Document> {
        sources.iter().filter_map(|s| read(s, messages)).collect()
    }

    /// Writes `bytes` to a file named `name` in a fresh temporary folder and reads it.
    fn read_bytes(name: &str, bytes: &[u8]) -> (Option<Document>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        let messages = Messages::capturing();
        let doc = read(&Source::File(path), &messages);
        let lines = messages.lines();
        (doc, lines)
    }

    fn text_of(bytes: &[u8]) -> String {
        read_bytes("a.txt", bytes).0.expect("a document").text
    }

    /// The walked files' paths, relative to `root`.
    fn relative(sources: &[Source], root: &Path) -> Vec<String> {
        sources
            .iter()
            .map(|s| match s {
                Source::File(p) => display_path(p.strip_prefix(root).unwrap()),
                Source::Stdin => STDIN_PATH.to_owned(),
            })
            .collect()
    }

    #[test]
    fn no_paths_means_stdin() {
        assert_eq!(discover(&[], &Messages::capturing()), [Source::Stdin]);
    }

    #[test]
    fn dash_means_stdin() {
        let messages = Messages::capturing();
        assert_eq!(discover(&["-".into()], &messages), [Source::Stdin]);
    }

    #[test]
    fn valid_utf8_is_read_as_is() {
        let (doc, lines) = read_bytes("a.txt", "Kyiv — 3,350 tanks\n".as_bytes());
        assert_eq!(doc.unwrap().text, "Kyiv — 3,350 tanks\n");
        assert!(lines.is_empty());
    }

    #[test]
    fn empty_file_is_an_empty_document_without_a_message() {
        let (doc, lines) = read_bytes("empty.txt", b"");
        assert_eq!(doc.unwrap().text, "");
        assert!(lines.is_empty());
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let (doc, lines) = read_bytes("a.txt", b"\xEF\xBB\xBF90 tanks");
        assert_eq!(doc.unwrap().text, "90 tanks");
        assert!(lines.is_empty());
    }

    #[test]
    fn utf16_le_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("танків 3325".encode_utf16().flat_map(u16::to_le_bytes));
        let (doc, lines) = read_bytes("a.txt", &bytes);
        assert_eq!(doc.unwrap().text, "танків 3325");
        assert!(lines.is_empty());
    }

    #[test]
    fn utf16_be_with_bom_is_decoded() {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend("3,350 tanks".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(text_of(&bytes), "3,350 tanks");
    }

    #[test]
    fn crlf_and_lone_cr_line_ends_are_kept() {
        assert_eq!(text_of(b"a\r\nb\rc\n"), "a\r\nb\rc\n");
    }

    #[test]
    fn binary_file_is_skipped_with_a_note() {
        let (doc, lines) = read_bytes("img.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
        assert!(doc.is_none());
        assert_eq!(lines.len(), 1);
        assert!(
            lines[0].ends_with("img.png: binary file (a NUL byte at offset 8), skipped"),
            "{lines:?}"
        );
    }

    #[test]
    fn nul_after_the_first_8_kib_is_not_binary() {
        let mut bytes = vec![b'a'; BINARY_SNIFF_BYTES];
        bytes.push(0);
        assert_eq!(text_of(&bytes).len(), BINARY_SNIFF_BYTES + 1);
    }

    #[test]
    fn a_stray_nul_in_an_article_is_read_as_a_space_and_said() {
        let (doc, lines) = read_bytes(
            "a.txt",
            b"Published: 2023-02-22\n\nRussia has lost 145,060 troops,\0 Kyiv said.\n",
        );
        assert_eq!(
            doc.unwrap().text,
            "Published: 2023-02-22\n\nRussia has lost 145,060 troops,  Kyiv said.\n"
        );
        assert!(
            lines[0].ends_with("a.txt: 1 NUL byte (the first at offset 54) read as spaces"),
            "{lines:?}"
        );
    }

    #[test]
    fn utf16_without_a_bom_is_detected_not_called_binary() {
        let text = "Генштаб: знищено 3325 танків і 144440 окупантів.\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let (doc, lines) = read_bytes("a.txt", &le);
        assert_eq!(doc.unwrap().text, text);
        assert!(
            lines[0].ends_with("no byte-order mark, read as UTF-16LE"),
            "{lines:?}"
        );
        let be: Vec<u8> = "Russia lost 3,325 tanks.\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(text_of(&be), "Russia lost 3,325 tanks.\n");
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252() {
        let (doc, lines) = read_bytes(
            "a.txt",
            b"The caf\xe9 owner said Russia\x92s army had lost \x93about 90\x94 tanks there.",
        );
        assert_eq!(
            doc.unwrap().text,
            "The café owner said Russia’s army had lost “about 90” tanks there."
        );
        assert_eq!(lines.len(), 1);
        assert!(
            lines[0].ends_with("a.txt: not valid UTF-8, read as windows-1252"),
            "{lines:?}"
        );
    }

    #[test]
    fn russian_in_windows_1251_is_detected() {
        let text = "Генштаб сообщил: за сутки уничтожено 12 танков и 890 военных противника.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let (doc, lines) = read_bytes("a.txt", &bytes);
        assert_eq!(doc.unwrap().text, text);
        assert!(
            lines[0].ends_with("not valid UTF-8, read as windows-1251"),
            "{lines:?}"
        );
    }

    #[test]
    fn koi8_text_is_not_read_as_windows_1251() {
        let uk = "Втрати ворога за добу: знищено 14 танків, 31 артилерійську систему та \
                  1090 окупантів, повідомив Генеральний штаб.";
        let ru = "По данным штаба, за неделю противник потерял 75 танков и около 6000 солдат.";
        for (text, encoding) in [(uk, encoding_rs::KOI8_U), (ru, encoding_rs::KOI8_R)] {
            let (bytes, _, unmappable) = encoding.encode(text);
            assert!(!unmappable);
            let (doc, lines) = read_bytes("a.txt", &bytes);
            assert_eq!(doc.unwrap().text, text);
            assert!(
                lines[0].ends_with("not valid UTF-8, read as KOI8-U"),
                "{lines:?}"
            );
        }
    }

    #[test]
    fn mostly_valid_utf8_stays_utf8_with_the_bad_bytes_replaced() {
        let text = "Генштаб: знищено 3325 танків і 144440 окупантів";
        let mut stray = text.as_bytes().to_vec();
        stray.insert(16, 0xFF);
        let (doc, lines) = read_bytes("a.txt", &stray);
        assert_eq!(
            doc.unwrap().text,
            format!("{}\u{FFFD}{}", &text[..16], &text[16..])
        );
        assert!(
            lines[0].ends_with(
                "not valid UTF-8 in 1 place (the first at byte 16), read as UTF-8 with the \
                 bad bytes replaced by U+FFFD"
            ),
            "{lines:?}"
        );
        // A character cut at the end, as a truncated download leaves it.
        let cut = &text.as_bytes()[..text.len() - 1];
        let (doc, _) = read_bytes("b.txt", cut);
        assert!(doc.unwrap().text.ends_with("окупанті\u{FFFD}"));
    }

    #[test]
    fn invalid_utf8_after_a_utf8_bom_is_repaired_not_reinterpreted() {
        let (doc, lines) = read_bytes("a.txt", b"\xEF\xBB\xBFcaf\xe9");
        assert_eq!(doc.unwrap().text, "caf\u{FFFD}");
        assert!(
            lines[0].contains("not valid UTF-8 in 1 place "),
            "{lines:?}"
        );
    }

    #[test]
    fn file_over_limit_is_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.txt");
        // Sparse: takes no disk space, and reading it would mean 256 MiB of zeros in memory.
        File::create(&path).unwrap().set_len(1 << 30).unwrap();
        let messages = Messages::capturing();
        assert!(read(&Source::File(path), &messages).is_none());
        let lines = messages.lines();
        // The exact size can only come from the metadata: a read would stop at the limit.
        assert!(
            lines[0].ends_with(
                "huge.txt: file too large: 1073741824 bytes, over the limit of 256 MiB \
                 (268435456 bytes)"
            ),
            "{lines:?}"
        );
        assert!(messages.had_errors());
    }

    #[test]
    fn stream_over_limit_is_refused() {
        let err = read_limited(io::repeat(b'a').take(11), 10, 0).unwrap_err();
        assert_eq!(
            err,
            "input too large: over the limit of 10 bytes (10 bytes)"
        );
        assert_eq!(
            read_limited(io::repeat(b'a').take(10), 10, 0)
                .unwrap()
                .len(),
            10
        );
    }

    #[test]
    fn missing_path_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "x").unwrap();
        let missing = dir.path().join("nope.txt");
        let messages = Messages::capturing();
        let sources = discover(&[missing, dir.path().join("a.txt")], &messages);
        assert_eq!(sources, [Source::File(dir.path().join("a.txt"))]);
        let lines = messages.lines();
        assert!(
            lines[0].ends_with("nope.txt: no such file or directory"),
            "{lines:?}"
        );
        assert!(messages.had_errors());
    }

    #[test]
    fn file_removed_during_the_run_is_an_error_and_others_go_on() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.txt", "b.txt", "c.txt"] {
            fs::write(dir.path().join(name), name).unwrap();
        }
        let messages = Messages::capturing();
        let sources = discover(&[dir.path().to_path_buf()], &messages);
        fs::remove_file(dir.path().join("b.txt")).unwrap();
        let docs = read_all(&sources, &messages);
        assert_eq!(docs.len(), 2);
        let lines = messages.lines();
        assert!(
            lines[0].ends_with("b.txt: no such file or directory"),
            "{lines:?}"
        );
        assert!(messages.had_errors());
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_file_is_an_error_and_others_go_on() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "a").unwrap();
        let secret = dir.path().join("b.txt");
        fs::write(&secret, "b").unwrap();
        fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
        let messages = Messages::capturing();
        let sources = discover(&[dir.path().to_path_buf()], &messages);
        let docs = read_all(&sources, &messages);
        assert!(docs.iter().any(|d| d.text == "a"));
        // Root (as in CI) reads through mode 000, so the refusal is only checked where a read
        // is really refused.
        if fs::read(&secret).is_err() {
            assert_eq!(docs.len(), 1);
            let lines = messages.lines();
            assert!(lines[0].ends_with("b.txt: permission denied"), "{lines:?}");
            assert!(messages.had_errors());
        }
    }

    #[test]
    fn directory_order_is_sorted() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("a")).unwrap();
        for name in ["b.txt", "a/z.txt", "a.txt", "B.txt", "a-b.txt", "a/b.txt"] {
            fs::write(dir.path().join(name), name).unwrap();
        }
        let messages = Messages::capturing();
        let sources = discover(&[dir.path().to_path_buf()], &messages);
        // Full-path byte order: '-' (0x2D) < '.' (0x2E) < '/' (0x2F), upper case first.
        assert_eq!(
            relative(&sources, dir.path()),
            ["B.txt", "a-b.txt", "a.txt", "a/b.txt", "a/z.txt", "b.txt"]
        );
        assert!(messages.lines().is_empty());
    }

    #[test]
    fn walked_path_is_the_given_path_joined_with_the_walked_part() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("news")).unwrap();
        fs::write(dir.path().join("news/a.txt"), "x").unwrap();
        let given = dir.path().join("news/../news");
        let messages = Messages::capturing();
        let docs = read_all(
            &discover(std::slice::from_ref(&given), &messages),
            &messages,
        );
        assert_eq!(docs[0].path, format!("{}/a.txt", given.display()));
    }

    #[test]
    fn hidden_files_are_skipped_with_a_note() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(".cache")).unwrap();
        fs::write(dir.path().join(".cache/x.txt"), "x").unwrap();
        fs::write(dir.path().join(".draft.txt"), "x").unwrap();
        fs::write(dir.path().join("a.txt"), "x").unwrap();
        let messages = Messages::capturing();
        let sources = discover(&[dir.path().to_path_buf()], &messages);
        assert_eq!(relative(&sources, dir.path()), ["a.txt"]);
        let lines = messages.lines();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].ends_with(".cache: hidden, skipped"), "{lines:?}");
        assert!(
            lines[1].ends_with(".draft.txt: hidden, skipped"),
            "{lines:?}"
        );
        assert!(!messages.had_errors());
    }

    #[test]
    fn hidden_file_named_by_the_user_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".draft.txt");
        fs::write(&path, "x").unwrap();
        let messages = Messages::capturing();
        assert_eq!(
            discover(std::slice::from_ref(&path), &messages),
            [Source::File(path)]
        );
    }

    #[test]
    fn ignore_files_are_not_honoured() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(".git")).unwrap();
        fs::write(dir.path().join(".gitignore"), "*.txt\n").unwrap();
        fs::write(dir.path().join(".ignore"), "*.txt\n").unwrap();
        fs::write(dir.path().join("a.txt"), "x").unwrap();
        let messages = Messages::capturing();
        let sources = discover(&[dir.path().to_path_buf()], &messages);
        assert_eq!(relative(&sources, dir.path()), ["a.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_directory_is_followed() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("real")).unwrap();
        fs::write(dir.path().join("real/a.txt"), "x").unwrap();
        std::os::unix::fs::symlink("real", dir.path().join("link")).unwrap();
        let messages = Messages::capturing();
        let sources = discover(&[dir.path().to_path_buf()], &messages);
        assert_eq!(relative(&sources, dir.path()), ["link/a.txt", "real/a.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_reported_not_followed_forever() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("a/b")).unwrap();
        fs::write(dir.path().join("a/b/x.txt"), "x").unwrap();
        std::os::unix::fs::symlink("..", dir.path().join("a/b/up")).unwrap();
        let messages = Messages::capturing();
        let sources = discover(&[dir.path().to_path_buf()], &messages);
        assert_eq!(relative(&sources, dir.path()), ["a/b/x.txt"]);
        let lines = messages.lines();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(
            lines[0].contains("a/b/up: symbolic link loop back to "),
            "{lines:?}"
        );
        assert!(!messages.had_errors());
    }

    #[cfg(unix)]
    #[test]
    fn broken_symlink_is_an_error_and_others_go_on() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "x").unwrap();
        std::os::unix::fs::symlink("gone.txt", dir.path().join("b.txt")).unwrap();
        let messages = Messages::capturing();
        let sources = discover(&[dir.path().to_path_buf()], &messages);
        assert_eq!(relative(&sources, dir.path()), ["a.txt"]);
        let lines = messages.lines();
        assert!(
            lines[0].ends_with("b.txt: broken symbolic link"),
            "{lines:?}"
        );
        assert!(messages.had_errors());
    }

    #[cfg(unix)]
    #[test]
    fn fifo_is_skipped_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "x").unwrap();
        let fifo = dir.path().join("pipe.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
        // In a thread, so that a regression fails the test instead of hanging it.
        let root = dir.path().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let messages = Messages::capturing();
            let docs = read_all(&discover(&[root], &messages), &messages);
            let _ = tx.send((docs.len(), messages.lines()));
        });
        let (count, lines) = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("walking a folder with a FIFO blocked");
        assert_eq!(count, 1);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(
            lines[0].ends_with("pipe.txt: named pipe (FIFO), skipped"),
            "{lines:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn device_is_skipped_with_a_note() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.txt")).unwrap();
        let messages = Messages::capturing();
        let sources = discover(&[dir.path().to_path_buf()], &messages);
        assert!(sources.is_empty());
        assert!(messages.lines()[0].ends_with("zero.txt: device, skipped"));
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_path_is_walked() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join(OsStr::from_bytes(b"d\xe9p\xeaches"));
        fs::create_dir(&sub).unwrap();
        fs::write(sub.join(OsStr::from_bytes(b"caf\xe9.txt")), "90 tanks").unwrap();
        let messages = Messages::capturing();
        let docs = read_all(&discover(&[dir.path().to_path_buf()], &messages), &messages);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].text, "90 tanks");
        assert!(docs[0]
            .path
            .ends_with("d\u{FFFD}p\u{FFFD}ches/caf\u{FFFD}.txt"));
        assert!(messages.lines().is_empty());
    }
}
