//! A progress bar on stderr for runs long enough to wonder about: inputs done out of inputs
//! found, the rate and the time left.
//!
//! Shown only when stderr is a terminal and `--quiet` is off, and only once the run has lasted
//! [`DELAY`]: a quick run prints nothing at all. It never touches stdout. While it is drawn,
//! messages go through it (see `Messages::print_through`), so a warning is printed whole above
//! the bar rather than through it; it is cleared when the run ends, leaving stderr as without it.

use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::messages::Messages;

/// How long a run goes before the bar appears.
pub const DELAY: Duration = Duration::from_secs(1);

const TEMPLATE: &str = "{spinner} {pos}/{len} inputs [{bar:30}] {percent:>3}%  {eta} left";

/// Counts inputs as they finish; shareable between worker threads.
pub struct Progress {
    bar: Option<ProgressBar>,
    delay: Duration,
    shown: AtomicBool,
    /// Where the bar is drawn once shown; hidden until then.
    target: Mutex<Option<ProgressDrawTarget>>,
}

impl Progress {
    /// A bar over `inputs` on stderr when it is a terminal and not `quiet`; else nothing.
    pub fn new(inputs: usize, quiet: bool, messages: &Messages) -> Progress {
        if quiet || !io::stderr().is_terminal() {
            return Progress::none();
        }
        Progress::to(inputs, ProgressDrawTarget::stderr(), DELAY, messages)
    }

    /// A progress that shows nothing.
    pub fn none() -> Progress {
        Progress {
            bar: None,
            delay: DELAY,
            shown: AtomicBool::new(false),
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
    fn no_bar_counts_quietly() {
        let p = Progress::none();
        p.inc();
        assert!(p.bar.is_none());
    }
}
