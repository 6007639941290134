//! What a student types at the table, read into a move, with a message
//! that says what was wrong and what would be right when it cannot be.

use crate::model::Model;
use crate::output::terminal_safe;

/// A move.
#[derive(Debug, Clone, PartialEq)]
pub enum Move {
    /// Put this offer on the table: values for some issues (index, value);
    /// the others keep the student's last offer (at first, its ideal).
    Offer(Vec<(usize, f64)>),
    /// Ask for this utility: the model builds the efficient offer for it.
    Aim(f64),
    /// Accept the offer on the table.
    Accept,
    /// Reject it.
    Reject,
    /// Leave the table at the end of this round.
    Walk,
    /// What the model would do in the student's seat.
    Hint,
    /// Show the table again.
    Show,
    /// The commands.
    Help,
}

/// The commands, for `help` and for messages.
pub const HELP: &str =
    "  ISSUE=VALUE ...    put an offer on the table (`offer` in front is optional); a value is a
                     number from 0 to 1, or the label of a value of a discrete issue; issues
                     you leave out keep your last offer (at first, your ideal)
  aim U              ask for utility U: the model builds the efficient offer for it
  accept             accept the offer on the table (when it is your turn to propose: propose it)
  reject             reject it
  walk               walk out at the end of this round
  hint               what the model would do in your seat
  show               show the table again
  help               this list
";

