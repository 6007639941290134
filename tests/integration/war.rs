//! War as a choice: Fearon's (1995) results reproduced, checked against an
//! independent computation of the same one-shot game, and the comparative
//! statics a game theorist expects (more costly or more deterred war, no
//! more war), under common random numbers.

use negsim::model::{Model, Outcome, Runner, TraceKind};
use negsim::output::wilson_interval;
use negsim::scenario::{Override, ScenarioSource};

fn model(path: &str, sets: &[(&str, String)]) -> Model {
    let overrides: Vec<Override> = sets
        .iter()
        .map(|(k, v)| Override {
            key: (*k).to_string(),
            value: v.clone(),
        })
        .collect();
    let src = ScenarioSource::from_path(path, &overrides).expect("scenario loads");
    Model::compile(&src.scenario)
}

fn conflicts(m: &Model, seed: u64, runs: u64) -> u64 {
    let mut runner = Runner::new(m, seed);
    (0..runs)
        .filter(|&r| runner.run(r).unwrap().outcome() == Outcome::Conflict)
        .count() as u64
}

fn phi(z: f64) -> f64 {
    negsim::model::math::normal_cdf(z)
}

/// The one-shot game of `fearon.toml`, computed independently of the
/// simulator. `b`'s war value this run is `W̃ = W_b + τ η` (its resolve `η`
/// standard logistic), its value of no deal `D_b = max(S_b, W̃)`. `a` sees
/// `W̃` with an error `σ z`: `Ŵ = W̃ + σ z`, `D̂ = max(S_b, Ŵ)`, and believes
/// `b` fights with probability `p̂ = Φ((Ŵ − S_b)/σ)`, so its own value of no
/// deal is `D_a = p̂ W_a + (1 − p̂) S_a`; it offers the share `y` that
/// maximises `Φ((y − D̂)/σ)(1 − y) + (1 − Φ) D_a`. `b` rejects when
/// `y < D_b` and then fights if `W̃ > S_b`. The offer rises with `z`, so
/// rejection means `z` below a threshold found by bisection; the conflict
/// probability integrates over both costs and `η` on midpoint grids.
fn fearon_conflict(sigma: f64, tau: f64) -> f64 {
    let (sq_a, sq_b) = (0.9, 0.1);
    let grid = 16;
    let mid = |k: usize| (k as f64 + 0.5) / grid as f64;
    let offer = |w_hat: f64, wa: f64| -> f64 {
        let d_hat = w_hat.max(sq_b);
        let p_hat = phi((w_hat - sq_b) / sigma);
        let d_a = p_hat * wa + (1.0 - p_hat) * sq_a;
        let eu = |y: f64| {
            let p = phi((y - d_hat) / sigma);
            p * (1.0 - y) + (1.0 - p) * d_a
        };
        // A grid (the objective is flat where acceptance is hopeless), then
        // ternary refinement around its best cell.
        let cells = 100;
        let best = (0..=cells)
            .map(|k| k as f64 / cells as f64)
            .max_by(|a, b| eu(*a).total_cmp(&eu(*b)))
            .unwrap();
        let (mut lo, mut hi) = ((best - 0.01f64).max(0.0), (best + 0.01f64).min(1.0));
        for _ in 0..50 {
            let m1 = lo + (hi - lo) / 3.0;
            let m2 = hi - (hi - lo) / 3.0;
            if eu(m1) < eu(m2) {
                lo = m1;
            } else {
                hi = m2;
            }
        }
        0.5 * (lo + hi)
    };
    let mut total = 0.0;
    for ia in 0..grid {
        let wa = 0.5 - (0.05 + 0.1 * mid(ia));
        for ib in 0..grid {
            let wb = 0.5 - (0.05 + 0.1 * mid(ib));
            for ie in 0..grid {
                let u = mid(ie);
                let w = wb + tau * (u / (1.0 - u)).ln();
                if w <= sq_b {
                    continue; // b would not fight
                }
                let rejects = |z: f64| offer(w + sigma * z, wa) < w - 1e-9;
                let (mut lo, mut hi) = (-8.0, 8.0);
                total += if !rejects(lo) {
                    0.0
                } else if rejects(hi) {
                    1.0
                } else {
                    for _ in 0..40 {
                        let m = 0.5 * (lo + hi);
                        if rejects(m) {
                            lo = m;
                        } else {
                            hi = m;
                        }
                    }
                    phi(0.5 * (lo + hi))
                };
            }
        }
    }
    total / (grid * grid * grid) as f64
}

