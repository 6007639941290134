//! The provenance sidecar `FILE.meta.json` written beside each output file of
//! `negsim run` and beside a sweep's runs file: everything needed to
//! reproduce the file (the scenario's text, the sweep and design files', the
//! command; `negsim rerun` does it) and to tell whether two files come from
//! the same sweep (for `negsim merge` and `--resume`). A `run` is recorded as
//! a sweep of one design point with no varied key.
//!
//! The sidecar is pretty-printed JSON with a fixed key order (the field order
//! of [`Provenance`]) and no timestamps, so that the same sweep writes the
//! same sidecar; only `command` (and `merged_from` in a merged file) records
//! how this particular file was made.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::design::DesignOptions;
use super::shard::Shard;
use crate::error::{Error, ErrorKind, Result};
use crate::output::AtomicFile;

/// The name of the per-run generator, as recorded in sidecars.
pub const GENERATOR: &str = "ChaCha8, stream = run index, see docs/model.md";

/// The sidecar format's version; bumped when fields change meaning.
/// Version 2 added the platform, the embedded inputs, the output and its
/// file format.
pub const FORMAT: u32 = 2;

/// What, besides the version, can change a result's bytes: the processor
/// architecture, the operating system, the byte order and the maths library.
/// negsim takes its transcendental functions from the pure-Rust `libm` crate
/// (see [`crate::fmath`]), so the bytes should not depend even on these;
/// `merge` still refuses shards whose fingerprints differ, so that a
/// difference could never go unnoticed.
pub fn platform_fingerprint() -> String {
    format!(
        "{}-{}, {}-endian, {}-bit, maths: libm (pure Rust)",
        std::env::consts::ARCH,
        std::env::consts::OS,
        if cfg!(target_endian = "little") {
            "little"
        } else {
            "big"
        },
        usize::BITS
    )
}

/// The design of a sweep as recorded in its sidecar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesignRecord {
    /// `grid`, `lhs`, `random`, `morris`, `sobol` or `file`.
    pub kind: super::design::DesignKind,
    /// The varied keys, in column order.
    pub keys: Vec<String>,
    /// Each key's spec as text (`0.2..0.9:8`, `[0.1, 0.5]`), parseable again.
    pub specs: Vec<String>,
    /// Number of design points of the whole sweep.
    pub points: usize,
    /// The seed the design was drawn from (lhs, random, morris and scrambled
    /// sobol; recorded for the others too).
    pub seed: u64,
    /// Settings of a Morris or Sobol design (absent for the other kinds).
    #[serde(default, skip_serializing_if = "DesignOptions::is_empty")]
    pub options: DesignOptions,
    /// SHA-256 of the `--design-file` of a file design.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_sha256: Option<String>,
}

/// What a sidecar says about its CSV file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// Sidecar format version ([`FORMAT`]).
    pub format: u32,
    /// The negsim version that wrote the file.
    pub negsim_version: String,
    /// The platform, as [`platform_fingerprint`] describes it.
    pub platform: String,
    /// Which output of the command this file is: `runs`, `events` or `summary`.
    pub output: String,
    /// The file's format: `csv` or `parquet`.
    pub file_format: String,
    /// The scenario file as named on the command line (informational).
    pub scenario_file: String,
    /// SHA-256 of the scenario file's bytes, lowercase hex.
    pub scenario_sha256: String,
    /// The scenario file's text.
    pub scenario_text: String,
    /// The `--sweep-file`'s text, if one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep_file_text: Option<String>,
    /// The `--design-file`'s text, if one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub design_file_text: Option<String>,
    /// Fixed `--set KEY=VALUE` overrides, in order.
    pub overrides: Vec<String>,
    /// Master seed.
    pub seed: u64,
    /// The design.
    pub design: DesignRecord,
    /// Replications per design point.
    pub runs_per_point: u64,
    /// The per-run generator ([`GENERATOR`]).
    pub generator: String,
    /// `whole`, or `I/N` for shard `I` of `N` (0-based).
    pub shard: String,
    /// The design points this file covers: `[start, end)`.
    pub point_range: [usize; 2],
    /// Data rows in the file: points covered times runs per point.
    pub rows: u64,
    /// SHA-256 of the file's data rows as CSV text (header excluded), in
    /// file order, lowercase hex; for a Parquet file, of the CSV text it
    /// was converted from, which is what it reads back as. `--resume` and
    /// `negsim merge` refuse a file whose rows no longer have it. Absent in
    /// the checkpoint's sidecar, in `negsim run`'s and in files of older
    /// versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows_sha256: Option<String>,
    /// The command line that wrote the file.
    pub command: Vec<String>,
    /// For a file written by `negsim merge`: the shard files, in shard order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_from: Option<Vec<String>>,
}

