//! `negsim report`: one self-contained HTML page about a batch of runs or a
//! sweep, for a class or a briefing: the scenario at a glance, the outcome
//! shares with their 95% intervals, when each outcome happened, the offers
//! on each issue in a few sample runs, the settled values, and for a sweep
//! each outcome's share against each varied parameter and a heat map.
//!
//! A report is built from a batch it runs ([`Report::from_batch`]) or from
//! the files a batch or a sweep wrote ([`Report::from_files`]); both count
//! the same runs CSV rows ([`tally`]), so the two give the same page for the
//! same runs. Charts are drawn by plotters as SVG ([`charts`]) and inlined
//! with their titles and text alternatives ([`html`]); nothing on the page
//! loads anything, and every name from the scenario is escaped.

pub mod charts;
pub mod glance;
pub mod html;
pub mod samples;
pub mod tally;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use crate::error::{Error, Result};
use crate::model::{Model, Outcome};
use crate::montecarlo::{Driver, Job, Sink};
use crate::narrate::date_of;
use crate::output::wilson_interval;
use crate::scenario::{Override, ScenarioSource};
use charts::pct;
use html::{escape, Page};
use samples::Sample;
use tally::Tally;

/// Sample runs whose offers a report charts.
pub const SAMPLES: usize = 3;

/// Heat maps drawn for a sweep of two or more parameters: one per outcome,
/// the most frequent first.
pub const HEAT_MAPS: usize = 3;

/// Everything a report shows.
#[derive(Debug, Clone)]
pub struct Report {
    /// The scenario (with the overrides the runs were made with).
    pub source: ScenarioSource,
    /// It compiled.
    pub model: Model,
    /// The runs, counted.
    pub tally: Tally,
    /// The master seed, when known.
    pub seed: Option<u64>,
    /// Sample runs, offer by offer.
    pub samples: Vec<Sample>,
    /// Where the runs came from, in words.
    pub origin: String,
    /// Things the reader should know (how samples were obtained, mismatches).
    pub notes: Vec<String>,
}

/// Counts the runs CSV rows a batch delivers.
struct TallySink<'m> {
    model: &'m Model,
    tally: Tally,
}

impl Sink for TallySink<'_> {
    fn runs(&mut self, bytes: &[u8]) -> Result<()> {
        self.tally
            .read_more(self.model, bytes, "the batch's runs", false)
    }
}

impl Report {
    /// Runs `runs` runs of `source` with master seed `seed` on `threads`
    /// threads (0: one per core) and counts them.
    pub fn from_batch(
        source: ScenarioSource,
        runs: u64,
        seed: u64,
        threads: usize,
        cancel: &AtomicBool,
    ) -> Result<Report> {
        let model = Model::compile(&source.scenario);
        let driver = Driver::new(threads)?;
        let mut sink = TallySink {
            model: &model,
            tally: Tally::new(&model),
        };
        let job = Job {
            model: model.clone(),
            seed,
            runs,
            prefix: Vec::new(),
        };
        driver.run(1, |_| Ok(job.clone()), &mut sink, cancel)?;
        let tally = sink.tally;
        let mut samples_out = Vec::new();
        for row in samples::pick(&tally, SAMPLES) {
            if let Some(s) = samples::replay(&model, seed, &row)? {
                samples_out.push(s);
            }
        }
        let mut origin = format!("{runs} runs, seed {seed}");
        for o in &source.overrides {
            origin.push_str(&format!(", --set {o}"));
        }
        Ok(Report {
            source,
            model,
            tally,
            seed: Some(seed),
            samples: samples_out,
            origin,
            notes: Vec::new(),
        })
    }

