//! Integration tests: the `negsim` command line — `validate`, `run` (summary,
//! CSV outputs, `--set`, defaults, exit codes, atomic outputs, interrupts) and
//! `trace` — run as a user would, through the built binary.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;

const OUTCOMES: [&str; 7] = [
    "agreement",
    "partial_agreement",
    "process",
    "stalemate",
    "breakdown",
    "sanctions",
    "conflict",
];

const FOUNDING_ISSUES: [&str; 6] = [
    "nato_enlargement",
    "offensive_weapons",
    "military_transparency",
    "risk_reduction",
    "arms_control",
    "ukraine_deescalation",
];

const FOUNDING_THREATS: [&str; 4] = [
    "us_sanctions",
    "eu_sanctions",
    "targeted_sanctions",
    "rupture",
];

/// Days from 2021-12-17 to 2022-03-31, the founding scenario's horizon.
const FOUNDING_HORIZON_DAYS: u64 = 104;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn founding() -> PathBuf {
    root().join("scenarios/jan-2022-security-talks.toml")
}

fn textbook(name: &str) -> PathBuf {
    root().join("scenarios/textbook").join(name)
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

fn negsim() -> Command {
    Command::cargo_bin("negsim").expect("the negsim binary is built")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// Runs `negsim ARGS`, asserts exit code 0, returns the output.
fn ok(args: &[&str]) -> Output {
    let out = negsim().args(args).output().expect("negsim runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "negsim {args:?} failed:\n{}",
        text(&out.stderr)
    );
    out
}

/// Runs `negsim ARGS`, asserts exit code `code`, returns stderr.
fn fails(code: i32, args: &[&str]) -> String {
    let out = negsim().args(args).output().expect("negsim runs");
    assert_eq!(
        out.status.code(),
        Some(code),
        "negsim {args:?}: stdout:\n{}\nstderr:\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stderr)
}

fn p(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// A parsed CSV: header and rows, every field as text.
struct Csv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn parse(data: &[u8]) -> Csv {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(data);
        let header = r
            .headers()
            .expect("a header row")
            .iter()
            .map(String::from)
            .collect();
        let rows = r
            .records()
            .map(|rec| {
                rec.expect("a well-formed record")
                    .iter()
                    .map(String::from)
                    .collect()
            })
            .collect();
        Csv { header, rows }
    }

    fn read(path: &Path) -> Csv {
        Csv::parse(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
    }

    fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column `{name}` in {:?}", self.header))
    }
}

/// The names in a directory.
fn dir_names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("readable directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

/// Asserts no atomic-write temporary (`.NAME.XXXXXX.tmp`) is left in `dir`.
fn assert_no_temp_files(dir: &Path) {
    let leftovers: Vec<String> = dir_names(dir)
        .into_iter()
        .filter(|n| n.starts_with('.') && n.ends_with(".tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary files left behind: {leftovers:?}"
    );
}

fn runs_header(issues: &[&str]) -> String {
    let mut h = String::from("run,seed,outcome,end_day,meetings");
    for i in issues {
        h.push_str(&format!(",agreed.{i},value.{i}"));
    }
    h.push_str(",threats");
    h
}

fn first_line(path: &Path) -> String {
    std::fs::read_to_string(path)
        .expect("readable output")
        .lines()
        .next()
        .expect("a header line")
        .to_string()
}

// ------------------------------------------------------------------ validate

#[test]
fn validate_prints_ok_for_each_good_file() {
    let files = [
        founding(),
        textbook("fearon.toml"),
        textbook("nash.toml"),
        textbook("rubinstein.toml"),
        fixture("minimal.toml"),
    ];
    let args: Vec<&str> = std::iter::once("validate")
        .chain(files.iter().map(|f| p(f)))
        .collect();
    let out = ok(&args);
    let expected: String = files
        .iter()
        .map(|f| format!("ok: {}\n", f.display()))
        .collect();
    assert_eq!(text(&out.stdout), expected);
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn validate_with_one_bad_file_still_reports_the_good_ones() {
    let good1 = founding();
    let bad = fixture("broken/unknown_party_key.toml");
    let good2 = fixture("minimal.toml");
    let out = negsim()
        .args(["validate", p(&good1), p(&bad), p(&good2)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stdout),
        format!("ok: {}\nok: {}\n", good1.display(), good2.display())
    );
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!("{}:14:1: parties.buyer.patiense", bad.display())),
        "{err}"
    );
    assert!(!err.contains(&good1.display().to_string()), "{err}");
}

/// Every error of a multi-file `validate` must start with the file it is
/// about; the messages must not be prefixed with an empty file name (`: `).
#[test]
fn validate_several_bad_files_reports_each_starting_with_its_file_name() {
    let bad1 = fixture("broken/unknown_party_key.toml");
    let good = fixture("minimal.toml");
    let bad2 = fixture("broken/nan.toml");
    let missing = fixture("broken/does-not-exist.toml");
    let out = negsim()
        .args(["validate", p(&bad1), p(&good), p(&bad2), p(&missing)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), format!("ok: {}\n", good.display()));
    let err = text(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 4, "one line per bad file and a count:\n{err}");
    assert_eq!(
        lines[0],
        format!(
            "error: {}:14:1: parties.buyer.patiense: unknown field `patiense`, expected one of `name`, `positions`, `salience`, `reservation`, `capability`, `cost_of_conflict`, `patience`, `tactic`, `utility`, `walkout`, `walkout_chance`, `temperature`, `noise`, `rivals`, `disagreement`, `package` (did you mean `patience`?)",
            bad1.display()
        )
    );
    assert_eq!(
        lines[1],
        format!(
            "{}:13:1: parties.buyer.patience: NaN is not a finite number",
            bad2.display()
        )
    );
    assert!(
        lines[2].starts_with(&format!("{}: ", missing.display())),
        "{}",
        lines[2]
    );
    assert_eq!(lines[3], "3 of 4 scenario files are invalid");
}

#[test]
fn validate_without_files_is_a_usage_error() {
    negsim()
        .arg("validate")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Usage"));
}

// ------------------------------------------------------------ human summary

/// The numbers of a line of the human summary table, with the brackets,
/// percent signs and slashes taken out.
fn numbers_of(line: &str) -> Vec<String> {
    line.replace(['[', ']', '%', ',', '(', ')', '/'], " ")
        .split_whitespace()
        .map(String::from)
        .collect()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn run_prints_a_human_summary_that_matches_the_summary_csv() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.csv");
    let out = ok(&[
        "run",
        p(&founding()),
        "--runs",
        "200",
        "--seed",
        "7",
        "--summary",
        p(&summary),
    ]);
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "scenario: January 2022 European security talks ({})",
            founding().display()
        )
    );
    assert!(
        lines[1].starts_with("runs: 200   seed: 7   threads: "),
        "{}",
        lines[1]
    );
    let head = lines
        .iter()
        .position(|l| l.starts_with("outcome "))
        .expect("a table header");
    for word in ["count", "share", "95% CI", "end day (mean, quartiles)"] {
        assert!(lines[head].contains(word), "{}", lines[head]);
    }
    let csv = Csv::read(&summary);
    for (k, name) in OUTCOMES.iter().enumerate() {
        let line = lines[head + 1 + k];
        let got = numbers_of(line);
        let row = &csv.rows[k];
        assert_eq!(&got[0], name, "{line}");
        assert_eq!(got[1], row[1], "count of {name}: {line}");
        for (g, c) in [(2, 2), (3, 3), (4, 4)] {
            let shown: f64 = got[g].parse().unwrap();
            let exact: f64 = row[c].parse().unwrap();
            assert!(
                close(shown, 100.0 * exact, 0.0051),
                "{name}: {shown} vs {exact}"
            );
        }
        if row[1] == "0" {
            assert_eq!(got[5], "-", "{line}");
        } else {
            let mean: f64 = got[5].parse().unwrap();
            assert!(close(mean, row[5].parse().unwrap(), 0.051), "{line}");
            assert_eq!(&got[6..9], &row[6..9], "quartiles of {name}: {line}");
        }
    }
    let all_line = lines
        .iter()
        .find(|l| l.starts_with("end day, all runs: mean "))
        .expect("an all-runs line");
    let all = &csv.rows[7];
    let got = numbers_of(all_line.trim_start_matches("end day, all runs: mean"));
    // "73.9 quartiles 65 77 84"
    assert!(
        close(got[0].parse().unwrap(), all[5].parse().unwrap(), 0.051),
        "{all_line}"
    );
    assert_eq!(&got[2..5], &all[6..9], "{all_line}");
    assert!(
        stdout.contains(&format!("wrote summary: {}", summary.display())),
        "{stdout}"
    );
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn run_out_dash_puts_the_csv_on_stdout_and_the_summary_on_stderr() {
    let out = ok(&[
        "run",
        p(&founding()),
        "--runs",
        "20",
        "--seed",
        "3",
        "--out",
        "-",
    ]);
    let csv = Csv::parse(&out.stdout);
    assert_eq!(csv.header.join(","), runs_header(&FOUNDING_ISSUES));
    assert_eq!(csv.rows.len(), 20);
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("scenario:"), "{stdout}");
    let err = text(&out.stderr);
    assert!(
        err.starts_with("scenario: January 2022 European security talks"),
        "{err}"
    );
    assert!(err.contains("runs: 20   seed: 3"), "{err}");
    assert!(err.contains("end day, all runs"), "{err}");
}

// ------------------------------------------------------------- CSV formats

#[test]
fn runs_csv_has_the_exact_header_and_well_formed_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("runs.csv");
    // A cheap war for Russia, so that threats are carried out in some runs.
    ok(&[
        "run",
        p(&founding()),
        "--runs",
        "200",
        "--seed",
        "1",
        "--set",
        "parties.russia.cost_of_conflict=0",
        "--out",
        p(&out),
    ]);
    assert_eq!(first_line(&out), runs_header(&FOUNDING_ISSUES));
    let csv = Csv::read(&out);
    assert_eq!(csv.header.len(), 5 + 2 * FOUNDING_ISSUES.len() + 1);
    assert_eq!(csv.rows.len(), 200);
    let mut executed = 0;
    for (i, row) in csv.rows.iter().enumerate() {
        assert_eq!(row.len(), csv.header.len(), "row {i}");
        assert_eq!(row[0], i.to_string(), "rows in run order");
        assert_eq!(row[1], "1", "seed column");
        assert!(OUTCOMES.contains(&row[2].as_str()), "outcome {}", row[2]);
        let end: u64 = row[3].parse().expect("integer end_day");
        assert!(end <= FOUNDING_HORIZON_DAYS, "end_day {end}");
        let _: u64 = row[4].parse().expect("integer meetings");
        for k in 0..FOUNDING_ISSUES.len() {
            let (agreed, value) = (&row[5 + 2 * k], &row[6 + 2 * k]);
            match agreed.as_str() {
                "true" => {
                    let v: f64 = value.parse().expect("a value where agreed");
                    assert!((0.0..=1.0).contains(&v), "value {v}");
                }
                "false" => assert_eq!(value, "", "value empty where not agreed"),
                other => panic!("agreed is `{other}`"),
            }
        }
        let threats = row.last().unwrap();
        if !threats.is_empty() {
            executed += 1;
            for t in threats.split(';') {
                assert!(
                    FOUNDING_THREATS.contains(&t),
                    "unknown threat `{t}` in {threats}"
                );
            }
        }
    }
    assert!(
        executed > 0,
        "no run executed a threat: the threats check is vacuous"
    );
}

#[test]
fn runs_csv_values_are_present_exactly_where_agreed() {
    // Fearon with private information: some runs agree, some fight.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("runs.csv");
    ok(&[
        "run",
        p(&textbook("fearon.toml")),
        "--runs",
        "200",
        "--set",
        "simulation.noise=0.05",
        "--out",
        p(&out),
    ]);
    assert_eq!(first_line(&out), runs_header(&["good"]));
    let csv = Csv::read(&out);
    let (mut agreements, mut conflicts) = (0, 0);
    for row in &csv.rows {
        match row[2].as_str() {
            "agreement" => {
                agreements += 1;
                assert_eq!(row[5], "true");
                let v: f64 = row[6].parse().expect("agreed value");
                assert!((0.0..=1.0).contains(&v));
            }
            "conflict" => {
                conflicts += 1;
                assert_eq!((row[5].as_str(), row[6].as_str()), ("false", ""));
            }
            other => panic!("unexpected outcome {other}"),
        }
    }
    assert!(
        agreements > 0 && conflicts > 0,
        "{agreements} / {conflicts}"
    );
}

#[test]
fn summary_csv_has_seven_outcomes_and_all_consistent_with_the_runs() {
    let dir = tempfile::tempdir().unwrap();
    let runs = dir.path().join("runs.csv");
    let summary = dir.path().join("summary.csv");
    ok(&[
        "run",
        p(&founding()),
        "--runs",
        "150",
        "--seed",
        "11",
        "--out",
        p(&runs),
        "--summary",
        p(&summary),
    ]);
    assert_eq!(
        first_line(&summary),
        "outcome,count,share,ci_low,ci_high,end_day_mean,end_day_p25,end_day_median,end_day_p75"
    );
    let s = Csv::read(&summary);
    let r = Csv::read(&runs);
    let names: Vec<&str> = s.rows.iter().map(|row| row[0].as_str()).collect();
    let mut expected = OUTCOMES.to_vec();
    expected.push("all");
    assert_eq!(names, expected);
    let mut total = 0;
    for (k, row) in s.rows.iter().enumerate() {
        let count: u64 = row[1].parse().unwrap();
        let share: f64 = row[2].parse().unwrap();
        let (lo, hi): (f64, f64) = (row[3].parse().unwrap(), row[4].parse().unwrap());
        assert!(close(share, count as f64 / 150.0, 1e-12), "{row:?}");
        assert!(0.0 <= lo && lo < hi && hi <= 1.0, "{row:?}");
        let days: Vec<u64> = r
            .rows
            .iter()
            .filter(|x| k == 7 || x[2] == row[0])
            .map(|x| x[3].parse().unwrap())
            .collect();
        assert_eq!(days.len() as u64, count, "count of {}", row[0]);
        if k < 7 {
            total += count;
        }
        if count == 0 {
            assert_eq!(&row[5..], ["", "", "", ""], "{row:?}");
        } else {
            let mean = days.iter().sum::<u64>() as f64 / days.len() as f64;
            assert!(close(row[5].parse().unwrap(), mean, 1e-9), "{row:?}");
            let mut sorted = days.clone();
            sorted.sort_unstable();
            // The smallest day whose cumulative share reaches q.
            let q = |q: f64| sorted[((q * sorted.len() as f64).ceil() as usize).max(1) - 1];
            assert_eq!(
                [&row[6], &row[7], &row[8]],
                [
                    &q(0.25).to_string(),
                    &q(0.5).to_string(),
                    &q(0.75).to_string()
                ],
                "{row:?}"
            );
        }
    }
    assert_eq!(total, 150);
    assert_eq!(s.rows[7][1], "150");
}

/// A 95% interval must contain the share it is about: exactly 0 at the low
/// end when no run had the outcome, exactly 1 at the high end when every run
/// had it (Wilson's interval is [0, ..] for k = 0 and [.., 1] for k = n).
#[test]
fn summary_ci_contains_the_share_when_the_count_is_zero_or_all() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.csv");
    let mut checked = (0, 0);
    for (scenario, runs) in [(founding(), "150"), (textbook("rubinstein.toml"), "60")] {
        ok(&[
            "run",
            p(&scenario),
            "--runs",
            runs,
            "--summary",
            p(&summary),
        ]);
        for row in Csv::read(&summary).rows {
            let share: f64 = row[2].parse().unwrap();
            if row[1] == "0" {
                checked.0 += 1;
                assert_eq!(row[3], "0", "ci_low with a zero count: {row:?}");
            }
            if share == 1.0 {
                checked.1 += 1;
                assert_eq!(row[4], "1", "ci_high when every run has it: {row:?}");
            }
            let (lo, hi): (f64, f64) = (row[3].parse().unwrap(), row[4].parse().unwrap());
            assert!(lo <= share && share <= hi, "{row:?}");
        }
    }
    assert!(checked.0 > 0 && checked.1 > 0, "{checked:?}");
}

