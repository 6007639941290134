//! A cache of numbers' text: the events file writes the same few values
//! again and again (a founding run's offers are mostly `0.1`, `0.8`,
//! `0.2`..., a meeting's rows share their day, a party's value of no deal
//! recurs), and the shortest round-trip formatter costs about 180
//! instructions a number where a hit costs a tenth of that.

use super::push_f64;

/// Slots of the cache (a power of two).
const SLOTS: usize = 256;

/// Longest text kept; longer ones (none a run writes: the longest
/// shortest round-trip text of an `f64` has 24 bytes) are written each time.
const TEXT: usize = 24;

/// One slot: the bits of a value and its text.
#[derive(Debug, Clone, Copy)]
struct Slot {
    bits: u64,
    /// 0: empty (no value's text is empty).
    len: u8,
    text: [u8; TEXT],
}

/// Recently written numbers' text, by the bits of the value: a
/// direct-mapped cache of [`SLOTS`] slots. What it writes is what
/// [`push_f64`] writes, byte for byte: a hit is text `push_f64` wrote for
/// the same bits.
#[derive(Debug, Clone)]
pub(crate) struct NumberCells {
    slots: Box<[Slot]>,
}

impl Default for NumberCells {
    fn default() -> Self {
        NumberCells {
            slots: vec![
                Slot {
                    bits: 0,
                    len: 0,
                    text: [0; TEXT],
                };
                SLOTS
            ]
            .into_boxed_slice(),
        }
    }
}

impl NumberCells {
    /// Appends `x` as [`push_f64`] writes it.
    #[inline]
    pub(crate) fn push(&mut self, out: &mut Vec<u8>, x: f64) {
        let bits = x.to_bits();
        // Fibonacci hashing: the top bits of the product mix every bit of
        // the value, so 0.1, 0.2, 0.8... land in different slots.
        let i =
            (bits.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SLOTS.trailing_zeros())) as usize;
        let slot = &mut self.slots[i];
        if slot.bits == bits && slot.len != 0 {
            // A copy of the whole slot (a fixed size, so no call into
            // `memcpy`), cut back to the text.
            let end = out.len() + usize::from(slot.len);
            out.extend_from_slice(&slot.text);
            out.truncate(end);
            return;
        }
        let start = out.len();
        push_f64(out, x);
        let text = &out[start..];
        if text.len() <= TEXT {
            slot.bits = bits;
            slot.len = text.len() as u8;
            slot.text[..text.len()].copy_from_slice(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// Values that collide in slots, repeat, and are of every kind of text:
    /// whole, short, long, tiny, huge, signed zeros, NaN, infinities.
    #[test]
    fn writes_what_push_f64_writes() {
        let mut g = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let mut pool: Vec<f64> = vec![
            0.0,
            -0.0,
            0.1,
            0.8,
            1.0,
            -3.0,
            1e15,
            1e16,
            1.5e300,
            5e-324,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.7999999999999999,
        ];
        pool.extend((0..2000).map(|_| g.random::<f64>()));
        pool.extend((0..500).map(|_| f64::from_bits(g.random::<u64>())));
        let mut cache = NumberCells::default();
        let (mut got, mut want) = (Vec::new(), Vec::new());
        let mut hits = 0;
        for _ in 0..50_000 {
            let x = pool[g.random_range(0..pool.len())];
            let held = cache
                .slots
                .iter()
                .any(|s| s.len != 0 && s.bits == x.to_bits());
            hits += usize::from(held);
            cache.push(&mut got, x);
            push_f64(&mut want, x);
            assert_eq!(got, want, "{x:e}");
            got.clear();
            want.clear();
        }
        // Both paths ran: hits, and misses that evicted.
        assert!(hits > 5_000 && hits < 45_000, "{hits} hits");
    }
}
