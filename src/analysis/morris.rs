//! Morris's elementary effects: screening which inputs matter.
//!
//! A Morris design (Morris 1991) is `r` trajectories of `k + 1` points, each
//! step moving one input. The step in input `i` gives one elementary effect
//!
//! `EE_i = (y(x + Δ e_i) - y(x)) / Δ`,
//!
//! with `Δ` the signed step in units of the input's range (so effects of
//! inputs of different units compare). Over the `r` trajectories:
//!
//! - `μ_i = mean(EE_i)`: the direction and size of the effect (Morris 1991);
//! - `μ*_i = mean(|EE_i|)`: its size, not cancelled by effects of opposite
//!   sign (Campolongo, Cariboni & Saltelli 2007); the measure to rank by;
//! - `σ_i = sd(EE_i)` (divisor `r - 1`): how much the effect changes over the
//!   space, from interactions or non-linearity (Morris 1991).
//!
//! Intervals: 95% percentile bootstrap over the trajectories (the same
//! resampled trajectories for every input).

use rand::Rng;

use super::bootstrap::{resample, Interval};
use super::data::Dataset;
use crate::error::{Error, Result};

/// The Morris measures of one input.
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisIndex {
    /// The input.
    pub parameter: String,
    /// `μ`, the mean elementary effect.
    pub mu: Interval,
    /// `μ*`, the mean absolute elementary effect.
    pub mu_star: Interval,
    /// `σ`, the standard deviation of the elementary effects.
    pub sigma: Interval,
}

/// A Morris analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisResult {
    /// Trajectories found.
    pub trajectories: usize,
    /// One entry per input, in input order.
    pub indices: Vec<MorrisIndex>,
}

/// The elementary effects `ee[t][i]` of the trajectories of `data`.
///
/// # Errors
///
/// An input error when the points are not `r >= 2` trajectories of `k + 1`
/// points in which each step moves exactly one input and each input moves
/// once.
pub fn elementary_effects(data: &Dataset) -> Result<Vec<Vec<f64>>> {
    let k = data.inputs.len();
    let n = data.x.len();
    let bad = |msg: String| {
        Error::usage(format!(
            "{}: not a Morris design ({msg}); run one with negsim sweep --design morris, or \
             give trajectories of {} points, one input changing per step",
            data.file,
            k + 1
        ))
    };
    if !n.is_multiple_of(k + 1) || n / (k + 1) < 2 {
        return Err(bad(format!(
            "{n} points is not a whole number of at least 2 trajectories of {} points",
            k + 1
        )));
    }
    let mut out = Vec::with_capacity(n / (k + 1));
    for (t, points) in data.x.chunks(k + 1).enumerate() {
        let ys = &data.y[t * (k + 1)..(t + 1) * (k + 1)];
        let mut ee = vec![f64::NAN; k];
        for s in 0..k {
            let (a, b) = (&points[s], &points[s + 1]);
            let moved: Vec<usize> = (0..k).filter(|&i| a[i] != b[i]).collect();
            let first = t * (k + 1) + s;
            if moved.len() != 1 {
                return Err(bad(format!(
                    "points {first} and {} differ in {} inputs",
                    first + 1,
                    moved.len()
                )));
            }
            let i = moved[0];
            if !ee[i].is_nan() {
                return Err(bad(format!(
                    "{} moves twice in the trajectory starting at point {}",
                    data.inputs[i],
                    t * (k + 1)
                )));
            }
            let (lo, hi) = data.ranges[i];
            let width = if hi > lo { hi - lo } else { 1.0 };
            let delta = (b[i] - a[i]) / width;
            ee[i] = (ys[s + 1] - ys[s]) / delta;
        }
        out.push(ee);
    }
    Ok(out)
}

/// `(μ, μ*, σ)` of input `i` over the trajectories `rows` of `ee`.
fn measures(ee: &[Vec<f64>], rows: impl Iterator<Item = usize> + Clone, i: usize) -> [f64; 3] {
    let r = rows.clone().count() as f64;
    let mu = rows.clone().map(|t| ee[t][i]).sum::<f64>() / r;
    let mu_star = rows.clone().map(|t| ee[t][i].abs()).sum::<f64>() / r;
    let ss: f64 = rows.map(|t| (ee[t][i] - mu).powi(2)).sum();
    [mu, mu_star, (ss / (r - 1.0)).sqrt()]
}