    /// Reads a runs CSV written by `negsim run --out` or `negsim sweep --out`
    /// (with its events CSV, if given, for the sample runs' offers). The
    /// scenario is `scenario` when given (a note says so if it is not the
    /// file the sidecar records), else the one its provenance
    /// sidecar (`RUNS.csv.meta.json`) names, checked against the SHA-256
    /// recorded there.
    pub fn from_files(
        runs_csv: &Path,
        events: Option<&Path>,
        scenario: Option<&Path>,
        limits: &crate::limits::Limits,
    ) -> Result<Report> {
        let name = runs_csv.display().to_string();
        let sidecar = Sidecar::read(runs_csv)?;
        let mut notes = Vec::new();
        let (path, overrides) = match (scenario, &sidecar) {
            (Some(p), side) => {
                let overrides = side
                    .as_ref()
                    .map(|s| s.overrides.clone())
                    .unwrap_or_default();
                if let Some(s) = side {
                    let bytes = std::fs::read(p).map_err(|e| Error::io(p, e))?;
                    if crate::sweep::provenance::sha256_hex(&bytes) != s.sha256 {
                        notes.push(format!(
                            "{} is not the scenario file the runs were made from (its SHA-256 \
                             differs from the one {} records)",
                            p.display(),
                            s.path.display()
                        ));
                    }
                }
                (p.to_path_buf(), overrides)
            }
            (None, Some(s)) => (s.scenario(runs_csv)?, s.overrides.clone()),
            (None, None) => {
                return Err(Error::usage(format!(
                    "{name} has no provenance sidecar ({}) to name its scenario; name it: \
                     negsim report SCENARIO --from {name} --html FILE",
                    crate::sweep::provenance::Provenance::sidecar_path(runs_csv).display()
                )))
            }
        };
        let source = ScenarioSource::from_path_within(&path, &overrides, limits)?;
        let model = Model::compile(&source.scenario);
        let file = std::fs::File::open(runs_csv).map_err(|e| Error::io(runs_csv, e))?;
        let tally = Tally::read(&model, std::io::BufReader::new(file), &name)?;
        if tally.runs == 0 {
            return Err(Error::usage(format!("{name}: no runs in the file")));
        }
        let seed = sidecar.as_ref().and_then(|s| s.seed).or(tally.seed);
        let picks = samples::pick(&tally, SAMPLES);
        let mut samples_out = Vec::new();
        if let Some(ev) = events {
            let f = std::fs::File::open(ev).map_err(|e| Error::io(ev, e))?;
            samples_out = samples::from_events(
                &model,
                std::io::BufReader::new(f),
                &ev.display().to_string(),
                &picks,
            )?;
            notes.push(format!(
                "The sample runs' offers are read from {}.",
                ev.display()
            ));
        } else if let Some(seed) = seed {
            let mut missed = 0;
            for row in &picks {
                let at_point = match row.point.and_then(|p| tally.points.get(p)) {
                    Some(point) => {
                        let mut o = overrides.clone();
                        for (k, v) in tally.keys.iter().zip(&point.values) {
                            o.push(Override {
                                key: k.clone(),
                                value: format!("{v}"),
                            });
                        }
                        Model::compile(
                            &ScenarioSource::from_path_within(&path, &o, limits)?.scenario,
                        )
                    }
                    None => model.clone(),
                };
                match samples::replay(&at_point, seed, row)? {
                    Some(s) => samples_out.push(s),
                    None => missed += 1,
                }
            }
            notes.push(format!(
                "The sample runs' offers are replayed from the scenario with seed {seed} (run r \
                 depends only on the seed and r)."
            ));
            if missed > 0 {
                notes.push(format!(
                    "{missed} sample run(s) did not replay as the file records them (made with \
                     other settings?); give the events CSV with --events to chart their offers."
                ));
            }
        }
        let what = if tally.keys.is_empty() {
            format!("{} runs", tally.runs)
        } else {
            format!(
                "a sweep of {} points, {} runs",
                tally.points.len(),
                tally.runs
            )
        };
        let mut origin = format!("{what} read from {name}");
        if let Some(s) = seed {
            origin.push_str(&format!(", seed {s}"));
        }
        for o in &overrides {
            origin.push_str(&format!(", --set {o}"));
        }
        Ok(Report {
            source,
            model,
            tally,
            seed,
            samples: samples_out,
            origin,
            notes,
        })
    }

