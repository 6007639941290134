//! Integration tests: sensitivity analysis and scenario discovery —
//! `negsim analyze` on functions whose indices are known (Ishigami, the
//! Sobol G-function, a planted box), a Sobol analysis of Fearon's model,
//! the Morris and Sobol designs' determinism, shards and merge, design files,
//! the direct point path against recompiling, and bad options.

use std::collections::BTreeMap;
use std::f64::consts::PI;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use assert_cmd::Command;
use negsim::montecarlo::{Driver, Sink};
use negsim::scenario::ScenarioSource;
use negsim::sweep::design::{build_design_with, parse_vary, Design, DesignKind, DesignOptions};
use negsim::sweep::shard::Shard;
use negsim::sweep::{Sweep, SweepSpec};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn p(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

fn negsim() -> Command {
    let mut c = Command::cargo_bin("negsim").unwrap();
    c.env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("JOB_COMPLETION_INDEX");
    c
}

/// Runs negsim, which must succeed, and returns its standard output.
fn ok(args: &[&str]) -> String {
    let out = negsim().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn design(kind: DesignKind, vary: &[String], options: DesignOptions, seed: u64) -> Design {
    let factors: Vec<_> = vary.iter().map(|v| parse_vary(v).unwrap()).collect();
    build_design_with(kind, &factors, None, seed, &options).unwrap()
}

/// Writes a CSV of the design's inputs and `f` at each point.
fn write_table(path: &Path, d: &Design, f: impl Fn(&[f64]) -> f64) {
    let mut s = d.keys.join(",") + ",y\n";
    for x in &d.points {
        let cells: Vec<String> = x.iter().map(|v| v.to_string()).collect();
        s += &format!("{},{}\n", cells.join(","), f(x));
    }
    std::fs::write(path, s).unwrap();
}

/// `(statistic, parameter) -> (estimate, ci_low, ci_high)` from an index CSV.
fn indices(csv: &Path) -> BTreeMap<(String, String), (f64, f64, f64)> {
    let text = std::fs::read_to_string(csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("method,output,statistic,parameter,parameter_2,estimate,ci_low,ci_high")
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let n = |i: usize| f[i].parse::<f64>().unwrap();
            ((f[2].to_string(), f[3].to_string()), (n(5), n(6), n(7)))
        })
        .collect()
}

fn ishigami(x: &[f64]) -> f64 {
    x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
}

/// The Ishigami function's indices for a = 7, b = 0.1 (Ishigami & Homma
/// 1990; Sobol' & Levitan 1999): (S1, ST) per input.
fn ishigami_truth() -> [(f64, f64); 3] {
    let (a, b) = (7.0f64, 0.1f64);
    let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = 8.0 * b * b * PI.powi(8) / 225.0;
    let v = v1 + v2 + v13;
    [(v1 / v, (v1 + v13) / v), (v2 / v, v2 / v), (0.0, v13 / v)]
}

fn ishigami_indices(
    dir: &Path,
    base: usize,
    resamples: &str,
) -> BTreeMap<(String, String), (f64, f64, f64)> {
    let vary: Vec<String> = (1..=3).map(|i| format!("x{i}=-{PI}..{PI}")).collect();
    let options = DesignOptions {
        base_points: Some(base),
        ..DesignOptions::default()
    };
    let d = design(DesignKind::Sobol, &vary, options, 42);
    let table = dir.join(format!("ishigami-{base}.csv"));
    write_table(&table, &d, ishigami);
    let out = dir.join(format!("ishigami-{base}-indices.csv"));
    let text = ok(&[
        "analyze",
        p(&table),
        "--output",
        "y",
        "--method",
        "sobol",
        "--inputs",
        "x1,x2,x3",
        "--resamples",
        resamples,
        "--out",
        p(&out),
    ]);
    assert!(text.contains("Sobol' indices"), "{text}");
    indices(&out)
}

#[test]
fn ishigami_indices_lie_in_their_bootstrap_intervals() {
    let dir = tempfile::tempdir().unwrap();
    let got = ishigami_indices(dir.path(), 1024, "1000");
    for (i, (s1, st)) in ishigami_truth().into_iter().enumerate() {
        let name = format!("x{}", i + 1);
        for (stat, truth) in [("S1", s1), ("ST", st)] {
            let (est, lo, hi) = got[&(stat.to_string(), name.clone())];
            assert!(
                lo <= truth && truth <= hi,
                "{stat} {name}: {truth} not in [{lo}, {hi}] (estimate {est})"
            );
            assert!(
                hi - lo < 0.3,
                "{stat} {name}: interval [{lo}, {hi}] says nothing"
            );
        }
    }
}

#[test]
fn ishigami_indices_are_within_0_02_at_a_large_n() {
    let dir = tempfile::tempdir().unwrap();
    let got = ishigami_indices(dir.path(), 1 << 14, "20");
    for (i, (s1, st)) in ishigami_truth().into_iter().enumerate() {
        let name = format!("x{}", i + 1);
        for (stat, truth) in [("S1", s1), ("ST", st)] {
            let est = got[&(stat.to_string(), name.clone())].0;
            assert!(
                (est - truth).abs() < 0.02,
                "{stat} {name}: {est} vs {truth}"
            );
        }
    }
}

#[test]
fn morris_mu_star_ranks_the_g_function_inputs_by_importance() {
    // Sobol's G-function: input i matters less the larger a_i (Saltelli et
    // al. 2008, Global Sensitivity Analysis: The Primer, section 3.6).
    let a = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0];
    let g = |x: &[f64]| -> f64 {
        x.iter()
            .zip(a)
            .map(|(&x, a)| ((4.0 * x - 2.0).abs() + a) / (1.0 + a))
            .product()
    };
    let vary: Vec<String> = (0..8).map(|i| format!("x{i}=0..1")).collect();
    let options = DesignOptions {
        trajectories: Some(40),
        candidates: Some(200),
        ..DesignOptions::default()
    };
    let d = design(DesignKind::Morris, &vary, options, 7);
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("g.csv");
    write_table(&table, &d, g);
    let out = dir.path().join("morris.csv");
    ok(&[
        "analyze",
        p(&table),
        "--output",
        "y",
        "--method",
        "morris",
        "--out",
        p(&out),
    ]);
    let got = indices(&out);
    let mu_star = |i: usize| got[&("mu_star".to_string(), format!("x{i}"))].0;
    for i in 0..3 {
        assert!(
            mu_star(i) > mu_star(i + 1),
            "mu* of x{i} <= mu* of x{}",
            i + 1
        );
    }
    let negligible = (4..8).map(mu_star).fold(0.0, f64::max);
    assert!(mu_star(3) > negligible, "{} vs {negligible}", mu_star(3));
}

