//! Integration tests: signals (issue 11) — SIGINT, SIGTERM, SIGHUP and
//! SIGKILL during `run`, `sweep`, `merge` and `report` — and a checkpoint
//! (and a finished file, and a shard) that proves itself.
//!
//! No test here depends on timing: a long command is signalled once a file
//! shows it has started (its temporary file, its checkpoint), and a command
//! is kept from finishing before that by giving it far more work than can be
//! done (50 million runs), by not reading its standard output, so that it
//! blocks on a full pipe before its end, or by feeding it through a FIFO.
//! Waits poll for a state and fail only after a minute.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command as Std, Stdio};

use assert_cmd::Command;

use super::support::{
    bin, fearon, finish, founding_path as founding, lines, names, p, signal, temp_files, wait_for,
    Guard,
};

// ---------------------------------------------------------------- signals

/// A run that cannot finish (50 million runs) writing `OUT.csv` in `dir`,
/// signalled once its temporary file exists.
fn signalled_run(dir: &Path, sig: &str) -> (Option<i32>, String) {
    let child = Std::new(bin())
        .current_dir(dir)
        .args([
            "run",
            p(&founding()),
            "--runs",
            "50000000",
            "--out",
            "OUT.csv",
        ])
        .args(["--summary", "SUM.csv"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let g = Guard(child);
    wait_for("the run's temporary files", || temp_files(dir).len() == 2);
    signal(&g.0, sig);
    finish(g)
}

#[test]
fn sigterm_sighup_and_sigint_clean_up_and_exit_128_plus_the_signal() {
    for (sig, code) in [("TERM", 143), ("HUP", 129), ("INT", 130)] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("OUT.csv"), "old\n").unwrap();
        let (got, err) = signalled_run(dir.path(), sig);
        assert_eq!(got, Some(code), "SIG{sig}: {err}");
        assert!(err.contains("interrupted"), "{err}");
        assert_eq!(
            names(dir.path()),
            BTreeSet::from(["OUT.csv".to_string()]),
            "SIG{sig}: temporary files removed, nothing new"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("OUT.csv")).unwrap(),
            "old\n",
            "the existing target is untouched"
        );
    }
}

#[test]
fn a_signalled_report_removes_its_temporary_file_and_keeps_the_old_page() {
    for (sig, code) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("r.html"), "old page\n").unwrap();
        // 50 million runs cannot finish: the page is still being built when
        // its temporary file exists.
        let child = Std::new(bin())
            .current_dir(d)
            .args(["report", p(&founding()), "--runs", "50000000"])
            .args(["--html", "r.html"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let g = Guard(child);
        wait_for("the report's temporary file", || temp_files(d).len() == 1);
        signal(&g.0, sig);
        let (got, err) = finish(g);
        assert_eq!(got, Some(code), "SIG{sig}: {err}");
        assert!(err.contains("interrupted"), "{err}");
        assert_eq!(
            names(d),
            BTreeSet::from(["r.html".to_string()]),
            "SIG{sig}: temporary file removed, nothing new"
        );
        assert_eq!(
            std::fs::read_to_string(d.join("r.html")).unwrap(),
            "old page\n",
            "SIG{sig}: the existing page is untouched"
        );
    }
}

