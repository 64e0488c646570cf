//! The README's examples, run as a new user would type them: every `casrep` command of its
//! `sh` and `console` blocks, in a folder where `articles/` and the other names they use point at
//! the fixtures, with the built binary first on PATH; and the cron line, on two nights. A jq
//! recipe must give rows; a `console` block must print what the README shows.

mod util;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const README: &str = include_str!("../README.md");

/// One command of the README, and for a `console` block the output it shows.
#[derive(Debug)]
struct Recipe {
    line: usize,
    command: String,
    shown: Option<String>,
}

/// The commands of the blocks of `kind` ("sh" or "console"), lines joined where they end in `\`.
fn recipes(kind: &str) -> Vec<Recipe> {
    let mut recipes: Vec<Recipe> = Vec::new();
    let mut inside = false;
    let mut pending = String::new();
    for (i, line) in README.lines().enumerate() {
        if let Some(fence) = line.strip_prefix("```") {
            inside = !inside && fence == kind;
            continue;
        }
        if !inside {
            continue;
        }
        let text = match kind {
            "console" => match line.strip_prefix("$ ") {
                Some(command) => command,
                None => {
                    let last = recipes.last_mut().expect("output after a command");
                    let shown = last.shown.get_or_insert_with(String::new);
                    shown.push_str(line);
                    shown.push('\n');
                    continue;
                }
            },
            _ => line.trim(),
        };
        let text = text.split(" # ").next().unwrap().trim_end();
        if let Some(head) = text.strip_suffix('\\') {
            pending.push_str(head);
            continue;
        }
        let command = std::mem::take(&mut pending) + text;
        if command.starts_with("casrep ") {
            recipes.push(Recipe {
                line: i + 1,
                command,
                shown: None,
            });
        }
    }
    recipes
}

/// A folder laid out as the README's examples expect, with PATH for them.
fn workplace() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    std::os::unix::fs::symlink(&fixtures, dir.path().join("fixtures")).unwrap();
    for name in ["articles", "shard-1", "shard-2"] {
        std::os::unix::fs::symlink(fixtures.join("articles"), dir.path().join(name)).unwrap();
    }
    let bin = util::casrep_path().parent().unwrap().to_owned();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    (dir, path)
}

fn jq_available() -> bool {
    let found = Command::new("jq").arg("--version").output().is_ok();
    // CI installs jq (.ci/run): there, a missing jq is a failure, not a reason to skip.
    assert!(found || std::env::var_os("CI").is_none(), "jq is missing");
    found
}

