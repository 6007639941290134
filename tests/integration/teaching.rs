//! docs/teaching.md is real: every command in it runs (in a scratch
//! directory, as from the repository's root), every output line it shows is
//! a line the command prints, every chart it tells students to look at is in
//! the report the exercise writes, and every number in its prose is either
//! shown by a command of the same exercise or is what the theory gives (the
//! Rubinstein and Ståhl shares, the Nash solutions), computed here.

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;

use crate::readme::shell_words;

const DOC: &str = "docs/teaching.md";

/// One `$ ...` line of a console block and the lines shown after it.
#[derive(Debug)]
pub(crate) struct Shown {
    stdin: Option<String>,
    pub(crate) args: Vec<String>,
    pub(crate) lines: Vec<String>,
}

/// One `## N. ...` section: its prose (outside code blocks), its commands.
#[derive(Debug)]
struct Exercise {
    title: String,
    prose: String,
    blocks: String,
    commands: Vec<Shown>,
}

/// `'a\nb'` as printf prints it.
fn printf(s: &str) -> String {
    s.replace("\\n", "\n")
}

pub(crate) fn command(line: &str) -> Shown {
    let (stdin, rest) = match line.split_once(" | ") {
        Some((feed, rest)) => {
            let words = shell_words(feed);
            let text = match words.first().map(String::as_str) {
                Some("echo") => format!("{}\n", words[1..].join(" ")),
                Some("printf") => printf(&words[1..].join(" ")),
                other => panic!("{DOC}: a pipe from {other:?}: only echo and printf are run"),
            };
            (Some(text), rest)
        }
        None => (None, line),
    };
    let mut args = shell_words(rest);
    assert_eq!(args.first().map(String::as_str), Some("negsim"), "{line}");
    args.remove(0);
    Shown {
        stdin,
        args,
        lines: Vec::new(),
    }
}

fn exercises(doc: &str) -> Vec<Exercise> {
    let mut out = Vec::new();
    for part in doc.split("\n## ").skip(1) {
        let title = part.lines().next().unwrap().to_string();
        let (mut prose, mut blocks, mut commands) = (String::new(), String::new(), Vec::new());
        let mut fence: Option<String> = None;
        for line in part.lines().skip(1) {
            if let Some(f) = line.strip_prefix("```") {
                fence = match fence {
                    None => Some(f.to_string()),
                    Some(_) => None,
                };
                continue;
            }
            match fence.as_deref() {
                None => {
                    prose.push_str(line);
                    prose.push('\n');
                }
                Some(kind) => {
                    blocks.push_str(line);
                    blocks.push('\n');
                    if kind != "console" {
                        continue;
                    }
                    if let Some(c) = line.strip_prefix("$ ") {
                        commands.push(command(c));
                    } else {
                        let c: &mut Shown = commands.last_mut().expect("output after a command");
                        c.lines.push(line.to_string());
                    }
                }
            }
        }
        out.push(Exercise {
            title,
            prose,
            blocks,
            commands,
        });
    }
    out
}

/// Runs `c` in `dir`; its stdout and stderr.
pub(crate) fn run(c: &Shown, dir: &Path) -> (String, String) {
    let mut cmd = Command::cargo_bin("negsim").unwrap();
    cmd.current_dir(dir).args(&c.args);
    if let Some(s) = &c.stdin {
        cmd.write_stdin(s.clone());
    }
    let out = cmd.output().unwrap();
    let (so, se) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert_eq!(out.status.code(), Some(0), "{:?}: {se}", c.args);
    assert!(!se.contains("panicked"), "{se}");
    (so, se)
}

/// Each shown line is a whole line of stdout or of stderr, in order within
/// each.
pub(crate) fn check_lines(c: &Shown, stdout: &str, stderr: &str) {
    let (out, err): (Vec<&str>, Vec<&str>) = (
        stdout.lines().map(str::trim_end).collect(),
        stderr.lines().map(str::trim_end).collect(),
    );
    let (mut i, mut j) = (0, 0);
    for want in &c.lines {
        let want = want.trim_end();
        if let Some(k) = out[i..].iter().position(|l| *l == want) {
            i += k + 1;
        } else if let Some(k) = err[j..].iter().position(|l| *l == want) {
            j += k + 1;
        } else {
            panic!(
                "`negsim {}` does not print (in this order)\n{want}\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}",
                c.args.join(" ")
            );
        }
    }
}

