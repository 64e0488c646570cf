//! Settings checked from the command line, and the dispatch of each command. Below this module
//! nothing knows about clap.

use std::fs::File;
use std::io::{self, BufReader, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use chrono::NaiveDate;

use crate::cli::{
    self, CategoriesArgs, CheckArgs, Cli, Command, CompletionsArgs, ExtractArgs, InputArgs,
    ManArgs, PlotArgs, SchemaArgs, SchemaKind, TimelineArgs,
};
use crate::extract::Options;
use crate::inputs::Source;
use crate::lexicon::Lexicon;
use crate::messages::{self, Messages};
use crate::output::{self, Stdout, TimelineFormat};
use crate::plot::PlotOptions;
use crate::progress::{self, Spinner};
use crate::table::TableOptions;
use crate::timeline::{self, CsvOptions, Timeline};
use crate::{atomic, check, figure, inputs, pipeline, plot, schema, table};
use casrep::suggest;

/// What every command that reads articles needs.
pub struct InputSettings {
    pub paths: Vec<PathBuf>,
    pub options: Options,
    /// Loaded once and never freed: tearing down its tables at exit would cost more start-up
    /// time than all of a small article's extraction.
    pub lexicon: &'static Lexicon,
    pub quiet: bool,
    pub jobs: usize,
}

/// The word tables with the user's aliases and language files, with a message naming the flag.
fn load_lexicon(aliases: Option<&std::path::Path>, lang_files: &[PathBuf]) -> Result<Lexicon> {
    let flag = match (aliases.is_some(), lang_files.is_empty()) {
        (true, true) => "--aliases",
        (false, false) => "--lang-file",
        _ => "--aliases / --lang-file",
    };
    Lexicon::load_from(&crate::lexicon::Sources {
        aliases,
        languages: lang_files,
    })
    .context(flag)
}

fn parse_date(flag: &str, s: &str) -> Result<NaiveDate> {
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .with_context(|| format!("{flag} {s:?}: expected a date like 2023-02-23"))?;
    match figure::date_out_of_range(date) {
        Some(problem) => bail!("{flag} {s}: {problem}"),
        None => Ok(date),
    }
}

impl InputSettings {
    pub fn from_args(a: &InputArgs) -> Result<InputSettings> {
        let date = a
            .date
            .as_deref()
            .map(|d| parse_date("--date", d))
            .transpose()?;
        let invasion_start = parse_date("--invasion-start", &a.invasion_start)?;
        let lexicon: &'static Lexicon =
            Box::leak(Box::new(load_lexicon(a.aliases.as_deref(), &a.lang_files)?));
        if let Some(code) = &a.lang {
            if lexicon.language(code).is_none() {
                let known: Vec<&str> = lexicon
                    .languages()
                    .iter()
                    .map(|l| l.code.as_str())
                    .collect();
                bail!(
                    "--lang {code:?}: no such language; casrep reads {}",
                    known.join(", ")
                );
            }
        }
        // 0, as with ripgrep: as many workers as cores.
        let jobs = match a.jobs {
            Some(0) | None => std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
            Some(n) => n,
        };
        Ok(InputSettings {
            paths: a.paths.clone(),
            options: Options {
                date,
                invasion_start,
                lang: a.lang.clone(),
            },
            lexicon,
            quiet: a.quiet,
            jobs,
        })
    }
}

pub fn dispatch(cli: Cli) -> Result<ExitCode> {
    progress::set_color(match cli.color {
        cli::ColorWhen::Auto => None,
        cli::ColorWhen::Always => Some(true),
        cli::ColorWhen::Never => Some(false),
    });
    let writes_stdout = match &cli.command {
        Command::Timeline(a) => a.output.is_none(),
        Command::Plot(a) => a.output.as_os_str() == "-",
        _ => true,
    };
    if writes_stdout {
        check_stdout()?;
    }
    match cli.command {
        Command::Extract(a) => run_extract(&a),
        Command::Timeline(a) => run_timeline(&a),
        Command::Check(a) => run_check(&a),
        Command::Categories(a) => run_categories(&a),
        Command::Schema(a) => run_schema(&a),
        Command::Plot(a) => run_plot(&a),
        Command::Completions(a) => run_completions(&a),
        Command::Man(a) => run_man(&a),
    }
}

/// Refuses to start when stdout is closed (`>&-`), which would end in success having written
/// nothing. Rust's runtime opens /dev/null, read-write, on a standard descriptor found closed at
/// start; a shell's `>/dev/null` opens it write-only. So a /dev/null open for both is taken for
/// a closed stdout (only the rare `1<>/dev/null` looks the same).
pub fn check_stdout() -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        let dev_null = std::fs::metadata("/dev/null").ok();
        // SAFETY: fstat and F_GETFL only read the state of a descriptor, open or not; `stat` is
        // plain data that fstat fills in.
        let (flags, rdev) = unsafe {
            let mut stat: libc::stat = std::mem::zeroed();
            let flags = libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFL);
            let rdev = (libc::fstat(libc::STDOUT_FILENO, &mut stat) == 0
                && (stat.st_mode & libc::S_IFMT) == libc::S_IFCHR)
                .then_some(stat.st_rdev as u64);
            (flags, rdev)
        };
        let null_rdev = dev_null
            .filter(|m| m.file_type().is_char_device())
            .map(|m| m.rdev());
        let reopened = flags != -1
            && flags & libc::O_ACCMODE == libc::O_RDWR
            && rdev.is_some()
            && rdev == null_rdev;
        if flags == -1 || reopened {
            bail!(
                "stdout: not open (closed with >&-?): casrep writes its data there; redirect \
                 it to a file or to /dev/null, or give --output FILE"
            );
        }
    }
    Ok(())
}

