#!/usr/bin/env bash
# bench/e2e/run.sh - rootgovd end to end: change-to-published latency on synthetic root zones,
# daemon start time, throughput with concurrent clients, and Knot DNS dynamic updates on the
# same zone with automatic DNSSEC signing, side by side. Loopback only; every server it starts
# is stopped at the end; every phase is bounded in count and time.
#
# Usage: bench/e2e/run.sh [BUILD_DIR]          (default build/default)
# Environment (defaults in brackets):
#   SIZES          zone sizes in TLDs for the latency runs ["1500 100000 1000000"]
#   LAT_COUNT      changes per latency run [200]
#   LAT_ROUNDS     latency rounds; each runs LAT_COUNT changes on every size in turn, with every
#                  size's daemon running throughout [5]
#   LOAD_SIZES     zone sizes for the throughput runs ["1500"]
#   CLIENTS        concurrent clients [16]
#   LOAD_SECONDS   length of a throughput run [20]
#   LOAD_MAX       most changes per throughput run [20000]
#   ROUNDS         throughput rounds per size (fresh state each) [2]
#   LOAD_ALGS      rootgovd zone-key algorithms for the throughput runs, via the config key
#                  [dnssec] algorithm ["rsasha256 ecdsap256sha256"]; latency runs use rsasha256
#   LOAD_MODES     how the throughput clients ballot: "single" (every actor one ballot per
#                  request, `e2e_bench load`) and/or "batch" (TLD managers submit and confirm;
#                  iana, ntia and verisign approve their queues with batch ballots,
#                  `e2e_bench load-batch`; E2E_WINDOW changes open per client) ["single batch"]
#   FORK_TLDS      rootgovd's [publish] fork_tlds: zone files of this many TLDs or more are
#                  rendered by a forked child [20000]
#   SNAPSHOT_FORK  rootgovd's [snapshots] fork: periodic snapshots written by a forked child
#                  ["true"]
#   SNAPSHOT_EVERY rootgovd's [snapshots] every (log entries between snapshots) [daemon default]
#   PUBLISH_MS     rootgovd's [publish] interval_ms (least time between two zone-file renders)
#                  [daemon default]
#   EXTRA_TOML     more rootgovd config appended to the generated file (printf %b: "\n" breaks
#                  lines), e.g. EXTRA_TOML='[threads]\nio = 1' [""]
#   FLOORS         1 = measure the floors under a change (document crypto, HTTP exchange) [1]
#   FLOOR_SECONDS  length of the transport-floor run [10]
#   KNOT           1 = measure Knot too [1]
#   KNOT_SIZES     zone sizes for Knot ["1500"]
#   KNOT_ALGS      Knot signing algorithms ["rsasha256 ecdsap256sha256"]
#   KNOT_UPDATES   DDNS updates per Knot client [100]
#   WORK           scratch folder [/tmp/rootgov-bench-e2e]
# Quick run: SIZES=1500 LAT_COUNT=50 LOAD_SECONDS=5 ROUNDS=1 KNOT_UPDATES=20 bench/e2e/run.sh
# Output: "RESULT ..." lines (key=value) on stdout, also appended to $WORK/results.txt; the first
# and the last are the machine's speed (`openssl speed`, phase=calibration) when the run began and
# ended.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
B=$(cd "${1:-$src/build/default}" && pwd)
ROOTGOVD=$B/daemon/rootgovd
DRIVER=$B/bench/e2e_bench
SIZES=${SIZES-1500 100000 1000000}
LAT_COUNT=${LAT_COUNT:-200}
LAT_ROUNDS=${LAT_ROUNDS:-5}
LOAD_SIZES=${LOAD_SIZES-1500}
CLIENTS=${CLIENTS:-16}
LOAD_SECONDS=${LOAD_SECONDS:-20}
LOAD_MAX=${LOAD_MAX:-20000}
ROUNDS=${ROUNDS:-2}
LOAD_ALGS=${LOAD_ALGS-rsasha256 ecdsap256sha256}
LOAD_MODES=${LOAD_MODES-single batch}
FLOORS=${FLOORS:-1}
FORK_TLDS=${FORK_TLDS:-20000}
SNAPSHOT_FORK=${SNAPSHOT_FORK:-true}
EXTRA_TOML=${EXTRA_TOML:-}
SNAPSHOT_EVERY=${SNAPSHOT_EVERY:-}
PUBLISH_MS=${PUBLISH_MS:-}
FLOOR_SECONDS=${FLOOR_SECONDS:-10}
KNOT=${KNOT:-1}
KNOT_SIZES=${KNOT_SIZES-1500}
KNOT_ALGS=${KNOT_ALGS-rsasha256 ecdsap256sha256}
KNOT_UPDATES=${KNOT_UPDATES:-100}
WORK=${WORK:-/tmp/rootgov-bench-e2e}

