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
# Output: one line per thread name (CPU per change, its user and system split, and voluntary
# context switches), the totals, the mutations' mean wait for durability and the journal's
# write + fdatasync rounds, the machine's busy, idle and stolen shares over the window, and
# run.sh's changes_per_s for the run. The user/system split comes from clock ticks, so it is
# coarse on short windows; the CPU column (schedstat) is exact.
# Reads /proc/PID/task/TID/{schedstat,status,stat}, /proc/stat and GET /metrics; loopback only.
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
    # comm may hold spaces: utime and stime are the 12th and 13th fields after the ")"
    echo "$(cat "$t/comm") $(cut -d' ' -f1 "$t/schedstat") $(awk '/voluntary_ctxt/ {s += $2} END {print s}' "$t/status") $(sed 's/.*) //' "$t/stat" | cut -d' ' -f12,13)"
  done 2>/dev/null | awk '{cpu[$1] += $2; sw[$1] += $3; ut[$1] += $4; st[$1] += $5} END {for (k in cpu) print k, cpu[k], sw[k], ut[k], st[k]}'
  # published changes; the mutations' wait for their journal group's fdatasync (sum in s, count)
  curl -fsS "http://127.0.0.1:$port/metrics" | awk '
    $1 == "rootgov_events_total{type=\"published\"}" {p = $2}
    $1 == "rootgov_http_stage_seconds_sum{stage=\"durable\"}" {s = $2}
    $1 == "rootgov_http_stage_seconds_count{stage=\"durable\"}" {c = $2}
    $1 == "rootgov_journal_flush_seconds_sum" {fs = $2}
    $1 == "rootgov_journal_flush_records_sum" {fr = $2}
    $1 == "rootgov_journal_flush_records_count" {fc = $2}
    END {print "published", p, 0, 0, 0; print "durable", s, c, 0, 0; print "flushes", fs, fc, fr, 0}'
  # the whole machine: busy, idle (idle + iowait) and stolen jiffies, summed over the CPUs
  awk '$1 == "cpu" {print "machine", $2 + $3 + $4 + $7 + $8, 0, $5 + $6, $9}' /proc/stat
}
snap | sort >"$log.1"
sleep "$WINDOW"
snap | sort >"$log.2"
wait "$runner"

if ! grep -q '^published ' "$log.1" || ! grep -q '^published ' "$log.2"; then
  echo "could not read rootgov_events_total{type=\"published\"} from GET /metrics at both ends of the window" >&2
  exit 1
fi
join "$log.1" "$log.2" | awk -v w="$WINDOW" -v hz="$(getconf CLK_TCK)" '
  {cpu[$1] = $6 - $2; sw[$1] = $7 - $3; ut[$1] = $8 - $4; st[$1] = $9 - $5}
  END {
    n = cpu["published"]
    if (n <= 0) {print "no change was published in the window"; exit 1}
    printf "decided changes/s in the window: %.0f\n", n / w
    for (k in cpu) if (k != "published" && k != "machine" && k != "durable" && k != "flushes") {
      printf "  %-14s %.3f ms CPU (%.3f user, %.3f system)  %.2f context switches per change\n", k, cpu[k] / 1e6 / n,
        1000 * ut[k] / hz / n, 1000 * st[k] / hz / n, sw[k] / n
      tc += cpu[k] / 1e6 / n; tu += 1000 * ut[k] / hz / n; tsy += 1000 * st[k] / hz / n; ts += sw[k] / n
    }
    printf "  %-14s %.3f ms CPU (%.3f user, %.3f system)  %.2f context switches per change\n", "all", tc, tu, tsy, ts
    if (sw["durable"] > 0)
      printf "  durable wait: %.3f ms mean over %d mutations (their journal group'"'"'s fdatasync)\n", 1000 * cpu["durable"] / sw["durable"], sw["durable"]
    if (sw["flushes"] > 0)
      printf "  journal: %.0f write + fdatasync rounds a second, %.3f ms each, %.2f mutations per round\n",
        sw["flushes"] / w, 1000 * cpu["flushes"] / sw["flushes"], ut["flushes"] / sw["flushes"]
    m = cpu["machine"] + ut["machine"] + st["machine"]
    if (m > 0)
      printf "  machine (/proc/stat): CPUs %.1f%% busy, %.1f%% idle (idle + iowait), %.1f%% stolen by the hypervisor\n",
        100 * cpu["machine"] / m, 100 * ut["machine"] / m, 100 * st["machine"] / m
  }'
grep -o 'changes_per_s=[0-9.]*' "$log" | sed 's/^/whole run: /'
