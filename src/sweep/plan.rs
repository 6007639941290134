//! A sweep ready to run: the scenario text, the fixed overrides, the design
//! and the shard, validated; it builds the Monte Carlo [`Job`] of any design
//! point on demand.
//!
//! A design point is the scenario with the fixed `--set` overrides and then
//! one override per varied key applied, each value written as the shortest
//! text that reads back to the same float (the same text as the point's CSV
//! columns). Every point runs replications `0..runs` with the master seed, so
//! replication `r` draws the same random numbers at every point: common random
//! numbers.

use std::ops::Range;

use super::design::{build_design, Design, DesignKind, Factor};
use super::provenance::{sha256_hex, DesignRecord, Provenance, FORMAT, GENERATOR};
use super::shard::{shard_range, Shard};
use crate::error::{Diagnostic, Error, ErrorKind, Result};
use crate::model::Model;
use crate::montecarlo::Job;
use crate::output::{push_f64, RunsFormat};
use crate::scenario::{Override, ScenarioSource, ScenarioTemplate};

/// What the user asked for, with defaults resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSpec {
    /// The varied parameters, in column order.
    pub factors: Vec<Factor>,
    /// How the points are laid out.
    pub kind: DesignKind,
    /// `--points` (required for lhs and random; optional check for grids).
    pub points: Option<usize>,
    /// Replications per design point.
    pub runs: u64,
    /// Master seed: the runs' generators and the design's.
    pub seed: u64,
    /// The part of the design this process runs.
    pub shard: Shard,
}

/// A validated sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    name: String,
    file: String,
    template: ScenarioTemplate,
    sha256: String,
    overrides: Vec<Override>,
    spec: SweepSpec,
    design: Design,
    header: Vec<u8>,
}

/// The text of a parameter value, in overrides and in CSV columns.
pub fn value_text(x: f64) -> String {
    let mut v = Vec::new();
    push_f64(&mut v, x);
    String::from_utf8(v).expect("ASCII")
}

impl Sweep {
    /// Lays out the design and checks it against the scenario: every varied
    /// key must be a path that `--set` accepts, which is checked by building
    /// the first design point (and the last, and this shard's first), so that
    /// a bad key or an out-of-range end is reported before any output is
    /// opened. Other points are checked when they are built.
    ///
    /// `source` is the scenario as loaded with the fixed overrides.
    pub fn new(source: &ScenarioSource, spec: SweepSpec) -> Result<Sweep> {
        if spec.runs == 0 {
            return Err(Error::usage(
                "--runs must be at least 1 (replications per design point)",
            ));
        }
        let design = build_design(spec.kind, &spec.factors, spec.points, spec.seed)
            .map_err(|e| Error::usage(e.to_string()).with_source(e))?;
        for o in &source.overrides {
            if design.keys.contains(&o.key) {
                return Err(Error::usage(format!(
                    "{} is both fixed (--set {o}) and varied (--vary); drop one of them",
                    o.key
                )));
            }
        }
        let mut sweep = Sweep {
            name: source.scenario.name.clone(),
            file: source.file.clone(),
            template: ScenarioTemplate::from_str(&source.file, &source.text)?.within(source.limits),
            sha256: sha256_hex(source.text.as_bytes()),
            overrides: source.overrides.clone(),
            spec,
            design,
            header: Vec::new(),
        };
        let first = sweep.job(0)?;
        // The last point holds the upper ends of grid ranges; this shard's
        // first point is the one it would fail on first.
        let range = sweep.point_range();
        let last = sweep.design.len() - 1;
        for point in [range.start, last] {
            if point != 0 && point <= last {
                sweep.job(point)?;
            }
        }
        RunsFormat::new(&first.model).header(&sweep.prefix_columns(), &mut sweep.header);
        Ok(sweep)
    }

    /// The scenario's display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The scenario file's name, as given.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The fixed overrides.
    pub fn overrides(&self) -> &[Override] {
        &self.overrides
    }

