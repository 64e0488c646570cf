//! casrep: dated, normalised loss figures from news articles.
//!
//! The pipeline, one module per stage:
//! args (`cli`) → settings (`config`) → inputs (walk, read, decode) → extract (numbers, categories,
//! figures) → dates (document date, relative expressions) → timeline (merge, conflicts, checks)
//! → output (the only code that writes to stdout).

mod atomic;
mod cli;
mod config;
mod dates;
mod extract;
mod figure;
mod inputs;
mod lexicon;
mod messages;
mod numbers;
mod output;
mod pipeline;
mod text;

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
