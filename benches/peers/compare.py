#!/usr/bin/env python3
"""Measures negsim against its peers side by side and prints one markdown table.

Run it through benches/peers/compare.sh, which builds negsim and the hand
loop and sets up the two Python environments first (see
benches/peers/README.md). Standard library only.

Method:
- every timed command runs as a child process; its CPU time is user + sys of
  that child (os.wait4), its peak memory ru_maxrss;
- repetitions are interleaved: each repetition runs every workload once, in
  the same order, so a change of load hits every workload alike; a ratio is
  taken within each repetition and the table gives the median and the range;
- single-thread workloads are pinned to one core with taskset; the thread
  scaling rows are not pinned and use wall time (CPU time does not fall with
  threads);
- NegMAS's cost is the CPU time of its negotiations alone, as its runner
  reports it (Python start-up and imports excluded, which favours NegMAS);
  every other cost is the whole child process (start-up included, which
  disfavours negsim and the hand loop least, SimPy most).
"""

import argparse
import csv
import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FOUNDING = "scenarios/jan-2022-security-talks.toml"
CONSENSUS = "scenarios/benchmarks/consensus.toml"
NEGMAS_TOML = "scenarios/benchmarks/negmas.toml"
# NegMAS's exponent e is negsim's 1/beta; the agreed share (0..1) each gives.
VARIANTS = [("boulware", 0.25, "0.5"), ("linear", 1.0, "0.5"), ("conceder", 4.0, "0.49")]
# Per-variant multipliers of the negotiation counts, so each command takes
# about as long as the others.
VARIANT_SCALE = {"boulware": 1, "linear": 2, "conceder": 6}
SWEEP_VARY = [
    "--vary",
    "parties.united_states.patience=0.80..0.99:10",
    "--vary",
    "simulation.noise=0..0.2:10",
]
# ../shared/reference/perf/README.md: 1,000,000 runs of the hand loop.
REF_SHARES = {
    "agreement": 0.1149,
    "agreement_after_threat": 0.6538,
    "walkout": 0.2312,
    "no_deal": 0.0001,
}
REF_RUNS = 1_000_000
REF_MEAN_END = 61.826
TIME = "/usr/bin/time"  # GNU time, for peak RSS


def measure(cmd, pin):
    """Runs cmd; returns CPU seconds, wall seconds, peak RSS (KiB), stdout, stderr.

    CPU time comes from os.wait4 (microseconds); peak RSS from GNU time's %M,
    because a child forked from this Python process keeps Python's peak RSS
    in its own ru_maxrss after exec, while GNU time's fork is a few MiB.
    """
    if pin is not None:
        cmd = ["taskset", "-c", str(pin)] + cmd
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile(
        "r"
    ) as rss:
        cmd = [TIME, "-f", "%M", "-o", rss.name] + cmd
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
        rss_kib = int(rss.read().split()[-1]) if p.returncode == 0 else 0
    if p.returncode != 0:
        sys.exit(f"compare: {' '.join(cmd)} failed ({p.returncode}):\n{stderr}")
    return {
        "cpu": ru.ru_utime + ru.ru_stime,
        "wall": wall,
        "rss_kib": rss_kib,
        "stdout": stdout,
        "stderr": stderr,
    }


class Workload:
    """A command and how to turn one measurement into a cost per unit (seconds)."""

    def __init__(self, key, cmd, units, pin=True, cost="cpu", check=None):
        self.key, self.cmd, self.units, self.pin, self.cost, self.check = (
            key,
            cmd,
            units,
            pin,
            cost,
            check,
        )
        self.samples = []

    def run(self, cpu):
        m = measure(self.cmd, cpu if self.pin else None)
        if self.check:
            self.check(m)
        if self.cost == "negmas":
            seconds = json.loads(m["stdout"].strip().splitlines()[-1])["cpu_s"]
        else:
            seconds = m[self.cost]
        self.samples.append(seconds / self.units)


