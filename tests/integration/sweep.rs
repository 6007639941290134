//! Integration tests: `negsim sweep` and `negsim merge` — design order, Latin
//! hypercube strata, common random numbers, shards merging into the unsharded
//! file byte for byte, resuming an interrupted sweep, and bad input.
//!
//! The scenario is Fearon's crisis bargaining with private costs (written
//! here so the tests do not move with the shipped scenarios): with
//! `simulation.noise` above 0 some runs end in conflict, so rows differ from
//! run to run.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;

const SCENARIO: &str = r#"
name = "Crisis bargaining"

[simulation]
start = 2024-01-01
end = 2024-06-30
seed = 1995
noise = 0.05

[issues.good]
status_quo = 0.9

[parties.a]
positions = { good = 1.0 }
capability = 1.0
cost_of_conflict = { uniform = [0.05, 0.15] }
tactic = "risk_return"

[parties.b]
positions = { good = 0.0 }
capability = 1.0
cost_of_conflict = { uniform = [0.05, 0.15] }
walkout = 1.0

[conflicts.war]
between = ["a", "b"]
initiators = ["b"]

[meetings.crisis]
date = 2024-01-08
participants = ["a", "b"]
agenda = ["good"]
protocol = "alternating"
first = "a"
rounds = 1
"#;

struct Setup {
    dir: tempfile::TempDir,
    scenario: PathBuf,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("crisis.toml");
    std::fs::write(&scenario, SCENARIO).unwrap();
    Setup { dir, scenario }
}

impl Setup {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `negsim sweep SCENARIO ARGS...`, which must succeed.
    fn sweep(&self, args: &[&str]) -> String {
        let out = self.sweep_cmd(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "sweep {args:?} failed: {stderr}");
        String::from_utf8(out.stdout).unwrap()
    }

    fn sweep_cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("negsim").unwrap();
        c.arg("sweep").arg(&self.scenario).args(args);
        c.env_remove("SLURM_ARRAY_TASK_ID")
            .env_remove("JOB_COMPLETION_INDEX");
        c
    }

    /// Every file in the directory but the scenario.
    fn outputs(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "crisis.toml")
            .collect();
        v.sort();
        v
    }
}