    /// The page.
    pub fn to_html(&self) -> Result<String> {
        let m = &self.model;
        let t = &self.tally;
        let mut page = Page::new();
        let mut head = format!("<header>\n<h1>{}</h1>\n", escape(&m.name));
        let description = self.source.scenario.description.trim();
        if !description.is_empty() {
            head.push_str(&format!("<p>{}</p>\n", escape(description)));
        }
        head.push_str(&format!(
            "<p class=\"meta\">{} ({}). Scenario file {}. Made by negsim {}.</p>\n</header>\n",
            escape(&self.origin),
            escape(&format!("{} to {}", m.start, date_of(m, m.horizon))),
            escape(&self.source.file),
            env!("CARGO_PKG_VERSION")
        ));
        page.header(&head);

        page.section("glance", "The scenario at a glance");
        glance::write(&mut page, &self.source.scenario, m);

        page.section("outcomes", "Outcomes");
        page.chart(
            &charts::shares::chart(t)?,
            "Each bar is the share of runs that ended so; the line across it is its 95% Wilson interval.",
        );
        let rows: Vec<Vec<String>> = Outcome::ALL
            .iter()
            .map(|&o| {
                let k = t.counts[o.index()];
                let (lo, hi) = wilson_interval(k, t.runs);
                let day = |q| {
                    t.day_quantile(o, q)
                        .map_or(String::from("-"), |d| date_of(m, f64::from(d)).to_string())
                };
                vec![
                    o.to_string(),
                    k.to_string(),
                    pct(t.share(o)),
                    format!("{} to {}", pct(lo), pct(hi)),
                    day(0.0),
                    day(0.5),
                    day(1.0),
                ]
            })
            .collect();
        page.table(
            &format!("Outcomes of {} runs", t.runs),
            &[
                "outcome",
                "runs",
                "share",
                "95% interval",
                "first",
                "median day",
                "last",
            ],
            &rows,
            &[1, 2],
        );

        page.section("days", "When each outcome happened");
        if let Some(c) = charts::days::chart(m, t)? {
            page.chart(
                &c,
                "Runs ending on each day, one panel per outcome that happened; grey lines mark the scheduled meetings.",
            );
        }

        page.section("offers", "Offers, meeting by meeting");
        for n in &self.notes {
            page.note(n);
        }
        if self.samples.is_empty() {
            page.para("No sample runs to show (give the events CSV with --events, or the scenario and seed, to chart them).");
        } else {
            page.para(&format!(
                "Sample runs: {}. Each panel shows one run; each band one meeting; each line one party's offers on the issue, in the order made; a cross marks a settlement.",
                self.samples
                    .iter()
                    .map(|s| match s.point {
                        Some(p) => format!("point {p} run {} ({})", s.run, s.outcome),
                        None => format!("run {} ({})", s.run, s.outcome),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            for i in 0..m.issues.len() {
                if let Some(c) = charts::offers::chart(m, i, &self.samples)? {
                    let def = &m.issues[i];
                    page.chart(
                        &c,
                        &format!(
                            "Offers on {} ({}): 0 = {}, 1 = {}.",
                            def.id,
                            def.name,
                            label(&def.low, "0"),
                            label(&def.high, "1")
                        ),
                    );
                }
            }
        }

        page.section("settled", "Settled values");
        match charts::settled::chart(m, t)? {
            Some(c) => page.chart(&c, "How many runs settled each issue at each value."),
            None => page.para(&format!("No run of the {} settled any issue.", t.runs)),
        }

        if !t.keys.is_empty() && !t.points.is_empty() {
            page.section("sweep", "The sweep");
            page.para(&format!(
                "{} design points over {}; the runs at each value are pooled over the other parameters.",
                t.points.len(),
                t.keys.join(", ")
            ));
            for k in 0..t.keys.len() {
                page.chart(
                    &charts::sweep::against(t, k)?,
                    &format!(
                        "Each outcome's share against {}, with its 95% interval as a band.",
                        t.keys[k]
                    ),
                );
            }
            if t.keys.len() >= 2 {
                for o in t.happened().into_iter().take(HEAT_MAPS) {
                    page.chart(
                        &charts::sweep::heat_map(t, o, 0, 1)?,
                        &format!(
                            "The share of {o} over {} (across) and {} (up): darker is more.",
                            t.keys[0], t.keys[1]
                        ),
                    );
                }
            }
        }
        Ok(page.finish(&format!("negsim report: {}", m.name)))
    }
}

fn label<'a>(text: &'a str, fallback: &'a str) -> &'a str {
    if text.is_empty() {
        fallback
    } else {
        text
    }
}

/// What a report needs from a provenance sidecar (read leniently: a sweep's
/// or any later one with these fields).
#[derive(Debug, Clone, PartialEq)]
struct Sidecar {
    path: std::path::PathBuf,
    scenario_file: String,
    sha256: String,
    overrides: Vec<Override>,
    seed: Option<u64>,
}

impl Sidecar {
    fn read(csv: &Path) -> Result<Option<Sidecar>> {
        let path = crate::sweep::provenance::Provenance::sidecar_path(csv);
        let text = match std::fs::read(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path, e)),
        };
        let bad = |what: &str| {
            Error::usage(format!(
                "{}: {what}; it should be the provenance JSON negsim wrote beside the runs CSV",
                path.display()
            ))
        };
        let v: serde_json::Value =
            serde_json::from_slice(&text).map_err(|e| bad(&e.to_string()))?;
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let overrides = v
            .get("overrides")
            .and_then(|o| o.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str())
                    .map(str::parse)
                    .collect::<Result<Vec<Override>>>()
            })
            .transpose()?
            .unwrap_or_default();
        Ok(Some(Sidecar {
            scenario_file: s("scenario_file").ok_or_else(|| bad("no `scenario_file`"))?,
            sha256: s("scenario_sha256").unwrap_or_default(),
            overrides,
            seed: v.get("seed").and_then(|x| x.as_u64()),
            path,
        }))
    }

    /// The scenario file it names: as named, else beside the runs CSV;
    /// checked against the recorded SHA-256.
    fn scenario(&self, csv: &Path) -> Result<std::path::PathBuf> {
        let named = std::path::PathBuf::from(&self.scenario_file);
        let beside = csv.parent().map(|d| d.join(&named));
        let found = std::iter::once(named.clone())
            .chain(beside)
            .find(|p| p.is_file())
            .ok_or_else(|| {
                Error::usage(format!(
                    "{} names the scenario {}, which is not there; name it: negsim report \
                     SCENARIO --from RUNS.csv --html FILE",
                    self.path.display(),
                    self.scenario_file
                ))
            })?;
        let bytes = std::fs::read(&found).map_err(|e| Error::io(&found, e))?;
        if !self.sha256.is_empty() && crate::sweep::provenance::sha256_hex(&bytes) != self.sha256 {
            return Err(Error::usage(format!(
                "{} has changed since the runs were made (its SHA-256 differs from the one {} \
                 records); name it on the command line (negsim report SCENARIO --from \
                 RUNS.csv) to report on it anyway",
                found.display(),
                self.path.display()
            )));
        }
        Ok(found)
    }
}
