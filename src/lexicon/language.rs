//! One language's word tables, as read from `data/lang/CODE.json`: category names, number words,
//! hedges, months, weekdays, claimants and every cue phrase the extractor asks about. Each table
//! is a [`Phrases`]; a word of a phrase may be written with its endings (`танк{n}` with the
//! language's ending class `n`, or `танк{|и|ів}` inline), so one entry covers its inflections.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use compact_str::CompactString;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::function_words::{FunctionWordLists, FunctionWords};
use super::phrases::{phrase_words, with_shared_words, Phrases, StartIndex, Words, MONTH, WEEKDAY};
use super::{CategoryEntry, CategoryName};
use crate::figure::Qualifier;
use crate::text::{normalise_word, tokenize, word_hash, Sentence, TokKind, Token, Tokenized};

/// A language file as written. Every table may be left out: a small language needs only its
/// category names, months and a few cue words.
#[derive(Debug, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub(super) struct LangFile {
    #[serde(rename = "_comment")]
    comment: Option<String>,
    pub(super) language: LanguageInfo,
    /// Endings by class, for words written `stem{class}`.
    endings: BTreeMap<String, Vec<String>>,
    /// Category names by category id: the nouns after a number and the labels before one.
    pub(super) categories: BTreeMap<String, Vec<String>>,
    /// Names that count only as a label before a number, never as the noun after one.
    pub(super) labels: BTreeMap<String, Vec<String>>,
    /// Names that count only as the noun after a number, never as a label before one.
    pub(super) nouns: BTreeMap<String, Vec<String>>,
    /// Names too common to count by themselves ("people", "men"): a number before one is a
    /// figure only in a sentence that speaks of losses ("2,000 people" is a town otherwise).
    pub(super) weak_names: BTreeMap<String, Vec<String>>,
    /// Names of things no series counts ("pieces of equipment", "heavy weapon systems", "tanks
    /// and other armoured vehicles"): a number before one is no figure.
    not_series: Vec<String>,
    /// Plural endings and their singulars ({"s": ""}): each category name whose last word has
    /// one is also read in the singular ("tanks", "tank").
    singulars: BTreeMap<String, String>,
    /// Words that may stand between a number and its name without making it another thing
    /// ("units of", "pieces of": "30 units of armoured vehicles").
    name_prefixes: Vec<String>,
    /// Words after a name that still belong to it ("of the Russian army", "of various types").
    name_tails: Vec<String>,
    /// Words that make a sentence speak of one day ("day", "overnight"): a count too small for a
    /// total there can be the day's change.
    day_words: Vec<String>,
    /// Words of a report ("said", "update"): a weekday beside one is the report's day.
    speech_words: Vec<String>,
    /// Words of the fighting ("lost", "deadliest"): a weekday beside one is the fighting's day.
    fighting_words: Vec<String>,
    /// Nouns of a day's losses ("casualties", "deaths"): "480 casualties on Friday" are Friday's.
    loss_nouns: Vec<String>,
    /// Words of people other than an army's losses (civilian harm: "rubble", "residents"; the
    /// drafted: "mobilisation", "contracts"): a weak name in their sentence counts those.
    other_people_words: Vec<String>,
    /// Articles that count one before a name in a list ("a submarine", "another tank").
    articles: Vec<String>,
    /// Names that count one by themselves as a list item, in languages without articles (the
    /// singular "танк" in "знищили танк, шість ББМ").
    one_names: Vec<String>,
    /// Words for "pieces" right after a count ("2610 units (+43)", "3325 од"): part of the count.
    count_units: Vec<String>,
    /// Words that join the last items of a list, besides "and" and commas ("und", "et", "та"):
    /// the figures of a list share the cue said once for it.
    joiners: Vec<String>,
    /// Words that open a sentence going on from the one before ("also", "besides"): its figures
    /// without a cue of their own take the span the sentences before spoke of.
    continuations: Vec<String>,
    number_words: BTreeMap<String, u64>,
    multipliers: BTreeMap<String, u64>,
    /// Whether a comma separates decimals ("31,4 тис."), as in most of Europe.
    decimal_comma: bool,
    qualifiers: BTreeMap<String, Vec<String>>,
    pub(super) months: BTreeMap<String, u32>,
    weekdays: BTreeMap<String, u32>,
    modifiers: Vec<String>,
    sides: BTreeMap<String, Vec<String>>,
    side_phrases: BTreeMap<String, Vec<String>>,
    claimants: BTreeMap<String, Vec<String>>,
    delta_cues: Vec<String>,
    delta_by: Vec<String>,
    total_cues: Vec<String>,
    period_cues: Vec<String>,
    span_units: BTreeMap<String, u32>,
    previous_day: Vec<String>,
    week_earlier: Vec<String>,
    same_day: Vec<String>,
    negative_cues: Vec<String>,
    loss_verbs: Vec<String>,
    anaphors: Vec<String>,
    anaphor_after: Vec<String>,
    connectors: Vec<String>,
    chain: Vec<String>,
    respectively: Vec<String>,
    invasion_words: Vec<String>,
    /// Words between the war and a count of days that make it the war's age ("has lasted",
    /// "continues for"): "the war has lasted 130 days" is day 130.
    lasting_words: Vec<String>,
    /// Words that open a span of the war ("since", "seit", "depuis"): with the war's name a few
    /// words on, the span stands between a count's name and its number ("soldiers killed since
    /// the start of the conflict stand at 342,000").
    since_words: Vec<String>,
    historical: Vec<String>,
    report_cues: Vec<String>,
    header_labels: Vec<String>,
    /// Labels of a version's date ("updated", "last updated"): at the head of a page it dates
    /// the page as any header does; below the figures (a footer) only where the text's own
    /// dates and weekdays fit it.
    update_labels: Vec<String>,
    rejecting_modifiers: Vec<String>,
    same_period: Vec<String>,
    from_pair: Vec<String>,
    including: Vec<String>,
    claim_verbs: Vec<String>,
    unit_nouns: Vec<String>,
    period_after_cues: Vec<String>,
    /// Words a few before a weekday that make it the day of a comparison, not the report's
    /// ("more than on Saturday", "since Monday", "after last Friday").
    comparison_words: Vec<String>,
    /// Auxiliaries of a count so far, right before a verb of loss ("had lost"): a date before
    /// them is the count's, not the day of the fighting.
    perfect_auxiliaries: Vec<String>,
    /// Words right before a day cue that make it the other end of a change, which dates the
    /// other value ("up from the day before", "than a day earlier").
    change_markers: Vec<String>,
    /// Nouns of a report of figures ("data", "statistics"): a sentence without figures that
    /// names one and a Ukrainian source announces Kyiv's figures.
    report_nouns: Vec<String>,
    /// Nouns of a running count ("total", "tally"): a few words before one of `total_links`
    /// right before a number ("bringing the total to 1,353,860", "the total number now
    /// standing at 80,860"), the number is that count of the category named before it.
    total_nouns: Vec<String>,
    /// Words that lead from a running count to its number ("to", "at"); see `total_nouns`.
    total_links: Vec<String>,
    /// The nouns of a bare anaphor ("the total", "the toll") that, with no figure before it in
    /// its sentence, means the headline count of troops.
    headline_nouns: Vec<String>,
    /// Words right before a count of days that make it a span of the past ("the past 30 days",
    /// "within 100 days"), not the war's age.
    span_words: Vec<String>,
    /// Words right before a date on one of a page's first lines that label it as a header does
    /// ("as of 12.05.2024").
    header_date_words: Vec<String>,
    /// Words between a change and the total it brings ("up 710 to 444,370"): a one-word change
    /// phrase right after a date makes the date the day of the change only in that shape.
    change_result_words: Vec<String>,
    /// A verb and its particle ("went up", "rose up"): where the particle starts a hedge ("up
    /// to"), the hedge is none ("went up to 434,710" is no "up to").
    rise_verbs: Vec<String>,
    /// The language's function words (see `lexicon::function_words`).
    pub(super) function_words: FunctionWordLists,
}

