//! The design of a sweep: `--design-file` or the varied keys (from the flags,
//! the sweep file or the scenario's `[sweep]`), the kind, its options, and
//! the number of design points, checked against the limits before any value
//! is laid out.

use super::{usage, usage_kept, SweepArgs};
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::scenario::SweepDef;
use crate::sweep::design::file::{read_design, DesignFile};
use crate::sweep::design::saltelli::block_len;
use crate::sweep::design::{
    parse_vary, DesignError, DesignKind, DesignOptions, Factor, SobolScramble, Spec,
    DEFAULT_TRAJECTORIES,
};

/// The design the flags and the sweep definitions `defs` choose (the flags
/// first, then each definition in turn).
pub(super) struct Design {
    /// `--design-file`, if given.
    pub(super) file: Option<DesignFile>,
    /// The varied keys.
    pub(super) factors: Vec<Factor>,
    /// The kind of design.
    pub(super) kind: DesignKind,
    /// `--points`, or the sweep's `points`.
    pub(super) points: Option<usize>,
    /// Morris and Sobol' settings.
    pub(super) options: DesignOptions,
    /// How many points the design has (`u64::MAX` when it cannot say).
    pub(super) points_total: u64,
}

/// Chooses the design and checks its size against `limits`.
pub(super) fn choose(args: &SweepArgs, defs: &[&SweepDef], limits: &Limits) -> Result<Design> {
    let design_file = args
        .design_file
        .as_deref()
        .map(|p| {
            if !args.vary.is_empty() {
                return Err(Error::usage(
                    "--design-file gives the keys and their values; drop --vary",
                ));
            }
            if args.design.is_some() {
                return Err(Error::usage(
                    "--design-file gives the design; drop --design",
                ));
            }
            read_design(p)
        })
        .transpose()?;
    let vary: &[String] = if design_file.is_some() {
        &[]
    } else if !args.vary.is_empty() {
        &args.vary
    } else {
        defs.iter()
            .map(|d| d.vary.as_slice())
            .find(|v| !v.is_empty())
            .unwrap_or(&[])
    };
    if vary.is_empty() && design_file.is_none() {
        return Err(usage(DesignError::NoFactors));
    }
    let factors = vary
        .iter()
        .map(|v| parse_vary(v))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(usage_kept)?;
    // Before any value is laid out: each factor's count, then the whole
    // design's values (points x keys).
    let keys = match &design_file {
        Some(f) => f.design.keys.len(),
        None => factors.len(),
    }
    .max(1) as u64;
    for f in &factors {
        if let Spec::Range { n: Some(n), .. } = f.spec {
            if n as u64 > limits.design_values {
                return Err(limits.usage_error(
                    &format!("--vary {}={}", f.key, f.spec),
                    "design_values",
                    n as u64,
                ));
            }
        }
    }
    let kind = match (
        &design_file,
        args.design
            .as_deref()
            .or_else(|| defs.iter().find_map(|d| d.design.as_deref())),
    ) {
        (Some(_), _) => DesignKind::File,
        (None, Some(k)) => k.parse::<DesignKind>().map_err(usage_kept)?,
        (None, None) => DesignKind::Grid,
    };
    let points = args.points.or_else(|| defs.iter().find_map(|d| d.points));
    let sequence = args
        .sequence
        .as_deref()
        .or_else(|| defs.iter().find_map(|d| d.sequence.as_deref()))
        .map(str::parse::<SobolScramble>)
        .transpose()
        .map_err(usage)?;
    let options = DesignOptions {
        levels: args.levels.or_else(|| defs.iter().find_map(|d| d.levels)),
        trajectories: args
            .trajectories
            .or_else(|| defs.iter().find_map(|d| d.trajectories)),
        candidates: args
            .candidates
            .or_else(|| defs.iter().find_map(|d| d.candidates)),
        base_points: args
            .base_points
            .or_else(|| defs.iter().find_map(|d| d.base_points)),
        second_order: if args.second_order {
            Some(true)
        } else {
            defs.iter().find_map(|d| d.second_order)
        },
        sequence,
    };
    let design_points = match kind {
        DesignKind::Grid => factors.iter().try_fold(1u64, |acc, f| {
            let n = match &f.spec {
                Spec::Range { n, .. } => n.unwrap_or(1) as u64,
                Spec::List(v) => v.len() as u64,
            };
            acc.checked_mul(n)
        }),
        DesignKind::Morris => {
            let r = options.trajectories.unwrap_or(DEFAULT_TRAJECTORIES) as u64;
            Some(r.saturating_mul(factors.len() as u64 + 1))
        }
        // Without --base-points the design says so itself, below.
        DesignKind::Sobol => Some(options.base_points.map_or(0, |n| {
            let per = block_len(factors.len(), options.second_order == Some(true));
            (n as u64).saturating_mul(per as u64)
        })),
        DesignKind::File => design_file.as_ref().map(|f| f.design.len() as u64),
        _ => points.map(|p| p as u64),
    }
    .unwrap_or(u64::MAX);
    let values = design_points.saturating_mul(keys);
    if values > limits.design_values {
        return Err(Error::usage(format!(
            "the design: {}",
            Limits::exceeded(
                "design_values",
                format!("{design_points} points x {keys} keys = {values} values"),
                limits.design_values
            )
        )));
    }
    Ok(Design {
        file: design_file,
        factors,
        kind,
        points,
        options,
        points_total: design_points,
    })
}
