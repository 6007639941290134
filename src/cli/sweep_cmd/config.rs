//! The conversion of `negsim sweep`'s flags into a [`SweepConfig`], checked
//! in this order: threads and limits, outputs, shard, the scenario and sweep
//! file, the design, runs per point, `--write-design`, `--analyze`.

use super::sweep_file::read_sweep_file_text;
use super::{analyze, design, outputs, usage_kept, SweepArgs, SweepConfig, DEFAULT_RUNS_PER_POINT};
use crate::cli::{parse_overrides, Report};
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::scenario::{ScenarioSource, SweepDef};
use crate::sweep::shard::{Shard, ShardSpec};
use crate::sweep::{Sweep, SweepOutputs, SweepSpec};

impl SweepConfig {
    /// Loads and validates everything the flags name, reading `--shard auto`
    /// from the process environment.
    pub fn from_args(args: &SweepArgs) -> Result<Self> {
        let command: Vec<String> = std::env::args_os()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        Self::from_args_with(args, command, |k| std::env::var(k).ok())
    }

    /// [`SweepConfig::from_args`] with the command line and the environment given.
    pub fn from_args_with(
        args: &SweepArgs,
        command: Vec<String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self> {
        if args.threads == Some(0) {
            return Err(Error::usage("--threads must be at least 1"));
        }
        let limits = Limits::from_settings(&args.limit)?;
        if let Some(runs) = args.runs.filter(|&r| r > limits.runs) {
            return Err(limits.usage_error(&format!("--runs {runs}"), "runs", runs));
        }
        if let Some(points) = args.points {
            let values = (points as u64).saturating_mul(args.vary.len().max(1) as u64);
            if values > limits.design_values {
                return Err(limits.usage_error(
                    &format!("--points {points} (x {} keys)", args.vary.len().max(1)),
                    "design_values",
                    values,
                ));
            }
        }
        outputs::check(args)?;
        let shard = match (&args.shard, args.shards) {
            (Some(s), flag) => s
                .parse::<ShardSpec>()
                .and_then(|spec| spec.resolve(flag, env))
                .map_err(usage_kept)?,
            (None, Some(n)) => {
                return Err(Error::usage(format!(
                    "--shards {n} needs --shard: --shard auto --shards {n} in a Kubernetes \
                     indexed Job, or --shard I/{n}"
                )))
            }
            (None, None) => Shard::WHOLE,
        };
        let overrides = parse_overrides(&args.set)?;
        let source = ScenarioSource::from_path_within(&args.scenario, &overrides, &limits)?;
        let (file_def, sweep_file_text) = match args.sweep_file.as_deref() {
            Some(p) => {
                let (def, text) = read_sweep_file_text(p, &limits)?;
                (Some(def), Some(text))
            }
            None => (None, None),
        };
        let defs: Vec<&SweepDef> = file_def.iter().chain(&source.scenario.sweep).collect();
        let design::Design {
            file: design_file,
            factors,
            kind,
            points,
            options,
            points_total: design_points,
        } = design::choose(args, &defs, &limits)?;
        let runs = args
            .runs
            .or_else(|| defs.iter().find_map(|d| d.runs))
            .or(source.scenario.simulation.runs)
            .unwrap_or(DEFAULT_RUNS_PER_POINT);
        if runs > limits.runs {
            return Err(limits.usage_error("runs per point", "runs", runs));
        }
        let total = design_points.saturating_mul(runs);
        if total > limits.runs {
            return Err(Error::usage(format!(
                "the sweep: {}",
                Limits::exceeded(
                    "runs",
                    format!("{design_points} points x {runs} runs = {total} runs"),
                    limits.runs
                )
            )));
        }
        let seed = args.seed.or(source.scenario.simulation.seed).unwrap_or(0);
        outputs::check_write_design(args)?;
        let analyze = analyze::request(args, kind, &options)?;
        let spec = SweepSpec {
            factors,
            kind,
            points,
            runs,
            seed,
            shard,
            options,
            file: design_file,
        };
        let sweep = Sweep::new(&source, spec)?;
        analyze::check_output(&analyze, &sweep)?;
        Ok(SweepConfig {
            sweep,
            threads: args.threads.unwrap_or(0),
            outputs: SweepOutputs {
                out: args.out.clone(),
                summary: args.summary.clone(),
                resume: args.resume,
                command,
                format: args.format,
                sweep_file_text,
            },
            progress: args.progress,
            raw_csv: args.raw_csv,
            write_design: args.write_design.clone(),
            analyze,
            report: Report::from_flags(args.quiet, args.json),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::cli::ProgressMode;
    use crate::scenario::Override;
    use crate::sweep::design::{DesignKind, DesignOptions, Factor, SobolScramble, Spec};

    const SCENARIO: &str = r#"
name = "t"
[simulation]
start = 2024-01-01
end = 2024-03-01
seed = 11
[issues.x]
[parties.a]
positions = { x = 1.0 }
patience = 0.9
[parties.b]
positions = { x = 0.0 }
patience = 0.9
[meetings.m]
date = 2024-01-02
participants = ["a", "b"]
agenda = ["x"]
protocol = "alternating"
first = "a"
rounds = 10
[sweep]
vary = ["parties.a.patience=0.5..0.9:3"]
runs = 7
"#;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn setup() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        std::fs::write(&path, SCENARIO).unwrap();
        (dir, path)
    }

    fn args(path: &Path) -> SweepArgs {
        SweepArgs {
            scenario: path.to_path_buf(),
            ..SweepArgs::default()
        }
    }

    fn factor(key: &str, spec: Spec) -> Factor {
        Factor {
            key: key.into(),
            spec,
        }
    }

    #[test]
    fn flags_win_over_the_sweep_file_and_the_scenario() {
        let (dir, path) = setup();
        let sweep_file = dir.path().join("sweep.toml");
        std::fs::write(
            &sweep_file,
            "vary = [\"parties.b.patience=0.2..0.4\"]\ndesign = \"lhs\"\npoints = 4\nruns = 9\n",
        )
        .unwrap();
        let a = SweepArgs {
            sweep_file: Some(sweep_file),
            runs: Some(3),
            threads: Some(2),
            out: Some(dir.path().join("o.csv")),
            shard: Some("1/2".into()),
            resume: true,
            set: vec!["meetings.m.rounds=5".into()],
            ..args(&path)
        };
        let cfg = SweepConfig::from_args_with(&a, vec!["negsim".into()], no_env).unwrap();
        let overrides = vec![Override {
            key: "meetings.m.rounds".into(),
            value: "5".into(),
        }];
        let source = ScenarioSource::from_path(&path, &overrides).unwrap();
        let spec = SweepSpec {
            factors: vec![factor(
                "parties.b.patience",
                Spec::Range {
                    lo: 0.2,
                    hi: 0.4,
                    n: None,
                },
            )],
            kind: DesignKind::Lhs,
            points: Some(4),
            runs: 3,
            seed: 11,
            shard: Shard { index: 1, count: 2 },
            options: DesignOptions::default(),
            file: None,
        };
        let expected = SweepConfig {
            sweep: Sweep::new(&source, spec).unwrap(),
            threads: 2,
            outputs: SweepOutputs {
                out: Some(dir.path().join("o.csv")),
                summary: None,
                resume: true,
                command: vec!["negsim".into()],
                format: None,
                sweep_file_text: Some(
                    "vary = [\"parties.b.patience=0.2..0.4\"]\ndesign = \"lhs\"\npoints = 4\nruns = 9\n"
                        .into(),
                ),
            },
            progress: ProgressMode::Auto,
            raw_csv: false,
            write_design: None,
            analyze: None,
            report: Report::Human,
        };
        assert_eq!(cfg, expected);
        assert_eq!(cfg.sweep.point_range(), 2..4);
    }

    #[test]
    fn scenario_sweep_table_and_defaults() {
        let (_dir, path) = setup();
        let cfg = SweepConfig::from_args_with(&args(&path), vec![], no_env).unwrap();
        let source = ScenarioSource::from_path(&path, &[]).unwrap();
        let spec = SweepSpec {
            factors: vec![factor(
                "parties.a.patience",
                Spec::Range {
                    lo: 0.5,
                    hi: 0.9,
                    n: Some(3),
                },
            )],
            kind: DesignKind::Grid,
            points: None,
            runs: 7,
            seed: 11,
            shard: Shard::WHOLE,
            options: DesignOptions::default(),
            file: None,
        };
        let expected = SweepConfig {
            sweep: Sweep::new(&source, spec).unwrap(),
            threads: 0,
            outputs: SweepOutputs::default(),
            progress: ProgressMode::Auto,
            raw_csv: false,
            write_design: None,
            analyze: None,
            report: Report::Human,
        };
        assert_eq!(cfg, expected);
    }

    #[test]
    fn runs_default_to_the_scenario_then_100() {
        let (dir, _) = setup();
        let path = dir.path().join("t.toml");
        let text = SCENARIO.replace("runs = 7\n", "");
        std::fs::write(&path, &text).unwrap();
        let cfg = SweepConfig::from_args_with(&args(&path), vec![], no_env).unwrap();
        assert_eq!(cfg.sweep.spec().runs, DEFAULT_RUNS_PER_POINT);
        std::fs::write(&path, text.replace("seed = 11", "seed = 11\nruns = 40")).unwrap();
        let cfg = SweepConfig::from_args_with(&args(&path), vec![], no_env).unwrap();
        assert_eq!(cfg.sweep.spec().runs, 40);
    }

    #[test]
    fn shard_auto_reads_the_environment() {
        let (_dir, path) = setup();
        let a = SweepArgs {
            shard: Some("auto".into()),
            shards: Some(3),
            ..args(&path)
        };
        let env = |k: &str| (k == "JOB_COMPLETION_INDEX").then(|| "2".to_string());
        let cfg = SweepConfig::from_args_with(&a, vec![], env).unwrap();
        assert_eq!(cfg.sweep.spec().shard, Shard { index: 2, count: 3 });
        let e = SweepConfig::from_args_with(&a, vec![], no_env).unwrap_err();
        assert!(
            e.to_string().contains("found neither SLURM_ARRAY_TASK_ID"),
            "{e}"
        );
    }

    #[test]
    fn flag_errors_are_usage_errors() {
        let (_dir, path) = setup();
        let cases: Vec<(SweepArgs, &str)> = vec![
            (
                SweepArgs {
                    threads: Some(0),
                    ..args(&path)
                },
                "--threads",
            ),
            (
                SweepArgs {
                    resume: true,
                    ..args(&path)
                },
                "--resume needs --out",
            ),
            (
                SweepArgs {
                    shards: Some(4),
                    ..args(&path)
                },
                "--shards 4 needs --shard",
            ),
            (
                SweepArgs {
                    shard: Some("3/3".into()),
                    ..args(&path)
                },
                "shard index 3 is out of range",
            ),
            (
                SweepArgs {
                    design: Some("halton".into()),
                    ..args(&path)
                },
                "unknown design 'halton'",
            ),
            (
                SweepArgs {
                    design: Some("sobol".into()),
                    ..args(&path)
                },
                "--design sobol needs --base-points N",
            ),
            (
                SweepArgs {
                    levels: Some(4),
                    ..args(&path)
                },
                "--levels applies to --design morris only, not --design grid",
            ),
            (
                SweepArgs {
                    design: Some("morris".into()),
                    vary: vec!["parties.a.patience=[0.5, 0.9]".into()],
                    ..args(&path)
                },
                "--design morris needs a range LO..HI",
            ),
            (
                SweepArgs {
                    design: Some("sobol".into()),
                    base_points: Some(8),
                    sequence: Some("owen".into()),
                    vary: vec!["parties.a.patience=0.5..0.9".into()],
                    ..args(&path)
                },
                "unknown sequence 'owen'",
            ),
            (
                SweepArgs {
                    write_design: Some("d.csv".into()),
                    out: Some("o.csv".into()),
                    ..args(&path)
                },
                "writes the design without running it; drop --out",
            ),
            (
                SweepArgs {
                    analyze: true,
                    ..args(&path)
                },
                "--analyze reads the runs CSV back: give --out FILE",
            ),
            (
                SweepArgs {
                    analyze: true,
                    analyze_method: Some("sobol".into()),
                    out: Some("o.csv".into()),
                    ..args(&path)
                },
                "a grid design does not fit it",
            ),
            (
                SweepArgs {
                    analyze_output: Some("conflict".into()),
                    ..args(&path)
                },
                "--analyze-output needs --analyze",
            ),
            (
                SweepArgs {
                    design_file: Some("no-such-design.csv".into()),
                    vary: vec!["parties.a.patience=0.5..0.9".into()],
                    ..args(&path)
                },
                "--design-file gives the keys and their values; drop --vary",
            ),
            (
                SweepArgs {
                    vary: vec!["parties.a.patience=0.9..0.2:3".into()],
                    ..args(&path)
                },
                "lower bound 0.9 is above upper bound 0.2",
            ),
            (
                SweepArgs {
                    out: Some("-".into()),
                    summary: Some("-".into()),
                    ..args(&path)
                },
                "only one output",
            ),
            (
                SweepArgs {
                    out: Some("o.csv".into()),
                    summary: Some("o.csv".into()),
                    ..args(&path)
                },
                "given for two outputs",
            ),
        ];
        for (a, msg) in cases {
            let e = SweepConfig::from_args_with(&a, vec![], no_env).unwrap_err();
            assert!(e.is_input_error(), "{e}");
            assert!(e.to_string().contains(msg), "{msg}: {e}");
        }
    }

    #[test]
    fn morris_and_sobol_settings_come_from_flags_or_the_sweep_file() {
        let (dir, path) = setup();
        let sweep_file = dir.path().join("sweep.toml");
        std::fs::write(
            &sweep_file,
            "vary = [\"parties.b.patience=0.2..0.4\", \"parties.a.patience=0.5..0.9\"]\n\
             design = \"sobol\"\nbase_points = 4\nsequence = \"plain\"\nsecond_order = true\n",
        )
        .unwrap();
        let a = SweepArgs {
            sweep_file: Some(sweep_file.clone()),
            ..args(&path)
        };
        let cfg = SweepConfig::from_args_with(&a, vec![], no_env).unwrap();
        let o = cfg.sweep.spec().options;
        assert_eq!(
            (o.base_points, o.second_order, o.sequence),
            (Some(4), Some(true), Some(SobolScramble::Plain))
        );
        assert_eq!(cfg.sweep.design().len(), 4 * 6);
        let a = SweepArgs {
            sweep_file: Some(sweep_file),
            design: Some("morris".into()),
            base_points: None,
            ..args(&path)
        };
        let e = SweepConfig::from_args_with(&a, vec![], no_env).unwrap_err();
        assert!(
            e.to_string()
                .contains("--base-points applies to --design sobol"),
            "{e}"
        );
        let a = SweepArgs {
            design: Some("morris".into()),
            trajectories: Some(3),
            levels: Some(6),
            vary: vec!["parties.a.patience=0.5..0.9".into()],
            ..args(&path)
        };
        let cfg = SweepConfig::from_args_with(&a, vec![], no_env).unwrap();
        assert_eq!(cfg.sweep.design().len(), 3 * 2);
        assert_eq!(cfg.sweep.spec().options.levels, Some(6));
    }
}