/// Fields that may differ between two files of the same sweep and shard
/// (`rows_sha256` describes the content, checked on its own).
const INCIDENTAL: [&str; 4] = ["command", "merged_from", "scenario_file", "rows_sha256"];
/// Embedded texts: compared through their hashes, and too long to show.
const TEXTS: [&str; 3] = ["scenario_text", "sweep_file_text", "design_file_text"];
/// Fields that may also differ between shards of the same sweep.
const PER_SHARD: [&str; 3] = ["shard", "point_range", "rows"];

impl Provenance {
    /// The sidecar path of a CSV file: `FILE.meta.json`.
    pub fn sidecar_path(csv: &Path) -> PathBuf {
        let mut s = csv.as_os_str().to_owned();
        s.push(".meta.json");
        PathBuf::from(s)
    }

    /// The shard this file is, parsed from [`Provenance::shard`].
    pub fn shard(&self) -> Result<Shard> {
        if self.shard == "whole" {
            return Ok(Shard::WHOLE);
        }
        self.shard.parse().map_err(|e| {
            Error::usage(format!("sidecar shard `{}`: {e}", self.shard)).with_source(e)
        })
    }

    /// The `shard` field for `shard`: `whole` or `I/N`.
    pub fn shard_text(shard: Shard) -> String {
        if shard.count == 1 {
            "whole".to_string()
        } else {
            shard.to_string()
        }
    }

    /// Pretty JSON with a trailing newline.
    pub fn to_json(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).expect("provenance serializes");
        v.push(b'\n');
        v
    }

    /// Writes the sidecar atomically to `path`.
    pub fn write(&self, path: &Path) -> Result<()> {
        let mut f = AtomicFile::create(path)?;
        f.write_all(&self.to_json())
            .map_err(|e| Error::io(path, e))?;
        f.commit()
    }

    /// Reads a sidecar; `Ok(None)` when it does not exist.
    pub fn read(path: &Path) -> Result<Option<Provenance>> {
        let text = match std::fs::read(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(path, e)),
        };
        serde_json::from_slice(&text).map(Some).map_err(|e| {
            Error::usage(format!(
                "{}: not a negsim sweep sidecar ({e}); it should be the JSON file \
                 that negsim sweep wrote beside its CSV",
                path.display()
            ))
            .with_source(e)
        })
    }

    /// Differences that make `other` a different sweep, or a different shard,
    /// from `self` (for `--resume`): every field but the incidental ones
    /// (`command`, `merged_from`, `scenario_file`, `rows_sha256`). Each entry reads
    /// `field: this vs other`.
    pub fn differences_as_file(&self, other: &Provenance) -> Vec<String> {
        self.differences(other, &INCIDENTAL)
    }

    /// Differences that make `other` a different sweep from `self` (for
    /// `negsim merge`): like [`Provenance::differences_as_file`] but the shard
    /// index, point range and row count may differ; the shard count may not.
    pub fn differences_as_sweep(&self, other: &Provenance) -> Vec<String> {
        let ignore: Vec<&str> = INCIDENTAL.iter().chain(&PER_SHARD).copied().collect();
        let mut d = self.differences(other, &ignore);
        let count = |p: &Provenance| p.shard().map(|s| s.count).unwrap_or(0);
        if count(self) != count(other) {
            d.insert(
                0,
                format!(
                    "shard count: {} vs {}",
                    count(self).max(1),
                    count(other).max(1)
                ),
            );
        }
        d
    }

    fn differences(&self, other: &Provenance, ignore: &[&str]) -> Vec<String> {
        let a = serde_json::to_value(self).unwrap_or_default();
        let b = serde_json::to_value(other).unwrap_or_default();
        let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
            return vec!["unreadable".into()];
        };
        let mut out = Vec::new();
        for (k, va) in a {
            if ignore.contains(&k.as_str()) || TEXTS.contains(&k.as_str()) {
                continue;
            }
            let vb = b.get(k).unwrap_or(&serde_json::Value::Null);
            if va != vb {
                out.push(format!("{k}: {} vs {}", short(va), short(vb)));
            }
        }
        out
    }
}

