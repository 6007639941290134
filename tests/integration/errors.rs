//! Integration tests: errors in scenario files — every message names the
//! file, the line and column where known, the field path, and a likely fix;
//! bad input exits with code 2 and writes nothing.
//!
//! The broken scenarios live in `tests/fixtures/broken/`, one problem each
//! (except `many_problems.toml`); each file's comment says what is wrong.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn broken(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/broken")
        .join(name)
}

fn p(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// `negsim validate FILE` must fail with exit 2 and nothing on stdout;
/// returns stderr.
fn validate_err(file: &Path) -> String {
    let out = Command::cargo_bin("negsim")
        .unwrap()
        .args(["validate", p(file)])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{}: {err}", file.display());
    assert!(out.stdout.is_empty(), "no `ok:` for a bad file");
    err
}

/// `negsim run FILE --out OUT` must fail with exit 2 and leave no file;
/// returns stderr.
fn run_err(file: &Path) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let res = Command::cargo_bin("negsim")
        .unwrap()
        .args(["run", p(file), "--runs", "5", "--out", p(&out)])
        .output()
        .unwrap();
    let err = String::from_utf8(res.stderr).unwrap();
    assert_eq!(res.status.code(), Some(2), "{}: {err}", file.display());
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "no output"
    );
    err
}

/// Asserts that `err` holds the line `error: FILE:LOCATION: REST` (the rest
/// given as a prefix of what follows).
fn assert_reports(err: &str, file: &Path, location: &str, rest: &str) {
    let want = format!("{}:{location}: {rest}", file.display());
    assert!(
        err.lines()
            .any(|l| l.trim_start_matches("error: ").starts_with(&want)),
        "expected a line starting with\n  {want}\ngot\n{err}"
    );
}

#[test]
fn unknown_key_in_a_party_suggests_the_field() {
    let f = broken("unknown_party_key.toml");
    for err in [validate_err(&f), run_err(&f)] {
        assert_reports(
            &err,
            &f,
            "14:1",
            "parties.buyer.patiense: unknown field `patiense`",
        );
        assert!(err.contains("(did you mean `patience`?)"), "{err}");
    }
}

#[test]
fn misspelt_issue_in_positions_suggests_the_issue() {
    let f = broken("misspelt_issue.toml");
    let err = validate_err(&f);
    assert_reports(
        &err,
        &f,
        "15:28",
        "parties.seller.positions.pirce: unknown issue `pirce`; expected one of: price (did you mean `price`?)",
    );
}

#[test]
fn unknown_meeting_participant_suggests_the_party() {
    let f = broken("unknown_participant.toml");
    for err in [validate_err(&f), run_err(&f)] {
        assert_reports(
            &err,
            &f,
            "19:26", // the misspelt element itself
            "meetings.talks.participants: unknown party or bloc `seler`; expected one of: buyer, seller (did you mean `seller`?)",
        );
    }
}

#[test]
fn toml_syntax_error_gives_line_and_column() {
    let f = broken("syntax_error.toml");
    let err = validate_err(&f);
    // Line 9 is `status_quo =`: the value is missing at column 13.
    assert_reports(&err, &f, "9:13", "");
}

#[test]
fn value_of_the_wrong_type_names_the_field_and_the_expected_type() {
    let f = broken("wrong_type.toml");
    let err = validate_err(&f);
    assert_reports(
        &err,
        &f,
        "20:10",
        "meetings.talks.rounds: `six` is not a number of rounds; expected a count such as 6, or \"unbounded\"",
    );
}

#[test]
fn nan_is_refused() {
    let f = broken("nan.toml");
    for err in [validate_err(&f), run_err(&f)] {
        assert_reports(
            &err,
            &f,
            "13:1",
            "parties.buyer.patience: NaN is not a finite number",
        );
    }
}

#[test]
fn out_of_range_number_states_the_range() {
    let f = broken("out_of_range.toml");
    let err = validate_err(&f);
    assert_reports(
        &err,
        &f,
        "9:1",
        "issues.price.status_quo: must be within [0, 1]; got 1.5",
    );
}