for f in "$ROOTGOVD" "$DRIVER"; do [ -x "$f" ] || { echo "missing $f (build it first)" >&2; exit 2; }; done
for tool in curl python3 openssl knotd knotc knsupdate kdig timeout; do
  command -v "$tool" >/dev/null || { echo "missing $tool (scripts/install-deps.sh)" >&2; exit 2; }
done

rm -rf "$WORK"
mkdir -p "$WORK"
RESULTS=$WORK/results.txt
: > "$RESULTS"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

load() { awk '{print $1","$2","$3}' /proc/loadavg; }
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
result() { echo "RESULT $*" | tee -a "$RESULTS"; }
now() { date +%s.%N; }

# The machine's speed at this moment, as BENCHMARKS.md measured the reference machine's
# (`openssl speed`): a 2-vCPU VM's speed drifts between and within runs (Ed25519 verifications
# per second have moved 2-3x in a day), so every figure below is read against these lines.
calibrate() {
  openssl speed -seconds 2 ecdsap256 ed25519 2>/dev/null | awk -v when="$1" -v l="$(load)" '
    /nistp256/ { ps = $(NF-1); pv = $NF }
    /Ed25519/ { es = $(NF-1); ev = $NF }
    END { printf "RESULT phase=calibration when=%s openssl_ed25519_sign_per_s=%s openssl_ed25519_verify_per_s=%s openssl_p256_sign_per_s=%s openssl_p256_verify_per_s=%s load=%s\n", when, es, ev, ps, pv, l }' |
    tee -a "$RESULTS"
}

# TLD labels the driver changes: the first $2 TLDs of a synthetic zone of $1 TLDs.
tld_list() { awk -v n="$2" -v m="$1" 'BEGIN { for (i = 0; i < n && i < m; i++) printf "t%07x\n", i }'; }

# start_daemon ZONE LABDIR STATEDIR [ALG]: starts rootgovd on free ports (zone keys of ALG, default
# rsasha256), waits until it answers; sets DPID, URL, START_S (launch to first answer), START_RSS_MB.
start_daemon() {
  local zone=$1 lab=$2 state=$3 alg=${4:-rsasha256} pf=$3.port
  rm -rf "$state" "$pf"
  printf '[dnssec]\nalgorithm = "%s"\n[publish]\nfork_tlds = %s\n' "$alg" "$FORK_TLDS" > "$state.toml"
  [ -z "$PUBLISH_MS" ] || printf 'interval_ms = %s\n' "$PUBLISH_MS" >> "$state.toml"
  printf '[snapshots]\nfork = %s\n' "$SNAPSHOT_FORK" >> "$state.toml"
  [ -z "$SNAPSHOT_EVERY" ] || printf 'every = %s\n' "$SNAPSHOT_EVERY" >> "$state.toml"
  [ -z "$EXTRA_TOML" ] || printf '%b\n' "$EXTRA_TOML" >> "$state.toml"
  local t0
  t0=$(now)
  "$ROOTGOVD" --state "$state" --config "$state.toml" --zone "$zone" --actors "$lab/actors.toml" --clock simulated \
    --http 127.0.0.1:0 --http-port-file "$pf" --dns "127.0.0.1:$(port)" --log-level warn \
    >"$state.log" 2>&1 &
  DPID=$!
  PIDS+=("$DPID")
  for _ in $(seq 1 6000); do  # up to 10 minutes (the 1M-TLD zone is fully signed at start)
    if [ -s "$pf" ] && curl -fsS "http://127.0.0.1:$(cat "$pf")/v1/health" >/dev/null 2>&1; then break; fi
    kill -0 "$DPID" 2>/dev/null || { echo "rootgovd exited:" >&2; cat "$state.log" >&2; exit 1; }
    sleep 0.1
  done
  [ -s "$pf" ] || { echo "rootgovd did not start in time" >&2; exit 1; }
  START_S=$(python3 -c "print(f'{$(now) - $t0:.2f}')")
  URL="http://127.0.0.1:$(cat "$pf")"
  START_RSS_MB=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$DPID/status")
}

