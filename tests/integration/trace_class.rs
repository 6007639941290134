//! `negsim trace` for a class: a brief without the rounds, charts of
//! several issues, values with their labels, the same content as the
//! events CSV or JSON lines, and an exact replay of a row of `negsim run`.

use super::support::{founding, negsim, p, root};

/// `trace --run R --format csv` is, line for line, run R's rows of the
/// events CSV that `negsim run --events` writes: the same run, replayed.
#[test]
fn trace_csv_is_exactly_row_r_of_the_batchs_events_csv() {
    let dir = tempfile::tempdir().unwrap();
    let (runs, events) = (dir.path().join("runs.csv"), dir.path().join("events.csv"));
    let f = founding();
    negsim(&[
        "run",
        &f,
        "--runs",
        "143",
        "--out",
        p(&runs),
        "--events",
        p(&events),
    ]);
    let all = std::fs::read_to_string(&events).unwrap();
    let header = all.lines().next().unwrap();
    for r in [0u64, 57, 142] {
        let want: Vec<&str> = all
            .lines()
            .skip(1)
            .filter(|l| l.starts_with(&format!("{r},")))
            .collect();
        assert!(want.len() > 20, "run {r} has its events");
        let got = negsim(&["trace", &f, "--run", &r.to_string(), "--format", "csv"]);
        let mut lines = got.lines();
        assert_eq!(lines.next(), Some(header));
        assert_eq!(lines.collect::<Vec<_>>(), want, "run {r}");
        // The runs CSV row agrees: its outcome is the trace's end row's.
        let row = std::fs::read_to_string(&runs)
            .unwrap()
            .lines()
            .nth(r as usize + 1)
            .unwrap()
            .to_string();
        let outcome = row.split(',').nth(2).unwrap();
        let end: Vec<&str> = want.last().unwrap().split(',').collect();
        assert!(end[3] == "end" && end[11] == outcome, "{row}");
    }
}

/// A brief keeps every row but the rounds (seats, offers, answers), and
/// says how many rounds each meeting took.
#[test]
fn a_brief_is_the_trace_without_its_rounds() {
    let f = founding();
    let full = negsim(&["trace", &f, "--run", "59"]);
    let brief = negsim(&["trace", &f, "--run", "59", "--brief"]);
    let round_row = |l: &&str| {
        ["takes its seat", "puts forward", " accepts (", " rejects ("]
            .iter()
            .any(|k| l.contains(k))
    };
    let kept: Vec<&str> = full.lines().filter(|l| !round_row(l)).collect();
    let told: Vec<&str> = brief.lines().collect();
    assert!(told.len() < full.lines().count() / 3, "a brief is short");
    assert_eq!(told.len(), kept.len());
    // Meetings' ends gain their round counts; everything else is as it was.
    let uncounted = |l: &str| {
        let mut s = l.to_string();
        for n in 1..=6 {
            for w in [format!(" after {n} rounds"), format!(" after {n} round")] {
                s = s.replace(&w, "");
            }
        }
        s
    };
    for (a, b) in kept.iter().zip(&told) {
        assert_eq!(*a, uncounted(b));
    }
    assert!(told
        .iter()
        .any(|l| l.ends_with("geneva: deadlock after 6 rounds")));
    assert!(told
        .iter()
        .any(|l| l.ends_with("osce: deadlock after 3 rounds")));
    assert_eq!(told.last(), full.lines().last().as_ref());
    assert!(!told.iter().any(round_row));
}

/// `--chart all` (or a list) draws a chart per issue, each with every offer.
#[test]
fn charts_of_several_issues_or_all() {
    let f = founding();
    let out = negsim(&["trace", &f, "--brief", "--chart", "all"]);
    let charts: Vec<&str> = out.split("\noffers on ").skip(1).collect();
    assert_eq!(charts.len(), 6);
    let full = negsim(&["trace", &f]);
    let offers = full
        .lines()
        .filter(|l| l.contains(" puts forward "))
        .count();
    // nato_enlargement is on every meeting's agenda: one bar per offer.
    assert!(
        charts[0].starts_with("nato_enlargement (open door (Bucharest 2008 promise stands) = 0")
    );
    let bars = charts[0].lines().filter(|l| l.contains('*')).count();
    assert_eq!(bars, offers);
    let two = negsim(&["trace", &f, "--chart", "arms_control,risk_reduction"]);
    let titles: Vec<&str> = two
        .lines()
        .filter(|l| l.starts_with("offers on "))
        .collect();
    assert_eq!(titles.len(), 2);
    assert!(
        titles[0].starts_with("offers on arms_control")
            && titles[1].starts_with("offers on risk_reduction")
    );
}

/// Settlements are told with the issues' labels.
#[test]
fn settled_values_carry_their_labels() {
    let out = negsim(&[
        "trace",
        p(&root().join("scenarios/textbook/rubinstein.toml")),
        "--brief",
    ]);
    assert!(
        out.contains("bargaining: agreement after 1 round: share=0.53 (towards \"all to a\")"),
        "{out}"
    );
}

/// JSON lines carry the same rows as the CSV (the same seq, kind, values)
/// and the narrated text.
#[test]
fn json_rows_are_the_csv_rows_with_their_text() {
    let f = founding();
    let csv = negsim(&["trace", &f, "--run", "142", "--format", "csv", "--brief"]);
    let json = negsim(&["trace", &f, "--run", "142", "--format", "json", "--brief"]);
    let text = negsim(&["trace", &f, "--run", "142", "--brief"]);
    let rows: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let csv_rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), csv_rows.len());
    for ((j, c), t) in rows.iter().zip(&csv_rows).zip(text.lines().skip(1)) {
        let cells: Vec<&str> = c.split(',').collect();
        assert_eq!(j["seq"].to_string(), cells[1]);
        assert_eq!(j["kind"].as_str().unwrap(), cells[3]);
        assert!(t.ends_with(j["text"].as_str().unwrap()), "{t}");
    }
    let end = rows.last().unwrap();
    assert_eq!(end["value"], "conflict");
    assert_eq!(end["date"], "2022-03-07");
}
