//! Sobol' variance-based indices from a Saltelli design.
//!
//! For `Y = f(X)` with independent inputs, the first-order index of input
//! `i` is the share of `Var(Y)` explained by `X_i` alone,
//! `S_i = Var(E[Y | X_i]) / Var(Y)`, and its total index the share left
//! unexplained when every other input is known,
//! `S_Ti = E[Var(Y | X_~i)] / Var(Y)` (Sobol' 1993, 2001; Homma & Saltelli
//! 1996). `S_Ti - S_i` measures the interactions `X_i` takes part in.
//!
//! From the outputs `f(A)`, `f(B)`, `f(AB^(i))` (and `f(BA^(i))`) of `N`
//! base blocks of a Saltelli design (see `sweep::design::saltelli`):
//!
//! - `S_i = mean(f(B) (f(AB^(i)) - f(A))) / V` (Saltelli et al. 2010, Table 2, b);
//! - `S_Ti = mean((f(A) - f(AB^(i)))^2) / (2V)` (Jansen 1999; Saltelli et al. 2010, f);
//! - `S_ij = mean(f(BA^(i)) f(AB^(j)) - f(A) f(B)) / V - S_i - S_j`
//!   (Saltelli 2002), with `--second-order`;
//!
//! where `V` is the variance (divisor `n`) of the `2N` values `f(A)`, `f(B)`.
//! As SALib does, the outputs are first centred on their mean over the whole
//! design, which leaves `S_Ti` unchanged and lowers the variance of `S_i`;
//! so the point estimates are SALib's `sobol.analyze` on the same design.
//! Intervals: 95% percentile bootstrap over the base blocks.

use rand::Rng;

use super::bootstrap::{resample, Interval};
use super::data::Dataset;
use crate::error::{Error, Result};
use crate::sweep::design::saltelli::block_len;
use crate::sweep::design::DesignKind;

/// The indices of one input.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolIndex {
    /// The input.
    pub parameter: String,
    /// First-order index `S_i`.
    pub first: Interval,
    /// Total index `S_Ti`.
    pub total: Interval,
}

/// A second-order index `S_ij`.
#[derive(Debug, Clone, PartialEq)]
pub struct SecondOrder {
    /// Input `i`.
    pub parameter: String,
    /// Input `j`.
    pub other: String,
    /// `S_ij`.
    pub index: Interval,
}

/// A Sobol' analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolResult {
    /// Base blocks `N`.
    pub base_points: usize,
    /// Variance of the output over `A` and `B`.
    pub variance: f64,
    /// One entry per input, in input order.
    pub indices: Vec<SobolIndex>,
    /// `S_ij` for `i < j`, if asked for.
    pub second_order: Vec<SecondOrder>,
}

/// Whether `data` is a Saltelli design with (`true`) or without second-order
/// rows, checked row by row; `hint` (from the sidecar) decides if both fit.
///
/// # Errors
///
/// An input error naming the first row that breaks the layout.
pub fn layout(data: &Dataset, hint: Option<bool>) -> Result<bool> {
    let k = data.inputs.len();
    let n = data.x.len();
    let candidates: Vec<bool> = match hint {
        Some(h) => vec![h, !h],
        None => vec![false, true],
    };
    let mut why = String::new();
    for second in candidates {
        let len = block_len(k, second);
        if !n.is_multiple_of(len) || n / len < 2 {
            why = format!(
                "{n} points is not a whole number of at least 2 blocks of {len} (k + 2) or {} \
                 (2k + 2) points",
                block_len(k, true)
            );
            continue;
        }
        match check_blocks(&data.x, k, second) {
            Ok(()) => return Ok(second),
            Err(e) => why = e,
        }
    }
    Err(Error::usage(format!(
        "{}: not a Saltelli design ({why}); run one with negsim sweep --design sobol, or \
         give blocks A, AB_1..AB_k, [BA_1..BA_k,] B as SALib's sobol.sample writes them",
        data.file
    )))
}

