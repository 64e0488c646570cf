//! `casrep plot`: one series of a timeline as an SVG chart, one panel per category.
//!
//! Each panel draws the cumulative totals over time as a line (with a dot per report where
//! there are few enough to tell apart), and under it the daily changes as bars: the change a
//! report states, or, where none is stated, the difference between the totals of two
//! consecutive days (drawn paler). The panels share one date axis, so a reader can compare them;
//! a category reported over a small part of it (the General Staff counted military vehicles and
//! fuel tanks apart only until May 2022) gets a time scale of its own, said so in the panel,
//! rather than a few dots squeezed against one edge. A source line closes the chart.
//!
//! Dates a report cannot have (before the plausible first date, or after the last: one misdated
//! article would otherwise stretch the axis over centuries) are left out, and the caller is told.
//!
//! The chart is made of one nested `<svg class="panel" id="panel-CATEGORY">` per panel inside
//! one document, drawn by `plotters`' SVG backend. Text is left to the viewer's fonts, so
//! nothing here needs a font file; a bitmap would (see `casrep plot --help`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::ops::{Range, RangeInclusive};

use anyhow::{bail, Result};
use chrono::{Datelike, Months, NaiveDate};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::table::{series_title, thousands};
use crate::timeline::{Category, Point, Timeline};

/// What to draw.
#[derive(Clone, Debug)]
pub struct PlotOptions {
    pub claimant: String,
    pub side: String,
    /// The categories, one panel each, in this order; when empty, every category with at least
    /// [`MIN_POINTS`] totals, in canonical order.
    pub categories: Vec<String>,
    /// The title of each category's panel ("Tanks"); the id where missing.
    pub labels: BTreeMap<String, String>,
    /// The dates a report can have; points outside are left out (see [`Chart::left_out`]).
    pub dates: RangeInclusive<NaiveDate>,
}

/// The chart, and what was left out of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chart {
    pub svg: String,
    /// One line per kind of point left out, for a message: "left out 1 point dated ...".
    pub left_out: Vec<String>,
}

/// Totals a category needs to get a panel by default: one point makes no line.
pub const MIN_POINTS: usize = 2;

/// The most totals drawn with a dot each: beyond, the dots merge into a band hiding the line.
pub const MAX_DOTS: usize = 60;

/// A panel whose dates cover less than this share of the chart's gets its own time scale.
const OWN_SCALE_SHARE: f64 = 0.25;

/// Said in a panel drawn on its own time scale.
pub const OWN_SCALE_NOTE: &str = "on its own time scale";

/// The most grid lines on a date axis, whatever its span.
const MAX_DATE_TICKS: i64 = 8;

const PANEL_WIDTH: u32 = 600;
const PANEL_HEIGHT: u32 = 390;
/// The part of a panel above the bars: caption and the line of totals.
const LINE_HEIGHT: u32 = 255;
const HEADER_HEIGHT: u32 = 64;
const FOOTER_HEIGHT: u32 = 34;
/// Left of the plotting area: the value labels; right of it: a margin.
const Y_LABELS: u32 = 72;
const MARGIN: u32 = 10;
const RIGHT_MARGIN: u32 = 24;
const FONT: &str = "sans-serif";
/// Text sizes as given to plotters, whose SVG text comes out at about 0.8 of them.
const LABEL_SIZE: f64 = 15.0;
const CAPTION_SIZE: f64 = 20.0;

const LINE_COLOUR: RGBColor = RGBColor(31, 100, 170);
const BAR_COLOUR: RGBColor = RGBColor(214, 96, 40);
const AXIS_COLOUR: RGBColor = RGBColor(90, 90, 90);
const GRID_COLOUR: RGBColor = RGBColor(225, 225, 225);
const TEXT_COLOUR: RGBColor = RGBColor(40, 40, 40);

/// One category's data in the series.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Panel {
    pub category: Category,
    pub title: String,
    /// Cumulative totals in date order.
    pub totals: Vec<(NaiveDate, u64)>,
    /// Daily changes in date order; `true` where worked out from consecutive totals.
    pub changes: Vec<(NaiveDate, u64, bool)>,
    /// The articles its values were stated in.
    pub files: BTreeSet<String>,
}

