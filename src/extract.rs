//! Extraction: the figures of one article. Takes the text and returns figures; never touches files.
//!
//! For every number the text states, the extractor looks for what it counts: a category name right
//! after it ("3,350 tanks"), a label before it ("tanks ‒ 3325", "| Tanks | 4306 |", "personnel
//! losses at 1,312,140"), the figure before it in a chain ("by 1,030 overnight to 133,190"), a
//! pronoun-like phrase ("the figure was 144,440"), or a "respectively" list. Then it decides the
//! kind (total, delta, period), the hedge, whose losses and who says so, and the date.

use chrono::{Duration, NaiveDate};

use crate::dates::{self, Anchor, DateMention, DocDate};
use crate::figure::{Figure, Kind, Qualifier};
use crate::lexicon::{CategoryName, Lexicon};
use crate::numbers::{number_at, NumberMatch};
use crate::text::{LineIndex, TokKind, Token};

/// What the caller knows beyond the text.
#[derive(Clone, Debug)]
pub struct Options {
    /// `--date`: the document date, overriding the text.
    pub date: Option<NaiveDate>,
    /// Day 1 of "day 451 of the invasion".
    pub invasion_start: NaiveDate,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            date: None,
            invasion_start: NaiveDate::from_ymd_opt(2022, 2, 24).unwrap(),
        }
    }
}

/// How a number found its category.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Via {
    /// "3,350 tanks"
    Noun,
    /// "tanks ‒ 3325", "| Tanks | 4306 |"
    Label,
    /// "by 1,030 overnight to 133,190": the figure before it.
    Chain,
    /// "the figure was 144,440", "including 460 over the past day"
    Reference,
    /// "taking the totals to 6 840, 13 111 and 10 775 respectively"
    Respectively,
}

#[derive(Clone, Debug)]
struct Candidate {
    num: NumberMatch,
    /// A '+' or '-' right before the number ("(+9)", "| +530 |").
    signed: bool,
    category: Option<(CategoryName, Via)>,
    /// Token range of the category name, when there is one next to the number.
    name: Option<(usize, usize)>,
    side: Option<String>,
    qualifier: Qualifier,
    /// The "(+9)" right after a total: (number, token range of the parentheses).
    paren_delta: Option<(NumberMatch, usize, usize)>,
    /// End of everything that belongs to this candidate (number, name, parentheses).
    end: usize,
    rejected: bool,
}

/// Where a figure's kind came from: its own mark ("(+9)", "by 1,030", "to 133,190"), a cue
/// after it, a cue before it, or nothing (a total).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KindFrom {
    Marked,
    After,
    Before,
    Default,
}

/// What a table column holds, from its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// A total, of the report date or of the date the header gives.
    Total(Option<NaiveDate>),
    /// A total of so many days before the report ("Previous", "Yesterday", "A week ago").
    Before(i64),
    /// The change ("Change", "24h", "+/-").
    Delta,
}

struct TableHeader {
    paragraph: usize,
    roles: Vec<Role>,
}

/// A header row: two or more column names, at least one of them a date, a change or an earlier
/// day (a plain "Total" header needs no roles).
fn header_roles(
    lex: &Lexicon,
    tokens: &[Token],
    from: usize,
    to: usize,
    mentions: &[DateMention],
    invasion_start: NaiveDate,
) -> Option<Vec<Role>> {
    // A header is a short line of column names, not prose: "Western officials say Moscow
    // recruits 21,000 new soldiers a month ... new formations" names no columns, nor does "Here
    // is the latest breakdown from the General Staff on 07.09.2023." end like a header.
    let words = tokens[from..to]
        .iter()
        .filter(|t| t.kind == TokKind::Word)
        .count();
    let ends_a_sentence = to > from && matches!(tokens[to - 1].norm.as_str(), "." | "!" | "?");
    if !tokens[from].line_start || words > 12 || ends_a_sentence {
        return None;
    }
    let mut roles = Vec::new();
    let mut i = from;
    while i < to {
        if let Some(m) = mentions.iter().find(|m| m.first == i) {
            // "Since 24.02.2022" heads the totals column; any other date dates its column.
            let date = m.date().filter(|d| *d != invasion_start);
            roles.push(Role::Total(date));
            i = m.last;
            continue;
        }
        let w = tokens[i].norm.as_str();
        let next = tokens
            .get(i + 1)
            .filter(|_| i + 1 < to)
            .map(|t| t.norm.as_str());
        let role = match (w, next) {
            ("previous" | "yesterday" | "prior", _) => Some((Role::Before(1), 1)),
            ("day", Some("before")) => Some((Role::Before(1), 2)),
            ("week", Some("ago" | "earlier" | "before")) => Some((Role::Before(7), 2)),
            ("last", Some("week")) => Some((Role::Before(7), 2)),
            ("latest" | "today" | "now" | "current" | "total" | "cumulative", _) => {
                Some((Role::Total(None), 1))
            }
            (
                "change" | "24h" | "daily" | "delta" | "difference" | "diff" | "±" | "increase"
                | "new" | "день",
                _,
            ) => Some((Role::Delta, 1)),
            ("+", Some("/")) => Some((Role::Delta, 3)),
            _ => None,
        };
        match role {
            Some((r, n)) => {
                roles.push(r);
                i += n;
            }
            None => i += 1,
        }
    }
    let _ = lex;
    let informative = roles.iter().any(|r| !matches!(r, Role::Total(None)));
    (roles.len() >= 2 && informative).then_some(roles)
}

/// The role of each figure of a table row: cells are the numbers and the lone dashes that stand
/// for an empty cell ("315   315   –").
fn row_roles(
    tokens: &[Token],
    cands: &[Candidate],
    live: &[usize],
    table: &TableHeader,
) -> Option<Vec<Role>> {
    let first = cands[*live.first()?].num.first;
    let last_end = cands[*live.last()?].num.last;
    let mut cells: Vec<Option<usize>> = Vec::new();
    let mut n = 0;
    let mut i = first;
    let line_end = (last_end..tokens.len())
        .find(|&j| tokens[j].line_start)
        .unwrap_or(tokens.len());
    while i < line_end {
        if n < live.len() && cands[live[n]].num.first == i {
            cells.push(Some(n));
            i = cands[live[n]].num.last;
            n += 1;
            continue;
        }
        if n < live.len() && i + 1 == cands[live[n]].num.first && tokens[i].is("+") {
            i += 1;
            continue;
        }
        if matches!(tokens[i].norm.as_str(), "–" | "-" | "—" | "n/a") {
            cells.push(None);
        }
        i += 1;
    }
    if n != live.len() || cells.len() != table.roles.len() {
        return None;
    }
    let mut roles = vec![Role::Total(None); live.len()];
    for (cell, role) in cells.iter().zip(&table.roles) {
        if let Some(k) = cell {
            roles[*k] = *role;
        }
    }
    Some(roles)
}

/// Span of the period a sentence speaks of, remembered for "over the same period".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Span {
    Day,
    Week,
    /// Compared with a stated date: "up from 897,010 on 18.03.2025".
    On(NaiveDate),
}

struct Cues<'a> {
    lex: &'a Lexicon,
    text: &'a str,
    tokens: &'a [Token],
}

impl Cues<'_> {
    fn any(&self, set: &crate::lexicon::Phrases<()>, from: usize, to: usize) -> Option<usize> {
        set.find(self.tokens, from, to).map(|(i, _, _)| i)
    }

    /// "in two days", "over the past 48 hours", "in 3 weeks": the span in days.
    fn span_days(&self, from: usize, to: usize) -> Option<(usize, u32)> {
        let t = self.tokens;
        for i in from..to {
            if !matches!(
                t[i].norm.as_str(),
                "in" | "over" | "within" | "during" | "past" | "last"
            ) {
                continue;
            }
            let mut k = i + 1;
            while k < to && matches!(t[k].norm.as_str(), "the" | "past" | "last" | "previous") {
                k += 1;
            }
            let Some(n) = number_at(self.lex, t, k, to) else {
                continue;
            };
            let Some(unit) = t.get(n.last).filter(|_| n.last < to) else {
                continue;
            };
            if let Some(&per) = self.lex.span_units.get(unit.norm.as_str()) {
                let days = if per == 0 {
                    (n.value / 24) as u32
                } else {
                    n.value as u32 * per
                };
                if unit.norm.starts_with("hour") && n.value % 24 != 0 {
                    continue;
                }
                return Some((i, days));
            }
        }
        None
    }
}

