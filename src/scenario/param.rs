//! Numeric parameters: a fixed number or a distribution drawn once per run.

use std::fmt;

use rand::Rng;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// A number, or a distribution that a run draws its number from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Param {
    /// Always this value.
    Fixed(f64),
    /// Uniform on `[lo, hi]`.
    Uniform {
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
    },
    /// Normal, optionally truncated to `[min, max]` (by rejection).
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
        /// Lower truncation bound.
        min: Option<f64>,
        /// Upper truncation bound.
        max: Option<f64>,
    },
    /// Triangular on `[lo, hi]` with mode `mode`.
    Triangular {
        /// Lower bound.
        lo: f64,
        /// Mode.
        mode: f64,
        /// Upper bound.
        hi: f64,
    },
    /// Beta(a, b), rescaled from `[0, 1]` to `[min, max]` (default `[0, 1]`).
    Beta {
        /// First shape parameter.
        a: f64,
        /// Second shape parameter.
        b: f64,
        /// Lower end of the support.
        min: f64,
        /// Upper end of the support.
        max: f64,
    },
}

impl Param {
    /// Whether the value is random.
    pub fn is_random(&self) -> bool {
        !matches!(self, Param::Fixed(_))
    }

    /// The smallest and largest value the parameter can take.
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Param::Fixed(v) => (v, v),
            Param::Uniform { lo, hi } => (lo, hi),
            Param::Normal { min, max, .. } => (
                min.unwrap_or(f64::NEG_INFINITY),
                max.unwrap_or(f64::INFINITY),
            ),
            Param::Triangular { lo, hi, .. } => (lo, hi),
            Param::Beta { min, max, .. } => (min, max),
        }
    }

    /// The expected value (for a truncated normal, the untruncated mean).
    pub fn mean(&self) -> f64 {
        match *self {
            Param::Fixed(v) => v,
            Param::Uniform { lo, hi } => 0.5 * (lo + hi),
            Param::Normal { mean, .. } => mean,
            Param::Triangular { lo, mode, hi } => (lo + mode + hi) / 3.0,
            Param::Beta { a, b, min, max } => min + (max - min) * a / (a + b),
        }
    }

    /// Problems with the distribution's own parameters (empty when fine).
    pub fn check(&self) -> Option<String> {
        let finite = |xs: &[f64]| xs.iter().all(|x| x.is_finite());
        match *self {
            Param::Fixed(v) if !v.is_finite() => Some(format!("{v} is not a finite number")),
            Param::Fixed(_) => None,
            Param::Uniform { lo, hi } if !finite(&[lo, hi]) || lo > hi => Some(format!(
                "uniform needs finite bounds with lo <= hi, got [{lo}, {hi}]"
            )),
            Param::Uniform { .. } => None,
            Param::Normal { mean, sd, min, max } => {
                if !finite(&[mean, sd]) || sd < 0.0 {
                    return Some(format!(
                        "normal needs a finite mean and a standard deviation >= 0, got [{mean}, {sd}]"
                    ));
                }
                let lo = min.unwrap_or(f64::NEG_INFINITY);
                let hi = max.unwrap_or(f64::INFINITY);
                if lo.is_nan() || hi.is_nan() || lo >= hi {
                    return Some(format!(
                        "normal needs min < max, got min = {lo}, max = {hi}"
                    ));
                }
                // Rejection sampling must not starve: the window must hold real mass.
                let z_lo = (lo - mean) / sd.max(1e-300);
                let z_hi = (hi - mean) / sd.max(1e-300);
                if sd == 0.0 && !(lo..=hi).contains(&mean) || z_lo > 3.0 || z_hi < -3.0 {
                    return Some(format!(
                        "normal with mean {mean} and sd {sd} has almost no mass inside [{lo}, {hi}]"
                    ));
                }
                None
            }
            Param::Triangular { lo, mode, hi } => {
                if !finite(&[lo, mode, hi]) || lo > mode || mode > hi || lo == hi {
                    Some(format!(
                        "triangular needs lo <= mode <= hi with lo < hi, got [{lo}, {mode}, {hi}]"
                    ))
                } else {
                    None
                }
            }
            Param::Beta { a, b, min, max } => {
                if !finite(&[a, b]) || a <= 0.0 || b <= 0.0 {
                    Some(format!("beta needs shape parameters > 0, got [{a}, {b}]"))
                } else if !finite(&[min, max]) || min >= max {
                    Some(format!(
                        "beta needs min < max, got min = {min}, max = {max}"
                    ))
                } else {
                    None
                }
            }
        }
    }

    /// Draws a value. Call only on a parameter that passed [`Param::check`].
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Param::Fixed(v) => v,
            Param::Uniform { lo, hi } => lo + (hi - lo) * rng.random::<f64>(),
            Param::Normal { mean, sd, min, max } => {
                let lo = min.unwrap_or(f64::NEG_INFINITY);
                let hi = max.unwrap_or(f64::INFINITY);
                if !sd.is_finite() {
                    return mean.clamp(lo, hi);
                }
                // Rejection; `check` guarantees the window holds mass, the
                // cap only guards against pathological input.
                for _ in 0..10_000 {
                    let x = mean + sd * crate::fmath::standard_normal(rng);
                    if (lo..=hi).contains(&x) {
                        return x;
                    }
                }
                mean.clamp(lo, hi)
            }
            Param::Triangular { lo, mode, hi } => {
                crate::fmath::triangular(rng, lo, mode, hi).unwrap_or(mode)
            }
            Param::Beta { a, b, min, max } => match crate::fmath::Beta::new(a, b) {
                Some(d) => min + (max - min) * d.sample(rng),
                None => min,
            },
        }
    }
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Param::Fixed(v) => write!(f, "{v}"),
            Param::Uniform { lo, hi } => write!(f, "{{ uniform = [{lo}, {hi}] }}"),
            Param::Normal { mean, sd, min, max } => {
                write!(f, "{{ normal = [{mean}, {sd}]")?;
                if let Some(m) = min {
                    write!(f, ", min = {m}")?;
                }
                if let Some(m) = max {
                    write!(f, ", max = {m}")?;
                }
                write!(f, " }}")
            }
            Param::Triangular { lo, mode, hi } => {
                write!(f, "{{ triangular = [{lo}, {mode}, {hi}] }}")
            }
            Param::Beta { a, b, min, max } => {
                write!(f, "{{ beta = [{a}, {b}], min = {min}, max = {max} }}")
            }
        }
    }
}

