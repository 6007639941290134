//! Sweep designs: parsing `--vary KEY=SPEC` factors and laying out the design points
//! of a full grid, a Latin hypercube or a plain random design.
//!
//! A [`Spec`] says which values one parameter takes:
//!
//! | text            | meaning                                                        |
//! |-----------------|----------------------------------------------------------------|
//! | `0.2..0.9:8`    | 8 evenly spaced values from 0.2 to 0.9, both ends included     |
//! | `0.2..0.9`      | the interval [0.2, 0.9], sampled by `lhs` and `random` designs |
//! | `[0.1, 0.3, 0.5]` | exactly these values                                         |
//! | `0.5`           | the one-element list `[0.5]`                                   |
//!
//! [`build_design`] turns a list of [`Factor`]s into a [`Design`]: one row of values
//! per design point, in a fixed order that depends only on the factors, the design
//! kind, the number of points and the seed.
//!
//! ```
//! use negsim::sweep::design::{build_design, parse_vary, DesignKind};
//!
//! let factors = [
//!     parse_vary("a=[1, 2]").unwrap(),
//!     parse_vary("b=10..30:3").unwrap(),
//! ];
//! let design = build_design(DesignKind::Grid, &factors, None, 0).unwrap();
//! assert_eq!(design.keys, ["a", "b"]);
//! assert_eq!(design.points[0], [1.0, 10.0]);
//! assert_eq!(design.points[1], [1.0, 20.0]);
//! assert_eq!(design.points[3], [2.0, 10.0]);
//! ```

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

mod directions;
mod error;
pub mod file;
pub mod morris;
pub mod saltelli;
mod sampled;
pub mod sobol_seq;

use error::count_suffix;
pub use error::DesignError;

/// ChaCha stream used by Latin hypercube designs: the bytes `b"SWEEPLHS"`.
///
/// Design randomness is drawn from `ChaCha8Rng::seed_from_u64(seed)` on this stream,
/// so it never shares a stream with per-run generators, which must not use it.
pub const LHS_STREAM: u64 = u64::from_be_bytes(*b"SWEEPLHS");

/// ChaCha stream used by random designs: the bytes `b"SWEEPRND"`.
///
/// See [`LHS_STREAM`].
pub const RANDOM_STREAM: u64 = u64::from_be_bytes(*b"SWEEPRND");

/// ChaCha stream used by Morris designs: the bytes `b"SWEEPMOR"`.
///
/// See [`LHS_STREAM`].
pub const MORRIS_STREAM: u64 = u64::from_be_bytes(*b"SWEEPMOR");

/// ChaCha stream used to scramble the Sobol' sequence of Sobol designs: the
/// bytes `b"SWEEPSOB"`.
///
/// See [`LHS_STREAM`].
pub const SOBOL_STREAM: u64 = u64::from_be_bytes(*b"SWEEPSOB");

/// Largest number of design points [`build_design`] will lay out (2^24, about 16.8
/// million). Larger designs are refused with [`DesignError::TooManyPoints`] instead of
/// exhausting memory.
pub const MAX_DESIGN_POINTS: usize = 1 << 24;

/// The values one factor takes.
///
/// Parse one with [`str::parse`] (see the [module docs](self) for the forms). The
/// [`Display`](fmt::Display) form parses back to an equal `Spec`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Spec {
    /// The interval from `lo` to `hi`.
    ///
    /// With `n = Some(n)`, the `n` evenly spaced values from `lo` to `hi`, both
    /// included, which grid designs use. A range of positive width needs `n >= 2`;
    /// a range with `lo == hi` needs `n == 1`. With `n = None`, the whole interval,
    /// which `lhs` and `random` designs sample.
    Range {
        /// The lower bound (included).
        lo: f64,
        /// The upper bound (included in grids; see [`build_design`] for sampled designs).
        hi: f64,
        /// The number of evenly spaced values, for grid designs.
        n: Option<usize>,
    },
    /// Exactly these values, in this order (a single number is a one-element list).
    List(Vec<f64>),
}

impl Spec {
    /// Checks the invariants that parsing enforces: finite numbers, `lo <= hi`, a
    /// count of at least 2 (or exactly 1 when `lo == hi`), a non-empty list.
    ///
    /// # Errors
    ///
    /// The [`DesignError`] parsing the [`Display`](fmt::Display) form would give.
    pub fn validate(&self) -> Result<(), DesignError> {
        match *self {
            Spec::Range { lo, hi, n } => {
                for x in [lo, hi] {
                    if !x.is_finite() {
                        return Err(DesignError::NonFinite {
                            number: x.to_string(),
                            text: self.to_string(),
                        });
                    }
                }
                if lo > hi {
                    return Err(DesignError::Reversed { lo, hi, n });
                }
                match n {
                    Some(0) => Err(DesignError::ZeroCount { lo, hi }),
                    Some(1) if lo < hi => Err(DesignError::SingleValueRange { lo, hi }),
                    Some(n) if lo == hi && n > 1 => {
                        Err(DesignError::RepeatedValue { value: lo, n })
                    }
                    _ => Ok(()),
                }
            }
            Spec::List(ref values) => {
                if values.is_empty() {
                    return Err(DesignError::EmptyList {
                        text: self.to_string(),
                    });
                }
                match values.iter().find(|x| !x.is_finite()) {
                    Some(x) => Err(DesignError::NonFinite {
                        number: x.to_string(),
                        text: self.to_string(),
                    }),
                    None => Ok(()),
                }
            }
        }
    }

