//! Tokens and sentences: the text split once into words, numbers and punctuation with their byte
//! offsets, and grouped into sentences. Every later stage works on these tokens, so offsets stay
//! exact whatever the spacing, dashes or line ends of the article.

use std::hash::Hasher;

use compact_str::CompactString;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokKind {
    Word,
    /// Digits, possibly grouped ("145,060", "145 060", "974.770") or decimal ("1.2").
    Num,
    /// A numeric date ("24.02.22", "2023-05-02", "02/06/2024"), never a figure.
    NumDate,
    /// A time of day ("14:37"), never a figure.
    Time,
    Punct,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub kind: TokKind,
    pub start: usize,
    pub end: usize,
    /// Lowercased text for words, the character for punctuation, the digits for numbers.
    /// (CompactString: up to 24 bytes inline, so tokenizing allocates nothing per token.)
    pub norm: CompactString,
    /// For numbers: letters glued to the digits ("th" of "47th", "k" of "500K", "h" of "24h").
    pub suffix: CompactString,
    /// A line break (or the start of the text) comes right before this token.
    pub line_start: bool,
    /// `word_hash` of the token as the word tables spell it (`norm` and `suffix` glued), computed
    /// once here so that every table lookup at this token is a probe, not a rehash.
    pub hash: u64,
    /// The word tables whose phrases may start at this token, one bit per table, and the stamp
    /// of the lexicon that marked them (0: none; see `Lexicon::tokenize`).
    pub starts: u64,
    pub stamp: u32,
}

impl Token {
    pub fn is(&self, s: &str) -> bool {
        self.norm == s
    }
    pub fn is_punct(&self) -> bool {
        self.kind == TokKind::Punct
    }
    /// A sign standing alone before a number: "+ 5", "(+23)", "– 2".
    pub fn is_sign(&self) -> bool {
        matches!(self.norm.as_str(), "+" | "-" | "−" | "–")
    }
}

/// A run of tokens read together: a sentence of prose, a list item, a table row.
#[derive(Clone, Debug)]
pub struct Sentence {
    /// Token index range in the document's token list.
    pub first: usize,
    pub last: usize,
    /// Index of the paragraph (blocks separated by blank lines).
    pub paragraph: usize,
}

pub struct Tokenized {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || is_invisible(c)
}

/// Characters that print nothing: zero-width space and joiners, word joiner, byte-order mark,
/// soft hyphen, and the marks and embeddings of bidirectional text (a number in Arabic or Hebrew
/// text is often wrapped in them). Between tokens they are space; inside a number or a word they
/// are skipped, since a reader sees "145\u{200B}060" as 145060, not as 145 and 60.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{61c}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// The value of a decimal digit in the scripts news is written in: ASCII, Arabic-Indic,
/// Extended Arabic-Indic (Persian, Urdu) and fullwidth.
fn digit_value(c: char) -> Option<u32> {
    let zero = match c {
        '0'..='9' => '0',
        '\u{660}'..='\u{669}' => '\u{660}',
        '\u{6f0}'..='\u{6f9}' => '\u{6f0}',
        '\u{ff10}'..='\u{ff19}' => '\u{ff10}',
        _ => return None,
    };
    Some(c as u32 - zero as u32)
}

/// Characters that may group thousands: comma, plain, no-break, thin and narrow no-break space,
/// the Arabic thousands separator and the fullwidth comma.
fn is_group_sep(c: char) -> bool {
    matches!(
        c,
        ',' | ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}' | '\u{2007}' | '\u{66c}' | '\u{ff0c}'
    )
}

/// A minus sign glued to digits ("−145,060"): a negative number, never a count. (The ASCII
/// hyphen is left alone: it is also the dash of "tanks -3325" in sloppy rewrites.)
fn is_minus(c: char) -> bool {
    matches!(c, '\u{2212}' | '\u{fe63}' | '\u{ff0d}')
}

fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|rest| rest.chars().next())
}

/// The byte after any invisible characters from `i` on.
fn skip_invisible(s: &str, mut i: usize) -> usize {
    while let Some(c) = char_at(s, i).filter(|&c| is_invisible(c)) {
        i += c.len_utf8();
    }
    i
}

/// The digits from byte `i` on: how many, and the byte after the last. Invisible characters
/// between two digits belong to the run.
fn digit_run(s: &str, i: usize) -> (usize, usize) {
    let b = s.as_bytes();
    let (mut count, mut end, mut pos) = (0, i, i);
    while pos < b.len() {
        if b[pos].is_ascii_digit() {
            pos += 1;
        } else if b[pos].is_ascii() {
            break;
        } else {
            let Some(c) = char_at(s, pos) else { break };
            if digit_value(c).is_some() {
                pos += c.len_utf8();
            } else if count > 0 && is_invisible(c) {
                pos += c.len_utf8();
                continue;
            } else {
                break;
            }
        }
        count += 1;
        end = pos;
    }
    (count, end)
}

