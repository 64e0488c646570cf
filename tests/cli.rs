//! The built binary on temporary folders: stdout, stderr and exit status of each command.

mod util;

use std::fs;
use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;

use util::{casrep, corpus, stdout_of, write_files};

/// Every line of NDJSON output, parsed.
fn ndjson(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn two_articles(dir: &Path) {
    let files = [
        (
            "a/2023-02-22-report.txt".to_owned(),
            "Russia has lost 145,060 troops in Ukraine since the beginning of its full-scale \
             invasion, the General Staff of Ukraine's Armed Forces reported.\n\n\
             Russia has also lost 3,334 tanks and 2,345 artillery systems.\n"
                .to_owned(),
        ),
        (
            "b/2023-02-23-report.txt".to_owned(),
            "Ukraine's General Staff said Russia has lost 145,850 troops and 3,350 tanks since \
             the invasion began.\n"
                .to_owned(),
        ),
    ];
    write_files(dir, &files);
}

#[test]
fn extract_prints_one_figure_per_line_in_file_order_with_exact_quotes() {
    let dir = tempfile::tempdir().unwrap();
    two_articles(dir.path());
    let out = stdout_of(casrep().arg("extract").arg(dir.path()));
    let figures = ndjson(&out);
    assert!(figures.len() >= 4, "{out}");
    let order: Vec<(String, u64)> = figures
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_owned(),
                f["start"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "figures are in file, then position order");
    for f in &figures {
        let text = fs::read_to_string(f["file"].as_str().unwrap()).unwrap();
        let (start, end) = (f["start"].as_u64().unwrap(), f["end"].as_u64().unwrap());
        assert_eq!(
            &text[start as usize..end as usize],
            f["quote"].as_str().unwrap()
        );
    }
    let values: Vec<u64> = figures
        .iter()
        .map(|f| f["value"].as_u64().unwrap())
        .collect();
    assert!(
        values.contains(&145060) && values.contains(&3350),
        "{values:?}"
    );
}

#[test]
fn an_empty_folder_is_an_empty_success() {
    let dir = tempfile::tempdir().unwrap();
    casrep()
        .arg("extract")
        .arg(dir.path())
        .assert()
        .success()
        .stdout("");
    let out = stdout_of(casrep().arg("timeline").arg(dir.path()));
    let t: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(t["schema_version"], 2);
    assert_eq!(t["timeline"], Value::Array(vec![]));
}

#[test]
fn one_and_eight_workers_print_the_same_bytes_on_500_articles() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path(), 500, 7);
    for command in [
        &["extract"][..],
        &["timeline"],
        &["timeline", "--format", "csv"],
    ] {
        let run = |jobs: &str| stdout_of(casrep().args(command).args(["-j", jobs]).arg(dir.path()));
        let one = run("1");
        assert!(one.len() > 10_000, "{command:?} printed little: {one}");
        assert!(one == run("8"), "{command:?}: -j 1 and -j 8 differ");
    }
}

#[test]
fn timeline_of_articles_equals_timeline_of_their_extract_output() {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    corpus(&articles, 300, 3);
    let figures = stdout_of(casrep().arg("extract").arg(&articles));
    let ndjson = dir.path().join("figures.ndjson");
    fs::write(&ndjson, &figures).unwrap();
    let direct = stdout_of(casrep().arg("timeline").arg(&articles));
    // By extension, by flag on another name, and from stdin.
    assert!(direct == stdout_of(casrep().arg("timeline").arg(&ndjson)));
    let renamed = dir.path().join("figures.out");
    fs::write(&renamed, &figures).unwrap();
    assert!(direct == stdout_of(casrep().args(["timeline", "--from-ndjson"]).arg(&renamed)));
    assert!(
        direct
            == stdout_of(
                casrep()
                    .args(["timeline", "--from-ndjson"])
                    .write_stdin(figures)
            )
    );
}

