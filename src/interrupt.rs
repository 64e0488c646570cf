//! What a run does when it is interrupted (SIGINT, SIGTERM, SIGHUP): one thread waits for the
//! signal, runs the clean-ups the run registered (clear the progress line, remove the temporary
//! file of `--output`), then does what the signal would have done, so a shell or cron sees the
//! usual status. The work is done in that thread, not in a signal handler, where it is not
//! safe. Nothing is set up for a run that registers nothing, which keeps the default handling.

use std::sync::{Mutex, Once};

/// The clean-ups registered so far, run in order.
static CLEANUPS: Mutex<Vec<fn()>> = Mutex::new(Vec::new());

/// Runs `cleanup` when the run is interrupted (once per function, however often registered).
pub fn on_interrupt(cleanup: fn()) {
    {
        let mut list = CLEANUPS.lock().unwrap_or_else(|p| p.into_inner());
        if !list.contains(&cleanup) {
            list.push(cleanup);
        }
    }
    watch();
}

#[cfg(unix)]
fn watch() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    static WATCH: Once = Once::new();
    WATCH.call_once(|| {
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        let spawned = std::thread::Builder::new()
            .name("casrep-signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    let list = CLEANUPS.lock().unwrap_or_else(|p| p.into_inner());
                    for cleanup in list.iter() {
                        cleanup();
                    }
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                }
            });
        drop(spawned);
    });
}

#[cfg(not(unix))]
fn watch() {}
