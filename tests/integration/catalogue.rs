//! Integration tests: a catalogue of bad inputs — broken files, hostile ids,
//! limits exceeded, unusable paths and flags — each run through the built
//! binary, with its exit code and its exact message snapshotted (insta,
//! `tests/integration/snapshots/`). Every case must exit with its code,
//! print nothing on standard output and leave no file behind.
//!
//! Each case runs in a fresh directory holding the scenario as `s.toml`, so
//! messages name `s.toml`. After a deliberate change of a message, review
//! and accept the new snapshots with `cargo insta review` (or rerun with
//! `INSTA_UPDATE=always` and read the diff).

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;

/// A small valid scenario that the cases break.
const BASE: &str = r#"name = "Catalogue"

[simulation]
start = 2024-01-01
end = 2024-06-30
runs = 10

[issues.price]
status_quo = 0.5

[parties.buyer]
positions = { price = 0.0 }
patience = 0.9

[parties.seller]
positions = { price = 1.0 }
patience = 0.9

[meetings.talks]
date = 2024-02-01
participants = ["buyer", "seller"]
agenda = ["price"]
"#;

struct Case {
    name: &'static str,
    /// The scenario's bytes (`s.toml`), if any.
    scenario: Option<Vec<u8>>,
    /// Other files to create: (name, bytes), or a directory for `None`.
    files: Vec<(&'static str, Option<Vec<u8>>)>,
    args: Vec<String>,
    code: i32,
}

/// BASE with `from` replaced by `to` (which must be there).
fn edit(from: &str, to: &str) -> Vec<u8> {
    assert!(BASE.contains(from), "`{from}` is not in the base scenario");
    BASE.replacen(from, to, 1).into_bytes()
}

/// BASE with `from` replaced by raw bytes.
fn edit_bytes(from: &str, to: &[u8]) -> Vec<u8> {
    let at = BASE.find(from).expect("in the base scenario");
    let mut b = BASE.as_bytes()[..at].to_vec();
    b.extend_from_slice(to);
    b.extend_from_slice(&BASE.as_bytes()[at + from.len()..]);
    b
}

/// BASE with `text` added at the end.
fn add(text: &str) -> Vec<u8> {
    format!("{BASE}\n{text}\n").into_bytes()
}

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

/// `negsim validate s.toml` on a scenario: exit 2.
fn bad_file(name: &'static str, scenario: Vec<u8>) -> Case {
    Case {
        name,
        scenario: Some(scenario),
        files: vec![],
        args: args(&["validate", "s.toml"]),
        code: 2,
    }
}

/// `negsim ARGS` with the base scenario as `s.toml`.
fn bad_flags(name: &'static str, a: &[&str], code: i32) -> Case {
    Case {
        name,
        scenario: Some(BASE.as_bytes().to_vec()),
        files: vec![],
        args: args(a),
        code,
    }
}

fn cases() -> Vec<Case> {
    let effect = "effects = [{ path = \"parties.buyer.patience\", scale = 0.9 }]";
    let mut c = vec![
        // --- the file itself
        bad_file("empty_file", vec![]),
        bad_file("only_a_name", b"name = \"x\"\n".to_vec()),
        bad_file("unterminated_string", edit("name = \"Catalogue\"", "name = \"Catalogue")),
        bad_file("missing_value", edit("runs = 10", "runs =")),
        bad_file("duplicate_table", add("[parties.buyer]\npatience = 0.5")),
        bad_file("duplicate_key", edit("patience = 0.9\n", "patience = 0.9\npatience = 0.8\n")),
        bad_file("non_utf8_byte", edit_bytes("Catalogue", b"Catalogu\xff")),
        bad_file("latin1_text", edit_bytes("Catalogue", b"Caf\xe9 cr\xe8me")),
        bad_file("binary_file", vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0xff, 0xfe, 0]),
        bad_file("nul_byte_in_text", edit("Catalogue", "Cata\u{0}logue")),
        bad_file("control_character_in_text", edit("Catalogue", "Cata\u{1b}[2Jlogue")),
        Case {
            name: "file_over_the_size_limit",
            scenario: Some(BASE.as_bytes().to_vec()),
            files: vec![],
            args: args(&["validate", "s.toml", "--limit", "scenario_bytes=100"]),
            code: 2,
        },
        Case {
            name: "directory_as_scenario",
            scenario: None,
            files: vec![("dir", None)],
            args: args(&["validate", "dir"]),
            code: 2,
        },
        Case {
            name: "device_as_scenario",
            scenario: None,
            files: vec![],
            args: args(&["run", "/dev/zero"]),
            code: 2,
        },
        Case {
            name: "missing_scenario",
            scenario: None,
            files: vec![],
            args: args(&["validate", "nowhere.toml"]),
            code: 2,
        },
        // --- structure and types
        bad_file("unknown_top_level_key", edit("name =", "nme =")),
        bad_file("unknown_simulation_key", edit("runs = 10", "runs = 10\nseeds = 3")),
        bad_file("misspelt_party_key", edit("patience = 0.9\n", "patiense = 0.9\n")),
        bad_file("wrong_type", edit("runs = 10", "runs = \"ten\"")),
        bad_file("negative_runs", edit("runs = 10", "runs = -1")),
        bad_file("impossible_date", edit("start = 2024-01-01", "start = 2024-02-30")),
        bad_file("time_of_day", edit("start = 2024-01-01", "start = 2024-01-01T10:00:00")),
        bad_file("unknown_tactic", edit("patience = 0.9\n", "patience = 0.9\ntactic = \"bulware\"\n")),
        bad_file("unknown_protocol", add("protocol = \"shouting\"")),
        bad_file("two_shapes", edit("patience = 0.9\n", "patience = { uniform = [0.8, 0.9], normal = [0.9, 0.1] }\n")),
        bad_file("triangular_of_two", edit("patience = 0.9\n", "patience = { triangular = [0.8, 0.9] }\n")),
        bad_file("unbounded_normal", edit("patience = 0.9\n", "patience = { normal = [0.9, 0.05] }\n")),
        bad_file("nan", edit("patience = 0.9\n", "patience = nan\n")),
        bad_file("infinite_capability", edit("patience = 0.9\n", "patience = 0.9\ncapability = inf\n")),
        // --- ids: letters, digits, `_` and `-` only
        bad_file("id_with_a_space", edit("[issues.price]", "[issues.\"the price\"]")),
        bad_file("id_with_separators", add("[threats.\"t;a,b;=1+2;@SUM(A1)\"]\nissuer = \"buyer\"\ntarget = \"seller\"\nkind = \"sanctions\"\ntrigger = { walkout = \"buyer\" }")),
        bad_file("id_with_an_escape_sequence", edit("[parties.seller]", "[parties.\"sel\\u001b]0;pwned\\u0007ler\"]")),
        bad_file("id_with_a_line_break", edit("[meetings.talks]", "[meetings.\"talks\\nerror: all is well\"]")),
        bad_file("id_with_a_dot", edit("[meetings.talks]", "[meetings.\"talks.1\"]")),
        bad_file("id_as_a_formula", add(&format!("[events.\"=cmd|' /C calc'!A0\"]\ndate = 2024-03-01\n{effect}"))),
        bad_file("non_ascii_id", edit("[issues.price]", "[issues.\"pr\u{ee}x\"]")),
        bad_file("id_that_reads_as_a_flag", edit("[parties.buyer]", "[parties.-buyer]")),
        // --- meaning
        bad_file("end_before_start", edit("end = 2024-06-30", "end = 2023-06-30")),
        bad_file("meeting_past_the_horizon", edit("date = 2024-02-01", "date = 2024-09-01")),
        bad_file("unknown_participant", edit("[\"buyer\", \"seller\"]", "[\"buyer\", \"seler\"]")),
        bad_file("unknown_agenda_issue", edit("agenda = [\"price\"]", "agenda = [\"prize\"]")),
        bad_file("one_participant", edit("[\"buyer\", \"seller\"]", "[\"buyer\"]")),
        bad_file("mediated_without_mediator", add("protocol = \"mediated\"")),
        bad_file("zero_rounds", add("rounds = 0")),
        bad_file("too_many_rounds", add("rounds = 10001")),
        bad_file("unknown_issuer", add("[threats.embargo]\nissuer = \"selr\"\ntarget = \"buyer\"\nkind = \"sanctions\"\ntrigger = { walkout = \"buyer\" }")),
        bad_file("threat_cycle", add("[threats.a]\nissuer = \"buyer\"\ntarget = \"seller\"\nkind = \"sanctions\"\ntrigger = { threat = \"b\" }\n[threats.b]\nissuer = \"seller\"\ntarget = \"buyer\"\nkind = \"sanctions\"\ntrigger = { threat = \"a\" }")),
        bad_file("event_with_date_and_rate", add(&format!("[events.shock]\ndate = 2024-03-01\nrate = 0.1\n{effect}"))),
        bad_file("effect_on_an_unknown_parameter", add("[events.shock]\ndate = 2024-03-01\neffects = [{ path = \"parties.buyer.patiense\", scale = 0.9 }]")),
        bad_file("salience_without_position", edit("patience = 0.9\n", "patience = 0.9\nsalience = { quality = 1 }\n")),
        bad_file("bloc_lead_not_a_member", add("[blocs.pair]\nmembers = [\"buyer\"]\nlead = \"seller\"")),
        bad_file("party_named_any", add("[parties.any]")),
        // --- limits
        bad_file("runs_over_the_limit", edit("runs = 10", "runs = 9223372036854775807")),
        bad_file("max_events_over_the_limit", edit("runs = 10", "runs = 10\nmax_events = 9223372036854775807")),
        bad_file("follow_ups_over_the_limit", add("follow_up = { delay = 0, max = 4000000000 }")),
        bad_file("rounds_per_run_over_the_limit", add("rounds = 10000\nfollow_up = { delay = 0, max = 1000 }")),
        bad_file("horizon_over_the_limit", edit("end = 2024-06-30", "end = 9999-12-31")),
        bad_file("rate_over_the_limit", add(&format!("[events.storm]\nrate = 1e300\n{effect}"))),
        bad_file("sweep_design_over_the_limit", add(&format!("[sweep]\nvary = [{}]\npoints = 16777216", (0..24).map(|k| format!("\"k{k}=0..1\"")).collect::<Vec<_>>().join(", ")))),
        // --- flags
        bad_flags("runs_flag_over_the_limit", &["run", "s.toml", "--runs", "18446744073709551615"], 2),
        bad_flags("runs_flag_beyond_u64", &["run", "s.toml", "--runs", "18446744073709551616"], 2),
        bad_flags("unknown_limit", &["run", "s.toml", "--limit", "runz=5"], 2),
        bad_flags("zero_limit", &["run", "s.toml", "--limit", "runs=0"], 2),
        bad_flags("raised_limit_still_checked", &["validate", "s.toml", "--limit", "runs=5"], 2),
        bad_flags("vary_count_over_the_limit", &["sweep", "s.toml", "--vary", "parties.buyer.patience=0.5..0.9:4000000000"], 2),
        bad_flags("three_huge_factors", &["sweep", "s.toml", "--vary", "parties.buyer.patience=0.5..0.9:4294967296", "--vary", "parties.seller.patience=0.5..0.9:4294967296", "--vary", "issues.price.status_quo=0..1:4294967296"], 2),
        bad_flags("lhs_points_times_keys", &["sweep", "s.toml", "--design", "lhs", "--points", "16777216", "--vary", "parties.buyer.patience=0.5..0.9", "--vary", "parties.seller.patience=0.5..0.9"], 2),
        bad_flags("sweep_runs_over_the_limit", &["sweep", "s.toml", "--vary", "parties.buyer.patience=0.5..0.9:1000", "--runs", "10000000"], 2),
        bad_flags("out_is_the_scenario", &["run", "s.toml", "--out", "s.toml"], 2),
        bad_flags("out_is_the_scenario_spelt_otherwise", &["run", "s.toml", "--summary", "./s.toml"], 2),
        bad_flags("two_outputs_one_file", &["run", "s.toml", "--out", "x.csv", "--events", "./x.csv"], 2),
        bad_flags("sweep_out_is_the_scenario", &["sweep", "s.toml", "--vary", "parties.buyer.patience=[0.5]", "--out", "s.toml"], 2),
        bad_flags("sweep_summary_is_the_scenario", &["sweep", "s.toml", "--vary", "parties.buyer.patience=[0.5]", "--summary", "s.toml"], 2),
        bad_flags("merge_out_is_a_shard", &["merge", "s.toml", "--out", "s.toml"], 2),
        bad_flags("chart_of_an_unknown_issue", &["trace", "s.toml", "--chart", "prize"], 2),
        bad_flags("zero_threads", &["run", "s.toml", "--threads", "0"], 2),
        Case {
            name: "sweep_out_is_a_device",
            scenario: Some(BASE.as_bytes().to_vec()),
            files: vec![],
            args: args(&["sweep", "s.toml", "--vary", "parties.buyer.patience=[0.5]", "--out", "/dev/null"]),
            code: 2,
        },
        Case {
            name: "out_is_a_directory",
            scenario: Some(BASE.as_bytes().to_vec()),
            files: vec![("dir", None)],
            args: args(&["run", "s.toml", "--out", "dir"]),
            code: 2,
        },
        Case {
            name: "sweep_file_is_a_directory",
            scenario: Some(BASE.as_bytes().to_vec()),
            files: vec![("dir", None)],
            args: args(&["sweep", "s.toml", "--sweep-file", "dir"]),
            code: 2,
        },
        Case {
            name: "sweep_file_not_utf8",
            scenario: Some(BASE.as_bytes().to_vec()),
            files: vec![("sweep.toml", Some(b"vary = [\"a=\xff\"]\n".to_vec()))],
            args: args(&["sweep", "s.toml", "--sweep-file", "sweep.toml"]),
            code: 2,
        },
    ];
    c.sort_by_key(|c| c.name);
    c
}

