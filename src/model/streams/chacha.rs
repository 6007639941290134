//! ChaCha8 keystream blocks at scattered block counters, eight at a time.
//!
//! Positioning a `rand_chacha` generator (`set_word_pos`) makes four
//! consecutive blocks at once, and a run positions one generator per random
//! parameter and per dynamics sub-stream, most of which read a few words of
//! the 64 made. [`blocks`] makes the first block of eight such positions in
//! one pass instead (one lane each: on x86-64 the eight 32-bit lanes of an
//! AVX2 register, or two passes of four in SSE2 registers where AVX2 is
//! missing), and a [`super::Stream`] goes on with a real generator only if
//! its reader needs more than that block.
//!
//! The function is ChaCha with 8 rounds (Bernstein, "ChaCha, a variant of
//! Salsa20", 2008) in `rand_chacha`'s layout: the key in words 4–11, the
//! 64-bit block counter in words 12–13 and the 64-bit stream in words 14–15,
//! low word first. The tests check it word for word against `rand_chacha`,
//! on every path this machine has.

/// Blocks computed side by side in one call.
pub(crate) const LANES: usize = 8;

/// Words of a block.
pub const BLOCK_WORDS: usize = 16;

/// "expand 32-byte k".
const SIGMA: [u32; 4] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574];

/// The state of every lane, word `i` of lane `l` at `[i][l]`.
type Lanes = [[u32; LANES]; BLOCK_WORDS];

/// The ChaCha8 blocks of `key` and `stream` at the block counters
/// `counters`, one per lane; only the first `used` lanes are needed.
pub(crate) fn blocks(
    key: &[u32; 8],
    stream: u64,
    counters: [u64; LANES],
    used: usize,
) -> [[u32; BLOCK_WORDS]; LANES] {
    blocks_on(lanes::Path::best(), key, stream, counters, used)
}

/// [`blocks`] computed on `path`.
fn blocks_on(
    path: lanes::Path,
    key: &[u32; 8],
    stream: u64,
    counters: [u64; LANES],
    used: usize,
) -> [[u32; BLOCK_WORDS]; LANES] {
    let mut init: Lanes = [[0u32; LANES]; BLOCK_WORDS];
    for (w, s) in init[..4].iter_mut().zip(SIGMA) {
        *w = [s; LANES];
    }
    for (w, k) in init[4..12].iter_mut().zip(key) {
        *w = [*k; LANES];
    }
    init[12] = std::array::from_fn(|l| counters[l] as u32);
    init[13] = std::array::from_fn(|l| (counters[l] >> 32) as u32);
    init[14] = [stream as u32; LANES];
    init[15] = [(stream >> 32) as u32; LANES];
    let words = lanes::rounds(&init, used, path);
    let mut out = [[0u32; BLOCK_WORDS]; LANES];
    for (i, w) in words.iter().enumerate() {
        for l in 0..LANES {
            out[l][i] = w[l];
        }
    }
    out
}

/// The quarter rounds' column and diagonal indices (a double round).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
const QUARTERS: [[usize; 4]; 8] = [
    [0, 4, 8, 12],
    [1, 5, 9, 13],
    [2, 6, 10, 14],
    [3, 7, 11, 15],
    [0, 5, 10, 15],
    [1, 6, 11, 12],
    [2, 7, 8, 13],
    [3, 4, 9, 14],
];

/// The 8 rounds and the final addition, word `i` of every lane in `x[i]`.
#[cfg(target_arch = "x86_64")]
mod lanes {
    use super::{Lanes, BLOCK_WORDS, LANES};
    use std::arch::x86_64::{
        __m128i, __m256i, _mm256_add_epi32, _mm256_loadu_si256, _mm256_or_si256, _mm256_setr_epi8,
        _mm256_shuffle_epi8, _mm256_slli_epi32, _mm256_srli_epi32, _mm256_storeu_si256,
        _mm256_xor_si256, _mm_add_epi32, _mm_loadu_si128, _mm_or_si128, _mm_shufflehi_epi16,
        _mm_shufflelo_epi16, _mm_slli_epi32, _mm_srli_epi32, _mm_storeu_si128, _mm_xor_si128,
    };