/// A failed write to stdout, naming it (`stdout: cannot write: no space left on device`). The
/// error keeps its kind, so a closed pipe is still recognised as a quiet end.
pub fn stdout_failed(err: impl Into<anyhow::Error>) -> anyhow::Error {
    let err = err.into();
    let named = err
        .chain()
        .find_map(|e| e.downcast_ref::<io::Error>())
        .map(|e| {
            io::Error::new(
                e.kind(),
                format!("stdout: cannot write: {}", atomic::describe(e)),
            )
        });
    match named {
        Some(e) => e.into(),
        None => err,
    }
}

/// The ids of `--category`, each checked against the categories casrep knows.
fn categories(asked: &[String], lexicon: &Lexicon) -> Result<Vec<String>> {
    if asked.is_empty() {
        // No list to check: the categories' names (read at first use) stay unread.
        return Ok(Vec::new());
    }
    let known = lexicon.category_ids();
    for id in asked {
        if !known.contains(id) {
            bail!(
                "--category {id:?}: no such category{} (the ids: {}; see `casrep categories`)",
                category_hint(id, lexicon),
                known.join(", ")
            );
        }
    }
    Ok(asked.to_vec())
}

/// "; did you mean ..." for a category id that is not one: an id in another case or with a
/// typo ("Tanks", "personel"), or a name casrep reads for a category ("drones" is `uav`).
fn category_hint(word: &str, lexicon: &Lexicon) -> String {
    let lower = word.to_lowercase();
    let by_name = lexicon.categories().iter().find(|c| {
        c.label.to_lowercase() == lower
            || c.aliases
                .values()
                .flatten()
                .any(|a| a.to_lowercase() == lower)
    });
    match by_name {
        Some(c) if c.id != word => format!("; did you mean {:?}?", c.id),
        _ => suggest::hint(word, lexicon.categories().iter().map(|c| c.id.as_str())),
    }
}