#[test]
fn events_csv_has_the_exact_header_and_ends_every_run_with_its_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let runs = dir.path().join("runs.csv");
    let events = dir.path().join("events.csv");
    ok(&[
        "run",
        p(&founding()),
        "--runs",
        "40",
        "--out",
        p(&runs),
        "--events",
        p(&events),
    ]);
    let mut header = String::from("run,seq,day,kind,meeting,round,party,subject,value");
    for i in FOUNDING_ISSUES {
        header.push_str(&format!(",offer.{i}"));
    }
    assert_eq!(first_line(&events), header);
    let kinds = [
        "meeting_start",
        "seat",
        "offer",
        "accept",
        "reject",
        "agreement",
        "partial_agreement",
        "process",
        "deadlock",
        "walkout",
        "threat_triggered",
        "threat_executed",
        "threat_declined",
        "decision",
        "escalation",
        "exogenous",
        "end",
    ];
    let e = Csv::read(&events);
    let r = Csv::read(&runs);
    let mut next_run = 0u64;
    let mut next_seq = 0u64;
    let mut last: Option<&Vec<String>> = None;
    let check_end = |run: u64, row: Option<&Vec<String>>| {
        let row = row.expect("at least one event per run");
        assert_eq!(row[3], "end", "run {run} must end with `end`");
        assert_eq!(
            row[8], r.rows[run as usize][2],
            "run {run}: end value is the outcome"
        );
    };
    for row in &e.rows {
        assert_eq!(row.len(), e.header.len());
        assert!(kinds.contains(&row[3].as_str()), "kind {}", row[3]);
        let run: u64 = row[0].parse().unwrap();
        let seq: u64 = row[1].parse().unwrap();
        let _: f64 = row[2].parse().expect("numeric day");
        if run != next_run {
            check_end(next_run, last);
            assert_eq!(run, next_run + 1, "runs in order, none skipped");
            next_run = run;
            next_seq = 0;
        }
        assert_eq!(seq, next_seq, "seq counts from 0 within a run");
        next_seq += 1;
        last = Some(row);
    }
    check_end(next_run, last);
    assert_eq!(next_run, 39);
}