stop_daemon() {
  kill -TERM "$DPID" 2>/dev/null || true
  for _ in $(seq 1 600); do kill -0 "$DPID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$DPID" 2>/dev/null || true
  wait "$DPID" 2>/dev/null || true
}

calibrate start

# ---- rootgovd: start time and change-to-published latency, one client --------------------
# Every size's daemon is started first; then each of LAT_ROUNDS rounds runs LAT_COUNT changes on
# every size in turn, so that a drift in the VM's speed (2x within minutes) falls on all sizes
# alike instead of on whichever size ran last. The summary compares the sizes' median p50s.
declare -A LAT_URL LAT_PID
for n in $SIZES; do
  d=$WORK/z$n
  mkdir -p "$d"
  GLUE=public "$here/../synth_zone.sh" "$n" > "$d/zone"
  tld_list "$n" "$LAT_COUNT" > "$d/tlds"
  "$DRIVER" lab "$d/lab" "$d/tlds" >/dev/null
  l0=$(load)
  start_daemon "$d/zone" "$d/lab" "$d/state"
  result "phase=start tlds=$n start_s=$START_S rss_mb=$START_RSS_MB load_before=$l0 load_after=$(load)"
  # The first zone file is written after the daemon answers (render on the authority executor,
  # write + fsync on the file thread): wait for it, so the latency runs measure changes, not
  # the start's publication (seconds at 1M TLDs).
  t0=$(now)
  for _ in $(seq 1 6000); do
    m=$(curl -fsS "$URL/metrics" 2>/dev/null || true)
    zs=$(awk '$1=="rootgov_zone_serial" {print $2}' <<<"$m")
    fs=$(awk '$1=="rootgov_zone_file_serial" {print $2}' <<<"$m")
    [ -n "$zs" ] && [ "$zs" = "$fs" ] && break
    sleep 0.1
  done
  result "phase=first_publication tlds=$n after_start_s=$(python3 -c "print(f'{$(now) - $t0:.2f}')") load_after=$(load)"
  rm -f "$d/zone"
  LAT_URL[$n]=$URL
  LAT_PID[$n]=$DPID
done
for r in $(seq 1 "$LAT_ROUNDS"); do
  for n in $SIZES; do
    d=$WORK/z$n
    # The driver's DS digests come from the second it starts in: never two runs in one second.
    sleep 1
    l0=$(load)
    out=$(timeout 1200 "$DRIVER" latency "${LAT_URL[$n]}" "$d/lab/keys" "$d/tlds" "$LAT_COUNT" "${LAT_PID[$n]}")
    rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/${LAT_PID[$n]}/status")
    echo "$out" | sed "s|^RESULT |RESULT phase=latency tlds=$n round=$r |; s|\$| load_before=$l0 load_after=$(load) rss_mb=$rss|" |
      tee -a "$RESULTS"
  done
done
for n in $SIZES; do
  DPID=${LAT_PID[$n]}
  stop_daemon
  rm -rf "$WORK/z$n/state"
done
# Per size: the median over the rounds of each round's change p50, and its ratio to the first
# size's (the latency target compares 1,000,000 TLDs with 1,500).
if [ -n "$SIZES" ]; then
  python3 - "$RESULTS" $SIZES <<'PY' | tee -a "$RESULTS"
