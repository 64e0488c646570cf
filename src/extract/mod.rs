//! Extraction: the figures of one article. Takes the text and returns figures; never touches files.
//!
//! The stages, in the order they run:
//! 1. [`marks`]: the tokens, and per sentence the dates and day counts written in it;
//! 2. [`pairs`]: every number and what it counts (a category name after it, a label before it,
//!    the figure before it in a chain, a reference, a "respectively" list);
//! 3. [`dating`] (document): the document date, from `--date`, a header, a dateline, the file
//!    name or the text;
//! 4. per sentence, [`scopes`] decides which cues said before reach its figures (the claimant of a
//!    run of sentences, the span a "same period" refers to, a table header, the report date of a
//!    list's introduction), then [`kinds`] gives each figure its kind, [`tables`] the role of
//!    its column, [`attribution`] its claimant and side, and [`dating`] its date;
//! 5. [`restatements`]: a figure said twice takes the date its dated mention states, and a rounded
//!    bound that restates an exact figure is folded into it.

mod attribution;
mod dating;
mod kinds;
mod marks;
mod pairs;
mod restatements;
mod scopes;
mod tables;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;

use crate::dates::DocDate;
use crate::figure::{Figure, Kind, Qualifier, SENTENCE_CHARS};
use crate::lexicon::{Language, Lexicon};
use crate::text::{sentence_around, LineIndex, Sentence, Token};

use marks::{Cues, Marks};
use pairs::Candidate;
use scopes::{Carried, SentenceScope, Span};
use tables::Role;

/// What the caller knows beyond the text.
#[derive(Clone, Debug)]
pub struct Options {
    /// `--date`: the document date, overriding the text.
    pub date: Option<NaiveDate>,
    /// Day 1 of "day 451 of the invasion".
    pub invasion_start: NaiveDate,
    /// `--lang`: the language to read every article in, instead of the one found for it.
    pub lang: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            date: None,
            invasion_start: NaiveDate::from_ymd_opt(2022, 2, 24).unwrap(),
            lang: None,
        }
    }
}

/// The figures of one article, and notes for people on how it was dated (a folder's date that
/// disagrees with the article's, an update stamp set aside), one line each, for stderr.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extraction {
    pub figures: Vec<Figure>,
    pub notes: Vec<String>,
}

/// Extract every figure of `text`, read in the language the lexicon finds for it. `file` is the
/// path written into each figure.
pub fn extract(lexicon: &Lexicon, file: &str, text: &str, opts: &Options) -> Vec<Figure> {
    extract_with_notes(lexicon, file, text, opts).figures
}

/// [`extract`], with the notes on how the article was dated.
pub fn extract_with_notes(lexicon: &Lexicon, file: &str, text: &str, opts: &Options) -> Extraction {
    let forced = opts.lang.as_deref().and_then(|code| lexicon.language(code));
    extract_in_with_notes(
        forced.unwrap_or_else(|| lexicon.language_of(text)),
        file,
        text,
        opts,
    )
}

/// The first pass alone, as `extract_in` runs it: the tokens (each marked with the tables whose
/// phrases may start at it) and the marks (dates, day counts). For benchmarks (`cargo bench
/// --bench extract`): the number of tokens and of masked tokens, so nothing is optimised away.
#[doc(hidden)]
pub fn first_pass(lex: &Language, text: &str) -> (usize, usize) {
    let tok = lex.tokenize(text);
    let marks = marks::read(lex, text, &tok);
    let masked = marks.masked.iter().filter(|&&m| m).count();
    (tok.tokens.len(), masked)
}

/// Extract every figure of `text`, read in the language `lex`.
pub fn extract_in(lex: &Language, file: &str, text: &str, opts: &Options) -> Vec<Figure> {
    extract_in_with_notes(lex, file, text, opts).figures
}

