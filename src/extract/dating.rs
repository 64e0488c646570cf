//! Dating: the document date (`--date`, a header, a dateline, the file name, then what the text
//! says), the date each sentence states (a written date, a day count, a weekday), and each
//! figure's date (the sentence's, shifted for "the previous day", "a week earlier", the earlier
//! value of "from A to B", or a date of its own right after it). A wrong date is worse than
//! none: where the text cannot decide, the date is None and the basis says why.

use chrono::{Datelike, Duration, NaiveDate};

use super::marks::{Cues, Marks};
use super::pairs::{Candidate, Via};
use super::scopes::Span;
use super::Options;
use crate::dates::{self, Anchor, DateMention, DocDate, PathDate};
use crate::figure::Kind;
use crate::lexicon::Language;
use crate::messages::plural;
use crate::text::{TokKind, Token};

pub(super) fn no_date_basis(unresolved_weekday: &Option<String>) -> String {
    match unresolved_weekday {
        Some(w) => format!("no document date to resolve {w} against (no --date, header, dateline, file-name date or dated text)"),
        None => "no document date (no --date, header, dateline, file-name date or dated text)".to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn figure_date(
    cues: &Cues,
    c: &Candidate,
    kind: Kind,
    prev_end: usize,
    next_start: usize,
    base: Option<(NaiveDate, String)>,
    span: Option<Span>,
    unresolved_weekday: &Option<String>,
    mentions: &[DateMention],
    figures_in_sentence: usize,
) -> (Option<NaiveDate>, String) {
    let t = cues.tokens;
    let after = (c.end, next_start.max(c.end));
    if let Some(own) = date_right_after(cues, c, after, mentions) {
        return own;
    }
    let Some((date, basis)) = base else {
        return (None, no_date_basis(unresolved_weekday));
    };
    let lone_total = figures_in_sentence == 1 && kind == Kind::Total;
    if let Some(days) = days_earlier(cues, c, kind, prev_end, after, lone_total) {
        let when = if days == 1 {
            "the day before"
        } else {
            "a week before"
        };
        return (
            Some(date - Duration::days(days)),
            format!("{when} {date}: {basis}"),
        );
    }
    if let Some((i, w)) = weekday_after(cues.lex, t, after) {
        let d = dates::resolve_weekday(date, w, Anchor::Publication);
        return (
            Some(d),
            format!(
                "weekday '{}' on or before {date}: {basis}",
                written_weekday(cues.text, &t[i])
            ),
        );
    }
    if kind == Kind::Total && earlier_of_pair(cues, c, prev_end, after) {
        return earlier_value_date(span, date, &basis);
    }
    (Some(date), basis)
}

/// "compared with 292,060 on October 20, 2023": a date of its own, right after the figure.
fn date_right_after(
    cues: &Cues,
    c: &Candidate,
    after: (usize, usize),
    mentions: &[DateMention],
) -> Option<(Option<NaiveDate>, String)> {
    let t = cues.tokens;
    let m = mentions.iter().find(|m| {
        m.first > after.0
            && m.first < after.1
            && m.first <= c.end + 2
            && cues
                .lex
                .function_words
                .day_prepositions
                .has(&t[m.first - 1])
    })?;
    let d = m.date()?;
    Some((
        Some(d),
        format!(
            "date '{}' after the figure",
            written(cues.text, t, m.first, m.last)
        ),
    ))
}

/// How many days before the sentence's date a cue puts the figure: "A day earlier, Kyiv had put
/// the total at 22,100" (a cue before the sentence's only figure, a total), "1,338 a week ago",
/// "up from 1,304,490 a week earlier", "750 reported the day before". `after` is where the
/// figure's own cues may stand after it.
fn days_earlier(
    cues: &Cues,
    c: &Candidate,
    kind: Kind,
    prev_end: usize,
    after: (usize, usize),
    lone_total: bool,
) -> Option<i64> {
    let (lex, t) = (cues.lex, cues.tokens);
    if lone_total {
        let from = prev_end.min(c.num.first);
        if let Some((p, _, _)) = lex.previous_day.find(t, from, c.num.first) {
            if !after_change_marker(lex, t, p) {
                return Some(1);
            }
        }
    }
    if let Some(p) = cues.any(&lex.week_earlier, after.0, after.1) {
        if p <= c.end + 1 {
            return Some(7);
        }
    }
    // "the figure was 144,440 in the report from the previous day", "750 reported the day before"
    let (p, _, _) = lex.previous_day.find(t, after.0, after.1)?;
    let stems = &lex.function_words.report_stems;
    let reported = (after.0..p).any(|i| stems.starts(&t[i])) || (p > 0 && stems.starts(&t[p - 1]));
    (kind != Kind::Delta && !after_change_marker(lex, t, p) || reported).then_some(1)
}

/// Whether the day cue at `p` is the other end of a change ("up from the day before", "than
/// the previous day": one of the language's `change_markers` before it), which dates the other
/// value, not this one.
fn after_change_marker(lex: &Language, t: &[Token], p: usize) -> bool {
    p > 0 && lex.change_markers.has(&t[p - 1])
}

/// "the record 1,030 reported on Tuesday": a weekday of its own after the figure, on or before
/// the report (not the end of a "between" range, not a comparison's day): its token and number.
fn weekday_after(lex: &Language, t: &[Token], after: (usize, usize)) -> Option<(usize, u32)> {
    let i = (after.0..after.1).find(|&i| {
        i > after.0
            && lex.function_words.day_prepositions.has(&t[i - 1])
            && lex.weekday_at(t, i).is_some()
            && !(after.0..i).any(|k| lex.function_words.range_openers.has(&t[k]))
    })?;
    report_weekday(lex, t, after.0, i).map(|w| (i, w))
}

/// Whether the figure is the earlier value of "from A to B" / "rose to B from A".
fn earlier_of_pair(cues: &Cues, c: &Candidate, prev_end: usize, after: (usize, usize)) -> bool {
    let t = cues.tokens;
    let from_pair = after_from(cues, c, prev_end)
        && c.category
            .as_ref()
            .is_some_and(|(_, v)| *v == Via::Chain || *v == Via::Label);
    from_pair && (after.0..after.1).any(|i| cues.lex.function_words.pair_links.has(&t[i]))
        || from_pair && prev_end > 0 && matches!(c.category.as_ref().map(|x| x.1), Some(Via::Chain))
}

/// The date of a change's earlier value: the span the article compares over, back from the
/// report's date; none where the text does not state it.
fn earlier_value_date(
    span: Option<Span>,
    date: NaiveDate,
    basis: &str,
) -> (Option<NaiveDate>, String) {
    match span {
        Some(Span::Week) => (
            Some(date - Duration::days(7)),
            format!("earlier value a week before {date}: {basis}"),
        ),
        Some(Span::Day) => (
            Some(date - Duration::days(1)),
            format!("earlier value a day before {date}: {basis}"),
        ),
        Some(Span::On(earlier)) if earlier < date => (
            Some(earlier),
            format!("earlier value on {earlier}, the date the article compares with"),
        ),
        Some(Span::On(_)) | None => (
            None,
            "earlier value of a change whose span the text does not state".to_string(),
        ),
    }
}

/// Whether the figure is the earlier value of a change: "from" (or "up from") before it,
/// perhaps with a hedge between ("from about 1,100").
pub(super) fn after_from(cues: &Cues, c: &Candidate, prev_end: usize) -> bool {
    let (lex, t) = (cues.lex, cues.tokens);
    let mut q = c.num.first;
    if let Some((n, _)) =
        lex.qualifiers
            .longest_ending_at(t, q.saturating_sub(4).max(prev_end.min(q)), q)
    {
        q -= n;
    }
    q > 0
        && lex
            .from_pair
            .longest_ending_at(t, q.saturating_sub(2), q)
            .is_some()
}

/// The date a sentence states for its figures: a written date, a day count, a weekday.
#[allow(clippy::too_many_arguments)]
pub(super) fn sentence_date(
    lex: &Language,
    text: &str,
    tokens: &[Token],
    from: usize,
    to: usize,
    mentions: &[DateMention],
    daycount: Option<(usize, usize, i64)>,
    doc: Option<&DocDate>,
    opts: &Options,
    unresolved_weekday: &mut Option<String>,
) -> Option<(NaiveDate, String)> {
    let sentence = SentenceDates {
        lex,
        text,
        tokens,
        from,
        to,
    };
    if let Some(stated) = sentence.written_date(mentions, doc, opts) {
        return Some(stated);
    }
    if let Some((_, _, n)) = daycount {
        if let Some(d) = dates::day_number_date(opts.invasion_start, n) {
            return Some((
                d,
                format!("day {n} of the invasion (day 1 = {})", opts.invasion_start),
            ));
        }
    }
    let (i, w) = sentence.named_weekday()?;
    let name = written_weekday(text, &tokens[i]);
    let Some(doc) = doc else {
        if unresolved_weekday.is_none() {
            *unresolved_weekday = Some(format!("weekday '{name}'"));
        }
        return None;
    };
    let d = dates::resolve_weekday(doc.date, w, doc.anchor);
    let relative = format!("relative to document date {} ({})", doc.date, doc.basis);
    let fighting = !tokens[from..i]
        .iter()
        .any(|t| lex.function_words.range_openers.has(t))
        && weekday_role(lex, tokens, from, to, i) == WeekdayRole::Fighting;
    if fighting {
        // The losses of a day are in the next morning's report.
        let report = d + Duration::days(1);
        return Some((
            report,
            format!("the losses of {name} {d} ({relative}), in the next day's report"),
        ));
    }
    Some((d, format!("weekday '{name}' {relative}")))
}

/// One sentence, tokens `from..to`, as `sentence_date` reads it.
struct SentenceDates<'a> {
    lex: &'a Language,
    text: &'a str,
    tokens: &'a [Token],
    from: usize,
    to: usize,
}

impl SentenceDates<'_> {
    /// The first date the sentence writes that is no history: in "As of 27.10.2023 ...
    /// 297,680, compared with 292,060 on October 20, 2023" the later date belongs to the
    /// earlier figure (see figure_date). A date without its year takes the document's.
    fn written_date(
        &self,
        mentions: &[DateMention],
        doc: Option<&DocDate>,
        opts: &Options,
    ) -> Option<(NaiveDate, String)> {
        for m in mentions.iter() {
            if historical(self.lex, self.tokens, self.from, m, opts) {
                continue;
            }
            let written = written(self.text, self.tokens, m.first, m.last);
            if let Some(d) = m.date() {
                return Some(self.report_of(m, d, format!("date '{written}' in the sentence")));
            }
            if let Some((d, whence, on)) = doc.and_then(|doc| year_from_document(m, doc)) {
                let basis = format!("date '{written}' in the sentence, year from {whence} {on}");
                return Some(self.report_of(m, d, basis));
            }
        }
        None
    }

    /// "over the past day, 8 October": the day of the losses, in the next morning's report.
    fn report_of(&self, m: &DateMention, d: NaiveDate, basis: String) -> (NaiveDate, String) {
        if fighting_date(self.lex, self.tokens, self.from, self.to, m) {
            let next = d + Duration::days(1);
            (
                next,
                format!("the losses of {d} ({basis}), in the next day's report"),
            )
        } else {
            (d, basis)
        }
    }

    /// The report's weekday: the first one named, but the second of "between Tuesday and
    /// Wednesday", and never one of a comparison ("one more than on Saturday"). Its token and
    /// number.
    fn named_weekday(&self) -> Option<(usize, u32)> {
        let (lex, tokens, from) = (self.lex, self.tokens, self.from);
        (from..self.to).find_map(|i| {
            let w = report_weekday(lex, tokens, from, i)?;
            if i > from
                && lex.function_words.range_openers.has(&tokens[i - 1])
                && tokens
                    .get(i + 1)
                    .is_some_and(|t| lex.function_words.range_joiners.has(t))
            {
                if let Some(w2) = lex.weekday_at(tokens, i + 2) {
                    return Some((i + 2, w2));
                }
            }
            Some((i, w))
        })
    }
}

