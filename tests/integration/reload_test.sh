#!/usr/bin/env bash
# tests/integration/reload_test.sh - SIGHUP adopts an edited actor registry and an edited model
# file into a running rootgovd. A registry that would strand an open request is refused and
# changes nothing; an added actor is listed, awaited and can vote at once; an unchanged
# configuration records nothing; an edited model decides an open request at once. The daemon
# then resumes with the new files (from its snapshot and by full replay), refuses the old
# registry naming what differs, and `rootgov log verify` passes. Loopback only, port 0.
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq is needed"

STATE="$WORK/state"
LAB="$WORK/lab"
ACTORS="$LAB/actors.toml"
K="$LAB/keys"
MODEL="$WORK/model.toml"
DS="44444 13 2 4444444444444444444444444444444444444444444444444444444444444444"

# start_ephemeral NAME ARGS... : rootgovd on 127.0.0.1:0 (the kernel picks the port, the daemon
# writes it to a file); waits until it listens. Sets DAEMON_PID and exports ROOTGOV_SERVER.
start_ephemeral() {
  local name=$1; shift
  rm -f "$WORK/$name.port"
  "$ROOTGOVD" --http 127.0.0.1:0 --dns 127.0.0.1:0 --http-port-file "$WORK/$name.port" "$@" >"$WORK/$name.log" 2>&1 &
  DAEMON_PID=$!
  PIDS+=("$DAEMON_PID")
  for _ in $(seq 1 100); do
    [ -s "$WORK/$name.port" ] && break
    kill -0 "$DAEMON_PID" 2>/dev/null || fail "rootgovd exited at start: $(tail -n 5 "$WORK/$name.log")"
    sleep 0.1
  done
  [ -s "$WORK/$name.port" ] || fail "rootgovd did not listen within 10 s"
  export ROOTGOV_SERVER="http://127.0.0.1:$(cat "$WORK/$name.port")"
}

# hup NAME PATTERN : sends SIGHUP and waits up to 10 s for the Nth reload outcome in NAME's log
# to match PATTERN (N counts the SIGHUPs sent to this daemon). The outcome line is in $OUT.
HUPS=0
hup() {
  HUPS=$((HUPS + 1))
  kill -HUP "$DAEMON_PID"
  for _ in $(seq 1 100); do
    OUT=$(grep -E 'msg="(reloaded|reload failed)' "$WORK/$1.log" | sed -n "${HUPS}p" || true)
    [ -n "$OUT" ] && break
    sleep 0.1
  done
  [ -n "$OUT" ] || fail "no reload outcome logged within 10 s after SIGHUP #$HUPS"
  grep -qE "$2" <<<"$OUT" || fail "SIGHUP #$HUPS: expected /$2/, got: $OUT"
}

# without_paragraph FILE PATTERN : FILE without the blank-line separated paragraph matching
# PATTERN (an [[actor]] table of actors.toml, a [[stage]] table of a model), rewritten in place.
without_paragraph() {
  awk -v RS= -v ORS='\n\n' -v pat="$2" '$0 !~ pat' "$1" >"$1.new" && mv "$1.new" "$1"
}

actors_listed() { curl -fsS --max-time 5 "$ROOTGOV_SERVER/v1/actors" | jq -r '[.actors[].id] | join(" ")'; }

"$ROOTGOV" lab init --out "$LAB" >/dev/null || fail "lab init failed"
cp "$ROOTGOV_SOURCE_DIR/policies/models/us-status-quo.toml" "$MODEL"
cp "$ACTORS" "$WORK/actors.genesis.toml"

# 1. A request waits for IANA.
start_ephemeral first --state "$STATE" --actors "$ACTORS" --model "$MODEL" --clock simulated
ID=$("$ROOTGOV" submit --as "$K/manager.br.key" --kind ds-update --tld br --ds "$DS") || fail "submit failed: $ID"
"$ROOTGOV" approve "$ID" --as "$K/manager.br.key" >/dev/null || fail "approve as manager.br failed"
[ "$("$ROOTGOV" status "$ID" --json | jq -c .awaiting)" = '["iana"]' ] || fail "$ID does not await iana"
SIZE=$(summary_field log_size)
pass "$ID awaits iana"

# 2. A registry without the awaited actor: refused, nothing changes, still serving.
without_paragraph "$ACTORS" '\nid = "iana"\n'
hup first 'reload failed.*nothing changed.*'"'"'iana'"'"' \(awaited\)'
[ "$(summary_field log_size)" = "$SIZE" ] || fail "a refused reload changed the log"
grep -q '^id = "iana"$' "$STATE/actors.toml" || fail "a refused reload rewrote the state's actors.toml"
actors_listed | grep -qw iana || fail "iana is no longer listed after a refused reload"
pass "a registry stranding $ID is refused: $(sed 's/.*error=//' <<<"$OUT" | cut -c1-120)"

# 3. The registry plus a second IANA reviewer: adopted, logged, streamed, awaited at once.
cp "$WORK/actors.genesis.toml" "$ACTORS"
PUB=$("$ROOTGOV" keygen --out "$K/iana.reviewer.key" | awk '/^public key:/ {print $3}')
[ -n "$PUB" ] || fail "keygen printed no public key"
printf '\n[[actor]]\nid = "iana.reviewer"\nname = "IANA second reviewer"\nroles = ["iana"]\npublic_key = "%s"\n' \
  "$PUB" >>"$ACTORS"
