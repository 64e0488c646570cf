//! Dates: the document date (from the --date flag, a header line, a dateline, the file name or the
//! text), date mentions in sentences, day counts ("day 451 of the invasion"), and weekdays resolved
//! against an anchor. Nothing here guesses: where the text cannot decide, the answer is None.

use chrono::{Datelike, Duration, NaiveDate};

use crate::lexicon::Language;
use crate::numbers::{parse_digits, Digits};
use crate::text::{TokKind, Token, Tokenized};

/// How an anchor date relates to the figures: a publication date (header, dateline, file name,
/// --date) comes on or after the report it carries, so weekdays point back; a date the text itself
/// gives ("on day 451") is the narrative's now, so a weekday is the nearest one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Publication,
    Narrative,
}

#[derive(Clone, Debug)]
pub struct DocDate {
    pub date: NaiveDate,
    pub anchor: Anchor,
    /// How it was found, for date_basis: "header 'Published: 2024-03-22'".
    pub basis: String,
}

/// A date written in a sentence; the year may be missing ("Dec. 23").
#[derive(Clone, Debug, PartialEq)]
pub struct DateMention {
    pub first: usize,
    pub last: usize,
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

impl DateMention {
    pub fn date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year?, self.month, self.day)
    }
}

fn year_of(tok: &Token) -> Option<i32> {
    if tok.kind != TokKind::Num || tok.norm.len() != 4 || !tok.suffix.is_empty() {
        return None;
    }
    let y: i32 = tok.norm.parse().ok()?;
    (1900..=2100).contains(&y).then_some(y)
}

