//! Morris (1991) designs: `r` random one-at-a-time trajectories over a grid
//! of `p` levels per factor, optionally the `r` most spread out of a larger
//! set of candidates (Campolongo, Cariboni & Saltelli 2007).
//!
//! # A trajectory
//!
//! In the unit cube each factor takes the levels `0, 1/(p-1), ..., 1`, and
//! every step moves one factor by `Δ = p / (2(p-1))` (`p/2` levels; `p` is
//! even). A trajectory is Morris's randomised orientation matrix
//! `B* = (J x* + (Δ/2)((2B - J) D* + J)) P*`: a base point `x*` with each
//! factor at one of the levels `0 .. p/2 - 1` (uniform), a random direction
//! per factor (`D*`: the factor starts low and steps up, or starts high and
//! steps down), and a random order of the factors (`P*`). Point 0 is the
//! start; point `t` moves the `t`-th factor of the order. So a trajectory has
//! `k + 1` points, consecutive points differ in exactly one factor, and every
//! factor moves once: one elementary effect per factor per trajectory.
//!
//! Draws, from `ChaCha8Rng::seed_from_u64(seed)` on stream
//! [`MORRIS_STREAM`], trajectory by trajectory: the
//! base level of each factor (`random_range(0..p/2)`), then each factor's
//! direction (`random::<bool>()`, true = up), then the order (Fisher–Yates,
//! `i` from `k - 1` down to 1, partner uniform in `0..=i`).
//!
//! # Improved spread
//!
//! With `candidates = M`, `M` trajectories are drawn as above and `r` of them
//! kept so as to make the design spread out: Campolongo et al. (2007) keep
//! the `r` that maximise `D = sqrt(sum over pairs (m, l) of d(m, l)^2)`, where
//! `d(m, l)` sums the Euclidean distances between every point of trajectory
//! `m` and every point of trajectory `l` (in the unit cube). Trying every set
//! of `r` is combinatorial, so the set is built greedily: the farthest pair
//! first, then, one at a time, the candidate that adds most to `D^2` (ties to
//! the lower index). The kept trajectories stay in the order they were drawn.

use rand::Rng;

use super::sampled::design_rng;
use super::{DesignOptions, DEFAULT_LEVELS, DEFAULT_TRAJECTORIES, MORRIS_STREAM};

/// Level indices (`0..p`) of one trajectory: `k + 1` rows of `k` factors.
type Trajectory = Vec<Vec<usize>>;

/// The Morris design in the unit cube, `r (k + 1)` points in trajectory order.
pub(super) fn unit_design(k: usize, options: &DesignOptions, seed: u64) -> Vec<Vec<f64>> {
    let p = options.levels.unwrap_or(DEFAULT_LEVELS);
    let r = options.trajectories.unwrap_or(DEFAULT_TRAJECTORIES);
    let mut rng = design_rng(seed, MORRIS_STREAM);
    let drawn: Vec<Trajectory> = (0..options.candidates.unwrap_or(r))
        .map(|_| trajectory(k, p, &mut rng))
        .collect();
    let kept = if drawn.len() > r {
        spread_out(&drawn, r, p)
    } else {
        (0..r).collect()
    };
    let unit = |level: usize| level as f64 / (p - 1) as f64;
    kept.iter()
        .flat_map(|&t| drawn[t].iter())
        .map(|row| row.iter().map(|&l| unit(l)).collect())
        .collect()
}

fn trajectory(k: usize, p: usize, rng: &mut impl Rng) -> Trajectory {
    let half = p / 2;
    let base: Vec<usize> = (0..k).map(|_| rng.random_range(0..half)).collect();
    let up: Vec<bool> = (0..k).map(|_| rng.random::<bool>()).collect();
    let mut order: Vec<usize> = (0..k).collect();
    for i in (1..k).rev() {
        let j = rng.random_range(0..=i);
        order.swap(i, j);
    }
    let mut row: Vec<usize> = (0..k)
        .map(|i| if up[i] { base[i] } else { base[i] + half })
        .collect();
    let mut out = Vec::with_capacity(k + 1);
    out.push(row.clone());
    for &i in &order {
        row[i] = if up[i] { base[i] + half } else { base[i] };
        out.push(row.clone());
    }
    out
}

/// Campolongo et al.'s distance between two trajectories.
fn distance(a: &Trajectory, b: &Trajectory, p: usize) -> f64 {
    let step = 1.0 / (p - 1) as f64;
    let mut d = 0.0;
    for x in a {
        for y in b {
            let sq: f64 = x
                .iter()
                .zip(y)
                .map(|(&u, &v)| {
                    let diff = (u as f64 - v as f64) * step;
                    diff * diff
                })
                .sum();
            d += sq.sqrt();
        }
    }
    d
}

