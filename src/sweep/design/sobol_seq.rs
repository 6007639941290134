//! The Sobol' low-discrepancy sequence, plain or Owen-scrambled.
//!
//! - **Plain**: Sobol' (1967), in Gray-code order as in Antonov & Saleev
//!   (1979) and Bratley & Fox (1988): point `n`'s coordinate in dimension `j`
//!   is the XOR of the direction numbers `v_{j,k}` for the bits `k` set in
//!   `gray(n) = n ^ (n >> 1)`, read as a 32-bit binary fraction. Direction
//!   numbers: Joe & Kuo (2008), `new-joe-kuo-6.21201` (embedded as data in `design/directions.rs`),
//!   the table scipy's `scipy.stats.qmc.Sobol` uses, so the plain sequence is
//!   the one scipy and SALib give with `scramble=False`, point 0 (the origin)
//!   included.
//! - **Scrambled**: each dimension's 32 digits get a nested uniform scramble
//!   in the sense of Owen (1995), by the hash-based construction of Laine &
//!   Karras (2011) and Burley (2020): reverse the bits, so that every digit
//!   comes before the digits it may depend on, apply a hash made only of
//!   additions and multiplications (which carry information from low bits to
//!   high ones only), and reverse back. So digit `k` of a point is flipped by
//!   a function of the seed and the digits before it, which is exactly an
//!   Owen scramble; the net structure survives (tested below). Each
//!   dimension's 32-bit seed is drawn from the design's ChaCha8 generator.

use super::directions::JOE_KUO;

/// Largest number of dimensions supported (the direction numbers embedded).
pub const MAX_DIMENSIONS: usize = 1 + JOE_KUO.len();

const BITS: usize = 32;

/// The first points of a Sobol' sequence in `dims` dimensions.
#[derive(Debug, Clone)]
pub struct SobolSequence {
    directions: Vec<[u32; BITS]>,
    scramble: Option<Vec<u32>>,
}

impl SobolSequence {
    /// The plain sequence in `dims` dimensions (`1..=MAX_DIMENSIONS`).
    ///
    /// # Panics
    /// If `dims` is 0 or above [`MAX_DIMENSIONS`].
    pub fn plain(dims: usize) -> Self {
        assert!((1..=MAX_DIMENSIONS).contains(&dims), "{dims} dimensions");
        let directions = (0..dims).map(directions).collect();
        SobolSequence {
            directions,
            scramble: None,
        }
    }

    /// The sequence with dimension `j` Owen-scrambled by `seeds[j]`.
    ///
    /// # Panics
    /// As [`SobolSequence::plain`] for `seeds.len()` dimensions.
    pub fn scrambled(seeds: &[u32]) -> Self {
        let mut s = Self::plain(seeds.len());
        s.scramble = Some(seeds.to_vec());
        s
    }

    /// Point `n` as 32-bit binary fractions.
    pub fn point_bits(&self, n: u32, out: &mut Vec<u32>) {
        out.clear();
        let gray = n ^ (n >> 1);
        for (j, v) in self.directions.iter().enumerate() {
            let mut x = 0u32;
            let mut g = gray;
            let mut k = 0;
            while g != 0 {
                if g & 1 == 1 {
                    x ^= v[k];
                }
                g >>= 1;
                k += 1;
            }
            if let Some(seeds) = &self.scramble {
                x = owen_scramble(x, seeds[j]);
            }
            out.push(x);
        }
    }

    /// Point `n` in `[0, 1)^dims`.
    pub fn point(&self, n: u32) -> Vec<f64> {
        let mut bits = Vec::with_capacity(self.directions.len());
        self.point_bits(n, &mut bits);
        bits.iter()
            .map(|&x| f64::from(x) / 4_294_967_296.0)
            .collect()
    }
}

/// The direction numbers `v_1..v_32` of dimension `j` (0-based), as 32-bit
/// fractions: `v_k = m_k 2^(32-k)` for `k <= s`, then the recurrence of
/// Bratley & Fox (1988) on the primitive polynomial's coefficients.
fn directions(j: usize) -> [u32; BITS] {
    let mut v = [0u32; BITS];
    if j == 0 {
        for (k, vk) in v.iter_mut().enumerate() {
            *vk = 1 << (BITS - 1 - k);
        }
        return v;
    }
    let (s, a, m) = JOE_KUO[j - 1];
    let s = s as usize;
    for k in 0..BITS {
        v[k] = if k < s {
            m[k] << (BITS - 1 - k)
        } else {
            let mut x = v[k - s] ^ (v[k - s] >> s);
            for l in 1..s {
                if (a >> (s - 1 - l)) & 1 == 1 {
                    x ^= v[k - l];
                }
            }
            x
        };
    }
    v
}