/// Extract every figure of `text`. `file` is the path written into each figure.
pub fn extract(lex: &Lexicon, file: &str, text: &str, opts: &Options) -> Vec<Figure> {
    let tok = lex.tokenize(text);
    let tokens = &tok.tokens;
    let lines = LineIndex::new(text);
    let cues = Cues { lex, text, tokens };

    // Per sentence: dates written in it, a day count, weekdays named.
    let mut masked = vec![false; tokens.len()];
    let mut sent_dates: Vec<Vec<DateMention>> = Vec::new();
    let mut sent_daycount: Vec<Option<(usize, usize, i64)>> = Vec::new();
    for s in &tok.sentences {
        let mut ds = dates::find_dates(lex, tokens, s.first, s.last);
        for d in &ds {
            masked[d.first..d.last].iter_mut().for_each(|m| *m = true);
        }
        // A dateline's date is the document's, not what the sentence after it reports.
        if tokens[s.first].line_start {
            if let Some(dl) = dates::dateline_at(lex, text, tokens, s.first, s.last) {
                ds.retain(|d| *d != dl);
            }
        }
        let dc = dates::day_count(lex, tokens, s.first, s.last);
        if let Some((a, b, _)) = dc {
            masked[a..b].iter_mut().for_each(|m| *m = true);
        }
        sent_dates.push(ds);
        sent_daycount.push(dc);
    }

    // Candidates per sentence, before dates: the date pass needs to know which sentences report.
    let mut per_sentence: Vec<Vec<Candidate>> = Vec::new();
    let mut last_category: Option<CategoryName> = None;
    // Whether the sentence before, in the same paragraph or as a list's introduction, speaks of
    // losses: a list under "Total combat losses of the enemy:" carries that context.
    let mut context: Option<(usize, bool)> = None;
    for s in &tok.sentences {
        let own = speaks_of_losses(lex, tokens, s.first, s.last);
        let inherited =
            context.is_some_and(|(p, c)| c && (p == s.paragraph || p + 1 == s.paragraph));
        let cands = sentence_candidates(
            lex,
            tokens,
            s.first,
            s.last,
            &masked,
            &mut last_category,
            inherited,
            own,
        );
        per_sentence.push(cands);
        if own || !inherited || context.is_none_or(|(p, _)| p != s.paragraph) {
            context = Some((
                s.paragraph,
                own || inherited && context.is_some_and(|(p, _)| p == s.paragraph),
            ));
        }
    }

    let doc = document_date(
        lex,
        text,
        &tok,
        file,
        opts,
        &per_sentence,
        &sent_dates,
        &sent_daycount,
    );

    // Document-level claimant: Kyiv, when the article cites a Ukrainian source anywhere.
    let doc_claimant = lex
        .claimants
        .find_all(tokens, 0, tokens.len())
        .into_iter()
        .any(|(_, _, who)| who == "ukraine")
        .then(|| "ukraine".to_string());

    let mut figures = Vec::new();
    let mut report: Option<(NaiveDate, String)> = doc
        .as_ref()
        .map(|d| (d.date, format!("document date {} ({})", d.date, d.basis)));
    let mut span: Option<Span> = None;
    // The span of the comparisons the article makes ("a week earlier", "the previous day"), for
    // the earlier value of a later "rose to B from A".
    let mut pair_span: Option<Span> = None;
    let mut table: Option<TableHeader> = None;
    let mut paragraph_claimant: Option<(usize, String)> = None;
    let mut unresolved_weekday: Option<String> = None;
    for (si, s) in tok.sentences.iter().enumerate() {
        let cands = &per_sentence[si];
        let (from, to) = (s.first, s.last);
        // Who speaks in this sentence.
        let mut claims = lex.claimants.find_all(tokens, from, to);
        claims.retain(|&(at, n, _)| !is_dateline_place(lex, text, tokens, at, n));
        let carried = paragraph_claimant
            .as_ref()
            .filter(|(p, _)| *p == s.paragraph)
            .map(|(_, c)| c.clone());
        // Only a sentence about losses hands its source on to the next ("It also said ...");
        // "The United States announced $6.9 billion in aid" does not.
        let has_figures = cands.iter().any(|c| c.category.is_some() && !c.rejected);
        // "including" alone does not make a sentence about losses: "aid including shells".
        let about_losses = lex
            .loss_verbs
            .find_all(tokens, from, to)
            .iter()
            .any(|&(at, _, _)| !tokens[at].norm.starts_with("includ"));
        if has_figures || about_losses {
            if let Some((_, _, who)) = claims.first() {
                paragraph_claimant = Some((s.paragraph, who.clone()));
            }
        } else {
            // A sentence about something else ends the run: in "Independent outlets say they
            // confirmed 79,390 deaths. The railway said trains ran late. Destroyed Russian
            // equipment includes 10,841 tanks ...", the tanks are not the outlets' count.
            paragraph_claimant = None;
        }
        // The period this sentence speaks of, for a later "over the same period".
        let week_earlier = cues.any(&lex.week_earlier, from, to).is_some();
        let sentence_span = if cues.any(&lex.delta_cues, from, to).is_some() {
            Some(Span::Day)
        } else if week_earlier
            || tokens[from..to]
                .iter()
                .any(|t| matches!(t.norm.as_str(), "week" | "weekly"))
        {
            Some(Span::Week)
        } else {
            None
        };
        if week_earlier {
            pair_span = Some(Span::Week);
        } else if cues.any(&lex.previous_day, from, to).is_some() {
            pair_span = Some(Span::Day);
        }
        let stated_date = |unresolved: &mut Option<String>| {
            let (dates, daycount) = (&sent_dates[si], sent_daycount[si]);
            sentence_date(
                lex,
                tokens,
                from,
                to,
                dates,
                daycount,
                doc.as_ref(),
                opts,
                unresolved,
            )
        };
        let live: Vec<usize> = (0..cands.len())
            .filter(|&k| cands[k].category.is_some() && !cands[k].rejected)
            .collect();
        // A source carried from the sentence before speaks of the losses it spoke of: the
        // Russian ministry's "80 Ukrainian drones" does not make it the source of the next
        // sentence's "7,110 Russian tanks", nor of what follows them.
        let carried = match carried {
            Some(who) if live.iter().any(|&k| cands[k].side.as_ref() == Some(&who)) => {
                paragraph_claimant = None;
                None
            }
            other => other,
        };
        if live.is_empty() {
            // Only sentences about losses set the period that "over the same period" refers to.
            if sentence_span.is_some() && lex.loss_verbs.find(tokens, from, to).is_some() {
                span = sentence_span;
            }
            if let Some(roles) =
                header_roles(lex, tokens, from, to, &sent_dates[si], opts.invasion_start)
            {
                table = Some(TableHeader {
                    paragraph: s.paragraph,
                    roles,
                });
            }
            // A list's introduction ("Here are the figures published by the General Staff on
            // Thursday:") dates the list that follows.
            if introduces_report(lex, tokens, from, to, &claims)
                || titles_report(lex, tokens, from, to, &sent_dates[si])
            {
                if let Some(st) = stated_date(&mut unresolved_weekday) {
                    report = Some(st);
                }
            }
            continue;
        }
        // The date this sentence states for its figures, if it states one.
        let stated = stated_date(&mut unresolved_weekday);
        if let Some(st) = &stated {
            report = Some(st.clone());
        }
        let base = stated.clone().or_else(|| report.clone());
        let contrast = clause_breaks(tokens, from, to);

        // Kinds first: a list shares the cue that closes it ("three drones, one plane and one
        // helicopter over the past day").
        let bounds: Vec<(usize, usize)> = (0..live.len())
            .map(|n| {
                let prev_end = if n > 0 { cands[live[n - 1]].end } else { from };
                // Any number after this one ends its reach, named or not ("29,063, with 47 more").
                let next_start = cands[live[n] + 1..]
                    .iter()
                    .find(|c| {
                        !tokens
                            .get(c.num.last)
                            .is_some_and(|t| lex.span_units.contains_key(t.norm.as_str()))
                    })
                    .map(|c| c.num.first)
                    .unwrap_or(to);
                (prev_end, next_start)
            })
            .collect();
        let mut kinds: Vec<(Kind, Option<u32>, KindFrom)> = live
            .iter()
            .zip(&bounds)
            .map(|(&k, &(p, nx))| figure_kind(&cues, &cands[k], p, nx, from, to, span))
            .collect();
        // Two figures one after the other in a list: "3,100 tanks and over 5,800 AFVs".
        let list_joined = |n: usize| {
            let (this, next) = (&cands[live[n]], &cands[live[n + 1]]);
            let mut i = this.end;
            while i < next.num.first {
                if matches!(tokens[i].norm.as_str(), "," | "and" | ";") {
                    i += 1;
                } else if let Some((len, _)) = lex.qualifiers.longest_at(tokens, i, next.num.first)
                {
                    i += len;
                } else {
                    return false;
                }
            }
            true
        };
        for n in (0..live.len().saturating_sub(1)).rev() {
            if list_joined(n) && kinds[n].2 != KindFrom::Marked && kinds[n + 1].2 == KindFrom::After
            {
                kinds[n] = kinds[n + 1];
            }
        }
        // "went up by 8 and 15": the change marked before the first of a list holds for the
        // numbers joined to it that have no cue of their own.
        for n in 0..live.len().saturating_sub(1) {
            let by_change = kinds[n].0 == Kind::Delta && kinds[n].2 == KindFrom::Marked;
            let signed = cands[live[n]].signed;
            if list_joined(n) && by_change && kinds[n + 1].2 == KindFrom::Default && !signed {
                kinds[n + 1] = kinds[n];
            }
        }
        // A table row under a header such as "Category | 14.07.2023 | 13.07.2023 | Change".
        let row_roles = table
            .as_ref()
            .filter(|t| t.paragraph == s.paragraph)
            .and_then(|t| row_roles(tokens, cands, &live, t));
        if table.as_ref().is_some_and(|t| t.paragraph != s.paragraph) {
            table = None;
        }

        for (n, &k) in live.iter().enumerate() {
            let c = &cands[k];
            let (prev_end, next_start) = bounds[n];
            let (mut kind, mut days, _) = kinds[n];
            let mut row_date: Option<(Option<NaiveDate>, String)> = None;
            if let Some(roles) = &row_roles {
                match roles[n] {
                    Role::Delta => (kind, days) = (Kind::Delta, Some(1)),
                    Role::Total(Some(d)) => {
                        (kind, days) = (Kind::Total, None);
                        row_date = Some((Some(d), format!("table column dated {d}")));
                    }
                    Role::Total(None) => (kind, days) = (Kind::Total, None),
                    Role::Before(back) => {
                        (kind, days) = (Kind::Total, None);
                        row_date = Some(match &base {
                            Some((d, b)) => (
                                Some(*d - Duration::days(back)),
                                format!("table column {back} day(s) before {d}: {b}"),
                            ),
                            None => (None, no_date_basis(&unresolved_weekday)),
                        });
                    }
                }
            }
            let claimant = figure_claimant(c.num.first, &claims, &contrast)
                .or_else(|| carried.clone())
                .or_else(|| doc_claimant.clone());
            let side = c
                .side
                .clone()
                .or_else(|| side_from_phrases(lex, tokens, from, c.num.first))
                .or_else(|| match claimant.as_deref() {
                    Some("russia") => Some("ukraine".to_string()),
                    _ => Some("russia".to_string()),
                });
            // Date: the sentence's, shifted for "a week earlier", "the previous day", "from A to B".
            let (date, date_basis) = match row_date {
                Some(d) => d,
                None => figure_date(
                    &cues,
                    c,
                    kind,
                    prev_end,
                    next_start,
                    base.clone(),
                    pair_span,
                    &unresolved_weekday,
                    &sent_dates[si],
                    live.len(),
                ),
            };
            // "up from 897,010 on 18.03.2025": the article compares with that date, so a later
            // "rose to 41,824 from 40,892" gives its earlier value that date too.
            if let Some(d) = date.filter(|_| {
                date_basis.ends_with("' after the figure") && after_from(&cues, c, prev_end)
            }) {
                pair_span = Some(Span::On(d));
            }
            let (category, _) = c.category.clone().unwrap();
            let id = match &category.until {
                Some(u) if date.is_some_and(|d| d >= u.date) || date.is_none() => u.then.clone(),
                _ => category.id.clone(),
            };
            let (first_tok, last_tok) = match c.name {
                Some((a, b)) => (a.min(c.num.first), b.max(c.num.last)),
                None => (c.num.first, c.num.last),
            };
            figures.push(make_figure(
                file,
                text,
                &lines,
                tokens,
                first_tok,
                last_tok,
                &id,
                kind,
                days,
                c.num.value,
                c.qualifier,
                side.clone(),
                claimant.clone(),
                date,
                &date_basis,
            ));
            if let Some((d, a, b)) = &c.paren_delta {
                let (ddate, dbasis) = (
                    base.as_ref().map(|b| b.0),
                    base.as_ref()
                        .map(|b| b.1.clone())
                        .unwrap_or_else(|| no_date_basis(&unresolved_weekday)),
                );
                let _ = d;
                figures.push(make_figure(
                    file,
                    text,
                    &lines,
                    tokens,
                    *a,
                    *b,
                    &id,
                    Kind::Delta,
                    Some(1),
                    d.value,
                    Qualifier::Exact,
                    side.clone(),
                    claimant.clone(),
                    ddate,
                    &dbasis,
                ));
            }
        }
        if sentence_span.is_some() {
            span = sentence_span;
        }
    }
    date_restatements(&mut figures);
    fold_rounded_bounds(&mut figures);
    figures.sort_by_key(|f| (f.start, f.end));
    figures
}