/// 1 when an input could not be read (the output for the rest is complete), else 0.
fn status(messages: &Messages) -> ExitCode {
    if messages.had_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The inputs: the paths given, walked; or standard input when no path is given and it is piped.
/// With neither, a command that has nothing else to read is refused rather than left waiting
/// for someone to type; `timeline --merge` alone is fine.
fn sources(
    settings: &InputSettings,
    messages: &Messages,
    other_input: bool,
) -> Result<Vec<Source>> {
    if settings.paths.is_empty() && std::io::stdin().is_terminal() {
        if other_input {
            return Ok(Vec::new());
        }
        bail!("no input: give files or folders, or pipe an article into casrep (see --help)");
    }
    if settings.paths.is_empty() {
        return Ok(inputs::discover(&settings.paths, messages));
    }
    // Path by path, to say so when a folder given holds nothing to read: a run that prints
    // nothing must not look like a run that found no figure.
    let mut found = Vec::new();
    for path in &settings.paths {
        let before = found.len();
        found.extend(inputs::discover(std::slice::from_ref(path), messages));
        if found.len() == before && path.is_dir() {
            messages.note(path, "no file to read in this folder");
        }
    }
    Ok(found)
}

fn run_extract(a: &ExtractArgs) -> Result<ExitCode> {
    let settings = InputSettings::from_args(&a.input)?;
    let messages = Messages::new(settings.quiet);
    let sources = sources(&settings, &messages, false)?;
    let mut out = Stdout::new();
    pipeline::for_each_batch(&settings, sources, false, &messages, |figures| {
        for f in &figures {
            out.figure(f).map_err(stdout_failed)?;
        }
        Ok(())
    })?;
    out.finish().map_err(stdout_failed)?;
    Ok(status(&messages))
}

/// `timeline`'s settings beyond the inputs.
struct TimelineSettings {
    merge: Vec<PathBuf>,
    output: Option<PathBuf>,
    /// How long to wait for the lock of `output`.
    wait: Duration,
    format: TimelineFormat,
    from_ndjson: bool,
}

impl TimelineSettings {
    fn from_args(a: &TimelineArgs, input: &InputSettings) -> Result<TimelineSettings> {
        let categories = categories(&a.category, input.lexicon)?;
        let format = match a.format {
            cli::TimelineFormat::Json => TimelineFormat::Json,
            cli::TimelineFormat::Ndjson => TimelineFormat::Ndjson,
            cli::TimelineFormat::Csv => {
                let claimant = a.claimant.clone().unwrap_or_else(|| "ukraine".to_owned());
                TimelineFormat::Csv(CsvOptions {
                    side: a
                        .side
                        .clone()
                        .unwrap_or_else(|| other_party(&claimant).to_owned()),
                    claimant,
                    invasion_start: input.options.invasion_start,
                    categories,
                    deltas: a.deltas,
                })
            }
            cli::TimelineFormat::Table => TimelineFormat::Table(TableOptions {
                claimant: a.claimant.clone(),
                side: a.side.clone(),
                categories,
            }),
        };
        let csv_or_table = matches!(format, TimelineFormat::Csv(_) | TimelineFormat::Table(_));
        for (given, flag) in [
            (a.claimant.is_some(), "--claimant"),
            (a.side.is_some(), "--side"),
            (!a.category.is_empty(), "--category"),
        ] {
            if given && !csv_or_table {
                bail!(
                    "{flag} chooses what --format csv or table shows; the other formats hold \
                     every series and category (filter them with jq)"
                );
            }
        }
        if a.deltas && !matches!(format, TimelineFormat::Csv(_)) {
            bail!("--deltas adds the daily changes to --format csv; the other formats have them");
        }
        Ok(TimelineSettings {
            merge: a.merge.clone(),
            output: a.output.clone(),
            wait: Duration::from_secs(a.wait),
            format,
            from_ndjson: a.from_ndjson,
        })
    }
}

/// The side whose losses a claimant usually reports: the other party of the war.
fn other_party(claimant: &str) -> &'static str {
    if claimant == "russia" {
        "ukraine"
    } else {
        "russia"
    }
}