#[test]
fn timelines_of_shards_merge_into_the_timeline_of_the_whole() {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    corpus(&articles, 200, 11);
    let whole = stdout_of(casrep().arg("timeline").arg(&articles));

    // Shard the folders over three "machines": extract, timeline each shard, merge.
    let mut shards: Vec<Vec<std::path::PathBuf>> = vec![Vec::new(); 3];
    let mut folders: Vec<_> = fs::read_dir(&articles)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    folders.sort();
    for (i, folder) in folders.into_iter().enumerate() {
        shards[i % 3].push(folder);
    }
    let mut merge_args = Vec::new();
    for (i, shard) in shards.iter().enumerate() {
        let figures = stdout_of(casrep().arg("extract").args(shard));
        let ndjson = dir.path().join(format!("shard{i}.ndjson"));
        fs::write(&ndjson, figures).unwrap();
        let timeline = dir.path().join(format!("shard{i}.json"));
        casrep()
            .arg("timeline")
            .arg(&ndjson)
            .arg("--output")
            .arg(&timeline)
            .assert()
            .success()
            .stdout("");
        merge_args.push("--merge".into());
        merge_args.push(timeline.into_os_string());
    }
    // In any order, with no new input.
    let merged = stdout_of(casrep().arg("timeline").args(&merge_args));
    assert!(merged == whole, "merged shards differ from the whole");
    merge_args.reverse();
    let pairs: Vec<_> = merge_args.chunks(2).flat_map(|p| [&p[1], &p[0]]).collect();
    assert!(stdout_of(casrep().arg("timeline").args(pairs)) == whole);
}

#[test]
fn merging_the_same_input_again_changes_no_byte() {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    corpus(&articles, 120, 5);
    let out = dir.path().join("losses.json");
    let run = || {
        casrep()
            .arg("timeline")
            .arg(&articles)
            .arg("--merge")
            .arg(&out)
            .arg("--output")
            .arg(&out)
            .assert()
            .success();
        fs::read(&out).unwrap()
    };
    // The first run has nothing to merge yet.
    casrep()
        .arg("timeline")
        .arg(&articles)
        .arg("--output")
        .arg(&out)
        .assert()
        .success();
    let first = fs::read(&out).unwrap();
    assert!(run() == first);
    assert!(run() == first);
    let twice = stdout_of(
        casrep()
            .arg("timeline")
            .arg("--merge")
            .arg(&out)
            .arg("--merge")
            .arg(&out),
    );
    assert!(twice.as_bytes() == first.as_slice());
}

#[test]
fn a_corrupt_or_foreign_merge_file_is_refused_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    two_articles(&dir.path().join("articles"));
    let out = dir.path().join("losses.json");
    for (content, problem) in [
        (
            "{\"schema_version\": 1, \"timeline\": [",
            "not a single JSON document",
        ),
        ("{\"rows\": []}\n", "no schema_version"),
        (
            "{\"schema_version\": 7}\n",
            "unsupported timeline schema_version 7",
        ),
        ("", "the file is empty"),
    ] {
        fs::write(&out, content).unwrap();
        casrep()
            .arg("timeline")
            .arg(dir.path().join("articles"))
            .arg("--merge")
            .arg(&out)
            .arg("--output")
            .arg(&out)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(format!(
                "casrep: {}: ",
                out.display()
            )))
            .stderr(predicate::str::contains(problem));
        assert_eq!(fs::read_to_string(&out).unwrap(), content);
    }
    casrep()
        .args(["timeline", "--merge"])
        .arg(dir.path().join("missing.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "missing.json: no such file or directory; check the --merge path, or leave out \
             --merge to start a new timeline\n",
        ));
}

/// The previous timeline, written by a run that completed.
fn previous_timeline(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, Vec<u8>) {
    let articles = dir.join("articles");
    two_articles(&articles);
    let out = dir.join("out").join("losses.json");
    fs::create_dir_all(out.parent().unwrap()).unwrap();
    casrep()
        .arg("timeline")
        .arg(&articles)
        .arg("--output")
        .arg(&out)
        .assert()
        .success();
    let old = fs::read(&out).unwrap();
    (articles, out, old)
}

