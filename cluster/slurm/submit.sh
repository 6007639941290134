#!/bin/bash
# Submits sweep.sbatch and merge.sbatch as docs/cluster.md shows. Run it from
# the shared directory that holds scenarios/ (NEGSIM: the binary's path on
# the shared filesystem, else negsim on the PATH).
set -euo pipefail
here=$(dirname "$0")
mkdir -p logs out results
export NEGSIM=${NEGSIM:-$(command -v negsim)}
JOBID=$(sbatch --parsable --export=ALL,NEGSIM="$NEGSIM" "$here/sweep.sbatch")
JOBID=${JOBID%%;*}        # --parsable prints "id" or "id;cluster"
sbatch --parsable --export=ALL,NEGSIM="$NEGSIM" --dependency=afterok:"$JOBID" "$here/merge.sbatch"
