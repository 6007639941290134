//! The terminal output of `negsim sweep`: the header's design line, the
//! per-point table printed as points complete, and the footer.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use super::sweep_cmd::SweepConfig;
use super::{print_err, print_out, Progress};
use crate::error::Result;
use crate::model::Outcome;
use crate::output::{terminal_safe, Summary};
use crate::sweep::design::DesignKind;
use crate::sweep::plan::value_text;
use crate::sweep::provenance::Provenance;
use crate::sweep::{SweepObserver, SweepSpec};

/// Short column titles for the terminal table.
fn outcome_title(o: Outcome) -> &'static str {
    match o {
        Outcome::PartialAgreement => "partial",
        o => o.as_str(),
    }
}

/// Width of an outcome's share column.
fn share_width(o: Outcome) -> usize {
    outcome_title(o).len().max(6)
}

/// A parameter value for people: the exact text when short, else 6 decimals.
pub(super) fn compact_value(x: f64) -> String {
    let s = value_text(x);
    if s.len() <= 10 {
        return s;
    }
    let f = format!("{x:.6}");
    let f = f.trim_end_matches('0').trim_end_matches('.');
    if f.len() <= 14 {
        f.to_string()
    } else {
        format!("{x:.4e}")
    }
}

/// The compact per-point table, printed as points complete.
pub(super) struct Table {
    pub(super) widths: Vec<usize>,
    pub(super) to_stderr: bool,
    pub(super) progress: Progress,
    pub(super) points_done: usize,
}

impl Table {
    /// Prints one line; a closed pipe or a full disk is an error that stops
    /// the sweep (its checkpoint kept), never a silent loss.
    pub(super) fn print(&self, line: &str) -> Result<()> {
        let to_stderr = self.to_stderr;
        let text = format!("{line}\n");
        self.progress.bar.suspend(|| {
            if to_stderr {
                print_err(&text);
                Ok(())
            } else {
                print_out(&text)
            }
        })
    }

    pub(super) fn header(&self, keys: &[String]) -> String {
        let mut s = format!("{:>w$}", "point", w = self.widths[0]);
        for (k, w) in keys.iter().zip(&self.widths[1..]) {
            let _ = write!(s, "  {k:<w$}");
        }
        for o in Outcome::ALL {
            let _ = write!(s, "  {:>w$}", outcome_title(o), w = share_width(o));
        }
        s.trim_end().to_string()
    }
}

impl SweepObserver for Table {
    fn start(&mut self, resuming_from: Option<&Path>) -> Result<()> {
        match resuming_from {
            Some(p) => self.print(&format!(
                "resuming from {}\n",
                terminal_safe(&p.display().to_string())
            )),
            None => Ok(()),
        }
    }

    fn point_done(&mut self, point: usize, values: &[f64], s: &Summary) -> Result<()> {
        let mut line = format!("{point:>w$}", w = self.widths[0]);
        for (v, w) in values.iter().zip(&self.widths[1..]) {
            let _ = write!(line, "  {:<w$}", compact_value(*v));
        }
        let n = s.runs();
        for o in Outcome::ALL {
            let c = s.outcomes[o.index()].count;
            let w = share_width(o);
            if c == 0 {
                let _ = write!(line, "  {:>w$}", "-");
            } else {
                let share = format!("{:.1}%", 100.0 * c as f64 / n.max(1) as f64);
                let _ = write!(line, "  {share:>w$}");
            }
        }
        self.print(line.trim_end())?;
        self.points_done += 1;
        Ok(())
    }

    fn progress(&mut self, runs_done: u64) {
        self.progress.set(runs_done);
    }
}

/// The design's kind with its settings: `morris (10 trajectories, 4 levels)`.
pub(super) fn design_label(spec: &SweepSpec) -> String {
    let o = &spec.options;
    match spec.kind {
        DesignKind::Morris => {
            let spread = o
                .candidates
                .map(|m| format!(", the most spread of {m} candidates"))
                .unwrap_or_default();
            format!(
                "morris ({} trajectories, {} levels{spread})",
                o.trajectories.unwrap_or_default(),
                o.levels.unwrap_or_default()
            )
        }
        DesignKind::Sobol => format!(
            "sobol ({} base points, {} sequence{})",
            o.base_points.unwrap_or_default(),
            o.sequence.unwrap_or_default(),
            if o.second_order == Some(true) {
                ", second order"
            } else {
                ""
            }
        ),
        DesignKind::File => match &spec.file {
            Some(f) => format!("file {}", f.path),
            None => "file".to_string(),
        },
        kind => kind.to_string(),
    }
}

/// The varied keys with their specs (or only the keys, for a file design).
pub(super) fn design_keys(spec: &SweepSpec, keys: &[String]) -> String {
    if spec.factors.is_empty() {
        return keys.join(", ");
    }
    let specs: Vec<String> = spec
        .factors
        .iter()
        .map(|f| format!("{}={}", f.key, f.spec))
        .collect();
    specs.join(", ")
}

/// The lines after the table: counts, time and the files written.
pub(super) fn footer(
    cfg: &SweepConfig,
    r: &crate::sweep::SweepReport,
    elapsed: Duration,
) -> String {
    let runs = cfg.sweep.spec().runs;
    let mut t = String::new();
    let secs = elapsed.as_secs_f64();
    let ran = r.points_run as u64 * runs;
    let kept = match &r.resumed {
        Some(k) => format!(" (+{} kept from {})", k.points, k.from.display()),
        None => String::new(),
    };
    let _ = writeln!(
        t,
        "\npoints: {}{kept}   runs: {}   threads: {}   time: {:.2} s ({:.0} runs/s)",
        r.points_run,
        ran,
        r.threads,
        secs,
        ran as f64 / secs.max(1e-9)
    );
    if let Some(p) = cfg.outputs.out.as_ref().filter(|p| p.as_os_str() != "-") {
        let _ = writeln!(
            t,
            "wrote runs: {} (provenance: {})",
            p.display(),
            Provenance::sidecar_path(p).display()
        );
    }
    if let Some(p) = cfg
        .outputs
        .summary
        .as_ref()
        .filter(|p| p.as_os_str() != "-")
    {
        let _ = writeln!(t, "wrote summary: {}", p.display());
    }
    t.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_values() {
        assert_eq!(compact_value(0.5), "0.5");
        assert_eq!(compact_value(0.27301392804857383), "0.273014");
        assert_eq!(compact_value(1e-9), "1e-9");
    }
}