#[test]
fn prim_recovers_a_planted_box() {
    let vary: Vec<String> = (1..=3).map(|i| format!("x{i}=0..1")).collect();
    let factors: Vec<_> = vary.iter().map(|v| parse_vary(v).unwrap()).collect();
    let d = build_design_with(
        DesignKind::Lhs,
        &factors,
        Some(3000),
        11,
        &DesignOptions::default(),
    )
    .unwrap();
    let planted = |x: &[f64]| {
        f64::from(u8::from(
            (0.2..=0.6).contains(&x[0]) && (0.5..=0.9).contains(&x[1]),
        ))
    };
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("box.csv");
    write_table(&table, &d, planted);
    let out = dir.path().join("prim.csv");
    let text = ok(&[
        "analyze",
        p(&table),
        "--output",
        "y",
        "--method",
        "prim",
        "--out",
        p(&out),
    ]);
    assert!(text.contains("box 1: coverage"), "{text}");
    let csv = std::fs::read_to_string(&out).unwrap();
    let chosen: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[0] == "1" && f[2] == "true")
        .collect();
    assert_eq!(chosen.len(), 3, "one row per input for the chosen box");
    let f = |row: &[&str], i: usize| row[i].parse::<f64>().unwrap();
    let (coverage, density) = (f(&chosen[0], 4), f(&chosen[0], 5));
    assert!(
        coverage > 0.85 && density > 0.95,
        "coverage {coverage}, density {density}"
    );
    for (row, lo, hi) in [(&chosen[0], 0.2, 0.6), (&chosen[1], 0.5, 0.9)] {
        assert_eq!(row[8], "true", "{row:?} should be restricted");
        assert!(
            (f(row, 9) - lo).abs() < 0.03 && (f(row, 10) - hi).abs() < 0.03,
            "{row:?}"
        );
    }
    assert_eq!(chosen[2][8], "false", "x3 plays no part: {:?}", chosen[2]);
}