impl Panel {
    fn dates(&self) -> impl Iterator<Item = NaiveDate> + Clone + '_ {
        self.totals
            .iter()
            .map(|t| t.0)
            .chain(self.changes.iter().map(|c| c.0))
    }

    fn first_and_last(&self) -> Option<(NaiveDate, NaiveDate)> {
        Some((self.dates().min()?, self.dates().max()?))
    }
}

/// The points of the series `options` asks for, with dates a report can have; and a line for
/// each date left out.
fn series_points<'a>(all: &'a [Point], options: &PlotOptions) -> (Vec<&'a Point>, Vec<String>) {
    let (mut kept, mut absurd) = (Vec::new(), BTreeSet::new());
    for p in all.iter().filter(|p| {
        p.claimant.as_deref() == Some(options.claimant.as_str())
            && p.side.as_deref() == Some(options.side.as_str())
    }) {
        if options.dates.contains(&p.date) {
            kept.push(p);
        } else {
            absurd.insert(p.date);
        }
    }
    let left_out = (!absurd.is_empty())
        .then(|| {
            let shown: Vec<String> = absurd.iter().take(3).map(|d| d.to_string()).collect();
            let more = if absurd.len() > 3 { ", ..." } else { "" };
            format!(
                "left out the points dated {}{more}: no report can be dated outside {} to {} \
                 (see the timeline's sources for the article)",
                shown.join(", "),
                options.dates.start(),
                options.dates.end()
            )
        })
        .into_iter()
        .collect();
    (kept, left_out)
}

/// Why the series has nothing to draw: the series there are instead.
fn no_series(all: &[Point], series: &str) -> anyhow::Error {
    let mut others: Vec<String> = all
        .iter()
        .map(|p| {
            format!(
                "--claimant {} --side {}",
                p.claimant.as_deref().unwrap_or("?"),
                p.side.as_deref().unwrap_or("?")
            )
        })
        .collect();
    others.dedup();
    if others.is_empty() {
        return anyhow::anyhow!("nothing to draw: the timeline has no dated figure");
    }
    anyhow::anyhow!(
        "nothing to draw: no dated figure of the {series}; the timeline has: {}",
        others.join(", ")
    )
}

/// The panels `options` asks for, or why there is nothing to draw; and what was left out (also
/// said when that left nothing to draw).
pub fn panels(t: &Timeline, options: &PlotOptions) -> Result<(Vec<Panel>, Vec<String>)> {
    let all = t.points();
    let (points, left_out) = series_points(&all, options);
    match choose_panels(&all, &points, options) {
        Ok(panels) => Ok((panels, left_out)),
        Err(e) if left_out.is_empty() => Err(e),
        Err(e) => Err(anyhow::anyhow!("{e:#}; {}", left_out.join("; "))),
    }
}

fn choose_panels(all: &[Point], points: &[&Point], options: &PlotOptions) -> Result<Vec<Panel>> {
    let series = series_title(Some(&options.claimant), Some(&options.side));
    if points.is_empty() {
        return Err(no_series(all, &series));
    }
    let mut all: BTreeMap<Category, Panel> = BTreeMap::new();
    for p in points {
        for (c, &v) in &p.totals {
            panel_of(&mut all, c, options).totals.push((p.date, v));
        }
        for (c, &v) in &p.deltas {
            panel_of(&mut all, c, options)
                .changes
                .push((p.date, v, false));
        }
        for (c, sources) in &p.sources {
            if let Some(panel) = all.get_mut(c) {
                panel.files.extend(sources.iter().map(|s| s.file.clone()));
            }
        }
    }
    all.values_mut().for_each(add_derived_changes);
    if options.categories.is_empty() {
        let chosen: Vec<Panel> = all
            .into_values()
            .filter(|p| p.totals.len() >= MIN_POINTS)
            .collect();
        if chosen.is_empty() {
            bail!(
                "nothing to draw: no category has {MIN_POINTS} dated totals in the {series}; \
                 choose categories with --category"
            );
        }
        return Ok(chosen);
    }
    let mut chosen = Vec::new();
    for id in &options.categories {
        match all.get(&Category::from(id.as_str())) {
            Some(p) => chosen.push(p.clone()),
            None => {
                let with_data: Vec<&str> = all.keys().map(Category::as_str).collect();
                bail!(
                    "--category {id}: no figure of this category in the {series}; it has: {}",
                    with_data.join(", ")
                );
            }
        }
    }
    Ok(chosen)
}