/// The temporary file of `--output target` (`.NAME.XXXXXXXX.casrep-tmp` beside it), if any.
fn temp_of(target: &Path) -> Option<std::path::PathBuf> {
    let name = target.file_name().unwrap().to_str().unwrap();
    let prefix = format!(".{name}.");
    fs::read_dir(target.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let n = p.file_name().unwrap().to_str().unwrap_or("");
            n.starts_with(&prefix) && n.ends_with(".casrep-tmp")
        })
}

/// Waits until `writer` has written its whole timeline to the temporary file of `target` (and
/// so sleeps before the rename, under CASREP_TEST_SLOW_WRITE).
fn wait_for_complete_temp(target: &Path, writer: &mut std::process::Child) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !temp_of(target).is_some_and(|t| fs::read(t).is_ok_and(|b| b.ends_with(b"}\n"))) {
        assert!(std::time::Instant::now() < deadline, "no temporary file");
        assert!(
            writer.try_wait().unwrap().is_none(),
            "the writer ended early"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[test]
fn a_writer_killed_before_its_rename_leaves_the_previous_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out, old) = previous_timeline(dir.path());
    let big = dir.path().join("big");
    corpus(&big, 200, 9);
    let mut child = std::process::Command::new(util::casrep_path())
        .arg("timeline")
        .arg(&big)
        .arg("--output")
        .arg(&out)
        .env("CASREP_TEST_SLOW_WRITE", "60000")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once the new content is written in full, before the rename.
    wait_for_complete_temp(&out, &mut child);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(fs::read(&out).unwrap() == old, "the previous file changed");

    // The next run takes the lock the dead writer held and replaces the file.
    casrep()
        .arg("timeline")
        .arg(&big)
        .arg("--output")
        .arg(&out)
        .assert()
        .success();
    let new = fs::read(&out).unwrap();
    assert!(new != old);
    serde_json::from_slice::<Value>(&new).unwrap();
    assert_eq!(temp_of(&out), None);
}

#[test]
fn a_second_writer_waits_for_the_first_and_writes_last() {
    let dir = tempfile::tempdir().unwrap();
    let (articles, out, _) = previous_timeline(dir.path());
    let other = dir.path().join("other");
    corpus(&other, 30, 8);
    let writer = |input: &Path, slow: &str| {
        std::process::Command::new(util::casrep_path())
            .arg("timeline")
            .arg(input)
            .arg("--output")
            .arg(&out)
            .env("CASREP_TEST_SLOW_WRITE", slow)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut first = writer(&other, "2500");
    wait_for_complete_temp(&out, &mut first);
    // The first holds the lock and sleeps before its rename; the second must wait for it.
    let second = writer(&articles, "0");
    let (first, second) = (
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    );
    assert!(first.status.success() && second.status.success());
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("losses.json.lock: locked by another writer, waiting"),
        "{stderr}"
    );
    let expected = stdout_of(casrep().arg("timeline").arg(&articles));
    assert!(fs::read(&out).unwrap() == expected.as_bytes());
}

/// Makes `dir` read-only even for root: permissions first, then the immutable attribute
/// (root ignores permissions). `None` when neither holds on this system.
struct ReadOnly<'a>(&'a Path, bool);

impl<'a> ReadOnly<'a> {
    fn make(dir: &'a Path) -> Option<ReadOnly<'a>> {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o555)).unwrap();
        let writable = || {
            let probe = dir.join(".probe");
            let ok = fs::write(&probe, "x").is_ok();
            let _ = fs::remove_file(probe);
            ok
        };
        if !writable() {
            return Some(ReadOnly(dir, false));
        }
        let immutable = std::process::Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        let guard = ReadOnly(dir, immutable);
        (!writable()).then_some(guard)
    }
}

