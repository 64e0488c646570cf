//! A progress bar on stderr for runs long enough to wonder about: inputs done out of inputs
//! found, the rate and the time left.
//!
//! Shown only when stderr is a terminal and `--quiet` is off, and only once the run has lasted
//! [`DELAY`]: a quick run prints nothing at all. It never touches stdout. While it is drawn,
//! messages go through it (see `Messages::print_through`), so a warning is printed whole above
//! the bar rather than through it; it is cleared when the run ends, leaving stderr as without it.
//!
//! After the bar, a [`Spinner`] says what the run is doing while it merges and writes (seconds
//! on a large corpus, with no input left to count). Whichever is drawn is cleared by Ctrl-C too
//! (and by SIGTERM or SIGHUP), before the signal ends the run as it would have without casrep
//! catching it: no half-drawn line is left at the shell prompt.

use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::messages::Messages;

/// How long a run goes before the bar appears.
pub const DELAY: Duration = Duration::from_secs(1);

/// How long merging and writing go before the spinner appears: shorter than [`DELAY`], since
/// it follows a bar that was watched, and a pause with nothing on screen looks like a hang.
pub const SPINNER_DELAY: Duration = Duration::from_millis(400);

const TEMPLATE: &str =
    "{spinner:.cyan} {pos}/{len} inputs [{bar:30.cyan/blue}] {percent:>3}%  {eta} left";

const SPINNER_TEMPLATE: &str = "{spinner:.cyan} {msg}  {elapsed}";

/// Colour in the bar and the spinner: `Some(true)` always, `Some(false)` never, `None` as
/// stderr and the environment say (a terminal; NO_COLOR, CLICOLOR, CLICOLOR_FORCE).
pub fn set_color(enabled: Option<bool>) {
    let on = enabled.unwrap_or_else(console::colors_enabled_stderr);
    console::set_colors_enabled_stderr(on);
    // indicatif styles a bar for stdout unless it is drawn on its own stderr target, which ours
    // is not (see `Stderr`); nothing else in casrep styles text, and stdout is never coloured.
    console::set_colors_enabled(on);
}

/// stderr for the bar, two columns narrower than the terminal. indicatif fills a bar's line to
/// the right edge, which leaves the cursor waiting to wrap: the `^C` a terminal echoes would then
/// land on the next line, and clearing "the line" would clear that one, leaving the bar.
#[derive(Debug)]
struct Stderr(console::Term);

fn stderr_target() -> ProgressDrawTarget {
    ProgressDrawTarget::term_like_with_hz(Box::new(Stderr(console::Term::buffered_stderr())), 20)
}

impl indicatif::TermLike for Stderr {
    fn width(&self) -> u16 {
        self.0.size().1.saturating_sub(2).max(1)
    }
    fn height(&self) -> u16 {
        self.0.size().0
    }
    fn move_cursor_up(&self, n: usize) -> io::Result<()> {
        self.0.move_cursor_up(n)
    }
    fn move_cursor_down(&self, n: usize) -> io::Result<()> {
        self.0.move_cursor_down(n)
    }
    fn move_cursor_right(&self, n: usize) -> io::Result<()> {
        self.0.move_cursor_right(n)
    }
    fn move_cursor_left(&self, n: usize) -> io::Result<()> {
        self.0.move_cursor_left(n)
    }
    fn write_line(&self, s: &str) -> io::Result<()> {
        self.0.write_line(s)
    }
    fn write_str(&self, s: &str) -> io::Result<()> {
        self.0.write_str(s)
    }
    fn clear_line(&self) -> io::Result<()> {
        self.0.clear_line()
    }
    fn flush(&self) -> io::Result<()> {
        self.0.flush()
    }
}

/// The bar or spinner now on screen, for the signal handler to clear, with the number that
/// tells it from the ones drawn before.
static DRAWN: Mutex<Option<(u64, ProgressBar)>> = Mutex::new(None);

fn drawn() -> std::sync::MutexGuard<'static, Option<(u64, ProgressBar)>> {
    DRAWN.lock().unwrap_or_else(|p| p.into_inner())
}

