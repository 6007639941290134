//! Scenario discovery with PRIM, the Patient Rule Induction Method
//! (Friedman & Fisher 1999), as Bryant & Lempert (2010) use it and the EMA
//! Workbench implements it: boxes (one interval per input) in which an
//! outcome is likely.
//!
//! Each point has an output `y` in `[0, 1]` (the share of its runs with the
//! outcome, or, with a threshold, 1 where the output reaches it and 0
//! elsewhere). For a box `B` over the `n` points:
//!
//! - **coverage**: `sum of y in B / sum of y over all points`, the share of
//!   the cases of interest that the box holds;
//! - **density**: `mean of y in B`, how likely the outcome is inside;
//! - **mass**: the share of all points inside.
//!
//! **Peeling.** Start from the box holding every point. At each step try,
//! for every input, cutting off the lowest and the highest `α` share of the
//! points still inside (at least one point; ties at the cut go with it), and
//! keep the cut that leaves the highest density (ties: the first input, the
//! low side first). Stop before the mass would fall below `min_mass`. The
//! boxes met on the way are the **peeling trajectory**, from high coverage
//! and low density to the reverse. A box's limits are the smallest and
//! largest value inside of each restricted input.
//!
//! **Choice.** The box reported is the densest on the trajectory among those
//! that keep at least `min_coverage` of the cases of interest not covered by
//! earlier boxes (ties: the larger box).
//!
//! **Pasting** (Friedman & Fisher's second phase; on unless turned off): widen the chosen
//! box a side at a time, each time by the `α` share of its points that lie
//! just outside that side, while that does not lower its density (the
//! densest widening first, then the one adding most points).
//!
//! **Covering.** With `boxes > 1`, the points in a box are set aside and the
//! next box is sought among the rest; coverage stays relative to all the
//! cases of interest.

use super::data::Dataset;
use crate::error::{Error, Result};

/// PRIM's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrimConfig {
    /// Share of the points in the box peeled off at each step (`α`).
    pub alpha: f64,
    /// Smallest mass a box may have.
    pub min_mass: f64,
    /// Coverage of the remaining cases that the chosen box keeps.
    pub min_coverage: f64,
    /// `Some(t)`: a point is a case of interest when its output is `>= t`.
    pub threshold: Option<f64>,
    /// Boxes to find (covering).
    pub boxes: usize,
    /// Paste the chosen box (default true).
    pub paste: bool,
}

impl Default for PrimConfig {
    fn default() -> Self {
        PrimConfig {
            alpha: 0.05,
            min_mass: 0.05,
            min_coverage: 0.5,
            threshold: None,
            boxes: 1,
            paste: true,
        }
    }
}

/// A box on a trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxStep {
    /// Coverage.
    pub coverage: f64,
    /// Density.
    pub density: f64,
    /// Mass.
    pub mass: f64,
    /// `limits[k]`: the box's interval on input `k`.
    pub limits: Vec<(f64, f64)>,
    /// Inputs restricted (limits inside the data's range).
    pub restricted: Vec<usize>,
    /// Whether this box was pasted from the previous one.
    pub pasted: bool,
}

/// One box found by PRIM, with its trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct PrimBox {
    /// The peeling trajectory (and the pasted box, if any, last).
    pub trajectory: Vec<BoxStep>,
    /// The index of the chosen box in `trajectory`.
    pub chosen: usize,
}

impl PrimBox {
    /// The chosen box.
    pub fn chosen(&self) -> &BoxStep {
        &self.trajectory[self.chosen]
    }
}

/// The result of PRIM.
#[derive(Debug, Clone, PartialEq)]
pub struct PrimResult {
    /// The settings used.
    pub config: PrimConfig,
    /// Mean output over all points (the density of the whole space).
    pub base_density: f64,
    /// Each input's range in the data.
    pub ranges: Vec<(f64, f64)>,
    /// The boxes, in the order found.
    pub boxes: Vec<PrimBox>,
}

