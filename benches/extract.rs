//! Single-article extraction, one benchmark per style of article (the fixtures' articles,
//! embedded at build time), plus tokenizing alone, the first pass alone and the start-up's
//! reading of a language's tables. `cargo bench`; the corpus-scale figures
//! come from bench/corpus.sh.

use std::hint::black_box;

use casrep::extract::{extract, first_pass, Options};
use casrep::lexicon::Lexicon;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// (style, file name, text): one article of each style the extractor reads.
const ARTICLES: &[(&str, &str, &str)] = &[
    (
        "official_post_en",
        "general-staff-en-post.txt",
        include_str!("../fixtures/articles/general-staff-en-post.txt"),
    ),
    (
        "official_post_uk",
        "general-staff-uk-post.txt",
        include_str!("../fixtures/articles/general-staff-uk-post.txt"),
    ),
    (
        "wire_story",
        "wire-weekday-dateline.txt",
        include_str!("../fixtures/articles/wire-weekday-dateline.txt"),
    ),
    (
        "news_prose",
        "2023-02-22-kyiv-independent-style.txt",
        include_str!("../fixtures/articles/2023-02-22-kyiv-independent-style.txt"),
    ),
    (
        "bullet_list",
        "bullets-with-deltas.txt",
        include_str!("../fixtures/articles/bullets-with-deltas.txt"),
    ),
    (
        "markdown_table",
        "header-updated-markdown-table.txt",
        include_str!("../fixtures/articles/header-updated-markdown-table.txt"),
    ),
    (
        "fixed_width_table",
        "fixed-width-table-previous-day.txt",
        include_str!("../fixtures/articles/fixed-width-table-previous-day.txt"),
    ),
    (
        "liveblog",
        "liveblog-timestamps.txt",
        include_str!("../fixtures/articles/liveblog-timestamps.txt"),
    ),
    (
        "estimates_by_claimant",
        "us-uk-estimates-vs-kyiv.txt",
        include_str!("../fixtures/articles/us-uk-estimates-vs-kyiv.txt"),
    ),
    (
        "traps_no_figures",
        "trap-reservists-and-populations.txt",
        include_str!("../fixtures/articles/trap-reservists-and-populations.txt"),
    ),
];

fn single_article(c: &mut Criterion) {
    let lex = Lexicon::builtin();
    let opts = Options::default();
    let mut group = c.benchmark_group("extract");
    for (style, file, text) in ARTICLES {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(*style, |b| {
            b.iter(|| extract(lex, black_box(file), black_box(text), &opts))
        });
    }
    group.finish();
}

fn tokenize_only(c: &mut Criterion) {
    let lex = Lexicon::builtin().language("en").unwrap();
    let (_, _, text) = ARTICLES[3];
    let mut group = c.benchmark_group("tokenize");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("news_prose", |b| b.iter(|| lex.tokenize(black_box(text))));
    group.finish();
}

/// A fixed text of about 1 MB: the articles above, one after another, over and over, each
/// with a number of its own in its first line so that no two copies are the same.
fn generated_text() -> String {
    let mut text = String::with_capacity(1 << 20);
    let mut copy = 0;
    while text.len() < 1 << 20 {
        for (_, _, article) in ARTICLES {
            text.push_str(&format!("Update {copy}\n\n"));
            text.push_str(article);
            text.push_str("\n\n");
        }
        copy += 1;
    }
    text
}

/// The first pass alone (tokens, the tables' start marks, dates and day counts), in MB/s.
fn first_pass_only(c: &mut Criterion) {
    let lex = Lexicon::builtin().language("en").unwrap();
    let text = generated_text();
    let mut group = c.benchmark_group("first_pass");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.bench_function("generated_1mb", |b| {
        b.iter(|| first_pass(lex, black_box(&text)))
    });
    group.bench_function("tokenize_1mb", |b| {
        b.iter(|| lex.tokenize(black_box(&text)))
    });
    group.finish();
}

/// Start-up: the lexicon loaded and a language's tables read (those build.rs built), as a run
/// does before its first article.
fn tables_only(c: &mut Criterion) {
    let mut group = c.benchmark_group("tables");
    for code in ["en", "uk"] {
        group.bench_function(code, |b| {
            b.iter(|| {
                let lexicon = Lexicon::load(None).unwrap();
                black_box(lexicon.language(code).is_some())
            })
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    single_article,
    tokenize_only,
    first_pass_only,
    tables_only
);
criterion_main!(benches);