#[test]
fn a_report_signalled_while_it_reads_its_runs_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    Command::cargo_bin("negsim")
        .unwrap()
        .current_dir(d)
        .args(["run", p(&fearon()), "--runs", "300", "--out", "runs.csv"])
        .assert()
        .success();
    let rows = std::fs::read(d.join("runs.csv")).unwrap();
    // The runs come through a FIFO, so the report cannot have finished
    // reading them before the test closes it.
    let made = Std::new("mkfifo").arg(d.join("fifo")).status().unwrap();
    assert!(made.success());
    std::fs::write(d.join("r.html"), "old page\n").unwrap();
    let before = names(d);
    let child = Std::new(bin())
        .current_dir(d)
        .arg("report")
        .arg(fearon())
        .args(["--from", "fifo", "--html", "r.html"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let g = Guard(child);
    wait_for("the report's temporary file", || temp_files(d).len() == 1);
    // Blocks until the report opens the FIFO to read it.
    let mut fifo = std::fs::OpenOptions::new()
        .write(true)
        .open(d.join("fifo"))
        .unwrap();
    std::io::Write::write_all(&mut fifo, &rows[..rows.len() / 2]).unwrap();
    signal(&g.0, "TERM");
    std::io::Write::write_all(&mut fifo, &rows[rows.len() / 2..]).unwrap();
    drop(fifo);
    let (code, err) = finish(g);
    assert_eq!(code, Some(143), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    assert_eq!(names(d), before, "temporary file removed, nothing new");
    assert_eq!(
        std::fs::read_to_string(d.join("r.html")).unwrap(),
        "old page\n"
    );
}

#[test]
fn a_sighup_ignored_at_start_stays_ignored_as_under_nohup() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // `trap '' HUP` ignores SIGHUP, as nohup does; exec keeps it ignored.
    let cmd = format!(
        "trap '' HUP; exec '{}' run '{}' --runs 50000000 --out OUT.csv",
        bin().display(),
        founding().display()
    );
    let child = Std::new("sh")
        .args(["-c", &cmd])
        .current_dir(d)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let g = Guard(child);
    let size = || {
        temp_files(d)
            .first()
            .and_then(|n| std::fs::metadata(d.join(n)).ok())
            .map_or(0, |m| m.len())
    };
    wait_for("the run's first rows", || size() > 0);
    signal(&g.0, "HUP");
    let at_hup = size();
    // Still running: its temporary file keeps growing.
    wait_for("more rows after SIGHUP", || size() > at_hup);
    signal(&g.0, "TERM");
    let (code, err) = finish(g);
    assert_eq!(code, Some(143), "{err}");
    assert!(temp_files(d).is_empty());
}

#[test]
fn temporary_files_left_by_sigkill_are_removed_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let child = Std::new(bin())
        .current_dir(dir.path())
        .args([
            "run",
            p(&founding()),
            "--runs",
            "50000000",
            "--out",
            "OUT.csv",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let g = Guard(child);
    wait_for("the run's temporary file", || {
        temp_files(dir.path()).len() == 1
    });
    signal(&g.0, "KILL");
    let (code, _) = finish(g);
    assert_eq!(code, None, "killed by the signal");
    assert_eq!(temp_files(dir.path()).len(), 1, "SIGKILL leaves its file");
    Command::cargo_bin("negsim")
        .unwrap()
        .current_dir(dir.path())
        .args(["run", p(&fearon()), "--runs", "5", "--out", "OUT.csv"])
        .assert()
        .success();
    assert_eq!(
        names(dir.path()),
        BTreeSet::from(["OUT.csv", "OUT.csv.meta.json", "OUT.csv.schema.json"].map(String::from))
    );
}

const SWEEP: [&str; 6] = [
    "--vary",
    "simulation.noise=0..0.1:1500",
    "--runs",
    "1",
    "--seed",
    "5",
];

/// A sweep whose table nobody reads: it blocks on the full pipe long before
/// its 1500th point (its table, 140 kB, cannot fit in a pipe). Signalled with `sig` once its checkpoint holds 100
/// points; then its output is drained so that it can see the signal.
fn stalled_sweep(dir: &Path, sig: &str) -> (Option<i32>, String) {
    let child = Std::new(bin())
        .current_dir(dir)
        .arg("sweep")
        .arg(fearon())
        .args(SWEEP)
        .args(["--out", "out.csv", "--summary", "sum.csv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let g = Guard(child);
    let partial = dir.join("out.csv.partial");
    wait_for("100 points in the checkpoint", || lines(&partial) > 100);
    signal(&g.0, sig);
    finish(g)
}

fn whole_sweep(dir: &Path) -> Vec<u8> {
    Command::cargo_bin("negsim")
        .unwrap()
        .current_dir(dir)
        .arg("sweep")
        .arg(fearon())
        .args(SWEEP)
        .args(["--out", "whole.csv"])
        .assert()
        .success();
    std::fs::read(dir.join("whole.csv")).unwrap()
}

#[test]
fn sigterm_during_a_sweep_keeps_its_checkpoint_for_resume() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("sum.csv"), "old summary\n").unwrap();
    let (code, err) = stalled_sweep(d, "TERM");
    assert_eq!(code, Some(143), "{err}");
    assert!(err.contains("kept in out.csv.partial"), "{err}");
    assert!(temp_files(d).is_empty(), "{:?}", names(d));
    assert_eq!(
        std::fs::read_to_string(d.join("sum.csv")).unwrap(),
        "old summary\n"
    );
    assert!(!d.join("out.csv").exists());
    let kept = lines(&d.join("out.csv.partial"));
    assert!(kept > 100 && kept < 1501, "{kept} lines");
    assert!(lines(&d.join("out.csv.partial.sums")) >= 100);

    let out = Command::cargo_bin("negsim")
        .unwrap()
        .current_dir(d)
        .arg("sweep")
        .arg(fearon())
        .args(SWEEP)
        .args(["--out", "out.csv", "--summary", "sum.csv", "--resume"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("resuming from out.csv.partial"));
    assert_eq!(std::fs::read(d.join("out.csv")).unwrap(), whole_sweep(d));
    assert_eq!(
        rows_sha256(&d.join("out.csv.meta.json")),
        rows_sha256(&d.join("whole.csv.meta.json")),
        "the resumed file's sidecar records the uninterrupted sweep's hash"
    );
    for gone in [
        "out.csv.partial",
        "out.csv.partial.sums",
        "out.csv.partial.meta.json",
    ] {
        assert!(!d.join(gone).exists(), "{gone}");
    }
}

#[test]
fn resume_refuses_an_altered_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, err) = stalled_sweep(d, "INT");
    assert_eq!(code, Some(130), "{err}");
    // Change one outcome of a kept point (row 50 is point 49).
    let partial = d.join("out.csv.partial");
    let altered = alter_outcome(&partial, 50);
    let before = names(d);
    let out = Command::cargo_bin("negsim")
        .unwrap()
        .current_dir(d)
        .arg("sweep")
        .arg(fearon())
        .args(SWEEP)
        .args(["--out", "out.csv", "--resume"])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("out.csv.partial was changed after it was written")
            && err.contains("design point 49"),
        "{err}"
    );
    assert_eq!(names(d), before);
    assert_eq!(std::fs::read_to_string(&partial).unwrap(), altered);
}

