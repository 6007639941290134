#!/bin/bash
# Keeps the Slurm recipes true: starts a one-node Slurm from Debian's
# packages (slurm-wlm, munge), submits sweep.sbatch and merge.sbatch
# unchanged through submit.sh, as docs/cluster.md shows, and compares the
# merged file with the unsharded sweep byte for byte.
#
# Usage (as root, on a Debian machine or container that may run daemons):
#   cluster/slurm/check.sh [NEGSIM_BINARY]   (default: target/release/negsim,
#                                             else target/debug/negsim)
# On a failure the work directory (logs, slurmctld.log, slurmd.log) is kept.
# Run before each release; it installs packages and starts slurmctld, slurmd
# and munged, which it stops at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
negsim=${1:-$root/target/release/negsim}
[ -n "${1:-}" ] || [ -x "$negsim" ] || negsim=$root/target/debug/negsim
[ -x "$negsim" ] || { echo "check.sh: no binary at $negsim (cargo build --release)" >&2; exit 2; }

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

host=$(hostname -s)
cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
work=$(mktemp -d /tmp/negsim-slurm.XXXXXX)
state="$work/state"
mkdir -p "$state/ctld" "$state/d" /run/munge /var/log/slurm /etc/slurm
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=negsim-check
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=check Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

[ -s /etc/munge/munge.key ] || mungekey --create --force 2>/dev/null || \
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
chown -R munge:munge /etc/munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
chmod 400 /etc/munge/munge.key
su -s /bin/sh munge -c munged
slurmctld
slurmd
cleanup() {
  scancel --user=root 2>/dev/null || true
  [ -f "$state/slurmd.pid" ] && kill "$(cat "$state/slurmd.pid")" 2>/dev/null || true
  [ -f "$state/slurmctld.pid" ] && kill "$(cat "$state/slurmctld.pid")" 2>/dev/null || true
  [ -f /run/munge/munged.pid ] && kill "$(cat /run/munge/munged.pid)" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 60); do
  sinfo -h -o %T 2>/dev/null | grep -q idle && break
  sleep 1
done
sinfo

# The documented submission, unchanged, from a copy of the tree's scenarios.
cp -r "$root/scenarios" "$work/"
cd "$work"
start=$(date +%s)
merge_job=$(NEGSIM="$negsim" bash "$root/cluster/slurm/submit.sh")
merge_job=${merge_job%%;*}
while squeue -h -j "$merge_job" 2>/dev/null | grep -q .; do sleep 2; done
echo "sweep and merge under Slurm: $(( $(date +%s) - start )) s"
state_of=$(sacct -n -X -j "$merge_job" -o State 2>/dev/null | head -1 | tr -d ' ' || true)
[ -s results/runs.csv ] || { echo "check.sh: no merged file (merge job $merge_job: $state_of)"; cat logs/* || true; exit 1; }

# The same sweep on one machine, unsharded.
"$negsim" sweep scenarios/jan-2022-security-talks.toml \
  --vary parties.russia.patience=0.80..0.98:16 --runs 10000 --seed 20220110 \
  --quiet --out whole.csv
if cmp results/runs.csv whole.csv; then
  echo "check.sh: the merged Slurm sweep is byte-identical to the unsharded sweep ($(wc -c < whole.csv) bytes)"
  cd / && rm -rf "$work"
else
  echo "check.sh: the merged Slurm sweep differs from the unsharded sweep"
  exit 1
fi