impl Drop for ReadOnly<'_> {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.1 {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(self.0)
                .status();
        }
        let _ = fs::set_permissions(self.0, fs::Permissions::from_mode(0o755));
    }
}

#[test]
fn a_read_only_folder_fails_with_status_2_and_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let (articles, out, old) = previous_timeline(dir.path());
    corpus(&articles, 20, 1);
    let Some(_read_only) = ReadOnly::make(out.parent().unwrap()) else {
        eprintln!("skipped: cannot make a folder read-only here");
        return;
    };
    casrep()
        .arg("timeline")
        .arg(&articles)
        .arg("--output")
        .arg(&out)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(format!(
            "casrep: {}: cannot write: ",
            out.display()
        )));
    assert!(fs::read(&out).unwrap() == old);
}

#[test]
fn a_full_disk_fails_with_status_2_and_keeps_the_old_file() {
    // A 64 KiB file system, mounted in a mount namespace of its own so nothing outlives the
    // test; root only, so skipped where that cannot be had.
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    corpus(&articles, 60, 2);
    let disk = dir.path().join("disk");
    fs::create_dir(&disk).unwrap();
    let script = r#"
        set -e
        mount -t tmpfs -o size=64k tmpfs "$DISK" 2>/dev/null || { echo cannot-mount; exit 0; }
        printf '{"schema_version": 1}\n' > "$DISK/losses.json"
        head -c 1000000 /dev/zero > "$DISK/filler" 2>/dev/null || true
        set +e
        "$CASREP" timeline "$ARTICLES" --output "$DISK/losses.json" 2>"$DISK/../stderr"
        echo "status $?"
        cat "$DISK/losses.json"
        ls -a "$DISK"
    "#;
    let env = [("DISK", disk.as_path()), ("ARTICLES", articles.as_path())];
    let Some(util::Mounted { stdout, .. }) =
        util::in_mount_namespace(script, &env, "mount a small file system")
    else {
        return;
    };
    assert!(stdout.contains("status 2\n"), "{stdout}");
    assert!(stdout.contains("{\"schema_version\": 1}\n"), "{stdout}");
    assert!(
        !stdout.contains("casrep-tmp"),
        "temporary file left: {stdout}"
    );
    let stderr = fs::read_to_string(dir.path().join("stderr")).unwrap();
    assert!(
        stderr.contains("losses.json: cannot write: no space left on device"),
        "{stderr}"
    );
}

#[test]
fn a_closed_stdout_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path(), 500, 4);
    // `casrep extract DIR | head -1`
    let mut child = Command::new(util::casrep_path())
        .arg("extract")
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    serde_json::from_str::<Value>(&first).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{:?}", out.status);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");

    // Every other writer of stdout, with the pipe closed before the first byte.
    let corpus_dir = dir.path().to_str().unwrap();
    for args in [
        &["timeline", corpus_dir][..],
        &["timeline", "--format", "ndjson", corpus_dir],
        &["timeline", "--format", "csv", corpus_dir],
        &["schema"],
        &["categories", "--json"],
    ] {
        let mut child = Command::new(util::casrep_path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{args:?}: {:?}", out.status);
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}

#[test]
fn an_unreadable_input_gives_status_1_and_the_rest_in_full() {
    let dir = tempfile::tempdir().unwrap();
    two_articles(dir.path());
    let complete = stdout_of(casrep().arg("extract").arg(dir.path()));
    let complete_timeline = stdout_of(casrep().arg("timeline").arg(dir.path()));
    std::os::unix::fs::symlink(dir.path().join("gone.txt"), dir.path().join("a/link.txt")).unwrap();
    let missing = dir.path().join("no-such-folder");
    for (command, expected) in [("extract", &complete), ("timeline", &complete_timeline)] {
        casrep()
            .arg(command)
            .arg(dir.path())
            .arg(&missing)
            .assert()
            .code(1)
            .stdout(expected.clone())
            .stderr(predicate::str::contains("link.txt: broken symbolic link"))
            .stderr(predicate::str::contains(
                "no-such-folder: no such file or directory",
            ));
    }
}

#[test]
fn a_bad_ndjson_line_is_named_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    two_articles(&dir.path().join("articles"));
    let figures = stdout_of(casrep().arg("extract").arg(dir.path().join("articles")));
    let mut lines: Vec<&str> = figures.lines().collect();
    let good_timeline = {
        let path = dir.path().join("good.ndjson");
        fs::write(&path, &figures).unwrap();
        stdout_of(casrep().arg("timeline").arg(&path))
    };
    lines.insert(2, "{\"file\": \"x.txt\", \"oops\": true}");
    lines.insert(4, "not json at all");
    let path = dir.path().join("bad.jsonl");
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    let shown = path.display();
    casrep()
        .arg("timeline")
        .arg(&path)
        .assert()
        .code(1)
        .stdout(good_timeline)
        .stderr(predicate::str::contains(format!(
            "casrep: {shown}:3: not a casrep figure: "
        )))
        .stderr(predicate::str::contains(format!(
            "casrep: {shown}:5: not a casrep figure: "
        )));
}

