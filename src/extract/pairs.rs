//! Pairs: every number of a sentence and what it counts. A category name right after it ("3,350
//! tanks"), a label before it ("tanks ‒ 3325", "| Tanks | 4306 |", "personnel losses at
//! 1,312,140"), the figure before it in a chain ("by 1,030 overnight to 133,190"), a pronoun-like
//! phrase ("the figure was 144,440"), or a "respectively" list. A number that counts something
//! other than losses (money, years, pledges, "19 warships on combat duty") is kept, rejected, so
//! that later stages see it end a list.

use super::scopes::LossContext;
use crate::dates;
use crate::figure::Qualifier;
use crate::lexicon::{CategoryName, Language, Words};
use crate::numbers::{number_at, NumberMatch};
use crate::text::{TokKind, Token, Tokenized};

/// The candidates of every sentence, in order.
pub(super) fn read(lex: &Language, tok: &Tokenized, masked: &[bool]) -> Vec<Vec<Candidate>> {
    let tokens = &tok.tokens;
    let mut per_sentence: Vec<Vec<Candidate>> = Vec::with_capacity(tok.sentences.len());
    let mut last_category: Option<CategoryName> = None;
    let mut context = LossContext::default();
    for s in &tok.sentences {
        let own = speaks_of_losses(lex, tokens, s.first, s.last);
        let inherited = context.inherited(s.paragraph);
        let cands = sentence_candidates(
            lex,
            tokens,
            s.first,
            s.last,
            masked,
            &mut last_category,
            inherited,
            own,
        );
        per_sentence.push(cands);
        context.record(s.paragraph, own, inherited);
    }
    per_sentence
}

/// How a number found its category.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Via {
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
pub(super) struct Candidate {
    pub(super) num: NumberMatch,
    /// A '+' or '-' right before the number ("(+9)", "| +530 |").
    pub(super) signed: bool,
    pub(super) category: Option<(CategoryName, Via)>,
    /// Token range of the category name, when there is one next to the number.
    pub(super) name: Option<(usize, usize)>,
    pub(super) side: Option<String>,
    pub(super) qualifier: Qualifier,
    /// The "(+9)" right after a total: (number, token range of the parentheses).
    pub(super) paren_delta: Option<(NumberMatch, usize, usize)>,
    /// The "(total – 2,116)" right after a change: (number, token range of the parentheses).
    pub(super) paren_total: Option<(NumberMatch, usize, usize)>,
    /// End of everything that belongs to this candidate (number, name, parentheses).
    pub(super) end: usize,
    pub(super) rejected: bool,
}

/// A plus sign marks a change ("| +530 |"); dashes before a number are label separators.
pub(super) fn is_sign(t: &Token) -> bool {
    t.is("+")
}

/// The numbers of one sentence and what each counts.
#[allow(clippy::too_many_arguments)]
pub(super) fn sentence_candidates(
    lex: &Language,
    tokens: &[Token],
    from: usize,
    to: usize,
    masked: &[bool],
    last_category: &mut Option<CategoryName>,
    inherited_context: bool,
    loss_context: bool,
) -> Vec<Candidate> {
    let mut r = Reader {
        lex,
        tokens,
        from,
        to,
        last_category,
        cands: Vec::new(),
        speaks_of_losses: lex.loss_verbs.find(tokens, from, to).is_some()
            && lex.other_people_words.find(tokens, from, to).is_none(),
    };
    let mut consumed_until = from;
    let mut i = from;
    while i < to {
        if masked[i] || i < consumed_until {
            i += 1;
            continue;
        }
        let Some(num) = number_at(lex, tokens, i, to)
            .or_else(|| article_one(lex, tokens, i, to))
            .or_else(|| singular_one(lex, tokens, from, i, to))
        else {
            i += 1;
            continue;
        };
        if not_a_count(lex, tokens, &num, from, to)
            && !day_part_of_total(lex, tokens, &num, from, to)
        {
            i = num.last;
            continue;
        }
        let c = r.candidate(num);
        if let Some((_, _, b)) = c.paren_delta.as_ref().or(c.paren_total.as_ref()) {
            consumed_until = *b;
        }
        i = c.end.max(c.num.last);
        r.cands.push(c);
    }
    let mut cands = r.cands;
    if cands.is_empty() {
        // Nothing below changes anything then.
        return cands;
    }
    changes_named_by_their_total(lex, tokens, from, &mut cands);
    reject_out_of_context(
        tokens,
        from,
        to,
        &mut cands,
        loss_context || inherited_context,
    );
    respectively(lex, tokens, from, to, &mut cands);
    cands
}

