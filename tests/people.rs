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

/// Runs `casrep ARGS` on a pseudo-terminal (util-linux `script`), types Ctrl-C once `wait_for`
/// is on the screen, and gives what the terminal received and the exit status; `None` where
/// `script` is missing.
fn interrupted_on_a_terminal(
    args: &str,
    env: (&str, &str),
    wait_for: &str,
) -> Option<(String, Option<i32>)> {
    use std::io::{Read, Write};
    use std::process::{Command, Stdio};
    use std::sync::{Arc, Mutex};
    let command = format!("exec {} {args}", util::casrep_path().display());
    let mut child = Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .env(env.0, env.1)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let screen = Arc::new(Mutex::new(Vec::new()));
    let reader = {
        let screen = Arc::clone(&screen);
        let mut stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                screen.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !String::from_utf8_lossy(&screen.lock().unwrap()).contains(wait_for) {
        assert!(
            std::time::Instant::now() < deadline,
            "{wait_for:?} never shown: {:?}",
            String::from_utf8_lossy(&screen.lock().unwrap())
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"\x03").unwrap();
    stdin.flush().unwrap();
    let status = child.wait().unwrap();
    reader.join().unwrap();
    let screen = String::from_utf8_lossy(&screen.lock().unwrap()).into_owned();
    Some((screen, status.code()))
}

#[test]
fn a_spinner_shows_the_writing_and_ctrl_c_clears_its_line() {
    let dir = tempfile::tempdir().unwrap();
    reports(dir.path());
    let out = dir.path().join("losses.json");
    let args = format!(
        "timeline {} --output {}",
        dir.path().display(),
        out.display()
    );
    // The writer sleeps before its rename: the spinner stays up until Ctrl-C.
    let Some((screen, status)) =
        interrupted_on_a_terminal(&args, ("CASREP_TEST_SLOW_WRITE", "60000"), "writing ")
    else {
        eprintln!("skipped: no `script` to make a terminal");
        return;
    };
    assert_eq!(
        status,
        Some(130),
        "ended as Ctrl-C ends a program: {screen:?}"
    );
    let last = screen.rfind("writing ").unwrap();
    assert!(
        screen[last..].starts_with(&format!("writing {}", out.display())),
        "{screen:?}"
    );
    assert!(
        screen[last..].contains("\r\x1b[2K"),
        "the spinner's line is cleared after its last drawing: {screen:?}"
    );
    assert!(!out.exists(), "nothing half-written");
}

#[test]
fn color_chooses_whether_help_and_errors_are_coloured() {
    let run = |args: &[&str]| {
        let out = casrep().args(args).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
    };
    assert!(run(&["timeline", "--help", "--color", "always"]).contains("\x1b["));
    assert!(run(&["--color=always", "timeline", "--frobnicate"]).contains("\x1b["));
    assert!(!run(&["timeline", "--help", "--color", "never"]).contains("\x1b["));
    // Piped, auto means no colour.
    assert!(!run(&["timeline", "--help"]).contains("\x1b["));
    casrep()
        .args(["--color", "sometimes", "schema"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("auto, always, never"));
}

#[test]
fn a_mistyped_category_gets_a_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    reports(dir.path());
    for (asked, meant) in [
        ("Tanks", "tanks"),
        ("personel", "personnel"),
        ("drones", "uav"),
    ] {
        for command in [
            &["timeline", "--format", "table", "--category", asked][..],
            &["plot", "-o", "-", "--category", asked],
        ] {
            casrep()
                .args(command)
                .arg(dir.path())
                .assert()
                .code(2)
                .stdout("")
                .stderr(predicate::str::contains(format!(
                    "--category {asked:?}: no such category; did you mean {meant:?}?"
                )));
        }
    }
}

#[test]
fn completions_offer_category_claimant_and_side_ids_not_file_names() {
    let bash = stdout_of(casrep().args(["completions", "bash"]));
    let offered = |option: &str| -> Vec<String> {
        // Every `--option)` case of every subcommand, and the words it offers.
        bash.split(&format!("{option})\n"))
            .skip(1)
            .map(|case| case.lines().next().unwrap().to_owned())
            .collect()
    };
    for (option, id) in [
        ("--category", "special_equipment"),
        ("--claimant", "united_kingdom"),
        ("--side", "russia"),
        ("--color", "never"),
    ] {
        let cases = offered(option);
        assert!(!cases.is_empty(), "{option}: no completion");
        for case in cases {
            assert!(
                case.contains("compgen -W") && case.contains(id),
                "{option}: {case}"
            );
        }
    }
}

#[test]
fn the_claimant_ids_completed_are_those_the_word_tables_give() {
    // Every "claimants" table of data/lang, however the files are laid out.
    fn claimants(value: &Value, out: &mut std::collections::BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    if key == "claimants" {
                        out.extend(v.as_object().unwrap().keys().cloned());
                    } else {
                        claimants(v, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| claimants(v, out)),
            _ => {}
        }
    }
    let mut from_data = std::collections::BTreeSet::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("data/lang")];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if path.extension().is_some_and(|e| e == "json") {
            let text = fs::read_to_string(&path).unwrap();
            claimants(&serde_json::from_str(&text).unwrap(), &mut from_data);
        }
    }
    let bash = stdout_of(casrep().args(["completions", "bash"]));
    let case = bash.split("--claimant)\n").nth(1).unwrap();
    let words = case.split('"').nth(1).unwrap();
    let completed: std::collections::BTreeSet<String> =
        words.split(' ').map(str::to_owned).collect();
    assert_eq!(completed, from_data);
}

