//! Bargaining theory reproduced on scenarios the textbook files do not
//! cover: Zeuthen's concessions reach the Nash solution on several issues
//! (against an independent brute-force solver), and Rubinstein's tactic plays
//! Ståhl's finite-horizon equilibrium (against the closed form).

use negsim::model::{Model, Outcome, Runner};
use negsim::scenario::ScenarioSource;

fn compile(text: &str) -> Model {
    let src = ScenarioSource::from_str("test.toml", text, &[]).expect("scenario loads");
    Model::compile(&src.scenario)
}

/// One party's utility, written out independently of the library.
struct Side {
    ideal: Vec<f64>,
    weight: Vec<f64>,
    quadratic: bool,
    d: f64,
}

impl Side {
    fn u(&self, x: &[f64]) -> f64 {
        let total: f64 = self.weight.iter().sum();
        x.iter()
            .zip(&self.ideal)
            .zip(&self.weight)
            .map(|((x, c), w)| {
                let gap = (x - c).abs();
                w / total
                    * if self.quadratic {
                        1.0 - gap * gap
                    } else {
                        1.0 - gap
                    }
            })
            .sum()
    }
}

fn nash(a: &Side, b: &Side, x: &[f64]) -> f64 {
    (a.u(x) - a.d).max(0.0) * (b.u(x) - b.d).max(0.0)
}

/// The maximum Nash product over `[0, 1]^k`: a grid, then coordinate
/// refinement with shrinking steps (an independent solver).
fn nash_max(a: &Side, b: &Side, k: usize) -> f64 {
    let steps = if k == 2 { 100 } else { 30 };
    let mut best = vec![0.0; k];
    let mut best_n = f64::NEG_INFINITY;
    let total = (steps + 1usize).pow(k as u32);
    let mut x = vec![0.0; k];
    for idx in 0..total {
        let mut r = idx;
        for xi in x.iter_mut() {
            *xi = (r % (steps + 1)) as f64 / steps as f64;
            r /= steps + 1;
        }
        let n = nash(a, b, &x);
        if n > best_n {
            best_n = n;
            best.clone_from(&x);
        }
    }
    let mut h = 1.0 / steps as f64;
    while h > 1e-9 {
        let mut moved = true;
        while moved {
            moved = false;
            for i in 0..k {
                for dir in [-1.0, 1.0] {
                    let mut y = best.clone();
                    y[i] = (y[i] + dir * h).clamp(0.0, 1.0);
                    let n = nash(a, b, &y);
                    if n > best_n + 1e-15 {
                        best_n = n;
                        best = y;
                        moved = true;
                    }
                }
            }
        }
        h /= 2.0;
    }
    best_n
}

fn two_party(a: &Side, b: &Side, k: usize) -> String {
    let shape = |s: &Side| if s.quadratic { "quadratic" } else { "linear" };
    let mut t = String::from(
        "name = \"z\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\nmax_events = 100000\n",
    );
    for i in 0..k {
        t += &format!("[issues.i{i}]\n");
    }
    for (id, s) in [("a", a), ("b", b)] {
        t += &format!(
            "[parties.{id}]\nutility = \"{}\"\ntactic = \"zeuthen\"\ndisagreement = {}\n",
            shape(s),
            s.d
        );
        t += &format!("[parties.{id}.positions]\n");
        for i in 0..k {
            t += &format!("i{i} = {}\n", s.ideal[i]);
        }
        t += &format!("[parties.{id}.salience]\n");
        for i in 0..k {
            t += &format!("i{i} = {}\n", s.weight[i]);
        }
    }
    let agenda: Vec<String> = (0..k).map(|i| format!("\"i{i}\"")).collect();
    t += &format!(
        "[meetings.talks]\ndate = 2024-01-02\nparticipants = [\"a\", \"b\"]\nagenda = [{}]\nrounds = 400\n",
        agenda.join(", ")
    );
    t
}

