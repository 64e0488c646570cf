//! A language's function words: the short words the stages test one at a time ("between",
//! "as of", "more", a table's column names), in each file's `function_words` object. They mark
//! no token (so they never make a word a table word), and an article reads only its own
//! language's, so that one language's words never fire in another's text.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::language::Expander;
use super::phrases::{Phrases, Words};

/// A file's `function_words` object as written. Every list may be left out.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default, deny_unknown_fields)]
pub(super) struct FunctionWordLists {
    /// Words right before a date or weekday that make it the day of what comes before
    /// ("compared with 292,060 on October 20", "the record reported on Tuesday").
    day_prepositions: Vec<String>,
    /// Words opening a range of two days ("between Tuesday and Wednesday"): its weekdays are
    /// the ends of one day's change, not the report's day.
    range_openers: Vec<String>,
    /// The word between the two ends of such a range ("and").
    range_joiners: Vec<String>,
    /// Beginnings of the words of reporting ("report": "reported", "reports"): a day cue
    /// after one ("750 reported the day before") is the day of that report.
    report_stems: Vec<String>,
    /// The word before the later value of "from A to B" ("to").
    pair_links: Vec<String>,
    /// Phrases right before a date in a title that make it the day the figures stand at
    /// ("losses as of 11/11/2025").
    status_date_labels: Vec<String>,
    /// Words right after a number that make it one more batch ("580 more casualties": a
    /// change; "with 40 more", "plus 40 more": part of a list).
    more_words: Vec<String>,
    /// Words right before a number (hedge and all) that make it a total ("to 133,190",
    /// "totals 5,000").
    total_markers: Vec<String>,
    /// The word by which a total cue leads to the next number ("bringing the total to
    /// 793,250"): the cue is that number's, not the one before it.
    total_leads: Vec<String>,
    /// The word joining a list's last items ("3,100 tanks and 5,800 AFVs"); a comma or ';'
    /// joins in any language. The figures of a list share the cue said once for it.
    list_joiners: Vec<String>,
    /// Words right after a name that end a list item ("a submarine and 347 aircraft", "a
    /// submarine as well", "a submarine plus"): with `item_openers`, "a submarine" counts one.
    item_ends: Vec<String>,
    /// Words right before an article that open a list item ("and a submarine", "plus a
    /// submarine", "as well a submarine"); see `item_ends`.
    item_openers: Vec<String>,
    /// Words right before a number that make it one more batch of the figure before ("another
    /// 460 falling in the last 24 hours"), which it is part of.
    another_words: Vec<String>,
    /// Words right before a number followed by one of `more_words` that make it part of the
    /// figure before ("with 460 more", "plus 460 more").
    more_openers: Vec<String>,
    /// The definite article ("the"): "the 7,765 claimed by Kyiv" refers to a figure said
    /// before; "208,370 of the despot's soldiers" names the side after it.
    definite_articles: Vec<String>,
    /// The word between a number and a possessive that names its side ("208,370 of Russia's
    /// soldiers").
    possessive_links: Vec<String>,
    /// Words right before a number word that let it count after a label ("rose by three");
    /// elsewhere "one" is too common a word. A colon or dash does it in any language.
    number_word_links: Vec<String>,
    /// Phrases before a list of numbers without names that give them the names before, in
    /// order, as "respectively" would ("bringing the totals to 6,534 and 12,425").
    respective_totals: Vec<String>,
    /// Words where a sentence turns to another source ("while", "but", "compared with"); a ';'
    /// does it in any language.
    clause_breaks: Vec<String>,
    /// Beginnings of the words of inclusion ("includ": "including", "includes"): a loss verb
    /// that is one does not make a sentence speak of losses ("aid including shells").
    including_stems: Vec<String>,
    /// Words that make a sentence speak of a week ("week", "weekly"), for a later "over the
    /// same period".
    week_words: Vec<String>,
    /// Words right before a month and day that make it a date even where the month's name is
    /// also a common word ("as of May 7", "since May 3"); a comma, '(' or '|' does it in any
    /// language. See `ambiguous_months`.
    date_introducers: Vec<String>,
    /// Month names that are also common words ("may"): a month and day with one is a date only
    /// next to a year, at the start of a line or after one of `date_introducers`.
    ambiguous_months: Vec<String>,
    /// Words between a day, its month and its year ("17 of September", "3 de mayo de 2024").
    date_links: Vec<String>,
    /// The noun of a day of the war ("day 451 of the invasion", "the 1048th day of the war").
    war_day_nouns: Vec<String>,
    /// The word between such a day and the war's name ("of").
    war_day_links: Vec<String>,
    /// The noun of a count of the war's days ("365 days since the invasion began": day 365).
    war_days_nouns: Vec<String>,
    /// The words between such a count and the war's name ("since", "into", "of").
    war_days_links: Vec<String>,
    /// The word between a count of days and the war's name in the languages that write "500
    /// jours de guerre", "500 días de guerra": the war's age.
    war_age_links: Vec<String>,
    /// Words of a copyright line ("copyright 2025 ..."), whose year dates a page without one;
    /// '©' does it in any language.
    copyright_words: Vec<String>,
    /// Words a header line may hold beside its date and still be a header, not prose (time
    /// zones, "a.m.", "by", "at", "on": "Published 09:40 GMT on 3 May 2024").
    header_stamp_words: Vec<String>,
    /// Words opening a span of time before its count ("in two days", "over the past 48 hours",
    /// "within 3 weeks"): the figure covers that many days.
    span_openers: Vec<String>,
    /// Words that may stand between one of `span_openers` and the count ("the", "past").
    span_fillers: Vec<String>,
    /// Beginnings of the nouns of hours ("hour": "hours"): a span of hours is a number of days
    /// only in whole days ("48 hours"; "36 hours" is none).
    hour_stems: Vec<String>,
    /// Column names of a table's header for the day before ("previous", "yesterday", "day
    /// before").
    column_day_before: Vec<String>,
    /// Column names for a week before ("week ago", "last week").
    column_week_before: Vec<String>,
    /// Column names of running totals ("total", "today", "cumulative").
    column_totals: Vec<String>,
    /// Column names of the day's changes ("change", "daily", "new", "день"); '±' and "+/-"
    /// do it in any language.
    column_changes: Vec<String>,
    /// Words of a currency right before a number ("usd 40", "uah 1,000"): money, no count.
    /// The currency signs and '#', '№' do it in any language.
    currency_words: Vec<String>,
    /// Words right after a number that make it a measure, a share or an age, no count
    /// ("40 percent", "3 billion", "300 km", "19 years"); '%' does it in any language.
    measure_words: Vec<String>,
    /// Letters glued to a number that make it an ordinal ("1st", French "1er" and "451e",
    /// Spanish "1º"): a day of a date, or the day of a day count.
    ordinal_suffixes: Vec<String>,
    /// The ordinal suffixes a day of the war takes before `war_day_nouns` ("the 1048th day
    /// of the war").
    war_day_ordinal_suffixes: Vec<String>,
}

