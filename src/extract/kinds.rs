//! Kinds: whether a figure is a total (cumulative since the invasion), a delta (the change over a
//! day, or over a few stated days) or a period (a span without a fixed length). A figure's own
//! mark decides first ("(+9)", "by 1,030", "to 133,190"), then the first cue after it up to the
//! next figure, then the last cue before it in its sentence; a list shares the cue that closes it.

use super::marks::Cues;
use super::pairs::{year_like, Candidate};
use super::scopes::Span;
use chrono::NaiveDate;

use crate::figure::Kind;
use crate::lexicon::{CategoryName, Language};
use crate::text::{TokKind, Token};

/// Where a figure's kind came from: its own mark ("(+9)", "by 1,030", "to 133,190"), a cue
/// after it, a cue before it, or nothing (a total).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum KindFrom {
    Marked,
    After,
    Before,
    Default,
}

/// The kind of one figure, and where it came from; `next_start` is where the next figure's
/// words begin, `from..to` the sentence.
pub(super) fn figure_kind(
    cues: &Cues,
    c: &Candidate,
    next_start: usize,
    from: usize,
    to: usize,
    span: Option<Span>,
) -> (Kind, Option<u32>, KindFrom) {
    let q = hedge_start(cues, c.num.first, from);
    if let Some(kind) = own_mark(cues, c, q, from) {
        return (kind.0, kind.1, KindFrom::Marked);
    }
    if let Some((k, d)) = cue_after(cues, c, next_start, to, span) {
        return (k, d, KindFrom::After);
    }
    // "580 more Russian casualties": a change.
    let t = cues.tokens;
    let more = t
        .get(c.num.last)
        .is_some_and(|n| cues.lex.function_words.more_words.has(n));
    if more && c.num.last < to {
        return (Kind::Delta, Some(1), KindFrom::Marked);
    }
    if let Some((k, d)) = cue_before(cues, from, q, span) {
        return (k, d, KindFrom::Before);
    }
    (Kind::Total, None, KindFrom::Default)
}

/// Where the number's words start, with the hedge right before it ("about 1,030"), if any.
fn hedge_start(cues: &Cues, first: usize, from: usize) -> usize {
    let (lex, t) = (cues.lex, cues.tokens);
    match lex
        .qualifiers
        .longest_ending_at(t, first.saturating_sub(4).max(from), first)
    {
        Some((n, _)) => first - n,
        None => first,
    }
}

/// The kind the figure's own mark gives: "+9", "2 tanks (total – 2,116)" and "another tank"
/// are changes beside their total or one more; right before the number (hedge and all, from
/// `q`), "by 1,030" is a change, "to 133,190" a total.
fn own_mark(cues: &Cues, c: &Candidate, q: usize, from: usize) -> Option<(Kind, Option<u32>)> {
    let (lex, t) = (cues.lex, cues.tokens);
    let another = c.num.word
        && lex
            .delta_by
            .contains_at(t, c.num.first, c.num.last)
            .is_some();
    if c.signed || c.paren_total.is_some() || another {
        return Some((Kind::Delta, Some(1)));
    }
    let by = lex
        .delta_by
        .longest_ending_at(t, q.saturating_sub(3).max(from), q)
        .is_some();
    if by {
        return Some((Kind::Delta, Some(1)));
    }
    // "UAVs over the day – 9 439 (+32 over the day)": the change beside it makes it the total,
    // whatever span a label around it names.
    if c.paren_delta.is_some() {
        return Some((Kind::Total, None));
    }
    if q > from && lex.function_words.total_markers.has(&t[q - 1]) {
        return Some((Kind::Total, None));
    }
    None
}

/// The first cue after the number, up to the next figure, unless it is a total cue that leads
/// to the next number ("1,000 troops, bringing the total to 793 250"): that one is the next
/// number's, and the cues before decide.
fn cue_after(
    cues: &Cues,
    c: &Candidate,
    next_start: usize,
    to: usize,
    span: Option<Span>,
) -> Option<(Kind, Option<u32>)> {
    let (lex, t) = (cues.lex, cues.tokens);
    let end = next_start.max(c.end);
    let mut lead = end;
    while lead > c.end {
        match lex
            .qualifiers
            .longest_ending_at(t, lead.saturating_sub(4).max(c.end), lead)
        {
            Some((n, _)) => lead -= n,
            None => break,
        }
    }
    let leads_on = end < to && lead > c.end && lex.function_words.total_leads.has(&t[lead - 1]);
    let mut i = c.end;
    while i < end {
        match cue_at(cues, i, end, span, true) {
            Some((_, (Kind::Total, _))) if leads_on => return None,
            Some((_, kind)) => return Some(kind),
            None => i += 1,
        }
    }
    None
}