/// "up 710 to 444,370 people", "increased by 40 to 9,120 tanks": a change whose name comes only
/// after the total it leads to counts what that total counts.
fn changes_named_by_their_total(
    lex: &Language,
    tokens: &[Token],
    from: usize,
    cands: &mut [Candidate],
) {
    for n in 1..cands.len() {
        let (before, after) = cands.split_at_mut(n);
        let (c, total) = (&mut before[n - 1], &after[0]);
        let open = c.category.is_none() && !c.rejected && !c.num.word;
        let named = matches!(total.category, Some((_, Via::Noun))) && !total.rejected;
        let leads_to =
            total.num.first == c.end + 1 && lex.function_words.total_leads.has(&tokens[c.end]);
        let by = lex
            .delta_by
            .longest_ending_at(tokens, c.num.first.saturating_sub(3).max(from), c.num.first)
            .is_some();
        if open && named && leads_to && by {
            c.category = total.category.clone().map(|(cat, _)| (cat, Via::Chain));
        }
    }
}

/// "a submarine", "an air defence vehicle", "another tank" in a list of counts: one. Only where
/// the name ends a list item and the article stands in a list ("28 ships, a submarine and 347
/// aircraft"), since "a Russian tank" in a story is rarely a count.
fn article_one(lex: &Language, tokens: &[Token], i: usize, to: usize) -> Option<NumberMatch> {
    let n = lex.articles.contains_at(tokens, i, to)?;
    let k = past_modifiers(lex, tokens, i + n, to);
    let (len, name) = lex.category_names.longest_at(tokens, k, to)?;
    if !name.is_series() {
        return None;
    }
    let end = k + len;
    let words = &lex.function_words;
    let boundary = |j: usize| {
        j >= to
            || matches!(tokens[j].norm.as_str(), "," | "." | ";" | ")")
            || words.item_ends.has(&tokens[j])
    };
    let listed_before = i > 0 && matches!(tokens[i - 1].norm.as_str(), "," | ":" | ";")
        || lex
            .including
            .longest_ending_at(tokens, i.saturating_sub(3), i)
            .is_some()
        || words
            .item_openers
            .longest_ending_at(tokens, i.saturating_sub(2), i)
            .is_some();
    let listed_after = end + 1 < to
        && (tokens[end].is(",") || words.list_joiners.has(&tokens[end]))
        && number_at(lex, tokens, end + 1, to).is_some();
    (boundary(end) && (listed_before || listed_after)).then_some(NumberMatch {
        value: 1,
        first: i,
        last: i + n,
        rounded: false,
        word: true,
    })
}

/// The length of a hyphenated compound at `tokens[k]` that a category name follows: words
/// glued by hyphens ("1,500 long-range drones", "40 Iranian-made drones") describe the thing the
/// name names, whatever the words.
fn compound_before_name(lex: &Language, tokens: &[Token], k: usize, to: usize) -> Option<usize> {
    let glued = |a: &Token, b: &Token| a.end == b.start;
    let mut end = k + 1;
    while end + 1 < to
        && tokens[end].is("-")
        && tokens[end + 1].kind == TokKind::Word
        && glued(&tokens[end - 1], &tokens[end])
        && glued(&tokens[end], &tokens[end + 1])
    {
        end += 2;
    }
    let compound = tokens[k].kind == TokKind::Word && end > k + 1;
    (compound && lex.category_names.longest_at(tokens, end, to).is_some()).then_some(end - k)
}