/// The words of a table of words and numbers (months, weekdays) as the tokenizer normalises
/// them.
pub(super) fn lowered(m: &BTreeMap<String, u32>) -> impl Iterator<Item = (String, u32)> + '_ {
    m.iter().map(|(k, v)| (normalise_word(k).into_string(), *v))
}

/// What a language file says of its language.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default, deny_unknown_fields)]
pub(super) struct LanguageInfo {
    /// The language's name in English: "Ukrainian".
    pub(super) name: String,
    /// The ISO 639-3 code the language detector knows it by ("ukr"); none: never detected, only
    /// chosen with `--lang`.
    pub(super) whatlang: Option<String>,
}

/// Everything the extractor needs to know about the words of one language.
#[derive(Serialize, Deserialize)]
pub struct Language {
    /// The file's name: "en", "uk".
    pub code: String,
    pub name: String,
    /// The ISO 639-3 code of the language detector, if it knows the language.
    pub detector_code: Option<String>,
    pub category_names: Phrases<CategoryName>,
    /// The names and the label-only names: what may stand before a number.
    pub category_labels: Phrases<CategoryName>,
    pub name_prefixes: Phrases<()>,
    pub name_tails: Phrases<()>,
    pub count_units: Phrases<()>,
    pub joiners: Phrases<()>,
    pub continuations: Phrases<()>,
    pub articles: Phrases<()>,
    pub one_names: Phrases<()>,
    pub speech_words: Phrases<()>,
    pub fighting_words: Phrases<()>,
    pub loss_nouns: Phrases<()>,
    pub other_people_words: Phrases<()>,
    pub day_words: Phrases<()>,
    pub number_words: Phrases<u64>,
    pub multipliers: FxHashMap<String, u64>,
    pub decimal_comma: bool,
    pub qualifiers: Phrases<Qualifier>,
    pub months: FxHashMap<String, u32>,
    /// The months of every language, for dates in file names (which follow no one language);
    /// the lexicon's, shared by its languages, so not part of a language's embedded tables.
    #[serde(skip)]
    pub path_months: Arc<FxHashMap<String, u32>>,
    pub weekdays: FxHashMap<String, u32>,
    pub modifiers: Phrases<()>,
    pub sides: Phrases<String>,
    pub side_phrases: Phrases<String>,
    pub claimants: Phrases<String>,
    pub delta_cues: Phrases<()>,
    pub delta_by: Phrases<()>,
    pub total_cues: Phrases<()>,
    pub period_cues: Phrases<()>,
    pub span_units: FxHashMap<String, u32>,
    pub previous_day: Phrases<()>,
    pub week_earlier: Phrases<()>,
    pub same_day: Phrases<()>,
    pub negative_cues: Phrases<()>,
    pub loss_verbs: Phrases<()>,
    pub anaphors: Phrases<()>,
    pub anaphor_after: Phrases<()>,
    pub connectors: Phrases<()>,
    pub chain: Phrases<()>,
    pub respectively: Phrases<()>,
    pub invasion_words: Phrases<()>,
    pub lasting_words: Phrases<()>,
    pub since_words: Phrases<()>,
    pub historical: Phrases<()>,
    pub report_cues: Phrases<()>,
    pub header_labels: Phrases<()>,
    /// Labels of an update stamp ("Updated: 2024-01-09"); see `LangFile::update_labels`.
    pub update_labels: Phrases<()>,
    /// Words between a number and its noun that make it something other than a loss
    /// ("American troops", "new soldiers", "Leopard tanks").
    pub rejecting_modifiers: Phrases<()>,
    pub same_period: Phrases<()>,
    pub from_pair: Phrases<()>,
    pub including: Phrases<()>,
    pub claim_verbs: Phrases<()>,
    /// Nouns a category name can qualify ("tank battalion"): then it counts those, not losses.
    pub unit_nouns: Phrases<()>,
    /// Spans that make a period only after the number ("12 of them this week").
    pub period_after_cues: Phrases<()>,
    /// See the fields of `LangFile` of the same names.
    pub comparison_words: Words,
    pub perfect_auxiliaries: Words,
    pub change_markers: Words,
    pub report_nouns: Words,
    pub total_nouns: Words,
    pub total_links: Words,
    pub headline_nouns: Words,
    pub span_words: Words,
    pub header_date_words: Words,
    pub change_result_words: Words,
    /// A verb and its particle ("went up"); not indexed, so its words are no table words.
    pub rise_verbs: Phrases<()>,
    /// The language's function words, which mark no token.
    pub function_words: FunctionWords,
    /// Which tables a word can start a phrase of, for `tokenize`.
    starts: StartIndex,
}

