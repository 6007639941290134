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

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// ChaCha stream used by Latin hypercube designs: the bytes `b"SWEEPLHS"`.
///
/// Design randomness is drawn from `ChaCha8Rng::seed_from_u64(seed)` on this stream,
/// so it never shares a stream with per-run generators, which must not use it.
pub const LHS_STREAM: u64 = u64::from_be_bytes(*b"SWEEPLHS");

/// ChaCha stream used by random designs: the bytes `b"SWEEPRND"`.
///
/// See [`LHS_STREAM`].
pub const RANDOM_STREAM: u64 = u64::from_be_bytes(*b"SWEEPRND");

/// Largest number of design points [`build_design`] will lay out (2^24, about 16.8
/// million). Larger designs are refused with [`DesignError::TooManyPoints`] instead of
/// exhausting memory.
pub const MAX_DESIGN_POINTS: usize = 1 << 24;

/// An error in a `--vary` factor, a `--design` name or a combination of them.
///
/// Each message says what was wrong, what was expected and gives an example.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DesignError {
    /// Text that is none of the accepted spec forms.
    #[error(
        "cannot read '{text}' as parameter values; expected a range LO..HI:N \
         (e.g. 0.2..0.9:8), a range LO..HI for lhs or random designs (e.g. 0.2..0.9), \
         a list (e.g. [0.1, 0.3, 0.5]) or a single number (e.g. 0.5)"
    )]
    BadSpec {
        /// The whole spec as given.
        text: String,
    },
    /// A bound or list element that is not a number.
    #[error(
        "'{number}' in '{text}' is not a number; expected a decimal number such as 0.25 or 1e-3"
    )]
    BadNumber {
        /// The offending piece.
        number: String,
        /// The whole spec as given.
        text: String,
    },
    /// A number that parsed as NaN or infinity.
    #[error(
        "'{number}' in '{text}' is not a finite number; expected a decimal number \
         such as 0.25 (NaN and infinity are not allowed)"
    )]
    NonFinite {
        /// The offending piece.
        number: String,
        /// The whole spec as given.
        text: String,
    },
    /// A count after `:` that is not a whole number.
    #[error(
        "count '{count}' in '{text}' is not a whole number; expected the number of \
         values after ':', e.g. 0.2..0.9:8"
    )]
    BadCount {
        /// The offending piece.
        count: String,
        /// The whole spec as given.
        text: String,
    },
    /// A range whose lower bound is above its upper bound.
    #[error("lower bound {lo} is above upper bound {hi}; write {hi}..{lo}{}", count_suffix(*.n))]
    Reversed {
        /// The lower bound as given.
        lo: f64,
        /// The upper bound as given.
        hi: f64,
        /// The count, if any.
        n: Option<usize>,
    },
    /// A range with a count of zero.
    #[error(
        "count 0 in {lo}..{hi}:0 gives no values; expected at least 2 evenly spaced \
         values, e.g. {lo}..{hi}:8"
    )]
    ZeroCount {
        /// The lower bound.
        lo: f64,
        /// The upper bound.
        hi: f64,
    },
    /// A range of positive width with a count of one, which could include only one end.
    #[error(
        "{lo}..{hi}:1 cannot include both ends with one value; expected a count of at \
         least 2 (e.g. {lo}..{hi}:8), or a single number (e.g. {lo}) for one value"
    )]
    SingleValueRange {
        /// The lower bound.
        lo: f64,
        /// The upper bound.
        hi: f64,
    },
    /// A range of zero width with a count above one, which would repeat one value.
    #[error(
        "{value}..{value}:{n} has no width, so its {n} values would all be {value}; \
         write {value} for a single value"
    )]
    RepeatedValue {
        /// The value of both bounds.
        value: f64,
        /// The count.
        n: usize,
    },
    /// A list with no elements.
    #[error("the list '{text}' is empty; expected at least one value, e.g. [0.1, 0.3, 0.5]")]
    EmptyList {
        /// The whole spec as given.
        text: String,
    },
    /// A `--vary` argument without `=`.
    #[error(
        "cannot read --vary '{text}'; expected KEY=SPEC, e.g. \
         parties.russia.patience=0.80..0.98:16"
    )]
    BadVary {
        /// The argument as given.
        text: String,
    },
    /// A key that is empty or has characters outside `[A-Za-z0-9_.-]`.
    #[error(
        "key '{key}' is not a parameter path; expected a non-empty key of letters, \
         digits, '_', '.' and '-', e.g. parties.russia.patience"
    )]
    BadKey {
        /// The key as given.
        key: String,
    },
    /// An error in the spec of one factor.
    #[error("--vary {key}: {kind}")]
    InFactor {
        /// The factor's key.
        key: String,
        /// What was wrong with its spec.
        kind: Box<DesignError>,
    },
    /// A design name other than `grid`, `lhs` or `random`.
    #[error("unknown design '{text}'; expected grid, lhs or random, e.g. --design lhs")]
    UnknownDesign {
        /// The name as given.
        text: String,
    },
    /// A design with no factors.
    #[error(
        "a sweep needs at least one --vary KEY=SPEC, e.g. --vary \
         parties.russia.patience=0.80..0.98:16"
    )]
    NoFactors,
    /// The same key given twice.
    #[error(
        "key {key} is varied twice; give each key once, putting all its values in one \
         spec, e.g. {key}=[0.1, 0.5, 0.9]"
    )]
    DuplicateKey {
        /// The repeated key.
        key: String,
    },
    /// `--points 0`.
    #[error(
        "--points 0 gives an empty {design} design; expected at least 1 point, e.g. --points 64"
    )]
    ZeroPoints {
        /// The design kind.
        design: DesignKind,
    },
    /// An `lhs` or `random` design without `--points`.
    #[error(
        "--design {design} needs --points M, the number of design points to draw, \
         e.g. --design {design} --points 64"
    )]
    MissingPoints {
        /// The design kind.
        design: DesignKind,
    },
    /// A grid whose `--points` differs from the size of the full grid.
    #[error(
        "--points {points} does not match the {product} points of the full grid (the \
         product of the counts of all factors); drop --points or set it to {product}"
    )]
    GridPointsMismatch {
        /// `--points` as given.
        points: usize,
        /// The number of grid points.
        product: usize,
    },
    /// A count-less range given to a grid design.
    #[error(
        "--vary {key}={lo}..{hi} has no count, which a grid design needs; write \
         {key}={lo}..{hi}:8 for 8 evenly spaced values, or use --design lhs or random \
         with --points M"
    )]
    RangeWithoutCount {
        /// The factor's key.
        key: String,
        /// The lower bound.
        lo: f64,
        /// The upper bound.
        hi: f64,
    },
    /// A range with a count given to an `lhs` or `random` design, which ignores counts.
    #[error(
        "--vary {key}={lo}..{hi}:{n} has a count, but --design {design} draws \
         --points M values from the whole range; write {key}={lo}..{hi}, or use \
         --design grid"
    )]
    CountInSampledDesign {
        /// The factor's key.
        key: String,
        /// The lower bound.
        lo: f64,
        /// The upper bound.
        hi: f64,
        /// The count given.
        n: usize,
        /// The design kind.
        design: DesignKind,
    },
    /// More design points than [`MAX_DESIGN_POINTS`].
    #[error(
        "the design would have {points} points, more than the limit of {max}; use \
         fewer values per factor or fewer --points"
    )]
    TooManyPoints {
        /// The number of points asked for (saturated at `usize::MAX`).
        points: usize,
        /// [`MAX_DESIGN_POINTS`].
        max: usize,
    },
}

