//! Single-article extraction, one benchmark per style of article (the fixtures' articles,
//! embedded at build time), plus tokenizing alone. `cargo bench`; the corpus-scale figures
//! come from bench/corpus.sh.

use std::hint::black_box;

use casrep::extract::{extract, Options};
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

criterion_group!(benches, single_article, tokenize_only);
criterion_main!(benches);
