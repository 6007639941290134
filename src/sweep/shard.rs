//! Sharding a sweep: which contiguous slice of the design points this process runs,
//! given `--shard I/N`, or `--shard auto` read from a Slurm job array or a Kubernetes
//! indexed Job.
//!
//! Shard indices are 0-based: `--shard I/N` with `0 <= I < N`, so that
//! `SLURM_ARRAY_TASK_ID` of an array `--array=0-15` and Kubernetes'
//! `JOB_COMPLETION_INDEX` (always 0-based) are used as they are.
//!
//! ```
//! use negsim::sweep::shard::{shard_range, Shard, ShardSpec};
//!
//! let spec: ShardSpec = "1/3".parse().unwrap();
//! let shard = spec.resolve(None, |_| None).unwrap();
//! assert_eq!(shard, Shard { index: 1, count: 3 });
//! // 10 points over 3 shards: 0..4, 4..7, 7..10.
//! assert_eq!(shard_range(10, shard), 4..7);
//! ```

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Slurm: the task's id within the job array.
pub const SLURM_ARRAY_TASK_ID: &str = "SLURM_ARRAY_TASK_ID";
/// Slurm: the number of tasks in the job array.
pub const SLURM_ARRAY_TASK_COUNT: &str = "SLURM_ARRAY_TASK_COUNT";
/// Slurm: the smallest task id of the job array (e.g. 1 for `--array=1-16`).
pub const SLURM_ARRAY_TASK_MIN: &str = "SLURM_ARRAY_TASK_MIN";
/// Slurm: the step between task ids (e.g. 2 for `--array=0-30:2`).
pub const SLURM_ARRAY_TASK_STEP: &str = "SLURM_ARRAY_TASK_STEP";
/// Kubernetes: the pod's completion index in an indexed Job (0-based).
pub const JOB_COMPLETION_INDEX: &str = "JOB_COMPLETION_INDEX";

/// An error in `--shard`, `--shards` or the scheduler's environment.
///
/// Each message says what was wrong, what was expected and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShardError {
    /// Text that is neither `I/N` nor `auto`.
    #[error(
        "cannot read --shard '{text}'; expected I/N with whole numbers 0 <= I < N \
         (e.g. 0/16 for the first of 16 shards) or auto"
    )]
    Malformed {
        /// The text as given.
        text: String,
    },
    /// A shard count of zero, in `--shard I/0` or `--shards 0`.
    #[error("{origin} asks for 0 shards; expected at least 1 shard, e.g. --shard 0/16")]
    ZeroCount {
        /// Where the count came from, e.g. `--shard 0/0`.
        origin: String,
    },
    /// A shard index not below the shard count.
    #[error(
        "shard index {index} is out of range for {count} shards; use 0..={} \
         (shard indices start at 0)",
        .count.saturating_sub(1)
    )]
    IndexOutOfRange {
        /// The index given.
        index: usize,
        /// The number of shards.
        count: usize,
    },
    /// `--shard auto` outside a Slurm job array and a Kubernetes indexed Job.
    #[error(
        "--shard auto found neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX in \
         the environment; pass --shard I/N (e.g. --shard 0/16), or run inside a \
         Slurm job array (sbatch --array=0-15) or a Kubernetes indexed Job \
         (completionMode: Indexed) with --shards N"
    )]
    NoScheduler,
    /// A Kubernetes indexed Job without `--shards N`.
    #[error(
        "JOB_COMPLETION_INDEX={index} says this is a Kubernetes indexed Job, but the \
         number of shards is unknown; pass --shards N with N the Job's completions, \
         e.g. --shard auto --shards 16"
    )]
    MissingShards {
        /// The completion index found.
        index: usize,
    },
    /// A Slurm array task whose array size is unknown.
    #[error(
        "SLURM_ARRAY_TASK_ID={id} is set but SLURM_ARRAY_TASK_COUNT is not; pass \
         --shards N with N the number of array tasks, e.g. --shard auto --shards 16"
    )]
    MissingSlurmCount {
        /// The task id found.
        id: usize,
    },
    /// An environment variable that is not a whole number, or is 0 where that
    /// makes no sense.
    #[error("environment variable {var}='{value}' is not valid; expected {expected}")]
    BadEnv {
        /// The variable's name.
        var: &'static str,
        /// Its value.
        value: String,
        /// What was expected, e.g. `the task id, a whole number such as 3`.
        expected: &'static str,
    },
    /// `--shards N` that disagrees with the shard count from elsewhere.
    #[error("--shards {flag} disagrees with the {count} shard(s) of {origin}; {hint}")]
    CountConflict {
        /// `--shards` as given.
        flag: usize,
        /// The count from `origin`.
        count: usize,
        /// Where the other count came from, e.g. `--shard 3/8`.
        origin: String,
        /// How to fix it.
        hint: &'static str,
    },
    /// A scheduler index that is not a shard index.
    #[error(
        "{origin} does not give a shard index in 0..={} for {count} shards; {hint}",
        .count.saturating_sub(1)
    )]
    EnvOutOfRange {
        /// The task and the variables that gave the index, e.g.
        /// `the Slurm array task (SLURM_ARRAY_TASK_ID=17)`.
        origin: String,
        /// The number of shards.
        count: usize,
        /// How to fix it.
        hint: &'static str,
    },
}