/// Where the modifiers and side words from `k` on end ("air defence", "Russian").
fn past_modifiers(lex: &Language, tokens: &[Token], mut k: usize, to: usize) -> usize {
    while let Some(m) = lex
        .modifiers
        .contains_at(tokens, k, to)
        .or_else(|| lex.sides.longest_at(tokens, k, to).map(|(m, _)| m))
    {
        k += m;
    }
    k
}

/// A number that may be a year: four digits from 1990 to 2040.
pub(super) fn year_like(tokens: &[Token], num: &NumberMatch) -> bool {
    !num.word
        && tokens[num.first].norm.len() == 4
        && tokens[num.first]
            .norm
            .parse::<u32>()
            .is_ok_and(|y| (1990..=2040).contains(&y))
}

/// "1,400 tanks, including 12 per day": a rate's words ("per day") after the part of a total
/// that the language's `including` introduces name the day that part counts, not a rate.
fn day_part_of_total(
    lex: &Language,
    tokens: &[Token],
    num: &NumberMatch,
    from: usize,
    to: usize,
) -> bool {
    let part = lex
        .including
        .longest_ending_at(tokens, num.first.saturating_sub(3).max(from), num.first)
        .is_some();
    part && lex.delta_cues.contains_at(tokens, num.last, to).is_some()
}

/// "знищили танк, шість ББМ, гвинтокрил та два безпілотники": in a language without articles,
/// a singular name (the language's `one_names`) standing alone as an item of a list of counts
/// counts one. Only where the item is closed by the list's punctuation or joiner and stands
/// beside another item, so that a noun of a story ("танк підірвався на міні") counts nothing.
/// The count has no token of its own: it starts and ends where its name begins.
fn singular_one(
    lex: &Language,
    tokens: &[Token],
    from: usize,
    i: usize,
    to: usize,
) -> Option<NumberMatch> {
    let n = lex.one_names.contains_at(tokens, i, to)?;
    let (len, name) = lex.category_names.longest_at(tokens, i, to)?;
    if len != n || !name.is_series() {
        return None;
    }
    let end = i + n;
    let separator = |j: usize| -> Option<usize> {
        if j >= to {
            return None;
        }
        if matches!(tokens[j].norm.as_str(), "," | ";") {
            Some(1)
        } else {
            lex.joiners.contains_at(tokens, j, to)
        }
    };
    let closed =
        end >= to || tokens[end].is(".") || tokens[end].is(")") || separator(end).is_some();
    let item_at = |j: usize| {
        number_at(lex, tokens, j, to).is_some()
            || lex.one_names.contains_at(tokens, j, to).is_some()
    };
    let listed_after = separator(end).is_some_and(|s| item_at(end + s));
    let listed_before = i > from
        && (matches!(tokens[i - 1].norm.as_str(), "," | ";" | ":")
            || lex.joiners.longest_ending_at(tokens, from, i).is_some());
    (closed && (listed_before || listed_after)).then_some(NumberMatch {
        value: 1,
        first: i,
        last: i,
        rounded: false,
        word: true,
    })
}

/// Reads the candidates of one sentence, one number at a time.
struct Reader<'a, 'l> {
    lex: &'a Language,
    tokens: &'a [Token],
    from: usize,
    to: usize,
    /// The category of the last figure read, for "zero of those losses" and "the figure".
    last_category: &'l mut Option<CategoryName>,
    /// The candidates of the sentence so far.
    cands: Vec<Candidate>,
    /// Whether the sentence has a word of losses ("lost", "killed") and none of other people
    /// (civilians, the drafted), which a weak name needs.
    speaks_of_losses: bool,
}