hup first 'reloaded" changed=true .*actors_added="iana.reviewer" actors_removed="" actors_changed=""'
[ "$(summary_field log_size)" -gt "$SIZE" ] || fail "the reload appended nothing"
actors_listed | grep -qw iana.reviewer || fail "GET /v1/actors does not list iana.reviewer"
grep -q '^id = "iana.reviewer"$' "$STATE/actors.toml" || fail "the state's actors.toml is not the adopted registry"
[ "$("$ROOTGOV" status "$ID" --json | jq -c .awaiting)" = '["iana","iana.reviewer"]' ] ||
  fail "$ID awaits $("$ROOTGOV" status "$ID" --json | jq -c .awaiting) after the reload"
curl -sN --max-time 2 "$ROOTGOV_SERVER/v1/events?from=1" >"$WORK/events" || true
grep -q '^event: reconfigured' "$WORK/events" || fail "no 'reconfigured' event on /v1/events"
pass "iana.reviewer adopted: listed, awaited on $ID, streamed"

"$ROOTGOV" approve "$ID" --as "$K/iana.reviewer.key" >/dev/null || fail "the new actor cannot vote"
[ "$("$ROOTGOV" status "$ID" --json | jq -c .awaiting)" = '["iana"]' ] || fail "the new actor's ballot did not count"
drive "$ID" "$K"
[ "$DRIVE_STATE" = published ] || fail "$ID ended $DRIVE_STATE"
pass "the new actor voted; $ID published"

# 4. Nothing changed: nothing recorded.
SIZE=$(summary_field log_size)
hup first 'reloaded" changed=false'
[ "$(summary_field log_size)" = "$SIZE" ] || fail "an unchanged reload appended to the log"
pass "unchanged registry and model: nothing recorded"

# 5. The model file edited (no NTIA or Verisign stage): a request awaiting NTIA is approved and
# published at once.
ID2=$("$ROOTGOV" submit --as "$K/manager.de.key" --kind ds-update --tld de --ds "$DS") || fail "submit failed: $ID2"
for actor in manager.de iana iana.reviewer; do
  "$ROOTGOV" approve "$ID2" --as "$K/$actor.key" >/dev/null || fail "approve $ID2 as $actor failed"
done
[ "$("$ROOTGOV" status "$ID2" --json | jq -c .awaiting)" = '["ntia"]' ] || fail "$ID2 does not await ntia"
SERIAL=$(summary_field serial)
without_paragraph "$MODEL" '\nid = "ntia"\n'
without_paragraph "$MODEL" '\nid = "verisign"\n'
hup first 'reloaded" changed=true .*actors_added="" .*model_changed=true .*decided="'"$ID2"'"'
[ "$(req_state "$ID2")" = published ] || fail "$ID2 is $(req_state "$ID2") under the edited model"
[ "$(summary_field serial)" -gt "$SERIAL" ] || fail "the serial did not move when $ID2 was published"
curl -fsS --max-time 5 "$ROOTGOV_SERVER/v1/model" | jq -r .graph >"$WORK/graph"
grep -q 'stage:iana' "$WORK/graph" || fail "GET /v1/model shows no graph"
grep -q 'stage:ntia' "$WORK/graph" && fail "GET /v1/model still shows the NTIA stage"
pass "the edited model is in force: $ID2 approved and published at the reload"
SIZE=$(summary_field log_size)
stop_daemon || fail "rootgovd did not exit 0 on SIGTERM"

# 6. Restarts: with the new registry file (from the snapshot), then with the state's copy by
# full replay; the daemon goes on under the new registry and model.
start_ephemeral second --state "$STATE" --actors "$ACTORS"
[ "$(summary_field log_size)" = "$SIZE" ] || fail "log size changed across the restart"
actors_listed | grep -qw iana.reviewer || fail "iana.reviewer not listed after the restart"
[ "$(req_state "$ID2")" = published ] || fail "$ID2 is $(req_state "$ID2") after the restart"
stop_daemon || fail "rootgovd did not exit 0 on SIGTERM"
rm -f "$STATE/snapshot"
start_ephemeral third --state "$STATE"
grep -q '(replayed)' "$WORK/third.log" || fail "the third start did not replay the log: $(head -n 3 "$WORK/third.log")"
[ "$(summary_field log_size)" = "$SIZE" ] || fail "log size changed across the full replay"
ID3=$("$ROOTGOV" submit --as "$K/manager.br.key" --kind ds-update --tld br --ds "$DS") || fail "submit failed: $ID3"
drive "$ID3" "$K"
[ "$DRIVE_STATE" = published ] || fail "$ID3 ended $DRIVE_STATE"
stop_daemon || fail "rootgovd did not exit 0 on SIGTERM"
pass "resumed with the new registry (snapshot) and by full replay; $ID3 published after it"

# 7. The registry as it was at genesis is no longer the state's: exit 2, naming the difference.
rc=0
timeout 30 "$ROOTGOVD" --state "$STATE" --actors "$WORK/actors.genesis.toml" --http 127.0.0.1:0 --dns 127.0.0.1:0 \
  >"$WORK/stale.log" 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "the genesis registry on a reconfigured state exited $rc: $(cat "$WORK/stale.log")"
grep -q 'missing actors: iana.reviewer' "$WORK/stale.log" || fail "the error does not name iana.reviewer: $(cat "$WORK/stale.log")"
pass "the old registry is refused: $(grep -m1 -o 'the actor registry given differs.*iana.reviewer' "$WORK/stale.log")"

expect_exit 0 "$ROOTGOV" log verify "$STATE"
grep -q '2 reconfigurations' <<<"$OUT" || fail "log verify did not count the reconfigurations: $OUT"
expect_exit 0 "$ROOTGOV" log verify "$STATE" --actors "$WORK/actors.genesis.toml"
pass "log verify passes (with the current and with the genesis registry)"
