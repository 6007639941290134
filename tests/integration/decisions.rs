//! Every decision rule on a case small enough to work out by hand: the
//! expected numbers in each test are derived in its comment, not read off
//! the program. Acceptance (AC_next, the last round, a later meeting), each
//! tactic's concessions, the protocols' turn order and deadlines, walkouts,
//! and the war decision with its continuation value.

use negsim::model::{Model, Outcome, Runner, TraceKind};
use negsim::scenario::ScenarioSource;

fn compile(text: &str) -> Model {
    let src =
        ScenarioSource::from_str("case.toml", text, &[]).unwrap_or_else(|e| panic!("{e}\n{text}"));
    Model::compile(&src.scenario)
}

/// Two parties over one issue `x` (a's share: a wants 1, b wants 0), no
/// deal worth 0 to both, and one meeting; `a` and `b` are the parties'
/// extra lines, `meeting` the meeting's.
fn pair(a: &str, b: &str, meeting: &str) -> String {
    format!(
        "name = \"case\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\n\
         [issues.x]\n\
         [parties.a]\npositions = {{ x = 1.0 }}\ndisagreement = 0.0\n{a}\n\
         [parties.b]\npositions = {{ x = 0.0 }}\ndisagreement = 0.0\n{b}\n\
         [meetings.talks]\ndate = 2024-01-02\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\n{meeting}\n"
    )
}