/// Reads phrases, expanding the endings of words written `stem{class}` or `stem{a|b}`.
pub(super) struct Expander<'a> {
    pub(super) endings: &'a BTreeMap<String, Vec<String>>,
}

impl Expander<'_> {
    /// The words of `phrase`, each with its forms.
    fn words(&self, phrase: &str) -> Result<Vec<Vec<String>>> {
        let mut words = Vec::new();
        for piece in phrase.split_whitespace() {
            let Some(open) = piece.find('{') else {
                words.extend(phrase_words(piece).into_iter().map(|w| vec![w]));
                continue;
            };
            let close = piece[open..]
                .find('}')
                .map(|c| open + c)
                .with_context(|| format!("{phrase:?}: '{{' without '}}'"))?;
            let (stem, inside, rest) =
                (&piece[..open], &piece[open + 1..close], &piece[close + 1..]);
            let endings: Vec<&str> = if inside.contains('|') || inside.is_empty() {
                inside.split('|').collect()
            } else {
                self.endings
                    .get(inside)
                    .with_context(|| format!("{phrase:?}: no ending class {inside:?}"))?
                    .iter()
                    .map(String::as_str)
                    .collect()
            };
            let mut forms = Vec::new();
            for e in endings {
                let form = normalise_word(&format!("{stem}{e}{rest}")).into_string();
                let split = phrase_words(&form);
                if split.len() != 1 {
                    bail!("{phrase:?}: the form {form:?} is not one word");
                }
                if !forms.contains(&split[0]) {
                    forms.push(split[0].clone());
                }
            }
            words.push(forms);
        }
        Ok(words)
    }

    fn add<T: Clone>(&self, table: &mut Phrases<T>, phrase: &str, value: T) -> Result<()> {
        table.add_forms(self.words(phrase)?, value);
        Ok(())
    }

    /// A category name, its last word also in the singular where it ends in a plural ending
    /// (but never a word the language uses otherwise: "russians" is not read as "russian").
    fn add_name<T: Clone>(
        &self,
        table: &mut Phrases<T>,
        phrase: &str,
        singulars: &Singulars,
        value: T,
    ) -> Result<()> {
        let mut words = self.words(phrase)?;
        if let Some(last) = words.last_mut() {
            let mut more = Vec::new();
            for form in last.iter() {
                // The longest plural ending that fits: "batteries" -> "battery", not "batterie".
                let ending = singulars
                    .endings
                    .iter()
                    .filter(|(plural, _)| form.len() > plural.len() + 2 && form.ends_with(*plural))
                    .max_by_key(|(plural, _)| plural.len());
                if let Some((plural, singular)) = ending {
                    let one = format!("{}{singular}", &form[..form.len() - plural.len()]);
                    if !last.contains(&one)
                        && !more.contains(&one)
                        && !singulars.taken.contains(&one)
                    {
                        more.push(one);
                    }
                }
            }
            last.extend(more);
        }
        table.add_forms(words, value);
        Ok(())
    }

    /// A table of single words: each entry one word, with the forms its endings give.
    pub(super) fn word_table(&self, list: &[String]) -> Result<Words> {
        let mut forms = Vec::new();
        for entry in list {
            let words = self.words(entry)?;
            let [word] = &words[..] else {
                bail!("{entry:?}: this table takes one word an entry");
            };
            forms.extend(
                word.iter()
                    .filter(|w| !forms.contains(*w))
                    .cloned()
                    .collect::<Vec<_>>(),
            );
        }
        Ok(Words::new(forms))
    }

    pub(super) fn table(&self, lists: &[&Vec<String>]) -> Result<Phrases<()>> {
        let mut p = Phrases::new(false);
        for list in lists {
            for s in list.iter() {
                self.add(&mut p, s, ())?;
            }
        }
        Ok(p)
    }
}

