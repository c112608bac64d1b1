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
