//! `--sweep-file`: the keys of `[sweep]` in a TOML file of their own.

use std::path::Path;

use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::output::terminal_safe;
use crate::scenario::{read_text, SweepDef};

/// Reads a `--sweep-file`: the keys of `[sweep]` at the top level (or a
/// `[sweep]` table).
/// `limits` bounds its size as a scenario file's.
/// With the file's text.
pub fn read_sweep_file_text(path: &Path, limits: &Limits) -> Result<(SweepDef, String)> {
    let text = read_text(path, limits.scenario_bytes)?;
    let bad = |e: toml::de::Error| {
        Error::usage(format!(
            "{}: {}; a sweep file holds the keys of [sweep]: vary = [\"KEY=SPEC\", ...], \
             design, points, runs",
            path.display(),
            terminal_safe(e.to_string().trim())
        ))
        .with_source(e)
    };
    let mut table: toml::Table = toml::from_str(&text).map_err(bad)?;
    if table.len() == 1 {
        if let Some(toml::Value::Table(inner)) = table.get("sweep") {
            table = inner.clone();
        }
    }
    let def = toml::Value::Table(table).try_into().map_err(bad)?;
    Ok((def, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweep_file_may_wrap_keys_in_a_sweep_table() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.toml");
        std::fs::write(&p, "[sweep]\nvary = [\"a=1\"]\npoints = 2\n").unwrap();
        let (d, _) = read_sweep_file_text(&p, &Limits::default()).unwrap();
        assert_eq!((d.vary, d.points), (vec!["a=1".to_string()], Some(2)));
        std::fs::write(&p, "vary = [\"a=1\"]\npoint = 2\n").unwrap();
        let e = read_sweep_file_text(&p, &Limits::default()).unwrap_err();
        assert!(e.to_string().contains("unknown field `point`"), "{e}");
    }
}
