//! Memory per worker does not grow with the size of a file: a long file is read in windows
//! (see `src/windows.rs`). One test alone in its binary, so that the peak memory of the
//! children this process waited for is the peak of the one run measured.
//!
//! Release builds only (as CI runs the tests): a debug build reads 12 MB in minutes.

#![cfg(target_os = "linux")]

mod util;

use std::fs;

use util::casrep_path;

#[test]
#[cfg_attr(debug_assertions, ignore = "reads 12 MB: release builds only")]
fn a_long_file_takes_memory_for_its_text_and_a_few_windows_not_thirty_times_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.txt");
    let mut text = String::from("Published: 2023-02-22\n\n");
    let mut k = 0u64;
    while text.len() < 12 << 20 {
        text.push_str(&format!(
            "Russia has lost {} troops and {} tanks, the General Staff said. Fighting went on \
             along the whole front line overnight, officials in Kyiv said.\n\n",
            100_000 + k,
            1_000 + k % 5_000
        ));
        k += 1;
    }
    fs::write(&path, &text).unwrap();
    let status = std::process::Command::new(casrep_path())
        .args(["extract", "-j", "2"])
        .arg(&path)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    // SAFETY: getrusage fills in a plain struct.
    let peak_kb = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage), 0);
        usage.ru_maxrss as u64
    };
    // Whole, this file took about 32 times its size (400 MB); in windows, its text, two windows
    // at work and what the process needs anyway.
    let limit_kb = 200 << 10;
    assert!(
        peak_kb < limit_kb,
        "peak {peak_kb} KB for a {} KB file",
        text.len() >> 10
    );
}