/// The singulars of a language's plural endings, and the words they must never make.
struct Singulars<'a> {
    endings: &'a BTreeMap<String, String>,
    taken: std::collections::HashSet<String>,
}

fn parse_qualifier(name: &str) -> Result<Qualifier> {
    Ok(match name {
        "about" => Qualifier::About,
        "more_than" => Qualifier::MoreThan,
        "less_than" => Qualifier::LessThan,
        "almost" => Qualifier::Almost,
        "exact" => Qualifier::Exact,
        other => bail!("unknown qualifier {other:?}"),
    })
}

impl Language {
    /// Builds the tables of one language file. `categories` are every category (with the user's
    /// aliases, which every language reads); `path_months` the months of all languages; `stamp`
    /// the one its tables mark tokens with (`builtin_stamp` or `runtime_stamp`).
    pub(super) fn build(
        code: &str,
        file: &LangFile,
        categories: &[CategoryEntry],
        user_aliases: &BTreeMap<String, Vec<String>>,
        path_months: Arc<FxHashMap<String, u32>>,
        stamp: u32,
    ) -> Result<Language> {
        let x = Expander {
            endings: &file.endings,
        };
        // Indexed once: a search per name is quadratic with thousands of user categories. Each
        // name is made once, its floors shared by the copies every phrase of it takes.
        let by_id: FxHashMap<&str, CategoryName> = categories
            .iter()
            .map(|c| {
                let name = CategoryName {
                    id: CompactString::from(c.id.as_str()),
                    until: c.until.clone(),
                    max: c.max,
                    max_daily: c.max_daily,
                    floors: c.floors.clone().into(),
                    weak: false,
                };
                (c.id.as_str(), name)
            })
            .collect();
        let name_of = |id: &str| -> Result<CategoryName> {
            by_id
                .get(id)
                .cloned()
                .with_context(|| format!("names for {id:?}, which is no category"))
        };
        let taken = (file.sides.values().flatten())
            .chain(&file.modifiers)
            .chain(file.claimants.values().flatten())
            .flat_map(|w| phrase_words(w))
            .collect();
        let singulars = Singulars {
            endings: &file.singulars,
            taken,
        };
        let mut category_names = Phrases::new(true).with_typos();
        for c in categories {
            let own = file.categories.get(&c.id).into_iter().flatten();
            for name in own.chain(user_aliases.get(&c.id).into_iter().flatten()) {
                x.add_name(&mut category_names, name, &singulars, name_of(&c.id)?)?;
            }
        }
        for name in &file.not_series {
            x.add_name(
                &mut category_names,
                name,
                &singulars,
                CategoryName::not_series(),
            )?;
        }
        for id in file.categories.keys() {
            name_of(id)?;
        }
        let mut category_labels = category_names.clone();
        // Names that stand only after a number: a weak name ("people"), and a noun of losses
        // ("1,200 combat losses") that before a number is no label ("tank losses went up").
        for (id, names) in &file.weak_names {
            let weak = CategoryName {
                weak: true,
                ..name_of(id)?
            };
            for name in names {
                x.add_name(&mut category_names, name, &singulars, weak.clone())?;
            }
        }
        for (id, names) in &file.nouns {
            for name in names {
                x.add_name(&mut category_names, name, &singulars, name_of(id)?)?;
            }
        }
        for (id, names) in &file.labels {
            for name in names {
                x.add(&mut category_labels, name, name_of(id)?)?;
            }
        }
        let mut number_words = Phrases::new(false);
        for (w, v) in &file.number_words {
            x.add(&mut number_words, w, *v)?;
        }
        let mut qualifiers = Phrases::new(false);
        for (q, list) in &file.qualifiers {
            let q = parse_qualifier(q)?;
            for w in list {
                x.add(&mut qualifiers, w, q)?;
            }
        }
        let keyed = |map: &BTreeMap<String, Vec<String>>| -> Result<Phrases<String>> {
            let mut p = Phrases::new(false);
            for (key, list) in map {
                for w in list {
                    x.add(&mut p, w, key.clone())?;
                }
            }
            Ok(p)
        };
        let mut claimants = keyed(&file.claimants)?;
        for (who, list) in &file.claimants {
            for w in list {
                // "Oryx's count", "the Pentagon's estimate"
                if !w.ends_with("'s") && w.is_ascii() && !w.contains('{') {
                    x.add(&mut claimants, &format!("{w}'s"), who.clone())?;
                }
            }
        }
        let one = |list: &Vec<String>| x.table(&[list]);
        let mut lang = Language {
            code: code.to_string(),
            name: file.language.name.clone(),
            detector_code: file.language.whatlang.clone(),
            category_names,
            category_labels,
            name_prefixes: one(&file.name_prefixes)?,
            name_tails: one(&file.name_tails)?,
            count_units: one(&file.count_units)?,
            joiners: one(&file.joiners)?,
            continuations: one(&file.continuations)?,
            articles: one(&file.articles)?,
            one_names: one(&file.one_names)?,
            speech_words: one(&file.speech_words)?,
            fighting_words: one(&file.fighting_words)?,
            loss_nouns: one(&file.loss_nouns)?,
            other_people_words: one(&file.other_people_words)?,
            day_words: one(&file.day_words)?,
            number_words,
            multipliers: file
                .multipliers
                .iter()
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
            decimal_comma: file.decimal_comma,
            qualifiers,
            months: lowered(&file.months).collect(),
            path_months,
            weekdays: lowered(&file.weekdays).collect(),
            modifiers: one(&file.modifiers)?,
            sides: keyed(&file.sides)?,
            side_phrases: keyed(&file.side_phrases)?,
            claimants,
            delta_cues: one(&file.delta_cues)?,
            delta_by: one(&file.delta_by)?,
            total_cues: one(&file.total_cues)?,
            period_cues: one(&file.period_cues)?,
            span_units: file
                .span_units
                .iter()
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
            previous_day: one(&file.previous_day)?,
            week_earlier: one(&file.week_earlier)?,
            same_day: one(&file.same_day)?,
            negative_cues: one(&file.negative_cues)?,
            loss_verbs: one(&file.loss_verbs)?,
            anaphors: one(&file.anaphors)?,
            anaphor_after: one(&file.anaphor_after)?,
            connectors: one(&file.connectors)?,
            chain: one(&file.chain)?,
            respectively: one(&file.respectively)?,
            invasion_words: one(&file.invasion_words)?,
            lasting_words: one(&file.lasting_words)?,
            since_words: one(&file.since_words)?,
            historical: one(&file.historical)?,
            report_cues: one(&file.report_cues)?,
            header_labels: one(&file.header_labels)?,
            update_labels: one(&file.update_labels)?,
            rejecting_modifiers: one(&file.rejecting_modifiers)?,
            same_period: one(&file.same_period)?,
            from_pair: one(&file.from_pair)?,
            including: one(&file.including)?,
            claim_verbs: one(&file.claim_verbs)?,
            unit_nouns: one(&file.unit_nouns)?,
            period_after_cues: one(&file.period_after_cues)?,
            comparison_words: x.word_table(&file.comparison_words)?,
            perfect_auxiliaries: x.word_table(&file.perfect_auxiliaries)?,
            change_markers: x.word_table(&file.change_markers)?,
            report_nouns: x.word_table(&file.report_nouns)?,
            total_nouns: x.word_table(&file.total_nouns)?,
            total_links: x.word_table(&file.total_links)?,
            headline_nouns: x.word_table(&file.headline_nouns)?,
            span_words: x.word_table(&file.span_words)?,
            header_date_words: x.word_table(&file.header_date_words)?,
            change_result_words: x.word_table(&file.change_result_words)?,
            rise_verbs: {
                let mut p = one(&file.rise_verbs)?;
                p.finish();
                p
            },
            function_words: FunctionWords::build(&file.function_words)?,
            starts: StartIndex::default(),
        };
        let _ = &file.comment;
        lang.index_starts(stamp);
        Ok(lang)
    }