fn check_blocks(x: &[Vec<f64>], k: usize, second: bool) -> std::result::Result<(), String> {
    let len = block_len(k, second);
    for (j, block) in x.chunks(len).enumerate() {
        let (a, b) = (&block[0], &block[len - 1]);
        let rows = (0..k).map(|i| (1 + i, i, a, b));
        let back = (0..k).map(|i| (1 + k + i, i, b, a));
        let all: Vec<_> = if second {
            rows.chain(back).collect()
        } else {
            rows.collect()
        };
        for (r, i, base, from) in all {
            let ok = (0..k).all(|c| block[r][c] == if c == i { from[c] } else { base[c] });
            if !ok {
                return Err(format!(
                    "point {} should be point {} with input {} of point {}",
                    j * len + r,
                    j * len + if base == a { 0 } else { len - 1 },
                    i + 1,
                    j * len + if from == b { len - 1 } else { 0 }
                ));
            }
        }
    }
    Ok(())
}

/// Outputs of the blocks, centred.
struct Blocks {
    a: Vec<f64>,
    b: Vec<f64>,
    ab: Vec<Vec<f64>>,
    ba: Vec<Vec<f64>>,
}

impl Blocks {
    fn new(y: &[f64], k: usize, second: bool) -> Blocks {
        let len = block_len(k, second);
        let mean = y.iter().sum::<f64>() / y.len() as f64;
        let c = |v: f64| v - mean;
        let n = y.len() / len;
        let at = |j: usize, r: usize| c(y[j * len + r]);
        Blocks {
            a: (0..n).map(|j| at(j, 0)).collect(),
            b: (0..n).map(|j| at(j, len - 1)).collect(),
            ab: (0..k)
                .map(|i| (0..n).map(|j| at(j, 1 + i)).collect())
                .collect(),
            ba: if second {
                (0..k)
                    .map(|i| (0..n).map(|j| at(j, 1 + k + i)).collect())
                    .collect()
            } else {
                Vec::new()
            },
        }
    }

    /// `(V, S_i, S_Ti, S_ij)` over the base blocks `rows`.
    fn estimate(&self, rows: &[usize], second: bool) -> (f64, Vec<f64>, Vec<f64>, Vec<f64>) {
        let n = rows.len() as f64;
        let k = self.ab.len();
        let (mut s, mut s2) = (0.0, 0.0);
        for &j in rows {
            for v in [self.a[j], self.b[j]] {
                s += v;
                s2 += v * v;
            }
        }
        let m = s / (2.0 * n);
        let var = s2 / (2.0 * n) - m * m;
        let first: Vec<f64> = (0..k)
            .map(|i| {
                rows.iter()
                    .map(|&j| self.b[j] * (self.ab[i][j] - self.a[j]))
                    .sum::<f64>()
                    / n
                    / var
            })
            .collect();
        let total = (0..k)
            .map(|i| {
                rows.iter()
                    .map(|&j| (self.a[j] - self.ab[i][j]).powi(2))
                    .sum::<f64>()
                    / (2.0 * n)
                    / var
            })
            .collect();
        let mut pairs = Vec::new();
        if second {
            for i in 0..k {
                for l in i + 1..k {
                    let v = rows
                        .iter()
                        .map(|&j| self.ba[i][j] * self.ab[l][j] - self.a[j] * self.b[j])
                        .sum::<f64>()
                        / n
                        / var;
                    pairs.push(v - first[i] - first[l]);
                }
            }
        }
        (var, first, total, pairs)
    }
}