impl Reader<'_, '_> {
    /// What the number `num` counts, tried in order: a name after it, a label or reference
    /// before it, a reference after it, the figure before it.
    fn candidate(&mut self, num: NumberMatch) -> Candidate {
        let (lex, tokens, from) = (self.lex, self.tokens, self.from);
        let signed = num.first > from && is_sign(&tokens[num.first - 1]) && !num.word;
        let mut c = Candidate {
            num: num.clone(),
            signed,
            category: None,
            name: None,
            side: None,
            qualifier: Qualifier::Exact,
            paren_delta: None,
            paren_total: None,
            end: num.last,
            rejected: false,
        };
        let after = self.parenthesis(&mut c, num.last, false);
        let forward_end = self.name_after(&mut c, after);
        let q_start = self.qualifier_before(&mut c);
        // A number word stands after a label only in a list ("Submarines: one") or a change
        // ("rose by three"); elsewhere "one" is too common a word.
        let word_after_label = num.word
            && q_start > from
            && (matches!(
                tokens[q_start - 1].norm.as_str(),
                ":" | "-" | "–" | "—" | "‒"
            ) || lex
                .function_words
                .number_word_links
                .has(&tokens[q_start - 1]));
        if c.category.is_none() && !c.rejected && (!num.word || word_after_label) {
            self.name_before(&mut c, q_start);
        }
        if c.category.is_none() && !c.rejected {
            // "zero of those losses"
            if let Some(n) = lex.anaphor_after.contains_at(tokens, forward_end, self.to) {
                if let Some(cat) = self.last_category.clone() {
                    c.category = Some((cat, Via::Reference));
                    c.end = forward_end + n;
                }
            }
        }
        if c.category.is_none() && !c.rejected && !num.word {
            self.chained(&mut c, q_start);
        }
        if c.category.is_none() && !c.rejected && !num.word {
            self.referred(&mut c, q_start);
        }
        self.reject(&mut c, q_start);
        if let Some((cat, _)) = &c.category {
            if !c.rejected {
                *self.last_category = Some(cat.clone());
            }
        }
        c
    }

    /// A parenthesis after the number (or after its name, `after_name`): "(+9)", "(+43 per
    /// day)" give the day's change beside a total; "(total – 2,116)", "(881 in total)" and, after
    /// a name, a bare larger "(23 384)" give the total beside a change. Count words before it
    /// ("2610 units (+43)") belong to the number. Where the number's own words go on.
    fn parenthesis(&self, c: &mut Candidate, at: usize, after_name: bool) -> usize {
        let (lex, tokens, to) = (self.lex, self.tokens, self.to);
        let mut j = at;
        if !after_name {
            if let Some(n) = lex.count_units.contains_at(tokens, j, to) {
                if tokens.get(j + n).is_some_and(|t| t.is("(")) {
                    j += n;
                }
            }
        }
        if !(j < to && tokens[j].is("(")) {
            return at;
        }
        let Some(close) = (j + 1..(j + 9).min(to)).find(|&k| tokens[k].is(")")) else {
            return at;
        };
        let mut k = j + 1;
        let sign = tokens[k].is_sign();
        if sign {
            k += 1;
        }
        let total_cue = lex.total_cues.find(tokens, j + 1, close).is_some();
        let number = (k..close).find_map(|i| {
            if tokens[i].kind != TokKind::Num {
                return None;
            }
            number_at(lex, tokens, i, close).filter(|d| !d.word)
        });
        let Some(d) = number else {
            return at;
        };
        // A sign starts the parenthesis; the number of a total may follow its cue.
        if sign && d.first == k && !total_cue {
            c.paren_delta = Some((d, j, close + 1));
        } else if !sign && (total_cue || after_name && d.first == k && d.value > c.num.value) {
            c.paren_total = Some((d, j, close + 1));
        } else {
            return at;
        }
        c.end = close + 1;
        close + 1
    }