#[test]
fn end_before_start_is_refused() {
    let f = broken("end_before_start.toml");
    let err = validate_err(&f);
    assert_reports(
        &err,
        &f,
        "6:1",
        "simulation.end: the end 2024-01-01 must come after the start 2024-03-31",
    );
}

#[test]
fn meeting_past_the_horizon_is_refused() {
    let f = broken("meeting_past_horizon.toml");
    let err = validate_err(&f);
    assert_reports(
        &err,
        &f,
        "18:1",
        "meetings.talks.date: 2024-05-10 lies outside the simulated period 2024-01-01 .. 2024-03-31",
    );
}

#[test]
fn uniform_with_reversed_bounds_is_refused() {
    let f = broken("bad_uniform.toml");
    let err = validate_err(&f);
    assert_reports(
        &err,
        &f,
        "13:1",
        "parties.buyer.patience: uniform needs finite bounds with lo <= hi, got [0.9, 0.1]",
    );
}

#[test]
fn beta_with_a_zero_shape_is_refused() {
    let f = broken("bad_beta.toml");
    let err = validate_err(&f);
    assert_reports(
        &err,
        &f,
        "16:1",
        "parties.seller.patience: beta needs shape parameters > 0, got [0, 1]",
    );
}

#[test]
fn duplicate_table_is_refused_by_the_toml_parser() {
    let f = broken("duplicate_key.toml");
    let err = validate_err(&f);
    assert_reports(&err, &f, "17:1", "");
    assert!(
        err.contains("duplicate key `buyer` in table `parties`"),
        "{err}"
    );
}

#[test]
fn duplicate_key_in_a_table_is_refused() {
    let f = broken("duplicate_field.toml");
    let err = validate_err(&f);
    assert_reports(
        &err,
        &f,
        "13:1",
        "duplicate key `patience` in table `parties.buyer`",
    );
}

#[test]
fn bloc_with_a_party_id_is_refused() {
    let f = broken("bloc_named_as_party.toml");
    let err = validate_err(&f);
    assert_reports(
        &err,
        &f,
        "20:8",
        "blocs.seller: `seller` is already a party id; ids must be unique",
    );
}

#[test]
fn several_problems_are_reported_at_once() {
    let f = broken("many_problems.toml");
    for err in [validate_err(&f), run_err(&f)] {
        let name = f.display().to_string();
        let count = err
            .lines()
            .filter(|l| l.trim_start_matches("error: ").starts_with(&name))
            .count();
        assert_eq!(count, 5, "five problems, one line each:\n{err}");
        assert_reports(
            &err,
            &f,
            "14:1",
            "issues.price.status_quo: must be within [0, 1]; got 2",
        );
        assert_reports(
            &err,
            &f,
            "18:1",
            "parties.buyer.patience: must be within (0, 1]; got 0",
        );
        assert_reports(
            &err,
            &f,
            "21:28",
            "parties.seller.positions.pirce: unknown issue `pirce`",
        );
        assert_reports(
            &err,
            &f,
            "25:17",
            "meetings.talks.participants: unknown party or bloc `byer`",
        );
        assert_reports(
            &err,
            &f,
            "29:1",
            "threats.embargo.issuer: unknown party `selr`",
        );
        for s in ["price", "buyer", "seller"] {
            assert!(
                err.contains(&format!("(did you mean `{s}`?)")),
                "{s}: {err}"
            );
        }
    }
}

#[test]
fn missing_scenario_file_is_an_input_error() {
    let f = broken("no-such-file.toml");
    for err in [validate_err(&f), run_err(&f)] {
        assert!(
            err.contains(&format!("{}: No such file or directory", f.display())),
            "{err}"
        );
    }
}

#[test]
fn a_directory_as_scenario_is_refused() {
    let dir = broken("");
    let out = Command::cargo_bin("negsim")
        .unwrap()
        .args(["validate", p(&dir)])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(p(&dir).trim_end_matches('/')), "{err}");
}
