//! Small numerical helpers of the model: the normal CDF, golden-section
//! search, and the random variates the runs draw.

use rand::Rng;

/// Standard normal CDF via the complementary error function
/// (W. J. Cody's rational approximation as given in Numerical Recipes'
/// `erfcc`, relative error below 1.2e-7).
pub fn normal_cdf(z: f64) -> f64 {
    let x = -z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * x.abs());
    let y = t * crate::fmath::exp(
        -x * x - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))),
    );
    let erfc = if x >= 0.0 { y } else { 2.0 - y };
    0.5 * erfc
}

/// Golden-section maximisation of a unimodal `f` on `[a, b]`.
pub fn golden_max(mut a: f64, mut b: f64, iters: u32, mut f: impl FnMut(f64) -> f64) -> f64 {
    let g = 0.618_033_988_749_895;
    let mut c = b - g * (b - a);
    let mut d = a + g * (b - a);
    let (mut fc, mut fd) = (f(c), f(d));
    for _ in 0..iters {
        if fc >= fd {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = f(d);
        }
    }
    0.5 * (a + b)
}

/// An exponential variate with rate `rate` (inversion; `1 − U` lies in
/// `(0, 1]`, so the logarithm is finite).
pub fn exponential<R: Rng + ?Sized>(rng: &mut R, rate: f64) -> f64 {
    -crate::fmath::ln(1.0 - rng.random::<f64>()) / rate
}

/// A standard logistic variate, `ln(U / (1 − U))` with `U` strictly inside (0, 1).
pub fn logistic<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    let u = ((rng.random::<u64>() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    crate::fmath::ln(u / (1.0 - u))
}

/// Copies `src` into `dst` (of the same length), like
/// `dst.copy_from_slice(src)`, with the short lengths of an issue vector
/// moved inline rather than through a `memcpy` call (its call and its
/// dispatch on size cost more than the copy of a few values).
#[inline(always)]
pub(crate) fn copy_values(dst: &mut [f64], src: &[f64]) {
    /// A copy of a length known here: inline moves.
    #[inline(always)]
    fn fixed<const N: usize>(dst: &mut [f64], src: &[f64]) {
        match (<&mut [f64; N]>::try_from(dst), <&[f64; N]>::try_from(src)) {
            (Ok(d), Ok(s)) => *d = *s,
            _ => panic!("copy_values: lengths differ"),
        }
    }
    match src.len() {
        1 => fixed::<1>(dst, src),
        2 => fixed::<2>(dst, src),
        3 => fixed::<3>(dst, src),
        4 => fixed::<4>(dst, src),
        5 => fixed::<5>(dst, src),
        6 => fixed::<6>(dst, src),
        7 => fixed::<7>(dst, src),
        8 => fixed::<8>(dst, src),
        _ => dst.copy_from_slice(src),
    }
}

/// A standard normal variate (`rand_distr`'s ziggurat, see [`crate::fmath`]).
pub fn standard_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    crate::fmath::standard_normal(rng)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_cdf_matches_known_values() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.959_963_985) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(-1.0) - 0.158_655_254).abs() < 1e-6);
    }

    #[test]
    fn copy_values_copies_every_length_and_refuses_a_mismatch() {
        for n in 0..8 {
            let src: Vec<f64> = (0..n).map(|i| i as f64 + 0.5).collect();
            let mut dst = vec![f64::NAN; n];
            copy_values(&mut dst, &src);
            assert_eq!(dst, src, "length {n}");
        }
        let mismatch = std::panic::catch_unwind(|| {
            let mut dst = [0.0; 2];
            copy_values(&mut dst, &[1.0, 2.0, 3.0]);
        });
        assert!(mismatch.is_err(), "lengths that differ must panic");
    }

    #[test]
    fn golden_section_finds_a_parabola_top() {
        let x = golden_max(0.0, 1.0, 80, |x| -(x - 0.3) * (x - 0.3));
        assert!((x - 0.3).abs() < 1e-8);
    }
}
