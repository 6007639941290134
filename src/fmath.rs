//! Transcendental functions and the random variates built on them, from a
//! pure-Rust implementation (the `libm` crate, a port of musl's) instead of
//! the platform's C maths library.
//!
//! `f64::exp`, `ln` and `powf` call the C library's `exp`, `log` and `pow`,
//! whose last bit differs between glibc versions, musl, macOS and CPUs (glibc
//! picks FMA code paths at run time). A run's numbers feed comparisons (is
//! war worth more than going on?), so one different bit can change an
//! outcome, and shards computed on a mixed cluster would not merge into the
//! bytes one machine writes. Every transcendental call of the library goes
//! through this module; `sqrt`, `powi`, `floor` and the arithmetic operators
//! are exactly rounded by IEEE 754 (or by Rust's own compiler-builtins) and
//! need no wrapper. The test `no_platform_maths_outside_fmath` keeps it so.
//!
//! The normal and beta variates are the algorithms of `rand_distr` 0.5 (its
//! ziggurat, and Cheng's BB and BC), drawing the same random numbers in the
//! same order, with their logarithms and exponentials from here: `rand_distr`
//! takes its maths from `num-traits`, which switches to the platform's as soon
//! as any crate in the build enables `num-traits/std`. Tests check that both
//! give the same values.

use rand::Rng;

/// `e^x`.
#[inline]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// The natural logarithm.
#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// `x^y`.
#[inline]
pub fn powf(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// `x` rounded to the nearest whole number, halves away from zero: the
/// bits of `f64::round`, which without SSE4.1 is a call into a library
/// routine. Below 2^52 in magnitude the cast truncates and `x - t` is
/// exact (`t` has `x`'s integer part), so the comparison with one half is
/// too; the sign is put back so that `-0.3` gives `-0.0`. Larger values,
/// infinities and NaN are already whole (or not numbers) and go to
/// `f64::round`.
#[inline]
pub fn round(x: f64) -> f64 {
    if x.abs() >= 4_503_599_627_370_496.0 || x.is_nan() {
        return x.round();
    }
    let t = (x as i64) as f64;
    let r = x - t;
    let whole = if r >= 0.5 {
        t + 1.0
    } else if r <= -0.5 {
        t - 1.0
    } else {
        t
    };
    whole.copysign(x)
}

/// A uniform variate in the open interval (0, 1), as `rand`'s `Open01`.
#[inline]
fn open01<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    rng.sample(rand::distr::Open01)
}

/// A float in `[2^e, 2^(e+1))` from the 52 low bits of `mantissa`.
#[inline]
fn float_with_exponent(mantissa: u64, e: u64) -> f64 {
    f64::from_bits(((1023 + e) << 52) | (mantissa & ((1 << 52) - 1)))
}

mod ziggurat;
use ziggurat::{ZIG_NORM_F, ZIG_NORM_X};

/// The ziggurat's rightmost box edge for the standard normal (Doornik 2005).
#[allow(clippy::excessive_precision)]
const ZIG_NORM_R: f64 = 3.654152885361008796;

/// A standard normal variate: `rand_distr`'s ziggurat (Marsaglia and Tsang
/// 2000, with Doornik's 2005 corrections).
pub fn standard_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    let (zx, zf) = (&ZIG_NORM_X, &ZIG_NORM_F);
    loop {
        let bits = rng.next_u64();
        let i = (bits & 0xff) as usize;
        // [2, 4) less 3: [-1, 1).
        let u = float_with_exponent(bits >> 12, 1) - 3.0;
        let x = u * zx[i];
        if x.abs() < zx[i + 1] {
            return x;
        }
        if i == 0 {
            // The tail beyond R, by Marsaglia's method.
            let mut tx = 1.0f64;
            let mut ty = 0.0f64;
            while -2.0 * ty < tx * tx {
                let a = open01(rng);
                let b = open01(rng);
                tx = ln(a) / ZIG_NORM_R;
                ty = ln(b);
            }
            return if u < 0.0 {
                tx - ZIG_NORM_R
            } else {
                ZIG_NORM_R - tx
            };
        }
        if zf[i + 1] + (zf[i] - zf[i + 1]) * rng.random::<f64>() < exp(-x * x / 2.0) {
            return x;
        }
    }
}

/// The beta distribution, by Cheng's (1978) algorithms BB (both shapes above
/// one) and BC (otherwise), as `rand_distr` 0.5 implements them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Beta {
    a: f64,
    b: f64,
    switched: bool,
    algorithm: BetaAlgorithm,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum BetaAlgorithm {
    Bb {
        alpha: f64,
        beta: f64,
        gamma: f64,
    },
    Bc {
        alpha: f64,
        beta: f64,
        kappa1: f64,
        kappa2: f64,
    },
}