    /// Which instructions compute the lanes.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) enum Path {
        /// All eight lanes in one AVX2 register per word.
        Avx2,
        /// Four lanes per SSE2 register (every x86-64 has SSE2).
        Sse2,
    }

    impl Path {
        /// AVX2 when the CPU has it (detected once, then cached by std).
        pub(super) fn best() -> Path {
            if std::arch::is_x86_feature_detected!("avx2") {
                Path::Avx2
            } else {
                Path::Sse2
            }
        }

        /// Every path this CPU can take.
        #[cfg(test)]
        pub(super) fn all() -> Vec<Path> {
            let mut v = vec![Path::Sse2];
            if Path::best() == Path::Avx2 {
                v.push(Path::Avx2);
            }
            v
        }
    }

    pub(super) fn rounds(init: &Lanes, used: usize, path: Path) -> Lanes {
        match path {
            // SAFETY: `Path::Avx2` is chosen only when the CPU has AVX2.
            Path::Avx2 => unsafe { rounds_avx2(init) },
            Path::Sse2 => {
                let mut out = [[0u32; LANES]; BLOCK_WORDS];
                for half in 0..used.div_ceil(4).max(1) {
                    let part: [[u32; 4]; BLOCK_WORDS] =
                        std::array::from_fn(|i| std::array::from_fn(|l| init[i][4 * half + l]));
                    // SAFETY: SSE2 is part of the x86-64 baseline.
                    let done = unsafe { rounds_sse2(&part) };
                    for i in 0..BLOCK_WORDS {
                        out[i][4 * half..4 * half + 4].copy_from_slice(&done[i]);
                    }
                }
                out
            }
        }
    }

    /// A quarter round on registers `$a, $b, $c, $d` of `$x`, with the
    /// lane operations given.
    macro_rules! quarter {
        ($x:ident, $add:ident, $xor:ident, $r16:expr, $r12:expr, $r8:expr, $r7:expr;
         $a:literal, $b:literal, $c:literal, $d:literal) => {
            $x[$a] = $add($x[$a], $x[$b]);
            $x[$d] = $r16($xor($x[$d], $x[$a]));
            $x[$c] = $add($x[$c], $x[$d]);
            $x[$b] = $r12($xor($x[$b], $x[$c]));
            $x[$a] = $add($x[$a], $x[$b]);
            $x[$d] = $r8($xor($x[$d], $x[$a]));
            $x[$c] = $add($x[$c], $x[$d]);
            $x[$b] = $r7($xor($x[$b], $x[$c]));
        };
    }

    /// One double round (the columns, then the diagonals) with constant
    /// indices, so that the state stays in registers.
    macro_rules! double_round {
        ($($ops:tt)*) => {
            quarter!($($ops)*; 0, 4, 8, 12);
            quarter!($($ops)*; 1, 5, 9, 13);
            quarter!($($ops)*; 2, 6, 10, 14);
            quarter!($($ops)*; 3, 7, 11, 15);
            quarter!($($ops)*; 0, 5, 10, 15);
            quarter!($($ops)*; 1, 6, 11, 12);
            quarter!($($ops)*; 2, 7, 8, 13);
            quarter!($($ops)*; 3, 4, 9, 14);
        };
    }

    #[target_feature(enable = "sse2")]
    fn rounds_sse2(init: &[[u32; 4]; BLOCK_WORDS]) -> [[u32; 4]; BLOCK_WORDS] {
        #[inline]
        #[target_feature(enable = "sse2")]
        fn rotl<const L: i32, const R: i32>(x: __m128i) -> __m128i {
            _mm_or_si128(_mm_slli_epi32::<L>(x), _mm_srli_epi32::<R>(x))
        }
        #[inline]
        #[target_feature(enable = "sse2")]
        fn rotl16(x: __m128i) -> __m128i {
            // Swap the 16-bit halves of each word.
            _mm_shufflehi_epi16::<0b10_11_00_01>(_mm_shufflelo_epi16::<0b10_11_00_01>(x))
        }
        // SAFETY: each load and store reads or writes one [u32; 4] (16 bytes,
        // unaligned access allowed by loadu/storeu).
        let start: [__m128i; BLOCK_WORDS] =
            std::array::from_fn(|i| unsafe { _mm_loadu_si128(init[i].as_ptr().cast()) });
        let mut x = start;
        for _ in 0..4 {
            double_round!(
                x,
                _mm_add_epi32,
                _mm_xor_si128,
                rotl16,
                rotl::<12, 20>,
                rotl::<8, 24>,
                rotl::<7, 25>
            );
        }
        let mut out = [[0u32; 4]; BLOCK_WORDS];
        for i in 0..BLOCK_WORDS {
            let w = _mm_add_epi32(x[i], start[i]);
            // SAFETY: as above.
            unsafe { _mm_storeu_si128(out[i].as_mut_ptr().cast(), w) };
        }
        out
    }

    #[target_feature(enable = "avx2")]
    fn rounds_avx2(init: &Lanes) -> Lanes {
        #[inline]
        #[target_feature(enable = "avx2")]
        fn rotl<const L: i32, const R: i32>(x: __m256i) -> __m256i {
            _mm256_or_si256(_mm256_slli_epi32::<L>(x), _mm256_srli_epi32::<R>(x))
        }
        // Rotations by whole bytes are byte shuffles within each word.
        #[inline]
        #[target_feature(enable = "avx2")]
        fn rotl16(x: __m256i) -> __m256i {
            let m = _mm256_setr_epi8(
                2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10,
                11, 8, 9, 14, 15, 12, 13,
            );
            _mm256_shuffle_epi8(x, m)
        }
        #[inline]
        #[target_feature(enable = "avx2")]
        fn rotl8(x: __m256i) -> __m256i {
            let m = _mm256_setr_epi8(
                3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14, 3, 0, 1, 2, 7, 4, 5, 6, 11,
                8, 9, 10, 15, 12, 13, 14,
            );
            _mm256_shuffle_epi8(x, m)
        }
        // SAFETY: each load and store reads or writes one [u32; 8] (32 bytes,
        // unaligned access allowed by loadu/storeu).
        let start: [__m256i; BLOCK_WORDS] =
            std::array::from_fn(|i| unsafe { _mm256_loadu_si256(init[i].as_ptr().cast()) });
        let mut x = start;
        for _ in 0..4 {
            double_round!(
                x,
                _mm256_add_epi32,
                _mm256_xor_si256,
                rotl16,
                rotl::<12, 20>,
                rotl8,
                rotl::<7, 25>
            );
        }
        let mut out = [[0u32; LANES]; BLOCK_WORDS];
        for i in 0..BLOCK_WORDS {
            let w = _mm256_add_epi32(x[i], start[i]);
            // SAFETY: as above.
            unsafe { _mm256_storeu_si256(out[i].as_mut_ptr().cast(), w) };
        }
        out
    }
}

