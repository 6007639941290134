//! The work a scenario asks for, checked against [`Limits`] when it is
//! validated: runs, events per run, rounds and follow-ups, horizon, rates and
//! the size of its `[sweep]`. Each problem names the key, the value, the limit
//! and the `--limit` that raises it.

use super::validate::Problem;
use super::ScenarioFile;
use crate::limits::Limits;

/// Every limit the scenario exceeds.
pub fn check(s: &ScenarioFile, limits: &Limits) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut push = |path: String, name: &str, value: String, limit: u64| {
        out.push(Problem {
            path,
            message: Limits::exceeded(name, value, limit),
            suggestion: None,
        });
    };
    if let Some(runs) = s.simulation.runs {
        if runs > limits.runs {
            push(
                "simulation.runs".into(),
                "runs",
                runs.to_string(),
                limits.runs,
            );
        }
    }
    if s.simulation.max_events > limits.max_events {
        push(
            "simulation.max_events".into(),
            "max_events",
            s.simulation.max_events.to_string(),
            limits.max_events,
        );
    }
    let days = s.simulation.start.0.days_until(s.simulation.end.0);
    if days > 0 && days as u64 > limits.horizon_days {
        push(
            "simulation.end".into(),
            "horizon_days",
            format!("a horizon of {days} days"),
            limits.horizon_days,
        );
    }
    let mut rounds_total: u64 = 0;
    let mut largest: Option<(&str, u64)> = None;
    for (id, m) in &s.meetings {
        let follow_ups = m.follow_up.as_ref().map_or(0, |f| u64::from(f.max));
        if follow_ups > limits.follow_ups {
            push(
                format!("meetings.{id}.follow_up.max"),
                "follow_ups",
                follow_ups.to_string(),
                limits.follow_ups,
            );
        }
        let rounds = u64::from(m.rounds).saturating_mul(1 + follow_ups);
        rounds_total = rounds_total.saturating_add(rounds);
        if largest.is_none_or(|(_, r)| rounds > r) {
            largest = Some((id, rounds));
        }
    }
    if rounds_total > limits.rounds_per_run {
        if let Some((id, _)) = largest {
            push(
                format!("meetings.{id}.rounds"),
                "rounds_per_run",
                format!(
                    "{rounds_total} rounds per run (rounds x (1 + follow_up.max), summed over \
                     the meetings; this meeting holds the most)"
                ),
                limits.rounds_per_run,
            );
        }
    }
    for (id, e) in &s.events {
        if let Some(rate) = &e.rate {
            let (_, hi) = rate.support();
            if hi.is_finite() && hi > limits.rate as f64 {
                push(
                    format!("events.{id}.rate"),
                    "rate",
                    if hi >= 1e9 {
                        format!("a rate of {hi:e} per day")
                    } else {
                        format!("a rate of {hi} per day")
                    },
                    limits.rate,
                );
            }
        }
    }
    if let Some(sw) = &s.sweep {
        if let Some(runs) = sw.runs {
            if runs > limits.runs {
                push("sweep.runs".into(), "runs", runs.to_string(), limits.runs);
            }
        }
        if let Some(points) = sw.points {
            let values = (points as u64).saturating_mul(sw.vary.len().max(1) as u64);
            if values > limits.design_values {
                push(
                    "sweep.points".into(),
                    "design_values",
                    format!(
                        "{points} points x {} keys = {values} design values",
                        sw.vary.len().max(1)
                    ),
                    limits.design_values,
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid scenario with `sim` added to `[simulation]`, `meeting` to
    /// its meeting and `tail` at the end.
    fn scenario(sim: &str, meeting: &str, tail: &str) -> String {
        format!(
            "name = \"t\"\n[simulation]\nstart = 2024-01-01\n{sim}\n[issues.x]\n\
             [parties.a]\npositions = {{ x = 1.0 }}\n[parties.b]\npositions = {{ x = 0.0 }}\n\
             [meetings.talk]\ndate = 2024-02-01\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\n\
             {meeting}\n{tail}\n"
        )
    }

    fn problems(text: &str) -> Vec<Problem> {
        let s: ScenarioFile = toml::from_str(text).expect("parses");
        check(&s, &Limits::default())
    }

    const END: &str = "end = 2024-06-30";

    #[test]
    fn the_base_is_within_every_limit() {
        assert_eq!(problems(&scenario(END, "", "")), vec![]);
        let big = scenario(
            "end = 2124-01-01\nruns = 1000000000\nmax_events = 10000000",
            "rounds = 100\nfollow_up = { delay = 0, max = 999 }",
            "",
        );
        assert_eq!(problems(&big), vec![], "at the limits is within them");
    }

    #[test]
    fn each_limit_names_its_key_and_its_flag() {
        let effect = "effects = [{ path = \"parties.a.patience\", scale = 1 }]";
        let cases = [
            (
                scenario(&format!("{END}\nruns = 9223372036854775807"), "", ""),
                "simulation.runs",
                "runs",
            ),
            (
                scenario(&format!("{END}\nmax_events = 9223372036854775807"), "", ""),
                "simulation.max_events",
                "max_events",
            ),
            (
                scenario("end = 9999-06-30", "", ""),
                "simulation.end",
                "horizon_days",
            ),
            (
                scenario(END, "follow_up = { delay = 0, max = 4000000000 }", ""),
                "meetings.talk.follow_up.max",
                "follow_ups",
            ),
            (
                scenario(
                    END,
                    "rounds = 10000\nfollow_up = { delay = 0, max = 1000 }",
                    "",
                ),
                "meetings.talk.rounds",
                "rounds_per_run",
            ),
            (
                scenario(
                    END,
                    "",
                    &format!("[events.e]\nrate = {{ uniform = [0, 1e300] }}\n{effect}"),
                ),
                "events.e.rate",
                "rate",
            ),
            (
                scenario(
                    END,
                    "",
                    "[sweep]\nvary = [\"a=0..1\", \"b=0..1\"]\npoints = 16777216",
                ),
                "sweep.points",
                "design_values",
            ),
            (
                scenario(END, "", "[sweep]\nruns = 9223372036854775807"),
                "sweep.runs",
                "runs",
            ),
        ];
        for (text, path, name) in cases {
            let ps = problems(&text);
            assert_eq!(ps[0].path, path, "{ps:?}");
            let m = &ps[0].message;
            assert!(m.contains(&format!("--limit {name}=N")), "{m}");
            assert!(m.contains("above the limit of"), "{m}");
        }
    }
}
