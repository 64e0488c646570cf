//! Scopes: which cues said in one sentence reach the figures of later ones. A claimant said once
//! covers the run of sentences about losses that follows it in its paragraph; a span ("over the
//! past day") covers a later "over the same period"; a comparison ("a week earlier") dates the
//! earlier value of a later "from A to B"; a table header covers the rows of its paragraph; a
//! list's introduction dates the list; and a sentence about losses lends its context to the list
//! under it. Everything carried from sentence to sentence lives here.

use chrono::NaiveDate;

use super::attribution::{clause_breaks, is_dateline_place};
use super::dating;
use super::kinds;
use super::pairs::Candidate;
use super::tables::{header_roles, row_roles, Role, TableHeader};
use super::Article;
use crate::dates::{DateMention, DocDate};
use crate::text::Sentence;

/// Span of the period a sentence speaks of, remembered for "over the same period".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Span {
    Day,
    Week,
    /// Compared with a stated date: "up from 897,010 on 18.03.2025".
    On(NaiveDate),
}

/// What earlier sentences hand on to the next one.
pub(super) struct Carried {
    /// The report date: the document's, or the last one a sentence stated.
    pub(super) report: Option<(NaiveDate, String)>,
    /// The span the last sentence about losses spoke of.
    pub(super) span: Option<Span>,
    /// The span of the comparisons the article makes ("a week earlier", "the previous day"),
    /// for the earlier value of a later "rose to B from A".
    pub(super) pair_span: Option<Span>,
    /// The header of the table being read.
    table: Option<TableHeader>,
    /// The claimant of the run of sentences being read, with its paragraph.
    claimant: Option<(usize, String)>,
    /// A weekday that could not be resolved for lack of a document date, for date_basis.
    pub(super) unresolved_weekday: Option<String>,
    /// The paragraph of the sentence before, if that sentence spoke of a day.
    day_before: Option<usize>,
    /// The paragraph of a sentence without figures that named a day of fighting, while the
    /// sentences after it speak of that day.
    pub(super) fighting_before: Option<usize>,
    /// The last sentence with figures, while all the article's figures are one day's changes: one that
    /// goes on from it ("The invaders also lost ...") counts that day too.
    pub(super) day_figures_at: Option<usize>,
    /// While the sentences being read are the items of a list whose introduction counts
    /// something other than losses ("They have this many in service:"): the paragraph of the
    /// introduction or of the last item read.
    holdings_list: Option<usize>,
}

/// What one sentence's figures take from their sentence and the sentences before it.
pub(super) struct SentenceScope {
    pub(super) index: usize,
    pub(super) from: usize,
    pub(super) to: usize,
    paragraph: usize,
    /// Who speaks in the sentence: (token, length, claimant id).
    pub(super) claims: Vec<(usize, usize, String)>,
    /// The claimant carried from the sentences before, when it reaches this one.
    pub(super) carried_claimant: Option<String>,
    /// Token positions where the sentence turns to another source.
    pub(super) contrast: Vec<usize>,
    /// The candidates that are figures.
    pub(super) live: Vec<usize>,
    /// The span this sentence speaks of.
    pub(super) span: Option<Span>,
    /// Whether the sentence names the day of the fighting ("on Monday, Russia lost ..."), itself
    /// or in the sentence about that day before it ("Saturday was the deadliest day."): its
    /// counts are that day's changes.
    pub(super) fighting_day: bool,
    /// Whether the sentence goes on from a day's figures a sentence or two before it, with a
    /// word like "also" and no kind cue of its own: its counts are that day's changes too.
    pub(super) continues_day: bool,
    /// Whether the sentence speaks of one day ("over the past day", "yesterday", "today"), so
    /// that a count too small for a total can be that day's change.
    pub(super) speaks_of_a_day: bool,
}

