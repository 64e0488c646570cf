//! The timeline's own work, apart from extraction: building partial timelines from figures,
//! folding them into one (as `casrep timeline` does batch by batch), writing the JSON, reading
//! it back (`--merge`), and choosing among many values of one key. `cargo bench --bench
//! timeline`; figures are synthetic, in the shape of a daily series reported by many articles.

use std::hint::black_box;

use casrep::figure::{article_hash, Figure, Kind, Qualifier};
use casrep::timeline::{self, Builder, Timeline};
use chrono::{Duration, NaiveDate};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

const CATEGORIES: [&str; 8] = [
    "personnel",
    "tanks",
    "afv",
    "artillery",
    "mlrs",
    "air_defense",
    "uav",
    "vehicles",
];

/// The figures of `articles` articles: each reports one day's totals and changes of every
/// category; a tenth of them are a day late (an earlier total restated), so keys have
/// conflicts to resolve.
fn figures(articles: usize) -> Vec<Figure> {
    let start = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    let mut out = Vec::new();
    for a in 0..articles {
        let day = (a % 400) as i64;
        let date = start + Duration::days(day);
        let late = a % 10 == 0;
        let file = format!("articles/{:02}/{a:06}.txt", a % 97);
        let hash = Some(article_hash(&file));
        for (c, category) in CATEGORIES.iter().enumerate() {
            let per_day = 3 + c as u64 * 7;
            let total = 1000 * (c as u64 + 1) + per_day * (day as u64 - u64::from(late));
            for (line, kind, value) in [(c + 2, Kind::Total, total), (c + 2, Kind::Delta, per_day)]
            {
                out.push(Figure {
                    file: file.clone(),
                    hash: hash.clone(),
                    line,
                    start: line * 40,
                    end: line * 40 + 12,
                    quote: format!("{value} {category}"),
                    sentence: format!("Russia has lost {value} {category}."),
                    category: (*category).to_owned(),
                    kind,
                    days: (kind == Kind::Delta).then_some(1),
                    value,
                    qualifier: Qualifier::Exact,
                    side: Some("russia".to_owned()),
                    claimant: Some("ukraine".to_owned()),
                    lang: Some("en".to_owned()),
                    date: Some(date),
                    date_basis: "dateline".to_owned(),
                });
            }
        }
    }
    out
}

/// The partial timelines of `articles` articles, 32 at a time, as the workers build them.
fn parts(articles: usize) -> Vec<Timeline> {
    parts_of(figures(articles))
}

fn parts_of(figures: Vec<Figure>) -> Vec<Timeline> {
    figures
        .chunks(32 * CATEGORIES.len() * 2)
        .map(|chunk| timeline::build(chunk.to_vec()))
        .collect()
}

/// The same figures with every fourth one undated: past 4,096 of them the timeline keeps them
/// in sorted temporary runs, merged while the document is written.
fn figures_with_undated(articles: usize) -> Vec<Figure> {
    let mut out = figures(articles);
    for (k, f) in out.iter_mut().enumerate() {
        if k % 4 == 3 {
            f.date = None;
            f.date_basis = "no document date".to_owned();
        }
    }
    out
}

fn json(t: &Timeline) -> String {
    let mut out = Vec::new();
    timeline::write_json(t, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn bench(c: &mut Criterion) {
    let articles = 4000;
    let mut g = c.benchmark_group("timeline");
    g.sample_size(10);
    g.throughput(Throughput::Elements(articles as u64));
    g.bench_function("build_4000_articles", |b| {
        b.iter_batched(
            || figures(articles),
            |f| black_box(timeline::build(f)),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("fold_4000_articles_of_parts", |b| {
        b.iter_batched(
            || parts(articles),
            |parts| {
                let mut running = Builder::default();
                for part in parts {
                    running.add(part);
                }
                black_box(running.finish())
            },
            BatchSize::LargeInput,
        )
    });
    g.bench_function("merge_4000_articles_of_parts", |b| {
        b.iter_batched(
            || parts(articles),
            |parts| black_box(timeline::merge(parts)),
            BatchSize::LargeInput,
        )
    });
    // 16,000 undated figures: spilled to runs, merged while writing.
    g.bench_function("merge_and_write_4000_articles_spilled_undated", |b| {
        b.iter_batched(
            || parts_of(figures_with_undated(articles)),
            |parts| black_box(json(&timeline::merge(parts)).len()),
            BatchSize::LargeInput,
        )
    });
    let whole = timeline::merge(parts(articles));
    let text = json(&whole);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("write_json", |b| b.iter(|| black_box(json(&whole))));
    g.bench_function("read_json", |b| {
        b.iter(|| black_box(timeline::from_json(&text).unwrap()))
    });
    g.finish();

    // One key stated with 20,000 different values (a hostile input): O(n log n), not n^2.
    let many: Vec<Figure> = (0..20_000u64)
        .map(|i| Figure {
            file: format!("f{i}.txt"),
            value: 1000 + i,
            ..figures(1).remove(2)
        })
        .collect();
    let mut g = c.benchmark_group("timeline_conflict");
    g.sample_size(10);
    g.throughput(Throughput::Elements(many.len() as u64));
    g.bench_function("20000_values_of_one_key", |b| {
        b.iter_batched(
            || many.clone(),
            |f| black_box(timeline::build(f).conflicts()),
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
