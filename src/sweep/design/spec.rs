//! `--vary KEY=SPEC` factors: the [`Spec`] forms, their parsing and display.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::error::count_suffix;
use super::DesignError;

/// The values one factor takes.
///
/// Parse one with [`str::parse`] (see the [design module docs](super) for the forms). The
/// [`Display`](fmt::Display) form parses back to an equal `Spec`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Spec {
    /// The interval from `lo` to `hi`.
    ///
    /// With `n = Some(n)`, the `n` evenly spaced values from `lo` to `hi`, both
    /// included, which grid designs use. A range of positive width needs `n >= 2`;
    /// a range with `lo == hi` needs `n == 1`. With `n = None`, the whole interval,
    /// which `lhs` and `random` designs sample.
    Range {
        /// The lower bound (included).
        lo: f64,
        /// The upper bound (included in grids; see [`build_design`](super::build_design) for sampled designs).
        hi: f64,
        /// The number of evenly spaced values, for grid designs.
        n: Option<usize>,
    },
    /// Exactly these values, in this order (a single number is a one-element list).
    List(Vec<f64>),
}

impl Spec {
    /// Checks the invariants that parsing enforces: finite numbers, `lo <= hi`, a
    /// count of at least 2 (or exactly 1 when `lo == hi`), a non-empty list.
    ///
    /// # Errors
    ///
    /// The [`DesignError`] parsing the [`Display`](fmt::Display) form would give.
    pub fn validate(&self) -> Result<(), DesignError> {
        match *self {
            Spec::Range { lo, hi, n } => {
                for x in [lo, hi] {
                    if !x.is_finite() {
                        return Err(DesignError::NonFinite {
                            number: x.to_string(),
                            text: self.to_string(),
                        });
                    }
                }
                if lo > hi {
                    return Err(DesignError::Reversed { lo, hi, n });
                }
                match n {
                    Some(0) => Err(DesignError::ZeroCount { lo, hi }),
                    Some(1) if lo < hi => Err(DesignError::SingleValueRange { lo, hi }),
                    Some(n) if lo == hi && n > 1 => {
                        Err(DesignError::RepeatedValue { value: lo, n })
                    }
                    _ => Ok(()),
                }
            }
            Spec::List(ref values) => {
                if values.is_empty() {
                    return Err(DesignError::EmptyList {
                        text: self.to_string(),
                    });
                }
                match values.iter().find(|x| !x.is_finite()) {
                    Some(x) => Err(DesignError::NonFinite {
                        number: x.to_string(),
                        text: self.to_string(),
                    }),
                    None => Ok(()),
                }
            }
        }
    }

    /// The values a grid design uses: the evenly spaced values of a counted range
    /// (the first is exactly `lo`, the last exactly `hi`) or the list as given;
    /// `None` for a range without a count.
    pub fn levels(&self) -> Option<Vec<f64>> {
        match *self {
            Spec::Range { lo, hi, n: Some(n) } => Some(evenly_spaced(lo, hi, n)),
            Spec::Range { n: None, .. } => None,
            Spec::List(ref values) => Some(values.clone()),
        }
    }
}

/// `n` evenly spaced values from `lo` to `hi`, the ends exact.
pub(crate) fn evenly_spaced(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if n <= 1 {
        return vec![lo; n];
    }
    let last = n - 1;
    let step = (hi - lo) / last as f64;
    (0..n)
        .map(|i| if i == last { hi } else { lo + step * i as f64 })
        .collect()
}

impl fmt::Display for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Spec::Range { lo, hi, n } => write!(f, "{lo}..{hi}{}", count_suffix(*n)),
            Spec::List(values) => {
                f.write_str("[")?;
                for (i, x) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{x}")?;
                }
                f.write_str("]")
            }
        }
    }
}

impl FromStr for Spec {
    type Err = DesignError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_spec(s)
    }
}

/// Parses a spec: `LO..HI:N`, `LO..HI`, `[A, B, ...]` or a single number.
///
/// Surrounding whitespace and whitespace around the numbers is ignored.
///
/// # Errors
///
/// [`DesignError::BadSpec`], [`BadNumber`](DesignError::BadNumber),
/// [`BadCount`](DesignError::BadCount), [`NonFinite`](DesignError::NonFinite),
/// [`EmptyList`](DesignError::EmptyList) or any error of [`Spec::validate`].
pub fn parse_spec(s: &str) -> Result<Spec, DesignError> {
    let text = s.trim();
    let spec = if let Some(rest) = text.strip_prefix('[') {
        let inner = rest.strip_suffix(']').ok_or_else(|| DesignError::BadSpec {
            text: text.to_owned(),
        })?;
        if inner.trim().is_empty() {
            return Err(DesignError::EmptyList {
                text: text.to_owned(),
            });
        }
        let values = inner
            .split(',')
            .map(|item| {
                if item.trim().is_empty() {
                    Err(DesignError::BadSpec {
                        text: text.to_owned(),
                    })
                } else {
                    parse_number(item, text)
                }
            })
            .collect::<Result<Vec<f64>, _>>()?;
        Spec::List(values)
    } else if let Some((lo, rest)) = text.split_once("..") {
        let (hi, n) = match rest.split_once(':') {
            Some((hi, n)) => (hi, Some(parse_count(n, text)?)),
            None => (rest, None),
        };
        Spec::Range {
            lo: parse_number(lo, text)?,
            hi: parse_number(hi, text)?,
            n,
        }
    } else if text.is_empty() {
        return Err(DesignError::BadSpec {
            text: text.to_owned(),
        });
    } else {
        Spec::List(vec![parse_number(text, text)?])
    };
    spec.validate()?;
    Ok(spec)
}