/// Whether `text` holds the number `n` as a whole token (no digit, and no
/// further decimals, either side).
fn holds_number(text: &str, n: &str) -> bool {
    text.match_indices(n).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let mut after = text[at + n.len()..].chars();
        let (next, then) = (after.next(), after.next());
        let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        // Not a digit or a point before; after, neither a digit nor more
        // decimals (a full stop ending a sentence is fine).
        !(digit(before) || before == Some('.') || digit(next) || (next == Some('.') && digit(then)))
    })
}

/// The commands of every ```console block of `doc`, with their shown lines.
pub(crate) fn console_commands(doc: &str) -> Vec<Shown> {
    let mut out: Vec<Shown> = Vec::new();
    let mut inside = false;
    for line in doc.lines() {
        if let Some(f) = line.strip_prefix("```") {
            inside = !inside && f == "console";
            continue;
        }
        if !inside {
            continue;
        }
        match line.strip_prefix("$ ") {
            Some(c) => out.push(command(c)),
            None => out
                .last_mut()
                .expect("output after a command")
                .lines
                .push(line.to_string()),
        }
    }
    out
}

/// A scratch directory that looks like the repository's root to a command:
/// `scenarios` is there.
pub(crate) fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"),
        dir.path().join("scenarios"),
    )
    .unwrap();
    dir
}

/// The decimal numbers in `prose`.
fn numbers(prose: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let b = prose.as_bytes();
    let mut k = 0;
    while k < b.len() {
        if b[k].is_ascii_digit() && (k == 0 || !(b[k - 1].is_ascii_digit() || b[k - 1] == b'.')) {
            let start = k;
            while k < b.len() && b[k].is_ascii_digit() {
                k += 1;
            }
            if k + 1 < b.len() && b[k] == b'.' && b[k + 1].is_ascii_digit() {
                k += 1;
                while k < b.len() && b[k].is_ascii_digit() {
                    k += 1;
                }
                out.insert(prose[start..k].to_string());
            }
        } else {
            k += 1;
        }
    }
    out
}

/// Rubinstein's first-proposer share.
fn rubinstein(da: f64, db: f64) -> f64 {
    (1.0 - db) / (1.0 - da * db)
}

/// Ståhl's finite-horizon share of the first proposer with `rounds` rounds,
/// both discounting by `d`: the last proposer takes all.
fn stahl(rounds: u32, d: f64) -> f64 {
    let mut proposer = 1.0; // the share of whoever proposes in the last round
    for _ in 1..rounds {
        proposer = 1.0 - d * proposer;
    }
    proposer
}

/// The Nash bargaining solution of nash.toml with disagreement points
/// (`da`, `db`): argmax over [0, 1] of (u_a - da)(u_b - db), u_a = 1 - (1 - x)^2,
/// u_b = 1 - x, where both gains are positive (golden-section search).
fn nash(da: f64, db: f64) -> f64 {
    let f = |x: f64| {
        let (ga, gb) = (1.0 - (1.0 - x) * (1.0 - x) - da, 1.0 - x - db);
        if ga > 0.0 && gb > 0.0 {
            ga * gb
        } else {
            0.0
        }
    };
    let (mut lo, mut hi) = (0.0f64, 1.0 - db);
    let g = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..200 {
        let (a, b) = (hi - g * (hi - lo), lo + g * (hi - lo));
        if f(a) < f(b) {
            lo = a;
        } else {
            hi = b;
        }
    }
    (lo + hi) / 2.0
}

/// The numbers the theory gives for each exercise, as the doc writes them.
fn theory(title: &str) -> BTreeSet<String> {
    let mut t = BTreeSet::new();
    if title.starts_with("1.") {
        for db in [0.5, 0.8, 0.9, 0.95, 0.99] {
            t.insert(format!("{:.3}", rubinstein(0.9, db)));
        }
        let even = rubinstein(0.9, 0.9);
        assert!((even - 1.0 / 1.9).abs() < 1e-12);
        t.insert(format!("{even:.3}"));
        t.insert(format!("{:.3}", 0.9 * even));
        for rounds in [1, 2, 3] {
            t.insert(format!("{:.2}", stahl(rounds, 0.9)));
        }
        // The range of shares over b's patience in [0.5, 0.99].
        t.insert(format!("{:.2}", rubinstein(0.9, 0.99)));
        t.insert(format!("{:.2}", rubinstein(0.9, 0.5)));
    }
    if title.starts_with("2.") {
        let scenario: toml::Value =
            toml::from_str(&std::fs::read_to_string("scenarios/textbook/nash.toml").unwrap())
                .unwrap();
        let d = |p: &str| scenario["parties"][p]["disagreement"].as_float().unwrap();
        let (da, db) = (d("a"), d("b"));
        t.insert(format!("{da}"));
        t.insert(format!("{db}"));
        let x = nash(da, db);
        t.insert(format!("{x:.4}"));
        t.insert(format!("{x:.3}"));
        // Both parties' utilities at the solution, which happen to agree.
        let (ua, ub) = (1.0 - (1.0 - x) * (1.0 - x), 1.0 - x);
        assert_eq!(format!("{ua:.3}"), format!("{ub:.3}"));
        t.insert(format!("{ua:.3}"));
        t.insert(format!("{:.3}", 1.0 - x)); // 1 - x*, squared in u_a
        for (a, b) in [(0.5, db), (da, 0.5)] {
            t.insert(format!("{:.4}", nash(a, b)));
            t.insert(format!("{:.2}", nash(a, b)));
        }
        // The student's settlement, 0.303, is worth 1 - 0.697^2 to a.
        t.insert(format!("{:.3}", 1.0 - 0.697f64 * 0.697));
    }
    t
}