#[test]
fn a_sobol_analysis_of_fearon_finds_that_private_information_drives_war() {
    // Fearon (1995): with complete information rational states never fight;
    // war comes from private information, so the noise in what each side
    // knows of the other must carry most of the variance of conflict, while
    // costs and capabilities matter only through it.
    let dir = tempfile::tempdir().unwrap();
    let runs = dir.path().join("runs.csv");
    let analysis = dir.path().join("sobol.csv");
    let fearon = root().join("scenarios/textbook/fearon.toml");
    let text = ok(&[
        "sweep",
        p(&fearon),
        "--design",
        "sobol",
        "--base-points",
        "128",
        "--vary",
        "simulation.noise=0..0.1",
        "--vary",
        "parties.b.cost_of_conflict=0.05..0.3",
        "--vary",
        "parties.a.capability=0.5..2",
        "--runs",
        "20",
        "--out",
        p(&runs),
        "--analyze",
        "--analysis-out",
        p(&analysis),
    ]);
    assert!(
        text.contains("analysis: sobol of the conflict share at 640 points"),
        "{text}"
    );
    let got = indices(&analysis);
    let get = |stat: &str, key: &str| got[&(stat.to_string(), key.to_string())];
    for other in ["parties.b.cost_of_conflict", "parties.a.capability"] {
        for stat in ["S1", "ST"] {
            let (noise, theirs) = (get(stat, "simulation.noise").0, get(stat, other).0);
            assert!(noise > theirs, "{stat}: noise {noise} <= {other} {theirs}");
        }
    }
    let (_, lo, _) = get("ST", "simulation.noise");
    assert!(
        lo > 0.3,
        "noise's total index should be clearly large: low end {lo}"
    );
}

fn sweep_args<'a>(scenario: &'a str, design: &'a [&'a str], out: &'a str) -> Vec<&'a str> {
    let mut a = vec!["sweep", scenario];
    a.extend_from_slice(design);
    a.extend([
        "--vary",
        "simulation.noise=0..0.1",
        "--vary",
        "parties.b.cost_of_conflict=0.05..0.3",
        "--runs",
        "3",
        "--seed",
        "9",
        "--out",
        out,
    ]);
    a
}

#[test]
fn morris_and_sobol_sweeps_are_deterministic_and_merge_byte_for_byte() {
    let fearon = root().join("scenarios/textbook/fearon.toml");
    let dir = tempfile::tempdir().unwrap();
    let designs: [&[&str]; 3] = [
        &[
            "--design",
            "morris",
            "--trajectories",
            "5",
            "--candidates",
            "12",
        ],
        &["--design", "sobol", "--base-points", "8"],
        &[
            "--design",
            "sobol",
            "--base-points",
            "8",
            "--sequence",
            "plain",
            "--second-order",
        ],
    ];
    for (n, d) in designs.iter().enumerate() {
        let whole = dir.path().join(format!("whole-{n}.csv"));
        let again = dir.path().join(format!("again-{n}.csv"));
        ok(&sweep_args(p(&fearon), d, p(&whole)));
        ok(&sweep_args(p(&fearon), d, p(&again)));
        let bytes = std::fs::read(&whole).unwrap();
        assert_eq!(bytes, std::fs::read(&again).unwrap(), "{d:?}");
        let mut shards = Vec::new();
        for i in 0..3 {
            let f = dir.path().join(format!("shard-{n}-{i}.csv"));
            let shard = format!("{i}/3");
            let mut a = sweep_args(p(&fearon), d, p(&f));
            a.extend(["--shard", &shard]);
            ok(&a);
            shards.push(f);
        }
        let merged = dir.path().join(format!("merged-{n}.csv"));
        let mut a = vec!["merge"];
        a.extend(shards.iter().map(|s| p(s)));
        a.extend(["--out", p(&merged)]);
        ok(&a);
        assert_eq!(std::fs::read(&merged).unwrap(), bytes, "{d:?}");
        let meta: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(format!("{}.meta.json", p(&merged))).unwrap(),
        )
        .unwrap();
        assert_eq!(meta["design"]["kind"], d[1]);
        assert!(meta["design"]["options"].is_object(), "{meta}");
        // The analysis of the merged file is the analysis of the whole one.
        let a1 = ok(&["analyze", p(&merged)]);
        let a2 = ok(&["analyze", p(&whole)]);
        assert_eq!(a1, a2);
    }
}

