//! Examples of whole sentences and what extraction gives for them.

use super::*;
use crate::figure::{Kind, Qualifier};
use chrono::Datelike;

fn figs(text: &str) -> Vec<Figure> {
    extract(Lexicon::builtin(), "t.txt", text, &Options::default())
}

fn keys(text: &str) -> Vec<(String, Kind, u64)> {
    figs(text)
        .into_iter()
        .map(|f| (f.category, f.kind, f.value))
        .collect()
}

fn k(c: &str, kind: Kind, v: u64) -> (String, Kind, u64) {
    (c.to_string(), kind, v)
}

#[test]
fn where_a_story_was_filed_is_not_who_claims_its_figures() {
    let f = figs(
        "WASHINGTON, Nov. 7, 2025 (Baltic Newsroom) – Russian losses (source: Ukraine's \
         Defence Ministry):\nType\tDestroyed\tChange\nMain battle tanks\t11 330\t+1\n",
    );
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(
        f.iter().all(|f| f.claimant.as_deref() == Some("ukraine")),
        "{f:?}"
    );
    let f = figs(
        "Washington, 15 July 2026 – Russian losses (source: Ukraine's military command):\n\
         Type      Destroyed   Change\nSoldiers  1,423,280   +1,470\n",
    );
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(
        f.iter().all(|f| f.claimant.as_deref() == Some("ukraine")),
        "{f:?}"
    );
    // Named in the sentence, Washington does claim.
    let f = figs("Washington estimates that Russia has lost 2,200 tanks, officials said.");
    assert_eq!(f[0].claimant.as_deref(), Some("united_states"));
}

#[test]
fn a_sentence_about_something_else_ends_a_claimants_run() {
    let f = figs(
        "By Kyiv's count, the invasion has cost Russia around 978,700 soldiers.\n\
         Independent Russian outlets say they have confirmed the names of 79,390 soldiers \
         killed in the war.\n\
         The state railway said trains were running up to seven hours late.\n\
         Destroyed Russian equipment includes 10,841 Russian tanks and 1 submarine.",
    );
    let who: Vec<(u64, Option<&str>)> =
        f.iter().map(|f| (f.value, f.claimant.as_deref())).collect();
    assert_eq!(
        who,
        [
            (978700, Some("ukraine")),
            (79390, Some("media")),
            (10841, Some("ukraine")),
            (1, Some("ukraine")),
        ]
    );
}

#[test]
fn label_glued_to_a_large_number_is_no_model_name() {
    // "F-16", "Kh-101" are models; "bbm-21,400" and "uav-75054" are a label and a count.
    let f = keys("russian army losses: bbm-21,400 (+40) , uav-75054 , APC/IFV-1976(+ 8)");
    assert_eq!(
        f,
        [
            k("afv", Kind::Total, 21400),
            k("afv", Kind::Delta, 40),
            k("uav", Kind::Total, 75054),
            k("afv", Kind::Total, 1976),
            k("afv", Kind::Delta, 8)
        ]
    );
    assert!(keys("Ukraine has received 25 F-16 jets and Kh-101 missiles hit Kyiv.").is_empty());
}

#[test]
fn a_dated_title_dates_the_list_under_it_before_the_page_date() {
    for title in [
        "russian army losses as of 11/11/2025",
        "Russian Losses In Ukraine (UPDATE 11.11.2025 )",
        "LOSSES OF RUSSIAN ARMY - 11.11.2025",
    ] {
        let f = figs(&format!(
            "Date: November 12, 2025\n\n{title}\n\nrussian army losses according to \
             General Staff of AFU:\n\nmanpower:1153180 ( +1020)\nTanks — 11342(+0)\n"
        ));
        assert_eq!(f.len(), 4, "{title}: {f:?}");
        for f in f {
            assert_eq!(f.date, NaiveDate::from_ymd_opt(2025, 11, 11), "{title}");
        }
    }
}

#[test]
fn a_sentence_naming_the_latest_report_is_no_table_header() {
    // "latest" and a date once made two total columns of it, so "+610" read as a total.
    let f = keys(
        "Here is the latest breakdown from the General Staff in Kyiv on 07.09.2023.\n\
         Type\tDestroyed\tChange\nManpower\t266,900\t+610\n",
    );
    assert_eq!(
        f,
        [
            k("personnel", Kind::Total, 266900),
            k("personnel", Kind::Delta, 610)
        ]
    );
}

