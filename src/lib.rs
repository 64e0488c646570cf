//! casrep: dated, normalised loss figures from news articles about the war in Ukraine.
//!
//! The pipeline, one module per stage, each with plain data in and out:
//! inputs (walk, read, decode) → text (tokens, sentences) → numbers → extract (figures, using the
//! word tables of `lexicon`) → dates (document date, relative expressions) → timeline (merge,
//! conflicts, checks) → output (the only code that writes to stdout), with `table` and `plot`
//! rendering a timeline for people.
//!
//! The binary (`src/main.rs`) adds the command line: `cli` (clap) and `config` (checked settings).

pub mod check;
pub mod dates;
pub mod extract;
pub mod figure;
pub mod figure_line;
pub mod inputs;
pub mod lexicon;
pub mod messages;
pub mod ndjson;
pub mod numbers;
pub mod output;
pub mod plot;
pub mod schema;
pub mod suggest;
pub mod table;
pub mod text;
pub mod timeline;
pub mod windows;