/// The same on other targets, lane by lane.
#[cfg(not(target_arch = "x86_64"))]
mod lanes {
    use super::{Lanes, BLOCK_WORDS, LANES, QUARTERS};

    /// Which instructions compute the lanes: here, plain ones.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) enum Path {
        Scalar,
    }

    impl Path {
        pub(super) fn best() -> Path {
            Path::Scalar
        }

        #[cfg(test)]
        pub(super) fn all() -> Vec<Path> {
            vec![Path::Scalar]
        }
    }

    pub(super) fn rounds(init: &Lanes, used: usize, _path: Path) -> Lanes {
        let mut out = *init;
        for l in 0..used.min(LANES) {
            let mut x: [u32; BLOCK_WORDS] = std::array::from_fn(|i| init[i][l]);
            for _ in 0..4 {
                for [a, b, c, d] in QUARTERS {
                    x[a] = x[a].wrapping_add(x[b]);
                    x[d] = (x[d] ^ x[a]).rotate_left(16);
                    x[c] = x[c].wrapping_add(x[d]);
                    x[b] = (x[b] ^ x[c]).rotate_left(12);
                    x[a] = x[a].wrapping_add(x[b]);
                    x[d] = (x[d] ^ x[a]).rotate_left(8);
                    x[c] = x[c].wrapping_add(x[d]);
                    x[b] = (x[b] ^ x[c]).rotate_left(7);
                }
            }
            for i in 0..BLOCK_WORDS {
                out[i][l] = x[i].wrapping_add(init[i][l]);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngCore, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// The key's words, as a run reads them.
    fn key_words(g: &ChaCha8Rng) -> [u32; 8] {
        super::super::RunKey::new(g, 0).key
    }

    /// Every lane needed equals rand_chacha's words at its counter, on every
    /// path this CPU can take, for counters near the 32-bit carry, at the top
    /// of the range and at the layout's parameter and sub-stream offsets.
    #[test]
    fn blocks_equal_rand_chacha() {
        for (seed, stream) in [(0u64, 0u64), (42, 7), (20_220_110, u64::MAX), (9, 1 << 40)] {
            let g = ChaCha8Rng::seed_from_u64(seed);
            let key = key_words(&g);
            let counters = [
                0,
                (1u64 << 32) - 1,
                u64::MAX,
                3 << 28,
                1 << 56,
                (1 << 56) + (6 << 44),
                12345,
                (1 << 32) + 1,
            ];
            for (path, used) in lanes::Path::all()
                .into_iter()
                .flat_map(|p| [(p, LANES), (p, 3)])
            {
                let got = blocks_on(path, &key, stream, counters, used);
                for (l, &c) in counters.iter().enumerate().take(used) {
                    let mut r = g.clone();
                    r.set_stream(stream);
                    r.set_word_pos(u128::from(c) * BLOCK_WORDS as u128);
                    let want: Vec<u32> = (0..BLOCK_WORDS).map(|_| r.next_u32()).collect();
                    assert_eq!(
                        got[l].to_vec(),
                        want,
                        "{path:?}, seed {seed} stream {stream} block {c}"
                    );
                }
            }
        }
    }
}