fn count_suffix(n: Option<usize>) -> String {
    n.map(|n| format!(":{n}")).unwrap_or_default()
}

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
fn evenly_spaced(lo: f64, hi: f64, n: usize) -> Vec<f64> {
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

fn validate_key(key: &str) -> Result<(), DesignError> {
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
}

impl DesignKind {
    /// The command-line name: `grid`, `lhs` or `random`.
    pub fn as_str(self) -> &'static str {
        match self {
            DesignKind::Grid => "grid",
            DesignKind::Lhs => "lhs",
            DesignKind::Random => "random",
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

    /// Parses `grid`, `lhs` or `random` (exactly, after trimming whitespace).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "grid" => Ok(DesignKind::Grid),
            "lhs" => Ok(DesignKind::Lhs),
            "random" => Ok(DesignKind::Random),
            _ => Err(DesignError::UnknownDesign { text: s.to_owned() }),
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
        DesignKind::Grid => grid(factors, points)?,
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
                lhs(factors, m, seed)
            } else {
                random(factors, m, seed)
            }
        }
    };
    Ok(Design { keys, points })
}

fn check_size(points: usize) -> Result<(), DesignError> {
    if points > MAX_DESIGN_POINTS {
        Err(DesignError::TooManyPoints {
            points,
            max: MAX_DESIGN_POINTS,
        })
    } else {
        Ok(())
    }
}

