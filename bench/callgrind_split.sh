#!/usr/bin/env bash
# bench/callgrind_split.sh - splits a callgrind profile's instructions per decided change:
#
#   bench/callgrind_split.sh CG_OUT CHANGES NAME=PATTERN...
#
# Prints "total=N NAME=N ... rest=N": every instruction counted, each NAME's inclusive count
# (the first function line of `callgrind_annotate --inclusive=yes` matching PATTERN, 0 if none)
# and what the NAMEs leave over, each divided by CHANGES. Used by owner_insns.sh and
# daemon_insns.sh.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,9p' "$0" >&2; exit 2; }
cg=$1 changes=$2
shift 2
annotated=$(mktemp /tmp/rootgov-callgrind-split.XXXXXX)
trap 'rm -f "$annotated"' EXIT
callgrind_annotate --inclusive=yes "$cg" >"$annotated" 2>/dev/null
# printf %.0f: mawk's %d stops at 2^31, and a profile holds billions.
inclusive() { { grep -m1 -F "$1" "$annotated" || echo 0; } | awk '{ gsub(",", "", $1); printf "%.0f\n", $1 }'; }
total=$(inclusive "PROGRAM TOTALS")
rest=$total
line="total=$((total / changes))"
for part in "$@"; do
  n=$(inclusive "${part#*=}")
  rest=$((rest - n))
  line+=" ${part%%=*}=$((n / changes))"
done
echo "$line rest=$((rest / changes))"