/// The year of a date written without one, from the document date: (the date, where the year
/// came from, the document date).
fn year_from_document(
    m: &DateMention,
    doc: &DocDate,
) -> Option<(NaiveDate, &'static str, NaiveDate)> {
    let y = doc.date.year();
    let on = |y: i32| NaiveDate::from_ymd_opt(y, m.month, m.day);
    let (found, whence) = match doc.anchor {
        // A date the text gave is no upper bound: the year that puts it nearest.
        Anchor::Narrative => (
            [y, y - 1, y + 1]
                .into_iter()
                .filter_map(on)
                .min_by_key(|d| (*d - doc.date).num_days().abs()),
            "the text's date",
        ),
        // "as of Feb 22": the year that puts it on or shortly before the publication.
        Anchor::Publication => (
            [y, y - 1]
                .into_iter()
                .filter_map(on)
                .find(|d| *d <= doc.date + Duration::days(1)),
            "document date",
        ),
    };
    found.map(|d| (d, whence, doc.date))
}

/// Whether a date names the day a change was counted over: right after the day's cue ("over the
/// past day, 8 October", "за добу 17 січня") or right before a change ("on April 2 rose by 710").
fn fighting_date(
    lex: &Language,
    tokens: &[Token],
    from: usize,
    to: usize,
    m: &DateMention,
) -> bool {
    let mut end = m.first;
    if end > from && tokens[end - 1].is(",") {
        end -= 1;
    }
    let after_day_cue = end > from
        && lex
            .delta_cues
            .longest_ending_at(tokens, end.saturating_sub(6).max(from), end)
            .is_some();
    // "Losses on April 2 rose by 710": a change phrase right after the date. ("On April 3,
    // Russia had lost ..." is the report's date.)
    // A one-word change phrase ("up", "by") only in "up 710 to 444,370", where it cannot be
    // anything else.
    let num = |k: usize| k < to && tokens[k].kind == TokKind::Num;
    let change_follows = (m.last..(m.last + 3).min(to)).any(|k| {
        lex.delta_by.contains_at(tokens, k, to).is_some_and(|n| {
            n > 1
                || (num(k + 1)
                    && k + 2 < to
                    && lex.change_result_words.has(&tokens[k + 2])
                    && num(k + 3))
        })
    });
    after_day_cue || change_follows || opens_with_fighting_date(lex, tokens, from, to, m)
}