#[test]
fn a_written_design_runs_from_its_file_with_the_same_rows() {
    let fearon = root().join("scenarios/textbook/fearon.toml");
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("design.csv");
    let sobol: &[&str] = &["--design", "sobol", "--base-points", "8"];
    let mut a = sweep_args(p(&fearon), sobol, "");
    a.truncate(a.len() - 2);
    a.extend(["--write-design", p(&design)]);
    let text = ok(&a);
    assert!(
        text.contains("wrote design:") && text.contains("32 points x 2 keys"),
        "{text}"
    );
    let written = std::fs::read_to_string(&design).unwrap();
    assert!(written.starts_with("simulation.noise,parties.b.cost_of_conflict\n"));
    assert_eq!(written.lines().count(), 1 + 32);
    let direct = dir.path().join("direct.csv");
    ok(&sweep_args(p(&fearon), sobol, p(&direct)));
    let from_file = dir.path().join("from-file.csv");
    ok(&[
        "sweep",
        p(&fearon),
        "--design-file",
        p(&design),
        "--runs",
        "3",
        "--seed",
        "9",
        "--out",
        p(&from_file),
    ]);
    assert_eq!(
        std::fs::read(&from_file).unwrap(),
        std::fs::read(&direct).unwrap()
    );
    // As numpy writes it (a commented header) and as the EMA Workbench does
    // (an index column and bookkeeping columns).
    let rows: Vec<&str> = written.lines().skip(1).collect();
    let numpy = dir.path().join("numpy.csv");
    std::fs::write(
        &numpy,
        format!(
            "# {}\n{}\n",
            written.lines().next().unwrap(),
            rows.join("\n")
        ),
    )
    .unwrap();
    let ema = dir.path().join("ema.csv");
    let mut e =
        String::from(",simulation.noise,parties.b.cost_of_conflict,scenario,policy,model\n");
    for (i, r) in rows.iter().enumerate() {
        e += &format!("{i},{r},{i},None,fearon\n");
    }
    std::fs::write(&ema, e).unwrap();
    for f in [&numpy, &ema] {
        let out = dir.path().join("o.csv");
        ok(&[
            "sweep",
            p(&fearon),
            "--design-file",
            p(f),
            "--runs",
            "3",
            "--seed",
            "9",
            "--out",
            p(&out),
        ]);
        assert_eq!(
            std::fs::read(&out).unwrap(),
            std::fs::read(&direct).unwrap(),
            "{}",
            p(f)
        );
        // A file design has no implied method: the Saltelli layout is found
        // from the values when asked for.
        let text = ok(&["analyze", p(&out), "--method", "sobol", "--resamples", "10"]);
        assert!(text.contains("8 base points"), "{text}");
    }
}

/// Collects runs CSV bytes.
#[derive(Default)]
struct Bytes(Vec<u8>);

impl Sink for Bytes {
    fn runs(&mut self, bytes: &[u8]) -> negsim::Result<()> {
        self.0.extend_from_slice(bytes);
        Ok(())
    }
}