/// (round, proposer, x) of every offer, and the run's settlement.
fn play(text: &str) -> (Vec<(u32, String, f64)>, Option<f64>, Outcome) {
    let m = compile(text);
    let mut runner = Runner::new(&m, 1);
    runner.set_trace(true);
    let res = runner.run(0).unwrap();
    let trace = runner.trace();
    let offers = trace
        .rows
        .iter()
        .filter(|r| r.kind == TraceKind::Offer)
        .map(|r| {
            let who = r.party.map_or("-".to_string(), |p| m.parties[p].id.clone());
            (r.round.unwrap(), who, trace.offer_of(r).unwrap()[0])
        })
        .collect();
    (offers, res.settled[0], res.outcome())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

// ------------------------------------------------------------- acceptance

/// The ultimatum game: one round, a proposer asking for everything, a
/// responder with no move left. It accepts anything worth its value of no
/// deal (0), so the proposer takes the whole pie.
#[test]
fn at_the_last_round_a_responder_takes_its_value_of_no_deal() {
    let text = pair(
        "tactic = \"hardliner\"",
        "tactic = \"hardliner\"",
        "rounds = 1",
    );
    let (offers, settled, outcome) = play(&text);
    assert_eq!(offers.len(), 1);
    assert_eq!(outcome, Outcome::Agreement);
    assert_eq!(settled, Some(1.0));
}

/// The same offer with a round left: the hardliner's next move asks for its
/// best (worth 1 to it), so AC_next rejects an offer worth 0.
#[test]
fn with_a_round_left_a_hardliner_rejects_what_it_would_not_propose() {
    let text = pair(
        "tactic = \"hardliner\"",
        "tactic = \"hardliner\"",
        "rounds = 2",
    );
    let (offers, settled, outcome) = play(&text);
    // a asks 1 (rejected: b has a move left), b asks 0 (a has none: accepted).
    assert_eq!(offers.len(), 2);
    assert!(close(offers[0].2, 1.0) && close(offers[1].2, 0.0));
    assert_eq!((settled, outcome), (Some(0.0), Outcome::Agreement));
}

/// A later meeting with the same parties is a future too: at the last round
/// of the first meeting the hardliner still rejects; at the last round of
/// the last meeting it accepts.
#[test]
fn a_later_meeting_keeps_the_future_open() {
    let mut text = pair(
        "tactic = \"hardliner\"",
        "tactic = \"hardliner\"",
        "rounds = 1",
    );
    text += "[meetings.again]\ndate = 2024-01-20\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\nfirst = \"b\"\nrounds = 1\n";
    let (offers, settled, _) = play(&text);
    assert_eq!(offers.len(), 2, "{offers:?}");
    assert_eq!(
        settled,
        Some(0.0),
        "b's offer at the last meeting is accepted"
    );
}

/// AC_next discounts the wait: b (Boulware, β = 0.5, no initial concession)
/// answers a's offer of x = 0.3, worth 0.7 to it, in round 0 of 3. Its next
/// move is round 1, one round (one day) later, at Faratin's time 1/2: it
/// would ask `1 − (1/2)^(1/0.5) = 0.75`. It accepts when `0.7 ≥ δ · 0.75`,
/// i.e. for a daily patience `δ ≤ 0.9333`.
#[test]
fn ac_next_compares_the_offer_with_the_discounted_next_aim() {
    for (delta, accepts) in [(0.93, true), (0.94, false)] {
        let text = pair(
            "positions = { x = 0.3 }\ntactic = \"hardliner\"",
            &format!("tactic = {{ kind = \"boulware\", beta = 0.5 }}\npatience = {delta}"),
            "rounds = 3",
        )
        .replacen("positions = { x = 1.0 }\n", "", 1);
        let (offers, settled, _) = play(&text);
        assert!(close(offers[0].2, 0.3));
        if accepts {
            assert_eq!(offers.len(), 1, "delta {delta}: accepted at once");
            assert_eq!(settled, Some(0.3));
        } else {
            assert!(offers.len() > 1, "delta {delta}: rejected");
        }
    }
}

// -------------------------------------------------------------- tactics

/// Faratin's linear tactic with an initial concession k = 0.2 over a
/// horizon of 5 rounds, proposing at rounds 0 and 2 (Faratin time 0 and
/// 1/2): it asks `1 − α` with `α = 0.2 + 0.8 τ`, i.e. 0.8 and 0.4. Answering
/// b's x = 0 at round 3, its next move (time 1) would ask 0, so AC_next
/// takes the offer: x = 0.
#[test]
fn a_time_dependent_tactic_concedes_on_faratins_curve() {
    let text = pair(
        "tactic = { kind = \"linear\", k = 0.2 }",
        "tactic = \"hardliner\"",
        "rounds = 5",
    );
    let (offers, settled, _) = play(&text);
    let mine: Vec<f64> = offers.iter().filter(|o| o.1 == "a").map(|o| o.2).collect();
    assert_eq!(mine.len(), 2, "{offers:?}");
    for (got, want) in mine.iter().zip([0.8, 0.4]) {
        assert!(close(*got, want), "{mine:?}");
    }
    assert_eq!(offers.len(), 4);
    assert_eq!(settled, Some(0.0));
}

/// Relative tit-for-tat: a opens at its best (x = 1) and repeats it until b
/// has conceded. b (linear, 6 rounds) offers at rounds 1 and 3 at Faratin
/// time 1/5 and 3/5, aims 0.8 and 0.4: x = 0.2 then 0.6, a concession of
/// 0.4 to a. a's next aim is then 1 − 0.4 = 0.6, which b's standing offer
/// already gives it, so a accepts b's round-3 offer: x = 0.6.
#[test]
fn tit_for_tat_mirrors_the_concession_it_received() {
    let text = pair(
        "tactic = \"tit_for_tat\"",
        "tactic = \"linear\"",
        "rounds = 6",
    );
    let (offers, settled, _) = play(&text);
    let a: Vec<f64> = offers.iter().filter(|o| o.1 == "a").map(|o| o.2).collect();
    let b: Vec<f64> = offers.iter().filter(|o| o.1 == "b").map(|o| o.2).collect();
    assert_eq!(a.len(), 2, "{offers:?}");
    assert!(close(a[0], 1.0) && close(a[1], 1.0), "{a:?}");
    assert!(close(b[0], 0.2) && close(b[1], 0.6), "{b:?}");
    assert!(close(settled.unwrap(), 0.6));
}

// ------------------------------------------------------------- protocols

/// Alternating offers rotate the proposer from `first` through the seats,
/// one offer per round, and stop at the deadline. (With the status quo at
/// 0.9, c's ideal 0.5 leaves a below its value of no deal even at the
/// last round.)
#[test]
fn alternating_rotates_the_proposer_and_keeps_its_deadline() {
    let text = "name = \"three\"\n[simulation]\nstart = 2024-01-01\nend = 2024-03-31\ntemperature = 0\n\
        [issues.x]\nstatus_quo = 0.9\n\
        [parties.a]\npositions = { x = 1.0 }\ntactic = \"hardliner\"\nwalkout = 5\n\
        [parties.b]\npositions = { x = 0.0 }\ntactic = \"hardliner\"\nwalkout = 5\n\
        [parties.c]\npositions = { x = 0.5 }\ntactic = \"hardliner\"\nwalkout = 5\n\
        [meetings.talks]\ndate = 2024-01-02\nparticipants = [\"a\", \"b\", \"c\"]\nagenda = [\"x\"]\nfirst = \"b\"\nrounds = 5\n";
    let (offers, settled, outcome) = play(text);
    let order: Vec<&str> = offers.iter().map(|o| o.1.as_str()).collect();
    assert_eq!(order, ["b", "c", "a", "b", "c"]);
    let rounds: Vec<u32> = offers.iter().map(|o| o.0).collect();
    assert_eq!(rounds, [0, 1, 2, 3, 4]);
    assert_eq!((settled, outcome), (None, Outcome::Stalemate));
}

/// Simultaneous offers: both demand their best (1 and 0); the text is their
/// plain mean, 0.5. A mediated text weighs each demand by capability times
/// salience: with capabilities 3 and 1 it is (3·1 + 1·0) / 4 = 0.75.
#[test]
fn simultaneous_and_mediated_texts_are_means_of_the_demands() {
    let text = pair(
        "tactic = \"hardliner\"\nwalkout = 5",
        "tactic = \"hardliner\"\nwalkout = 5",
        "protocol = \"simultaneous\"\nrounds = 1",
    );
    let (offers, _, _) = play(&text);
    let table: Vec<f64> = offers.iter().filter(|o| o.1 == "-").map(|o| o.2).collect();
    assert_eq!(table.len(), 1);
    assert!(close(table[0], 0.5));

    let text = pair(
        "tactic = \"hardliner\"\ncapability = 3\nwalkout = 5",
        "tactic = \"hardliner\"\nwalkout = 5",
        "protocol = \"mediated\"\nmediator = \"m\"\nrounds = 1",
    ) + "[parties.m]\n";
    let (offers, _, _) = play(&text);
    let text_row: Vec<f64> = offers.iter().filter(|o| o.1 == "m").map(|o| o.2).collect();
    assert_eq!(text_row.len(), 1);
    assert!(close(text_row[0], 0.75), "{offers:?}");
}

// -------------------------------------------------------------- walkouts

/// With temperature 0 a party leaves exactly when leaving beats staying:
/// b (no deal worth 0.6) hears a's offer x = 1 (worth 0 to it); staying
/// promises the midpoint of its demand (x = 0) and that offer, x = 0.5,
/// worth 0.5; leaving is worth 0.6 less its walkout threshold. It walks out
/// with a threshold of 0.05 (0.55 > 0.5), not with 0.15 (0.45 < 0.5).
#[test]
fn a_party_walks_out_when_leaving_beats_what_talks_promise() {
    for (threshold, leaves) in [(0.05, true), (0.15, false)] {
        let text = pair(
            "tactic = \"hardliner\"",
            &format!("tactic = \"hardliner\"\nwalkout = {threshold}"),
            "rounds = 3",
        )
        .replace(
            "disagreement = 0.0\ntactic = \"hardliner\"\nwalkout",
            "disagreement = 0.6\ntactic = \"hardliner\"\nwalkout",
        );
        let m = compile(&text);
        let mut runner = Runner::new(&m, 1);
        runner.set_trace(true);
        runner.run(0).unwrap();
        let walked = runner
            .trace()
            .rows
            .iter()
            .any(|r| r.kind == TraceKind::Walkout);
        assert_eq!(walked, leaves, "threshold {threshold}");
    }
}

// ---------------------------------------------------------- war decision

/// Fearon's crisis with fixed costs 0.1 and no noise: b's war is worth
/// 0.5 − 0.1 = 0.4, the status quo 1 − 0.9 = 0.1. `a` is a hardliner here,
/// so its offer (x = 1) is rejected. With no meeting ahead, going on is worth
/// the status quo and b fights: its decision margin is 0.4 − 0.1 = 0.3.
#[test]
fn after_a_rejected_final_offer_war_is_weighed_against_the_status_quo() {
    let text = std::fs::read_to_string("scenarios/textbook/fearon.toml")
        .unwrap()
        .replace("tactic = \"risk_return\"", "tactic = \"hardliner\"")
        .replace(
            "cost_of_conflict = { uniform = [0.05, 0.15] }",
            "cost_of_conflict = 0.1",
        )
        .replace("noise = 0.0 ", "noise = 0.0\ntemperature = 0 ");
    let m = compile(&text);
    let mut runner = Runner::new(&m, 1);
    runner.set_trace(true);
    let res = runner.run(0).unwrap();
    assert_eq!(res.outcome(), Outcome::Conflict);
    let margin = runner
        .trace()
        .rows
        .iter()
        .find(|r| r.kind == TraceKind::Decision)
        .and_then(|r| r.value)
        .unwrap();
    assert!(close(margin, 0.3), "margin {margin}");
}

/// The same crisis with a follow-up meeting 10 days later. b expects there
/// the midpoint between its value of no deal (0.4, its war) and the most it
/// believes it can get leaving `a` its own value of no deal (a expects b to
/// fight: 0.5 − 0.1 = 0.4, so b can get 0.6): 0.5. Meanwhile the status quo
/// gives it 0.1. Going on is worth `(1 − δ^10) 0.1 + δ^10 0.5`: with δ = 0.99,
/// 0.46175 > 0.4, so it waits (margin −0.06175); with δ = 0.9, 0.23947 < 0.4,
/// so it fights. Patience moves the choice.
#[test]
fn patience_discounts_the_wait_for_the_next_meeting() {
    for (delta, margin, fights) in [
        (
            0.99,
            0.4 - (0.1 * (1.0 - 0.99f64.powi(10)) + 0.5 * 0.99f64.powi(10)),
            false,
        ),
        (
            0.9,
            0.4 - (0.1 * (1.0 - 0.9f64.powi(10)) + 0.5 * 0.9f64.powi(10)),
            true,
        ),
    ] {
        let text = std::fs::read_to_string("scenarios/textbook/fearon.toml")
            .unwrap()
            .replace("tactic = \"risk_return\"", "tactic = \"hardliner\"")
            .replace(
                "cost_of_conflict = { uniform = [0.05, 0.15] }",
                "cost_of_conflict = 0.1",
            )
            .replace("noise = 0.0 ", "noise = 0.0\ntemperature = 0 ")
            .replace(
                "walkout = 1.0",
                &format!("walkout = 1.0\npatience = {delta}"),
            )
            .replace(
                "rounds = 1",
                "rounds = 1\nfollow_up = { delay = 10, max = 1 }",
            );
        let m = compile(&text);
        let mut runner = Runner::new(&m, 1);
        runner.set_trace(true);
        runner.run(0).unwrap();
        let first = runner
            .trace()
            .rows
            .iter()
            .find(|r| r.kind == TraceKind::Decision)
            .and_then(|r| r.value)
            .unwrap();
        assert!(
            (first - margin).abs() < 1e-9,
            "delta {delta}: margin {first}, by hand {margin}"
        );
        let fought_first = runner
            .trace()
            .rows
            .iter()
            .any(|r| r.kind == TraceKind::Escalation && r.day < 10.0);
        assert_eq!(fought_first, fights, "delta {delta}");
    }
}
