//! The grid, Latin hypercube and random designs.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{check_size, evenly_spaced, DesignError, Factor, Spec, LHS_STREAM, RANDOM_STREAM};

pub(super) fn grid(
    factors: &[Factor],
    points: Option<usize>,
) -> Result<Vec<Vec<f64>>, DesignError> {
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

pub(super) fn design_rng(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

pub(super) fn lhs(factors: &[Factor], m: usize, seed: u64) -> Vec<Vec<f64>> {
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

pub(super) fn random(factors: &[Factor], m: usize, seed: u64) -> Vec<Vec<f64>> {
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
    use super::super::*;
    use proptest::prelude::*;

    fn factor(s: &str) -> Factor {
        parse_vary(s).expect("test factor parses")
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
    }
}
