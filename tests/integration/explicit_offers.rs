//! The `Tactic` trait's extension for tactics that choose settlements
//! rather than aims (a person at the table, `negsim play`): an explicit
//! offer is put on the table as given, and a tactic can decide for itself
//! whether to walk out. Without them every output is as before (the golden
//! tests in `determinism.rs` pin that).

use negsim::model::tactic::When;
use negsim::model::{Model, Outcome, Runner, Tactic, TraceKind, Turn};
use negsim::scenario::ScenarioSource;

fn compile(text: &str) -> Model {
    let src = ScenarioSource::from_str("case.toml", text, &[]).unwrap_or_else(|e| panic!("{e}"));
    Model::compile(&src.scenario)
}

/// Two issues, `x` discrete with 5 values and `y` continuous, plus `z` off
/// the agenda (status quo 0.3); `a` wants everything high, `b` low.
fn case(b_extra: &str) -> String {
    format!(
        "name = \"case\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\n\
         [issues.x]\nkind = \"discrete\"\nvalues = 5\n[issues.y]\n[issues.z]\nstatus_quo = 0.3\n\
         [parties.a]\npositions = {{ x = 1.0, y = 1.0, z = 1.0 }}\ndisagreement = 0.0\ntactic = \"hardliner\"\n\
         [parties.b]\npositions = {{ x = 0.0, y = 0.0, z = 0.0 }}\ndisagreement = 0.0\ntactic = \"hardliner\"\n{b_extra}\n\
         [meetings.talks]\ndate = 2024-01-02\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\", \"y\"]\n\
         first = \"a\"\nrounds = 4\n"
    )
}

/// Offers what it is told, answers no, and walks out as told.
#[derive(Debug)]
struct Scripted {
    offer: Vec<f64>,
    walk: Option<bool>,
    seen_ideal: Vec<Vec<f64>>,
}

impl Tactic for Scripted {
    fn name(&self) -> &str {
        "scripted"
    }
    fn aim(&mut self, turn: &mut Turn<'_>, _when: When) -> f64 {
        turn.best()
    }
    fn accepts(&mut self, _turn: &mut Turn<'_>, _u: f64) -> bool {
        false
    }
    fn offer(&mut self, turn: &mut Turn<'_>, out: &mut [f64]) -> bool {
        self.seen_ideal.push(out.to_vec());
        assert_eq!(out, turn.ideal(), "the offer starts from the ideal");
        out.copy_from_slice(&self.offer);
        true
    }
    fn walks_out(&mut self) -> Option<bool> {
        self.walk
    }
}

fn offers_of(runner: &Runner<'_>, party: usize) -> Vec<(Vec<f64>, f64)> {
    let t = runner.trace();
    t.rows
        .iter()
        .filter(|r| r.kind == TraceKind::Offer && r.party == Some(party))
        .map(|r| (t.offer_of(r).unwrap().to_vec(), r.value.unwrap()))
        .collect()
}

/// b offers x = 0.3 (snapped to the grid's 0.25), y = -0.4 (clamped to 0)
/// and z = 0.9 (off the agenda: the status quo 0.3 stays). Its utility of
/// that offer, with equal saliences over x, y, z: (0.75 + 1 + 0.7) / 3.
#[test]
fn an_explicit_offer_is_put_as_given_within_the_rules_of_the_table() {
    let m = compile(&case(""));
    let mut runner = Runner::new(&m, 1);
    let b = Scripted {
        offer: vec![0.3, -0.4, 0.9],
        walk: Some(false),
        seen_ideal: Vec::new(),
    };
    runner.set_tactic("b", Box::new(b)).unwrap();
    runner.set_trace(true);
    let r = runner.run(0).unwrap();
    let mine = offers_of(&runner, 1);
    assert_eq!(mine.len(), 2, "b proposes in rounds 2 and 4");
    for (x, u) in &mine {
        assert_eq!(x, &vec![0.25, 0.0, 0.3]);
        assert!((u - (0.75 + 1.0 + 0.7) / 3.0).abs() < 1e-12, "{u}");
    }
    // At the last round a, with no move ahead, takes anything worth its no
    // deal: the agenda settles at b's offer as put (z stays open). Nobody
    // walked out before: b said it stays.
    assert_eq!(r.outcome(), Outcome::PartialAgreement);
    assert_eq!(r.settled, vec![Some(0.25), Some(0.0), None]);
    assert!(!runner
        .trace()
        .rows
        .iter()
        .any(|r| r.kind == TraceKind::Walkout));
}

