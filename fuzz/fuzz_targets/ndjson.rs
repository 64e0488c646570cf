//! The NDJSON reader of `timeline` on any bytes: lines of bounded length, each a figure or a
//! problem, never a panic; the figures it accepts build a timeline.
#![no_main]

use casrep::ndjson::{parse_figure, NdjsonLines};
use casrep::timeline;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut lines = NdjsonLines::new(data);
    let mut figures = Vec::new();
    while let Ok(Some((number, line))) = lines.next_line() {
        assert!(number >= 1);
        if let Ok(Some(figure)) = parse_figure(line) {
            figures.push(figure);
        }
    }
    let t = timeline::build(figures);
    let mut out = Vec::new();
    timeline::write_json(&t, &mut out).unwrap();
});
