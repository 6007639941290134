#!/usr/bin/env bash
# Real readers on real outputs (issue 10): runs the shell commands of the
# README's "Loading the outputs" section with the negsim binary that
# `cargo test` built, writes more outputs of `run` and `sweep` in both
# formats, then loads all of them with pandas, polars and pyarrow (in a
# virtual environment made here, from PyPI) and, where R and readr are
# installed, with readr and read.csv; every column's type is checked against
# the Table Schema beside its CSV. Then checks the scenario JSON Schema
# (`negsim schema`) against the shipped scenarios (jsonschema, from PyPI).
#
# Usage: tests/readers/run.sh [VENV_DIR]   (from the repository's root)
# NEGSIM_READERS_R=1 installs R and readr from Debian's packages first
# (r-cran-readr; about 50 s on CI's machine).
set -euo pipefail
root=$(pwd)
venv=${1:-"$root/target/readers-venv"}
bin="$root/target/debug"
# The binary `cargo test` builds (a no-op after it; never a stale one).
cargo test --quiet --no-run 2>/dev/null
export PATH="$bin:$PATH"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check pandas polars pyarrow jsonschema

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The README's commands, as written (run from a copy of the scenarios).
cp -r "$root/scenarios" "$out/"
awk '/^### Loading the outputs/{on=1; next} on && /^##/{exit} on' README.md \
    | awk '/^```sh$/{b=1; next} /^```$/{b=0} b' > "$out/readme.sh"
[ -s "$out/readme.sh" ] || { echo "README: no sh block under 'Loading the outputs'"; exit 1; }
(cd "$out" && bash -euo pipefail readme.sh)
# Both formats of every table of run and sweep, beside the README's.
s=scenarios/jan-2022-security-talks.toml
(cd "$out" &&
    negsim run $s --runs 300 --quiet --out all_runs.csv --events all_events.csv --summary all_summary.csv &&
    negsim run $s --runs 300 --quiet --out all_runs.parquet --events all_events.parquet --summary all_summary.parquet &&
    negsim sweep $s --vary 'parties.russia.cost_of_conflict=[0.05, 0.3]' --runs 50 --quiet \
        --out all_sweep.csv --summary all_sweep_summary.csv &&
    negsim sweep $s --vary 'parties.russia.cost_of_conflict=[0.05, 0.3]' --runs 50 --quiet \
        --out all_sweep.parquet --summary all_sweep_summary.parquet)
# A Parquet file is checked against the Table Schema of its CSV twin.
"$venv/bin/python" "$root/tests/readers/check_readers.py" README.md "$out"
# The scenario JSON Schema against every shipped scenario.
negsim schema > "$out/negsim.schema.json"
find scenarios -name '*.toml' -print0 | sort -z \
    | xargs -0 "$venv/bin/python" "$root/tests/readers/check_schema.py" "$out/negsim.schema.json"

if [ "${NEGSIM_READERS_R:-0}" = 1 ] && ! command -v Rscript >/dev/null; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends r-cran-readr >/dev/null
fi
if command -v Rscript >/dev/null && Rscript -e 'library(readr)' >/dev/null 2>&1; then
    Rscript "$root/tests/readers/check_r.R" README.md "$out"
else
    echo "readers: R with readr not installed; R readers not checked (NEGSIM_READERS_R=1 installs them)"
fi
