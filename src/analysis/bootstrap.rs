//! Bootstrap intervals (Efron 1979): resample the units of an estimate
//! (Morris trajectories, Saltelli base points) with replacement, recompute,
//! and take the percentiles of the recomputed values.
//!
//! Resamples are drawn from `ChaCha8Rng::seed_from_u64(seed)` on stream
//! [`ANALYSIS_STREAM`], so an analysis is byte-reproducible for a seed.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// ChaCha stream of analysis resamples: the bytes `b"ANALYSIS"`.
pub const ANALYSIS_STREAM: u64 = u64::from_be_bytes(*b"ANALYSIS");

/// Bootstrap resamples when none is asked for.
pub const DEFAULT_RESAMPLES: usize = 1000;

/// The confidence level of every interval.
pub const LEVEL: f64 = 0.95;

/// The generator of an analysis's resamples.
pub fn generator(seed: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(ANALYSIS_STREAM);
    rng
}

/// Fills `out` with `n` indices drawn uniformly from `0..n`, with replacement.
pub fn resample(n: usize, rng: &mut impl Rng, out: &mut Vec<usize>) {
    out.clear();
    out.extend((0..n).map(|_| rng.random_range(0..n)));
}

/// An estimate with its bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// The estimate from all the data.
    pub estimate: f64,
    /// Lower end of the 95% percentile interval.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

impl Interval {
    /// The estimate with the percentile interval of `resampled` (sorted in place).
    pub fn new(estimate: f64, resampled: &mut [f64]) -> Interval {
        let (low, high) = percentile_interval(resampled, LEVEL);
        Interval {
            estimate,
            low,
            high,
        }
    }

    /// Whether `x` lies in `[low, high]`.
    pub fn contains(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }
}

/// The central `level` percentile interval of `values` (sorted in place;
/// NaNs are ignored): the quantiles at `(1 - level) / 2` and
/// `(1 + level) / 2`, interpolated linearly between order statistics (R's
/// type 7, numpy's default). `(NaN, NaN)` without values.
pub fn percentile_interval(values: &mut [f64], level: f64) -> (f64, f64) {
    values.sort_unstable_by(|a, b| a.total_cmp(b));
    let n = values.iter().take_while(|v| !v.is_nan()).count();
    let values = &values[..n];
    let q = |p: f64| -> f64 {
        if values.is_empty() {
            return f64::NAN;
        }
        let h = (values.len() - 1) as f64 * p;
        let (lo, frac) = (h.floor() as usize, h - h.floor());
        let hi = (lo + 1).min(values.len() - 1);
        values[lo] + frac * (values[hi] - values[lo])
    };
    let tail = (1.0 - level) / 2.0;
    (q(tail), q(1.0 - tail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_like_numpy() {
        let mut v: Vec<f64> = (1..=101).rev().map(f64::from).collect();
        let (lo, hi) = percentile_interval(&mut v, 0.95);
        assert!(
            (lo - 3.5).abs() < 1e-12 && (hi - 98.5).abs() < 1e-12,
            "{lo} {hi}"
        );
        let mut w = vec![f64::NAN, 2.0, 1.0];
        assert_eq!(percentile_interval(&mut w, 0.5), (1.25, 1.75));
        assert!(percentile_interval(&mut [], 0.95).0.is_nan());
    }

    #[test]
    fn resamples_are_reproducible() {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        resample(50, &mut generator(3), &mut a);
        resample(50, &mut generator(3), &mut b);
        assert_eq!(a, b);
        assert!(a.iter().all(|&i| i < 50));
        resample(50, &mut generator(4), &mut b);
        assert_ne!(a, b);
    }
}
