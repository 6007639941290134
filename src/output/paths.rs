//! Inputs are never destroyed: before anything is written, an output path
//! that names an input of the same command (the scenario, a sweep file, a
//! shard being merged) or another of its outputs is refused. Paths are
//! compared as the files they name (`./s.toml`, `s.toml` and a hard link to
//! it are the same file), not as text.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A path as the file it names: the canonical path when it exists, else the
/// canonical directory joined with the name; plus the device and inode.
#[derive(Debug, PartialEq)]
struct Identity {
    path: Option<PathBuf>,
    inode: Option<(u64, u64)>,
}

fn identity(p: &Path) -> Identity {
    #[cfg(unix)]
    let inode = {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()))
    };
    #[cfg(not(unix))]
    let inode = None;
    let path = std::fs::canonicalize(p).ok().or_else(|| {
        let name = p.file_name()?;
        let dir = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        std::fs::canonicalize(dir).ok().map(|d| d.join(name))
    });
    Identity { path, inode }
}

fn same(a: &Identity, b: &Identity) -> bool {
    (a.inode.is_some() && a.inode == b.inode) || (a.path.is_some() && a.path == b.path)
}

/// Refuses, as a usage error, any output that is the same file as an input
/// or as an earlier output. Each path comes with how the user named it
/// (`--out`, `the scenario`…); `-` (standard output) and devices such as
/// `/dev/null` are never compared.
pub fn refuse_clobber(inputs: &[(&str, &Path)], outputs: &[(&str, &Path)]) -> Result<()> {
    let skip = |p: &Path| p.as_os_str() == "-" || super::is_special(p);
    let ins: Vec<(&str, &Path, Identity)> = inputs
        .iter()
        .filter(|(_, p)| !skip(p))
        .map(|&(w, p)| (w, p, identity(p)))
        .collect();
    let mut outs: Vec<(&str, &Path, Identity)> = Vec::new();
    for &(what, p) in outputs.iter().filter(|(_, p)| !skip(p)) {
        let id = identity(p);
        if let Some((w, q, _)) = ins.iter().find(|(_, _, i)| same(i, &id)) {
            return Err(Error::usage(format!(
                "{what} {} is {w} {}: an output must never replace an input; choose another file",
                p.display(),
                q.display()
            )));
        }
        if let Some((w, q, _)) = outs.iter().find(|(_, _, i)| same(i, &id)) {
            return Err(Error::usage(format!(
                "{what} {} and {w} {} are the same file; each output needs its own file",
                p.display(),
                q.display()
            )));
        }
        outs.push((what, p, id));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_naming_an_input_is_refused_however_spelt() {
        let dir = tempfile::tempdir().unwrap();
        let s = dir.path().join("s.toml");
        std::fs::write(&s, "x").unwrap();
        let dotted = dir.path().join(".").join("s.toml");
        let e = refuse_clobber(&[("the scenario", &s)], &[("--out", &dotted)]).unwrap_err();
        assert!(e.is_input_error());
        assert!(e.to_string().contains("must never replace an input"), "{e}");
        #[cfg(unix)]
        {
            let link = dir.path().join("hard.toml");
            std::fs::hard_link(&s, &link).unwrap();
            assert!(refuse_clobber(&[("the scenario", &s)], &[("--out", &link)]).is_err());
        }
        let a = dir.path().join("new.csv");
        let a2 = dir.path().join(".").join("new.csv");
        let e = refuse_clobber(&[], &[("--out", &a), ("--summary", &a2)]).unwrap_err();
        assert!(e.to_string().contains("are the same file"), "{e}");
        let other = dir.path().join("other.csv");
        refuse_clobber(
            &[("the scenario", &s)],
            &[("--out", &a), ("--summary", &other)],
        )
        .unwrap();
        let null = Path::new("/dev/null");
        refuse_clobber(
            &[],
            &[
                ("--out", null),
                ("--events", null),
                ("--out", Path::new("-")),
            ],
        )
        .unwrap();
    }
}
