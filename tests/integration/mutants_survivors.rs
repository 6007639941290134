//! Tests written for the mutants `cargo mutants` found surviving in the
//! decision code (the tactics, the protocols, acceptance and the war
//! decision). Each expected number is worked out by hand in the test's
//! comment, never read off the program.

use std::sync::{Arc, Mutex};

use negsim::model::tactic::When;
use negsim::model::{Model, Outcome, Runner, Tactic, TraceKind, Turn};
use negsim::scenario::ScenarioSource;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn compile(text: &str) -> Model {
    let src =
        ScenarioSource::from_str("case.toml", text, &[]).unwrap_or_else(|e| panic!("{e}\n{text}"));
    Model::compile(&src.scenario)
}

// ------------------------------------------------------- the Turn queries

/// What a probing tactic saw at its first move.
#[derive(Debug, Clone, Default, PartialEq)]
struct Seen {
    best: f64,
    worst_efficient: f64,
    worst: f64,
    counterparts: usize,
    floor: f64,
    their_patience: f64,
    their_utility_at: f64,
    own_utility_at: f64,
    max_leaving_others: Option<f64>,
    max_leaving: Option<f64>,
    max_leaving_too_much: Option<f64>,
}

/// Records every query of [`Turn`] at its first move, then asks for its best.
#[derive(Debug)]
struct Probe(Arc<Mutex<Option<Seen>>>);

impl Tactic for Probe {
    fn name(&self) -> &str {
        "probe"
    }

    fn aim(&mut self, turn: &mut Turn<'_>, _when: When) -> f64 {
        let mut slot = self.0.lock().unwrap();
        if slot.is_none() {
            *slot = Some(Seen {
                best: turn.best(),
                worst_efficient: turn.worst_efficient(),
                worst: turn.worst(),
                counterparts: turn.counterparts(),
                floor: turn.counterpart_floor(0),
                their_patience: turn.counterpart_patience(0),
                their_utility_at: turn.counterpart_utility_at(0, 0.55),
                own_utility_at: turn.own_utility_at(0.55),
                max_leaving_others: turn.max_leaving_others(),
                max_leaving: turn.max_leaving(0, 0.45),
                max_leaving_too_much: turn.max_leaving(0, 0.9),
            });
        }
        turn.best()
    }
}

/// Two issues of equal salience: `x` on the agenda and `y`, not on it, held
/// at its status quo 0.5. `a` wants x = 1, y = 1, with a red line at x = 0.2;
/// `b` wants x = 0, y = 0, its value of no deal 0.4, its patience 0.9.
/// Linear utilities `Σ w_i (1 − |x_i − c_i|)`, w = ½ each:
///
/// - a's best (x = 1): ½ · 1 + ½ · ½ = 0.75;
/// - the offer best for b within a's red line (x = 0.2), and a's lowest
///   over its red lines: ½ · 0.2 + 0.25 = 0.35;
/// - at the aim 0.55, x solves ½ x + 0.25 = 0.55: x = 0.6, worth to b
///   ½ · 0.4 + ½ · ½ = 0.45, and to a 0.55;
/// - leaving b 0.4: ½ (1 − x) + 0.25 ≥ 0.4 gives x ≤ 0.7, a's aim 0.6;
///   leaving b 0.45: x ≤ 0.6, aim 0.55; b's best within a's red line,
///   x = 0.2, gives it only 0.65, so no offer leaves it 0.9.
/// - with no noise a estimates b's value of no deal exactly (0.4), and b's
///   discount per round of one day is its patience, 0.9.
#[test]
fn a_custom_tactic_sees_its_frontier_and_its_counterpart_through_turn() {
    let text = "name = \"probe\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\n\
        [issues.x]\n[issues.y]\nstatus_quo = 0.5\n\
        [parties.a]\npositions = { x = 1.0, y = 1.0 }\nreservation = { x = 0.2 }\ndisagreement = 0.0\n\
        [parties.b]\npositions = { x = 0.0, y = 0.0 }\ndisagreement = 0.4\npatience = 0.9\ntactic = \"hardliner\"\n\
        [meetings.talks]\ndate = 2024-01-02\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\nrounds = 2\n";
    let m = compile(text);
    let seen = Arc::new(Mutex::new(None));
    let mut runner = Runner::new(&m, 1);
    runner
        .set_tactic("a", Box::new(Probe(seen.clone())))
        .unwrap();
    runner.run(0).unwrap();
    let s = seen.lock().unwrap().clone().expect("a moved");
    let want = Seen {
        best: 0.75,
        worst_efficient: 0.35,
        worst: 0.35,
        counterparts: 1,
        floor: 0.4,
        their_patience: 0.9,
        their_utility_at: 0.45,
        own_utility_at: 0.55,
        max_leaving_others: Some(0.6),
        max_leaving: Some(0.55),
        max_leaving_too_much: None,
    };
    let near = |a: f64, b: f64| (a - b).abs() < 1e-9;
    let near_opt = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => near(a, b),
        (None, None) => true,
        _ => false,
    };
    let ok = near(s.best, want.best)
        && near(s.worst_efficient, want.worst_efficient)
        && near(s.worst, want.worst)
        && s.counterparts == want.counterparts
        && near(s.floor, want.floor)
        && near(s.their_patience, want.their_patience)
        && near(s.their_utility_at, want.their_utility_at)
        && near(s.own_utility_at, want.own_utility_at)
        && near_opt(s.max_leaving_others, want.max_leaving_others)
        && near_opt(s.max_leaving, want.max_leaving)
        && near_opt(s.max_leaving_too_much, want.max_leaving_too_much);
    assert!(ok, "seen {s:#?}\nby hand {want:#?}");
}

// ------------------------------------------------------------- Rubinstein