/// What a sentence says of the day it speaks of (see `Carried::day_spoken_of`).
struct DaySpoken {
    /// A day's cue or a weekday of fighting in the sentence itself.
    this_day: bool,
    /// The day of the fighting, named in the sentence or in the one before it.
    fighting: bool,
    /// A sentence about Kyiv's losses going on after one about a day's.
    going_on: bool,
}

impl Carried {
    pub(super) fn new(doc: Option<&DocDate>) -> Carried {
        Carried {
            report: doc.map(|d| (d.date, format!("document date {} ({})", d.date, d.basis))),
            span: None,
            pair_span: None,
            table: None,
            claimant: None,
            unresolved_weekday: None,
            day_before: None,
            fighting_before: None,
            day_figures_at: None,
            holdings_list: None,
        }
    }

    /// Reads a sentence's cues that reach further, and what reaches it from before.
    pub(super) fn enter(
        &mut self,
        a: &Article,
        index: usize,
        s: &Sentence,
        cands: &[Candidate],
    ) -> SentenceScope {
        let (lex, tokens) = (a.lex, a.tokens);
        let (from, to) = (s.first, s.last);
        let mut claims = lex.claimants.find_all(tokens, from, to);
        claims.retain(|&(at, n, _)| !is_dateline_place(lex, a.text, tokens, at, n));
        let carried = self
            .claimant
            .as_ref()
            .filter(|(p, _)| *p == s.paragraph)
            .map(|(_, c)| c.clone());
        self.follow_claimant(a, s, cands, &claims);
        let span = self.sentence_span(a, from, to);
        let day = self.day_spoken_of(a, s, &a.marks.dates[index], &claims);
        let live = self.live_figures(a, s, cands);
        let continues_day =
            !live.is_empty() && self.continues_day(a, index, from, to, day.this_day);
        let speaks_of_a_day =
            day.this_day || continues_day || day.going_on || self.day_before == Some(s.paragraph);
        self.day_before = day.this_day.then_some(s.paragraph);
        let carried_claimant = self.claimant_reaching(carried, cands, &live);
        let contrast = if live.is_empty() {
            Vec::new()
        } else {
            clause_breaks(a.lex, tokens, from, to)
        };
        SentenceScope {
            index,
            from,
            to,
            paragraph: s.paragraph,
            claims,
            carried_claimant,
            contrast,
            live,
            span,
            fighting_day: day.fighting,
            continues_day,
            speaks_of_a_day,
        }
    }

    /// Whether a sentence speaks of one day: by a day's cue or a weekday of fighting of its own,
    /// by the day of fighting a sentence before it in its paragraph named, or by going on about
    /// Kyiv's losses after a sentence about a day's ("Besides, 12 tanks were destroyed", "In
    /// all, 21 armoured vehicles were destroyed, according to Kyiv"), even paragraphs later,
    /// while no other span was spoken of. A sentence about something else ("a swarm of eight
    /// drones buzzed the capital") does not go on.
    fn day_spoken_of(
        &self,
        a: &Article,
        s: &Sentence,
        dates: &[DateMention],
        claims: &[(usize, usize, String)],
    ) -> DaySpoken {
        let (lex, tokens) = (a.lex, a.tokens);
        let (from, to) = (s.first, s.last);
        let day_tables = [
            &lex.delta_cues,
            &lex.previous_day,
            &lex.same_day,
            &lex.day_words,
        ];
        let this_day = day_tables
            .iter()
            .any(|table| table.find(tokens, from, to).is_some());
        // A sentence about a day lends it to the next one of its paragraph.
        let fighting_here = dating::fighting_weekday(lex, tokens, from, to).is_some()
            || dates
                .iter()
                .any(|m| dating::opens_with_fighting_date(lex, tokens, from, to, m));
        let fighting = fighting_here || self.fighting_before == Some(s.paragraph);
        let goes_on = kinds::continues(lex, tokens, from, to, 1)
            || claims.iter().any(|(_, _, who)| who == "ukraine");
        let going_on = self.span == Some(Span::Day)
            && goes_on
            && lex.loss_verbs.find(tokens, from, to).is_some();
        DaySpoken {
            this_day: this_day || fighting_here,
            fighting,
            going_on,
        }
    }