#[test]
fn points_applied_directly_write_the_bytes_of_recompiled_points() {
    let path = root().join("scenarios/jan-2022-security-talks.toml");
    let source = ScenarioSource::from_path(&path, &[]).unwrap();
    let spec = SweepSpec {
        factors: [
            "parties.russia.cost_of_conflict=0.1..0.6",
            "threats.us_sanctions.credibility=0..1",
            "parties.russia.reservation.nato_enlargement=0.3..0.9",
            "parties.russia.noise=0..0.2",
        ]
        .iter()
        .map(|v| parse_vary(v).unwrap())
        .collect(),
        kind: DesignKind::Sobol,
        points: None,
        runs: 20,
        seed: 20220110,
        shard: Shard::WHOLE,
        options: DesignOptions {
            base_points: Some(8),
            ..DesignOptions::default()
        },
        file: None,
    };
    let sweep = Sweep::new(&source, spec).unwrap();
    assert!(sweep.is_direct());
    let driver = Driver::new(2).unwrap();
    let cancel = AtomicBool::new(false);
    let (mut fast, mut slow) = (Bytes::default(), Bytes::default());
    let n = sweep.design().len();
    let s1 = driver.run(n, |i| sweep.job(i), &mut fast, &cancel).unwrap();
    let s2 = driver
        .run(n, |i| sweep.job_rebuilt(i), &mut slow, &cancel)
        .unwrap();
    assert_eq!(fast.0, slow.0);
    assert_eq!(s1, s2);
    assert_eq!(fast.0.iter().filter(|&&b| b == b'\n').count(), n * 20);
}

#[test]
fn bad_options_exit_2_and_write_nothing() {
    let fearon = root().join("scenarios/textbook/fearon.toml");
    let f = p(&fearon);
    let dir = tempfile::tempdir().unwrap();
    let lhs = dir.path().join("lhs.csv");
    ok(&[
        "sweep",
        f,
        "--design",
        "lhs",
        "--points",
        "21",
        "--vary",
        "simulation.noise=0..0.1",
        "--vary",
        "parties.a.capability=0.5..2",
        "--runs",
        "2",
        "--out",
        p(&lhs),
    ]);
    let out = dir.path().join("out.csv");
    let o = p(&out);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "sweep",
                f,
                "--design",
                "sobol",
                "--vary",
                "simulation.noise=0..0.1",
                "--out",
                o,
            ],
            "--design sobol needs --base-points N",
        ),
        (
            vec![
                "sweep",
                f,
                "--design",
                "morris",
                "--levels",
                "3",
                "--vary",
                "simulation.noise=0..0.1",
                "--out",
                o,
            ],
            "--levels 3: a Morris design needs an even number of levels",
        ),
        (
            vec![
                "sweep",
                f,
                "--design",
                "morris",
                "--vary",
                "simulation.noise=[0, 0.1]",
                "--out",
                o,
            ],
            "needs a range LO..HI",
        ),
        (
            vec![
                "sweep",
                f,
                "--design",
                "lhs",
                "--points",
                "4",
                "--base-points",
                "4",
                "--vary",
                "simulation.noise=0..0.1",
                "--out",
                o,
            ],
            "--base-points applies to --design sobol only",
        ),
        (
            vec![
                "sweep",
                f,
                "--design",
                "sobol",
                "--base-points",
                "4",
                "--vary",
                "simulation.noise=0..0.1",
                "--analyze",
                "--analyze-output",
                "conflit",
                "--out",
                o,
            ],
            "--analyze-output conflit",
        ),
        (
            vec!["sweep", f, "--design-file", "no-such-file.csv", "--out", o],
            "no-such-file.csv",
        ),
        (
            vec!["analyze", p(&lhs), "--method", "morris", "--out", o],
            "not a Morris design",
        ),
        (
            vec!["analyze", p(&lhs), "--method", "sobol", "--out", o],
            "not a Saltelli design",
        ),
        (
            vec!["analyze", p(&lhs), "--output", "conflit", "--out", o],
            "did you mean `conflict`",
        ),
        (
            vec![
                "analyze",
                p(&lhs),
                "--method",
                "sobol",
                "--threshold",
                "0.5",
                "--out",
                o,
            ],
            "apply to --method prim only",
        ),
        (
            vec!["analyze", p(&lhs), "--method", "halton", "--out", o],
            "unknown method 'halton'",
        ),
        (
            vec!["analyze", p(&lhs), "--peel-alpha", "0.7", "--out", o],
            "--peel-alpha 0.7",
        ),
        (
            vec!["analyze", p(&lhs), "--out", p(&lhs)],
            "an output must never replace an input",
        ),
        (
            vec![
                "sweep",
                f,
                "--design",
                "sobol",
                "--base-points",
                "4",
                "--vary",
                "simulation.noise=0..0.1",
                "--write-design",
                f,
            ],
            "an output must never replace an input",
        ),
    ];
    for (args, msg) in cases {
        let r = negsim().args(&args).output().unwrap();
        let e = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(2), "{args:?}: {e}");
        assert!(e.contains(msg), "{args:?}: expected `{msg}` in {e}");
        assert!(!out.exists(), "{args:?} left {o}");
    }
}