/// Owen's nested uniform scramble of a 32-bit fraction: the Laine-Karras
/// permutation on the reversed bits, with the constants of Burley (2020),
/// "Practical Hash-based Owen Scrambling", JCGT 9(4), Listing 1.
fn owen_scramble(x: u32, seed: u32) -> u32 {
    let mut r = x.reverse_bits();
    r = r.wrapping_add(seed);
    r ^= r.wrapping_mul(0x6c50_b47c);
    r ^= r.wrapping_mul(0xb82f_1e52);
    r ^= r.wrapping_mul(0xc7af_e638);
    r ^= r.wrapping_mul(0x8d22_f6e6);
    r.reverse_bits()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Points of scipy 1.17's `qmc.Sobol(256, scramble=False)` (an independent
    /// implementation of the same table) times 2^32, at dimensions
    /// 0, 1, 2, 9, 50, 127, 200 and 255.
    const SCIPY: [(u32, [u32; 8]); 4] = [
        (1, [2147483648; 8]),
        (
            3,
            [
                1073741824, 3221225472, 3221225472, 1073741824, 3221225472, 3221225472, 1073741824,
                1073741824,
            ],
        ),
        (
            100,
            [
                1778384896, 1107296256, 3321888768, 2986344448, 3791650816, 1979711488, 3657433088,
                2449473536,
            ],
        ),
        (
            1023,
            [
                4194304, 3233808384, 2629828608, 3653238784, 1111490560, 3007315968, 2831155200,
                3619684352,
            ],
        ),
    ];

    #[test]
    fn plain_sequence_matches_scipy() {
        let s = SobolSequence::plain(MAX_DIMENSIONS);
        let mut bits = Vec::new();
        for (n, want) in SCIPY {
            s.point_bits(n, &mut bits);
            let got: Vec<u32> = [0, 1, 2, 9, 50, 127, 200, 255]
                .iter()
                .map(|&d| bits[d])
                .collect();
            assert_eq!(got, want, "point {n}");
        }
        assert_eq!(s.point(0), vec![0.0; MAX_DIMENSIONS]);
        assert_eq!(s.point(2)[..3], [0.75, 0.25, 0.25]);
    }

    /// Every box `[i / 2^a, (i + 1) / 2^a) x [j / 2^b, (j + 1) / 2^b)` with
    /// `a + b = m` holds exactly one of the first `2^m` points: a (0, m, 2)-net.
    fn is_net(points: &[(u32, u32)], m: u32) -> bool {
        (0..=m).all(|a| {
            let b = m - a;
            let mut hits = vec![0u8; 1 << m];
            for &(x, y) in points {
                let i = if a == 0 { 0 } else { x >> (32 - a) };
                let j = if b == 0 { 0 } else { y >> (32 - b) };
                hits[((i << b) | j) as usize] += 1;
            }
            hits.iter().all(|&h| h == 1)
        })
    }

    #[test]
    fn plain_first_two_dimensions_form_nets() {
        let s = SobolSequence::plain(2);
        let mut bits = Vec::new();
        let pts: Vec<(u32, u32)> = (0..256)
            .map(|n| {
                s.point_bits(n, &mut bits);
                (bits[0], bits[1])
            })
            .collect();
        for m in 1..=8 {
            assert!(is_net(&pts[..1 << m], m), "m = {m}");
        }
    }

    proptest! {
        #[test]
        fn scrambling_keeps_the_net_and_the_strata(
            seeds in prop::collection::vec(any::<u32>(), 6),
            m in 1u32..9,
        ) {
            let s = SobolSequence::scrambled(&seeds);
            let plain = SobolSequence::plain(6);
            let mut bits = Vec::new();
            let mut raw = Vec::new();
            let mut pts = Vec::new();
            let mut differs = false;
            let mut strata = vec![vec![0u8; 1 << m]; 6];
            for n in 0..(1u32 << m) {
                s.point_bits(n, &mut bits);
                plain.point_bits(n, &mut raw);
                differs |= bits != raw;
                pts.push((bits[0], bits[1]));
                for (d, &x) in bits.iter().enumerate() {
                    strata[d][(x >> (32 - m)) as usize] += 1;
                }
            }
            prop_assert!(is_net(&pts, m));
            prop_assert!(strata.iter().all(|s| s.iter().all(|&h| h == 1)));
            prop_assert!(differs);
        }
    }

    #[test]
    fn scrambles_differ_by_seed() {
        let a = SobolSequence::scrambled(&[1, 2]).point(5);
        let b = SobolSequence::scrambled(&[1, 3]).point(5);
        assert_eq!(a[0], b[0]);
        assert_ne!(a[1], b[1]);
    }
}