    /// The values a grid design uses: the evenly spaced values of a counted range
    /// (the first is exactly `lo`, the last exactly `hi`) or the list as given;
    /// `None` for a range without a count.
    pub fn levels(&self) -> Option<Vec<f64>> {
        match *self {
            Spec::Range { lo, hi, n: Some(n) } => Some(evenly_spaced(lo, hi, n)),
            Spec::Range { n: None, .. } => None,
            Spec::List(ref values) => Some(values.clone()),
        }
    }
}

/// `n` evenly spaced values from `lo` to `hi`, the ends exact.
pub(super) fn evenly_spaced(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if n <= 1 {
        return vec![lo; n];
    }
    let last = n - 1;
    let step = (hi - lo) / last as f64;
    (0..n)
        .map(|i| if i == last { hi } else { lo + step * i as f64 })
        .collect()
}

impl fmt::Display for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Spec::Range { lo, hi, n } => write!(f, "{lo}..{hi}{}", count_suffix(*n)),
            Spec::List(values) => {
                f.write_str("[")?;
                for (i, x) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{x}")?;
                }
                f.write_str("]")
            }
        }
    }
}

impl FromStr for Spec {
    type Err = DesignError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_spec(s)
    }
}

/// Parses a spec: `LO..HI:N`, `LO..HI`, `[A, B, ...]` or a single number.
///
/// Surrounding whitespace and whitespace around the numbers is ignored.
///
/// # Errors
///
/// [`DesignError::BadSpec`], [`BadNumber`](DesignError::BadNumber),
/// [`BadCount`](DesignError::BadCount), [`NonFinite`](DesignError::NonFinite),
/// [`EmptyList`](DesignError::EmptyList) or any error of [`Spec::validate`].
pub fn parse_spec(s: &str) -> Result<Spec, DesignError> {
    let text = s.trim();
    let spec = if let Some(rest) = text.strip_prefix('[') {
        let inner = rest.strip_suffix(']').ok_or_else(|| DesignError::BadSpec {
            text: text.to_owned(),
        })?;
        if inner.trim().is_empty() {
            return Err(DesignError::EmptyList {
                text: text.to_owned(),
            });
        }
        let values = inner
            .split(',')
            .map(|item| {
                if item.trim().is_empty() {
                    Err(DesignError::BadSpec {
                        text: text.to_owned(),
                    })
                } else {
                    parse_number(item, text)
                }
            })
            .collect::<Result<Vec<f64>, _>>()?;
        Spec::List(values)
    } else if let Some((lo, rest)) = text.split_once("..") {
        let (hi, n) = match rest.split_once(':') {
            Some((hi, n)) => (hi, Some(parse_count(n, text)?)),
            None => (rest, None),
        };
        Spec::Range {
            lo: parse_number(lo, text)?,
            hi: parse_number(hi, text)?,
            n,
        }
    } else if text.is_empty() {
        return Err(DesignError::BadSpec {
            text: text.to_owned(),
        });
    } else {
        Spec::List(vec![parse_number(text, text)?])
    };
    spec.validate()?;
    Ok(spec)
}

fn parse_number(number: &str, text: &str) -> Result<f64, DesignError> {
    let number = number.trim();
    let x: f64 = number.parse().map_err(|_| DesignError::BadNumber {
        number: number.to_owned(),
        text: text.to_owned(),
    })?;
    if x.is_finite() {
        Ok(x)
    } else {
        Err(DesignError::NonFinite {
            number: number.to_owned(),
            text: text.to_owned(),
        })
    }
}

fn parse_count(count: &str, text: &str) -> Result<usize, DesignError> {
    let count = count.trim();
    count.parse().map_err(|_| DesignError::BadCount {
        count: count.to_owned(),
        text: text.to_owned(),
    })
}

/// One varied parameter: a scenario key and the values it takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// The scenario parameter path, e.g. `parties.russia.patience`.
    pub key: String,
    /// The values the parameter takes.
    pub spec: Spec,
}

impl FromStr for Factor {
    type Err = DesignError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_vary(s)
    }
}

/// Parses a `--vary` argument `KEY=SPEC`, e.g. `parties.russia.patience=0.80..0.98:16`.
///
/// The key must be non-empty and made of ASCII letters, digits, `_`, `.` and `-`;
/// whitespace around the key is ignored.
///
/// # Errors
///
/// [`DesignError::BadVary`] without `=`, [`DesignError::BadKey`] for a bad key, and
/// [`DesignError::InFactor`] wrapping the error of [`parse_spec`] for a bad spec.
pub fn parse_vary(s: &str) -> Result<Factor, DesignError> {
    let (key, spec) = s
        .split_once('=')
        .ok_or_else(|| DesignError::BadVary { text: s.to_owned() })?;
    let key = key.trim();
    validate_key(key)?;
    let spec = parse_spec(spec).map_err(|e| DesignError::InFactor {
        key: key.to_owned(),
        kind: Box::new(e),
    })?;
    Ok(Factor {
        key: key.to_owned(),
        spec,
    })
}