const SLURM_HINT: &str = "use a contiguous array such as --array=0-15 (or 1-16, or 0-30:2), \
                          with --shards, if given, equal to the number of tasks";
const EXPLICIT_COUNT_HINT: &str = "drop --shards, or make it equal to N in --shard I/N";
const SLURM_COUNT_HINT: &str = "drop --shards, or make it equal to the number of array tasks; \
     to rerun some tasks of a larger array (e.g. sbatch --array=7), pass --shard I/N \
     (e.g. --shard 7/16) instead of --shard auto";
const K8S_HINT: &str = "set --shards to the Job's completions";

/// One shard of a sweep: the `index`-th (0-based) of `count` contiguous slices of
/// the design points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Shard {
    /// This shard's index, `0 <= index < count`.
    pub index: usize,
    /// The number of shards, at least 1.
    pub count: usize,
}

impl Shard {
    /// The whole sweep as one shard: `0/1`.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// A checked shard.
    ///
    /// # Errors
    ///
    /// [`ShardError::ZeroCount`] if `count == 0`, [`ShardError::IndexOutOfRange`] if
    /// `index >= count`.
    pub fn new(index: usize, count: usize) -> Result<Shard, ShardError> {
        if count == 0 {
            Err(ShardError::ZeroCount {
                origin: format!("--shard {index}/0"),
            })
        } else if index >= count {
            Err(ShardError::IndexOutOfRange { index, count })
        } else {
            Ok(Shard { index, count })
        }
    }
}

impl fmt::Display for Shard {
    /// The command-line form `I/N`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = ShardError;

    /// Parses `I/N` (not `auto`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let malformed = || ShardError::Malformed { text: s.to_owned() };
        let (index, count) = s.trim().split_once('/').ok_or_else(malformed)?;
        let index = index.trim().parse().map_err(|_| malformed())?;
        let count = count.trim().parse().map_err(|_| malformed())?;
        Shard::new(index, count)
    }
}

/// The `--shard` argument: an explicit `I/N`, or `auto` to read the scheduler's
/// environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShardSpec {
    /// `--shard I/N`.
    Explicit(Shard),
    /// `--shard auto`: see [`resolve_auto`].
    Auto,
}

