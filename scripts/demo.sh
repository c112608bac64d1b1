#!/usr/bin/env bash
# The main job: installs what is needed, builds rootgov, starts rootgovd on the embedded default
# (a small root zone, the default actor set, model us-status-quo, simulated clock) in a
# temporary state directory, drives a short demo through the rootgov CLI, verifies the audit
# log offline, and stops the daemon. Everything stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${ROOTGOV_JOBS:-$(nproc)}

bash scripts/install-deps.sh
preset=${ROOTGOV_PRESET:-default}
echo "== build (preset $preset)"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs" --target rootgov rootgovd >/dev/null
B=build/$preset
ROOTGOV="$B/cli/rootgov"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rootgov-demo.XXXXXX")
DAEMON=""
cleanup() {
  [ -n "$DAEMON" ] && kill "$DAEMON" 2>/dev/null && wait "$DAEMON" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== the embedded default root zone"
"$ROOTGOV" zone check --default
"$ROOTGOV" zone keygen --algorithm ed25519 --ksk --dir "$WORK/keys" >/dev/null
"$ROOTGOV" zone keygen --algorithm ed25519 --dir "$WORK/keys" >/dev/null
"$ROOTGOV" zone sign examples/default/root.zone -k "$WORK"/keys/*.private -o "$WORK/signed.zone" >/dev/null
echo "signed: $(grep -c RRSIG "$WORK/signed.zone") RRSIGs, $(grep -c $'\tNSEC\t' "$WORK/signed.zone") NSEC records"
ldns-verify-zone "$WORK/signed.zone"

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
HTTP=$(port)
DNS=$(port)
STATE="$WORK/state"
echo "== starting rootgovd (model us-status-quo, simulated clock) on 127.0.0.1:$HTTP"
"$B/daemon/rootgovd" --state "$STATE" --http "127.0.0.1:$HTTP" --dns "127.0.0.1:$DNS" --clock simulated \
  >"$WORK/rootgovd.log" 2>&1 &
DAEMON=$!
export ROOTGOV_SERVER="http://127.0.0.1:$HTTP"
for _ in $(seq 1 100); do curl -fsS "$ROOTGOV_SERVER/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
K="$STATE/lab/keys"
"$ROOTGOV" status

# Approves as every awaited actor until the request leaves 'awaiting', except that the actor
# named in $2 (if any) rejects when its turn comes.
drive() {
  local id=$1 rejecter=${2:-} comment=${3:-}
  for _ in $(seq 1 20); do
    local st
    st=$("$ROOTGOV" status "$id" --json)
    [ "$(jq -r .state <<<"$st")" = awaiting ] || break
    for actor in $(jq -r '.awaiting[]' <<<"$st"); do
      if [ "$actor" = "$rejecter" ]; then
        echo "   $actor rejects: $comment"
        "$ROOTGOV" reject "$id" --as "$K/$actor.key" --comment "$comment" >/dev/null
        break 2
      fi
      echo "   $actor approves"
      "$ROOTGOV" approve "$id" --as "$K/$actor.key" >/dev/null
    done
  done
  "$ROOTGOV" status "$id"
}

echo
echo "== 1. a routine change: .br publishes a new DS set"
id=$("$ROOTGOV" submit --as "$K/manager.br.key" --kind ds-update --tld br \
  --ds "12345 13 2 2C4A2A1B6A6F0F4E4B6F2D3A1C0B9E8D7C6B5A4F3E2D1C0B9A8F7E6D5C4B3A29")
echo "   manager.br submitted $id"
drive "$id"
"$ROOTGOV" zone fetch -o "$WORK/published.zone"
echo "   published zone: serial $(awk '$4=="SOA"{print $7; exit}' "$WORK/published.zone"), DS of br: $(awk '$1=="br." && $4=="DS"' "$WORK/published.zone" | wc -l) record(s)"

echo
echo "== 2. a contested request: the redelegation of .de to another manager; NTIA rejects"
id=$("$ROOTGOV" submit --as "$K/manager.de.key" --kind transfer --tld de --manager gov.de)
echo "   manager.de submitted $id"
drive "$id" ntia "the new manager lacks local support"

echo
echo "== the audit log"
"$ROOTGOV" log show --server "$ROOTGOV_SERVER" --decisions
"$ROOTGOV" log show --server "$ROOTGOV_SERVER" | tail -n 8
echo
kill -TERM "$DAEMON"
wait "$DAEMON" || true
DAEMON=""
"$ROOTGOV" log verify "$STATE"
echo "== demo done"