fn suggestion(word: &str, model: &Model) -> String {
    crate::error::suggest(word, model.issues.iter().map(|i| i.id.as_str()))
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

/// The value of `text` on issue `i`: a number in `[0, 1]` or a label.
fn value(text: &str, i: usize, model: &Model) -> Result<f64, String> {
    let issue = &model.issues[i];
    let ends = || {
        let l = |s: &str, n: &str| {
            if s.is_empty() {
                n.to_string()
            } else {
                format!("{n} (\"{}\")", terminal_safe(s))
            }
        };
        format!(
            "values run from {} to {}",
            l(&issue.low, "0"),
            l(&issue.high, "1")
        )
    };
    if let Ok(v) = text.parse::<f64>() {
        if !(0.0..=1.0).contains(&v) || !v.is_finite() {
            return Err(format!("{}={text} is out of range: {}", issue.id, ends()));
        }
        return Ok(v);
    }
    if let Some(n) = issue.grid.filter(|_| !issue.labels.is_empty()) {
        if let Some(k) = issue
            .labels
            .iter()
            .position(|l| l.eq_ignore_ascii_case(text))
        {
            return Ok(k as f64 / f64::from(n.saturating_sub(1).max(1)));
        }
        return Err(format!(
            "{}={text}: not a number from 0 to 1 nor one of its values ({})",
            issue.id,
            terminal_safe(&issue.labels.join(", "))
        ));
    }
    Err(format!("{}={text}: not a number; {}", issue.id, ends()))
}

/// Reads one line into a move.
pub fn parse(line: &str, model: &Model) -> Result<Move, String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let Some(&first) = words.first() else {
        return Err("nothing typed; type `help` for the moves".into());
    };
    let simple = match first.to_ascii_lowercase().as_str() {
        "accept" | "yes" | "y" => Some(Move::Accept),
        "reject" | "no" | "n" => Some(Move::Reject),
        "walk" | "leave" | "walkout" => Some(Move::Walk),
        "hint" => Some(Move::Hint),
        "show" => Some(Move::Show),
        "help" | "?" => Some(Move::Help),
        _ => None,
    };
    if let Some(m) = simple {
        let rest_ok = words.len() == 1 || (m == Move::Walk && words[1..] == ["out"]);
        if !rest_ok {
            return Err(format!("`{first}` takes nothing after it"));
        }
        return Ok(m);
    }
    if first.eq_ignore_ascii_case("aim") {
        let u = words
            .get(1)
            .and_then(|w| w.parse::<f64>().ok())
            .filter(|u| (0.0..=1.0).contains(u) && words.len() == 2)
            .ok_or_else(|| "`aim` takes one utility from 0 to 1, e.g. `aim 0.7`".to_string())?;
        return Ok(Move::Aim(u));
    }
    let pairs = if first.eq_ignore_ascii_case("offer") {
        &words[1..]
    } else {
        &words[..]
    };
    if pairs.is_empty() {
        return Err("`offer` needs at least one ISSUE=VALUE, e.g. `offer x=0.4`".into());
    }
    let mut out: Vec<(usize, f64)> = Vec::new();
    for pair in pairs {
        let Some((id, v)) = pair.split_once('=') else {
            return Err(format!(
                "did not understand `{pair}`; type ISSUE=VALUE ... to offer, or accept, reject, \
                 walk, hint, show, help"
            ));
        };
        let Some(i) = model.issues.iter().position(|x| x.id == id) else {
            let ids: Vec<&str> = model.issues.iter().map(|i| i.id.as_str()).collect();
            return Err(format!(
                "no issue `{id}`; the issues are: {}{}",
                ids.join(", "),
                suggestion(id, model)
            ));
        };
        if out.iter().any(|(k, _)| *k == i) {
            return Err(format!("{id} is named twice in one offer"));
        }
        out.push((i, value(v, i, model)?));
    }
    Ok(Move::Offer(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioSource;

    fn founding() -> Model {
        let src = ScenarioSource::from_path("scenarios/jan-2022-security-talks.toml", &[]).unwrap();
        Model::compile(&src.scenario)
    }

    #[test]
    fn moves_are_read() {
        let m = founding();
        assert_eq!(parse("accept", &m), Ok(Move::Accept));
        assert_eq!(parse("  Walk out ", &m), Ok(Move::Walk));
        assert_eq!(parse("aim 0.7", &m), Ok(Move::Aim(0.7)));
        assert_eq!(
            parse("offer nato_enlargement=0.3 arms_control=1", &m),
            Ok(Move::Offer(vec![(0, 0.3), (4, 1.0)]))
        );
        assert_eq!(
            parse("risk_reduction=0", &m),
            Ok(Move::Offer(vec![(3, 0.0)]))
        );
    }

    #[test]
    fn bad_moves_say_what_was_wrong() {
        let m = founding();
        for (line, want) in [
            ("", "nothing typed"),
            ("blah", "did not understand `blah`"),
            ("nato_enlargment=0.2", "did you mean `nato_enlargement`?"),
            (
                "nato_enlargement=1.5",
                "out of range: values run from 0 (\"open door",
            ),
            ("nato_enlargement=lots", "not a number"),
            ("nato_enlargement=0.1 nato_enlargement=0.2", "named twice"),
            ("aim", "`aim` takes one utility"),
            ("aim 2", "`aim` takes one utility"),
            ("accept now", "takes nothing after it"),
            ("offer", "needs at least one"),
            ("nato_enlargement=NaN", "out of range"),
        ] {
            let e = parse(line, &m).unwrap_err();
            assert!(e.contains(want), "{line:?}: {e}");
        }
    }

    #[test]
    fn a_discrete_issues_values_can_be_named() {
        let text = "name = \"d\"\n[simulation]\nstart = 2024-01-01\nend = 2024-02-01\n\
                    [issues.x]\nkind = \"discrete\"\nvalues = [\"none\", \"some\", \"all\"]\n\
                    [parties.a]\npositions = { x = 1.0 }\n[parties.b]\npositions = { x = 0.0 }\n\
                    [meetings.m]\ndate = 2024-01-02\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\n";
        let src = ScenarioSource::from_str("d.toml", text, &[]).unwrap();
        let m = Model::compile(&src.scenario);
        assert_eq!(parse("x=Some", &m), Ok(Move::Offer(vec![(0, 0.5)])));
        assert!(parse("x=most", &m).unwrap_err().contains("none, some, all"));
    }
}