#[test]
fn categories_prints_short_lines_and_each_name_once() {
    let out = stdout_of(casrep().arg("categories"));
    assert!(out.starts_with("personnel: Personnel\n  "), "{out}");
    assert!(out.contains("\n  en: personnel, "), "{out}");
    for line in out.lines() {
        assert!(line.chars().count() <= 96, "too long: {line}");
    }
    assert!(
        out.contains("\"combat, attack, bomber and transport aircraft\""),
        "{out}"
    );
    for block in out.split("\n\n") {
        // The names, split at the commas outside quotes.
        let list: String = block
            .lines()
            .skip(1)
            .map(|l| l.trim_start())
            .map(|l| l.split_once(": ").map_or(l, |(_, rest)| rest))
            .collect::<Vec<_>>()
            .join(",");
        let mut names = vec![String::new()];
        let mut quoted = false;
        for c in list.chars() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => names.push(String::new()),
                c => names.last_mut().unwrap().push(c),
            }
        }
        let names: Vec<String> = names
            .iter()
            .map(|n| n.trim().to_lowercase())
            .filter(|n| !n.is_empty())
            .collect();
        assert!(names.len() > 3, "{block}");
        let unique: std::collections::BTreeSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "a name twice in:\n{block}");
    }
}

#[test]
fn the_top_level_help_has_an_example_and_extract_says_it_prints_undated_figures() {
    casrep()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Example: casrep timeline "));
    casrep()
        .args(["extract", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("dated or not"))
        .stdout(predicate::str::contains("\"date\": null"));
}

#[test]
fn the_man_page_has_a_plain_name_line_and_the_sections_of_a_manual() {
    let page = stdout_of(casrep().arg("man"));
    let name = page
        .lines()
        .skip_while(|l| *l != ".SH NAME")
        .nth(1)
        .unwrap();
    assert_eq!(
        name,
        "casrep \\- dated, normalised loss figures from news articles about the war in Ukraine"
    );
    assert!(!page.contains(".SH EXTRA"), "{page}");
    for section in [
        ".SH \"EXIT STATUS\"",
        ".SH EXAMPLES",
        ".SH DATES",
        ".SH ENVIRONMENT",
        ".SH FILES",
    ] {
        assert!(page.contains(section), "{section} missing");
    }
    let exit = page.split(".SH \"EXIT STATUS\"").nth(1).unwrap();
    assert!(exit.contains("\\-\\-merge"), "{exit}");
    assert!(page.contains("NO_COLOR") && page.contains("FILE.lock"));
    // The temporary file under the name it has (roff escapes its hyphen).
    assert!(page.contains(".FILE.XXXXXXXX.casrep\\-tmp"), "{page}");
    assert_eq!(page.matches(".ds Aq \\(aq").count(), 1, "one preamble");
}

/// NDJSON of Kyiv's totals of one category, one a day from `first` for `days` days.
fn daily_totals(category: &str, first: &str, days: i64, start: u64, per_day: u64) -> String {
    let first: chrono::NaiveDate = first.parse().unwrap();
    (0..days)
        .map(|i| {
            let date = first + chrono::Duration::days(i);
            let value = start + per_day * i as u64;
            let quote = format!("{value} {category}");
            serde_json::json!({
                "file": format!("reports/{date}.txt"), "line": 1, "start": 0,
                "end": quote.len(), "quote": quote, "category": category, "kind": "total",
                "days": null, "value": value, "qualifier": "exact", "side": "russia",
                "claimant": "ukraine", "date": date.to_string(), "date_basis": "file name"
            })
            .to_string()
                + "\n"
        })
        .collect()
}

/// The texts of one panel, and how many dots it has.
fn panel_texts_and_dots(svg: &str, id: &str) -> (Vec<String>, usize) {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let panel = doc
        .descendants()
        .find(|n| n.attribute("id") == Some(id))
        .unwrap_or_else(|| panic!("no {id}"));
    let texts = panel
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").trim().to_owned())
        .collect();
    let dots = panel
        .descendants()
        .filter(|n| n.has_tag_name("circle"))
        .count();
    (texts, dots)
}

#[test]
fn the_chart_names_every_year_its_dates_and_its_source() {
    let dir = tempfile::tempdir().unwrap();
    let (timeline, _) = fixtures_timeline(dir.path());
    let svg = stdout_of(casrep().arg("plot").arg(&timeline).args(["-o", "-"]));
    let (texts, dots) = panel_texts_and_dots(&svg, "panel-personnel");
    for year in ["2022", "2023", "2024", "2025", "2026"] {
        assert!(texts.iter().any(|t| t == year), "{year} missing: {texts:?}");
    }
    assert!(dots > 0, "few points: a dot each");
    assert!(
        svg.contains("Losses of Russia according to Ukraine, 2 April 2022 to 24 February 2026"),
        "{svg}"
    );
    // The source line counts the articles the chart's figures came from.
    let source = svg
        .split(">Source: figures attributed to Ukraine in ")
        .nth(1)
        .and_then(|rest| rest.split_once(" articles, read by casrep<"))
        .map(|(n, _)| n.parse::<usize>().unwrap());
    assert!(source.is_some_and(|n| n > 30), "{svg}");
}

#[test]
fn many_points_make_a_line_without_dots_and_a_short_series_gets_its_own_time_scale() {
    let dir = tempfile::tempdir().unwrap();
    let figures = dir.path().join("figures.ndjson");
    let mut ndjson = daily_totals("personnel", "2022-03-01", 1_400, 10_000, 500);
    ndjson.push_str(&daily_totals("fuel_tanks", "2022-03-01", 40, 60, 1));
    fs::write(&figures, ndjson).unwrap();
    let svg = stdout_of(casrep().arg("plot").arg(&figures).args(["-o", "-"]));
    let (texts, dots) = panel_texts_and_dots(&svg, "panel-personnel");
    assert_eq!(dots, 0, "1,400 points: a line alone");
    assert!(
        !texts.iter().any(|t| t.contains("own time scale")),
        "{texts:?}"
    );
    let (texts, _) = panel_texts_and_dots(&svg, "panel-fuel_tanks");
    assert!(
        texts.iter().any(|t| t == "on its own time scale"),
        "{texts:?}"
    );
    // Its axis is in days of March and April 2022, not in years.
    assert!(texts.iter().any(|t| t.ends_with("Mar 2022")), "{texts:?}");
    assert!(!texts.iter().any(|t| t == "2023"), "{texts:?}");
}

#[test]
fn one_article_dated_years_ahead_is_left_out_of_the_chart_with_a_warning() {
    // casrep refuses dates past 2035 where they enter; a date within that but after any report
    // can have been (a mistyped year) still stays off the chart.
    let dir = tempfile::tempdir().unwrap();
    reports(dir.path());
    let odd = dir.path().join("odd.txt");
    fs::write(
        &odd,
        "The General Staff said Russia has lost 1,500,000 troops.\n",
    )
    .unwrap();
    let mut figures = stdout_of(
        casrep()
            .arg("extract")
            .arg(dir.path().join("2023-02-22-report.txt")),
    );
    figures.push_str(&stdout_of(
        casrep()
            .args(["extract", "--date", "2023-02-23"])
            .arg(dir.path().join("2023-02-23-report.txt")),
    ));
    figures.push_str(&stdout_of(
        casrep().args(["extract", "--date", "2034-12-31"]).arg(&odd),
    ));
    let ndjson = dir.path().join("figures.ndjson");
    fs::write(&ndjson, figures).unwrap();
    let out = casrep()
        .arg("plot")
        .arg(&ndjson)
        .args(["-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("casrep: plot: left out the points dated 2034-12-31: no report can be dated outside 2022-02-24 to "),
        "{stderr}"
    );
    assert!(out.stdout.len() < 200_000, "{} bytes", out.stdout.len());
    let svg = String::from_utf8(out.stdout).unwrap();
    assert!(
        svg.contains("22 February 2023 to 23 February 2023"),
        "{svg}"
    );
}
