//! `casrep man [COMMAND]`: manual pages in roff, generated from the parser's own definitions
//! (`clap_mangen`), with the sections a manual page has and `--help` does not: exit status,
//! environment, files, the date rules and examples.

use anyhow::{bail, Result};
use clap::CommandFactory;
use roff::{bold, roman, Roff};

use crate::cli::Cli;

/// A section of casrep's own page: a title, and paragraphs, each a term (bold) and its text,
/// or text alone.
struct Section {
    title: &'static str,
    items: &'static [(&'static str, &'static str)],
}

const EXIT_STATUS: Section = Section {
    title: "EXIT STATUS",
    items: &[
        ("0", "Success; an empty result is still success."),
        (
            "1",
            "Finished, but some inputs could not be read (each named on stderr; the output \
             for the rest is complete); for check: a figure disagrees with the reference.",
        ),
        (
            "2",
            "Nothing written: bad arguments, an unreadable or foreign --merge file, an output \
             that cannot be written.",
        ),
        (
            "130",
            "Interrupted (Ctrl-C); a file being written with --output is left as it was.",
        ),
    ],
};

const EXAMPLES: Section = Section {
    title: "EXAMPLES",
    items: &[
        (
            "casrep extract articles/ | jq -c 'select(.category==\"tanks\")'",
            "Every tank figure.",
        ),
        (
            "casrep timeline articles/ > losses.json",
            "One checked timeline of every figure.",
        ),
        (
            "casrep timeline --merge losses.json --output losses.json new/",
            "Fold new articles into a timeline, atomically (the first run, before the file \
             exists, starts a new one): the nightly cron job.",
        ),
        (
            "casrep timeline --format csv articles/ > losses.csv",
            "Kyiv's series of Russian losses, one row per date, for a spreadsheet.",
        ),
        (
            "casrep check articles/",
            "Every figure of Kyiv's series compared with the built-in official daily series.",
        ),
        (
            "casrep plot losses.json -o losses.svg",
            "A chart of the totals and daily changes.",
        ),
    ],
};

const ENVIRONMENT: Section = Section {
    title: "ENVIRONMENT",
    items: &[
        (
            "NO_COLOR",
            "When set, --color auto colours nothing (as does CLICOLOR=0).",
        ),
        (
            "CLICOLOR_FORCE",
            "When set to anything but 0, --color auto colours stderr even when it is no terminal.",
        ),
    ],
};

const FILES: Section = Section {
    title: "FILES",
    items: &[
        (
            "FILE.lock",
            "Beside an --output FILE: held locked for the whole run, so jobs writing FILE take \
             turns. Never removed.",
        ),
        (
            ".FILE.XXXXXXXX.casrep-tmp",
            "The temporary file an --output is written to (created exclusively, under a random \
             name), fsynced and renamed over FILE; removed when the run fails or is interrupted.",
        ),
        (
            "--aliases FILE",
            "JSON: extra names per category id, {\"tanks\": [\"heavy armour\"]}; a new id makes \
             a new category.",
        ),
        (
            "data/categories.json, data/lang/*.json",
            "The word tables (category names, numbers, hedges, months, cues), built into the \
             binary.",
        ),
        (
            "data/reference/official-daily.csv",
            "The official daily series, built in: check's reference unless --reference is \
             given. Extraction never reads it.",
        ),
    ],
};

const DATES: Section = Section {
    title: "DATES",
    items: &[
        (
            "",
            "Every figure's date starts from the document date, found in this order: --date; a \
             header line near the top (Date:, Published:, a line that is only a date, a byline \
             or short title with a date); a dateline (KYIV, Feb 7 (Reuters) -); the file name or \
             path (2023-02-22, 20230222, 2023/02/22); the text (\"from 24.02.22 to 21.02.23\", \
             \"as of February 22, 2023\", \"day 451 of the invasion\", day 1 being \
             --invasion-start).",
        ),
        (
            "",
            "Then each sentence may state its own date: a written date, a day count, or a \
             weekday, which resolves against the document date. A figure is shifted for \"the \
             previous day\" or \"a week earlier\". Where the text cannot decide, the date is \
             null and date_basis says why: a wrong date is worse than none.",
        ),
    ],
};

fn render_section(section: &Section) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", [section.title]);
    for (term, text) in section.items {
        if term.is_empty() {
            roff.control("PP", []).text([roman(*text)]);
        } else {
            roff.control("TP", [])
                .text([bold(*term)])
                .text([roman(*text)]);
        }
    }
    roff
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

/// The page with the preamble that each rendered section starts with (defining the apostrophe
/// string) kept only at the top.
fn one_preamble(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let mut seen = std::collections::BTreeSet::new();
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let preamble = line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq");
        if !preamble || seen.insert(line.to_owned()) {
            out.push_str(line);
        }
    }
    out.into_bytes()
}

/// The page of casrep (`command` None) or of one of its commands.
pub fn page(command: Option<&str>) -> Result<Vec<u8>> {
    let casrep = Cli::command();
    let Some(name) = command else {
        // "casrep - dated, ...", as manual pages name themselves; and the exit statuses have
        // their own section here, not clap's "EXTRA".
        let about = casrep
            .get_about()
            .map(|a| lower_first(&a.to_string()))
            .unwrap_or_default();
        let man = clap_mangen::Man::new(casrep.about(about).after_help(None::<&str>));
        let mut page = Vec::new();
        man.render_title(&mut page)?;
        man.render_name_section(&mut page)?;
        man.render_synopsis_section(&mut page)?;
        man.render_description_section(&mut page)?;
        man.render_options_section(&mut page)?;
        man.render_subcommands_section(&mut page)?;
        for section in [&EXIT_STATUS, &EXAMPLES, &DATES, &ENVIRONMENT, &FILES] {
            render_section(section).to_writer(&mut page)?;
        }
        man.render_version_section(&mut page)?;
        return Ok(one_preamble(&page));
    };
    let names: Vec<String> = casrep
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    let Some(sub) = casrep.find_subcommand(name) else {
        bail!(
            "man {name:?}: no such command; the commands are: {}",
            names.join(", ")
        );
    };
    let full = format!("casrep-{name}");
    let sub = sub
        .clone()
        .name(full.clone())
        .bin_name(format!("casrep {name}"))
        .display_name(full)
        .version(env!("CARGO_PKG_VERSION"));
    let mut page = Vec::new();
    clap_mangen::Man::new(sub).render(&mut page)?;
    Ok(page)
}
