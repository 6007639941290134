//! How an analysis reads: a terminal table, and tidy CSV with one estimate
//! (or one box limit) per row.

use std::fmt::Write as _;

use super::bootstrap::Interval;
use super::prim::PrimResult;
use super::{Analysis, Findings};
use crate::output::{is_formula_like, push_f64};

/// Header of the Morris and Sobol CSV.
pub const INDEX_HEADER: &str =
    "method,output,statistic,parameter,parameter_2,estimate,ci_low,ci_high";
/// Header of the PRIM CSV.
pub const PRIM_HEADER: &str =
    "box,step,chosen,pasted,coverage,density,mass,parameter,restricted,lo,hi";

fn num(x: f64) -> String {
    let mut v = Vec::new();
    push_f64(&mut v, x);
    String::from_utf8(v).expect("ASCII")
}

/// A text cell: quoted when it holds a comma, a quote or a line break, and
/// with a leading `'` when a spreadsheet would read it as a formula (input
/// names come from the analysed file's header).
fn text(s: &str) -> String {
    let s = if is_formula_like(s.as_bytes()) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn ci(i: &Interval) -> String {
    format!("[{:.3}, {:.3}]", i.low, i.high)
}

impl Analysis {
    /// The terminal table.
    pub fn render(&self) -> String {
        let mut t = String::new();
        let runs = if self.rows_per_point > 1 {
            format!(", {} runs per point", self.rows_per_point)
        } else {
            String::new()
        };
        let _ = writeln!(
            t,
            "analysis: {} of the {} at {} points ({} inputs{runs})",
            self.method,
            self.output,
            self.points,
            self.inputs.len()
        );
        let width = self
            .inputs
            .iter()
            .map(String::len)
            .max()
            .unwrap_or(9)
            .max(9);
        match &self.findings {
            Findings::Morris(m) => {
                let _ = writeln!(
                    t,
                    "Morris elementary effects (Morris 1991; mu* of Campolongo et al. 2007), \
                     {} trajectories; 95% bootstrap intervals ({} resamples, seed {})\n",
                    m.trajectories, self.resamples, self.seed
                );
                let _ = writeln!(
                    t,
                    "{:<width$}  {:>7}  {:<18}  {:>7}  {:<18}  {:>7}  {:<18}",
                    "parameter", "mu*", "95% CI", "mu", "95% CI", "sigma", "95% CI"
                );
                let mut rows: Vec<_> = m.indices.iter().collect();
                rows.sort_by(|a, b| b.mu_star.estimate.total_cmp(&a.mu_star.estimate));
                for r in rows {
                    let _ = writeln!(
                        t,
                        "{:<width$}  {:>7.3}  {:<18}  {:>7.3}  {:<18}  {:>7.3}  {:<18}",
                        r.parameter,
                        r.mu_star.estimate,
                        ci(&r.mu_star),
                        r.mu.estimate,
                        ci(&r.mu),
                        r.sigma.estimate,
                        ci(&r.sigma)
                    );
                }
            }
            Findings::Sobol(s) => {
                let _ = writeln!(
                    t,
                    "Sobol' indices (first order: Saltelli et al. 2010; total: Jansen 1999), \
                     {} base points, output variance {:.4}; 95% bootstrap intervals ({} \
                     resamples, seed {})\n",
                    s.base_points, s.variance, self.resamples, self.seed
                );
                let _ = writeln!(
                    t,
                    "{:<width$}  {:>7}  {:<18}  {:>7}  {:<18}",
                    "parameter", "S1", "95% CI", "ST", "95% CI"
                );
                let mut rows: Vec<_> = s.indices.iter().collect();
                rows.sort_by(|a, b| b.total.estimate.total_cmp(&a.total.estimate));
                for r in rows {
                    let _ = writeln!(
                        t,
                        "{:<width$}  {:>7.3}  {:<18}  {:>7.3}  {:<18}",
                        r.parameter,
                        r.first.estimate,
                        ci(&r.first),
                        r.total.estimate,
                        ci(&r.total)
                    );
                }
                if !s.second_order.is_empty() {
                    let _ = writeln!(t, "\nsecond order (Saltelli 2002):");
                    for p in &s.second_order {
                        let _ = writeln!(
                            t,
                            "{} x {}  {:.3}  {}",
                            p.parameter,
                            p.other,
                            p.index.estimate,
                            ci(&p.index)
                        );
                    }
                }
            }
            Findings::Prim(p) => self.render_prim(&mut t, p, width),
        }
        t.lines().map(str::trim_end).collect::<Vec<_>>().join("\n") + "\n"
    }

    fn render_prim(&self, t: &mut String, p: &PrimResult, width: usize) {
        let c = &p.config;
        let threshold = c
            .threshold
            .map(|x| format!(", cases: output >= {x}"))
            .unwrap_or_default();
        let _ = writeln!(
            t,
            "PRIM (Friedman & Fisher 1999): peel {} per step, min mass {}, chosen box keeps \
             coverage >= {}{threshold}; density of the whole space {:.3}",
            c.alpha, c.min_mass, c.min_coverage, p.base_density
        );
        for (b, bx) in p.boxes.iter().enumerate() {
            let chosen = bx.chosen();
            let _ = writeln!(
                t,
                "\nbox {}: coverage {:.3}, density {:.3}, mass {:.3} (step {} of the trajectory{})",
                b + 1,
                chosen.coverage,
                chosen.density,
                chosen.mass,
                bx.chosen,
                if chosen.pasted { ", pasted" } else { "" }
            );
            if chosen.restricted.is_empty() {
                let _ = writeln!(t, "  (no input restricted)");
            }
            for &d in &chosen.restricted {
                let (lo, hi) = chosen.limits[d];
                let (rlo, rhi) = p.ranges[d];
                let _ = writeln!(
                    t,
                    "  {:<width$}  {:>9} .. {:<9}  (of {} .. {})",
                    self.inputs[d],
                    compact(lo),
                    compact(hi),
                    compact(rlo),
                    compact(rhi)
                );
            }
            let last = bx.trajectory.len() - 1;
            let _ = writeln!(
                t,
                "\npeeling trajectory of box {} ({} steps; shown: the first, each step that \
                 restricts another input, the chosen (*) and the last; all in the CSV):",
                b + 1,
                last + 1
            );
            let _ = writeln!(t, "step  coverage  density   mass  restricted");
            for (s, st) in bx.trajectory.iter().enumerate() {
                let news = s == 0
                    || st.restricted.len() != bx.trajectory[s - 1].restricted.len()
                    || st.pasted;
                if !(news || s == bx.chosen || s == last) {
                    continue;
                }
                let names: Vec<&str> = st
                    .restricted
                    .iter()
                    .map(|&d| self.inputs[d].as_str())
                    .collect();
                let _ = writeln!(
                    t,
                    "{:>4}{} {:>8.3}  {:>7.3}  {:>5.3}  {}",
                    s,
                    if s == bx.chosen { "*" } else { " " },
                    st.coverage,
                    st.density,
                    st.mass,
                    names.join(", ")
                );
            }
        }
    }

    /// The tidy CSV: for Morris and Sobol one row per estimate
    /// (`method,output,statistic,parameter,parameter_2,estimate,ci_low,ci_high`: statistic `mu`, `mu_star`, `sigma`, `S1`, `ST` or
    /// `S2`), for PRIM one row per box, trajectory step and input
    /// (`box,step,chosen,pasted,coverage,density,mass,parameter,restricted,lo,hi`; `lo`/`hi` are the box's limits, `restricted` whether
    /// they cut the input's range).
    pub fn csv(&self) -> Vec<u8> {
        let mut t = String::new();
        let mut row = |stat: &str, p: &str, q: &str, i: &Interval| {
            let _ = writeln!(
                t,
                "{},{},{stat},{},{},{},{},{}",
                self.method,
                text(&self.output),
                text(p),
                text(q),
                num(i.estimate),
                num(i.low),
                num(i.high)
            );
        };
        match &self.findings {
            Findings::Morris(m) => {
                for r in &m.indices {
                    row("mu", &r.parameter, "", &r.mu);
                    row("mu_star", &r.parameter, "", &r.mu_star);
                    row("sigma", &r.parameter, "", &r.sigma);
                }
            }
            Findings::Sobol(s) => {
                for r in &s.indices {
                    row("S1", &r.parameter, "", &r.first);
                    row("ST", &r.parameter, "", &r.total);
                }
                for p in &s.second_order {
                    row("S2", &p.parameter, &p.other, &p.index);
                }
            }
            Findings::Prim(p) => {
                let mut t = String::from(PRIM_HEADER);
                t.push('\n');
                for (b, bx) in p.boxes.iter().enumerate() {
                    for (s, st) in bx.trajectory.iter().enumerate() {
                        for (d, name) in self.inputs.iter().enumerate() {
                            let _ = writeln!(
                                t,
                                "{},{s},{},{},{},{},{},{},{},{},{}",
                                b + 1,
                                s == bx.chosen,
                                st.pasted,
                                num(st.coverage),
                                num(st.density),
                                num(st.mass),
                                text(name),
                                st.restricted.contains(&d),
                                num(st.limits[d].0),
                                num(st.limits[d].1)
                            );
                        }
                    }
                }
                return t.into_bytes();
            }
        }
        format!("{INDEX_HEADER}\n{t}").into_bytes()
    }
}

/// A value for people: at most 6 significant decimals.
fn compact(x: f64) -> String {
    let s = num(x);
    if s.len() <= 8 {
        return s;
    }
    let f = format!("{x:.4}");
    f.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cells_are_quoted_and_guarded() {
        assert_eq!(text("parties.a.patience"), "parties.a.patience");
        assert_eq!(text("a,b"), "\"a,b\"");
        assert_eq!(text("say \"x\""), "\"say \"\"x\"\"\"");
        assert_eq!(text("=cmd()"), "'=cmd()");
        assert_eq!(text("-1"), "'-1");
    }
}