/// A day without a stated change but with the previous day's total: the difference.
fn add_derived_changes(panel: &mut Panel) {
    let by_date: BTreeMap<NaiveDate, u64> = panel.totals.iter().copied().collect();
    let stated: BTreeSet<NaiveDate> = panel.changes.iter().map(|c| c.0).collect();
    for (&date, &total) in &by_date {
        let before = date.pred_opt().and_then(|d| by_date.get(&d));
        if let Some(&before) = before {
            if total >= before && !stated.contains(&date) {
                panel.changes.push((date, total - before, true));
            }
        }
    }
    panel.changes.sort();
}

fn panel_of<'a>(
    all: &'a mut BTreeMap<Category, Panel>,
    c: &Category,
    options: &PlotOptions,
) -> &'a mut Panel {
    all.entry(c.clone()).or_insert_with(|| Panel {
        category: c.clone(),
        title: options
            .labels
            .get(c.as_str())
            .cloned()
            .unwrap_or_else(|| c.as_str().to_owned()),
        totals: Vec::new(),
        changes: Vec::new(),
        files: BTreeSet::new(),
    })
}

/// A date as a reader writes it: "24 February 2026".
fn long_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// A date in little room: "24 Feb 2026".
fn short_date(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// The chart as an SVG document.
pub fn render(t: &Timeline, options: &PlotOptions) -> Result<Chart> {
    let (panels, left_out) = panels(t, options)?;
    let spans: Vec<(NaiveDate, NaiveDate)> =
        panels.iter().filter_map(Panel::first_and_last).collect();
    let first = spans
        .iter()
        .map(|s| s.0)
        .min()
        .expect("a panel has a point");
    let last = spans
        .iter()
        .map(|s| s.1)
        .max()
        .expect("a panel has a point");
    let common = date_span(first, last);

    let columns: u32 = if panels.len() == 1 { 1 } else { 2 };
    let rows = (panels.len() as u32).div_ceil(columns);
    let width = columns * PANEL_WIDTH;
    let height = HEADER_HEIGHT + rows * PANEL_HEIGHT + FOOTER_HEIGHT;

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">"#
    );
    let _ = writeln!(
        svg,
        r#"<rect width="{width}" height="{height}" fill="white"/>"#
    );
    let title = format!(
        "Losses of {} according to {}, {} to {}",
        name(&options.side),
        name(&options.claimant),
        long_date(first),
        long_date(last)
    );
    let dots = if panels.iter().any(|p| p.totals.len() <= MAX_DOTS) {
        ", a dot per report where few"
    } else {
        ""
    };
    let subtitle = format!(
        "line: cumulative total{dots} · bars: daily change (pale: the difference of two \
         days' totals)"
    );
    text_line(&mut svg, width / 2, 28, 21, "middle", true, &title);
    text_line(&mut svg, width / 2, 50, 13, "middle", false, &subtitle);
    for (i, (panel, span)) in panels.iter().zip(&spans).enumerate() {
        let (col, row) = (i as u32 % columns, i as u32 / columns);
        let at = (col * PANEL_WIDTH, HEADER_HEIGHT + row * PANEL_HEIGHT);
        place_panel(&mut svg, panel, *span, &common, at)?;
    }
    let files: BTreeSet<&String> = panels.iter().flat_map(|p| &p.files).collect();
    let source = format!(
        "Source: figures attributed to {} in {} {}, read by casrep",
        name(&options.claimant),
        thousands(files.len() as u64),
        if files.len() == 1 {
            "article"
        } else {
            "articles"
        }
    );
    text_line(&mut svg, MARGIN, height - 12, 13, "start", false, &source);
    svg.push_str("</svg>\n");
    Ok(Chart { svg, left_out })
}

