#!/usr/bin/env bash
# Measures negsim against its peers side by side (issue 13) and prints one
# markdown table: builds negsim (release) and the hand loop, sets up the SimPy
# and NegMAS environments if they are missing, then runs compare.py with the
# arguments given (`benches/peers/compare.sh --help` lists them).
#
#   benches/peers/compare.sh                  # 5 repetitions, the full check
#   benches/peers/compare.sh --reps 1 --scale 0.1 --check-runs 0 --rss-runs 10000
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
(cd "$root" && cargo build --release --quiet)
cargo build --release --quiet --manifest-path "$here/handloop/Cargo.toml"
[ -x "$here/simpy/.venv/bin/python" ] || "$here/simpy/setup.sh" >&2
[ -x "$here/negmas/.venv/bin/python" ] || "$here/negmas/setup.sh" >&2
for tool in taskset /usr/bin/time; do command -v "$tool" >/dev/null || { echo "compare.sh: $tool is needed (util-linux, GNU time)" >&2; exit 2; }; done
exec python3 "$here/compare.py" "$@"