    /// Forward from `j`: modifiers, side words and count words ("units of"), then a category
    /// name and what still belongs to it. Where the words before the name end.
    fn name_after(&self, c: &mut Candidate, j: usize) -> usize {
        let (lex, tokens, to) = (self.lex, self.tokens, self.to);
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
            let the = |t: &Token| lex.function_words.definite_articles.has(t);
            let possessive = lex.function_words.possessive_links.has(&tokens[k]) && steps == 0 && {
                let j = k + 1 + usize::from(tokens.get(k + 1).is_some_and(the));
                j < to && tokens[j].norm.ends_with("'s")
            };
            if let Some((n, side)) = lex.sides.longest_at(tokens, k, to) {
                c.side = Some(side.clone());
                k += n;
            } else if possessive {
                // "208,370 of the despot's soldiers", "4,000 of Russia's tanks"
                let j = k + 1 + usize::from(the(&tokens[k + 1]));
                if let Some((_, side)) = lex.sides.longest_at(tokens, j, to) {
                    c.side = Some(side.clone());
                }
                k = j + 1;
            } else if let Some(n) = compound_before_name(lex, tokens, k, to)
                .or_else(|| lex.modifiers.contains_at(tokens, k, to))
                .or_else(|| lex.name_prefixes.contains_at(tokens, k, to))
            {
                k += n;
            } else {
                break;
            }
            steps += 1;
        }
        if c.rejected {
            return k;
        }
        if let Some((n, name)) = lex.category_names.longest_at(tokens, k, to) {
            if !name.is_series() {
                // "38 units of military equipment": a count of nothing a series counts.
                c.rejected = true;
                return k;
            }
            let mut end = k + n;
            // "(MLRS)" after the name belongs to it.
            if end + 2 < to
                && tokens[end].is("(")
                && tokens[end + 2].is(")")
                && tokens[end + 1].kind == TokKind::Word
            {
                end += 3;
            }
            // "16 tanks of the Russian army": the tail still names the tanks.
            if let Some(n) = lex.name_tails.contains_at(tokens, end, to) {
                end += n;
            }
            c.category = Some((name.clone(), Via::Noun));
            c.name = Some((k, end));
            c.end = end;
            if c.paren_delta.is_none() {
                self.parenthesis(c, end, true);
            }
        }
        k
    }

    /// The hedge right before the number ("about 144,440"); where the number's words start.
    fn qualifier_before(&self, c: &mut Candidate) -> usize {
        let (lex, tokens, from) = (self.lex, self.tokens, self.from);
        let mut q_start = c.num.first;
        if c.signed {
            q_start -= 1;
        }
        if let Some((n, q)) =
            lex.qualifiers
                .longest_ending_at(tokens, q_start.saturating_sub(4).max(from), q_start)
        {
            let before = q_start - n;
            // "went up to 434,710" is no "up to".
            let verb_before = before > from
                && lex
                    .rise_verbs
                    .contains_at(tokens, before - 1, q_start)
                    .is_some_and(|n| n > 1);
            if !verb_before {
                c.qualifier = *q;
                q_start = before;
            }
        }
        if c.qualifier == Qualifier::Exact && c.num.rounded {
            c.qualifier = Qualifier::About;
        }
        q_start
    }

    /// Backward from `q_start` over connectors, parentheses and dot leaders: a category label
    /// ("tanks ‒ 3325") or a reference to the figure before ("the figure was 144,440").
    fn name_before(&self, c: &mut Candidate, q_start: usize) {
        let (lex, tokens, floor) = (self.lex, self.tokens, self.from);
        let mut k = q_start;
        let mut hops = 0;
        while k > floor && hops < 8 {
            let near = k.saturating_sub(10).max(floor);
            if let Some((n, name)) = lex.category_labels.longest_ending_at(tokens, near, k) {
                c.category = Some((name.clone(), Via::Label));
                c.name = Some((k - n, k));
                // A side word right before the label: "Russian personnel losses".
                if k - n > floor {
                    let side_from = (k - n).saturating_sub(2).max(floor);
                    if let Some((_, side)) = lex.sides.longest_ending_at(tokens, side_from, k - n) {
                        c.side = Some(side.clone());
                    }
                }
                return;
            }
            let near = k.saturating_sub(6).max(floor);
            if let Some((n, _)) = lex.anaphors.longest_ending_at(tokens, near, k) {
                if let Some(cat) = self.anaphor_category(n, k) {
                    c.category = Some((cat, Via::Reference));
                }
                return;
            }
            match self.connector_before(k) {
                Some(to) => {
                    k = to;
                    hops += 1;
                }
                None => return,
            }
        }
    }

    /// The category an anaphor ending at `k` refers to. A bare "the total" or "the toll" with
    /// no figure before it in the sentence is the headline count of troops, not the last
    /// equipment line.
    fn anaphor_category(&self, n: usize, k: usize) -> Option<CategoryName> {
        let bare_total =
            n == 2 && self.lex.headline_nouns.has(&self.tokens[k - 1]) && self.cands.is_empty();
        if bare_total {
            return Some(CategoryName::plain("personnel"));
        }
        self.cands
            .iter()
            .rev()
            .find_map(|p| p.category.clone().map(|c| c.0))
            .or_else(|| self.last_category.clone())
    }

    /// Where a connector ending at `k` starts: a parenthesis after the label ("UAVs
    /// (operational-tactical level) | 6,823"), dot leaders ("Troops ........ 311 750"), a
    /// connector word or a hedge.
    fn connector_before(&self, k: usize) -> Option<usize> {
        let (lex, tokens, floor) = (self.lex, self.tokens, self.from);
        if tokens[k - 1].is(")") {
            if let Some(open) = (k.saturating_sub(7).max(floor)..k - 1)
                .rev()
                .find(|&j| tokens[j].is("("))
            {
                return Some(open);
            }
        }
        if k >= floor + 2 && tokens[k - 1].is(".") && tokens[k - 2].is(".") {
            let mut k = k;
            while k > floor && (tokens[k - 1].is(".") || tokens[k - 1].is("…")) {
                k -= 1;
            }
            return Some(k);
        }
        // "танки / tanks ‒ 3363": the label's translation after a slash, in words this
        // language does not know, stands between the label and its number.
        let translated = (k.saturating_sub(7).max(floor)..k).rev().find(|&j| {
            tokens[j].is("/")
                && j + 1 < k
                && tokens[j + 1..k]
                    .iter()
                    .all(|t| t.kind == TokKind::Word && !lex.is_table_word(t) || t.is("-"))
        });
        if translated.is_some() {
            return translated;
        }
        // "losses on April 2 increased by 710": a date, with the short words that introduce it
        // ("on", "as of", "am", "le") and the comma that closes it, stands between the name and
        // its number.
        let date_end = if tokens[k - 1].is(",") { k - 1 } else { k };
        if let Some(date) =
            dates::find_dates(lex, tokens, date_end.saturating_sub(6).max(floor), date_end)
                .into_iter()
                .find(|m| m.last == date_end)
        {
            let mut start = date.first;
            while start > floor
                && date.first - start < 2
                && tokens[start - 1].kind == TokKind::Word
                && tokens[start - 1].norm.chars().count() <= 3
                && !lex.starts_category_word(&tokens[start - 1])
            {
                start -= 1;
            }
            return Some(start);
        }
        if let Some(start) = self.war_span_before(k) {
            return Some(start);
        }
        // "крилаті ракети за добу – 3 210": a day's span stands between the name and its number.
        if let Some((n, _)) =
            lex.delta_cues
                .longest_ending_at(tokens, k.saturating_sub(8).max(floor), k)
        {
            return Some(k - n);
        }
        // "chars russes ... 6 210": a side word after the name, as the Romance languages put it.
        if let Some((n, _)) = lex
            .sides
            .longest_ending_at(tokens, k.saturating_sub(3).max(floor), k)
        {
            return Some(k - n);
        }
        let floor8 = k.saturating_sub(8).max(floor);
        lex.connectors
            .longest_ending_at(tokens, floor8, k)
            .or_else(|| {
                lex.qualifiers
                    .longest_ending_at(tokens, floor8, k)
                    .map(|(n, _)| (n, &()))
            })
            .map(|(n, _)| k - n)
    }

    /// Where a span of the war ending at `k` starts: one of the language's `since_words`, a few
    /// words, then the war's name ("since the start of the full-scale invasion", "seit
    /// Beginn des Konflikts", "depuis le début de la guerre"). It says when the count began, not
    /// what it counts, so it stands between a name and its number like any connector.
    fn war_span_before(&self, k: usize) -> Option<usize> {
        let (lex, tokens, floor) = (self.lex, self.tokens, self.from);
        let (n, _) =
            lex.invasion_words
                .longest_ending_at(tokens, k.saturating_sub(3).max(floor), k)?;
        let war = k - n;
        // "full-scale" is three tokens.
        (war.saturating_sub(8).max(floor)..war)
            .rev()
            .take_while(|&s| tokens[s].kind == TokKind::Word || tokens[s].is("-"))
            .find(|&s| {
                lex.since_words
                    .contains_at(tokens, s, war)
                    .is_some_and(|m| war - (s + m) <= 5)
            })
    }

    /// Chain: joined to the figure before by ",", "to", "from", "|", "a week ago", ...
    fn chained(&self, c: &mut Candidate, q_start: usize) {
        // "218 launchers and 96 anti-missile whatsits": a noun no table knows names another
        // thing; the number is not the series before it ("460 more than a day earlier" is).
        let (lex, tokens, to) = (self.lex, self.tokens, self.to);
        let more = tokens
            .get(c.end)
            .is_some_and(|t| lex.function_words.more_words.has(t));
        let k = past_modifiers(lex, tokens, c.end, to);
        let unknown_noun = !more
            && k < to
            && tokens[k].kind == TokKind::Word
            && !lex.is_table_word(&tokens[k])
            && lex.count_units.contains_at(tokens, k, to).is_none();
        if unknown_noun {
            return;
        }
        if let Some(p) = self.cands.iter().rev().find(|p| !p.rejected) {
            if let Some((cat, _)) = &p.category {
                if joined(self.lex, self.tokens, p.end, q_start) {
                    c.category = Some((cat.clone(), Via::Chain));
                }
            }
        }
    }

    /// The figure before, referred to: "including 460 over the past day", "with another 460
    /// falling in the last 24 hours", "the 7,765 claimed by Kyiv", "..., pushing the total to
    /// 1,353,860".
    fn referred(&self, c: &mut Candidate, q_start: usize) {
        let (lex, tokens, from, to) = (self.lex, self.tokens, self.from, self.to);
        let words = &lex.function_words;
        let before = |w: &Words| q_start > from && w.has(&tokens[q_start - 1]);
        let including = lex
            .including
            .longest_ending_at(tokens, q_start.saturating_sub(3).max(from), q_start)
            .is_some()
            || before(&words.another_words)
            || (before(&words.more_openers)
                && tokens
                    .get(c.num.last)
                    .is_some_and(|t| words.more_words.has(t)));
        let claimed = before(&words.definite_articles)
            && lex
                .claim_verbs
                .contains_at(tokens, c.num.last, to)
                .is_some();
        let delta_next = lex.delta_cues.contains_at(tokens, c.num.last, to).is_some();
        // "..., bringing the total to 1,353,860", "with the total number now standing at 80,860",
        // "raising the overall count since the start of the war to 98,400": the total's name may
        // stand a clause away, but no other figure between it and this one.
        let after_last = self
            .cands
            .iter()
            .rev()
            .find(|p| p.category.is_some() && !p.rejected)
            .map_or(from, |p| p.end);
        let total_to = q_start > from
            && lex.total_links.has(&tokens[q_start - 1])
            && (q_start.saturating_sub(12).max(from).max(after_last)..q_start)
                .any(|i| lex.total_nouns.has(&tokens[i]));
        if including
            || claimed
            || total_to
            || (delta_next && q_start > from && tokens[q_start - 1].is(","))
        {
            if let Some(cat) = self
                .cands
                .iter()
                .rev()
                .find_map(|p| p.category.clone().map(|c| c.0))
            {
                c.category = Some((cat, Via::Reference));
            }
        }
    }

    /// Numbers that count no loss whatever their name: a year read through a chain or a
    /// reference, a value above the category's plausible maximum, a count in a negative context
    /// ("19 warships on combat duty"), a name that qualifies another noun ("one tank battalion").
    fn reject(&self, c: &mut Candidate, q_start: usize) {
        let (lex, tokens, from, to) = (self.lex, self.tokens, self.from, self.to);
        let num = &c.num;
        // A year ("Russia's 2025 defence budget") counts something only with a name right after it.
        if year_like(tokens, num) && matches!(c.category, Some((_, Via::Chain | Via::Reference))) {
            c.rejected = true;
        }
        // "5,000,000 submarines" is no loss figure, whatever the sentence says.
        if let Some((cat, _)) = &c.category {
            if cat.max.is_some_and(|m| num.value > m) {
                c.rejected = true;
            }
        }
        if c.category.is_some() && negative_context(lex, tokens, q_start, c.end, from, to) {
            c.rejected = true;
        }
        if matches!(c.category, Some((_, Via::Noun)))
            && c.end < to
            && lex.unit_nouns.contains_at(tokens, c.end, to).is_some()
        {
            c.rejected = true;
        }
        // "56,000 people": a weak name counts losses only where the sentence speaks of them.
        if matches!(&c.category, Some((name, Via::Noun)) if name.weak) && !self.speaks_of_losses {
            c.rejected = true;
        }
    }
}