    /// The tables build.rs built and wrote with `to_tables`, read back: the same tables as
    /// `build` makes of the file, without the cost of expanding and indexing its words at start-up.
    pub(super) fn from_tables(
        bytes: &[u8],
        path_months: Arc<FxHashMap<String, u32>>,
    ) -> Result<Language> {
        let mut lang: Language =
            with_shared_words(|| postcard::from_bytes(bytes)).context("the embedded tables")?;
        lang.path_months = path_months;
        Ok(lang)
    }

    /// The built tables in the compact form `from_tables` reads.
    #[allow(dead_code)] // build.rs's, through src/lexicon/embed.rs
    pub(super) fn to_tables(&self) -> Result<Vec<u8>> {
        with_shared_words(|| postcard::to_allocvec(self)).context("writing the tables")
    }

    /// The stamp of the built-in language at `index` of the built-in codes: fixed, as build.rs
    /// builds its tables once for every run. Two lexicons' tables of the same built-in language
    /// are the same tables, so they may share it.
    #[allow(dead_code)] // build.rs's, through src/lexicon/embed.rs
    pub(super) fn builtin_stamp(index: usize) -> u32 {
        1 + index as u32
    }

    /// A stamp for tables built at run time, never a built-in one's.
    pub(super) fn runtime_stamp() -> u32 {
        static STAMPS: AtomicU32 = AtomicU32::new(1 << 16);
        STAMPS.fetch_add(1, Ordering::Relaxed)
    }