/// "On November 21, Russia lost 1,050 soldiers": a date that opens its sentence, closed by a
/// comma, with a word of fighting just after it, names the day of the fighting, as a weekday
/// does; not with a word of a report in the sentence's start ("On November 21, the General Staff
/// said ...") nor with a count so far ("had lost").
pub(super) fn opens_with_fighting_date(
    lex: &Language,
    tokens: &[Token],
    from: usize,
    to: usize,
    m: &DateMention,
) -> bool {
    // A page's date stamp before it ("date 2024-11-22 On November 21, ...") opens nothing.
    let stamp = lex
        .header_labels
        .contains_at(tokens, from, to)
        .filter(|&n| {
            tokens
                .get(from + n)
                .is_some_and(|t| t.kind == TokKind::NumDate)
        })
        .map_or(0, |n| n + 1);
    let opens = m.first >= from + stamp && m.first <= from + stamp + 1;
    let closed = m.last < to && tokens[m.last].is(",");
    // A sentence of totals ("... since the invasion began") is dated by its report.
    let totals = lex.total_cues.find(tokens, from, to).is_some();
    if !(opens && closed) || totals {
        return false;
    }
    let (lo, hi) = (m.last + 1, (m.last + 6).min(to));
    let Some(verb) = (lo..hi).find(|&k| lex.fighting_words.contains_at(tokens, k, to).is_some())
    else {
        return false;
    };
    let reported = (from..hi).any(|k| lex.speech_words.contains_at(tokens, k, to).is_some());
    let so_far = verb > lo && lex.perfect_auxiliaries.has(&tokens[verb - 1]);
    !reported && !so_far
}