/// Runs `command` in `dir` under bash, as the README shows it; stdout and the status.
fn run(dir: &Path, path: &str, command: &str) -> (String, Option<i32>, String) {
    let out = Command::new("bash")
        .args(["-c", &format!("set -o pipefail; {command}")])
        .current_dir(dir)
        .env("PATH", path)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Whether a README command can run here: not those writing into the home folder or a shell's
/// own folders, opening a pager, using the cron job's /data, or the sharding recipe's GNU
/// parallel across hosts (and the timelines it writes).
fn runnable(command: &str) -> bool {
    !["~", "${", "man ./", "/data/", "parallel ", "shard-1.json"]
        .iter()
        .any(|s| command.contains(s))
}

#[test]
fn every_recipe_of_the_readme_runs_and_its_jq_filters_give_rows() {
    if !jq_available() {
        eprintln!("skipped: no jq");
        return;
    }
    let (dir, path) = workplace();
    let all = recipes("sh");
    assert!(all.len() >= 15, "{all:?}");
    let mut ran = 0;
    for recipe in all.iter().filter(|r| runnable(&r.command)) {
        let (stdout, status, stderr) = run(dir.path(), &path, &recipe.command);
        // `check` exits 1 when a figure disagrees, as the fixtures' misquotes do.
        let expected = if recipe.command.starts_with("casrep check") {
            1
        } else {
            0
        };
        assert_eq!(
            status,
            Some(expected),
            "README line {}: {}\n{stderr}",
            recipe.line,
            recipe.command
        );
        // A series is a claimant and a side: Kyiv's count of Ukraine's own losses must not
        // slip into a recipe about its count of Russia's.
        if recipe.command.contains(".timeline[]") {
            assert!(
                recipe.command.contains(".claimant==") && recipe.command.contains(".side=="),
                "README line {}: filters no series: {}",
                recipe.line,
                recipe.command
            );
        }
        if recipe.command.contains("| jq") {
            assert!(
                !stdout.trim().is_empty(),
                "README line {}: no rows from {}",
                recipe.line,
                recipe.command
            );
        }
        ran += 1;
    }
    assert!(ran >= 15, "ran {ran} recipes");
}

#[test]
fn every_console_example_prints_what_the_readme_shows() {
    let (dir, path) = workplace();
    let all = recipes("console");
    assert!(all.len() >= 2, "{all:?}");
    for recipe in &all {
        let (stdout, status, stderr) = run(dir.path(), &path, &recipe.command);
        assert_eq!(status, Some(0), "README line {}: {stderr}", recipe.line);
        assert_eq!(
            Some(stdout),
            recipe.shown,
            "README line {}: {}",
            recipe.line,
            recipe.command
        );
    }
}

/// The cron line of the README, without its time fields and its mail on failure.
fn cron_command() -> String {
    let block = README.split("```cron\n").nth(1).unwrap();
    let line = block
        .lines()
        .find(|l| !l.starts_with('#'))
        .expect("a cron line");
    let command: Vec<&str> = line.split_whitespace().skip(5).collect();
    let command = command.join(" ");
    command.split(" || ").next().unwrap().to_owned()
}

#[test]
fn the_cron_recipe_works_from_its_first_night() {
    let (dir, path) = workplace();
    let data = dir.path().join("data");
    let command = cron_command().replace("/data", &data.display().to_string());
    assert!(
        command.starts_with("casrep timeline --quiet --merge "),
        "{command}"
    );
    let yesterday = run(dir.path(), &path, "date -d yesterday +%Y/%m/%d").0;
    let folder: PathBuf = data.join("articles").join(yesterday.trim());
    fs::create_dir_all(&folder).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/articles");
    let copy = |name: &str| fs::copy(fixtures.join(name), folder.join(name)).unwrap();
    copy("2023-02-22-kyiv-independent-style.txt");
    // The first night: no timeline yet.
    let (_, status, stderr) = run(dir.path(), &path, &command);
    assert_eq!(status, Some(0), "{command}\n{stderr}");
    let first = fs::read_to_string(data.join("losses.json")).unwrap();
    // The next night folds more articles in.
    copy("general-staff-en-post.txt");
    let (_, status, stderr) = run(dir.path(), &path, &command);
    assert_eq!(status, Some(0), "{command}\n{stderr}");
    let second = fs::read_to_string(data.join("losses.json")).unwrap();
    assert!(second.len() > first.len());
    let both = run(
        dir.path(),
        &path,
        &format!("casrep timeline {}", folder.display()),
    )
    .0;
    assert_eq!(second, both);
}

#[test]
fn the_check_count_the_readme_quotes_is_what_check_prints_on_the_fixtures() {
    let quoted = README
        .split("`casrep check fixtures/articles`:\n`")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .expect("the README quotes check's count on the fixtures");
    let (dir, path) = workplace();
    let (_, status, stderr) = run(dir.path(), &path, "casrep check fixtures/articles");
    assert_eq!(status, Some(1), "{stderr}");
    assert_eq!(stderr.lines().last(), Some(quoted), "{stderr}");
}

#[test]
fn the_readme_chart_is_the_chart_of_the_fixtures() {
    // docs/losses.svg is what the README says it is: regenerate it with
    // `casrep plot fixtures/articles -o docs/losses.svg` when a fixture or the chart changes.
    let (dir, path) = workplace();
    let (svg, status, stderr) = run(dir.path(), &path, "casrep plot fixtures/articles -o -");
    assert_eq!(status, Some(0), "{stderr}");
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/losses.svg");
    assert!(
        svg == fs::read_to_string(&docs).unwrap(),
        "docs/losses.svg is stale: run `casrep plot fixtures/articles -o docs/losses.svg`"
    );
}
