//! The report in a real browser: headless Chromium (Debian's `chromium`,
//! which `.ci/run` installs when it is missing) loads the report of the
//! founding scenario and of a small sweep; the page must load without a
//! console message (it has no scripts, so any message is an error: a
//! blocked load, a content-security violation), and every chart must have
//! drawn: the screenshot is not blank where each chart is.
//! The founding report also prints to a PDF of several pages.
//!
//! Chart positions come from a probe copy of the page with a script added
//! (and its content security policy opened for that script only); the
//! screenshot and the console check use the page as written.
//!
//! Without Chromium these tests say so on stderr and pass, unless
//! `NEGSIM_REQUIRE_BROWSER=1` is set (`.ci/run` sets it, after installing
//! Chromium): then a missing browser is a failure, so CI cannot skip them
//! silently. `NEGSIM_CHROMIUM` names another binary.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use super::support::{founding, negsim, p};

const WIDTH: u32 = 1100;

/// The browser, or `None` (with a note) when it is missing and not required.
fn chromium() -> Option<PathBuf> {
    let bin = std::env::var_os("NEGSIM_CHROMIUM").unwrap_or_else(|| "chromium".into());
    let found = Process::new(&bin)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some(PathBuf::from(bin));
    }
    let required = std::env::var("NEGSIM_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "NEGSIM_REQUIRE_BROWSER=1 but Chromium ({}) does not run: `apt-get install chromium` \
         (.ci/run does when `command -v chromium` fails), or point NEGSIM_CHROMIUM at one",
        PathBuf::from(&bin).display()
    );
    eprintln!(
        "browser test SKIPPED: Chromium ({}) not found; install it or set \
         NEGSIM_REQUIRE_BROWSER=1 to make this a failure",
        PathBuf::from(&bin).display()
    );
    None
}

/// Runs headless Chromium on `page` with `extra` flags, in a fresh profile;
/// returns (stdout, stderr).
fn headless(bin: &Path, page: &Path, extra: &[String]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let out = Process::new("timeout")
        .arg("120")
        .arg(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The page's console messages.
fn console_messages(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(":CONSOLE")).collect()
}

/// The page's height and each chart's box (x, y, width, height), from a
/// probe copy of `page`.
fn layout(bin: &Path, page: &Path) -> (u32, Vec<[u32; 4]>) {
    let html = std::fs::read_to_string(page).unwrap();
    let probe = html
        .replace(
            "default-src 'none'; style-src 'unsafe-inline'",
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'",
        )
        .replace(
            "</body>",
            "<script>document.title = 'LAYOUT ' + JSON.stringify([document.documentElement.scrollHeight, \
             Array.from(document.querySelectorAll('figure.chart svg')).map(function (e) { \
             var r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height].map(Math.round); })]);\
             </script></body>",
        );
    let probe_path = page.with_extension("probe.html");
    std::fs::write(&probe_path, probe).unwrap();
    let (dom, _) = headless(
        bin,
        &probe_path,
        &[format!("--window-size={WIDTH},1000"), "--dump-dom".into()],
    );
    let json = dom
        .split("<title>LAYOUT ")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .expect("the probe wrote the layout");
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let height = v[0].as_u64().unwrap() as u32;
    let boxes = v[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let n = |k: usize| b[k].as_f64().unwrap().max(0.0) as u32;
            [n(0), n(1), n(2), n(3)]
        })
        .collect();
    (height, boxes)
}

/// Whether a region of an RGB(A) image has drawn: enough ink and at least a
/// few colours (a frame alone, or nothing, is blank).
fn drawn(img: &png::OutputInfo, data: &[u8], b: [u32; 4]) -> Result<(), String> {
    let channels = img.color_type.samples();
    let (x0, y0) = (b[0], b[1]);
    let (x1, y1) = ((b[0] + b[2]).min(img.width), (b[1] + b[3]).min(img.height));
    if x1 <= x0 + 10 || y1 <= y0 + 10 {
        return Err(format!("chart box {b:?} is empty"));
    }
    let mut ink = 0u64;
    let mut colours = std::collections::BTreeSet::new();
    for y in y0..y1 {
        for x in x0..x1 {
            let i = (y as usize * img.width as usize + x as usize) * channels;
            let px = &data[i..i + 3];
            if px.iter().any(|&c| c < 225) {
                ink += 1;
                colours.insert((px[0] / 32, px[1] / 32, px[2] / 32));
            }
        }
    }
    let area = u64::from((x1 - x0) * (y1 - y0));
    if ink * 100 < area || colours.len() < 3 {
        return Err(format!(
            "chart box {b:?} looks blank: {ink} of {area} pixels inked, {} colours",
            colours.len()
        ));
    }
    Ok(())
}