/// A count in prose is a loss only where the sentence speaks of losses or cites a source, or
/// inherits that context (`in_context`): "some 88 tanks in total" for a pledge is not. List
/// items and lists of three or more named counts carry their context in the heading.
fn reject_out_of_context(
    tokens: &[Token],
    from: usize,
    to: usize,
    cands: &mut [Candidate],
    in_context: bool,
) {
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
    if in_context || list_item || named >= 3 {
        return;
    }
    for c in cands.iter_mut() {
        let list_item =
            (c.num.first.saturating_sub(2).max(from)..=c.num.first).any(|i| tokens[i].line_start);
        if matches!(c.category, Some((_, Via::Noun))) && !list_item {
            c.rejected = true;
        }
    }
}

/// "... taking the totals to 6 840, 13 111, and 10 775 respectively", and the same with
/// "respectively" unsaid ("bringing the totals to 6,534 and 12,425"): numbers without a name of
/// their own take the names of the figures before them, in order.
fn respectively(lex: &Language, tokens: &[Token], from: usize, to: usize, cands: &mut [Candidate]) {
    if let Some(r) = lex.respectively.find(tokens, from, to).map(|(i, _, _)| i) {
        if names_first_respectively(lex, tokens, from, r, cands) {
            return;
        }
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
                named_here(&cands[k]) && !cands[k].rejected && open.first().is_some_and(|&o| k < o)
            })
            .collect();
        if !open.is_empty() {
            name_in_order(cands, &open, &named);
        }
    } else if let Some((p, _, _)) = lex.function_words.respective_totals.find(tokens, from, to) {
        let open: Vec<usize> = (0..cands.len())
            .filter(|&k| !cands[k].rejected && cands[k].num.first > p && !named_here(&cands[k]))
            .collect();
        let named: Vec<usize> = (0..cands.len())
            .filter(|&k| !cands[k].rejected && cands[k].num.last <= p && named_here(&cands[k]))
            .collect();
        if open.len() >= 2 {
            name_in_order(cands, &open, &named);
        }
    }
}