#[test]
fn a_source_is_carried_only_to_the_losses_it_speaks_of() {
    let who = |text: &str| -> Vec<(u64, Option<String>)> {
        figs(text)
            .into_iter()
            .map(|f| (f.value, f.claimant))
            .collect()
    };
    let kyiv = Some("ukraine".to_string());
    // An aid package "including" shells is not about losses: no run starts there.
    assert_eq!(
        who(
            "Russia has lost approximately 274,950 troops, Ukraine's army said.\n\
             The United States announced a further $8.4 billion in security assistance, \
             including spare parts for armoured vehicles.\n\
             The update lists 4,644 tanks."
        ),
        [(274950, kyiv.clone()), (4644, kyiv.clone())]
    );
    // Moscow's claim of Ukrainian drones does not make it the source of Russian tanks.
    let f = who(
        "Russian forces have lost 449,250 occupiers, the General Staff of Ukraine said.\n\
         Russia's Defense Ministry said its air defenses had shot down 80 Ukrainian drones \
         overnight.\n\
         The count of Russian materiel destroyed stands at 7,110 Russian tanks and 13,620 \
         armored combat vehicles.\n\
         The count of artillery systems rose to 34,874.",
    );
    assert_eq!(f[1], (80, Some("russia".to_string())));
    assert_eq!(
        f[2..],
        [(7110, kyiv.clone()), (13620, kyiv.clone()), (34874, kyiv)]
    );
}

#[test]
fn prose_with_the_word_new_is_no_table_header() {
    // Two "new"s once made this sentence a header whose columns were both changes, and the
    // totals after it deltas.
    let f = keys(
        "Officials believe Moscow is recruiting around 21000 new soldiers a month, enough \
         to replace its casualties but not to build large new formations.\n\
         The count of cruise missiles rose to 137 from 129, the General Staff said.",
    );
    assert_eq!(
        f,
        [
            k("cruise_missiles", Kind::Total, 137),
            k("cruise_missiles", Kind::Total, 129)
        ]
    );
}

#[test]
fn earlier_values_take_the_date_the_article_compares_with() {
    let f = figs(
        "WASHINGTON (Meridian) – As of 25 March 2025, Ukraine's armed forces put Russia's \
         personnel losses at an estimated 905,940, up from 897,010 on 18.03.2025.\n\n\
         The count of trucks and tankers rose to 41,824 from 40,892.",
    );
    let dated: Vec<(u64, Option<NaiveDate>)> = f.iter().map(|f| (f.value, f.date)).collect();
    let on = |s: &str| Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
    assert_eq!(
        dated,
        [
            (905940, on("2025-03-25")),
            (897010, on("2025-03-18")),
            (41824, on("2025-03-25")),
            (40892, on("2025-03-18")),
        ]
    );
}

#[test]
fn noun_after_number() {
    assert_eq!(keys("Russia has also lost 3,334 tanks, 6,569 armored fighting vehicles and 2,345 artillery systems."), [k("tanks", Kind::Total, 3334), k("afv", Kind::Total, 6569), k("artillery", Kind::Total, 2345)]);
}

#[test]
fn general_staff_post_in_english() {
    let f = keys("personnel ‒ about 144440 (+790) persons were liquidated, tanks ‒ 3325 (+9), armoured combat vehicles ‒ 6547 (+16)");
    assert_eq!(
        f,
        [
            k("personnel", Kind::Total, 144440),
            k("personnel", Kind::Delta, 790),
            k("tanks", Kind::Total, 3325),
            k("tanks", Kind::Delta, 9),
            k("afv", Kind::Total, 6547),
            k("afv", Kind::Delta, 16)
        ]
    );
}

#[test]
fn general_staff_post_in_ukrainian() {
    let f = keys("особового складу ‒ близько 144440 (+790) осіб ліквідовано, танків ‒ 3325 (+9) од, бойових броньованих машин ‒ 6547 (+16) од");
    assert_eq!(
        f,
        [
            k("personnel", Kind::Total, 144440),
            k("personnel", Kind::Delta, 790),
            k("tanks", Kind::Total, 3325),
            k("tanks", Kind::Delta, 9),
            k("afv", Kind::Total, 6547),
            k("afv", Kind::Delta, 16)
        ]
    );
}

