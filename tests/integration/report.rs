//! `negsim report`: the page's structure (every section, every chart with a
//! title and a text alternative), its safety (nothing loaded, every name
//! escaped), and the same page from a batch it runs and from the files the
//! same batch wrote; a sweep's charts.

use super::support::{founding, negsim, p, root};

use assert_cmd::Command;

fn fails(code: i32, args: &[&str]) -> String {
    let out = Command::cargo_bin("negsim")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(code), "negsim {args:?}");
    String::from_utf8(out.stderr).unwrap()
}

/// The `<figure class="chart">` blocks of a page.
fn figures(html: &str) -> Vec<&str> {
    html.split("<figure class=\"chart\"")
        .skip(1)
        .map(|f| f.split("</figure>").next().unwrap())
        .collect()
}

/// Checks what every report must be: sections, labelled charts, nothing
/// that loads anything.
pub fn check_page(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
    ));
    for id in ["glance", "outcomes", "days", "offers", "settled"] {
        assert!(
            html.contains(&format!("<section id=\"{id}\">")),
            "section {id}"
        );
        assert!(
            html.contains(&format!("<a href=\"#{id}\">")),
            "contents link {id}"
        );
    }
    let figs = figures(html);
    assert!(figs.len() >= 3, "{} charts", figs.len());
    for (k, f) in figs.iter().enumerate() {
        let id = format!("chart-{}", k + 1);
        assert!(f.contains(&format!(
            "role=\"img\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\""
        )));
        let title = f
            .split(&format!("<title id=\"{id}-title\">"))
            .nth(1)
            .unwrap();
        assert!(!title.starts_with("</title>"), "chart {k} has a title");
        let desc = f.split(&format!("<desc id=\"{id}-desc\">")).nth(1).unwrap();
        assert!(
            desc.find("</desc>").unwrap() > 40,
            "chart {k} has a text alternative"
        );
        assert!(f.contains("<figcaption>"));
    }
    // Tags (escaped text holds no `<`, so every `<` opens markup): none
    // that loads or runs anything, no attribute that fetches, and every
    // link on the page.
    for tag in html
        .split('<')
        .skip(1)
        .map(|t| t.split('>').next().unwrap().to_ascii_lowercase())
    {
        let name = tag.split([' ', '\n', '/']).next().unwrap_or("");
        assert!(
            !["script", "link", "img", "iframe", "object", "embed", "image", "use", "base"]
                .contains(&name),
            "a <{name}> tag"
        );
        for attr in [
            " src=",
            " srcset=",
            " xlink:href=",
            " action=",
            "url(",
            "@import",
        ] {
            assert!(!tag.contains(attr), "<{tag}> has {attr}");
        }
        if let Some(h) = tag.split(" href=\"").nth(1) {
            assert!(h.starts_with('#'), "<{tag}> links off the page");
        }
        if tag.starts_with("meta") {
            assert!(!tag.contains("refresh"), "<{tag}>");
        }
    }
    // The only URL is SVG's namespace name, which nothing fetches.
    let lower = html.to_ascii_lowercase();
    let urls = lower.matches("http:").count() + lower.matches("https:").count();
    assert_eq!(
        urls,
        lower
            .matches("xmlns=\"http://www.w3.org/2000/svg\"")
            .count()
    );
}

