//! The number and date parsers on any text: no panic, matches inside the token range.
#![no_main]

use casrep::dates::{find_dates, parse_numeric_date, path_date};
use casrep::lexicon::Lexicon;
use casrep::numbers::{number_at, parse_digits, MAX_VALUE};
use casrep::text::tokenize;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let lex = Lexicon::builtin().language("en").unwrap();
    let _ = parse_digits(s);
    let _ = parse_numeric_date(s);
    let _ = path_date(lex, s);
    let t = tokenize(s).tokens;
    for i in 0..t.len() {
        if let Some(n) = number_at(lex, &t, i, t.len()) {
            assert!(n.value <= MAX_VALUE && n.first < n.last && n.last <= t.len());
        }
    }
    for d in find_dates(lex, &t, 0, t.len()) {
        assert!(d.first < d.last && d.last <= t.len());
    }
});