/// The events CSV is a log in time order: within a run the `day` column
/// must never go backwards, including on the final `end` row.
#[test]
fn events_csv_day_never_decreases_within_a_run() {
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events.csv");
    ok(&[
        "run",
        p(&founding()),
        "--runs",
        "60",
        "--events",
        p(&events),
    ]);
    let e = Csv::read(&events);
    let mut prev: Option<(String, f64, String)> = None;
    for row in &e.rows {
        let day: f64 = row[2].parse().unwrap();
        if let Some((run, pday, pkind)) = &prev {
            if *run == row[0] {
                assert!(
                    day >= *pday,
                    "run {run}: `{}` at day {day} comes after `{pkind}` at day {pday}",
                    row[3]
                );
            }
        }
        prev = Some((row[0].clone(), day, row[3].clone()));
    }
}

// ----------------------------------------------------------------- --set

fn shares(csv: &Csv) -> Vec<f64> {
    let c = csv.col("value.share");
    csv.rows
        .iter()
        .map(|r| r[c].parse().expect("agreed share"))
        .collect()
}

#[test]
fn set_overrides_a_scalar_by_path() {
    // Rubinstein: the first proposer takes (1 - d_b) / (1 - d_a d_b).
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.csv");
    let set = dir.path().join("set.csv");
    let r = textbook("rubinstein.toml");
    ok(&["run", p(&r), "--runs", "20", "--out", p(&base)]);
    let out = ok(&[
        "run",
        p(&r),
        "--runs",
        "20",
        "--set",
        "parties.a.patience=0.9",
        "--set",
        "parties.b.patience=0.8",
        "--out",
        p(&set),
    ]);
    for s in shares(&Csv::read(&base)) {
        assert!(close(s, 0.1 / (1.0 - 0.81), 1e-9), "{s}");
    }
    for s in shares(&Csv::read(&set)) {
        assert!(close(s, 0.2 / (1.0 - 0.72), 1e-9), "{s}");
    }
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("override: parties.a.patience=0.9\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("override: parties.b.patience=0.8\n"),
        "{stdout}"
    );
}

