//! Helpers shared by the integration tests: paths in the repository,
//! running `negsim` expecting success, and watching, signalling and
//! reaping a `negsim` process.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Std};
use std::time::{Duration, Instant};

use assert_cmd::Command;

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The founding scenario, as a command-line argument.
pub fn founding() -> String {
    root()
        .join("scenarios/jan-2022-security-talks.toml")
        .display()
        .to_string()
}

/// A path as a command-line argument.
pub fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Runs `negsim ARGS`, fails the test (with its standard error) unless it
/// succeeds, and returns its standard output.
pub fn negsim(args: &[&str]) -> String {
    let out = Command::cargo_bin("negsim")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "negsim {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The founding scenario's path.
pub fn founding_path() -> PathBuf {
    root().join("scenarios/jan-2022-security-talks.toml")
}

/// Fearon's textbook scenario's path.
pub fn fearon() -> PathBuf {
    root().join("scenarios/textbook/fearon.toml")
}

/// The negsim binary.
pub fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("negsim")
}

/// The names in `dir`.
pub fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// The temporary files (`.NAME.XXXXXX.tmp`) in `dir`.
pub fn temp_files(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.starts_with('.') && n.ends_with(".tmp"))
        .collect()
}

/// Kills the child on drop, so that a failing assertion leaves no process.
pub struct Guard(pub Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Polls `ready` until it holds; fails after a minute.
pub fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "waited a minute for {what}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Sends `sig` (`TERM`, `INT`...) to `child`.
pub fn signal(child: &Child, sig: &str) {
    let ok = Std::new("kill")
        .args([&format!("-{sig}"), &child.id().to_string()])
        .status()
        .expect("kill runs")
        .success();
    assert!(ok, "kill -{sig}");
}

/// Waits for the child to exit (reading its stdout, if piped, to the end)
/// and returns its exit code and stderr.
pub fn finish(mut g: Guard) -> (Option<i32>, String) {
    let mut out = Vec::new();
    if let Some(mut s) = g.0.stdout.take() {
        s.read_to_end(&mut out).unwrap();
    }
    let mut err = String::new();
    if let Some(mut s) = g.0.stderr.take() {
        s.read_to_string(&mut err).unwrap();
    }
    let status = g.0.wait().unwrap();
    (status.code(), err)
}

/// The lines of `path` (0 if it is missing).
pub fn lines(path: &Path) -> usize {
    std::fs::read(path)
        .map(|b| b.iter().filter(|&&c| c == b'\n').count())
        .unwrap_or(0)
}
