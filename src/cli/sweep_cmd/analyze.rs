//! `--analyze`: the analysis a sweep runs on its own runs CSV, which needs
//! the whole design written to a file and a design that fits the method.

use std::path::PathBuf;

use super::SweepArgs;
use crate::analysis::{AnalysisRequest, Method};
use crate::error::{Error, Result};
use crate::model::Outcome;
use crate::sweep::design::{DesignKind, DesignOptions};
use crate::sweep::Sweep;

/// The analysis `--analyze` asks for of a `kind` design, and where its CSV
/// goes; without `--analyze`, none of its flags.
pub(super) fn request(
    args: &SweepArgs,
    kind: DesignKind,
    options: &DesignOptions,
) -> Result<Option<(AnalysisRequest, Option<PathBuf>)>> {
    let analyze = if args.analyze {
        let out_file = args.out.as_ref().filter(|p| p.as_os_str() != "-");
        if out_file.is_none() {
            return Err(Error::usage(
                "--analyze reads the runs CSV back: give --out FILE (not -)",
            ));
        }
        if args.shard.is_some() || args.write_design.is_some() {
            return Err(Error::usage(
                "--analyze needs the whole design run here: drop --shard (analyse the \
                 merged file with negsim analyze) and --write-design",
            ));
        }
        let method = args
            .analyze_method
            .as_deref()
            .map(str::parse::<Method>)
            .transpose()?;
        let fits = match (method, kind) {
            (Some(Method::Morris), k) => matches!(k, DesignKind::Morris | DesignKind::File),
            (Some(Method::Sobol), k) => matches!(k, DesignKind::Sobol | DesignKind::File),
            (None, DesignKind::File) => false,
            _ => true,
        };
        if !fits {
            return Err(Error::usage(format!(
                "--analyze{}: a {kind} design does not fit it; use --design morris for \
                 Morris, --design sobol for Sobol' indices, or --analyze-method prim",
                method
                    .map(|m| format!(" --analyze-method {m}"))
                    .unwrap_or_default()
            )));
        }
        let request = AnalysisRequest {
            output: args.analyze_output.clone(),
            method,
            second_order: options.second_order == Some(true),
            ..AnalysisRequest::default()
        };
        Some((request, args.analysis_out.clone()))
    } else {
        for (given, flag) in [
            (args.analyze_output.is_some(), "--analyze-output"),
            (args.analyze_method.is_some(), "--analyze-method"),
            (args.analysis_out.is_some(), "--analysis-out"),
        ] {
            if given {
                return Err(Error::usage(format!("{flag} needs --analyze")));
            }
        }
        None
    };
    Ok(analyze)
}

/// `--analyze-output` names an outcome or a column of the sweep's runs CSV.
pub(super) fn check_output(
    analyze: &Option<(AnalysisRequest, Option<PathBuf>)>,
    sweep: &Sweep,
) -> Result<()> {
    if let Some(output) = analyze.as_ref().and_then(|(r, _)| r.output.as_deref()) {
        let header = String::from_utf8_lossy(sweep.runs_header()).into_owned();
        let columns: Vec<&str> = header.trim_end().split(',').collect();
        let outcomes = Outcome::ALL.map(Outcome::as_str);
        if !outcomes.contains(&output) && !columns.contains(&output) {
            return Err(Error::usage(format!(
                "--analyze-output {output}: expected an outcome ({}) or a column of the runs \
                 CSV, e.g. end_day",
                outcomes.join(", ")
            )));
        }
    }
    Ok(())
}