/// Notes that `bar` is now drawn, and catches the signals that would leave it half-drawn;
/// returns the number to give [`gone`].
fn now_drawn(bar: &ProgressBar) -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    *drawn() = Some((id, bar.clone()));
    interrupt::catch();
    id
}

/// Notes that the bar `now_drawn` numbered `id` is gone from the screen.
fn gone(id: u64) {
    let mut drawn = drawn();
    if drawn.as_ref().is_some_and(|(d, _)| *d == id) {
        *drawn = None;
    }
}

/// Clears whatever bar or spinner is drawn; what a signal does before it ends the run.
fn clear_drawn() {
    if let Some((_, bar)) = drawn().take() {
        bar.finish_and_clear();
        // Workers still counting inputs must not draw it again; and one may have, between
        // the clear and now, so the line is cleared once more by hand.
        bar.set_draw_target(ProgressDrawTarget::hidden());
        let _ = write!(io::stderr().lock(), "\r\x1b[2K");
    }
}

mod interrupt {
    /// From the first bar drawn on, an interrupt clears the line before the run ends.
    pub fn catch() {
        crate::interrupt::on_interrupt(super::clear_drawn);
    }
}

/// Counts inputs as they finish; shareable between worker threads.
pub struct Progress {
    bar: Option<ProgressBar>,
    delay: Duration,
    shown: AtomicBool,
    /// The number `now_drawn` gave the bar once shown (0 before).
    drawn: std::sync::atomic::AtomicU64,
    /// Where the bar is drawn once shown; hidden until then.
    target: Mutex<Option<ProgressDrawTarget>>,
}

impl Progress {
    /// A bar over `inputs` on stderr when it is a terminal and not `quiet`; else nothing.
    pub fn new(inputs: usize, quiet: bool, messages: &Messages) -> Progress {
        if quiet || !io::stderr().is_terminal() {
            return Progress::none();
        }
        Progress::to(inputs, stderr_target(), DELAY, messages)
    }

    /// A progress that shows nothing.
    pub fn none() -> Progress {
        Progress {
            bar: None,
            delay: DELAY,
            shown: AtomicBool::new(false),
            drawn: Default::default(),
            target: Mutex::new(None),
        }
    }

    /// A bar over `inputs` drawn on `target` once `delay` has passed.
    fn to(
        inputs: usize,
        target: ProgressDrawTarget,
        delay: Duration,
        messages: &Messages,
    ) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(inputs as u64), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(TEMPLATE) {
            bar.set_style(style.progress_chars("=> "));
        }
        let printer = bar.clone();
        messages.print_through(move |line| {
            printer.suspend(|| {
                let _ = writeln!(io::stderr().lock(), "{line}");
            });
        });
        Progress {
            bar: Some(bar),
            delay,
            shown: AtomicBool::new(false),
            drawn: Default::default(),
            target: Mutex::new(Some(target)),
        }
    }

    /// One more input done (read and extracted, or failed).
    pub fn inc(&self) {
        let Some(bar) = &self.bar else {
            return;
        };
        bar.inc(1);
        if !self.shown.load(Ordering::Relaxed) && bar.elapsed() >= self.delay {
            let mut target = self.target.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(target) = target.take() {
                self.shown.store(true, Ordering::Relaxed);
                bar.set_draw_target(target);
                self.drawn.store(now_drawn(bar), Ordering::Relaxed);
                // Drawn at once, then kept moving while a slow input holds up the count.
                bar.tick();
                bar.enable_steady_tick(Duration::from_millis(120));
            }
        }
    }
}

impl Drop for Progress {
    /// Clears the bar: what stays on stderr is the messages alone.
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
            gone(self.drawn.load(Ordering::Relaxed));
        }
    }
}

/// A spinner with a message on stderr for the work after the inputs (merging, writing), shown
/// after [`SPINNER_DELAY`] on a terminal unless quiet, and cleared when dropped.
pub struct Spinner {
    bar: Option<ProgressBar>,
    /// Dropped to tell the thread waiting to show the spinner that the work is done.
    done: Option<std::sync::mpsc::Sender<()>>,
    /// The waiting thread: gives the number `now_drawn` gave the spinner, if it was shown.
    waiter: Option<std::thread::JoinHandle<Option<u64>>>,
}

