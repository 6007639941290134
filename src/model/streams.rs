//! Random streams of a run: how (master seed, run index) becomes the
//! generators for a run's parameters and for each kind of random event.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

mod chacha;

pub use chacha::BLOCK_WORDS;
use chacha::{blocks, LANES};

/// Words of a run's ChaCha stream reserved for each parameter: parameter `k`
/// (in file order) draws from word `k << PARAM_WORD_SHIFT` on.
pub const PARAM_WORD_SHIFT: u32 = 32;

/// Where the dynamics sub-streams start in a run's ChaCha stream; sub-stream
/// `j` starts at word `DYNAMICS_WORD_BASE + j << DYNAMICS_WORD_SHIFT`.
pub const DYNAMICS_WORD_BASE: u128 = 1 << 60;
/// Spacing of the dynamics sub-streams, in words.
pub const DYNAMICS_WORD_SHIFT: u32 = 48;

/// The first word of dynamics sub-stream `j`.
const fn dynamics_word(j: u128) -> u128 {
    DYNAMICS_WORD_BASE + (j << DYNAMICS_WORD_SHIFT)
}

/// What a run's randomness is made from: the master key (from the master
/// seed) and the run's stream number (its index). Its words are split between
/// the parameters ([`PARAM_WORD_SHIFT`]) and the dynamics sub-streams
/// ([`Streams`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunKey {
    key: [u32; 8],
    stream: u64,
}

impl RunKey {
    /// Run `r` under the master generator `master` (its key; its stream
    /// and position are not read).
    pub fn new(master: &ChaCha8Rng, r: u64) -> RunKey {
        let seed = master.get_seed();
        RunKey {
            key: std::array::from_fn(|i| {
                u32::from_le_bytes([
                    seed[4 * i],
                    seed[4 * i + 1],
                    seed[4 * i + 2],
                    seed[4 * i + 3],
                ])
            }),
            stream: r,
        }
    }

    /// The same key for run `r`.
    pub fn for_run(&self, r: u64) -> RunKey {
        RunKey { stream: r, ..*self }
    }

    /// The run's generator positioned at `word`: the words [`Stream`]s read.
    pub fn generator_at(&self, word: u128) -> ChaCha8Rng {
        let mut seed = [0u8; 32];
        for (b, k) in seed.chunks_exact_mut(4).zip(self.key) {
            b.copy_from_slice(&k.to_le_bytes());
        }
        let mut g = ChaCha8Rng::from_seed(seed);
        g.set_stream(self.stream);
        g.set_word_pos(word);
        g
    }

    /// The first block of the run's stream at each of the block-aligned
    /// words `starts`, handed to `f` with its index; the blocks are made
    /// eight at a time. [`Stream::reset`] reads on from one.
    pub fn each_block(&self, starts: &[u128], mut f: impl FnMut(usize, &[u32; BLOCK_WORDS])) {
        for (c, chunk) in starts.chunks(LANES).enumerate() {
            let counters: [u64; LANES] = std::array::from_fn(|l| {
                let word = chunk[l.min(chunk.len() - 1)];
                debug_assert_eq!(word % BLOCK_WORDS as u128, 0, "a block-aligned start");
                (word / BLOCK_WORDS as u128) as u64
            });
            let made = blocks(&self.key, self.stream, counters, chunk.len());
            for (l, block) in made.iter().take(chunk.len()).enumerate() {
                f(c * LANES + l, block);
            }
        }
    }
}

/// A reader of a run's stream from a block-aligned word on: the same words,
/// in the same order and composition, as a `ChaCha8Rng` set to that word
/// (`next_u64` takes the lower word first, `fill_bytes` whole words in
/// little-endian order). Its first block is given; a generator is made for
/// the rest only if a reader goes past it.
#[derive(Debug, Clone)]
pub struct Stream {
    block: [u32; BLOCK_WORDS],
    next: usize,
    key: RunKey,
    start: u128,
    rest: Option<ChaCha8Rng>,
}

impl Stream {
    /// The run's stream from the block-aligned word `start` on, `block` its
    /// first block (from [`RunKey::each_block`]).
    pub fn new(key: &RunKey, start: u128, block: &[u32; BLOCK_WORDS]) -> Stream {
        Stream {
            block: *block,
            next: 0,
            key: *key,
            start,
            rest: None,
        }
    }