/// The `$ negsim` commands of `docs/sensitivity.md`, run at a small size
/// (fewer runs, points and trajectories): every flag still exists, the
/// commands chain, and each analysis names the four keys. The numbers are
/// not compared: they belong to the model, and the document shows a
/// measured run at full size.
#[cfg(unix)]
#[test]
fn the_sensitivity_guide_commands_run() {
    let doc = std::fs::read_to_string(root().join("docs/sensitivity.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(root().join("scenarios"), dir.path().join("scenarios")).unwrap();
    let smaller = [
        ("--runs", "2"),
        ("--base-points", "16"),
        ("--points", "60"),
        ("--trajectories", "4"),
        ("--candidates", "8"),
    ];
    let keys = [
        "parties.russia.cost_of_conflict",
        "threats.us_sanctions.credibility",
        "threats.eu_sanctions.credibility",
        "parties.russia.reservation.nato_enlargement",
    ];
    let mut ran = 0;
    for line in doc.lines().filter_map(|l| l.strip_prefix("$ negsim ")) {
        let mut words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        for w in 1..words.len() {
            if let Some((_, v)) = smaller.iter().find(|(flag, _)| *flag == words[w - 1]) {
                words[w] = v.to_string();
            }
        }
        if words.iter().any(|w| w == "--design-file") {
            // The SALib design: write negsim's own in its place.
            let mut a: Vec<&str> = vec![
                "sweep",
                "scenarios/jan-2022-security-talks.toml",
                "--design",
                "sobol",
                "--base-points",
                "16",
                "--write-design",
                "salib-design.csv",
            ];
            for k in keys {
                a.extend(["--vary"]);
                a.push(match k {
                    "parties.russia.cost_of_conflict" => "parties.russia.cost_of_conflict=0..0.4",
                    "threats.us_sanctions.credibility" => "threats.us_sanctions.credibility=0..1",
                    "threats.eu_sanctions.credibility" => "threats.eu_sanctions.credibility=0..1",
                    _ => "parties.russia.reservation.nato_enlargement=0.15..0.9",
                });
            }
            let o = negsim().args(&a).current_dir(dir.path()).output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
        let out = negsim()
            .args(&words)
            .current_dir(dir.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "negsim {line}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        if words[0] == "analyze" {
            assert!(stdout.starts_with("analysis: "), "{stdout}");
            if stdout.starts_with("analysis: prim") {
                assert!(stdout.contains("box 1: coverage"), "{stdout}");
            } else {
                for k in keys {
                    assert!(stdout.contains(k), "negsim {line}: no {k} in {stdout}");
                }
            }
        }
        ran += 1;
    }
    assert!(ran >= 8, "only {ran} commands found in docs/sensitivity.md");
}

#[test]
fn resume_refuses_a_checkpoint_of_other_design_settings() {
    let fearon = root().join("scenarios/textbook/fearon.toml");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let base8: &[&str] = &["--design", "sobol", "--base-points", "8"];
    ok(&sweep_args(p(&fearon), base8, p(&out)));
    let partial = dir.path().join("out.csv.partial");
    std::fs::rename(&out, &partial).unwrap();
    std::fs::rename(
        dir.path().join("out.csv.meta.json"),
        dir.path().join("out.csv.partial.meta.json"),
    )
    .unwrap();
    let base16: &[&str] = &["--design", "sobol", "--base-points", "16"];
    let mut a = sweep_args(p(&fearon), base16, p(&out));
    a.push("--resume");
    let r = negsim().args(&a).output().unwrap();
    let e = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(2), "{e}");
    assert!(
        e.contains("is from a different sweep") && e.contains("design"),
        "{e}"
    );
    // The same settings resume, and end with the uninterrupted file.
    let whole = dir.path().join("whole.csv");
    ok(&sweep_args(p(&fearon), base8, p(&whole)));
    let mut a = sweep_args(p(&fearon), base8, p(&out));
    a.push("--resume");
    ok(&a);
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&whole).unwrap());
}