/// Refuses a --claimant or --side of csv and table that has no series in the timeline, with
/// the ids there are (a timeline with no series at all has nothing to refuse against).
fn check_series(t: &Timeline, format: &TimelineFormat) -> Result<()> {
    let (claimant, side) = match format {
        TimelineFormat::Csv(o) => (Some(o.claimant.as_str()), Some(o.side.as_str())),
        TimelineFormat::Table(o) => (o.claimant.as_deref(), o.side.as_deref()),
        _ => return Ok(()),
    };
    let series = t.series();
    if series.is_empty() {
        return Ok(());
    }
    let known = |ids: Vec<Option<&str>>| -> String {
        let mut ids: Vec<&str> = ids.into_iter().map(|id| id.unwrap_or("null")).collect();
        ids.dedup();
        ids.join(", ")
    };
    if let Some(c) = claimant.filter(|&c| !series.iter().any(|s| s.0.as_deref() == Some(c))) {
        let claimants = known(series.iter().map(|s| s.0.as_deref()).collect());
        bail!(
            "--claimant {}: no series of that claimant in the timeline; its claimants are: \
             {claimants}",
            timeline::printable(c)
        );
    }
    let of_claimant =
        |s: &&(Option<String>, Option<String>)| claimant.is_none_or(|c| s.0.as_deref() == Some(c));
    if let Some(side) = side.filter(|&d| {
        !series
            .iter()
            .filter(of_claimant)
            .any(|s| s.1.as_deref() == Some(d))
    }) {
        let mut sides: Vec<Option<&str>> = series
            .iter()
            .filter(of_claimant)
            .map(|s| s.1.as_deref())
            .collect();
        sides.sort();
        bail!(
            "--side {}: no such series{}; the sides there are: {} (give --side)",
            timeline::printable(side),
            claimant.map_or(String::new(), |c| format!(" of claimant {c}")),
            known(sides)
        );
    }
    Ok(())
}

fn run_timeline(a: &TimelineArgs) -> Result<ExitCode> {
    let mut input = InputSettings::from_args(&a.input)?;
    let settings = TimelineSettings::from_args(a, &input)?;
    let messages = Messages::new(input.quiet);
    // Checked and locked before anything is read, so that `--merge F --output F` from two jobs
    // cannot lose either job's update, and an output that cannot be written stops the run
    // before the work.
    let target = settings
        .output
        .as_deref()
        .map(|path| atomic::Output::prepare(path, Some(settings.wait), &messages))
        .transpose()?;
    // One running timeline: the timeline of a folder is the merge of the timelines of any split
    // of it (see `timeline`), so folding in each batch's gives the same bytes as building from
    // all figures at once, without holding them. The workers build the batches' timelines.
    let mut running = timeline::Builder::default();
    for path in &settings.merge {
        if !first_night(path, settings.output.as_deref(), &messages) {
            running.add(read_timeline(path, input.lexicon)?);
        }
    }
    let given = sort_paths(&input.paths, input.lexicon, &messages)?;
    let other_input = !settings.merge.is_empty() || !given.timelines.is_empty();
    for t in given.timelines {
        running.add(t);
    }
    let named = !input.paths.is_empty();
    input.paths = given.articles;
    let sources = if named && input.paths.is_empty() {
        // Every PATH was a timeline (or refused): nothing else to read, not even stdin.
        Vec::new()
    } else {
        sources(&input, &messages, other_input)?
    };
    let ndjson = pipeline::Ndjson {
        all: settings.from_ndjson,
        files: &given.ndjson,
    };
    let fold = |t| {
        running.add(t);
        Ok(())
    };
    pipeline::fold_batches(&input, sources, ndjson, &messages, timeline::build, fold)?;
    let spinner = Spinner::start("merging the timeline", input.quiet);
    let t = running.finish();
    check_series(&t, &settings.format)?;
    match &target {
        Some(target) => {
            if let Some(path) = &settings.output {
                spinner.say(&format!("writing {}", inputs::display_path(path)));
            }
            target.write_with(|w| output::write_timeline(&t, &settings.format, w))?;
        }
        None => {
            // Text on the same terminal would run through the spinner's line.
            let spinner = (!std::io::stdout().is_terminal()).then_some(spinner);
            let mut out = Stdout::new();
            output::write_timeline(&t, &settings.format, &mut out).map_err(stdout_failed)?;
            out.finish().map_err(stdout_failed)?;
            drop(spinner);
        }
    }
    if let Some(note) = output::not_shown(&t, &settings.format) {
        let format = match settings.format {
            TimelineFormat::Csv(_) => "csv",
            _ => "ndjson",
        };
        messages.note(format!("--format {format}"), note);
    }
    Ok(status(&messages))
}

