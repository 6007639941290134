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
//!
//! # Applying a point directly
//!
//! When every varied key is a numeric parameter that the scenario declares
//! (a slot of the compiled model, such as `parties.russia.cost_of_conflict`),
//! a point is made by copying the model compiled once with the fixed
//! overrides and writing the point's values into those slots, checking only
//! the varied keys (finite, in range, on the grid of a binary or discrete issue, a positive
//! salience, an event's rate within the `rate` limit). That is the same model as recompiling the edited scenario,
//! which the sweep checks at the points it validates up front; a value that
//! fails the quick checks is built the slow way, which reports it exactly as
//! before. Structural keys (`meetings.geneva.rounds`, `follow_up.max`,
//! `simulation.max_events`, ...) always take the slow way.

use std::collections::BTreeSet;
use std::ops::Range;

use super::design::file::DesignFile;
use super::design::{build_design_within, Design, DesignKind, DesignOptions, Factor};
use super::provenance::{
    platform_fingerprint, sha256_hex, DesignRecord, Provenance, FORMAT, GENERATOR,
};
use super::shard::{shard_range, Shard};
use crate::error::{Diagnostic, Error, ErrorKind, Result};
use crate::model::{Model, Slot};
use crate::montecarlo::Job;
use crate::output::columns::{prefix_columns, Column};
use crate::output::{push_f64, RunsFormat};
use crate::scenario::validate::Bounds;
use crate::scenario::{Override, Param, ScenarioSource, ScenarioTemplate};

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
    /// Settings of Morris and Sobol designs (defaults are filled in by
    /// [`Sweep::new`]).
    pub options: DesignOptions,
    /// The design read with `--design-file` (for [`DesignKind::File`], whose
    /// `factors` are empty).
    pub file: Option<DesignFile>,
}

/// A validated sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    name: String,
    file: String,
    template: ScenarioTemplate,
    text: String,
    sha256: String,
    overrides: Vec<Override>,
    spec: SweepSpec,
    design: Design,
    header: Vec<u8>,
    columns: Vec<Column>,
    direct: Option<Direct>,
}

/// The model compiled with the fixed overrides, into which a point's values
/// are written directly (see the module docs).
#[derive(Debug, Clone, PartialEq)]
struct Direct {
    base: Model,
    slots: Vec<DirectSlot>,
}

/// A varied key's slot and what its values must satisfy.
#[derive(Debug, Clone, Copy, PartialEq)]
struct DirectSlot {
    slot: Slot,
    bounds: Bounds,
    /// A position, red line or status quo on a binary or discrete issue:
    /// one of the issue's values.
    grid: Option<u32>,
    /// A salience weight: zero could leave a party's weights summing to zero.
    salience: bool,
    /// The largest value the scenario's limits allow (an event's rate).
    limit: f64,
}

