//! `--output FILE`: replace a file so that a reader, a crash, a full disk or a killed job only
//! ever sees the previous file whole or the new file whole, and two jobs never interleave.
//!
//! The new bytes go to a temporary file in the same directory (a rename is only atomic within
//! one file system), which is flushed to disk (fsync) before it is renamed over the target, and
//! the directory is flushed after, so the rename itself survives a power cut. Writers take an
//! exclusive lock on a sidecar `FILE.lock` first, held for the whole run (see [`Lock`]).
//!
//! Every failure names the target: `FILE: cannot write: problem`; the previous file is intact.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{anyhow, Result};

use crate::inputs::display_path;
use crate::messages::Messages;

/// A test hook: milliseconds to sleep between writing the temporary file and renaming it, so a
/// test can kill a writer at the worst moment. Not documented for users.
const SLOW_WRITE_ENV: &str = "CASREP_TEST_SLOW_WRITE";

/// An exclusive lock on `FILE.lock`, released when dropped (or when the process dies: `flock`
/// locks belong to the open file, so a killed writer never leaves a stale lock behind).
///
/// Taken before anything is read, so a job that merges the file into itself (`--merge F
/// --output F`) reads, rebuilds and replaces it while no other job can, and no update is lost.
/// The lock file itself is never removed: removing it would let a third job lock a new file
/// while the second still holds the old one.
#[derive(Debug)]
pub struct Lock {
    target: PathBuf,
    _file: File,
}

impl Lock {
    /// Locks `target`'s sidecar, waiting (with a note) while another job holds it.
    pub fn acquire(target: &Path, messages: &Messages) -> Result<Lock> {
        let path = sidecar(target, ".lock", false);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| cannot_write(target, &e))?;
        // Through the trait, not `file.try_lock()`: std has the same names since Rust 1.89, and
        // this crate builds with older compilers too.
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) => {
                messages.note(&path, "locked by another writer, waiting");
                fs4::FileExt::lock(&file).map_err(|e| cannot_write(target, &e))?;
            }
            Err(fs4::TryLockError::Error(e)) => return Err(cannot_write(target, &e)),
        }
        Ok(Lock {
            target: target.to_path_buf(),
            _file: file,
        })
    }

    /// Replaces the locked target with `bytes`, atomically (see the module docs).
    #[cfg(test)]
    pub fn write(&self, bytes: &[u8]) -> Result<()> {
        self.write_with(|w| Ok(w.write_all(bytes)?))
    }

    /// Replaces the locked target with what `fill` writes, atomically (see the module docs).
    pub fn write_with(&self, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
        let target = &self.target;
        // Under the lock no other casrep writes here, so a fixed name is safe, and a temporary
        // file left by a killed writer is reused instead of piling up. Hidden, so that a walk of
        // the folder skips it.
        let temp = sidecar(target, ".casrep-tmp", true);
        let result = write_new(&temp, target, fill).and_then(|()| {
            slow_write_hook();
            fs::rename(&temp, target).map_err(anyhow::Error::from)
        });
        if let Err(e) = result {
            let _ = fs::remove_file(&temp);
            return Err(match e.downcast_ref::<io::Error>() {
                Some(io_err) => cannot_write(target, io_err),
                None => e.context(format!("{}: cannot write", display_path(target))),
            });
        }
        // The rename is done: the new file is in place. If the directory cannot be flushed the
        // rename may not survive a power cut, but either file would then be whole; say so.
        sync_dir(parent_dir(target)).map_err(|e| cannot_write(target, &e))
    }
}

/// Writes and flushes the temporary file, with the target's permissions if it exists.
fn write_new(
    temp: &Path,
    target: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(temp)?;
    if let Ok(meta) = fs::metadata(target) {
        file.set_permissions(meta.permissions())?;
    }
    let mut out = BufWriter::with_capacity(1 << 16, file);
    fill(&mut out)?;
    let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.sync_all()?;
    Ok(())
}

fn slow_write_hook() {
    if let Some(ms) = std::env::var(SLOW_WRITE_ENV)
        .ok()
        .and_then(|v| v.parse().ok())
    {
        std::thread::sleep(Duration::from_millis(ms));
    }
}

/// Flushes a directory's entries (the rename) to disk.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        // Directories cannot be opened as files elsewhere; the rename is as durable as the
        // system makes it.
        let _ = dir;
        Ok(())
    }
}

fn parent_dir(target: &Path) -> &Path {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// `dir/FILE<suffix>`, or `dir/.FILE<suffix>` when `hidden`.
fn sidecar(target: &Path, suffix: &str, hidden: bool) -> PathBuf {
    let mut name = OsString::new();
    if hidden {
        name.push(".");
    }
    name.push(target.file_name().unwrap_or(target.as_os_str()));
    name.push(suffix);
    parent_dir(target).join(name)
}

fn cannot_write(target: &Path, err: &io::Error) -> anyhow::Error {
    anyhow!("{}: cannot write: {}", display_path(target), describe(err))
}

/// "No space left on device (os error 28)" → "no space left on device", to read like the other
/// messages (`casrep: PATH: problem`).
pub fn describe(err: &io::Error) -> String {
    let text = err.to_string();
    let text = match text.rfind(" (os error ") {
        Some(at) => &text[..at],
        None => &text,
    };
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_replaces_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.json");
        fs::write(&target, "old").unwrap();
        let messages = Messages::capturing();
        let lock = Lock::acquire(&target, &messages).unwrap();
        lock.write(b"new").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["t.json", "t.json.lock"]);
    }

    #[cfg(unix)]
    #[test]
    fn write_keeps_the_permissions_of_the_file_it_replaces() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.json");
        fs::write(&target, "old").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
        let lock = Lock::acquire(&target, &Messages::capturing()).unwrap();
        lock.write(b"new").unwrap();
        let mode = fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }

    #[test]
    fn a_missing_folder_cannot_be_written() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("no/such/t.json");
        let err = Lock::acquire(&target, &Messages::capturing()).unwrap_err();
        let msg = format!("{err:#}");
        assert!(
            msg.ends_with("t.json: cannot write: no such file or directory"),
            "{msg}"
        );
    }

    #[test]
    fn a_second_lock_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.json");
        let messages = Messages::capturing();
        let first = Lock::acquire(&target, &messages).unwrap();
        let released = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            let waiter = s.spawn(|| {
                let second = Lock::acquire(&target, &messages).unwrap();
                assert!(released.load(std::sync::atomic::Ordering::SeqCst));
                second.write(b"second").unwrap();
            });
            std::thread::sleep(Duration::from_millis(200));
            first.write(b"first").unwrap();
            released.store(true, std::sync::atomic::Ordering::SeqCst);
            drop(first);
            waiter.join().unwrap();
        });
        assert_eq!(fs::read_to_string(&target).unwrap(), "second");
        assert!(messages.lines()[0].ends_with("t.json.lock: locked by another writer, waiting"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn problems_read_like_the_other_messages() {
        let full = io::Error::from_raw_os_error(28);
        assert_eq!(describe(&full), "no space left on device");
        assert_eq!(describe(&io::Error::other("Odd")), "odd");
    }

    #[test]
    fn the_output_in_the_current_folder_has_a_parent() {
        assert_eq!(parent_dir(Path::new("t.json")), Path::new("."));
        assert_eq!(
            sidecar(Path::new("t.json"), ".casrep-tmp", true),
            Path::new("./.t.json.casrep-tmp")
        );
    }
}
