//! Command-line arguments. The doc comments are the help text; nothing below `config` sees clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// casrep: dated, normalised loss figures from news articles about the war in Ukraine.
///
/// stdout carries data only (JSON, NDJSON, CSV, a table, an SVG chart); messages for people go
/// to stderr.
#[derive(Debug, Parser)]
#[command(
    name = "casrep",
    version,
    propagate_version = true,
    after_help = "Exit status: 0 success (an empty result too); 1 finished, but some inputs \
                  could not be read (named on stderr; the output for the rest is complete), or \
                  `check` found mismatches; 2 nothing written: bad arguments, an unreadable or \
                  foreign --merge file, an output that cannot be written."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print every dated figure of the articles as NDJSON, one figure per line.
    ///
    /// Example: casrep extract fixtures/articles | jq -c 'select(.category=="tanks")'
    Extract(ExtractArgs),
    /// Merge every figure into one checked timeline (JSON, NDJSON, CSV, or a table to read).
    ///
    /// Example: casrep timeline articles/ --merge losses.json --output losses.json
    ///
    /// Example: casrep timeline articles/ --format table --category personnel,tanks
    Timeline(TimelineArgs),
    /// Compare every dated figure with a reference series (CSV like official-daily.csv).
    ///
    /// Exit status 1 when a figure disagrees with the series.
    ///
    /// Example: casrep check --reference official-daily.csv articles/
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

    /// Worker threads (default: all cores). The output does not depend on it.
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
    /// FILE.lock for the whole run, so jobs on the same FILE take turns.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: TimelineFormat,

    /// With --format csv: the claimant whose series is written (default: ukraine). With
    /// --format table: show only this claimant's series. An id with no series in the timeline
    /// is refused with the ids there are.
    #[arg(long, value_name = "ID")]
    pub claimant: Option<String>,

    /// With --format csv or table: whose losses. For csv it defaults to the other party of
    /// the war from the claimant's: ukraine for --claimant russia, russia for every other
    /// claimant; the table shows every side unless this is given.
    #[arg(long, value_name = "ID")]
    pub side: Option<String>,

    /// With --format csv or table: these categories' columns only, in this order (ids as in
    /// `casrep categories`).
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
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

    /// The reference series: CSV with a `date` column and one column per category id.
    #[arg(long, value_name = "FILE")]
    pub reference: PathBuf,

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
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    pub category: Vec<String>,

    /// Whose figures are drawn.
    #[arg(long, value_name = "ID", default_value = "ukraine")]
    pub claimant: String,

    /// Whose losses are drawn.
    #[arg(long, value_name = "ID", default_value = "russia")]
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