/// Whether `--merge FILE` names a file that does not exist yet and is also the `--output`: the
/// first run of a job that folds each run into its own output (the cron recipe), which starts
/// a new timeline, with a note. Any other missing `--merge` file is an error (`read_timeline`).
fn first_night(merge: &Path, output: Option<&Path>, messages: &Messages) -> bool {
    let same = |a: &Path, b: &Path| match (std::path::absolute(a), std::path::absolute(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    let first = output.is_some_and(|out| same(merge, out))
        && std::fs::symlink_metadata(merge)
            .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
    if first {
        messages.note(
            merge,
            "not there yet: starting a new timeline (--merge names the --output file)",
        );
    }
    first
}

/// What the PATHs of `timeline` hold, sorted out before the articles are read.
struct GivenPaths {
    /// Timelines written by `casrep timeline`, read as `--merge` reads them.
    timelines: Vec<Timeline>,
    /// Files that are NDJSON figures by their content (also in `articles`, in their place).
    ndjson: Vec<PathBuf>,
    /// Everything else, in the order given: articles, folders, NDJSON.
    articles: Vec<PathBuf>,
}

/// Sorts the PATHs of `timeline`: a timeline is merged as `--merge` would (and refused the
/// same way: status 2, nothing written, since leaving it out would lose its evidence), NDJSON
/// figures are read as `--from-ndjson` would, and a JSON file that is neither is reported and
/// skipped, rather than read as an article.
fn sort_paths(paths: &[PathBuf], lexicon: &Lexicon, messages: &Messages) -> Result<GivenPaths> {
    let mut given = GivenPaths {
        timelines: Vec::new(),
        ndjson: Vec::new(),
        articles: Vec::new(),
    };
    for path in paths {
        let shown = inputs::display_path(path);
        match recognise(path) {
            Recognised::Article => given.articles.push(path.clone()),
            Recognised::Figures => {
                given.ndjson.push(path.clone());
                given.articles.push(path.clone());
            }
            Recognised::Timeline => {
                let t = load_timeline(path, lexicon).map_err(|e| {
                    anyhow!(
                        "{e:#}; a timeline given as a PATH is merged as --merge would, so it \
                         must be one written by `casrep timeline`"
                    )
                })?;
                given.timelines.push(t);
            }
            Recognised::Foreign => messages.error(
                &shown,
                "a JSON file, but neither a timeline written by `casrep timeline` (no \
                 schema_version) nor figures written by `casrep extract`; skipped (articles are \
                 read as text files)",
            ),
        }
    }
    Ok(given)
}

/// What a file named on the command line holds, by its first bytes.
enum Recognised {
    Article,
    Figures,
    Timeline,
    Foreign,
}

/// Looks at the start of a named file: JSON starts with `{` (or `[`), and an article rarely
/// does; a first line that is a figure makes NDJSON, a `schema_version` near the start a
/// timeline. Folders, `-` and files that cannot be read are left to the reader (as articles),
/// and so are .ndjson and .jsonl files, which it reads as NDJSON anyway.
fn recognise(path: &Path) -> Recognised {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let is_json = extension.as_deref() == Some("json");
    if !path.is_file() || matches!(extension.as_deref(), Some("ndjson" | "jsonl")) {
        return Recognised::Article;
    }
    let mut head = Vec::with_capacity(8192);
    let read = File::open(path).and_then(|f| f.take(8192).read_to_end(&mut head));
    if read.is_err() {
        return Recognised::Article;
    }
    let text = String::from_utf8_lossy(&head);
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if !body.starts_with(['{', '[']) {
        return Recognised::Article;
    }
    let first_line = body.lines().next().unwrap_or("");
    if serde_json::from_str::<crate::figure::Figure>(first_line).is_ok() {
        return Recognised::Figures;
    }
    if body.starts_with('{') && body.contains("\"schema_version\"") {
        return Recognised::Timeline;
    }
    if is_json {
        Recognised::Foreign
    } else {
        Recognised::Article
    }
}

/// An earlier timeline for `--merge`; anything else is refused, naming the file and saying
/// what to do: `casrep: FILE: problem; hint`.
fn read_timeline(path: &Path, lexicon: &Lexicon) -> Result<Timeline> {
    load_timeline(path, lexicon).map_err(|e| match e.downcast_ref::<std::io::Error>() {
        Some(io) => anyhow!(
            "{}: {}; check the --merge path, or leave out --merge to start a new timeline",
            inputs::display_path(path),
            atomic::describe(io)
        ),
        None => {
            anyhow!("{e:#}; --merge takes a file written by `casrep timeline` (or leave it out)")
        }
    })
}

/// A timeline file, streamed (see `timeline::from_file`), or what is wrong with it, naming the
/// file; an I/O error is returned as such.
fn load_timeline(path: &Path, lexicon: &Lexicon) -> Result<Timeline> {
    let shown = inputs::display_path(path);
    let t = match timeline::from_file(path) {
        Ok(t) => t,
        Err(e) if e.downcast_ref::<std::io::Error>().is_some() => return Err(e),
        Err(e) => return Err(e.context(shown)),
    };
    check_plausible(&shown, &t, lexicon)?;
    Ok(t)
}

/// Dates outside the dates casrep reads, and values above their category's plausible maximum,
/// are refused: casrep never writes either.
fn check_plausible(shown: &str, t: &Timeline, lexicon: &Lexicon) -> Result<()> {
    timeline::check_dates(t).map_err(|e| anyhow!("{shown}: {e}"))?;
    let max = |id: &str| {
        let category = lexicon.categories().iter().find(|c| c.id == id)?;
        category.max
    };
    timeline::check_plausible(t, max).map_err(|e| anyhow!("{shown}: {e}"))
}

/// A timeline file's bytes, or what is wrong with them, naming the file (as `load_timeline`).
fn parse_timeline(shown: &str, text: Vec<u8>, lexicon: &Lexicon) -> Result<Timeline> {
    let text = String::from_utf8(text)
        .map_err(|_| anyhow!("{shown}: not a casrep timeline: not valid UTF-8"))?;
    let t = timeline::from_json(&text).with_context(|| shown.to_owned())?;
    check_plausible(shown, &t, lexicon)?;
    Ok(t)
}

/// For `plot`: whether a path names a timeline written by `casrep timeline` (a `.json` file
/// whose object has a `schema_version`) rather than an article; its bytes if so.
fn timeline_file(path: &Path) -> Option<Vec<u8>> {
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if !is_json || !path.is_file() {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    value.get("schema_version")?;
    Some(bytes)
}

fn run_plot(a: &PlotArgs) -> Result<ExitCode> {
    let mut input = InputSettings::from_args(&a.input)?;
    let to_stdout = a.output.as_os_str() == "-";
    let extension = a
        .output
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase());
    match extension.as_deref() {
        _ if to_stdout => {}
        Some("svg") => {}
        Some("png") => bail!(
            "-o {}: PNG is not available: drawing text into a bitmap needs fonts from the \
             system; write an SVG (-o losses.svg) and convert it, e.g. with \
             `rsvg-convert losses.svg -o losses.png`",
            inputs::display_path(&a.output)
        ),
        _ => bail!(
            "-o {}: casrep draws SVG only; give a file name ending in .svg, or - for stdout",
            inputs::display_path(&a.output)
        ),
    }
    let options = PlotOptions {
        claimant: a.claimant.clone(),
        side: a.side.clone(),
        categories: categories(&a.category, input.lexicon)?,
        labels: input
            .lexicon
            .categories()
            .iter()
            .map(|c| (c.id.clone(), c.label.clone()))
            .collect(),
        dates: input.options.invasion_start..=crate::dates::today() + chrono::Days::new(366),
    };
    let messages = Messages::new(input.quiet);
    // No lock: a chart is never merged into itself, and the rename alone keeps it whole.
    let target = (!to_stdout)
        .then(|| atomic::Output::prepare(&a.output, None, &messages))
        .transpose()?;
    // Timelines given among the paths are read whole; the other paths are articles.
    let mut running = timeline::Builder::default();
    let mut timelines = 0;
    let mut articles = Vec::new();
    for path in &input.paths {
        match timeline_file(path) {
            Some(bytes) => {
                let shown = inputs::display_path(path);
                running.add(parse_timeline(&shown, bytes, input.lexicon)?);
                timelines += 1;
            }
            None => articles.push(path.clone()),
        }
    }
    let read_articles = !articles.is_empty() || timelines == 0;
    input.paths = articles;
    if read_articles {
        let sources = sources(&input, &messages, false)?;
        let ndjson = pipeline::Ndjson {
            all: a.from_ndjson,
            files: &[],
        };
        let fold = |t| {
            running.add(t);
            Ok(())
        };
        pipeline::fold_batches(&input, sources, ndjson, &messages, timeline::build, fold)?;
    }
    let spinner = Spinner::start("drawing the chart", input.quiet);
    let chart = plot::render(&running.finish(), &options)?;
    drop(spinner);
    for line in &chart.left_out {
        messages.warn("plot", line);
    }
    let svg = chart.svg;
    match &target {
        Some(target) => target.write_with(|w| Ok(w.write_all(svg.as_bytes())?))?,
        None => {
            let mut out = Stdout::new();
            out.bytes(svg.as_bytes()).map_err(stdout_failed)?;
            out.finish().map_err(stdout_failed)?;
        }
    }
    Ok(status(&messages))
}

/// `casrep completions SHELL`: generated from the same definitions as the parser.
fn run_completions(a: &CompletionsArgs) -> Result<ExitCode> {
    use clap::CommandFactory;
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "casrep", &mut script);
    let mut out = Stdout::new();
    out.bytes(&script).map_err(stdout_failed)?;
    out.finish().map_err(stdout_failed)?;
    Ok(ExitCode::SUCCESS)
}

/// `casrep man [COMMAND]`: a manual page, roff (see `man`).
fn run_man(a: &ManArgs) -> Result<ExitCode> {
    let page = crate::man::page(a.command.as_deref())?;
    let mut out = Stdout::new();
    out.bytes(&page).map_err(stdout_failed)?;
    out.finish().map_err(stdout_failed)?;
    Ok(ExitCode::SUCCESS)
}

/// The reference of `check`: the file given, or the series built into casrep; and its name
/// for messages.
fn reference(
    a: &CheckArgs,
    input: &InputSettings,
    messages: &Messages,
) -> Result<(check::Reference, String)> {
    let known = input.lexicon.category_ids();
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    let Some(path) = &a.reference else {
        let reference = check::built_in(&known).context(check::BUILT_IN_NAME)?;
        return Ok((reference, check::BUILT_IN_NAME.to_owned()));
    };
    let shown = inputs::display_path(path);
    let file = File::open(path).map_err(|e| anyhow!("{shown}: {}", atomic::describe(&e)))?;
    // Linux opens a folder as a file: its first read would fail in the CSV reader's words.
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        bail!("{shown}: is a folder; --reference takes a CSV file (date,day,personnel,...)");
    }
    let reference = check::load(BufReader::new(file), &known).with_context(|| shown.clone())?;
    for column in &reference.left_out {
        messages.note(
            &shown,
            format!("column {column:?} is no category id, not checked"),
        );
    }
    Ok((reference, shown))
}

