//! The peer benchmark of issue 13 as a single-purpose hand-written loop:
//! five parties, five issues, ten meetings of uncertain date, a deadline that
//! fires a sanctions threat, DeGroot averaging, agreement when every issue's
//! spread is below 0.1 (`../shared/reference/perf/README.md`; the same model
//! as `benches/peers/simpy/peer_model.py` and
//! `scenarios/benchmarks/consensus.toml`).
//!
//! Run r draws from ChaCha8 seeded by the master seed on stream r, so it
//! depends only on (seed, r). Events go through a `BinaryHeap` ordered by
//! (time, insertion order); runs are written with the `csv` crate.
//!
//! Usage: `handloop [--runs N] [--seed S] [--out FILE]` (`-`: standard
//! output; without `--out`, no CSV). Prints the outcome shares, the mean end
//! time and the model events per run on standard error.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::io::Write;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const PARTIES: usize = 5;
const ISSUES: usize = 5;
const MEETINGS: usize = 10;
const DEADLINE: f64 = 60.0;
const TOLERANCE: f64 = 0.1;
/// Before and after the threat.
const STEP: [f64; 2] = [0.7, 0.8];
const WALKOUT: [f64; 2] = [0.005, 0.02];
const OUTCOMES: [&str; 4] = ["agreement", "agreement_after_threat", "walkout", "no_deal"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Deadline,
    Meeting,
}

/// An event: its day and its insertion number (ties go to the earlier).
struct Event {
    time: f64,
    seq: u32,
    kind: Kind,
}

impl PartialEq for Event {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Event {}
impl PartialOrd for Event {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Event {
    /// Reversed: `BinaryHeap` is a max-heap and the earliest event comes first.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .time
            .total_cmp(&self.time)
            .then(other.seq.cmp(&self.seq))
    }
}

/// How one run ended.
struct Run {
    outcome: usize,
    end: f64,
    means: [f64; ISSUES],
    events: u32,
}

fn means(pos: &[[f64; ISSUES]; PARTIES]) -> [f64; ISSUES] {
    let mut m = [0.0; ISSUES];
    for p in pos {
        for (mi, x) in m.iter_mut().zip(p) {
            *mi += x;
        }
    }
    m.map(|s| s / PARTIES as f64)
}

fn run(rng: &mut ChaCha8Rng, heap: &mut BinaryHeap<Event>) -> Run {
    heap.clear();
    let mut pos = [[0.0; ISSUES]; PARTIES];
    for p in &mut pos {
        for x in p.iter_mut() {
            *x = rng.random::<f64>();
        }
    }
    heap.push(Event {
        time: DEADLINE,
        seq: 0,
        kind: Kind::Deadline,
    });
    for k in 1..=MEETINGS {
        heap.push(Event {
            time: 10.0 * k as f64 + 5.0 * rng.random::<f64>(),
            seq: k as u32,
            kind: Kind::Meeting,
        });
    }
    let mut threat = 0;
    let mut events = 0;
    let mut end = 0.0;
    while let Some(ev) = heap.pop() {
        events += 1;
        end = ev.time;
        if ev.kind == Kind::Deadline {
            threat = 1;
            continue;
        }
        let mean = means(&pos);
        for _ in 0..PARTIES {
            if rng.random::<f64>() < WALKOUT[threat] {
                return Run {
                    outcome: 2,
                    end,
                    means: mean,
                    events,
                };
            }
        }
        let step = STEP[threat];
        for p in &mut pos {
            for (x, m) in p.iter_mut().zip(&mean) {
                *x += rng.random::<f64>() * step * (m - *x);
            }
        }
        let agreed = (0..ISSUES).all(|i| {
            let (lo, hi) = pos
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                    (lo.min(p[i]), hi.max(p[i]))
                });
            hi - lo < TOLERANCE
        });
        if agreed {
            return Run {
                outcome: threat,
                end,
                means: means(&pos),
                events,
            };
        }
    }
    Run {
        outcome: 3,
        end,
        means: means(&pos),
        events,
    }
}

fn usage(msg: &str) -> ! {
    eprintln!("handloop: {msg}\nusage: handloop [--runs N] [--seed S] [--out FILE|-]");
    std::process::exit(2)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut runs: u64 = 10_000;
    let mut seed: u64 = 1;
    let mut out: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| usage(&format!("{a} needs a value")))
        };
        match a.as_str() {
            "--runs" => runs = value().parse().unwrap_or_else(|_| usage("bad --runs")),
            "--seed" => seed = value().parse().unwrap_or_else(|_| usage("bad --seed")),
            "--out" => out = Some(value()),
            _ => usage(&format!("unknown argument {a}")),
        }
    }
    let sink: Option<Box<dyn Write>> = match out.as_deref() {
        None => None,
        Some("-") => Some(Box::new(std::io::stdout().lock())),
        Some(path) => Some(Box::new(std::fs::File::create(path)?)),
    };
    let mut w =
        sink.map(|s| csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 16, s)));
    if let Some(w) = &mut w {
        w.write_record([
            "run", "outcome", "end_time", "mean_i1", "mean_i2", "mean_i3", "mean_i4", "mean_i5",
        ])?;
    }
    let (mut ints, mut floats) = (itoa::Buffer::new(), ryu::Buffer::new());
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut heap = BinaryHeap::with_capacity(MEETINGS + 1);
    let mut counts = [0u64; 4];
    let (mut end_sum, mut events) = (0.0, 0u64);
    for r in 0..runs {
        rng.set_stream(r);
        rng.set_word_pos(0);
        let res = run(&mut rng, &mut heap);
        counts[res.outcome] += 1;
        end_sum += res.end;
        events += u64::from(res.events);
        if let Some(w) = &mut w {
            w.write_field(ints.format(r))?;
            w.write_field(OUTCOMES[res.outcome])?;
            w.write_field(floats.format(res.end))?;
            for m in res.means {
                w.write_field(floats.format(m))?;
            }
            w.write_record(None::<&[u8]>)?;
        }
    }
    if let Some(mut w) = w {
        w.flush()?;
    }
    let n = runs.max(1) as f64;
    let shares: Vec<String> = OUTCOMES
        .iter()
        .zip(counts)
        .map(|(k, c)| format!("{k}={:.4}", c as f64 / n))
        .collect();
    eprintln!(
        "handloop: {runs} runs: {} counts={} mean_end={:.3} events_per_run={:.3}",
        shares.join(" "),
        counts.map(|c| c.to_string()).join(","),
        end_sum / n,
        events as f64 / n
    );
    Ok(())
}
