//! `casrep plot`: one series of a timeline as an SVG chart, one panel per category.
//!
//! Each panel draws the cumulative totals over time as a line with a dot per report, and under
//! it the daily changes as bars: the change a report states, or, where none is stated, the
//! difference between the totals of two consecutive days (drawn paler). All panels share the
//! date axis, so a reader can compare them.
//!
//! The chart is made of one nested `<svg class="panel" id="panel-CATEGORY">` per panel inside
//! one document, drawn by `plotters`' SVG backend. Text is left to the viewer's fonts, so
//! nothing here needs a font file; a bitmap would (see `casrep plot --help`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{bail, Result};
use chrono::{Datelike, Months, NaiveDate};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::table::{series_title, thousands};
use crate::timeline::{Category, Timeline};

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
}

/// Totals a category needs to get a panel by default: one point makes no line.
pub const MIN_POINTS: usize = 2;

const PANEL_WIDTH: u32 = 600;
const PANEL_HEIGHT: u32 = 390;
/// The part of a panel above the bars: caption and the line of totals.
const LINE_HEIGHT: u32 = 255;
const HEADER_HEIGHT: u32 = 64;
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
}

/// The panels `options` asks for, or why there is nothing to draw.
pub fn panels(t: &Timeline, options: &PlotOptions) -> Result<Vec<Panel>> {
    let all = t.points();
    let points: Vec<_> = all
        .iter()
        .filter(|p| {
            p.claimant.as_deref() == Some(options.claimant.as_str())
                && p.side.as_deref() == Some(options.side.as_str())
        })
        .collect();
    let series = series_title(Some(&options.claimant), Some(&options.side));
    if points.is_empty() {
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
            bail!("nothing to draw: the timeline has no dated figure");
        }
        bail!(
            "nothing to draw: no dated figure of the {series}; the timeline has: {}",
            others.join(", ")
        );
    }
    let mut all: BTreeMap<Category, Panel> = BTreeMap::new();
    for p in &points {
        for (c, &v) in &p.totals {
            panel_of(&mut all, c, options).totals.push((p.date, v));
        }
        for (c, &v) in &p.deltas {
            panel_of(&mut all, c, options)
                .changes
                .push((p.date, v, false));
        }
    }
    for panel in all.values_mut() {
        // A day without a stated change but with the previous day's total: the difference.
        let by_date: BTreeMap<NaiveDate, u64> = panel.totals.iter().copied().collect();
        let stated: Vec<NaiveDate> = panel.changes.iter().map(|c| c.0).collect();
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
    })
}

/// The chart as an SVG document.
pub fn render(t: &Timeline, options: &PlotOptions) -> Result<String> {
    let panels = panels(t, options)?;
    let dates = panels.iter().flat_map(|p| {
        p.totals
            .iter()
            .map(|t| t.0)
            .chain(p.changes.iter().map(|c| c.0))
    });
    let (first, last) = (
        dates.clone().min().expect("a panel has a point"),
        dates.max().expect("a panel has a point"),
    );
    let span = date_span(first, last);

    let columns: u32 = if panels.len() == 1 { 1 } else { 2 };
    let rows = (panels.len() as u32).div_ceil(columns);
    let width = columns * PANEL_WIDTH;
    let height = HEADER_HEIGHT + rows * PANEL_HEIGHT;

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
        "Losses of {} according to {}, {first} to {last}",
        name(&options.side),
        name(&options.claimant)
    );
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="28" text-anchor="middle" font-family="{FONT}" font-size="21" font-weight="bold" fill="{}">{}</text>"#,
        width / 2,
        hex(TEXT_COLOUR),
        escape(&title)
    );
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="50" text-anchor="middle" font-family="{FONT}" font-size="13" fill="{}">line: cumulative total, a dot per report · bars: daily change (pale: the difference of two days' totals) · casrep plot</text>"#,
        width / 2,
        hex(AXIS_COLOUR)
    );
    for (i, panel) in panels.iter().enumerate() {
        let (col, row) = (i as u32 % columns, i as u32 / columns);
        let inner = render_panel(panel, span.clone())?;
        let attributes = format!(
            r#"<svg x="{}" y="{}" class="panel" id="panel-{}" "#,
            col * PANEL_WIDTH,
            HEADER_HEIGHT + row * PANEL_HEIGHT,
            escape(panel.category.as_str())
        );
        svg.push_str(&inner.replacen("<svg ", &attributes, 1));
        if !svg.ends_with('\n') {
            svg.push('\n');
        }
    }
    svg.push_str("</svg>\n");
    Ok(svg)
}

