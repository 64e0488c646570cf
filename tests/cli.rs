//! The built binary on temporary folders: stdout, stderr and exit status of each command.

mod util;

use std::fs;
use std::path::Path;

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
}

#[test]
fn one_and_eight_workers_print_the_same_bytes_on_500_articles() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path(), 500, 7);
    for command in [&["extract"][..]] {
        let run = |jobs: &str| stdout_of(casrep().args(command).args(["-j", jobs]).arg(dir.path()));
        let one = run("1");
        assert!(one.len() > 10_000, "{command:?} printed little: {one}");
        assert!(one == run("8"), "{command:?}: -j 1 and -j 8 differ");
    }
}
