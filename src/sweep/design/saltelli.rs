//! Saltelli's cross-sampling for Sobol' indices (Saltelli 2002; Saltelli et
//! al. 2010), on a Sobol' low-discrepancy sequence.
//!
//! Point `j` of a Sobol' sequence in `2k` dimensions gives two base points:
//! `A_j` (its first `k` coordinates) and `B_j` (its last `k`). Each base
//! point makes a block of rows, in the order SALib's `sobol.sample` writes
//! them, so that designs and outputs can be exchanged with it:
//!
//! `A_j`, `AB_j^(1)`, ..., `AB_j^(k)`, [`BA_j^(1)`, ..., `BA_j^(k)`], `B_j`
//!
//! where `AB^(i)` is `A` with column `i` taken from `B`, and `BA^(i)` (only
//! with `second_order`) is `B` with column `i` from `A`. So the design has
//! `N (k + 2)` points, or `N (2k + 2)`. The sequence is plain (points
//! `0..N`, as scipy's `qmc.Sobol(2k, scramble=False)` and SALib with
//! `scramble=False` give them) or Owen-scrambled with one 32-bit seed per
//! dimension drawn by `random::<u32>()` from `ChaCha8Rng::seed_from_u64(seed)`
//! on stream [`SOBOL_STREAM`]. A power of two for `N`
//! keeps the sequence's balance.

use rand::Rng;

use super::sampled::design_rng;
use super::sobol_seq::{SobolSequence, MAX_DIMENSIONS};
use super::{DesignOptions, SobolScramble, SOBOL_STREAM};

/// Most keys a Sobol design takes (two dimensions per key).
pub const MAX_KEYS: usize = MAX_DIMENSIONS / 2;

/// Rows per base point: `k + 2`, or `2k + 2` with second-order rows.
pub fn block_len(k: usize, second_order: bool) -> usize {
    if second_order {
        2 * k + 2
    } else {
        k + 2
    }
}

/// The Saltelli design in the unit cube.
pub(super) fn unit_design(k: usize, options: &DesignOptions, seed: u64) -> Vec<Vec<f64>> {
    let n = options.base_points.unwrap_or(0);
    let second = options.second_order == Some(true);
    let seq = match options.sequence.unwrap_or_default() {
        SobolScramble::Plain => SobolSequence::plain(2 * k),
        SobolScramble::Scrambled => {
            let mut rng = design_rng(seed, SOBOL_STREAM);
            let seeds: Vec<u32> = (0..2 * k).map(|_| rng.random::<u32>()).collect();
            SobolSequence::scrambled(&seeds)
        }
    };
    let mut out = Vec::with_capacity(n * block_len(k, second));
    for j in 0..n {
        let x = seq.point(j as u32);
        let (a, b) = x.split_at(k);
        out.push(a.to_vec());
        for i in 0..k {
            let mut ab = a.to_vec();
            ab[i] = b[i];
            out.push(ab);
        }
        if second {
            for i in 0..k {
                let mut ba = b.to_vec();
                ba[i] = a[i];
                out.push(ba);
            }
        }
        out.push(b.to_vec());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(n: usize, second: bool, seq: SobolScramble) -> DesignOptions {
        DesignOptions {
            base_points: Some(n),
            second_order: Some(second),
            sequence: Some(seq),
            ..DesignOptions::default()
        }
    }

    #[test]
    fn blocks_cross_a_and_b_column_by_column() {
        for second in [false, true] {
            let k = 3;
            let d = unit_design(k, &options(8, second, SobolScramble::Scrambled), 1);
            let len = block_len(k, second);
            assert_eq!(d.len(), 8 * len);
            for block in d.chunks(len) {
                let (a, b) = (&block[0], &block[len - 1]);
                for i in 0..k {
                    for c in 0..k {
                        let want = if c == i { b[c] } else { a[c] };
                        assert_eq!(block[1 + i][c], want);
                        if second {
                            let want = if c == i { a[c] } else { b[c] };
                            assert_eq!(block[1 + k + i][c], want);
                        }
                    }
                }
            }
        }
    }

    /// Pins exact outputs of a scrambled design, so that a change in the
    /// generator, the draw order or the scramble is seen.
    #[test]
    fn golden_scrambled_design() {
        let d = unit_design(2, &options(2, false, SobolScramble::Scrambled), 2022);
        assert_eq!(d.len(), 8);
        assert_eq!([d[0][0], d[0][1], d[7][0], d[7][1]], GOLDEN);
    }

    const GOLDEN: [f64; 4] = [
        0.061860080575570464,
        0.5181382913142443,
        0.3125465218909085,
        0.5915772935841233,
    ];

    /// SALib 1.5.1's `sobol.sample` for 3 factors on [0, 1], `N = 4`,
    /// `calc_second_order=True`, `scramble=False` (an independent
    /// implementation of the same layout and sequence).
    #[test]
    fn plain_design_is_salibs() {
        let d = unit_design(3, &options(4, true, SobolScramble::Plain), 0);
        assert_eq!(d, SALIB);
    }

    #[rustfmt::skip]
    const SALIB: [[f64; 3]; 32] = [
        [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0],
        [0.5, 0.5, 0.5], [0.5, 0.5, 0.5], [0.5, 0.5, 0.5], [0.5, 0.5, 0.5],
        [0.5, 0.5, 0.5], [0.5, 0.5, 0.5], [0.5, 0.5, 0.5], [0.5, 0.5, 0.5],
        [0.75, 0.25, 0.25], [0.25, 0.25, 0.25], [0.75, 0.75, 0.25], [0.75, 0.25, 0.75],
        [0.75, 0.75, 0.75], [0.25, 0.25, 0.75], [0.25, 0.75, 0.25], [0.25, 0.75, 0.75],
        [0.25, 0.75, 0.75], [0.75, 0.75, 0.75], [0.25, 0.25, 0.75], [0.25, 0.75, 0.25],
        [0.25, 0.25, 0.25], [0.75, 0.75, 0.25], [0.75, 0.25, 0.75], [0.75, 0.25, 0.25],
    ];
}