import re, statistics, sys
results, sizes = sys.argv[1], sys.argv[2:]
p50 = {n: [] for n in sizes}
for line in open(results):
    m = re.search(r"phase=latency tlds=(\d+) round=\d+ change_n=\d+ change_p50_ms=([\d.]+)", line)
    if m and m.group(1) in p50:
        p50[m.group(1)].append(float(m.group(2)))
first = statistics.median(p50[sizes[0]]) if p50[sizes[0]] else None
for n in sizes:
    if not p50[n]:
        continue
    med = statistics.median(p50[n])
    ratio = f" ratio_to_{sizes[0]}={med / first:.2f}" if first else ""
    rounds = ",".join(f"{v:.3f}" for v in p50[n])
    print(f"RESULT phase=latency_summary tlds={n} rounds={len(p50[n])} change_p50_median_ms={med:.3f}{ratio} round_p50s_ms={rounds}")
PY
fi

# ---- rootgovd: throughput, CLIENTS concurrent clients, default durability -----------------
for n in $LOAD_SIZES; do
  d=$WORK/load$n
  mkdir -p "$d"
  GLUE=public "$here/../synth_zone.sh" "$n" > "$d/zone"
  tld_list "$n" 1600 > "$d/tlds"
  "$DRIVER" lab "$d/lab" "$d/tlds" >/dev/null
  for r in $(seq 1 "$ROUNDS"); do
    for alg in $LOAD_ALGS; do  # interleaved: each round runs every algorithm and mode
      for mode in $LOAD_MODES; do
        case $mode in single) sub=load ;; batch) sub=load-batch ;; *) echo "unknown LOAD_MODES entry $mode" >&2; exit 2 ;; esac
        start_daemon "$d/zone" "$d/lab" "$d/state" "$alg"
        l0=$(load)
        out=$(timeout $((LOAD_SECONDS + 600)) "$DRIVER" "$sub" "$URL" "$d/lab/keys" "$d/tlds" "$CLIENTS" "$LOAD_SECONDS" "$LOAD_MAX" "$DPID")
        echo "$out" | sed "s|^RESULT |RESULT phase=load mode=$mode tlds=$n alg=$alg round=$r |; s|\$| load_before=$l0 load_after=$(load)|" | tee -a "$RESULTS"
        stop_daemon
      done
    done
  done
  if [ "$FLOORS" = 1 ]; then
    # The floors under a change, on the same zone, lab and machine (e2e_bench floors).
    start_daemon "$d/zone" "$d/lab" "$d/state"
    l0=$(load)
    out=$(timeout $((FLOOR_SECONDS + 300)) "$DRIVER" floors "$URL" "$d/lab/keys" "$d/lab/actors.toml" "$CLIENTS" "$FLOOR_SECONDS" "$DPID")
    echo "$out" | sed "s|^RESULT |RESULT phase=floors tlds=$n |; s|\$| load_before=$l0 load_after=$(load)|" | tee -a "$RESULTS"
    stop_daemon
  fi
  rm -rf "$d/state"
done

# ---- Knot DNS: DDNS DS updates, automatic signing, CLIENTS concurrent knsupdate clients ----
if [ "$KNOT" = 1 ]; then
  for n in $KNOT_SIZES; do
    for alg in $KNOT_ALGS; do
      k=$WORK/knot-$n-$alg
      rm -rf "$k"
      mkdir -p "$k/run" "$k/db"
      GLUE=public "$here/../synth_zone.sh" "$n" > "$k/root.zone"
      kport=$(port)
      cat > "$k/knot.conf" <<EOF
server:
    rundir: "$k/run"
    listen: 127.0.0.1@$kport
log:
  - target: stderr
    any: warning
database:
    storage: "$k/db"
acl:
  - id: bench
    address: 127.0.0.1
    action: update
policy:
  - id: bench
    algorithm: $alg
    nsec3: off
