//! `--output FILE`: replace a file so that a reader, a crash, a full disk or a killed job only
//! ever sees the previous file whole or the new file whole, and two jobs never interleave.
//!
//! Before any work, [`Output::prepare`] follows FILE if it is a symbolic link (the file it points
//! to is the one replaced, locked and renamed over: the link stays a link) and checks that it can
//! be replaced: not a folder, a device or a mount point, in a folder that exists and takes a new
//! file. A run refused there leaves nothing behind (no lock file, no temporary file).
//!
//! The new bytes go to a temporary file created exclusively, under a name no one can guess, in
//! the target's own folder (a rename is only atomic within one file system): `.FILE.XXXXXXXX.
//! casrep-tmp`, hidden, so that a walk of the folder skips it. It is flushed to disk (fsync)
//! before it is renamed over the target, and the folder is flushed after, so the rename itself
//! survives a power cut. A failed write removes it, and so does an interrupt (SIGINT, SIGTERM,
//! SIGHUP: see [`watch_signals`]). Only a writer killed outright (SIGKILL, a power cut) can leave
//! one behind: it is never read (hidden, never reused) and the next locked writer of that file
//! removes it.
//!
//! Writers that merge the target into itself take an exclusive lock on a sidecar `FILE.lock`
//! first, held for the whole run (see [`Output::prepare`]).
//!
//! Every failure names the target: `FILE: cannot write: problem`; the previous file is intact.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Result};

use crate::inputs::display_path;
use crate::messages::{describe_io, Messages};

/// A test hook: milliseconds to sleep between writing the temporary file and renaming it, so a
/// test can kill a writer at the worst moment. Not documented for users.
const SLOW_WRITE_ENV: &str = "CASREP_TEST_SLOW_WRITE";

/// The end of every temporary file's name.
const TEMP_SUFFIX: &str = ".casrep-tmp";

/// How deep a chain of symbolic links is followed (as Linux does).
const MAX_LINKS: usize = 40;

/// A file to be replaced atomically; see the module docs.
#[derive(Debug)]
pub struct Output {
    /// The path as the user gave it, for messages.
    shown: PathBuf,
    /// The file replaced: `shown` with every symbolic link followed.
    target: PathBuf,
    /// The lock on the sidecar, held until this is dropped (or the process dies: `flock` locks
    /// belong to the open file, so a killed writer never leaves a stale lock behind).
    _lock: Option<File>,
}

impl Output {
    /// Follows `path`'s symbolic links and checks that the file can be replaced; then, when
    /// `lock` gives how long to wait, locks it. Call before any work.
    ///
    /// The lock is taken before anything is read, so a job that merges the file into itself
    /// (`--merge F --output F`) reads, rebuilds and replaces it while no other job can, and no
    /// update is lost. The lock file itself is never removed: removing it would let a third job
    /// lock a new file while the second still holds the old one. It is made only once the
    /// target has passed its checks.
    pub fn prepare(path: &Path, lock: Option<Duration>, messages: &Messages) -> Result<Output> {
        let target = resolve(path).map_err(|e| cannot_write(path, &e))?;
        check_target(path, &target)?;
        let lock = match lock {
            Some(wait) => Some(take_lock(path, &target, wait, messages)?),
            None => None,
        };
        if lock.is_some() {
            remove_stale_temps(&target, messages);
        }
        Ok(Output {
            shown: path.to_path_buf(),
            target,
            _lock: lock,
        })
    }

    /// Replaces the target with `bytes`, atomically (see the module docs).
    #[cfg(test)]
    pub fn write(&self, bytes: &[u8]) -> Result<()> {
        self.write_with(|w| Ok(w.write_all(bytes)?))
    }

    /// Replaces the target with what `fill` writes, atomically (see the module docs).
    pub fn write_with(&self, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
        let shown = &self.shown;
        let temp = new_temp(&self.target).map_err(|e| cannot_write(shown, &e))?;
        let result = match fill_temp(&temp, &self.target, fill) {
            Ok(()) => {
                slow_write_hook();
                let mut pending = pending();
                // On failure `persist` hands the temporary file back, and it is removed here.
                let renamed = temp
                    .persist(&self.target)
                    .map(drop)
                    .map_err(|e| anyhow::Error::from(e.error));
                *pending = None;
                renamed
            }
            Err(e) => {
                drop(temp);
                forget_temp();
                Err(e)
            }
        };
        if let Err(e) = result {
            return Err(match e.downcast_ref::<io::Error>() {
                Some(io_err) => cannot_write(shown, io_err),
                None => e.context(format!("{}: cannot write", display_path(shown))),
            });
        }
        // The rename is done: the new file is in place. If the folder cannot be flushed the
        // rename may not survive a power cut, but either file would then be whole; say so.
        sync_dir(parent_dir(&self.target)).map_err(|e| cannot_write(shown, &e))
    }
}

