//! Command-line arguments. The doc comments are the help text; nothing below `config` sees clap.

use std::path::PathBuf;

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// The claimant ids casrep gives (`claimants` in data/lang/*.json; a test keeps them equal).
pub const CLAIMANTS: [&str; 10] = [
    "ukraine",
    "president",
    "united_states",
    "united_kingdom",
    "russia",
    "oryx",
    "media",
    "western",
    "isw",
    "norway",
];

/// Whose losses a figure counts.
pub const SIDES: [&str; 2] = ["russia", "ukraine"];

/// Any string, with the ids it is likely to be offered for shell completion: an alias file can
/// add categories, so the ids are a hint, not a rule (`config` checks them, with "did you mean").
#[derive(Clone, Copy)]
pub struct Ids(fn() -> Vec<String>);

impl TypedValueParser for Ids {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new((self.0)().into_iter().map(PossibleValue::new)))
    }
}

/// The built-in category ids, for completion.
fn category_ids() -> Vec<String> {
    crate::lexicon::Lexicon::load(None)
        .map(|l| l.category_ids())
        .unwrap_or_default()
}

const CATEGORY_IDS: Ids = Ids(category_ids);
const CLAIMANT_IDS: Ids = Ids(|| CLAIMANTS.map(str::to_owned).to_vec());
const SIDE_IDS: Ids = Ids(|| SIDES.map(str::to_owned).to_vec());

/// Dated, normalised loss figures from news articles about the war in Ukraine
///
/// casrep reads plain-text articles and prints every loss figure they quote (category, value,
/// total or daily change, date, whose losses, who says so), or merges them into one checked
/// timeline. stdout carries data only (JSON, NDJSON, CSV, a table, an SVG chart); messages for
/// people go to stderr. `casrep man` prints the manual, with the date rules.
#[derive(Debug, Parser)]
#[command(
    name = "casrep",
    version,
    propagate_version = true,
    after_help = "Example: casrep timeline fixtures/articles > losses.json\n\n\
                  Exit status: 0 success (an empty result too); 1 finished, but some inputs \
                  could not be read (named on stderr; the output for the rest is complete), or \
                  `check` found mismatches; 2 nothing written: bad arguments, an unreadable or \
                  foreign --merge file, an output that cannot be written."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Colour on stderr (help, usage errors, the progress bar): auto (on a terminal, unless
    /// NO_COLOR is set), always, or never. stdout is never coloured.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value = "auto"
    )]
    pub color: ColorWhen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    fn clap(self) -> clap::ColorChoice {
        match self {
            ColorWhen::Auto => clap::ColorChoice::Auto,
            ColorWhen::Always => clap::ColorChoice::Always,
            ColorWhen::Never => clap::ColorChoice::Never,
        }
    }
}

/// The `--color` of `args`, looked for before parsing, so that help and usage errors (which
/// clap prints while parsing) are coloured as asked. A bad value is left to the parser to report.
fn color_asked(args: &[std::ffi::OsString]) -> ColorWhen {
    let mut asked = ColorWhen::Auto;
    let mut words = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(word) = words.next() {
        let value = match word.as_ref() {
            "--" => break,
            "--color" => words.next().map(|v| v.into_owned()),
            w => w.strip_prefix("--color=").map(str::to_owned),
        };
        if let Some(when) = value.and_then(|v| ColorWhen::from_str(&v, false).ok()) {
            asked = when;
        }
    }
    asked
}

/// Parses the command line, with clap's own output coloured as `--color` asks.
pub fn parse() -> Result<Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut command = Cli::command().color(color_asked(&args).clap());
    let mut matches = command.try_get_matches_from_mut(args)?;
    Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut command))
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print every figure of the articles as NDJSON, one per line, dated or not.
    ///
    /// A figure whose date cannot be resolved is printed too, with "date": null and a
    /// date_basis saying why; filter with jq 'select(.date != null)' to keep the dated ones.
    ///
    /// Example: casrep extract fixtures/articles | jq -c 'select(.category=="tanks")'
    Extract(ExtractArgs),
    /// Merge every figure into one checked timeline (JSON, NDJSON, CSV, or a table to read).
    ///
    /// Example: casrep timeline articles/ --merge losses.json --output losses.json
    ///
    /// Example: casrep timeline articles/ --format table --category personnel,tanks
    Timeline(TimelineArgs),
    /// Compare every dated figure of Kyiv's series with the official daily series.
    ///
    /// The series is built in (data/reference/official-daily.csv); --reference takes another.
    /// Each mismatch is a JSON line on stdout and a line on stderr; a count ends the run. Exit
    /// status 1 when a figure disagrees with the series.
    ///
    /// Example: casrep check articles/
    Check(CheckArgs),
    /// Print the category table: ids and every alias casrep knows.
    ///
    /// Example: casrep categories --json | jq '.[].id'
    Categories(CategoriesArgs),
    /// Print the JSON Schema of the timeline (`figure` for the extract output).
    ///
    /// Example: casrep schema > timeline.schema.json
    Schema(SchemaArgs),
    /// Draw a timeline as an SVG chart: totals over time and daily changes, one panel per category.
    ///
    /// Reads a timeline written by `casrep timeline` (a .json file with a schema_version), or
    /// articles, as `timeline` does. Only SVG is written: PNG would need fonts from the system;
    /// convert the SVG instead (rsvg-convert losses.svg -o losses.png).
    ///
    /// Example: casrep plot losses.json --category personnel,tanks -o losses.svg
    Plot(PlotArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    ///
    /// Example: casrep completions bash > ~/.local/share/bash-completion/completions/casrep
    Completions(CompletionsArgs),
    /// Print the manual page (roff) of casrep, or of one of its commands.
    ///
    /// Example: casrep man > casrep.1 && man ./casrep.1
    ///
    /// Example: casrep man timeline > casrep-timeline.1
    Man(ManArgs),
}