/// Runs PRIM on `data`.
///
/// # Errors
///
/// An input error for settings out of range or outputs outside `[0, 1]`
/// (without a threshold).
pub fn analyze(data: &Dataset, config: &PrimConfig) -> Result<PrimResult> {
    let c = config;
    if !(c.alpha > 0.0 && c.alpha < 0.5) {
        return Err(Error::usage(format!(
            "--peel-alpha {}: expected a share of the box to peel per step in (0, 0.5), e.g. 0.05",
            c.alpha
        )));
    }
    if !(c.min_mass > 0.0 && c.min_mass < 1.0) {
        return Err(Error::usage(format!(
            "--min-mass {}: expected the smallest share of the points a box may hold, in (0, 1), e.g. 0.05",
            c.min_mass
        )));
    }
    if !(0.0..=1.0).contains(&c.min_coverage) {
        return Err(Error::usage(format!(
            "--min-coverage {}: expected a share in [0, 1], e.g. 0.5",
            c.min_coverage
        )));
    }
    if c.boxes == 0 {
        return Err(Error::usage("--boxes 0: expected at least 1 box"));
    }
    let y: Vec<f64> = match c.threshold {
        Some(t) => data
            .y
            .iter()
            .map(|&v| f64::from(u8::from(v >= t)))
            .collect(),
        None => {
            if let Some(v) = data.y.iter().find(|v| !(0.0..=1.0).contains(*v)) {
                return Err(Error::usage(format!(
                    "PRIM needs outputs in [0, 1] (shares of runs), but the {} reaches {v}; give \
                     --threshold T to look for points where it is at least T",
                    data.output
                )));
            }
            data.y.clone()
        }
    };
    let k = data.inputs.len();
    let n = data.x.len();
    let ranges: Vec<(f64, f64)> = (0..k)
        .map(|d| {
            data.x
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                    (lo.min(p[d]), hi.max(p[d]))
                })
        })
        .collect();
    let total: f64 = y.iter().sum();
    let mut active: Vec<usize> = (0..n).collect();
    let mut boxes = Vec::new();
    for _ in 0..c.boxes {
        let left: f64 = active.iter().map(|&i| y[i]).sum();
        if left <= 0.0 || active.is_empty() {
            break;
        }
        let mut b = peel(data, &y, &active, &ranges, total, c);
        let chosen = b
            .iter()
            .enumerate()
            .filter(|(_, s)| s.coverage * total >= c.min_coverage * left - 1e-12)
            .fold(
                0,
                |best, (i, s)| {
                    if s.density > b[best].density {
                        i
                    } else {
                        best
                    }
                },
            );
        let mut chosen_ix = chosen;
        if c.paste {
            if let Some(p) = paste(data, &y, &active, &ranges, total, &b[chosen], c) {
                b.push(p);
                chosen_ix = b.len() - 1;
            }
        }
        let limits = b[chosen_ix].limits.clone();
        active.retain(|&i| !inside(&data.x[i], &limits));
        boxes.push(PrimBox {
            trajectory: b,
            chosen: chosen_ix,
        });
    }
    Ok(PrimResult {
        config: *c,
        base_density: if n > 0 { total / n as f64 } else { 0.0 },
        ranges,
        boxes,
    })
}

fn inside(x: &[f64], limits: &[(f64, f64)]) -> bool {
    x.iter()
        .zip(limits)
        .all(|(&v, &(lo, hi))| lo <= v && v <= hi)
}

fn step(
    y: &[f64],
    members: &[usize],
    limits: Vec<(f64, f64)>,
    ranges: &[(f64, f64)],
    total: f64,
    n: usize,
    pasted: bool,
) -> BoxStep {
    let s: f64 = members.iter().map(|&i| y[i]).sum();
    let restricted = limits
        .iter()
        .zip(ranges)
        .enumerate()
        .filter(|(_, (l, r))| l.0 > r.0 || l.1 < r.1)
        .map(|(d, _)| d)
        .collect();
    BoxStep {
        coverage: if total > 0.0 { s / total } else { 0.0 },
        density: if members.is_empty() {
            0.0
        } else {
            s / members.len() as f64
        },
        mass: members.len() as f64 / n as f64,
        limits,
        restricted,
        pasted,
    }
}