#[test]
fn every_exercise_runs_and_says_what_it_shows() {
    let doc = std::fs::read_to_string(DOC).unwrap();
    let all = exercises(&doc);
    let ex: Vec<&Exercise> = all
        .iter()
        .filter(|e| e.title.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .collect();
    // The four exercises the issue asks for, each with every part.
    for (e, topic) in ex
        .iter()
        .zip(["Rubinstein", "Zeuthen", "Fearon", "January 2022"])
    {
        assert!(e.title.contains(topic), "{}", e.title);
    }
    assert!(ex.len() >= 4, "{} exercises", ex.len());
    let dir = scratch();
    let mut ran = 0;
    for e in &ex {
        for part in [
            "**Idea.**",
            "**Commands.**",
            "**Charts to look at.**",
            "**What students should observe, and why.**",
            "**Questions for discussion.**",
        ] {
            assert!(e.prose.contains(part), "{}: no {part}", e.title);
        }
        assert!(!e.commands.is_empty(), "{}: no commands", e.title);
        let mut pages = Vec::new();
        for c in &e.commands {
            let (stdout, stderr) = run(c, dir.path());
            check_lines(c, &stdout, &stderr);
            ran += 1;
            if c.args.first().map(String::as_str) == Some("report") {
                let at = c.args.iter().position(|a| a == "--html").unwrap();
                pages.push(std::fs::read_to_string(dir.path().join(&c.args[at + 1])).unwrap());
            }
        }
        // The charts to look at: each *name* is a section or a chart of one
        // of the exercise's reports (or, with no report, named by a command).
        let charts = e
            .prose
            .split("**Charts to look at.**")
            .nth(1)
            .and_then(|p| p.split("**What students").next())
            .unwrap();
        let names: Vec<&str> = charts.split('*').skip(1).step_by(2).collect();
        assert!(
            !pages.is_empty() || charts.contains("--chart"),
            "{}",
            e.title
        );
        for name in names {
            let name = name.replace('\n', " ");
            assert!(
                pages.iter().any(|p| p.contains(&format!(">{name}<"))),
                "{}: no chart or section {name:?} in its reports",
                e.title
            );
        }
        // Every number in the prose is shown by a command or the theory's.
        let theory = theory(&e.title);
        for n in numbers(&e.prose) {
            assert!(
                holds_number(&e.blocks, &n) || theory.contains(&n),
                "{}: {n} is neither shown by a command nor the theory's",
                e.title
            );
        }
    }
    assert!(ran >= 20, "{ran} commands");
    // Every console block of the doc belongs to a section that was checked.
    assert_eq!(console_commands(&doc).len(), ran);
}

#[test]
fn the_theory_here_is_right() {
    // Rubinstein's formula and Ståhl's induction agree in the limit.
    assert!((stahl(401, 0.9) - rubinstein(0.9, 0.9)).abs() < 1e-9);
    assert!((rubinstein(0.9, 0.8) - 0.2 / 0.28).abs() < 1e-12);
    // nash.toml's own comment: x* = 0.381569.
    assert!((nash(0.1, 0.2) - 0.381569).abs() < 1e-6);
    assert!(holds_number("got 0.618 (x)", "0.618"));
    assert!(!holds_number("got 0.6184", "0.618"));
    assert!(!holds_number("got 10.618", "0.618"));
    assert_eq!(
        numbers("a 0.5 and 12.25% but not 3 or 4,5"),
        ["0.5", "12.25"].map(String::from).into_iter().collect()
    );
}
