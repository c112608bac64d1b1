#!/usr/bin/env bash
# bench/e2e/percpu.sh - CPU time and voluntary context switches per decided change, per thread
# name (rg-io, rg-authority, rg-durability, rg-files, rg-snapshot and the e2e_bench client), over a
# steady-state window of one batch-ballot throughput run of bench/e2e/run.sh.
#
# Changes/s on a 2-vCPU VM moves +-15% between identical runs; CPU per change moves much less,
# so compare designs with this, interleaving the two (A, B, A, B).
#
# Usage: bench/e2e/percpu.sh [BUILD_DIR]
# Environment: SECONDS_RUN (length of the run) [14], SKIP (seconds left out after the first
# change is published) [2], WINDOW (seconds measured) [5], ALG [ecdsap256sha256]; everything else is
# passed on to run.sh (EXTRA_TOML, SNAPSHOT_EVERY, E2E_FULL_RECEIPTS, ...).
# Output: one line per thread name, then the totals and run.sh's changes_per_s for the run.
# Reads /proc/PID/task/TID/{schedstat,status} and GET /metrics; loopback only.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/tmp/rootgov-bench-e2e}
SECONDS_RUN=${SECONDS_RUN:-14}
SKIP=${SKIP:-2}
WINDOW=${WINDOW:-5}
ALG=${ALG:-ecdsap256sha256}
[ $((SKIP + WINDOW + 2)) -le "$SECONDS_RUN" ] || { echo "SKIP + WINDOW + 2 must be <= SECONDS_RUN" >&2; exit 2; }

log=$(mktemp)
trap 'rm -f "$log" "$log".1 "$log".2' EXIT
rm -rf "$WORK"
WORK=$WORK LOAD_MAX=${LOAD_MAX:-80000} SIZES="" LOAD_SIZES=1500 ROUNDS=1 LOAD_SECONDS="$SECONDS_RUN" KNOT=0 FLOORS=0 \
  LOAD_ALGS="$ALG" LOAD_MODES=batch "$here/run.sh" "$@" >"$log" 2>&1 &
runner=$!

client=""
for _ in $(seq 1200); do  # the load phase starts after the zone, the lab and the pre-signing
  client=$(pgrep -o -x e2e_bench || true)
  [ -n "$client" ] && grep -aq load-batch "/proc/$client/cmdline" 2>/dev/null && break
  client=""
  sleep 0.1
done
[ -n "$client" ] || { echo "the load phase did not start; run.sh said:" >&2; tail -5 "$log" >&2; exit 1; }
daemon=$(pgrep -o -f daemon/rootgovd)
port=$(cat "$WORK/load1500/state.port")
published() {
  curl -fsS "http://127.0.0.1:$port/metrics" | awk '$1 == "rootgov_events_total{type=\"published\"}" {print $2}'
}
for _ in $(seq 300); do  # the driver signs the submissions before its clock starts
  [ -n "$(published)" ] && break
  sleep 0.1
done
sleep "$SKIP"

snap() {
  for t in /proc/"$daemon"/task/* /proc/"$client"/task/*; do
    echo "$(cat "$t/comm") $(cut -d' ' -f1 "$t/schedstat") $(awk '/voluntary_ctxt/ {s += $2} END {print s}' "$t/status")"
  done 2>/dev/null | awk '{cpu[$1] += $2; sw[$1] += $3} END {for (k in cpu) print k, cpu[k], sw[k]}'
  echo "published $(published) 0"
}
snap | sort >"$log.1"
sleep "$WINDOW"
snap | sort >"$log.2"
wait "$runner"

if ! grep -q '^published ' "$log.1" || ! grep -q '^published ' "$log.2"; then
  echo "could not read rootgov_events_total{type=\"published\"} from GET /metrics at both ends of the window" >&2
  exit 1
fi
join "$log.1" "$log.2" | awk -v w="$WINDOW" '
  {cpu[$1] = $4 - $2; sw[$1] = $5 - $3}
  END {
    n = cpu["published"]
    if (n <= 0) {print "no change was published in the window"; exit 1}
    printf "decided changes/s in the window: %.0f\n", n / w
    for (k in cpu) if (k != "published") {
      printf "  %-14s %.3f ms CPU  %.2f context switches per change\n", k, cpu[k] / 1e6 / n, sw[k] / n
      tc += cpu[k] / 1e6 / n; ts += sw[k] / n
    }
    printf "  %-14s %.3f ms CPU  %.2f context switches per change\n", "all", tc, ts
  }'
grep -o 'changes_per_s=[0-9.]*' "$log" | sed 's/^/whole run: /'