#[test]
fn set_accepts_an_inline_distribution() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("runs.csv");
    ok(&[
        "run",
        p(&textbook("rubinstein.toml")),
        "--runs",
        "50",
        "--set",
        "parties.b.patience={ uniform = [0.5, 0.6] }",
        "--out",
        p(&out),
    ]);
    let s = shares(&Csv::read(&out));
    // d_a = 0.9 and d_b ~ U(0.5, 0.6): the share runs from 0.5/0.55 down to 0.4/0.46.
    let (lo, hi) = (0.4 / 0.46, 0.5 / 0.55);
    for x in &s {
        assert!(
            *x >= lo - 1e-9 && *x <= hi + 1e-9,
            "{x} outside [{lo}, {hi}]"
        );
    }
    let distinct: BTreeSet<u64> = s.iter().map(|x| x.to_bits()).collect();
    assert!(
        distinct.len() > 10,
        "the distribution is drawn per run: {s:?}"
    );
}

#[test]
fn set_overrides_simulation_runs_and_seed() {
    let out = ok(&[
        "run",
        p(&textbook("rubinstein.toml")),
        "--set",
        "simulation.runs=7",
        "--set",
        "simulation.seed=5",
        "--out",
        "-",
    ]);
    let csv = Csv::parse(&out.stdout);
    assert_eq!(csv.rows.len(), 7);
    assert!(csv.rows.iter().all(|r| r[1] == "5"));
    assert!(text(&out.stderr).contains("runs: 7   seed: 5"));
}

