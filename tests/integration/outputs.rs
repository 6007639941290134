//! The output contract (docs/outputs.md): typed columns and their schemas,
//! Parquet, provenance sidecars and `negsim rerun`, and the CLI conventions
//! (`-` for standard input, `--quiet`, `--json`, completions, man page,
//! `negsim schema`).

use std::io::Read as _;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn founding() -> PathBuf {
    root().join("scenarios/jan-2022-security-talks.toml")
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn negsim(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("negsim")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = negsim(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// A Parquet file as the CSV text negsim would have written.
fn parquet_as_csv(path: &Path) -> String {
    let mut s = String::new();
    negsim::output::parquet::open_as_csv(path, true)
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

const TABLES: [(&str, &str); 3] = [
    ("--out", "runs"),
    ("--events", "events"),
    ("--summary", "summary"),
];

fn run_all(dir: &Path, ext: &str, runs: &str) {
    let scenario = founding();
    let mut args = vec!["run", p(&scenario), "--runs", runs, "--quiet"];
    let names: Vec<String> = TABLES.iter().map(|(_, t)| format!("{t}.{ext}")).collect();
    for ((flag, _), name) in TABLES.iter().zip(&names) {
        args.push(flag);
        args.push(name);
    }
    ok(dir, &args);
}

#[test]
fn docs_outputs_lists_every_column_with_its_type() {
    let dir = tempfile::tempdir().unwrap();
    run_all(dir.path(), "csv", "50");
    ok(
        dir.path(),
        &[
            "sweep",
            p(&founding()),
            "--vary",
            "parties.russia.cost_of_conflict=[0.05, 0.3]",
            "--runs",
            "5",
            "--quiet",
            "--out",
            "sweep.csv",
        ],
    );
    let doc = std::fs::read_to_string(root().join("docs/outputs.md")).unwrap();
    let scenario = std::fs::read_to_string(founding()).unwrap();
    let ids = |table: &str| -> Vec<String> {
        scenario
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("[{table}.")))
            .filter_map(|l| l.strip_suffix(']'))
            .filter(|id| !id.contains('.'))
            .map(String::from)
            .collect()
    };
    let (issues, threats) = (ids("issues"), ids("threats"));
    assert!(!issues.is_empty() && !threats.is_empty());
    let mut seen = 0;
    for file in ["runs.csv", "events.csv", "summary.csv", "sweep.csv"] {
        let schema = json(&dir.path().join(format!("{file}.schema.json")));
        let header = std::fs::read_to_string(dir.path().join(file)).unwrap();
        let header: Vec<&str> = header.lines().next().unwrap().split(',').collect();
        let fields = schema["fields"].as_array().unwrap();
        let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(
            names, header,
            "{file}: the schema lists the header's columns"
        );
        for f in fields {
            let mut name = f["name"].as_str().unwrap().to_string();
            for i in &issues {
                if let Some(head) = name.strip_suffix(&format!(".{i}")) {
                    name = format!("{head}.<issue>");
                }
            }
            for t in &threats {
                if let Some(head) = name.strip_suffix(&format!(".{t}")) {
                    name = format!("{head}.<threat>");
                }
            }
            if name == "parties.russia.cost_of_conflict" {
                name = "<key>".into();
            }
            let row = format!("| `{name}` | {} |", f["type"].as_str().unwrap());
            assert!(doc.contains(&row), "docs/outputs.md lacks `{row}` ({file})");
            seen += 1;
        }
    }
    assert!(seen > 50, "{seen}");
}

#[test]
fn every_cell_has_its_columns_type() {
    let dir = tempfile::tempdir().unwrap();
    run_all(dir.path(), "csv", "200");
    for (_, table) in TABLES {
        let file = dir.path().join(format!("{table}.csv"));
        let schema = json(&dir.path().join(format!("{table}.csv.schema.json")));
        let types: Vec<String> = schema["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["type"].as_str().unwrap().to_string())
            .collect();
        let mut r = csv::Reader::from_path(&file).unwrap();
        let mut rows = 0;
        for rec in r.records() {
            let rec = rec.unwrap();
            rows += 1;
            for (cell, ty) in rec.iter().zip(&types) {
                let good = match ty.as_str() {
                    "integer" => cell.parse::<i64>().is_ok(),
                    "number" => {
                        cell.parse::<f64>().is_ok()
                            && (cell.contains('.') || cell.contains('e') || cell == "NaN")
                    }
                    "boolean" => cell == "TRUE" || cell == "FALSE",
                    "string" => !cell.is_empty(),
                    other => panic!("type {other}"),
                };
                assert!(good, "{table}: `{cell}` is not a {ty}");
            }
        }
        assert!(rows >= 8, "{table}: {rows} rows");
    }
}

#[test]
fn parquet_holds_the_rows_of_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    run_all(dir.path(), "csv", "120");
    run_all(dir.path(), "parquet", "120");
    for (_, table) in TABLES {
        let csv = std::fs::read_to_string(dir.path().join(format!("{table}.csv"))).unwrap();
        let pq = dir.path().join(format!("{table}.parquet"));
        assert_eq!(&std::fs::read(&pq).unwrap()[..4], b"PAR1", "{table}");
        assert_eq!(parquet_as_csv(&pq), csv, "{table}");
        assert!(
            !dir.path()
                .join(format!("{table}.parquet.schema.json"))
                .exists(),
            "a Parquet file describes itself"
        );
    }
    // --format wins over the extension.
    ok(
        dir.path(),
        &[
            "run",
            p(&founding()),
            "--runs",
            "120",
            "--quiet",
            "--format",
            "parquet",
            "--out",
            "runs.data",
        ],
    );
    assert_eq!(
        std::fs::read(dir.path().join("runs.data")).unwrap(),
        std::fs::read(dir.path().join("runs.parquet")).unwrap()
    );
}

fn sweep_args<'a>(out: &'a str, extra: &[&'a str]) -> Vec<String> {
    let mut a: Vec<String> = [
        "sweep",
        p(&founding()),
        "--vary",
        "parties.russia.cost_of_conflict=0.05..0.3:4",
        "--runs",
        "30",
        "--quiet",
        "--out",
        out,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    a.extend(extra.iter().map(|s| s.to_string()));
    a
}

fn ok_strings(dir: &Path, args: &[String]) -> String {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(dir, &a)
}

#[test]
fn parquet_sweeps_are_byte_identical_across_threads_and_shards() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok_strings(d, &sweep_args("t1.parquet", &["--threads", "1"]));
    ok_strings(d, &sweep_args("t2.parquet", &["--threads", "2"]));
    let t1 = std::fs::read(d.join("t1.parquet")).unwrap();
    assert_eq!(t1, std::fs::read(d.join("t2.parquet")).unwrap());
    ok_strings(d, &sweep_args("s1.parquet", &["--shard", "0/2"]));
    ok_strings(d, &sweep_args("s2.parquet", &["--shard", "1/2"]));
    ok(
        d,
        &[
            "merge",
            "s2.parquet",
            "s1.parquet",
            "--out",
            "merged.parquet",
        ],
    );
    assert_eq!(std::fs::read(d.join("merged.parquet")).unwrap(), t1);
    // And the same rows as the CSV sweep.
    ok_strings(d, &sweep_args("t.csv", &[]));
    assert_eq!(
        parquet_as_csv(&d.join("t1.parquet")),
        std::fs::read_to_string(d.join("t.csv")).unwrap()
    );
}

#[test]
fn merge_refuses_shards_of_another_platform_or_version() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok_strings(d, &sweep_args("s1.csv", &["--shard", "0/2"]));
    ok_strings(d, &sweep_args("s2.csv", &["--shard", "1/2"]));
    ok(d, &["merge", "s1.csv", "s2.csv", "--out", "good.csv"]);
    let meta = d.join("s2.csv.meta.json");
    let original = std::fs::read_to_string(&meta).unwrap();
    for (key, value) in [
        (
            "platform",
            "aarch64-macos, little-endian, 64-bit, maths: libm (pure Rust)",
        ),
        ("negsim_version", "0.0.9"),
    ] {
        let mut m: serde_json::Value = serde_json::from_str(&original).unwrap();
        m[key] = serde_json::json!(value);
        std::fs::write(&meta, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
        let out = negsim(d, &["merge", "s1.csv", "s2.csv", "--out", "bad.csv"]);
        assert_eq!(out.status.code(), Some(2), "{key}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(value), "{key}: {err}");
        assert!(!d.join("bad.csv").exists(), "no partial output");
    }
}

#[test]
fn rerun_reproduces_a_run_and_a_sweep_and_says_when_they_differ() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(
        d,
        &[
            "run",
            p(&founding()),
            "--runs",
            "80",
            "--set",
            "parties.russia.cost_of_conflict=0.1",
            "--quiet",
            "--out",
            "runs.csv",
            "--events",
            "events.parquet",
        ],
    );
    let meta = json(&d.join("runs.csv.meta.json"));
    assert_eq!(
        meta["scenario_text"].as_str().unwrap(),
        std::fs::read_to_string(founding()).unwrap(),
        "the sidecar embeds the scenario"
    );
    assert_eq!(meta["command"][1], "run");
    assert!(meta["platform"].as_str().unwrap().contains("libm"));
    for file in ["runs.csv", "events.parquet"] {
        let said = ok(d, &["rerun", &format!("{file}.meta.json")]);
        assert!(said.contains("reproduced byte-identical"), "{file}: {said}");
    }
    ok_strings(d, &sweep_args("sweep.csv", &[]));
    let said = ok(d, &["rerun", "sweep.csv.meta.json", "--out", "again.csv"]);
    assert!(said.contains("reproduced byte-identical"), "{said}");
    assert_eq!(
        std::fs::read(d.join("again.csv")).unwrap(),
        std::fs::read(d.join("sweep.csv")).unwrap()
    );
    // A changed result file is caught.
    let runs = d.join("runs.csv");
    let mut bytes = std::fs::read(&runs).unwrap();
    let at = bytes.len() - 10;
    bytes[at] = if bytes[at] == b'0' { b'1' } else { b'0' };
    std::fs::write(&runs, &bytes).unwrap();
    let out = negsim(d, &["rerun", "runs.csv.meta.json"]);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("NOT byte-identical"), "{said}");
}

#[test]
fn a_scenario_may_come_from_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let from_file = ok(d, &["run", p(&founding()), "--runs", "40", "--out", "-"]);
    let out = Command::cargo_bin("negsim")
        .unwrap()
        .current_dir(d)
        .args(["run", "-", "--runs", "40", "--out", "-"])
        .write_stdin(std::fs::read(founding()).unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), from_file);
    let out = Command::cargo_bin("negsim")
        .unwrap()
        .args(["validate", "-"])
        .write_stdin("name = \"x\"\n[simulation]\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("<stdin>"));
}