pub(super) fn validate_key(key: &str) -> Result<(), DesignError> {
    let ok = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(DesignError::BadKey {
            key: key.to_owned(),
        })
    }
}

/// How design points are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DesignKind {
    /// Full factorial grid of every combination of the factors' values.
    #[default]
    Grid,
    /// Latin hypercube of `--points M` points.
    Lhs,
    /// `--points M` independent uniform points.
    Random,
    /// Morris (1991) one-at-a-time trajectories, for elementary effects.
    Morris,
    /// Saltelli's cross-sampling of a Sobol' sequence, for Sobol' indices.
    Sobol,
    /// Points read from a CSV file (`--design-file`), one column per key.
    File,
}

impl DesignKind {
    /// The command-line name: `grid`, `lhs`, `random`, `morris`, `sobol` or `file`.
    pub fn as_str(self) -> &'static str {
        match self {
            DesignKind::Grid => "grid",
            DesignKind::Lhs => "lhs",
            DesignKind::Random => "random",
            DesignKind::Morris => "morris",
            DesignKind::Sobol => "sobol",
            DesignKind::File => "file",
        }
    }
}

impl fmt::Display for DesignKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DesignKind {
    type Err = DesignError;

    /// Parses `grid`, `lhs`, `random`, `morris` or `sobol` (exactly, after
    /// trimming whitespace); a file design is asked for with `--design-file`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "grid" => Ok(DesignKind::Grid),
            "lhs" => Ok(DesignKind::Lhs),
            "random" => Ok(DesignKind::Random),
            "morris" => Ok(DesignKind::Morris),
            "sobol" => Ok(DesignKind::Sobol),
            _ => Err(DesignError::UnknownDesign { text: s.to_owned() }),
        }
    }
}

/// The Sobol' sequence behind a `sobol` design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SobolScramble {
    /// Owen-scrambled (nested uniform scramble seeded by `--seed`).
    #[default]
    Scrambled,
    /// The plain sequence, as scipy and SALib give with `scramble=False`.
    Plain,
}

impl SobolScramble {
    /// `scrambled` or `plain`.
    pub fn as_str(self) -> &'static str {
        match self {
            SobolScramble::Scrambled => "scrambled",
            SobolScramble::Plain => "plain",
        }
    }
}

impl fmt::Display for SobolScramble {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SobolScramble {
    type Err = DesignError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "scrambled" => Ok(SobolScramble::Scrambled),
            "plain" => Ok(SobolScramble::Plain),
            _ => Err(DesignError::UnknownSequence { text: s.to_owned() }),
        }
    }
}

/// Settings of the Morris and Sobol designs. Each applies to one kind only;
/// [`DesignOptions::resolve`] checks that and fills in the defaults, and the
/// resolved settings are recorded in the sweep's sidecar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DesignOptions {
    /// Morris: the number of levels `p` of each factor's grid (even; default 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<usize>,
    /// Morris: the number of trajectories `r` (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trajectories: Option<usize>,
    /// Morris: Campolongo et al.'s (2007) improved spread: draw this many
    /// candidate trajectories and keep the `r` most spread out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates: Option<usize>,
    /// Sobol: the number of base points `N` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_points: Option<usize>,
    /// Sobol: add the rows second-order indices need (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_order: Option<bool>,
    /// Sobol: scrambled (default) or plain sequence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<SobolScramble>,
}

/// Morris levels when `--levels` is not given.
pub const DEFAULT_LEVELS: usize = 4;
/// Morris trajectories when `--trajectories` is not given.
pub const DEFAULT_TRAJECTORIES: usize = 10;

impl DesignOptions {
    /// Whether no option is set (grid, lhs, random and file designs).
    pub fn is_empty(&self) -> bool {
        *self == DesignOptions::default()
    }