/// Runs the founding scenario with one `--set` that must be refused: exit 2,
/// no output file. Returns stderr.
fn refused_set(set: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let err = fails(
        2,
        &[
            "run",
            p(&founding()),
            "--runs",
            "5",
            "--set",
            set,
            "--out",
            p(&out),
        ],
    );
    assert!(!out.exists(), "no output after a refused --set");
    assert!(
        dir_names(dir.path()).is_empty(),
        "{:?}",
        dir_names(dir.path())
    );
    assert!(err.contains(set), "the message names the override: {err}");
    err
}

#[test]
fn set_with_a_misspelt_party_suggests_the_party() {
    let err = refused_set("parties.rusia.patience=0.9");
    assert!(err.contains("no `rusia` in `parties`"), "{err}");
    assert!(err.contains("(did you mean `russia`?)"), "{err}");
}

#[test]
fn set_with_a_misspelt_field_suggests_the_field() {
    let err = refused_set("parties.russia.patiense=0.9");
    assert!(
        err.contains("parties.russia.patiense: unknown field `patiense`"),
        "{err}"
    );
    assert!(err.contains("(did you mean `patience`?)"), "{err}");
}

#[test]
fn set_with_an_out_of_range_value_is_an_input_error() {
    let err = refused_set("parties.russia.patience=2");
    assert!(
        err.contains("parties.russia.patience: must be within (0, 1]; got 2"),
        "{err}"
    );
}

#[test]
fn set_with_a_value_of_the_wrong_type_is_an_input_error() {
    let err = refused_set("parties.russia.patience=abc");
    assert!(
        err.contains("parties.russia.patience: invalid type: string \"abc\", expected a number"),
        "{err}"
    );
}

#[test]
fn set_with_a_bad_distribution_is_an_input_error() {
    let err = refused_set("parties.russia.patience={ uniform = [0.9, 0.1] }");
    assert!(
        err.contains("uniform needs finite bounds with lo <= hi"),
        "{err}"
    );
}

#[test]
fn set_on_a_table_is_an_input_error() {
    let err = refused_set("parties.russia=0.5");
    assert!(err.contains("`parties.russia` is a table"), "{err}");
}

#[test]
fn set_without_equals_is_a_usage_error() {
    let err = refused_set("parties.russia.patience");
    assert!(err.contains("expected KEY=VALUE"), "{err}");
}

/// An override that makes *another* field invalid (here the end now precedes
/// the start) must be blamed on the override, not on a line of the file that
/// is fine as written.
#[test]
fn set_causing_a_problem_elsewhere_names_the_override() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let err = fails(
        2,
        &[
            "run",
            p(&founding()),
            "--runs",
            "5",
            "--set",
            "simulation.start=2022-05-01",
            "--out",
            p(&out),
        ],
    );
    assert!(!out.exists());
    assert!(
        err.contains("simulation.end: the end 2022-03-31 must come after the start 2022-05-01"),
        "{err}"
    );
    assert!(
        err.contains("--set simulation.start=2022-05-01"),
        "the message must say the override caused it:\n{err}"
    );
}

#[test]
fn refused_set_leaves_existing_outputs_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (out, events, summary) = (
        dir.path().join("out.csv"),
        dir.path().join("events.csv"),
        dir.path().join("summary.csv"),
    );
    std::fs::write(&out, "old").unwrap();
    std::fs::write(&events, "old events").unwrap();
    std::fs::write(&summary, "old summary").unwrap();
    fails(
        2,
        &[
            "run",
            p(&founding()),
            "--runs",
            "5",
            "--set",
            "parties.russia.patience=2",
            "--out",
            p(&out),
            "--events",
            p(&events),
            "--summary",
            p(&summary),
        ],
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old");
    assert_eq!(std::fs::read_to_string(&events).unwrap(), "old events");
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), "old summary");
    assert_eq!(dir_names(dir.path()).len(), 3);
}