impl ShardSpec {
    /// The shard this process runs.
    ///
    /// An explicit shard is returned as it is, after checking that `shards_flag`
    /// (`--shards N`), if given, equals its count; `auto` calls [`resolve_auto`].
    ///
    /// # Errors
    ///
    /// [`ShardError::CountConflict`], or any error of [`resolve_auto`].
    pub fn resolve(
        &self,
        shards_flag: Option<usize>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Shard, ShardError> {
        match *self {
            ShardSpec::Explicit(shard) => match shards_flag {
                Some(flag) if flag != shard.count => Err(ShardError::CountConflict {
                    flag,
                    count: shard.count,
                    origin: format!("--shard {shard}"),
                    hint: EXPLICIT_COUNT_HINT,
                }),
                _ => Ok(shard),
            },
            ShardSpec::Auto => resolve_auto(shards_flag, env),
        }
    }
}

impl fmt::Display for ShardSpec {
    /// The command-line form: `I/N` or `auto`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShardSpec::Explicit(shard) => shard.fmt(f),
            ShardSpec::Auto => f.write_str("auto"),
        }
    }
}

impl FromStr for ShardSpec {
    type Err = ShardError;

    /// Parses `auto` or `I/N` with `0 <= I < N`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim() == "auto" {
            Ok(ShardSpec::Auto)
        } else {
            s.parse().map(ShardSpec::Explicit)
        }
    }
}