fn digits_at(s: &str, i: usize) -> usize {
    digit_run(s, i).0
}

/// The text of a number token as the parsers read it: ASCII digits, no invisible characters,
/// commas for the other thousands separators; a grouped decimal ("3,334.7") with its groups
/// joined and a '.' before the fraction ("3334.7"); a '-' in front of a negative number.
fn number_norm(body: &str, decimal_at: Option<usize>, negative: bool) -> CompactString {
    if body.is_ascii() && decimal_at.is_none() && !negative {
        return CompactString::from(body);
    }
    let mut s = CompactString::default();
    if negative {
        s.push('-');
    }
    for (k, c) in body.char_indices() {
        if let Some(d) = digit_value(c) {
            s.push(char::from(b'0' + d as u8));
        } else if Some(k) == decimal_at {
            s.push('.');
        } else if is_invisible(c) || decimal_at.is_some() {
            // Dropped: nothing to see, or a group separator of a grouped decimal.
        } else if matches!(c, '\u{66c}' | '\u{ff0c}') {
            s.push(',');
        } else {
            s.push(c);
        }
    }
    s
}

/// Split `text` into tokens and sentences.
pub fn tokenize(text: &str) -> Tokenized {
    // English prose has a token every five or six bytes.
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut line_start = true;
    let mut blank_lines_before: Vec<bool> = Vec::with_capacity(text.len() / 5 + 1);
    let mut newlines_since_token = 2usize;
    while i < text.len() {
        let c = match bytes[i] {
            b if b.is_ascii() => b as char,
            _ => text[i..].chars().next().unwrap(),
        };
        if c == '\n' || c == '\r' {
            // CRLF counts once.
            if c == '\r' && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            newlines_since_token += 1;
            line_start = true;
            i += 1;
            continue;
        }
        if is_space(c) {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let negative = is_minus(c)
            && char_at(text, i + c.len_utf8()).is_some_and(|n| digit_value(n).is_some());
        let digits_from = if negative { i + c.len_utf8() } else { i };
        let scan = if negative || digit_value(c).is_some() {
            scan_number(text, digits_from)
        } else if is_letter(c) {
            NumberScan::other(TokKind::Word, scan_word(text, i))
        } else {
            NumberScan::other(TokKind::Punct, i + c.len_utf8())
        };
        let (kind, end) = (scan.kind, scan.end);
        let (body_end, suffix) = if kind == TokKind::Num && scan.suffix_start > 0 {
            (scan.suffix_start, lowercase(&text[scan.suffix_start..end]))
        } else {
            (end, CompactString::default())
        };
        let norm = match kind {
            TokKind::Word => normalise_word(&text[start..end]),
            TokKind::Num => number_norm(
                &text[digits_from..body_end],
                scan.decimal_at.map(|d| d - digits_from),
                negative,
            ),
            TokKind::NumDate | TokKind::Time => number_norm(&text[start..end], None, false),
            TokKind::Punct => CompactString::from(&text[start..end]),
        };
        blank_lines_before.push(newlines_since_token >= 2);
        newlines_since_token = 0;
        let hash = if suffix.is_empty() {
            word_hash(&norm)
        } else {
            word_hash(&format!("{norm}{suffix}"))
        };
        tokens.push(Token {
            kind,
            start,
            end,
            norm,
            suffix,
            line_start,
            hash,
            starts: 0,
            stamp: 0,
        });
        line_start = false;
        i = end;
    }
    let sentences = split_sentences(text, &tokens, &blank_lines_before);
    Tokenized { tokens, sentences }
}

/// The hash the word tables are keyed by (FxHash: fast on short words; the output never depends
/// on it, since tables are only probed, never iterated).
pub fn word_hash(word: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write(word.as_bytes());
    h.finish()
}

/// `char::is_alphabetic`, answered at once for the blocks most text outside ASCII comes from:
/// general punctuation (dashes, curly quotes, the ellipsis: no letters), Latin-1's letters and
/// basic Cyrillic (all letters). The tokenizer asks it of every such character, and the
/// standard library's table search costs hundreds of instructions each.
#[inline]
fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' => true,
        '\0'..='\x7f' | '\u{2000}'..='\u{206f}' | '×' | '÷' => false,
        'À'..='ÿ' | '\u{400}'..='\u{45f}' => true,
        _ => c.is_alphabetic(),
    }
}

