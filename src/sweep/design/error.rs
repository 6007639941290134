//! Errors in sweep designs: every message says what was wrong, what was
//! expected and gives an example.

use super::DesignKind;

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
    /// A design name other than `grid`, `lhs`, `random`, `morris` or `sobol`.
    #[error(
        "unknown design '{text}'; expected grid, lhs, random, morris or sobol \
         (or --design-file FILE.csv), e.g. --design lhs"
    )]
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
    /// More design points than [`MAX_DESIGN_POINTS`](super::MAX_DESIGN_POINTS).
    #[error(
        "the design would have {points} points, more than the limit of {max}; use \
         fewer values per factor or fewer --points"
    )]
    TooManyPoints {
        /// The number of points asked for (saturated at `usize::MAX`).
        points: usize,
        /// [`MAX_DESIGN_POINTS`](super::MAX_DESIGN_POINTS).
        max: usize,
    },
    /// More values than the `design_values` limit allows (see
    /// [`build_design_within`](super::build_design_within)).
    #[error(
        "the design: {what} = {values} values is above the limit of {max} (design_values); \
         use fewer points or keys, or raise the limit on purpose with --limit design_values=N"
    )]
    TooManyValues {
        /// What was counted, e.g. `1000 points x 24 keys`.
        what: String,
        /// The count (saturated at `u64::MAX`).
        values: u64,
        /// The limit.
        max: u64,
    },
    /// A `--sequence` other than `scrambled` or `plain`.
    #[error("unknown sequence '{text}'; expected scrambled or plain, e.g. --sequence plain")]
    UnknownSequence {
        /// The name as given.
        text: String,
    },
    /// A Morris or Sobol option given to another kind of design.
    #[error("{option} applies to --design {applies_to} only, not --design {design}; drop it")]
    OptionNotForDesign {
        /// The flag, e.g. `--levels`.
        option: &'static str,
        /// The kind it belongs to.
        applies_to: DesignKind,
        /// The kind asked for.
        design: DesignKind,
    },
    /// A Morris design with an odd number of levels, or fewer than 2.
    #[error(
        "--levels {levels}: a Morris design needs an even number of levels, at least 2, \
         so that every step is the same jump of p / (2 (p - 1)); e.g. --levels 4"
    )]
    BadLevels {
        /// `--levels` as given.
        levels: usize,
    },
    /// A Morris design with fewer than 2 trajectories.
    #[error(
        "--trajectories {trajectories}: at least 2 trajectories are needed to estimate \
         the spread of the elementary effects; e.g. --trajectories 10"
    )]
    TooFewTrajectories {
        /// `--trajectories` as given.
        trajectories: usize,
    },
    /// Fewer candidate trajectories than trajectories to keep.
    #[error(
        "--candidates {candidates} is below --trajectories {trajectories}: the improved \
         spread keeps {trajectories} of the candidates; e.g. --candidates {}",
        10 * trajectories
    )]
    TooFewCandidates {
        /// `--candidates` as given.
        candidates: usize,
        /// `--trajectories` (or its default).
        trajectories: usize,
    },
    /// A Sobol design without `--base-points`.
    #[error(
        "--design sobol needs --base-points N, the number of base points (the design has \
         N (k + 2) points for k keys, N (2k + 2) with --second-order); e.g. --base-points 1024"
    )]
    MissingBasePoints,
    /// A Sobol design with fewer than 2 base points.
    #[error("--base-points {base}: at least 2 are needed; e.g. --base-points 1024")]
    TooFewBasePoints {
        /// `--base-points` as given.
        base: usize,
    },
    /// A Morris or Sobol factor that is not a range of positive width without a count.
    #[error(
        "--vary {key}={spec}: --design {design} needs a range LO..HI of positive width \
         without a count for every key, e.g. {key}=0.2..0.9"
    )]
    NeedsRange {
        /// The factor's key.
        key: String,
        /// Its spec as text.
        spec: String,
        /// The design kind.
        design: DesignKind,
    },
    /// `--points` that differs from the size of a Morris or Sobol design.
    #[error(
        "--points {points} does not match the {expected} points of this {design} design; \
         drop --points or set it to {expected}"
    )]
    PointsMismatch {
        /// The design kind.
        design: DesignKind,
        /// `--points` as given.
        points: usize,
        /// The design's size.
        expected: usize,
    },
    /// A Sobol design of more keys than the embedded direction numbers allow.
    #[error(
        "--design sobol takes at most {max} keys (the Sobol' sequence needs 2 dimensions \
         per key and has {} here), got {keys}; vary fewer keys or use --design morris",
        2 * max
    )]
    TooManyKeys {
        /// Keys given.
        keys: usize,
        /// The limit.
        max: usize,
    },
    /// A `file` design asked for without a file.
    #[error("a file design is read with --design-file FILE.csv, not built from --vary")]
    FileDesignNeedsFile,
}

pub(super) fn count_suffix(n: Option<usize>) -> String {
    n.map(|n| format!(":{n}")).unwrap_or_default()
}