/// The weekday of a sentence that names a day of fighting, if any.
pub(super) fn fighting_weekday(
    lex: &Language,
    tokens: &[Token],
    from: usize,
    to: usize,
) -> Option<usize> {
    if tokens[from..to]
        .iter()
        .any(|t| lex.function_words.range_openers.has(t))
    {
        return None;
    }
    (from..to).find(|&i| {
        report_weekday(lex, tokens, from, i).is_some()
            && weekday_role(lex, tokens, from, to, i) == WeekdayRole::Fighting
    })
}

/// Whether a weekday names the day of a report ("the General Staff said on Tuesday", "in a
/// Sunday update", "as of Friday") or the day of the fighting ("on Monday, Russia lost 940
/// troops", "Saturday was the deadliest day", "480 casualties on Friday"). A word of the report
/// right beside the weekday decides first; then a word of fighting near it; a report otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum WeekdayRole {
    Report,
    Fighting,
}

pub(super) fn weekday_role(
    lex: &Language,
    tokens: &[Token],
    from: usize,
    to: usize,
    i: usize,
) -> WeekdayRole {
    let within = |table: &crate::lexicon::Phrases<()>, before: usize, after: usize| {
        let lo = i.saturating_sub(before).max(from);
        let hi = (i + after + 1).min(to);
        (lo..hi).any(|k| k != i && table.contains_at(tokens, k, hi).is_some())
    };
    if within(&lex.speech_words, 3, 2) {
        return WeekdayRole::Report;
    }
    if within(&lex.fighting_words, 5, 4) {
        return WeekdayRole::Fighting;
    }
    // "480 casualties on Friday", "570 deaths on Monday": a count of the day's losses.
    let counted = i >= from + 3
        && lex.function_words.day_prepositions.has(&tokens[i - 1])
        && lex.loss_nouns.contains_at(tokens, i - 2, i - 1).is_some()
        && matches!(tokens[i - 3].kind, TokKind::Num);
    if counted {
        WeekdayRole::Fighting
    } else {
        WeekdayRole::Report
    }
}