/// The last cue before the number (up to `q`, where its hedge starts) since the sentence
/// began: "In the last 24 hours, troops destroyed seven tanks and one MLRS" makes both changes,
/// and "..., bringing the total to 793 250" makes a total again.
fn cue_before(
    cues: &Cues,
    from: usize,
    q: usize,
    span: Option<Span>,
) -> Option<(Kind, Option<u32>)> {
    let mut kind = None;
    let mut i = from;
    while i < q {
        // "tanks – 1000 (+5 per day); aircraft – 190": an aside holding a number speaks of
        // that number, not of the figures after it.
        if let Some(close) = numbered_aside(cues.tokens, i, q) {
            i = close + 1;
            continue;
        }
        match cue_at(cues, i, q, span, false) {
            Some((n, k)) => {
                kind = Some(k);
                i += n;
            }
            None => i += 1,
        }
    }
    kind
}

/// The closing parenthesis of a parenthesis opening at `tokens[i]` that closes before `limit`
/// and holds a number.
fn numbered_aside(tokens: &[Token], i: usize, limit: usize) -> Option<usize> {
    if !tokens[i].is("(") {
        return None;
    }
    let close = (i + 1..limit).find(|&j| tokens[j].is(")") || tokens[j].is("("))?;
    let numbered = tokens[i + 1..close].iter().any(|t| t.kind == TokKind::Num);
    (tokens[close].is(")") && numbered).then_some(close)
}

/// Whether the sentence goes on from the one before with a word among its first `within` ("also",
/// "besides", "außerdem", "крім того"; "The invaders also lost"), perhaps after a joiner ("and
/// also").
pub(super) fn continues(
    lex: &Language,
    t: &[Token],
    from: usize,
    limit: usize,
    within: usize,
) -> bool {
    let start = from + lex.joiners.contains_at(t, from, limit).unwrap_or(0);
    (start..(start + within).min(limit))
        .any(|i| lex.continuations.contains_at(t, i, limit).is_some())
}

/// A phrase at `tokens[i]` that tells a figure's kind: (its length, the kind and span in days).
pub(super) fn cue_at(
    cues: &Cues,
    i: usize,
    limit: usize,
    span: Option<Span>,
    after: bool,
) -> Option<(usize, (Kind, Option<u32>))> {
    let lex = cues.lex;
    let t = cues.tokens;
    if let Some(n) = lex.total_cues.contains_at(t, i, limit) {
        return Some((n, (Kind::Total, None)));
    }
    if let Some(n) = lex.delta_cues.contains_at(t, i, limit) {
        // "Dnipro Daily" is a name, not a span.
        let capitalised = t[i].kind == TokKind::Word
            && cues.text[t[i].start..].starts_with(|c: char| c.is_uppercase())
            && !t[i].line_start;
        if capitalised && n == 1 {
            return None;
        }
        return Some((n, (Kind::Delta, Some(1))));
    }
    if let Some(n) = lex.period_cues.contains_at(t, i, limit) {
        return Some((n, (Kind::Period, None)));
    }
    // "12 of them this week": after a number, "this week" is the span of the count; before it
    // ("This week, the military put losses at ...") it is only when the report came out.
    if after {
        if let Some(n) = lex.period_after_cues.contains_at(t, i, limit) {
            return Some((n, (Kind::Period, None)));
        }
    }
    if let Some(n) = lex.same_period.contains_at(t, i, limit) {
        return (span == Some(Span::Day)).then_some((n, (Kind::Delta, Some(1))));
    }
    if let Some(days) = cues.span_at(i, (i + 5).min(limit)) {
        return Some((
            3,
            if days > 0 && days < 28 {
                (Kind::Delta, Some(days))
            } else {
                (Kind::Period, None)
            },
        ));
    }
    // "between Tuesday and Wednesday": one day's change.
    if lex.function_words.range_openers.has(&t[i])
        && lex.weekday_at(t, i + 1).is_some()
        && t.get(i + 2)
            .is_some_and(|a| lex.function_words.range_joiners.has(a))
        && lex.weekday_at(t, i + 3).is_some()
        && i + 4 <= limit
    {
        return Some((4, (Kind::Delta, Some(1))));
    }
    None
}

/// For each figure, where its cues may stand: from the end of the figure before it to the next
/// number, named or not ("29,063, with 47 more"), but past a number that counts a span ("in 2
/// days") and past the year of a month ("since February 2022").
pub(super) fn reaches(
    lex: &Language,
    tokens: &[Token],
    cands: &[Candidate],
    live: &[usize],
    from: usize,
    to: usize,
) -> Vec<(usize, usize)> {
    (0..live.len())
        .map(|n| {
            let prev_end = if n > 0 { cands[live[n - 1]].end } else { from };
            let next_start = cands[live[n] + 1..]
                .iter()
                .find(|c| {
                    let counts_span = tokens
                        .get(c.num.last)
                        .is_some_and(|t| lex.span_units.contains_key(t.norm.as_str()));
                    !counts_span && !year_of_month(lex, tokens, c)
                })
                .map(|c| c.num.first)
                .unwrap_or(to);
            (prev_end, next_start)
        })
        .collect()
}