    /// Makes `self` [`Stream::new`]`(key, start, block)` in place.
    pub fn reset(&mut self, key: &RunKey, start: u128, block: &[u32; BLOCK_WORDS]) {
        self.block = *block;
        self.next = 0;
        self.key = *key;
        self.start = start;
        self.rest = None;
    }

    /// The generator for the words after the first block, made on the
    /// first read past it.
    #[cold]
    #[inline(never)]
    fn make_rest(&mut self) -> &mut ChaCha8Rng {
        let (key, word) = (self.key, self.start + BLOCK_WORDS as u128);
        self.rest.insert(key.generator_at(word))
    }

    /// The next word past the first block.
    #[inline]
    fn rest_u32(&mut self) -> u32 {
        match &mut self.rest {
            Some(g) => g.next_u32(),
            None => self.make_rest().next_u32(),
        }
    }
}

impl RngCore for Stream {
    #[inline]
    fn next_u32(&mut self) -> u32 {
        if let Some(&w) = self.block.get(self.next) {
            self.next += 1;
            w
        } else {
            self.rest_u32()
        }
    }

    #[inline]
    fn next_u64(&mut self) -> u64 {
        if self.next + 1 < BLOCK_WORDS {
            let (lo, hi) = (self.block[self.next], self.block[self.next + 1]);
            self.next += 2;
            (u64::from(hi) << 32) | u64::from(lo)
        } else if let (Some(g), true) = (&mut self.rest, self.next >= BLOCK_WORDS) {
            g.next_u64()
        } else {
            let lo = self.next_u32();
            let hi = self.next_u32();
            (u64::from(hi) << 32) | u64::from(lo)
        }
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        for chunk in dst.chunks_mut(4) {
            let w = self.next_u32().to_le_bytes();
            chunk.copy_from_slice(&w[..chunk.len()]);
        }
    }
}

/// The dynamics sub-streams of a run, one per kind of random event, so that a
/// change in how often one kind draws never shifts the others (common random
/// numbers). See `docs/model.md`, "Randomness". Sub-stream 1 held the
/// escalation times of the previous model; it stays unused so that the
/// others keep their place.
#[derive(Debug, Clone)]
pub struct Streams {
    /// Estimation errors (sub-stream 0).
    pub errors: Stream,
    /// Random exogenous events (sub-stream 2).
    pub exogenous: Stream,
    /// Threat credibility checks (sub-stream 3).
    pub threats: Stream,
    /// Follow-up meeting delays (sub-stream 4).
    pub delays: Stream,
    /// The war decisions' logit draws (sub-stream 5).
    pub decisions: Stream,
    /// The walkout decisions' logit draws and walkout chances (sub-stream 6).
    pub walkouts: Stream,
    /// Draws of the tactics, such as DeGroot's shares (sub-stream 7).
    pub tactics: Stream,
}

impl Streams {
    /// The sub-streams of `run`, in sub-stream order.
    const SUB: [u128; 7] = [
        dynamics_word(0),
        dynamics_word(2),
        dynamics_word(3),
        dynamics_word(4),
        dynamics_word(5),
        dynamics_word(6),
        dynamics_word(7),
    ];

    /// The sub-streams of run `run`.
    pub fn new(run: &RunKey) -> Streams {
        let placeholder = Stream::new(run, 0, &[0; BLOCK_WORDS]);
        let mut s = Streams {
            errors: placeholder.clone(),
            exogenous: placeholder.clone(),
            threats: placeholder.clone(),
            delays: placeholder.clone(),
            decisions: placeholder.clone(),
            walkouts: placeholder.clone(),
            tactics: placeholder,
        };
        s.reset(run);
        s
    }

    /// Makes `self` the sub-streams of run `run`, in place.
    pub fn reset(&mut self, run: &RunKey) {
        run.each_block(&Self::SUB, |j, block| {
            let s = match j {
                0 => &mut self.errors,
                1 => &mut self.exogenous,
                2 => &mut self.threats,
                3 => &mut self.delays,
                4 => &mut self.decisions,
                5 => &mut self.walkouts,
                _ => &mut self.tactics,
            };
            s.reset(run, Self::SUB[j], block);
        });
    }
}