/// The weekday named at `tokens[i]`, unless it is the day of a comparison ("more than on
/// Saturday", "since Monday", "since the last update on Sunday") or an abbreviation that is
/// more likely a word ("sat", "wed").
pub(super) fn report_weekday(
    lex: &Language,
    tokens: &[Token],
    from: usize,
    i: usize,
) -> Option<u32> {
    let w = lex.weekday_at(tokens, i)?;
    let full_name = tokens[i].norm.chars().count() >= 6;
    let abbreviation_ok = tokens.get(i + 1).is_some_and(|t| t.is(",") || t.is("."));
    if !full_name && !abbreviation_ok {
        return None;
    }
    let comparison =
        (i.saturating_sub(3).max(from)..i).any(|k| lex.comparison_words.has(&tokens[k]));
    // "since the last update on Saturday": the weekday opens the span the figures cover, so
    // the report is a later day.
    let span_start = (i.saturating_sub(6).max(from)..i)
        .rev()
        .take_while(|&k| !tokens[k].is(","))
        .any(|k| lex.since_words.contains_at(tokens, k, i).is_some());
    (!comparison && !span_start).then_some(w)
}

/// A sentence without figures that announces Kyiv's figures: a loss word and a Ukrainian source.
pub(super) fn introduces_report(
    lex: &Language,
    tokens: &[Token],
    from: usize,
    to: usize,
    claims: &[(usize, usize, String)],
) -> bool {
    claims.iter().any(|(_, _, w)| w == "ukraine")
        && (lex.loss_verbs.find(tokens, from, to).is_some()
            || (from..to).any(|i| lex.report_nouns.has(&tokens[i])))
}

/// A sentence about losses whose dates run from the war's first day to a later one ("losses
/// recorded between 24 February and 3 May 2022", "Verluste vom 24. Februar bis zum 3. Mai"):
/// the count closes on the later day, which is the report's.
fn counts_from_war_start(
    lex: &Language,
    tokens: &[Token],
    from: usize,
    to: usize,
    mentions: &[DateMention],
    opts: &Options,
) -> bool {
    let war_start = |m: &DateMention| names_war_start(m, opts);
    lex.loss_verbs.find(tokens, from, to).is_some()
        && mentions
            .windows(2)
            .any(|w| war_start(&w[0]) && !war_start(&w[1]) && w[1].first <= w[0].last + 3)
}

/// Whether a date is the invasion's first day, with its year or without: reports name a
/// yearless "February 24" as the start of their period ("from February 24 to ...").
fn names_war_start(m: &DateMention, opts: &Options) -> bool {
    m.month == opts.invasion_start.month()
        && m.day == opts.invasion_start.day()
        && m.year.is_none_or(|y| y == opts.invasion_start.year())
}

/// A title that dates the losses listed under it: "russian army losses as of 11/11/2025",
/// "Russian Losses In Ukraine (UPDATE 11.11.2025 )" (any of the language's `update_labels`),
/// "LOSSES OF RUSSIAN ARMY - 11.11.2025". It
/// outranks the page's own date ("Date: November 12, 2025"), which is when the copy went up.
pub(super) fn titles_report(
    lex: &Language,
    tokens: &[Token],
    from: usize,
    to: usize,
    mentions: &[DateMention],
) -> bool {
    let introduced = |m: &DateMention| {
        let before = |k: usize| m.first.checked_sub(k).filter(|&i| i >= from);
        let word = |k: usize| before(k).map_or("", |i| tokens[i].norm.as_str());
        let as_of = lex
            .function_words
            .status_date_labels
            .longest_ending_at(tokens, m.first.saturating_sub(4).max(from), m.first)
            .is_some();
        let labelled = lex
            .update_labels
            .longest_ending_at(tokens, m.first.saturating_sub(3).max(from), m.first)
            .is_some();
        as_of || labelled || matches!(word(1), "-" | "–" | "—" | ":")
    };
    lex.loss_verbs.find(tokens, from, to).is_some()
        && mentions
            .iter()
            .any(|m| m.first >= from && m.last <= to && introduced(m))
}

