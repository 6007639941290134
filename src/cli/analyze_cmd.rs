//! `negsim analyze`: its flags, their conversion into an
//! [`AnalysisRequest`], and the output. The work is in [`crate::analysis`].

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::analysis::prim::PrimConfig;
use crate::analysis::{analyze_file, Analysis, AnalysisRequest, Method};
use crate::error::{Error, Result};
use crate::output::{terminal_safe, terminal_safe_lines, Destination};
use crate::sweep::provenance::Provenance;

/// `negsim analyze`.
#[derive(Debug, Args, Clone, PartialEq, Default)]
#[command(after_help = "Examples:
  negsim analyze runs.csv                        (the method the sweep's design was made for)
  negsim analyze runs.csv --output conflict --method prim --out boxes.csv
  negsim analyze ishigami.csv --output y --method sobol --inputs x1,x2,x3

Exit codes: 0 success, 2 bad input or usage, 1 anything else.")]
pub struct AnalyzeArgs {
    /// A sweep's runs CSV (with its FILE.meta.json), or any CSV of inputs and an output.
    pub file: PathBuf,
    /// What to analyse and how.
    #[command(flatten)]
    pub options: AnalysisFlags,
    /// Write the tidy CSV of the results here (`-` for standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// The analysis settings of `negsim analyze`.
#[derive(Debug, Args, Clone, PartialEq, Default)]
pub struct AnalysisFlags {
    /// The output: an outcome (share of runs, default conflict) or a numeric column (mean).
    #[arg(long, value_name = "OUTCOME|COLUMN")]
    pub output: Option<String>,
    /// morris, sobol or prim (default: what the sweep's design was made for).
    #[arg(long, value_name = "morris|sobol|prim")]
    pub method: Option<String>,
    /// Input columns, comma-separated, for a CSV without a sweep sidecar.
    #[arg(long, value_name = "K1,K2,...", value_delimiter = ',')]
    pub inputs: Vec<String>,
    /// Bootstrap resamples for the intervals (Morris, Sobol; default 1000).
    #[arg(long, value_name = "B")]
    pub resamples: Option<usize>,
    /// Seed of the bootstrap (default: the sweep's seed, else 0).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Sobol: second-order indices too (the design needs --second-order).
    #[arg(long)]
    pub second_order: bool,
    /// PRIM: share of the box peeled off per step (default 0.05).
    #[arg(long, value_name = "A")]
    pub peel_alpha: Option<f64>,
    /// PRIM: smallest share of the points a box may hold (default 0.05).
    #[arg(long, value_name = "M")]
    pub min_mass: Option<f64>,
    /// PRIM: the chosen box keeps at least this coverage (default 0.5).
    #[arg(long, value_name = "C")]
    pub min_coverage: Option<f64>,
    /// PRIM: points whose output is at least T are the cases of interest
    /// (default: the output itself, a share, is the density).
    #[arg(long, value_name = "T")]
    pub threshold: Option<f64>,
    /// PRIM: number of boxes to find (covering; default 1).
    #[arg(long, value_name = "N")]
    pub boxes: Option<usize>,
    /// PRIM: do not paste the chosen box (by default it is widened a side at
    /// a time while its density does not fall).
    #[arg(long)]
    pub no_paste: bool,
}

impl AnalysisFlags {
    /// Whether any flag is set.
    pub fn is_empty(&self) -> bool {
        *self == AnalysisFlags::default()
    }

    /// The library's request.
    ///
    /// # Errors
    ///
    /// An input error for an unknown method.
    pub fn request(&self) -> Result<AnalysisRequest> {
        let prim_given = self.peel_alpha.is_some()
            || self.min_mass.is_some()
            || self.min_coverage.is_some()
            || self.threshold.is_some()
            || self.boxes.is_some()
            || self.no_paste;
        let d = PrimConfig::default();
        Ok(AnalysisRequest {
            output: self.output.clone(),
            method: self
                .method
                .as_deref()
                .map(str::parse::<Method>)
                .transpose()?,
            inputs: (!self.inputs.is_empty()).then(|| self.inputs.clone()),
            resamples: self.resamples,
            seed: self.seed,
            second_order: self.second_order,
            prim: prim_given.then(|| PrimConfig {
                alpha: self.peel_alpha.unwrap_or(d.alpha),
                min_mass: self.min_mass.unwrap_or(d.min_mass),
                min_coverage: self.min_coverage.unwrap_or(d.min_coverage),
                threshold: self.threshold,
                boxes: self.boxes.unwrap_or(d.boxes),
                paste: !self.no_paste,
            }),
        })
    }
}

/// Analyses `file` and writes the table (to standard output, or standard
/// error when the CSV goes to standard output) and the CSV.
pub fn analyze_and_report(
    file: &Path,
    request: &AnalysisRequest,
    out: Option<&Path>,
) -> Result<()> {
    let analysis = analyze_file(file, request)?;
    report(&analysis, out)
}

fn report(analysis: &Analysis, out: Option<&Path>) -> Result<()> {
    let to_stdout = out.is_some_and(|p| p.as_os_str() == "-");
    if let Some(path) = out {
        let mut d = Destination::open(path)?;
        d.write_all(&analysis.csv())
            .map_err(|e| Error::io(d.name(), e))?;
        d.commit()?;
    }
    // Input names come from the file's header: shown escaped, as all text
    // from a file is.
    let mut text = terminal_safe_lines(&analysis.render()).into_owned();
    if let Some(p) = out.filter(|_| !to_stdout) {
        text.push_str(&format!(
            "\nwrote analysis: {}\n",
            terminal_safe(&p.display().to_string())
        ));
    }
    if to_stdout {
        super::print_err(&text);
        Ok(())
    } else {
        super::print_out(&text)
    }
}

/// `negsim analyze`.
pub(super) fn analyze(args: &AnalyzeArgs) -> Result<()> {
    let request = args.options.request()?;
    if let Some(out) = &args.out {
        let sidecar = Provenance::sidecar_path(&args.file);
        crate::output::refuse_clobber(
            &[
                ("the runs file", args.file.as_path()),
                ("its sidecar", sidecar.as_path()),
            ],
            &[("--out", out.as_path())],
        )?;
    }
    analyze_and_report(&args.file, &request, args.out.as_deref())
}