const REFERENCE: &str = "\
date,day,personnel,tanks,afv,artillery,mlrs,air_defense,aircraft,helicopters,uav,cruise_missiles,ships,submarines,vehicles,special_equipment,srbm,military_vehicles,fuel_tanks
2023-02-22,364,145060,3334,6569,2345,471,243,299,287,2026,873,18,,5212,226,,,
2023-02-23,365,145850,3350,6593,2352,471,244,299,287,2029,873,18,,5215,228,,,
";

#[test]
fn check_reports_each_mismatch_on_both_streams_with_status_1() {
    let dir = tempfile::tempdir().unwrap();
    two_articles(&dir.path().join("articles"));
    let reference = dir.path().join("reference.csv");
    fs::write(&reference, REFERENCE).unwrap();
    casrep()
        .arg("check")
        .arg("--reference")
        .arg(&reference)
        .arg(dir.path().join("articles"))
        .assert()
        .success()
        .stdout("");

    fs::write(&reference, REFERENCE.replace(",3350,", ",3351,")).unwrap();
    let out = casrep()
        .arg("check")
        .arg("--reference")
        .arg(&reference)
        .arg(dir.path().join("articles"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let mismatches = ndjson(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(mismatches.len(), 1, "{mismatches:?}");
    assert_eq!(mismatches[0]["stated"], 3350);
    assert_eq!(mismatches[0]["reference"], 3351);
    assert_eq!(mismatches[0]["quote"], "3,350 tanks");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "2023-02-23-report.txt:1: \"3,350 tanks\" states 3350 tanks on 2023-02-23 where \
             the series has 3351"
        ),
        "{stderr}"
    );

    casrep()
        .args(["check", "--reference"])
        .arg(dir.path().join("articles/a/2023-02-22-report.txt"))
        .arg(dir.path().join("articles"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the first column must be `date`"));
}

#[test]
fn schema_prints_the_json_schemas() {
    for (args, title) in [
        (&["schema"][..], "casrep timeline"),
        (&["schema", "timeline"], "casrep timeline"),
        (&["schema", "figure"], "casrep figure"),
    ] {
        let schema: Value = serde_json::from_str(&stdout_of(casrep().args(args))).unwrap();
        assert_eq!(schema["title"], title);
    }
}

#[test]
fn csv_writes_one_row_per_date_of_the_chosen_series() {
    let dir = tempfile::tempdir().unwrap();
    two_articles(dir.path());
    let csv = stdout_of(
        casrep()
            .args(["timeline", "--format", "csv"])
            .arg(dir.path()),
    );
    let rows: Vec<&str> = csv.lines().collect();
    assert!(rows[0].starts_with("date,day,personnel,tanks,afv,"));
    assert!(rows[1].starts_with("2023-02-22,364,145060,3334,"), "{csv}");
    assert!(rows[2].starts_with("2023-02-23,365,145850,3350,"), "{csv}");
    // A claimant with no series is refused, with the ones there are.
    casrep()
        .args(["timeline", "--format", "csv", "--claimant", "united_states"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "--claimant united_states: no series of that claimant in the timeline; its \
             claimants are: ukraine",
        ));
}

#[test]
fn bad_arguments_give_status_2_and_nothing_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["timeline", "--claimant", "ukraine"][..],
        &["timeline", "--format", "xml"],
        &["extract", "--date", "22/02/2023"],
        &["frobnicate"],
    ] {
        casrep()
            .args(args)
            .arg(dir.path())
            .assert()
            .code(2)
            .stdout("");
    }
}

#[test]
fn check_without_a_reference_uses_the_built_in_series_and_ends_with_a_count() {
    let dir = tempfile::tempdir().unwrap();
    two_articles(dir.path());
    // Both articles quote the official series right.
    casrep()
        .arg("check")
        .arg(dir.path())
        .assert()
        .success()
        .stdout("")
        .stderr(
            predicate::str::is_match(
                "^casrep: check: [0-9]+ figures checked against the built-in official daily \
             series, 0 disagree; [0-9]+ not checked",
            )
            .unwrap(),
        );
    // A misquote is reported, never corrected: extraction keeps the stated value.
    let wrong = dir.path().join("c/2023-02-24-report.txt");
    fs::create_dir_all(wrong.parent().unwrap()).unwrap();
    fs::write(
        &wrong,
        "Ukraine's General Staff said Russia has lost 146,000 troops since the invasion.\n",
    )
    .unwrap();
    let figures = ndjson(&stdout_of(casrep().arg("extract").arg(&wrong)));
    assert_eq!(figures[0]["value"], 146000);
    casrep()
        .arg("check")
        .arg(&wrong)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "states 146000 personnel on 2023-02-24 where the series has 146820",
        ))
        .stderr(predicate::str::contains("1 figure checked against"))
        .stderr(predicate::str::contains("1 disagrees"));
}