fn peel(
    data: &Dataset,
    y: &[f64],
    active: &[usize],
    ranges: &[(f64, f64)],
    total: f64,
    c: &PrimConfig,
) -> Vec<BoxStep> {
    let n = data.x.len();
    let k = data.inputs.len();
    let mut members = active.to_vec();
    let mut limits: Vec<(f64, f64)> = (0..k)
        .map(|d| {
            members
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &i| {
                    (lo.min(data.x[i][d]), hi.max(data.x[i][d]))
                })
        })
        .collect();
    let mut out = vec![step(y, &members, limits.clone(), ranges, total, n, false)];
    let mut values = Vec::new();
    loop {
        let m = members.len();
        let cut = ((c.alpha * m as f64).floor() as usize).max(1);
        // (density, input, high side, threshold)
        let mut best: Option<(f64, usize, bool, f64)> = None;
        for d in 0..k {
            values.clear();
            values.extend(members.iter().map(|&i| data.x[i][d]));
            values.sort_unstable_by(|a, b| a.total_cmp(b));
            for high in [false, true] {
                let t = if high {
                    values[m - cut]
                } else {
                    values[cut - 1]
                };
                let keep = |v: f64| if high { v < t } else { v > t };
                let (mut s, mut cnt) = (0.0, 0usize);
                for &i in &members {
                    if keep(data.x[i][d]) {
                        s += y[i];
                        cnt += 1;
                    }
                }
                if cnt == 0 || (cnt as f64) < c.min_mass * n as f64 {
                    continue;
                }
                let density = s / cnt as f64;
                if best.is_none_or(|b| density > b.0) {
                    best = Some((density, d, high, t));
                }
            }
        }
        let Some((_, d, high, t)) = best else {
            break;
        };
        members.retain(|&i| {
            if high {
                data.x[i][d] < t
            } else {
                data.x[i][d] > t
            }
        });
        let (lo, hi) = members
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &i| {
                (lo.min(data.x[i][d]), hi.max(data.x[i][d]))
            });
        limits[d] = if high {
            (limits[d].0, hi)
        } else {
            (lo, limits[d].1)
        };
        out.push(step(y, &members, limits.clone(), ranges, total, n, false));
    }
    out
}

/// A widened box: its density, limits and members.
type Widened = (f64, Vec<(f64, f64)>, Vec<usize>);