fn listing(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn every_bad_input_exits_with_its_code_and_its_message() {
    let all = cases();
    assert!(all.len() >= 50, "the catalogue holds {} cases", all.len());
    let names: BTreeSet<&str> = all.iter().map(|c| c.name).collect();
    assert_eq!(names.len(), all.len(), "case names are unique");
    for case in all {
        let dir = tempfile::tempdir().unwrap();
        if let Some(bytes) = &case.scenario {
            std::fs::write(dir.path().join("s.toml"), bytes).unwrap();
        }
        for (name, content) in &case.files {
            match content {
                Some(bytes) => std::fs::write(dir.path().join(name), bytes).unwrap(),
                None => std::fs::create_dir(dir.path().join(name)).unwrap(),
            }
        }
        let before = listing(dir.path());
        let out = Command::cargo_bin("negsim")
            .unwrap()
            .current_dir(dir.path())
            .args(&case.args)
            .env_remove("SLURM_ARRAY_TASK_ID")
            .env_remove("JOB_COMPLETION_INDEX")
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).expect("messages are UTF-8");
        assert_eq!(
            out.status.code(),
            Some(case.code),
            "{}: negsim {:?}\n{stderr}",
            case.name,
            case.args
        );
        assert!(
            out.stdout.is_empty(),
            "{}: nothing on stdout, got {}",
            case.name,
            String::from_utf8_lossy(&out.stdout)
        );
        assert_eq!(
            listing(dir.path()),
            before,
            "{}: no file is left",
            case.name
        );
        assert!(
            !stderr.chars().any(|c| c.is_control() && c != '\n'),
            "{}: a control character reached the terminal: {stderr:?}",
            case.name
        );
        assert!(!stderr.contains("panicked"), "{}: {stderr}", case.name);
        let snapshot = format!(
            "negsim {}\nexit: {}\n{stderr}",
            case.args.join(" "),
            case.code
        );
        insta::assert_snapshot!(case.name, snapshot);
    }
}