fn rubinstein(replacements: &[(&str, &str)]) -> Model {
    let mut text = std::fs::read_to_string("scenarios/textbook/rubinstein.toml").unwrap();
    for (from, to) in replacements {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    compile(&text)
}

fn first_settlement(m: &Model) -> f64 {
    let res = Runner::new(m, 1).run(0).unwrap();
    res.settled[0].expect("a settlement")
}

/// The public closed form, worked by hand from `(1 − δ_q) / (1 − δ_p δ_q)`:
/// (0.9, 0.8) gives 0.2 / 0.28 = 5/7; (0.5, 0.5) gives 0.5 / 0.75 = 2/3;
/// a perfectly patient responder (δ_q = 1) leaves the proposer nothing and
/// a perfectly patient proposer facing δ_q = 0.9 takes 0.1 / 0.1 = 1; both
/// perfectly patient: the limit ½.
#[test]
fn rubinstein_share_is_the_closed_form_and_its_limit() {
    use negsim::model::tactic::rubinstein_share;
    for (dp, dq, want) in [
        (0.9, 0.8, 5.0 / 7.0),
        (0.5, 0.5, 2.0 / 3.0),
        (0.95, 1.0, 0.0),
        (1.0, 0.9, 1.0),
        (1.0, 1.0, 0.5),
    ] {
        let got = rubinstein_share(dp, dq);
        assert!(close(got, want), "({dp}, {dq}): {got}, by hand {want}");
    }
}

/// `rubinstein.toml` with a deadline of `rounds`, `first` proposing first,
/// patience `da`, `db` and values of no deal `d`, `e` for a and b, neither
/// walking out.
fn rubinstein_game(rounds: &str, first: &str, (da, db): (f64, f64), (d, e): (f64, f64)) -> Model {
    let text = std::fs::read_to_string("scenarios/textbook/rubinstein.toml")
        .unwrap()
        .replace("rounds = \"unbounded\"", &format!("rounds = {rounds}"))
        .replace("first = \"a\"", &format!("first = \"{first}\""))
        .replace("patience = 0.9", "patience = PATIENCE")
        .replace(
            "disagreement = 0.0",
            "walkout = 1.0\ndisagreement = DISAGREEMENT",
        )
        .replacen("PATIENCE", &da.to_string(), 1)
        .replacen("PATIENCE", &db.to_string(), 1)
        .replacen("DISAGREEMENT", &d.to_string(), 1)
        .replacen("DISAGREEMENT", &e.to_string(), 1);
    assert!(!text.contains("PATIENCE") && !text.contains("DISAGREEMENT"));
    assert_eq!(text.matches("walkout = 1.0").count(), 2);
    compile(&text)
}

/// Ståhl's finite game on the surplus above the values of no deal. With
/// a's value of no deal `d = 0.1` and b's `e = 0.2`, the surplus is
/// `S = 1 − d − e = 0.7`, and each round's delay shrinks a party's gain over
/// its value of no deal by its discount factor. In those coordinates the
/// frontier is again a unit pie scaled by S, so the first proposer gets its
/// value of no deal plus S times Ståhl's share `1 − δ_r + δ_r δ_p − …`
/// (T alternating terms, `δ_r` the responder's factor first). With `d = e =
/// 0` this is the test in `bargaining.rs`; here the values of no deal must
/// be added and discounted toward, not toward 0.
#[test]
fn rubinstein_with_a_deadline_splits_the_surplus_over_the_values_of_no_deal() {
    let (d, e, s) = (0.1, 0.2, 0.7);
    let stahl = |rounds: u32, first: f64, second: f64| {
        (0..rounds)
            .map(|j| {
                // δ_r δ_p δ_r … : j factors, the responder's first.
                let prod: f64 = (0..j)
                    .map(|i| if i % 2 == 0 { second } else { first })
                    .product();
                if j % 2 == 0 {
                    prod
                } else {
                    -prod
                }
            })
            .sum::<f64>()
    };
    let (da, db) = (0.9, 0.7);
    for rounds in 1..=6u32 {
        for first in ["a", "b"] {
            let m = rubinstein_game(&rounds.to_string(), first, (da, db), (d, e));
            let want = if first == "a" {
                d + s * stahl(rounds, da, db)
            } else {
                1.0 - (e + s * stahl(rounds, db, da))
            };
            let x = first_settlement(&m);
            assert!(
                (x - want).abs() < 1e-9,
                "T = {rounds}, {first} first: x = {x}, by hand {want}"
            );
        }
    }
}

/// No bargaining range: a's value of no deal is 0.8 and b's 0.5, so any x
/// leaving b its 0.5 (x ≤ 0.5) gives a less than 0.8. Neither has an
/// equilibrium offer to make, so each asks for its best (a x = 1, b x = 0),
/// each refuses the other's (worth 0 to it), and the four rounds end in
/// stalemate.
#[test]
fn rubinstein_without_a_bargaining_range_asks_its_best() {
    let m = rubinstein_game("4", "a", (0.9, 0.9), (0.8, 0.5));
    let (m, trace, outcome) = traced_model(m);
    assert_eq!(outcome, Outcome::Stalemate);
    let a = offers_by(&m, &trace, "a", "bargaining");
    let b = offers_by(&m, &trace, "b", "bargaining");
    assert!(
        a.len() == 2 && a.iter().all(|x| close(*x, 1.0)),
        "a offered {a:?}"
    );
    assert!(
        b.len() == 2 && b.iter().all(|x| close(*x, 0.0)),
        "b offered {b:?}"
    );
}

/// A bargaining range of one point: both values of no deal are ½, so the
/// only offer each accepts is x = ½, and a, proposing in the only round,
/// asks exactly that (its best that leaves b ½); b takes it.
#[test]
fn rubinstein_takes_a_bargaining_range_of_one_point() {
    for rounds in ["1", "\"unbounded\""] {
        let m = rubinstein_game(rounds, "a", (0.9, 0.9), (0.5, 0.5));
        let res = Runner::new(&m, 1).run(0).unwrap();
        assert_eq!(res.outcome(), Outcome::Agreement, "rounds = {rounds}");
        assert!(
            close(res.settled[0].unwrap(), 0.5),
            "rounds = {rounds}: {:?}",
            res.settled
        );
    }
}

/// Rubinstein's responder takes exactly what rejecting is worth. Two
/// rounds, a scripted a proposing first and accepting nothing; b's value of
/// no deal is 0.1, its patience 0.9. Rejecting, b proposes in the last
/// round and takes everything a's value of no deal (0) leaves it, 1, worth
/// `0.1 + 0.9 (1 − 0.1) = 0.91` now. So b accepts x = 0.09 (worth 0.91 to
/// it) and refuses x = 0.2 (worth 0.8, more than its value of no deal),
/// then asks x = 0, which the script refuses: stalemate.
#[test]
fn rubinstein_accepts_exactly_what_rejecting_is_worth() {
    for (ask, want) in [(0.09, Outcome::Agreement), (0.2, Outcome::Stalemate)] {
        let m = rubinstein_game("2", "a", (0.9, 0.9), (0.0, 0.1));
        let mut runner = Runner::new(&m, 1);
        runner
            .set_tactic(
                "a",
                Box::new(Script {
                    aims: vec![ask],
                    moves: 0,
                }),
            )
            .unwrap();
        let res = runner.run(0).unwrap();
        assert_eq!(res.outcome(), want, "a asks {ask}");
        if want == Outcome::Agreement {
            assert!(close(res.settled[0].unwrap(), ask), "{:?}", res.settled);
        }
    }
}

/// Rubinstein's infinite game on the surplus over the values of no deal
/// (`d = 0.1` for a, `e = 0.2` for b, surplus `S = 0.7`): as in the finite
/// case the pie is the surplus, so the first proposer gets its value of no
/// deal plus `S (1 − δ_r) / (1 − δ_p δ_r)`, `δ_r` the responder's factor.
#[test]
fn rubinstein_without_a_deadline_splits_the_surplus_over_the_values_of_no_deal() {
    let (d, e, s) = (0.1, 0.2, 0.7);
    for (da, db) in [(0.9, 0.8), (0.5, 0.95), (0.99, 0.6)] {
        for first in ["a", "b"] {
            let m = rubinstein_game("\"unbounded\"", first, (da, db), (d, e));
            let want = if first == "a" {
                d + s * (1.0 - db) / (1.0 - da * db)
            } else {
                1.0 - (e + s * (1.0 - da) / (1.0 - da * db))
            };
            let x = first_settlement(&m);
            assert!(
                (x - want).abs() < 1e-9,
                "d = ({da}, {db}), {first} first: x = {x}, by hand {want}"
            );
        }
    }
}

/// The curved frontier of the test above with values of no deal 0.1 for a
/// and 0.2 for b: the stationary offer solves
/// `1 − a² − 0.2 = 0.9 (1 − (0.1 + 0.9 (a − 0.1))² − 0.2)`, that is
/// `0.271 a² − 0.0162 a − 0.08009 = 0`, whose positive root is
/// `(0.0162 + √(0.0162² + 4 · 0.271 · 0.08009)) / 0.542` ≈ 0.574342 (below
/// b's limit √0.8).
#[test]
fn rubinstein_on_a_curved_frontier_discounts_toward_the_values_of_no_deal() {
    let m = rubinstein(&[
        (
            "positions = { share = 0.0 }",
            "positions = { share = 0.0 }\nutility = \"quadratic\"",
        ),
        ("disagreement = 0.0", "disagreement = 0.1"),
        ("disagreement = 0.0", "disagreement = 0.2"),
    ]);
    let x = first_settlement(&m);
    let want = (0.0162 + (0.0162f64 * 0.0162 + 4.0 * 0.271 * 0.08009).sqrt()) / 0.542;
    assert!((x - want).abs() < 1e-9, "settled {x}, by hand {want}");
}

/// Perfectly patient parties without a deadline: the limit of Rubinstein's
/// equilibrium is the Nash bargaining solution (Binmore, Rubinstein &
/// Wolinsky 1986). With a's value of no deal 0.2 and b's 0 it maximises
/// `(x − 0.2)(1 − x)`, at `x = 0.6`.
#[test]
fn perfectly_patient_rubinstein_players_settle_at_the_nash_solution() {
    let m = rubinstein(&[
        ("patience = 0.9", "patience = 1.0"),
        ("patience = 0.9", "patience = 1.0"),
        ("disagreement = 0.0", "disagreement = 0.2"),
    ]);
    let x = first_settlement(&m);
    assert!((x - 0.6).abs() < 1e-6, "settled {x}");
}

/// A curved frontier (no closed form in the code's affine shortcut): b's
/// utility is quadratic, `1 − x²`, a's linear, `x`, both discount 0.9 a
/// round, values of no deal 0. The stationary offer solves
/// `F(a) = δ F(δ a)` with `F(a) = 1 − a²`: `1 − a² = 0.9 (1 − 0.81 a²)`, so
/// `a² = 0.1 / 0.271` and a asks `x = √(0.1 / 0.271) ≈ 0.60746`, which b
/// accepts at once.
#[test]
fn rubinstein_on_a_curved_frontier_solves_the_stationary_equation() {
    let m = rubinstein(&[(
        "positions = { share = 0.0 }",
        "positions = { share = 0.0 }\nutility = \"quadratic\"",
    )]);
    let x = first_settlement(&m);
    let want = (0.1f64 / 0.271).sqrt();
    assert!((x - want).abs() < 1e-6, "settled {x}, by hand {want}");
}

/// Three at the table, one issue: a wants x = 1, b x = 0 (value of no deal
/// 0.4), c x = 0.5 (value of no deal 0.8), linear utilities. a has two
/// counterparts. Leaving b 0.4 needs x ≤ 0.6, leaving c 0.8 needs
/// |x − 0.5| ≤ 0.2, i.e. x ≤ 0.7: the most a can ask is x = 0.6. Leaving b
/// 0.45 instead needs x ≤ 0.55; leaving it 0.9 needs x ≤ 0.1, which c
/// refuses (x ≥ 0.3): no offer does.
#[test]
fn a_custom_tactic_sees_every_counterpart_at_a_multilateral_table() {
    let text = "name = \"probe3\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\n\
        [issues.x]\n\
        [parties.a]\npositions = { x = 1.0 }\ndisagreement = 0.0\n\
        [parties.b]\npositions = { x = 0.0 }\ndisagreement = 0.4\ntactic = \"hardliner\"\n\
        [parties.c]\npositions = { x = 0.5 }\ndisagreement = 0.8\ntactic = \"hardliner\"\n\
        [meetings.talks]\ndate = 2024-01-02\nparticipants = [\"a\", \"b\", \"c\"]\nagenda = [\"x\"]\nrounds = 3\n";
    let m = compile(text);
    let seen = Arc::new(Mutex::new(None));
    let mut runner = Runner::new(&m, 1);
    runner
        .set_tactic("a", Box::new(Probe(seen.clone())))
        .unwrap();
    runner.run(0).unwrap();
    let s = seen.lock().unwrap().clone().expect("a moved");
    assert_eq!(s.counterparts, 2, "{s:#?}");
    assert!((s.floor - 0.4).abs() < 1e-9, "{s:#?}");
    let near = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-9);
    assert!(near(s.max_leaving_others, 0.6), "{s:#?}");
    assert!(near(s.max_leaving, 0.55), "{s:#?}");
    assert_eq!(s.max_leaving_too_much, None, "{s:#?}");
}

/// What a [`Glance`] saw at its first move: the party index of each
/// counterpart, and the efficient offer at one aim.
#[derive(Debug, Clone, PartialEq)]
struct Glanced {
    parties: Vec<usize>,
    offer: Vec<f64>,
}

/// Records, at its first move, [`Turn::counterpart_party`] for every
/// counterpart and [`Turn::offer_at`] at the aim it holds, then asks for its
/// best.
#[derive(Debug)]
struct Glance(f64, Arc<Mutex<Option<Glanced>>>);

impl Tactic for Glance {
    fn name(&self) -> &str {
        "glance"
    }

    fn aim(&mut self, turn: &mut Turn<'_>, _when: When) -> f64 {
        let mut slot = self.1.lock().unwrap();
        if slot.is_none() {
            *slot = Some(Glanced {
                parties: (0..turn.counterparts())
                    .map(|j| turn.counterpart_party(j))
                    .collect(),
                offer: turn.offer_at(self.0),
            });
        }
        turn.best()
    }
}

/// Runs `text` with a's seat a [`Glance`] at `aim`; what it saw.
fn glance(text: &str, aim: f64) -> Glanced {
    let m = compile(text);
    let seen = Arc::new(Mutex::new(None));
    let mut runner = Runner::new(&m, 1);
    runner
        .set_tactic("a", Box::new(Glance(aim, seen.clone())))
        .unwrap();
    runner.run(0).unwrap();
    let s = seen.lock().unwrap().clone().expect("a moved");
    s
}