    /// Give every table its bit and index the words that start its phrases. A stamp per
    /// language's tables: tokens marked by one are never read with another's bits.
    fn index_starts(&mut self, stamp: u32) {
        let mut index = StartIndex::new(stamp);
        let mut bit = 1u64;
        macro_rules! index {
            ($($field:ident),* $(,)?) => {
                $(
                    index.add(&mut self.$field, bit);
                    bit <<= 1;
                )*
            };
        }
        index!(
            category_names,
            category_labels,
            name_prefixes,
            name_tails,
            count_units,
            joiners,
            continuations,
            articles,
            one_names,
            speech_words,
            fighting_words,
            loss_nouns,
            other_people_words,
            day_words,
            number_words,
            qualifiers,
            modifiers,
            sides,
            side_phrases,
            claimants,
            delta_cues,
            delta_by,
            total_cues,
            period_cues,
            previous_day,
            week_earlier,
            same_day,
            negative_cues,
            loss_verbs,
            anaphors,
            anaphor_after,
            connectors,
            chain,
            respectively,
            invasion_words,
            lasting_words,
            since_words,
            historical,
            report_cues,
            header_labels,
            update_labels,
            rejecting_modifiers,
            same_period,
            from_pair,
            including,
            claim_verbs,
            unit_nouns,
            period_after_cues,
        );
        let _ = bit;
        for m in self.months.keys() {
            index.add_word(m, MONTH);
        }
        for d in self.weekdays.keys() {
            index.add_word(d, WEEKDAY);
        }
        index.and_starts = index.tables_of("and", word_hash("and")) & index.and_symbols;
        self.starts = index;
    }