/// `path` with every symbolic link followed, as far as they lead: the file a write through the
/// link would change. A dangling link gives the path it points to (which the write creates).
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&path)?;
                path = if link.is_absolute() {
                    link
                } else {
                    parent_dir(&path).join(link)
                };
            }
            Ok(_) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(path),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Refuses a target that a rename cannot replace, or whose folder takes no new file: checked
/// before the work, so that an hour's run does not end in "cannot write".
fn check_target(shown: &Path, target: &Path) -> Result<()> {
    let refuse = |why: &str| anyhow!("{}: cannot write: {why}", display_path(shown));
    if target.file_name().is_none() {
        // "/", ".", "..", "dir/..": a folder by its very name.
        return Err(refuse("is a folder; give the name of a file to write"));
    }
    let dir = parent_dir(target);
    match fs::metadata(target) {
        Ok(meta) if meta.is_dir() => {
            return Err(refuse("is a folder; give the name of a file to write"))
        }
        Ok(meta) if !meta.is_file() => {
            return Err(refuse(
                "not a regular file (a device, FIFO or socket), which a rename would replace; \
                 write to stdout and redirect it instead",
            ))
        }
        Ok(meta) if is_mount_point(target, &meta, dir) => {
            return Err(refuse(
                "is a mount point, which cannot be replaced; write to a file beside it",
            ))
        }
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(cannot_write(shown, &e)),
    }
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => return Err(refuse(&format!("{} is not a folder", display_path(dir)))),
        Err(e) => {
            return Err(refuse(&format!(
                "folder {}: {}",
                display_path(dir),
                describe(&e)
            )))
        }
    }
    // The one sure test that the folder takes a new file (permissions, ACLs, a read-only or
    // full file system): make one, exclusively, and remove it.
    let probe = new_temp(target)
        .map(drop)
        .map_err(|e| cannot_write(shown, &e));
    forget_temp();
    probe
}

/// Whether `target` (with metadata `meta`) is mounted on its own, apart from its folder: on
/// another file system, or bind-mounted from the same one (Linux tells by the mount's id, where
/// the device is the same), which no rename can replace.
fn is_mount_point(target: &Path, meta: &fs::Metadata, dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let other_device = fs::metadata(dir).is_ok_and(|d| d.dev() != meta.dev());
        other_device || other_mount(target, dir)
    }
    #[cfg(not(unix))]
    {
        let _ = (target, meta, dir);
        false
    }
}

/// Whether `a` and `b` lie on different mounts, by the ids `statx` gives (false where it gives
/// none: an old kernel, another system).
#[cfg(target_os = "linux")]
fn other_mount(a: &Path, b: &Path) -> bool {
    fn mount_id(path: &Path) -> Option<u64> {
        use std::os::unix::ffi::OsStrExt;
        let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
        // SAFETY: statx fills in a plain struct, and the path is a valid C string.
        let mut stx: libc::statx = unsafe { std::mem::zeroed() };
        let done = unsafe {
            libc::statx(
                libc::AT_FDCWD,
                c_path.as_ptr(),
                libc::AT_STATX_SYNC_AS_STAT,
                libc::STATX_MNT_ID,
                &mut stx,
            )
        };
        (done == 0 && stx.stx_mask & libc::STATX_MNT_ID != 0).then_some(stx.stx_mnt_id)
    }
    matches!((mount_id(a), mount_id(b)), (Some(x), Some(y)) if x != y)
}

#[cfg(all(unix, not(target_os = "linux")))]
fn other_mount(_: &Path, _: &Path) -> bool {
    false
}

/// Locks `target`'s sidecar, waiting up to `wait` (with a note) while another job holds it.
fn take_lock(shown: &Path, target: &Path, wait: Duration, messages: &Messages) -> Result<File> {
    let path = sidecar(target, ".lock");
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| cannot_write(shown, &e))?;
    let deadline = Instant::now() + wait;
    let mut pause = Duration::from_millis(10);
    let mut noted = false;
    loop {
        // Through the trait, not `file.try_lock()`: std has the same names since Rust 1.89,
        // and this crate builds with older compilers too.
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => return Ok(file),
            Err(fs4::TryLockError::WouldBlock) => {}
            Err(fs4::TryLockError::Error(e)) => return Err(cannot_write(shown, &e)),
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(anyhow!(
                "{}: still locked by another writer after {} s, giving up (nothing written); \
                 if no other casrep is writing {}, look for a stuck one, or wait longer with \
                 --wait SECS",
                display_path(&path),
                wait.as_secs(),
                display_path(shown)
            ));
        }
        if !noted {
            let secs = wait.as_secs();
            messages.note(
                &path,
                format!("locked by another writer, waiting (up to {secs} s)"),
            );
            noted = true;
        }
        std::thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(200));
    }
}

