//! The extractor on any text: no panic, every quote the bytes between its offsets, every figure
//! valid JSON.
#![no_main]

use casrep::extract::{extract, Options};
use casrep::figure::Figure;
use casrep::lexicon::Lexicon;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let figures = extract(Lexicon::builtin(), "2023/02/fuzz.txt", text, &Options::default());
    for f in &figures {
        assert_eq!(&text[f.start..f.end], f.quote);
        let json = serde_json::to_string(f).unwrap();
        let back: Figure = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, f);
    }
});
