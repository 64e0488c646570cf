//! Folders nobody cleaned: line ends, encodings, deep nesting, bad alias files. Each case runs the
//! built binary and checks stdout, stderr and the exit status.

mod util;

use std::fs;

use serde_json::Value;

use util::casrep;

const ARTICLE: &str = "Published: 2023-02-22\n\nRussia has lost 145,060 troops, the General Staff said.\nIt also lists 3,334 tanks destroyed.\n";

fn figures(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn summary(figs: &[Value]) -> Vec<(String, u64, u64, String)> {
    figs.iter()
        .map(|f| {
            (
                f["category"].as_str().unwrap().to_owned(),
                f["value"].as_u64().unwrap(),
                f["line"].as_u64().unwrap(),
                f["date"].as_str().unwrap_or("null").to_owned(),
            )
        })
        .collect()
}

#[test]
fn crlf_and_lone_cr_line_ends_read_like_lf() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("lf.txt"), ARTICLE).unwrap();
    fs::write(dir.path().join("crlf.txt"), ARTICLE.replace('\n', "\r\n")).unwrap();
    fs::write(dir.path().join("cr.txt"), ARTICLE.replace('\n', "\r")).unwrap();
    let run = |name: &str| {
        let out = casrep()
            .arg("extract")
            .arg(dir.path().join(name))
            .output()
            .unwrap();
        assert!(out.status.success());
        let figs = figures(&out.stdout);
        let text = fs::read_to_string(dir.path().join(name)).unwrap();
        for f in &figs {
            let (s, e) = (
                f["start"].as_u64().unwrap() as usize,
                f["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[s..e], f["quote"].as_str().unwrap());
        }
        summary(&figs)
    };
    let lf = run("lf.txt");
    assert_eq!(lf.len(), 2, "{lf:?}");
    assert_eq!(run("crlf.txt"), lf);
    assert_eq!(run("cr.txt"), lf);
}

#[test]
fn legacy_encodings_are_decoded_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    // Windows-1252: a curly apostrophe (0x92) makes it invalid UTF-8.
    let mut cp1252 = b"Published: 2023-02-22\n\nRussia\x92s army has lost 3,334 tanks, the General Staff said.\n".to_vec();
    cp1252.extend_from_slice(b"\n");
    fs::write(dir.path().join("a.txt"), &cp1252).unwrap();
    // UTF-16 LE with a byte-order mark.
    let mut utf16 = vec![0xff, 0xfe];
    for u in ARTICLE.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    fs::write(dir.path().join("b.txt"), &utf16).unwrap();
    // UTF-8 with a byte-order mark.
    fs::write(dir.path().join("c.txt"), format!("\u{feff}{ARTICLE}")).unwrap();
    let out = casrep().arg("extract").arg(dir.path()).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("a.txt: not valid UTF-8, read as windows-1252"),
        "{stderr}"
    );
    let figs = figures(&out.stdout);
    let values: Vec<u64> = figs.iter().map(|f| f["value"].as_u64().unwrap()).collect();
    assert_eq!(values, [3334, 145060, 3334, 145060, 3334], "{figs:?}");
}

#[test]
fn deeply_nested_folders_are_walked() {
    let dir = tempfile::tempdir().unwrap();
    let mut deep = dir.path().to_path_buf();
    for i in 0..120 {
        deep.push(format!("d{i}"));
    }
    fs::create_dir_all(&deep).unwrap();
    fs::write(deep.join("2023-02-22.txt"), ARTICLE).unwrap();
    let out = casrep().arg("extract").arg(dir.path()).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(figures(&out.stdout).len(), 2);
}

#[test]
fn a_malformed_alias_file_is_refused_naming_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), ARTICLE).unwrap();
    let aliases = dir.path().join("aliases.json");
    fs::write(&aliases, r#"{"tanks": ["heavy armour"], "afv": "armour"}"#).unwrap();
    let out = casrep()
        .arg("extract")
        .arg("--aliases")
        .arg(&aliases)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("aliases.json") && stderr.contains("\"afv\""),
        "{stderr}"
    );
}