/// Tokens first..last as the text writes them, whitespace collapsed: a basis quotes the article
/// ("January 8, 2025"), not the lowercased words it was matched with.
pub(super) fn written(text: &str, tokens: &[Token], first: usize, last: usize) -> String {
    text[tokens[first].start..tokens[last - 1].end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A weekday as written, without the possessive of "Tuesday's losses".
fn written_weekday<'t>(text: &'t str, tok: &Token) -> &'t str {
    let w = &text[tok.start..tok.end];
    w.strip_suffix("'s")
        .or_else(|| w.strip_suffix("\u{2019}s"))
        .unwrap_or(w)
}

/// The invasion's start, "since ..." and "began on ..." dates are history, not report dates.
pub(super) fn historical(
    lex: &Language,
    tokens: &[Token],
    from: usize,
    m: &DateMention,
    opts: &Options,
) -> bool {
    // The invasion's start, yearless too ("unleashed on February 24").
    if names_war_start(m, opts) || m.year.is_some_and(|y| y < 2022) {
        return true;
    }
    let a = m.first.saturating_sub(3).max(from);
    lex.historical
        .longest_ending_at(tokens, a, m.first)
        .is_some()
}

/// What the document date is read from: the article, its path and the caller's options.
pub(super) struct DocSources<'a> {
    pub lex: &'a Language,
    pub text: &'a str,
    pub tok: &'a crate::text::Tokenized,
    pub file: &'a str,
    pub opts: &'a Options,
    pub per_sentence: &'a [Vec<Candidate>],
    pub marks: &'a Marks,
}

impl DocSources<'_> {
    /// Whether sentence `si` gives a figure.
    fn reports(&self, si: usize) -> bool {
        self.per_sentence[si]
            .iter()
            .any(|c| c.category.is_some() && !c.rejected)
    }

    /// Where the article's figures begin: the first figure below the title line (a headline may
    /// carry one). An update stamp from there on is a footer.
    fn body_start(&self) -> usize {
        let text = self.text;
        let lead = text.len() - text.trim_start().len();
        let title_end = text[lead..].find('\n').map_or(text.len(), |n| lead + n);
        self.per_sentence
            .iter()
            .flatten()
            .filter(|c| c.category.is_some() && !c.rejected)
            .map(|c| self.tok.tokens[c.num.first].start)
            .filter(|&start| start > title_end)
            .min()
            .unwrap_or(usize::MAX)
    }
}

/// The document date, from the most direct source to the least: `--date`, a header or
/// dateline, an update stamp below the figures that the text fits, the file's own name, what
/// the text says, and only then the folders (named when an article was fetched, often later).
/// `notes` gets, for people, a folder's date that disagrees with the one chosen and a stamp
/// set aside.
pub(super) fn document_date(c: &DocSources, notes: &mut Vec<String>) -> Option<DocDate> {
    if let Some(d) = c.opts.date {
        return Some(DocDate {
            date: d,
            anchor: Anchor::Publication,
            basis: "--date".to_string(),
        });
    }
    let folder = match dates::folder_date(c.lex, c.file) {
        Some(PathDate::Full(date, written)) => Some(DocDate {
            date,
            anchor: Anchor::Publication,
            basis: format!("folder '{written}'"),
        }),
        _ => None,
    };
    let Some(chosen) = article_date(c, notes) else {
        return folder;
    };
    if let Some(f) = folder {
        let apart = (chosen.date - f.date).num_days().abs();
        if apart > 1 {
            notes.push(format!(
                "the {} ({}) is {} from the article's date {} ({}); the article's is used",
                f.basis,
                f.date,
                plural(apart, "day", "days"),
                chosen.date,
                chosen.basis
            ));
        }
    }
    Some(chosen)
}

/// The document date the article itself gives (its head, its name, its text), without the
/// folders'.
fn article_date(c: &DocSources, notes: &mut Vec<String>) -> Option<DocDate> {
    // A date written without its year, in a dateline or the text, takes the one the page gives
    // elsewhere (the file name, a year-month stamp, the folder, a copyright line), if any.
    let known_year = dates::context_year(c.lex, &c.tok.tokens, c.file);
    let head = dates::head_dates(c.lex, c.text, c.tok, known_year, c.body_start());
    if let Some(d) = head.header {
        return Some(d);
    }
    let named = dates::file_name_date(c.lex, c.file);
    let Some(footer) = head.footer else {
        return named.or_else(|| text_date(c, &(0..0), known_year));
    };
    let from_text = text_date(c, &head.footer_tokens, known_year);
    match footer_misfit(c, &footer, from_text.as_ref().or(named.as_ref())) {
        None => Some(footer),
        Some(why) => {
            notes.push(format!(
                "{} set aside, as a later version's date: {why}",
                footer.basis
            ));
            named.or(from_text)
        }
    }
}