#[test]
fn fearon_conflict_share_matches_the_one_shot_game_at_each_noise_level() {
    let runs = 10_000;
    for sigma in [0.02, 0.05, 0.1] {
        let m = model(
            "scenarios/textbook/fearon.toml",
            &[("simulation.noise", sigma.to_string())],
        );
        let k = conflicts(&m, 1995, runs);
        let (lo, hi) = wilson_interval(k, runs);
        let theory = fearon_conflict(sigma, 0.01);
        assert!(
            (lo..=hi).contains(&theory),
            "noise {sigma}: simulated {} [{lo}, {hi}], one-shot game {theory}",
            k as f64 / runs as f64
        );
    }
}

#[test]
fn complete_information_and_costly_war_never_fight_in_100000_runs() {
    // Complete information: no noise, and no resolve shock that could make a
    // war worth more than its lottery less its cost (temperature 0).
    for cost in [
        "{ uniform = [0.05, 0.15] }",
        "0.01",
        "{ uniform = [0.2, 0.4] }",
    ] {
        let m = model(
            "scenarios/textbook/fearon.toml",
            &[
                ("simulation.noise", "0".into()),
                ("simulation.temperature", "0".into()),
                ("parties.a.cost_of_conflict", cost.into()),
                ("parties.b.cost_of_conflict", cost.into()),
            ],
        );
        let runs = if cost.starts_with('{') && cost.contains("0.05") {
            100_000
        } else {
            10_000
        };
        assert_eq!(conflicts(&m, 1995, runs), 0, "cost {cost}");
    }
}

/// With no noise, a resolve shock can only cause war where it leaves no
/// bargaining range (the war worth more to `b` than the whole good less
/// `a`'s war value): a share of runs equal to `P(τ η > c_a + c_b)`.
#[test]
fn with_complete_information_war_needs_a_resolve_beyond_the_costs() {
    let runs = 20_000;
    let tau: f64 = 0.01;
    let m = model(
        "scenarios/textbook/fearon.toml",
        &[
            ("simulation.noise", "0".into()),
            ("parties.a.cost_of_conflict", "0.01".into()),
            ("parties.b.cost_of_conflict", "0.01".into()),
        ],
    );
    let k = conflicts(&m, 1995, runs);
    let theory = 1.0 / (1.0 + (0.02 / tau).exp());
    let (lo, hi) = wilson_interval(k, runs);
    assert!(
        (lo..=hi).contains(&theory),
        "{k} conflicts: [{lo}, {hi}] against {theory}"
    );
}

/// Waiting for the offer costs `b` nothing, so it does not fight before it.
#[test]
fn no_war_before_the_revisionist_has_heard_an_offer() {
    let m = model(
        "scenarios/textbook/fearon.toml",
        &[("simulation.noise", "0.05".into())],
    );
    let mut runner = Runner::new(&m, 1995);
    runner.set_trace(true);
    let meeting_day = m.meetings[0].day;
    for r in 0..2000 {
        let res = runner.run(r).unwrap();
        if res.outcome() == Outcome::Conflict {
            assert!(
                res.end_time >= meeting_day,
                "run {r}: war on day {}",
                res.end_time
            );
            let offered = runner
                .trace()
                .rows
                .iter()
                .any(|row| row.kind == TraceKind::Offer);
            assert!(offered, "run {r}: war before any offer");
        }
    }
}

/// The conflict share along a fine sweep of one parameter, under common
/// random numbers (the same seed and runs at every point).
fn sweep(
    path: &str,
    key: &str,
    values: &[f64],
    runs: u64,
    fixed: &[(&str, String)],
) -> Vec<(f64, u64)> {
    values
        .iter()
        .map(|&v| {
            let mut sets: Vec<(&str, String)> = fixed.to_vec();
            sets.push((key, v.to_string()));
            let m = model(path, &sets);
            (v, conflicts(&m, 20220110, runs))
        })
        .collect()
}

