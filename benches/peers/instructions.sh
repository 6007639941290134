#!/usr/bin/env bash
# Instructions per unit of work for the six workloads of docs/performance.md
# ("Instructions per unit of work"), counted by callgrind: the count of 10
# units taken from that of 5,010 (runs) or 2,010 (runs with events, NegMAS
# negotiations), so start-up is subtracted. Exact and repeatable where
# times are not. Needs valgrind; takes about five minutes.
#
#   benches/peers/instructions.sh [NEGSIM_BINARY]   # default target/release/negsim
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
bin="${1:-target/release/negsim}"
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is needed" >&2; exit 2; }
[ -x "$bin" ] || cargo build --release --quiet
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
count() {
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$bin" "$@" >/dev/null 2>"$tmp/err"
    grep -E "Collected" "$tmp/err" | awk '{print $4}' | tr -d ,
}
per() { # BIG SMALL ARGS...: instructions per unit, start-up subtracted
    local big=$1 small=$2
    shift 2
    local a b
    a=$(count "$@" --runs "$big")
    b=$(count "$@" --runs "$small")
    python3 -c "print(f'{($a - $b) / ($big - $small) / 1000:.1f}k')"
}
founding=scenarios/jan-2022-security-talks.toml
negmas=scenarios/benchmarks/negmas.toml
out=(--threads 1 --out "$tmp/runs.csv")
echo "founding scenario, runs CSV, per run: $(per 5010 10 run "$founding" "${out[@]}")"
echo "founding scenario, events and runs CSV, per run: $(per 2010 10 run "$founding" "${out[@]}" --events "$tmp/events.csv")"
echo "peer model (consensus.toml), per run: $(per 5010 10 run scenarios/benchmarks/consensus.toml "${out[@]}")"
for v in Boulware:0.25 Linear:1.0 Conceder:4.0; do
    beta=${v#*:}
    echo "NegMAS benchmark, ${v%:*}, per negotiation: $(per 2010 10 run "$negmas" "${out[@]}" "--set=parties.a.tactic.beta=$beta" "--set=parties.b.tactic.beta=$beta")"
done
