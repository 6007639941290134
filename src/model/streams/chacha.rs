//! ChaCha8 keystream blocks at scattered block counters, four at a time.
//!
//! Positioning a `rand_chacha` generator (`set_word_pos`) makes four
//! consecutive blocks at once, and a run positions one generator per random
//! parameter and per dynamics sub-stream, most of which read a few words of
//! the 64 made. [`blocks`] makes the first block of four such positions in
//! one pass instead (one lane each: on x86-64 the four lanes of SSE2
//! registers), and a [`super::Stream`] goes on
//! with a real generator only if its reader needs more than that block.
//!
//! The function is ChaCha with 8 rounds (Bernstein, "ChaCha, a variant of
//! Salsa20", 2008) in `rand_chacha`'s layout: the key in words 4–11, the
//! 64-bit block counter in words 12–13 and the 64-bit stream in words 14–15,
//! low word first. The tests check it word for word against `rand_chacha`.

/// Blocks computed side by side in one pass.
pub(crate) const LANES: usize = 4;

/// Words of a block.
pub const BLOCK_WORDS: usize = 16;

/// "expand 32-byte k".
const SIGMA: [u32; 4] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574];

/// The ChaCha8 blocks of `key` and `stream` at the block counters
/// `counters`, one per lane.
pub(crate) fn blocks(
    key: &[u32; 8],
    stream: u64,
    counters: [u64; LANES],
) -> [[u32; BLOCK_WORDS]; LANES] {
    let mut init = [[0u32; LANES]; BLOCK_WORDS];
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
    let words = lanes::rounds(&init);
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

/// The 8 rounds and the final addition, word `i` of every lane in `x[i]`:
/// SSE2 (every x86-64 has it), one lane per 32-bit element.
#[cfg(target_arch = "x86_64")]
mod lanes {
    use super::{BLOCK_WORDS, LANES};
    use std::arch::x86_64::{
        __m128i, _mm_add_epi32, _mm_loadu_si128, _mm_or_si128, _mm_shufflehi_epi16,
        _mm_shufflelo_epi16, _mm_slli_epi32, _mm_srli_epi32, _mm_storeu_si128, _mm_xor_si128,
    };

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

    pub(super) fn rounds(init: &[[u32; LANES]; BLOCK_WORDS]) -> [[u32; LANES]; BLOCK_WORDS] {
        // SAFETY: SSE2 is part of the x86-64 baseline: every x86-64 CPU has it.
        unsafe { rounds_sse2(init) }
    }

    #[target_feature(enable = "sse2")]
    fn rounds_sse2(init: &[[u32; LANES]; BLOCK_WORDS]) -> [[u32; LANES]; BLOCK_WORDS] {
        // SAFETY: each load and store reads or writes one [u32; 4] (16 bytes,
        // unaligned access allowed by loadu/storeu).
        let start: [__m128i; BLOCK_WORDS] =
            std::array::from_fn(|i| unsafe { _mm_loadu_si128(init[i].as_ptr().cast()) });
        let mut x = start;
        // Constant indices, so that the state stays in registers.
        macro_rules! quarter {
            ($a:literal, $b:literal, $c:literal, $d:literal) => {
                x[$a] = _mm_add_epi32(x[$a], x[$b]);
                x[$d] = rotl16(_mm_xor_si128(x[$d], x[$a]));
                x[$c] = _mm_add_epi32(x[$c], x[$d]);
                x[$b] = rotl::<12, 20>(_mm_xor_si128(x[$b], x[$c]));
                x[$a] = _mm_add_epi32(x[$a], x[$b]);
                x[$d] = rotl::<8, 24>(_mm_xor_si128(x[$d], x[$a]));
                x[$c] = _mm_add_epi32(x[$c], x[$d]);
                x[$b] = rotl::<7, 25>(_mm_xor_si128(x[$b], x[$c]));
            };
        }
        for _ in 0..4 {
            // The columns, then the diagonals (as `QUARTERS`).
            quarter!(0, 4, 8, 12);
            quarter!(1, 5, 9, 13);
            quarter!(2, 6, 10, 14);
            quarter!(3, 7, 11, 15);
            quarter!(0, 5, 10, 15);
            quarter!(1, 6, 11, 12);
            quarter!(2, 7, 8, 13);
            quarter!(3, 4, 9, 14);
        }
        let mut out = [[0u32; LANES]; BLOCK_WORDS];
        for i in 0..BLOCK_WORDS {
            let w = _mm_add_epi32(x[i], start[i]);
            // SAFETY: as above.
            unsafe { _mm_storeu_si128(out[i].as_mut_ptr().cast(), w) };
        }
        out
    }
}

/// The same on other targets, lane by lane.
#[cfg(not(target_arch = "x86_64"))]
mod lanes {
    use super::{BLOCK_WORDS, LANES, QUARTERS};

    pub(super) fn rounds(init: &[[u32; LANES]; BLOCK_WORDS]) -> [[u32; LANES]; BLOCK_WORDS] {
        let mut out = *init;
        for l in 0..LANES {
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

    fn key_words(g: &ChaCha8Rng) -> [u32; 8] {
        let seed = g.get_seed();
        std::array::from_fn(|i| u32::from_le_bytes(seed[4 * i..4 * i + 4].try_into().unwrap()))
    }

    /// Every lane equals rand_chacha's words at its counter, for counters
    /// near the 32-bit carry, at the top of the range and at the layout's
    /// parameter and sub-stream offsets.
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
            for group in counters.chunks(LANES) {
                let lanes: [u64; LANES] = group.try_into().unwrap();
                let got = blocks(&key, stream, lanes);
                for (l, &c) in lanes.iter().enumerate() {
                    let mut r = g.clone();
                    r.set_stream(stream);
                    r.set_word_pos(u128::from(c) * BLOCK_WORDS as u128);
                    let want: Vec<u32> = (0..BLOCK_WORDS).map(|_| r.next_u32()).collect();
                    assert_eq!(
                        got[l].to_vec(),
                        want,
                        "seed {seed} stream {stream} block {c}"
                    );
                }
            }
        }
    }
}