/// Never rises beyond sampling noise and never jumps by more than the 95%
/// interval between neighbouring points.
fn assert_falls_smoothly(what: &str, points: &[(f64, u64)], runs: u64) {
    let share = |k: u64| k as f64 / runs as f64;
    let width = |k: u64| {
        let (lo, hi) = wilson_interval(k, runs);
        hi - lo
    };
    let half = |k: u64| 0.5 * width(k);
    let mut lowest = points[0].1;
    for w in points.windows(2) {
        let ((x0, k0), (x1, k1)) = (w[0], w[1]);
        assert!(
            (share(k1) - share(k0)).abs() <= width(k0).max(width(k1)),
            "{what}: jump from {} at {x0} to {} at {x1}",
            share(k0),
            share(k1)
        );
        assert!(
            share(k1) <= share(lowest) + half(lowest).max(half(k1)),
            "{what}: conflict rises to {} at {x1} above {} seen earlier",
            share(k1),
            share(lowest)
        );
        lowest = lowest.min(k1);
    }
    assert!(
        points.last().unwrap().1 <= points[0].1,
        "{what}: conflict higher at the end of the sweep than at its start"
    );
}

fn grid(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|k| lo + (hi - lo) * k as f64 / (n - 1) as f64)
        .collect()
}

const FOUNDING: &str = "scenarios/jan-2022-security-talks.toml";

#[test]
fn founding_conflict_never_rises_with_russias_cost_of_conflict() {
    let runs = 2000;
    // Over the scenario's own range for it.
    let pts = sweep(
        FOUNDING,
        "parties.russia.cost_of_conflict",
        &grid(0.1, 0.4, 41),
        runs,
        &[],
    );
    assert!(
        pts[0].1 > 0,
        "the sweep must start where war happens: {pts:?}"
    );
    assert_falls_smoothly("russia.cost_of_conflict", &pts, runs);
}

#[test]
fn founding_conflict_never_rises_with_the_credibility_or_cost_of_us_sanctions() {
    let runs = 2000;
    let cheap: [(&str, String); 0] = [];
    let pts = sweep(
        FOUNDING,
        "threats.us_sanctions.credibility",
        &grid(0.0, 1.0, 41),
        runs,
        &cheap,
    );
    assert!(pts[0].1 > 0, "{pts:?}");
    assert_falls_smoothly("us_sanctions.credibility", &pts, runs);
    // Over the scenario's own range for it (its triangular prior's support).
    let pts = sweep(
        FOUNDING,
        "threats.us_sanctions.cost_to_target",
        &grid(0.1, 0.35, 41),
        runs,
        &cheap,
    );
    assert!(pts[0].1 > 0, "{pts:?}");
    assert_falls_smoothly("us_sanctions.cost_to_target", &pts, runs);
}

fn from_text(text: &str) -> Model {
    let src = ScenarioSource::from_str("commitment.toml", text, &[]).expect("scenario loads");
    Model::compile(&src.scenario)
}

/// Fearon's commitment problem: a foreseen shift of power causes a
/// preventive war under complete information, before the shift; without the
/// shift, or with a forum for a binding deal before it, there is none.
#[test]
fn a_foreseen_shift_of_power_causes_preventive_war_under_complete_information() {
    let text = std::fs::read_to_string("scenarios/textbook/commitment.toml").unwrap();
    let runs = 1000;
    let m = from_text(&text);
    let mut runner = Runner::new(&m, 1995);
    let shift_day = m
        .events
        .iter()
        .find(|e| e.id == "shift")
        .unwrap()
        .day
        .unwrap();
    let mut wars = 0;
    for r in 0..runs {
        let res = runner.run(r).unwrap();
        if res.outcome() == Outcome::Conflict {
            wars += 1;
            assert!(
                res.end_time < shift_day,
                "run {r}: the war is preventive, before the shift"
            );
        }
    }
    assert!(wars >= 990, "{wars} preventive wars in {runs} runs");

    let no_shift = from_text(&text.replace("scale = 9.0", "scale = 1.0"));
    assert_eq!(conflicts(&no_shift, 1995, runs), 0, "no shift, no war");

    let early_forum = text.replace(
        "[meetings.talks]",
        "[meetings.before]\ndate = 2024-01-16\nparticipants = [\"a\", \"b\"]\nagenda = [\"good\"]\nfirst = \"b\"\nrounds = 1\n\n[meetings.talks]",
    );
    let m = from_text(&early_forum);
    assert_eq!(
        conflicts(&m, 1995, runs),
        0,
        "a binding deal before the shift averts the war"
    );
    let res = Runner::new(&m, 1995).run(0).unwrap();
    assert_eq!(res.outcome(), Outcome::Agreement);
}
