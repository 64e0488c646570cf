//! The timeline reader of `--merge` on any bytes, as casrep reads a file: no panic; a timeline
//! it accepts merges with itself, and written out reads back to the same bytes.
#![no_main]

use casrep::figure::check_json_dates;
use casrep::timeline;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if check_json_dates(text).is_err() {
        return;
    }
    let Ok(t) = timeline::from_json(text) else { return };
    let mut once = Vec::new();
    timeline::write_json(&t, &mut once).unwrap();
    let again = timeline::from_json(std::str::from_utf8(&once).unwrap()).unwrap();
    let merged = timeline::merge(vec![t, again]);
    let mut twice = Vec::new();
    timeline::write_json(&merged, &mut twice).unwrap();
    assert_eq!(once, twice, "merging a timeline into itself changed it");
});