#[test]
fn by_overnight_to_is_a_delta_and_a_total() {
    assert_eq!(keys("The military increased its running tally of Russian military dead by 1,030 overnight to 133,190."), [k("personnel", Kind::Delta, 1030), k("personnel", Kind::Total, 133190)]);
}

#[test]
fn iskander_word_number_is_srbm() {
    assert_eq!(
        keys("and four mobile Iskander ballistic missile systems were destroyed"),
        [k("srbm", Kind::Total, 4)]
    );
}

#[test]
fn hedges_are_qualifiers() {
    let f = figs("Ukraine says approximately 145,850 Russian soldiers were killed.");
    assert_eq!(f[0].qualifier, Qualifier::About);
    let f = figs("Kyiv says it has killed more than 1,200 Russian troops.");
    assert_eq!(f[0].qualifier, Qualifier::MoreThan);
}

#[test]
fn a_headline_figure_takes_the_date_its_lede_states() {
    let f = figs("Russia's troop losses in Ukraine reach 319,210, Kyiv says\nKharkiv, 21 November 2023 — The General Staff said on Monday morning that Russia had lost 319,210 soldiers.");
    let d: Vec<_> = f.iter().map(|f| f.date.unwrap().to_string()).collect();
    assert_eq!(d, ["2023-11-20", "2023-11-20"]);
}

#[test]
fn absurd_values_are_no_figures() {
    assert_eq!(
        keys("Kyiv says Russia has lost 5,000,000 submarines and 2 submarines."),
        [k("submarines", Kind::Total, 2)]
    );
}

#[test]
fn traps_are_no_figures() {
    for s in [
        "Despite calling up more than 300,000 reservists in September, the Kremlin struggles.",
        "For comparison, around 4,500 American troops have been killed since the invasion of Iraq.",
        "Several governments have pledged 79 Leopard tanks in total.",
        "A city with a pre-war population of around 75,000.",
        "Russia fired 102 missiles at energy facilities.",
        "The 47th brigade posted a video.",
        "About 52 percent of spending goes to defence.",
        "The United States announced a further $2.6 billion in aid.",
        "Russia was keeping 19 warships on combat duty in the Black Sea.",
        "Ukraine has received 41 F-16 fighter jets so far.",
    ] {
        assert_eq!(keys(s), [], "{s}");
    }
}

#[test]
fn quote_is_the_bytes_between_offsets() {
    let text = "Russia has lost 145\u{a0}060 troops and 3 334 tanks.";
    for f in figs(text) {
        assert_eq!(&text[f.start..f.end], f.quote);
    }
}

#[test]
fn respectively_after_names_listed_first() {
    assert_eq!(
        keys(
            "Tank and armoured vehicle losses went up by 8 and 15 respectively, to 3,253 \
             and 6,458."
        ),
        [
            k("tanks", Kind::Delta, 8),
            k("afv", Kind::Delta, 15),
            k("tanks", Kind::Total, 3253),
            k("afv", Kind::Total, 6458)
        ]
    );
    // Numbers with names of their own keep them.
    assert_eq!(
        keys("Russia lost 1,200 tanks and 2,000 armoured vehicles respectively."),
        [k("tanks", Kind::Total, 1200), k("afv", Kind::Total, 2000)]
    );
}

#[test]
fn year_spans_and_totals_that_follow_their_names_unsaid() {
    let f = figs(
        "Kyiv counted more than 3,100 Russian tanks and over 5,800 armoured fighting \
         vehicles destroyed in the past twelve months, bringing the totals to 6,534 and \
         12,425.",
    );
    let got: Vec<(&str, Kind, u64, Qualifier)> = f
        .iter()
        .map(|f| (f.category.as_str(), f.kind, f.value, f.qualifier))
        .collect();
    assert_eq!(
        got,
        [
            ("tanks", Kind::Period, 3100, Qualifier::MoreThan),
            ("afv", Kind::Period, 5800, Qualifier::MoreThan),
            ("tanks", Kind::Total, 6534, Qualifier::Exact),
            ("afv", Kind::Total, 12425, Qualifier::Exact)
        ]
    );
    assert_eq!(
        keys("Some 262,000 Russian soldiers were killed or wounded in the second year alone, Kyiv said."),
        [k("personnel", Kind::Period, 262000)]
    );
}