fn paste(
    data: &Dataset,
    y: &[f64],
    active: &[usize],
    ranges: &[(f64, f64)],
    total: f64,
    from: &BoxStep,
    c: &PrimConfig,
) -> Option<BoxStep> {
    let n = data.x.len();
    let mut limits = from.limits.clone();
    let members = |limits: &[(f64, f64)]| -> Vec<usize> {
        active
            .iter()
            .copied()
            .filter(|&i| inside(&data.x[i], limits))
            .collect()
    };
    let density = |m: &[usize]| m.iter().map(|&i| y[i]).sum::<f64>() / m.len().max(1) as f64;
    let mut current = members(&limits);
    let mut cur_density = density(&current);
    let mut changed = false;
    loop {
        let add = ((c.alpha * current.len() as f64).floor() as usize).max(1);
        let mut best: Option<Widened> = None;
        for d in 0..limits.len() {
            for high in [false, true] {
                // Points outside this side only, within the other limits.
                let mut outside: Vec<f64> = active
                    .iter()
                    .filter(|&&i| {
                        let x = &data.x[i];
                        let v = x[d];
                        let beyond = if high {
                            v > limits[d].1
                        } else {
                            v < limits[d].0
                        };
                        beyond
                            && x.iter()
                                .zip(&limits)
                                .enumerate()
                                .all(|(e, (&w, l))| e == d || (l.0 <= w && w <= l.1))
                    })
                    .map(|&i| data.x[i][d])
                    .collect();
                if outside.is_empty() {
                    continue;
                }
                outside.sort_unstable_by(|a, b| a.total_cmp(b));
                let mut trial = limits.clone();
                if high {
                    trial[d].1 = outside[add.min(outside.len()) - 1];
                } else {
                    trial[d].0 = outside[outside.len() - add.min(outside.len())];
                }
                let m = members(&trial);
                let dens = density(&m);
                // Widen while the density does not fall (a pure box grows to
                // hold every case it can); prefer the densest, then the largest.
                let better = |b: &Widened| dens > b.0 || (dens == b.0 && m.len() > b.2.len());
                if dens >= cur_density && best.as_ref().is_none_or(better) {
                    best = Some((dens, trial, m));
                }
            }
        }
        let Some((dens, trial, m)) = best else {
            break;
        };
        limits = trial;
        current = m;
        cur_density = dens;
        changed = true;
    }
    changed.then(|| step(y, &current, limits, ranges, total, n, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid_data(f: impl Fn(f64, f64) -> f64) -> Dataset {
        let mut x = Vec::new();
        for i in 0..20 {
            for j in 0..20 {
                x.push(vec![(i as f64 + 0.5) / 20.0, (j as f64 + 0.5) / 20.0]);
            }
        }
        let y = x.iter().map(|p| f(p[0], p[1])).collect();
        Dataset::from_points(vec!["a".into(), "b".into()], x, y)
    }

    #[test]
    fn a_half_plane_is_found_on_one_input() {
        let d = grid_data(|a, _| f64::from(u8::from(a < 0.3)));
        let r = analyze(&d, &PrimConfig::default()).unwrap();
        let b = r.boxes[0].chosen();
        assert_eq!(b.density, 1.0);
        assert_eq!(b.coverage, 1.0);
        assert_eq!(b.restricted, [0]);
        assert!(
            b.limits[0].1 < 0.3 && b.limits[0].1 > 0.25,
            "{:?}",
            b.limits
        );
        let t = &r.boxes[0].trajectory;
        assert!(t.windows(2).all(|w| w[1].mass < w[0].mass));
        assert!(t.last().unwrap().mass >= 0.05);
        assert_eq!(t[0].density, r.base_density);
    }

    #[test]
    fn covering_finds_a_second_box_and_pasting_never_lowers_density() {
        let d = grid_data(|a, b| f64::from(u8::from(a < 0.2 || (a > 0.7 && b > 0.7))));
        let c = PrimConfig {
            boxes: 2,
            ..PrimConfig::default()
        };
        let r = analyze(&d, &c).unwrap();
        assert_eq!(r.boxes.len(), 2);
        let total: f64 = r.boxes.iter().map(|b| b.chosen().coverage).sum();
        assert!(total > 0.9, "{total}");
        for b in &r.boxes {
            if b.chosen().pasted {
                assert!(b.chosen().density >= b.trajectory[b.chosen - 1].density);
            }
        }
    }

    #[test]
    fn bad_settings_and_outputs() {
        let d = grid_data(|a, _| a * 2.0);
        assert!(analyze(&d, &PrimConfig::default())
            .unwrap_err()
            .to_string()
            .contains("--threshold"));
        let c = PrimConfig {
            threshold: Some(1.0),
            ..PrimConfig::default()
        };
        let b = analyze(&d, &c).unwrap();
        assert!(b.boxes[0].chosen().limits[0].0 >= 0.5);
        for bad in [
            PrimConfig { alpha: 0.0, ..c },
            PrimConfig { min_mass: 1.0, ..c },
            PrimConfig { boxes: 0, ..c },
        ] {
            assert!(analyze(&d, &bad).unwrap_err().is_input_error());
        }
    }
}