const DIST_KEYS: &[&str] = &["uniform", "normal", "triangular", "beta", "min", "max"];
const EXPECTING: &str =
    "a number or a distribution such as { uniform = [a, b] }, { normal = [mean, sd], min = .., max = .. }, { triangular = [lo, mode, hi] } or { beta = [a, b] }";

impl<'de> Deserialize<'de> for Param {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Param;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(EXPECTING)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Param, E> {
                Ok(Param::Fixed(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Param, E> {
                Ok(Param::Fixed(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Param, E> {
                Ok(Param::Fixed(v as f64))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Param, A::Error> {
                let mut shape: Option<(String, Vec<f64>)> = None;
                let mut min = None;
                let mut max = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "uniform" | "normal" | "triangular" | "beta" => {
                            if let Some((prev, _)) = &shape {
                                return Err(de::Error::custom(format!(
                                    "a distribution has one shape, found both `{prev}` and `{key}`"
                                )));
                            }
                            let args: Vec<f64> = map.next_value()?;
                            shape = Some((key, args));
                        }
                        "min" => min = Some(map.next_value::<f64>()?),
                        "max" => max = Some(map.next_value::<f64>()?),
                        other => return Err(de::Error::unknown_field(other, DIST_KEYS)),
                    }
                }
                let Some((name, args)) = shape else {
                    return Err(de::Error::custom(format!(
                        "a distribution table needs one of `uniform`, `normal`, `triangular`, `beta`; expected {EXPECTING}"
                    )));
                };
                let want = |n: usize| -> Result<(), A::Error> {
                    if args.len() == n {
                        Ok(())
                    } else {
                        Err(de::Error::custom(format!(
                            "`{name}` takes {n} numbers, got {}",
                            args.len()
                        )))
                    }
                };
                let bounds_only_for = |ok: bool| -> Result<(), A::Error> {
                    if !ok && (min.is_some() || max.is_some()) {
                        Err(de::Error::custom(format!(
                            "`min`/`max` apply to `normal` and `beta` only, not `{name}`"
                        )))
                    } else {
                        Ok(())
                    }
                };
                match name.as_str() {
                    "uniform" => {
                        want(2)?;
                        bounds_only_for(false)?;
                        Ok(Param::Uniform {
                            lo: args[0],
                            hi: args[1],
                        })
                    }
                    "normal" => {
                        want(2)?;
                        Ok(Param::Normal {
                            mean: args[0],
                            sd: args[1],
                            min,
                            max,
                        })
                    }
                    "triangular" => {
                        want(3)?;
                        bounds_only_for(false)?;
                        Ok(Param::Triangular {
                            lo: args[0],
                            mode: args[1],
                            hi: args[2],
                        })
                    }
                    _ => {
                        want(2)?;
                        Ok(Param::Beta {
                            a: args[0],
                            b: args[1],
                            min: min.unwrap_or(0.0),
                            max: max.unwrap_or(1.0),
                        })
                    }
                }
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[derive(Deserialize)]
    struct W {
        p: Param,
    }

    fn parse(s: &str) -> Result<Param, String> {
        toml::from_str::<W>(&format!("p = {s}"))
            .map(|w| w.p)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn parses_every_form() {
        assert_eq!(parse("3").unwrap(), Param::Fixed(3.0));
        assert_eq!(parse("0.5").unwrap(), Param::Fixed(0.5));
        assert_eq!(
            parse("{ uniform = [0.1, 0.2] }").unwrap(),
            Param::Uniform { lo: 0.1, hi: 0.2 }
        );
        assert_eq!(
            parse("{ normal = [0.5, 0.1], min = 0, max = 1 }").unwrap(),
            Param::Normal {
                mean: 0.5,
                sd: 0.1,
                min: Some(0.0),
                max: Some(1.0)
            }
        );
        assert!(matches!(
            parse("{ triangular = [0, 0.2, 1] }").unwrap(),
            Param::Triangular { .. }
        ));
        assert!(matches!(
            parse("{ beta = [2, 5] }").unwrap(),
            Param::Beta {
                min: 0.0,
                max: 1.0,
                ..
            }
        ));
    }

    #[test]
    fn rejects_bad_forms_clearly() {
        assert!(parse("{ unifrom = [0, 1] }")
            .unwrap_err()
            .contains("unknown field `unifrom`"));
        assert!(parse("{ uniform = [0, 1, 2] }")
            .unwrap_err()
            .contains("takes 2 numbers"));
        assert!(parse("\"high\"")
            .unwrap_err()
            .contains("a number or a distribution"));
        assert!(parse("{ uniform = [0, 1], min = 0 }")
            .unwrap_err()
            .contains("normal"));
    }

    #[test]
    fn checks_parameters() {
        assert!(Param::Uniform { lo: 1.0, hi: 0.0 }.check().is_some());
        assert!(Param::Fixed(f64::NAN).check().is_some());
        assert!(Param::Beta {
            a: 0.0,
            b: 1.0,
            min: 0.0,
            max: 1.0
        }
        .check()
        .is_some());
        assert!(Param::Triangular {
            lo: 0.0,
            mode: 2.0,
            hi: 1.0
        }
        .check()
        .is_some());
        let far = Param::Normal {
            mean: 10.0,
            sd: 0.1,
            min: Some(0.0),
            max: Some(1.0),
        };
        assert!(far.check().is_some());
        assert!(Param::Uniform { lo: 0.0, hi: 1.0 }.check().is_none());
    }

    #[test]
    fn samples_stay_in_support() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let ps = [
            Param::Uniform { lo: 0.2, hi: 0.4 },
            Param::Normal {
                mean: 0.5,
                sd: 0.5,
                min: Some(0.0),
                max: Some(1.0),
            },
            Param::Triangular {
                lo: 0.0,
                mode: 0.9,
                hi: 1.0,
            },
            Param::Beta {
                a: 2.0,
                b: 3.0,
                min: 10.0,
                max: 20.0,
            },
        ];
        for p in ps {
            let (lo, hi) = p.support();
            for _ in 0..1000 {
                let x = p.sample(&mut rng);
                assert!(x >= lo && x <= hi, "{p}: {x}");
            }
        }
    }
}