/// A figure with a name of its own beside it ("3,100 tanks", "tanks ‒ 3325").
pub(super) fn named_here(c: &Candidate) -> bool {
    matches!(c.category, Some((_, Via::Noun | Via::Label)))
}

/// Gives the `open` numbers the categories of the `named` ones, in order, when they are as many.
pub(super) fn name_in_order(cands: &mut [Candidate], open: &[usize], named: &[usize]) {
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
pub(super) fn names_first_respectively(
    lex: &Language,
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
        .category_labels
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
pub(super) fn speaks_of_losses(lex: &Language, tokens: &[Token], from: usize, to: usize) -> bool {
    lex.loss_verbs.find(tokens, from, to).is_some()
        || lex.claimants.find(tokens, from, to).is_some()
}

/// Money, percentages, measures, years: numbers that count no losses whatever follows.
pub(super) fn not_a_count(
    lex: &Language,
    tokens: &[Token],
    num: &NumberMatch,
    from: usize,
    to: usize,
) -> bool {
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
        if matches!(p.norm.as_str(), "$" | "€" | "£" | "₴" | "#" | "№")
            || lex.function_words.currency_words.has(p)
        {
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
        if n.is("%") || lex.function_words.measure_words.has(n) {
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
pub(super) fn joined(lex: &Language, tokens: &[Token], from: usize, to: usize) -> bool {
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
pub(super) fn negative_context(
    lex: &Language,
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
