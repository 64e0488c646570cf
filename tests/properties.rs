//! Laws that hold for any input: extraction never panics, every quote is the text between its
//! offsets, every figure serialises to JSON and back, the number and date parsers never panic,
//! and normalising a word twice changes nothing. The toolchain here cannot run cargo-fuzz's
//! sanitizers on stable Rust, so these properties are the fuzzing suite that runs with
//! `cargo test`; `fuzz/` holds the cargo-fuzz targets for a longer run.

use casrep::dates::{find_dates, parse_numeric_date, path_date};
use casrep::extract::{extract, Options};
use casrep::figure::Figure;
use casrep::lexicon::Lexicon;
use casrep::numbers::{number_at, parse_digits, MAX_VALUE};
use casrep::text::{normalise_word, tokenize};
use proptest::prelude::*;

/// Pieces of real articles, shuffled into text that reaches deep into the extractor.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Russia has lost ".to_string()),
        Just(" tanks".to_string()),
        Just(" troops".to_string()),
        Just(" armoured fighting vehicles".to_string()),
        Just(" vehicles and fuel tanks".to_string()),
        Just("особового складу ‒ близько ".to_string()),
        Just(" (+".to_string()),
        Just(")".to_string()),
        Just(", ".to_string()),
        Just(". ".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\n\n".to_string()),
        Just("| ".to_string()),
        Just(" ........ ".to_string()),
        Just("about ".to_string()),
        Just("more than ".to_string()),
        Just("by ".to_string()),
        Just(" overnight to ".to_string()),
        Just(" respectively".to_string()),
        Just("the figure was ".to_string()),
        Just(" a week earlier".to_string()),
        Just(" the previous day".to_string()),
        Just("as of Thursday".to_string()),
        Just("between Tuesday and Wednesday".to_string()),
        Just("on day 451 of the invasion".to_string()),
        Just("from 24.02.22 to 21.02.23".to_string()),
        Just("Published: 2023-02-22\n".to_string()),
        Just("KYIV, Feb 7 (Reuters) - ".to_string()),
        Just("four ".to_string()),
        Just("twenty-eight ".to_string()),
        Just("1.2 million ".to_string()),
        Just("500K ".to_string()),
        Just("~".to_string()),
        Just("Category  Previous  Latest  Change\n".to_string()),
        Just("the General Staff said".to_string()),
        Just("the United States estimates".to_string()),
        "[0-9]{1,3}([ ,.\u{a0}\u{2009}][0-9]{3}){0,3}",
        "[0-9]{1,25}",
        "\\PC{0,12}",
    ]
}

fn article() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..60).prop_map(|v| v.concat())
}

fn check_figures(text: &str, figures: &[Figure]) {
    let mut last = 0;
    for f in figures {
        assert!(
            f.start <= f.end && f.end <= text.len(),
            "offsets out of range: {f:?}"
        );
        assert_eq!(&text[f.start..f.end], f.quote);
        // The sentence holds the figure as written, whitespace collapsed, within its bound.
        let quote = f.quote.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(f.sentence.chars().count() <= 600, "{f:?}");
        assert!(
            f.sentence.contains(&quote) || quote.chars().count() > 598,
            "sentence without its figure: {f:?}"
        );
        assert!(f.start >= last, "figures out of order");
        last = f.start;
        assert!(f.value <= MAX_VALUE);
        let json = serde_json::to_string(f).unwrap();
        let back: Figure = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, f);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn extraction_never_panics_on_any_text(text in "\\PC{0,400}") {
        let figures = extract(Lexicon::builtin(), "x.txt", &text, &Options::default());
        check_figures(&text, &figures);
    }

    #[test]
    fn extraction_never_panics_on_article_like_text(text in article(), path in "[a-z0-9/_-]{0,30}\\.txt") {
        let figures = extract(Lexicon::builtin(), &path, &text, &Options::default());
        check_figures(&text, &figures);
    }

    #[test]
    fn extraction_is_the_same_twice(text in article()) {
        let a = extract(Lexicon::builtin(), "x.txt", &text, &Options::default());
        let b = extract(Lexicon::builtin(), "x.txt", &text, &Options::default());
        prop_assert_eq!(a, b);
    }

    #[test]
    fn number_parsers_never_panic(s in "[0-9 ,.\u{a0}\u{2009}kKmM]{0,40}") {
        let _ = parse_digits(&s);
        let t = tokenize(&s).tokens;
        for i in 0..t.len() {
            if let Some(n) = number_at(Lexicon::builtin().language("en").unwrap(), &t, i, t.len()) {
                prop_assert!(n.value <= MAX_VALUE);
                prop_assert!(n.first < n.last && n.last <= t.len());
            }
        }
    }

    #[test]
    fn date_parsers_never_panic(s in "[0-9./T:+-]{0,30}", words in "\\PC{0,60}", path in "\\PC{0,60}") {
        let _ = parse_numeric_date(&s);
        let t = tokenize(&words).tokens;
        for d in find_dates(Lexicon::builtin().language("en").unwrap(), &t, 0, t.len()) {
            prop_assert!(d.first < d.last && d.last <= t.len());
        }
        let _ = path_date(Lexicon::builtin().language("en").unwrap(), &path);
    }

    #[test]
    fn normalising_twice_changes_nothing(w in "\\PC{0,20}") {
        let once = normalise_word(&w);
        prop_assert_eq!(normalise_word(&once), once);
    }

    #[test]
    fn any_alias_file_is_accepted_or_refused_without_panic(json in "\\PC{0,80}") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("aliases.json");
        std::fs::write(&path, json).unwrap();
        let _ = Lexicon::load(Some(&path));
    }
}

#[test]
fn an_overflowing_number_is_no_figure() {
    let text = "Russia has lost 99999999999999999999999 tanks and 3,334 tanks, Kyiv said.";
    let figures = extract(Lexicon::builtin(), "x.txt", text, &Options::default());
    assert_eq!(figures.iter().map(|f| f.value).collect::<Vec<_>>(), [3334]);
}

#[test]
fn thousands_of_figures_in_one_file() {
    let mut text = String::new();
    for i in 0..5000 {
        text.push_str(&format!("Kyiv said Russia has lost {} tanks.\n", 1000 + i));
    }
    let figures = extract(Lexicon::builtin(), "x.txt", &text, &Options::default());
    assert_eq!(figures.len(), 5000);
    check_figures(&text, &figures);
}

#[test]
fn a_line_of_megabytes_is_read() {
    let mut text = "Kyiv said Russia has lost 3,334 tanks, ".repeat(50_000);
    text.push('.');
    assert!(text.len() > 1 << 20);
    let figures = extract(Lexicon::builtin(), "x.txt", &text, &Options::default());
    assert_eq!(figures.len(), 50_000);
    check_figures(&text, &figures);
}
