# tests/integration/lib.sh - shared helpers for integration tests (sourced, not run).
# Everything binds 127.0.0.1; every process started here is killed on exit.
set -euo pipefail

: "${ROOTGOV_BIN:?set ROOTGOV_BIN to the build directory}"
: "${ROOTGOV_SOURCE_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${ROOTGOV_TEST_DATA:=$ROOTGOV_SOURCE_DIR/tests/data}"
ROOTGOV="$ROOTGOV_BIN/cli/rootgov"
ROOTGOVD="$ROOTGOV_BIN/daemon/rootgovd"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rootgov-it.XXXXXX")
PIDS=()
cleanup() {
  local rc=$?
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true
  done
  if [ $rc -ne 0 ] && [ -d "$WORK" ]; then
    echo "--- test failed (rc=$rc); daemon logs:" >&2
    for f in "$WORK"/*.log; do [ -f "$f" ] && { echo "== $f" >&2; tail -n 40 "$f" >&2; }; done
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok - $*"; }

# A free TCP port on 127.0.0.1 (the kernel picks it; a tiny race is acceptable in tests).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_daemon NAME ARGS... : starts rootgovd on fresh loopback ports, waits until it answers.
# Sets DAEMON_PID, HTTP_PORT, DNS_PORT and exports ROOTGOV_SERVER.
start_daemon() {
  local name=$1; shift
  HTTP_PORT=$(free_port)
  DNS_PORT=$(free_port)
  "$ROOTGOVD" --http "127.0.0.1:$HTTP_PORT" --dns "127.0.0.1:$DNS_PORT" "$@" >"$WORK/$name.log" 2>&1 &
  DAEMON_PID=$!
  PIDS+=("$DAEMON_PID")
  export ROOTGOV_SERVER="http://127.0.0.1:$HTTP_PORT"
  for _ in $(seq 1 100); do
    if curl -fsS "$ROOTGOV_SERVER/v1/health" >/dev/null 2>&1; then return 0; fi
    kill -0 "$DAEMON_PID" 2>/dev/null || fail "rootgovd exited at start: $(tail -n 5 "$WORK/$name.log")"
    sleep 0.1
  done
  fail "rootgovd did not answer within 10 s"
}

stop_daemon() {
  kill -TERM "$DAEMON_PID" 2>/dev/null || true
  local rc=0
  wait "$DAEMON_PID" || rc=$?
  return $rc
}

# expect_exit CODE CMD... : runs CMD and fails unless it exits with CODE. Output in $OUT.
expect_exit() {
  local want=$1; shift
  local rc=0
  OUT=$("$@" 2>&1) || rc=$?
  [ "$rc" = "$want" ] || fail "expected exit $want, got $rc from: $* -- output: $OUT"
}

# ---- helpers for driving requests through the CLI (need jq) ----

# The state of request ID (one word), or fails.
req_state() { "$ROOTGOV" status "$1" --json | jq -r .state; }

# summary_field FIELD : a field of `rootgov status --json` (the authority's summary).
summary_field() { "$ROOTGOV" status --json | jq -r ".$1"; }

# drive ID KEYDIR : approves as the awaited actors, one ballot at a time (a stage may complete
# before everyone listed has voted), until the request leaves 'awaiting'. When a stage awaits
# nobody (an advisory hold), advances the simulated clock 31 days as the instructor. Bounded:
# fails after 60 rounds. Sets DRIVE_STATE to the final state.
drive() {
  local id=$1 keys=$2 st actor
  DRIVE_STATE=""
  for _ in $(seq 1 60); do
    st=$("$ROOTGOV" status "$id" --json) || fail "status $id failed"
    DRIVE_STATE=$(jq -r .state <<<"$st")
    [ "$DRIVE_STATE" = awaiting ] || return 0
    actor=$(jq -r '.awaiting[0] // empty' <<<"$st")
    if [ -z "$actor" ]; then
      "$ROOTGOV" clock advance 31d --as "$keys/instructor.key" >/dev/null || fail "clock advance failed"
      continue
    fi
    "$ROOTGOV" approve "$id" --as "$keys/$actor.key" >/dev/null || fail "approve $id as $actor failed"
  done
  fail "request $id still awaiting after 60 rounds: $st"
}

# zone_serial FILE : the SOA serial of a master file.
zone_serial() { awk '$4=="SOA"{print $7; exit}' "$1"; }

# rdata FILE OWNER TYPE : the RDATA of an RRset, one record a line, upper-cased and sorted.
rdata() {
  awk -v o="$2" -v t="$3" '$1==o && $4==t { s=$5; for (i=6;i<=NF;i++) s=s" "$i; print s }' "$1" |
    tr '[:lower:]' '[:upper:]' | sort
}

# verify_zone FILE : ldns-verify-zone at the authority's time (a simulated clock is not the
# wall clock, and signatures are made for the authority's time). Output in $OUT on failure.
verify_zone() {
  local t
  t=$("$ROOTGOV" clock show --json | jq -r .now | tr -d ':TZ-') || fail "clock show failed"
  OUT=$(ldns-verify-zone -t "$t" "$1" 2>&1)
}
