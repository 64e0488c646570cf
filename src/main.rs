//! casrep: dated, normalised loss figures from news articles.
//!
//! The pipeline, one module per stage:
//! args (`cli`) → settings (`config`) → inputs (walk, read, decode) → extract (numbers, categories,
//! figures) → dates (document date, relative expressions) → timeline (merge, conflicts, checks)
//! → output (the only code that writes to stdout).

mod cli;
mod config;

// The pipeline lives in the library (src/lib.rs); the binary adds the command line.
#[allow(unused_imports)]
use casrep::{dates, extract, figure, inputs, lexicon, messages, numbers, output, text};

use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) => {
            if output::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("casrep: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    use clap::Parser;
    let cli = cli::Cli::parse();
    config::dispatch(cli)
}
