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
        TokKind::Num => digits_at(lex, tokens, i, limit),
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

/// A number written in digits at `tokens[i]`, with its multiplier ("1.2 million", "500K",
/// "31,4 tys.") and the thousands a multiplier word may have after it ("24 bin 650").
fn digits_at(lex: &Language, tokens: &[Token], i: usize, limit: usize) -> Option<NumberMatch> {
    let (mut digits, next) = written_digits(lex, tokens, i, limit)?;
    let tok = &tokens[next - 1];
    let suffix_mult = lex.multipliers.get(tok.suffix.as_str()).copied();
    if !tok.suffix.is_empty() && suffix_mult.is_none() {
        // "47th", "24h", "5km": not a count of anything we read.
        return None;
    }
    let (mult, mut last) = match suffix_mult {
        Some(m) => (Some(m), next),
        None => match tokens.get(next) {
            Some(n) if next < limit && n.kind == TokKind::Word && n.start <= tok.end + 1 => {
                match lex.multipliers.get(n.norm.as_str()) {
                    // "k"/"m" only glued or as "500 K"? Only whole words like "million" stand apart.
                    Some(&m) if n.norm.len() > 1 => (Some(m), next + 1),
                    _ => (None, next),
                }
            }
            _ => (None, next),
        },
    };
    if let (Some(_), true) = (mult, lex.decimal_comma) {
        // "1,250 Mio.": before a multiplier, a comma is the decimal one.
        digits = comma_decimal(&tokens[i].norm).unwrap_or(digits);
    }
    let mut value = match (digits, mult) {
        (Digits::Whole(v), None) => v,
        (Digits::Whole(v), Some(m)) => v.checked_mul(m)?,
        // "4.1": a decimal without a multiplier counts nothing.
        (Digits::Decimal { .. }, None) => return None,
        (Digits::Decimal { int, frac, scale }, Some(m)) => int
            .checked_mul(m)?
            .checked_add(frac.checked_mul(m)? / 10u64.checked_pow(scale)?)?,
    };
    let mut rounded = mult.is_some();
    if last > next {
        // The dot of an abbreviated multiplier word ("10 tys.", "1,2 Mio.") belongs to it.
        let word = &tokens[last - 1];
        if last < limit
            && tokens
                .get(last)
                .is_some_and(|d| d.is(".") && d.start == word.end)
        {
            last += 1;
        }
        // "24 bin 650", "1 мільйон 112 460": the thousands written after the multiplier word.
        let m = mult.unwrap_or(1);
        let rest = tokens.get(last).filter(|r| {
            last < limit
                && matches!(digits, Digits::Whole(_))
                && m >= 1000
                && r.kind == TokKind::Num
                && r.suffix.is_empty()
                && r.start <= tokens[last - 1].end + 1
        });
        if let Some(Digits::Whole(w)) = rest.and_then(|r| parse_digits(&r.norm)) {
            if w < m {
                value = value.checked_add(w)?;
                last += 1;
                rounded = false;
            }
        }
    }
    if value > MAX_VALUE {
        return None;
    }
    Some(NumberMatch {
        value,
        first: i,
        last,
        rounded,
        word: false,
    })
}

/// The digits at `tokens[i]` and where they end: one token ("145,060"), or, in a language
/// that writes decimals with a comma, "31,4" and the Swiss "1'208'345" (three tokens or more).
/// The fraction of a decimal comma is no number of its own.
fn written_digits(
    lex: &Language,
    tokens: &[Token],
    i: usize,
    limit: usize,
) -> Option<(Digits, usize)> {
    let tok = &tokens[i];
    let digits = parse_digits(&tok.norm)?;
    if !lex.decimal_comma {
        return Some((digits, i + 1));
    }
    let glued = |k: usize| k < limit && k > 0 && tokens[k].start == tokens[k - 1].end;
    let plain = |t: &Token| {
        t.kind == TokKind::Num && t.suffix.is_empty() && t.norm.bytes().all(|b| b.is_ascii_digit())
    };
    if i >= 2
        && plain(tok)
        && glued(i)
        && tokens[i - 1].is(",")
        && glued(i - 1)
        && plain(&tokens[i - 2])
    {
        return None;
    }
    if !plain(tok) {
        return Some((digits, i + 1));
    }
    let apostrophe = |k: usize| glued(k) && matches!(tokens[k].norm.as_str(), "'" | "’");
    if tok.norm.len() <= 3 && apostrophe(i + 1) {
        // "1'208'345": groups of three after apostrophes.
        let mut text = tok.norm.to_string();
        let mut k = i + 1;
        while apostrophe(k)
            && glued(k + 1)
            && tokens[k + 1].kind == TokKind::Num
            && tokens[k + 1].norm.len() == 3
            && tokens[k + 1].norm.bytes().all(|b| b.is_ascii_digit())
        {
            text.push_str(&tokens[k + 1].norm);
            k += 2;
        }
        if k > i + 1 {
            return Some((Digits::Whole(text.parse().ok()?), k));
        }
    }
    let frac = tokens.get(i + 2).filter(|f| {
        tokens[i + 1].is(",")
            && glued(i + 1)
            && glued(i + 2)
            && f.kind == TokKind::Num
            && f.norm.len() <= 2
            && f.norm.bytes().all(|b| b.is_ascii_digit())
    });
    if let Some(f) = frac {
        let Digits::Whole(int) = digits else {
            return Some((digits, i + 1));
        };
        return Some((
            Digits::Decimal {
                int,
                frac: f.norm.parse().ok()?,
                scale: f.norm.len() as u32,
            },
            i + 3,
        ));
    }
    Some((digits, i + 1))
}