// -------------------------------------------------------------- defaults

#[test]
fn runs_and_seed_default_to_the_scenario() {
    // rubinstein.toml sets runs = 1000 and seed = 1982.
    let out = ok(&["run", p(&textbook("rubinstein.toml")), "--out", "-"]);
    let csv = Csv::parse(&out.stdout);
    assert_eq!(csv.rows.len(), 1000);
    assert!(csv.rows.iter().all(|r| r[1] == "1982"));
    assert!(text(&out.stderr).contains("runs: 1000   seed: 1982"));
}

#[test]
fn runs_and_seed_default_to_10000_and_0_without_a_simulation_setting() {
    let src = std::fs::read_to_string(fixture("minimal.toml")).unwrap();
    let settings: Vec<&str> = src.lines().filter(|l| !l.starts_with('#')).collect();
    assert!(
        !settings
            .iter()
            .any(|l| l.starts_with("runs") || l.starts_with("seed")),
        "the fixture must set neither runs nor seed"
    );
    let out = ok(&["run", p(&fixture("minimal.toml")), "--out", "-"]);
    let csv = Csv::parse(&out.stdout);
    assert_eq!(csv.rows.len(), 10_000);
    assert!(csv.rows.iter().all(|r| r[1] == "0"));
    assert_eq!(csv.rows[9_999][0], "9999");
    assert!(text(&out.stderr).contains("runs: 10000   seed: 0"));
}

#[test]
fn flags_override_the_scenario_defaults_and_the_seed_is_printed() {
    let out = ok(&[
        "run",
        p(&textbook("rubinstein.toml")),
        "--runs",
        "3",
        "--seed",
        "77",
    ]);
    assert!(text(&out.stdout).contains("runs: 3   seed: 77"));
}

// ------------------------------------------------------------- exit codes

#[test]
fn clap_usage_errors_exit_2() {
    for args in [
        vec!["run"],
        vec!["run", p(&founding()), "--runs", "abc"],
        vec!["run", p(&founding()), "--frobnicate"],
        vec!["frobnicate"],
        vec!["trace", p(&founding()), "--run", "-1"],
    ] {
        let err = fails(2, &args);
        assert!(err.contains("error:"), "{args:?}: {err}");
    }
}

#[test]
fn zero_runs_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let err = fails(2, &["run", p(&founding()), "--runs", "0", "--out", p(&out)]);
    assert!(err.contains("--runs must be at least 1"), "{err}");
    assert!(!out.exists());
}

#[test]
fn zero_threads_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let err = fails(
        2,
        &[
            "run",
            p(&founding()),
            "--runs",
            "5",
            "--threads",
            "0",
            "--out",
            p(&out),
        ],
    );
    assert!(err.contains("--threads must be at least 1"), "{err}");
    assert!(!out.exists());
}

#[test]
fn two_outputs_on_stdout_is_a_usage_error() {
    let err = fails(
        2,
        &[
            "run",
            p(&founding()),
            "--runs",
            "5",
            "--out",
            "-",
            "--summary",
            "-",
        ],
    );
    assert!(
        err.contains("only one output can go to standard output"),
        "{err}"
    );
}

/// What the code does: a missing output directory is a `NotFound` I/O error,
/// which counts as bad input (exit 2); nothing is written anywhere.
#[test]
fn missing_output_directory_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("runs.csv");
    let bad = dir.path().join("no-such-dir").join("events.csv");
    let err = fails(
        2,
        &[
            "run",
            p(&founding()),
            "--runs",
            "5",
            "--out",
            p(&good),
            "--events",
            p(&bad),
        ],
    );
    assert!(err.contains(&bad.display().to_string()), "{err}");
    assert!(
        dir_names(dir.path()).is_empty(),
        "{:?}",
        dir_names(dir.path())
    );
}

/// An output path naming a directory is bad input, refused before anything
/// runs: exit 2, and no temporary file.
#[test]
fn output_path_that_is_a_directory_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.csv");
    std::fs::create_dir(&target).unwrap();
    let err = fails(
        2,
        &["run", p(&founding()), "--runs", "5", "--out", p(&target)],
    );
    assert!(err.contains(&target.display().to_string()), "{err}");
    assert!(target.is_dir());
    assert_no_temp_files(dir.path());
}

/// After any error, a file already under a target name must be left as it
/// was — also when the failing output is a different one (here the summary
/// path is a directory, so its rename fails after the runs were written).
#[test]
fn existing_output_survives_a_failure_of_another_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let summary = dir.path().join("summary.csv");
    std::fs::write(&out, "old").unwrap();
    std::fs::create_dir(&summary).unwrap();
    let res = negsim()
        .args([
            "run",
            p(&textbook("fearon.toml")),
            "--runs",
            "10",
            "--out",
            p(&out),
            "--summary",
            p(&summary),
        ])
        .output()
        .unwrap();
    assert!(!res.status.success());
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "old",
        "a failed run replaced an existing output"
    );
    assert_no_temp_files(dir.path());
}