/// First-order and total indices (and second-order ones with
/// `second_order`) of a Saltelli design, with intervals from `resamples`
/// bootstrap resamples of the base blocks.
///
/// # Errors
///
/// As [`layout`]; an input error when second-order indices are asked of a
/// design without their rows, or when the output does not vary.
pub fn analyze(
    data: &Dataset,
    second_order: bool,
    resamples: usize,
    rng: &mut impl Rng,
) -> Result<SobolResult> {
    let hint =
        (data.kind == Some(DesignKind::Sobol)).then_some(data.options.second_order == Some(true));
    let has_second = layout(data, hint)?;
    if second_order && !has_second {
        return Err(Error::usage(format!(
            "{}: second-order indices need the design's BA rows; sweep with --design sobol \
             --second-order",
            data.file
        )));
    }
    let k = data.inputs.len();
    let blocks = Blocks::new(&data.y, k, has_second);
    let n = blocks.a.len();
    let all: Vec<usize> = (0..n).collect();
    let (variance, first, total, pairs) = blocks.estimate(&all, second_order);
    if variance.is_nan() || variance <= 0.0 {
        return Err(Error::usage(format!(
            "{}: the {} does not vary over the design, so it has no variance to apportion",
            data.file, data.output
        )));
    }
    let mut b_first = vec![Vec::with_capacity(resamples); k];
    let mut b_total = vec![Vec::with_capacity(resamples); k];
    let mut b_pairs = vec![Vec::with_capacity(resamples); pairs.len()];
    let mut idx = Vec::new();
    for _ in 0..resamples {
        resample(n, rng, &mut idx);
        let (_, f, t, p) = blocks.estimate(&idx, second_order);
        for (v, x) in b_first.iter_mut().zip(f) {
            v.push(x);
        }
        for (v, x) in b_total.iter_mut().zip(t) {
            v.push(x);
        }
        for (v, x) in b_pairs.iter_mut().zip(p) {
            v.push(x);
        }
    }
    let indices = (0..k)
        .map(|i| SobolIndex {
            parameter: data.inputs[i].clone(),
            first: Interval::new(first[i], &mut b_first[i]),
            total: Interval::new(total[i], &mut b_total[i]),
        })
        .collect();
    let mut second = Vec::new();
    let mut p = 0;
    for i in 0..k {
        for j in i + 1..k {
            if second_order {
                second.push(SecondOrder {
                    parameter: data.inputs[i].clone(),
                    other: data.inputs[j].clone(),
                    index: Interval::new(pairs[p], &mut b_pairs[p]),
                });
                p += 1;
            }
        }
    }
    Ok(SobolResult {
        base_points: n,
        variance,
        indices,
        second_order: second,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::bootstrap::generator;

    /// A two-input design of 4 base blocks with second-order rows, and
    /// outputs of `y = x1 + 2 x2 + x1 x2` at those points.
    fn design() -> Dataset {
        let base = [
            ([0.1, 0.7], [0.9, 0.2]),
            ([0.4, 0.3], [0.6, 0.8]),
            ([0.8, 0.5], [0.2, 0.1]),
            ([0.3, 0.9], [0.5, 0.4]),
        ];
        let mut x = Vec::new();
        for (a, b) in base {
            x.push(a.to_vec());
            x.push(vec![b[0], a[1]]);
            x.push(vec![a[0], b[1]]);
            x.push(vec![a[0], b[1]]);
            x.push(vec![b[0], a[1]]);
            x.push(b.to_vec());
        }
        let y = x.iter().map(|p| p[0] + 2.0 * p[1] + p[0] * p[1]).collect();
        Dataset::from_points(vec!["x1".into(), "x2".into()], x, y)
    }

    /// SALib 1.5.1's `sobol.analyze` on the same design and outputs
    /// (`calc_second_order=True`): S1, ST, S2[0][1]. Four base blocks are far
    /// too few for sensible indices; the point is the same arithmetic.
    const SALIB_S1: [f64; 2] = [0.5642977436488473, 1.6242333275260545];
    const SALIB_ST: [f64; 2] = [0.7696699232099058, 1.3721438239590449];
    const SALIB_S2: f64 = -0.2336670285048048;

    #[test]
    fn estimates_are_salibs() {
        let d = design();
        assert!(layout(&d, None).unwrap());
        let r = analyze(&d, true, 20, &mut generator(0)).unwrap();
        for i in 0..2 {
            assert!((r.indices[i].first.estimate - SALIB_S1[i]).abs() < 1e-12);
            assert!((r.indices[i].total.estimate - SALIB_ST[i]).abs() < 1e-12);
        }
        assert!((r.second_order[0].index.estimate - SALIB_S2).abs() < 1e-12);
    }

    #[test]
    fn other_layouts_are_refused() {
        let mut d = design();
        d.x[2][0] = 0.55;
        let e = layout(&d, None).unwrap_err().to_string();
        assert!(e.contains("not a Saltelli design"), "{e}");
        let d = design();
        let r = analyze(
            &Dataset {
                y: vec![1.0; 24],
                ..d
            },
            false,
            5,
            &mut generator(0),
        );
        assert!(r.unwrap_err().to_string().contains("does not vary"));
    }
}