#[test]
fn the_founding_report_has_every_part() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let said = negsim(&["report", &founding(), "--runs", "400", "--html", p(&out)]);
    assert!(said.contains("wrote report:"), "{said}");
    let html = std::fs::read_to_string(&out).unwrap();
    check_page(&html);
    // The scenario at a glance.
    for text in [
        "legally binding halt, Ukraine and Georgia never join",
        "Russian Federation",
        "0.15 to 0.9 (uniform)",
        "Geneva (US-Russia Strategic Stability Dialogue)",
        "2022-01-10 (day 24)",
        "us_sanctions",
        "united_states against russia",
        "nato_enlargement 0.75, offensive_weapons 0.25, ukraine_deescalation 1",
    ] {
        assert!(html.contains(text), "glance lacks {text}");
    }
    // Shares, days, offers of each issue on an agenda, and the settled
    // values (the runs that ended in agreement settled issues).
    let figs = figures(&html);
    assert_eq!(
        figs.len(),
        2 + 6 + 1,
        "shares, days, six issues' offers, settled values"
    );
    assert!(figs[0].contains("Outcome shares over 400 runs"));
    assert!(figs[1].contains("When each outcome happened"));
    assert!(figs[8].contains("How many runs settled each issue at each value"));
    assert!(!html.contains("settled any issue."));
    // The outcome table agrees with `negsim run` on the same runs.
    let run = negsim(&["run", &founding(), "--runs", "400"]);
    let stalemate = run.lines().find(|l| l.starts_with("stalemate")).unwrap();
    let count = stalemate.split_whitespace().nth(1).unwrap();
    assert!(
        html.contains(&format!("<td>stalemate</td><td class=\"num\">{count}</td>")),
        "{stalemate}"
    );
}

/// A batch in which nothing settles (the preventive war comes before any
/// meeting) says so in words instead of drawing an empty chart, and has no
/// offers to draw either.
#[test]
fn a_report_where_nothing_settles_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c.html");
    let scenario = root().join("scenarios/textbook/commitment.toml");
    negsim(&["report", p(&scenario), "--runs", "50", "--html", p(&out)]);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<section id=\"settled\">"));
    assert!(html.contains("No run of the 50 settled any issue."));
    let figs = figures(&html);
    assert_eq!(figs.len(), 2, "shares and days only");
    assert!(!html.contains("How many runs settled each issue"));
}

#[test]
fn every_name_and_label_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("evil.toml");
    std::fs::write(
        &scenario,
        "name = \"<script>alert(1)</script>\"\n\
         description = \"a & b <img src=x onerror=alert(2)>\"\n\
         [simulation]\nstart = 2024-01-01\nend = 2024-03-31\nruns = 50\n\
         [issues.x]\nname = \"<b>bold</b>\"\nlow = \"</svg><script>alert(3)</script>\"\nhigh = \"\\\"quoted\\\" 'single'\"\n\
         [parties.a]\nname = \"<script>alert(1)</script>\"\npositions = { x = 1.0 }\ntactic = \"linear\"\n\
         [parties.b]\nname = \"Mallory & co\"\npositions = { x = 0.0 }\ntactic = \"linear\"\n\
         [meetings.talks]\ndate = 2024-01-02\nvenue = \"<iframe src=//evil>\"\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\n",
    )
    .unwrap();
    let out = dir.path().join("evil.html");
    negsim(&["report", p(&scenario), "--html", p(&out)]);
    let html = std::fs::read_to_string(&out).unwrap();
    check_page(&html);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;/svg&gt;&lt;script&gt;alert(3)&lt;/script&gt;"));
    assert!(html.contains("&lt;iframe src=//evil&gt;"));
    assert!(html.contains("a &amp; b &lt;img src=x onerror=alert(2)&gt;"));
    assert!(html.contains("&quot;quoted&quot; &#39;single&#39;"));
    assert!(html.contains("Mallory &amp; co"));
    for raw in ["<script>", "<b>bold", "<iframe", "<img", "</svg><script"] {
        assert!(!html.contains(raw), "unescaped {raw}");
    }
}