/// Works out this process's shard from the scheduler's environment, for
/// `--shard auto`.
///
/// `env` looks up an environment variable (pass `|k| std::env::var(k).ok()`); a
/// variable set to an empty string counts as unset. In order:
///
/// 1. **Slurm job array**: `SLURM_ARRAY_TASK_ID` is set. The shard count is
///    `SLURM_ARRAY_TASK_COUNT` (or `shards_flag` if Slurm did not set it), and the
///    index is `(SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP`
///    (MIN defaulting to 0 and STEP to 1), so `--array=0-15`, `--array=1-16` and
///    `--array=0-30:2` all give shards 0..=15 of 16. If `shards_flag` is given it
///    must equal the array size. Passing it is a useful guard: an array resubmitted
///    for one task (`sbatch --array=7`) is an array of one task, which alone would
///    mean shard 0 of 1; such reruns need an explicit `--shard 7/16`.
/// 2. **Kubernetes indexed Job**: `JOB_COMPLETION_INDEX` is set. The index is its
///    value and the count is `shards_flag`, which is required: a pod cannot see the
///    Job's `completions`.
/// 3. Otherwise [`ShardError::NoScheduler`].
///
/// # Errors
///
/// [`ShardError::NoScheduler`], [`MissingShards`](ShardError::MissingShards),
/// [`MissingSlurmCount`](ShardError::MissingSlurmCount),
/// [`BadEnv`](ShardError::BadEnv) for a value that is not a whole number (or a zero
/// step or task count), [`ZeroCount`](ShardError::ZeroCount) for `--shards 0`,
/// [`CountConflict`](ShardError::CountConflict), and
/// [`EnvOutOfRange`](ShardError::EnvOutOfRange) for an index outside `0..count`.
pub fn resolve_auto(
    shards_flag: Option<usize>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Shard, ShardError> {
    if shards_flag == Some(0) {
        return Err(ShardError::ZeroCount {
            origin: "--shards 0".to_owned(),
        });
    }
    let lookup = |var: &'static str| env(var).filter(|v| !v.trim().is_empty());
    let number = |var: &'static str, expected: &'static str| -> Result<Option<usize>, ShardError> {
        match lookup(var) {
            None => Ok(None),
            Some(value) => match value.trim().parse() {
                Ok(n) => Ok(Some(n)),
                Err(_) => Err(ShardError::BadEnv {
                    var,
                    value,
                    expected,
                }),
            },
        }
    };
    let positive = |var: &'static str, expected: &'static str| match number(var, expected)? {
        Some(0) => Err(ShardError::BadEnv {
            var,
            value: "0".to_owned(),
            expected,
        }),
        n => Ok(n),
    };

    if let Some(id) = number(SLURM_ARRAY_TASK_ID, "the task id, a whole number such as 3")? {
        let min = number(
            SLURM_ARRAY_TASK_MIN,
            "the array's first task id, a whole number such as 0",
        )?;
        let step = positive(
            SLURM_ARRAY_TASK_STEP,
            "the array's step, a whole number of at least 1",
        )?;
        let count = match positive(
            SLURM_ARRAY_TASK_COUNT,
            "the array's number of tasks, a whole number of at least 1",
        )? {
            Some(count) => {
                if let Some(flag) = shards_flag.filter(|&flag| flag != count) {
                    return Err(ShardError::CountConflict {
                        flag,
                        count,
                        origin: format!("the Slurm array ({SLURM_ARRAY_TASK_COUNT}={count})"),
                        hint: SLURM_COUNT_HINT,
                    });
                }
                count
            }
            None => shards_flag.ok_or(ShardError::MissingSlurmCount { id })?,
        };
        let mut origin = format!("the Slurm array task ({SLURM_ARRAY_TASK_ID}={id}");
        if let Some(min) = min {
            origin.push_str(&format!(", {SLURM_ARRAY_TASK_MIN}={min}"));
        }
        if let Some(step) = step {
            origin.push_str(&format!(", {SLURM_ARRAY_TASK_STEP}={step}"));
        }
        origin.push(')');
        let out_of_range = || ShardError::EnvOutOfRange {
            origin: origin.clone(),
            count,
            hint: SLURM_HINT,
        };
        let offset = id.checked_sub(min.unwrap_or(0)).ok_or_else(out_of_range)?;
        let step = step.unwrap_or(1);
        if offset % step != 0 || offset / step >= count {
            return Err(out_of_range());
        }
        return Ok(Shard {
            index: offset / step,
            count,
        });
    }

    if let Some(index) = number(
        JOB_COMPLETION_INDEX,
        "the completion index, a whole number such as 3",
    )? {
        let count = shards_flag.ok_or(ShardError::MissingShards { index })?;
        if index >= count {
            return Err(ShardError::EnvOutOfRange {
                origin: format!("the Kubernetes pod ({JOB_COMPLETION_INDEX}={index})"),
                count,
                hint: K8S_HINT,
            });
        }
        return Ok(Shard { index, count });
    }

    Err(ShardError::NoScheduler)
}

/// The design points that `shard` runs, out of `0..total_points`.
///
/// The shards' ranges are contiguous, in shard order, do not overlap and together
/// cover `0..total_points`; their sizes differ by at most one, the earlier shards
/// taking the extra points. Shards beyond the number of points get empty ranges.
///
/// # Panics
///
/// If `shard.count == 0` or `shard.index >= shard.count`, which [`Shard::new`] and
/// parsing rule out.
pub fn shard_range(total_points: usize, shard: Shard) -> Range<usize> {
    assert!(
        shard.index < shard.count,
        "shard {shard} is not a valid shard (index must be below count)"
    );
    let base = total_points / shard.count;
    let extra = total_points % shard.count;
    let start = shard.index * base + shard.index.min(extra);
    let len = base + usize::from(shard.index < extra);
    start..start + len
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: BTreeMap<String, String> = vars
            .iter()
            .map(|&(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        move |k: &str| map.get(k).cloned()
    }

    fn shard(index: usize, count: usize) -> Shard {
        Shard { index, count }
    }

    #[test]
    fn parses_explicit_and_auto() {
        assert_eq!("0/16".parse(), Ok(ShardSpec::Explicit(shard(0, 16))));
        assert_eq!(" 15 / 16 ".parse(), Ok(ShardSpec::Explicit(shard(15, 16))));
        assert_eq!("auto".parse(), Ok(ShardSpec::Auto));
        assert_eq!(ShardSpec::Explicit(shard(2, 5)).to_string(), "2/5");
        assert_eq!(ShardSpec::Auto.to_string(), "auto");
        assert_eq!("3/7".parse::<Shard>(), Ok(shard(3, 7)));
        assert_eq!(Shard::WHOLE.to_string(), "0/1");
    }

    #[test]
    fn parse_errors() {
        let e = "3/3".parse::<ShardSpec>().unwrap_err();
        assert_eq!(e, ShardError::IndexOutOfRange { index: 3, count: 3 });
        assert!(e
            .to_string()
            .starts_with("shard index 3 is out of range for 3 shards; use 0..=2"));
        let e = "0/0".parse::<ShardSpec>().unwrap_err();
        assert!(matches!(e, ShardError::ZeroCount { .. }));
        assert!(e.to_string().contains("at least 1 shard"), "{e}");
        for bad in ["", "3", "a/b", "1/2/3", "-1/4", "1.5/4", "/4", "1/", "AUTO"] {
            assert!(
                matches!(bad.parse::<ShardSpec>(), Err(ShardError::Malformed { .. })),
                "{bad}"
            );
        }
        assert!("x"
            .parse::<ShardSpec>()
            .unwrap_err()
            .to_string()
            .contains("0/16"));
        assert_eq!(Shard::new(1, 2), Ok(shard(1, 2)));
        assert!(Shard::new(2, 2).is_err());
    }

    #[test]
    fn explicit_resolve_checks_shards_flag() {
        let spec = ShardSpec::Explicit(shard(1, 4));
        let no_env = |_: &str| None;
        assert_eq!(spec.resolve(None, no_env), Ok(shard(1, 4)));
        assert_eq!(spec.resolve(Some(4), no_env), Ok(shard(1, 4)));
        assert!(matches!(
            spec.resolve(Some(8), no_env),
            Err(ShardError::CountConflict {
                flag: 8,
                count: 4,
                ..
            })
        ));
    }

    #[test]
    fn slurm_array() {
        let env = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "5"),
            ("SLURM_ARRAY_TASK_COUNT", "16"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
        ]);
        assert_eq!(resolve_auto(None, &env), Ok(shard(5, 16)));
        assert_eq!(resolve_auto(Some(16), &env), Ok(shard(5, 16)));
        assert!(matches!(
            resolve_auto(Some(8), &env),
            Err(ShardError::CountConflict { .. })
        ));
        // --array=1-16: ids 1..=16 become shards 0..=15.
        let env = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "16"),
            ("SLURM_ARRAY_TASK_COUNT", "16"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
        ]);
        assert_eq!(resolve_auto(None, env), Ok(shard(15, 16)));
        // --array=0-30:2
        let env = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "30"),
            ("SLURM_ARRAY_TASK_COUNT", "16"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
        ]);
        assert_eq!(resolve_auto(None, env), Ok(shard(15, 16)));
        // No MIN set: the id is the index.
        let env = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(resolve_auto(None, env), Ok(shard(2, 4)));
        // Slurm wins over Kubernetes.
        let env = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "2"),
            ("JOB_COMPLETION_INDEX", "0"),
        ]);
        assert_eq!(resolve_auto(None, env), Ok(shard(1, 2)));
    }

    #[test]
    fn slurm_errors() {
        let env = env_of(&[("SLURM_ARRAY_TASK_ID", "3")]);
        assert_eq!(
            resolve_auto(None, &env),
            Err(ShardError::MissingSlurmCount { id: 3 })
        );
        assert_eq!(resolve_auto(Some(4), &env), Ok(shard(3, 4)));
        let env = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "16"),
            ("SLURM_ARRAY_TASK_COUNT", "16"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
        ]);
        let e = resolve_auto(None, env).unwrap_err();
        assert!(matches!(e, ShardError::EnvOutOfRange { count: 16, .. }));
        let msg = e.to_string();
        assert!(
            msg.contains("SLURM_ARRAY_TASK_ID=16") && msg.contains("0..=15"),
            "{msg}"
        );
        let env = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "0"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
        ]);
        assert!(matches!(
            resolve_auto(None, env),
            Err(ShardError::EnvOutOfRange { .. })
        ));
        let env = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
        ]);
        assert!(matches!(
            resolve_auto(None, env),
            Err(ShardError::EnvOutOfRange { .. })
        ));
        let env = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "x"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        let e = resolve_auto(None, env).unwrap_err();
        assert!(matches!(
            e,
            ShardError::BadEnv {
                var: "SLURM_ARRAY_TASK_ID",
                ..
            }
        ));
        assert!(e.to_string().contains("SLURM_ARRAY_TASK_ID='x'"), "{e}");
        let env = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "-1"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert!(matches!(
            resolve_auto(None, env),
            Err(ShardError::BadEnv { .. })
        ));
        let env = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "0"),
            ("SLURM_ARRAY_TASK_COUNT", "0"),
        ]);
        assert!(matches!(
            resolve_auto(None, env),
            Err(ShardError::BadEnv {
                var: "SLURM_ARRAY_TASK_COUNT",
                ..
            })
        ));
        let env = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "0"),
            ("SLURM_ARRAY_TASK_COUNT", "2"),
            ("SLURM_ARRAY_TASK_STEP", "0"),
        ]);
        assert!(matches!(
            resolve_auto(None, env),
            Err(ShardError::BadEnv { .. })
        ));
    }

    #[test]
    fn resubmitted_single_task_is_caught_by_shards_flag() {
        // `sbatch --array=7` of a 16-task sweep: Slurm sees an array of one task.
        let env = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "7"),
            ("SLURM_ARRAY_TASK_MIN", "7"),
            ("SLURM_ARRAY_TASK_COUNT", "1"),
        ]);
        assert_eq!(resolve_auto(None, &env), Ok(shard(0, 1)));
        let e = resolve_auto(Some(16), &env).unwrap_err();
        assert!(matches!(
            e,
            ShardError::CountConflict {
                flag: 16,
                count: 1,
                ..
            }
        ));
        assert!(e.to_string().contains("--shard 7/16"), "{e}");
        let explicit = ShardSpec::Explicit(shard(7, 16));
        assert_eq!(explicit.resolve(Some(16), &env), Ok(shard(7, 16)));
    }

    #[test]
    fn kubernetes_indexed_job() {
        let env = env_of(&[("JOB_COMPLETION_INDEX", "7")]);
        assert_eq!(resolve_auto(Some(16), &env), Ok(shard(7, 16)));
        let e = resolve_auto(None, &env).unwrap_err();
        assert_eq!(e, ShardError::MissingShards { index: 7 });
        assert!(e.to_string().contains("--shards"), "{e}");
        let e = resolve_auto(Some(7), &env).unwrap_err();
        assert!(matches!(e, ShardError::EnvOutOfRange { count: 7, .. }));
        assert!(e.to_string().contains("JOB_COMPLETION_INDEX=7"), "{e}");
        assert!(matches!(
            resolve_auto(Some(0), &env),
            Err(ShardError::ZeroCount { .. })
        ));
        let env = env_of(&[("JOB_COMPLETION_INDEX", "seven")]);
        assert!(matches!(
            resolve_auto(Some(16), env),
            Err(ShardError::BadEnv { .. })
        ));
        let spec = ShardSpec::Auto;
        let env = env_of(&[("JOB_COMPLETION_INDEX", "0")]);
        assert_eq!(spec.resolve(Some(2), env), Ok(shard(0, 2)));
    }

    #[test]
    fn no_scheduler() {
        let e = resolve_auto(Some(4), |_| None).unwrap_err();
        assert_eq!(e, ShardError::NoScheduler);
        let msg = e.to_string();
        for needle in ["--shard I/N", "Slurm", "Kubernetes", "--shards N"] {
            assert!(msg.contains(needle), "{needle} not in {msg}");
        }
        // Empty values count as unset.
        let env = env_of(&[("SLURM_ARRAY_TASK_ID", ""), ("JOB_COMPLETION_INDEX", " ")]);
        assert_eq!(resolve_auto(None, env), Err(ShardError::NoScheduler));
    }

    #[test]
    fn wrapped_messages_read_as_one_line() {
        let msgs = [
            ShardError::NoScheduler.to_string(),
            ShardError::MissingShards { index: 2 }.to_string(),
            ShardError::IndexOutOfRange { index: 3, count: 3 }.to_string(),
            "x".parse::<ShardSpec>().unwrap_err().to_string(),
            ShardError::MissingSlurmCount { id: 4 }.to_string(),
            resolve_auto(Some(0), |_| None).unwrap_err().to_string(),
            resolve_auto(None, env_of(&[("SLURM_ARRAY_TASK_ID", "x")]))
                .unwrap_err()
                .to_string(),
            resolve_auto(
                Some(3),
                env_of(&[
                    ("SLURM_ARRAY_TASK_ID", "1"),
                    ("SLURM_ARRAY_TASK_COUNT", "4"),
                ]),
            )
            .unwrap_err()
            .to_string(),
            resolve_auto(
                None,
                env_of(&[
                    ("SLURM_ARRAY_TASK_ID", "17"),
                    ("SLURM_ARRAY_TASK_MIN", "1"),
                    ("SLURM_ARRAY_TASK_COUNT", "16"),
                ]),
            )
            .unwrap_err()
            .to_string(),
            resolve_auto(Some(4), env_of(&[("JOB_COMPLETION_INDEX", "4")]))
                .unwrap_err()
                .to_string(),
        ];
        for m in &msgs {
            println!("{m}");
            assert!(!m.contains('\n') && !m.contains("  "), "{m:?}");
        }
        assert_eq!(
            msgs[2],
            "shard index 3 is out of range for 3 shards; use 0..=2 (shard indices start at 0)"
        );
    }

    #[test]
    fn ranges_are_balanced() {
        let ranges: Vec<_> = (0..3).map(|i| shard_range(10, shard(i, 3))).collect();
        assert_eq!(ranges, [0..4, 4..7, 7..10]);
        let ranges: Vec<_> = (0..4).map(|i| shard_range(2, shard(i, 4))).collect();
        assert_eq!(ranges, [0..1, 1..2, 2..2, 2..2]);
        assert_eq!(shard_range(0, Shard::WHOLE), 0..0);
        assert_eq!(shard_range(5, Shard::WHOLE), 0..5);
    }

    #[test]
    #[should_panic(expected = "not a valid shard")]
    fn invalid_shard_panics() {
        let _ = shard_range(10, shard(3, 3));
    }

    proptest! {
        #[test]
        fn shards_partition_the_points(total in 0usize..10_000, count in 1usize..200) {
            let mut next = 0;
            let mut sizes = Vec::with_capacity(count);
            for index in 0..count {
                let r = shard_range(total, Shard { index, count });
                prop_assert_eq!(r.start, next);
                prop_assert!(r.start <= r.end);
                next = r.end;
                sizes.push(r.len());
            }
            prop_assert_eq!(next, total);
            let max = sizes.iter().copied().max().unwrap_or(0);
            let min = sizes.iter().copied().min().unwrap_or(0);
            prop_assert!(max - min <= 1);
            prop_assert!(sizes.windows(2).all(|w| w[0] >= w[1]));
        }

        #[test]
        fn display_parses_back(count in 1usize..1000, index in 0usize..1000) {
            let index = index % count;
            let s = Shard { index, count };
            prop_assert_eq!(s.to_string().parse::<ShardSpec>(), Ok(ShardSpec::Explicit(s)));
        }
    }
}