/// Zeuthen's rule reaches the Nash solution to 1e-3 in Nash product, for
/// two and three issues, linear, quadratic and mixed utilities, unequal
/// saliences and several disagreement points.
#[test]
fn zeuthen_reaches_the_nash_product_on_several_issues() {
    let mut cases = 0;
    for k in [2usize, 3] {
        for (qa, qb) in [(false, false), (true, false), (true, true)] {
            for (da, db) in [(0.0, 0.0), (0.2, 0.1), (0.05, 0.4)] {
                let a = Side {
                    ideal: vec![1.0, 1.0, 0.8][..k].to_vec(),
                    weight: vec![1.0, 1.0, 2.0][..k].to_vec(),
                    quadratic: qa,
                    d: da,
                };
                let b = Side {
                    ideal: vec![0.0, 0.0, 0.1][..k].to_vec(),
                    weight: vec![1.0, 3.0, 0.5][..k].to_vec(),
                    quadratic: qb,
                    d: db,
                };
                let m = compile(&two_party(&a, &b, k));
                let res = Runner::new(&m, 7).run(0).unwrap();
                let case = format!("k={k} quadratic=({qa},{qb}) d=({da},{db})");
                assert_eq!(res.outcome(), Outcome::Agreement, "{case}");
                let x: Vec<f64> = res.settled.iter().map(|v| v.unwrap()).collect();
                let got = nash(&a, &b, &x);
                let best = nash_max(&a, &b, k);
                assert!(
                    best - got < 1e-3,
                    "{case}: Nash product {got} at {x:?}, optimum {best}"
                );
                cases += 1;
            }
        }
    }
    assert_eq!(cases, 18);
}

/// Ståhl (1972): with `T` rounds and discount factors `d_a`, `d_b`, the
/// first proposer's share of a unit pie is
/// `1 − d_r + d_r d_p − d_r d_p d_r + …` (T terms, `d_r` the responder's
/// factor at the second round, alternating), computed here as a sum.
fn stahl_share(rounds: u32, first: f64, second: f64) -> f64 {
    let mut share = 0.0;
    let mut product = 1.0;
    for j in 0..rounds {
        share += if j % 2 == 0 { product } else { -product };
        // Factors alternate: the responder's, then the proposer's, ...
        product *= if j % 2 == 0 { second } else { first };
    }
    share
}

#[test]
fn rubinstein_with_a_deadline_plays_stahls_equilibrium() {
    let base = std::fs::read_to_string("scenarios/textbook/rubinstein.toml").unwrap();
    for (da, db) in [(0.9, 0.8), (0.5, 0.95), (0.99, 0.6)] {
        for first in ["a", "b"] {
            for rounds in 1..=10u32 {
                let text = base
                    .replace("rounds = \"unbounded\"", &format!("rounds = {rounds}"))
                    .replace("first = \"a\"", &format!("first = \"{first}\""))
                    .replace("patience = 0.9\ntactic", "patience = PA\ntactic")
                    .replacen("PA", &da.to_string(), 1)
                    .replacen("PA", &db.to_string(), 1);
                let m = compile(&text);
                let res = Runner::new(&m, 1).run(0).unwrap();
                assert_eq!(res.outcome(), Outcome::Agreement);
                let share_a = res.settled[0].unwrap();
                let theory = if first == "a" {
                    stahl_share(rounds, da, db)
                } else {
                    1.0 - stahl_share(rounds, db, da)
                };
                assert!(
                    (share_a - theory).abs() < 1e-9,
                    "T={rounds} first={first} d=({da},{db}): a gets {share_a}, theory {theory}"
                );
            }
        }
    }
}

#[test]
fn a_one_round_deadline_gives_the_proposer_everything() {
    let base = std::fs::read_to_string("scenarios/textbook/rubinstein.toml").unwrap();
    let m = compile(&base.replace("rounds = \"unbounded\"", "rounds = 1"));
    let res = Runner::new(&m, 1).run(0).unwrap();
    assert_eq!(res.settled[0], Some(1.0));
}