fn run_check(a: &CheckArgs) -> Result<ExitCode> {
    let input = InputSettings::from_args(&a.input)?;
    let messages = Messages::new(input.quiet);
    let (reference, name) = reference(a, &input, &messages)?;
    let sources = sources(&input, &messages, false)?;
    let mut out = Stdout::new();
    let (mut figures, mut checked, mut mismatches) = (0usize, 0usize, 0usize);
    let run = pipeline::for_each_batch(&input, sources, a.from_ndjson, &messages, |batch| {
        let comparison = check::compare(&batch, &reference);
        figures += batch.len();
        checked += comparison.checked;
        for m in comparison.mismatches {
            mismatches += 1;
            out.json_line(&m).map_err(stdout_failed)?;
            // For people: "casrep: FILE:LINE: "quote" states ... where the series has ...".
            let at = format!("{}:{}", m.file, m.line);
            let line = m.to_string();
            let said = line.strip_prefix(&format!("{at}: ")).unwrap_or(&line);
            messages.warn(&at, said);
        }
        Ok(())
    })
    .and_then(|()| out.finish().map_err(stdout_failed));
    match run {
        // `check | head -1`: the reader had enough, but the status still says what was found.
        Err(e) if output::is_broken_pipe(&e) && mismatches > 0 => return Ok(ExitCode::from(1)),
        Err(e) => return Err(e),
        Ok(()) => {}
    }
    messages.note("check", check_summary(&name, figures, checked, mismatches));
    Ok(if mismatches > 0 {
        ExitCode::from(1)
    } else {
        status(&messages)
    })
}