#[test]
fn runaway_scenario_exits_1_naming_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let err = fails(1, &["run", p(&fixture("runaway.toml")), "--out", p(&out)]);
    assert!(
        err.contains("run 0: run exceeded the cap of 3 events"),
        "{err}"
    );
    assert!(err.contains("max_events"), "{err}");
    assert!(!out.exists());
    assert!(dir_names(dir.path()).is_empty());
}

#[test]
fn runaway_scenario_leaves_existing_outputs_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let events = dir.path().join("events.csv");
    let summary = dir.path().join("summary.csv");
    for f in [&out, &events, &summary] {
        std::fs::write(f, "old").unwrap();
    }
    fails(
        1,
        &[
            "run",
            p(&fixture("runaway.toml")),
            "--threads",
            "2",
            "--out",
            p(&out),
            "--events",
            p(&events),
            "--summary",
            p(&summary),
        ],
    );
    for f in [&out, &events, &summary] {
        assert_eq!(
            std::fs::read_to_string(f).unwrap(),
            "old",
            "{}",
            f.display()
        );
    }
    assert_no_temp_files(dir.path());
    assert_eq!(dir_names(dir.path()).len(), 3);
}

#[test]
fn trace_of_a_runaway_scenario_exits_1_naming_the_cap() {
    let err = fails(1, &["trace", p(&fixture("runaway.toml"))]);
    assert!(err.contains("cap of 3 events"), "{err}");
}

/// Output files are ordinary files: created with the permissions any other
/// program would give them under the current umask (like the reference file
/// written here with `std::fs::write`), not the owner-only mode of a
/// temporary file.
#[cfg(unix)]
#[test]
fn output_files_get_ordinary_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference.csv");
    std::fs::write(&reference, "x").unwrap();
    let mode = |f: &Path| std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
    let (out, events, summary) = (
        dir.path().join("out.csv"),
        dir.path().join("events.csv"),
        dir.path().join("summary.csv"),
    );
    ok(&[
        "run",
        p(&textbook("rubinstein.toml")),
        "--runs",
        "5",
        "--out",
        p(&out),
        "--events",
        p(&events),
        "--summary",
        p(&summary),
    ]);
    for f in [&out, &events, &summary] {
        assert_eq!(
            format!("{:o}", mode(f)),
            format!("{:o}", mode(&reference)),
            "mode of {}",
            f.display()
        );
    }
}

// --------------------------------------------------------------- interrupt

/// Kills the child on drop, so that a failing assertion cannot leave a
/// 50-million-run process behind.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a run that cannot finish (50 million runs) writing `out` in `dir`,
/// interrupts it with SIGINT once its temporary file exists (so it has
/// started, whatever the machine's speed), and returns its exit status and
/// stderr.
fn interrupted_run(dir: &Path, out: &str) -> (std::process::ExitStatus, String) {
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("negsim"))
        .current_dir(dir)
        .args(["run", p(&founding()), "--runs", "50000000", "--out", out])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("negsim starts");
    let mut child = Child(child);
    let started = Instant::now();
    let temp = format!(".{out}.");
    while !dir_names(dir).iter().any(|n| n.starts_with(&temp)) {
        assert!(
            child.0.try_wait().unwrap().is_none(),
            "the run ended before writing"
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no temporary file within a minute"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.0.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let status = child.0.wait().unwrap();
    let mut err = String::new();
    use std::io::Read;
    child
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (status, err)
}

#[test]
fn interrupt_leaves_no_output_and_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let (status, err) = interrupted_run(dir.path(), "OUT.csv");
    assert!(!status.success());
    // The handler ran and the program exited by itself (not killed by the
    // signal), with the conventional 128 + SIGINT.
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    assert!(!dir.path().join("OUT.csv").exists());
    assert_no_temp_files(dir.path());
    assert!(
        dir_names(dir.path()).is_empty(),
        "{:?}",
        dir_names(dir.path())
    );
}

#[test]
fn interrupt_leaves_an_existing_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("OUT.csv");
    std::fs::write(&out, "old contents\n").unwrap();
    let (status, err) = interrupted_run(dir.path(), "OUT.csv");
    assert_eq!(status.code(), Some(130), "{err}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old contents\n");
    assert_no_temp_files(dir.path());
    assert_eq!(
        dir_names(dir.path()),
        BTreeSet::from(["OUT.csv".to_string()])
    );
}

// -------------------------------------------------------------------- trace

/// The trace's last line, `… outcome: X`, gives X.
fn traced_outcome(trace: &str) -> String {
    let last = trace.lines().last().expect("a trace");
    last.rsplit_once("outcome: ")
        .unwrap_or_else(|| panic!("last line is not an outcome: {last}"))
        .1
        .to_string()
}