/// `char::is_alphanumeric`, as quickly as [`is_letter`]: those blocks hold no digit but ASCII's.
#[inline]
fn is_letter_or_digit(c: char) -> bool {
    match c {
        '0'..='9' => true,
        _ if is_letter(c) => true,
        '\0'..='\x7f' | '\u{2000}'..='\u{206f}' | 'À'..='ÿ' | '\u{400}'..='\u{45f}' => false,
        _ => c.is_numeric(),
    }
}

/// `str::to_lowercase` (final sigma and all), without allocating for ASCII.
fn lowercase(w: &str) -> CompactString {
    if w.is_ascii() {
        let mut s = CompactString::from(w);
        s.make_ascii_lowercase();
        s
    } else {
        CompactString::from(w.to_lowercase())
    }
}

/// Parse a year and month, "2024-04" or "2024/04" (years 1990 to 2100).
pub fn parse_year_month(s: &str) -> Option<(i32, u32)> {
    let (y, m) = s.split_once(['-', '/'])?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    ((1990..=2100).contains(&y) && (1..=12).contains(&m)).then_some((y, m))
}

/// A word as the tables spell it: lowercase, with typographic apostrophes and hyphens made plain.
pub fn normalise_word(w: &str) -> CompactString {
    if w.is_ascii() {
        // No curly apostrophe or Unicode hyphen to replace, and ASCII lowercasing is Unicode's.
        let mut s = CompactString::from(w);
        s.make_ascii_lowercase();
        return s;
    }
    let mut s = CompactString::with_capacity(w.len());
    for c in w.chars() {
        match c {
            '’' | '‘' | 'ʼ' | '`' => s.push('\''),
            '‐' | '‑' => s.push('-'),
            c if is_invisible(c) => {}
            _ => s.extend(c.to_lowercase()),
        }
    }
    s
}

fn scan_word(text: &str, i: usize) -> usize {
    // ASCII letters and digits first, byte by byte; the rest character by character.
    let b = text.as_bytes();
    let mut end = i;
    while end < b.len() && b[end].is_ascii_alphanumeric() {
        end += 1;
    }
    let resume = end;
    let mut chars = text[resume..].char_indices().peekable();
    // "U.S.": single letters joined by dots are one word.
    let mut prev_alpha = end > i;
    while let Some((off, c)) = chars.next() {
        let pos = resume + off;
        if is_letter_or_digit(c) || c == '\u{301}' {
            end = pos + c.len_utf8();
            prev_alpha = true;
            continue;
        }
        // "tan\u{AD}ks": an invisible character inside a word (a soft hyphen, a zero-width
        // space) is part of it.
        if is_invisible(c) && prev_alpha {
            let next = char_at(text, skip_invisible(text, pos));
            if next.is_some_and(|n| n.is_alphabetic()) {
                continue;
            }
        }
        // Apostrophes stay inside a word ("Russia's"); hyphens split it, so "manpower-about" and
        // "anti-aircraft" read the same way in the text and in the word tables.
        if matches!(c, '\'' | '’' | 'ʼ') && prev_alpha {
            if let Some(&(_, n)) = chars.peek() {
                if is_letter_or_digit(n) {
                    end = pos + c.len_utf8();
                    prev_alpha = false;
                    continue;
                }
            }
        }
        if c == '.' && prev_alpha && end - i <= 4 {
            // Abbreviation with dots: U.S., U.K. (a letter, a dot, a letter).
            let word = &text[i..end];
            let letters_only_single = word.split('.').all(|p| p.chars().count() <= 1);
            if letters_only_single {
                if let Some(&(_, n)) = chars.peek() {
                    if n.is_alphabetic() {
                        end = pos + 1;
                        prev_alpha = false;
                        continue;
                    }
                }
                if word.contains('.') {
                    end = pos + 1;
                }
            }
        }
        break;
    }
    end
}

/// What [`scan_number`] found: the token's kind and end, where letters glued to the digits
/// start (0: none), and the byte of the decimal mark of a grouped decimal ("3,334.7").
struct NumberScan {
    kind: TokKind,
    end: usize,
    suffix_start: usize,
    decimal_at: Option<usize>,
}

impl NumberScan {
    fn other(kind: TokKind, end: usize) -> NumberScan {
        NumberScan {
            kind,
            end,
            suffix_start: 0,
            decimal_at: None,
        }
    }
}

