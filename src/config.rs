//! Settings checked from the command line, and the dispatch of each command. Below this module
//! nothing knows about clap.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;

use crate::cli::{CategoriesArgs, Cli, Command, ExtractArgs, InputArgs};
use crate::extract::Options;
use crate::inputs::{self, Source};
use crate::lexicon::Lexicon;
use crate::messages::Messages;
use crate::output::Stdout;
use crate::pipeline;

/// What every command that reads articles needs.
pub struct InputSettings {
    pub paths: Vec<PathBuf>,
    pub options: Options,
    pub lexicon: Lexicon,
    pub quiet: bool,
    pub jobs: usize,
}

fn parse_date(flag: &str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .with_context(|| format!("{flag} {s:?}: expected a date like 2023-02-23"))
}

impl InputSettings {
    pub fn from_args(a: &InputArgs) -> Result<InputSettings> {
        let date = a
            .date
            .as_deref()
            .map(|d| parse_date("--date", d))
            .transpose()?;
        let invasion_start = parse_date("--invasion-start", &a.invasion_start)?;
        let lexicon = Lexicon::load(a.aliases.as_deref()).context("--aliases")?;
        let jobs = match a.jobs {
            Some(0) => bail!("-j 0: give at least one worker"),
            Some(n) => n,
            None => std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
        };
        Ok(InputSettings {
            paths: a.paths.clone(),
            options: Options {
                date,
                invasion_start,
            },
            lexicon,
            quiet: a.quiet,
            jobs,
        })
    }
}

pub fn dispatch(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Extract(a) => run_extract(&a),
        Command::Categories(a) => run_categories(&a),
        other => bail!("{other:?} is not wired yet"),
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
/// for someone to type.
fn sources(settings: &InputSettings, messages: &Messages) -> Result<Vec<Source>> {
    if settings.paths.is_empty() && std::io::stdin().is_terminal() {
        bail!("no input: give files or folders, or pipe an article into casrep (see --help)");
    }
    Ok(inputs::discover(&settings.paths, messages))
}

fn run_extract(a: &ExtractArgs) -> Result<ExitCode> {
    let settings = InputSettings::from_args(&a.input)?;
    let messages = Messages::new(settings.quiet);
    let sources = sources(&settings, &messages)?;
    let mut out = Stdout::new();
    pipeline::for_each_batch(&settings, sources, false, &messages, |figures| {
        for f in &figures {
            out.figure(f)?;
        }
        Ok(())
    })?;
    out.finish()?;
    Ok(status(&messages))
}

fn run_categories(a: &CategoriesArgs) -> Result<ExitCode> {
    let lex = Lexicon::load(a.aliases.as_deref()).context("--aliases")?;
    let mut out = Stdout::new();
    if a.json {
        let mut s = serde_json::to_string_pretty(&lex.categories)?;
        s.push('\n');
        out.bytes(s.as_bytes())?;
    } else {
        for c in &lex.categories {
            let names: Vec<&str> = c.aliases.values().flatten().map(String::as_str).collect();
            out.bytes(format!("{:<18} {}\n", c.id, names.join(", ")).as_bytes())?;
        }
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}