/// The tables, read with `Language::function_words`. See the fields of `FunctionWordLists`.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct FunctionWords {
    pub day_prepositions: Words,
    pub range_openers: Words,
    pub range_joiners: Words,
    /// Matched as a word's beginning ([`Words::starts`]), as `including_stems` and
    /// `hour_stems` are.
    pub report_stems: Words,
    pub pair_links: Words,
    pub status_date_labels: Phrases<()>,
    pub more_words: Words,
    pub total_markers: Words,
    pub total_leads: Words,
    pub list_joiners: Words,
    pub item_ends: Words,
    pub item_openers: Phrases<()>,
    pub another_words: Words,
    pub more_openers: Words,
    pub definite_articles: Words,
    pub possessive_links: Words,
    pub number_word_links: Words,
    pub respective_totals: Phrases<()>,
    pub clause_breaks: Phrases<()>,
    pub including_stems: Words,
    pub week_words: Words,
    pub date_introducers: Words,
    pub ambiguous_months: Words,
    pub date_links: Words,
    pub war_day_nouns: Words,
    pub war_day_links: Words,
    pub war_days_nouns: Words,
    pub war_days_links: Words,
    pub war_age_links: Words,
    pub copyright_words: Words,
    pub header_stamp_words: Words,
    pub span_openers: Words,
    pub span_fillers: Words,
    pub hour_stems: Words,
    pub column_day_before: Phrases<()>,
    pub column_week_before: Phrases<()>,
    pub column_totals: Words,
    pub column_changes: Words,
    pub currency_words: Words,
    pub measure_words: Words,
    pub ordinal_suffixes: Words,
    pub war_day_ordinal_suffixes: Words,
}

