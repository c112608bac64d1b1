#!/usr/bin/env bash
# tests/integration/restart_test.sh - rootgovd resumes a state directory: after SIGTERM (clean
# exit 0) and after SIGKILL, a half-approved request is still awaiting the same actor with the
# same ballots, the model and the simulated clock are resumed without flags, and the request
# can be finished. A restart with another --model is refused (exit 2) naming the state's model.
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq is needed"

STATE="$WORK/state"
MODEL=pti-2016  # not the default, so resuming it is visible
DS1="22222 13 2 2222222222222222222222222222222222222222222222222222222222222222"
DS2="33333 13 2 3333333333333333333333333333333333333333333333333333333333333333"

# half_approve TLD DS : submits a ds-update as the TLD's manager and casts the first awaited
# ballot; sets ID, AWAITING (the awaited actors after that) and BALLOTS (actor:vote lines).
half_approve() {
  ID=$("$ROOTGOV" submit --as "$K/manager.$1.key" --kind ds-update --tld "$1" --ds "$2") || fail "submit failed: $ID"
  local first
  first=$("$ROOTGOV" status "$ID" --json | jq -r '.awaiting[0]')
  [ "$first" = "manager.$1" ] || fail "the first awaited actor is '$first', expected manager.$1"
  "$ROOTGOV" approve "$ID" --as "$K/$first.key" >/dev/null || fail "approve as $first failed"
  local st
  st=$("$ROOTGOV" status "$ID" --json)
  [ "$(jq -r .state <<<"$st")" = awaiting ] || fail "$ID is $(jq -r .state <<<"$st") after one ballot"
  AWAITING=$(jq -c .awaiting <<<"$st")
  BALLOTS=$(jq -c '[.ballots[] | .actor + ":" + .vote]' <<<"$st")
  [ "$AWAITING" != "[]" ] || fail "nobody awaited on $ID after one ballot"
  [ "$BALLOTS" = "[\"manager.$1:approve\"]" ] || fail "ballots of $ID: $BALLOTS"
}

# resumed_same : the request $ID still awaits $AWAITING with ballots $BALLOTS.
resumed_same() {
  local st
  st=$("$ROOTGOV" status "$ID" --json) || fail "$ID unknown after the restart"
  [ "$(jq -r .state <<<"$st")" = awaiting ] || fail "$ID is $(jq -r .state <<<"$st") after the restart"
  [ "$(jq -c .awaiting <<<"$st")" = "$AWAITING" ] || fail "$ID awaits $(jq -c .awaiting <<<"$st"), not $AWAITING, after the restart"
  [ "$(jq -c '[.ballots[] | .actor + ":" + .vote]' <<<"$st")" = "$BALLOTS" ] || fail "ballots of $ID changed across the restart"
}

# finish_published TLD DS : drives $ID to published and checks the DS is in the fetched zone.
finish_published() {
  drive "$ID" "$K"
  [ "$DRIVE_STATE" = published ] || fail "$ID ended $DRIVE_STATE"
  "$ROOTGOV" zone fetch -o "$WORK/zone" || fail "zone fetch failed"
  [ "$(rdata "$WORK/zone" "$1." DS)" = "$2" ] || fail "DS of $1 in the zone: $(rdata "$WORK/zone" "$1." DS)"
}

# 1. SIGTERM and resume.
start_daemon first --state "$STATE" --model "$MODEL" --clock simulated
K="$STATE/lab/keys"
"$ROOTGOV" clock advance 3d --as "$K/instructor.key" >/dev/null || fail "clock advance failed"
NOW=$("$ROOTGOV" clock show --json | jq -r .now)
half_approve br "$DS1"
SERIAL=$(summary_field serial)
LOGSIZE=$(summary_field log_size)
stop_daemon || fail "rootgovd did not exit 0 on SIGTERM"
grep -q drained "$WORK/first.log" || fail "no drain logged on SIGTERM"
pass "SIGTERM: exit 0 with a request half approved ($ID awaiting $AWAITING)"

start_daemon second --state "$STATE"
[ "$(summary_field model)" = "$MODEL" ] || fail "resumed with model $(summary_field model), not $MODEL"
[ "$(summary_field clock)" = simulated ] || fail "resumed with a $(summary_field clock) clock"
[ "$("$ROOTGOV" clock show --json | jq -r .now)" = "$NOW" ] || fail "the simulated clock moved across the restart"
[ "$(summary_field serial)" = "$SERIAL" ] || fail "serial changed across the restart"
[ "$(summary_field log_size)" = "$LOGSIZE" ] || fail "log size changed across the restart"
resumed_same
pass "resumed without flags: model $MODEL, simulated clock at $NOW, $ID still awaits $AWAITING"
finish_published br "$DS1"
[ "$(summary_field serial)" -gt "$SERIAL" ] || fail "serial did not advance"
pass "finished after the restart: $ID published, DS in the zone"
stop_daemon || fail "rootgovd did not exit 0 on SIGTERM"

# 2. Another --model on this state: refused, exit 2, naming the state's model.
rc=0
timeout 30 "$ROOTGOVD" --state "$STATE" --model us-status-quo --http 127.0.0.1:0 --dns 127.0.0.1:0 \
  >"$WORK/wrong-model.log" 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "--model us-status-quo on a $MODEL state exited $rc: $(cat "$WORK/wrong-model.log")"
grep -q "$MODEL" "$WORK/wrong-model.log" || fail "the error does not name model $MODEL: $(cat "$WORK/wrong-model.log")"
pass "another --model refused with exit 2: $(grep -m1 "$MODEL" "$WORK/wrong-model.log")"
rc=0
timeout 30 "$ROOTGOVD" --state "$STATE" --model no-such-model --http 127.0.0.1:0 --dns 127.0.0.1:0 \
  >"$WORK/bad-model.log" 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "--model no-such-model exited $rc: $(cat "$WORK/bad-model.log")"
pass "an unknown --model refused with exit 2"

# 3. SIGKILL mid-request and resume.
start_daemon third --state "$STATE"
half_approve de "$DS2"
SERIAL=$(summary_field serial)
{ kill -9 "$DAEMON_PID" && wait "$DAEMON_PID"; } 2>/dev/null || true
start_daemon fourth --state "$STATE"
[ "$(summary_field model)" = "$MODEL" ] || fail "resumed after SIGKILL with model $(summary_field model)"
[ "$(summary_field serial)" = "$SERIAL" ] || fail "serial changed across the SIGKILL restart"
resumed_same
pass "resumed after SIGKILL: $ID still awaits $AWAITING"
finish_published de "$DS2"
"$ROOTGOV" zone fetch -o "$WORK/zone" || fail "zone fetch failed"
[ "$(rdata "$WORK/zone" br. DS)" = "$DS1" ] || fail "the first change was lost"
pass "finished after SIGKILL: $ID published, the earlier change kept"
stop_daemon || fail "rootgovd did not exit 0 on SIGTERM"

expect_exit 0 "$ROOTGOV" log verify "$STATE"
pass "log verifies after the restarts"