#[allow(clippy::too_many_arguments)]
fn make_figure(
    file: &str,
    text: &str,
    lines: &LineIndex,
    tokens: &[Token],
    first: usize,
    last: usize,
    category: &str,
    kind: Kind,
    days: Option<u32>,
    value: u64,
    qualifier: Qualifier,
    side: Option<String>,
    claimant: Option<String>,
    date: Option<NaiveDate>,
    date_basis: &str,
) -> Figure {
    let start = tokens[first].start;
    let end = tokens[last - 1].end;
    Figure {
        file: file.to_string(),
        line: lines.line_of(start),
        start,
        end,
        quote: text[start..end].to_string(),
        category: category.to_string(),
        kind,
        days: if kind == Kind::Delta {
            days.or(Some(1))
        } else {
            None
        },
        value,
        qualifier,
        side,
        claimant,
        date,
        date_basis: date_basis.to_string(),
    }
}

/// A plus sign marks a change ("| +530 |"); dashes before a number are label separators.
fn is_sign(t: &Token) -> bool {
    t.is("+")
}

/// The numbers of one sentence and what each counts.
#[allow(clippy::too_many_arguments)]
fn sentence_candidates(
    lex: &Lexicon,
    tokens: &[Token],
    from: usize,
    to: usize,
    masked: &[bool],
    last_category: &mut Option<CategoryName>,
    inherited_context: bool,
    loss_context: bool,
) -> Vec<Candidate> {
    let mut cands: Vec<Candidate> = Vec::new();
    let mut consumed_until = from;
    let mut i = from;
    while i < to {
        if masked[i] || i < consumed_until {
            i += 1;
            continue;
        }
        let Some(num) = number_at(lex, tokens, i, to) else {
            i += 1;
            continue;
        };
        if not_a_count(tokens, &num, from, to) {
            i = num.last;
            continue;
        }
        let signed = num.first > from && is_sign(&tokens[num.first - 1]) && !num.word;
        let mut c = Candidate {
            num: num.clone(),
            signed,
            category: None,
            name: None,
            side: None,
            qualifier: Qualifier::Exact,
            paren_delta: None,
            end: num.last,
            rejected: false,
        };

        // "(+9)" right after the number: a delta of the same category.
        let mut j = num.last;
        if j < to && tokens[j].is("(") {
            let mut k = j + 1;
            let sign = k < to && matches!(tokens[k].norm.as_str(), "+" | "-" | "−" | "–");
            if sign {
                k += 1;
            }
            if let Some(d) = number_at(lex, tokens, k, to).filter(|d| !d.word) {
                let mut close = d.last;
                while close < to && close < d.last + 4 && !tokens[close].is(")") {
                    close += 1;
                }
                if sign && close < to && tokens[close].is(")") {
                    c.paren_delta = Some((d, j, close + 1));
                    j = close + 1;
                    c.end = j;
                }
            }
        }
        // Forward: modifiers, then a category name.
        let mut k = j;
        let mut steps = 0;
        while k < to && steps < 5 {
            if lex.category_names.longest_at(tokens, k, to).is_some() {
                break;
            }
            if lex.rejecting_modifiers.contains_at(tokens, k, to).is_some() {
                c.rejected = true;
                break;
            }
            if let Some((n, side)) = lex.sides.longest_at(tokens, k, to) {
                c.side = Some(side.clone());
                k += n;
            } else if let Some(n) = lex.modifiers.contains_at(tokens, k, to) {
                k += n;
            } else if tokens[k].is("of") && steps == 0 {
                // "208,370 of the despot's soldiers", "4,000 of Russia's tanks"
                let mut j = k + 1;
                if j < to && tokens[j].is("the") {
                    j += 1;
                }
                if j < to && tokens[j].norm.ends_with("'s") {
                    if let Some((_, side)) = lex.sides.longest_at(tokens, j, to) {
                        c.side = Some(side.clone());
                    }
                    k = j + 1;
                } else {
                    break;
                }
            } else {
                break;
            }
            steps += 1;
        }
        if !c.rejected {
            if let Some((n, name)) = lex.category_names.longest_at(tokens, k, to) {
                let mut end = k + n;
                // "(MLRS)" after the name belongs to it.
                if end + 2 < to
                    && tokens[end].is("(")
                    && tokens[end + 2].is(")")
                    && tokens[end + 1].kind == TokKind::Word
                {
                    end += 3;
                }
                c.category = Some((name.clone(), Via::Noun));
                c.name = Some((k, end));
                c.end = end;
            }
        }
        let forward_end = k;
        // Qualifier right before the number.
        let mut q_start = num.first;
        if signed {
            q_start -= 1;
        }
        if let Some((n, q)) =
            lex.qualifiers
                .longest_ending_at(tokens, q_start.saturating_sub(4).max(from), q_start)
        {
            let before = q_start - n;
            // "went up to 434,710" is no "up to".
            let verb_before = before > from
                && matches!(
                    tokens[before - 1].norm.as_str(),
                    "went" | "rose" | "climbed" | "jumped" | "grew" | "risen"
                );
            if !(verb_before && tokens[before].is("up")) {
                c.qualifier = *q;
                q_start = before;
            }
        }
        if c.qualifier == Qualifier::Exact && num.rounded {
            c.qualifier = Qualifier::About;
        }
        // A year ("Russia's 2025 defence budget") counts something only with a name right after it.
        let year_like = !num.word
            && tokens[num.first].norm.len() == 4
            && tokens[num.first]
                .norm
                .parse::<u32>()
                .is_ok_and(|y| (1990..=2040).contains(&y));
        // A number word stands after a label only in a list ("Submarines: one") or a change
        // ("rose by three"); elsewhere "one" is too common a word.
        let word_after_label = num.word
            && q_start > from
            && matches!(
                tokens[q_start - 1].norm.as_str(),
                ":" | "-" | "–" | "—" | "‒" | "by"
            );
        if c.category.is_none() && !c.rejected && (!num.word || word_after_label) {
            // Backward: connectors, then a category name or a reference to the last one.
            let mut k = q_start;
            let floor = from;
            let mut hops = 0;
            while k > floor && hops < 8 {
                if let Some((n, name)) = lex.category_labels.longest_ending_at(
                    tokens,
                    k.saturating_sub(10).max(floor),
                    k,
                ) {
                    c.category = Some((name.clone(), Via::Label));
                    c.name = Some((k - n, k));
                    // A side word right before the label: "Russian personnel losses".
                    if k - n > floor {
                        if let Some((_, side)) = lex.sides.longest_ending_at(
                            tokens,
                            (k - n).saturating_sub(2).max(floor),
                            k - n,
                        ) {
                            c.side = Some(side.clone());
                        }
                    }
                    break;
                }
                if let Some((n, _)) =
                    lex.anaphors
                        .longest_ending_at(tokens, k.saturating_sub(6).max(floor), k)
                {
                    // A bare "the total" or "the toll" with no figure before it in the sentence is
                    // the headline count of troops, not the last equipment line.
                    let bare_total = n == 2
                        && matches!(tokens[k - 1].norm.as_str(), "total" | "toll")
                        && cands.is_empty();
                    let referred = if bare_total {
                        Some(CategoryName {
                            id: "personnel".to_string(),
                            until: None,
                        })
                    } else {
                        cands
                            .iter()
                            .rev()
                            .find_map(|p| p.category.clone().map(|c| c.0))
                            .or_else(|| last_category.clone())
                    };
                    if let Some(cat) = referred {
                        c.category = Some((cat, Via::Reference));
                    }
                    break;
                }
                // A parenthesis after the label: "UAVs (operational-tactical level) | 6,823".
                if tokens[k - 1].is(")") {
                    if let Some(open) = (k.saturating_sub(7).max(floor)..k - 1)
                        .rev()
                        .find(|&j| tokens[j].is("("))
                    {
                        k = open;
                        hops += 1;
                        continue;
                    }
                }
                // Dot leaders: "Troops ........ 311 750" is one connector however long.
                if k >= floor + 2 && tokens[k - 1].is(".") && tokens[k - 2].is(".") {
                    while k > floor && (tokens[k - 1].is(".") || tokens[k - 1].is("…")) {
                        k -= 1;
                    }
                    hops += 1;
                    continue;
                }
                let floor8 = k.saturating_sub(8).max(floor);
                let step = lex
                    .connectors
                    .longest_ending_at(tokens, floor8, k)
                    .or_else(|| {
                        lex.qualifiers
                            .longest_ending_at(tokens, floor8, k)
                            .map(|(n, _)| (n, &()))
                    });
                match step {
                    Some((n, _)) => {
                        k -= n;
                        hops += 1;
                    }
                    None => break,
                }
            }
        }
        if c.category.is_none() && !c.rejected {
            // "zero of those losses"
            if let Some(n) = lex.anaphor_after.contains_at(tokens, forward_end, to) {
                if let Some(cat) = last_category.clone() {
                    c.category = Some((cat, Via::Reference));
                    c.end = forward_end + n;
                }
            }
        }
        if c.category.is_none() && !c.rejected && !num.word {
            // Chain: joined to the figure before by ",", "to", "from", "|", "a week ago", ...
            if let Some(p) = cands.iter().rev().find(|p| !p.rejected) {
                if let Some((cat, _)) = &p.category {
                    if joined(lex, tokens, p.end, q_start) {
                        c.category = Some((cat.clone(), Via::Chain));
                    }
                }
            }
        }
        if c.category.is_none() && !c.rejected && !num.word {
            // "including 460 over the past day", "the 7,765 claimed by Kyiv": the figure before.
            // "including 460", "with another 460 falling in the last 24 hours"
            let including = lex
                .including
                .longest_ending_at(tokens, q_start.saturating_sub(3).max(from), q_start)
                .is_some()
                || (q_start > from && tokens[q_start - 1].is("another"))
                || (q_start > from
                    && matches!(tokens[q_start - 1].norm.as_str(), "with" | "plus")
                    && tokens.get(num.last).is_some_and(|t| t.is("more")));
            let claimed = q_start > from
                && tokens[q_start - 1].is("the")
                && lex.claim_verbs.contains_at(tokens, num.last, to).is_some();
            let delta_next = lex.delta_cues.contains_at(tokens, num.last, to).is_some();
            // "..., pushing the total to 1,353,860": the total of the figure before.
            let total_to = q_start > from
                && tokens[q_start - 1].is("to")
                && (q_start.saturating_sub(6).max(from)..q_start).any(|i| {
                    matches!(
                        tokens[i].norm.as_str(),
                        "total" | "tally" | "toll" | "count"
                    )
                });
            if including
                || claimed
                || total_to
                || (delta_next && q_start > from && tokens[q_start - 1].is(","))
            {
                if let Some(cat) = cands
                    .iter()
                    .rev()
                    .find_map(|p| p.category.clone().map(|c| c.0))
                {
                    c.category = Some((cat, Via::Reference));
                }
            }
        }
        if let Some((_, b)) = c.paren_delta.as_ref().map(|(_, a, b)| (a, b)) {
            consumed_until = *b;
        }
        if year_like && matches!(c.category, Some((_, Via::Chain | Via::Reference))) {
            c.rejected = true;
        }
        // "5,000,000 submarines" is no loss figure, whatever the sentence says.
        if let Some((cat, _)) = &c.category {
            if lex
                .categories
                .iter()
                .any(|e| e.id == cat.id && e.max.is_some_and(|m| num.value > m))
            {
                c.rejected = true;
            }
        }
        if c.category.is_some() && negative_context(lex, tokens, q_start, c.end, from, to) {
            c.rejected = true;
        }
        // "one Ukrainian tank battalion": the name qualifies another noun.
        if matches!(c.category, Some((_, Via::Noun)))
            && c.end < to
            && lex.unit_nouns.contains_at(tokens, c.end, to).is_some()
        {
            c.rejected = true;
        }
        if let Some((cat, _)) = &c.category {
            if !c.rejected {
                *last_category = Some(cat.clone());
            }
        }
        i = c.end.max(num.last);
        cands.push(c);
    }
    if cands.is_empty() {
        // Nothing below changes anything then.
        return cands;
    }
    // A count in prose is a loss only where the sentence speaks of losses or cites a source
    // (`loss_context`: "some 88 tanks in total" for a pledge is not); list items and lists of
    // three or more named counts carry their context in the heading.
    let named = cands
        .iter()
        .filter(|c| matches!(c.category, Some((_, Via::Noun))) && !c.rejected)
        .count();
    // A list item: a line that starts with a bullet, an item number or a "LABEL:".
    let list_item = tokens[from].line_start
        && (tokens[from].is_punct()
            || tokens[from].kind == TokKind::Num
                && tokens.get(from + 1).is_some_and(|t| t.is(".") || t.is(")"))
            || (from + 1..(from + 8).min(to))
                .any(|i| matches!(tokens[i].norm.as_str(), ":" | "‒" | "–" | "—" | "-" | "|")));
    if !loss_context && !list_item && !inherited_context && named < 3 {
        for c in cands.iter_mut() {
            let list_item = (c.num.first.saturating_sub(2).max(from)..=c.num.first)
                .any(|i| tokens[i].line_start);
            if matches!(c.category, Some((_, Via::Noun))) && !list_item {
                c.rejected = true;
            }
        }
    }
    // "... taking the totals to 6 840, 13 111, and 10 775 respectively."
    if let Some(r) = lex.respectively.find(tokens, from, to).map(|(i, _, _)| i) {
        if !names_first_respectively(lex, tokens, from, r, &mut cands) {
            // The numbers without a name of their own come after the named ones.
            let open: Vec<usize> = (0..cands.len())
                .filter(|&k| {
                    let c = &cands[k];
                    !named_here(c) && !c.rejected && c.num.last <= r && !c.num.word
                })
                .filter(|&k| {
                    cands[k + 1..]
                        .iter()
                        .all(|c| !named_here(c) || c.num.first > r)
                })
                .collect();
            let named: Vec<usize> = (0..cands.len())
                .filter(|&k| {
                    named_here(&cands[k])
                        && !cands[k].rejected
                        && open.first().is_some_and(|&o| k < o)
                })
                .collect();
            if !open.is_empty() {
                name_in_order(&mut cands, &open, &named);
            }
        }
    } else if let Some(p) =
        (from..to.saturating_sub(1)).find(|&i| tokens[i].is("totals") && tokens[i + 1].is("to"))
    {
        // "... 3,100 tanks and 5,800 AFVs destroyed, bringing the totals to 6,534 and 12,425":
        // "respectively" left unsaid, the totals follow the named figures in their order.
        let open: Vec<usize> = (0..cands.len())
            .filter(|&k| !cands[k].rejected && cands[k].num.first > p && !named_here(&cands[k]))
            .collect();
        let named: Vec<usize> = (0..cands.len())
            .filter(|&k| !cands[k].rejected && cands[k].num.last <= p && named_here(&cands[k]))
            .collect();
        if open.len() >= 2 {
            name_in_order(&mut cands, &open, &named);
        }
    }
    cands
}

