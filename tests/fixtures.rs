//! The fixture articles against their hand-made annotations, and their full output as snapshots.
//!
//! `fixtures/articles/NAME.txt` are articles we wrote in the styles real outlets use;
//! `fixtures/expected/NAME.ndjson` lists, one per line, every figure a careful reader extracts
//! (category, kind, value, qualifier, side, claimant, date). A line may carry
//! `"known_gap": "why"`: a figure casrep does not yet get right (the test checks it is still
//! missing, so a fix has to update the annotation), or `"unwanted": "why"`: a figure casrep emits
//! that a careful reader would not. The full NDJSON output of each article is kept as an insta
//! snapshot in tests/snapshots, so any change to offsets, quotes or date bases shows in review.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use casrep::extract::{extract, Options};
use casrep::figure::Figure;
use casrep::lexicon::Lexicon;
use serde_json::Value;

fn articles() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "txt") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(Path::new("fixtures/articles"), &mut out);
    assert!(out.len() >= 30, "the fixtures are missing");
    out
}

fn run(path: &Path) -> Vec<Figure> {
    let text = fs::read_to_string(path).unwrap();
    extract(
        Lexicon::builtin(),
        &path.to_string_lossy(),
        &text,
        &Options::default(),
    )
}

/// The fields a reader annotates, as one comparable string.
fn key(v: &Value) -> String {
    let f = |k: &str| v.get(k).cloned().unwrap_or(Value::Null).to_string();
    [
        f("category"),
        f("kind"),
        f("value"),
        f("qualifier"),
        f("side"),
        f("claimant"),
        f("date"),
    ]
    .join(" ")
}

fn expected_path(article: &Path) -> PathBuf {
    let rel = article.strip_prefix("fixtures/articles").unwrap();
    Path::new("fixtures/expected")
        .join(rel)
        .with_extension("ndjson")
}

#[test]
fn every_annotated_figure_is_found_and_nothing_else() {
    let mut problems = Vec::new();
    for article in articles() {
        let got: Vec<String> = run(&article)
            .iter()
            .map(|f| key(&serde_json::to_value(f).unwrap()))
            .collect();
        let mut produced: BTreeMap<String, usize> = BTreeMap::new();
        for k in &got {
            *produced.entry(k.clone()).or_default() += 1;
        }
        let exp_path = expected_path(&article);
        let text = fs::read_to_string(&exp_path)
            .unwrap_or_else(|_| panic!("{} has no annotation", article.display()));
        let mut unwanted = Vec::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}: {e}", exp_path.display()));
            let k = key(&v);
            let have = produced.get(&k).copied().unwrap_or(0);
            if v.get("unwanted").is_some() {
                unwanted.push(k);
            } else if v.get("known_gap").is_some() {
                if have > 0 {
                    problems.push(format!(
                        "{}: known gap now found, update the annotation: {k}",
                        article.display()
                    ));
                }
            } else if have == 0 {
                problems.push(format!("{}: missed {k}", article.display()));
            } else {
                produced.insert(k, have - 1);
            }
        }
        for k in unwanted {
            match produced.get(&k).copied().unwrap_or(0) {
                0 => problems.push(format!(
                    "{}: unwanted figure no longer emitted, update the annotation: {k}",
                    article.display()
                )),
                n => {
                    produced.insert(k, n - 1);
                }
            }
        }
        for (k, n) in produced {
            for _ in 0..n {
                problems.push(format!("{}: extra {k}", article.display()));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_quote_is_the_text_between_its_offsets() {
    for article in articles() {
        let text = fs::read_to_string(&article).unwrap();
        for f in run(&article) {
            assert_eq!(&text[f.start..f.end], f.quote, "{}", article.display());
            let line = text[..f.start].matches('\n').count() + 1;
            assert_eq!(f.line, line, "{}: {}", article.display(), f.quote);
        }
    }
}

#[test]
fn output_snapshots() {
    for article in articles() {
        let mut out = String::new();
        for f in run(&article) {
            out.push_str(&serde_json::to_string(&f).unwrap());
            out.push('\n');
        }
        let name = article
            .strip_prefix("fixtures/articles")
            .unwrap()
            .to_string_lossy()
            .replace(['/', '\\'], "__");
        insta::with_settings!({snapshot_path => "snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(name, out);
        });
    }
}