/// A new, empty temporary file beside `target`, created exclusively (O_EXCL: a planted file or
/// symbolic link of the same name is never opened) with a random name, and removed if the run
/// is interrupted before it is renamed.
fn new_temp(target: &Path) -> io::Result<tempfile::NamedTempFile> {
    let mut prefix = OsString::from(".");
    prefix.push(target.file_name().unwrap_or(target.as_os_str()));
    prefix.push(".");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMP_SUFFIX).rand_bytes(8);
    #[cfg(unix)]
    {
        // As a plain create would: 0666 less the umask (tempfile's own default is 0600).
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    watch_signals();
    let mut pending = pending();
    let temp = builder.tempfile_in(parent_dir(target))?;
    *pending = Some(temp.path().to_path_buf());
    Ok(temp)
}

/// Writes and flushes the temporary file, with the target's permissions if it exists.
fn fill_temp(
    temp: &tempfile::NamedTempFile,
    target: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let file = temp.as_file();
    if let Ok(meta) = fs::metadata(target) {
        file.set_permissions(meta.permissions())?;
    }
    let mut out = BufWriter::with_capacity(1 << 16, file);
    fill(&mut out)?;
    let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.sync_all()?;
    Ok(())
}

/// Removes the temporary files of `target` that writers killed outright left behind. Called
/// under the lock, so no other casrep is writing one of them now.
fn remove_stale_temps(target: &Path, messages: &Messages) {
    let Some(name) = target.file_name() else {
        return;
    };
    let mut prefix = b".".to_vec();
    prefix.extend_from_slice(name.as_encoded_bytes());
    prefix.push(b'.');
    let Ok(entries) = fs::read_dir(parent_dir(target)) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let bytes = file_name.as_encoded_bytes();
        let is_temp = bytes.starts_with(&prefix) && bytes.ends_with(TEMP_SUFFIX.as_bytes());
        // Files and links only: a link is removed, never what it points to.
        let plain = entry.file_type().is_ok_and(|t| !t.is_dir());
        if is_temp && plain && fs::remove_file(entry.path()).is_ok() {
            messages.note(
                entry.path(),
                "removed: the temporary file of a writer that was killed",
            );
        }
    }
}

/// The temporary file not yet renamed, which an interrupt must remove. Its lock is held while
/// the file is created and while it is renamed, so an interrupt never removes a file that has
/// just become the target, nor misses one being made.
static PENDING: Mutex<Option<PathBuf>> = Mutex::new(None);

fn pending() -> MutexGuard<'static, Option<PathBuf>> {
    PENDING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn forget_temp() {
    *pending() = None;
}

/// On SIGINT, SIGTERM or SIGHUP: removes the pending temporary file, then dies of the signal as
/// if it had not been caught (so a shell or cron sees the usual status). The signal is handled
/// in a thread of its own (signal-hook), not in the signal handler, where removing a file is
/// not safe. Started with the first temporary file: a run writing only to stdout keeps the
/// default handling.
fn watch_signals() {
    crate::interrupt::on_interrupt(remove_pending);
}

/// Removes the pending temporary file, if any (the lock is held while the file is made and
/// renamed, so a file that has just become the target is never removed).
fn remove_pending() {
    let pending = pending();
    if let Some(path) = pending.as_ref() {
        let _ = fs::remove_file(path);
    }
}

fn slow_write_hook() {
    if let Some(ms) = std::env::var(SLOW_WRITE_ENV)
        .ok()
        .and_then(|v| v.parse().ok())
    {
        std::thread::sleep(Duration::from_millis(ms));
    }
}

/// Flushes a folder's entries (the rename) to disk.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        // Folders cannot be opened as files elsewhere; the rename is as durable as the system
        // makes it.
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

/// `dir/FILE<suffix>`.
fn sidecar(target: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::new();
    name.push(target.file_name().unwrap_or(target.as_os_str()));
    name.push(suffix);
    parent_dir(target).join(name)
}

fn cannot_write(target: &Path, err: &io::Error) -> anyhow::Error {
    anyhow!("{}: cannot write: {}", display_path(target), describe(err))
}

