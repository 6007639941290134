//! The README's examples are real: its outputs are regenerated and compared.

use assert_cmd::Command;

fn readme() -> String {
    std::fs::read_to_string("README.md").expect("README.md")
}

fn run(args: &[&str]) -> String {
    let out = Command::cargo_bin("negsim")
        .unwrap()
        .args(args)
        .output()
        .expect("negsim runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Splits a shell-quoted argument string (single quotes only, as in the README).
pub(crate) fn shell_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in s.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any || !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            _ => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        words.push(cur);
    }
    words
}

#[test]
fn quick_start_table_matches_a_real_run() {
    let out = run(&["run", "scenarios/jan-2022-security-talks.toml"]);
    let text = readme();
    for line in out
        .lines()
        .filter(|l| !l.starts_with("runs:") && !l.trim().is_empty())
    {
        assert!(
            text.contains(line),
            "README lacks the line:\n{line}\nfull output:\n{out}"
        );
    }
}

#[test]
fn lever_table_matches_real_runs() {
    let text = readme();
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("| change |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert!(rows.len() >= 6, "lever table not found");
    for row in rows {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let label = cells[1];
        let mut args = vec![
            "run".to_string(),
            "scenarios/jan-2022-security-talks.toml".to_string(),
        ];
        if let Some(start) = label.find('`') {
            let end = label.rfind('`').unwrap();
            args.extend(shell_words(&label[start + 1..end]));
        }
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&argv);
        let share = |name: &str| -> String {
            out.lines()
                .find(|l| l.starts_with(&format!("{name} ")))
                .and_then(|l| l.split_whitespace().nth(2))
                .unwrap()
                .to_string()
        };
        let expected = [
            ("agreement", cells[2]),
            ("process", cells[3]),
            ("stalemate", cells[4]),
            ("breakdown", cells[5]),
            ("sanctions", cells[6]),
            ("conflict", cells[7]),
        ];
        for (name, cell) in expected {
            let got = share(name);
            let got_short = got.trim_end_matches('%').parse::<f64>().unwrap();
            let want = cell.trim_end_matches('%').parse::<f64>().unwrap();
            assert!(
                (got_short - want).abs() < 1e-9,
                "{label}: {name} is {got}, README says {cell}"
            );
        }
    }
}

#[test]
fn rubinstein_example_prints_the_documented_share() {
    let out = run(&[
        "run",
        "scenarios/textbook/rubinstein.toml",
        "--set",
        "parties.a.patience=0.9",
        "--set",
        "parties.b.patience=0.8",
        "--runs",
        "5",
        "--out",
        "-",
    ]);
    assert!(readme().contains("0.7142857142857143"));
    for row in out.lines().skip(1) {
        assert_eq!(row.split(',').nth(6), Some("0.7142857142857143"));
    }
}

#[test]
fn trace_excerpt_is_a_real_trace() {
    let text = readme();
    let start = text
        .find("--run 142`")
        .expect("README names the traced run");
    let block = text[start..]
        .split("```text\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the trace block");
    let out = run(&[
        "trace",
        "scenarios/jan-2022-security-talks.toml",
        "--run",
        "142",
    ]);
    for line in block.lines() {
        assert!(
            out.lines().any(|l| l == line),
            "not in the trace: {line}\n{out}"
        );
    }
}

#[test]
fn chart_excerpt_is_a_real_chart() {
    let text = readme();
    let start = text.find("--chart x`").expect("README shows a chart");
    let block = text[start..]
        .split("```text\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the chart block");
    let out = run(&["trace", "scenarios/textbook/nash.toml", "--chart", "x"]);
    for line in block.lines() {
        assert!(
            out.lines().any(|l| l == line),
            "not in the chart: {line:?}\n{out}"
        );
    }
}