/// Why an update stamp below the figures is not the report's date, if the text says so: the
/// article's own date (`own`: what its text or name gives) is more than a week before it or
/// after it, or, with no such date, a date the text writes without its year is more than a
/// week before it in the stamp's year. A stamp the text gives no date to compare with stands.
fn footer_misfit(c: &DocSources, footer: &DocDate, own: Option<&DocDate>) -> Option<String> {
    let d = footer.date;
    if let Some(own) = own {
        let after = (d - own.date).num_days();
        if (-1..=7).contains(&after) {
            return None;
        }
        let how = match after {
            n if n > 0 => format!("{} after", plural(n, "day", "days")),
            n => format!("{} before", plural(-n, "day", "days")),
        };
        return Some(format!(
            "{d} is {how} the article's own date {} ({})",
            own.date, own.basis
        ));
    }
    let tokens = &c.tok.tokens;
    // The first date without a year that a reporting sentence gives.
    let m = c.tok.sentences.iter().enumerate().find_map(|(si, s)| {
        c.marks.dates[si].iter().find(|m| {
            c.reports(si) && m.year.is_none() && !historical(c.lex, tokens, s.first, m, c.opts)
        })
    })?;
    let on = [d.year(), d.year() - 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, m.month, m.day))
        .find(|x| *x <= d + Duration::days(1))?;
    let before = (d - on).num_days();
    (before > 7).then(|| {
        format!(
            "the text's date '{}' is {} before it",
            written(c.text, tokens, m.first, m.last),
            plural(before, "day", "days")
        )
    })
}

/// The date the text itself gives: a date written in a sentence that reports figures, a day
/// count, a dated event whose weekday the reporting sentences name, or a yearless date whose
/// weekday fits one year of the war. The dates of the tokens `stamp` (an update stamp's line)
/// are not the text's; `known_year` completes a date written without its year.
fn text_date(
    c: &DocSources,
    stamp: &std::ops::Range<usize>,
    known_year: Option<dates::KnownYear>,
) -> Option<DocDate> {
    let sent_dates = dates_outside(c, stamp);
    let sent_dates = &*sent_dates;
    if let Some(d) = reported_date(c, sent_dates, known_year.as_ref()) {
        return Some(d);
    }
    if let Some(d) = event_on_named_weekday(c, sent_dates) {
        return Some(d);
    }
    if known_year.is_none() {
        let tok = c.tok;
        return weekday_fits_one_year(c.lex, c.text, &tok.tokens, tok, sent_dates, c.opts);
    }
    None
}

/// The dates of each sentence but those of the tokens `stamp`.
fn dates_outside<'a>(
    c: &'a DocSources,
    stamp: &std::ops::Range<usize>,
) -> std::borrow::Cow<'a, [Vec<DateMention>]> {
    if stamp.is_empty() {
        return std::borrow::Cow::Borrowed(&c.marks.dates);
    }
    let own = |ms: &Vec<DateMention>| {
        ms.iter()
            .filter(|m| !stamp.contains(&m.first))
            .cloned()
            .collect()
    };
    std::borrow::Cow::Owned(c.marks.dates.iter().map(own).collect())
}

/// The first sentence that dates the report: the last date (its year completed from
/// `known_year` where it has none) of a sentence that reports or announces Kyiv's figures, or
/// a day count.
fn reported_date(
    c: &DocSources,
    sent_dates: &[Vec<DateMention>],
    known_year: Option<&dates::KnownYear>,
) -> Option<DocDate> {
    let (lex, text, opts) = (c.lex, c.text, c.opts);
    let tokens = &c.tok.tokens;
    let completed = |m: &DateMention| -> Option<(NaiveDate, String)> {
        match (m.date(), known_year) {
            (Some(d), _) => Some((d, String::new())),
            (None, Some(k)) => dates::complete_year(m.month, m.day, k.year, k.month)
                .map(|d| (d, format!(", year from {}", k.whence))),
            (None, None) => None,
        }
    };
    for (si, s) in c.tok.sentences.iter().enumerate() {
        if announces_kyivs_figures(c, si, s, &sent_dates[si]) {
            if let Some((m, (date, whence))) = sent_dates[si]
                .iter()
                .rev()
                .filter(|m| !historical(lex, tokens, s.first, m, opts))
                .find_map(|m| completed(m).map(|d| (m, d)))
            {
                return Some(DocDate {
                    date,
                    anchor: Anchor::Narrative,
                    basis: format!(
                        "date '{}' in the text{whence}",
                        written(text, tokens, m.first, m.last)
                    ),
                });
            }
        }
        if let Some((_, _, n)) = c.marks.daycounts[si] {
            if let Some(d) = dates::day_number_date(opts.invasion_start, n) {
                return Some(DocDate {
                    date: d,
                    anchor: Anchor::Narrative,
                    basis: format!("day {n} of the invasion"),
                });
            }
        }
    }
    None
}

