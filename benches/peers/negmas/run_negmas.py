#!/usr/bin/env python3
"""Times N runs of the NegMAS 0.16 benchmark negotiation.

The negotiation is the one ../shared/reference/negmas/README.md records (and
tests/fixtures/negmas/ keeps in the tree): two parties split one issue of 101
values (`make_issue(values=101, name="share")`) under
`SAOMechanism(n_steps=100)`, A added first; u_A(s) = 0.01 s and
u_B(s) = 1 - 0.01 s as `AffineUtilityFunction`s with reserved value 0; both
parties use the same time-based negotiator: `BoulwareTBNegotiator`,
`LinearTBNegotiator` or `ConcederTBNegotiator`. negsim's side is
scenarios/benchmarks/negmas.toml (beta = 1/e: 0.25, 1, 4).

Every negotiation is checked against the recorded result (agreed share, the
agreement round, who accepted); a mismatch exits with status 1.

Usage: run_negmas.py VARIANT [-n N]
Prints one JSON line: variant, n, the CPU seconds (user + sys of this
process) and wall seconds of the N negotiations alone (imports and set-up
excluded), and the agreement.
"""

import argparse
import json
import os
import pathlib
import resource
import sys
import time

from negmas import SAOMechanism, make_issue
from negmas.preferences import AffineUtilityFunction
from negmas.sao.negotiators import (
    BoulwareTBNegotiator,
    ConcederTBNegotiator,
    LinearTBNegotiator,
)

VARIANTS = {
    "boulware": BoulwareTBNegotiator,
    "linear": LinearTBNegotiator,
    "conceder": ConcederTBNegotiator,
}
FIXTURES = pathlib.Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "negmas"


def negotiate(cls, issues):
    """One negotiation: (agreed share, agreement round (0-based), accepted by)."""
    mech = SAOMechanism(issues=issues, n_steps=100)
    ua = AffineUtilityFunction(weights=[0.01], bias=0.0, issues=issues, reserved_value=0.0)
    ub = AffineUtilityFunction(weights=[-0.01], bias=1.0, issues=issues, reserved_value=0.0)
    a, b = cls(name="A"), cls(name="B")
    mech.add(a, ufun=ua)
    mech.add(b, ufun=ub)
    state = mech.run()
    if state.agreement is None:
        return None
    # The accepting party is the one that did not make the agreed offer.
    proposer = state.current_proposer
    by = "B" if proposer == a.id else "A"
    return (state.agreement[0], state.step - 1, by)


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("variant", choices=sorted(VARIANTS))
    ap.add_argument("-n", type=int, default=100, help="negotiations (default 100)")
    args = ap.parse_args()

    rec = json.loads((FIXTURES / f"{args.variant}.records.jsonl").read_text().splitlines()[0])
    want = (rec["value"], rec["round"], rec["accepted_by"])
    cls = VARIANTS[args.variant]
    issues = [make_issue(values=101, name="share")]

    c0, w0 = cpu(), time.perf_counter()
    for k in range(args.n):
        got = negotiate(cls, issues)
        if got != want:
            print(f"negotiation {k}: {got} differs from the reference {want}", file=sys.stderr)
            sys.exit(1)
    c1, w1 = cpu(), time.perf_counter()
    print(
        json.dumps(
            {
                "variant": args.variant,
                "n": args.n,
                "cpu_s": c1 - c0,
                "wall_s": w1 - w0,
                "agreement": {"share": want[0], "round": want[1], "accepted_by": want[2]},
                "pid": os.getpid(),
            }
        )
    )


if __name__ == "__main__":
    main()