/// An I/O error as the rest of a message (see [`describe_io`]).
pub fn describe(err: &io::Error) -> String {
    describe_io(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WAIT: Option<Duration> = Some(Duration::from_secs(60));

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn write_replaces_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.json");
        fs::write(&target, "old").unwrap();
        let messages = Messages::capturing();
        let out = Output::prepare(&target, WAIT, &messages).unwrap();
        out.write(b"new").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(names_in(dir.path()), ["t.json", "t.json.lock"]);
    }

    #[test]
    fn without_a_lock_no_lock_file_is_made() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("chart.svg");
        let out = Output::prepare(&target, None, &Messages::capturing()).unwrap();
        out.write(b"<svg/>").unwrap();
        assert_eq!(names_in(dir.path()), ["chart.svg"]);
    }

    #[test]
    fn a_failed_fill_leaves_the_old_file_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.json");
        fs::write(&target, "old").unwrap();
        let out = Output::prepare(&target, None, &Messages::capturing()).unwrap();
        let err = out
            .write_with(|w| {
                w.write_all(b"half")?;
                Err(anyhow!("the work failed"))
            })
            .unwrap_err();
        assert!(format!("{err:#}").contains("the work failed"), "{err:#}");
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(names_in(dir.path()), ["t.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn write_keeps_the_permissions_of_the_file_it_replaces() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.json");
        fs::write(&target, "old").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
        let out = Output::prepare(&target, WAIT, &Messages::capturing()).unwrap();
        out.write(b"new").unwrap();
        let mode = fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_the_usual_permissions_not_the_temporary_files() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.json");
        let plain = dir.path().join("plain");
        fs::write(&plain, "x").unwrap();
        let out = Output::prepare(&target, None, &Messages::capturing()).unwrap();
        out.write(b"new").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&target), mode(&plain));
    }

    #[test]
    fn a_missing_folder_cannot_be_written() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("no/such/t.json");
        let err = Output::prepare(&target, WAIT, &Messages::capturing()).unwrap_err();
        let msg = format!("{err:#}");
        assert!(
            msg.contains("t.json: cannot write: folder ")
                && msg.ends_with("no/such: no such file or directory"),
            "{msg}"
        );
    }

    #[test]
    fn folders_are_refused_by_name_and_by_kind() {
        let dir = tempfile::tempdir().unwrap();
        for target in [dir.path().to_path_buf(), dir.path().join(".."), ".".into()] {
            let err = Output::prepare(&target, WAIT, &Messages::capturing()).unwrap_err();
            assert!(format!("{err}").contains("is a folder"), "{err}");
        }
        assert!(names_in(dir.path()).is_empty());
    }

    #[test]
    fn a_second_lock_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.json");
        let messages = Messages::capturing();
        let first = Output::prepare(&target, WAIT, &messages).unwrap();
        let released = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            let waiter = s.spawn(|| {
                let second = Output::prepare(&target, WAIT, &messages).unwrap();
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
        assert!(messages.lines()[0]
            .ends_with("t.json.lock: locked by another writer, waiting (up to 60 s)"));
    }

    #[test]
    fn a_lock_held_too_long_gives_up_naming_the_lock_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.json");
        let messages = Messages::capturing();
        let _first = Output::prepare(&target, WAIT, &messages).unwrap();
        let wait = Some(Duration::from_millis(300));
        let err = Output::prepare(&target, wait, &messages).unwrap_err();
        let msg = format!("{err}");
        assert!(
            msg.contains("t.json.lock: still locked by another writer after 0 s, giving up"),
            "{msg}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn stale_temporary_files_are_removed_under_the_lock_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.json");
        let stale = dir.path().join(".t.json.AbCdEf12.casrep-tmp");
        fs::write(&stale, "half a timeline").unwrap();
        let other = dir.path().join(".u.json.AbCdEf12.casrep-tmp");
        fs::write(&other, "another file's").unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "keep me").unwrap();
        std::os::unix::fs::symlink(&victim, dir.path().join(".t.json.x.casrep-tmp")).unwrap();
        let messages = Messages::capturing();
        let _out = Output::prepare(&target, WAIT, &messages).unwrap();
        assert_eq!(
            names_in(dir.path()),
            [".u.json.AbCdEf12.casrep-tmp", "t.json.lock", "victim"]
        );
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");
        assert_eq!(messages.lines().len(), 2, "{:?}", messages.lines());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_on_another_file_system_than_the_folder_given_is_a_mount_point() {
        // /proc is a file system of its own wherever Linux mounts it.
        let (Ok(version), Ok(proc_dir)) = (fs::metadata("/proc/version"), fs::metadata("/proc"))
        else {
            return;
        };
        let file = Path::new("/proc/version");
        assert!(!is_mount_point(file, &version, Path::new("/proc")));
        if fs::metadata("/").is_ok_and(|root| {
            use std::os::unix::fs::MetadataExt;
            root.dev() != proc_dir.dev()
        }) {
            assert!(is_mount_point(file, &version, Path::new("/")));
        }
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
            sidecar(Path::new("t.json"), ".lock"),
            Path::new("./t.json.lock")
        );
    }
}