    /// Split `text` into tokens (`text::tokenize`), each marked with the tables whose phrases
    /// may start at it, so that table lookups at the other tokens cost one test.
    pub fn tokenize(&self, text: &str) -> Tokenized {
        let mut tok = tokenize(text);
        self.mark(&mut tok.tokens);
        self.join_split_phrases(&mut tok);
        tok
    }

    /// Where the split, which knows no language, took a full stop inside a phrase for a sentence
    /// end, this language's tables join the halves again (see `runs_on_after_dot`).
    fn join_split_phrases(&self, tok: &mut Tokenized) {
        let tokens = &tok.tokens;
        let mut joined: Vec<Sentence> = Vec::with_capacity(tok.sentences.len());
        for s in tok.sentences.drain(..) {
            if let Some(prev) = joined.last_mut() {
                let goes_on = prev.paragraph == s.paragraph
                    && prev.last == s.first
                    && !tokens[s.first].line_start
                    && self.runs_on_after_dot(tokens, prev.first, prev.last);
                if goes_on || self.label_over_number(tokens, prev, &s) {
                    prev.last = s.last;
                    continue;
                }
            }
            joined.push(s);
        }
        tok.sentences = joined;
    }

    /// Whether a line that is only a category's label stands over a line that is only a
    /// number, as a page's sidebar of losses prints them ("Танки" over "11 013"): one item.
    fn label_over_number(&self, tokens: &[Token], label: &Sentence, number: &Sentence) -> bool {
        label.paragraph == number.paragraph
            && label.last == number.first
            && number.last > number.first
            && tokens[number.first].line_start
            && tokens[number.first..number.last]
                .iter()
                .all(|t| t.kind == TokKind::Num)
            && self
                .category_labels
                .longest_at(tokens, label.first, label.last)
                .is_some_and(|(n, _)| label.first + n == label.last)
    }