#[test]
fn respectively_maps_in_order() {
    let f = keys("The General Staff reported 8 Russian tanks, 37 armored fighting vehicles, and 35 artillery guns destroyed overnight, taking the totals to 6 840, 13 111, and 10 775 respectively.");
    assert!(
        f.contains(&k("tanks", Kind::Total, 6840))
            && f.contains(&k("afv", Kind::Total, 13111))
            && f.contains(&k("artillery", Kind::Total, 10775)),
        "{f:?}"
    );
}

#[test]
fn weekly_from_to_dates_the_earlier_value_a_week_back() {
    let f = figs("Published: 2026-04-13\n\nThis week, the Ukrainian military put Russia's personnel losses at about 1,312,140, up from 1,304,490 a week earlier.");
    let d: Vec<_> = f
        .iter()
        .map(|f| (f.value, f.date.unwrap().to_string()))
        .collect();
    assert_eq!(
        d,
        [
            (1312140, "2026-04-13".to_string()),
            (1304490, "2026-04-06".to_string())
        ]
    );
}

#[test]
fn the_figure_from_the_previous_day_is_dated_the_day_before() {
    let f = figs("Published: 2023-02-22\n\nAbout 145,060 Russian personnel have been liquidated, the General Staff said.\n\nThe figure was 144,440 in the military staff's report from the previous day.");
    let d: Vec<_> = f
        .iter()
        .map(|f| (f.value, f.date.unwrap().to_string()))
        .collect();
    assert_eq!(
        d,
        [
            (145060, "2023-02-22".to_string()),
            (144440, "2023-02-21".to_string())
        ]
    );
}

#[test]
fn a_yearless_invasion_start_is_never_the_figures_date() {
    let dated = |text: &str| {
        let opts = Options {
            date: NaiveDate::from_ymd_opt(2023, 8, 10),
            ..Options::default()
        };
        extract(Lexicon::builtin(), "t.txt", text, &opts)
            .into_iter()
            .map(|f| (f.value, f.date))
            .collect::<Vec<_>>()
    };
    let aug = |d| NaiveDate::from_ymd_opt(2023, 8, d);
    // The period's end dates the figures.
    assert_eq!(
        dated("Between February 24 and August 9, Russia lost 4,310 tanks."),
        [(4310, aug(9))]
    );
    assert_eq!(
        dated("From Feb. 24 to Aug. 8 the invaders lost 4,300 tanks."),
        [(4300, aug(8))]
    );
    // The start alone leaves the document's date.
    assert_eq!(
        dated("Since the war began on February 24, Russia has lost 4,320 tanks."),
        [(4320, aug(10))]
    );
}

#[test]
fn another_claimants_date_does_not_date_the_next_sentences() {
    let opts = Options {
        date: NaiveDate::from_ymd_opt(2022, 4, 20),
        ..Options::default()
    };
    for text in [
        "On April 2, Moscow said 1,351 of its soldiers had died.\n\n\
         Kyiv says Russia has lost 21,000 troops and 820 tanks.",
        "The Kremlin put its own dead at 1,351 on April 2.\n\n\
         Ukraine's military says the invaders have lost 21,000 troops and 820 tanks.",
    ] {
        let f = extract(Lexicon::builtin(), "t.txt", text, &opts);
        let dated: Vec<(u64, Option<NaiveDate>)> = f.iter().map(|f| (f.value, f.date)).collect();
        let on = |d| NaiveDate::from_ymd_opt(2022, 4, d);
        assert_eq!(
            dated,
            [(1351, on(2)), (21000, on(20)), (820, on(20))],
            "{text}"
        );
    }
}

#[test]
fn a_date_that_a_change_follows_is_the_day_of_fighting() {
    let opts = Options {
        date: NaiveDate::from_ymd_opt(2024, 5, 7),
        ..Options::default()
    };
    let dated = |text: &str| {
        extract(Lexicon::builtin(), "t.txt", text, &opts)
            .into_iter()
            .map(|f| (f.kind, f.value, f.date))
            .collect::<Vec<_>>()
    };
    let on = |d| NaiveDate::from_ymd_opt(2024, 5, d);
    assert_eq!(
        dated("Enemy personnel losses on May 5 increased by 620 to 401,300 people."),
        [(Kind::Delta, 620, on(6)), (Kind::Total, 401300, on(6))]
    );
    assert_eq!(
        dated("Russian tank losses on 5 May went up by 12 to 7,450 tanks."),
        [(Kind::Delta, 12, on(6)), (Kind::Total, 7450, on(6))]
    );
    // The report's own date stays.
    assert_eq!(
        dated("As of May 6, Russia had lost 401,300 troops, including 620 over the past day."),
        [(Kind::Total, 401300, on(6)), (Kind::Delta, 620, on(6))]
    );
}