/// The closing line of `check`: what was compared and what disagreed.
fn check_summary(reference: &str, figures: usize, checked: usize, mismatches: usize) -> String {
    let plural =
        |n: usize, one: &str, many: &str| messages::plural(table::thousands(n as u64), one, many);
    format!(
        "{} checked against {reference}, {}; {} not checked (another series, undated, or no \
         number in the reference)",
        plural(checked, "figure", "figures"),
        plural(mismatches, "disagrees", "disagree"),
        table::thousands((figures - checked) as u64),
    )
}

fn run_schema(a: &SchemaArgs) -> Result<ExitCode> {
    let schema = match a.which {
        SchemaKind::Timeline => schema::timeline_schema(),
        SchemaKind::Figure => schema::figure_schema(),
    };
    let mut out = Stdout::new();
    out.json_pretty(&schema).map_err(stdout_failed)?;
    out.finish().map_err(stdout_failed)?;
    Ok(ExitCode::SUCCESS)
}

fn run_categories(a: &CategoriesArgs) -> Result<ExitCode> {
    let lex = load_lexicon(a.aliases.as_deref(), &a.lang_files)?;
    let mut out = Stdout::new();
    if a.json {
        let mut s = serde_json::to_string_pretty(lex.categories())?;
        s.push('\n');
        out.bytes(s.as_bytes()).map_err(stdout_failed)?;
    } else {
        for (i, c) in lex.categories().iter().enumerate() {
            if i > 0 {
                out.bytes(b"\n").map_err(stdout_failed)?;
            }
            out.bytes(category_block(&c.id, &c.label, &c.aliases).as_bytes())
                .map_err(stdout_failed)?;
        }
    }
    out.finish().map_err(stdout_failed)?;
    Ok(ExitCode::SUCCESS)
}