fn p(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn meta(csv: &Path) -> serde_json::Value {
    let mut s = csv.as_os_str().to_owned();
    s.push(".meta.json");
    serde_json::from_str(&read(Path::new(&s))).unwrap()
}

/// Rows as fields, header first.
fn rows(csv: &str) -> Vec<Vec<String>> {
    csv.lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn grid_rows_come_by_point_then_run_first_key_slowest() {
    let s = setup();
    let out = s.path("grid.csv");
    let stdout = s.sweep(&[
        "--vary",
        "parties.a.capability=[1, 2]",
        "--vary",
        "parties.b.capability=0.5..1.5:3",
        "--runs",
        "2",
        "--out",
        p(&out),
    ]);
    let r = rows(&read(&out));
    assert_eq!(
        r[0][..6],
        [
            "point",
            "parties.a.capability",
            "parties.b.capability",
            "run",
            "seed",
            "outcome"
        ]
    );
    let lead: Vec<[&str; 4]> = r[1..]
        .iter()
        .map(|f| [f[0].as_str(), &f[1], &f[2], &f[3]])
        .collect();
    let mut expected = Vec::new();
    let a = ["1.0", "2.0"];
    let b = ["0.5", "1.0", "1.5"];
    for (point, (x, y)) in a
        .iter()
        .flat_map(|x| b.iter().map(move |y| (x, y)))
        .enumerate()
    {
        for run in ["0", "1"] {
            expected.push([point.to_string(), x.to_string(), y.to_string(), run.into()]);
        }
    }
    let expected: Vec<[&str; 4]> = expected
        .iter()
        .map(|e| [e[0].as_str(), &e[1], &e[2], &e[3]])
        .collect();
    assert_eq!(lead, expected);
    // The terminal table has a row per point.
    assert!(stdout.contains("parties.a.capability"), "{stdout}");
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.trim_start().starts_with("5  2"))
            .count(),
        1,
        "{stdout}"
    );
    let m = meta(&out);
    assert_eq!(m["design"]["kind"], "grid");
    assert_eq!(m["design"]["points"], 6);
    assert_eq!(m["shard"], "whole");
    assert_eq!(m["rows"], 12);
    assert_eq!(m["runs_per_point"], 2);
    assert_eq!(m["seed"], 1995);
    assert_eq!(m["negsim_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["scenario_sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn lhs_puts_exactly_one_point_in_each_stratum_of_each_key() {
    let s = setup();
    let out = s.path("lhs.csv");
    let m = 12;
    s.sweep(&[
        "--design",
        "lhs",
        "--points",
        "12",
        "--vary",
        "parties.a.capability=0.5..2",
        "--vary",
        "simulation.noise=0..0.2",
        "--runs",
        "1",
        "--seed",
        "7",
        "--out",
        p(&out),
    ]);
    let r = rows(&read(&out));
    assert_eq!(r.len(), 1 + m);
    for (col, lo, hi) in [(1, 0.5, 2.0), (2, 0.0, 0.2)] {
        let mut strata: Vec<usize> = r[1..]
            .iter()
            .map(|f| {
                let v: f64 = f[col].parse().unwrap();
                assert!((lo..hi).contains(&v), "{v} outside {lo}..{hi}");
                ((v - lo) / (hi - lo) * m as f64).floor() as usize
            })
            .collect();
        strata.sort_unstable();
        assert_eq!(strata, (0..m).collect::<Vec<_>>(), "column {}", r[0][col]);
    }
}

#[test]
fn replication_r_draws_the_same_numbers_at_every_point() {
    // A random event that can never happen (its window opens on the last
    // day, and its first occurrence comes an exponential wait after that)
    // draws that wait from the exogenous stream at rate 2, and draws nothing
    // at rate 0. The outcomes come from other streams: the parameters, the
    // estimation errors (the settled value) and the resolve shocks (which
    // runs end in conflict). Were any of those shared with the
    // exogenous stream, the extra draw would shift them; with common random
    // numbers every row after the point columns is the same at both points,
    // although rows differ from run to run.
    let s = setup();
    let text = std::fs::read_to_string(&s.scenario).unwrap()
        + "\n[events.never]\nrate = 0\nfrom = 2024-06-30\n\
           effects = [{ path = \"parties.a.walkout\", add = 0 }]\n";
    std::fs::write(&s.scenario, text).unwrap();
    let out = s.path("crn.csv");
    s.sweep(&[
        "--vary",
        "events.never.rate=[0, 2]",
        "--runs",
        "60",
        "--out",
        p(&out),
    ]);
    let r = rows(&read(&out));
    let (first, second) = r[1..].split_at(60);
    for (x, y) in first.iter().zip(second) {
        assert_eq!((x[0].as_str(), y[0].as_str()), ("0", "1"));
        assert_eq!(x[2..], y[2..]);
    }
    let outcomes: BTreeSet<&str> = first.iter().map(|f| f[4].as_str()).collect();
    assert!(
        outcomes.len() > 1,
        "the scenario should be random: {outcomes:?}"
    );
    let values: BTreeSet<&str> = first.iter().map(|f| f[8].as_str()).collect();
    assert!(
        values.len() > 10,
        "settled values should vary from run to run"
    );
}

#[test]
fn three_shards_merge_into_the_unsharded_files_byte_for_byte() {
    let s = setup();
    let vary = [
        "--vary",
        "simulation.noise=0..0.1:7",
        "--runs",
        "5",
        "--seed",
        "42",
    ];
    let whole = s.path("whole.csv");
    let whole_sum = s.path("whole-summary.csv");
    let mut args = vary.to_vec();
    args.extend([
        "--threads",
        "1",
        "--out",
        p(&whole),
        "--summary",
        p(&whole_sum),
    ]);
    s.sweep(&args);
    let mut shards = Vec::new();
    for i in 0..3 {
        let f = s.path(&format!("shard-{i}.csv"));
        let shard = format!("{i}/3");
        let mut args = vary.to_vec();
        args.extend(["--threads", "2", "--shard", &shard, "--out", p(&f)]);
        s.sweep(&args);
        let m = meta(&f);
        assert_eq!(m["shard"], shard);
        shards.push(f);
    }
    // 7 points over 3 shards: 0..3, 3..5, 5..7.
    assert_eq!(meta(&shards[1])["point_range"], serde_json::json!([3, 5]));
    assert_eq!(rows(&read(&shards[1])).len(), 1 + 2 * 5);
    let merged = s.path("merged.csv");
    let merged_sum = s.path("merged-summary.csv");
    Command::cargo_bin("negsim")
        .unwrap()
        .args(["merge", p(&shards[2]), p(&shards[0]), p(&shards[1])])
        .args(["--out", p(&merged), "--summary", p(&merged_sum)])
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&merged).unwrap(),
        std::fs::read(&whole).unwrap()
    );
    assert_eq!(
        std::fs::read(&merged_sum).unwrap(),
        std::fs::read(&whole_sum).unwrap()
    );
    let (mut a, mut b) = (meta(&whole), meta(&merged));
    assert_eq!(
        b["merged_from"],
        serde_json::json!(shards.iter().map(|f| p(f)).collect::<Vec<_>>())
    );
    for m in [&mut a, &mut b] {
        let o = m.as_object_mut().unwrap();
        o.remove("command");
        o.remove("merged_from");
    }
    assert_eq!(a, b);
}

#[test]
fn merge_refuses_missing_duplicate_and_foreign_shards() {
    let s = setup();
    let shard = |i: usize, n: usize, seed: &str| {
        let f = s.path(&format!("s{seed}-{i}of{n}.csv"));
        let sh = format!("{i}/{n}");
        s.sweep(&[
            "--vary",
            "simulation.noise=0..0.1:4",
            "--runs",
            "2",
            "--seed",
            seed,
            "--shard",
            &sh,
            "--out",
            p(&f),
        ]);
        f
    };
    let (a0, a1, a2) = (shard(0, 3, "1"), shard(1, 3, "1"), shard(2, 3, "1"));
    let b1 = shard(1, 3, "2");
    let c1 = shard(1, 2, "1");
    let merged = s.path("merged.csv");
    let merge_err = |files: &[&PathBuf]| {
        let out = Command::cargo_bin("negsim")
            .unwrap()
            .arg("merge")
            .args(files.iter().map(|f| p(f)))
            .args(["--out", p(&merged)])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(!merged.exists(), "no output on a refused merge");
        String::from_utf8(out.stderr).unwrap()
    };
    let e = merge_err(&[&a0, &a2]);
    assert!(e.contains("missing shard 1/3 (points 2..3)"), "{e}");
    let e = merge_err(&[&a0, &a1, &a1, &a2]);
    assert!(e.contains("shard 1/3 appears twice"), "{e}");
    let e = merge_err(&[&a0, &b1, &a2]);
    assert!(
        e.contains("not shards of the same sweep") && e.contains("seed: 1 vs 2"),
        "{e}"
    );
    let e = merge_err(&[&a0, &c1, &a2]);
    assert!(e.contains("shard count: 3 vs 2"), "{e}");
    // A damaged shard: one row missing.
    let text = read(&a1);
    let mut lines: Vec<&str> = text.lines().collect();
    lines.remove(1);
    std::fs::write(&a1, lines.join("\n") + "\n").unwrap();
    let e = merge_err(&[&a0, &a1, &a2]);
    assert!(e.contains(":2: expected point 2 run 0, found run 1"), "{e}");
    // No sidecar.
    std::fs::remove_file(s.path("s1-0of3.csv.meta.json")).unwrap();
    let e = merge_err(&[&a0]);
    assert!(e.contains("no sidecar"), "{e}");
}

#[test]
fn resume_after_a_kill_ends_with_the_uninterrupted_file() {
    const POINTS: usize = 1500;
    let s = setup();
    let runs = 2;
    let args = |out: &Path| -> Vec<String> {
        [
            "--vary",
            "simulation.noise=0.01..0.1:1500",
            "--runs",
            "2",
            "--out",
            p(out),
            "--summary",
        ]
        .iter()
        .map(|a| a.to_string())
        .chain([format!("{}.summary", p(out))])
        .collect()
    };
    let whole = s.path("whole.csv");
    let mut a = args(&whole);
    a.extend(["--threads".into(), "2".into()]);
    s.sweep(&a.iter().map(String::as_str).collect::<Vec<_>>());

    // Kill (SIGKILL) a sweep once its checkpoint holds 10 points. Its table
    // (1500 lines, 140 kB) goes to a pipe that is never read, so the sweep blocks
    // long before its last point whatever the machine's speed.
    let out = s.path("resumed.csv");
    let partial = s.path("resumed.csv.partial");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("negsim"))
        .arg("sweep")
        .arg(&s.scenario)
        .args(args(&out))
        .args(["--threads", "1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let want = 1 + 10 * runs;
    loop {
        let lines = std::fs::read(&partial)
            .map(|b| b.iter().filter(|&&c| c == b'\n').count())
            .unwrap_or(0);
        if lines >= want {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the sweep wrote no checkpoint"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(!out.exists(), "the sweep cannot have finished");
    // SIGKILL leaves the summary's temporary file; the resumed sweep removes it.
    assert!(
        s.outputs().iter().any(|n| n.ends_with(".tmp")),
        "{:?}",
        s.outputs()
    );
    let kept = read(&partial).lines().count();
    assert!(kept < 1 + POINTS * runs, "{kept} lines kept");

    let mut a = args(&out);
    a.push("--resume".into());
    let stdout = s.sweep(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(stdout.contains("resuming from"), "{stdout}");
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&whole).unwrap());
    assert_eq!(
        std::fs::read(s.path("resumed.csv.summary")).unwrap(),
        std::fs::read(s.path("whole.csv.summary")).unwrap()
    );
    assert!(!partial.exists());
    assert!(!s.path("resumed.csv.partial.meta.json").exists());
    assert!(
        !s.outputs().iter().any(|n| n.ends_with(".tmp")),
        "{:?}",
        s.outputs()
    );
    assert_eq!(meta(&out)["rows"], POINTS * runs);
}

/// The sums file of a checkpoint: `POINT SHA256` per complete point of
/// `runs` rows.
fn point_sums(csv: &[u8], runs: usize) -> String {
    let text = std::str::from_utf8(csv).unwrap();
    let rows: Vec<&str> = text.split_inclusive('\n').skip(1).collect();
    let mut out = String::new();
    for (k, chunk) in rows.chunks(runs).enumerate() {
        if chunk.len() == runs && chunk.iter().all(|r| r.ends_with('\n')) {
            let hash = negsim::sweep::provenance::sha256_hex(chunk.concat().as_bytes());
            out.push_str(&format!("{k} {hash}\n"));
        }
    }
    out
}

#[test]
fn resume_cuts_a_torn_checkpoint_after_its_last_complete_point() {
    let s = setup();
    let args = ["--vary", "simulation.noise=0..0.1:6", "--runs", "4"];
    let whole = s.path("whole.csv");
    let mut a = args.to_vec();
    a.extend(["--out", p(&whole)]);
    s.sweep(&a);
    let bytes = std::fs::read(&whole).unwrap();
    // A checkpoint cut in the middle of a row of point 3.
    let cut = bytes
        .iter()
        .enumerate()
        .filter(|(_, &c)| c == b'\n')
        .nth(1 + 3 * 4 + 1)
        .unwrap()
        .0
        + 5;
    let out = s.path("out.csv");
    std::fs::write(s.path("out.csv.partial"), &bytes[..cut]).unwrap();
    std::fs::copy(
        s.path("whole.csv.meta.json"),
        s.path("out.csv.partial.meta.json"),
    )
    .unwrap();
    // The hashes of the complete points, as the sweep records them: point,
    // space, SHA-256 of the point's rows.
    std::fs::write(s.path("out.csv.partial.sums"), point_sums(&bytes[..cut], 4)).unwrap();
    let mut a = args.to_vec();
    a.extend(["--out", p(&out), "--resume"]);
    let stdout = s.sweep(&a);
    assert!(stdout.contains("+3 kept from"), "{stdout}");
    assert_eq!(std::fs::read(&out).unwrap(), bytes);

    // Resuming a finished file keeps it as it is.
    let modified = |f: &Path| std::fs::metadata(f).unwrap().modified().unwrap();
    let before = (modified(&out), modified(&s.path("out.csv.meta.json")));
    std::thread::sleep(Duration::from_millis(20));
    let stdout = s.sweep(&a);
    assert_eq!(
        (modified(&out), modified(&s.path("out.csv.meta.json"))),
        before
    );
    assert!(stdout.contains("points: 0 (+6 kept from"), "{stdout}");
    assert_eq!(std::fs::read(&out).unwrap(), bytes);
    assert_eq!(
        s.outputs(),
        [
            "out.csv",
            "out.csv.meta.json",
            "out.csv.schema.json",
            "whole.csv",
            "whole.csv.meta.json",
            "whole.csv.schema.json"
        ]
    );
}

#[test]
fn resume_refuses_another_sweeps_checkpoint() {
    let s = setup();
    let out = s.path("out.csv");
    s.sweep(&[
        "--vary",
        "simulation.noise=[0, 0.1]",
        "--runs",
        "2",
        "--out",
        p(&out),
    ]);
    std::fs::rename(&out, s.path("out.csv.partial")).unwrap();
    std::fs::rename(
        s.path("out.csv.meta.json"),
        s.path("out.csv.partial.meta.json"),
    )
    .unwrap();
    let before = s.outputs();
    let o = s
        .sweep_cmd(&[
            "--vary",
            "simulation.noise=[0, 0.1]",
            "--runs",
            "3",
            "--out",
            p(&out),
            "--resume",
        ])
        .output()
        .unwrap();
    let e = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.contains("out.csv.partial is from a different sweep")
            && e.contains("runs_per_point: 3 vs 2"),
        "{e}"
    );
    assert_eq!(s.outputs(), before);
    // Without --resume the old checkpoint is simply replaced.
    s.sweep(&[
        "--vary",
        "simulation.noise=[0, 0.1]",
        "--runs",
        "3",
        "--out",
        p(&out),
    ]);
    assert_eq!(
        s.outputs(),
        ["out.csv", "out.csv.meta.json", "out.csv.schema.json"]
    );
}

#[test]
fn the_sweep_can_be_written_in_the_scenario_or_a_sweep_file() {
    let s = setup();
    let with_table =
        format!("{SCENARIO}\n[sweep]\nvary = [\"simulation.noise=[0, 0.05]\"]\nruns = 3\n");
    std::fs::write(&s.scenario, with_table).unwrap();
    let out = s.path("a.csv");
    s.sweep(&["--out", p(&out)]);
    assert_eq!(rows(&read(&out)).len(), 1 + 2 * 3);
    let sweep_file = s.path("sweep.toml");
    std::fs::write(
        &sweep_file,
        "vary = [\"simulation.noise=0..0.1\"]\ndesign = \"random\"\npoints = 4\n",
    )
    .unwrap();
    s.sweep(&["--sweep-file", p(&sweep_file), "--out", p(&out)]);
    let m = meta(&out);
    assert_eq!(
        (m["design"]["kind"].as_str(), m["design"]["points"].as_u64()),
        (Some("random"), Some(4))
    );
    assert_eq!(m["runs_per_point"], 3);
    s.sweep(&[
        "--sweep-file",
        p(&sweep_file),
        "--runs",
        "1",
        "--design",
        "lhs",
        "--out",
        p(&out),
    ]);
    assert_eq!(meta(&out)["design"]["kind"], "lhs");
    assert_eq!(rows(&read(&out)).len(), 1 + 4);
}

#[test]
fn bad_input_exits_2_with_a_clear_message_and_no_output() {
    let cases: [(&[&str], &str); 7] = [
        (
            &["--vary", "parties.a.capabilty=[1, 2]"],
            "--vary parties.a.capabilty, design point 0",
        ),
        (
            &["--vary", "parties.a.capabilty=[1, 2]"],
            "did you mean `capability`",
        ),
        (
            &["--vary", "simulation.noise=0.9..0.2:3"],
            "lower bound 0.9 is above upper bound 0.2; write 0.2..0.9:3",
        ),
        (
            &[
                "--vary",
                "simulation.noise=0..1",
                "--design",
                "lhs",
                "--points",
                "0",
            ],
            "--points 0 gives an empty lhs design",
        ),
        (
            &["--vary", "simulation.noise=[0]", "--shard", "3/3"],
            "shard index 3 is out of range for 3 shards",
        ),
        (
            // A bad value met only when its point is built, mid-sweep.
            &["--vary", "simulation.noise=[0, -1, 0.1]", "--runs", "2"],
            "(--vary simulation.noise, design point 1: simulation.noise=-1): \
             simulation.noise: must be finite and >= 0; got -1",
        ),
        (
            &["--vary", "simulation.noise=[0]", "--shard", "auto"],
            "--shard auto found neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX",
        ),
    ];
    for (args, msg) in cases {
        let s = setup();
        let out = s.path("out.csv");
        let o = s
            .sweep_cmd(args)
            .args(["--out", p(&out), "--summary", p(&s.path("sum.csv"))])
            .output()
            .unwrap();
        let e = String::from_utf8(o.stderr).unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {e}");
        assert!(e.contains(msg), "{args:?}: expected `{msg}` in {e}");
        if !msg.contains("design point 1") {
            assert!(o.stdout.is_empty(), "{args:?}: nothing runs");
        }
        assert_eq!(s.outputs(), Vec::<String>::new(), "{args:?}");
    }
}

/// Splits a command line with single-quoted words, as written in the README.
fn shell_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '\'' => quoted = !quoted,
            ' ' if !quoted => {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

#[cfg(unix)]
#[test]
fn readme_sweep_example_is_a_real_sweep() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = read(&root.join("README.md"));
    let section = readme
        .split("\n## Sweeps\n")
        .nth(1)
        .expect("README has a Sweeps section");
    let block = section
        .split("```text\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a text block");
    let mut lines = block.lines();
    let command = lines
        .next()
        .and_then(|l| l.strip_prefix("$ negsim "))
        .expect("the block starts with the command");
    let expected: Vec<&str> = lines.collect();
    let dir = tempfile::tempdir().unwrap();
    // Run from a scratch directory that sees the repository's scenarios.
    std::os::unix::fs::symlink(root.join("scenarios"), dir.path().join("scenarios")).unwrap();
    let out = Command::cargo_bin("negsim")
        .unwrap()
        .args(shell_words(command))
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let actual: Vec<&str> = stdout
        .lines()
        .filter(|l| !l.starts_with("points:"))
        .collect();
    assert_eq!(
        actual.join("\n").trim_end(),
        expected.join("\n").trim_end(),
        "README's sweep example differs from a real run"
    );
    assert!(dir.path().join("runs.csv.meta.json").exists());
}