zone:
  - domain: .
    file: "$k/root.zone"
    dnssec-signing: on
    dnssec-policy: bench
    acl: bench
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: changes
EOF
      t0=$(now)
      knotd -c "$k/knot.conf" >"$k/knotd.log" 2>&1 &
      KPID=$!
      PIDS+=("$KPID")
      for _ in $(seq 1 3000); do
        soa=$(kdig @127.0.0.1 -p "$kport" +dnssec +norec +time=1 +tries=1 . SOA 2>/dev/null || true)
        [[ $soa == *RRSIG* ]] && break
        kill -0 "$KPID" 2>/dev/null || { echo "knotd exited:" >&2; cat "$k/knotd.log" >&2; exit 1; }
        sleep 0.1
      done
      kstart=$(python3 -c "print(f'{$(now) - $t0:.2f}')")
      serial0=$(kdig @127.0.0.1 -p "$kport" +short . SOA | awk '{print $3}')
      # One script per client: client c owns TLDs c, c+CLIENTS, ...; each update replaces the DS set.
      for c in $(seq 0 $((CLIENTS - 1))); do
        awk -v c="$c" -v clients="$CLIENTS" -v u="$KNOT_UPDATES" -v port="$kport" -v n="$n" 'BEGIN {
          printf "server 127.0.0.1 %s\nzone .\n", port;
          for (k = 0; k < u; k++) {
            i = (c + k * clients) % n; t = sprintf("t%07x.", i); v = c * 100000 + k;
            printf "update delete %s DS\nupdate add %s 86400 DS %d 13 2 %064X\nsend\n", t, t, v % 65536, v;
          }
        }' > "$k/client$c.txt"
      done
      l0=$(load)
      c0=$(awk '{print $14 + $15}' "/proc/$KPID/stat")
      t0=$(now)
      cpids=()
      for c in $(seq 0 $((CLIENTS - 1))); do
        timeout 600 knsupdate -t 10 "$k/client$c.txt" >"$k/client$c.out" 2>&1 &
        cpids+=($!)
      done
      fails=0
      for p in "${cpids[@]}"; do wait "$p" || fails=$((fails + 1)); done
      t1=$(now)
      c1=$(awk '{print $14 + $15}' "/proc/$KPID/stat")
      serial1=$(kdig @127.0.0.1 -p "$kport" +short . SOA | awk '{print $3}')
      total=$((CLIENTS * KNOT_UPDATES))
      # The last update of client 0 must be served, signed.
      last=$(( (KNOT_UPDATES - 1) * CLIENTS % n ))
      ds=$(kdig @127.0.0.1 -p "$kport" +dnssec +norec "$(printf 't%07x.' "$last")" DS 2>/dev/null || true)
      want=$(( (KNOT_UPDATES - 1) % 65536 ))
      if [[ $ds != *"DS	$want 13 2"* || $ds != *RRSIG* ]]; then
        echo "knot: the last update of client 0 is not served signed" >&2
        echo "$ds" >&2
        exit 1
      fi
      errs=$(cat "$k"/client*.out | grep -ci 'error\|fail\|refused' || true)
      result "phase=knot tlds=$n alg=$alg clients=$CLIENTS updates=$total failed_clients=$fails error_lines=$errs" \
        "wall_s=$(python3 -c "print(f'{$t1 - $t0:.3f}')")" \
        "updates_per_s=$(python3 -c "print(f'{$total / ($t1 - $t0):.1f}')")" \
        "knotd_cpu=$(python3 -c "print(f'{($c1 - $c0) / $(getconf CLK_TCK) / ($t1 - $t0):.2f}')")" \
        "serials=$((serial1 - serial0)) start_s=$kstart load_before=$l0 load_after=$(load)"
      knotc -c "$k/knot.conf" stop >/dev/null 2>&1 || kill "$KPID" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$KPID" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$KPID" 2>/dev/null || true
      wait "$KPID" 2>/dev/null || true
      rm -rf "$k/db" "$k/root.zone"
    done
  done
fi
calibrate end
echo "results in $RESULTS"