fn grid(factors: &[Factor], points: Option<usize>) -> Result<Vec<Vec<f64>>, DesignError> {
    // The size first, from the counts alone: no value is laid out for a
    // design over the limit (a count of 4e9 would otherwise be allocated).
    let counted = factors
        .iter()
        .try_fold(1usize, |acc, f| match f.spec {
            Spec::Range { n: Some(n), .. } => acc.checked_mul(n),
            Spec::Range { n: None, .. } => Some(acc),
            Spec::List(ref v) => acc.checked_mul(v.len()),
        })
        .unwrap_or(usize::MAX);
    check_size(counted)?;
    let mut levels = Vec::with_capacity(factors.len());
    for factor in factors {
        match factor.spec {
            Spec::Range { lo, hi, n: None } => {
                return Err(DesignError::RangeWithoutCount {
                    key: factor.key.clone(),
                    lo,
                    hi,
                });
            }
            Spec::Range { lo, hi, n: Some(n) } => levels.push(evenly_spaced(lo, hi, n)),
            Spec::List(ref values) => levels.push(values.clone()),
        }
    }
    let product = levels
        .iter()
        .try_fold(1usize, |acc, l| acc.checked_mul(l.len()))
        .unwrap_or(usize::MAX);
    check_size(product)?;
    if let Some(points) = points {
        if points != product {
            return Err(DesignError::GridPointsMismatch { points, product });
        }
    }
    let mut out = Vec::with_capacity(product);
    let mut digits = vec![0usize; levels.len()];
    for _ in 0..product {
        out.push(
            digits
                .iter()
                .zip(&levels)
                .map(|(&d, l)| l[d])
                .collect::<Vec<f64>>(),
        );
        // Odometer increment: the last key is the fastest digit.
        for k in (0..levels.len()).rev() {
            digits[k] += 1;
            if digits[k] < levels[k].len() {
                break;
            }
            digits[k] = 0;
        }
    }
    Ok(out)
}