    /// Checks that every option given applies to `kind` and is in range, and
    /// fills in the defaults of `kind`'s options.
    ///
    /// # Errors
    ///
    /// [`DesignError::OptionNotForDesign`], [`BadLevels`](DesignError::BadLevels),
    /// [`TooFewTrajectories`](DesignError::TooFewTrajectories),
    /// [`TooFewCandidates`](DesignError::TooFewCandidates),
    /// [`MissingBasePoints`](DesignError::MissingBasePoints) and
    /// [`TooFewBasePoints`](DesignError::TooFewBasePoints).
    pub fn resolve(&self, kind: DesignKind) -> Result<DesignOptions, DesignError> {
        let morris = [
            ("--levels", self.levels.is_some()),
            ("--trajectories", self.trajectories.is_some()),
            ("--candidates", self.candidates.is_some()),
        ];
        let sobol = [
            ("--base-points", self.base_points.is_some()),
            ("--second-order", self.second_order == Some(true)),
            ("--sequence", self.sequence.is_some()),
        ];
        for (set, applies_to) in [(&morris, DesignKind::Morris), (&sobol, DesignKind::Sobol)] {
            if kind != applies_to {
                if let Some((option, _)) = set.iter().find(|(_, given)| *given) {
                    return Err(DesignError::OptionNotForDesign {
                        option,
                        applies_to,
                        design: kind,
                    });
                }
            }
        }
        match kind {
            DesignKind::Morris => {
                let levels = self.levels.unwrap_or(DEFAULT_LEVELS);
                if levels < 2 || levels % 2 == 1 {
                    return Err(DesignError::BadLevels { levels });
                }
                let trajectories = self.trajectories.unwrap_or(DEFAULT_TRAJECTORIES);
                if trajectories < 2 {
                    return Err(DesignError::TooFewTrajectories { trajectories });
                }
                if let Some(candidates) = self.candidates {
                    if candidates < trajectories {
                        return Err(DesignError::TooFewCandidates {
                            candidates,
                            trajectories,
                        });
                    }
                }
                Ok(DesignOptions {
                    levels: Some(levels),
                    trajectories: Some(trajectories),
                    candidates: self.candidates,
                    ..DesignOptions::default()
                })
            }
            DesignKind::Sobol => {
                let base = self.base_points.ok_or(DesignError::MissingBasePoints)?;
                if base < 2 {
                    return Err(DesignError::TooFewBasePoints { base });
                }
                Ok(DesignOptions {
                    base_points: Some(base),
                    second_order: Some(self.second_order.unwrap_or(false)),
                    sequence: Some(self.sequence.unwrap_or_default()),
                    ..DesignOptions::default()
                })
            }
            _ => Ok(DesignOptions::default()),
        }
    }
}

/// The design points of a sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Design {
    /// The varied keys, in the order the factors were given.
    pub keys: Vec<String>,
    /// `points[i][k]` is the value of `keys[k]` at design point `i`.
    pub points: Vec<Vec<f64>>,
}

impl Design {
    /// The number of design points.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether there are no design points (never true for a built design).
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }
}

/// Lays out the design points of a sweep.
///
/// - [`DesignKind::Grid`]: the full factorial of the factors' [`Spec::levels`],
///   row-major: the first key varies slowest, the last key fastest. Every range
///   needs a count. `points` must be `None` or the number of grid points.
/// - [`DesignKind::Lhs`]: a Latin hypercube of `M = points` points. Ranges must
///   have no count. For a range `lo..hi`, each of the `M` equal-width strata of
///   `[lo, hi]` holds exactly one point: stratum `j` gives the value
///   `lo + (hi - lo) * (j + u) / M` with `u` uniform in `[0, 1)`. For a list of
///   length `L`, stratum `j` gives element `floor(j * L / M)`, so each element is
///   used `floor(M / L)` or `ceil(M / L)` times. Strata are assigned to points by an
///   independent random permutation per factor (Fisher–Yates).
/// - [`DesignKind::Random`]: `M = points` points, each coordinate independently
///   uniform in `[lo, hi)` for a range (which must have no count) or a uniform
///   choice from a list. The first `M` points of a larger design with the same seed
///   are this design.
///
/// Sampled designs are deterministic given `seed`: the generator is
/// `ChaCha8Rng::seed_from_u64(seed)` set to stream [`LHS_STREAM`] or
/// [`RANDOM_STREAM`], streams that per-run generators do not use. LHS draws, factor
/// by factor, the Fisher–Yates swaps (`i` from `M - 1` down to 1, partner uniform in
/// `0..=i`) and then, for a range, one `u` per point in point order. Random designs
/// draw point by point, key by key.
///
/// # Errors
///
/// [`DesignError::NoFactors`], [`BadKey`](DesignError::BadKey),
/// [`DuplicateKey`](DesignError::DuplicateKey), [`InFactor`](DesignError::InFactor)
/// for a spec that fails [`Spec::validate`], [`ZeroPoints`](DesignError::ZeroPoints),
/// [`MissingPoints`](DesignError::MissingPoints),
/// [`GridPointsMismatch`](DesignError::GridPointsMismatch),
/// [`RangeWithoutCount`](DesignError::RangeWithoutCount),
/// [`CountInSampledDesign`](DesignError::CountInSampledDesign) and
/// [`TooManyPoints`](DesignError::TooManyPoints).
pub fn build_design(
    kind: DesignKind,
    factors: &[Factor],
    points: Option<usize>,
    seed: u64,
) -> Result<Design, DesignError> {
    build_design_with(kind, factors, points, seed, &DesignOptions::default())
}

