//! Integration tests: hardening (issue 11) — closed pipes and full devices,
//! inputs never replaced by outputs, limits raised on purpose, threads
//! clamped, and text that cannot reach a terminal or a spreadsheet as
//! commands. Signals and the checkpoint are in `signals.rs`.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use std::process::{Command as Std, Stdio};

use assert_cmd::Command;

use super::support::{
    bin, fearon, finish, founding_path as founding, lines, names, p, temp_files, Guard,
};

// ------------------------------------------------------------------ pipes

/// Reads `n` bytes of the child's output, then closes the pipe while the
/// child still has far more to write.
fn close_after(args: &[&str], n: usize) -> (Option<i32>, String) {
    let child = Std::new(bin())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut g = Guard(child);
    let mut head = vec![0u8; n];
    g.0.stdout.take().unwrap().read_exact(&mut head).unwrap();
    // The read end is dropped here.
    finish(g)
}

#[test]
fn a_closed_pipe_ends_quietly_with_141() {
    // 20,000 rows (about 800 kB) cannot fit in a pipe.
    let f = fearon();
    let (code, err) = close_after(&["run", p(&f), "--runs", "20000", "--out", "-"], 10);
    assert_eq!(code, Some(141), "{err}");
    assert_eq!(err, "", "a closed pipe is not an error to report");
    let (code, err) = close_after(&["run", p(&f), "--runs", "20000", "--events", "-"], 10);
    assert_eq!(code, Some(141), "{err}");
    // The sweep's table: 1500 lines, 140 kB.
    let (code, err) = close_after(
        &[
            "sweep",
            p(&f),
            "--vary",
            "simulation.noise=0..0.1:1500",
            "--runs",
            "1",
        ],
        10,
    );
    assert_eq!(code, Some(141), "{err}");
}

/// Standard output on `/dev/full` (opened for writing, never replaced).
fn to_full(args: &[&str], dir: &Path) -> (Option<i32>, String) {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = Std::new(bin())
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::from(full))
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn a_full_device_is_exit_1_with_a_message_and_nothing_is_lost_silently() {
    let dir = tempfile::tempdir().unwrap();
    let f = founding();
    let expect = "error: cannot write to standard output: No space left on device";
    for args in [
        vec!["validate", p(&f)],
        vec!["trace", p(&f)],
        vec!["run", p(&f), "--runs", "100", "--out", "x.csv"],
        vec!["run", p(&f), "--runs", "100", "--out", "-"],
        vec![
            "sweep",
            p(&f),
            "--vary",
            "parties.russia.patience=[0.9, 0.95]",
            "--runs",
            "5",
        ],
    ] {
        let (code, err) = to_full(&args, dir.path());
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(err.starts_with(expect), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // The runs file was complete before the summary could not be shown.
    assert_eq!(lines(&dir.path().join("x.csv")), 101);
    assert!(temp_files(dir.path()).is_empty());
    let null = std::fs::metadata("/dev/full").unwrap();
    assert!(!null.is_file(), "/dev/full must stay a device");
}

// ------------------------------------------------------------ inputs, limits

#[test]
fn an_output_naming_the_scenario_leaves_it_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    std::fs::copy(fearon(), &s).unwrap();
    let original = std::fs::read(&s).unwrap();
    for args in [
        vec!["run", "s.toml", "--runs", "5", "--out", "s.toml"],
        vec!["run", "s.toml", "--runs", "5", "--events", "./s.toml"],
        vec![
            "sweep",
            "s.toml",
            "--vary",
            "simulation.noise=[0, 0.1]",
            "--out",
            "s.toml",
        ],
        vec![
            "sweep",
            "s.toml",
            "--vary",
            "simulation.noise=[0, 0.1]",
            "--summary",
            "s.toml",
        ],
        vec!["merge", "s.toml", "--out", "s.toml"],
    ] {
        let out = Command::cargo_bin("negsim")
            .unwrap()
            .current_dir(dir.path())
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(std::fs::read(&s).unwrap(), original, "{args:?}");
        assert_eq!(names(dir.path()), BTreeSet::from(["s.toml".to_string()]));
    }
}

#[test]
fn a_limit_can_be_raised_on_purpose() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    let text = std::fs::read_to_string(fearon()).unwrap();
    assert!(text.contains("runs = 10000\n"));
    let text = text.replacen("runs = 10000\n", "runs = 2000000000\n", 1);
    std::fs::write(&s, text).unwrap();
    let refused = Command::cargo_bin("negsim")
        .unwrap()
        .args(["validate", p(&s)])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--limit runs=N"));
    Command::cargo_bin("negsim")
        .unwrap()
        .args(["validate", p(&s), "--limit", "runs=3000000000"])
        .assert()
        .success();
    // And a run within the raised limit runs (a few of its runs), and so
    // does a sweep, whose every point is checked within the same limits.
    Command::cargo_bin("negsim")
        .unwrap()
        .args(["run", p(&s), "--runs", "5", "--limit", "runs=3000000000"])
        .assert()
        .success();
    Command::cargo_bin("negsim")
        .unwrap()
        .args([
            "sweep",
            p(&s),
            "--vary",
            "simulation.noise=[0, 0.1]",
            "--runs",
            "3",
        ])
        .args(["--limit", "runs=3000000000"])
        .assert()
        .success();
}