fn short(v: &serde_json::Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Turns a list of differences into the error `--resume` or `merge` gives.
pub(crate) fn mismatch(what: String, diffs: &[String], fix: &str) -> Error {
    Error::new(ErrorKind::Usage(format!(
        "{what}: {}; {fix}",
        diffs.join("; ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::design::DesignKind;

    fn sample() -> Provenance {
        Provenance {
            format: FORMAT,
            negsim_version: "0.1.0".into(),
            platform: platform_fingerprint(),
            output: "runs".into(),
            file_format: "csv".into(),
            scenario_file: "s.toml".into(),
            scenario_sha256: sha256_hex(b"abc"),
            scenario_text: "abc".into(),
            sweep_file_text: None,
            design_file_text: None,
            overrides: vec!["a.b=1".into()],
            seed: 7,
            design: DesignRecord {
                kind: DesignKind::Grid,
                keys: vec!["k".into()],
                specs: vec!["0..1:3".into()],
                points: 3,
                seed: 7,
                options: DesignOptions::default(),
                file_sha256: None,
            },
            runs_per_point: 10,
            generator: GENERATOR.into(),
            shard: "1/3".into(),
            point_range: [1, 2],
            rows: 10,
            rows_sha256: None,
            command: vec!["negsim".into(), "sweep".into()],
            merged_from: None,
        }
    }

    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn json_has_stable_key_order_and_round_trips() {
        let p = sample();
        let text = String::from_utf8(p.to_json()).unwrap();
        let keys: Vec<usize> = [
            "\"format\"",
            "\"negsim_version\"",
            "\"seed\"",
            "\"command\"",
        ]
        .iter()
        .map(|k| text.find(k).unwrap())
        .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{text}");
        assert!(!text.contains("merged_from"));
        let back: Provenance = serde_json::from_str(&text).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn differences_ignore_incidental_fields() {
        let a = sample();
        let mut b = sample();
        b.command = vec!["other".into()];
        b.scenario_file = "elsewhere/s.toml".into();
        assert!(a.differences_as_file(&b).is_empty());
        b.shard = "2/3".into();
        b.point_range = [2, 3];
        assert_eq!(a.differences_as_file(&b).len(), 2);
        assert!(a.differences_as_sweep(&b).is_empty());
        b.seed = 8;
        b.shard = "0/4".into();
        let d = a.differences_as_sweep(&b);
        assert_eq!(d, ["shard count: 3 vs 4", "seed: 7 vs 8"]);
        let mut c = sample();
        c.platform = "aarch64-macos, little-endian, 64-bit, maths: libm (pure Rust)".into();
        c.negsim_version = "0.2.0".into();
        let d = a.differences_as_sweep(&c);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].starts_with("negsim_version") && d[1].starts_with("platform"));
    }

    #[test]
    fn shard_text_round_trips() {
        assert_eq!(Provenance::shard_text(Shard::WHOLE), "whole");
        let mut p = sample();
        assert_eq!(p.shard().unwrap(), Shard { index: 1, count: 3 });
        p.shard = "whole".into();
        assert_eq!(p.shard().unwrap(), Shard::WHOLE);
    }
}