fn design_rng(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

fn lhs(factors: &[Factor], m: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = design_rng(seed, LHS_STREAM);
    let mut out = vec![Vec::with_capacity(factors.len()); m];
    for factor in factors {
        let mut strata: Vec<usize> = (0..m).collect();
        for i in (1..m).rev() {
            let j = rng.random_range(0..=i);
            strata.swap(i, j);
        }
        match factor.spec {
            Spec::Range { lo, hi, .. } => {
                for (point, &j) in out.iter_mut().zip(&strata) {
                    let u: f64 = rng.random();
                    point.push(lo + (hi - lo) * ((j as f64 + u) / m as f64));
                }
            }
            Spec::List(ref values) => {
                let len = values.len() as u128;
                for (point, &j) in out.iter_mut().zip(&strata) {
                    // j < m, so the index is < len; u128 keeps j * len from overflowing.
                    let index = (j as u128 * len / m as u128) as usize;
                    point.push(values[index]);
                }
            }
        }
    }
    out
}

fn random(factors: &[Factor], m: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = design_rng(seed, RANDOM_STREAM);
    (0..m)
        .map(|_| {
            factors
                .iter()
                .map(|factor| match factor.spec {
                    Spec::Range { lo, hi, .. } => {
                        let u: f64 = rng.random();
                        lo + (hi - lo) * u
                    }
                    Spec::List(ref values) => values[rng.random_range(0..values.len())],
                })
                .collect()
        })
        .collect()
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
    fn grid_is_row_major_with_last_key_fastest() {
        let factors = [factor("a=[1, 2]"), factor("b=[10, 20, 30]")];
        let d = build_design(DesignKind::Grid, &factors, None, 7).unwrap();
        assert_eq!(d.keys, ["a", "b"]);
        let expected: Vec<Vec<f64>> = vec![
            vec![1.0, 10.0],
            vec![1.0, 20.0],
            vec![1.0, 30.0],
            vec![2.0, 10.0],
            vec![2.0, 20.0],
            vec![2.0, 30.0],
        ];
        assert_eq!(d.points, expected);
        assert_eq!(d.len(), 6);
        assert!(!d.is_empty());
    }

    #[test]
    fn grid_of_three_factors_and_points_check() {
        let factors = [factor("a=0..1:2"), factor("b=[5]"), factor("c=0..2:3")];
        let d = build_design(DesignKind::Grid, &factors, Some(6), 0).unwrap();
        assert_eq!(d.points[0], [0.0, 5.0, 0.0]);
        assert_eq!(d.points[2], [0.0, 5.0, 2.0]);
        assert_eq!(d.points[3], [1.0, 5.0, 0.0]);
        assert_eq!(
            build_design(DesignKind::Grid, &factors, Some(5), 0),
            Err(DesignError::GridPointsMismatch {
                points: 5,
                product: 6
            })
        );
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

    #[test]
    fn design_kind_parses() {
        assert_eq!("grid".parse(), Ok(DesignKind::Grid));
        assert_eq!(" lhs".parse(), Ok(DesignKind::Lhs));
        assert_eq!("random".parse(), Ok(DesignKind::Random));
        let e = "sobol".parse::<DesignKind>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown design 'sobol'; expected grid, lhs or random, e.g. --design lhs"
        );
        assert_eq!(DesignKind::default(), DesignKind::Grid);
        assert_eq!(DesignKind::Lhs.to_string(), "lhs");
    }

    #[test]
    fn a_huge_count_is_refused_before_any_value_is_laid_out() {
        // 4e9 values would take 32 GB; the count alone is checked first.
        let f = [factor("a=0.5..0.9:4000000000")];
        assert!(matches!(
            build_design(DesignKind::Grid, &f, None, 0),
            Err(DesignError::TooManyPoints { .. })
        ));
        let three: Vec<Factor> = ["a", "b", "c"]
            .iter()
            .map(|k| factor(&format!("{k}=0..1:4294967296")))
            .collect();
        assert!(matches!(
            build_design(DesignKind::Grid, &three, None, 0),
            Err(DesignError::TooManyPoints { .. })
        ));
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

    #[test]
    fn sampled_designs_are_deterministic_in_the_seed() {
        let f = [factor("a=0..1"), factor("b=[1, 2, 3]"), factor("c=-5..5")];
        for kind in [DesignKind::Lhs, DesignKind::Random] {
            let d1 = build_design(kind, &f, Some(50), 42).unwrap();
            let d2 = build_design(kind, &f, Some(50), 42).unwrap();
            let d3 = build_design(kind, &f, Some(50), 43).unwrap();
            assert_eq!(d1, d2);
            assert_ne!(d1, d3);
            assert_eq!(d1.len(), 50);
            for p in &d1.points {
                assert!((0.0..1.0).contains(&p[0]));
                assert!([1.0, 2.0, 3.0].contains(&p[1]));
                assert!((-5.0..5.0).contains(&p[2]));
            }
        }
    }

    #[test]
    fn design_streams_differ() {
        let f = [factor("a=0..1")];
        let l = build_design(DesignKind::Lhs, &f, Some(1), 9).unwrap();
        let r = build_design(DesignKind::Random, &f, Some(1), 9).unwrap();
        assert_ne!(l.points, r.points);
        assert_ne!(LHS_STREAM, RANDOM_STREAM);
    }

    #[test]
    fn random_design_is_a_prefix_of_a_larger_one() {
        let f = [factor("a=0..1"), factor("b=[1, 2, 3]")];
        let small = build_design(DesignKind::Random, &f, Some(10), 5).unwrap();
        let big = build_design(DesignKind::Random, &f, Some(30), 5).unwrap();
        assert_eq!(small.points[..], big.points[..10]);
    }

    #[test]
    fn lhs_uses_list_elements_evenly() {
        let f = [factor("a=[1, 2, 3]")];
        let d = build_design(DesignKind::Lhs, &f, Some(10), 3).unwrap();
        let count = |v: f64| d.points.iter().filter(|p| p[0] == v).count();
        let mut counts = [count(1.0), count(2.0), count(3.0)];
        counts.sort_unstable();
        assert_eq!(counts, [3, 3, 4]);
    }

    #[test]
    fn lhs_with_one_point_and_zero_width_range() {
        let f = [factor("a=2..2"), factor("b=0..1")];
        let d = build_design(DesignKind::Lhs, &f, Some(1), 0).unwrap();
        assert_eq!(d.points.len(), 1);
        assert_eq!(d.points[0][0], 2.0);
    }

    /// Pins exact outputs so that a change in the generator or draw order is seen.
    #[test]
    fn golden_sampled_designs() {
        let f = [factor("a=0..1"), factor("b=[10, 20]")];
        let lhs = build_design(DesignKind::Lhs, &f, Some(4), 2022).unwrap();
        let rnd = build_design(DesignKind::Random, &f, Some(3), 2022).unwrap();
        assert_eq!(lhs.points, GOLDEN_LHS);
        assert_eq!(rnd.points, GOLDEN_RANDOM);
    }

    const GOLDEN_LHS: [[f64; 2]; 4] = [
        [0.27301392804857383, 10.0],
        [0.006803148284675042, 10.0],
        [0.8207927094529215, 20.0],
        [0.6393504393233721, 20.0],
    ];
    const GOLDEN_RANDOM: [[f64; 2]; 3] = [
        [0.06061591726167159, 10.0],
        [0.7718633607761864, 20.0],
        [0.5940405053287687, 20.0],
    ];

    proptest! {
        #[test]
        fn lhs_puts_one_point_in_each_stratum(
            m in 1usize..200,
            ranges in prop::collection::vec((-100.0f64..100.0, 0.01f64..100.0), 1..4),
            seed in any::<u64>(),
        ) {
            let factors: Vec<Factor> = ranges
                .iter()
                .enumerate()
                .map(|(k, &(lo, width))| Factor {
                    key: format!("k{k}"),
                    spec: Spec::Range { lo, hi: lo + width, n: None },
                })
                .collect();
            let d = build_design(DesignKind::Lhs, &factors, Some(m), seed).unwrap();
            prop_assert_eq!(d.points.len(), m);
            for (k, &(lo, width)) in ranges.iter().enumerate() {
                let mut hits = vec![0usize; m];
                for p in &d.points {
                    let s = ((p[k] - lo) / width * m as f64).floor();
                    prop_assert!(s >= 0.0 && s < m as f64, "value {} outside range", p[k]);
                    hits[s as usize] += 1;
                }
                prop_assert!(hits.iter().all(|&h| h == 1), "strata hits {:?}", hits);
            }
        }

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
