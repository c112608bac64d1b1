#!/usr/bin/env bash
# bench/e2e/ab.sh - interleaved A/B throughput runs of rootgovd (batch ballots, ECDSA zone keys,
# 16 clients, 1,500 TLDs), for comparing two builds or two settings on a machine whose speed
# moves by +-15% between consecutive runs: A and B alternate, so drift hits both alike.
#
#   PAIRS=6 A_BUILD=build/default B_BUILD=/tmp/other/build/default bench/e2e/ab.sh
#   PAIRS=4 B_ENV="SNAPSHOT_EVERY=100000000 PUBLISH_MS=60000" bench/e2e/ab.sh
#
# Environment (defaults in brackets):
#   PAIRS          pairs of runs [4]
#   SECONDS_EACH   length of each throughput run [16]
#   A_BUILD B_BUILD build folders [build/default, both]
#   A_ENV B_ENV    space-separated VAR=value settings for bench/e2e/run.sh on that side, e.g.
#                  EXTRA_TOML, PUBLISH_MS, SNAPSHOT_EVERY, or anything rootgovd reads [""]
#   WORK           scratch folder [/tmp/rootgov-bench-ab]
# Output: one line per run (decided changes/s, daemon CPU ms per change), then for each side the
# mean and how many pairs it won. Loopback only, bounded like run.sh (it runs run.sh).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
PAIRS=${PAIRS:-4}
SECONDS_EACH=${SECONDS_EACH:-16}
A_BUILD=${A_BUILD:-$src/build/default}
B_BUILD=${B_BUILD:-$src/build/default}
A_ENV=${A_ENV:-}
B_ENV=${B_ENV:-}
WORK=${WORK:-/tmp/rootgov-bench-ab}

# one_run BUILD ENV: prints "changes_per_s daemon_ms_per_change"
one_run() {
  local build=$1 settings=$2 log=$WORK.log line cps cpu
  # shellcheck disable=SC2086 # settings are VAR=value words
  env $settings WORK="$WORK" LOAD_MAX=80000 SIZES="" LOAD_SIZES=1500 ROUNDS=1 LOAD_SECONDS="$SECONDS_EACH" \
    KNOT=0 FLOORS=0 LOAD_ALGS=ecdsap256sha256 LOAD_MODES=batch "$src/bench/e2e/run.sh" "$build" >"$log" 2>&1 ||
    { echo "ab.sh: run.sh failed, see $log" >&2; exit 1; }
  line=$(grep 'mode=batch driver=' "$log")
  cps=$(sed -n 's/.* changes_per_s=\([0-9.]*\).*/\1/p' <<<"$line")
  cpu=$(sed -n 's/.* daemon_cpu=\([0-9.]*\).*/\1/p' <<<"$line")
  if [ -z "$cps" ] || [ -z "$cpu" ]; then
    echo "ab.sh: no throughput line in $log" >&2
    exit 1
  fi
  awk -v c="$cps" -v d="$cpu" 'BEGIN { printf "%.1f %.3f\n", c, 1000 * d / c }'
}

results=()
for i in $(seq "$PAIRS"); do
  read -r a_cps a_ms < <(one_run "$A_BUILD" "$A_ENV")
  echo "pair $i A changes_per_s=$a_cps daemon_ms_per_change=$a_ms"
  read -r b_cps b_ms < <(one_run "$B_BUILD" "$B_ENV")
  echo "pair $i B changes_per_s=$b_cps daemon_ms_per_change=$b_ms"
  results+=("$a_cps $a_ms $b_cps $b_ms")
done
printf '%s\n' "${results[@]}" | awk '
  { a += $1; am += $2; b += $3; bm += $4; if ($1 > $3) aw++; else if ($3 > $1) bw++; n++ }
  END {
    printf "RESULT side=A mean_changes_per_s=%.1f mean_daemon_ms_per_change=%.3f pairs_won=%d of %d\n", a / n, am / n, aw, n
    printf "RESULT side=B mean_changes_per_s=%.1f mean_daemon_ms_per_change=%.3f pairs_won=%d of %d (B/A %+.1f%%)\n", b / n, bm / n, bw, n, 100 * (b / a - 1)
  }'