#[test]
fn morris_candidates_are_bounded_before_their_distances_are_allocated() {
    // 100,000 candidates would need 80 GB of pairwise distances.
    let out = Command::cargo_bin("negsim")
        .unwrap()
        .arg("sweep")
        .arg(fearon())
        .args(["--design", "morris", "--vary", "simulation.noise=0..0.1"])
        .args(["--candidates", "100000", "--runs", "1"])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--candidates 100000: 100000 x 100000 distances")
            && err.contains("--limit design_values=N"),
        "{err}"
    );
}

#[test]
fn more_threads_than_runs_are_clamped_with_a_note() {
    let out = Command::cargo_bin("negsim")
        .unwrap()
        .args([
            "run",
            p(&fearon()),
            "--runs",
            "3",
            "--threads",
            "100000",
            "--out",
            "-",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("note: --threads 100000 clamped to 3"),
        "{err}"
    );
    assert!(err.contains("threads: 3"), "{err}");
    assert_eq!(out.stdout.iter().filter(|&&b| b == b'\n').count(), 4);
}

// ------------------------------------------------------------------- text

const HOSTILE: &str = r#"
name = "Talks\u001b]0;pwned\u0007\u001b[2J\nerror: all is well"

[simulation]
start = 2024-01-01
end = 2024-03-31

[issues.x]
low = "\u001b[31mred"
high = "bell\u0007"

[parties.a]
positions = { x = 1.0 }
patience = 0.9

[parties.b]
positions = { x = 0.0 }
patience = 0.9

[meetings.m]
date = 2024-01-10
participants = ["a", "b"]
agenda = ["x"]
"#;

#[test]
fn free_text_reaches_the_terminal_with_its_controls_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    std::fs::write(&s, HOSTILE).unwrap();
    for args in [
        vec!["run", p(&s), "--runs", "3"],
        vec!["trace", p(&s), "--chart", "x"],
        vec!["trace", p(&s), "--brief"],
        vec!["play", p(&s), "--as", "b", "--batch", "3"],
        vec![
            "sweep",
            p(&s),
            "--vary",
            "parties.b.patience=[0.8, 0.9]",
            "--runs",
            "2",
        ],
    ] {
        let out = Command::cargo_bin("negsim")
            .unwrap()
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{args:?}: {text:?}"
        );
        assert!(text.contains("Talks\\u{1b}]0;pwned\\u{7}"), "{text}");
        assert!(
            !text.lines().any(|l| l.starts_with("error:")),
            "no faked line: {text}"
        );
    }
}

#[test]
fn an_id_that_would_read_as_a_flag_or_a_formula_is_refused_at_load() {
    // `-a` would be a flag to `--as` and a formula to a spreadsheet (the
    // CSV guard would have to write it `'-a`): refused, exit 2, with where.
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    let text = HOSTILE
        .replace("[parties.a]", "[parties.-a]")
        .replace(r#"["a", "b"]"#, r#"["-a", "b"]"#);
    std::fs::write(&s, text).unwrap();
    for args in [
        vec!["validate", p(&s)],
        vec!["run", p(&s), "--runs", "1", "--events", "-"],
    ] {
        let out = Command::cargo_bin("negsim")
            .unwrap()
            .args(&args)
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("s.toml:12:10: parties.-a: the id `-a` begins with `-`")
                && err.contains("rename it, e.g. `a`"),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
}