/// The generator keyed by the master seed (rand_core's documented,
/// portable `seed_from_u64` expansion).
pub fn master_generator(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// Run `r`'s generator: ChaCha8 with the master key, stream `r`, at word 0
/// (the words a [`RunKey`] for run `r` reads).
pub fn run_generator(key: &ChaCha8Rng, r: u64) -> ChaCha8Rng {
    let mut g = key.clone();
    g.set_stream(r);
    g.set_word_pos(0);
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn run_generators_depend_on_run_only() {
        let key = master_generator(42);
        let mut a = run_generator(&key, 7);
        let mut a2 = run_generator(&key, 7);
        let mut c = run_generator(&key, 8);
        let x: u64 = a.random();
        assert_eq!(x, a2.random::<u64>());
        assert_ne!(x, c.random::<u64>());
        let mut s = Streams::new(&RunKey::new(&key, 7));
        let firsts: Vec<u64> = [
            &mut s.errors,
            &mut s.exogenous,
            &mut s.threats,
            &mut s.delays,
            &mut s.decisions,
            &mut s.walkouts,
            &mut s.tactics,
        ]
        .into_iter()
        .map(|g| g.random())
        .collect();
        for (i, a) in firsts.iter().enumerate() {
            assert_ne!(*a, x);
            for b in &firsts[i + 1..] {
                assert_ne!(a, b, "sub-streams must differ");
            }
        }
    }

    const GOLDEN_WORDS: [u32; 3] = [962_419_617, 2_928_721_845, 628_724_104];

    /// Golden values: the first words of run 0 of seed 42, so that a change of
    /// generator or derivation cannot pass unnoticed.
    #[test]
    fn generator_is_value_stable() {
        let mut g = run_generator(&master_generator(42), 0);
        let words: Vec<u32> = (0..3).map(|_| g.random()).collect();
        assert_eq!(words, GOLDEN_WORDS);
    }

    /// A run key reads run `r`'s generator, whatever generator of the master
    /// key it is taken from.
    #[test]
    fn run_keys_read_the_run_generator() {
        let master = master_generator(42);
        let mut moved = master.clone();
        moved.set_stream(99);
        moved.set_word_pos(12345);
        for r in [0, 7, u64::MAX] {
            let mut g = run_generator(&master, r);
            let want: Vec<u32> = (0..40).map(|_| g.next_u32()).collect();
            for key in [
                RunKey::new(&master, r),
                RunKey::new(&moved, r),
                RunKey::new(&master, 0).for_run(r),
            ] {
                let mut h = key.generator_at(0);
                let got: Vec<u32> = (0..40).map(|_| h.next_u32()).collect();
                assert_eq!(got, want);
            }
        }
    }

    /// A stream gives a positioned generator's words, past its first block
    /// too, whatever mix of 32-bit, 64-bit and byte reads takes them (each
    /// read straddling the block's end at some offset).
    #[test]
    fn streams_read_as_a_positioned_generator() {
        let master = master_generator(2022);
        let key = RunKey::new(&master, 3);
        let starts: Vec<u128> = (0..6)
            .map(|k| (k as u128) << PARAM_WORD_SHIFT)
            .chain([dynamics_word(0), dynamics_word(6)])
            .collect();
        for pattern in 0u32..24 {
            let mut made = Vec::new();
            key.each_block(&starts, |i, b| {
                made.push((i, Stream::new(&key, starts[i], b)))
            });
            assert_eq!(made.len(), starts.len());
            for (i, mut s) in made {
                let mut g = key.generator_at(starts[i]);
                let mut pick = pattern.wrapping_mul(2_654_435_761) ^ i as u32;
                for _ in 0..30 {
                    pick = pick.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    match (pick >> 16) % 3 {
                        0 => assert_eq!(s.next_u32(), g.next_u32()),
                        1 => assert_eq!(s.next_u64(), g.next_u64()),
                        _ => {
                            let len = ((pick >> 20) % 11) as usize;
                            let (mut a, mut b) = (vec![0u8; len], vec![0u8; len]);
                            s.fill_bytes(&mut a);
                            g.fill_bytes(&mut b);
                            assert_eq!(a, b);
                        }
                    }
                }
            }
        }
    }
}
