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
            return Err(Error::io(
                &target,
                io::Error::other("is a device or a pipe, which an atomic file must not replace"),
            ));
        }
        if target.is_dir() {
            return Err(Error::io(
                &target,
                io::Error::other("is a directory; give a file name"),
            ));
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
        Ok(AtomicFile {
            target,
            writer: BufWriter::with_capacity(1 << 20, tmp),
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
