//! `casrep timeline` on temporary folders: what `--merge` accepts and refuses, and how it says
//! so (stderr names the file, the item and what to do; stdout stays empty; status 2).

mod util;

use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use serde_json::Value;

use util::{casrep, stdout_of, write_files};

fn articles(dir: &Path) -> PathBuf {
    let files = [(
        "a/2023-02-22-report.txt".to_owned(),
        "Russia has lost 145,060 troops and 3,334 tanks in Ukraine since the beginning of its \
         full-scale invasion, the General Staff of Ukraine's Armed Forces reported.\n"
            .to_owned(),
    )];
    write_files(&dir.join("articles"), &files);
    dir.join("articles")
}

/// A timeline of the articles, changed by `edit`, written to `losses.json`.
fn edited_timeline(dir: &Path, edit: impl Fn(&mut Value)) -> PathBuf {
    let json = stdout_of(casrep().arg("timeline").arg(articles(dir)));
    let mut t: Value = serde_json::from_str(&json).unwrap();
    edit(&mut t);
    let path = dir.join("losses.json");
    fs::write(&path, serde_json::to_string_pretty(&t).unwrap()).unwrap();
    path
}

/// `timeline --merge FILE --output FILE` is refused with status 2, naming the file and the
/// problem, and FILE is left as it was.
fn refused(dir: &Path, file: &Path, problem: &str) {
    let before = fs::read(file).unwrap();
    casrep()
        .arg("timeline")
        .arg(dir.join("articles"))
        .arg("--merge")
        .arg(file)
        .arg("--output")
        .arg(file)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with(format!(
            "casrep: {}: ",
            file.display()
        )))
        .stderr(predicate::str::contains(problem))
        .stderr(predicate::str::contains("PointIn").not());
    assert_eq!(fs::read(file).unwrap(), before);
}

#[test]
fn merge_refuses_a_total_above_the_categorys_plausible_maximum() {
    let dir = tempfile::tempdir().unwrap();
    let file = edited_timeline(dir.path(), |t| {
        t["timeline"][0]["totals"]["tanks"] = Value::from(9_999_999u64);
    });
    refused(
        dir.path(),
        &file,
        "total tanks 9999999 on 2023-02-22 (claimant ukraine, side russia) is above the largest \
         plausible count, 100000",
    );
}

#[test]
fn merge_refuses_a_control_character_in_a_claimant() {
    let dir = tempfile::tempdir().unwrap();
    let file = edited_timeline(dir.path(), |t| {
        t["timeline"][0]["claimant"] = Value::from("ukraine\u{1b}[2J");
    });
    refused(
        dir.path(),
        &file,
        "timeline[0]: claimant \"ukraine\\u{1b}[2J\" holds a control or invisible character",
    );
}

#[test]
fn a_wrong_item_is_named_with_its_place_and_what_it_should_be() {
    let dir = tempfile::tempdir().unwrap();
    let file = edited_timeline(dir.path(), |t| {
        t["timeline"][0] = Value::from(5);
    });
    refused(
        dir.path(),
        &file,
        "timeline[0]: line 8, column 5: invalid type: integer `5`, expected a point: an object \
         with date, side, claimant, totals, deltas and sources; --merge takes a file written by \
         `casrep timeline`",
    );
}

#[test]
fn an_ndjson_figure_with_a_control_character_is_skipped_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let figures = stdout_of(casrep().arg("extract").arg(articles(dir.path())));
    let mut lines: Vec<Value> = figures
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    lines[0]["side"] = Value::from("russia\u{202e}");
    let text: String = lines.iter().map(|v| format!("{v}\n")).collect();
    let path = dir.path().join("figures.ndjson");
    fs::write(&path, text).unwrap();
    casrep()
        .arg("timeline")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "casrep: {}:1: not a casrep figure: side \"russia\\u{{202e}}\" holds a control or \
             invisible character",
            path.display()
        )));
}