#[test]
fn a_sentence_going_on_from_the_days_changes_counts_that_day() {
    let kinds = |text: &str| {
        figs(text)
            .into_iter()
            .map(|f| (f.category, f.kind, f.value))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        kinds(
            "Russia lost another 910 soldiers over the past day, Kyiv said.\n\n\
             The General Staff published the figures on Facebook.\n\n\
             The invaders also lost three tanks and 14 artillery systems."
        ),
        [
            k("personnel", Kind::Delta, 910),
            k("tanks", Kind::Delta, 3),
            k("artillery", Kind::Delta, 14)
        ]
    );
    assert_eq!(
        kinds(
            "Kyiv says 1,020 Russian troops were killed in the last 24 hours.\n\
             In addition, Russian forces lost five tanks and 22 drones."
        ),
        [
            k("personnel", Kind::Delta, 1020),
            k("tanks", Kind::Delta, 5),
            k("uav", Kind::Delta, 22)
        ]
    );
    // After a total, "also" lists more totals.
    assert_eq!(
        kinds(
            "Russia has lost 301,000 troops, including 990 over the past day, Kyiv said.\n\
             It also said Russia had lost 5,400 tanks."
        ),
        [
            k("personnel", Kind::Total, 301000),
            k("personnel", Kind::Delta, 990),
            k("tanks", Kind::Total, 5400)
        ]
    );
}

#[test]
fn date_basis_quotes_the_date_and_weekday_as_written() {
    let f = figs("As of January 8, 2025, Russia had lost 9,700 tanks, the General Staff said.");
    assert_eq!(
        f[0].date_basis, "date 'January 8, 2025' in the sentence",
        "{f:?}"
    );
    let opts = Options {
        date: NaiveDate::from_ymd_opt(2025, 1, 9),
        ..Options::default()
    };
    let f = extract(
        Lexicon::builtin(),
        "t.txt",
        "The General Staff said on Tuesday's update that Russia had lost 9,700 tanks.",
        &opts,
    );
    assert!(
        f[0].date_basis.starts_with("weekday 'Tuesday' relative to"),
        "{f:?}"
    );
}

fn noted(file: &str, text: &str) -> Extraction {
    extract_with_notes(Lexicon::builtin(), file, text, &Options::default())
}