    /// The candidates of a sentence that are figures. The items under an introduction that
    /// counts holdings, deliveries or anything else of the language's `negative_cues` ("Their
    /// armies have this many tanks in service:") count that, until a sentence that is no list
    /// item.
    fn live_figures(&mut self, a: &Article, s: &Sentence, cands: &[Candidate]) -> Vec<usize> {
        let (lex, tokens) = (a.lex, a.tokens);
        let (from, to) = (s.first, s.last);
        let live: Vec<usize> = (0..cands.len())
            .filter(|&k| cands[k].category.is_some() && !cands[k].rejected)
            .collect();
        let list_item = self.holdings_list.is_some_and(|p| {
            tokens.get(from).is_some_and(is_bullet) || (to - from <= 10 && p == s.paragraph)
        });
        if list_item {
            self.holdings_list = Some(s.paragraph);
            return Vec::new();
        }
        let introduces = live.is_empty()
            && to > from
            && tokens[to - 1].is(":")
            && lex.negative_cues.find(tokens, from, to).is_some();
        self.holdings_list = introduces.then_some(s.paragraph);
        live
    }

    /// The claimant carried from the sentence before, unless the sentence counts that
    /// claimant's own losses: the Russian ministry's "80 Ukrainian drones" does not make it the
    /// source of the next sentence's "7,110 Russian tanks", nor of what follows them.
    fn claimant_reaching(
        &mut self,
        carried: Option<String>,
        cands: &[Candidate],
        live: &[usize],
    ) -> Option<String> {
        match carried {
            Some(who) if live.iter().any(|&k| cands[k].side.as_ref() == Some(&who)) => {
                self.claimant = None;
                None
            }
            other => other,
        }
    }

    /// "The Russians also lost two tanks ..." after a sentence of only the day's changes: a word
    /// that goes on, no kind cue of its own, and those changes at most two sentences before.
    fn continues_day(
        &self,
        a: &Article,
        index: usize,
        from: usize,
        to: usize,
        this_day: bool,
    ) -> bool {
        let (lex, cues) = (a.lex, &a.cues);
        let near = self
            .day_figures_at
            .is_some_and(|at| index > at && index - at <= 3);
        let own_kind = this_day
            || cues.any(&lex.total_cues, from, to).is_some()
            || cues.any(&lex.period_cues, from, to).is_some();
        near && !own_kind && kinds::continues(lex, a.tokens, from, to, 4)
    }

    /// Only a sentence about losses hands its source on to the next ("It also said ..."); "The
    /// United States announced $6.9 billion in aid" does not, and a sentence about something
    /// else ends the run.
    fn follow_claimant(
        &mut self,
        a: &Article,
        s: &Sentence,
        cands: &[Candidate],
        claims: &[(usize, usize, String)],
    ) {
        let has_figures = cands.iter().any(|c| c.category.is_some() && !c.rejected);
        // "including" alone does not make a sentence about losses: "aid including shells".
        let about_losses = a
            .lex
            .loss_verbs
            .matches(a.tokens, s.first, s.last)
            .any(|(at, _, _)| !a.lex.function_words.including_stems.starts(&a.tokens[at]));
        if has_figures || about_losses {
            if let Some((_, _, who)) = claims.first() {
                self.claimant = Some((s.paragraph, who.clone()));
            }
        } else {
            self.claimant = None;
        }
    }