#[test]
fn check_piped_into_head_keeps_its_status_for_mismatches() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    // Made-up totals: nearly every one disagrees with the official series, far more output
    // than a pipe holds.
    corpus(dir.path(), 400, 6);
    let mut child = Command::new(util::casrep_path())
        .arg("check")
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    serde_json::from_str::<Value>(&first).unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(1));
}

#[test]
fn check_refuses_a_reference_column_it_would_silently_skip() {
    let dir = tempfile::tempdir().unwrap();
    two_articles(dir.path());
    let reference = dir.path().join("reference.csv");
    for (header, problem) in [
        (
            "date,day,personnel,tankz",
            "column \"tankz\" is no category id; did you mean \"tanks\"?",
        ),
        (
            "date,day,personnel,personnel",
            "column \"personnel\" appears twice",
        ),
    ] {
        fs::write(
            &reference,
            format!("{header}\n2023-02-22,364,145060,3334\n"),
        )
        .unwrap();
        casrep()
            .arg("check")
            .arg("--reference")
            .arg(&reference)
            .arg(dir.path())
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(format!(
                "casrep: {}: reference: {problem}",
                reference.display()
            )));
    }
}

#[test]
fn the_cron_job_works_from_its_first_night() {
    let dir = tempfile::tempdir().unwrap();
    two_articles(&dir.path().join("articles"));
    let out = dir.path().join("data/losses.json");
    fs::create_dir_all(out.parent().unwrap()).unwrap();
    let night = |folder: &str| {
        casrep()
            .args(["timeline", "--merge"])
            .arg(&out)
            .arg("--output")
            .arg(&out)
            .arg(dir.path().join("articles").join(folder))
            .assert()
    };
    // First night: nothing to merge yet, a note, and the file is written.
    night("a").success().stdout("").stderr(format!(
        "casrep: {}: not there yet: starting a new timeline (--merge names the --output file)\n",
        out.display()
    ));
    assert!(
        fs::read(&out).unwrap()
            == stdout_of(casrep().arg("timeline").arg(dir.path().join("articles/a"))).as_bytes()
    );
    // The next night folds into it, quietly.
    night("b").success().stderr("");
    let whole = stdout_of(casrep().arg("timeline").arg(dir.path().join("articles")));
    assert!(fs::read(&out).unwrap() == whole.as_bytes());
    // A missing --merge file that is not the output is still a mistake.
    casrep()
        .args(["timeline", "--merge"])
        .arg(dir.path().join("data/typo.json"))
        .arg("--output")
        .arg(&out)
        .arg(dir.path().join("articles"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "typo.json: no such file or directory",
        ));
}

