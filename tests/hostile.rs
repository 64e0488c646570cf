//! Attacks on `--output` and its lock, as a careless user or a hostile neighbour would make
//! them: symbolic links, planted temporary files, concurrent and killed writers, a lock held
//! forever, targets that are no file, and a stdout that takes nothing.

#![cfg(unix)]

mod util;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use util::{casrep, casrep_path};

const ARTICLE: &str =
    "Published: 2023-02-22\n\nRussia has lost 145,060 troops, the General Staff said.\n";
const LATER: &str =
    "Published: 2023-02-23\n\nRussia has lost 145,850 troops, the General Staff said.\n";

/// Every entry of `dir`, sorted, hidden ones too.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

fn temps_in(dir: &Path) -> Vec<String> {
    names_in(dir)
        .into_iter()
        .filter(|n| n.ends_with(".casrep-tmp"))
        .collect()
}

fn article(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn output_through_a_symlink_replaces_the_file_it_points_to() {
    let dir = tempfile::tempdir().unwrap();
    let (store, data) = (dir.path().join("store"), dir.path().join("data"));
    fs::create_dir_all(&store).unwrap();
    fs::create_dir_all(&data).unwrap();
    let a = article(dir.path(), "a.txt", ARTICLE);
    let b = article(dir.path(), "b.txt", LATER);
    let real = store.join("T.json");
    casrep()
        .args(["timeline", "-o"])
        .arg(&real)
        .arg(&a)
        .assert()
        .success();
    std::os::unix::fs::symlink("../store/T.json", data.join("T.json")).unwrap();
    let link = data.join("T.json");
    casrep()
        .args(["timeline", "--merge"])
        .arg(&link)
        .arg("-o")
        .arg(&link)
        .arg(&b)
        .assert()
        .success();
    // The link is still a link, to a file that holds both days, locked where the real file is.
    assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(names_in(&data), ["T.json"]);
    assert_eq!(names_in(&store), ["T.json", "T.json.lock"]);
    let text = fs::read_to_string(&real).unwrap();
    assert!(text.contains("145060") && text.contains("145850"), "{text}");
}

#[test]
fn a_planted_temporary_file_or_link_is_never_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let a = article(dir.path(), "a.txt", ARTICLE);
    let victim = article(dir.path(), "victim", "precious\n");
    // The fixed name older versions wrote to, and one in the new pattern.
    for planted in [".T.json.casrep-tmp", ".T.json.AAAAAAAA.casrep-tmp"] {
        std::os::unix::fs::symlink(&victim, dir.path().join(planted)).unwrap();
    }
    let out = dir.path().join("T.json");
    casrep()
        .args(["timeline", "-o"])
        .arg(&out)
        .arg(&a)
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(fs::read_to_string(&out).unwrap().contains("145060"));
    // The planted links were in the pattern of this file's temporary files: removed (the links,
    // not what they point to).
    assert_eq!(temps_in(dir.path()), Vec::<String>::new());
}

#[test]
fn writers_that_merge_the_existing_file_each_keep_the_others_days() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("T.json");
    let first = article(dir.path(), "d0.txt", ARTICLE);
    casrep()
        .args(["timeline", "-o"])
        .arg(&out)
        .arg(&first)
        .assert()
        .success();
    let children: Vec<_> = (1..=5u32)
        .map(|day| {
            let text = format!(
                "Published: 2023-03-{day:02}\n\nRussia has lost {} troops, the General Staff said.\n",
                150_000 + day * 700
            );
            let input = article(dir.path(), &format!("d{day}.txt"), &text);
            Command::new(casrep_path())
                .args(["timeline", "--quiet", "--merge"])
                .arg(&out)
                .arg("-o")
                .arg(&out)
                .arg(&input)
                .env("CASREP_TEST_SLOW_WRITE", "100")
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let text = fs::read_to_string(&out).unwrap();
    for day in 0..=5u32 {
        let value = if day == 0 {
            145_060
        } else {
            150_000 + day * 700
        };
        assert!(text.contains(&value.to_string()), "day {day} lost: {text}");
    }
}

/// Starts a writer that sleeps before its rename, and waits until its temporary file is whole.
fn slow_writer(out: &Path, input: &Path) -> std::process::Child {
    let mut child = Command::new(casrep_path())
        .args(["timeline", "-o"])
        .arg(out)
        .arg(input)
        .env("CASREP_TEST_SLOW_WRITE", "60000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let dir = out.parent().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let whole = temps_in(dir)
            .iter()
            .any(|t| fs::read(dir.join(t)).is_ok_and(|b| b.ends_with(b"}\n")));
        if whole {
            return child;
        }
        assert!(Instant::now() < deadline, "no temporary file");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the writer ended early"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn kill(child: &std::process::Child, signal: i32) {
    // SAFETY: kill(2) on a child of ours that has not been waited for.
    assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0);
}

#[test]
fn an_interrupted_writer_removes_its_temporary_file_and_dies_of_the_signal() {
    use std::os::unix::process::ExitStatusExt;
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        let dir = tempfile::tempdir().unwrap();
        let out = article(dir.path(), "T.json", "previous\n");
        let input = article(dir.path(), "a.txt", ARTICLE);
        let child = slow_writer(&out, &input);
        kill(&child, signal);
        let status = child.wait_with_output().unwrap().status;
        assert_eq!(status.signal(), Some(signal), "{status:?}");
        assert_eq!(fs::read_to_string(&out).unwrap(), "previous\n");
        assert_eq!(
            temps_in(dir.path()),
            Vec::<String>::new(),
            "signal {signal}"
        );
    }
}