fn parse_number(number: &str, text: &str) -> Result<f64, DesignError> {
    let number = number.trim();
    let x: f64 = number.parse().map_err(|_| DesignError::BadNumber {
        number: number.to_owned(),
        text: text.to_owned(),
    })?;
    if x.is_finite() {
        Ok(x)
    } else {
        Err(DesignError::NonFinite {
            number: number.to_owned(),
            text: text.to_owned(),
        })
    }
}

fn parse_count(count: &str, text: &str) -> Result<usize, DesignError> {
    let count = count.trim();
    count.parse().map_err(|_| DesignError::BadCount {
        count: count.to_owned(),
        text: text.to_owned(),
    })
}

/// One varied parameter: a scenario key and the values it takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// The scenario parameter path, e.g. `parties.russia.patience`.
    pub key: String,
    /// The values the parameter takes.
    pub spec: Spec,
}

impl FromStr for Factor {
    type Err = DesignError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_vary(s)
    }
}

/// Parses a `--vary` argument `KEY=SPEC`, e.g. `parties.russia.patience=0.80..0.98:16`.
///
/// The key must be non-empty and made of ASCII letters, digits, `_`, `.` and `-`;
/// whitespace around the key is ignored.
///
/// # Errors
///
/// [`DesignError::BadVary`] without `=`, [`DesignError::BadKey`] for a bad key, and
/// [`DesignError::InFactor`] wrapping the error of [`parse_spec`] for a bad spec.
pub fn parse_vary(s: &str) -> Result<Factor, DesignError> {
    let (key, spec) = s
        .split_once('=')
        .ok_or_else(|| DesignError::BadVary { text: s.to_owned() })?;
    let key = key.trim();
    validate_key(key)?;
    let spec = parse_spec(spec).map_err(|e| DesignError::InFactor {
        key: key.to_owned(),
        kind: Box::new(e),
    })?;
    Ok(Factor {
        key: key.to_owned(),
        spec,
    })
}

