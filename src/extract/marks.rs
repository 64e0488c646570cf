//! Marks: what the word tables find in the tokens before any figure is read. Per sentence, the
//! dates written in it and a day count ("day 451 of the invasion"), whose numbers are masked so
//! that no later stage reads them as counts; and [`Cues`], the phrase lookups later stages ask.

use crate::dates::{self, DateMention};
use crate::lexicon::{Language, Phrases};
use crate::numbers::number_at;
use crate::text::{Token, Tokenized};

/// The dates and day counts of each sentence, and the tokens they cover.
pub(super) struct Marks {
    /// Per sentence, the dates written in it (a dateline's date left out).
    pub(super) dates: Vec<Vec<DateMention>>,
    /// Per sentence, a day count: (first token, last token, day number).
    pub(super) daycounts: Vec<Option<(usize, usize, i64)>>,
    /// Per token, whether it belongs to a date or a day count.
    pub(super) masked: Vec<bool>,
}

/// Reads the dates and day counts of every sentence.
pub(super) fn read(lex: &Language, text: &str, tok: &Tokenized) -> Marks {
    let tokens = &tok.tokens;
    let mut marks = Marks {
        dates: Vec::with_capacity(tok.sentences.len()),
        daycounts: Vec::with_capacity(tok.sentences.len()),
        masked: vec![false; tokens.len()],
    };
    for s in &tok.sentences {
        let mut ds = dates::find_dates(lex, tokens, s.first, s.last);
        for d in &ds {
            marks.masked[d.first..d.last]
                .iter_mut()
                .for_each(|m| *m = true);
        }
        // A dateline's date is the document's, not what the sentence after it reports.
        if tokens[s.first].line_start {
            if let Some(dl) = dates::dateline_at(lex, text, tokens, s.first, s.last) {
                ds.retain(|d| *d != dl);
            }
        }
        let dc = dates::day_count(lex, tokens, s.first, s.last);
        if let Some((a, b, _)) = dc {
            marks.masked[a..b].iter_mut().for_each(|m| *m = true);
        }
        marks.dates.push(ds);
        marks.daycounts.push(dc);
    }
    marks
}

pub(super) struct Cues<'a> {
    pub(super) lex: &'a Language,
    pub(super) text: &'a str,
    pub(super) tokens: &'a [Token],
}

impl Cues<'_> {
    pub(super) fn any(&self, set: &Phrases<()>, from: usize, to: usize) -> Option<usize> {
        set.find(self.tokens, from, to).map(|(i, _, _)| i)
    }

    /// Whether the war (or invasion) is named right after a span's unit at `at`, perhaps after
    /// a link and a word: "of war", "of the full-scale war", "війни".
    fn war_age_follows(&self, at: usize, to: usize) -> bool {
        let (t, words) = (self.tokens, &self.lex.function_words);
        let mut k = at;
        if k < to && words.war_day_links.has(&t[k]) {
            k += 1;
        }
        dates::invasion_named(self.lex, t, k, k + 3, to).is_some()
    }

    /// "in two days", "over the past 48 hours", "in 3 weeks" starting at `tokens[i]` and ending
    /// before `to`: the span in days. (Asked of one position: a figure's cue stands at it.)
    pub(super) fn span_at(&self, i: usize, to: usize) -> Option<u32> {
        let t = self.tokens;
        let words = &self.lex.function_words;
        if i >= to || !words.span_openers.has(&t[i]) {
            return None;
        }
        let mut k = i + 1;
        while k < to && words.span_fillers.has(&t[k]) {
            k += 1;
        }
        let n = number_at(self.lex, t, k, to)?;
        let unit = t.get(n.last).filter(|_| n.last < to)?;
        let &per = self.lex.span_units.get(unit.norm.as_str())?;
        // "in four years of war", "у 500 днів війни": the war's age, so a total; but "in the last
        // 30 days of the war" is a span of it. (The search for the span may stop at its unit;
        // the war's name may follow.)
        let filled = k > i + 1;
        if !filled && self.war_age_follows(n.last + 1, self.tokens.len()) {
            return None;
        }
        let days = if per == 0 {
            (n.value / 24) as u32
        } else {
            n.value as u32 * per
        };
        if words.hour_stems.starts(unit) && n.value % 24 != 0 {
            return None;
        }
        Some(days)
    }
}
