//! Files written under a temporary name beside the target and renamed into
//! place only when complete.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

/// A file that appears under its name only on [`AtomicFile::commit`]; dropped
/// uncommitted (after an error or an interrupt), it vanishes and any existing
/// file under the target name is left as it was.
#[derive(Debug)]
pub struct AtomicFile {
    target: PathBuf,
    writer: BufWriter<NamedTempFile>,
}

impl AtomicFile {
    /// Starts writing a replacement for `target`.
    pub fn create(target: impl AsRef<Path>) -> Result<Self> {
        let target = target.as_ref().to_path_buf();
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        if is_special(&target) {
            return Err(Error::input(
                &target,
                "is a device or a pipe, which an atomic file must not replace",
            ));
        }
        if target.is_dir() {
            return Err(Error::input(&target, "is a directory; give a file name"));
        }
        if !dir.is_dir() {
            return Err(Error::io(
                &target,
                io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("the directory {} does not exist", dir.display()),
                ),
            ));
        }
        let prefix = format!(".{name}.");
        remove_stale(&dir, &prefix);
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // An ordinary file's mode (0666 less the umask), not tempfile's 0600.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = builder
            .tempfile_in(&dir)
            .map_err(|e| Error::io(&target, e))?;
        // Held until the file is closed, also by a killed process's kernel:
        // a temporary file nobody holds is stale (see `remove_stale`).
        let _ = tmp.as_file().try_lock();
        Ok(AtomicFile {
            target,
            // A write at least this long skips the buffer (`BufWriter`
            // passes it through), so a task's block of rows goes to the
            // file without a copy into the buffer first.
            writer: BufWriter::with_capacity(1 << 16, tmp),
        })
    }

    /// The final path.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(self) -> Result<()> {
        let target = self.target;
        let tmp = self
            .writer
            .into_inner()
            .map_err(|e| Error::io(&target, e.into_error()))?;
        tmp.as_file()
            .sync_all()
            .map_err(|e| Error::io(&target, e))?;
        tmp.persist(&target)
            .map_err(|e| Error::io(&target, e.error))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// Removes the temporary files `PREFIX??????.tmp` in `dir` that no process
/// holds: the leftovers of a writer killed by SIGKILL (or a crash), which
/// could not clean up after itself. A live writer holds a lock on its file,
/// so its file is left alone; so is anything that cannot be opened.
fn remove_stale(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(middle) = name
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
        else {
            continue;
        };
        // tempfile's random part: no dot, so `.out.csv.meta.json.*.tmp` is
        // not taken for a temporary file of `out.csv`.
        if middle.is_empty() || middle.contains('.') {
            continue;
        }
        let path = entry.path();
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        if file.try_lock().is_ok() {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Where an output goes: an atomic file, or standard output (`-`).
#[derive(Debug)]
pub enum Destination {
    /// A file, renamed into place on commit.
    File(AtomicFile),
    /// Standard output.
    Stdout(BufWriter<io::Stdout>),
    /// A device or a pipe (`/dev/null`, a FIFO): written in place, since it
    /// must never be replaced by a regular file.
    Special(BufWriter<std::fs::File>, PathBuf),
}

/// Whether `path` names an existing file that is neither a regular file nor a
/// directory: a device, a FIFO or a socket (after following links).
pub fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

impl Destination {
    /// Opens `-` as standard output, a device or pipe in place, anything
    /// else as an atomic file.
    pub fn open(path: &Path) -> Result<Self> {
        if path.as_os_str() == "-" {
            Ok(Destination::Stdout(BufWriter::with_capacity(
                1 << 16,
                io::stdout(),
            )))
        } else if is_special(path) {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| Error::io(path, e))?;
            Ok(Destination::Special(
                BufWriter::with_capacity(1 << 16, f),
                path.to_path_buf(),
            ))
        } else {
            AtomicFile::create(path).map(Destination::File)
        }
    }

    /// Completes the output.
    pub fn commit(self) -> Result<()> {
        match self {
            Destination::File(f) => f.commit(),
            Destination::Stdout(mut s) => s.flush().map_err(|e| Error::io("<stdout>", e)),
            Destination::Special(mut f, path) => f.flush().map_err(|e| Error::io(path, e)),
        }
    }

    /// The name for messages.
    pub fn name(&self) -> String {
        match self {
            Destination::File(f) => f.target().display().to_string(),
            Destination::Stdout(_) => "<stdout>".into(),
            Destination::Special(_, path) => path.display().to_string(),
        }
    }
}

impl Write for Destination {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Destination::File(f) => f.write(buf),
            Destination::Stdout(s) => s.write(buf),
            Destination::Special(f, _) => f.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Destination::File(f) => f.flush(),
            Destination::Stdout(s) => s.flush(),
            Destination::Special(f, _) => f.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_are_written_in_place_never_replaced() {
        let null = Path::new("/dev/null");
        assert!(is_special(null));
        let mut d = Destination::open(null).unwrap();
        assert!(matches!(d, Destination::Special(..)));
        d.write_all(b"discarded").unwrap();
        d.commit().unwrap();
        let meta = std::fs::metadata(null).unwrap();
        assert!(!meta.is_file(), "/dev/null must stay a device");
    }

    #[test]
    fn stale_temporary_files_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        // Left by a killed writer: nobody holds it.
        let stale = dir.path().join(".out.csv.abc123.tmp");
        std::fs::write(&stale, "partial").unwrap();
        // Another target's, and a file that only looks alike.
        let other = dir.path().join(".out.csv.meta.json.abc123.tmp");
        std::fs::write(&other, "x").unwrap();
        let mine = dir.path().join("out.csv.abc123.tmp");
        std::fs::write(&mine, "x").unwrap();
        // A live writer of the same target.
        let live = AtomicFile::create(&target).unwrap();
        assert!(!stale.exists(), "the stale temporary file is removed");
        assert!(other.exists() && mine.exists());
        let second = AtomicFile::create(&target).unwrap();
        let temps = |d: &Path| {
            std::fs::read_dir(d)
                .unwrap()
                .filter(|e| {
                    let n = e.as_ref().unwrap().file_name();
                    let n = n.to_string_lossy();
                    n.starts_with(".out.csv.") && !n.contains("meta") && n.ends_with(".tmp")
                })
                .count()
        };
        assert_eq!(temps(dir.path()), 2, "a live writer's file is kept");
        drop(live);
        drop(second);
        assert_eq!(temps(dir.path()), 0);
    }

    #[test]
    fn appears_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        std::fs::write(&target, "old").unwrap();
        {
            let mut f = AtomicFile::create(&target).unwrap();
            f.write_all(b"partial").unwrap();
            // dropped without commit
        }
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    }
}