/// The probe's table of two issues (`x` on the agenda, `y` held at its
/// status quo 0.5, equal saliences; a wants x = y = 1, red line x ≥ 0.2):
/// a's utility of (x, 0.5) is ½ x + ¼, so its efficient offer at the aim
/// 0.55 is x = 0.6, and y stays 0.5: the full vector (0.6, 0.5). At the
/// aim 0.75 it is its best, (1, 0.5). Its one counterpart, b, is the
/// scenario's second party: index 1.
///
/// At the three-party table (parties a, b, c in that order, seated a, b,
/// c) a's counterparts 0 and 1 are b and c: party indices 1 and 2.
#[test]
fn a_custom_tactic_sees_its_counterparts_parties_and_the_offer_at_an_aim() {
    let two = "name = \"glance\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\n\
        [issues.x]\n[issues.y]\nstatus_quo = 0.5\n\
        [parties.a]\npositions = { x = 1.0, y = 1.0 }\nreservation = { x = 0.2 }\ndisagreement = 0.0\n\
        [parties.b]\npositions = { x = 0.0, y = 0.0 }\ndisagreement = 0.4\npatience = 0.9\ntactic = \"hardliner\"\n\
        [meetings.talks]\ndate = 2024-01-02\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\nrounds = 2\n";
    for (aim, want) in [(0.55, [0.6, 0.5]), (0.75, [1.0, 0.5])] {
        let s = glance(two, aim);
        assert_eq!(s.parties, [1], "{s:?}");
        assert_eq!(s.offer.len(), 2, "{s:?}");
        assert!(
            close(s.offer[0], want[0]) && close(s.offer[1], want[1]),
            "aim {aim}: {s:?}, by hand {want:?}"
        );
    }
    let three = "name = \"glance3\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\n\
        [issues.x]\n\
        [parties.a]\npositions = { x = 1.0 }\ndisagreement = 0.0\n\
        [parties.b]\npositions = { x = 0.0 }\ndisagreement = 0.4\ntactic = \"hardliner\"\n\
        [parties.c]\npositions = { x = 0.5 }\ndisagreement = 0.8\ntactic = \"hardliner\"\n\
        [meetings.talks]\ndate = 2024-01-02\nparticipants = [\"a\", \"b\", \"c\"]\nagenda = [\"x\"]\nrounds = 3\n";
    let s = glance(three, 0.6);
    assert_eq!(s.parties, [1, 2], "{s:?}");
}

// ------------------------------------------------------------------- war

/// Runs `text` once with the trace on.
fn traced(text: &str) -> (Model, negsim::model::Trace, Outcome) {
    traced_model(compile(text))
}

/// Runs `m` once with the trace on.
fn traced_model(m: Model) -> (Model, negsim::model::Trace, Outcome) {
    let mut runner = Runner::new(&m, 1);
    runner.set_trace(true);
    let res = runner.run(0).unwrap();
    let trace = runner.trace().clone();
    (m, trace, res.outcome())
}

fn rows(trace: &negsim::model::Trace, kind: TraceKind) -> Vec<&negsim::model::TraceRow> {
    trace.rows.iter().filter(|r| r.kind == kind).collect()
}

/// The party's value of no deal as its seat row records it.
fn seat_value(m: &Model, trace: &negsim::model::Trace, id: &str) -> f64 {
    let p = m.party_index(id).unwrap();
    rows(trace, TraceKind::Seat)
        .into_iter()
        .find(|r| r.party == Some(p))
        .and_then(|r| r.value)
        .unwrap()
}

/// A war with an ally on each side and half the stake. `b` (capability 1,
/// wants x = 0) may attack `a` (capability 1, wants x = 1); the status quo
/// is x = 0.9. `c` (capability 2, wants x = 1) joins a with probability
/// 1/4 bringing half its capability; `e` (capability 1, wants x = 0) joins
/// b with probability 1/2 bringing all of it. A win moves x half-way to the
/// winner's position: to 0.95 if a wins, to 0.45 if b wins.
///
/// Over who joins (c, e): neither, p = 3/4 · 1/2 = 3/8, a wins with 1/2;
/// c only, 1/8, 2/3; e only, 3/8, 1/3; both, 1/8, 2/4. So
/// `P(a wins) = 3/16 + 1/12 + 1/8 + 1/16 = 11/24`. With linear utilities,
/// costs 0.1 (a, b, e) and 0.2 (c):
///
/// - b: `11/24 · 0.05 + 13/24 · 0.55 − 0.1 = 0.45 − 11/48` ≈ 0.220833;
/// - a: `11/24 · 0.95 + 13/24 · 0.45 − 0.1 = 0.35 + 11/48` ≈ 0.579167;
/// - c, an ally paying its cost scaled by its chance of joining and the
///   share it brings: `0.45 + 11/48 − 1/4 · 1/2 · 0.2` ≈ 0.654167;
/// - e: `0.55 − 11/48 − 1/2 · 1 · 0.1` ≈ 0.270833.
///
/// With no noise every party expects b to fight (0.220833 beats its status
/// quo 1 − 0.9 = 0.1), so each one's value of no deal is its war value.
/// b, the hardliner a's offer x = 1 rejected and no meeting ahead, fights:
/// its margin is 0.220833 − 0.1.
#[test]
fn the_war_lottery_weighs_who_joins_and_what_each_side_imposes() {
    let text = "name = \"allies\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\nnoise = 0\n\
        [issues.x]\nstatus_quo = 0.9\n\
        [parties.a]\npositions = { x = 1.0 }\ncost_of_conflict = 0.1\ntactic = \"hardliner\"\nwalkout = 1.0\n\
        [parties.b]\npositions = { x = 0.0 }\ncost_of_conflict = 0.1\nwalkout = 1.0\n\
        [parties.c]\npositions = { x = 1.0 }\ncapability = 2.0\ncost_of_conflict = 0.2\nwalkout = 1.0\n\
        [parties.e]\npositions = { x = 0.0 }\ncost_of_conflict = 0.1\nwalkout = 1.0\n\
        [meetings.crisis]\ndate = 2024-01-08\nparticipants = [\"a\", \"b\", \"c\", \"e\"]\nagenda = [\"x\"]\nfirst = \"a\"\nrounds = 1\n\
        [conflicts.war]\nbetween = [\"a\", \"b\"]\ninitiators = [\"b\"]\nstakes = { x = 0.5 }\n\
        [conflicts.war.allies]\nc = { side = \"a\", probability = 0.25, contribution = 0.5 }\n\
        e = { side = \"b\", probability = 0.5, contribution = 1.0 }\n";
    let (m, trace, outcome) = traced(text);
    let w = 11.0 / 48.0;
    let (wb, wa, wc, we) = (0.45 - w, 0.35 + w, 0.45 + w - 0.025, 0.55 - w - 0.05);
    for (id, want) in [("a", wa), ("b", wb), ("c", wc), ("e", we)] {
        let got = seat_value(&m, &trace, id);
        assert!(
            close(got, want),
            "{id}: value of no deal {got}, by hand {want}"
        );
    }
    let decision = rows(&trace, TraceKind::Decision)[0].value.unwrap();
    assert!(close(decision, wb - 0.1), "margin {decision}");
    assert_eq!(outcome, Outcome::Conflict);
    let war = rows(&trace, TraceKind::Escalation)[0];
    assert!(close(war.value.unwrap(), wb), "{war:?}");
}

/// b may fight a over x or c over y (status quo 0.9 on both; b wants 0 on
/// both, equal saliences; a wants x = 1, c y = 1; costs 0.1). Against a
/// (capabilities 1 and 1) its war is worth `½ (0.05) + ½ (0.55) − 0.1 =
/// 0.2`; against c (capability 1/3: b wins with 3/4) `¼ (0.05) + ¾ (0.55)
/// − 0.1 = 0.325`. Its status quo is worth 0.1. After a rejects its
/// meeting's single offer b starts its best war, the second one listed:
/// margin 0.225, value 0.325.
#[test]
fn an_initiator_starts_its_best_war_of_several() {
    let text = "name = \"two wars\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\nnoise = 0\n\
        [issues.x]\nstatus_quo = 0.9\n[issues.y]\nstatus_quo = 0.9\n\
        [parties.a]\npositions = { x = 1.0 }\ncost_of_conflict = 0.1\ntactic = \"hardliner\"\nwalkout = 1.0\n\
        [parties.b]\npositions = { x = 0.0, y = 0.0 }\ncost_of_conflict = 0.1\nwalkout = 1.0\n\
        [parties.c]\npositions = { y = 1.0 }\ncapability = 0.3333333333333333\ncost_of_conflict = 0.1\nwalkout = 1.0\n\
        [meetings.crisis]\ndate = 2024-01-08\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\nfirst = \"a\"\nrounds = 1\n\
        [conflicts.over_x]\nbetween = [\"a\", \"b\"]\ninitiators = [\"b\"]\nstakes = [\"x\"]\n\
        [conflicts.over_y]\nbetween = [\"c\", \"b\"]\ninitiators = [\"b\"]\nstakes = [\"y\"]\n";
    let (m, trace, outcome) = traced(text);
    assert_eq!(outcome, Outcome::Conflict);
    let decision = rows(&trace, TraceKind::Decision)[0].value.unwrap();
    let war = rows(&trace, TraceKind::Escalation)[0];
    let over_y = m.conflicts.iter().position(|c| c.id == "over_y").unwrap();
    assert_eq!(war.subject, Some(over_y), "{war:?}");
    assert!((war.value.unwrap() - 0.325).abs() < 1e-9, "{war:?}");
    assert!((decision - 0.225).abs() < 1e-9, "margin {decision}");
}