#[test]
fn a_missing_or_folder_table_or_reference_is_named_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    fs::write(&article, ARTICLE).unwrap();
    let missing = dir.path().join("missing.json");
    for (args, problem) in [
        (
            vec!["extract", "--aliases", missing.to_str().unwrap()],
            "cannot read the alias file: no such file or directory",
        ),
        (
            vec!["extract", "--aliases", dir.path().to_str().unwrap()],
            "cannot read the alias file: is a directory",
        ),
        (
            vec!["extract", "--lang-file", missing.to_str().unwrap()],
            "cannot read the language file: no such file or directory",
        ),
        (
            vec!["check", "--reference", dir.path().to_str().unwrap()],
            "is a folder; --reference takes a CSV file",
        ),
    ] {
        let out = casrep().args(&args).arg(&article).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(problem), "{args:?}: {stderr}");
        assert!(!stderr.contains("os error"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_user_alias_names_a_category() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "Published: 2023-02-22\n\nRussia has lost 3,312 heavy armour pieces, the General Staff said.\n").unwrap();
    let aliases = dir.path().join("aliases.json");
    fs::write(&aliases, r#"{"tanks": ["heavy armour pieces"]}"#).unwrap();
    let out = casrep()
        .arg("extract")
        .arg("--aliases")
        .arg(&aliases)
        .arg(dir.path().join("a.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let figs = figures(&out.stdout);
    assert_eq!(
        summary(&figs),
        [("tanks".to_owned(), 3312, 3, "2023-02-22".to_owned())]
    );
}

#[test]
fn an_empty_file_is_success_with_no_output() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("empty.txt"), "").unwrap();
    let out = casrep().arg("extract").arg(dir.path()).output().unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn dates_outside_the_war_are_refused_where_they_enter() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    fs::write(
        &article,
        "Russia lost 620 troops over the previous day and 3,334 tanks in all, Kyiv said a week ago.\n",
    )
    .unwrap();
    for flag in [
        "--date=-262143-01-01",
        "--date=+262142-12-31",
        "--invasion-start=1900-01-01",
    ] {
        let out = casrep()
            .arg("extract")
            .arg(flag)
            .arg(&article)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("is outside the dates casrep reads (2014-01-01 to 2035-12-31)"),
            "{flag}: {stderr}"
        );
    }
    // A figure line and a timeline dated beyond any war.
    let ok = casrep()
        .args(["extract", "--date=2023-02-22"])
        .arg(&article)
        .output()
        .unwrap();
    let line = String::from_utf8(ok.stdout).unwrap();
    let far = line.replace("\"date\":\"2023-02-22\"", "\"date\":\"+262142-12-31\"");
    assert_ne!(far, line);
    fs::write(dir.path().join("f.ndjson"), &far).unwrap();
    let out = casrep()
        .arg("timeline")
        .arg(dir.path().join("f.ndjson"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("f.ndjson:2: not a casrep figure: date +262142-12-31 is outside"),
        "{stderr}"
    );
    let timeline = casrep()
        .args(["timeline", "--date=2023-02-22"])
        .arg(&article)
        .output()
        .unwrap();
    let text = String::from_utf8(timeline.stdout).unwrap();
    fs::write(
        dir.path().join("t.json"),
        text.replace("\"2023-02-22\"", "\"9999-12-31\""),
    )
    .unwrap();
    let out = casrep()
        .args(["timeline", "--merge"])
        .arg(dir.path().join("t.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("t.json: not a casrep timeline: 9999-12-31 is outside"),
        "{stderr}"
    );
}

/// A Ukrainian daily post of our own, in the General Staff's layout.
const UK_POST: &str = "Генеральний штаб ЗСУ\n\n\
    Загальні бойові втрати противника з 24.02.22 по 14.03.24 орієнтовно склали:\n\n\
    особового складу ‒ близько 431620 (+870) осіб ліквідовано,\n\
    танків ‒ 6802 (+12) од,\n\
    артилерійських систем – 10621 (+31) од,\n\
    автомобільної техніки та цистерн з ПММ – 13944 (+40) од.\n\n\
    Дані уточнюються.\n";

fn values_of(bytes: &[u8]) -> (Vec<u64>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("post.txt");
    fs::write(&path, bytes).unwrap();
    let out = casrep().arg("extract").arg(&path).output().unwrap();
    assert!(out.status.success());
    let values = figures(&out.stdout)
        .iter()
        .map(|f| f["value"].as_u64().unwrap())
        .collect();
    (values, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_stray_byte_or_a_legacy_encoding_loses_no_figure() {
    let (clean, stderr) = values_of(UK_POST.as_bytes());
    assert_eq!(clean.len(), 8, "{clean:?}");
    assert!(stderr.is_empty(), "{stderr}");
    // One stray byte in the first line, and a character cut at the end.
    let mut stray = UK_POST.as_bytes().to_vec();
    stray.insert(10, 0xFF);
    stray.extend_from_slice(&"ї".as_bytes()[..1]);
    let (values, stderr) = values_of(&stray);
    assert_eq!(values, clean);
    assert!(
        stderr.contains("not valid UTF-8 in 2 places (the first at byte 10), read as UTF-8"),
        "{stderr}"
    );
    // KOI8 has no typographic dashes: the post as a careful rewrite in KOI8 would have it.
    let plain = UK_POST.replace(['‒', '–'], "-");
    let (koi8, _, unmappable) = encoding_rs::KOI8_U.encode(&plain);
    assert!(!unmappable);
    let (values, stderr) = values_of(&koi8);
    assert_eq!(values, clean);
    assert!(
        stderr.contains("not valid UTF-8, read as KOI8-U"),
        "{stderr}"
    );
    let utf16: Vec<u8> = UK_POST.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let (values, stderr) = values_of(&utf16);
    assert_eq!(values, clean);
    assert!(
        stderr.contains("no byte-order mark, read as UTF-16LE"),
        "{stderr}"
    );
}

#[test]
fn invisible_marks_other_digits_decimals_and_minus_signs_give_the_right_figure_or_none() {
    let lines = [
        ("145\u{200b}060", Some(145060)),
        ("145\u{2060}060", Some(145060)),
        ("145\u{feff}060", Some(145060)),
        ("145,\u{200b}060", Some(145060)),
        ("\u{200f}145,060\u{200f}", Some(145060)),
        (
            "\u{661}\u{664}\u{665}\u{66c}\u{660}\u{666}\u{660}",
            Some(145060),
        ),
        (
            "\u{ff11}\u{ff14}\u{ff15}\u{ff0c}\u{ff10}\u{ff16}\u{ff10}",
            Some(145060),
        ),
        ("3,334.7", None),
        ("\u{2212}145,060", None),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("Published: 2023-02-22\n\n");
    for (number, _) in &lines {
        text.push_str(&format!(
            "Russia has lost {number} troops, the General Staff said.\n\n"
        ));
    }
    let path = dir.path().join("a.txt");
    fs::write(&path, &text).unwrap();
    let out = casrep().arg("extract").arg(&path).output().unwrap();
    assert!(out.status.success());
    let figs = figures(&out.stdout);
    for f in &figs {
        let (s, e) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..e], f["quote"].as_str().unwrap());
    }
    for (k, (number, expected)) in lines.iter().enumerate() {
        let line = 3 + 2 * k as u64;
        let got: Vec<u64> = figs
            .iter()
            .filter(|f| f["line"].as_u64() == Some(line))
            .map(|f| f["value"].as_u64().unwrap())
            .collect();
        assert_eq!(
            got,
            expected.iter().copied().collect::<Vec<_>>(),
            "{number:?}"
        );
    }
}

#[test]
fn one_long_input_read_by_one_job_gives_the_figures_of_two() {
    // Over 2 MiB: three windows, more than one job reads at a time, so its figures come in
    // several batches (a run that waited for the first to be taken never ended).
    let (text, expected) = long_report((2 << 20) + (64 << 10));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.txt");
    fs::write(&path, &text).unwrap();
    let run = |jobs: &str, stdin: bool| {
        let mut cmd = casrep();
        cmd.args(["extract", "--quiet", "-j", jobs])
            .timeout(std::time::Duration::from_secs(120));
        if stdin {
            cmd.arg("-").pipe_stdin(&path).unwrap();
        } else {
            cmd.arg(&path);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "-j {jobs}, stdin {stdin}: {:?}",
            out.status
        );
        out.stdout
    };
    let two = run("2", false);
    assert_eq!(figures(&two).len(), expected.len());
    assert!(run("1", false) == two, "-j 1 of the file");
    // Standard input is named "-": the same figures at the same places.
    let at = |out: &[u8]| -> Vec<(Value, Value, Value)> {
        let place = |f: &Value| (f["value"].clone(), f["line"].clone(), f["start"].clone());
        figures(out).iter().map(place).collect()
    };
    assert!(at(&run("1", true)) == at(&two), "-j 1 of standard input");
}

/// A report of at least `min_len` bytes: a header, then paragraphs of two figures each; with
/// each figure's (line, value), in order.
fn long_report(min_len: usize) -> (String, Vec<(u64, u64)>) {
    let mut text = String::from("Losses report\nPublished: 2023-02-22\n\n");
    let mut expected = Vec::new();
    let mut line = 1 + text.matches('\n').count() as u64;
    let mut k = 0u64;
    while text.len() < min_len {
        expected.push((line, 100_000 + k));
        expected.push((line, 3_000 + k % 5_000));
        text.push_str(&format!(
            "Russia has lost {} troops and {} tanks, the General Staff said.\n\n",
            100_000 + k,
            3_000 + k % 5_000
        ));
        line += 2;
        k += 1;
    }
    (text, expected)
}

#[test]
fn a_file_longer_than_a_window_gives_every_figure_with_exact_offsets_and_lines() {
    // Just over 1 MiB of paragraphs under one header: read in two windows of at most 1 MiB.
    let (text, expected) = long_report((1 << 20) + (64 << 10));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.txt");
    fs::write(&path, &text).unwrap();
    let out = casrep().arg("extract").arg(&path).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let figs = figures(&out.stdout);
    let got: Vec<(u64, u64)> = figs
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["value"].as_u64().unwrap()))
        .collect();
    assert_eq!(got.len(), expected.len());
    let differ = got.iter().zip(&expected).position(|(a, b)| a != b);
    assert_eq!(differ, None, "first difference");
    for f in &figs {
        let (s, e) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..e], f["quote"].as_str().unwrap());
        assert_eq!(f["date"], "2023-02-22");
    }
    // Through stdin the same figures.
    let piped = casrep()
        .arg("extract")
        .pipe_stdin(&path)
        .unwrap()
        .output()
        .unwrap();
    let piped = figures(&piped.stdout);
    assert_eq!(piped.len(), figs.len());
    let same = |a: &Value, b: &Value| a["start"] == b["start"] && a["line"] == b["line"];
    assert!(piped.iter().zip(&figs).all(|(a, b)| same(a, b)));
}