/// [`extract_in`], with the notes on how the article was dated.
pub fn extract_in_with_notes(lex: &Language, file: &str, text: &str, opts: &Options) -> Extraction {
    let tok = lex.tokenize(text);
    let marks = marks::read(lex, text, &tok);
    let per_sentence = pairs::read(lex, &tok, &marks.masked);
    let mut notes = Vec::new();
    let sources = dating::DocSources {
        lex,
        text,
        tok: &tok,
        file,
        opts,
        per_sentence: &per_sentence,
        marks: &marks,
    };
    let doc_date = dating::document_date(&sources, &mut notes);
    let article = Article {
        lex,
        text,
        file,
        tokens: &tok.tokens,
        sentences: &tok.sentences,
        lines: LineIndex::new(text),
        cues: Cues {
            lex,
            text,
            tokens: &tok.tokens,
        },
        marks: &marks,
        opts,
        doc_claimant: attribution::document_claimant(lex, &tok.tokens),
    };
    let mut carried = Carried::new(doc_date.as_ref());
    let mut figures = Vec::new();
    // Per figure: how its own sentence says who claims it.
    let mut claims_said = Vec::new();
    for (si, s) in tok.sentences.iter().enumerate() {
        let scope = carried.enter(&article, si, s, &per_sentence[si]);
        read_sentence(
            &article,
            doc_date.as_ref(),
            &mut carried,
            &scope,
            &per_sentence[si],
            &mut figures,
        );
        let said = if !scope.claims.is_empty() {
            restatements::ClaimSaid::Named
        } else if tok.tokens[s.first].line_start && scopes::is_bullet(&tok.tokens[s.first]) {
            restatements::ClaimSaid::UnnamedListItem
        } else {
            restatements::ClaimSaid::Unnamed
        };
        claims_said.resize(figures.len(), said);
    }
    restatements::claim_restatements(&mut figures, &claims_said);
    restatements::headline_changes(&mut figures);
    restatements::date_restatements(&mut figures);
    restatements::fold_rounded_bounds(&mut figures);
    figures.sort_by_key(|f| (f.start, f.end));
    Extraction { figures, notes }
}

/// What every stage may read of the article.
struct Article<'a> {
    lex: &'a Language,
    text: &'a str,
    file: &'a str,
    tokens: &'a [Token],
    sentences: &'a [Sentence],
    lines: LineIndex,
    cues: Cues<'a>,
    marks: &'a Marks,
    opts: &'a Options,
    /// Kyiv, when the article cites a Ukrainian source anywhere.
    doc_claimant: Option<String>,
}

/// The figures of one sentence, after its scope is known.
fn read_sentence(
    a: &Article,
    doc_date: Option<&DocDate>,
    carried: &mut Carried,
    scope: &SentenceScope,
    cands: &[Candidate],
    figures: &mut Vec<Figure>,
) {
    let si = scope.index;
    if scope.live.is_empty() {
        carried.figure_less_sentence(a, doc_date, scope);
        return;
    }
    let (from, to) = (scope.from, scope.to);
    // The date this sentence states for its figures, if it states one.
    let stated = dating::sentence_date(
        a.lex,
        a.text,
        a.tokens,
        from,
        to,
        &a.marks.dates[si],
        a.marks.daycounts[si],
        doc_date,
        a.opts,
        &mut carried.unresolved_weekday,
    );
    let base = stated.clone().or_else(|| carried.report.clone());
    let reach = kinds::reaches(a.lex, a.tokens, cands, &scope.live, from, to);
    let mut kinds =
        kinds::sentence_kinds(&a.cues, cands, &scope.live, &reach, from, to, carried.span);
    if scope.fighting_day || scope.continues_day {
        // A day of fighting covers the counts of its sentence that say nothing else.
        for k in kinds.iter_mut().filter(|k| k.2 == kinds::KindFrom::Default) {
            *k = (Kind::Delta, Some(1), kinds::KindFrom::Before);
        }
    }
    let row_roles = carried.row_roles(a.tokens, cands, scope);
    let before = figures.len();
    for (n, &k) in scope.live.iter().enumerate() {
        let figure = SentenceFigure {
            candidate: &cands[k],
            reach: reach[n],
            kind: kinds[n],
            role: row_roles.as_ref().map(|r| r[n]),
        };
        emit(a, carried, scope, &base, &figure, figures);
    }
    // The date of another claimant's figures ("On March 3 Moscow claimed ...") is that
    // claim's, not the report's that the next sentences quote.
    let others_only = figures.len() > before
        && figures[before..]
            .iter()
            .all(|f| !matches!(f.claimant.as_deref(), None | Some("ukraine")));
    if figures.len() > before {
        // Only while the article has given nothing but changes: after a total, "also" lists
        // more totals ("That includes 300 over the past day. Kyiv also said ... 1,496 tanks").
        // A list of the day's changes under a span of its own starts such a run again, after
        // any total ("In one day, they lost 15 tanks and 22 AFVs. Also ... two air defence
        // systems").
        let changes_only = figures.iter().all(|f| f.kind == Kind::Delta);
        let day_list = scope.span == Some(Span::Day)
            && figures.len() - before >= 2
            && figures[before..].iter().all(|f| f.kind == Kind::Delta);
        carried.day_figures_at = (changes_only || day_list).then_some(si);
    }
    if let Some(st) = stated.filter(|_| !others_only) {
        carried.report = Some(st);
    }
    if scope.span.is_some() {
        carried.span = scope.span;
    }
}