/// `fearon.toml` with fixed costs of 0.1, no noise, no resolve shock, and
/// `a` a hardliner, whose one offer (x = 1, worth 0 to b) b rejects: b's war
/// is worth `½ · 0 + ½ · 1 − 0.1 = 0.4`, its status quo `1 − 0.9 = 0.1`.
fn fearon(extra: &[(&str, &str)]) -> String {
    let mut text = std::fs::read_to_string("scenarios/textbook/fearon.toml")
        .unwrap()
        .replace("tactic = \"risk_return\"", "tactic = \"hardliner\"")
        .replace(
            "cost_of_conflict = { uniform = [0.05, 0.15] }",
            "cost_of_conflict = 0.1",
        )
        .replace("noise = 0.0 ", "noise = 0.0\ntemperature = 0 ");
    for (from, to) in extra {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    text
}

fn first_margin(trace: &negsim::model::Trace) -> f64 {
    rows(trace, TraceKind::Decision)[0].value.unwrap()
}

/// A tie goes to peace: with b's cost 0.25 its war is worth exactly
/// `½ − 0.25 = 0.25`, and with the status quo at x = 0.75 so is going on
/// (`1 − 0.75`; no meeting ahead). The margin is 0 and b does not fight.
#[test]
fn a_war_worth_exactly_what_going_on_is_worth_is_not_started() {
    let text = fearon(&[
        ("status_quo = 0.9", "status_quo = 0.75"),
        // b's cost (its entry is the one followed by its walkout threshold).
        ("0.1   # private: drawn per run\nwalkout", "0.25\nwalkout"),
    ]);
    let (_, trace, outcome) = traced(&text);
    assert_eq!(first_margin(&trace), 0.0);
    assert!(rows(&trace, TraceKind::Escalation).is_empty());
    assert_ne!(outcome, Outcome::Conflict);
}

/// A meeting b does not attend is no future for b: with a later meeting
/// between a and a third party only, b's going on is still its status quo,
/// 0.1, and its margin 0.4 − 0.1 = 0.3.
#[test]
fn a_meeting_without_the_initiator_does_not_count_as_its_future() {
    let mut text = fearon(&[]);
    text += "[issues.other]\n[parties.c]\npositions = { other = 1.0 }\n\
             [meetings.elsewhere]\ndate = 2024-02-01\nparticipants = [\"a\", \"c\"]\nagenda = [\"other\"]\nrounds = 1\n";
    let text = text.replace(
        "positions = { good = 1.0 }",
        "positions = { good = 1.0, other = 0.0 }",
    );
    let (_, trace, outcome) = traced(&text);
    assert!(
        close(first_margin(&trace), 0.3),
        "margin {}",
        first_margin(&trace)
    );
    assert_eq!(outcome, Outcome::Conflict);
}

/// The trace records the exact margin even where a lower bound settles the
/// choice. b's value of no deal is set to 0.5, above its war (0.4), and it
/// is perfectly patient, with a follow-up 10 days on: going on is worth at
/// least 0.5, so peace is chosen without the next meeting's frontier. The
/// exact value: a expects b to fight, so its own value of no deal is its war,
/// `½ · 1 − 0.1 = 0.4`; leaving a that, b can get 0.6; going on is worth
/// `0.5 + ½ (0.6 − 0.5) = 0.55`, and the margin is 0.4 − 0.55 = −0.15.
#[test]
fn the_trace_records_the_exact_margin_when_a_bound_settles_the_choice() {
    let text = fearon(&[
        (
            "walkout = 1.0",
            "walkout = 1.0\npatience = 1.0\ndisagreement = 0.5",
        ),
        (
            "rounds = 1",
            "rounds = 1\nfollow_up = { delay = 10, max = 1 }",
        ),
    ]);
    let (_, trace, _) = traced(&text);
    let margin = first_margin(&trace);
    assert!(close(margin, -0.15), "margin {margin}");
}

/// Starting a war sets off the threats that answer it, from anyone's
/// escalation or from this party's, and only those: a threat that answers
/// a walkout stays pending.
#[test]
fn a_war_sets_off_exactly_the_threats_that_answer_it() {
    let mut text = fearon(&[]);
    for (id, trigger) in [
        ("on_any", "escalation = \"any\""),
        ("on_b", "escalation = \"b\""),
        ("on_walkout", "walkout = \"b\""),
    ] {
        text += &format!(
            "[threats.{id}]\nissuer = \"a\"\ntarget = \"b\"\nkind = \"sanctions\"\ntrigger = {{ {trigger} }}\n\
             cost_to_target = 0.01\ncost_to_issuer = 0.0\ncredibility = 1.0\n"
        );
    }
    let (m, trace, outcome) = traced(&text);
    assert_eq!(outcome, Outcome::Conflict);
    let fired: Vec<&str> = rows(&trace, TraceKind::ThreatTriggered)
        .iter()
        .map(|r| m.threats[r.subject.unwrap()].id.as_str())
        .collect();
    assert_eq!(fired, ["on_any", "on_b"]);
}

/// What a side imposes counts only the members that state a position on
/// the issue. Bloc `west` (a, wanting x = 1, and c, wanting y = 1;
/// capabilities 1 each) may be attacked by b (x = 0, capability 2) over x
/// and y (status quo 0.9 on both); o, seated but outside the war, wants 0 on
/// both with equal saliences. Each side pools 2, so each wins with ½.
///
/// - A west win imposes x = 1 (a's position; c states none on x) and y = 1
///   (c's): `(1, 1)`.
/// - A win by b imposes x = 0 and leaves y at 0.9 (no member of b's side
///   states a position on y): `(0, 0.9)`.
/// - o: `½ · 0 + ½ (½ · 1 + ½ · 0.1) = 0.275`; with no noise o expects b to
///   fight (below), so that is its value of no deal.
/// - b (utility `1 − x`, cost 0.1): `½ · 0 + ½ · 1 − 0.1 = 0.4`, against its
///   status quo 0.1; a (utility x, cost 0.1): `½ · 1 − 0.1 = 0.4`.
///
/// a, a hardliner leading the bloc, offers x = 1 and accepts nothing else,
/// so b, no meeting ahead, fights with margin 0.3.
#[test]
fn a_war_imposes_the_positions_of_the_members_who_state_one() {
    let text = "name = \"stakes\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\nnoise = 0\n\
        [issues.x]\nstatus_quo = 0.9\n[issues.y]\nstatus_quo = 0.9\n\
        [parties.a]\npositions = { x = 1.0 }\ncost_of_conflict = 0.1\ntactic = \"hardliner\"\nwalkout = 1.0\n\
        [parties.c]\npositions = { y = 1.0 }\ncost_of_conflict = 0.1\nwalkout = 1.0\n\
        [parties.b]\npositions = { x = 0.0 }\ncapability = 2.0\ncost_of_conflict = 0.1\nwalkout = 1.0\n\
        [parties.o]\npositions = { x = 0.0, y = 0.0 }\nwalkout = 1.0\n\
        [blocs.west]\nmembers = [\"a\", \"c\"]\nlead = \"a\"\n\
        [meetings.crisis]\ndate = 2024-01-08\nparticipants = [\"west\", \"b\", \"o\"]\nagenda = [\"x\"]\nfirst = \"west\"\nrounds = 1\n\
        [conflicts.war]\nbetween = [\"west\", \"b\"]\ninitiators = [\"b\"]\nstakes = [\"x\", \"y\"]\n";
    let (m, trace, outcome) = traced(text);
    for (id, want) in [("o", 0.275), ("b", 0.4), ("a", 0.4)] {
        let got = seat_value(&m, &trace, id);
        assert!(
            close(got, want),
            "{id}: value of no deal {got}, by hand {want}"
        );
    }
    assert_eq!(outcome, Outcome::Conflict);
    assert!(
        close(first_margin(&trace), 0.3),
        "margin {}",
        first_margin(&trace)
    );
    let war = rows(&trace, TraceKind::Escalation)[0];
    assert!(close(war.value.unwrap(), 0.4), "{war:?}");
}

/// A war with a `not_before` date waits for it. In `fearon.toml` (b's war
/// worth 0.4 against its status quo 0.1, as above) the war may not start
/// before 1 February (day 31), and an event that day, without effects, is a
/// decision point. At the meeting's end (day 7) b may not fight; on day 31
/// it may, and does.
#[test]
fn a_war_not_before_a_date_starts_on_that_date_and_not_earlier() {
    let text = fearon(&[(
        "initiators = [\"b\"]",
        "initiators = [\"b\"]\nnot_before = 2024-02-01",
    )]) + "[events.ultimatum_expires]\ndate = 2024-02-01\neffects = []\n";
    let (_, trace, outcome) = traced(&text);
    assert_eq!(outcome, Outcome::Conflict);
    let wars = rows(&trace, TraceKind::Escalation);
    assert_eq!(wars.len(), 1);
    assert_eq!(wars[0].day, 31.0, "{:?}", wars[0]);
}

/// Of two wars worth exactly the same, the initiator starts the first
/// listed. b may fight a over x or c over y, the two alike (status quo 0.9,
/// b wanting 0 on both with equal saliences, a x = 1 and c y = 1,
/// capabilities 1, costs 0.1): each war is worth
/// `½ (½ · 0.1) + ½ (½ · 1 + ½ · 0.1) − 0.1 = 0.2` to b, against its
/// status quo 0.1.
#[test]
fn of_two_equally_good_wars_the_first_listed_is_started() {
    let text = "name = \"two equal wars\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\nnoise = 0\n\
        [issues.x]\nstatus_quo = 0.9\n[issues.y]\nstatus_quo = 0.9\n\
        [parties.a]\npositions = { x = 1.0 }\ncost_of_conflict = 0.1\ntactic = \"hardliner\"\nwalkout = 1.0\n\
        [parties.b]\npositions = { x = 0.0, y = 0.0 }\ncost_of_conflict = 0.1\nwalkout = 1.0\n\
        [parties.c]\npositions = { y = 1.0 }\ncost_of_conflict = 0.1\nwalkout = 1.0\n\
        [meetings.crisis]\ndate = 2024-01-08\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\nfirst = \"a\"\nrounds = 1\n\
        [conflicts.over_x]\nbetween = [\"a\", \"b\"]\ninitiators = [\"b\"]\nstakes = [\"x\"]\n\
        [conflicts.over_y]\nbetween = [\"c\", \"b\"]\ninitiators = [\"b\"]\nstakes = [\"y\"]\n";
    let (m, trace, outcome) = traced(text);
    assert_eq!(outcome, Outcome::Conflict);
    let war = rows(&trace, TraceKind::Escalation)[0];
    let over_x = m.conflicts.iter().position(|c| c.id == "over_x").unwrap();
    assert_eq!(war.subject, Some(over_x), "{war:?}");
    assert!(close(war.value.unwrap(), 0.2), "{war:?}");
}

/// `fearon.toml` (as above: b's war worth 0.4, the status quo 0.1 to it)
/// with b's patience `δ = 0.9` a day and a follow-up meeting 10 days after
/// the crisis (day 7, so on day 17); `extra` changes the scenario further.
fn fearon_with_a_follow_up(extra: &[(&str, &str)]) -> String {
    let mut all = vec![
        ("walkout = 1.0", "walkout = 1.0\npatience = 0.9"),
        (
            "rounds = 1",
            "rounds = 1\nfollow_up = { delay = 10, max = 1 }",
        ),
    ];
    all.extend_from_slice(extra);
    fearon(&all)
}

/// The bound that spares the frontier must not hide a war worth fighting
/// (without a trace, where the bound alone decides). b's value of no deal
/// is fixed at 0.5 (above its war, 0.4); a expects b to fight, so a's value
/// of no deal is its war, `½ · 1 − 0.1 = 0.4`, and b believes it can get 0.6
/// at the follow-up, a deal worth `0.5 + ½ (0.6 − 0.5) = 0.55`. With
/// `g = 0.9^10` going on is worth `(1 − g) 0.1 + g 0.55 = 0.1 + 0.45 g ≈
/// 0.256905`, below the war: b fights on day 7, margin `0.3 − 0.45 g`. The
/// bound without a frontier, `(1 − g) 0.1 + g 0.5 ≈ 0.239471`, is below the
/// war too, so it settles nothing (discounted over 17 / 7 days instead of
/// 10 it would pass 0.4).
#[test]
fn a_war_beats_going_on_even_when_the_value_of_no_deal_is_above_it() {
    let m = compile(&fearon_with_a_follow_up(&[(
        "patience = 0.9",
        "patience = 0.9\ndisagreement = 0.5",
    )]));
    let res = Runner::new(&m, 1).run(0).unwrap();
    assert_eq!(res.outcome(), Outcome::Conflict);
    assert_eq!(res.end_time, 7.0);
    let (_, trace, _) = traced_model(m);
    let g = 0.9f64.powi(10);
    let margin = first_margin(&trace);
    assert!(close(margin, 0.3 - 0.45 * g), "margin {margin}");
}

/// The same where the status quo is worth more than the war and the value
/// of no deal at the next meeting less: `commitment.toml` (a's capability
/// 3 against b's 1, b's multiplied by 9 by a scheduled shift; costs 0.1;
/// patience 0.99 a day; status quo 0.75), without the resolve shock
/// (temperature 0) and with the dates moved: a learns of
/// the shift on day 80 (its first decision point), the shift comes on day
/// 100 and the talks on day 120. On day 80 a's war is worth
/// `¾ · 1 − 0.1 = 0.65`. At the talks, after the shift, either side's war
/// gives a `¼ − 0.1 = 0.15`, its value of no deal there; b (war worth
/// `¾ − 0.1 = 0.65` to it) will want at least 0.65, so a can get 0.35, a
/// deal worth `0.15 + ½ (0.35 − 0.15) = 0.25`. Going on, 40 days ahead:
/// `(1 − g) 0.75 + g 0.25 = 0.75 − ½ g`, `g = 0.99^40 ≈ 0.668971`, about
/// 0.4155, below the war: a fights on day 80 (margin `½ g − 0.1`). The
/// bound without a frontier, `0.75 − 0.6 g ≈ 0.349`, settles nothing;
/// discounted over 200 days instead of 40 it would pass 0.65.
#[test]
fn a_preventive_war_is_not_hidden_by_the_bound_on_going_on() {
    let mut text = std::fs::read_to_string("scenarios/textbook/commitment.toml").unwrap();
    for (from, to) in [
        ("end = 2024-03-31", "end = 2024-06-30"),
        ("noise = 0.0", "noise = 0.0\ntemperature = 0"),
        ("date = 2024-01-11", "date = 2024-03-21"),
        ("date = 2024-01-31", "date = 2024-04-10"),
        ("date = 2024-02-10", "date = 2024-04-30"),
    ] {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    let m = compile(&text);
    let res = Runner::new(&m, 1).run(0).unwrap();
    assert_eq!(res.outcome(), Outcome::Conflict);
    assert_eq!(res.end_time, 80.0);
    let (_, trace, _) = traced_model(m);
    let g = 0.99f64.powi(40);
    let margin = first_margin(&trace);
    assert!(close(margin, 0.5 * g - 0.1), "margin {margin}");
}

/// Going on is valued on the initiator's own frontier. With b's utility
/// quadratic, `1 − x²`, the frontier is no longer symmetric: its status quo
/// is worth `1 − 0.81 = 0.19` and its war `½ · 0 + ½ · 1 − 0.1 = 0.4`; a
/// (linear, utility x) expects it to fight, so a's value of no deal is
/// 0.4 and the most b can get leaving a that is at x = 0.4, `1 − 0.16 =
/// 0.84` (a's most leaving b 0.4 would be `√0.6`). The deal is worth
/// `0.4 + ½ (0.84 − 0.4) = 0.62`; going on `(1 − g) 0.19 + g 0.62`, `g =
/// 0.9^10`, and the margin `0.21 − 0.43 g ≈ 0.060068`.
#[test]
fn going_on_is_valued_on_the_initiators_own_frontier() {
    let text =
        fearon_with_a_follow_up(&[("patience = 0.9", "patience = 0.9\nutility = \"quadratic\"")]);
    let (_, trace, outcome) = traced(&text);
    let g = 0.9f64.powi(10);
    let margin = first_margin(&trace);
    assert!((margin - (0.21 - 0.43 * g)).abs() < 1e-6, "margin {margin}");
    assert_eq!(outcome, Outcome::Conflict);
}

/// Going on is valued in the state projected to the next meeting. An event
/// on day 12, between the crisis and the follow-up, raises a's cost of
/// conflict to 0.3: at the follow-up a's war, and so its value of no deal
/// (it still expects b to fight), is `½ − 0.3 = 0.2`, and b believes it can
/// get 0.8 there. The deal is worth `0.4 + ½ (0.8 − 0.4) = 0.6` and going
/// on `(1 − g) 0.1 + g 0.6`, `g = 0.9^10`: margin `0.3 − 0.5 g ≈ 0.125661`
/// (with today's values, a's 0.4, it would be `0.3 − 0.45 g`).
#[test]
fn going_on_is_valued_in_the_state_projected_to_the_next_meeting() {
    let text = fearon_with_a_follow_up(&[])
        + "[events.a_costs_rise]\ndate = 2024-01-13\neffects = [{ path = \"parties.a.cost_of_conflict\", to = 0.3 }]\n";
    let (_, trace, outcome) = traced(&text);
    let g = 0.9f64.powi(10);
    let margin = first_margin(&trace);
    assert!(close(margin, 0.3 - 0.5 * g), "margin {margin}");
    assert_eq!(outcome, Outcome::Conflict);
}

/// Going on is valued against what the initiator believes the others at
/// its next meeting need, not against a party that is not there. b may
/// attack a (x at stake, status quo 0.9; a wants x = 1, b x = 0; costs 0.1,
/// capabilities 1), but b talks with c (wanting x = 1, a hardliner) at the
/// crisis and its follow-up 10 days later; b's patience is 0.9 a day. With
/// no noise all expect b to fight (its war, `½ − 0.1 = 0.4`, beats its status
/// quo 0.1), so c's value of no deal is its value of that war,
/// `½ · 1 + ½ · 0 = 0.5`, and a's `½ − 0.1 = 0.4`. Leaving c 0.5, b can get
/// x = 0.5, worth 0.5: a deal worth `0.4 + ½ (0.5 − 0.4) = 0.45`, and going
/// on `(1 − g) 0.1 + g 0.45`, `g = 0.9^10`: margin `0.3 − 0.35 g`. The same
/// with an event before the follow-up that changes nothing b's choice
/// depends on (a's patience), so that the state is projected to that day.
#[test]
fn going_on_is_valued_against_the_parties_at_the_next_meeting() {
    let text = "name = \"elsewhere\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\nnoise = 0\n\
        [issues.x]\nstatus_quo = 0.9\n\
        [parties.a]\npositions = { x = 1.0 }\ncost_of_conflict = 0.1\nwalkout = 1.0\n\
        [parties.b]\npositions = { x = 0.0 }\ncost_of_conflict = 0.1\npatience = 0.9\nwalkout = 1.0\n\
        [parties.c]\npositions = { x = 1.0 }\ntactic = \"hardliner\"\nwalkout = 1.0\n\
        [meetings.crisis]\ndate = 2024-01-08\nparticipants = [\"c\", \"b\"]\nagenda = [\"x\"]\nfirst = \"c\"\nrounds = 1\nfollow_up = { delay = 10, max = 1 }\n\
        [conflicts.war]\nbetween = [\"a\", \"b\"]\ninitiators = [\"b\"]\n";
    let g = 0.9f64.powi(10);
    let event = "[events.a_changes]\ndate = 2024-01-12\neffects = [{ path = \"parties.a.patience\", to = 0.5 }]\n";
    for text in [text.to_string(), format!("{text}{event}")] {
        let (_, trace, outcome) = traced(&text);
        let margin = first_margin(&trace);
        assert!(close(margin, 0.3 - 0.35 * g), "margin {margin}\n{text}");
        assert_eq!(outcome, Outcome::Conflict);
    }
}

/// Going on is valued with the initiator's own beliefs of the others. In
/// `fearon.toml` with the follow-up, b's noise is 0.1 and a's 0: what b
/// expects at the follow-up depends on its estimate of a's value of no deal,
/// which carries b's error, drawn afresh each run, so b's margin differs
/// from run to run (a's estimates, or b's estimate of itself, carry no
/// error and would give the same margin in every run). The same with an
/// event before the follow-up (a's patience changes), so that the state is
/// projected to that day.
#[test]
fn going_on_is_valued_with_the_initiators_own_beliefs() {
    let text = fearon_with_a_follow_up(&[("patience = 0.9", "patience = 0.9\nnoise = 0.1")]);
    let event = "[events.a_changes]\ndate = 2024-01-12\neffects = [{ path = \"parties.a.patience\", to = 0.5 }]\n";
    for text in [text.clone(), format!("{text}{event}")] {
        let m = compile(&text);
        let mut runner = Runner::new(&m, 1);
        runner.set_trace(true);
        let mut margins = Vec::new();
        for r in 0..10 {
            runner.run(r).unwrap();
            margins.push(first_margin(runner.trace()));
        }
        assert!(
            margins.iter().any(|&x| x != margins[0]),
            "{margins:?}\n{text}"
        );
    }
}

/// Going on when no deal is expected at the next meeting is worth the value
/// of no deal there: `C = (1 − g) flow + g D'` (the chance of a deal 0, so
/// `π U_deal + (1 − π) D' = D'`). `fearon.toml` with the follow-up on day 17
/// (b's patience 0.9, `g = 0.9^10`) and b's value of no deal there fixed at
/// 0.9: the most it can get leaving a its value of no deal (its war, 0.4)
/// is 0.6, short of 0.9. Going on is worth `0.1 (1 − g) + 0.9 g = 0.1 +
/// 0.8 g ≈ 0.378947`, below its war (0.4): b fights on day 7, margin `0.3 −
/// 0.8 g ≈ 0.021053`.
#[test]
fn going_on_without_a_deal_in_sight_is_worth_the_value_of_no_deal_there() {
    let m = compile(&fearon_with_a_follow_up(&[(
        "patience = 0.9",
        "patience = 0.9\ndisagreement = 0.9",
    )]));
    let (_, trace, outcome) = traced_model(m);
    assert_eq!(outcome, Outcome::Conflict);
    let g = 0.9f64.powi(10);
    let margin = first_margin(&trace);
    assert!(close(margin, 0.3 - 0.8 * g), "margin {margin}");
}

/// The early bound on going on, `min(flow, D')`, decides only when it clears
/// the war by its rounding margin, `10⁻¹² (1 + |flow| + |D'|)`, not when it
/// falls a few `10⁻¹³` short of it. `fearon.toml` with the follow-up on day
/// 17 (b's patience 0.9): b's war is worth `½ − 0.1 = 0.4`. With the status
/// quo at x = 0.5 (worth 0.5 to b) and b's value of no deal fixed at
/// `0.4 − 10⁻¹³`, `min(flow, D')` is `10⁻¹³` below the war, but going on is
/// worth at least `(1 − g) 0.5 + g (0.4 − 10⁻¹³) ≈ 0.465`, `g = 0.9^10`:
/// b does not fight on day 7, nor later (with no meeting ahead going on is
/// worth the status quo, 0.5). An untraced run: a trace asks for the exact
/// value.
#[test]
fn a_bound_just_short_of_the_war_does_not_settle_the_choice() {
    let m = compile(&fearon_with_a_follow_up(&[
        ("status_quo = 0.9", "status_quo = 0.5"),
        (
            "patience = 0.9",
            "patience = 0.9\ndisagreement = 0.3999999999999",
        ),
    ]));
    let res = Runner::new(&m, 1).run(0).unwrap();
    assert_ne!(res.outcome(), Outcome::Conflict, "on day {}", res.end_time);
}

/// The logit choice's shortcut (`war::picks_second`) must give the exact
/// answer `draw < P`, `P` the second option's logit probability, where
/// its bound is tight. With the second option better by `1e-7` at
/// temperature 1 (`z = −1e-7`), `P = 1 / (1 + e^z) = ½ + 2.5e-8` to 1e-22
/// and the lower bound `(1 − z) / (2 − z)` falls short of it by only about
/// `z² / 8 = 1.25e-15`: a draw 1e-14 below `P` is picked and one 1e-14 above
/// is not (the shortcut's margin, a relative 1e-12, must lower the bound,
/// not raise it).
#[test]
fn the_logit_shortcut_gives_the_exact_answer_next_to_the_probability() {
    use negsim::model::war::picks_second;
    let p = 1.0 / (1.0 + (-1e-7f64).exp());
    assert!((p - (0.5 + 2.5e-8)).abs() < 1e-15);
    assert!(picks_second(0.0, 1e-7, 1.0, p - 1e-14));
    assert!(!picks_second(0.0, 1e-7, 1.0, p + 1e-14));
}

/// A draw picks the second option when it is below its probability,
/// strictly: `P(draw < P) = P` for a uniform draw in `[0, 1)`. With the
/// second option worse (a = 0.3, b = 0.1, temperature 0.2: `z = −1`),
/// `P = e^−1 / (1 + e^−1) ≈ 0.268941`; the draw equal to it is not picked.
#[test]
fn the_logit_choice_picks_the_second_option_strictly_below_its_probability() {
    use negsim::model::war::{picks_second, second_choice_probability};
    let e = (-1.0f64).exp();
    let p = second_choice_probability(0.3, 0.1, 0.2);
    assert!((p - e / (1.0 + e)).abs() < 1e-12, "{p}");
    assert!(!picks_second(0.3, 0.1, 0.2, p));
    assert!(picks_second(0.3, 0.1, 0.2, p - 1e-12));
    // A hot choice, the second option worse by 9 at temperature 10:
    // `P = e^−0.9 / (1 + e^−0.9) ≈ 0.2891`, so a draw of 0.2 picks it and
    // one of 0.3 does not.
    assert!(picks_second(0.0, -9.0, 10.0, 0.2));
    assert!(!picks_second(0.0, -9.0, 10.0, 0.3));
    // A tie: `P = ½` at any temperature.
    assert!(picks_second(0.2, 0.2, 0.5, 0.25));
    assert!(!picks_second(0.2, 0.2, 0.5, 0.75));
}

/// The shortcut's bound for the better option, `(τ + d) / (2τ + d)` with
/// `d = b − a`, at a high temperature, where a bound of the wrong form is
/// above the probability: at temperature 10 the second option better by 1
/// has `P = 1 / (1 + e^−0.1) ≈ 0.524979` (the bound 11/21 ≈ 0.5238), so a
/// draw of 0.7 does not pick it and one of 0.5 does; better by 3, `P = 1 /
/// (1 + e^−0.3) ≈ 0.574443` (the bound 13/23 ≈ 0.5652), so a draw of 0.9
/// does not pick it and one of 0.56 does.
#[test]
fn the_logit_shortcut_holds_at_a_high_temperature() {
    use negsim::model::war::picks_second;
    let p1 = 1.0 / (1.0 + (-0.1f64).exp());
    assert!((p1 - 0.524_979).abs() < 1e-6, "{p1}");
    assert!(!picks_second(0.0, 1.0, 10.0, 0.7));
    assert!(picks_second(0.0, 1.0, 10.0, 0.5));
    let p3 = 1.0 / (1.0 + (-0.3f64).exp());
    assert!((p3 - 0.574_443).abs() < 1e-6, "{p3}");
    assert!(!picks_second(0.0, 3.0, 10.0, 0.9));
    assert!(picks_second(0.0, 3.0, 10.0, 0.56));
    // The worse option, worse by 3: `P = 1 / (1 + e^0.3) ≈ 0.425557`, its
    // upper bound 10/13 ≈ 0.769; a draw of 0.4 picks it, one of 0.45 does not.
    assert!(picks_second(3.0, 0.0, 10.0, 0.4));
    assert!(!picks_second(3.0, 0.0, 10.0, 0.45));
}

/// Records the clock of every move it is asked to aim at.
#[derive(Debug)]
struct Clocked(Arc<Mutex<Vec<(f64, f64)>>>);

impl Tactic for Clocked {
    fn name(&self) -> &str {
        "clocked"
    }

    fn aim(&mut self, turn: &mut Turn<'_>, _when: When) -> f64 {
        self.0.lock().unwrap().push((turn.clock, turn.clock_next));
        turn.best()
    }
}

/// The clocks a's tactic saw against a hardliner in a meeting of `rounds`.
fn clocks_seen(rounds: u32) -> Vec<(f64, f64)> {
    let text = format!(
        "name = \"clock\"\n[simulation]\nstart = 2024-01-01\nend = 2040-12-31\ntemperature = 0\n\
         [issues.x]\n\
         [parties.a]\npositions = {{ x = 1.0 }}\ndisagreement = 0.0\n\
         [parties.b]\npositions = {{ x = 0.0 }}\ndisagreement = 0.0\ntactic = \"hardliner\"\n\
         [meetings.talks]\ndate = 2024-01-02\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\nrounds = {rounds}\n"
    );
    let m = compile(&text);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut runner = Runner::new(&m, 1);
    runner
        .set_tactic("a", Box::new(Clocked(seen.clone())))
        .unwrap();
    runner.run(0).unwrap();
    let v = seen.lock().unwrap().clone();
    v
}

/// Faratin's clock after `d` of a party's `T` rounds is `min(d / (T − 1),
/// 1)`, and 1 when `T = 1`: a one-round meeting is its deadline at once
/// (clock 1, next 1); in three rounds its first move is at 0, the next at
/// ½. Past the clock's table (4,096 moves), in a meeting of 5,000 rounds,
/// the clock still runs on `d / 4999`: a move between 0.85 and 0.99 is
/// seen, and every clock is a whole number of 4999ths.
#[test]
fn a_tactic_sees_faratins_clock_at_every_move() {
    assert_eq!(clocks_seen(1)[0], (1.0, 1.0));
    assert_eq!(clocks_seen(3)[0], (0.0, 0.5));
    let long = clocks_seen(5000);
    assert_eq!(long[0], (0.0, 1.0 / 4999.0));
    assert!(
        long.iter().any(|&(c, _)| c > 0.85 && c < 0.99),
        "{:?}",
        &long[long.len().saturating_sub(5)..]
    );
    for &(c, n) in &long {
        for t in [c, n] {
            let k = t * 4999.0;
            assert!(
                (k - k.round()).abs() < 1e-6 && (0.0..=1.0).contains(&t),
                "{t}"
            );
        }
    }
}

// ------------------------------------------------------ tactics' answers

/// Offers the others their best: asks for its worst efficient utility.
#[derive(Debug)]
struct Giver;

impl Tactic for Giver {
    fn name(&self) -> &str {
        "giver"
    }

    fn aim(&mut self, turn: &mut Turn<'_>, _when: When) -> f64 {
        turn.worst_efficient()
    }
}

/// A hardliner whose best is below 1 takes its best when offered it, even
/// with a round left. b wants x = 0 and y = 0, y off the agenda at 0.5: its
/// best is `½ · 1 + ½ · ½ = 0.75`, and with patience 1 AC_next asks for
/// `0.4 + 1 · (0.75 − 0.4) = 0.75` at its next move. a offers x = 0,
/// worth exactly that: accepted in round 0.
#[test]
fn a_hardliner_accepts_its_own_best() {
    let text = "name = \"giver\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\n\
        [issues.x]\n[issues.y]\nstatus_quo = 0.5\n\
        [parties.a]\npositions = { x = 1.0, y = 1.0 }\ndisagreement = 0.0\n\
        [parties.b]\npositions = { x = 0.0, y = 0.0 }\ndisagreement = 0.4\npatience = 1.0\ntactic = \"hardliner\"\n\
        [meetings.talks]\ndate = 2024-01-02\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\nrounds = 2\n";
    let m = compile(text);
    let mut runner = Runner::new(&m, 1);
    runner.set_tactic("a", Box::new(Giver)).unwrap();
    runner.set_trace(true);
    let res = runner.run(0).unwrap();
    // x settled (y, on no agenda, stays open: a partial agreement).
    assert!(close(res.settled[0].expect("x settled"), 0.0));
    assert_eq!(
        rows(runner.trace(), TraceKind::Offer).len(),
        1,
        "settled in round 0"
    );
}

/// Zeuthen's responder with no move left takes anything worth its value of
/// no deal: a (a hardliner at x = 0.7) asks for x = 0.7 in the only round,
/// worth `1 − 0.7 = 0.3` to b, whose value of no deal is 0.3. Settled at 0.7.
#[test]
fn zeuthens_responder_at_the_deadline_takes_its_value_of_no_deal() {
    let text = "name = \"z\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\n\
        [issues.x]\n\
        [parties.a]\npositions = { x = 0.7 }\ndisagreement = 0.0\ntactic = \"hardliner\"\n\
        [parties.b]\npositions = { x = 0.0 }\ndisagreement = 0.3\ntactic = \"zeuthen\"\n\
        [meetings.talks]\ndate = 2024-01-02\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\nrounds = 1\n";
    let res = Runner::new(&compile(text), 1).run(0).unwrap();
    assert_eq!(res.outcome(), Outcome::Agreement);
    assert!(close(res.settled[0].unwrap(), 0.7));
}

/// Proposes a scripted sequence of aims (its own utility) and accepts nothing.
#[derive(Debug)]
struct Script {
    aims: Vec<f64>,
    moves: usize,
}

impl Tactic for Script {
    fn name(&self) -> &str {
        "script"
    }

    fn aim(&mut self, _turn: &mut Turn<'_>, _when: When) -> f64 {
        self.aims[self.moves.min(self.aims.len() - 1)]
    }

    fn accepts(&mut self, _turn: &mut Turn<'_>, _u: f64) -> bool {
        false
    }

    fn proposed(&mut self, _aim: f64) {
        self.moves += 1;
    }
}

/// The x of each offer `id` made at meeting `meeting`, in order.
fn offers_by(m: &Model, trace: &negsim::model::Trace, id: &str, meeting: &str) -> Vec<f64> {
    let p = m.party_index(id).unwrap();
    let k = m.meetings.iter().position(|mt| mt.id == meeting).unwrap();
    rows(trace, TraceKind::Offer)
        .into_iter()
        .filter(|r| r.party == Some(p) && r.meeting == Some(k))
        .map(|r| trace.offer_of(r).unwrap()[0])
        .collect()
}

/// One issue `x`, a wanting x = 1 and b x = 0 (a's utility x, b's
/// 1 − x), neither walking out, one meeting `talks` of `rounds` rounds;
/// `a` and `b` are the rest of each party's fields, one `key = value` a line.
fn one_issue_talks(name: &str, a: &str, b: &str, rounds: u32) -> String {
    format!(
        "name = \"{name}\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\n\
        [issues.x]\n\
        [parties.a]\npositions = {{ x = 1.0 }}\n{a}walkout = 1.0\n\
        [parties.b]\npositions = {{ x = 0.0 }}\n{b}walkout = 1.0\n\
        [meetings.talks]\ndate = 2024-01-02\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\nrounds = {rounds}\n"
    )
}

/// A runner of `m` with b replaced by a [`Script`] of `aims`, tracing.
fn against_script(m: &Model, aims: Vec<f64>) -> Runner<'_> {
    let mut runner = Runner::new(m, 1);
    runner
        .set_tactic("b", Box::new(Script { aims, moves: 0 }))
        .unwrap();
    runner.set_trace(true);
    runner
}

/// Relative tit-for-tat against a scripted b, linear utilities over one
/// issue (a's utility is x, b's 1 − x), no discounting. b asks 0.9, then
/// 0.5, then 0.5 (x = 0.1, 0.5, 0.5) and accepts nothing. a opens at 1 and
/// stands there after b's first offer (no concession seen yet); b's second
/// concedes 0.5 − 0.1 = 0.4 to a, so a then asks 1 − 0.4 = 0.6, and it
/// rejects 0.5 since its next aim (0.6) is higher. At the next meeting it
/// opens where it last stood, 0.6, not at its best.
#[test]
fn tit_for_tat_mirrors_a_concession_and_opens_the_next_meeting_where_it_stood() {
    let text = "name = \"tft\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\n\
        [issues.x]\n\
        [parties.a]\npositions = { x = 1.0 }\ndisagreement = 0.0\npatience = 1.0\ntactic = \"tit_for_tat\"\nwalkout = 1.0\n\
        [parties.b]\npositions = { x = 0.0 }\ndisagreement = 0.0\nwalkout = 1.0\n\
        [meetings.first]\ndate = 2024-01-02\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\nrounds = 5\n\
        [meetings.second]\ndate = 2024-01-20\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\nrounds = 2\n";
    let m = compile(text);
    let mut runner = against_script(&m, vec![0.9, 0.5, 0.5]);
    runner.run(0).unwrap();
    let trace = runner.trace();
    let first = offers_by(&m, trace, "a", "first");
    let second = offers_by(&m, trace, "a", "second");
    let want = [1.0, 1.0, 0.6];
    assert!(
        first.len() == 3 && first.iter().zip(want).all(|(g, w)| close(*g, w)),
        "first meeting {first:?}, by hand {want:?}"
    );
    assert!(close(second[0], 0.6), "second meeting {second:?}");
}

/// Faratin's linear tactic above a value of no deal: a (D = 0.2) over 5
/// rounds proposes at rounds 0, 2 and 4, Faratin time 0, 1/2 and 1, asking
/// `0.2 + 0.8 (1 − τ)`: 1, 0.6 and 0.2. The hardliner b takes the last one
/// (it has no move left).
#[test]
fn a_time_dependent_tactic_concedes_down_to_its_value_of_no_deal() {
    let text = one_issue_talks(
        "td",
        "disagreement = 0.2\ntactic = \"linear\"\n",
        "disagreement = 0.0\ntactic = \"hardliner\"\n",
        5,
    );
    let (m, trace, outcome) = traced(&text);
    let mine = offers_by(&m, &trace, "a", "talks");
    let want = [1.0, 0.6, 0.2];
    assert!(
        mine.len() == 3 && mine.iter().zip(want).all(|(g, w)| close(*g, w)),
        "{mine:?}, by hand {want:?}"
    );
    assert_eq!(outcome, Outcome::Agreement);
}

/// Zeuthen's concessions step by step (Harsanyi's form): two Zeuthen
/// parties over one issue, a's utility x, b's 1 − x, values of no deal 0,
/// so the Nash product of an offer is `u (1 − u)`, at most `N* = ¼` at
/// x = ½. Each concession is the smallest one whose product reaches half-way
/// from the other's offer's product to `N*`:
///
/// - a opens at x = 1, b at x = 0 (both products 0);
/// - a concedes to the level `0 + ½ (¼ − 0) = 1/8`: `u (1 − u) = 1/8`,
///   `u = ½ + √(1/8)` ≈ 0.853553;
/// - b (its own product 0 against a's 1/8) to `1/8 + ½ (¼ − 1/8) = 3/16`:
///   its utility `½ + √(1/16) = ¾`, x = 0.25;
/// - a (1/8 against 3/16) to `3/16 + ½ (¼ − 3/16) = 7/32`:
///   `u = ½ + √(1/32)` ≈ 0.676777, which b, with no move left, accepts.
#[test]
fn zeuthens_concessions_go_half_way_to_the_nash_product_each_time() {
    let text = one_issue_talks(
        "zeuthen steps",
        "disagreement = 0.0\npatience = 1.0\ntactic = \"zeuthen\"\n",
        "disagreement = 0.0\npatience = 1.0\ntactic = \"zeuthen\"\n",
        5,
    );
    let (m, trace, outcome) = traced(&text);
    let a = offers_by(&m, &trace, "a", "talks");
    let b = offers_by(&m, &trace, "b", "talks");
    let (want_a, want_b) = (
        [1.0, 0.5 + 0.125f64.sqrt(), 0.5 + (1.0f64 / 32.0).sqrt()],
        [0.0, 0.25],
    );
    assert!(
        a.len() == 3 && a.iter().zip(want_a).all(|(g, w)| (g - w).abs() < 1e-9),
        "a offered {a:?}, by hand {want_a:?}"
    );
    assert!(
        b.len() == 2 && b.iter().zip(want_b).all(|(g, w)| (g - w).abs() < 1e-9),
        "b offered {b:?}, by hand {want_b:?}"
    );
    assert_eq!(outcome, Outcome::Agreement);
}

/// Zeuthen against a scripted b (a's utility x, b's 1 − x, values of no
/// deal 0, Nash product `x (1 − x)`, at most ¼): b asks 0.9, then 0.85
/// (x = 0.1, then 0.15) and accepts nothing.
///
/// - a opens at x = 1 (product 0); b's x = 0.1 has product 0.09, more than
///   a's, so a concedes to the level `0.09 + ½ (¼ − 0.09) = 0.17`:
///   `x = ½ + √(¼ − 0.17)` ≈ 0.782843;
/// - b's x = 0.15 has product 0.1275, less than a's 0.17: the burden is
///   b's and a stands at 0.782843 (conceding would have taken it to the
///   level `0.1275 + ½ (¼ − 0.1275)`, x ≈ 0.747487).
#[test]
fn zeuthen_stands_when_its_own_offer_has_the_larger_nash_product() {
    let text = one_issue_talks(
        "zeuthen holds",
        "disagreement = 0.0\npatience = 1.0\ntactic = \"zeuthen\"\n",
        "disagreement = 0.0\npatience = 1.0\n",
        5,
    );
    let m = compile(&text);
    let mut runner = against_script(&m, vec![0.9, 0.85]);
    runner.run(0).unwrap();
    let a = offers_by(&m, runner.trace(), "a", "talks");
    let conceded = 0.5 + (0.25f64 - 0.17).sqrt();
    let want = [1.0, conceded, conceded];
    assert!(
        a.len() == 3 && a.iter().zip(want).all(|(g, w)| (g - w).abs() < 1e-9),
        "a offered {a:?}, by hand {want:?}"
    );
}

/// Zeuthen accepts, with rounds to go, an offer worth what its own last
/// offer is worth to it: a opens at x = 1 (its utility 1), the scripted b
/// answers with the same x = 1 (aim 0 for b), and a takes it in round 1 of
/// 4 — two offers in all.
#[test]
fn zeuthen_accepts_its_own_last_offer_with_rounds_to_go() {
    let text = one_issue_talks(
        "zeuthen takes",
        "disagreement = 0.0\npatience = 1.0\ntactic = \"zeuthen\"\n",
        "disagreement = 0.0\npatience = 1.0\n",
        4,
    );
    let m = compile(&text);
    let mut runner = against_script(&m, vec![0.0]);
    let res = runner.run(0).unwrap();
    assert_eq!(res.outcome(), Outcome::Agreement);
    assert!(close(res.settled[0].unwrap(), 1.0));
    assert_eq!(rows(runner.trace(), TraceKind::Offer).len(), 2);
}

/// Records the aims a built-in tactic asks for at its own moves.
#[derive(Debug)]
struct Aims<T: Tactic>(T, Arc<Mutex<Vec<f64>>>);

impl<T: Tactic> Tactic for Aims<T> {
    fn name(&self) -> &str {
        "aims"
    }

    fn aim(&mut self, turn: &mut Turn<'_>, when: When) -> f64 {
        let a = self.0.aim(turn, when);
        if when == When::Now {
            self.1.lock().unwrap().push(a);
        }
        a
    }
}

/// Risk-return, when the counterpart takes even its best for sure, asks for
/// exactly its best. As in the probe case, x is on the agenda and y off it
/// at 0.5, equal saliences, so a's utilities run from `½ · 0 + ¼ = 0.25`
/// (x = 0) to its best `½ + ¼ = 0.75` (x = 1). b's utility of x = 1 is
/// `½ · 0 + ¼ = 0.25`, its value of no deal 0, and a sees it with noise
/// 0.01: `P(accept) = Φ((0.25 − D̂_b) / 0.01)` is 1 to machine precision
/// over the whole frontier, so `E(u) = u`, highest at the best, 0.75.
#[test]
fn risk_return_asks_its_best_when_even_that_is_accepted_for_sure() {
    let text = "name = \"sure\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\nnoise = 0.01\n\
        [issues.x]\n[issues.y]\nstatus_quo = 0.5\n\
        [parties.a]\npositions = { x = 1.0, y = 1.0 }\ndisagreement = 0.0\n\
        [parties.b]\npositions = { x = 0.0, y = 0.0 }\ndisagreement = 0.0\ntactic = \"hardliner\"\n\
        [meetings.talks]\ndate = 2024-01-02\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\nrounds = 1\n";
    let m = compile(text);
    let aims = Arc::new(Mutex::new(Vec::new()));
    let mut runner = Runner::new(&m, 1);
    runner
        .set_tactic(
            "a",
            Box::new(Aims(negsim::model::tactic::RiskReturn, aims.clone())),
        )
        .unwrap();
    runner.run(0).unwrap();
    let aims = aims.lock().unwrap().clone();
    assert!(
        aims.len() == 1 && (aims[0] - 0.75).abs() < 1e-9,
        "a asked {aims:?}, by hand [0.75]"
    );
}

/// Simultaneous offers settle when every seat accepts the text: hardliners
/// a (x = 1) and b (x = 0) demand their bests; the text, their mean, is 0.5,
/// worth 0.5 to each. In the only round neither has a move left, so each
/// accepts anything worth its value of no deal (0): an agreement at 0.5.
#[test]
fn simultaneous_offers_settle_on_a_text_everyone_accepts() {
    let text = "name = \"same\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\n\
        [issues.x]\n\
        [parties.a]\npositions = { x = 1.0 }\ndisagreement = 0.0\ntactic = \"hardliner\"\n\
        [parties.b]\npositions = { x = 0.0 }\ndisagreement = 0.0\ntactic = \"hardliner\"\n\
        [meetings.talks]\ndate = 2024-01-02\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\nprotocol = \"simultaneous\"\nrounds = 1\n";
    let res = Runner::new(&compile(text), 1).run(0).unwrap();
    assert_eq!(res.outcome(), Outcome::Agreement);
    assert!(close(res.settled[0].unwrap(), 0.5));
}

// ------------------------------------------------------------------ DeGroot

/// DeGroot averaging, worked from its rule `d ← d + U · step · (m − d)`,
/// `U ~ U[0, 1)`, `m` the mean of the demands held when the round began.
/// Two degroot parties, a at x = 0.2 and b at x = 0.8, step ½, two rounds
/// of simultaneous demands, a consensus tolerance of 0.01 and values of no
/// deal 0 (so any text is acceptable to each).
///
/// - Round 1 starts from the stated positions, mean 0.5: a demands
///   `0.2 + U · ½ · 0.3`, in `[0.2, 0.35)`; b `0.8 − U · ½ · 0.3`, in
///   `(0.65, 0.8]`.
/// - Round 2 starts from each one's round-1 demand `d₁` and the mean of
///   both, `m₁`: each demand lies between `d₁` and `d₁ + ½ (m₁ − d₁)`.
/// - After round 1, `b₁ − a₁ > 0.3`; in round 2 each moves at most half-way
///   to `m₁`, so `a₂ ≤ ½ (a₁ + m₁) < m₁ < ½ (b₁ + m₁) ≤ b₂` and
///   `b₂ − a₂ ≥ ½ (b₁ − a₁) > 0.15`: never within the tolerance; a degroot
///   party accepts no text by itself, so every run ends in stalemate.
/// - Over 100 runs the shares `U` spread over `[0, 1)`: some above 0.9,
///   some below 0.1 (a run of 100 draws missing either has probability
///   below 3e-5).
#[test]
fn degroot_moves_a_random_share_of_the_way_to_the_mean() {
    let text = "name = \"degroot\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\nnoise = 0\n\
        [issues.x]\n\
        [parties.a]\npositions = { x = 0.2 }\ndisagreement = 0.0\ntactic = { kind = \"degroot\", step = 0.5 }\nwalkout = 1.0\n\
        [parties.b]\npositions = { x = 0.8 }\ndisagreement = 0.0\ntactic = { kind = \"degroot\", step = 0.5 }\nwalkout = 1.0\n\
        [meetings.talks]\ndate = 2024-01-02\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\nprotocol = \"simultaneous\"\nrounds = 2\nconsensus = 0.01\n";
    let m = compile(text);
    let mut runner = Runner::new(&m, 1);
    runner.set_trace(true);
    let mut shares = Vec::new();
    for r in 0..100 {
        let res = runner.run(r).unwrap();
        assert_eq!(res.outcome(), Outcome::Stalemate, "run {r}");
        let trace = runner.trace();
        let (a, b) = (
            offers_by(&m, trace, "a", "talks"),
            offers_by(&m, trace, "b", "talks"),
        );
        assert_eq!((a.len(), b.len()), (2, 2), "run {r}: {a:?} {b:?}");
        let eps = 1e-12;
        assert!(a[0] >= 0.2 - eps && a[0] < 0.35 + eps, "run {r}: a {a:?}");
        assert!(b[0] > 0.65 - eps && b[0] <= 0.8 + eps, "run {r}: b {b:?}");
        shares.push((a[0] - 0.2) / 0.15);
        shares.push((0.8 - b[0]) / 0.15);
        let m1 = 0.5 * (a[0] + b[0]);
        for (d, who) in [(&a, "a"), (&b, "b")] {
            let (lo, hi) = (
                d[0].min(d[0] + 0.5 * (m1 - d[0])),
                d[0].max(d[0] + 0.5 * (m1 - d[0])),
            );
            assert!(
                d[1] >= lo - eps && d[1] <= hi + eps,
                "run {r}: {who} {d:?}, m1 {m1}"
            );
        }
    }
    assert!(shares.iter().any(|&u| u > 0.9), "{shares:?}");
    assert!(shares.iter().any(|&u| u < 0.1), "{shares:?}");
}

// ------------------------------------------------- a user's tactic, seated

/// What a [`Recorder`] was told: how many runs began, and the utility of
/// every offer put to it.
#[derive(Debug, Default)]
struct Told {
    resets: u32,
    heard: Vec<f64>,
}

/// Asks for its best, accepts nothing, and writes down what the model
/// tells it.
#[derive(Debug)]
struct Recorder(Arc<Mutex<Told>>);

impl Tactic for Recorder {
    fn name(&self) -> &str {
        "recorder"
    }

    fn reset(&mut self) {
        self.0.lock().unwrap().resets += 1;
    }

    fn aim(&mut self, turn: &mut Turn<'_>, _when: When) -> f64 {
        turn.best()
    }

    fn accepts(&mut self, _turn: &mut Turn<'_>, _u: f64) -> bool {
        false
    }

    fn observe(&mut self, u: f64) {
        self.0.lock().unwrap().heard.push(u);
    }
}

/// A tactic of the library's user is told of each run's start and of each
/// offer put to it. b's seat is a [`Recorder`]; a, a hardliner, offers its
/// best x = 1 in the meeting's only round, worth `1 − 1 = 0` to b. Over
/// three runs the recorder is reset three times (once as each run begins)
/// and hears 0 three times.
#[test]
fn a_users_tactic_is_reset_each_run_and_told_each_offer() {
    let m = compile(&one_issue_talks("told", "tactic = \"hardliner\"\n", "", 1));
    let told = Arc::new(Mutex::new(Told::default()));
    let mut runner = Runner::new(&m, 1);
    runner
        .set_tactic("b", Box::new(Recorder(told.clone())))
        .unwrap();
    for r in 0..3 {
        runner.run(r).unwrap();
    }
    let told = told.lock().unwrap();
    assert_eq!(told.resets, 3, "{told:?}");
    assert_eq!(told.heard, [0.0, 0.0, 0.0], "{told:?}");
}

/// Under NegMAS's clock a party accepts an offer worth at least its aim
/// less 1e-4, and a degroot party's aim is its best. b (degroot, x = 0,
/// value of no deal 0) hears a hardliner a's x = 1, worth 0 to it: far
/// below its best, 1, so it refuses (though the offer leaves it its value
/// of no deal), and demands its position x = 0, which a refuses. Two steps
/// of that end in stalemate.
#[test]
fn a_degroot_party_under_the_negmas_clock_accepts_only_near_its_best() {
    let text = "name = \"degroot negmas\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\nnoise = 0\n\
        [issues.x]\n\
        [parties.a]\npositions = { x = 1.0 }\ndisagreement = 0.0\ntactic = \"hardliner\"\nwalkout = 1.0\n\
        [parties.b]\npositions = { x = 0.0 }\ndisagreement = 0.0\ntactic = { kind = \"degroot\", step = 0.5 }\nwalkout = 1.0\n\
        [meetings.talks]\ndate = 2024-01-02\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\nprotocol = \"alternating\"\nclock = \"negmas\"\nfirst = \"a\"\nrounds = 2\n";
    let m = compile(text);
    let mut runner = Runner::new(&m, 1);
    runner.set_trace(true);
    let res = runner.run(0).unwrap();
    assert_eq!(res.outcome(), Outcome::Stalemate);
    assert_eq!(offers_by(&m, runner.trace(), "b", "talks"), [0.0, 0.0]);
}