/// The day of a month at `tok`: a number up to 31, bare or with one of the `ordinal_suffixes`
/// ("1st", "1er", "1º").
fn day_of(lex: &Language, tok: &Token) -> Option<u32> {
    if tok.kind != TokKind::Num
        || tok.norm.len() > 2
        || !(tok.suffix.is_empty() || lex.function_words.ordinal_suffixes.contains(&tok.suffix))
    {
        return None;
    }
    let d: u32 = tok.norm.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

/// Parse a numeric date token: 24.02.22, 24.02.2022, 2023-05-02(T..), 02/06/2024, 2023/05/02.
pub fn parse_numeric_date(s: &str) -> Option<(i32, u32, u32)> {
    let s = s.split('T').next()?;
    let parts: Vec<&str> = s.split(['.', '/', '-']).collect();
    if parts.len() != 3 {
        return None;
    }
    let nums: Vec<u32> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let (y, m, d) = if parts[0].len() == 4 {
        (nums[0] as i32, nums[1], nums[2])
    } else {
        let y = if parts[2].len() == 2 {
            2000 + nums[2] as i32
        } else {
            nums[2] as i32
        };
        (y, nums[1], nums[0])
    };
    NaiveDate::from_ymd_opt(y, m, d).map(|_| (y, m, d))
}

/// Today's date (UTC), for the latest date a report can have.
pub fn today() -> NaiveDate {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date");
    epoch + chrono::Days::new(seconds / 86_400)
}

/// A year and month, "2024-04": the tokenizer's (which reads it as a date, never a count).
pub use crate::text::parse_year_month;

/// Every date written in tokens[from..to].
pub fn find_dates(lex: &Language, tokens: &[Token], from: usize, to: usize) -> Vec<DateMention> {
    let mut out = Vec::new();
    let mut i = from;
    let tok = |k: usize| if k < to { tokens.get(k) } else { None };
    while i < to {
        let t = &tokens[i];
        if t.kind == TokKind::NumDate {
            if let Some((y, m, d)) = parse_numeric_date(&t.norm) {
                out.push(DateMention {
                    first: i,
                    last: i + 1,
                    year: Some(y),
                    month: m,
                    day: d,
                });
            }
            i += 1;
            continue;
        }
        // Month Day[,] [Year]: "February 21 2023", "Feb. 24, 2022", "Dec. 23".
        if let Some(m) = lex.month(t) {
            let mut k = i + 1;
            if tok(k).is_some_and(|t| t.is(".")) {
                k += 1;
            }
            if let Some(d) = tok(k).and_then(|t| day_of(lex, t)) {
                let mut last = k + 1;
                let mut year = None;
                let mut y = k + 1;
                // "Feb 20, 2024"; "Feb 20/2024", as some sites stamp a post.
                if tok(y).is_some_and(|t| t.is(",") || t.is("/")) {
                    y += 1;
                }
                if let Some(yy) = tok(y).and_then(year_of) {
                    year = Some(yy);
                    last = y + 1;
                }
                // "May 3" alone is a date only next to a year, at the start of a line, or after
                // a word that introduces a date ("KYIV, May 7 (Reuters)", "as of May 7");
                // "may" is also a verb.
                let introduced = i.checked_sub(1).is_some_and(|p| {
                    matches!(tokens[p].norm.as_str(), "," | "(" | "|")
                        || lex.function_words.date_introducers.has(&tokens[p])
                });
                let ambiguous = lex.function_words.ambiguous_months.has(t);
                if !ambiguous || year.is_some() || t.line_start || introduced {
                    out.push(DateMention {
                        first: i,
                        last,
                        year,
                        month: m,
                        day: d,
                    });
                    i = last;
                    continue;
                }
            }
        }
        // Day Month [Year]: "17 September 2022", "3. Mai 2024", "3 de mayo de 2024".
        if let Some(m) = day_month_at(lex, tokens, i, to) {
            i = m.last;
            out.push(m);
            continue;
        }
        i += 1;
    }
    out
}

/// A date written day first at `tokens[i]`: "17 September 2022", "17 Oct. 2023", "30 серпня",
/// "3. Mai 2024" (the ordinal dot of German, Polish and Czech), "1er mai", "3 de mayo de 2024"
/// and "17 of September" (the word Romance languages and English put between day, month and
/// year).
fn day_month_at(lex: &Language, tokens: &[Token], i: usize, to: usize) -> Option<DateMention> {
    let tok = |k: usize| if k < to { tokens.get(k) } else { None };
    let linking = |t: &Token| lex.function_words.date_links.has(t);
    let day = day_of(lex, &tokens[i])?;
    let mut k = i + 1;
    if tok(k).is_some_and(|t| t.is(".") && t.start == tokens[i].end) {
        k += 1;
    }
    if tok(k).is_some_and(linking) {
        k += 1;
    }
    let month = tok(k).and_then(|t| lex.month(t))?;
    let mut last = k + 1;
    if tok(last).is_some_and(|t| t.is(".")) {
        last += 1;
    }
    let mut year = None;
    let mut y = last;
    if tok(y).is_some_and(|t| t.is(",") || linking(t)) {
        y += 1;
    }
    if let Some(yy) = tok(y).and_then(year_of) {
        year = Some(yy);
        last = y + 1;
    }
    Some(DateMention {
        first: i,
        last,
        year,
        month,
        day,
    })
}

/// Where the first naming of the war or the invasion ("of the full-scale war", "війни") that
/// starts in `tokens[a..b]` ends (phrases may run on to `to`).
pub fn invasion_named(
    lex: &Language,
    tokens: &[Token],
    a: usize,
    b: usize,
    to: usize,
) -> Option<usize> {
    (a..b.min(to)).find_map(|j| lex.invasion_words.contains_at(tokens, j, to).map(|n| j + n))
}

/// "day 451 of the invasion", "the 1048th day of Russia's full-scale war", "365 days since the
/// invasion began": (first token, last token, day number with day 1 = the invasion's first day).
pub fn day_count(
    lex: &Language,
    tokens: &[Token],
    from: usize,
    to: usize,
) -> Option<(usize, usize, i64)> {
    let near_invasion = |k: usize| invasion_named(lex, tokens, k, k + 8, to);
    for i in from..to {
        let t = &tokens[i];
        // "day 451 of ..."
        let words = &lex.function_words;
        if words.war_day_nouns.has(t)
            && tokens
                .get(i + 1)
                .is_some_and(|n| n.kind == TokKind::Num && n.suffix.is_empty())
            && i + 2 < to
            && words.war_day_links.has(&tokens[i + 2])
        {
            if let (Ok(n), Some(end)) = (tokens[i + 1].norm.parse::<i64>(), near_invasion(i + 2)) {
                return Some((i, end, n));
            }
        }
        // "the 1048th day of ..."
        if t.kind == TokKind::Num
            && words.war_day_ordinal_suffixes.contains(&t.suffix)
            && i + 2 < to
            && words.war_day_nouns.has(&tokens[i + 1])
            && words.war_day_links.has(&tokens[i + 2])
        {
            if let (Ok(n), Some(end)) = (t.norm.parse::<i64>(), near_invasion(i + 2)) {
                return Some((i, end, n));
            }
        }
        // "365 days since the invasion began" counts the day itself: day 365.
        if t.kind == TokKind::Num
            && t.suffix.is_empty()
            && i + 2 < to
            && words.war_days_nouns.has(&tokens[i + 1])
            && words.war_days_links.has(&tokens[i + 2])
            && !spanned(lex, tokens, from, i)
        {
            if let (Ok(n), Some(end)) =
                (t.norm.replace(',', "").parse::<i64>(), near_invasion(i + 2))
            {
                return Some((i, end, n));
            }
        }
    }
    ordinal_day_count(lex, tokens, from, to)
}

/// A day count as most languages write it, with the day word of the language's table (a span
/// unit of one day) and an invasion word near it: "am 451. Tag des Krieges", "au 451e jour de la
/// guerre", "el 451º día de la guerra", "w 451. dniu wojny", "на 451-й день войны", "savaşın 451.
/// gününde", and the number after the word: "día 451 de la invasión", "giorno 451 di guerra".
fn ordinal_day_count(
    lex: &Language,
    tokens: &[Token],
    from: usize,
    to: usize,
) -> Option<(usize, usize, i64)> {
    let day_word = |k: usize| k < to && lex.span_units.get(tokens[k].norm.as_str()) == Some(&1);
    let invasion_from = |a: usize, b: usize| invasion_named(lex, tokens, a, b, to);
    for i in from..to {
        if let Some((n, next)) = ordinal_at(lex, tokens, i, to).filter(|&(_, k)| day_word(k)) {
            if let Some(end) = invasion_from(next + 1, next + 9) {
                return Some((i, end, n));
            }
            if invasion_from(i.saturating_sub(3).max(from), i).is_some() {
                return Some((i, next + 1, n));
            }
        }
        if let Some(n) = lasted_days(lex, tokens, i, from, to) {
            return Some(n);
        }
        // A page's day counter opening its line: "1 234 день війни", "1234 день войны".
        let counter = i == from
            && tokens[i].kind == TokKind::Num
            && tokens[i].suffix.is_empty()
            && day_word(i + 1);
        if counter {
            if let (Some(Digits::Whole(n)), Some(end)) =
                (parse_digits(&tokens[i].norm), invasion_from(i + 2, i + 3))
            {
                return Some((i, end, n as i64));
            }
        }
        let counted = tokens
            .get(i + 1)
            .filter(|n| i + 1 < to && n.kind == TokKind::Num && n.suffix.is_empty());
        if let Some(num) = counted.filter(|_| day_word(i)) {
            if let (Ok(n), Some(end)) = (num.norm.parse::<i64>(), invasion_from(i + 2, i + 5)) {
                return Some((i, end, n));
            }
        }
    }
    None
}

/// How long the war has lasted, as a day count: "the war has lasted 130 days", "as fighting
/// continues for 130 days" (the war, then one of the language's `lasting_words`), "after 130
/// días de guerra" (the war right after): day 130. Not a span of the past ("in the last 30 days
/// of the war"), and not what something else lasted ("the offensive, which lasted 90 days").
fn lasted_days(
    lex: &Language,
    tokens: &[Token],
    i: usize,
    from: usize,
    to: usize,
) -> Option<(usize, usize, i64)> {
    let t = &tokens[i];
    if t.kind != TokKind::Num
        || !t.suffix.is_empty()
        || i + 1 >= to
        || spanned(lex, tokens, from, i)
    {
        return None;
    }
    if lex.span_units.get(tokens[i + 1].norm.as_str()) != Some(&1) {
        return None;
    }
    let n: i64 = t.norm.replace(',', "").parse().ok()?;
    let invasion_in = |a: usize, b: usize| invasion_named(lex, tokens, a, b, to).is_some();
    let lasting = lex
        .lasting_words
        .longest_ending_at(tokens, i.saturating_sub(5).max(from), i)
        .is_some_and(|(len, _)| {
            let start = i - len;
            invasion_in(start.saturating_sub(5).max(from), start)
        });
    let linked = i + 2 < to
        && lex.function_words.war_age_links.has(&tokens[i + 2])
        && invasion_in(i + 3, i + 6);
    (lasting || linked).then_some((i, i + 2, n))
}

/// Whether the count at tokens[i] follows one of the language's `span_words`, which make it a
/// span of the past ("the past 30 days"), not the war's age.
fn spanned(lex: &Language, tokens: &[Token], from: usize, i: usize) -> bool {
    i > from && lex.span_words.has(&tokens[i - 1])
}

/// An ordinal number at `tokens[i]` and where it ends: "451st", "451e", "451º", "451." (the
/// ordinal dot), "451-й" (a glued hyphen and a short ending).
fn ordinal_at(lex: &Language, tokens: &[Token], i: usize, to: usize) -> Option<(i64, usize)> {
    let t = &tokens[i];
    if t.kind != TokKind::Num || !t.norm.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = t.norm.parse().ok()?;
    let glued = |k: usize| k < to && tokens[k].start == tokens[k - 1].end;
    if lex.function_words.ordinal_suffixes.contains(&t.suffix) && !t.suffix.is_empty() {
        return Some((n, i + 1));
    }
    if !t.suffix.is_empty() {
        return None;
    }
    if glued(i + 1) && matches!(tokens[i + 1].norm.as_str(), "." | "°" | "º") {
        return Some((n, i + 2));
    }
    let ending = |k: usize| {
        glued(k) && tokens[k].kind == TokKind::Word && tokens[k].norm.chars().count() <= 3
    };
    if glued(i + 1) && tokens[i + 1].is("-") && ending(i + 2) {
        return Some((n, i + 3));
    }
    None
}

pub fn day_number_date(start: NaiveDate, n: i64) -> Option<NaiveDate> {
    if !(1..=100_000).contains(&n) {
        return None;
    }
    start.checked_add_signed(Duration::days(n - 1))
}

/// The date of `weekday` (0 = Monday) relative to `anchor`.
pub fn resolve_weekday(anchor: NaiveDate, weekday: u32, mode: Anchor) -> NaiveDate {
    let a = anchor.weekday().num_days_from_monday() as i64;
    let back = (a - weekday as i64).rem_euclid(7);
    match mode {
        Anchor::Publication => anchor - Duration::days(back),
        Anchor::Narrative => {
            if back <= 3 {
                anchor - Duration::days(back)
            } else {
                anchor + Duration::days(7 - back)
            }
        }
    }
}

/// Fill in the year of a date written without one, from a known year (and month, to cross
/// a new year: "Dec. 30" in a January folder belongs to the year before).
pub fn complete_year(
    month: u32,
    day: u32,
    year: i32,
    known_month: Option<u32>,
) -> Option<NaiveDate> {
    let y = match known_month {
        Some(km) if month == 12 && km == 1 => year - 1,
        Some(km) if month == 1 && km == 12 => year + 1,
        _ => year,
    };
    NaiveDate::from_ymd_opt(y, month, day)
}

/// A date found in a file name or path: a full date, or only a year and month ("2022/03/").
#[derive(Clone, Debug, PartialEq)]
pub enum PathDate {
    Full(NaiveDate, String),
    YearMonth(i32, u32),
}

/// The date in a path, tried in this order (each form only at its first place in the path):
/// "2023-02-22" (or with `_`, `.`, `/`), "20230222", "march-5th-2023", "5-march-2023",
/// "22.02.2023", and the folders "2023/02/". Scanned by hand rather than with regular
/// expressions: they ran once per file and, built or matched, cost more than the rest of
/// reading a file name (a third of a one-file run, or a tenth of a large one).
pub fn path_date(lex: &Language, path: &str) -> Option<PathDate> {
    let b = path.as_bytes();
    let digit = |i: usize| {
        b.get(i)
            .filter(|c| c.is_ascii_digit())
            .map(|c| u32::from(c - b'0'))
    };
    let num = |i: usize, n: usize| (i..i + n).try_fold(0, |acc, k| Some(acc * 10 + digit(k)?));
    // "20[0-9]{2}", "0[1-9]|1[0-2]", "0[1-9]|[12][0-9]|3[01]": always two or four digits.
    let year = |i: usize| num(i, 4).filter(|y| (2000..2100).contains(y));
    let month = |i: usize| num(i, 2).filter(|m| (1..=12).contains(m));
    let day = |i: usize| num(i, 2).filter(|d| (1..=31).contains(d));
    let is = |i: usize, set: &[u8]| b.get(i).is_some_and(|c| set.contains(c));
    let not_digit = |i: usize| !b.get(i).is_some_and(u8::is_ascii_digit);
    let not_alnum = |i: usize| !b.get(i).is_some_and(u8::is_ascii_alphanumeric);
    let not_letter = |i: usize| !b.get(i).is_some_and(u8::is_ascii_alphabetic);
    // Before position i: the start of the path, or a byte of the given kind.
    let after = |i: usize, ok: &dyn Fn(usize) -> bool| i == 0 || ok(i - 1);
    let letters = |i: usize| {
        b[i.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .count()
    };
    let digits = |i: usize| {
        b[i.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let first =
        |find: &dyn Fn(usize) -> Option<(usize, usize, [u32; 3])>| (0..=b.len()).find_map(find);
    let numeric = |(start, end, [y, m, d]): (usize, usize, [u32; 3])| {
        let date = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)?;
        Some(PathDate::Full(date, path[start..end].to_string()))
    };

    // "2023-02-22", "2023_02_22", "2023.02.22", "2023/02/22"
    let full = first(&|i| {
        let sep = b"-_./";
        (after(i, &not_digit) && is(i + 4, sep) && is(i + 7, sep) && not_digit(i + 10))
            .then(|| Some((i, i + 10, [year(i)?, month(i + 5)?, day(i + 8)?])))
            .flatten()
    });
    // "20230222"
    let compact = || {
        first(&|i| {
            (after(i, &not_alnum) && not_alnum(i + 8))
                .then(|| Some((i, i + 8, [year(i)?, month(i + 4)?, day(i + 6)?])))
                .flatten()
        })
    };
    if let Some(found) = full
        .and_then(numeric)
        .or_else(|| compact().and_then(numeric))
    {
        return Some(found);
    }

    // The month by name: "march-5th-2023", "5-march-2023". `written` is what the file name
    // says, as the reader will recognise it.
    let month_num = |w: &[u8]| {
        lex.path_months
            .get(&String::from_utf8_lossy(w).to_lowercase())
            .copied()
    };
    let written = |start: usize, end: usize| {
        // The characters that mark the edges are shown as the path has them.
        let (mut start, mut end) = (start.saturating_sub(1), (end + 1).min(b.len()));
        while !path.is_char_boundary(start) {
            start -= 1;
        }
        while !path.is_char_boundary(end) {
            end += 1;
        }
        path[start..end]
            .trim_matches(|ch: char| !ch.is_alphanumeric())
            .to_string()
    };
    // A run of 3 to 9 letters at i, then one of "-_ ": the month's end.
    let month_word = |i: usize| {
        let n = letters(i);
        ((3..=9).contains(&n) && is(i + n, b"-_ ")).then_some(n)
    };
    // A run of separators from i, then a year that ends the number: the year's end.
    let year_after = |i: usize, seps: &[u8]| {
        let n = b[i.min(b.len())..]
            .iter()
            .take_while(|c| seps.contains(c))
            .count();
        (n > 0 && not_digit(i + n + 4))
            .then(|| Some((i + n, year(i + n)?)))
            .flatten()
    };
    // "march-5th-2023", "Feb_24_2022"
    let words = (0..=b.len()).find_map(|i| {
        if !after(i, &not_letter) {
            return None;
        }
        let m = month_word(i)?;
        let d_at = i + m + 1;
        let nd = digits(d_at);
        if !(1..=2).contains(&nd) {
            return None;
        }
        let mut k = d_at + nd;
        let suffix = b.get(k..k + 2).map(|s| s.to_ascii_lowercase());
        if matches!(suffix.as_deref(), Some(b"st" | b"nd" | b"rd" | b"th")) {
            k += 2;
        }
        let (y_at, y) = year_after(k, b"-_, ")?;
        Some((i, i + m, d_at, nd, y, y_at + 4))
    });
    if let Some((i, m_end, d_at, nd, y, end)) = words {
        let d = num(d_at, nd);
        if let (Some(m), Some(d)) = (month_num(&b[i..m_end]), d) {
            if let Some(date) = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d) {
                return Some(PathDate::Full(date, written(i, end)));
            }
        }
    }
    // "5-march-2023", "24 Feb 2022"
    let words_dmy = (0..=b.len()).find_map(|i| {
        let nd = digits(i);
        if !after(i, &not_digit) || !(1..=2).contains(&nd) || !is(i + nd, b"-_ ") {
            return None;
        }
        let m_at = i + nd + 1;
        let m = letters(m_at);
        if !(3..=9).contains(&m) {
            return None;
        }
        let (y_at, y) = year_after(m_at + m, b"-_ ")?;
        Some((i, nd, m_at, m, y, y_at + 4))
    });
    if let Some((i, nd, m_at, m, y, end)) = words_dmy {
        if let (Some(mo), Some(d)) = (month_num(&b[m_at..m_at + m]), num(i, nd)) {
            if let Some(date) = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, mo, d) {
                return Some(PathDate::Full(date, written(i, end)));
            }
        }
    }
    // "22.02.2023", "22-02-2023"
    let dmy = first(&|i| {
        let sep = b"-_.";
        (after(i, &not_digit) && is(i + 2, sep) && is(i + 5, sep) && not_digit(i + 10))
            .then(|| Some((i, i + 10, [year(i + 6)?, month(i + 3)?, day(i)?])))
            .flatten()
    });
    if let Some(found) = dmy.and_then(numeric) {
        return Some(found);
    }
    // The folders "2022/03/"
    (0..b.len()).find_map(|i| {
        (after(i, &|k| b[k] == b'/') && is(i + 4, b"/") && is(i + 7, b"/"))
            .then(|| {
                Some(PathDate::YearMonth(
                    i32::try_from(year(i)?).ok()?,
                    month(i + 5)?,
                ))
            })
            .flatten()
    })
}

/// A year stated as a copyright line ("© 2025 Kyiv Ledger").
fn copyright_year(lex: &Language, tokens: &[Token]) -> Option<i32> {
    tokens.windows(2).find_map(|w| {
        (w[0].is("©") || lex.function_words.copyright_words.has(&w[0]))
            .then(|| year_of(&w[1]))
            .flatten()
    })
}

/// Lines as token ranges (a line = tokens from one line_start to the next).
fn lines(tokens: &[Token]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut first = 0;
    for i in 1..=tokens.len() {
        if i == tokens.len() || tokens[i].line_start {
            out.push((first, i));
            first = i;
        }
    }
    out
}

fn quote(text: &str, tokens: &[Token], first: usize, last: usize) -> String {
    let s = &text[tokens[first].start..tokens[last - 1].end];
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

/// The dates a page's head gives: its header or dateline, and an update stamp found below the
/// figures (a footer), which dates the page only where the text fits it (see `extract::dating`).
#[derive(Clone, Debug, Default)]
pub struct HeadDates {
    pub header: Option<DocDate>,
    pub footer: Option<DocDate>,
    /// The tokens of the footer's line, whose date is no evidence of the text's own.
    pub footer_tokens: std::ops::Range<usize>,
}

/// The document date from a header line or a dateline, in that order, among the first lines.
/// An update stamp ("Updated: 2026-01-01") from `body_start` on (the byte where the figures
/// begin) is no header: it is returned as the footer. (`--date`, the file name, the text and
/// the folders are the caller's.) `known_year` ([`context_year`]) completes a dateline written
/// without its year.
pub fn head_dates(
    lex: &Language,
    text: &str,
    tok: &Tokenized,
    known_year: Option<KnownYear>,
    body_start: usize,
) -> HeadDates {
    let tokens = &tok.tokens;
    let lines = lines(tokens);
    let mut head = HeadDates::default();
    // Header: one of the first lines is a label and a date, or a date with little else.
    for &(first, last) in lines.iter().take(12) {
        let dates = find_dates(lex, tokens, first, last);
        let Some(dm) = dates.first() else { continue };
        let Some(date) = dm.date() else { continue };
        // A label opens the line: only markup may stand before it ("**Updated:**"), not a
        // word ("An updated toll ... on May 2" is prose).
        let label_in = |table: &crate::lexicon::Phrases<()>, to: usize| {
            (first..to)
                .take_while(|&k| k == first || tokens[k - 1].kind != TokKind::Word)
                .any(|k| table.contains_at(tokens, k, dm.first).is_some())
        };
        // "Updated: 2024-01-09", "Russian losses (updated 09.01.2024)": at the line's start or
        // right before the date.
        let before_date = dm.first - usize::from(dm.first > first && tokens[dm.first - 1].is(":"));
        let update = label_in(&lex.update_labels, dm.first.min(first + 3))
            || lex
                .update_labels
                .longest_ending_at(
                    tokens,
                    first.max(before_date.saturating_sub(4)),
                    before_date,
                )
                .is_some();
        let labelled = update
            || label_in(&lex.header_labels, dm.first.min(first + 3))
            || (dm.first > first && lex.header_date_words.has(&tokens[dm.first - 1]));
        let other_words = (first..last)
            .filter(|&k| {
                (k < dm.first || k >= dm.last)
                    && tokens[k].kind == TokKind::Word
                    && lex.weekday(&tokens[k]).is_none()
            })
            .filter(|&k| !lex.function_words.header_stamp_words.has(&tokens[k]))
            .count();
        let bylined = (first..last).any(|k| tokens[k].is("|")) && other_words <= 4;
        // A short title ending in its date: "LOSSES OF RUSSIAN ARMY - 27.03.2026".
        let titled = dm.last == last
            && dm.first > first
            && matches!(
                tokens[dm.first - 1].norm.as_str(),
                "-" | "–" | "—" | ":" | "|" | "("
            )
            && other_words <= 6;
        // A time stamp before the date, as news sites print one under the title: "8:57 — 2
        // December 2022", "14:05, 3.05.2023 (views 411)".
        let timed = dm.first > first
            && dm.first <= first + 2
            && tokens[first].kind == TokKind::Time
            && other_words <= 2;
        if !(labelled || other_words == 0 || bylined || titled || timed) {
            continue;
        }
        let stamp = quote(text, tokens, first, last);
        if update && tokens[first].start >= body_start {
            // Below the figures: a later version's date, which may not be the report's.
            if head.footer.is_none() {
                head.footer_tokens = first..last;
                head.footer = Some(DocDate {
                    date,
                    anchor: Anchor::Publication,
                    basis: format!("update stamp '{stamp}'"),
                });
            }
            continue;
        }
        head.header = Some(DocDate {
            date,
            anchor: Anchor::Publication,
            basis: format!("header '{stamp}'"),
        });
        return head;
    }
    // Dateline: "KYIV, Feb 7 (Reuters) -", "Lviv, 30 October /Baltic Newsroom/ –".
    for &(first, last) in lines.iter().take(12) {
        let Some(dm) = dateline_at(lex, text, tokens, first, last) else {
            continue;
        };
        let q = quote(text, tokens, first, dm.last);
        if let Some(date) = dm.date() {
            head.header = Some(DocDate {
                date,
                anchor: Anchor::Publication,
                basis: format!("dateline '{q}'"),
            });
            return head;
        }
        if let Some(known) = known_year {
            if let Some(date) = complete_year(dm.month, dm.day, known.year, known.month) {
                head.header = Some(DocDate {
                    date,
                    anchor: Anchor::Publication,
                    basis: format!("dateline '{q}', year from {}", known.whence),
                });
                return head;
            }
        }
    }
    head
}

/// The folders of a path and the file's own name: "articles/2026/11/25/" and "story.txt".
fn split_path(path: &str) -> (&str, &str) {
    match path.rfind(['/', '\\']) {
        Some(i) => (&path[..=i], &path[i + 1..]),
        None => ("", path),
    }
}

/// The date the file's own name gives ("2023-02-22-story.txt"), as a document date.
pub fn file_name_date(lex: &Language, path: &str) -> Option<DocDate> {
    match path_date(lex, split_path(path).1) {
        Some(PathDate::Full(date, written)) => Some(DocDate {
            date,
            anchor: Anchor::Publication,
            basis: format!("file name '{written}'"),
        }),
        _ => None,
    }
}

/// The date the folders above a file give ("articles/2026/11/25/"), or one written across the
/// folders and the name ("2023/02/22.txt"). Folders are often named when an article was fetched
/// or filed, not when it was written: a folder's date comes after every date the article gives.
pub fn folder_date(lex: &Language, path: &str) -> Option<PathDate> {
    let (folders, _) = split_path(path);
    let in_folders = path_date(lex, folders);
    if let Some(full @ PathDate::Full(..)) = in_folders {
        return Some(full);
    }
    // A date running into the name: the whole path has one the name alone does not.
    let named = file_name_date(lex, path).map(|d| d.date);
    match path_date(lex, path) {
        Some(PathDate::Full(date, written)) if named != Some(date) => {
            Some(PathDate::Full(date, written))
        }
        _ => in_folders,
    }
}

/// A dateline at the start of the line tokens[first..last]: a place of one to three capitalised
/// words, a comma, a date, then the agency, a dash or the end of the line ("KYIV, Feb 7
/// (Reuters) -", "Kyiv, 15.08.2022").
pub fn dateline_at(
    lex: &Language,
    text: &str,
    tokens: &[Token],
    first: usize,
    last: usize,
) -> Option<DateMention> {
    // The place: "KYIV", "New York", "KHARKIV, Ukraine".
    let capitalised = |k: usize| {
        tokens[k].kind == TokKind::Word
            && text[tokens[k].start..].starts_with(|c: char| c.is_uppercase())
    };
    let mut k = first;
    while k < last && k < first + 3 && capitalised(k) {
        k += 1;
    }
    if k == first || k >= last || !tokens[k].is(",") {
        return None;
    }
    if k + 2 < last
        && capitalised(k + 1)
        && lex.month(&tokens[k + 1]).is_none()
        && tokens[k + 2].is(",")
    {
        k += 2;
    }
    let dm = find_dates(lex, tokens, k + 1, last)
        .into_iter()
        .next()
        .filter(|d| d.first == k + 1)?;
    // Alone on its line ("Kyiv, 15.08.2022" above a live blog), or before the agency or a dash.
    if dm.last == last {
        return Some(dm);
    }
    let after = tokens.get(dm.last)?;
    matches!(
        after.norm.as_str(),
        "(" | "/" | "—" | "–" | "-" | "‒" | "―" | ":"
    )
    .then_some(dm)
}

/// The year (and month, where known) a date written without one takes, and where it is from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KnownYear {
    pub year: i32,
    pub month: Option<u32>,
    /// For a basis: "the file name", "the page's stamp", "the folder", "the copyright line".
    pub whence: &'static str,
}

/// The year (and month, where known) to give a date written without one, from the most direct
/// source first: the file's own name, a page's year-month stamp, the folders, a copyright line.
pub fn context_year(lex: &Language, tokens: &[Token], path: &str) -> Option<KnownYear> {
    let known = |year, month, whence| KnownYear {
        year,
        month,
        whence,
    };
    if let Some(d) = file_name_date(lex, path) {
        return Some(known(d.date.year(), Some(d.date.month()), "the file name"));
    }
    if let Some((y, m)) = stamped_year_month(lex, tokens) {
        return Some(known(y, Some(m), "the page's stamp"));
    }
    match folder_date(lex, path) {
        Some(PathDate::Full(d, _)) => Some(known(d.year(), Some(d.month()), "the folder")),
        Some(PathDate::YearMonth(y, m)) => Some(known(y, Some(m), "the folder")),
        None => copyright_year(lex, tokens).map(|y| known(y, None, "the copyright line")),
    }
}

/// A year and month stamped at the head of a page, alone or after a label: "date 2024-04",
/// "Published: 2024/04".
fn stamped_year_month(lex: &Language, tokens: &[Token]) -> Option<(i32, u32)> {
    lines(tokens)
        .into_iter()
        .take(12)
        .find_map(|(first, last)| {
            let k = (first..last.min(first + 4)).find(|&k| tokens[k].kind == TokKind::NumDate)?;
            let labelled = k == first
                || (first..k).any(|j| {
                    lex.header_labels.contains_at(tokens, j, k).is_some()
                        || lex.update_labels.contains_at(tokens, j, k).is_some()
                });
            labelled
                .then(|| parse_year_month(&tokens[k].norm))
                .flatten()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;
    use std::sync::OnceLock;

    // The regular expressions path_date was first written with: the scanner must agree with them
    // on every path.
    type BytesRegex = regex_lite::Regex;

    /// The file-name patterns are few and small, and run once per file name: regex-lite builds them
    /// in a fraction of the time the full regex engine spends optimising them, which was a third of
    /// the start-up time of a one-file run.
    fn ascii_regex(pattern: &str) -> Result<BytesRegex, regex_lite::Error> {
        regex_lite::Regex::new(pattern)
    }

    fn ascii(s: &str) -> Option<&str> {
        Some(s)
    }

    fn path_date_by_regex(lex: &Language, path: &str) -> Option<PathDate> {
        let bytes = path;
        static FULL: OnceLock<BytesRegex> = OnceLock::new();
        static COMPACT: OnceLock<BytesRegex> = OnceLock::new();
        static WORDS: OnceLock<BytesRegex> = OnceLock::new();
        static WORDS_DMY: OnceLock<BytesRegex> = OnceLock::new();
        static YEAR_MONTH: OnceLock<BytesRegex> = OnceLock::new();
        static DMY: OnceLock<BytesRegex> = OnceLock::new();
        let dmy = DMY.get_or_init(|| {
            ascii_regex(r"(?:^|[^0-9])(0[1-9]|[12][0-9]|3[01])[-_.](0[1-9]|1[0-2])[-_.](20[0-9]{2})(?:[^0-9]|$)").unwrap()
        });
        let full = FULL.get_or_init(|| ascii_regex(r"(?:^|[^0-9])(20[0-9]{2})[-_./](0[1-9]|1[0-2])[-_./](0[1-9]|[12][0-9]|3[01])(?:[^0-9]|$)").unwrap());
        let compact = COMPACT.get_or_init(|| ascii_regex(r"(?i)(?:^|[^0-9a-z])(20[0-9]{2})(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])(?:[^0-9a-z]|$)").unwrap());
        let words = WORDS.get_or_init(|| ascii_regex(r"(?i)(?:^|[^a-z])([a-z]{3,9})[-_ ]([0-9]{1,2})(?:st|nd|rd|th)?[-_, ]+(20[0-9]{2})(?:[^0-9]|$)").unwrap());
        let words_dmy = WORDS_DMY.get_or_init(|| {
            ascii_regex(
                r"(?i)(?:^|[^0-9])([0-9]{1,2})[-_ ]([a-z]{3,9})[-_ ]+(20[0-9]{2})(?:[^0-9]|$)",
            )
            .unwrap()
        });
        let year_month = YEAR_MONTH
            .get_or_init(|| ascii_regex(r"(?:^|/)(20[0-9]{2})/(0[1-9]|1[0-2])/").unwrap());
        // A numeric match: the date from its (year, month, day) groups, and the digits as written.
        let numeric =
            |c: Option<regex_lite::Captures>, [y, m, d]: [usize; 3]| -> Option<PathDate> {
                let c = c?;
                let date = NaiveDate::from_ymd_opt(
                    ascii(&c[y])?.parse().ok()?,
                    ascii(&c[m])?.parse().ok()?,
                    ascii(&c[d])?.parse().ok()?,
                )?;
                let written = c[0]
                    .trim_matches(|ch: char| !ch.is_ascii_digit())
                    .to_string();
                Some(PathDate::Full(date, written))
            };
        if let Some(found) = numeric(full.captures(bytes), [1, 2, 3])
            .or_else(|| numeric(compact.captures(bytes), [1, 2, 3]))
        {
            return Some(found);
        }
        let month_num = |w: &str| lex.path_months.get(&w.to_lowercase()).copied();
        if let Some(c) = words.captures(bytes) {
            if let (Some(m), Ok(d), Ok(y)) = (
                month_num(&c[1]),
                ascii(&c[2]).and_then(|d| d.parse::<u32>().ok()).ok_or(()),
                ascii(&c[3]).and_then(|y| y.parse::<i32>().ok()).ok_or(()),
            ) {
                if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                    return Some(PathDate::Full(
                        date,
                        c[0].trim_matches(|ch: char| !ch.is_alphanumeric())
                            .to_string(),
                    ));
                }
            }
        }
        if let Some(c) = words_dmy.captures(bytes) {
            if let (Some(m), Ok(d), Ok(y)) = (
                month_num(&c[2]),
                ascii(&c[1]).and_then(|d| d.parse::<u32>().ok()).ok_or(()),
                ascii(&c[3]).and_then(|y| y.parse::<i32>().ok()).ok_or(()),
            ) {
                if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                    return Some(PathDate::Full(
                        date,
                        c[0].trim_matches(|ch: char| !ch.is_alphanumeric())
                            .to_string(),
                    ));
                }
            }
        }
        if let Some(found) = numeric(dmy.captures(bytes), [3, 2, 1]) {
            return Some(found);
        }
        if let Some(c) = year_month.captures(bytes) {
            return Some(PathDate::YearMonth(
                ascii(&c[1])?.parse().ok()?,
                ascii(&c[2])?.parse().ok()?,
            ));
        }
        None
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        #[test]
        fn path_date_scanner_agrees_with_the_regular_expressions(
            path in "([0-9]{1,4}|20[0-9]{2}|0[1-9]|1[0-2]|[-_./ ,]|st|th|nd|x|é|\\.txt|march|Feb|sept|august|december|mayday|abcdefghijk){0,12}"
        ) {
            let lex = Lexicon::builtin().language("en").unwrap();
            proptest::prop_assert_eq!(path_date(lex, &path), path_date_by_regex(lex, &path));
        }
    }
    use crate::text::tokenize;

    fn doc_date(text: &str, path: &str) -> Option<(NaiveDate, String)> {
        let lex = Lexicon::builtin().language("en").unwrap();
        let t = tokenize(text);
        let head = head_dates(
            lex,
            text,
            &t,
            context_year(lex, &t.tokens, path),
            usize::MAX,
        );
        head.header
            .or_else(|| file_name_date(lex, path))
            .map(|d| (d.date, d.basis))
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn year_month_stamps_parse_and_bound() {
        assert_eq!(parse_year_month("2024-04"), Some((2024, 4)));
        assert_eq!(parse_year_month("2022/12"), Some((2022, 12)));
        for s in ["2022-23", "2024-4", "1850-05", "2024-00", "12-2024"] {
            assert_eq!(parse_year_month(s), None, "{s}");
        }
    }

    #[test]
    fn header_line_gives_the_date() {
        assert_eq!(
            doc_date("Published: 2024-03-22\n\nText.", "a.txt")
                .unwrap()
                .0,
            ymd(2024, 3, 22)
        );
        assert_eq!(
            doc_date("Updated: Sat, 17 Sep 2022 14:37:00 GMT\n\nText.", "a.txt")
                .unwrap()
                .0,
            ymd(2022, 9, 17)
        );
        assert_eq!(
            doc_date("By Olena Marchenko | Jul 17, 2022\nText here.", "a.txt")
                .unwrap()
                .0,
            ymd(2022, 7, 17)
        );
        assert_eq!(
            doc_date("2024-06-02T21:35:00+02:00\n\nTitle", "a.txt")
                .unwrap()
                .0,
            ymd(2024, 6, 2)
        );
    }

    #[test]
    fn dateline_in_may_and_dateline_alone_on_its_line() {
        // "May" is a verb too, but after a dateline's comma it is the month.
        assert_eq!(
            doc_date(
                "LOSSES OF RUSSIAN ARMY - todays update\n\nKYIV, May 7 (Eurasia Desk) - losses:",
                "2025/05/x.txt"
            )
            .unwrap()
            .0,
            ymd(2025, 5, 7)
        );
        assert_eq!(
            doc_date(
                "Ukraine war live updates\n\nKyiv, 15.08.2022\n\n14:00\nText.",
                "a.txt"
            )
            .unwrap()
            .0,
            ymd(2022, 8, 15)
        );
        // The verb stays a verb.
        assert!(doc_date("Russia may 7 times over lose more.", "a.txt").is_none());
    }

    #[test]
    fn dateline_with_and_without_year() {
        assert_eq!(
            doc_date(
                "Title\n\nWARSAW, July 21, 2024 (KNS) - The staff said.",
                "a.txt"
            )
            .unwrap()
            .0,
            ymd(2024, 7, 21)
        );
        let (d, basis) = doc_date(
            "Title\n\nBRUSSELS, Dec. 23 (Frontline Media) – Text.\n\n© 2025 Kyiv Ledger.",
            "a.txt",
        )
        .unwrap();
        assert_eq!(d, ymd(2025, 12, 23));
        assert!(basis.contains("copyright"));
        assert_eq!(
            doc_date("KYIV, March 13 (Press) – Text.", "2022/03/x.txt")
                .unwrap()
                .0,
            ymd(2022, 3, 13)
        );
    }

    #[test]
    fn dateline_without_year_and_no_other_clue_is_no_date() {
        assert_eq!(doc_date("KYIV, March 13 (Press) – Text.", "x.txt"), None);
    }

    #[test]
    fn file_name_dates() {
        let lex = Lexicon::builtin().language("en").unwrap();
        assert_eq!(
            path_date(lex, "a/2023-02-22-report.txt"),
            Some(PathDate::Full(ymd(2023, 2, 22), "2023-02-22".into()))
        );
        assert!(
            matches!(path_date(lex, "a/20230222.txt"), Some(PathDate::Full(d, _)) if d == ymd(2023, 2, 22))
        );
        assert!(
            matches!(path_date(lex, "2023/02/22/x.txt"), Some(PathDate::Full(d, _)) if d == ymd(2023, 2, 22))
        );
        assert!(
            matches!(path_date(lex, "russian-losses-august-14-2023-n10.txt"), Some(PathDate::Full(d, _)) if d == ymd(2023, 8, 14))
        );
        assert_eq!(path_date(lex, "000005_2b8b310dc9c13aa7.txt"), None);
        assert_eq!(
            path_date(lex, "2022/03/000005_2b8b310dc9c13aa7.txt"),
            Some(PathDate::YearMonth(2022, 3))
        );
    }

    #[test]
    fn the_file_name_and_the_folders_are_read_apart() {
        let lex = Lexicon::builtin().language("en").unwrap();
        let path = "articles/2026/11/25/2023-02-22-story.txt";
        let named = file_name_date(lex, path).unwrap();
        assert_eq!(
            (named.date, named.basis.as_str()),
            (ymd(2023, 2, 22), "file name '2023-02-22'")
        );
        assert_eq!(
            folder_date(lex, path),
            Some(PathDate::Full(ymd(2026, 11, 25), "2026/11/25".into()))
        );
        // A date written across the folders and the name is the folders'.
        assert_eq!(file_name_date(lex, "2023/02/22.txt").map(|d| d.date), None);
        assert_eq!(
            folder_date(lex, "2023/02/22.txt"),
            Some(PathDate::Full(ymd(2023, 2, 22), "2023/02/22".into()))
        );
        // A year-month folder above a dated name.
        assert_eq!(
            folder_date(lex, "2023/03/2023-03-02-digest.txt"),
            Some(PathDate::YearMonth(2023, 3))
        );
        assert_eq!(folder_date(lex, "2023-03-02-digest.txt"), None);
    }

    #[test]
    fn the_file_name_gives_a_yearless_date_its_year_before_the_folders() {
        let lex = Lexicon::builtin().language("en").unwrap();
        let t = tokenize("Text.").tokens;
        let known = context_year(lex, &t, "articles/2026/11/25/2023-02-22-story.txt").unwrap();
        assert_eq!((known.year, known.whence), (2023, "the file name"));
        let known = context_year(lex, &t, "articles/2026/11/25/story.txt").unwrap();
        assert_eq!((known.year, known.whence), (2026, "the folder"));
    }

    #[test]
    fn an_update_stamp_below_the_figures_is_a_footer_not_a_header() {
        let lex = Lexicon::builtin().language("en").unwrap();
        let text =
            "Losses\n\nRussia has lost 3,350 tanks, Kyiv said.\n\nLast updated: 2026-01-01\n";
        let t = tokenize(text);
        let body = text.find("3,350").unwrap();
        let known = context_year(lex, &t.tokens, "a.txt");
        let head = head_dates(lex, text, &t, known, body);
        assert!(head.header.is_none(), "{head:?}");
        let footer = head.footer.unwrap();
        assert_eq!(footer.date, ymd(2026, 1, 1));
        assert_eq!(footer.basis, "update stamp 'Last updated: 2026-01-01'");
        // Above the figures, the same stamp is the page's header.
        let text = "Losses\nLast updated: 2026-01-01\n\nRussia has lost 13,350 tanks.\n";
        let t = tokenize(text);
        let known = context_year(lex, &t.tokens, "a.txt");
        let head = head_dates(lex, text, &t, known, text.find("13,350").unwrap());
        assert_eq!(head.header.unwrap().date, ymd(2026, 1, 1));
        assert!(head.footer.is_none());
    }

    #[test]
    fn photo_caption_is_not_a_header() {
        assert_eq!(doc_date("Ukrainian soldiers stand by a burnt Russian tank on the outskirts of Kyiv, on March 31, 2022\n\nText.", "a.txt"), None);
    }

    #[test]
    fn weekday_resolves_to_the_past_week_from_a_publication_date() {
        // 2023-02-23 is a Thursday.
        assert_eq!(
            resolve_weekday(ymd(2023, 2, 23), 3, Anchor::Publication),
            ymd(2023, 2, 23)
        );
        assert_eq!(
            resolve_weekday(ymd(2023, 2, 23), 1, Anchor::Publication),
            ymd(2023, 2, 21)
        );
        assert_eq!(
            resolve_weekday(ymd(2023, 2, 23), 4, Anchor::Publication),
            ymd(2023, 2, 17)
        );
    }

    #[test]
    fn weekday_resolves_to_the_nearest_day_from_a_narrative_date() {
        // Day 451 = Saturday 2023-05-20; "as of Sunday" is the next day.
        assert_eq!(
            resolve_weekday(ymd(2023, 5, 20), 6, Anchor::Narrative),
            ymd(2023, 5, 21)
        );
    }

    #[test]
    fn day_counts() {
        let lex = Lexicon::builtin().language("en").unwrap();
        for (s, n) in [
            ("on day 451 of the Russian invasion", 451),
            ("on the 1048th day of Russia's full-scale war", 1048),
            (
                "Today marks 365 days since the Russian invasion of Ukraine began",
                365,
            ),
        ] {
            let t = tokenize(s).tokens;
            assert_eq!(day_count(lex, &t, 0, t.len()).map(|d| d.2), Some(n), "{s}");
        }
        let start = ymd(2022, 2, 24);
        assert_eq!(day_number_date(start, 451), Some(ymd(2023, 5, 20)));
        assert_eq!(day_number_date(start, 365), Some(ymd(2023, 2, 23)));
    }

    /// A small table with the month, day and war words of a few languages.
    fn other_language() -> &'static Language {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(|| {
            let table = r#"{"months": {"mai": 5, "mayo": 5, "maja": 5, "juin": 6},
                "span_units": {"tag": 1, "jour": 1, "día": 1, "dniu": 1, "день": 1, "gününde": 1,
                               "tage": 1, "woche": 7},
                "invasion_words": ["krieges", "guerre", "guerra", "wojny", "войны", "savaşın"],
                "function_words": {"date_links": ["de"], "ordinal_suffixes": ["er", "e"]}}"#;
            Lexicon::from_texts(&[("xx".to_string(), table.to_string())], None).unwrap()
        })
        .language("xx")
        .unwrap()
    }

    fn dates_in(s: &str) -> Vec<(Option<i32>, u32, u32)> {
        let t = tokenize(s).tokens;
        find_dates(other_language(), &t, 0, t.len())
            .iter()
            .map(|d| (d.year, d.month, d.day))
            .collect()
    }

    #[test]
    fn day_first_dates_with_an_ordinal_dot_or_a_linking_word() {
        assert_eq!(dates_in("am 3. Mai 2024"), [(Some(2024), 5, 3)]);
        assert_eq!(dates_in("3 maja 2024 r."), [(Some(2024), 5, 3)]);
        assert_eq!(dates_in("el 3 de mayo de 2024"), [(Some(2024), 5, 3)]);
        assert_eq!(dates_in("le 1er juin"), [(None, 6, 1)]);
        // A dot that ends a sentence does not join the next one's month.
        assert_eq!(dates_in("3 . Mai"), []);
    }

    #[test]
    fn day_counts_in_other_languages() {
        for (s, n) in [
            ("am 451. Tag des Krieges", 451),
            ("au 451e jour de la guerre", 451),
            ("el día 451 de la guerra", 451),
            ("w 451. dniu wojny", 451),
            ("на 451-й день войны", 451),
            ("savaşın 451. gününde", 451),
        ] {
            let t = tokenize(s).tokens;
            let found = day_count(other_language(), &t, 0, t.len()).map(|d| d.2);
            assert_eq!(found, Some(n), "{s}");
        }
        // A count of days, a week or a number without a war word is no day count.
        for s in [
            "in 3. Woche des Krieges",
            "451. Tag der Messe",
            "die 12 Tage danach",
        ] {
            let t = tokenize(s).tokens;
            assert_eq!(day_count(other_language(), &t, 0, t.len()), None, "{s}");
        }
    }

    #[test]
    fn numeric_dates() {
        assert_eq!(parse_numeric_date("24.02.22"), Some((2022, 2, 24)));
        assert_eq!(parse_numeric_date("02.06.2024"), Some((2024, 6, 2)));
        assert_eq!(parse_numeric_date("2023-05-02"), Some((2023, 5, 2)));
        assert_eq!(parse_numeric_date("31.02.2023"), None);
    }
}
