//! The features for people at a terminal, through the built binary: the table format, the
//! chart, completions and the man page, help with examples, errors that say what to do, and a
//! progress bar that never shows up where it should not.

mod util;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;

use util::{casrep, stdout_of, write_files};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/articles");

/// The colour of the line of totals in `casrep plot` (see `src/plot.rs`).
const LINE_COLOUR: &str = "#1F64AA";

fn reports(dir: &Path) {
    let files = [
        (
            "2023-02-22-report.txt".to_owned(),
            "Russia has lost 145,060 troops (+620) in Ukraine since the beginning of its \
             full-scale invasion, the General Staff of Ukraine's Armed Forces reported.\n\n\
             Russia has also lost 3,334 tanks and 2,345 artillery systems.\n"
                .to_owned(),
        ),
        (
            "2023-02-23-report.txt".to_owned(),
            "Ukraine's General Staff said Russia has lost 145,850 troops and 3,350 tanks since \
             the invasion began.\n"
                .to_owned(),
        ),
    ];
    write_files(dir, &files);
}

/// The fixtures' timeline, written to `dir/t.json` by the binary, and parsed.
fn fixtures_timeline(dir: &Path) -> (std::path::PathBuf, Value) {
    let json = stdout_of(casrep().args(["timeline", FIXTURES]));
    let path = dir.join("t.json");
    fs::write(&path, &json).unwrap();
    (path, serde_json::from_str(&json).unwrap())
}

#[test]
fn table_shows_aligned_totals_with_separators_and_changes_latest_first() {
    let dir = tempfile::tempdir().unwrap();
    reports(dir.path());
    let out = stdout_of(
        casrep()
            .args(["timeline", "--format", "table"])
            .arg(dir.path()),
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0], "losses of russia according to ukraine (2 dates)",
        "{out}"
    );
    let latest = lines
        .iter()
        .position(|l| l.starts_with("2023-02-23"))
        .unwrap();
    let earlier = lines
        .iter()
        .position(|l| l.starts_with("2023-02-22"))
        .unwrap();
    assert!(latest < earlier, "latest date first:\n{out}");
    assert!(lines[earlier].contains("145,060 (+620)"), "{out}");
    // The last digits of a column's totals stand in one column of text.
    let end = |line: &str, n: &str| line.find(n).unwrap() + n.len();
    assert_eq!(
        end(lines[latest], "145,850"),
        end(lines[earlier], "145,060")
    );
    assert_eq!(end(lines[latest], "3,350"), end(lines[earlier], "3,334"));
}

#[test]
fn table_category_chooses_the_columns_and_an_unknown_one_lists_the_ids() {
    let dir = tempfile::tempdir().unwrap();
    reports(dir.path());
    let out = stdout_of(
        casrep()
            .args(["timeline", "--format", "table", "--category", "tanks"])
            .arg(dir.path()),
    );
    assert!(out.contains("3,350") && !out.contains("145,850"), "{out}");
    casrep()
        .args(["timeline", "--format", "table", "--category", "tank"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "--category \"tank\": no such category",
        ))
        .stderr(predicate::str::contains("personnel, tanks, afv"));
    casrep()
        .args(["timeline", "--category", "tanks"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--format csv or table"));
}

#[test]
fn json_stays_the_default_format() {
    let dir = tempfile::tempdir().unwrap();
    reports(dir.path());
    let out = stdout_of(casrep().arg("timeline").arg(dir.path()));
    let t: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(t["schema_version"], 2);
}

/// The panels of a chart: id → (title texts, number of lines of totals).
fn panels(svg: &str) -> BTreeMap<String, (Vec<String>, usize)> {
    let doc = roxmltree::Document::parse(svg).expect("the chart is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    let mut panels = BTreeMap::new();
    for panel in root
        .children()
        .filter(|n| n.has_tag_name("svg") && n.attribute("class") == Some("panel"))
    {
        let id = panel.attribute("id").unwrap().to_owned();
        let texts = panel
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap_or("").trim().to_owned())
            .collect();
        let lines = panel
            .descendants()
            .filter(|n| {
                n.has_tag_name("polyline")
                    && n.attribute("stroke")
                        .is_some_and(|s| s.eq_ignore_ascii_case(LINE_COLOUR))
            })
            .count();
        panels.insert(id, (texts, lines));
    }
    panels
}

#[test]
fn plot_draws_a_panel_with_one_line_per_category_of_kyivs_series() {
    let dir = tempfile::tempdir().unwrap();
    let (timeline, t) = fixtures_timeline(dir.path());
    let svg_path = dir.path().join("losses.svg");
    casrep()
        .arg("plot")
        .arg(&timeline)
        .arg("-o")
        .arg(&svg_path)
        .assert()
        .success()
        .stdout("")
        .stderr("");
    let svg = fs::read_to_string(&svg_path).unwrap();

    // Every category with two totals in Kyiv's series of Russian losses, and no other.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for p in t["timeline"].as_array().unwrap() {
        if p["claimant"] == "ukraine" && p["side"] == "russia" {
            for c in p["totals"].as_object().unwrap().keys() {
                *counts.entry(format!("panel-{c}")).or_default() += 1;
            }
        }
    }
    let expected: Vec<&String> = counts
        .iter()
        .filter(|(_, n)| **n >= 2)
        .map(|(id, _)| id)
        .collect();
    let panels = panels(&svg);
    assert_eq!(panels.keys().collect::<Vec<_>>(), expected);
    for (id, (texts, lines)) in &panels {
        assert_eq!(*lines, 1, "{id}: one line of totals");
        assert!(texts.iter().any(|t| t == "total"), "{id}: {texts:?}");
        assert!(texts.iter().any(|t| t == "per day"), "{id}: {texts:?}");
    }
    let (texts, _) = &panels["panel-personnel"];
    assert!(
        texts.iter().any(|t| t.starts_with("Personnel — ")),
        "{texts:?}"
    );
    // Thousands separators on the value axis, years on the date axis.
    assert!(texts.iter().any(|t| t == "500,000"), "{texts:?}");
    assert!(texts.iter().any(|t| t == "2024"), "{texts:?}");
    assert!(svg.contains("Losses of Russia according to Ukraine"));
}

#[test]
fn plot_category_chooses_the_panels_and_articles_give_the_same_chart() {
    let dir = tempfile::tempdir().unwrap();
    let (timeline, _) = fixtures_timeline(dir.path());
    let from_timeline = dir.path().join("a.svg");
    let from_articles = dir.path().join("b.svg");
    for (input, out) in [
        (timeline.as_path(), &from_timeline),
        (Path::new(FIXTURES), &from_articles),
    ] {
        casrep()
            .arg("plot")
            .arg(input)
            .args(["--category", "tanks,personnel", "-o"])
            .arg(out)
            .assert()
            .success();
    }
    let svg = fs::read_to_string(&from_timeline).unwrap();
    assert_eq!(svg, fs::read_to_string(&from_articles).unwrap());
    let panels = panels(&svg);
    assert_eq!(
        panels.keys().collect::<Vec<_>>(),
        ["panel-personnel", "panel-tanks"]
    );
    assert!(panels["panel-tanks"]
        .0
        .iter()
        .any(|t| t.starts_with("Tanks — ")));
}

#[test]
fn plot_refuses_png_and_says_how_to_get_one() {
    let dir = tempfile::tempdir().unwrap();
    let (timeline, _) = fixtures_timeline(dir.path());
    let png = dir.path().join("losses.png");
    casrep()
        .arg("plot")
        .arg(&timeline)
        .arg("-o")
        .arg(&png)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("PNG is not available"))
        .stderr(predicate::str::contains("rsvg-convert"));
    assert!(!png.exists());
}