#[test]
fn trace_replays_exactly_row_57_of_the_runs_csv() {
    let dir = tempfile::tempdir().unwrap();
    let runs = dir.path().join("runs.csv");
    let events = dir.path().join("events.csv");
    ok(&[
        "run",
        p(&founding()),
        "--runs",
        "60",
        "--out",
        p(&runs),
        "--events",
        p(&events),
    ]);
    let r = Csv::read(&runs);
    let row57 = &r.rows[57];
    assert_eq!(row57[0], "57");
    let trace = text(&ok(&["trace", p(&founding()), "--run", "57"]).stdout);
    assert_eq!(
        trace.lines().next().unwrap(),
        "January 2022 European security talks: run 57, seed 20220110"
    );
    assert_eq!(traced_outcome(&trace), row57[2]);
    let e = Csv::read(&events);
    let ev57: Vec<&Vec<String>> = e.rows.iter().filter(|x| x[0] == "57").collect();
    let end = ev57.last().expect("events of run 57");
    assert_eq!(
        (end[3].as_str(), end[8].as_str()),
        ("end", row57[2].as_str())
    );
    // One narrated line per recorded event, after the title line.
    assert_eq!(trace.lines().count() - 1, ev57.len());
    // The executed threats of the row are the ones the trace says were carried out.
    let carried: Vec<&str> = trace
        .lines()
        .filter(|l| l.ends_with("is carried out"))
        .map(|l| {
            l.split("threat ")
                .nth(1)
                .unwrap()
                .split(' ')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(carried.join(";"), *row57.last().unwrap());
    // Neighbouring runs are different runs: a trace is not just "some run".
    let differs = [56u64, 58].iter().any(|&k| {
        let t = text(&ok(&["trace", p(&founding()), "--run", &k.to_string()]).stdout);
        t.lines().skip(1).collect::<Vec<_>>() != trace.lines().skip(1).collect::<Vec<_>>()
    });
    assert!(differs);
}

#[test]
fn trace_honours_seed_and_set_like_run() {
    let set = "parties.russia.patience=0.9";
    let out = ok(&[
        "run",
        p(&founding()),
        "--runs",
        "30",
        "--seed",
        "9",
        "--set",
        set,
        "--out",
        "-",
    ]);
    let r = Csv::parse(&out.stdout);
    for k in [0usize, 13, 29] {
        let trace = text(
            &ok(&[
                "trace",
                p(&founding()),
                "--run",
                &k.to_string(),
                "--seed",
                "9",
                "--set",
                set,
            ])
            .stdout,
        );
        assert!(trace
            .lines()
            .next()
            .unwrap()
            .ends_with(&format!("run {k}, seed 9")));
        assert_eq!(traced_outcome(&trace), r.rows[k][2], "run {k}");
    }
}

#[test]
fn trace_of_a_missing_scenario_exits_2() {
    let missing = fixture("no-such-scenario.toml");
    let err = fails(2, &["trace", p(&missing)]);
    assert!(err.contains("no-such-scenario.toml"), "{err}");
}

// ------------------------------------------------------------ progress bar

/// A batch with the bar asked for from the first run (`--progress always`),
/// so that no test depends on a run outlasting the bar's half-second delay.
const LONG_BATCH: [&str; 8] = [
    "run",
    "scenarios/textbook/fearon.toml",
    "--runs",
    "3000",
    "--out",
    "/dev/null",
    "--progress",
    "always",
];

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let out = Command::cargo_bin("negsim")
        .unwrap()
        .args(LONG_BATCH)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Writing to a device goes through it: /dev/null is never replaced by a
    // regular file (an atomic rename over it once broke this machine's /dev/null).
    let null = std::fs::metadata("/dev/null").unwrap();
    assert!(!null.is_file(), "/dev/null became a regular file");
}

#[test]
fn progress_bar_on_a_terminal() {
    // `script` (util-linux, part of every Debian base system) gives the
    // command a pseudo-terminal.
    let bin = assert_cmd::cargo::cargo_bin("negsim");
    let cmd = format!("{} {}", bin.display(), LONG_BATCH.join(" "));
    let out = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .output()
        .expect("`script` from util-linux runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("eta"),
        "no progress bar on a terminal:\n{text}"
    );
}

// ------------------------------------------------------------------- chart

#[test]
fn trace_chart_draws_every_offer_on_the_issue() {
    let out = Command::cargo_bin("negsim")
        .unwrap()
        .args(["trace", "scenarios/textbook/nash.toml", "--chart", "x"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let chart = text.split("offers on x").nth(1).expect("a chart section");
    let offers = text
        .lines()
        .filter(|l| l.contains(" puts forward "))
        .count();
    let bars: Vec<&str> = chart.lines().filter(|l| l.contains('*')).collect();
    // One bar per offer, plus the agreement.
    assert_eq!(bars.len(), offers + 1, "{chart}");
    // The first offer is a's ideal, at the right end of the scale.
    assert!(bars[0].trim_end().ends_with("*| 1.000"), "{}", bars[0]);
    assert!(bars.last().unwrap().contains("agreement"));
}

#[test]
fn trace_chart_of_an_unknown_issue_is_a_usage_error() {
    Command::cargo_bin("negsim")
        .unwrap()
        .args([
            "trace",
            "scenarios/textbook/rubinstein.toml",
            "--chart",
            "shares",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did you mean `share`"));
}