#[test]
fn the_same_article_merged_from_another_folder_counts_once() {
    // In folder D, a timeline of one article (paths "articles/a/..."); then, from D's parent,
    // the same article and another one that disagrees with it, merged into that timeline.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("D");
    write_files(
        &d.join("articles"),
        &[
            (
                "a/2023-02-22-report.txt".to_owned(),
                "Ukraine's General Staff said Russia has lost 3,334 tanks since the invasion \
                 began.\n"
                    .to_owned(),
            ),
            (
                "b/2023-02-22-other.txt".to_owned(),
                "According to Ukraine's General Staff, Russia has lost 3,343 tanks in the war so \
                 far.\n"
                    .to_owned(),
            ),
        ],
    );
    let first = stdout_of(casrep().current_dir(&d).args(["timeline", "articles/a"]));
    fs::write(d.join("w.json"), &first).unwrap();
    let merged = stdout_of(casrep().current_dir(dir.path()).args([
        "timeline",
        "--merge",
        "D/w.json",
        "D/articles",
    ]));
    let t: Value = serde_json::from_str(&merged).unwrap();
    let conflict = &t["conflicts"][0];
    // One article under two paths against one article: a tie, so the larger total.
    assert_eq!(conflict["chosen"], 3343, "{conflict:#}");
    let sources = &conflict["candidates"][1]["sources"];
    assert_eq!(sources[0]["file"], "D/articles/a/2023-02-22-report.txt");
    assert_eq!(sources[1]["file"], "articles/a/2023-02-22-report.txt");
    assert_eq!(sources[0]["hash"], sources[1]["hash"]);
}

/// Kyiv's count of Russia's losses and Moscow's count of Ukraine's, in one article.
fn both_sides(dir: &Path) -> PathBuf {
    write_files(
        dir,
        &[(
            "2023-02-22-moscow.txt".to_owned(),
            "Moscow, 2023-02-22\n\nRussia's defence ministry said Ukraine has lost 7,800 tanks \
             and 410 aircraft since the start of the operation.\n\nUkraine's General Staff said \
             Russia has lost 3,334 tanks and about 145,000 troops since the invasion began.\n"
                .to_owned(),
        )],
    );
    dir.to_path_buf()
}

#[test]
fn csv_of_russias_claims_shows_ukraines_losses_unless_side_says_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let articles = both_sides(dir.path());
    let csv = |args: &[&str]| {
        stdout_of(
            casrep()
                .args([
                    "timeline",
                    "--format",
                    "csv",
                    "--category",
                    "tanks,aircraft",
                ])
                .args(args)
                .arg(&articles),
        )
    };
    assert_eq!(
        csv(&["--claimant", "russia"]),
        "date,day,tanks,aircraft,hedged\n2023-02-22,364,7800,410,\n"
    );
    assert_eq!(
        csv(&[]),
        "date,day,tanks,aircraft,hedged\n2023-02-22,364,3334,,\n"
    );
    casrep()
        .args([
            "timeline",
            "--format",
            "csv",
            "--claimant",
            "russia",
            "--side",
            "russia",
        ])
        .arg(&articles)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "--side russia: no such series of claimant russia; the sides there are: ukraine",
        ));
    casrep()
        .args(["timeline", "--format", "csv", "--claimant", "nobody"])
        .arg(&articles)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "--claimant nobody: no series of that claimant in the timeline; its claimants are: \
             russia, ukraine",
        ));
}