    /// The resolved request.
    pub fn spec(&self) -> &SweepSpec {
        &self.spec
    }

    /// All design points of the sweep (not only this shard's).
    pub fn design(&self) -> &Design {
        &self.design
    }

    /// The design points this shard runs.
    pub fn point_range(&self) -> Range<usize> {
        shard_range(self.design.len(), self.spec.shard)
    }

    /// Leading columns of every row: `point` and the varied keys.
    pub fn prefix_columns(&self) -> Vec<String> {
        std::iter::once("point".to_string())
            .chain(self.design.keys.iter().cloned())
            .collect()
    }

    /// The runs CSV header line (with its newline).
    pub fn runs_header(&self) -> &[u8] {
        &self.header
    }

    /// Appends the leading columns of `point`'s rows: `point,v1,...,vk,`.
    pub fn push_prefix(&self, point: usize, out: &mut Vec<u8>) {
        super::rows::push_prefix(point, &self.design.points[point], out);
    }

    /// The overrides that make design point `point`: the fixed ones, then one
    /// per varied key.
    pub fn point_overrides(&self, point: usize) -> Vec<Override> {
        let mut o = self.overrides.clone();
        for (key, &v) in self.design.keys.iter().zip(&self.design.points[point]) {
            o.push(Override {
                key: key.clone(),
                value: value_text(v),
            });
        }
        o
    }

    /// The scenario at design point `point`, compiled, as a job of `runs`
    /// replications.
    pub fn job(&self, point: usize) -> Result<Job> {
        let overrides = self.point_overrides(point);
        let source = self
            .template
            .instantiate(&overrides)
            .map_err(|e| self.point_error(point, &overrides[self.overrides.len()..], e))?;
        let mut prefix = Vec::with_capacity(16 * (1 + self.design.keys.len()));
        self.push_prefix(point, &mut prefix);
        Ok(Job {
            model: Model::compile(&source.scenario),
            seed: self.spec.seed,
            runs: self.spec.runs,
            prefix,
        })
    }

    /// Rewrites an override error so that it names `--vary` and the point.
    fn point_error(&self, point: usize, varied: &[Override], e: Error) -> Error {
        let label = |o: &Override| format!("--vary {}, design point {point}: {o}", o.key);
        match e.kind() {
            ErrorKind::Usage(msg) => {
                for o in varied {
                    if let Some(rest) = msg.strip_prefix(&format!("--set {o}:")) {
                        return Error::usage(format!("{}:{rest}", label(o)));
                    }
                }
                e
            }
            ErrorKind::Scenario(diags) => {
                let diags: Vec<Diagnostic> = diags
                    .iter()
                    .map(|d| {
                        let mut d = d.clone();
                        let mut relabelled = false;
                        for o in varied {
                            let alone = format!("(--set {o})");
                            if d.file.ends_with(&alone) {
                                d.file = d.file.replace(&alone, &format!("({})", label(o)));
                                return d;
                            }
                            let set = format!("--set {o}");
                            if d.file.contains(&set) {
                                d.file = d.file.replace(&set, &format!("--vary {o}"));
                                relabelled = true;
                            }
                        }
                        if relabelled && d.file.ends_with(')') {
                            d.file.pop();
                            d.file.push_str(&format!(", design point {point})"));
                        }
                        d
                    })
                    .collect();
                Error::new(ErrorKind::Scenario(diags))
            }
            _ => e,
        }
    }