/// A year right after a month's name ("February 2022", "febrero de 2022"), with no name of its
/// own: part of a date, no count.
fn year_of_month(lex: &Language, tokens: &[Token], c: &Candidate) -> bool {
    let i = c.num.first;
    let year = year_like(tokens, &c.num);
    let month = |k: usize| lex.months.contains_key(tokens[k].norm.as_str());
    let linked = |k: usize| tokens[k].kind == TokKind::Word && tokens[k].norm.chars().count() <= 3;
    let after_month = (i >= 1 && month(i - 1)) || (i >= 2 && linked(i - 1) && month(i - 2));
    year && after_month && c.category.is_none()
}

/// The kind of each figure of a sentence: its own, then shared along a list.
pub(super) fn sentence_kinds(
    cues: &Cues,
    cands: &[Candidate],
    live: &[usize],
    reach: &[(usize, usize)],
    from: usize,
    to: usize,
    span: Option<Span>,
) -> Vec<(Kind, Option<u32>, KindFrom)> {
    let mut kinds: Vec<(Kind, Option<u32>, KindFrom)> = live
        .iter()
        .zip(reach)
        .map(|(&k, &(_, nx))| figure_kind(cues, &cands[k], nx, from, to, span))
        .collect();
    let joined =
        |n: usize, verbs: bool| list_joined(cues, &cands[live[n]], &cands[live[n + 1]], verbs);
    // A list shares the cue that closes it: "three drones, one plane and one helicopter over
    // the past day".
    for n in (0..live.len().saturating_sub(1)).rev() {
        if joined(n, true) && kinds[n].2 != KindFrom::Marked && kinds[n + 1].2 == KindFrom::After {
            kinds[n] = kinds[n + 1];
        }
    }
    // "went up by 8 and 15": the change marked before the first of a list holds for the
    // numbers joined to it that have no cue of their own.
    for n in 0..live.len().saturating_sub(1) {
        let by_change = kinds[n].0 == Kind::Delta && kinds[n].2 == KindFrom::Marked;
        let signed = cands[live[n]].signed;
        if joined(n, false) && by_change && kinds[n + 1].2 == KindFrom::Default && !signed {
            kinds[n + 1] = kinds[n];
        }
    }
    kinds
}

/// Two figures one after the other in a list: "3,100 tanks and over 5,800 AFVs", "3.100 Panzer
/// und 5.800 Schützenpanzer" (the language's joiners); with `verbs`, also when each has its own
/// verb of loss after the joiner ("killed 900 troops and destroyed 14 tanks over the past day"),
/// which a change marked once does not reach ("rose by 5 and reached 23,110").
fn list_joined(cues: &Cues, this: &Candidate, next: &Candidate, verbs: bool) -> bool {
    let (lex, tokens) = (cues.lex, cues.tokens);
    let mut i = this.end;
    let mut joiner = false;
    // "1 080 soldats russes et ...": a side named after the noun is still this figure's.
    if let Some((len, _)) = lex.sides.longest_at(tokens, i, next.num.first) {
        i += len;
    }
    while i < next.num.first {
        if matches!(tokens[i].norm.as_str(), "," | ";")
            || lex.function_words.list_joiners.has(&tokens[i])
        {
            i += 1;
            joiner = true;
        } else if let Some(len) = lex.joiners.contains_at(tokens, i, next.num.first) {
            i += len;
            joiner = true;
        } else if let Some(len) = (verbs && joiner)
            .then(|| lex.loss_verbs.contains_at(tokens, i, next.num.first))
            .flatten()
        {
            i += len;
        } else if let Some((len, _)) = lex.qualifiers.longest_at(tokens, i, next.num.first) {
            i += len;
        } else {
            return false;
        }
    }
    true
}

/// The kind a figure can have, judged by its size: a "change" larger than a day can bring is a
/// total (the text misnamed it: "1,837 artillery systems in the past 24 hours"), unless its own
/// mark says change ("(+9)", "by 1,030"); a "total" below what the count had already reached by
/// its date is a day's change if its sentence speaks of a day and a day can bring it ("a total
/// of 2 aircraft" in 2024), and no figure of the series otherwise (a local count: "15 killed in
/// a strike"). None: no figure.
pub(super) fn plausible(
    category: &CategoryName,
    kind: Kind,
    days: Option<u32>,
    marked: bool,
    (value, speaks_of_a_day): (u64, bool),
    date: Option<NaiveDate>,
) -> Option<(Kind, Option<u32>)> {
    let daily = category.max_daily.unwrap_or(u64::MAX);
    match kind {
        Kind::Delta if !marked && value > daily.saturating_mul(u64::from(days.unwrap_or(1))) => {
            Some((Kind::Total, None))
        }
        Kind::Total => {
            // Undated, a total must still reach the first report's count: "1 tank" is a day's
            // change or a local count on any date. A date outside the dates casrep reads is
            // a typo that leaves the figure undated (see `pipeline`): it judges nothing.
            let date = date.filter(|d| crate::figure::date_out_of_range(*d).is_none());
            let floor = date.map_or_else(|| category.earliest_floor(), |d| category.floor_on(d));
            if value < floor {
                (speaks_of_a_day && value <= daily).then_some((Kind::Delta, Some(1)))
            } else {
                Some((kind, days))
            }
        }
        _ => Some((kind, days)),
    }
}