#[test]
fn quiet_prints_nothing_and_json_is_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = negsim(
        d,
        &[
            "run",
            p(&founding()),
            "--runs",
            "60",
            "--quiet",
            "--summary",
            "s.csv",
        ],
    );
    assert!(out.status.success());
    assert_eq!((out.stdout.len(), out.stderr.len()), (0, 0));
    let text = ok(d, &["run", p(&founding()), "--runs", "60", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["runs"], 60);
    let outcomes = v["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 8);
    let csv = std::fs::read_to_string(d.join("s.csv")).unwrap();
    for (row, o) in csv.lines().skip(1).zip(outcomes) {
        let f: Vec<&str> = row.split(',').collect();
        assert_eq!(o["outcome"], f[0]);
        assert_eq!(o["count"].as_u64().unwrap().to_string(), f[1]);
    }
    let text = ok_strings(
        d,
        &sweep_args("sw.csv", &["--json"])
            .into_iter()
            .filter(|a| a != "--quiet")
            .collect::<Vec<_>>(),
    );
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(v.is_object(), "{text}");
}

#[test]
fn completions_man_page_and_scenario_schema() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for shell in ["bash", "zsh", "fish"] {
        let s = ok(d, &["completions", shell]);
        assert!(s.contains("rerun") && s.contains("sweep"), "{shell}");
    }
    let man = ok(d, &["man"]);
    assert!(
        man.contains(".TH negsim 1"),
        "{}",
        &man[..200.min(man.len())]
    );
    let schema: serde_json::Value = serde_json::from_str(&ok(d, &["schema"])).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(schema["properties"]["parties"].is_object());
}