/// μ, μ* and σ of every input of a Morris design, with intervals from
/// `resamples` bootstrap resamples of the trajectories.
///
/// # Errors
///
/// As [`elementary_effects`].
pub fn analyze(data: &Dataset, resamples: usize, rng: &mut impl Rng) -> Result<MorrisResult> {
    let ee = elementary_effects(data)?;
    let r = ee.len();
    let k = data.inputs.len();
    let full: Vec<[f64; 3]> = (0..k).map(|i| measures(&ee, 0..r, i)).collect();
    let mut boot = vec![[Vec::with_capacity(resamples), Vec::new(), Vec::new()]; k];
    let mut idx = Vec::new();
    for _ in 0..resamples {
        resample(r, rng, &mut idx);
        for (i, b) in boot.iter_mut().enumerate() {
            let m = measures(&ee, idx.iter().copied(), i);
            for (v, x) in b.iter_mut().zip(m) {
                v.push(x);
            }
        }
    }
    let indices = (0..k)
        .map(|i| {
            let [mu, mu_star, sigma] = &mut boot[i];
            MorrisIndex {
                parameter: data.inputs[i].clone(),
                mu: Interval::new(full[i][0], mu),
                mu_star: Interval::new(full[i][1], mu_star),
                sigma: Interval::new(full[i][2], sigma),
            }
        })
        .collect();
    Ok(MorrisResult {
        trajectories: r,
        indices,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::bootstrap::generator;

    /// Two trajectories over two inputs of `y = 3 a - b`.
    fn linear() -> Dataset {
        let x = vec![
            vec![0.0, 0.0],
            vec![0.5, 0.0],
            vec![0.5, 0.5],
            vec![1.0, 1.0],
            vec![1.0, 0.5],
            vec![0.5, 0.5],
        ];
        let y = x.iter().map(|p| 3.0 * p[0] - p[1]).collect();
        Dataset::from_points(vec!["a".into(), "b".into()], x, y)
    }

    #[test]
    fn linear_effects_are_the_slopes() {
        let d = linear();
        assert_eq!(elementary_effects(&d).unwrap(), [[3.0, -1.0], [3.0, -1.0]]);
        let m = analyze(&d, 50, &mut generator(1)).unwrap();
        assert_eq!(m.trajectories, 2);
        assert_eq!(m.indices[0].mu.estimate, 3.0);
        assert_eq!(m.indices[1].mu.estimate, -1.0);
        assert_eq!(m.indices[1].mu_star.estimate, 1.0);
        assert_eq!(m.indices[0].sigma.estimate, 0.0);
        assert_eq!((m.indices[0].mu.low, m.indices[0].mu.high), (3.0, 3.0));
    }

    /// SALib 1.5.1's `morris.analyze` (`num_levels=4`) on three trajectories of
    /// `y = sin(3a) + b^2 + a c / 2` (an independent implementation).
    #[test]
    fn measures_are_salibs() {
        let (t, h) = (1.0 / 3.0, 2.0 / 3.0);
        let x = vec![
            vec![0.0, t, h],
            vec![h, t, h],
            vec![h, 1.0, h],
            vec![h, 1.0, 0.0],
            vec![1.0, 0.0, t],
            vec![1.0, h, t],
            vec![t, h, t],
            vec![t, h, 1.0],
            vec![t, t, 0.0],
            vec![t, t, h],
            vec![t, 1.0, h],
            vec![1.0, 1.0, h],
        ];
        let y = x
            .iter()
            .map(|p: &Vec<f64>| (3.0 * p[0]).sin() + p[1] * p[1] + 0.5 * p[0] * p[2])
            .collect();
        let mut d = Dataset::from_points(vec!["a".into(), "b".into(), "c".into()], x, y);
        d.ranges = vec![(0.0, 1.0); 3];
        let m = analyze(&d, 10, &mut generator(0)).unwrap();
        let salib = [
            [0.03207551444258916, 1.0994441346053148, 1.4445146636740254],
            [1.111111111111111, 1.111111111111111, 0.3849001794597505],
            [0.2222222222222222, 0.2222222222222222, 0.09622504486493748],
        ];
        for (i, s) in salib.iter().enumerate() {
            let r = &m.indices[i];
            let got = [r.mu.estimate, r.mu_star.estimate, r.sigma.estimate];
            for (g, w) in got.iter().zip(s) {
                assert!((g - w).abs() < 1e-12, "input {i}: {got:?} vs {s:?}");
            }
        }
    }

    #[test]
    fn other_designs_are_refused_with_the_reason() {
        let mut d = linear();
        d.x[4] = vec![0.5, 0.0];
        let e = elementary_effects(&d).unwrap_err().to_string();
        assert!(e.contains("points 3 and 4 differ in 2 inputs"), "{e}");
        d.x.truncate(5);
        d.y.truncate(5);
        let e = elementary_effects(&d).unwrap_err().to_string();
        assert!(e.contains("5 points is not a whole number"), "{e}");
    }
}
