//! Attribution: who says so (the claimant) and whose losses a figure counts (the side). A
//! claimant named in the figure's clause wins, then the nearest one in its sentence, then the one
//! carried from the sentences before (see `scopes`), then the article's own Ukrainian source.

use crate::dates;
use crate::lexicon::Language;
use crate::text::{TokKind, Token};

/// Kyiv, when the article cites a Ukrainian source anywhere.
pub(super) fn document_claimant(lex: &Language, tokens: &[Token]) -> Option<String> {
    lex.claimants
        .matches(tokens, 0, tokens.len())
        .any(|(_, _, who)| who == "ukraine")
        .then(|| "ukraine".to_string())
}

/// Token positions where a sentence turns to another source ("compared with", "while", ";").
pub(super) fn clause_breaks(
    lex: &Language,
    tokens: &[Token],
    from: usize,
    to: usize,
) -> Vec<usize> {
    (from..to)
        .filter(|&i| {
            tokens[i].is(";")
                || (lex.function_words.clause_breaks)
                    .contains_at(tokens, i, tokens.len())
                    .is_some()
        })
        .collect()
}

/// Whether tokens[at..at + n] is the place of a dateline ("WASHINGTON, Nov. 7 (Baltic
/// Newsroom) –", "LONDON (Reuters) -", "Washington, 15 July 2026 –"): at the start of a line,
/// in capitals before a comma, a bracket or a dash, or in any case before a comma and a date.
/// Where a story was filed says nothing of whose figures it reports.
pub(super) fn is_dateline_place(
    lex: &Language,
    text: &str,
    tokens: &[Token],
    at: usize,
    n: usize,
) -> bool {
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

pub(super) fn figure_claimant(
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

pub(super) fn side_from_phrases(
    lex: &Language,
    tokens: &[Token],
    from: usize,
    pos: usize,
) -> Option<String> {
    lex.side_phrases
        .matches(tokens, from, pos)
        .last()
        .map(|(_, _, s)| s.clone())
}