/// "1,250" read with a decimal comma: 1.25.
fn comma_decimal(s: &str) -> Option<Digits> {
    let (int, frac) = s.split_once(',')?;
    if frac.contains(',') || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(Digits::Decimal {
        int: int.parse().ok()?,
        frac: frac.parse().ok()?,
        scale: frac.len() as u32,
    })
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

    /// A small table of a language that writes decimals with a comma.
    fn comma_language() -> &'static Lexicon {
        static LEX: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
        LEX.get_or_init(|| {
            let table = r#"{"decimal_comma": true,
                "multipliers": {"tys": 1000, "mio": 1000000, "million": 1000000, "bin": 1000}}"#;
            Lexicon::from_texts(&[("xx".to_string(), table.to_string())], None).unwrap()
        })
    }

    /// The value of the number at the start of `s` in the comma language, and how many tokens
    /// it takes.
    fn comma_value(s: &str) -> Option<(u64, usize)> {
        let lex = comma_language().language("xx").unwrap();
        let t = tokenize(s).tokens;
        number_at(lex, &t, 0, t.len()).map(|m| (m.value, m.last))
    }

    #[test]
    fn a_decimal_comma_before_a_multiplier() {
        assert_eq!(comma_value("31,4 tys"), Some((31_400, 4)));
        assert_eq!(comma_value("1,25 million"), Some((1_250_000, 4)));
        // Before a multiplier, "1,250" is a decimal too.
        assert_eq!(comma_value("1,250 million"), Some((1_250_000, 2)));
        // Without one, it groups thousands.
        assert_eq!(comma_value("1,250 soldiers"), Some((1_250, 1)));
        // English reads the comma as a thousands separator, and "31,4" as 31.
        assert_eq!(value("31,4"), Some(31));
    }

    #[test]
    fn a_decimal_comma_without_a_multiplier_counts_nothing() {
        assert_eq!(comma_value("21,3 %"), None);
        // Nor is its fraction a number of its own.
        let lex = comma_language().language("xx").unwrap();
        let t = tokenize("21,3").tokens;
        assert_eq!(number_at(lex, &t, 2, t.len()), None);
    }

    #[test]
    fn the_dot_of_an_abbreviated_multiplier_belongs_to_the_number() {
        assert_eq!(comma_value("10 tys. soldiers"), Some((10_000, 3)));
        assert_eq!(comma_value("1,2 mio. soldiers"), Some((1_200_000, 5)));
    }

    #[test]
    fn thousands_after_a_multiplier_word() {
        assert_eq!(comma_value("24 bin 650 asker"), Some((24_650, 3)));
        let lex = comma_language().language("xx").unwrap();
        let t = tokenize("1 million 112 460").tokens;
        let m = number_at(lex, &t, 0, t.len()).unwrap();
        assert_eq!((m.value, m.rounded), (1_112_460, false));
        // A larger number after the word is another number.
        assert_eq!(comma_value("2 bin 3000"), Some((2_000, 2)));
    }

    #[test]
    fn swiss_apostrophes_group_thousands() {
        assert_eq!(comma_value("1'208'345"), Some((1_208_345, 5)));
        assert_eq!(comma_value("64\u{2019}318 drones"), Some((64_318, 3)));
        // Not in English, nor when the groups are not of three digits.
        assert_eq!(value("1'208"), Some(1));
        assert_eq!(comma_value("12'5"), Some((12, 1)));
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