#[test]
fn j_0_means_as_many_workers_as_cores() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path(), 40, 3);
    let one = stdout_of(casrep().args(["extract", "-j", "1"]).arg(dir.path()));
    assert!(one == stdout_of(casrep().args(["extract", "-j", "0"]).arg(dir.path())));
}

#[test]
fn an_empty_folder_empty_stdin_and_a_binary_file_each_get_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let binary = dir.path().join("scan.dat");
    fs::write(&binary, b"PK\x03\x04\0\0 145,060 troops").unwrap();
    for command in ["extract", "timeline", "check"] {
        casrep()
            .arg(command)
            .arg(&empty)
            .assert()
            .success()
            .stderr(predicate::str::contains(format!(
                "casrep: {}: no file to read in this folder\n",
                empty.display()
            )));
        casrep()
            .arg(command)
            .write_stdin("")
            .assert()
            .success()
            .stderr(predicate::str::contains(
                "casrep: <stdin>: empty input, nothing to read\n",
            ));
        casrep()
            .arg(command)
            .arg(&binary)
            .assert()
            .success()
            .stderr(predicate::str::contains(format!(
                "casrep: {}: binary file (a NUL byte at offset 4), skipped\n",
                binary.display()
            )));
    }
    // Notes are for people: --quiet silences them.
    casrep()
        .args(["extract", "--quiet"])
        .arg(&empty)
        .assert()
        .success()
        .stderr("");
}

#[test]
fn a_folder_date_that_disagrees_with_the_file_name_is_noted_and_loses() {
    let dir = tempfile::tempdir().unwrap();
    let files = [(
        "articles/2026/11/25/2023-02-22-story.txt".to_owned(),
        "Russia has lost 145,060 troops since the invasion began, the General Staff said.\n"
            .to_owned(),
    )];
    write_files(dir.path(), &files);
    let path = dir.path().join(&files[0].0);
    let out = casrep().arg("extract").arg(&path).output().unwrap();
    assert!(out.status.success());
    let figures = ndjson(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(figures[0]["date"], "2023-02-22", "{figures:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    let line = format!(
        "casrep: {}: the folder '2026/11/25' (2026-11-25) is 1372 days from the article's date \
         2023-02-22",
        path.display()
    );
    assert!(stderr.starts_with(&line), "{stderr}");
    // --quiet silences the note.
    let out = casrep()
        .args(["extract", "--quiet"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.stderr.is_empty());
}

#[test]
fn an_update_footer_set_aside_is_noted_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let files = [(
        "post.txt".to_owned(),
        "Losses update\n\nRussia had lost 3,350 tanks by February 21, 2023, the General \
         Staff said.\n\nLast updated: 2026-01-01\n"
            .to_owned(),
    )];
    write_files(dir.path(), &files);
    let path = dir.path().join("post.txt");
    let out = casrep().arg("extract").arg(&path).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("post.txt: update stamp 'Last updated: 2026-01-01' set aside"),
        "{stderr}"
    );
}
