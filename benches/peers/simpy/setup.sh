#!/usr/bin/env bash
# Creates benches/peers/simpy/.venv (gitignored) with SimPy 4.1.2, the version
# of the reference figures (../shared/reference/perf/README.md).
# Usage: benches/peers/simpy/setup.sh   (PYTHON=python3.11 to choose the interpreter)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python3}"
if [ ! -x "$here/.venv/bin/python" ]; then
    "$python" -m venv "$here/.venv"
fi
"$here/.venv/bin/python" -m pip install --quiet --disable-pip-version-check simpy==4.1.2
"$here/.venv/bin/python" -c 'import simpy, sys; print("simpy", simpy.__version__, "on Python", sys.version.split()[0])'
