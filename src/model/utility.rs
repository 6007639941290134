//! Utilities over settlements, and red lines.
//!
//! A party's utility is the salience-weighted closeness of each issue to its
//! stated position: `U(x) = Σ_i w_i v(x_i, c_i)` with `v = 1 - |x - c|`
//! (linear) or `v = 1 - (x - c)^2` (quadratic) and `Σ_i w_i = 1`. Both are
//! concave and separable, which is what makes the efficient offers of
//! [`super::frontier`] computable issue by issue.

/// Per-issue utility shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `1 - |x - c|`.
    Linear,
    /// `1 - (x - c)^2`.
    Quadratic,
}

impl Shape {
    /// Closeness of `x` to the ideal `c`, in `[0, 1]`.
    #[inline]
    pub fn value(self, x: f64, c: f64) -> f64 {
        let d = x - c;
        match self {
            Shape::Linear => 1.0 - d.abs(),
            Shape::Quadratic => 1.0 - d * d,
        }
    }
}

/// `Σ_i w_i v(x_i, c_i)`: a party's utility of the settlement `x`, given its
/// weights `w` and positions `c`.
#[inline]
pub fn utility(shape: Shape, w: &[f64], c: &[f64], x: &[f64]) -> f64 {
    let mut u = 0.0;
    for ((&xi, &wi), &ci) in x.iter().zip(w).zip(c) {
        if wi != 0.0 {
            u += wi * shape.value(xi, ci);
        }
    }
    u
}

/// One weighted term of a utility: issue `i`, weight `w`, ideal `c`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Term {
    pub i: usize,
    pub w: f64,
    pub c: f64,
}

/// `Σ w v(x_i, c)` over `terms`, in order: the same sum as [`utility`] over
/// the full vectors when `terms` lists, in issue order, exactly the issues
/// whose weight is not zero (the terms it skips).
#[inline]
pub(crate) fn utility_of_terms(shape: Shape, terms: &[Term], x: &[f64]) -> f64 {
    utility_of_terms_at(shape, terms, |i| x[i])
}

/// The same sum with the settlement given issue by issue (`x(i)`), so that
/// a derived settlement need not be written out first.
#[inline]
pub(crate) fn utility_of_terms_at(shape: Shape, terms: &[Term], x: impl Fn(usize) -> f64) -> f64 {
    let mut u = 0.0;
    match shape {
        Shape::Linear => {
            for t in terms {
                u += t.w * Shape::Linear.value(x(t.i), t.c);
            }
        }
        Shape::Quadratic => {
            for t in terms {
                u += t.w * Shape::Quadratic.value(x(t.i), t.c);
            }
        }
    }
    u
}

/// One party's preferences, as slices over all issues.
#[derive(Debug, Clone, Copy)]
pub struct Prefs<'a> {
    /// Stated positions (ideal points).
    pub pos: &'a [f64],
    /// Normalised saliences (sum to 1 over positioned issues, 0 elsewhere).
    pub w: &'a [f64],
    /// Lowest acceptable value per issue (red line).
    pub lo: &'a [f64],
    /// Highest acceptable value per issue (red line).
    pub hi: &'a [f64],
    /// Utility shape.
    pub shape: Shape,
}

impl Prefs<'_> {
    /// Utility of a full settlement vector.
    #[inline]
    pub fn utility(&self, x: &[f64]) -> f64 {
        utility(self.shape, self.w, self.pos, x)
    }

    /// Whether every agenda value respects the red lines.
    #[inline]
    pub fn acceptable(&self, x: &[f64], agenda: &[usize]) -> bool {
        within_lines(self.lo, self.hi, x, agenda)
    }
}

/// Whether every agenda value of `x` lies within the red lines `[lo, hi]`
/// (to 1e-12).
#[inline]
pub(crate) fn within_lines(lo: &[f64], hi: &[f64], x: &[f64], agenda: &[usize]) -> bool {
    agenda
        .iter()
        .all(|&i| x[i] >= lo[i] - 1e-12 && x[i] <= hi[i] + 1e-12)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_by_hand() {
        assert_eq!(Shape::Linear.value(0.25, 1.0), 0.25);
        assert_eq!(Shape::Quadratic.value(0.5, 1.0), 0.75);
        let u = utility(
            Shape::Linear,
            &[0.75, 0.25, 0.0],
            &[1.0, 0.0, 0.5],
            &[0.5, 0.5, 0.0],
        );
        assert!((u - (0.75 * 0.5 + 0.25 * 0.5)).abs() < 1e-15);
    }

    #[test]
    fn terms_give_the_bits_of_the_full_sum() {
        let (w, c) = ([0.3, 0.0, 0.45, 0.25], [0.9, 0.5, 0.1, 0.35]);
        let terms: Vec<Term> = (0..4)
            .filter(|&i| w[i] != 0.0)
            .map(|i| Term {
                i,
                w: w[i],
                c: c[i],
            })
            .collect();
        for shape in [Shape::Linear, Shape::Quadratic] {
            for x in [[0.2, 0.7, 0.05, 1.0], [1.0, 0.0, 0.33, 0.61]] {
                assert_eq!(
                    utility(shape, &w, &c, &x).to_bits(),
                    utility_of_terms(shape, &terms, &x).to_bits()
                );
            }
        }
    }

    #[test]
    fn red_lines_bound_the_acceptable_set() {
        let p = Prefs {
            pos: &[1.0, 0.0],
            w: &[0.5, 0.5],
            lo: &[0.4, 0.0],
            hi: &[1.0, 0.3],
            shape: Shape::Linear,
        };
        assert!(p.acceptable(&[0.4, 0.3], &[0, 1]));
        assert!(!p.acceptable(&[0.39, 0.3], &[0, 1]));
        assert!(!p.acceptable(&[0.5, 0.31], &[0, 1]));
        assert!(
            p.acceptable(&[0.5, 0.9], &[0]),
            "off the agenda, issue 1 is not checked"
        );
    }
}
