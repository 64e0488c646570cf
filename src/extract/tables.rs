//! Tables: what each column of a table holds, from its header ("Category | 14.07.2023 |
//! 13.07.2023 | Change", "Previous  Latest  Change"), and the role of each cell of a row.

use chrono::{Duration, NaiveDate};

use super::dating::no_date_basis;
use super::pairs::Candidate;
use crate::dates::DateMention;
use crate::figure::Kind;
use crate::lexicon::Language;
use crate::text::{TokKind, Token};

/// What a table column holds, from its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    /// A total, of the report date or of the date the header gives.
    Total(Option<NaiveDate>),
    /// A total of so many days before the report ("Previous", "Yesterday", "A week ago").
    Before(i64),
    /// The change ("Change", "24h", "+/-").
    Delta,
}

pub(super) struct TableHeader {
    pub(super) paragraph: usize,
    pub(super) roles: Vec<Role>,
}

/// A header row: two or more column names, at least one of them a date, a change or an earlier
/// day (a plain "Total" header needs no roles).
pub(super) fn header_roles(
    lex: &Language,
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
        let role = column_role(lex, tokens, i, to);
        match role {
            Some((r, n)) => {
                roles.push(r);
                i += n;
            }
            None => i += 1,
        }
    }
    let informative = roles.iter().any(|r| !matches!(r, Role::Total(None)));
    (roles.len() >= 2 && informative).then_some(roles)
}

/// The role of the column whose name starts at `tokens[i]`, and the name's length in tokens.
fn column_role(lex: &Language, tokens: &[Token], i: usize, to: usize) -> Option<(Role, usize)> {
    let words = &lex.function_words;
    let tok = &tokens[i];
    if let Some(n) = words.column_day_before.contains_at(tokens, i, to) {
        Some((Role::Before(1), n))
    } else if let Some(n) = words.column_week_before.contains_at(tokens, i, to) {
        Some((Role::Before(7), n))
    } else if words.column_totals.has(tok) {
        Some((Role::Total(None), 1))
    } else if tok.is("±") || words.column_changes.has(tok) {
        Some((Role::Delta, 1))
    } else if tok.is("+") && i + 1 < to && tokens[i + 1].is("/") {
        Some((Role::Delta, 3))
    } else {
        None
    }
}

/// The role of each figure of a table row: cells are the numbers and the lone dashes that stand
/// for an empty cell ("315   315   –").
pub(super) fn row_roles(
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

/// A row date, with its basis: (date, basis), or no date with the reason.
pub(super) type RowDate = Option<(Option<NaiveDate>, String)>;

/// The kind, span and date a cell's column gives it.
pub(super) fn apply_role(
    role: Role,
    base: &Option<(NaiveDate, String)>,
    unresolved_weekday: &Option<String>,
) -> (Kind, Option<u32>, RowDate) {
    match role {
        Role::Delta => (Kind::Delta, Some(1), None),
        Role::Total(Some(d)) => (
            Kind::Total,
            None,
            Some((Some(d), format!("table column dated {d}"))),
        ),
        Role::Total(None) => (Kind::Total, None, None),
        Role::Before(back) => {
            let date = match base {
                Some((d, b)) => (
                    Some(*d - Duration::days(back)),
                    format!(
                        "table column {} before {d}: {b}",
                        crate::messages::plural(back, "day", "days")
                    ),
                ),
                None => (None, no_date_basis(unresolved_weekday)),
            };
            (Kind::Total, None, Some(date))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_one_day_back_says_one_day() {
        let d = NaiveDate::from_ymd_opt(2023, 7, 15).unwrap();
        let base = Some((d, "header 'x'".to_string()));
        let basis = |back| apply_role(Role::Before(back), &base, &None).2.unwrap().1;
        assert_eq!(basis(1), "table column 1 day before 2023-07-15: header 'x'");
        assert_eq!(
            basis(2),
            "table column 2 days before 2023-07-15: header 'x'"
        );
    }
}