impl Beta {
    /// Beta(`alpha`, `beta`); `None` unless both shapes are positive.
    pub fn new(alpha: f64, beta: f64) -> Option<Beta> {
        if !(alpha > 0.0 && beta > 0.0) {
            return None;
        }
        let (a, b, switched) = if alpha < beta {
            (alpha, beta, false)
        } else {
            (beta, alpha, true)
        };
        if a > 1.0 {
            let alpha = a + b;
            let beta = ((alpha - 2.0) / (2.0 * a * b - alpha)).sqrt();
            let gamma = a + 1.0 / beta;
            Some(Beta {
                a,
                b,
                switched,
                algorithm: BetaAlgorithm::Bb { alpha, beta, gamma },
            })
        } else {
            // Here `a` is the larger shape.
            let (a, b, switched) = (b, a, !switched);
            let alpha = a + b;
            let beta = 1.0 / b;
            let delta = 1.0 + a - b;
            let kappa1 = delta * (1. / 18. / 4. + 3. / 18. / 4. * b) / (a * beta - 14. / 18.);
            let kappa2 = 0.25 + (0.5 + 0.25 / delta) * b;
            Some(Beta {
                a,
                b,
                switched,
                algorithm: BetaAlgorithm::Bc {
                    alpha,
                    beta,
                    kappa1,
                    kappa2,
                },
            })
        }
    }

    /// Draws a value in [0, 1].
    // `!(x < t)` as rand_distr writes it: a NaN takes the same branch.
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let ln4 = ln(4.0);
        let w;
        match self.algorithm {
            BetaAlgorithm::Bb { alpha, beta, gamma } => loop {
                let u1 = open01(rng);
                let u2 = open01(rng);
                let v = beta * ln(u1 / (1.0 - u1));
                let wv = self.a * exp(v);
                let z = u1 * u1 * u2;
                let r = gamma * v - ln4;
                let s = self.a + r - wv;
                if s + 1.0 + ln(5.0) >= 5.0 * z {
                    w = wv;
                    break;
                }
                let t = ln(z);
                if s >= t {
                    w = wv;
                    break;
                }
                if !(r + alpha * ln(alpha / (self.b + wv)) < t) {
                    w = wv;
                    break;
                }
            },
            BetaAlgorithm::Bc {
                alpha,
                beta,
                kappa1,
                kappa2,
            } => loop {
                let z;
                let u1 = open01(rng);
                let u2 = open01(rng);
                if u1 < 0.5 {
                    let y = u1 * u2;
                    z = u1 * y;
                    if 0.25 * u2 + z - y >= kappa1 {
                        continue;
                    }
                } else {
                    z = u1 * u1 * u2;
                    if z <= 0.25 {
                        let v = beta * ln(u1 / (1.0 - u1));
                        w = self.a * exp(v);
                        break;
                    }
                    if z >= kappa2 {
                        continue;
                    }
                }
                let v = beta * ln(u1 / (1.0 - u1));
                let wv = self.a * exp(v);
                if !(alpha * (ln(alpha / (self.b + wv)) + v) - ln4 < ln(z)) {
                    w = wv;
                    break;
                }
            },
        }
        if !self.switched {
            if w == f64::INFINITY {
                return 1.0;
            }
            w / (self.b + w)
        } else {
            self.b / (self.b + w)
        }
    }
}

