#!/usr/bin/env bash
# Creates benches/peers/negmas/.venv (gitignored) with NegMAS 0.16.0, the
# version that recorded the reference negotiations (tests/fixtures/negmas/).
# Usage: benches/peers/negmas/setup.sh   (PYTHON=python3.11 to choose the interpreter)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python3}"
if [ ! -x "$here/.venv/bin/python" ]; then
    "$python" -m venv "$here/.venv"
fi
"$here/.venv/bin/python" -m pip install --quiet --disable-pip-version-check negmas==0.16.0
"$here/.venv/bin/python" -c 'import negmas, sys; print("negmas", negmas.__version__, "on Python", sys.version.split()[0])'