/// The indices of `r` spread-out trajectories (greedy; see the module docs).
fn spread_out(drawn: &[Trajectory], r: usize, p: usize) -> Vec<usize> {
    let m = drawn.len();
    let mut d2 = vec![0.0; m * m];
    for i in 0..m {
        for j in i + 1..m {
            let d = distance(&drawn[i], &drawn[j], p);
            d2[i * m + j] = d * d;
            d2[j * m + i] = d * d;
        }
    }
    let mut best = (0, 1);
    for i in 0..m {
        for j in i + 1..m {
            if d2[i * m + j] > d2[best.0 * m + best.1] {
                best = (i, j);
            }
        }
    }
    let mut kept = vec![best.0, best.1];
    let mut gain: Vec<f64> = (0..m)
        .map(|c| d2[c * m + best.0] + d2[c * m + best.1])
        .collect();
    while kept.len() < r {
        let next = (0..m)
            .filter(|c| !kept.contains(c))
            .fold(None, |acc: Option<usize>, c| match acc {
                Some(b) if gain[b] >= gain[c] => Some(b),
                _ => Some(c),
            })
            .expect("r <= candidates");
        kept.push(next);
        for (c, g) in gain.iter_mut().enumerate() {
            *g += d2[c * m + next];
        }
    }
    kept.sort_unstable();
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn options(levels: usize, trajectories: usize, candidates: Option<usize>) -> DesignOptions {
        DesignOptions {
            levels: Some(levels),
            trajectories: Some(trajectories),
            candidates,
            ..DesignOptions::default()
        }
    }

    proptest! {
        #[test]
        fn every_step_moves_one_factor_by_delta(
            k in 1usize..8,
            half in 1usize..4,
            r in 2usize..6,
            extra in 0usize..6,
            seed in any::<u64>(),
        ) {
            let p = 2 * half;
            let candidates = (extra > 0).then_some(r + extra);
            let d = unit_design(k, &options(p, r, candidates), seed);
            prop_assert_eq!(d.len(), r * (k + 1));
            let delta = p as f64 / (2.0 * (p - 1) as f64);
            for t in d.chunks(k + 1) {
                let mut moved = vec![0; k];
                for w in t.windows(2) {
                    let diffs: Vec<usize> = (0..k).filter(|&i| w[0][i] != w[1][i]).collect();
                    prop_assert_eq!(diffs.len(), 1);
                    let i = diffs[0];
                    prop_assert!(((w[1][i] - w[0][i]).abs() - delta).abs() < 1e-12);
                    moved[i] += 1;
                }
                prop_assert!(moved.iter().all(|&m| m == 1));
                for x in t.iter().flatten() {
                    prop_assert!((0.0..=1.0).contains(x));
                }
            }
        }
    }

    #[test]
    fn improved_spread_is_more_spread_out_than_the_first_draws() {
        let (k, p, r) = (4, 4, 6);
        let spread = |d: &[Vec<f64>]| {
            let t: Vec<Trajectory> = d
                .chunks(k + 1)
                .map(|c| {
                    c.iter()
                        .map(|x| {
                            x.iter()
                                .map(|&u| (u * (p - 1) as f64).round() as usize)
                                .collect()
                        })
                        .collect()
                })
                .collect();
            let mut s = 0.0;
            for i in 0..t.len() {
                for j in i + 1..t.len() {
                    s += distance(&t[i], &t[j], p).powi(2);
                }
            }
            s
        };
        for seed in 0..5 {
            let plain = unit_design(k, &options(p, r, None), seed);
            let better = unit_design(k, &options(p, r, Some(60)), seed);
            assert!(spread(&better) > spread(&plain), "seed {seed}");
        }
    }

    #[test]
    fn greedy_selection_keeps_the_farthest_pair() {
        let a = vec![vec![0, 0], vec![2, 0], vec![2, 2]];
        let b = vec![vec![3, 3], vec![1, 3], vec![1, 1]];
        let c = vec![vec![0, 1], vec![2, 1], vec![2, 3]];
        let kept = spread_out(&[a, c, b], 2, 4);
        let d = |x: usize, y: usize, t: &[Trajectory]| distance(&t[x], &t[y], 4);
        let t = [
            vec![vec![0, 0], vec![2, 0], vec![2, 2]],
            vec![vec![0, 1], vec![2, 1], vec![2, 3]],
            vec![vec![3, 3], vec![1, 3], vec![1, 1]],
        ];
        let far = [(0, 1), (0, 2), (1, 2)]
            .into_iter()
            .max_by(|x, y| d(x.0, x.1, &t).total_cmp(&d(y.0, y.1, &t)))
            .unwrap();
        assert_eq!(kept, [far.0, far.1]);
    }

    /// Pins exact outputs so that a change in the generator or draw order is seen.
    #[test]
    fn golden_morris_design() {
        let d = unit_design(2, &options(4, 2, None), 2022);
        assert_eq!(d, GOLDEN);
    }

    const GOLDEN: [[f64; 2]; 6] = [
        [2.0 / 3.0, 1.0 / 3.0],
        [2.0 / 3.0, 1.0],
        [0.0, 1.0],
        [0.0, 1.0],
        [0.0, 1.0 / 3.0],
        [2.0 / 3.0, 1.0 / 3.0],
    ];
}