/// The report of a batch and the report of the files that batch wrote show
/// the same charts and tables.
#[test]
fn a_batch_and_its_files_give_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    let (runs, events) = (dir.path().join("runs.csv"), dir.path().join("events.csv"));
    let (a, b, c) = (
        dir.path().join("a.html"),
        dir.path().join("b.html"),
        dir.path().join("c.html"),
    );
    let f = founding();
    negsim(&[
        "run",
        &f,
        "--runs",
        "300",
        "--out",
        p(&runs),
        "--events",
        p(&events),
    ]);
    negsim(&["report", &f, "--runs", "300", "--html", p(&a)]);
    negsim(&[
        "report",
        &f,
        "--from",
        p(&runs),
        "--events",
        p(&events),
        "--html",
        p(&b),
    ]);
    // Without the events CSV the sample runs are replayed from the scenario.
    negsim(&["report", &f, "--from", p(&runs), "--html", p(&c)]);
    let (a, b, c) = (
        std::fs::read_to_string(a).unwrap(),
        std::fs::read_to_string(b).unwrap(),
        std::fs::read_to_string(c).unwrap(),
    );
    check_page(&b);
    assert_eq!(figures(&a), figures(&b));
    assert_eq!(figures(&a), figures(&c));
    let outcomes = |h: &str| {
        h.split("<section id=\"outcomes\">")
            .nth(1)
            .unwrap()
            .split("</section>")
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(outcomes(&a), outcomes(&b));
    assert!(b.contains("300 runs read from"));
    assert!(c.contains("replayed from the scenario with seed 20220110"));
}

#[test]
fn a_sweeps_report_has_its_sweep_charts() {
    let dir = tempfile::tempdir().unwrap();
    let runs = dir.path().join("sweep.csv");
    let out = dir.path().join("sweep.html");
    negsim(&[
        "sweep",
        &founding(),
        "--vary",
        "threats.us_sanctions.credibility=0..1:3",
        "--vary",
        "parties.russia.cost_of_conflict=[0.05, 0.3]",
        "--runs",
        "40",
        "--out",
        p(&runs),
    ]);
    // The sidecar names the scenario.
    negsim(&["report", "--from", p(&runs), "--html", p(&out)]);
    let html = std::fs::read_to_string(&out).unwrap();
    check_page(&html);
    assert!(html.contains("<section id=\"sweep\">"));
    let figs = figures(&html);
    let against = figs
        .iter()
        .filter(|f| f.contains("Outcome shares against"))
        .count();
    assert_eq!(against, 2);
    let heat = figs
        .iter()
        .filter(|f| {
            f.contains("over threats.us_sanctions.credibility and parties.russia.cost_of_conflict")
        })
        .count();
    assert!(heat >= 1, "a heat map for the two parameters");
    assert!(html.contains("a sweep of 6 points, 240 runs"));
}

#[test]
fn bad_report_commands_exit_2_with_a_way_out() {
    let dir = tempfile::tempdir().unwrap();
    let runs = dir.path().join("runs.csv");
    let f = founding();
    negsim(&["run", &f, "--runs", "5", "--out", p(&runs)]);
    let out = dir.path().join("r.html");
    // A run's CSV has a sidecar that names its scenario: report finds it.
    negsim(&["report", "--from", p(&runs), "--html", p(&out)]);
    assert!(out.exists());
    std::fs::remove_file(&out).unwrap();
    // Without the sidecar, the scenario must be named.
    std::fs::remove_file(dir.path().join("runs.csv.meta.json")).unwrap();
    let e = fails(2, &["report", "--from", p(&runs), "--html", p(&out)]);
    assert!(e.contains("name it: negsim report SCENARIO --from"), "{e}");
    let e = fails(
        2,
        &[
            "report",
            &f,
            "--from",
            p(&runs),
            "--runs",
            "9",
            "--html",
            p(&out),
        ],
    );
    assert!(e.contains("--runs sets up a batch"), "{e}");
    let e = fails(
        2,
        &[
            "report",
            "--from",
            p(&dir.path().join("none.csv")),
            "--html",
            p(&out),
        ],
    );
    assert!(e.contains("none.csv"), "{e}");
    std::fs::write(
        dir.path().join("bad.csv"),
        "run,outcome,end_day\n0,peace,3\n",
    )
    .unwrap();
    let e = fails(
        2,
        &[
            "report",
            &f,
            "--from",
            p(&dir.path().join("bad.csv")),
            "--html",
            p(&out),
        ],
    );
    assert!(e.contains("line 2: `outcome` is `peace`"), "{e}");
    let e = fails(2, &["report", &f, "--html", &f]);
    assert!(e.contains("--html"), "{e}");
    assert!(!out.exists(), "nothing written after an error");
}