def last_row(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return rows[-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5, help="interleaved repetitions (5)")
    ap.add_argument("--cpu", type=int, default=1, help="core to pin single-thread work to (1)")
    ap.add_argument(
        "--scale", type=float, default=1.0, help="multiply every run count (0.1 for a quick look)"
    )
    ap.add_argument(
        "--rss-runs",
        default="10000,100000,1000000",
        help="run counts for peak memory, comma-separated (add 10000000 for the target's top)",
    )
    ap.add_argument(
        "--check-runs",
        type=int,
        default=1_000_000,
        help="runs of negsim and the hand loop for the outcome check (0: skip)",
    )
    ap.add_argument("--simpy-check-runs", type=int, default=20_000)
    ap.add_argument("--negsim", default=os.path.join(ROOT, "target/release/negsim"))
    ap.add_argument(
        "--handloop", default=os.path.join(HERE, "handloop/target/release/handloop")
    )
    ap.add_argument("--simpy-python", default=os.path.join(HERE, "simpy/.venv/bin/python"))
    ap.add_argument("--negmas-python", default=os.path.join(HERE, "negmas/.venv/bin/python"))
    args = ap.parse_args()

    def n(x):
        return max(1, int(x * args.scale))

    tmp = tempfile.mkdtemp(prefix="negsim-peers-")
    ns = args.negsim
    q = ["-q", "--progress", "never"]
    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = open("/proc/loadavg").read().split()[:3]

    work = {}

    def add(w):
        work[w.key] = w
        return w

    # NegMAS benchmark negotiation, per negotiation.
    for variant, beta, share in VARIANTS:
        k = VARIANT_SCALE[variant]
        runs = n(20_000 * k)
        out = os.path.join(tmp, f"negmas-{variant}.csv")

        def agreed(m, out=out, share=share, variant=variant):
            got = last_row(out)["value.share"]
            if got != share:
                sys.exit(f"compare: negsim's {variant} agreed {got}, NegMAS {share}")

        sets = [f"--set=parties.a.tactic.beta={beta}", f"--set=parties.b.tactic.beta={beta}"]
        add(
            Workload(
                f"negsim-{variant}",
                [ns, "run", NEGMAS_TOML, "--runs", str(runs), "--threads", "1", "--out", out]
                + sets
                + q,
                runs,
                check=agreed,
            )
        )
        m = n(40 * k)
        add(
            Workload(
                f"negmas-{variant}",
                [args.negmas_python, os.path.join(HERE, "negmas/run_negmas.py"), variant, "-n", str(m)],
                m,
                cost="negmas",
            )
        )

    # The peer model, per run, runs CSV out.
    r = n(20_000)
    add(
        Workload(
            "negsim-peer",
            [ns, "run", CONSENSUS, "--runs", str(r), "--threads", "1", "--out", os.path.join(tmp, "c.csv")]
            + q,
            r,
        )
    )
    r = n(10_000)
    add(
        Workload(
            "simpy-peer",
            [args.simpy_python, os.path.join(HERE, "simpy/peer_model.py"), "--runs", str(r), "--out", os.path.join(tmp, "s.csv")],
            r,
        )
    )
    r = n(1_000_000)
    add(
        Workload(
            "hand-peer",
            [args.handloop, "--runs", str(r), "--out", os.path.join(tmp, "h.csv")],
            r,
        )
    )

    # The founding scenario, one thread, runs CSV; and with the events CSV.
    r = n(20_000)
    add(
        Workload(
            "founding-1",
            [ns, "run", FOUNDING, "--runs", str(r), "--threads", "1", "--out", os.path.join(tmp, "f.csv")] + q,
            r,
        )
    )
    r = n(5_000)
    add(
        Workload(
            "founding-runs",
            [ns, "run", FOUNDING, "--runs", str(r), "--threads", "1", "--out", os.path.join(tmp, "fr.csv")] + q,
            r,
        )
    )
    add(
        Workload(
            "founding-events",
            [ns, "run", FOUNDING, "--runs", str(r), "--threads", "1", "--out", os.path.join(tmp, "fe.csv"), "--events", os.path.join(tmp, "fe-events.csv")]
            + q,
            r,
        )
    )

    # Thread scaling: wall time, not pinned.
    r = n(100_000)
    sweep_runs = n(400)
    for t in (1, 2):
        add(
            Workload(
                f"run-t{t}",
                [ns, "run", FOUNDING, "--runs", str(r), "--threads", str(t), "--out", os.path.join(tmp, f"t{t}.csv")] + q,
                r,
                pin=False,
                cost="wall",
            )
        )
        add(
            Workload(
                f"sweep-t{t}",
                [ns, "sweep", FOUNDING] + SWEEP_VARY + ["--runs", str(sweep_runs), "--threads", str(t), "--out", os.path.join(tmp, f"sw{t}.csv")] + q,
                100 * sweep_runs,
                pin=False,
                cost="wall",
            )
        )

    for rep in range(args.reps):
        for w in work.values():
            w.run(args.cpu)
        print(f"compare: repetition {rep + 1}/{args.reps} done", file=sys.stderr)

    # Peak memory, once per count (2 threads, runs CSV to a file).
    rss = []
    for count in [int(c) for c in args.rss_runs.split(",") if c]:
        m = measure(
            [ns, "run", FOUNDING, "--runs", str(count), "--threads", "2", "--out", os.path.join(tmp, "m.csv")] + q,
            None,
        )
        rss.append((count, m["rss_kib"], m["wall"]))
        print(f"compare: peak memory at {count} runs done", file=sys.stderr)

    checks = outcome_checks(args, tmp) if args.check_runs > 0 else []
    load_after = open("/proc/loadavg").read().split()[:3]

    print_table(args, work, rss, checks, started, load_before, load_after)
    for f in os.listdir(tmp):
        os.remove(os.path.join(tmp, f))
    os.rmdir(tmp)


def med_range(xs):
    return statistics.median(xs), min(xs), max(xs)


def fmt_time(s):
    """Seconds per unit, in the unit that suits it, 3 significant figures."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if s >= scale:
            return f"{sig3(s / scale)} {unit}"
    return f"{s:.3g} s"


def sig3(x):
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def fmt_ratio(rs):
    m, lo, hi = med_range(rs)
    return f"{sig3(m)}× ({sig3(lo)}–{sig3(hi)})"


def ratios(a, b):
    """Per repetition: b's cost over a's."""
    return [y / x for x, y in zip(a.samples, b.samples)]


def cell(w):
    m, lo, hi = med_range(w.samples)
    return f"{fmt_time(m)} ({fmt_time(lo)}–{fmt_time(hi)})"


def print_table(args, work, rss, checks, started, load_before, load_after):
    cpu_model = next(
        (l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
        platform.processor(),
    )
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    print(
        f"Measured {started:%Y-%m-%d %H:%M} UTC at commit `{head}` on {os.cpu_count()} cores of "
        f"{cpu_model}; load average {' '.join(load_before)} before, {' '.join(load_after)} after; "
        f"{args.reps} interleaved repetitions, single-thread rows pinned to core {args.cpu}, "
        f"scale {args.scale:g}. Costs: median (range) per unit of CPU time; ratios within each "
        f"repetition, median (range)."
    )
    print()
    print("| measure | negsim | peer | ratio | target |")
    print("| --- | --- | --- | --- | --- |")
    for variant, _, _ in VARIANTS:
        a, b = work[f"negsim-{variant}"], work[f"negmas-{variant}"]
        print(
            f"| NegMAS 0.16 benchmark negotiation, {variant.capitalize()}, per negotiation "
            f"| {cell(a)} | NegMAS {cell(b)} | negsim {fmt_ratio(ratios(a, b))} faster | ≥ 5,000× |"
        )
    a = work["negsim-peer"]
    b = work["simpy-peer"]
    print(
        f"| peer model, per run, runs CSV | {cell(a)} | SimPy 4.1.2 {cell(b)} "
        f"| negsim {fmt_ratio(ratios(a, b))} faster | ≥ 30× |"
    )
    b = work["hand-peer"]
    print(
        f"| peer model, per run, runs CSV | {cell(a)} | hand loop {cell(b)} "
        f"| negsim {fmt_ratio(ratios(b, a))} slower | ≤ 3× |"
    )
    w = work["founding-1"]
    rates = [1 / s for s in w.samples]
    m, lo, hi = med_range(rates)
    print(
        f"| founding scenario, one thread, runs CSV: runs/s of CPU | {m:,.0f} ({lo:,.0f}–{hi:,.0f}) "
        f"| | | ≥ 200,000 (criterion) |"
    )
    a, b = work["founding-runs"], work["founding-events"]
    print(
        f"| founding scenario, per run: events CSV and runs CSV against runs CSV alone "
        f"| events and runs CSV {cell(b)} "
        f"| runs CSV alone {cell(a)} | events {fmt_ratio(ratios(a, b))} the cost | ≤ 3× |"
    )
    for kind in ("run", "sweep"):
        a, b = work[f"{kind}-t1"], work[f"{kind}-t2"]
        what = (
            f"`run`, founding scenario, {a.units:,} runs"
            if kind == "run"
            else f"`sweep`, founding scenario, 100 points × {a.units // 100:,} runs"
        )
        print(
            f"| {what}: wall time per run, 2 threads against 1 (not pinned) "
            f"| 2 threads {cell(b)} | 1 thread {cell(a)} "
            f"| speed-up {fmt_ratio(ratios(b, a))} | ≥ 1.9× |"
        )
    for count, kib, wall in rss:
        print(
            f"| peak RSS, founding scenario, {count:,} runs, 2 threads, runs CSV "
            f"| {kib / 1024:.1f} MiB ({wall:.1f} s) | | | flat, < 30 MiB |"
        )
    if checks:
        print()
        print(
            "Outcome check against ../shared/reference/perf/README.md (1,000,000 runs of the "
            "reference hand loop); two-proportion z:"
        )
        print()
        for line in checks:
            print(f"- {line}")


def outcome_checks(args, tmp):
    """Outcome shares (and mean end time) of each implementation against the reference."""
    lines = []
    runs = args.check_runs
    out = os.path.join(tmp, "check-negsim.csv")
    measure(
        [args.negsim, "run", CONSENSUS, "--runs", str(runs), "--threads", "2", "--out", out, "-q"],
        None,
    )
    counts = dict.fromkeys(REF_SHARES, 0)
    with open(out, newline="") as f:
        for row in csv.DictReader(f):
            o = row["outcome"]
            if o == "agreement":
                key = (
                    "agreement_after_threat"
                    if row["executed.deadline_sanctions"] == "TRUE"
                    else "agreement"
                )
            elif o == "breakdown":
                key = "walkout"
            elif o in ("sanctions", "stalemate"):
                key = "no_deal"
            else:
                sys.exit(f"compare: negsim outcome {o} has no counterpart in the reference")
            counts[key] += 1
    lines.append(describe("negsim", runs, counts, None))
    print("compare: outcome check of negsim done", file=sys.stderr)
    for name, cmd, k in (
        ("hand loop", [args.handloop, "--runs", str(runs)], runs),
        (
            "SimPy",
            [args.simpy_python, os.path.join(HERE, "simpy/peer_model.py"), "--runs", str(args.simpy_check_runs)],
            args.simpy_check_runs,
        ),
    ):
        m = measure(cmd, None)
        # "NAME: N runs: agreement=.. agreement_after_threat=.. walkout=.. no_deal=.. mean_end=.. events_per_run=.."
        fields = dict(f.split("=") for f in m["stderr"].split() if "=" in f)
        counts = dict(zip(REF_SHARES, map(int, fields["counts"].split(","))))
        lines.append(describe(name, k, counts, float(fields["mean_end"]), fields["events_per_run"]))
        print(f"compare: outcome check of {name} done", file=sys.stderr)
    return lines


def describe(name, runs, counts, mean_end, events=None):
    parts = []
    for key, p0 in REF_SHARES.items():
        p = counts[key] / runs
        # Two-proportion z with the pooled share (finite when a share is 0).
        pooled = (counts[key] + p0 * REF_RUNS) / (runs + REF_RUNS)
        se = math.sqrt(pooled * (1 - pooled) * (1 / runs + 1 / REF_RUNS))
        z = (p - p0) / se if se > 0 else 0.0
        parts.append(f"{key} {p:.4f} (z = {z:+.2f})")
    text = f"{name}, {runs:,} runs: " + ", ".join(parts)
    if mean_end is not None:
        text += f"; mean end time {mean_end:.3f} (reference {REF_MEAN_END})"
    if events is not None:
        text += f"; model events per run {events}"
    return text


if __name__ == "__main__":
    main()