/// A figure with a name of its own beside it ("3,100 tanks", "tanks ‒ 3325").
fn named_here(c: &Candidate) -> bool {
    matches!(c.category, Some((_, Via::Noun | Via::Label)))
}

/// Gives the `open` numbers the categories of the `named` ones, in order, when they are as many.
fn name_in_order(cands: &mut [Candidate], open: &[usize], named: &[usize]) {
    if open.len() != named.len() {
        return;
    }
    for (&o, &n) in open.iter().zip(named) {
        let cat = cands[n]
            .category
            .clone()
            .expect("named figures have a category")
            .0;
        cands[o].category = Some((cat, Via::Respectively));
    }
}

/// "Tank and armoured vehicle losses went up by 8 and 15 respectively, to 3,253 and 6,458":
/// the names come first, then the numbers in groups of as many, each group in the names' order.
/// The first group ends at "respectively"; a number written with a name of its own ("12 tanks")
/// leaves the sentence to the other reading. Whether it applied.
fn names_first_respectively(
    lex: &Lexicon,
    tokens: &[Token],
    from: usize,
    respectively: usize,
    cands: &mut [Candidate],
) -> bool {
    let numbers: Vec<usize> = (0..cands.len()).filter(|&k| !cands[k].rejected).collect();
    let Some(&first) = numbers.first() else {
        return false;
    };
    if numbers
        .iter()
        .any(|&k| matches!(cands[k].category, Some((_, Via::Noun))))
    {
        return false;
    }
    let mut names: Vec<CategoryName> = Vec::new();
    for (_, _, name) in lex
        .category_names
        .find_all(tokens, from, cands[first].num.first)
    {
        if !names.iter().any(|n| n.id == name.id) {
            names.push(name);
        }
    }
    let k = names.len();
    let in_first_group = numbers
        .iter()
        .filter(|&&n| cands[n].num.last <= respectively)
        .count();
    if k < 2 || in_first_group != k || numbers.len() % k != 0 {
        return false;
    }
    for (j, &n) in numbers.iter().enumerate() {
        cands[n].category = Some((names[j % k].clone(), Via::Respectively));
        // The quote is the number alone: the name beside it may be another's.
        cands[n].name = None;
    }
    true
}