pub(crate) fn validate_key(key: &str) -> Result<(), DesignError> {
    let ok = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(DesignError::BadKey {
            key: key.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn factor(s: &str) -> Factor {
        parse_vary(s).expect("test factor parses")
    }

    fn err(s: &str) -> DesignError {
        parse_spec(s).expect_err("spec should not parse")
    }

    #[test]
    fn evenly_spaced_values_include_both_ends_exactly() {
        let spec = parse_spec("0.2..0.9:8").unwrap();
        assert_eq!(
            spec,
            Spec::Range {
                lo: 0.2,
                hi: 0.9,
                n: Some(8)
            }
        );
        let v = spec.levels().unwrap();
        assert_eq!(v.len(), 8);
        assert_eq!(v[0], 0.2);
        assert_eq!(v[7], 0.9);
        for w in v.windows(2) {
            assert!((w[1] - w[0] - 0.1).abs() < 1e-12);
        }
        let v = parse_spec("0.80..0.98:16").unwrap().levels().unwrap();
        assert_eq!((v[0], v[15]), (0.80, 0.98));
        assert_eq!(parse_spec("0.5..0.5:1").unwrap().levels().unwrap(), [0.5]);
        assert_eq!(parse_spec("0.2..0.9").unwrap().levels(), None);
    }

    #[test]
    fn parses_every_form() {
        assert_eq!(
            parse_spec(" [0.1, 0.3 ,0.5] ").unwrap(),
            Spec::List(vec![0.1, 0.3, 0.5])
        );
        assert_eq!(parse_spec("0.5").unwrap(), Spec::List(vec![0.5]));
        assert_eq!(parse_spec("[-1e-3]").unwrap(), Spec::List(vec![-0.001]));
        assert_eq!(
            parse_spec("-1..1").unwrap(),
            Spec::Range {
                lo: -1.0,
                hi: 1.0,
                n: None
            }
        );
        assert_eq!(
            parse_spec("1 .. 2 : 3").unwrap(),
            Spec::Range {
                lo: 1.0,
                hi: 2.0,
                n: Some(3)
            }
        );
        let f = factor("parties.russia.patience=0.80..0.98:16");
        assert_eq!(f.key, "parties.russia.patience");
        assert_eq!("k_1-x.y=2".parse::<Factor>().unwrap().key, "k_1-x.y");
    }

    #[test]
    fn reversed_range_says_how_to_fix_it() {
        let e = err("0.9..0.2:3");
        assert_eq!(
            e,
            DesignError::Reversed {
                lo: 0.9,
                hi: 0.2,
                n: Some(3)
            }
        );
        assert_eq!(
            e.to_string(),
            "lower bound 0.9 is above upper bound 0.2; write 0.2..0.9:3"
        );
        assert_eq!(
            err("0.9..0.2").to_string(),
            "lower bound 0.9 is above upper bound 0.2; write 0.2..0.9"
        );
    }

    #[test]
    fn count_errors() {
        let e = err("0.2..0.9:0");
        assert_eq!(e, DesignError::ZeroCount { lo: 0.2, hi: 0.9 });
        assert!(e.to_string().contains("e.g. 0.2..0.9:8"), "{e}");
        assert_eq!(
            err("0.2..0.9:1"),
            DesignError::SingleValueRange { lo: 0.2, hi: 0.9 }
        );
        assert_eq!(
            err("0.5..0.5:3"),
            DesignError::RepeatedValue { value: 0.5, n: 3 }
        );
        assert!(matches!(err("0.2..0.9:x"), DesignError::BadCount { .. }));
        assert!(matches!(err("0.2..0.9:-2"), DesignError::BadCount { .. }));
        assert!(matches!(err("0.2..0.9:"), DesignError::BadCount { .. }));
    }

    #[test]
    fn non_finite_numbers_are_refused() {
        for s in ["NaN", "inf", "0..inf:3", "[1, -inf]", "nan..1"] {
            assert!(
                matches!(err(s), DesignError::NonFinite { .. }),
                "{s}: {:?}",
                err(s)
            );
        }
        assert!(err("0..inf:3").to_string().contains("not a finite number"));
        let bad = Spec::Range {
            lo: f64::NAN,
            hi: 1.0,
            n: None,
        };
        assert!(matches!(bad.validate(), Err(DesignError::NonFinite { .. })));
    }

    #[test]
    fn empty_and_unparseable_text() {
        assert!(matches!(err("[]"), DesignError::EmptyList { .. }));
        assert!(matches!(err("[ ]"), DesignError::EmptyList { .. }));
        assert!(err("[]").to_string().contains("e.g. [0.1, 0.3, 0.5]"));
        assert!(matches!(err(""), DesignError::BadSpec { .. }));
        assert!(matches!(err("[1, 2"), DesignError::BadSpec { .. }));
        assert!(matches!(err("[1,,2]"), DesignError::BadSpec { .. }));
        assert!(matches!(err("abc"), DesignError::BadNumber { .. }));
        assert!(matches!(err("0.2..x:3"), DesignError::BadNumber { .. }));
        assert!(matches!(err("0.1...0.3"), DesignError::BadNumber { .. }));
        let msg = err("[1, two]").to_string();
        assert!(msg.contains("'two'") && msg.contains("0.25"), "{msg}");
    }

    #[test]
    fn vary_errors() {
        assert_eq!(
            parse_vary("patience"),
            Err(DesignError::BadVary {
                text: "patience".into()
            })
        );
        assert!(matches!(
            parse_vary("=0.5"),
            Err(DesignError::BadKey { .. })
        ));
        assert!(matches!(
            parse_vary("a b=0.5"),
            Err(DesignError::BadKey { .. })
        ));
        assert!(matches!(
            parse_vary("ä=0.5"),
            Err(DesignError::BadKey { .. })
        ));
        let e = parse_vary("x=0.9..0.2:3").unwrap_err();
        assert_eq!(
            e.to_string(),
            "--vary x: lower bound 0.9 is above upper bound 0.2; write 0.2..0.9:3"
        );
    }

    proptest! {
        #[test]
        fn display_parses_back(
            lo in -1e6f64..1e6,
            width in 0.0f64..1e6,
            n in 2usize..100,
            list in prop::collection::vec(-1e9f64..1e9, 1..6),
        ) {
            let specs = [
                Spec::Range { lo, hi: lo + width, n: None },
                Spec::List(list),
            ];
            for spec in specs {
                prop_assert_eq!(parse_spec(&spec.to_string()), Ok(spec.clone()));
            }
            if lo + width > lo {
                let spec = Spec::Range { lo, hi: lo + width, n: Some(n) };
                prop_assert_eq!(parse_spec(&spec.to_string()), Ok(spec.clone()));
                let v = spec.levels().unwrap_or_default();
                prop_assert_eq!(v.len(), n);
                prop_assert_eq!(v[0], lo);
                prop_assert_eq!(v[n - 1], lo + width);
            }
        }
    }
}