/// The dates shown: from `first` to `last`, a little wider so the first and last dots are not
/// on the axes; at least a week.
fn date_span(first: NaiveDate, last: NaiveDate) -> std::ops::Range<f64> {
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

/// Dates to label on an axis over `span`: the first days of years, quarters or months, or
/// every few days, so that at most about six labels fit.
fn date_ticks(span: &std::ops::Range<f64>) -> Vec<f64> {
    let (Some(first), Some(last)) = (date_of(span.start), date_of(span.end)) else {
        return Vec::new();
    };
    let days = (last - first).num_days();
    let months_step = [1u32, 2, 3, 6, 12, 24, 60]
        .into_iter()
        .find(|m| days / (30 * i64::from(*m)) <= 5);
    let mut ticks = Vec::new();
    match months_step {
        Some(step) if days > 45 => {
            let mut d = NaiveDate::from_ymd_opt(first.year(), 1, 1).expect("January 1st");
            while d <= last {
                if d >= first && (d.month0() + 12 * d.year() as u32) % step == 0 {
                    ticks.push(day_number(d));
                }
                d = d + Months::new(1);
            }
        }
        _ => {
            let step = [1i64, 2, 7, 14]
                .into_iter()
                .find(|s| days / s <= 6)
                .unwrap_or(14);
            let mut d = first;
            while d <= last {
                ticks.push(day_number(d));
                d += chrono::Duration::days(step);
            }
        }
    }
    ticks
}

/// A date tick's label: the month where ticks are months apart, else the day.
fn date_label(x: f64, monthly: bool) -> String {
    match date_of(x) {
        Some(d) if monthly && d.month() == 1 && d.day() == 1 => d.format("%Y").to_string(),
        Some(d) if monthly => d.format("%b %Y").to_string(),
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None => String::new(),
    }
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

fn render_panel(panel: &Panel, span: std::ops::Range<f64>) -> Result<String> {
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (PANEL_WIDTH, PANEL_HEIGHT)).into_drawing_area();
        let (upper, lower) = root.split_vertically(LINE_HEIGHT);
        let ticks = date_ticks(&span);
        let monthly = ticks.len() >= 2 && ticks[1] - ticks[0] >= 28.0;
        let x_format = |x: &f64| date_label(*x, monthly);
        let y_format = |y: &f64| thousands(y.round().max(0.0) as u64);
        let label_style = (FONT, LABEL_SIZE).into_font().color(&AXIS_COLOUR);

        // The cumulative totals.
        let top = axis_top(panel.totals.iter().map(|t| t.1).max().unwrap_or(0));
        let latest = panel
            .totals
            .last()
            .map_or_else(String::new, |(d, v)| format!(" — {} on {d}", thousands(*v)));
        let mut chart = ChartBuilder::on(&upper)
            .caption(
                format!("{}{latest}", panel.title),
                (FONT, CAPTION_SIZE).into_font().color(&TEXT_COLOUR),
            )
            .margin_top(6)
            .margin_left(10)
            .margin_right(24)
            .margin_bottom(14)
            .y_label_area_size(72)
            .x_label_area_size(0)
            .build_cartesian_2d(
                Axis::new(span.clone(), ticks.clone()),
                Axis::new(0.0..top, value_ticks(top)),
            )?;
        chart
            .configure_mesh()
            .bold_line_style(GRID_COLOUR)
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS_COLOUR)
            .y_label_formatter(&y_format)
            .y_desc("total")
            .label_style(label_style.clone())
            .axis_desc_style((FONT, LABEL_SIZE).into_font().color(&AXIS_COLOUR))
            .draw()?;
        let line: Vec<(f64, f64)> = panel
            .totals
            .iter()
            .map(|(d, v)| (day_number(*d), *v as f64))
            .collect();
        chart.draw_series(LineSeries::new(line.clone(), LINE_COLOUR.stroke_width(2)))?;
        chart.draw_series(
            line.iter()
                .map(|&p| Circle::new(p, 3, LINE_COLOUR.filled())),
        )?;

        // The daily changes.
        let top = axis_top(panel.changes.iter().map(|c| c.1).max().unwrap_or(0));
        let mut bars = ChartBuilder::on(&lower)
            .margin_top(10)
            .margin_left(10)
            .margin_right(24)
            .margin_bottom(4)
            .y_label_area_size(72)
            .x_label_area_size(26)
            .build_cartesian_2d(
                Axis::new(span.clone(), ticks),
                Axis::new(0.0..top, value_ticks(top).into_iter().step_by(2).collect()),
            )?;
        bars.configure_mesh()
            .bold_line_style(GRID_COLOUR)
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS_COLOUR)
            .x_label_formatter(&x_format)
            .y_label_formatter(&y_format)
            .y_desc("per day")
            .label_style(label_style)
            .axis_desc_style((FONT, LABEL_SIZE).into_font().color(&AXIS_COLOUR))
            .draw()?;
        let note = match panel.changes.iter().map(|c| c.1).max() {
            None => Some("no daily change reported"),
            Some(0) => Some("no change from day to day"),
            Some(_) => None,
        };
        if let Some(note) = note {
            // In the middle of the plotting area, right of the value labels.
            let (w, h) = lower.dim_in_pixel();
            let (w, h) = (w as i32, h as i32);
            let centre = ((10 + 72 + w - 24) / 2, (10 + h - 26 - 4) / 2);
            let style = (FONT, LABEL_SIZE)
                .into_font()
                .color(&AXIS_COLOUR)
                .pos(Pos::new(HPos::Center, VPos::Center));
            lower.draw(&Text::new(note, centre, style))?;
        }
        // At least 3 pixels wide, whatever the span.
        let plot_width = f64::from(PANEL_WIDTH - 72 - 34);
        let half = (0.4f64).max(1.5 * (span.end - span.start) / plot_width);
        bars.draw_series(panel.changes.iter().map(|&(d, v, derived)| {
            let x = day_number(d);
            let colour = if derived {
                BAR_COLOUR.mix(0.4).filled()
            } else {
                BAR_COLOUR.filled()
            };
            Rectangle::new([(x - half, 0.0), (x + half, v as f64)], colour)
        }))?;
        root.present()?;
    }
    // Every element says so; it is the default.
    Ok(svg.replace(r#" opacity="1""#, ""))
}

/// A linear axis labelled at the values we choose (round dates, round numbers), with no
/// light grid lines: plotters' own choice of ticks knows neither months nor thousands.
struct Axis {
    range: std::ops::Range<f64>,
    ticks: Vec<f64>,
}

impl Axis {
    fn new(range: std::ops::Range<f64>, ticks: Vec<f64>) -> Axis {
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

    fn range(&self) -> std::ops::Range<f64> {
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