#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// Files or directories (walked recursively, in sorted order); `-`, or nothing when stdin
    /// is piped, reads stdin.
    pub paths: Vec<PathBuf>,

    /// The document date of every input (YYYY-MM-DD), overriding what the text says.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,

    /// Day 1 of the invasion, for "day 451 of the invasion".
    #[arg(long, value_name = "YYYY-MM-DD", default_value = "2022-02-24")]
    pub invasion_start: String,

    /// A JSON file of extra category aliases: {"tanks": ["armour"], ...}.
    #[arg(long, value_name = "FILE")]
    pub aliases: Option<PathBuf>,

    /// A language table of your own (CODE.json, in the format of data/lang/): adds the language,
    /// or replaces the built-in one of the same code. May be given more than once.
    #[arg(long = "lang-file", value_name = "FILE")]
    pub lang_files: Vec<PathBuf>,

    /// Read every input in this language (a code such as en, uk, de) instead of the one its
    /// text is found to be in.
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,

    /// Worker threads (default, and 0: as many as cores). The output does not depend on it.
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Print nothing on stderr but errors: no notes, no warnings, no progress bar.
    ///
    /// The progress bar is shown only when stderr is a terminal and the run lasts over a second.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimelineFormat {
    /// The whole timeline, pretty JSON (the default, on a terminal too).
    Json,
    /// One point per line.
    Ndjson,
    /// One series, one row per date: totals (and --deltas), and which were approximate.
    Csv,
    /// Aligned tables for reading: latest date first, totals with their daily change.
    Table,
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Fold an earlier timeline (JSON written by `casrep timeline`) into this one.
    #[arg(long, value_name = "FILE")]
    pub merge: Vec<PathBuf>,

    /// Write to FILE atomically (temporary file, fsync, rename) instead of stdout.
    ///
    /// A crash, a full disk or a killed job leaves the previous FILE whole. Writers lock
    /// FILE.lock for the whole run, so jobs on the same FILE take turns. When FILE is a
    /// symbolic link, the file it points to is replaced (and locked).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// With --output: how long to wait, in seconds, while another job holds FILE.lock, before
    /// giving up (status 2, nothing written). 0: do not wait.
    #[arg(long, value_name = "SECS", default_value_t = 600, requires = "output")]
    pub wait: u64,

    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: TimelineFormat,

    /// With --format csv: the claimant whose series is written (default: ukraine). With
    /// --format table: show only this claimant's series. An id with no series in the timeline
    /// is refused with the ids there are.
    #[arg(long, value_name = "ID", value_parser = CLAIMANT_IDS, hide_possible_values = true)]
    pub claimant: Option<String>,

    /// With --format csv or table: whose losses. For csv it defaults to the other party of
    /// the war from the claimant's: ukraine for --claimant russia, russia for every other
    /// claimant; the table shows every side unless this is given.
    #[arg(long, value_name = "ID", value_parser = SIDE_IDS, hide_possible_values = true)]
    pub side: Option<String>,

    /// With --format csv or table: these categories' columns only, in this order (ids as in
    /// `casrep categories`).
    #[arg(long, value_name = "ID,...", value_delimiter = ',', value_parser = CATEGORY_IDS, hide_possible_values = true)]
    pub category: Vec<String>,

    /// With --format csv: a CATEGORY_change column of the day's change after each category's
    /// totals.
    #[arg(long)]
    pub deltas: bool,

    /// Read the inputs as NDJSON written by `casrep extract` (also chosen by a .ndjson/.jsonl extension).
    #[arg(long)]
    pub from_ndjson: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// The reference series: CSV with a `date` column and one column per category id (default:
    /// the official daily series built into casrep, from data/reference/official-daily.csv).
    #[arg(long, value_name = "FILE")]
    pub reference: Option<PathBuf>,

    /// Read the inputs as NDJSON written by `casrep extract`.
    #[arg(long)]
    pub from_ndjson: bool,
}

#[derive(Debug, Args)]
pub struct CategoriesArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,

    /// Include the aliases of this JSON file.
    #[arg(long, value_name = "FILE")]
    pub aliases: Option<PathBuf>,

    /// Include the names of this language table of your own (CODE.json); may be repeated.
    #[arg(long = "lang-file", value_name = "FILE")]
    pub lang_files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which schema: the timeline (default) or one extracted figure.
    #[arg(value_enum, default_value = "timeline")]
    pub which: SchemaKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    Timeline,
    Figure,
}

#[derive(Debug, Args)]
pub struct PlotArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// The SVG file to write (atomically: a temporary file, then a rename).
    #[arg(short, long, value_name = "FILE.svg")]
    pub output: PathBuf,

    /// The categories to draw, one panel each, in this order (default: every category with at
    /// least 2 points).
    #[arg(long, value_name = "ID,...", value_delimiter = ',', value_parser = CATEGORY_IDS, hide_possible_values = true)]
    pub category: Vec<String>,

    /// Whose figures are drawn.
    #[arg(long, value_name = "ID", default_value = "ukraine", value_parser = CLAIMANT_IDS, hide_possible_values = true)]
    pub claimant: String,

    /// Whose losses are drawn.
    #[arg(long, value_name = "ID", default_value = "russia", value_parser = SIDE_IDS, hide_possible_values = true)]
    pub side: String,

    /// Read the inputs as NDJSON written by `casrep extract`.
    #[arg(long)]
    pub from_ndjson: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page is printed (the page of casrep itself when left out).
    pub command: Option<String>,
}