#[test]
fn a_killed_writers_temporary_file_is_never_read_and_the_next_writer_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    fs::create_dir(&articles).unwrap();
    let input = article(&articles, "a.txt", ARTICLE);
    // The output beside the articles: a walk of the folder must not read the leftover.
    let out = articles.join("T.json");
    fs::write(&out, "previous\n").unwrap();
    let mut child = slow_writer(&out, &input);
    child.kill().unwrap(); // SIGKILL: nothing can clean up
    child.wait().unwrap();
    assert_eq!(fs::read_to_string(&out).unwrap(), "previous\n");
    let left = temps_in(&articles);
    assert_eq!(left.len(), 1, "{left:?}");
    fs::remove_file(&out).unwrap();
    // Not read: hidden, and skipped as such.
    let extracted = casrep().arg("extract").arg(&articles).output().unwrap();
    assert!(extracted.status.success());
    assert_eq!(
        String::from_utf8_lossy(&extracted.stdout).lines().count(),
        1
    );
    assert!(stderr_of(&extracted).contains(&format!("{}: hidden, skipped", left[0])));
    // The next writer of that file removes it, under the lock.
    let next = casrep()
        .args(["timeline", "-o"])
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    assert!(next.status.success());
    assert!(
        stderr_of(&next).contains("removed: the temporary file of a writer that was killed"),
        "{}",
        stderr_of(&next)
    );
    assert_eq!(temps_in(&articles), Vec::<String>::new());
}

#[test]
fn a_lock_held_too_long_makes_the_next_writer_give_up_naming_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("T.json");
    let input = article(dir.path(), "a.txt", ARTICLE);
    let holder = slow_writer(&out, &input);
    let started = Instant::now();
    let second = casrep()
        .args(["timeline", "--wait", "1", "-o"])
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    let waited = started.elapsed();
    kill(&holder, libc::SIGTERM);
    let _ = holder.wait_with_output();
    assert_eq!(second.status.code(), Some(2));
    let stderr = stderr_of(&second);
    assert!(
        stderr.contains("T.json.lock: still locked by another writer after 1 s, giving up"),
        "{stderr}"
    );
    assert!(waited < Duration::from_secs(30), "{waited:?}");
    assert!(!out.exists());
}