/// Loads `page` in Chromium: no console message, and every chart drawn.
/// Returns the screenshot's path.
fn render_and_check(bin: &Path, page: &Path) -> Result<PathBuf, String> {
    let (_, stderr) = headless(
        bin,
        page,
        &[format!("--window-size={WIDTH},1000"), "--dump-dom".into()],
    );
    let messages = console_messages(&stderr);
    if !messages.is_empty() {
        return Err(format!("console messages:\n{}", messages.join("\n")));
    }
    let (height, boxes) = layout(bin, page);
    if boxes.is_empty() {
        return Err("no charts on the page".into());
    }
    let shot = page.with_extension("png");
    headless(
        bin,
        page,
        &[
            format!("--window-size={WIDTH},{height}"),
            format!("--screenshot={}", shot.display()),
        ],
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut data = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut data).unwrap();
    if info.height < height.min(16000) - 5 {
        return Err(format!(
            "the screenshot is {} px high, the page {height}",
            info.height
        ));
    }
    for b in boxes {
        drawn(&info, &data, b)?;
    }
    Ok(shot)
}

/// The founding scenario's report of 1000 runs, written in `dir`.
fn founding_report(dir: &Path) -> PathBuf {
    let page = dir.join("founding.html");
    negsim(&["report", &founding(), "--runs", "1000", "--html", p(&page)]);
    page
}

#[test]
fn the_founding_report_renders_in_chromium_with_every_chart_drawn() {
    let Some(bin) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = founding_report(dir.path());
    render_and_check(&bin, &page).unwrap();
}

#[test]
fn a_sweeps_report_renders_in_chromium_with_every_chart_drawn() {
    let Some(bin) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let runs = dir.path().join("sweep.csv");
    negsim(&[
        "sweep",
        &founding(),
        "--vary",
        "threats.us_sanctions.credibility=0..1:3",
        "--vary",
        "parties.russia.cost_of_conflict=[0.05, 0.3]",
        "--runs",
        "30",
        "--out",
        runs.to_str().unwrap(),
    ]);
    let page = dir.path().join("sweep.html");
    negsim(&[
        "report",
        "--from",
        runs.to_str().unwrap(),
        "--html",
        page.to_str().unwrap(),
    ]);
    render_and_check(&bin, &page).unwrap();
}

/// Printed (Chromium's print to PDF, with the page's print stylesheet), the
/// founding report is a PDF of several pages, without a console message.
#[test]
fn the_founding_report_prints_to_pdf() {
    let Some(bin) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = founding_report(dir.path());
    let pdf = dir.path().join("founding.pdf");
    let (_, stderr) = headless(
        &bin,
        &page,
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    assert_eq!(console_messages(&stderr), Vec::<&str>::new());
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    // Page objects: "/Type /Page" not followed by "s" (that is /Pages).
    let pages = bytes
        .windows(12)
        .filter(|w| w.starts_with(b"/Type /Page") && w[11] != b's')
        .count();
    assert!((4..=40).contains(&pages), "{pages} pages");
}

/// The checks can fail: a page that loads something, and a chart that drew
/// nothing, are caught.
#[test]
fn the_browser_checks_catch_a_load_and_a_blank_chart() {
    let Some(bin) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let head = "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" \
                content=\"default-src 'none'; style-src 'unsafe-inline'\"></head><body>";
    let loads = dir.path().join("loads.html");
    std::fs::write(
        &loads,
        format!("{head}<img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\"></body></html>"),
    )
    .unwrap();
    let e = render_and_check(&bin, &loads).unwrap_err();
    assert!(e.contains("Content Security Policy"), "{e}");
    let blank = dir.path().join("blank.html");
    std::fs::write(
        &blank,
        format!(
            "{head}<figure class=\"chart\"><svg width=\"600\" height=\"300\" \
             xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"600\" height=\"300\" \
             fill=\"white\" stroke=\"black\"/></svg></figure></body></html>"
        ),
    )
    .unwrap();
    let e = render_and_check(&bin, &blank).unwrap_err();
    assert!(e.contains("looks blank"), "{e}");
}
