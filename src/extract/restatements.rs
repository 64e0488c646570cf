//! Restatements: an article often says a figure twice, in a headline and in its lede. A mention
//! that had only the document's date takes the date its dated mention states, and a rounded
//! bound ("more than 500K") that restates an exact figure of the article is folded into it, and
//! a headline count that the body gives as the day's change is that change.

use crate::figure::{Figure, Kind, Qualifier};

/// How a figure's sentence says who claims it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ClaimSaid {
    /// The sentence names a claimant.
    Named,
    /// A list item that names none: a summary's point.
    UnnamedListItem,
    Unnamed,
}

/// A summary's points repeat figures that the story credits to someone ("More than 90,000
/// Russian soldiers have been killed, a US general said", then the point "- 90,000 Russian
/// soldiers killed"): a list item that names no claimant, and so took the claimant of the
/// sentences around it or none, takes the claimant of the same figure (category, kind, value,
/// side) where a sentence names one, when all such sentences agree. A sentence of the story
/// that names none ("It said Russia had lost 9,000") may be another source's count of the same
/// size, and keeps its own.
pub(super) fn claim_restatements(figures: &mut [Figure], said: &[ClaimSaid]) {
    type Key = (String, Kind, u64, Option<String>);
    let key = |f: &Figure| -> Key { (f.category.clone(), f.kind, f.value, f.side.clone()) };
    // Per figure: the claimant its named mentions give, or None when they disagree.
    let mut named: std::collections::HashMap<Key, Option<String>> =
        std::collections::HashMap::new();
    for (f, _) in figures
        .iter()
        .zip(said)
        .filter(|(_, &s)| s == ClaimSaid::Named)
    {
        named
            .entry(key(f))
            .and_modify(|c| {
                if *c != f.claimant {
                    *c = None
                }
            })
            .or_insert_with(|| f.claimant.clone());
    }
    let points = figures.iter_mut().zip(said);
    for (f, _) in points.filter(|(_, &s)| s == ClaimSaid::UnnamedListItem) {
        if let Some(Some(claimant)) = named.get(&key(f)) {
            f.claimant = Some(claimant.clone());
        }
    }
}

/// A headline figure ("Russia's troop losses reach 319,210, Kyiv says") is the figure the lede
/// states with its date ("said on Monday that Russia had lost 319,210"): where the same figure
/// (category, kind, value, side, claimant) has a date its sentence states, a mention that only
/// had the document's date takes it.
pub(super) fn date_restatements(figures: &mut [Figure]) {
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
pub(super) fn fold_rounded_bounds(figures: &mut Vec<Figure>) {
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

/// A headline count ("Defenders killed almost 900 invaders") that the body gives as the day's
/// change ("almost 900 invaders over the past day") is that change: a headline drops the words
/// of the period. The headline is the first line that gives figures, among the text's first
/// lines (a page may open with a section's name or a date); only where the body gives no total
/// of that value.
pub(super) fn headline_changes(figures: &mut [Figure]) {
    const HEADLINE_WITHIN: usize = 5;
    let Some(headline) = figures.iter().map(|f| f.line).min() else {
        return;
    };
    if headline > HEADLINE_WITHIN {
        return;
    }
    let same = |a: &Figure, b: &Figure| {
        a.category == b.category
            && a.value == b.value
            && a.qualifier == b.qualifier
            && a.side == b.side
            && a.claimant == b.claimant
    };
    let updates: Vec<(usize, usize)> = figures
        .iter()
        .enumerate()
        .filter(|(_, f)| f.line == headline && f.kind == Kind::Total)
        .filter(|(_, h)| {
            !figures
                .iter()
                .any(|b| b.line > headline && b.kind == Kind::Total && same(b, h))
        })
        .filter_map(|(i, h)| {
            figures
                .iter()
                .position(|b| b.line > headline && b.kind == Kind::Delta && same(b, h))
                .map(|j| (i, j))
        })
        .collect();
    for (i, j) in updates {
        let (days, date, line, basis) = (
            figures[j].days,
            figures[j].date,
            figures[j].line,
            figures[j].date_basis.clone(),
        );
        let h = &mut figures[i];
        h.kind = Kind::Delta;
        h.days = days;
        h.date = date;
        h.date_basis = format!("the same figure as line {line}: {basis}");
    }
}