/// Swaps the outcome of data row `row` (1-based, after the header) of `path`
/// between agreement and conflict; returns the altered text.
fn alter_outcome(path: &Path, row: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let mut rows: Vec<String> = text.lines().map(String::from).collect();
    let (from, to) = if rows[row].contains(",agreement,") {
        (",agreement,", ",conflict,")
    } else {
        (",conflict,", ",agreement,")
    };
    assert!(rows[row].contains(from), "{}", rows[row]);
    rows[row] = rows[row].replacen(from, to, 1);
    let altered = rows.join("\n") + "\n";
    std::fs::write(path, &altered).unwrap();
    altered
}

fn rows_sha256(meta: &Path) -> String {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(meta).unwrap()).unwrap();
    v["rows_sha256"].as_str().expect("rows_sha256").to_string()
}

#[test]
fn resume_refuses_a_finished_file_changed_since_it_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sweep = |extra: &[&str]| {
        Command::cargo_bin("negsim")
            .unwrap()
            .current_dir(d)
            .arg("sweep")
            .arg(fearon())
            .args(["--vary", "simulation.noise=0..0.1:20", "--runs", "5"])
            .args(["--out", "out.csv"])
            .args(extra)
            .output()
            .unwrap()
    };
    assert!(sweep(&[]).status.success());
    // The sidecar records the hash of the rows as written, which an
    // untouched file still has: --resume keeps it and runs nothing.
    let recorded = rows_sha256(&d.join("out.csv.meta.json"));
    let original = std::fs::read(d.join("out.csv")).unwrap();
    let kept = sweep(&["--resume"]);
    assert!(kept.status.success());
    assert!(String::from_utf8_lossy(&kept.stdout).contains("points: 0 (+20 kept"));
    let altered = alter_outcome(&d.join("out.csv"), 50);
    let before = names(d);
    let out = sweep(&["--resume"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("out.csv was changed after it was written")
            && err.contains("out.csv.meta.json"),
        "{err}"
    );
    assert_eq!(names(d), before);
    assert_eq!(std::fs::read_to_string(d.join("out.csv")).unwrap(), altered);
    assert_eq!(rows_sha256(&d.join("out.csv.meta.json")), recorded);
    // Restored, it is kept again.
    std::fs::write(d.join("out.csv"), &original).unwrap();
    assert!(sweep(&["--resume"]).status.success());
}

