//! Every language's examples (`data/lang/CODE.examples.json`): short sentences of our own, each
//! with every figure it must give, or none. A word-table entry or a rule comes with its
//! examples there, so a reader sees what it is for; this one harness runs them all.
//!
//! An example: `{"text": "...", "figures": [{"category": "tanks", "kind": "total", "value":
//! 3350}], "date": "2023-02-22"}`. Each expected figure names what it checks: category, kind
//! and value always; `date`, `days`, `qualifier`, `side` and `claimant` when given (`date`:
//! null means the figure must stay undated). The figures given must be exactly the figures
//! extracted, in order. `date` beside `text` is the `--date` of the article; `why` says what
//! the example shows. An example casrep does not get right yet says so with `"gap": "why"`: it
//! must still fail (the harness says when it passes, so the mark is removed), and the count of
//! gaps is printed.

use std::path::Path;

use casrep::extract::{extract, Options};
use casrep::lexicon::Lexicon;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "_comment")]
    _comment: Option<String>,
    examples: Vec<Example>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Example {
    text: String,
    figures: Vec<serde_json::Map<String, Value>>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    why: Option<String>,
    /// Why casrep does not give these figures yet.
    #[serde(default)]
    gap: Option<String>,
}

/// The fields an expected figure may check.
const CHECKED: &[&str] = &[
    "category",
    "kind",
    "value",
    "date",
    "days",
    "qualifier",
    "side",
    "claimant",
];

/// What went wrong with one example, or nothing.
fn check(lexicon: &Lexicon, code: &str, n: usize, ex: &Example) -> Option<String> {
    let opts = Options {
        date: ex
            .date
            .as_deref()
            .map(|d| d.parse().expect("an example's date")),
        lang: Some(code.to_string()),
        ..Options::default()
    };
    let got: Vec<Value> = extract(lexicon, "example.txt", &ex.text, &opts)
        .iter()
        .map(|f| serde_json::to_value(f).unwrap())
        .collect();
    let shown = |fields: &serde_json::Map<String, Value>, f: &Value| -> Value {
        Value::Object(
            fields
                .keys()
                .map(|k| (k.clone(), f.get(k).cloned().unwrap_or(Value::Null)))
                .collect(),
        )
    };
    let same = got.len() == ex.figures.len()
        && ex
            .figures
            .iter()
            .zip(&got)
            .all(|(want, f)| want.iter().all(|(k, v)| f.get(k) == Some(v)));
    if same {
        return None;
    }
    let mut msg = format!(
        "{code} example {n}{}: {:?}\n  expected:",
        ex.why
            .as_ref()
            .map(|w| format!(" ({w})"))
            .unwrap_or_default(),
        ex.text
    );
    for want in &ex.figures {
        msg.push_str(&format!("\n    {}", Value::Object(want.clone())));
    }
    msg.push_str("\n  got:");
    let keys: serde_json::Map<String, Value> = CHECKED
        .iter()
        .take(3)
        .map(|k| (k.to_string(), Value::Null))
        .collect();
    for (i, f) in got.iter().enumerate() {
        let fields = ex.figures.get(i).unwrap_or(&keys);
        msg.push_str(&format!("\n    {}  {:?}", shown(fields, f), f["quote"]));
    }
    Some(msg)
}

#[test]
fn every_language_gives_the_figures_of_its_examples() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/lang");
    let lexicon = Lexicon::builtin();
    let mut failures = Vec::new();
    let mut gaps = 0;
    let mut count = 0;
    for lang in lexicon.languages() {
        let path = dir.join(format!("{}.examples.json", lang.code));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: every language has examples: {e}", path.display()));
        let file: File =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(!file.examples.is_empty(), "{}: no examples", path.display());
        for (n, ex) in file.examples.iter().enumerate() {
            for want in &ex.figures {
                for k in want.keys() {
                    assert!(
                        CHECKED.contains(&k.as_str()),
                        "{}: example {n}: unknown field {k}",
                        path.display()
                    );
                }
                for k in &CHECKED[..3] {
                    assert!(
                        want.contains_key(*k),
                        "{}: example {n}: a figure needs {k}",
                        path.display()
                    );
                }
            }
            count += 1;
            let failure = check(lexicon, &lang.code, n, ex);
            match (&ex.gap, failure) {
                (None, failure) => failures.extend(failure),
                (Some(_), Some(_)) => gaps += 1,
                (Some(gap), None) => failures.push(format!(
                    "{} example {n} passes but is marked as a gap ({gap}): remove the mark",
                    lang.code
                )),
            }
        }
    }
    eprintln!("examples: {count}, of which {gaps} known gaps");
    assert!(
        failures.is_empty(),
        "{} of {count} examples fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