/// [`build_design`] with the settings of Morris and Sobol designs.
///
/// - [`DesignKind::Morris`]: `r` trajectories of `k + 1` points each over a
///   grid of `p` levels per factor (see [`morris`](self::morris) for the
///   construction and Campolongo et al.'s selection with `candidates`).
/// - [`DesignKind::Sobol`]: `N` blocks of `k + 2` points (`2k + 2` with
///   `second_order`) cut from a Sobol' sequence (see [`saltelli`](self::saltelli)).
///
/// Both need a range `LO..HI` of positive width and without a count for every
/// factor; `points`, if given, must equal the number of points they make.
/// [`DesignKind::File`] designs are read with [`file::read_design`].
///
/// # Errors
///
/// Those of [`build_design`] and [`DesignOptions::resolve`], and
/// [`NeedsRange`](DesignError::NeedsRange),
/// [`PointsMismatch`](DesignError::PointsMismatch),
/// [`TooManyKeys`](DesignError::TooManyKeys) and
/// [`FileDesignNeedsFile`](DesignError::FileDesignNeedsFile).
pub fn build_design_with(
    kind: DesignKind,
    factors: &[Factor],
    points: Option<usize>,
    seed: u64,
    options: &DesignOptions,
) -> Result<Design, DesignError> {
    let options = options.resolve(kind)?;
    if factors.is_empty() {
        return Err(DesignError::NoFactors);
    }
    let mut seen = BTreeSet::new();
    for factor in factors {
        validate_key(&factor.key)?;
        if !seen.insert(factor.key.as_str()) {
            return Err(DesignError::DuplicateKey {
                key: factor.key.clone(),
            });
        }
        factor.spec.validate().map_err(|e| DesignError::InFactor {
            key: factor.key.clone(),
            kind: Box::new(e),
        })?;
    }
    if points == Some(0) {
        return Err(DesignError::ZeroPoints { design: kind });
    }
    let keys = factors.iter().map(|f| f.key.clone()).collect();
    let points = match kind {
        DesignKind::Grid => sampled::grid(factors, points)?,
        DesignKind::Lhs | DesignKind::Random => {
            let m = points.ok_or(DesignError::MissingPoints { design: kind })?;
            check_size(m)?;
            for factor in factors {
                if let Spec::Range { lo, hi, n: Some(n) } = factor.spec {
                    return Err(DesignError::CountInSampledDesign {
                        key: factor.key.clone(),
                        lo,
                        hi,
                        n,
                        design: kind,
                    });
                }
            }
            if kind == DesignKind::Lhs {
                sampled::lhs(factors, m, seed)
            } else {
                sampled::random(factors, m, seed)
            }
        }
        DesignKind::Morris | DesignKind::Sobol => {
            let ranges = unit_ranges(kind, factors)?;
            let k = factors.len();
            let expected = if kind == DesignKind::Morris {
                let r = options.trajectories.unwrap_or(DEFAULT_TRAJECTORIES);
                r.saturating_mul(k + 1)
            } else {
                if k > saltelli::MAX_KEYS {
                    return Err(DesignError::TooManyKeys {
                        keys: k,
                        max: saltelli::MAX_KEYS,
                    });
                }
                let n = options.base_points.unwrap_or(0);
                let per = if options.second_order == Some(true) {
                    2 * k + 2
                } else {
                    k + 2
                };
                n.saturating_mul(per)
            };
            check_size(expected)?;
            if let Some(points) = points {
                if points != expected {
                    return Err(DesignError::PointsMismatch {
                        design: kind,
                        points,
                        expected,
                    });
                }
            }
            let unit = if kind == DesignKind::Morris {
                morris::unit_design(k, &options, seed)
            } else {
                saltelli::unit_design(k, &options, seed)
            };
            unit.into_iter()
                .map(|u| {
                    u.iter()
                        .zip(&ranges)
                        .map(|(&u, &(lo, hi))| scale(u, lo, hi))
                        .collect()
                })
                .collect()
        }
        DesignKind::File => return Err(DesignError::FileDesignNeedsFile),
    };
    Ok(Design { keys, points })
}

/// `lo + (hi - lo) u`, exactly `lo` at 0 and `hi` at 1.
fn scale(u: f64, lo: f64, hi: f64) -> f64 {
    if u >= 1.0 {
        hi
    } else {
        lo + (hi - lo) * u
    }
}

/// The ranges of a Morris or Sobol design: every factor a range of positive
/// width without a count.
fn unit_ranges(kind: DesignKind, factors: &[Factor]) -> Result<Vec<(f64, f64)>, DesignError> {
    factors
        .iter()
        .map(|f| match f.spec {
            Spec::Range { lo, hi, n: None } if lo < hi => Ok((lo, hi)),
            ref spec => Err(DesignError::NeedsRange {
                key: f.key.clone(),
                spec: spec.to_string(),
                design: kind,
            }),
        })
        .collect()
}

