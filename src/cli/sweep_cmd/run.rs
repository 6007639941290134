//! Running a configured sweep: the design written out (`--write-design`), or
//! the runs with their terminal table, the JSON summary and `--analyze`.

use std::fmt::Write as _;
use std::time::Instant;

use super::{is_stdout, SweepConfig};
use crate::cli::sweep_table::{compact_value, design_keys, design_label, footer, Table};
use crate::cli::{
    interrupt_flag, print_err, print_out, write_json, Progress, ProgressMode, Report,
};
use crate::error::{ErrorKind, Result};
use crate::limits::clamp_threads;
use crate::montecarlo::Driver;
use crate::output::terminal_safe;
use crate::sweep::design::file::write_design;
use crate::sweep::run_sweep;
use crate::sweep::runner::partial_path;

/// Runs a configured sweep with terminal output.
pub fn run(cfg: &SweepConfig) -> Result<()> {
    if let Some(path) = &cfg.write_design {
        let design = cfg.sweep.design();
        write_design(path, design)?;
        return print_out(&format!(
            "wrote design: {} ({} design, {} points x {} keys)\n",
            terminal_safe(&path.display().to_string()),
            cfg.sweep.spec().kind,
            design.len(),
            design.keys.len()
        ));
    }
    let cancel = interrupt_flag();
    let sweep = &cfg.sweep;
    let spec = sweep.spec();
    let design = sweep.design();
    let range = sweep.point_range();
    let (threads, note) =
        clamp_threads(cfg.threads, (range.len() as u64).saturating_mul(spec.runs));
    if let Some(n) = note.filter(|_| cfg.report == Report::Human) {
        print_err(&format!("{n}\n"));
    }
    let mut driver = Driver::new(threads)?;
    driver.raw_csv = cfg.raw_csv;
    let to_stderr = is_stdout(&cfg.outputs.out) || is_stdout(&cfg.outputs.summary);

    let mut widths = vec![5usize.max(range.end.saturating_sub(1).to_string().len())];
    for (k, key) in design.keys.iter().enumerate() {
        let longest = design.points[range.clone()]
            .iter()
            .map(|p| compact_value(p[k]).len())
            .max()
            .unwrap_or(0);
        widths.push(key.len().max(longest));
    }
    let silent = cfg.report != Report::Human;
    let mut table = Table {
        widths,
        to_stderr,
        silent,
        progress: Progress::with_mode(
            range.len() as u64 * spec.runs,
            if silent {
                ProgressMode::Never
            } else {
                cfg.progress
            },
        ),
        points_done: 0,
    };

    let mut head = format!(
        "scenario: {} ({})\n",
        terminal_safe(sweep.name()),
        terminal_safe(sweep.file())
    );
    for o in sweep.overrides() {
        let _ = writeln!(head, "override: {}", terminal_safe(&o.to_string()));
    }
    let _ = writeln!(
        head,
        "design: {}, {} points ({}); {} runs per point; seed {}",
        design_label(spec),
        design.len(),
        design_keys(spec, &design.keys),
        spec.runs,
        spec.seed
    );
    if spec.shard.count > 1 {
        let _ = writeln!(
            head,
            "shard: {} (points {}..{})",
            spec.shard, range.start, range.end
        );
    }
    let _ = writeln!(head);
    head.push_str(&table.header(&design.keys));
    table.print(&head)?;

    let started = Instant::now();
    let result = run_sweep(sweep, &cfg.outputs, &driver, &mut table, cancel);
    table.progress.finish();
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            if let (Some(out), false) = (&cfg.outputs.out, is_stdout(&cfg.outputs.out)) {
                if matches!(e.kind(), ErrorKind::Interrupted) || !e.is_input_error() {
                    print_err(&format!(
                        "note: completed design points are kept in {}; run the same command \
                         with --resume to continue\n",
                        terminal_safe(&partial_path(out).display().to_string())
                    ));
                }
            }
            return Err(e);
        }
    };
    let elapsed = started.elapsed();
    table.print(&footer(cfg, &report, elapsed))?;
    if cfg.report == Report::Json {
        let mut v = report.total.to_json();
        v["scenario"] = serde_json::json!(sweep.name());
        v["scenario_file"] = serde_json::json!(sweep.file());
        v["design"] = serde_json::json!(spec.kind.to_string());
        v["keys"] = serde_json::json!(design.keys);
        v["points"] = serde_json::json!(design.len());
        v["point_range"] = serde_json::json!([range.start, range.end]);
        v["runs_per_point"] = serde_json::json!(spec.runs);
        v["seed"] = serde_json::json!(spec.seed);
        v["shard"] = serde_json::json!(spec.shard.to_string());
        v["points_run"] = serde_json::json!(report.points_run);
        v["points_resumed"] = serde_json::json!(report.resumed.as_ref().map_or(0, |r| r.points));
        v["threads"] = serde_json::json!(report.threads);
        v["seconds"] = serde_json::json!(elapsed.as_secs_f64());
        let mut files = serde_json::Map::new();
        for (what, p) in [
            ("runs", &cfg.outputs.out),
            ("summary", &cfg.outputs.summary),
        ] {
            if let Some(p) = p {
                files.insert(what.into(), serde_json::json!(p.display().to_string()));
            }
        }
        v["files"] = serde_json::Value::Object(files);
        write_json(&v)?;
    }
    if let (Some((request, analysis_out)), Some(out)) = (&cfg.analyze, &cfg.outputs.out) {
        print_out("\n")?;
        crate::cli::analyze_cmd::analyze_and_report(out, request, analysis_out.as_deref())?;
    }
    Ok(())
}