impl Direct {
    /// `None` unless every key is a numeric parameter the scenario declares.
    fn new(source: &ScenarioSource, keys: &[String]) -> Option<Direct> {
        let mut declared = BTreeSet::new();
        source.scenario.for_each_param(|path, _, _| {
            declared.insert(path);
        });
        let base = Model::compile(&source.scenario);
        let slots = keys
            .iter()
            .map(|key| {
                if !declared.contains(key) {
                    return None;
                }
                let slot = base.param_slot(key)?;
                let p = &base.params[slot];
                let rate = key.starts_with("events.") && key.ends_with(".rate");
                Some(DirectSlot {
                    slot,
                    bounds: p.bounds,
                    grid: p.grid,
                    salience: key.contains(".salience."),
                    limit: if rate {
                        source.limits.rate as f64
                    } else {
                        f64::INFINITY
                    },
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Direct { base, slots })
    }

    /// The model at `values`; `None` when a value fails the quick checks.
    fn model(&self, values: &[f64]) -> Option<Model> {
        let admits = |s: &DirectSlot, v: f64| {
            v.is_finite()
                && s.bounds.contains(v, v)
                && s.grid
                    .is_none_or(|n| crate::scenario::validate::on_grid(v, n as usize))
                && (!s.salience || v > 0.0)
                && v <= s.limit
        };
        if !self.slots.iter().zip(values).all(|(s, &v)| admits(s, v)) {
            return None;
        }
        let mut model = self.base.clone();
        for (s, &v) in self.slots.iter().zip(values) {
            // `-0` reads back from its text as 0.
            model.set_param(s.slot, Param::Fixed(if v == 0.0 { 0.0 } else { v }));
        }
        Some(model)
    }
}

/// The text of a parameter value as the CSV columns hold it: always a
/// float (`2.0`).
pub fn value_text(x: f64) -> String {
    let mut v = Vec::new();
    push_f64(&mut v, x);
    String::from_utf8(v).expect("ASCII")
}

/// The text of a parameter value in an override: a whole number without
/// its `.0` (`2`), so that a key that takes a count (`meetings.m.rounds`)
/// reads it, and a float key reads it the same.
pub fn override_text(x: f64) -> String {
    let s = value_text(x);
    match s.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None => s,
    }
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
        let mut spec = spec;
        let design = match (&spec.file, spec.kind) {
            (Some(f), DesignKind::File) => {
                if !spec.factors.is_empty() {
                    return Err(Error::usage(
                        "--design-file gives the keys and their values; drop --vary",
                    ));
                }
                if let Some(points) = spec.points.filter(|&p| p != f.design.len()) {
                    return Err(Error::usage(format!(
                        "--points {points} does not match the {} points of --design-file {}; drop --points",
                        f.design.len(),
                        f.path
                    )));
                }
                f.design.clone()
            }
            (None, DesignKind::File) | (Some(_), _) => {
                return Err(Error::usage(
                    "a file design needs --design-file FILE.csv and no other --design",
                ))
            }
            (None, kind) => build_design_within(
                kind,
                &spec.factors,
                spec.points,
                spec.seed,
                &spec.options,
                source.limits.design_values,
            )
            .map_err(|e| Error::usage(e.to_string()).with_source(e))?,
        };
        spec.options = spec
            .options
            .resolve(spec.kind)
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
            text: source.text.clone(),
            sha256: sha256_hex(source.text.as_bytes()),
            overrides: source.overrides.clone(),
            spec,
            design,
            header: Vec::new(),
            columns: Vec::new(),
            direct: None,
        };
        let first = sweep.job_rebuilt(0)?;
        // The last point holds the upper ends of grid ranges; this shard's
        // first point is the one it would fail on first.
        let range = sweep.point_range();
        let last = sweep.design.len() - 1;
        let mut checked = vec![(0, first.model.clone())];
        for point in [range.start, last] {
            if point != 0 && point <= last {
                checked.push((point, sweep.job_rebuilt(point)?.model));
            }
        }
        // Points go the direct way only if it gives the very models that
        // recompiling gave at the checked points.
        sweep.direct = Direct::new(source, &sweep.design.keys).filter(|d| {
            checked
                .iter()
                .all(|(p, m)| d.model(&sweep.design.points[*p]).as_ref() == Some(m))
        });
        let format = RunsFormat::new(&first.model);
        format.header(&sweep.prefix_columns(), &mut sweep.header);
        sweep.columns = prefix_columns(&sweep.prefix_columns());
        sweep.columns.extend(format.schema());
        Ok(sweep)
    }