    /// The period a sentence speaks of, for a later "over the same period"; and the span of
    /// its comparisons, for a later "from A to B".
    fn sentence_span(&mut self, a: &Article, from: usize, to: usize) -> Option<Span> {
        let (lex, cues) = (a.lex, &a.cues);
        let week_earlier = cues.any(&lex.week_earlier, from, to).is_some();
        let span = if cues.any(&lex.delta_cues, from, to).is_some() {
            Some(Span::Day)
        } else if week_earlier
            || a.tokens[from..to]
                .iter()
                .any(|t| lex.function_words.week_words.has(t))
        {
            Some(Span::Week)
        } else {
            None
        };
        if week_earlier {
            self.pair_span = Some(Span::Week);
        } else if cues.any(&lex.previous_day, from, to).is_some() {
            self.pair_span = Some(Span::Day);
        }
        span
    }

    /// A sentence without figures may still set what later ones take: the span of a sentence
    /// about losses, a table header, or the date of a list's introduction ("Here are the
    /// figures published by the General Staff on Thursday:").
    pub(super) fn figure_less_sentence(
        &mut self,
        a: &Article,
        doc: Option<&DocDate>,
        scope: &SentenceScope,
    ) {
        let (lex, tokens) = (a.lex, a.tokens);
        let (si, from, to) = (scope.index, scope.from, scope.to);
        // Only sentences about losses set the period that "over the same period" refers to.
        if scope.span.is_some() && lex.loss_verbs.find(tokens, from, to).is_some() {
            self.span = scope.span;
        }
        let dates = &a.marks.dates[si];
        if let Some(roles) = header_roles(a.lex, tokens, from, to, dates, a.opts.invasion_start) {
            self.table = Some(TableHeader {
                paragraph: scope.paragraph,
                roles,
            });
        }
        let fighting = scope.fighting_day && self.fighting_before != Some(scope.paragraph);
        if fighting {
            self.fighting_before = Some(scope.paragraph);
        }
        if fighting
            || dating::introduces_report(lex, tokens, from, to, &scope.claims)
            || dating::titles_report(lex, tokens, from, to, dates)
        {
            let stated = dating::sentence_date(
                lex,
                a.text,
                tokens,
                from,
                to,
                dates,
                a.marks.daycounts[si],
                doc,
                a.opts,
                &mut self.unresolved_weekday,
            );
            if let Some(st) = stated {
                self.report = Some(st);
            }
        }
    }

    /// The column roles of a table row under the header of its paragraph; a header of another
    /// paragraph no longer holds.
    pub(super) fn row_roles(
        &mut self,
        tokens: &[crate::text::Token],
        cands: &[Candidate],
        scope: &SentenceScope,
    ) -> Option<Vec<Role>> {
        let roles = self
            .table
            .as_ref()
            .filter(|t| t.paragraph == scope.paragraph)
            .and_then(|t| row_roles(tokens, cands, &scope.live, t));
        if self
            .table
            .as_ref()
            .is_some_and(|t| t.paragraph != scope.paragraph)
        {
            self.table = None;
        }
        roles
    }
}

/// Whether the sentence before, in the same paragraph or as a list's introduction, speaks of
/// losses: a list under "Total combat losses of the enemy:" carries that context.
#[derive(Default)]
pub(super) struct LossContext {
    context: Option<(usize, bool)>,
}

impl LossContext {
    /// Whether the sentence in `paragraph` inherits a loss context from before it.
    pub(super) fn inherited(&self, paragraph: usize) -> bool {
        self.context
            .is_some_and(|(p, c)| c && (p == paragraph || p + 1 == paragraph))
    }

    /// Records a sentence that speaks of losses itself (`own`) or not.
    pub(super) fn record(&mut self, paragraph: usize, own: bool, inherited: bool) {
        if own || !inherited || self.context.is_none_or(|(p, _)| p != paragraph) {
            self.context = Some((
                paragraph,
                own || inherited && self.context.is_some_and(|(p, _)| p == paragraph),
            ));
        }
    }
}

/// A list item's mark at the start of a line: "•", "-", "*", "–", "·".
pub(super) fn is_bullet(t: &crate::text::Token) -> bool {
    ["•", "-", "*", "–", "·", "▪", "◦"].iter().any(|b| t.is(b))
}
