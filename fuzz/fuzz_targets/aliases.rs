//! The alias loader (`--aliases FILE`) on any text: a refusal or a lexicon, never a panic; a
//! lexicon it accepts reads an article.
#![no_main]

use casrep::extract::{extract, Options};
use casrep::lexicon::Lexicon;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(lex) = Lexicon::with_aliases(text) else { return };
    let article = "Published: 2023-02-22\n\nRussia has lost 3,334 tanks and 12 heavy armour units.\n";
    for f in extract(&lex, "a.txt", article, &Options::default()) {
        assert_eq!(&article[f.start..f.end], f.quote);
    }
});