/// Numbers: "145060", "145,060", "145 060" (any single grouping space), "974.770", "1.2",
/// "3,334.7" (a grouped decimal), "24.02.22" (a date), "14:37" (a time), "47th"/"500K" (glued
/// suffix); in any script's digits, with invisible characters inside skipped.
fn scan_number(text: &str, i: usize) -> NumberScan {
    let b = text.as_bytes();
    let (first, mut end) = digit_run(text, i);
    // Numeric dates and times.
    if let Some(&sep) = b.get(end) {
        if (sep == b'.' || sep == b'/' || sep == b'-') && (first <= 2 || first == 4) {
            let (d2, end2) = digit_run(text, end + 1);
            if (1..=2).contains(&d2) && b.get(end2) == Some(&sep) {
                let (d3, end3) = digit_run(text, end2 + 1);
                if (first <= 2 && (d3 == 2 || d3 == 4)) || (first == 4 && (1..=2).contains(&d3)) {
                    let mut e = end3;
                    // ISO datetime: 2024-06-02T21:35:00+02:00
                    if b.get(e) == Some(&b'T') && digits_at(text, e + 1) == 2 {
                        e += 1;
                        while e < b.len()
                            && (b[e].is_ascii_digit()
                                || matches!(b[e], b':' | b'+' | b'-' | b'.' | b'Z'))
                        {
                            e += 1;
                        }
                    }
                    return NumberScan::other(TokKind::NumDate, e);
                }
            }
            // A year and month, "2024-04" or "2024/04" (a page's date stamp): a date, never a
            // count ("2024-04 Losses of ..." holds no figure of 4).
            if first == 4 && sep != b'.' && d2 == 2 && parse_year_month(&text[i..end2]).is_some() {
                let next = char_at(text, end2);
                let glued = next.is_some_and(|c| c.is_alphanumeric());
                let continued = next.is_some_and(|c| matches!(c, '.' | '/' | '-' | ','))
                    && digits_at(text, end2 + 1) > 0;
                if !glued && !continued {
                    return NumberScan::other(TokKind::NumDate, end2);
                }
            }
        }
        if sep == b':' && first <= 2 {
            let (d2, end2) = digit_run(text, end + 1);
            if d2 == 2 {
                return NumberScan::other(TokKind::Time, end2);
            }
        }
    }
    let mut decimal_at = None;
    if first <= 3 {
        let (groups_end, sep_used) = thousands_groups(text, end);
        end = groups_end;
        match sep_used {
            None => end = decimal_tail(text, end),
            Some(sep) => {
                // "3,334.7": a decimal mark other than the groups' separator, then digits.
                let mark = skip_invisible(text, end);
                if let Some(c) = char_at(text, mark).filter(|&c| matches!(c, '.' | ',') && c != sep)
                {
                    let (n, frac_end) = digit_run(text, mark + c.len_utf8());
                    // Not a list without spaces ("1.103.580,3.350"): nothing numeric follows.
                    let listed = char_at(text, frac_end).is_some_and(|c| matches!(c, '.' | ','))
                        && digits_at(text, frac_end + 1) > 0;
                    if n > 0 && !listed {
                        decimal_at = Some(mark);
                        end = frac_end;
                    }
                }
            }
        }
    } else {
        end = decimal_tail(text, end);
    }
    // Glued letters: ordinals, "K", "h".
    let suffix_start = end;
    let mut e = end;
    for (off, c) in text[end..].char_indices() {
        if c.is_alphabetic() {
            e = end + off + c.len_utf8();
        } else {
            break;
        }
    }
    NumberScan {
        kind: TokKind::Num,
        end: e,
        suffix_start: if e > end { suffix_start } else { 0 },
        decimal_at,
    }
}

/// Thousands groups after the first digits, all with the same separator, each of exactly three
/// digits: the byte after the last group, and the separator, if there was a group.
fn thousands_groups(text: &str, mut end: usize) -> (usize, Option<char>) {
    let mut sep_used: Option<char> = None;
    loop {
        let at = skip_invisible(text, end);
        let Some(c) = char_at(text, at) else { break };
        if !(is_group_sep(c) || c == '.') || sep_used.is_some_and(|s| s != c) {
            break;
        }
        let (n, group_end) = digit_run(text, skip_invisible(text, at + c.len_utf8()));
        if n != 3 {
            break;
        }
        // "1.250 million" and similar stay decimals: a dot group followed by more dots is fine,
        // a single dot group is thousands only if no multiplier word follows (decided later).
        sep_used = Some(c);
        end = group_end;
    }
    (end, sep_used)
}

fn decimal_tail(text: &str, end: usize) -> usize {
    let b = text.as_bytes();
    if b.get(end) == Some(&b'.') {
        let (n, frac_end) = digit_run(text, end + 1);
        if n > 0 && (b.get(frac_end) != Some(&b'.')) {
            return frac_end;
        }
    }
    end
}

/// Far longer than any real sentence or one-line General Staff post (about 200 tokens).
const MAX_SENTENCE_TOKENS: usize = 300;