/// A loss word or a cited source: the context in which a count in prose is a loss.
fn speaks_of_losses(lex: &Lexicon, tokens: &[Token], from: usize, to: usize) -> bool {
    lex.loss_verbs.find(tokens, from, to).is_some()
        || lex.claimants.find(tokens, from, to).is_some()
}

/// Money, percentages, measures, years: numbers that count no losses whatever follows.
fn not_a_count(tokens: &[Token], num: &NumberMatch, from: usize, to: usize) -> bool {
    // "10. Cruise missiles: 1,455": the number of a list item.
    if tokens[num.first].line_start
        && num.last < to
        && matches!(tokens[num.last].norm.as_str(), "." | ")")
        && !num.word
    {
        return true;
    }
    if num.first > from {
        let p = &tokens[num.first - 1];
        if matches!(
            p.norm.as_str(),
            "$" | "€" | "£" | "₴" | "usd" | "eur" | "uah" | "us$" | "#" | "no." | "№"
        ) {
            return true;
        }
        // "Leopard 2A6": digits glued to a model code.
        if p.end == tokens[num.first].start && matches!(p.kind, TokKind::Num) {
            return true;
        }
        // Model names glued to a number: "F-16", "Su-57", "Kh-101", "T90" (but "boats-28" is a
        // label). Model numbers stay below 1,000, so "bbm-21,400" and "uav-75054" are labels.
        let model = |w: &Token| w.kind == TokKind::Word && w.norm.chars().count() <= 3;
        if p.end == tokens[num.first].start
            && num.value < 1000
            && (model(p)
                || p.is("-")
                    && num.first >= from + 2
                    && model(&tokens[num.first - 2])
                    && tokens[num.first - 2].end == p.start)
        {
            return true;
        }
    }
    if num.last < to {
        let n = &tokens[num.last];
        if matches!(
            n.norm.as_str(),
            "%" | "percent"
                | "per"
                | "billion"
                | "bn"
                | "trillion"
                | "years"
                | "year-old"
                | "km"
                | "kilometres"
                | "kilometers"
                | "miles"
                | "tonnes"
                | "tons"
        ) {
            return true;
        }
        // "5-story", "541-kilometer"
        if n.is("-") && n.start == tokens[num.last - 1].end {
            return true;
        }
    }
    false
}

/// The tokens between two figures join them into one series ("by 1,030 overnight to 133,190").
fn joined(lex: &Lexicon, tokens: &[Token], from: usize, to: usize) -> bool {
    if from >= to {
        return from == to;
    }
    let mut k = from;
    while k < to {
        if let Some(n) = lex.chain.contains_at(tokens, k, to) {
            k += n;
        } else if let Some(n) = lex
            .week_earlier
            .contains_at(tokens, k, to)
            .or_else(|| lex.previous_day.contains_at(tokens, k, to))
        {
            k += n;
        } else if let Some((n, _)) = lex.qualifiers.longest_at(tokens, k, to) {
            k += n;
        } else if lex.weekday_at(tokens, k).is_some() || tokens[k].kind == TokKind::NumDate {
            // "257,470 ... lost as of Sunday, up from 253,850"
            k += 1;
        } else {
            return false;
        }
    }
    true
}

/// Words near a count that make it something other than a loss ("19 warships on combat duty").
fn negative_context(
    lex: &Lexicon,
    tokens: &[Token],
    start: usize,
    end: usize,
    from: usize,
    to: usize,
) -> bool {
    let a = start.saturating_sub(3).max(from);
    let b = (end + 4).min(to);
    lex.negative_cues.find(tokens, a, b).is_some()
}

/// Token positions where a sentence turns to another source ("compared with", "while", ";").
fn clause_breaks(tokens: &[Token], from: usize, to: usize) -> Vec<usize> {
    (from..to)
        .filter(|&i| {
            let t = &tokens[i];
            matches!(
                t.norm.as_str(),
                ";" | "while" | "whereas" | "but" | "versus" | "vs"
            ) || (t.is("compared")
                && tokens
                    .get(i + 1)
                    .is_some_and(|n| n.is("with") || n.is("to")))
        })
        .collect()
}

/// Whether tokens[at..at + n] is the place of a dateline ("WASHINGTON, Nov. 7 (Baltic
/// Newsroom) –", "LONDON (Reuters) -", "Washington, 15 July 2026 –"): at the start of a line,
/// in capitals before a comma, a bracket or a dash, or in any case before a comma and a date.
/// Where a story was filed says nothing of whose figures it reports.
fn is_dateline_place(lex: &Lexicon, text: &str, tokens: &[Token], at: usize, n: usize) -> bool {
    let words = &tokens[at..at + n];
    let in_capitals = words.iter().all(|t| {
        let word = &text[t.start..t.end];
        t.kind != TokKind::Word || !word.chars().any(char::is_lowercase)
    });
    let next = |k: usize| tokens.get(at + n + k).map(|t| t.norm.as_str());
    let dated = next(0) == Some(",")
        && dates::find_dates(lex, tokens, at + n + 1, (at + n + 6).min(tokens.len()))
            .first()
            .is_some_and(|d| d.first == at + n + 1);
    let marked = matches!(next(0), Some("," | "(" | "—" | "–" | "-" | "‒" | "―"));
    tokens[at].line_start && (in_capitals && marked || dated)
}

fn figure_claimant(
    pos: usize,
    claims: &[(usize, usize, String)],
    breaks: &[usize],
) -> Option<String> {
    let clause_of = |p: usize| breaks.iter().filter(|&&b| b <= p).count();
    let mine = clause_of(pos);
    let nearest = |list: Vec<&(usize, usize, String)>| {
        list.into_iter()
            .min_by_key(|(p, n, _)| if *p > pos { p - pos } else { pos - (p + n) })
            .map(|(_, _, w)| w.clone())
    };
    nearest(
        claims
            .iter()
            .filter(|(p, _, _)| clause_of(*p) == mine)
            .collect(),
    )
    .or_else(|| nearest(claims.iter().collect()))
}

fn side_from_phrases(lex: &Lexicon, tokens: &[Token], from: usize, pos: usize) -> Option<String> {
    lex.side_phrases
        .find_all(tokens, from, pos)
        .last()
        .map(|(_, _, s)| s.clone())
}

#[allow(clippy::too_many_arguments)]
fn figure_kind(
    cues: &Cues,
    c: &Candidate,
    prev_end: usize,
    next_start: usize,
    from: usize,
    to: usize,
    span: Option<Span>,
) -> (Kind, Option<u32>, KindFrom) {
    let lex = cues.lex;
    let t = cues.tokens;
    if c.signed {
        return (Kind::Delta, Some(1), KindFrom::Marked);
    }
    let mut q = c.num.first;
    if let Some((n, _)) = lex
        .qualifiers
        .longest_ending_at(t, q.saturating_sub(4).max(from), q)
    {
        q -= n;
    }
    // Right before the number: "by 1,030" is a change, "to 133,190" a total.
    if let Some((n, _)) = lex
        .delta_by
        .longest_ending_at(t, q.saturating_sub(3).max(from), q)
    {
        let _ = n;
        return (Kind::Delta, Some(1), KindFrom::Marked);
    }
    if q > from && (t[q - 1].is("to") || t[q - 1].is("totals") || t[q - 1].is("total")) {
        return (Kind::Total, None, KindFrom::Marked);
    }
    // After the number, up to the next figure: the first cue decides, unless it is a total cue
    // ("1,000 troops, bringing the total to ..."), which leaves it to the cues before.
    let _ = prev_end;
    let mut i = c.end;
    let end = next_start.max(c.end);
    // A total cue that leads to the next number ("bringing the total to 793 250") is that number's.
    let t = cues.tokens;
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
    let leads_on = end < to && lead > c.end && t[lead - 1].is("to");
    while i < end {
        match cue_at(cues, i, end, span, true) {
            Some((_, (Kind::Total, _))) if leads_on => break,
            Some((_, (k, d))) => return (k, d, KindFrom::After),
            None => i += 1,
        }
    }
    // "580 more Russian casualties": a change.
    if t.get(c.num.last).is_some_and(|n| n.is("more")) && c.num.last < to {
        return (Kind::Delta, Some(1), KindFrom::Marked);
    }
    // Before the number: the last cue since the sentence began wins, so "In the last 24 hours,
    // troops destroyed seven tanks and one MLRS" makes both changes, and "..., bringing the total
    // to 793 250" makes a total again.
    let mut kind = None;
    let mut i = from;
    while i < q {
        match cue_at(cues, i, q, span, false) {
            Some((n, k)) => {
                kind = Some(k);
                i += n;
            }
            None => i += 1,
        }
    }
    if let Some((k, d)) = kind {
        return (k, d, KindFrom::Before);
    }
    let _ = to;
    (Kind::Total, None, KindFrom::Default)
}