#[test]
fn merge_refuses_a_shard_changed_since_it_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let vary = ["--vary", "simulation.noise=0..0.1:20", "--runs", "5"];
    for i in 0..2 {
        Command::cargo_bin("negsim")
            .unwrap()
            .current_dir(d)
            .arg("sweep")
            .arg(fearon())
            .args(vary)
            .args(["--shard", &format!("{i}/2"), "--out", &format!("s{i}.csv")])
            .assert()
            .success();
    }
    Command::cargo_bin("negsim")
        .unwrap()
        .current_dir(d)
        .arg("sweep")
        .arg(fearon())
        .args(vary)
        .args(["--out", "whole.csv"])
        .assert()
        .success();
    let merge = |out: &str| {
        Command::cargo_bin("negsim")
            .unwrap()
            .current_dir(d)
            .args(["merge", "s0.csv", "s1.csv", "--out", out])
            .output()
            .unwrap()
    };
    assert!(merge("m.csv").status.success());
    // The merged file records the hash the unsharded sweep records.
    assert_eq!(
        rows_sha256(&d.join("m.csv.meta.json")),
        rows_sha256(&d.join("whole.csv.meta.json"))
    );
    alter_outcome(&d.join("s1.csv"), 5);
    let before = names(d);
    let out = merge("m2.csv");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("s1.csv was changed after it was written") && err.contains("s1.csv.meta.json"),
        "{err}"
    );
    assert_eq!(names(d), before, "nothing written");
}

#[test]
fn sigterm_during_a_merge_replaces_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for i in 0..2 {
        Command::cargo_bin("negsim")
            .unwrap()
            .current_dir(d)
            .arg("sweep")
            .arg(fearon())
            .args(["--vary", "simulation.noise=0..0.1:2000", "--runs", "10"])
            .args(["--shard", &format!("{i}/2"), "--out", &format!("s{i}.csv")])
            .assert()
            .success();
    }
    std::fs::write(d.join("sum.csv"), "old summary\n").unwrap();
    let before = names(d);
    // 20,000 merged rows on a pipe nobody reads: the merge blocks.
    let child = Std::new(bin())
        .current_dir(d)
        .args([
            "merge",
            "s0.csv",
            "s1.csv",
            "--out",
            "-",
            "--summary",
            "sum.csv",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let g = Guard(child);
    wait_for("the merge's temporary summary", || temp_files(d).len() == 1);
    signal(&g.0, "TERM");
    let (code, err) = finish(g);
    assert_eq!(code, Some(143), "{err}");
    assert_eq!(names(d), before);
    assert_eq!(
        std::fs::read_to_string(d.join("sum.csv")).unwrap(),
        "old summary\n"
    );
}