#[test]
fn plot_of_a_missing_series_names_the_series_there_are() {
    let dir = tempfile::tempdir().unwrap();
    let (timeline, _) = fixtures_timeline(dir.path());
    casrep()
        .arg("plot")
        .arg(&timeline)
        .args(["--claimant", "nobody", "-o"])
        .arg(dir.path().join("x.svg"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--claimant ukraine --side russia"));
}

#[test]
fn plot_writes_svg_to_stdout_with_dash() {
    let dir = tempfile::tempdir().unwrap();
    let (timeline, _) = fixtures_timeline(dir.path());
    let out =
        stdout_of(
            casrep()
                .arg("plot")
                .arg(&timeline)
                .args(["--category", "personnel", "-o", "-"]),
        );
    assert_eq!(panels(&out).len(), 1);
}

#[test]
fn completions_for_each_shell_know_the_subcommands() {
    for shell in ["bash", "zsh", "fish"] {
        let out = stdout_of(casrep().args(["completions", shell]));
        for sub in ["extract", "timeline", "plot", "completions", "man"] {
            assert!(out.contains(sub), "{shell}: {sub} missing");
        }
    }
}

#[test]
fn man_page_is_roff_and_lists_the_subcommands() {
    let out = stdout_of(casrep().arg("man"));
    assert!(
        out.starts_with(".ie") || out.contains(".TH casrep"),
        "{out}"
    );
    for sub in ["extract", "timeline", "check", "plot", "completions"] {
        assert!(out.contains(sub), "{sub} missing");
    }
}

#[test]
fn man_of_a_command_is_its_own_page_and_an_unknown_one_lists_the_commands() {
    let out = stdout_of(casrep().args(["man", "timeline"]));
    assert!(out.contains(".TH casrep-timeline 1"), "{out}");
    assert!(out.contains("\\-\\-format"), "{out}");
    casrep()
        .args(["man", "nope"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("extract, timeline, check"));
}

#[test]
fn every_command_has_an_example_in_its_help() {
    for sub in [
        "extract",
        "timeline",
        "check",
        "categories",
        "schema",
        "plot",
        "completions",
        "man",
    ] {
        casrep()
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Example: casrep "));
    }
}

#[test]
fn without_a_terminal_there_is_no_progress_bar_and_quiet_changes_no_byte_of_stdout() {
    let dir = tempfile::tempdir().unwrap();
    util::corpus(dir.path(), 300, 5);
    let run = |quiet: bool| {
        let mut cmd = casrep();
        cmd.arg("extract").arg(dir.path());
        if quiet {
            cmd.arg("--quiet");
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success());
        (out.stdout, String::from_utf8(out.stderr).unwrap())
    };
    let (loud, loud_err) = run(false);
    let (quiet, quiet_err) = run(true);
    assert!(loud == quiet, "--quiet changed stdout");
    assert!(!loud_err.contains("inputs ["), "{loud_err}");
    assert_eq!(quiet_err, "");
}