#[test]
fn csv_for_analysts_has_changes_a_hedged_marker_and_only_rows_with_values() {
    let dir = tempfile::tempdir().unwrap();
    let articles = both_sides(dir.path());
    write_files(
        &articles,
        &[(
            "2023-02-23-kyiv.txt".to_owned(),
            "Kyiv, 2023-02-23\n\nUkraine's General Staff said Russia has lost 3,350 tanks (+16) \
             and 2,100 drones since the invasion began.\n"
                .to_owned(),
        ), (
            // A day with a value in no column shown has no row.
            "2023-02-24-kyiv.txt".to_owned(),
            "Kyiv, 2023-02-24\n\nUkraine's General Staff said Russia has lost 2,150 drones \
             since the invasion began.\n"
                .to_owned(),
        )],
    );
    let csv = stdout_of(
        casrep()
            .args(["timeline", "--format", "csv", "--deltas", "--category"])
            .args(["personnel,tanks"])
            .arg(&articles),
    );
    assert_eq!(
        csv,
        "date,day,personnel,personnel_change,tanks,tanks_change,hedged\n\
         2023-02-22,364,145000,,3334,,personnel\n\
         2023-02-23,365,,,3350,16,\n"
    );
}

#[test]
fn ndjson_says_on_stderr_what_it_does_not_show() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/articles");
    let out = casrep()
        .args(["timeline", "--format", "ndjson"])
        .arg(&fixtures)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let note = stderr
        .lines()
        .find(|l| l.starts_with("casrep: --format ndjson: not shown: "))
        .unwrap_or_else(|| panic!("{stderr}"));
    for part in ["undated figures", "bounds", "conflicts", "failed check"] {
        assert!(note.contains(part), "{note}");
    }
    assert!(note.ends_with(" (see --format json)"), "{note}");
    // One point per line on stdout, nothing else.
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.lines().all(|l| l.starts_with("{\"date\":")));
    casrep()
        .args(["timeline", "--quiet", "--format", "ndjson"])
        .arg(&fixtures)
        .assert()
        .success()
        .stderr("");
}

#[test]
fn a_timeline_or_ndjson_given_as_a_path_is_merged_not_read_as_an_article() {
    let dir = tempfile::tempdir().unwrap();
    let articles = both_sides(&dir.path().join("articles"));
    let losses = dir.path().join("losses.json");
    fs::write(&losses, stdout_of(casrep().arg("timeline").arg(&articles))).unwrap();
    // The cron file to CSV in one command, as --merge would read it.
    let csv = |path: &Path| stdout_of(casrep().args(["timeline", "--format", "csv"]).arg(path));
    let merged = stdout_of(
        casrep()
            .args(["timeline", "--format", "csv", "--merge"])
            .arg(&losses),
    );
    assert_eq!(csv(&losses), merged);
    assert!(merged.contains("\n2023-02-22,364,145000,3334,"), "{merged}");
    // Figures written by extract, under a .json name.
    let figures = dir.path().join("figures.json");
    fs::write(&figures, stdout_of(casrep().arg("extract").arg(&articles))).unwrap();
    assert_eq!(csv(&figures), merged);
    // A timeline and a folder together: the folder's figures merged into the timeline.
    let both = stdout_of(casrep().arg("timeline").arg(&losses).arg(&articles));
    assert_eq!(both, fs::read_to_string(&losses).unwrap());
}

#[test]
fn a_json_file_that_is_no_timeline_is_skipped_and_a_broken_timeline_refused() {
    let dir = tempfile::tempdir().unwrap();
    let articles = both_sides(&dir.path().join("articles"));
    let other = dir.path().join("settings.json");
    fs::write(&other, "{\"colour\": \"blue\"}\n").unwrap();
    casrep()
        .arg("timeline")
        .arg(&other)
        .arg(&articles)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"tanks\": 3334"))
        .stderr(predicate::str::contains(format!(
            "casrep: {}: a JSON file, but neither a timeline written by `casrep timeline`",
            other.display()
        )));
    let broken = dir.path().join("losses.json");
    fs::write(&broken, "{\"schema_version\": 2, \"timeline\": [").unwrap();
    casrep()
        .arg("timeline")
        .arg(&broken)
        .arg(&articles)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "a timeline given as a PATH is merged as --merge would",
        ));
}
