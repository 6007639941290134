//! Designs read from, and written to, CSV files, to exchange designs with
//! SALib, the EMA Workbench or anything else that writes a table of
//! parameter values.
//!
//! A design file has a header naming the keys (scenario paths, as for
//! `--vary`) and one row of numbers per design point, in point order:
//!
//! ```text
//! parties.russia.cost_of_conflict,simulation.noise
//! 0.25,0.05
//! 0.1,0.12
//! ```
//!
//! So that files written by other tools read as they are: a header line may
//! start with `#` (numpy's `savetxt(..., header=...)` writes `# a,b`), a
//! column with an empty name (the index pandas writes) is ignored, and so
//! are the EMA Workbench's bookkeeping columns `scenario`, `policy` and
//! `model`. [`write_design`] writes the plain form, each value as the
//! shortest text that reads back to the same number.

use std::io::Write as _;
use std::path::Path;

use super::{validate_key, Design};
use crate::error::{Error, Result};
use crate::output::{push_f64, AtomicFile};
use crate::sweep::provenance::sha256_hex;

/// Columns of an EMA Workbench experiments table that are not parameters.
pub const IGNORED_COLUMNS: [&str; 3] = ["scenario", "policy", "model"];

/// A design read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct DesignFile {
    /// The file as named.
    pub path: String,
    /// SHA-256 of its bytes (recorded in the sweep's sidecar).
    pub sha256: String,
    /// Its points.
    pub design: Design,
}

/// Reads a design file.
///
/// # Errors
///
/// An I/O error, or an input error (exit 2) naming the file, line and column
/// for a missing header, a bad or repeated key, a row of the wrong length, a
/// value that is not a finite number, or a file without rows.
pub fn read_design(path: &Path) -> Result<DesignFile> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let name = path.display().to_string();
    let design = parse_design(&name, &bytes)?;
    Ok(DesignFile {
        path: name,
        sha256: sha256_hex(&bytes),
        design,
    })
}

/// Parses the text of a design file; `name` names it in messages.
///
/// # Errors
///
/// As [`read_design`].
pub fn parse_design(name: &str, bytes: &[u8]) -> Result<Design> {
    let bad =
        |line: usize, msg: String| Error::usage(format!("--design-file {name}:{line}: {msg}"));
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Error::usage(format!("--design-file {name}: not UTF-8 text")))?;
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((head_line, head)) = lines.next() else {
        return Err(Error::usage(format!(
            "--design-file {name}: the file is empty; expected a header of keys and one row \
             of values per design point, e.g. simulation.noise,parties.a.patience"
        )));
    };
    let head = head.trim_start().trim_start_matches('#');
    let columns: Vec<String> = split(head)
        .into_iter()
        .map(|c| c.trim().to_string())
        .collect();
    let mut keys = Vec::new();
    let mut used = Vec::new();
    for (c, col) in columns.iter().enumerate() {
        if col.is_empty() || IGNORED_COLUMNS.contains(&col.as_str()) {
            continue;
        }
        validate_key(col).map_err(|e| bad(head_line, e.to_string()))?;
        if keys.contains(col) {
            return Err(bad(head_line, format!("the key {col} appears twice")));
        }
        keys.push(col.clone());
        used.push(c);
    }
    if keys.is_empty() {
        return Err(bad(
            head_line,
            "no parameter columns; the header names the keys, e.g. simulation.noise".into(),
        ));
    }
    let mut points = Vec::new();
    for (line, row) in lines {
        let cells = split(row);
        if cells.len() != columns.len() {
            return Err(bad(
                line,
                format!(
                    "{} values, but the header has {} columns",
                    cells.len(),
                    columns.len()
                ),
            ));
        }
        let mut point = Vec::with_capacity(keys.len());
        for (&c, key) in used.iter().zip(&keys) {
            let cell = cells[c].trim();
            match cell.parse::<f64>() {
                Ok(x) if x.is_finite() => point.push(x),
                _ => return Err(bad(line, format!("{key}: '{cell}' is not a finite number"))),
            }
        }
        points.push(point);
    }
    if points.is_empty() {
        return Err(Error::usage(format!(
            "--design-file {name}: a header but no rows; expected one row of values per design point"
        )));
    }
    if points.len() > super::MAX_DESIGN_POINTS {
        return Err(Error::usage(format!(
            "--design-file {name}: {} points, more than the limit of {}",
            points.len(),
            super::MAX_DESIGN_POINTS
        )));
    }
    Ok(Design { keys, points })
}

/// Splits a CSV line on commas, honouring double quotes.
fn split(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().expect("non-empty").push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            c => out.last_mut().expect("non-empty").push(c),
        }
    }
    out
}

/// The text of a design file: the keys, then one row per point.
pub fn design_csv(design: &Design) -> Vec<u8> {
    let mut out = design.keys.join(",").into_bytes();
    out.push(b'\n');
    for p in &design.points {
        for (i, &x) in p.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_f64(&mut out, x);
        }
        out.push(b'\n');
    }
    out
}

/// Writes `design` to `path` (through a temporary file renamed at the end).
///
/// # Errors
///
/// An I/O error.
pub fn write_design(path: &Path, design: &Design) -> Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(&design_csv(design))
        .map_err(|e| Error::io(path, e))?;
    f.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_salib_numpy_and_ema_layouts() {
        let plain = parse_design("d.csv", b"a,b.c\n0.5,1\n0.25,2e-3\n").unwrap();
        assert_eq!(plain.keys, ["a", "b.c"]);
        assert_eq!(plain.points, [[0.5, 1.0], [0.25, 0.002]]);
        let numpy = parse_design(
            "d.csv",
            b"# a,b.c\n5.000000000000000000e-01,1\n2.5e-01,0.002\n",
        );
        assert_eq!(numpy.unwrap(), plain);
        let ema = parse_design(
            "d.csv",
            b",a,b.c,scenario,policy,model\n0,0.5,1,0,None,m\n1,0.25,0.002,1,None,m\n",
        );
        assert_eq!(ema.unwrap(), plain);
        let round = parse_design("d.csv", &design_csv(&plain)).unwrap();
        assert_eq!(round, plain);
    }

    #[test]
    fn bad_files_say_where() {
        let e = |text: &str| {
            parse_design("d.csv", text.as_bytes())
                .unwrap_err()
                .to_string()
        };
        assert!(e("").contains("the file is empty"));
        assert!(e("a,b\n").contains("a header but no rows"));
        assert_eq!(
            e("a,b\n1,2\n3\n"),
            "--design-file d.csv:3: 1 values, but the header has 2 columns"
        );
        assert_eq!(
            e("a,b\n1,x\n"),
            "--design-file d.csv:2: b: 'x' is not a finite number"
        );
        assert!(e("a,b\n1,NaN\n").contains("not a finite number"));
        assert!(e("a,a\n1,2\n").contains("appears twice"));
        assert!(e("a b,c\n1,2\n").contains("not a parameter path"));
        assert!(e(",scenario\n1,2\n").contains("no parameter columns"));
        let err = parse_design("d.csv", b"a\n1\n").unwrap();
        assert_eq!(err.len(), 1);
    }
}