/// An explicit offer the other side accepts settles the agenda at it.
#[test]
fn an_accepted_explicit_offer_settles_at_its_values() {
    let text = case("").replace(
        "disagreement = 0.0\ntactic = \"hardliner\"\n[parties.b]",
        "disagreement = 0.0\ntactic = \"linear\"\n[parties.b]",
    );
    let m = compile(&text);
    let mut runner = Runner::new(&m, 1);
    // Everything a wants: a accepts it at once.
    let b = Scripted {
        offer: vec![1.0, 1.0, 0.0],
        walk: Some(false),
        seen_ideal: Vec::new(),
    };
    runner.set_tactic("b", Box::new(b)).unwrap();
    let r = runner.run(0).unwrap();
    assert_eq!(r.outcome(), Outcome::PartialAgreement, "z stays open");
    assert_eq!(r.settled, vec![Some(1.0), Some(1.0), None]);
}

/// The model's rule would send b away (its no deal, 0.6, beats all the talks
/// promise, as in `decisions::a_party_walks_out_when_leaving_beats_what_talks_promise`);
/// a tactic that says it stays, stays; one that says it leaves, leaves after
/// the first round, before hearing anything it could weigh.
#[test]
fn a_tactic_decides_its_own_walkouts() {
    let text = case("walkout = 0.0").replace(
        "disagreement = 0.0\ntactic = \"hardliner\"\nwalkout",
        "disagreement = 0.6\ntactic = \"hardliner\"\nwalkout",
    );
    let m = compile(&text);
    let model_rule = {
        let mut runner = Runner::new(&m, 1);
        runner.set_trace(true);
        runner.run(0).unwrap();
        runner
            .trace()
            .rows
            .iter()
            .any(|r| r.kind == TraceKind::Walkout)
    };
    assert!(model_rule, "without a choice of its own, b walks out");
    for (walk, leaves) in [(Some(false), false), (Some(true), true)] {
        let mut runner = Runner::new(&m, 1);
        let b = Scripted {
            offer: vec![0.0, 0.0, 0.0],
            walk,
            seen_ideal: Vec::new(),
        };
        runner.set_tactic("b", Box::new(b)).unwrap();
        runner.set_trace(true);
        runner.run(0).unwrap();
        let rows = &runner.trace().rows;
        let walkout = rows.iter().find(|r| r.kind == TraceKind::Walkout);
        assert_eq!(walkout.is_some(), leaves, "{walk:?}");
        if let Some(w) = walkout {
            assert_eq!(w.party, Some(1));
            let offers = rows.iter().filter(|r| r.kind == TraceKind::Offer).count();
            assert_eq!(offers, 1, "b leaves after a's first offer");
        }
    }
}

/// What a turn shows a tactic: the agenda, the offer on the table and its
/// own last offer as vectors, its utility of any vector, its red lines.
#[test]
fn a_turn_shows_the_table() {
    use std::sync::{Arc, Mutex};
    #[derive(Debug)]
    struct Look(Arc<Mutex<Vec<String>>>);
    impl Tactic for Look {
        fn name(&self) -> &str {
            "look"
        }
        fn aim(&mut self, turn: &mut Turn<'_>, _when: When) -> f64 {
            turn.best()
        }
        fn offer(&mut self, turn: &mut Turn<'_>, out: &mut [f64]) -> bool {
            let x = turn.standing_offer().unwrap().to_vec();
            let (_, to_me, _) = turn.standing().unwrap();
            assert!((turn.own_utility_of(&x) - to_me).abs() < 1e-12);
            self.0.lock().unwrap().push(format!(
                "agenda {:?} standing {x:?} mine {:?} red {:?} {:?} vs {}",
                turn.agenda(),
                turn.own_last_offer(),
                turn.red_lines(1),
                turn.red_lines(2),
                turn.counterpart_party(0)
            ));
            out[0] = 0.5;
            true
        }
    }
    let m = compile(&case("reservation = { y = 0.4 }"));
    let mut runner = Runner::new(&m, 1);
    let seen = Arc::new(Mutex::new(Vec::new()));
    runner
        .set_tactic("b", Box::new(Look(Arc::clone(&seen))))
        .unwrap();
    runner.run(0).unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(
        *seen,
        [
            "agenda [0, 1] standing [1.0, 1.0, 0.3] mine None red Some((0.0, 0.4)) None vs 0",
            "agenda [0, 1] standing [1.0, 1.0, 0.3] mine Some([0.5, 0.0, 0.3]) red Some((0.0, 0.4)) None vs 0"
        ]
    );
}
