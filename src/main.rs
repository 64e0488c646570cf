//! casrep: dated, normalised loss figures from news articles.
//!
//! The pipeline, one module per stage:
//! args (`cli`) → settings (`config`) → inputs (walk, read, decode) → extract (numbers, categories,
//! figures) → dates (document date, relative expressions) → timeline (merge, conflicts, checks)
//! → output (the only code that writes to stdout).

mod atomic;
mod cli;
mod config;
mod interrupt;
mod man;
mod pipeline;
mod progress;

// The pipeline's stages live in the library (src/lib.rs); the binary adds the command line,
// parallel reading and atomic output.
#[allow(unused_imports)]
use casrep::{
    check, dates, extract, figure, inputs, lexicon, messages, ndjson, numbers, output, plot,
    schema, table, text, timeline, windows,
};

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) => {
            if output::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            // Not eprintln!, which panics when stderr is closed too.
            let _ = writeln!(std::io::stderr(), "casrep: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version go to stdout with status 0, usage errors to stderr with status 2.
            // Help that could not be written is a failure (a full disk, a closed stdout), but a
            // reader that stopped early (`casrep --help | head`) is not.
            if !err.use_stderr() {
                config::check_stdout()?;
            }
            err.print().map_err(config::stdout_failed)?;
            return Ok(ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2)));
        }
    };
    config::dispatch(cli)
}