/// One figure of a sentence with what the sentence-level stages decided for it.
struct SentenceFigure<'c> {
    candidate: &'c Candidate,
    /// Where its cues may stand: from the end of the figure before to the next number.
    reach: (usize, usize),
    kind: (Kind, Option<u32>, kinds::KindFrom),
    /// The role of its table column, when it is a cell of a table row.
    role: Option<Role>,
}

/// Attribution and date of one figure, and the figures it gives (the total and its "(+9)").
fn emit(
    a: &Article,
    carried: &mut Carried,
    scope: &SentenceScope,
    base: &Option<(NaiveDate, String)>,
    f: &SentenceFigure,
    figures: &mut Vec<Figure>,
) {
    let c = f.candidate;
    let (prev_end, next_start) = f.reach;
    let (mut kind, mut days, from) = f.kind;
    let mut row_date: Option<(Option<NaiveDate>, String)> = None;
    if let Some(role) = f.role {
        (kind, days, row_date) = tables::apply_role(role, base, &carried.unresolved_weekday);
    }
    let party = party_of(a, scope, c);
    // Date: the sentence's, shifted for "a week earlier", "the previous day", "from A to B".
    let (date, date_basis) = match row_date {
        Some(d) => d,
        None => dating::figure_date(
            &a.cues,
            c,
            kind,
            prev_end,
            next_start,
            base.clone(),
            carried.pair_span,
            &carried.unresolved_weekday,
            &a.marks.dates[scope.index],
            scope.live.len(),
        ),
    };
    // "up from 897,010 on 18.03.2025": the article compares with that date, so a later
    // "rose to 41,824 from 40,892" gives its earlier value that date too.
    if let Some(d) = date.filter(|_| {
        date_basis.ends_with("' after the figure") && dating::after_from(&a.cues, c, prev_end)
    }) {
        carried.pair_span = Some(Span::On(d));
    }
    let (category, _) = c.category.clone().unwrap();
    // The bounds are those of Kyiv's counts; other claimants count other things (names,
    // the killed alone).
    if counts_kyivs_russian_losses(&party) {
        let marked = from == kinds::KindFrom::Marked;
        let size = (c.num.value, scope.speaks_of_a_day);
        match kinds::plausible(&category, kind, days, marked, size, date) {
            Some(k) => (kind, days) = k,
            None => return,
        }
    }
    let id = series_id(&category, date);
    let (first_tok, last_tok) = match c.name {
        Some((x, y)) => (x.min(c.num.first), y.max(c.num.last)),
        None => (c.num.first, c.num.last),
    };
    figures.push(make_figure(
        a,
        (first_tok, last_tok),
        &id,
        (kind, days),
        (c.num.value, c.qualifier),
        &party,
        (date, &date_basis),
    ));
    beside_figures(a, carried, base, c, &id, &party, figures);
}