/// A phrase at `tokens[i]` that tells a figure's kind: (its length, the kind and span in days).
fn cue_at(
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
    if let Some((_, days)) = cues
        .span_days(i, (i + 5).min(limit))
        .filter(|(p, _)| *p == i)
    {
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
    if t[i].is("between")
        && lex.weekday_at(t, i + 1).is_some()
        && t.get(i + 2).is_some_and(|a| a.is("and"))
        && lex.weekday_at(t, i + 3).is_some()
        && i + 4 <= limit
    {
        return Some((4, (Kind::Delta, Some(1))));
    }
    None
}

fn no_date_basis(unresolved_weekday: &Option<String>) -> String {
    match unresolved_weekday {
        Some(w) => format!("no document date to resolve {w} against (no --date, header, dateline, file-name date or dated text)"),
        None => "no document date (no --date, header, dateline, file-name date or dated text)".to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
fn figure_date(
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
    let lex = cues.lex;
    let t = cues.tokens;
    let after = (c.end, next_start.max(c.end));
    // "compared with 292,060 on October 20, 2023": a date of its own, right after the figure.
    if let Some(m) = mentions.iter().find(|m| {
        m.first > after.0 && m.first < after.1 && m.first <= c.end + 2 && t[m.first - 1].is("on")
    }) {
        if let Some(d) = m.date() {
            return (
                Some(d),
                format!(
                    "date '{}' after the figure",
                    quote_tokens(t, m.first, m.last)
                ),
            );
        }
    }
    let Some((date, basis)) = base else {
        return (None, no_date_basis(unresolved_weekday));
    };
    // "A day earlier, Kyiv had put the total at 22,100": the sentence's only figure.
    if figures_in_sentence == 1 && kind == Kind::Total {
        let from = prev_end.min(c.num.first);
        if let Some((p, _, _)) = lex.previous_day.find(t, from, c.num.first) {
            let change_marker = p > 0
                && matches!(
                    t[p - 1].norm.as_str(),
                    "from" | "since" | "with" | "than" | "to"
                );
            if !change_marker {
                return (
                    Some(date - Duration::days(1)),
                    format!("the day before {date}: {basis}"),
                );
            }
        }
    }
    // "1,338 a week ago", "up from 1,304,490 a week earlier"
    if let Some(p) = cues.any(&lex.week_earlier, after.0, after.1) {
        if p <= c.end + 1 {
            return (
                Some(date - Duration::days(7)),
                format!("a week before {date}: {basis}"),
            );
        }
    }
    // "the figure was 144,440 in the report from the previous day", "750 reported the day before"
    if let Some((p, _, _)) = lex.previous_day.find(t, after.0, after.1) {
        let reported = (after.0..p).any(|i| t[i].norm.starts_with("report"))
            || (p > 0 && t[p - 1].norm.starts_with("report"));
        let change_marker = p > 0
            && matches!(
                t[p - 1].norm.as_str(),
                "from" | "since" | "with" | "than" | "to"
            );
        if kind != Kind::Delta && !change_marker || reported {
            return (
                Some(date - Duration::days(1)),
                format!("the day before {date}: {basis}"),
            );
        }
    }
    // "the record 1,030 reported on Tuesday": a weekday of its own, on or before the report.
    if let Some(i) = (after.0..after.1).find(|&i| {
        i > after.0
            && t[i - 1].is("on")
            && lex.weekday_at(t, i).is_some()
            && !(after.0..i).any(|k| t[k].is("between"))
    }) {
        if let Some(w) = report_weekday(lex, t, after.0, i) {
            let d = dates::resolve_weekday(date, w, Anchor::Publication);
            return (
                Some(d),
                format!(
                    "weekday '{}' on or before {date}: {basis}",
                    capitalise(&t[i].norm)
                ),
            );
        }
    }
    // The earlier value of "from A to B" / "rose to B from A".
    let from_pair = after_from(cues, c, prev_end)
        && c.category
            .as_ref()
            .is_some_and(|(_, v)| *v == Via::Chain || *v == Via::Label);
    let paired = from_pair && (after.0..after.1).any(|i| t[i].is("to"))
        || from_pair
            && prev_end > 0
            && matches!(c.category.as_ref().map(|x| x.1), Some(Via::Chain));
    if paired && kind == Kind::Total {
        return match span {
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
        };
    }
    let _ = prev_end;
    (Some(date), basis)
}

/// Whether the figure is the earlier value of a change: "from" (or "up from") before it,
/// perhaps with a hedge between ("from about 1,100").
fn after_from(cues: &Cues, c: &Candidate, prev_end: usize) -> bool {
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
fn sentence_date(
    lex: &Lexicon,
    tokens: &[Token],
    from: usize,
    to: usize,
    mentions: &[DateMention],
    daycount: Option<(usize, usize, i64)>,
    doc: Option<&DocDate>,
    opts: &Options,
    unresolved_weekday: &mut Option<String>,
) -> Option<(NaiveDate, String)> {
    // The first date the sentence gives: in "As of 27.10.2023 ... 297,680, compared with 292,060
    // on October 20, 2023" the later date belongs to the earlier figure (see figure_date).
    for m in mentions.iter() {
        if historical(lex, tokens, from, m, opts) {
            continue;
        }
        let written = quote_tokens(tokens, m.first, m.last);
        if let Some(d) = m.date() {
            return Some((d, format!("date '{written}' in the sentence")));
        }
        if let Some(doc) = doc {
            // "as of Feb 22": the year that puts it on or shortly before the document date.
            for y in [
                doc.date.format("%Y").to_string().parse::<i32>().ok()?,
                doc.date.format("%Y").to_string().parse::<i32>().ok()? - 1,
            ] {
                if let Some(d) = NaiveDate::from_ymd_opt(y, m.month, m.day) {
                    if d <= doc.date + Duration::days(1) {
                        return Some((
                            d,
                            format!(
                                "date '{written}' in the sentence, year from document date {}",
                                doc.date
                            ),
                        ));
                    }
                }
            }
        }
    }
    if let Some((_, _, n)) = daycount {
        if let Some(d) = dates::day_number_date(opts.invasion_start, n) {
            return Some((
                d,
                format!("day {n} of the invasion (day 1 = {})", opts.invasion_start),
            ));
        }
    }
    // The report's weekday: the first one named, but the second of "between Tuesday and
    // Wednesday", and never one of a comparison ("one more than on Saturday").
    let weekday = (from..to).find_map(|i| {
        let w = report_weekday(lex, tokens, from, i)?;
        if i > from && tokens[i - 1].is("between") && tokens.get(i + 1).is_some_and(|t| t.is("and"))
        {
            if let Some(w2) = lex.weekday_at(tokens, i + 2) {
                return Some((i + 2, w2));
            }
        }
        Some((i, w))
    });
    if let Some((i, w)) = weekday {
        let name = &tokens[i].norm;
        match doc {
            Some(doc) => {
                let d = dates::resolve_weekday(doc.date, w, doc.anchor);
                return Some((
                    d,
                    format!(
                        "weekday '{}' relative to document date {} ({})",
                        capitalise(name),
                        doc.date,
                        doc.basis
                    ),
                ));
            }
            None => {
                if unresolved_weekday.is_none() {
                    *unresolved_weekday = Some(format!("weekday '{}'", capitalise(name)));
                }
            }
        }
    }
    None
}

/// The weekday named at `tokens[i]`, unless it is the day of a comparison ("more than on
/// Saturday", "since Monday") or an abbreviation that is more likely a word ("sat", "wed").
fn report_weekday(lex: &Lexicon, tokens: &[Token], from: usize, i: usize) -> Option<u32> {
    let w = lex.weekday_at(tokens, i)?;
    let full_name = tokens[i].norm.chars().count() >= 6;
    let abbreviation_ok = tokens.get(i + 1).is_some_and(|t| t.is(",") || t.is("."));
    if !full_name && !abbreviation_ok {
        return None;
    }
    let comparison = (i.saturating_sub(3).max(from)..i).any(|k| {
        matches!(
            tokens[k].norm.as_str(),
            "than" | "since" | "from" | "before" | "after" | "until" | "last" | "previous"
        )
    });
    (!comparison).then_some(w)
}

/// A sentence without figures that announces Kyiv's figures: a loss word and a Ukrainian source.
fn introduces_report(
    lex: &Lexicon,
    tokens: &[Token],
    from: usize,
    to: usize,
    claims: &[(usize, usize, String)],
) -> bool {
    claims.iter().any(|(_, _, w)| w == "ukraine")
        && (lex.loss_verbs.find(tokens, from, to).is_some()
            || (from..to).any(|i| {
                matches!(
                    tokens[i].norm.as_str(),
                    "data" | "report" | "numbers" | "statistics" | "list"
                )
            }))
}

/// A title that dates the losses listed under it: "russian army losses as of 11/11/2025",
/// "Russian Losses In Ukraine (UPDATE 11.11.2025 )", "LOSSES OF RUSSIAN ARMY - 11.11.2025". It
/// outranks the page's own date ("Date: November 12, 2025"), which is when the copy went up.
fn titles_report(
    lex: &Lexicon,
    tokens: &[Token],
    from: usize,
    to: usize,
    mentions: &[DateMention],
) -> bool {
    let introduced = |m: &DateMention| {
        let before = |k: usize| m.first.checked_sub(k).filter(|&i| i >= from);
        let word = |k: usize| before(k).map_or("", |i| tokens[i].norm.as_str());
        (word(2) == "as" && word(1) == "of")
            || matches!(word(1), "update" | "updated" | "-" | "–" | "—" | ":")
    };
    lex.loss_verbs.find(tokens, from, to).is_some()
        && mentions
            .iter()
            .any(|m| m.first >= from && m.last <= to && introduced(m))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn quote_tokens(tokens: &[Token], first: usize, last: usize) -> String {
    tokens[first..last]
        .iter()
        .map(|t| t.norm.as_str())
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" ,", ",")
        .replace(" .", ".")
}

/// The invasion's start, "since ..." and "began on ..." dates are history, not report dates.
fn historical(
    lex: &Lexicon,
    tokens: &[Token],
    from: usize,
    m: &DateMention,
    opts: &Options,
) -> bool {
    if m.date() == Some(opts.invasion_start) || m.year.is_some_and(|y| y < 2022) {
        return true;
    }
    let a = m.first.saturating_sub(3).max(from);
    lex.historical
        .longest_ending_at(tokens, a, m.first)
        .is_some()
}

/// The document date: --date, then a header, dateline or file name, then what the text says.
#[allow(clippy::too_many_arguments)]
fn document_date(
    lex: &Lexicon,
    text: &str,
    tok: &crate::text::Tokenized,
    file: &str,
    opts: &Options,
    per_sentence: &[Vec<Candidate>],
    sent_dates: &[Vec<DateMention>],
    sent_daycount: &[Option<(usize, usize, i64)>],
) -> Option<DocDate> {
    if let Some(d) = opts.date {
        return Some(DocDate {
            date: d,
            anchor: Anchor::Publication,
            basis: "--date".to_string(),
        });
    }
    if let Some(d) = dates::document_date(lex, text, tok, file) {
        return Some(d);
    }
    let tokens = &tok.tokens;
    let reports = |si: usize| {
        per_sentence[si]
            .iter()
            .any(|c| c.category.is_some() && !c.rejected)
    };
    // The text: a date written in a sentence that reports figures, or a day count.
    for (si, s) in tok.sentences.iter().enumerate() {
        let claims = lex.claimants.find_all(tokens, s.first, s.last);
        if reports(si) || introduces_report(lex, tokens, s.first, s.last, &claims) {
            if let Some(m) = sent_dates[si]
                .iter()
                .rev()
                .find(|m| m.date().is_some() && !historical(lex, tokens, s.first, m, opts))
            {
                return Some(DocDate {
                    date: m.date().unwrap(),
                    anchor: Anchor::Narrative,
                    basis: format!(
                        "date '{}' in the text",
                        quote_tokens(tokens, m.first, m.last)
                    ),
                });
            }
        }
        if let Some((_, _, n)) = sent_daycount[si] {
            if let Some(d) = dates::day_number_date(opts.invasion_start, n) {
                return Some(DocDate {
                    date: d,
                    anchor: Anchor::Narrative,
                    basis: format!("day {n} of the invasion"),
                });
            }
        }
    }
    // A dated event whose weekday the reporting sentences name: "his Tuesday address" and, in a
    // caption, "the address on February 21 2023" pin the week.
    let named: Vec<u32> = tok
        .sentences
        .iter()
        .enumerate()
        .filter(|(si, _)| reports(*si))
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
                return Some(DocDate {
                    date: d,
                    anchor: Anchor::Narrative,
                    basis: format!(
                        "'{}' in the text, a {}",
                        quote_tokens(tokens, m.first, m.last),
                        d.format("%A")
                    ),
                });
            }
        }
    }
    None
}

/// A headline figure ("Russia's troop losses reach 319,210, Kyiv says") is the figure the lede
/// states with its date ("said on Monday that Russia had lost 319,210"): where the same figure
/// (category, kind, value, side, claimant) has a date its sentence states, a mention that only
/// had the document's date takes it.
fn date_restatements(figures: &mut [Figure]) {
    let key = |f: &Figure| -> (String, Kind, u64, Option<String>, Option<String>) {
        (
            f.category.clone(),
            f.kind,
            f.value,
            f.side.clone(),
            f.claimant.clone(),
        )
    };
    // Per figure: the first sentence-dated mention, and whether all such mentions agree.
    let mut stated: std::collections::HashMap<_, (usize, bool)> = std::collections::HashMap::new();
    for (j, f) in figures.iter().enumerate() {
        if f.date.is_none() || f.date_basis.starts_with("document date") {
            continue;
        }
        stated
            .entry(key(f))
            .and_modify(|(first, agree)| *agree &= figures[*first].date == f.date)
            .or_insert((j, true));
    }
    let updates: Vec<(usize, usize)> = figures
        .iter()
        .enumerate()
        .filter(|(_, f)| f.date_basis.starts_with("document date"))
        .filter_map(|(i, f)| match stated.get(&key(f)) {
            Some(&(j, true)) if figures[j].date != f.date => Some((i, j)),
            _ => None,
        })
        .collect();
    for (i, j) in updates {
        let (date, line, basis) = (
            figures[j].date,
            figures[j].line,
            figures[j].date_basis.clone(),
        );
        figures[i].date = date;
        figures[i].date_basis = format!("the same figure as line {line}: {basis}");
    }
}

/// A hedged round number ("more than 500K", "almost 150,000") restating an exact figure of the
/// same article is the same figure rounded for a headline: keep the exact one.
fn fold_rounded_bounds(figures: &mut Vec<Figure>) {
    let exact: Vec<(String, Kind, u64)> = figures
        .iter()
        .filter(|f| {
            matches!(f.qualifier, Qualifier::Exact | Qualifier::About) && f.value % 1000 != 0
        })
        .map(|f| (f.category.clone(), f.kind, f.value))
        .collect();
    figures.retain(|f| {
        let bound = matches!(
            f.qualifier,
            Qualifier::MoreThan | Qualifier::Almost | Qualifier::LessThan
        ) && f.value >= 1000
            && f.value % 1000 == 0;
        !(bound
            && exact.iter().any(|(c, k, v)| {
                *c == f.category
                    && *k == f.kind
                    && (*v as f64 - f.value as f64).abs() <= 0.1 * f.value as f64
            }))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figs(text: &str) -> Vec<Figure> {
        extract(Lexicon::builtin(), "t.txt", text, &Options::default())
    }

    fn keys(text: &str) -> Vec<(String, Kind, u64)> {
        figs(text)
            .into_iter()
            .map(|f| (f.category, f.kind, f.value))
            .collect()
    }

    fn k(c: &str, kind: Kind, v: u64) -> (String, Kind, u64) {
        (c.to_string(), kind, v)
    }

    #[test]
    fn where_a_story_was_filed_is_not_who_claims_its_figures() {
        let f = figs(
            "WASHINGTON, Nov. 7, 2025 (Baltic Newsroom) – Russian losses (source: Ukraine's \
             Defence Ministry):\nType\tDestroyed\tChange\nMain battle tanks\t11 330\t+1\n",
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(
            f.iter().all(|f| f.claimant.as_deref() == Some("ukraine")),
            "{f:?}"
        );
        let f = figs(
            "Washington, 15 July 2026 – Russian losses (source: Ukraine's military command):\n\
             Type      Destroyed   Change\nSoldiers  1,423,280   +1,470\n",
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(
            f.iter().all(|f| f.claimant.as_deref() == Some("ukraine")),
            "{f:?}"
        );
        // Named in the sentence, Washington does claim.
        let f = figs("Washington estimates that Russia has lost 2,200 tanks, officials said.");
        assert_eq!(f[0].claimant.as_deref(), Some("united_states"));
    }

    #[test]
    fn a_sentence_about_something_else_ends_a_claimants_run() {
        let f = figs(
            "By Kyiv's count, the invasion has cost Russia around 978,700 soldiers.\n\
             Independent Russian outlets say they have confirmed the names of 79,390 soldiers \
             killed in the war.\n\
             The state railway said trains were running up to seven hours late.\n\
             Destroyed Russian equipment includes 10,841 Russian tanks and 1 submarine.",
        );
        let who: Vec<(u64, Option<&str>)> =
            f.iter().map(|f| (f.value, f.claimant.as_deref())).collect();
        assert_eq!(
            who,
            [
                (978700, Some("ukraine")),
                (79390, Some("media")),
                (10841, Some("ukraine")),
                (1, Some("ukraine")),
            ]
        );
    }

    #[test]
    fn label_glued_to_a_large_number_is_no_model_name() {
        // "F-16", "Kh-101" are models; "bbm-21,400" and "uav-75054" are a label and a count.
        let f = keys("russian army losses: bbm-21,400 (+40) , uav-75054 , APC/IFV-1976(+ 8)");
        assert_eq!(
            f,
            [
                k("afv", Kind::Total, 21400),
                k("afv", Kind::Delta, 40),
                k("uav", Kind::Total, 75054),
                k("afv", Kind::Total, 1976),
                k("afv", Kind::Delta, 8)
            ]
        );
        assert!(keys("Ukraine has received 25 F-16 jets and Kh-101 missiles hit Kyiv.").is_empty());
    }

    #[test]
    fn a_dated_title_dates_the_list_under_it_before_the_page_date() {
        for title in [
            "russian army losses as of 11/11/2025",
            "Russian Losses In Ukraine (UPDATE 11.11.2025 )",
            "LOSSES OF RUSSIAN ARMY - 11.11.2025",
        ] {
            let f = figs(&format!(
                "Date: November 12, 2025\n\n{title}\n\nrussian army losses according to \
                 General Staff of AFU:\n\nmanpower:1153180 ( +1020)\nTanks — 11342(+0)\n"
            ));
            assert_eq!(f.len(), 4, "{title}: {f:?}");
            for f in f {
                assert_eq!(f.date, NaiveDate::from_ymd_opt(2025, 11, 11), "{title}");
            }
        }
    }

    #[test]
    fn a_sentence_naming_the_latest_report_is_no_table_header() {
        // "latest" and a date once made two total columns of it, so "+610" read as a total.
        let f = keys(
            "Here is the latest breakdown from the General Staff in Kyiv on 07.09.2023.\n\
             Type\tDestroyed\tChange\nManpower\t266,900\t+610\n",
        );
        assert_eq!(
            f,
            [
                k("personnel", Kind::Total, 266900),
                k("personnel", Kind::Delta, 610)
            ]
        );
    }

    #[test]
    fn a_source_is_carried_only_to_the_losses_it_speaks_of() {
        let who = |text: &str| -> Vec<(u64, Option<String>)> {
            figs(text)
                .into_iter()
                .map(|f| (f.value, f.claimant))
                .collect()
        };
        let kyiv = Some("ukraine".to_string());
        // An aid package "including" shells is not about losses: no run starts there.
        assert_eq!(
            who(
                "Russia has lost approximately 274,950 troops, Ukraine's army said.\n\
                 The United States announced a further $8.4 billion in security assistance, \
                 including spare parts for armoured vehicles.\n\
                 The update lists 4,644 tanks."
            ),
            [(274950, kyiv.clone()), (4644, kyiv.clone())]
        );
        // Moscow's claim of Ukrainian drones does not make it the source of Russian tanks.
        let f = who(
            "Russian forces have lost 449,250 occupiers, the General Staff of Ukraine said.\n\
             Russia's Defense Ministry said its air defenses had shot down 80 Ukrainian drones \
             overnight.\n\
             The count of Russian materiel destroyed stands at 7,110 Russian tanks and 13,620 \
             armored combat vehicles.\n\
             The count of artillery systems rose to 34,874.",
        );
        assert_eq!(f[1], (80, Some("russia".to_string())));
        assert_eq!(
            f[2..],
            [(7110, kyiv.clone()), (13620, kyiv.clone()), (34874, kyiv)]
        );
    }

    #[test]
    fn prose_with_the_word_new_is_no_table_header() {
        // Two "new"s once made this sentence a header whose columns were both changes, and the
        // totals after it deltas.
        let f = keys(
            "Officials believe Moscow is recruiting around 21000 new soldiers a month, enough \
             to replace its casualties but not to build large new formations.\n\
             The count of cruise missiles rose to 137 from 129, the General Staff said.",
        );
        assert_eq!(
            f,
            [
                k("cruise_missiles", Kind::Total, 137),
                k("cruise_missiles", Kind::Total, 129)
            ]
        );
    }

    #[test]
    fn earlier_values_take_the_date_the_article_compares_with() {
        let f = figs(
            "WASHINGTON (Meridian) – As of 25 March 2025, Ukraine's armed forces put Russia's \
             personnel losses at an estimated 905,940, up from 897,010 on 18.03.2025.\n\n\
             The count of trucks and tankers rose to 41,824 from 40,892.",
        );
        let dated: Vec<(u64, Option<NaiveDate>)> = f.iter().map(|f| (f.value, f.date)).collect();
        let on = |s: &str| Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
        assert_eq!(
            dated,
            [
                (905940, on("2025-03-25")),
                (897010, on("2025-03-18")),
                (41824, on("2025-03-25")),
                (40892, on("2025-03-18")),
            ]
        );
    }

    #[test]
    fn noun_after_number() {
        assert_eq!(keys("Russia has also lost 3,334 tanks, 6,569 armored fighting vehicles and 2,345 artillery systems."), [k("tanks", Kind::Total, 3334), k("afv", Kind::Total, 6569), k("artillery", Kind::Total, 2345)]);
    }

    #[test]
    fn general_staff_post_in_english() {
        let f = keys("personnel ‒ about 144440 (+790) persons were liquidated, tanks ‒ 3325 (+9), armoured combat vehicles ‒ 6547 (+16)");
        assert_eq!(
            f,
            [
                k("personnel", Kind::Total, 144440),
                k("personnel", Kind::Delta, 790),
                k("tanks", Kind::Total, 3325),
                k("tanks", Kind::Delta, 9),
                k("afv", Kind::Total, 6547),
                k("afv", Kind::Delta, 16)
            ]
        );
    }

    #[test]
    fn general_staff_post_in_ukrainian() {
        let f = keys("особового складу ‒ близько 144440 (+790) осіб ліквідовано, танків ‒ 3325 (+9) од, бойових броньованих машин ‒ 6547 (+16) од");
        assert_eq!(
            f,
            [
                k("personnel", Kind::Total, 144440),
                k("personnel", Kind::Delta, 790),
                k("tanks", Kind::Total, 3325),
                k("tanks", Kind::Delta, 9),
                k("afv", Kind::Total, 6547),
                k("afv", Kind::Delta, 16)
            ]
        );
    }

    #[test]
    fn by_overnight_to_is_a_delta_and_a_total() {
        assert_eq!(keys("The military increased its running tally of Russian military dead by 1,030 overnight to 133,190."), [k("personnel", Kind::Delta, 1030), k("personnel", Kind::Total, 133190)]);
    }

    #[test]
    fn iskander_word_number_is_srbm() {
        assert_eq!(
            keys("and four mobile Iskander ballistic missile systems were destroyed"),
            [k("srbm", Kind::Total, 4)]
        );
    }

    #[test]
    fn hedges_are_qualifiers() {
        let f = figs("Ukraine says approximately 145,850 Russian soldiers were killed.");
        assert_eq!(f[0].qualifier, Qualifier::About);
        let f = figs("Kyiv says it has killed more than 1,200 Russian troops.");
        assert_eq!(f[0].qualifier, Qualifier::MoreThan);
    }

    #[test]
    fn a_headline_figure_takes_the_date_its_lede_states() {
        let f = figs("Russia's troop losses in Ukraine reach 319,210, Kyiv says\nKharkiv, 21 November 2023 — The General Staff said on Monday morning that Russia had lost 319,210 soldiers.");
        let d: Vec<_> = f.iter().map(|f| f.date.unwrap().to_string()).collect();
        assert_eq!(d, ["2023-11-20", "2023-11-20"]);
    }

    #[test]
    fn absurd_values_are_no_figures() {
        assert_eq!(
            keys("Kyiv says Russia has lost 5,000,000 submarines and 2 submarines."),
            [k("submarines", Kind::Total, 2)]
        );
    }

    #[test]
    fn traps_are_no_figures() {
        for s in [
            "Despite calling up more than 300,000 reservists in September, the Kremlin struggles.",
            "For comparison, around 4,500 American troops have been killed since the invasion of Iraq.",
            "Several governments have pledged 79 Leopard tanks in total.",
            "A city with a pre-war population of around 75,000.",
            "Russia fired 102 missiles at energy facilities.",
            "The 47th brigade posted a video.",
            "About 52 percent of spending goes to defence.",
            "The United States announced a further $2.6 billion in aid.",
            "Russia was keeping 19 warships on combat duty in the Black Sea.",
            "Ukraine has received 41 F-16 fighter jets so far.",
        ] {
            assert_eq!(keys(s), [], "{s}");
        }
    }

    #[test]
    fn quote_is_the_bytes_between_offsets() {
        let text = "Russia has lost 145\u{a0}060 troops and 3 334 tanks.";
        for f in figs(text) {
            assert_eq!(&text[f.start..f.end], f.quote);
        }
    }

    #[test]
    fn respectively_after_names_listed_first() {
        assert_eq!(
            keys(
                "Tank and armoured vehicle losses went up by 8 and 15 respectively, to 3,253 \
                 and 6,458."
            ),
            [
                k("tanks", Kind::Delta, 8),
                k("afv", Kind::Delta, 15),
                k("tanks", Kind::Total, 3253),
                k("afv", Kind::Total, 6458)
            ]
        );
        // Numbers with names of their own keep them.
        assert_eq!(
            keys("Russia lost 12 tanks and 20 armoured vehicles respectively."),
            [k("tanks", Kind::Total, 12), k("afv", Kind::Total, 20)]
        );
    }

    #[test]
    fn year_spans_and_totals_that_follow_their_names_unsaid() {
        let f = figs(
            "Kyiv counted more than 3,100 Russian tanks and over 5,800 armoured fighting \
             vehicles destroyed in the past twelve months, bringing the totals to 6,534 and \
             12,425.",
        );
        let got: Vec<(&str, Kind, u64, Qualifier)> = f
            .iter()
            .map(|f| (f.category.as_str(), f.kind, f.value, f.qualifier))
            .collect();
        assert_eq!(
            got,
            [
                ("tanks", Kind::Period, 3100, Qualifier::MoreThan),
                ("afv", Kind::Period, 5800, Qualifier::MoreThan),
                ("tanks", Kind::Total, 6534, Qualifier::Exact),
                ("afv", Kind::Total, 12425, Qualifier::Exact)
            ]
        );
        assert_eq!(
            keys("Some 262,000 Russian soldiers were killed or wounded in the second year alone, Kyiv said."),
            [k("personnel", Kind::Period, 262000)]
        );
    }

    #[test]
    fn respectively_maps_in_order() {
        let f = keys("The General Staff reported 8 Russian tanks, 37 armored fighting vehicles, and 35 artillery guns destroyed overnight, taking the totals to 6 840, 13 111, and 10 775 respectively.");
        assert!(
            f.contains(&k("tanks", Kind::Total, 6840))
                && f.contains(&k("afv", Kind::Total, 13111))
                && f.contains(&k("artillery", Kind::Total, 10775)),
            "{f:?}"
        );
    }

    #[test]
    fn weekly_from_to_dates_the_earlier_value_a_week_back() {
        let f = figs("Published: 2026-04-13\n\nThis week, the Ukrainian military put Russia's personnel losses at about 1,312,140, up from 1,304,490 a week earlier.");
        let d: Vec<_> = f
            .iter()
            .map(|f| (f.value, f.date.unwrap().to_string()))
            .collect();
        assert_eq!(
            d,
            [
                (1312140, "2026-04-13".to_string()),
                (1304490, "2026-04-06".to_string())
            ]
        );
    }

    #[test]
    fn the_figure_from_the_previous_day_is_dated_the_day_before() {
        let f = figs("Published: 2023-02-22\n\nAbout 145,060 Russian personnel have been liquidated, the General Staff said.\n\nThe figure was 144,440 in the military staff's report from the previous day.");
        let d: Vec<_> = f
            .iter()
            .map(|f| (f.value, f.date.unwrap().to_string()))
            .collect();
        assert_eq!(
            d,
            [
                (145060, "2023-02-22".to_string()),
                (144440, "2023-02-21".to_string())
            ]
        );
    }
}