/// Whether sentence `si` reports figures, introduces Kyiv's, or counts losses from the war's
/// first day, and is not another source's alone: another source's figures ("Moscow's defence
/// minister said on May 2 that ...") carry that source's date, not the report's.
fn announces_kyivs_figures(
    c: &DocSources,
    si: usize,
    s: &crate::text::Sentence,
    mentions: &[DateMention],
) -> bool {
    let (lex, tokens) = (c.lex, &c.tok.tokens);
    let claims = lex.claimants.find_all(tokens, s.first, s.last);
    let others_only = !claims.is_empty() && claims.iter().all(|(_, _, w)| w != "ukraine");
    let announces = c.reports(si)
        || introduces_report(lex, tokens, s.first, s.last, &claims)
        || counts_from_war_start(lex, tokens, s.first, s.last, mentions, c.opts);
    !others_only && announces
}

/// A dated event whose weekday the reporting sentences name: "his Tuesday address" and, in a
/// caption, "the address on February 21 2023" pin the week.
fn event_on_named_weekday(c: &DocSources, sent_dates: &[Vec<DateMention>]) -> Option<DocDate> {
    let (lex, text, tok, opts) = (c.lex, c.text, c.tok, c.opts);
    let tokens = &tok.tokens;
    let named: Vec<u32> = tok
        .sentences
        .iter()
        .enumerate()
        .filter(|(si, _)| c.reports(*si))
        .flat_map(|(_, s)| {
            (s.first..s.last)
                .filter_map(|i| lex.weekday_at(tokens, i))
                .collect::<Vec<_>>()
        })
        .collect();
    for (si, s) in tok.sentences.iter().enumerate() {
        for m in &sent_dates[si] {
            let Some(d) = m.date() else { continue };
            if historical(lex, tokens, s.first, m, opts) {
                continue;
            }
            let wd = chrono::Datelike::weekday(&d).num_days_from_monday();
            if named.contains(&wd) {
                return Some(weekday_dated(text, tokens, m, d, String::new()));
            }
        }
    }
    None
}

/// The document date that the text's date `m`, on `d`, gives by its weekday: "'February 21
/// 2023' in the text, a Tuesday", and `why` the weekday fixes it.
fn weekday_dated(
    text: &str,
    tokens: &[Token],
    m: &DateMention,
    d: NaiveDate,
    why: String,
) -> DocDate {
    DocDate {
        date: d,
        anchor: Anchor::Narrative,
        basis: format!(
            "'{}' in the text, a {}{why}",
            written(text, tokens, m.first, m.last),
            d.format("%A")
        ),
    }
}

/// A date written without its year beside a weekday in its sentence ("on Friday, 18 August"):
/// the year, if only one of the war's years (to this one) puts it on that weekday.
fn weekday_fits_one_year(
    lex: &Language,
    text: &str,
    tokens: &[Token],
    tok: &crate::text::Tokenized,
    sent_dates: &[Vec<DateMention>],
    opts: &Options,
) -> Option<DocDate> {
    let first_year = opts.invasion_start.year();
    let this_year = dates::today().year().max(first_year);
    for (si, s) in tok.sentences.iter().enumerate() {
        if sent_dates[si].iter().all(|m| m.year.is_some()) {
            continue;
        }
        let here: Vec<u32> = (s.first..s.last)
            .filter_map(|i| lex.weekday_at(tokens, i))
            .collect();
        for m in sent_dates[si].iter().filter(|m| m.year.is_none()) {
            if historical(lex, tokens, s.first, m, opts) {
                continue;
            }
            let fits: Vec<NaiveDate> = (first_year..=this_year)
                .filter_map(|y| NaiveDate::from_ymd_opt(y, m.month, m.day))
                .filter(|d| *d >= opts.invasion_start)
                .filter(|d| {
                    let wd = d.weekday().num_days_from_monday();
                    here.contains(&wd)
                })
                .collect();
            if let [d] = fits[..] {
                let why = format!(" only in {} of the war's years to {this_year}", d.year());
                return Some(weekday_dated(text, tokens, m, d, why));
            }
        }
    }
    None
}
