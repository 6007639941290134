//! Historical cases and `negsim score`: every bundled case is calibrated as
//! of its `as_of` date (no scheduled shock after it), validates and has a
//! record; the scores are computed as `docs/backtest.md` defines them.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn cases() -> Vec<PathBuf> {
    let mut v = vec![PathBuf::from("scenarios/jan-2022-security-talks.toml")];
    let mut history: Vec<PathBuf> = std::fs::read_dir("scenarios/history")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    history.sort();
    v.extend(history);
    v
}

fn negsim(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("negsim")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

/// Days since 0000-03-01 of a TOML date `YYYY-MM-DD` (civil-from-days
/// arithmetic, independent of the library's), for ordering dates.
fn day_number(date: &str) -> i64 {
    let y: i64 = date[0..4].parse().unwrap();
    let m: i64 = date[5..7].parse().unwrap();
    let d: i64 = date[8..10].parse().unwrap();
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + d
}

fn toml_of(path: &Path) -> toml::Table {
    std::fs::read_to_string(path).unwrap().parse().unwrap()
}

#[test]
fn there_are_at_least_three_cases_with_an_agreement_and_a_failure() {
    let outcomes: Vec<String> = cases()
        .iter()
        .map(|p| {
            toml_of(p)["observed"]["outcome"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(outcomes.len() >= 3, "{outcomes:?}");
    assert!(outcomes.iter().any(|o| o == "agreement"), "{outcomes:?}");
    assert!(outcomes.iter().any(|o| o != "agreement"), "{outcomes:?}");
}

/// Calibrated as of their date: a scheduled exogenous event after `as_of`
/// would put a shock at its real date, with hindsight. (Meetings and
/// deadlines announced by then are allowed; events without effects are
/// decision points, such as an announced ultimatum expiring.)
#[test]
fn historical_cases_schedule_no_shock_after_their_as_of_date() {
    for path in cases() {
        let t = toml_of(&path);
        let as_of = t["simulation"]["as_of"]
            .as_datetime()
            .unwrap_or_else(|| panic!("{}: no as_of", path.display()));
        let as_of = day_number(&as_of.to_string());
        let Some(events) = t.get("events").and_then(|e| e.as_table()) else {
            continue;
        };
        for (id, e) in events {
            let Some(date) = e.get("date").and_then(|d| d.as_datetime()) else {
                continue;
            };
            let effects = e
                .get("effects")
                .and_then(|x| x.as_array())
                .map_or(0, |a| a.len());
            if effects > 0 {
                assert!(
                    day_number(&date.to_string()) <= as_of,
                    "{}: event `{id}` on {date} is a scheduled shock after as_of",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn every_case_validates_and_every_number_line_carries_a_comment() {
    for path in cases() {
        let out = negsim(&["validate", path.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Every line that sets a number or a distribution says where it comes from.
        let text = std::fs::read_to_string(&path).unwrap();
        let mut in_multiline = false;
        // A comment on a table's header line covers the table's lines.
        let mut header_commented = false;
        for (k, line) in text.lines().enumerate() {
            let code = line.split('#').next().unwrap_or("");
            if code.contains("\"\"\"") {
                in_multiline = !in_multiline;
                continue;
            }
            if code.trim_start().starts_with('[') {
                header_commented = line.contains('#');
                continue;
            }
            if in_multiline || !code.contains('=') {
                continue;
            }
            let value = code.split_once('=').unwrap().1;
            let numeric = value
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '{');
            let key = code.split_once('=').unwrap().0.trim();
            let plumbing = matches!(key, "runs" | "seed" | "max_events" | "rounds" | "values");
            if numeric && !plumbing {
                assert!(
                    line.contains('#')
                        || header_commented
                        || text
                            .lines()
                            .nth(k.wrapping_sub(1))
                            .is_some_and(|l| l.trim_start().starts_with('#')),
                    "{}:{}: `{}` has no comment saying where the number comes from",
                    path.display(),
                    k + 1,
                    line.trim()
                );
            }
        }
    }
}

#[test]
fn score_reports_the_observed_outcome_and_the_baselines() {
    let out = negsim(&[
        "score",
        "scenarios/history/gulf-1991.toml",
        "scenarios/history/iran-nuclear-2015.toml",
        "--runs",
        "2000",
        "--out",
        "-",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let table = String::from_utf8(out.stderr).unwrap();
    assert!(table.contains("pooled over 2 cases"), "{table}");
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    let value = |scenario: &str, metric: &str| -> f64 {
        rows.iter()
            .find(|r| &r[0] == scenario && &r[5] == metric)
            .map(|r| r[6].to_string())
            .unwrap_or_else(|| panic!("no {metric} for {scenario}\n{csv}"))
            .parse()
            .unwrap()
    };
    for scenario in ["Gulf crisis, January 1991", "Iran nuclear talks 2015"] {
        // The baselines by hand: equal odds 42/49 and ln 7 whatever happened;
        // persistence 1.5 (war, agreement: neither stalemate nor process) and ln 1000.
        assert!((value(scenario, "brier.equal_odds") - 42.0 / 49.0).abs() < 1e-12);
        assert!((value(scenario, "log.equal_odds") - 7f64.ln()).abs() < 1e-12);
        assert!((value(scenario, "brier.persistence") - 1.5).abs() < 1e-12);
        assert!((value(scenario, "log.persistence") - 1000f64.ln()).abs() < 1e-12);
        // The model's Brier score from its own shares.
        let observed = if scenario.starts_with("Gulf") {
            "conflict"
        } else {
            "agreement"
        };
        let shares: Vec<(String, f64)> = [
            "agreement",
            "partial_agreement",
            "process",
            "stalemate",
            "breakdown",
            "sanctions",
            "conflict",
        ]
        .iter()
        .map(|o| (o.to_string(), value(scenario, &format!("share.{o}"))))
        .collect();
        let total: f64 = shares.iter().map(|(_, s)| s).sum();
        assert!((total - 1.0).abs() < 1e-9);
        let brier: f64 = shares
            .iter()
            .map(|(o, s)| {
                if o == observed {
                    (s - 1.0) * (s - 1.0)
                } else {
                    s * s
                }
            })
            .sum();
        assert!((value(scenario, "brier.model") - brier).abs() < 1e-12);
        let p = value(scenario, "p_observed");
        assert!((value(scenario, "log.model") - (-p.max(0.001).ln())).abs() < 1e-12);
    }
    // The pooled Brier score is the mean of the two.
    let pooled = value("pooled", "brier.model");
    let mean = 0.5
        * (value("Gulf crisis, January 1991", "brier.model")
            + value("Iran nuclear talks 2015", "brier.model"));
    assert!((pooled - mean).abs() < 1e-12);
}

#[test]
fn score_is_the_same_whatever_the_thread_count() {
    let run = |threads: &str| {
        let out = negsim(&[
            "score",
            "scenarios/history/iran-nuclear-2015.toml",
            "--runs",
            "3000",
            "--threads",
            threads,
            "--out",
            "-",
        ]);
        assert!(out.status.success());
        out.stdout
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn a_scenario_without_a_record_cannot_be_scored() {
    let out = negsim(&["score", "scenarios/textbook/fearon.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no [observed] table"), "{err}");
    assert!(out.stdout.is_empty());
}