fn dates_of(x: &Extraction) -> Vec<(u64, Option<NaiveDate>)> {
    x.figures.iter().map(|f| (f.value, f.date)).collect()
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[test]
fn the_file_name_beats_the_folders_and_gives_a_yearless_date_its_year() {
    let x = noted(
        "articles/2026/11/25/2023-02-22-story.txt",
        "Russia losses\n\nAs of Feb. 22, Russia had lost 3,350 tanks, the General Staff said.\n\n\
         Kyiv put the number of Russian troops killed or wounded at 145,060.\n",
    );
    assert_eq!(
        dates_of(&x),
        [(3350, ymd(2023, 2, 22)), (145060, ymd(2023, 2, 22))]
    );
    assert_eq!(x.notes.len(), 1, "{x:?}");
    assert!(
        x.notes[0].contains("folder '2026/11/25' (2026-11-25) is 1372 days from"),
        "{x:?}"
    );
}

#[test]
fn a_day_count_in_the_text_beats_the_folders() {
    let x = noted(
        "articles/2026/11/25/story.txt",
        "On the 47th day of the war, Kyiv said Russia had lost 19,000 troops.\n\n\
         The General Staff said on Sunday that 700 tanks had been destroyed.\n",
    );
    // Day 1 is 2022-02-24, so day 47 is 2022-04-11.
    assert_eq!(dates_of(&x)[0], (19000, ymd(2022, 4, 11)), "{x:?}");
    assert!(x.figures[1].date.is_some_and(|d| d.year() == 2022), "{x:?}");
    assert!(x.notes[0].contains("folder '2026/11/25'"), "{x:?}");
}

#[test]
fn a_folder_dates_an_article_that_gives_no_date_of_its_own() {
    let x = noted(
        "articles/2024/03/17/post.txt",
        "Russia has lost 430,740 troops since the invasion began, the General Staff said.\n",
    );
    assert_eq!(dates_of(&x), [(430740, ymd(2024, 3, 17))]);
    assert!(
        x.figures[0].date_basis.ends_with("(folder '2024/03/17')"),
        "{x:?}"
    );
    assert!(x.notes.is_empty(), "{x:?}");
}

#[test]
fn an_update_footer_the_text_contradicts_is_set_aside() {
    let x = noted(
        "t.txt",
        "Losses update\n\nAs of Tuesday, February 21, 2023, Russia had lost 3,350 tanks.\n\n\
         The General Staff said on Tuesday that 145,060 Russian troops had been killed or \
         wounded.\n\nUpdated: 2026-01-01\n",
    );
    assert_eq!(
        dates_of(&x),
        [(3350, ymd(2023, 2, 21)), (145060, ymd(2023, 2, 21))],
        "{x:?}"
    );
    assert_eq!(x.notes.len(), 1, "{x:?}");
    assert!(
        x.notes[0].starts_with("update stamp 'Updated: 2026-01-01' set aside"),
        "{x:?}"
    );
}

#[test]
fn an_update_footer_in_ukrainian_is_set_aside_when_the_weekday_fits_another_year() {
    let x = noted(
        "t.txt",
        "Втрати ворога\n\nУ четвер, 29 лютого, Генштаб повідомив, що Росія втратила 412 000 \
         військових.\n\nЗа минулу добу окупанти втратили 12 танків.\n\nОновлено: 01.01.2026\n",
    );
    assert!(
        x.figures
            .iter()
            .all(|f| f.date.is_some_and(|d| d.year() == 2024)),
        "{x:?}"
    );
    assert!(x.notes[0].contains("set aside"), "{x:?}");
}

#[test]
fn an_update_footer_the_text_fits_dates_the_article() {
    let x = noted(
        "t.txt",
        "Losses update\n\nRussia had lost 3,350 tanks as of Feb. 21, the General Staff said.\n\n\
         Kyiv also counted 145,060 troops.\n\nUpdated: 2023-02-22\n",
    );
    assert_eq!(
        dates_of(&x),
        [(3350, ymd(2023, 2, 21)), (145060, ymd(2023, 2, 21))],
        "{x:?}"
    );
    assert!(x.notes.is_empty(), "{x:?}");
}

#[test]
fn an_update_stamp_at_the_top_is_the_version_date() {
    let x = noted(
        "t.txt",
        "Losses tracker\nUpdated: 2024-01-09\n\nRussia has lost 365,990 troops, the General \
         Staff said.\n",
    );
    assert_eq!(dates_of(&x), [(365990, ymd(2024, 1, 9))]);
    assert!(
        x.figures[0]
            .date_basis
            .contains("header 'Updated: 2024-01-09'"),
        "{x:?}"
    );
}

#[test]
fn every_figure_carries_its_whole_sentence_as_written() {
    let f = figs(
        "Losses\n\nAccording to  the General Staff, Russia has lost 3,350 tanks\nand 145,060 \
         troops. Another sentence follows.",
    );
    assert_eq!(f.len(), 2, "{f:?}");
    for f in &f {
        assert_eq!(
            f.sentence,
            "According to the General Staff, Russia has lost 3,350 tanks and 145,060 troops."
        );
    }
    // A sentence longer than 600 characters is cut around its figure.
    let filler = "and the shelling went on through the night in the villages ".repeat(12);
    let text = format!("Officials said {filler}while Russia has lost 3,350 tanks {filler}today.");
    let f = figs(&text);
    let s = &f[0].sentence;
    assert!(s.chars().count() <= 600, "{s}");
    assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
    assert!(s.contains("while Russia has lost 3,350 tanks and"), "{s}");
}

#[test]
fn an_update_label_of_any_language_in_a_title_dates_the_list_under_it() {
    let f = figs(
        "Дата: 12.11.2025\n\nВтрати ворога (оновлення 11.11.2025)\n\nособового складу ‒ близько \
         1155000 (+1010) осіб ліквідовано, танків ‒ 11330 (+2) од\n",
    );
    assert_eq!(f.len(), 4, "{f:?}");
    assert!(
        f.iter()
            .all(|f| f.date == NaiveDate::from_ymd_opt(2025, 11, 11)),
        "{f:?}"
    );
}