    /// The sidecar of a file holding this shard's points, written by `command`.
    pub fn provenance(&self, command: &[String]) -> Provenance {
        let range = self.point_range();
        Provenance {
            format: FORMAT,
            negsim_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario_file: self.file.clone(),
            scenario_sha256: self.sha256.clone(),
            overrides: self.overrides.iter().map(|o| o.to_string()).collect(),
            seed: self.spec.seed,
            design: DesignRecord {
                kind: self.spec.kind,
                keys: self.design.keys.clone(),
                specs: self
                    .spec
                    .factors
                    .iter()
                    .map(|f| f.spec.to_string())
                    .collect(),
                points: self.design.len(),
                seed: self.spec.seed,
            },
            runs_per_point: self.spec.runs,
            generator: GENERATOR.to_string(),
            shard: Provenance::shard_text(self.spec.shard),
            point_range: [range.start, range.end],
            rows: (range.len() as u64).saturating_mul(self.spec.runs),
            command: command.to_vec(),
            merged_from: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::design::parse_vary;

    const SCENARIO: &str = r#"
name = "t"
[simulation]
start = 2024-01-01
end = 2024-03-01
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
"#;

    fn spec(vary: &[&str]) -> SweepSpec {
        SweepSpec {
            factors: vary.iter().map(|v| parse_vary(v).unwrap()).collect(),
            kind: DesignKind::Grid,
            points: None,
            runs: 3,
            seed: 5,
            shard: Shard::WHOLE,
        }
    }

    fn source(set: &[Override]) -> ScenarioSource {
        ScenarioSource::from_str("t.toml", SCENARIO, set).unwrap()
    }

    #[test]
    fn builds_points_with_prefix_and_header() {
        let s = Sweep::new(
            &source(&[]),
            spec(&["parties.a.patience=0.5..0.9:3", "meetings.m.rounds=[2, 4]"]),
        )
        .unwrap();
        assert_eq!(s.design().len(), 6);
        let job = s.job(5).unwrap();
        assert_eq!(job.prefix, b"5,0.9,4,");
        assert_eq!(job.runs, 3);
        assert_eq!(job.seed, 5);
        assert!(s
            .runs_header()
            .starts_with(b"point,parties.a.patience,meetings.m.rounds,run,seed,"));
        assert_eq!(value_text(0.7000000000000001), "0.7000000000000001");
    }

    #[test]
    fn unknown_key_names_vary_and_suggests() {
        let e = Sweep::new(&source(&[]), spec(&["parties.a.patiense=[0.5]"])).unwrap_err();
        assert!(e.is_input_error());
        let m = e.to_string();
        assert!(
            m.contains("--vary parties.a.patiense, design point 0"),
            "{m}"
        );
        assert!(m.contains("did you mean `patience`"), "{m}");
        let e = Sweep::new(&source(&[]), spec(&["parties.c.patience=[0.5]"])).unwrap_err();
        assert!(
            e.to_string().starts_with(
                "--vary parties.c.patience, design point 0: parties.c.patience=0.5: no `c`"
            ),
            "{e}"
        );
    }

    #[test]
    fn key_both_fixed_and_varied_is_refused() {
        let set = [Override {
            key: "parties.a.patience".into(),
            value: "0.8".into(),
        }];
        let e = Sweep::new(&source(&set), spec(&["parties.a.patience=[0.5]"])).unwrap_err();
        assert!(e.to_string().contains("both fixed"), "{e}");
    }

    #[test]
    fn zero_runs_and_bad_designs_are_usage_errors() {
        let mut sp = spec(&["parties.a.patience=[0.5]"]);
        sp.runs = 0;
        assert!(Sweep::new(&source(&[]), sp).unwrap_err().is_input_error());
        let e = Sweep::new(&source(&[]), spec(&["parties.a.patience=0.5..0.9"])).unwrap_err();
        assert!(e.to_string().contains("has no count"), "{e}");
    }

    #[test]
    fn provenance_records_the_design() {
        let mut sp = spec(&["parties.a.patience=0.5..0.9:4"]);
        sp.shard = Shard { index: 1, count: 3 };
        let s = Sweep::new(&source(&[]), sp).unwrap();
        let p = s.provenance(&["negsim".into()]);
        assert_eq!(p.shard, "1/3");
        assert_eq!(p.point_range, [2, 3]);
        assert_eq!(p.rows, 3);
        assert_eq!(p.design.specs, ["0.5..0.9:4"]);
        assert_eq!(p.scenario_sha256, sha256_hex(SCENARIO.as_bytes()));
    }
}
