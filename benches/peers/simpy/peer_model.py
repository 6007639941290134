#!/usr/bin/env python3
"""The peer benchmark of issue 13 in SimPy: a five-party consensus negotiation.

The model is the one ../shared/reference/perf/README.md specifies, and the same
as scenarios/benchmarks/consensus.toml and benches/peers/handloop:

1. positions: 5 parties x 5 issues, each drawn U[0, 1);
2. meetings: meeting k = 1..10 on day 10k + 5U; a deadline on day 60;
3. events in time order (ties: insertion order, the deadline's process first):
   - deadline (day 60, only if no outcome yet): a sanctions threat fires; from
     then on the concession step is U(0, 0.8) instead of U(0, 0.7) and the
     walkout chance per party per meeting 0.02 instead of 0.005;
   - meeting: each issue's mean over the parties; each party walks out with
     the walkout chance (outcome walkout, stop); otherwise every party moves on
     every issue by U * step * (mean - position) (DeGroot 1974); if on every
     issue max - min over the parties is below 0.1: agreement
     (agreement_after_threat if the threat has fired), stop;
   - after the last meeting without an outcome: no_deal.
4. output per run: run, outcome, end time (the day of the event that ended
   it), the final mean position on each issue.

Each run has its own generator (Python's Mersenne Twister), seeded by
(master seed, run), so run r depends only on the seed and r.

Usage: peer_model.py [--runs N] [--seed S] [--out FILE]
Prints the outcome shares, the mean end time and the model events per run
on standard error; writes the runs CSV to FILE (`-`: standard output).
"""

import argparse
import csv
import random
import sys

import simpy

PARTIES = 5
ISSUES = 5
MEETINGS = 10
DEADLINE = 60.0
TOLERANCE = 0.1
STEP = (0.7, 0.8)  # before, after the threat
WALKOUT = (0.005, 0.02)
OUTCOMES = ("agreement", "agreement_after_threat", "walkout", "no_deal")


class Negotiation:
    """One run: the parties' positions, the threat, and how it ended."""

    def __init__(self, env, rng):
        self.env = env
        self.rng = rng
        u = rng.random
        self.pos = [[u() for _ in range(ISSUES)] for _ in range(PARTIES)]
        self.days = [10.0 * k + 5.0 * u() for k in range(1, MEETINGS + 1)]
        self.threat = False
        self.outcome = None
        self.end = None
        self.events = 0
        self.done = env.event()
        env.process(self.deadline())
        env.process(self.meetings())

    def finish(self, outcome):
        self.outcome = outcome
        self.end = self.env.now
        self.done.succeed()

    def means(self):
        return [sum(p[i] for p in self.pos) / PARTIES for i in range(ISSUES)]

    def deadline(self):
        yield self.env.timeout(DEADLINE)
        if self.outcome is None:
            self.events += 1
            self.threat = True

    def meetings(self):
        u = self.rng.random
        for day in self.days:
            yield self.env.timeout(day - self.env.now)
            self.events += 1
            mean = self.means()
            walkout = WALKOUT[self.threat]
            for _ in range(PARTIES):
                if u() < walkout:
                    self.finish("walkout")
                    return
            step = STEP[self.threat]
            for p in self.pos:
                for i in range(ISSUES):
                    p[i] += u() * step * (mean[i] - p[i])
            if all(
                max(p[i] for p in self.pos) - min(p[i] for p in self.pos) < TOLERANCE
                for i in range(ISSUES)
            ):
                self.finish("agreement_after_threat" if self.threat else "agreement")
                return
        self.finish("no_deal")


def run_one(seed, run):
    env = simpy.Environment()
    neg = Negotiation(env, random.Random((seed << 32) | run))
    env.run(until=neg.done)
    return neg


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="runs CSV (`-` for standard output)")
    args = ap.parse_args()

    if args.out == "-":
        f = sys.stdout
    elif args.out:
        f = open(args.out, "w", newline="")
    else:
        f = None
    w = csv.writer(f, lineterminator="\n") if f else None
    if w:
        w.writerow(["run", "outcome", "end_time"] + [f"mean_i{i + 1}" for i in range(ISSUES)])
    counts = dict.fromkeys(OUTCOMES, 0)
    end_sum = 0.0
    events = 0
    for r in range(args.runs):
        neg = run_one(args.seed, r)
        counts[neg.outcome] += 1
        end_sum += neg.end
        events += neg.events
        if w:
            w.writerow([r, neg.outcome, repr(neg.end)] + [repr(m) for m in neg.means()])
    if f and f is not sys.stdout:
        f.close()
    n = max(args.runs, 1)
    shares = " ".join(f"{k}={counts[k] / n:.4f}" for k in OUTCOMES)
    print(
        f"simpy: {args.runs} runs: {shares} counts={','.join(str(counts[k]) for k in OUTCOMES)} mean_end={end_sum / n:.3f} events_per_run={events / n:.3f}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