/// Every complete scenario shown in `docs/scenario-format.md` (a TOML block
/// with a name and a `[simulation]` table) passes `negsim validate`.
#[test]
fn scenario_format_examples_validate() {
    let text = std::fs::read_to_string("docs/scenario-format.md").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for (k, block) in text.split("```toml\n").skip(1).enumerate() {
        let block = block.split("```").next().unwrap();
        if !(block.contains("[simulation]") && block.lines().any(|l| l.starts_with("name = "))) {
            continue;
        }
        if block.contains("...") || block.contains("ID]") {
            continue; // the "at a glance" template, not a scenario
        }
        let file = dir.path().join(format!("example-{k}.toml"));
        std::fs::write(&file, block).unwrap();
        run(&["validate", file.to_str().unwrap()]);
        checked += 1;
    }
    assert!(checked >= 2, "found {checked} complete examples");
}

/// The README's `negsim score` block is a real run.
#[test]
fn score_example_is_a_real_run() {
    let text = readme();
    let start = text
        .find("$ negsim score ")
        .expect("README shows negsim score");
    let block = text[start..].split("```").next().unwrap();
    let mut lines = block.lines();
    let command = lines.next().unwrap().trim_start_matches("$ negsim ");
    let mut args: Vec<String> = vec![];
    for w in command.split_whitespace() {
        if w.contains('*') {
            let (dir, _) = w.rsplit_once('/').unwrap();
            let mut found: Vec<String> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path().display().to_string())
                .filter(|p| p.ends_with(".toml"))
                .collect();
            found.sort();
            args.extend(found);
        } else {
            args.push(w.to_string());
        }
    }
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&argv);
    for line in lines.filter(|l| !l.trim().is_empty()) {
        assert!(
            out.lines().any(|l| l == line),
            "not in the output: {line:?}\n{out}"
        );
    }
}

/// The README's console examples (trace, report, play) run, and each line
/// shown is a line they print.
#[test]
fn console_examples_print_what_the_readme_shows() {
    let text = readme();
    let commands = crate::teaching::console_commands(&text);
    let names: Vec<&str> = commands.iter().map(|c| c.args[0].as_str()).collect();
    for want in ["trace", "report", "play"] {
        assert!(
            names.contains(&want),
            "no `negsim {want}` example: {names:?}"
        );
    }
    let dir = crate::teaching::scratch();
    for c in &commands {
        assert!(c.lines.len() >= 2, "{:?} shows its output", c.args);
        let (stdout, stderr) = crate::teaching::run(c, dir.path());
        crate::teaching::check_lines(c, &stdout, &stderr);
    }
}

/// The screenshot the README shows is a real rendering: a PNG of the
/// report's width, with ink on it, linked from the README.
#[test]
fn the_report_screenshot_is_linked_and_not_blank() {
    let path = "docs/report-screenshot.png";
    assert!(readme().contains(&format!("]({path})")));
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.width, 1100);
    assert!(info.height > 1000);
    let px = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let dark = pixels
        .chunks(px)
        .filter(|p| p.iter().take(3).map(|&c| u32::from(c)).sum::<u32>() < 3 * 128)
        .count();
    let total = pixels.len() / px;
    assert!(dark * 100 > total, "{dark} dark pixels of {total}");
    assert!(dark * 2 < total, "{dark} dark pixels of {total}");
}

/// docs/cluster.md shows the Slurm scripts of cluster/slurm/ as they are
/// (cluster/slurm/check.sh submits those files to a real Slurm).
#[test]
fn cluster_guide_shows_the_slurm_scripts_in_the_tree() {
    let guide = std::fs::read_to_string("docs/cluster.md").unwrap();
    for file in ["sweep.sbatch", "merge.sbatch", "submit.sh"] {
        let text = std::fs::read_to_string(format!("cluster/slurm/{file}")).unwrap();
        let block = format!("```bash\n{}```", text);
        assert!(
            guide.contains(&block),
            "docs/cluster.md lacks {file} as it is"
        );
    }
}