/// Who says a figure (the claimant of its clause, the one carried from before, the document's)
/// and whose losses it counts (its own side word, a side phrase before it, or the claimant's
/// enemy).
fn party_of(a: &Article, scope: &SentenceScope, c: &Candidate) -> Party {
    let claimant = attribution::figure_claimant(c.num.first, &scope.claims, &scope.contrast)
        .or_else(|| scope.carried_claimant.clone())
        .or_else(|| a.doc_claimant.clone());
    let side = c
        .side
        .clone()
        .or_else(|| attribution::side_from_phrases(a.lex, a.tokens, scope.from, c.num.first))
        .or_else(|| match claimant.as_deref() {
            Some("russia") => Some("ukraine".to_string()),
            _ => Some("russia".to_string()),
        });
    Party { side, claimant }
}

/// Whether a figure is one of Kyiv's counts of Russia's losses (or unattributed ones), whose
/// plausible bounds the categories hold.
fn counts_kyivs_russian_losses(party: &Party) -> bool {
    party.side.as_deref() == Some("russia")
        && matches!(party.claimant.as_deref(), None | Some("ukraine"))
}

/// The series a figure of `category` on `date` belongs to: a category that one series
/// replaces from a day on gives the later series' id from then (and for an undated figure).
fn series_id(category: &crate::lexicon::CategoryName, date: Option<NaiveDate>) -> String {
    match &category.until {
        Some(u) if date.is_some_and(|d| d >= u.date) || date.is_none() => u.then.clone(),
        _ => category.id.to_string(),
    }
}

/// The parenthesis beside a figure: the day's change of a total, or the total of a change,
/// dated as the sentence is.
fn beside_figures(
    a: &Article,
    carried: &Carried,
    base: &Option<(NaiveDate, String)>,
    c: &Candidate,
    id: &str,
    party: &Party,
    figures: &mut Vec<Figure>,
) {
    let beside = [
        (c.paren_delta.as_ref(), Kind::Delta, Some(1)),
        (c.paren_total.as_ref(), Kind::Total, None),
    ];
    for (paren, kind, days) in beside {
        let Some((d, x, y)) = paren else { continue };
        let (ddate, dbasis) = (
            base.as_ref().map(|b| b.0),
            base.as_ref()
                .map(|b| b.1.clone())
                .unwrap_or_else(|| dating::no_date_basis(&carried.unresolved_weekday)),
        );
        figures.push(make_figure(
            a,
            (*x, *y),
            id,
            (kind, days),
            (d.value, Qualifier::Exact),
            party,
            (ddate, &dbasis),
        ));
    }
}

/// Whose losses a figure counts, and who says so.
struct Party {
    side: Option<String>,
    claimant: Option<String>,
}

fn make_figure(
    a: &Article,
    (first, last): (usize, usize),
    category: &str,
    (kind, days): (Kind, Option<u32>),
    (value, qualifier): (u64, Qualifier),
    party: &Party,
    (date, date_basis): (Option<NaiveDate>, &str),
) -> Figure {
    let start = a.tokens[first].start;
    let end = a.tokens[last - 1].end;
    // The sentence holding the figure's first token (sentences cover the tokens in order).
    let s = &a.sentences[a.sentences.partition_point(|s| s.last <= first)];
    let around = a.tokens[s.first].start.min(start)..a.tokens[s.last - 1].end.max(end);
    Figure {
        file: a.file.to_string(),
        hash: None,
        line: a.lines.line_of(start),
        start,
        end,
        quote: a.text[start..end].to_string(),
        sentence: sentence_around(a.text, around, start..end, SENTENCE_CHARS),
        category: category.to_string(),
        kind,
        days: if kind == Kind::Delta {
            days.or(Some(1))
        } else {
            None
        },
        value,
        qualifier,
        side: party.side.clone(),
        claimant: party.claimant.clone(),
        lang: Some(a.lex.code.clone()),
        date,
        date_basis: date_basis.to_string(),
    }
}
