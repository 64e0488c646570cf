//! Helpers for the CLI tests: the built binary, temporary folders, and a generator of synthetic
//! articles in the styles casrep reads (the General Staff's post in English and Ukrainian, news
//! prose, bullet lists, fact boxes, and articles with no figure at all), so the tests need
//! nothing outside the repository.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::{Duration, NaiveDate};

pub fn casrep() -> Command {
    Command::cargo_bin("casrep").unwrap()
}

/// The path of the built binary, for tests that spawn it themselves.
pub fn casrep_path() -> PathBuf {
    assert_cmd::cargo::cargo_bin("casrep")
}

/// What a script run by [`in_mount_namespace`] printed, and how it ended.
pub struct Mounted {
    pub output: std::process::Output,
    pub stdout: String,
}

/// Runs `script` with `sh -c` in a mount namespace of its own (`unshare --mount`, private
/// propagation), so nothing it mounts outlives the test, with the variables `env` and `CASREP`
/// (the built binary) set. A script that cannot mount prints `cannot-mount` and exits 0. None
/// where mounting cannot be had (no unshare, no root): the caller skips, and the message
/// says it could not `what`.
pub fn in_mount_namespace(script: &str, env: &[(&str, &Path)], what: &str) -> Option<Mounted> {
    let mut cmd = std::process::Command::new("unshare");
    cmd.args(["--mount", "--propagation", "private", "sh", "-c", script])
        .env("CASREP", casrep_path());
    for (name, value) in env {
        cmd.env(name, value);
    }
    let Ok(output) = cmd.output() else {
        eprintln!("skipped: no unshare");
        return None;
    };
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() || stdout.contains("cannot-mount") {
        eprintln!("skipped: cannot {what} here");
        return None;
    }
    Some(Mounted { output, stdout })
}

/// Writes `files` (relative path, content) under `dir`.
pub fn write_files(dir: &Path, files: &[(String, String)]) {
    for (name, text) in files {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

/// A small, fixed pseudo-random sequence (64-bit LCG), so corpora are the same on every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407))
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Cumulative totals of one day, roughly like the real series, always growing.
struct Day {
    date: NaiveDate,
    personnel: u64,
    personnel_delta: u64,
    tanks: u64,
    tanks_delta: u64,
    afv: u64,
    artillery: u64,
    uav: u64,
    vehicles: u64,
}

fn day(n: i64) -> Day {
    let start = NaiveDate::from_ymd_opt(2022, 2, 24).unwrap();
    let n = n.max(30) as u64;
    Day {
        date: start + Duration::days(n as i64 - 1),
        personnel: 20_000 + n * 450,
        personnel_delta: 450,
        tanks: 700 + n * 9,
        tanks_delta: 9,
        afv: 1_900 + n * 14,
        artillery: 350 + n * 6,
        uav: 120 + n * 5,
        vehicles: 1_400 + n * 11,
    }
}

fn thousands(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

const FILLER: [&str; 4] = [
    "Fighting continued along the front line, the General Staff said, with the heaviest \
     clashes around Bakhmut and Avdiivka.",
    "Officials in Kyiv said air defences were active overnight in several regions.",
    "The figures cannot be independently verified. Moscow does not publish its own losses.",
    "Residents described long queues for water and power in the eastern towns.",
];

/// One article in one of several styles; the name carries the date where the style needs it.
pub fn article(i: usize, rng: &mut Rng) -> (String, String) {
    let d = day(60 + rng.below(700) as i64);
    let date = d.date;
    let filler = FILLER[rng.below(FILLER.len() as u64) as usize];
    let style = i % 6;
    let name = format!("{:03}/{i:05}-style{style}.txt", i % 37);
    let text = match style {
        0 => format!(
            "General Staff of the Armed Forces of Ukraine\n{}\n\n\
             The total combat losses of the enemy from 24.02.22 to {} were approximately:\n\n\
             personnel ‒ about {} ({:+}) persons were liquidated,\n\
             tanks ‒ {} ({:+}) units,\n\
             armoured combat vehicles ‒ {} units,\n\
             artillery systems – {} units,\n\
             UAV operational-tactical level – {},\n\
             vehicles and fuel tanks – {}.\n\n\
             The data are being updated.\n",
            date.format("%d.%m.%Y 09:00"),
            date.format("%d.%m.%y"),
            d.personnel,
            d.personnel_delta,
            d.tanks,
            d.tanks_delta,
            d.afv,
            d.artillery,
            d.uav,
            d.vehicles,
        ),
        1 => format!(
            "Date: {}\n\nRussia has lost {} troops since the start of the invasion\n\n\
             Russia has lost {} troops in Ukraine since the beginning of its full-scale \
             invasion, the General Staff of Ukraine's Armed Forces reported.\n\n\
             The number includes {} casualties Russian forces suffered over the past day.\n\n\
             According to the report, Russia has also lost {} tanks, {} armored fighting \
             vehicles, {} artillery systems and {} drones.\n\n{filler}\n",
            date.format("%Y-%m-%d"),
            thousands(d.personnel),
            thousands(d.personnel),
            d.personnel_delta,
            thousands(d.tanks),
            thousands(d.afv),
            thousands(d.artillery),
            thousands(d.uav),
        ),
        2 => format!(
            "Russian losses keep climbing, Ukraine's military says\n\n{filler}\n\n\
             Here is the General Staff's tally as of {}, with the change over the previous \
             day in brackets:\n\n\
             • Personnel: around {} (+{})\n\
             • Tanks: {} (+{})\n\
             • Artillery: {}\n\
             • Drones: {}\n",
            date.format("%B %-d, %Y"),
            thousands(d.personnel),
            d.personnel_delta,
            thousands(d.tanks),
            d.tanks_delta,
            thousands(d.artillery),
            thousands(d.uav),
        ),
        3 => format!(
            "Генеральний штаб ЗСУ\n\n\
             Загальні бойові втрати противника з 24.02.22 по {} орієнтовно склали:\n\n\
             особового складу ‒ близько {} (+{}) осіб ліквідовано,\n\
             танків ‒ {} (+{}) од,\n\
             артилерійських систем – {} од,\n\
             автомобільної техніки та цистерн з ПММ – {}.\n\n\
             Дані уточнюються.\n",
            date.format("%d.%m.%y"),
            d.personnel,
            d.personnel_delta,
            d.tanks,
            d.tanks_delta,
            d.artillery,
            d.vehicles,
        ),
        4 => format!(
            "Published: {}\n\nKyiv says Russia lost {} tanks\n\n{filler} Ukraine's \
             Defence Ministry said Russia had lost {} tanks and {} artillery systems \
             since February 24, 2022.\n",
            date.format("%Y-%m-%d"),
            d.tanks_delta,
            thousands(d.tanks),
            thousands(d.artillery),
        ),
        // No figure: reservists, populations and money are never losses.
        _ => format!(
            "Date: {}\n\nRussia called up 300,000 reservists in September, and the city \
             of 400,000 people now has no power. The United States pledged $500 million \
             in aid. {filler}\n",
            date.format("%Y-%m-%d"),
        ),
    };
    (name, text)
}

/// `count` articles in a fresh folder under `root`, returned with their relative names.
pub fn corpus(root: &Path, count: usize, seed: u64) -> Vec<(String, String)> {
    let mut rng = Rng::new(seed);
    let files: Vec<_> = (0..count).map(|i| article(i, &mut rng)).collect();
    write_files(root, &files);
    files
}

pub fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
