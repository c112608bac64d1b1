#!/usr/bin/env bash
# tests/integration/daemon_smoke_test.sh - rootgovd starts on an ephemeral loopback port, answers
# /v1/health and /metrics, and exits 0 on SIGTERM. Bounded in time; the daemon is killed on exit.
set -euo pipefail

: "${ROOTGOV_BIN:?set ROOTGOV_BIN to the build directory}"
ROOTGOVD="$ROOTGOV_BIN/daemon/rootgovd"
[ -x "$ROOTGOVD" ] || { echo "FAIL: no rootgovd at $ROOTGOVD" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rootgov-smoke.XXXXXX")
DAEMON_PID=""
cleanup() {
  local rc=$?
  if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then kill -9 "$DAEMON_PID" 2>/dev/null || true; fi
  if [ $rc -ne 0 ] && [ -f "$WORK/rootgovd.log" ]; then
    echo "--- rootgovd log:" >&2
    tail -n 40 "$WORK/rootgovd.log" >&2
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok - $*"; }

# Port 0: the kernel picks a free port; the daemon writes it to the port file once listening.
"$ROOTGOVD" --state "$WORK/state" --http 127.0.0.1:0 --dns 127.0.0.1:0 \
  --http-port-file "$WORK/port" >"$WORK/rootgovd.log" 2>&1 &
DAEMON_PID=$!
for _ in $(seq 1 100); do
  [ -s "$WORK/port" ] && break
  kill -0 "$DAEMON_PID" 2>/dev/null || fail "rootgovd exited at start"
  sleep 0.1
done
[ -s "$WORK/port" ] || fail "rootgovd did not listen within 10 s"
PORT=$(cat "$WORK/port")
BASE="http://127.0.0.1:$PORT"
[ -d "$WORK/state" ] || fail "state directory not created"

body=$(curl -fsS --max-time 5 "$BASE/v1/health") || fail "GET /v1/health failed"
[ "$body" = '{"status":"ok"}' ] || fail "unexpected health body: $body"
pass "GET /v1/health"

metrics=$(curl -fsS --max-time 5 "$BASE/metrics") || fail "GET /metrics failed"
grep -q '^# TYPE rootgov_http_requests_total counter' <<<"$metrics" || fail "no request counter in /metrics"
grep -q 'rootgov_http_requests_total{method="GET",route="/v1/health",status="200"} 1' <<<"$metrics" ||
  fail "health request not counted: $metrics"
grep -q '^rootgov_up 1' <<<"$metrics" || fail "rootgov_up is not 1"
pass "GET /metrics"

code=$(curl -sS --max-time 5 -o "$WORK/nf.json" -w '%{http_code}' "$BASE/v1/nope")
[ "$code" = 404 ] || fail "unknown route gave $code"
grep -q '"type":"urn:rootgov:problem:no-route"' "$WORK/nf.json" || fail "404 without a problem body"
code=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary '{not json' "$BASE/v1/requests")
[ "$code" = 400 ] || fail "bad JSON gave $code"
pass "404 and 400 problems"

kill -HUP "$DAEMON_PID"
sleep 0.2
curl -fsS --max-time 5 "$BASE/v1/health" >/dev/null || fail "not serving after SIGHUP"
grep -q 'reload requested' "$WORK/rootgovd.log" || fail "SIGHUP not logged"
pass "SIGHUP: reload hook, still serving"

kill -TERM "$DAEMON_PID"
rc=0
for _ in $(seq 1 100); do
  kill -0 "$DAEMON_PID" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$DAEMON_PID" 2>/dev/null && fail "rootgovd still running 10 s after SIGTERM"
wait "$DAEMON_PID" || rc=$?
DAEMON_PID=""
[ "$rc" = 0 ] || fail "rootgovd exited $rc after SIGTERM"
grep -q 'drained' "$WORK/rootgovd.log" || fail "no drain in the log"
pass "SIGTERM: drained, exit 0"