#[test]
fn targets_that_are_no_file_are_refused_before_the_work_leaving_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = article(dir.path(), "a.txt", ARTICLE);
    let sub = dir.path().join("sub");
    fs::create_dir(&sub).unwrap();
    for (target, problem) in [
        (sub.clone(), "is a folder"),
        (PathBuf::from("."), "is a folder"),
        (sub.join(".."), "is a folder"),
        (PathBuf::from("/"), "is a folder"),
        (PathBuf::from("/dev/null"), "not a regular file"),
        (sub.join("missing/T.json"), "no such file or directory"),
    ] {
        let out = casrep()
            .current_dir(&sub)
            .args(["timeline", "-o"])
            .arg(&target)
            .arg(&input)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{target:?}");
        let stderr = stderr_of(&out);
        assert!(
            stderr.contains(&format!("{}: cannot write: ", target.display()))
                && stderr.contains(problem),
            "{target:?}: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
    // No lock file anywhere: not beside the folder, not in it, not in /.
    assert_eq!(names_in(dir.path()), ["a.txt", "sub"]);
    assert!(names_in(&sub).is_empty());
    assert!(!Path::new("/.lock").exists());
}

#[test]
fn a_file_mounted_over_another_is_refused_before_the_work() {
    // Containers often bind-mount these; where none is a mount point there is nothing to test.
    let mounted = ["/etc/hosts", "/etc/resolv.conf", "/etc/hostname"]
        .into_iter()
        .map(Path::new)
        .find(|p| {
            use std::os::unix::fs::MetadataExt;
            let (Ok(file), Ok(dir)) = (fs::metadata(p), fs::metadata(p.parent().unwrap())) else {
                return false;
            };
            file.is_file() && file.dev() != dir.dev()
        });
    let Some(mounted) = mounted else { return };
    let before = fs::read(mounted).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let input = article(dir.path(), "a.txt", ARTICLE);
    let out = casrep()
        .args(["timeline", "-o"])
        .arg(mounted)
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("is a mount point"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(fs::read(mounted).unwrap(), before);
}

#[test]
fn a_file_bind_mounted_from_the_same_file_system_is_refused_before_the_work() {
    // Same device, another mount: only the mount's id tells. In a mount namespace of its own,
    // so nothing outlives the test; root only, so skipped where that cannot be had.
    let dir = tempfile::tempdir().unwrap();
    let input = article(dir.path(), "a.txt", ARTICLE);
    let (source, target) = (dir.path().join("source.json"), dir.path().join("T.json"));
    fs::write(&source, "kept\n").unwrap();
    fs::write(&target, "under the mount\n").unwrap();
    let script = r#"
        mount --bind "$SOURCE" "$TARGET" 2>/dev/null || { echo cannot-mount; exit 0; }
        "$CASREP" timeline -o "$TARGET" "$INPUT"
        echo "status $?"
        ls -a "$DIR"
    "#;
    let env = [
        ("SOURCE", source.as_path()),
        ("TARGET", target.as_path()),
        ("INPUT", input.as_path()),
        ("DIR", dir.path()),
    ];
    let Some(util::Mounted {
        output: out,
        stdout,
    }) = util::in_mount_namespace(script, &env, "bind-mount")
    else {
        return;
    };
    assert!(stdout.contains("status 2\n"), "{stdout}");
    assert!(
        stderr_of(&out).contains("T.json: cannot write: is a mount point"),
        "{}",
        stderr_of(&out)
    );
    // Refused before the work: no lock file, no temporary file; both files as they were.
    assert!(
        !stdout.contains("T.json.lock") && !stdout.contains("casrep-tmp"),
        "{stdout}"
    );
    assert_eq!(fs::read_to_string(&source).unwrap(), "kept\n");
    assert_eq!(fs::read_to_string(&target).unwrap(), "under the mount\n");
}

#[test]
fn plot_to_a_file_takes_no_lock() {
    let dir = tempfile::tempdir().unwrap();
    let input = article(dir.path(), "a.txt", ARTICLE);
    let later = article(dir.path(), "b.txt", LATER);
    let svg = dir.path().join("x.svg");
    casrep()
        .args(["plot", "-o"])
        .arg(&svg)
        .arg(&input)
        .arg(&later)
        .assert()
        .success();
    assert_eq!(names_in(dir.path()), ["a.txt", "b.txt", "x.svg"]);
}

/// Runs `casrep ARGS` through sh with stdout redirected as `redirect` says.
fn with_stdout(redirect: &str, args: &str) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "exec '{}' {args} {redirect}",
            casrep_path().display()
        ))
        .output()
        .unwrap()
}

#[test]
fn a_closed_stdout_is_an_error_not_a_silent_success() {
    let dir = tempfile::tempdir().unwrap();
    let input = article(dir.path(), "a.txt", ARTICLE);
    for args in [
        format!("extract '{}'", input.display()),
        "--help".to_owned(),
    ] {
        let out = with_stdout(">&-", &args);
        assert_eq!(out.status.code(), Some(2), "{args}");
        assert!(
            stderr_of(&out).contains("stdout: not open"),
            "{args}: {}",
            stderr_of(&out)
        );
    }
    // Redirected to /dev/null on purpose: fine.
    let out = with_stdout(">/dev/null", &format!("extract '{}'", input.display()));
    assert!(out.status.success(), "{}", stderr_of(&out));
    // With --output, stdout is not needed.
    let target = dir.path().join("T.json");
    let out = with_stdout(
        ">&-",
        &format!("timeline -o '{}' '{}'", target.display(), input.display()),
    );
    assert!(out.status.success(), "{}", stderr_of(&out));
}

#[test]
fn a_full_stdout_is_named_and_fails() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = article(dir.path(), "a.txt", ARTICLE);
    for args in [
        format!("extract '{}'", input.display()),
        "--help".to_owned(),
    ] {
        let out = with_stdout(">/dev/full", &args);
        assert_eq!(out.status.code(), Some(2), "{args}");
        assert!(
            stderr_of(&out).contains("casrep: stdout: cannot write: no space left on device"),
            "{args}: {}",
            stderr_of(&out)
        );
    }
}
