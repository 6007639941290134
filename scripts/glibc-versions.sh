#!/bin/bash
# Which glibc a negsim binary needs: the highest GLIBC_x.y symbol version it
# imports, and each symbol that needs more than MAX when MAX is given.
#
# Usage: scripts/glibc-versions.sh [BINARY] [MAX]
#   scripts/glibc-versions.sh target/release/negsim          # prints 2.34 (say)
#   scripts/glibc-versions.sh target/x86_64-unknown-linux-gnu/release/negsim 2.17
# Exit 0 when the binary needs at most MAX (or MAX is not given), 1 when it
# needs more, 2 when BINARY is not a dynamically linked ELF file. A static
# binary (musl) needs none. See docs/cluster.md, "Binaries for older nodes".
set -euo pipefail
bin=${1:-target/release/negsim}
max=${2:-}
[ -f "$bin" ] || { echo "glibc-versions: no file $bin" >&2; exit 2; }
syms=$(objdump -T "$bin" 2>/dev/null) || { echo "glibc-versions: $bin is not an ELF binary objdump can read" >&2; exit 2; }
versions=$(grep -o 'GLIBC_[0-9][0-9.]*' <<<"$syms" | sed 's/GLIBC_//' | sort -Vu || true)
if [ -z "$versions" ]; then
  echo "$bin: needs no glibc (static, or another C library)"
  exit 0
fi
need=$(tail -1 <<<"$versions")
echo "$bin: needs glibc $need (symbol versions: $(tr '\n' ' ' <<<"$versions"))"
if [ -n "$max" ]; then
  newest=$(printf '%s\n%s\n' "$max" "$need" | sort -V | tail -1)
  if [ "$newest" != "$max" ]; then
    echo "needs more than glibc $max, for:"
    awk -v max="$max" '/GLIBC_[0-9]/ { for (i = 1; i <= NF; i++) if ($i ~ /^\(?GLIBC_/) { v = $i; gsub(/[()]|GLIBC_/, "", v); print v, $NF } }' <<<"$syms" \
      | sort -V | awk -v max="$max" '{ split($1, a, "."); split(max, b, "."); if (a[1] > b[1] || (a[1] == b[1] && a[2] + 0 > b[2] + 0)) print "  GLIBC_" $1 " " $2 }' | sort -u
    exit 1
  fi
  echo "within glibc $max"
fi
