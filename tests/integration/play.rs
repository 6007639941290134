//! `negsim play`: a student's moves read from a script (a file or a pipe),
//! bad input answered with a message and a new prompt, the model taking the
//! seat when the moves run out, and the end compared with the model in the
//! same seat.

use assert_cmd::Command;

fn scenario(name: &str) -> String {
    format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn play(args: &[&str], moves: &str) -> String {
    let out = Command::cargo_bin("negsim")
        .unwrap()
        .arg("play")
        .args(args)
        .write_stdin(moves)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "play {args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    String::from_utf8(out.stdout).unwrap()
}

/// Rubinstein with patience 0.9 each: b's subgame-perfect tactic accepts
/// exactly what it would get by rejecting, 0.9 × 0.5263 = 0.4737 of the pie,
/// so a's opening demand of 0.5 is accepted and a gets 0.5. The model in a's
/// seat asks for 0.5263 and gets it.
#[test]
fn a_student_plays_rubinstein_from_a_pipe() {
    let out = play(
        &[
            &scenario("textbook/rubinstein.toml"),
            "--as",
            "a",
            "--batch",
            "50",
        ],
        "share=0.5\n",
    );
    assert!(
        out.contains("You are a (Player A (proposes first))"),
        "{out}"
    );
    assert!(
        out.contains("your offer> share=0.5\n"),
        "the move is echoed: {out}"
    );
    assert!(out.contains("b accepts"));
    assert!(out.contains("outcome: agreement on day 1"));
    assert!(out.contains("you (a) got 0.500"), "{out}");
    assert!(out.contains(
        "the model in your seat, same run: agreement on day 1, and got 0.526 (more than you)"
    ));
    assert!(out.contains("the model in your seat over 50 runs (seed 1982): median 0.526"));
    assert!(out.contains("you did better than 0.0% of them, as well as 0.0%, worse than 100.0%"));

    // The same moves from a file give the same game.
    let dir = tempfile::tempdir().unwrap();
    let moves = dir.path().join("moves.txt");
    std::fs::write(&moves, "share=0.5\n").unwrap();
    let from_file = Command::cargo_bin("negsim")
        .unwrap()
        .args([
            "play",
            &scenario("textbook/rubinstein.toml"),
            "--as",
            "a",
            "--batch",
            "50",
        ])
        .arg("--moves")
        .arg(&moves)
        .output()
        .unwrap();
    assert!(from_file.status.success());
    assert_eq!(String::from_utf8(from_file.stdout).unwrap(), out);
}

/// Every kind of bad input gets its own message and a new prompt; the game
/// goes on and ends as the good moves make it end.
#[test]
fn bad_input_gets_a_message_and_a_new_prompt() {
    let moves = "\n\
                 blah blah\n\
                 shares=0.4\n\
                 share=1.5\n\
                 share=lots\n\
                 share=0.2 share=0.3\n\
                 aim\n\
                 aim 7\n\
                 reject\n\
                 \u{1b}[31m\n\
                 help\n\
                 hint\n\
                 show\n\
                 share=0.5\n";
    let out = play(
        &[
            &scenario("textbook/rubinstein.toml"),
            "--as",
            "a",
            "--batch",
            "5",
        ],
        moves,
    );
    for want in [
        "! nothing typed",
        "! did not understand `blah`",
        "! no issue `shares`; the issues are: share (did you mean `share`?)",
        "! share=1.5 is out of range: values run from 0 (\"all to b\") to 1 (\"all to a\")",
        "! share=lots: not a number",
        "! share is named twice",
        "! `aim` takes one utility",
        "! it is your turn to propose",
        "aim U              ask for utility U",
        "the model (rubinstein) would ask for 0.526",
        "you (a) got 0.500",
    ] {
        assert!(out.contains(want), "lacks {want:?}:\n{out}");
    }
    // A control character typed is shown escaped, never sent to the terminal.
    assert!(!out.contains('\u{1b}'));
    assert_eq!(
        out.matches("your offer>").count(),
        14,
        "a prompt for every line"
    );
}

/// When the moves run out the model plays the seat: the run then unfolds as
/// `trace --run R` tells it, line for line (the student made no move), and
/// ends as it does with the model there all along.
#[test]
fn when_the_moves_run_out_the_model_plays_on() {
    let dir = tempfile::tempdir().unwrap();
    let moves = dir.path().join("moves.txt");
    std::fs::write(&moves, "").unwrap();
    let founding = scenario("jan-2022-security-talks.toml");
    let out = Command::cargo_bin("negsim")
        .unwrap()
        .args([
            "play", &founding, "--as", "russia", "--run", "142", "--batch", "20",
        ])
        .arg("--moves")
        .arg(&moves)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(out.contains("(no more moves: the model plays russia from here)"));
    let yours = out
        .lines()
        .find(|l| l.starts_with("you (russia) got"))
        .unwrap();
    let model = out
        .lines()
        .find(|l| l.starts_with("the model in your seat, same run"))
        .unwrap();
    assert!(model.ends_with("(as much as you)"), "{yours}\n{model}");
    assert!(
        out.contains("outcome: conflict on day 80 (2022-03-07)"),
        "run 142 is the README's war:\n{out}"
    );

    // The narration is the trace's, less the notes addressed to the student.
    let played: Vec<String> = out
        .lines()
        .filter(|l| l.starts_with("day "))
        .map(|l| match l.find("  [") {
            Some(at) if l.ends_with(']') => l[..at].to_string(),
            _ => l.to_string(),
        })
        .collect();
    let trace = Command::cargo_bin("negsim")
        .unwrap()
        .args(["trace", &founding, "--run", "142"])
        .output()
        .unwrap();
    assert!(trace.status.success());
    let trace = String::from_utf8(trace.stdout).unwrap();
    let traced: Vec<&str> = trace.lines().filter(|l| l.starts_with("day ")).collect();
    assert!(traced.len() > 100, "{trace}");
    assert_eq!(played, traced);
}

/// A student can walk out; the walkout's threats follow, as the model has them.
#[test]
fn a_student_can_walk_out_of_the_founding_talks() {
    let out = play(
        &[
            &scenario("jan-2022-security-talks.toml"),
            "--as",
            "russia",
            "--batch",
            "10",
        ],
        "walk\n",
    );
    assert!(out.contains("geneva: russia walks out"), "{out}");
    assert!(out.contains("threat targeted_sanctions by united_states is triggered"));
    assert!(out.contains("your red lines (private): nato_enlargement"));
}

/// An offer across the student's own red line would not bind them: refused,
/// with the red line named; the agenda is checked too.
#[test]
fn offers_that_would_not_bind_or_are_off_the_agenda_are_refused() {
    let out = play(
        &[
            &scenario("jan-2022-security-talks.toml"),
            "--as",
            "russia",
            "--batch",
            "10",
        ],
        "nato_enlargement=0\nrisk_reduction=0.5\nnato_enlargement=1 offensive_weapons=1\nwalk\n",
    );
    assert!(
        out.contains("! nato_enlargement=0.00 crosses your red line (you can accept 0.73 to 1.00)"),
        "{out}"
    );
    assert!(
        out.contains("! risk_reduction is not on this meeting's agenda"),
        "{out}"
    );
    assert!(
        out.contains("round 1: russia puts forward nato_enlargement=1.000 offensive_weapons=1.000")
    );
}

#[test]
fn bad_play_commands_exit_2() {
    for (args, want) in [
        (vec!["--as", "osce"], "osce has no seat at any meeting"),
        (vec!["--as", "rusia"], "did you mean `russia`"),
    ] {
        let out = Command::cargo_bin("negsim")
            .unwrap()
            .arg("play")
            .arg(scenario("jan-2022-security-talks.toml"))
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains(want));
    }
    let out = Command::cargo_bin("negsim")
        .unwrap()
        .args(["play", &scenario("benchmarks/negmas.toml"), "--as", "a"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("play a scenario on negsim's clock"));
}