pub(super) fn check_size(points: usize) -> Result<(), DesignError> {
    if points > MAX_DESIGN_POINTS {
        Err(DesignError::TooManyPoints {
            points,
            max: MAX_DESIGN_POINTS,
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn factor(s: &str) -> Factor {
        parse_vary(s).expect("test factor parses")
    }

    fn err(s: &str) -> DesignError {
        parse_spec(s).expect_err("spec should not parse")
    }

    #[test]
    fn evenly_spaced_values_include_both_ends_exactly() {
        let spec = parse_spec("0.2..0.9:8").unwrap();
        assert_eq!(
            spec,
            Spec::Range {
                lo: 0.2,
                hi: 0.9,
                n: Some(8)
            }
        );
        let v = spec.levels().unwrap();
        assert_eq!(v.len(), 8);
        assert_eq!(v[0], 0.2);
        assert_eq!(v[7], 0.9);
        for w in v.windows(2) {
            assert!((w[1] - w[0] - 0.1).abs() < 1e-12);
        }
        let v = parse_spec("0.80..0.98:16").unwrap().levels().unwrap();
        assert_eq!((v[0], v[15]), (0.80, 0.98));
        assert_eq!(parse_spec("0.5..0.5:1").unwrap().levels().unwrap(), [0.5]);
        assert_eq!(parse_spec("0.2..0.9").unwrap().levels(), None);
    }

    #[test]
    fn parses_every_form() {
        assert_eq!(
            parse_spec(" [0.1, 0.3 ,0.5] ").unwrap(),
            Spec::List(vec![0.1, 0.3, 0.5])
        );
        assert_eq!(parse_spec("0.5").unwrap(), Spec::List(vec![0.5]));
        assert_eq!(parse_spec("[-1e-3]").unwrap(), Spec::List(vec![-0.001]));
        assert_eq!(
            parse_spec("-1..1").unwrap(),
            Spec::Range {
                lo: -1.0,
                hi: 1.0,
                n: None
            }
        );
        assert_eq!(
            parse_spec("1 .. 2 : 3").unwrap(),
            Spec::Range {
                lo: 1.0,
                hi: 2.0,
                n: Some(3)
            }
        );
        let f = factor("parties.russia.patience=0.80..0.98:16");
        assert_eq!(f.key, "parties.russia.patience");
        assert_eq!("k_1-x.y=2".parse::<Factor>().unwrap().key, "k_1-x.y");
    }

    #[test]
    fn reversed_range_says_how_to_fix_it() {
        let e = err("0.9..0.2:3");
        assert_eq!(
            e,
            DesignError::Reversed {
                lo: 0.9,
                hi: 0.2,
                n: Some(3)
            }
        );
        assert_eq!(
            e.to_string(),
            "lower bound 0.9 is above upper bound 0.2; write 0.2..0.9:3"
        );
        assert_eq!(
            err("0.9..0.2").to_string(),
            "lower bound 0.9 is above upper bound 0.2; write 0.2..0.9"
        );
    }

    #[test]
    fn count_errors() {
        let e = err("0.2..0.9:0");
        assert_eq!(e, DesignError::ZeroCount { lo: 0.2, hi: 0.9 });
        assert!(e.to_string().contains("e.g. 0.2..0.9:8"), "{e}");
        assert_eq!(
            err("0.2..0.9:1"),
            DesignError::SingleValueRange { lo: 0.2, hi: 0.9 }
        );
        assert_eq!(
            err("0.5..0.5:3"),
            DesignError::RepeatedValue { value: 0.5, n: 3 }
        );
        assert!(matches!(err("0.2..0.9:x"), DesignError::BadCount { .. }));
        assert!(matches!(err("0.2..0.9:-2"), DesignError::BadCount { .. }));
        assert!(matches!(err("0.2..0.9:"), DesignError::BadCount { .. }));
    }

    #[test]
    fn non_finite_numbers_are_refused() {
        for s in ["NaN", "inf", "0..inf:3", "[1, -inf]", "nan..1"] {
            assert!(
                matches!(err(s), DesignError::NonFinite { .. }),
                "{s}: {:?}",
                err(s)
            );
        }
        assert!(err("0..inf:3").to_string().contains("not a finite number"));
        let bad = Spec::Range {
            lo: f64::NAN,
            hi: 1.0,
            n: None,
        };
        assert!(matches!(bad.validate(), Err(DesignError::NonFinite { .. })));
    }

    #[test]
    fn empty_and_unparseable_text() {
        assert!(matches!(err("[]"), DesignError::EmptyList { .. }));
        assert!(matches!(err("[ ]"), DesignError::EmptyList { .. }));
        assert!(err("[]").to_string().contains("e.g. [0.1, 0.3, 0.5]"));
        assert!(matches!(err(""), DesignError::BadSpec { .. }));
        assert!(matches!(err("[1, 2"), DesignError::BadSpec { .. }));
        assert!(matches!(err("[1,,2]"), DesignError::BadSpec { .. }));
        assert!(matches!(err("abc"), DesignError::BadNumber { .. }));
        assert!(matches!(err("0.2..x:3"), DesignError::BadNumber { .. }));
        assert!(matches!(err("0.1...0.3"), DesignError::BadNumber { .. }));
        let msg = err("[1, two]").to_string();
        assert!(msg.contains("'two'") && msg.contains("0.25"), "{msg}");
    }

    #[test]
    fn vary_errors() {
        assert_eq!(
            parse_vary("patience"),
            Err(DesignError::BadVary {
                text: "patience".into()
            })
        );
        assert!(matches!(
            parse_vary("=0.5"),
            Err(DesignError::BadKey { .. })
        ));
        assert!(matches!(
            parse_vary("a b=0.5"),
            Err(DesignError::BadKey { .. })
        ));
        assert!(matches!(
            parse_vary("ä=0.5"),
            Err(DesignError::BadKey { .. })
        ));
        let e = parse_vary("x=0.9..0.2:3").unwrap_err();
        assert_eq!(
            e.to_string(),
            "--vary x: lower bound 0.9 is above upper bound 0.2; write 0.2..0.9:3"
        );
    }

    #[test]
    fn wrapped_messages_read_as_one_line() {
        let f = [factor("a=0..1")];
        let msgs = [
            err("[]").to_string(),
            err("x..1").to_string(),
            build_design(DesignKind::Grid, &f, None, 0)
                .unwrap_err()
                .to_string(),
            build_design(DesignKind::Lhs, &f, None, 0)
                .unwrap_err()
                .to_string(),
            err("0..1:1").to_string(),
            err("1..1:3").to_string(),
            err("0..1:0").to_string(),
            err("0..1:z").to_string(),
            err("[1").to_string(),
            err("inf").to_string(),
            parse_vary("a b=1").unwrap_err().to_string(),
            parse_vary("ab").unwrap_err().to_string(),
            DesignError::NoFactors.to_string(),
            DesignError::DuplicateKey { key: "k".into() }.to_string(),
            DesignError::ZeroPoints {
                design: DesignKind::Random,
            }
            .to_string(),
            DesignError::GridPointsMismatch {
                points: 3,
                product: 4,
            }
            .to_string(),
            build_design(DesignKind::Random, &[factor("a=0..1:3")], Some(2), 0)
                .unwrap_err()
                .to_string(),
            DesignError::TooManyPoints { points: 9, max: 8 }.to_string(),
        ];
        for m in &msgs {
            println!("{m}");
            assert!(!m.contains('\n') && !m.contains("  "), "{m:?}");
        }
        assert_eq!(
            msgs[3],
            "--design lhs needs --points M, the number of design points to draw, \
             e.g. --design lhs --points 64"
        );
    }

    fn with(kind: DesignKind, vary: &[&str], o: DesignOptions) -> Result<Design, DesignError> {
        let f: Vec<Factor> = vary.iter().map(|v| factor(v)).collect();
        build_design_with(kind, &f, None, 7, &o)
    }

    #[test]
    fn morris_and_sobol_designs_scale_to_the_ranges() {
        let o = DesignOptions {
            trajectories: Some(3),
            ..DesignOptions::default()
        };
        let d = with(DesignKind::Morris, &["a=10..20", "b=-1..1"], o).unwrap();
        assert_eq!(d.len(), 3 * 3);
        for p in &d.points {
            let level = (p[0] - 10.0) / 10.0 * 3.0;
            assert!((level - level.round()).abs() < 1e-12, "{}", p[0]);
            assert!((-1.0..=1.0).contains(&p[1]));
        }
        let o = DesignOptions {
            base_points: Some(16),
            ..DesignOptions::default()
        };
        let d = with(DesignKind::Sobol, &["a=10..20", "b=-1..1", "c=0..1"], o).unwrap();
        assert_eq!(d.len(), 16 * 5);
        assert!(d.points.iter().all(|p| (10.0..20.0).contains(&p[0])));
        let again = with(DesignKind::Sobol, &["a=10..20", "b=-1..1", "c=0..1"], o).unwrap();
        assert_eq!(d, again);
    }

    #[test]
    fn morris_and_sobol_option_errors() {
        use DesignKind::*;
        let o = |f: fn(&mut DesignOptions)| {
            let mut o = DesignOptions::default();
            f(&mut o);
            o
        };
        let e = with(Lhs, &["a=0..1"], o(|o| o.levels = Some(4))).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--levels applies to --design morris only, not --design lhs; drop it"
        );
        let e = with(Morris, &["a=0..1"], o(|o| o.base_points = Some(4))).unwrap_err();
        assert!(e
            .to_string()
            .starts_with("--base-points applies to --design sobol"));
        assert_eq!(
            with(Morris, &["a=0..1"], o(|o| o.levels = Some(5))),
            Err(DesignError::BadLevels { levels: 5 })
        );
        assert_eq!(
            with(Morris, &["a=0..1"], o(|o| o.trajectories = Some(1))),
            Err(DesignError::TooFewTrajectories { trajectories: 1 })
        );
        assert!(matches!(
            with(Morris, &["a=0..1"], o(|o| o.candidates = Some(5))),
            Err(DesignError::TooFewCandidates { candidates: 5, .. })
        ));
        assert_eq!(
            with(Sobol, &["a=0..1"], DesignOptions::default()),
            Err(DesignError::MissingBasePoints)
        );
        let sobol = o(|o| o.base_points = Some(8));
        for bad in ["a=[1, 2]", "a=0..1:3", "a=2..2"] {
            assert!(
                matches!(
                    with(Sobol, &[bad], sobol),
                    Err(DesignError::NeedsRange { .. })
                ),
                "{bad}"
            );
        }
        let f = [factor("a=0..1")];
        assert_eq!(
            build_design_with(Sobol, &f, Some(10), 0, &sobol),
            Err(DesignError::PointsMismatch {
                design: Sobol,
                points: 10,
                expected: 24
            })
        );
        let many: Vec<Factor> = (0..129).map(|i| factor(&format!("k{i}=0..1"))).collect();
        assert!(matches!(
            build_design_with(Sobol, &many, None, 0, &sobol),
            Err(DesignError::TooManyKeys {
                keys: 129,
                max: 128
            })
        ));
        assert_eq!(
            build_design(File, &f, None, 0),
            Err(DesignError::FileDesignNeedsFile)
        );
        assert_eq!("plain".parse(), Ok(SobolScramble::Plain));
        assert!("owen".parse::<SobolScramble>().is_err());
        for e in [
            DesignError::BadLevels { levels: 3 },
            DesignError::MissingBasePoints,
            DesignError::TooManyKeys {
                keys: 200,
                max: 128,
            },
        ] {
            assert!(!e.to_string().contains("  "), "{e}");
        }
    }

    #[test]
    fn design_kind_parses() {
        assert_eq!("grid".parse(), Ok(DesignKind::Grid));
        assert_eq!(" lhs".parse(), Ok(DesignKind::Lhs));
        assert_eq!("random".parse(), Ok(DesignKind::Random));
        assert_eq!("morris".parse(), Ok(DesignKind::Morris));
        assert_eq!("sobol".parse(), Ok(DesignKind::Sobol));
        let e = "halton".parse::<DesignKind>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown design 'halton'; expected grid, lhs, random, morris or sobol \
             (or --design-file FILE.csv), e.g. --design lhs"
        );
        assert_eq!(DesignKind::default(), DesignKind::Grid);
        assert_eq!(DesignKind::Lhs.to_string(), "lhs");
    }

    #[test]
    fn design_level_errors() {
        use DesignKind::*;
        let f = [factor("a=0..1")];
        assert_eq!(
            build_design(Grid, &[], None, 0),
            Err(DesignError::NoFactors)
        );
        assert_eq!(
            build_design(Grid, &f, None, 0),
            Err(DesignError::RangeWithoutCount {
                key: "a".into(),
                lo: 0.0,
                hi: 1.0
            })
        );
        assert!(build_design(Grid, &f, None, 0)
            .unwrap_err()
            .to_string()
            .contains("a=0..1:8"));
        for kind in [Lhs, Random] {
            assert_eq!(
                build_design(kind, &f, None, 0),
                Err(DesignError::MissingPoints { design: kind })
            );
            assert_eq!(
                build_design(kind, &f, Some(0), 0),
                Err(DesignError::ZeroPoints { design: kind })
            );
            assert!(matches!(
                build_design(kind, &[factor("a=0..1:4")], Some(4), 0),
                Err(DesignError::CountInSampledDesign { n: 4, .. })
            ));
            assert!(matches!(
                build_design(kind, &f, Some(MAX_DESIGN_POINTS + 1), 0),
                Err(DesignError::TooManyPoints { .. })
            ));
        }
        assert_eq!(
            build_design(Grid, &[factor("a=1"), factor("a=2")], None, 0),
            Err(DesignError::DuplicateKey { key: "a".into() })
        );
        let bad_key = Factor {
            key: String::new(),
            spec: Spec::List(vec![1.0]),
        };
        assert!(matches!(
            build_design(Grid, &[bad_key], None, 0),
            Err(DesignError::BadKey { .. })
        ));
        let bad_spec = Factor {
            key: "k".into(),
            spec: Spec::List(vec![]),
        };
        assert!(matches!(
            build_design(Grid, &[bad_spec], None, 0),
            Err(DesignError::InFactor { .. })
        ));
        let huge: Vec<Factor> = (0..8).map(|i| factor(&format!("k{i}=0..1:1000"))).collect();
        assert!(matches!(
            build_design(Grid, &huge, None, 0),
            Err(DesignError::TooManyPoints { .. })
        ));
    }

    proptest! {
        #[test]
        fn display_parses_back(
            lo in -1e6f64..1e6,
            width in 0.0f64..1e6,
            n in 2usize..100,
            list in prop::collection::vec(-1e9f64..1e9, 1..6),
        ) {
            let specs = [
                Spec::Range { lo, hi: lo + width, n: None },
                Spec::List(list),
            ];
            for spec in specs {
                prop_assert_eq!(parse_spec(&spec.to_string()), Ok(spec.clone()));
            }
            if lo + width > lo {
                let spec = Spec::Range { lo, hi: lo + width, n: Some(n) };
                prop_assert_eq!(parse_spec(&spec.to_string()), Ok(spec.clone()));
                let v = spec.levels().unwrap_or_default();
                prop_assert_eq!(v.len(), n);
                prop_assert_eq!(v[0], lo);
                prop_assert_eq!(v[n - 1], lo + width);
            }
        }
    }
}