    /// Whether design points are applied directly to the compiled model
    /// (every varied key a numeric parameter; see the module docs) rather
    /// than by editing and recompiling the scenario.
    pub fn is_direct(&self) -> bool {
        self.direct.is_some()
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

    /// The runs file's columns, with their types and meanings.
    pub fn runs_columns(&self) -> &[Column] {
        &self.columns
    }

    /// The summary file's columns.
    pub fn summary_columns(&self) -> Vec<Column> {
        let mut c = prefix_columns(&self.prefix_columns());
        c.extend(crate::output::Summary::schema());
        c
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
                value: override_text(v),
            });
        }
        o
    }

    /// The scenario at design point `point`, compiled, as a job of `runs`
    /// replications: applied directly to the compiled model when the sweep
    /// [`is_direct`](Sweep::is_direct) and the values pass the quick checks,
    /// else as [`job_rebuilt`](Sweep::job_rebuilt) builds it.
    pub fn job(&self, point: usize) -> Result<Job> {
        if let Some(model) = self
            .direct
            .as_ref()
            .and_then(|d| d.model(&self.design.points[point]))
        {
            return Ok(self.job_of(point, model));
        }
        self.job_rebuilt(point)
    }

    /// The job of `point` built the slow way: the scenario text edited with
    /// the point's overrides, validated and compiled (every key, every check).
    pub fn job_rebuilt(&self, point: usize) -> Result<Job> {
        let overrides = self.point_overrides(point);
        let source = self
            .template
            .instantiate(&overrides)
            .map_err(|e| self.point_error(point, &overrides[self.overrides.len()..], e))?;
        Ok(self.job_of(point, Model::compile(&source.scenario)))
    }

    fn job_of(&self, point: usize, model: Model) -> Job {
        let mut prefix = Vec::with_capacity(16 * (1 + self.design.keys.len()));
        self.push_prefix(point, &mut prefix);
        Job {
            model,
            seed: self.spec.seed,
            runs: self.spec.runs,
            prefix,
        }
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
            platform: platform_fingerprint(),
            output: "runs".into(),
            file_format: "csv".into(),
            scenario_file: self.file.clone(),
            scenario_sha256: self.sha256.clone(),
            scenario_text: self.text.clone(),
            sweep_file_text: None,
            design_file_text: self.spec.file.as_ref().map(|f| f.text.clone()),
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
                options: self.spec.options,
                file_sha256: self.spec.file.as_ref().map(|f| f.sha256.clone()),
            },
            runs_per_point: self.spec.runs,
            generator: GENERATOR.to_string(),
            shard: Provenance::shard_text(self.spec.shard),
            point_range: [range.start, range.end],
            rows: (range.len() as u64).saturating_mul(self.spec.runs),
            rows_sha256: None,
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
            options: DesignOptions::default(),
            file: None,
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
        assert_eq!(job.prefix, b"5,0.9,4.0,");
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
    fn direct_points_are_the_recompiled_models() {
        let keys = [
            "parties.a.patience=0.5..0.99:4",
            "parties.b.cost_of_conflict=[0, 0.3]",
            "issues.x.status_quo=0..1:3",
            "simulation.noise=[0, 0.05]",
        ];
        let s = Sweep::new(&source(&[]), spec(&keys)).unwrap();
        assert!(s.is_direct());
        for point in 0..s.design().len() {
            let (fast, slow) = (s.job(point).unwrap(), s.job_rebuilt(point).unwrap());
            assert_eq!(fast.model, slow.model, "point {point}");
            assert_eq!(fast.prefix, slow.prefix);
        }
    }

    #[test]
    fn structural_or_undeclared_keys_take_the_slow_way() {
        for key in [
            "meetings.m.rounds=[2, 4]",
            "simulation.max_events=[100, 200]",
        ] {
            let s = Sweep::new(&source(&[]), spec(&[key])).unwrap();
            assert!(!s.is_direct(), "{key}");
            assert_eq!(s.job(1).unwrap().model, s.job_rebuilt(1).unwrap().model);
        }
    }

    #[test]
    fn a_bad_value_mid_design_reports_as_the_slow_way_does() {
        let s = Sweep::new(&source(&[]), spec(&["simulation.noise=[0, -1, 0.1]"])).unwrap();
        assert!(s.is_direct());
        let (fast, slow) = (s.job(1).unwrap_err(), s.job_rebuilt(1).unwrap_err());
        assert_eq!(fast.to_string(), slow.to_string());
        assert!(fast.to_string().contains("design point 1"), "{fast}");
    }

    #[test]
    fn a_rate_over_the_limit_is_refused_as_the_slow_way_does() {
        let text = format!(
            "{SCENARIO}[events.e]\nrate = 0.01\neffects = [{{ path = \"parties.a.patience\", add = 0.0 }}]\n"
        );
        let src = ScenarioSource::from_str("t.toml", &text, &[]).unwrap();
        let s = Sweep::new(&src, spec(&["events.e.rate=[0.5, 1e15, 0.7]"])).unwrap();
        assert!(s.is_direct());
        let (fast, slow) = (s.job(1).unwrap_err(), s.job_rebuilt(1).unwrap_err());
        assert_eq!(fast.to_string(), slow.to_string());
        assert!(fast.to_string().contains("rate"), "{fast}");
    }

    proptest::proptest! {
        #[test]
        fn direct_models_equal_recompiled_ones_for_any_values(
            patience in 0.01f64..=1.0,
            cost in 0.0f64..5.0,
            sq in 0.0f64..=1.0,
            noise in 0.0f64..1.0,
        ) {
            let vary = [
                format!("parties.a.patience=[{}]", value_text(patience)),
                format!("parties.b.cost_of_conflict=[{}]", value_text(cost)),
                format!("issues.x.status_quo=[{}]", value_text(sq)),
                format!("simulation.noise=[{}]", value_text(noise)),
            ];
            let vary: Vec<&str> = vary.iter().map(String::as_str).collect();
            let s = Sweep::new(&source(&[]), spec(&vary)).unwrap();
            proptest::prop_assert!(s.is_direct());
            proptest::prop_assert_eq!(s.job(0).unwrap().model, s.job_rebuilt(0).unwrap().model);
        }
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