impl Spinner {
    /// A spinner saying `message` ("merging 3 timelines"), or nothing when quiet or when stderr
    /// is no terminal.
    pub fn start(message: &str, quiet: bool) -> Spinner {
        if quiet || !io::stderr().is_terminal() {
            return Spinner::none();
        }
        Spinner::to(message, stderr_target(), SPINNER_DELAY)
    }

    pub fn none() -> Spinner {
        Spinner {
            bar: None,
            done: None,
            waiter: None,
        }
    }

    fn to(message: &str, target: ProgressDrawTarget, delay: Duration) -> Spinner {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(SPINNER_TEMPLATE) {
            bar.set_style(style);
        }
        bar.set_message(message.to_owned());
        let (done, wait) = std::sync::mpsc::channel::<()>();
        let shown = bar.clone();
        let waiter = std::thread::spawn(move || {
            // Shown only if the work is still going on when the delay is over.
            if wait.recv_timeout(delay) != Err(std::sync::mpsc::RecvTimeoutError::Timeout) {
                return None;
            }
            shown.set_draw_target(target);
            let id = now_drawn(&shown);
            shown.enable_steady_tick(Duration::from_millis(120));
            Some(id)
        });
        Spinner {
            bar: Some(bar),
            done: Some(done),
            waiter: Some(waiter),
        }
    }

    /// Says what is being done now ("writing losses.json").
    pub fn say(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_owned());
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        drop(self.done.take());
        let id = self.waiter.take().and_then(|w| w.join().ok().flatten());
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if let Some(id) = id {
            gone(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indicatif::TermLike;
    use std::sync::Arc;

    /// A terminal that keeps what is written to it.
    #[derive(Clone, Debug, Default)]
    struct Screen(Arc<Mutex<String>>);

    impl Screen {
        fn text(&self) -> String {
            self.0.lock().unwrap().clone()
        }
    }

    impl TermLike for Screen {
        fn width(&self) -> u16 {
            100
        }
        fn move_cursor_up(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> io::Result<()> {
            self.write_str(&format!("{s}\n"))
        }
        fn write_str(&self, s: &str) -> io::Result<()> {
            self.0.lock().unwrap().push_str(s);
            Ok(())
        }
        fn clear_line(&self) -> io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> io::Result<()> {
            Ok(())
        }
    }

    fn progress(delay: Duration) -> (Progress, Screen) {
        let screen = Screen::default();
        let target = ProgressDrawTarget::term_like(Box::new(screen.clone()));
        let p = Progress::to(3, target, delay, &Messages::capturing());
        (p, screen)
    }

    #[test]
    fn a_run_past_the_delay_shows_inputs_done_out_of_all() {
        let (p, screen) = progress(Duration::ZERO);
        p.inc();
        assert!(screen.text().contains("1/3 inputs"), "{:?}", screen.text());
    }

    #[test]
    fn a_quick_run_draws_nothing() {
        let (p, screen) = progress(Duration::from_secs(3600));
        p.inc();
        p.inc();
        drop(p);
        assert_eq!(screen.text(), "");
    }

    #[test]
    fn a_slow_merge_shows_the_spinner_with_its_message() {
        let screen = Screen::default();
        let target = ProgressDrawTarget::term_like(Box::new(screen.clone()));
        let spinner = Spinner::to("merging the timeline", target, Duration::ZERO);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !screen.text().contains("merging the timeline") {
            assert!(std::time::Instant::now() < deadline, "{:?}", screen.text());
            std::thread::sleep(Duration::from_millis(10));
        }
        drop(spinner);
    }

    #[test]
    fn a_quick_merge_draws_no_spinner() {
        let screen = Screen::default();
        let target = ProgressDrawTarget::term_like(Box::new(screen.clone()));
        drop(Spinner::to("merging", target, Duration::from_secs(3600)));
        assert_eq!(screen.text(), "");
    }

    #[test]
    fn no_bar_counts_quietly() {
        let p = Progress::none();
        p.inc();
        assert!(p.bar.is_none());
    }
}