/// Draws `panel`, whose dates run over `span`, as a nested SVG at `at`: on the chart's common
/// date axis, or on its own when it covers too little of it.
fn place_panel(
    svg: &mut String,
    panel: &Panel,
    span: (NaiveDate, NaiveDate),
    common: &Range<f64>,
    at: (u32, u32),
) -> Result<()> {
    let own = (span.1 - span.0).num_days() as f64 + 1.0;
    let own_scale = own < OWN_SCALE_SHARE * (common.end - common.start);
    let span = if own_scale {
        date_span(span.0, span.1)
    } else {
        common.clone()
    };
    let inner = render_panel(panel, span, own_scale)?;
    let attributes = format!(
        r#"<svg x="{}" y="{}" class="panel" id="panel-{}" "#,
        at.0,
        at.1,
        escape(panel.category.as_str())
    );
    svg.push_str(&inner.replacen("<svg ", &attributes, 1));
    if !svg.ends_with('\n') {
        svg.push('\n');
    }
    Ok(())
}

/// One line of text in the chart's own SVG.
fn text_line(svg: &mut String, x: u32, y: u32, size: u32, anchor: &str, bold: bool, text: &str) {
    let weight = if bold { r#" font-weight="bold""# } else { "" };
    let colour = hex(if bold { TEXT_COLOUR } else { AXIS_COLOUR });
    let _ = writeln!(
        svg,
        r#"<text x="{x}" y="{y}" text-anchor="{anchor}" font-family="{FONT}" font-size="{size}"{weight} fill="{colour}">{}</text>"#,
        escape(text)
    );
}

/// The dates shown: from `first` to `last`, a little wider so the first and last dots are not
/// on the axes; at least a week.
fn date_span(first: NaiveDate, last: NaiveDate) -> Range<f64> {
    let (a, b) = (day_number(first), day_number(last));
    let pad = ((b - a) * 0.03).max(3.0);
    (a - pad)..(b + pad)
}

fn day_number(d: NaiveDate) -> f64 {
    f64::from(d.num_days_from_ce())
}

fn date_of(x: f64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(x.round() as i32)
}

/// A date axis: where its grid lines go, and its labels (position, text).
#[derive(Clone, Debug, Default, PartialEq)]
struct DateAxis {
    grid: Vec<f64>,
    labels: Vec<(f64, String)>,
}

/// The axis over `span`: years, months or days, whichever puts at most [`MAX_DATE_TICKS`] grid
/// lines on it, whatever the span. Over years, every year is named in the middle of its part of
/// the axis (so a first year that starts late, as 2022 does, is named too).
fn date_axis(span: &Range<f64>) -> DateAxis {
    let (Some(first), Some(last)) = (date_of(span.start), date_of(span.end)) else {
        return DateAxis::default();
    };
    let days = (last - first).num_days();
    // A label is about 70 pixels wide: its middle keeps half that from the ends of the axis.
    let edge = (span.end - span.start) * 36.0 / f64::from(plot_width());
    let fits = |x: f64| x - span.start >= edge && span.end - x >= edge;
    if days > 2 * 366 {
        year_axis(first, last)
    } else if days > 75 {
        month_axis(first, last, fits)
    } else {
        day_axis(first, last, fits)
    }
}

/// The width of a panel's plotting area, in pixels.
fn plot_width() -> u32 {
    PANEL_WIDTH - Y_LABELS - MARGIN - RIGHT_MARGIN
}

/// A step from 1, 2, 5, 10, 20, 50, ... that cuts `count` into at most [`MAX_DATE_TICKS`].
fn nice_step(count: i64) -> i64 {
    let mut magnitude = 1i64;
    loop {
        for m in [1, 2, 5] {
            let step = m * magnitude;
            if count / step < MAX_DATE_TICKS {
                return step;
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

fn year_axis(first: NaiveDate, last: NaiveDate) -> DateAxis {
    let step = nice_step(i64::from(last.year() - first.year()) + 1) as i32;
    let mut axis = DateAxis::default();
    let span = (day_number(first), day_number(last));
    let mut year = first.year() - first.year().rem_euclid(step);
    while year <= last.year() {
        let (Some(start), Some(end)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year.saturating_add(step), 1, 1),
        ) else {
            break;
        };
        let (a, b) = (day_number(start), day_number(end));
        if a >= span.0 {
            axis.grid.push(a);
        }
        if step == 1 {
            // The year's own stretch of the axis; named where it is wide enough for the name.
            let (from, to) = (a.max(span.0), b.min(span.1));
            if to - from >= 0.06 * (span.1 - span.0) {
                axis.labels.push(((from + to) / 2.0, year.to_string()));
            }
        } else if a >= span.0 {
            axis.labels.push((a, year.to_string()));
        }
        year = year.saturating_add(step);
    }
    axis
}

fn month_axis(first: NaiveDate, last: NaiveDate, fits: impl Fn(f64) -> bool) -> DateAxis {
    let months = (last.year() - first.year()) * 12 + last.month() as i32 - first.month() as i32;
    let step = [1u32, 2, 3, 6, 12]
        .into_iter()
        .find(|s| i64::from(months) / i64::from(*s) < MAX_DATE_TICKS)
        .unwrap_or(12);
    let mut axis = DateAxis::default();
    let mut d = NaiveDate::from_ymd_opt(first.year(), 1, 1).expect("January 1st");
    while d <= last {
        if d >= first && d.month0() % step == 0 {
            let x = day_number(d);
            axis.grid.push(x);
            // The year where it changes, and on the first label.
            let label = if d.month() == 1 || axis.labels.is_empty() {
                d.format("%b %Y")
            } else {
                d.format("%b")
            };
            if fits(x) {
                axis.labels.push((x, label.to_string()));
            }
        }
        d = d + Months::new(1);
    }
    axis
}

fn day_axis(first: NaiveDate, last: NaiveDate, fits: impl Fn(f64) -> bool) -> DateAxis {
    let days = (last - first).num_days();
    let step = [1i64, 2, 7, 14, 28]
        .into_iter()
        .find(|s| days / s < MAX_DATE_TICKS)
        .unwrap_or(28);
    let mut axis = DateAxis::default();
    let mut d = first;
    while d <= last {
        let x = day_number(d);
        axis.grid.push(x);
        let label = if axis.labels.is_empty() || d.ordinal() == 1 {
            short_date(d)
        } else {
            d.format("%-d %b").to_string()
        };
        if fits(x) {
            axis.labels.push((x, label));
        }
        d += chrono::Duration::days(step);
    }
    axis
}

/// Values to label on an axis from 0 to `max`: round numbers, about five of them.
fn value_ticks(max: f64) -> Vec<f64> {
    let raw = max / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| max / s <= 5.0)
        .unwrap_or(10.0 * magnitude)
        .max(1.0);
    (0..)
        .map(|i| f64::from(i) * step)
        .take_while(|v| *v <= max)
        .collect()
}

/// The top of a value axis: a little above `max`, at least 1.
fn axis_top(max: u64) -> f64 {
    (max as f64 * 1.08).max(1.0)
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

fn render_panel(panel: &Panel, span: Range<f64>, own_scale: bool) -> Result<String> {
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (PANEL_WIDTH, PANEL_HEIGHT)).into_drawing_area();
        let (upper, lower) = root.split_vertically(LINE_HEIGHT);
        let axis = date_axis(&span);
        draw_totals(&upper, panel, &span, &axis, own_scale)?;
        draw_changes(&root, &lower, panel, &span, &axis)?;
        root.present()?;
    }
    // Every element says so; it is the default.
    Ok(svg.replace(r#" opacity="1""#, ""))
}

/// The upper part of a panel: its caption and the line of cumulative totals.
fn draw_totals(
    upper: &Area,
    panel: &Panel,
    span: &Range<f64>,
    axis: &DateAxis,
    own_scale: bool,
) -> Result<()> {
    let y_format = |y: &f64| thousands(y.round().max(0.0) as u64);
    let top = axis_top(panel.totals.iter().map(|t| t.1).max().unwrap_or(0));
    let latest = panel.totals.last().map_or_else(String::new, |(d, v)| {
        format!(" — {} on {}", thousands(*v), short_date(*d))
    });
    let mut chart = ChartBuilder::on(upper)
        .caption(
            format!("{}{latest}", panel.title),
            (FONT, CAPTION_SIZE).into_font().color(&TEXT_COLOUR),
        )
        .margin_top(6)
        .margin_left(MARGIN)
        .margin_right(RIGHT_MARGIN)
        .margin_bottom(14)
        .y_label_area_size(Y_LABELS)
        .x_label_area_size(0)
        .build_cartesian_2d(
            Axis::new(span.clone(), axis.grid.clone()),
            Axis::new(0.0..top, value_ticks(top)),
        )?;
    chart
        .configure_mesh()
        .bold_line_style(GRID_COLOUR)
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS_COLOUR)
        .y_label_formatter(&y_format)
        .y_desc("total")
        .label_style((FONT, LABEL_SIZE).into_font().color(&AXIS_COLOUR))
        .axis_desc_style((FONT, LABEL_SIZE).into_font().color(&AXIS_COLOUR))
        .draw()?;
    let line: Vec<(f64, f64)> = panel
        .totals
        .iter()
        .map(|(d, v)| (day_number(*d), *v as f64))
        .collect();
    chart.draw_series(LineSeries::new(line.clone(), LINE_COLOUR.stroke_width(2)))?;
    if line.len() <= MAX_DOTS {
        chart.draw_series(
            line.iter()
                .map(|&p| Circle::new(p, 3, LINE_COLOUR.filled())),
        )?;
    }
    if own_scale {
        // Bottom right of the plotting area: a cumulative line ends at its highest there.
        let (x, y) = chart.backend_coord(&(span.end, 0.0));
        let style = (FONT, LABEL_SIZE * 0.9)
            .into_font()
            .color(&AXIS_COLOUR)
            .pos(Pos::new(HPos::Right, VPos::Bottom));
        upper.draw(&Text::new(OWN_SCALE_NOTE, (x - 6, y - 6), style))?;
    }
    Ok(())
}

/// The lower part of a panel: the daily changes as bars, and the date labels under them.
fn draw_changes(
    root: &Area,
    lower: &Area,
    panel: &Panel,
    span: &Range<f64>,
    axis: &DateAxis,
) -> Result<()> {
    let y_format = |y: &f64| thousands(y.round().max(0.0) as u64);
    let no_label = |_: &f64| String::new();
    let top = axis_top(panel.changes.iter().map(|c| c.1).max().unwrap_or(0));
    let mut bars = ChartBuilder::on(lower)
        .margin_top(10)
        .margin_left(MARGIN)
        .margin_right(RIGHT_MARGIN)
        .margin_bottom(4)
        .y_label_area_size(Y_LABELS)
        .x_label_area_size(26)
        .build_cartesian_2d(
            Axis::new(span.clone(), axis.grid.clone()),
            Axis::new(0.0..top, value_ticks(top).into_iter().step_by(2).collect()),
        )?;
    bars.configure_mesh()
        .bold_line_style(GRID_COLOUR)
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS_COLOUR)
        .x_label_formatter(&no_label)
        .y_label_formatter(&y_format)
        .y_desc("per day")
        .label_style((FONT, LABEL_SIZE).into_font().color(&AXIS_COLOUR))
        .axis_desc_style((FONT, LABEL_SIZE).into_font().color(&AXIS_COLOUR))
        .draw()?;
    let label_style = (FONT, LABEL_SIZE)
        .into_font()
        .color(&AXIS_COLOUR)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for (x, label) in &axis.labels {
        let (px, py) = bars.backend_coord(&(*x, 0.0));
        root.draw(&Text::new(
            label.as_str(),
            (px, py + 6),
            label_style.clone(),
        ))?;
    }
    let note = match panel.changes.iter().map(|c| c.1).max() {
        None => Some("no daily change reported"),
        Some(0) => Some("no change from day to day"),
        Some(_) => None,
    };
    if let Some(note) = note {
        let (a, b) = (
            bars.backend_coord(&(span.start, top)),
            bars.backend_coord(&(span.end, 0.0)),
        );
        let style = label_style.pos(Pos::new(HPos::Center, VPos::Center));
        root.draw(&Text::new(note, ((a.0 + b.0) / 2, (a.1 + b.1) / 2), style))?;
    }
    // Most of a day wide, but at least 3 pixels and at most 8, whatever the span.
    let pixels_per_day = f64::from(plot_width()) / (span.end - span.start);
    let half = (0.4 * pixels_per_day).clamp(1.5, 4.0) / pixels_per_day;
    bars.draw_series(panel.changes.iter().map(|&(d, v, derived)| {
        let x = day_number(d);
        let colour = if derived {
            BAR_COLOUR.mix(0.4).filled()
        } else {
            BAR_COLOUR.filled()
        };
        Rectangle::new([(x - half, 0.0), (x + half, v as f64)], colour)
    }))?;
    Ok(())
}

/// A linear axis with grid lines at the values we choose (round dates, round numbers), and no
/// light ones: plotters' own choice of ticks knows neither months nor thousands.
struct Axis {
    range: Range<f64>,
    ticks: Vec<f64>,
}

impl Axis {
    fn new(range: Range<f64>, ticks: Vec<f64>) -> Axis {
        Axis { range, ticks }
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let (a, b) = (self.range.start, self.range.end);
        if b == a {
            return (limit.0 + limit.1) / 2;
        }
        let share = (value - a) / (b - a);
        limit.0 + (share * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            return Vec::new();
        }
        self.ticks.clone()
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

/// An id as a name: `united_states` → `United States`.
fn name(id: &str) -> String {
    id.split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn axis(first: &str, last: &str) -> DateAxis {
        date_axis(&date_span(date(first), date(last)))
    }

    fn labels(axis: &DateAxis) -> Vec<&str> {
        axis.labels.iter().map(|l| l.1.as_str()).collect()
    }

    #[test]
    fn every_year_is_named_the_first_one_too() {
        let a = axis("2022-02-25", "2026-02-24");
        assert_eq!(labels(&a), ["2022", "2023", "2024", "2025", "2026"]);
        // Grid lines at the new years; the year's name in the middle of its stretch.
        assert_eq!(a.grid[0], day_number(date("2023-01-01")));
        assert!(a.labels[0].0 > day_number(date("2022-02-25")) && a.labels[0].0 < a.grid[0]);
    }

    #[test]
    fn months_and_days_carry_their_year_on_the_first_label() {
        let a = axis("2022-03-25", "2022-12-20");
        assert_eq!(labels(&a), ["May 2022", "Jul", "Sep", "Nov"]);
        let a = axis("2022-04-11", "2022-04-19");
        assert_eq!(labels(&a)[0], "10 Apr 2022");
        assert_eq!(labels(&a)[1], "12 Apr");
    }

    #[test]
    fn ticks_stay_few_whatever_the_span() {
        for (first, last) in [
            ("2022-02-24", "2022-02-24"),
            ("2022-02-24", "2022-04-30"),
            ("2022-02-24", "2024-02-24"),
            ("2022-02-24", "2030-01-01"),
            ("0001-01-01", "9999-12-31"),
        ] {
            let a = axis(first, last);
            assert!(!a.grid.is_empty(), "{first} to {last}: no grid");
            assert!(
                a.grid.len() as i64 <= MAX_DATE_TICKS + 1,
                "{first} to {last}: {a:?}"
            );
            assert!(
                a.labels.len() as i64 <= MAX_DATE_TICKS + 1,
                "{first} to {last}: {a:?}"
            );
        }
    }

    #[test]
    fn an_axis_past_the_last_date_there_is_has_no_ticks() {
        assert_eq!(axis("2022-02-24", "+262142-12-31"), DateAxis::default());
    }

    #[test]
    fn nice_steps_cut_any_count_into_a_few() {
        assert_eq!(nice_step(5), 1);
        assert_eq!(nice_step(9), 2);
        assert_eq!(nice_step(40), 10);
        assert!(i64::MAX / nice_step(i64::MAX) < MAX_DATE_TICKS);
    }
}
