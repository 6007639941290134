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

use serde::{Deserialize, Serialize};

mod directions;
mod error;
pub mod file;
mod kind;
pub mod morris;
pub mod saltelli;
mod sampled;
pub mod sobol_seq;
mod spec;

pub use error::DesignError;
pub use kind::{DesignKind, DesignOptions, SobolScramble, DEFAULT_LEVELS, DEFAULT_TRAJECTORIES};
pub(crate) use spec::{evenly_spaced, validate_key};
pub use spec::{parse_spec, parse_vary, Factor, Spec};

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
///   grid of `p` levels per factor (see [`morris`] for the
///   construction and Campolongo et al.'s selection with `candidates`).
/// - [`DesignKind::Sobol`]: `N` blocks of `k + 2` points (`2k + 2` with
///   `second_order`) cut from a Sobol' sequence (see [`saltelli`]).
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
    let max = crate::limits::Limits::default().design_values;
    build_design_within(kind, factors, points, seed, options, max)
}

/// [`build_design_with`] with the `design_values` limit `max_values` (see
/// [`Limits`](crate::limits::Limits)) in place of the default, for a limit
/// raised on purpose with `--limit design_values=N`.
///
/// Before any value is laid out, the design's values (points times keys)
/// are counted from the factors and options alone and refused above
/// `max_values`, as are Morris designs whose `candidates` would need more:
/// their `M x M` distances and their `M (k + 1) k` drawn levels.
///
/// # Errors
///
/// Those of [`build_design_with`], and
/// [`TooManyValues`](DesignError::TooManyValues).
///
/// ```
/// use negsim::sweep::design::{build_design_within, parse_vary, DesignKind, DesignOptions};
///
/// let keys: Vec<_> = (0..24).map(|k| parse_vary(&format!("k{k}=0..1")).unwrap()).collect();
/// let e = build_design_within(DesignKind::Lhs, &keys, Some(1 << 24), 0,
///     &DesignOptions::default(), 1 << 22).unwrap_err();
/// assert!(e.to_string().contains("16777216 points x 24 keys"));
/// ```
pub fn build_design_within(
    kind: DesignKind,
    factors: &[Factor],
    points: Option<usize>,
    seed: u64,
    options: &DesignOptions,
    max_values: u64,
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
    check_values(kind, factors, points, &options, max_values)?;
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

/// The values a design will hold, counted before any is laid out.
fn check_values(
    kind: DesignKind,
    factors: &[Factor],
    points: Option<usize>,
    options: &DesignOptions,
    max: u64,
) -> Result<(), DesignError> {
    let k = factors.len() as u64;
    let over = |what: String, values: u64| {
        if values > max {
            Err(DesignError::TooManyValues { what, values, max })
        } else {
            Ok(())
        }
    };
    let n = match kind {
        DesignKind::Grid => factors.iter().try_fold(1u64, |acc, f| match f.spec {
            Spec::Range { n: Some(n), .. } => acc.checked_mul(n as u64),
            Spec::Range { n: None, .. } => Some(acc),
            Spec::List(ref v) => acc.checked_mul(v.len() as u64),
        }),
        DesignKind::Morris => {
            let r = options.trajectories.unwrap_or(DEFAULT_TRAJECTORIES) as u64;
            if let Some(m) = options.candidates.map(|m| m as u64) {
                over(
                    format!("--candidates {m}: {m} x {m} distances"),
                    m.saturating_mul(m),
                )?;
                over(
                    format!(
                        "--candidates {m}: {m} trajectories x {} points x {k} keys",
                        k + 1
                    ),
                    m.saturating_mul(k + 1).saturating_mul(k),
                )?;
            }
            r.checked_mul(k + 1)
        }
        DesignKind::Sobol => {
            let per = if options.second_order == Some(true) {
                2 * k + 2
            } else {
                k + 2
            };
            (options.base_points.unwrap_or(0) as u64).checked_mul(per)
        }
        DesignKind::Lhs | DesignKind::Random | DesignKind::File => points.map(|p| p as u64),
    };
    // A sampled design without --points is refused later, for that.
    let sampled_without_points =
        points.is_none() && matches!(kind, DesignKind::Lhs | DesignKind::Random);
    if kind == DesignKind::File || sampled_without_points {
        return Ok(());
    }
    // More points than MAX_DESIGN_POINTS (or an overflowing count) are
    // refused as such before anything is laid out.
    let n = n.unwrap_or(u64::MAX);
    if n > MAX_DESIGN_POINTS as u64 {
        return Ok(());
    }
    over(format!("{n} points x {k} keys"), n.saturating_mul(k.max(1)))
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

    fn factor(s: &str) -> Factor {
        parse_vary(s).expect("test factor parses")
    }

    fn err(s: &str) -> DesignError {
        parse_spec(s).expect_err("spec should not parse")
    }

    #[test]
    fn values_are_counted_before_any_is_laid_out() {
        let keys: Vec<Factor> = (0..24).map(|k| factor(&format!("k{k}=0..1"))).collect();
        let o = DesignOptions::default();
        // 2^24 points pass the point cap, but not points x keys.
        let e = build_design_with(DesignKind::Lhs, &keys, Some(1 << 24), 0, &o).unwrap_err();
        assert!(
            matches!(e, DesignError::TooManyValues { values, max, .. }
                if values == 24 << 24 && max == 1 << 22),
            "{e}"
        );
        // 2^20 grid points of 8 keys: under the point cap, over the values.
        let grid: Vec<Factor> = (0..8).map(|k| factor(&format!("k{k}=0..1:6"))).collect();
        let e = build_design_with(DesignKind::Grid, &grid, None, 0, &o).unwrap_err();
        assert!(e.to_string().contains("1679616 points x 8 keys"), "{e}");
        // Morris candidates: their M x M distances count.
        let morris = DesignOptions {
            candidates: Some(100_000),
            ..DesignOptions::default()
        };
        let e = build_design_with(DesignKind::Morris, &keys[..2], None, 0, &morris).unwrap_err();
        assert!(e.to_string().contains("100000 x 100000 distances"), "{e}");
        // A limit raised on purpose lets a design through.
        let d = build_design_within(DesignKind::Lhs, &keys[..2], Some(10), 0, &o, 20).unwrap();
        assert_eq!(d.len(), 10);
        let e = build_design_within(DesignKind::Lhs, &keys[..2], Some(11), 0, &o, 20).unwrap_err();
        assert!(
            e.to_string().contains("11 points x 2 keys = 22 values"),
            "{e}"
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
}