const ABBREVIATIONS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "gen",
    "col", "lt", "mr", "mrs", "ms", "dr", "st", "no", "vs", "maj", "sgt", "capt", "gov", "sen",
    "rep", "prof", "approx", "est", "etc", "inc", "ltd", "co", "jr", "sr", "u.s", "u.k",
    // Abbreviated multipliers, which a number may follow ("8 тис. 815", "1 млн. 200 тис.").
    "тис", "тыс", "млн", "млрд", "tys", "tis", "mln", "mld", "mio", "mrd", "tsd",
];

/// Whether a parenthesis opening with a signed number ("(+ 1)", "(−2)") starts at
/// `tokens[i]`: a change of the count before it, never a sentence of its own.
fn opens_with_change(text: &str, tokens: &[Token], i: usize) -> bool {
    let signed_number =
        |t: &Token| t.kind == TokKind::Num && text[t.start..].starts_with(['-', '−', '–']);
    tokens[i].is("(")
        && match (tokens.get(i + 1), tokens.get(i + 2)) {
            (Some(s), Some(d)) if s.is_sign() => d.kind == TokKind::Num,
            (Some(d), _) => signed_number(d),
            _ => false,
        }
}

/// Sentence ends: '.', '!', '?' before a capital, a digit or a quote; a line break unless the line
/// runs on (ends in a lowercase word or comma and the next starts in lowercase); a blank line.
fn split_sentences(text: &str, tokens: &[Token], blank_before: &[bool]) -> Vec<Sentence> {
    let mut out = Vec::new();
    if tokens.is_empty() {
        return out;
    }
    let mut paragraph = 0;
    let mut first = 0;
    for i in 0..tokens.len() {
        let next = tokens.get(i + 1);
        let mut end_here = next.is_none();
        if let Some(n) = next {
            if blank_before[i + 1] {
                end_here = true;
            } else if n.line_start {
                let t = &tokens[i];
                let runs_on = (t.kind == TokKind::Word || t.is(","))
                    && text[n.start..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_lowercase());
                end_here = !runs_on;
            } else if matches!(tokens[i].norm.as_str(), "." | "!" | "?") {
                let c = text[n.start..].chars().next().unwrap_or(' ');
                let capital_follows =
                    c.is_uppercase() || c.is_ascii_digit() || "\"“‘'«(".contains(c);
                let prev = if i > 0 { Some(&tokens[i - 1]) } else { None };
                let abbrev = prev.is_some_and(|p| {
                    p.kind == TokKind::Word
                        && p.end == tokens[i].start
                        && (ABBREVIATIONS.contains(&p.norm.as_str()) || p.norm.chars().count() == 1)
                });
                // "Feb. 24" is a date; "Dec. 23 (Reuters)" too.
                end_here = capital_follows
                    && !(abbrev
                        && (c.is_ascii_digit()
                            || c.is_uppercase()
                                && prev.is_some_and(|p| p.norm.chars().count() == 1)));
                // Dot leaders and ellipses ("Troops ........ 311 750") end nothing.
                let dotted = prev.is_some_and(|p| p.is(".") || p.is("…"));
                // "MLRS - 163 szt. (+ 1)": the change of the count before the period.
                let change_follows = opens_with_change(text, tokens, i + 1);
                if abbrev && c.is_ascii_digit() || dotted || change_follows {
                    end_here = false;
                }
            } else if matches!(tokens[i].norm.as_str(), "”" | "\"" | "’" | ")")
                && i > 0
                && matches!(tokens[i - 1].norm.as_str(), "." | "!" | "?")
            {
                let c = text[n.start..].chars().next().unwrap_or(' ');
                end_here = c.is_uppercase();
            }
        }
        // A "sentence" of thousands of tokens (a megabyte line of list items) is cut at a comma or
        // semicolon, so that the work per sentence stays bounded and the whole stays linear.
        let long = i + 1 - first;
        if long >= MAX_SENTENCE_TOKENS && matches!(tokens[i].norm.as_str(), "," | ";")
            || long >= 2 * MAX_SENTENCE_TOKENS
        {
            end_here = true;
        }
        if end_here {
            out.push(Sentence {
                first,
                last: i + 1,
                paragraph,
            });
            first = i + 1;
            if next.is_some() && blank_before[i + 1] {
                paragraph += 1;
            }
        }
    }
    out
}

/// 1-based line number of every byte offset, computed once per document.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        // Every article is indexed whole: line ends are found by memchr's vector search, not
        // a test per byte.
        let b = text.as_bytes();
        let mut starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', b) {
            if b[i] == b'\n' || b.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        LineIndex { starts }
    }

    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// Byte range of 0-based line `n`, without its line end.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// `s.split_whitespace().collect::<Vec<_>>().join(" ")` in one pass and one allocation: every
