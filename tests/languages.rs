//! A language is data: a table written by a user, in a folder of its own, is read with
//! `--lang-file` and no change to the code, and only in articles written in that language.

mod util;

use std::fs;

use serde_json::Value;

use util::casrep;

/// A small Dutch table: category names with their endings, a hedge, months, a change cue.
const DUTCH: &str = r#"{
  "_comment": "A small Dutch table for the test.",
  "language": {"name": "Dutch", "whatlang": "nld"},
  "endings": {"n": ["", "s", "en"]},
  "categories": {
    "personnel": ["soldat{en|}", "militair{en|}"],
    "tanks": ["tank{n}"],
    "artillery": ["artilleriesysteem", "artilleriesystemen"]
  },
  "qualifiers": {"about": ["ongeveer", "circa"]},
  "months": {"januari": 1, "februari": 2, "maart": 3},
  "claimants": {"ukraine": ["generale staf"]},
  "loss_verbs": ["verloren", "verloor"],
  "delta_cues": ["in het afgelopen etmaal"]
}"#;

const ARTICLE: &str = "Volgens de Oekraïense generale staf heeft Rusland sinds het begin van de \
oorlog ongeveer 145.060 soldaten verloren, evenals 3.334 tanks en 2.345 artilleriesystemen. In het \
afgelopen etmaal verloor het leger 12 tanks.\n";

fn figures(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_language_file_of_ones_own_is_read_without_a_code_change() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("tables").join("nl.json");
    fs::create_dir_all(table.parent().unwrap()).unwrap();
    fs::write(&table, DUTCH).unwrap();
    let article = dir.path().join("artikel.txt");
    fs::write(&article, ARTICLE).unwrap();

    let out = casrep()
        .args(["extract", "--lang-file"])
        .arg(&table)
        .arg(&article)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Vec<(String, String, u64, String)> = figures(&out.stdout)
        .iter()
        .map(|f| {
            (
                f["category"].as_str().unwrap().to_owned(),
                f["kind"].as_str().unwrap().to_owned(),
                f["value"].as_u64().unwrap(),
                f["lang"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let nl = |c: &str, k: &str, v: u64| (c.to_owned(), k.to_owned(), v, "nl".to_owned());
    assert_eq!(
        got,
        [
            nl("personnel", "total", 145060),
            nl("tanks", "total", 3334),
            nl("artillery", "total", 2345),
            nl("tanks", "delta", 12),
        ]
    );

    // Without the table, the article is no English: none of its words are read as English
    // (the built-in language nearest to Dutch, German, may read the words it shares).
    let out = casrep().arg("extract").arg(&article).output().unwrap();
    assert!(out.status.success());
    let read = figures(&out.stdout);
    assert!(
        read.iter().all(|f| f["lang"] != "en" && f["lang"] != "nl"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_language_file_with_a_bad_name_or_entry_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let bad_name = dir.path().join("Dutch table.json");
    fs::write(&bad_name, DUTCH).unwrap();
    let out = casrep()
        .args(["extract", "--lang-file"])
        .arg(&bad_name)
        .arg("-")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Dutch table.json"));

    let bad_entry = dir.path().join("nl.json");
    fs::write(&bad_entry, r#"{"categories": {"tankz": ["tank"]}}"#).unwrap();
    let out = casrep()
        .args(["extract", "--lang-file"])
        .arg(&bad_entry)
        .arg("-")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nl.json") && err.contains("tankz"), "{err}");
}

#[test]
fn lang_forces_the_language_and_an_unknown_code_is_refused() {
    let out = casrep()
        .args(["extract", "--lang", "xx", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("\"xx\"") && err.contains("en"), "{err}");
}
