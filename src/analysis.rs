//! Sensitivity analysis and scenario discovery on a sweep's results: which
//! inputs drive an outcome (Morris screening, Sobol' indices), and where in
//! the inputs' space the outcome lives (PRIM boxes).
//!
//! [`analyze_file`] reads a runs CSV (or any CSV of inputs and an output;
//! see [`data`]), picks the method the design was made for unless told, and
//! returns an [`Analysis`] that renders as a terminal table
//! ([`Analysis::render`]) and as tidy CSV ([`Analysis::csv`]):
//!
//! - [`morris`]: μ, μ* and σ of the elementary effects (Morris 1991;
//!   Campolongo, Cariboni & Saltelli 2007);
//! - [`sobol`]: first-order and total Sobol' indices (Sobol' 1993, 2001;
//!   Saltelli 2002; Saltelli et al. 2010; Jansen 1999), second order as an
//!   option;
//! - [`prim`]: PRIM boxes with coverage, density and the peeling trajectory
//!   (Friedman & Fisher 1999; Bryant & Lempert 2010).
//!
//! Intervals are 95% percentile bootstraps ([`bootstrap`]) drawn from a
//! seeded ChaCha8 stream, so the same file, settings and seed give the same
//! bytes.
//!
//! ```
//! use negsim::analysis::{data::Dataset, run, AnalysisRequest, Method};
//!
//! // y = 2 a on two Morris trajectories: the elementary effect of a is 2.
//! let x = vec![vec![0.0, 0.0], vec![1.0, 0.0], vec![1.0, 1.0],
//!              vec![0.0, 1.0], vec![0.0, 0.0], vec![1.0, 0.0]];
//! let y = x.iter().map(|p| 2.0 * p[0]).collect();
//! let data = Dataset::from_points(vec!["a".into(), "b".into()], x, y);
//! let request = AnalysisRequest { method: Some(Method::Morris), ..AnalysisRequest::default() };
//! let analysis = run(&data, &request).unwrap();
//! assert!(analysis.render().contains("a  "));
//! ```

pub mod bootstrap;
pub mod data;
pub mod morris;
pub mod prim;
mod report;
pub mod sobol;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::sweep::design::DesignKind;
use data::Dataset;

/// An analysis method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Morris elementary effects.
    Morris,
    /// Sobol' indices.
    Sobol,
    /// PRIM scenario discovery.
    Prim,
}

impl Method {
    /// `morris`, `sobol` or `prim`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Morris => "morris",
            Method::Sobol => "sobol",
            Method::Prim => "prim",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Method {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim() {
            "morris" => Ok(Method::Morris),
            "sobol" => Ok(Method::Sobol),
            "prim" => Ok(Method::Prim),
            _ => Err(Error::usage(format!(
                "unknown method '{s}'; expected morris, sobol or prim, e.g. --method prim"
            ))),
        }
    }
}

/// What to analyse and how.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnalysisRequest {
    /// The output: an outcome or a column (see [`data`]).
    pub output: Option<String>,
    /// The method; by default the one the design was made for (morris for
    /// Morris designs, sobol for Sobol designs, prim for grid, lhs and random).
    pub method: Option<Method>,
    /// The input columns, for a CSV without a sidecar.
    pub inputs: Option<Vec<String>>,
    /// Bootstrap resamples (Morris and Sobol; default 1000).
    pub resamples: Option<usize>,
    /// Seed of the resamples (default: the sweep's seed, else 0).
    pub seed: Option<u64>,
    /// Sobol: second-order indices too.
    pub second_order: bool,
    /// PRIM settings (default: [`prim::PrimConfig::default`]).
    pub prim: Option<prim::PrimConfig>,
}

/// The findings of one method.
#[derive(Debug, Clone, PartialEq)]
pub enum Findings {
    /// Morris measures.
    Morris(morris::MorrisResult),
    /// Sobol' indices.
    Sobol(sobol::SobolResult),
    /// PRIM boxes.
    Prim(prim::PrimResult),
}

/// An analysis of one output.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The file analysed.
    pub file: String,
    /// The output, as described by [`Dataset::output`].
    pub output: String,
    /// The inputs.
    pub inputs: Vec<String>,
    /// Points analysed.
    pub points: usize,
    /// Rows (runs) per point.
    pub rows_per_point: usize,
    /// The method.
    pub method: Method,
    /// Bootstrap resamples used.
    pub resamples: usize,
    /// Seed of the resamples.
    pub seed: u64,
    /// What was found.
    pub findings: Findings,
}

/// Reads `path` and analyses it.
///
/// # Errors
///
/// Those of [`data::load`] and [`run`].
pub fn analyze_file(path: &Path, request: &AnalysisRequest) -> Result<Analysis> {
    let data = data::load(path, request.output.as_deref(), request.inputs.as_deref())?;
    run(&data, request)
}

/// Analyses `data`.
///
/// # Errors
///
/// An input error when no method is given for a design that implies none,
/// when second-order indices are asked of another method, or when the points
/// do not fit the method's design (see each method).
pub fn run(data: &Dataset, request: &AnalysisRequest) -> Result<Analysis> {
    let method = match (request.method, data.kind) {
        (Some(m), _) => m,
        (None, Some(DesignKind::Morris)) => Method::Morris,
        (None, Some(DesignKind::Sobol)) => Method::Sobol,
        (None, Some(DesignKind::Grid | DesignKind::Lhs | DesignKind::Random)) => Method::Prim,
        (None, _) => {
            return Err(Error::usage(format!(
                "{}: say which analysis to run with --method morris, sobol or prim (a file \
                 without a sweep sidecar, or of a --design-file sweep, does not tell)",
                data.file
            )))
        }
    };
    if request.second_order && method != Method::Sobol {
        return Err(Error::usage(format!(
            "--second-order applies to --method sobol only, not {method}"
        )));
    }
    if request.prim.is_some() && method != Method::Prim {
        return Err(Error::usage(format!(
            "the PRIM settings (--peel-alpha, --min-mass, --min-coverage, --threshold, --boxes, \
             --no-paste) apply to --method prim only, not {method}"
        )));
    }
    let resamples = match (request.resamples, method) {
        (Some(_), Method::Prim) => {
            return Err(Error::usage(
                "--resamples applies to --method morris and sobol (PRIM has no bootstrap)",
            ))
        }
        (Some(r), _) if r < 2 => {
            return Err(Error::usage(format!(
                "--resamples {r}: expected at least 2 bootstrap resamples, e.g. 1000"
            )))
        }
        (Some(r), _) => r,
        (None, Method::Prim) => 0,
        (None, _) => bootstrap::DEFAULT_RESAMPLES,
    };
    let seed = request.seed.or(data.seed).unwrap_or(0);
    let mut rng = bootstrap::generator(seed);
    let findings = match method {
        Method::Morris => Findings::Morris(morris::analyze(data, resamples, &mut rng)?),
        Method::Sobol => Findings::Sobol(sobol::analyze(
            data,
            request.second_order,
            resamples,
            &mut rng,
        )?),
        Method::Prim => Findings::Prim(prim::analyze(data, &request.prim.unwrap_or_default())?),
    };
    Ok(Analysis {
        file: data.file.clone(),
        output: data.output.clone(),
        inputs: data.inputs.clone(),
        points: data.x.len(),
        rows_per_point: data.rows_per_point,
        method,
        resamples,
        seed,
        findings,
    })
}