/// figure's sentence goes through it. Text between runs of whitespace is copied whole, a single
/// space between two words included, since the join would put that very space back.
fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let bytes = s.as_bytes();
    let (mut i, mut word_start) = (0, 0);
    while i < bytes.len() {
        match space_len(s, i) {
            None => i += 1,
            Some(1)
                if bytes[i] == b' '
                    && i > word_start
                    && i + 1 < bytes.len()
                    && space_len(s, i + 1).is_none() =>
            {
                i += 1
            }
            Some(len) => {
                push_word(&mut out, &s[word_start..i]);
                i += len;
                word_start = i;
            }
        }
    }
    push_word(&mut out, &s[word_start..]);
    out
}

/// The length of the whitespace character (`char::is_whitespace`) starting at byte `i` of `s`;
/// `None` for any other character, for a byte inside one, and past the end.
fn space_len(s: &str, i: usize) -> Option<usize> {
    let b = *s.as_bytes().get(i)?;
    if b.is_ascii() {
        return matches!(b, b' ' | b'\t'..=b'\r').then_some(1);
    }
    if b & 0xc0 == 0x80 {
        return None;
    }
    let c = s[i..].chars().next()?;
    c.is_whitespace().then(|| c.len_utf8())
}

fn push_word(out: &mut String, word: &str) {
    if !word.is_empty() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// The text of `sentence` (a byte range of `text`) as written, whitespace collapsed, in at most
/// `max` characters: a longer sentence is cut around `figure` (a byte range inside it), at
/// spaces where it can be, with "…" where it was cut, so that the figure always shows.
pub fn sentence_around(
    text: &str,
    sentence: std::ops::Range<usize>,
    figure: std::ops::Range<usize>,
    max: usize,
) -> String {
    let (pre, fig, post) = (
        &text[sentence.start..figure.start],
        collapse_whitespace(&text[figure.clone()]),
        &text[figure.end..sentence.end],
    );
    let mut before = collapse_whitespace(pre);
    if !before.is_empty() && pre.ends_with(char::is_whitespace) {
        before.push(' ');
    }
    let mut after = collapse_whitespace(post);
    if !after.is_empty() && post.starts_with(char::is_whitespace) {
        after.insert(0, ' ');
    }
    let chars = |s: &str| s.chars().count();
    let (nb, nf, na) = (chars(&before), chars(&fig), chars(&after));
    if nb + nf + na <= max {
        return before + &fig + &after;
    }
    if nf + 2 > max {
        return fig.chars().take(max.saturating_sub(1)).collect::<String>() + "…";
    }
    // Room around the figure, less the two ellipses: half each side, what one side does not
    // need going to the other.
    let room = max - nf - 2;
    let right = na.min(room - nb.min(room / 2));
    let left = nb.min(room - right);
    let mut out = String::with_capacity(max * 4);
    if left < nb {
        let tail: String = before.chars().skip(nb - left).collect();
        // Start at a word: drop the cut word's end, unless the tail is a single word.
        let cut_in_word = before.chars().nth(nb - left - 1) != Some(' ');
        let word_start = match tail.find(' ') {
            Some(k) if cut_in_word && !tail[k..].trim().is_empty() => &tail[k + 1..],
            _ => tail.trim_start(),
        };
        out.push('…');
        out.push_str(word_start);
    } else {
        out.push_str(&before);
    }
    out.push_str(&fig);
    if right < na {
        let head: String = after.chars().take(right).collect();
        let cut_in_word = after.chars().nth(right) != Some(' ');
        let word_end = match head.rfind(' ') {
            Some(k) if cut_in_word && !head[..k].trim().is_empty() => &head[..k],
            _ => head.trim_end(),
        };
        out.push_str(word_end);
        out.push('…');
    } else {
        out.push_str(&after);
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn is_letter_is_is_alphabetic_and_is_letter_or_digit_is_alphanumeric() {
        // Every character of the blocks answered at once, and a few beyond them.
        let blocks = [
            '\0'..='\u{500}',
            '\u{1f00}'..='\u{2100}',
            '\u{3000}'..='\u{3100}',
        ];
        for c in blocks.into_iter().flatten() {
            assert_eq!(super::is_letter(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(super::is_letter_or_digit(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn lines_end_at_a_line_feed_a_crlf_once_and_a_lone_carriage_return() {
        let text = "one\ntwo\r\nthree\rfour\n\nsix\r\n";
        let lines = LineIndex::new(text);
        let line_of = |word: &str| lines.line_of(text.find(word).unwrap());
        assert_eq!(
            ["one", "two", "three", "four", "six"].map(line_of),
            [1, 2, 3, 4, 6]
        );
        // The CR of a CRLF is on its line, the LF too; the line after starts past both.
        assert_eq!(lines.line_of(text.find('\r').unwrap()), 2);
        assert_eq!(lines.line_of(text.len()), 7);
        assert_eq!(lines.line_count(), 7);
        assert_eq!(LineIndex::new("").line_count(), 1);
    }

    #[test]
    fn a_sentence_is_given_whole_as_written_with_its_whitespace_collapsed() {
        let text = "Title\n\nKyiv said  Russia had lost\n3,350 tanks on Tuesday.";
        let s = text.find("Kyiv").unwrap()..text.len();
        let f = text.find("3,350").unwrap()..text.find(" on").unwrap();
        assert_eq!(
            sentence_around(text, s, f, 600),
            "Kyiv said Russia had lost 3,350 tanks on Tuesday."
        );
    }

    #[test]
    fn whitespace_collapses_as_split_whitespace_joins_it() {
        for s in [
            "",
            " \t\n",
            "a",
            "  Kyiv said\u{a0}\u{a0}Russia\r\n\x0b lost\u{2009}3,350\u{3000}tanks \u{85}",
            "танки\u{2028}і\u{200b}ППО ",
            "one two  three four\u{a0}five \u{a0}six\u{a0} seven x",
            " lead and trail ",
        ] {
            let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace(s), joined, "{s:?}");
        }
    }

    #[test]
    fn a_long_sentence_is_cut_around_its_figure_at_words() {
        let words = "word ".repeat(200);
        let text = format!("{words}Russia lost 3,350 tanks {words}end.");
        let at = text.find("3,350").unwrap();
        let got = sentence_around(&text, 0..text.len(), at..at + "3,350 tanks".len(), 600);
        assert!(got.chars().count() <= 600, "{}", got.chars().count());
        assert!(got.starts_with("…word "), "{got}");
        assert!(got.ends_with(" word…"), "{got}");
        assert!(got.contains("Russia lost 3,350 tanks word"), "{got}");
        // A figure at the very start keeps the sentence's start and gives the room to the end.
        let text = format!("3,350 tanks {words}");
        let got = sentence_around(&text, 0..text.len(), 0..11, 600);
        assert!(
            got.starts_with("3,350 tanks word") && got.ends_with('…'),
            "{got}"
        );
        assert!(got.chars().count() <= 600);
        // Not a word is cut: every piece between spaces is whole.
        let text = format!(
            "{}x 3,350 tanks y{}",
            "abcdefghij ".repeat(80),
            " klmnopqrst".repeat(80)
        );
        let at = text.find("3,350").unwrap();
        let got = sentence_around(&text, 0..text.len(), at..at + 11, 100);
        for w in got.trim_matches('…').split(' ') {
            assert!(
                ["abcdefghij", "klmnopqrst", "x", "y", "3,350", "tanks"].contains(&w),
                "{w:?} in {got}"
            );
        }
    }
    use super::*;

    fn norms(s: &str) -> Vec<String> {
        tokenize(s)
            .tokens
            .iter()
            .map(|t| t.norm.to_string())
            .collect()
    }

    #[test]
    fn grouped_numbers_are_one_token() {
        assert_eq!(norms("lost 145,060 troops"), ["lost", "145,060", "troops"]);
        assert_eq!(norms("lost 145 060 troops"), ["lost", "145 060", "troops"]);
        assert_eq!(
            norms("lost 145\u{a0}060 troops"),
            ["lost", "145\u{a0}060", "troops"]
        );
        assert_eq!(
            norms("1 178 610 (+1240)"),
            ["1 178 610", "(", "+", "1240", ")"]
        );
    }

    #[test]
    fn a_year_does_not_swallow_the_next_number() {
        assert_eq!(norms("in 2023 145 060"), ["in", "2023", "145 060"]);
    }

    #[test]
    fn numeric_dates_and_times_are_not_numbers() {
        let t = tokenize("from 24.02.22 to 2023-05-02 at 14:37");
        let kinds: Vec<TokKind> = t.tokens.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                TokKind::Word,
                TokKind::NumDate,
                TokKind::Word,
                TokKind::NumDate,
                TokKind::Word,
                TokKind::Time
            ]
        );
    }

    #[test]
    fn ordinal_suffix_is_kept_apart() {
        let t = tokenize("the 47th brigade");
        assert_eq!(t.tokens[1].norm, "47");
        assert_eq!(t.tokens[1].suffix, "th");
    }

    #[test]
    fn sentences_split_on_full_stops_but_not_on_month_abbreviations() {
        let t = tokenize("On Feb. 24, 2022 it began. Then more came.\nNext line");
        assert_eq!(t.sentences.len(), 3);
    }

    #[test]
    fn a_change_in_parentheses_after_a_full_stop_ends_no_sentence() {
        for text in [
            "czołgi - 1200 szt. (+ 5), samoloty - 190 szt. Dalej.",
            "танків – 1200 од. (+5), літаків – 190 од. Далі.",
            "tanks – 1,200 pcs. (−2), aircraft – 190. Then more.",
        ] {
            assert_eq!(tokenize(text).sentences.len(), 2, "{text}");
        }
        // A parenthesis of words after a full stop may open a sentence.
        assert_eq!(tokenize("It ended. (Updated at noon.)").sentences.len(), 2);
    }

    #[test]
    fn an_abbreviated_multiplier_before_a_number_ends_no_sentence() {
        for text in [
            "Втрати склали 9 тис. 120 танків. Далі.",
            "Straty wynoszą 1 mln. 200 tys. żołnierzy. Dalej.",
            "Потери составили 12 тыс. 40 танков. Далее.",
        ] {
            assert_eq!(tokenize(text).sentences.len(), 2, "{text}");
        }
    }

    #[test]
    fn us_abbreviation_is_one_word() {
        assert_eq!(norms("the U.S. estimates"), ["the", "u.s.", "estimates"]);
    }

    #[test]
    fn hyphens_split_words() {
        assert_eq!(
            norms("manpower-about 1103580"),
            ["manpower", "-", "about", "1103580"]
        );
        assert_eq!(
            norms("Russia's anti-aircraft"),
            ["russia's", "anti", "-", "aircraft"]
        );
    }

    #[test]
    fn invisible_characters_inside_a_number_are_skipped_not_splitting_it() {
        for joiner in ['\u{200b}', '\u{2060}', '\u{feff}', '\u{200d}'] {
            let text = format!("lost 145{joiner}060 troops");
            let t = tokenize(&text);
            assert_eq!(t.tokens.len(), 3, "{text:?}");
            assert_eq!(t.tokens[1].norm, "145060");
            assert_eq!(
                &text[t.tokens[1].start..t.tokens[1].end],
                format!("145{joiner}060")
            );
        }
        assert_eq!(norms("lost 145,\u{200b}060 troops")[1], "145,060");
    }

    #[test]
    fn a_grouped_decimal_is_one_token_read_as_a_decimal() {
        assert_eq!(norms("3,334.7 artillery systems")[0], "3334.7");
        assert_eq!(norms("1.234,5 tonnes")[0], "1234.5");
        // A list written without spaces is no decimal.
        assert_eq!(norms("1.103.580,3.350")[0], "1.103.580");
        // A sentence that ends on a number.
        assert_eq!(norms("lost 145,060. Then")[1], "145,060");
    }

    #[test]
    fn a_minus_sign_stays_with_its_number() {
        let t = tokenize("lost \u{2212}145,060 troops (\u{2212}5)");
        assert_eq!(t.tokens[1].norm, "-145,060");
        assert_eq!(t.tokens[1].start, 5);
        assert_eq!(t.tokens[4].norm, "-5");
        // A dash before a number is still a dash.
        assert_eq!(norms("tanks -3325"), ["tanks", "-", "3325"]);
    }

    #[test]
    fn digits_of_other_scripts_read_as_ascii_with_exact_offsets() {
        let text = "\u{661}\u{664}\u{665}\u{66c}\u{660}\u{666}\u{660} \u{ff13}\u{ff13}\u{ff12}\u{ff15} \u{6f1}\u{6f2}";
        let t = tokenize(text);
        let got: Vec<(&str, &str)> = t
            .tokens
            .iter()
            .map(|tok| (tok.norm.as_str(), &text[tok.start..tok.end]))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "145,060",
                    "\u{661}\u{664}\u{665}\u{66c}\u{660}\u{666}\u{660}"
                ),
                ("3325", "\u{ff13}\u{ff13}\u{ff12}\u{ff15}"),
                ("12", "\u{6f1}\u{6f2}")
            ]
        );
        assert!(t.tokens.iter().all(|tok| tok.kind == TokKind::Num));
    }

    #[test]
    fn right_to_left_marks_around_a_number_are_space() {
        let text = "lost \u{200f}145,060\u{200f} troops";
        let t = tokenize(text);
        assert_eq!(norms(text), ["lost", "145,060", "troops"]);
        assert_eq!(&text[t.tokens[1].start..t.tokens[1].end], "145,060");
    }

    #[test]
    fn a_soft_hyphen_inside_a_word_keeps_it_one_word() {
        assert_eq!(norms("3,325 tan\u{ad}ks"), ["3,325", "tanks"]);
    }
}
