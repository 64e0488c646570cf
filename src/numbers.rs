//! Numbers as articles write them: "145,060", "145 060" (plain, no-break or thin space), "145060",
//! "974.770", "1.2 million", "500K", number words ("four", "twenty-eight"), and signed deltas "+9".

use crate::lexicon::Language;
use crate::text::{TokKind, Token};

/// A number found at a token position.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberMatch {
    pub value: u64,
    /// Token range [first, last).
    pub first: usize,
    pub last: usize,
    /// Written with a multiplier ("1.2 million", "500K"): a rounded number.
    pub rounded: bool,
    /// Written as a word ("four").
    pub word: bool,
}

/// The largest value casrep accepts; anything larger is not a loss figure (and would not fit).
pub const MAX_VALUE: u64 = 100_000_000;

/// Digits as written: a whole number, or a decimal that needs a multiplier ("1.2 million").
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Digits {
    Whole(u64),
    Decimal { int: u64, frac: u64, scale: u32 },
}

/// Parse digits with thousands separators; None if it overflows.
pub fn parse_digits(s: &str) -> Option<Digits> {
    let cleaned: String = s
        .chars()
        .filter(|c| {
            !matches!(
                c,
                ',' | ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}' | '\u{2007}'
            )
        })
        .collect();
    let groups: Vec<&str> = cleaned.split('.').collect();
    match groups.as_slice() {
        [whole] => whole.parse().ok().map(Digits::Whole),
        // "974.770", "1.103.580": dots that group thousands.
        [first, rest @ ..] if first.len() <= 3 && rest.iter().all(|g| g.len() == 3) => {
            groups.concat().parse().ok().map(Digits::Whole)
        }
        [int, frac] => Some(Digits::Decimal {
            int: int.parse().ok()?,
            frac: frac.parse().ok()?,
            scale: frac.len() as u32,
        }),
        _ => None,
    }
}

/// The number starting at `tokens[i]`, if any. `limit` bounds the tokens that may be read.
pub fn number_at(lex: &Language, tokens: &[Token], i: usize, limit: usize) -> Option<NumberMatch> {
    let tok = tokens.get(i)?;
    match tok.kind {
        TokKind::Num => {
            let digits = parse_digits(&tok.norm)?;
            let suffix_mult = lex.multipliers.get(tok.suffix.as_str()).copied();
            if !tok.suffix.is_empty() && suffix_mult.is_none() {
                // "47th", "24h", "5km": not a count of anything we read.
                return None;
            }
            let (mult, last) = match suffix_mult {
                Some(m) => (Some(m), i + 1),
                None => match tokens.get(i + 1) {
                    Some(n)
                        if i + 1 < limit && n.kind == TokKind::Word && n.start <= tok.end + 1 =>
                    {
                        match lex.multipliers.get(n.norm.as_str()) {
                            // "k"/"m" only glued or as "500 K"? Only whole words like "million" stand apart.
                            Some(&m) if n.norm.len() > 1 => (Some(m), i + 2),
                            _ => (None, i + 1),
                        }
                    }
                    _ => (None, i + 1),
                },
            };
            let value = match (digits, mult) {
                (Digits::Whole(v), None) => v,
                (Digits::Whole(v), Some(m)) => v.checked_mul(m)?,
                // "4.1": a decimal without a multiplier counts nothing.
                (Digits::Decimal { .. }, None) => return None,
                (Digits::Decimal { int, frac, scale }, Some(m)) => int
                    .checked_mul(m)?
                    .checked_add(frac.checked_mul(m)? / 10u64.checked_pow(scale)?)?,
            };
            if value > MAX_VALUE {
                return None;
            }
            Some(NumberMatch {
                value,
                first: i,
                last,
                rounded: mult.is_some(),
                word: false,
            })
        }
        TokKind::Word => {
            let (n, v) = lex.number_words.longest_at(tokens, i, limit)?;
            let last = i + n;
            // "twenty-eight": tens, a glued hyphen, units.
            if *v >= 20
                && v % 10 == 0
                && last + 1 < limit
                && tokens[last].is("-")
                && tokens[last].start == tokens[last - 1].end
            {
                if let Some((1, &u)) = lex.number_words.longest_at(tokens, last + 1, limit) {
                    if (1..10).contains(&u) {
                        return Some(NumberMatch {
                            value: v + u,
                            first: i,
                            last: last + 2,
                            rounded: false,
                            word: true,
                        });
                    }
                }
            }
            Some(NumberMatch {
                value: *v,
                first: i,
                last,
                rounded: false,
                word: true,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;
    use crate::text::tokenize;

    fn value(s: &str) -> Option<u64> {
        let lex = Lexicon::builtin().language("en").unwrap();
        let t = tokenize(s).tokens;
        number_at(lex, &t, 0, t.len()).map(|m| m.value)
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(value("145,060"), Some(145060));
        assert_eq!(value("145 060"), Some(145060));
        assert_eq!(value("145\u{a0}060"), Some(145060));
        assert_eq!(value("145\u{2009}060"), Some(145060));
        assert_eq!(value("145060"), Some(145060));
        assert_eq!(value("974.770"), Some(974770));
        assert_eq!(value("1.103.580"), Some(1103580));
    }

    #[test]
    fn multipliers_and_decimals() {
        assert_eq!(value("1.2 million"), Some(1_200_000));
        assert_eq!(value("500K"), Some(500_000));
        assert_eq!(value("4.1"), None);
    }

    #[test]
    fn number_words() {
        assert_eq!(value("four"), Some(4));
        assert_eq!(value("twenty-eight"), Some(28));
        assert_eq!(value("one"), Some(1));
    }

    #[test]
    fn ordinals_and_units_are_not_counts() {
        assert_eq!(value("47th"), None);
        assert_eq!(value("24h"), None);
    }

    #[test]
    fn overflow_is_no_number() {
        assert_eq!(value("99999999999999999999999"), None);
        assert_eq!(value("999999999"), None);
    }
}