impl FunctionWords {
    /// The tables of a file's lists; an entry that is not what its list takes is refused.
    pub(super) fn build(lists: &FunctionWordLists) -> Result<FunctionWords> {
        build_tables(lists).context("function_words")
    }
}

fn build_tables(lists: &FunctionWordLists) -> Result<FunctionWords> {
    // Function words are plain or take inline endings (`word{|s}`), not the file's ending
    // classes.
    let none = BTreeMap::new();
    let x = Expander { endings: &none };
    let phrases = |list: &Vec<String>| -> Result<Phrases<()>> {
        let mut p = x.table(&[list])?;
        p.finish();
        Ok(p)
    };
    Ok(FunctionWords {
        day_prepositions: x.word_table(&lists.day_prepositions)?,
        range_openers: x.word_table(&lists.range_openers)?,
        range_joiners: x.word_table(&lists.range_joiners)?,
        report_stems: x.word_table(&lists.report_stems)?,
        pair_links: x.word_table(&lists.pair_links)?,
        status_date_labels: phrases(&lists.status_date_labels)?,
        more_words: x.word_table(&lists.more_words)?,
        total_markers: x.word_table(&lists.total_markers)?,
        total_leads: x.word_table(&lists.total_leads)?,
        list_joiners: x.word_table(&lists.list_joiners)?,
        item_ends: x.word_table(&lists.item_ends)?,
        item_openers: phrases(&lists.item_openers)?,
        another_words: x.word_table(&lists.another_words)?,
        more_openers: x.word_table(&lists.more_openers)?,
        definite_articles: x.word_table(&lists.definite_articles)?,
        possessive_links: x.word_table(&lists.possessive_links)?,
        number_word_links: x.word_table(&lists.number_word_links)?,
        respective_totals: phrases(&lists.respective_totals)?,
        clause_breaks: phrases(&lists.clause_breaks)?,
        including_stems: x.word_table(&lists.including_stems)?,
        week_words: x.word_table(&lists.week_words)?,
        date_introducers: x.word_table(&lists.date_introducers)?,
        ambiguous_months: x.word_table(&lists.ambiguous_months)?,
        date_links: x.word_table(&lists.date_links)?,
        war_day_nouns: x.word_table(&lists.war_day_nouns)?,
        war_day_links: x.word_table(&lists.war_day_links)?,
        war_days_nouns: x.word_table(&lists.war_days_nouns)?,
        war_days_links: x.word_table(&lists.war_days_links)?,
        war_age_links: x.word_table(&lists.war_age_links)?,
        copyright_words: x.word_table(&lists.copyright_words)?,
        header_stamp_words: x.word_table(&lists.header_stamp_words)?,
        span_openers: x.word_table(&lists.span_openers)?,
        span_fillers: x.word_table(&lists.span_fillers)?,
        hour_stems: x.word_table(&lists.hour_stems)?,
        column_day_before: phrases(&lists.column_day_before)?,
        column_week_before: phrases(&lists.column_week_before)?,
        column_totals: x.word_table(&lists.column_totals)?,
        column_changes: x.word_table(&lists.column_changes)?,
        currency_words: x.word_table(&lists.currency_words)?,
        measure_words: x.word_table(&lists.measure_words)?,
        ordinal_suffixes: x.word_table(&lists.ordinal_suffixes)?,
        war_day_ordinal_suffixes: x.word_table(&lists.war_day_ordinal_suffixes)?,
    })
}