/// The width `casrep categories` wraps its lists of names at.
const CATEGORIES_WIDTH: usize = 96;

/// One category for people: the id and its label, then the names read for it, one language a
/// paragraph, wrapped, each name once (a name two languages share is listed under the first),
/// quoted where it holds a comma.
fn category_block(
    id: &str,
    label: &str,
    aliases: &std::collections::BTreeMap<String, Vec<String>>,
) -> String {
    let mut block = format!("{id}: {label}\n");
    let mut seen = std::collections::BTreeSet::new();
    for (language, names) in aliases {
        let names: Vec<&str> = names
            .iter()
            .map(String::as_str)
            .filter(|n| seen.insert(n.to_lowercase()))
            .collect();
        if names.is_empty() {
            continue;
        }
        let mut line = format!("  {language}:");
        for (i, name) in names.iter().enumerate() {
            // A name with a comma of its own is quoted, so the list still reads one way.
            let name = if name.contains(',') {
                format!("\"{name}\"")
            } else {
                (*name).to_owned()
            };
            let piece = if i + 1 < names.len() {
                format!(" {name},")
            } else {
                format!(" {name}")
            };
            if line.chars().count() + piece.chars().count() > CATEGORIES_WIDTH {
                block.push_str(line.trim_end());
                block.push('\n');
                line = "     ".to_owned();
            }
            line.push_str(&piece);
        }
        block.push_str(&line);
        block.push('\n');
    }
    block
}