/// A triangular variate on `[lo, hi]` with mode `mode` (inversion, as
/// `rand_distr` 0.5); `None` unless `lo <= mode <= hi`.
// Negated comparisons, as rand_distr writes them, refuse NaN bounds.
#[allow(clippy::neg_cmp_op_on_partial_ord, clippy::nonminimal_bool)]
pub fn triangular<R: Rng + ?Sized>(rng: &mut R, lo: f64, mode: f64, hi: f64) -> Option<f64> {
    if !(hi >= lo) || !(mode >= lo && hi >= mode) {
        return None;
    }
    let f: f64 = rng.random();
    let below = mode - lo;
    let range = hi - lo;
    let fr = f * range;
    Some(if fr < below {
        lo + (fr * below).sqrt()
    } else {
        hi - ((range - fr) * (hi - mode)).sqrt()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// `round` gives `f64::round`'s bits: halves, their neighbours, signed
    /// zeros, the 2^52 boundary, huge values, infinities, NaN and a million
    /// random values over many scales.
    #[test]
    fn round_gives_the_bits_of_f64_round() {
        let mut xs = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            -2.5,
            0.49999999999999994,
            -0.49999999999999994,
            4_503_599_627_370_495.5,
            -4_503_599_627_370_495.5,
            4_503_599_627_370_496.0,
            9_007_199_254_740_993.0,
            1e300,
            -1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            f64::MAX,
            f64::MIN,
        ];
        for k in -60..60 {
            let h = f64::from(k) + 0.5;
            xs.extend([h, h.next_up(), h.next_down()]);
        }
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..1_000_000 {
            let scale = 10f64.powi(rng.random_range(-3..17));
            xs.push((rng.random::<f64>() - 0.5) * scale);
        }
        for x in xs {
            assert_eq!(round(x).to_bits(), x.round().to_bits(), "{x:e}");
        }
        assert!(round(f64::NAN).is_nan());
    }
    use rand_distr::Distribution;

    /// Units in the last place between two floats of the same sign.
    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    /// The same algorithm as `rand_distr`'s, drawing the same random numbers:
    /// equal values, but for the last bits that the maths library sets
    /// (`rand_distr`'s comes from the platform in this build).
    #[test]
    fn normal_variates_are_rand_distrs() {
        let mut a = ChaCha8Rng::seed_from_u64(7);
        let mut b = ChaCha8Rng::seed_from_u64(7);
        let mut exact = 0;
        for k in 0..1_000_000 {
            let ours = standard_normal(&mut a);
            let theirs: f64 = rand_distr::StandardNormal.sample(&mut b);
            assert!(ulps(ours, theirs) <= 4, "draw {k}: {ours} vs {theirs}");
            exact += u32::from(ours == theirs);
        }
        // The fast path (no exp or ln) is exact; the wedges and tails are rare.
        assert!(exact > 980_000, "{exact}");
    }

    #[test]
    fn beta_variates_are_rand_distrs() {
        for (alpha, beta) in [
            (2.0, 5.0),
            (5.0, 2.0),
            (0.5, 0.5),
            (0.3, 3.0),
            (3.0, 0.7),
            (1.0, 1.0),
        ] {
            let ours = Beta::new(alpha, beta).unwrap();
            let theirs = rand_distr::Beta::new(alpha, beta).unwrap();
            let mut a = ChaCha8Rng::seed_from_u64(11);
            let mut b = ChaCha8Rng::seed_from_u64(11);
            for k in 0..100_000 {
                let x = ours.sample(&mut a);
                let y: f64 = theirs.sample(&mut b);
                assert!(
                    (x - y).abs() <= 1e-13 * x.abs().max(1e-300),
                    "Beta({alpha}, {beta}) draw {k}: {x} vs {y}"
                );
            }
        }
        assert!(Beta::new(0.0, 1.0).is_none() && Beta::new(1.0, f64::NAN).is_none());
    }

    /// Pinned values: the same on every machine, whatever its C library.
    #[test]
    fn values_are_pinned_bit_for_bit() {
        assert_eq!(exp(0.5).to_bits(), 0x3ffa_6129_8e1e_069c);
        // glibc 2.36 rounds this one the other way (0x...030b).
        assert_eq!(ln(3.0).to_bits(), 0x3ff1_93ea_7aad_030a);
        assert_eq!(powf(0.97, 12.25).to_bits(), 0x3fe6_08d6_bb22_d021);
        let mut rng = ChaCha8Rng::seed_from_u64(2022);
        let draws: Vec<u64> = (0..4)
            .map(|_| standard_normal(&mut rng).to_bits())
            .collect();
        assert_eq!(
            draws,
            [
                0x3fd0_968a_d59c_ad3a,
                0x3ff8_a0a5_794d_2191,
                0xc004_4a7e_6f73_9e3e,
                0xbfd6_e8c0_7918_e4b9
            ]
        );
    }

    #[test]
    fn triangular_variates_equal_rand_distrs() {
        let theirs = rand_distr::Triangular::new(0.1, 0.9, 0.3).unwrap();
        let mut a = ChaCha8Rng::seed_from_u64(3);
        let mut b = ChaCha8Rng::seed_from_u64(3);
        for _ in 0..10_000 {
            let x = triangular(&mut a, 0.1, 0.3, 0.9).unwrap();
            let y: f64 = theirs.sample(&mut b);
            assert_eq!(x.to_bits(), y.to_bits());
        }
        assert!(triangular(&mut a, 0.5, 0.2, 0.9).is_none());
    }

    #[test]
    fn functions_agree_with_the_platform_to_an_ulp() {
        for k in 1..2000 {
            let x = k as f64 / 97.0;
            assert!(ulps(exp(-x), (-x).exp()) <= 1, "exp {x}");
            assert!(ulps(ln(x), x.ln()) <= 1, "ln {x}");
            assert!(ulps(powf(0.97, x), 0.97f64.powf(x)) <= 1, "pow {x}");
        }
    }

    /// Every `exp`, `ln` and `powf` of the library is this module's: the
    /// source outside it calls none of the platform's transcendental
    /// functions (f64 methods), which would make bytes depend on the machine.
    #[test]
    fn no_platform_maths_outside_fmath() {
        let banned = [
            ".exp()",
            ".ln()",
            ".powf(",
            "f64::powf",
            "f64::exp",
            "f64::ln",
            ".log(",
            ".log2()",
            ".log10()",
            ".exp2()",
            ".exp_m1()",
            ".ln_1p()",
            ".sin()",
            ".cos()",
            ".tan()",
            ".atan",
            ".sinh()",
            ".cosh()",
            ".tanh()",
            ".cbrt()",
            ".hypot(",
        ];
        let mut bad = Vec::new();
        let mut stack = vec![std::path::PathBuf::from("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.ends_with("fmath.rs") || path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                // Unit tests may compare against anything.
                let code = text.split("#[cfg(test)]").next().unwrap_or("");
                for (n, line) in code.lines().enumerate() {
                    let line = line.split("//").next().unwrap_or("");
                    for b in banned {
                        if line.contains(b) {
                            bad.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                        }
                    }
                }
            }
        }
        assert!(
            bad.is_empty(),
            "use crate::fmath instead:\n{}",
            bad.join("\n")
        );
    }
}