    /// Whether the full stop ending `tokens[first..end]` belongs to a phrase that goes on: a day
    /// before its month ("am 24. Februar"), an ordinal before a unit of time ("am 451. Tag"), an
    /// abbreviated multiplier before a category name ("1,2 Mio. Soldaten"), or an abbreviated
    /// hedge before a number ("ok. 1200").
    fn runs_on_after_dot(&self, tokens: &[Token], first: usize, end: usize) -> bool {
        if end < first + 2 || end >= tokens.len() || !tokens[end - 1].is(".") {
            return false;
        }
        let (before, next) = (&tokens[end - 2], &tokens[end]);
        if before.end != tokens[end - 1].start {
            return false;
        }
        let ordinal =
            before.kind == TokKind::Num && before.norm.bytes().all(|b| b.is_ascii_digit());
        let day = ordinal
            && before
                .norm
                .parse::<u32>()
                .is_ok_and(|d| (1..=31).contains(&d));
        (day && self.month(next).is_some())
            || (ordinal && self.span_units.contains_key(next.norm.as_str()))
            || (self.multipliers.contains_key(before.norm.as_str())
                && self.starts_category_word(next))
            || (next.kind == TokKind::Num
                && self
                    .qualifiers
                    .longest_ending_at(tokens, end.saturating_sub(3).max(first), end)
                    .is_some())
    }

    /// Marks tokens of `text::tokenize` with this language's tables (what `tokenize` does), so
    /// that one tokenization can be read in several languages.
    pub fn mark(&self, tokens: &mut [Token]) {
        self.starts.mark(tokens);
    }

    pub fn month(&self, tok: &Token) -> Option<u32> {
        if tok.kind != TokKind::Word || tok.stamp == self.starts.stamp && tok.starts & MONTH == 0 {
            return None;
        }
        self.months.get(tok.norm.trim_end_matches('.')).copied()
    }

    pub fn weekday(&self, tok: &Token) -> Option<u32> {
        if tok.kind != TokKind::Word {
            return None;
        }
        // "Saturday's losses"
        if let Some(stem) = tok.norm.strip_suffix("'s") {
            return self.weekdays.get(stem).copied();
        }
        if tok.stamp == self.starts.stamp && tok.starts & WEEKDAY == 0 {
            return None;
        }
        self.weekdays.get(tok.norm.as_str()).copied()
    }

    pub fn weekday_at(&self, tokens: &[Token], i: usize) -> Option<u32> {
        tokens.get(i).and_then(|t| self.weekday(t))
    }

    /// Whether `tok` is a word some table other than the category names knows (a cue, a hedge,
    /// a connector, a month): a word after a number that is neither that nor a category name is
    /// the number's own noun, one casrep does not know ("105 anti-craft systems").
    pub fn is_table_word(&self, tok: &Token) -> bool {
        // The category names and labels hold the first two bits (see `index_starts`).
        tok.stamp != self.starts.stamp || tok.starts & !0b11 != 0
    }

    /// Whether `tok` starts a category name or label ("tanks", "ППО").
    pub fn starts_category_word(&self, tok: &Token) -> bool {
        tok.stamp == self.starts.stamp && tok.starts & 0b11 != 0
    }
}
