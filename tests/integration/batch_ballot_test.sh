#!/usr/bin/env bash
# Batch ballots against a real rootgovd: `rootgov approve ID ID ID --as K` sends one signed
# ballot naming several requests (POST /v1/ballots). It is all or nothing: a batch that names
# a request the signer is not awaited on is refused, says which and why, and records nothing.
# Accepted batches move every named request as single ballots would; the changes are published
# and verify, the log names each request under the one batch entry, `log show --decisions`
# credits each approver, and the log verifies offline and after a restart.
source "$(dirname "$0")/lib.sh"

STATE="$WORK/state"
start_daemon batch --state "$STATE" --clock simulated --model us-status-quo
K="$STATE/lab/keys"

DIGEST=2C4A2A1B6A6F0F4E4B6F2D3A1C0B9E8D7C6B5A4F3E2D1C0B9A8F7E6D5C4B3A29
IDS=()
for tld in br de jp; do
  id=$("$ROOTGOV" submit --as "$K/manager.$tld.key" --kind ds-update --tld "$tld" --ds "4242 13 2 $DIGEST")
  IDS+=("$id")
done
# `rootgov submit` asks for the minimal answer, so the daemon did not word the pending decision
# then; whoever reads the request gets the words all the same.
EXPL=$("$ROOTGOV" status "${IDS[0]}" --json | jq -r '.decision.explanation')
case $EXPL in
  "pending at stage "*"awaiting manager.br"*) ;;
  *) fail "the status of a minimally answered submission lacks its explanation: '$EXPL'" ;;
esac
# Each TLD manager confirms its own request (a single ballot each).
for i in 0 1 2; do
  tld=$(echo br de jp | cut -d' ' -f$((i + 1)))
  "$ROOTGOV" approve "${IDS[$i]}" --as "$K/manager.$tld.key" >/dev/null || fail "manager.$tld confirmation"
done
for id in "${IDS[@]}"; do
  [ "$("$ROOTGOV" status "$id" --json | jq -r '.awaiting | join(",")')" = iana ] || fail "$id does not await iana"
done

# All or nothing: NTIA is not awaited yet, so a batch naming all three is refused whole.
SIZE=$(curl -fsS "$ROOTGOV_SERVER/v1/log/sth" | jq -r .tree_head.size)
expect_exit 2 "$ROOTGOV" approve "${IDS[@]}" --as "$K/ntia.key"
grep -q "nothing recorded" <<<"$OUT" || fail "refused batch: $OUT"
grep -q "3 of 3" <<<"$OUT" || fail "refused batch does not count the refusals: $OUT"
grep -q "policy awaits: iana" <<<"$OUT" || fail "refused batch does not say who is awaited: $OUT"
# An unknown id among valid ones refuses the batch too.
expect_exit 2 "$ROOTGOV" approve "${IDS[0]}" "ROOT-MGMT#20991231001" --as "$K/iana.key"
grep -q "no request 'ROOT-MGMT#20991231001'" <<<"$OUT" || fail "unknown id in a batch: $OUT"
[ "$(curl -fsS "$ROOTGOV_SERVER/v1/log/sth" | jq -r .tree_head.size)" = "$SIZE" ] || fail "a refused batch was logged"
for id in "${IDS[@]}"; do
  [ "$(req_state "$id")" = awaiting ] || fail "$id moved after a refused batch"
done
# A duplicated id is a usage error of the document itself.
expect_exit 2 "$ROOTGOV" approve "${IDS[0]}" "${IDS[0]}" --as "$K/iana.key"
grep -q "twice" <<<"$OUT" || fail "duplicate id in a batch: $OUT"
pass "a batch that any named request cannot take is refused whole and records nothing"

# IANA, NTIA and Verisign each sign one ballot for all three.
for actor in iana ntia verisign; do
  OUT=$("$ROOTGOV" approve "${IDS[@]}" --as "$K/$actor.key" --comment "routine DS batch") ||
    fail "batch ballot by $actor: $OUT"
  grep -q "one signed ballot (approve) on 3 requests" <<<"$OUT" || fail "batch output by $actor: $OUT"
done
BATCH_JSON=$("$ROOTGOV" status "${IDS[0]}" --json)
for id in "${IDS[@]}"; do
  [ "$(req_state "$id")" = published ] || fail "$id not published after the batches: $("$ROOTGOV" status "$id")"
done
pass "three batch ballots (iana, ntia, verisign) publish three changes"

# --json prints the daemon's answer: every request and the one log entry.
JID1=$("$ROOTGOV" submit --as "$K/manager.br.key" --kind ds-update --tld br)
JID2=$("$ROOTGOV" submit --as "$K/manager.de.key" --kind ds-update --tld de)
"$ROOTGOV" approve "$JID1" --as "$K/manager.br.key" >/dev/null
"$ROOTGOV" approve "$JID2" --as "$K/manager.de.key" >/dev/null
J=$("$ROOTGOV" approve "$JID1" "$JID2" --as "$K/iana.key" --json)
[ "$(jq -r .count <<<"$J")" = 2 ] || fail "--json count: $J"
[ "$(jq -r '[.requests[].id] | join(",")' <<<"$J")" = "$JID1,$JID2" ] || fail "--json order: $J"
[ "$(jq -r '[.requests[].awaiting[0]] | join(",")' <<<"$J")" = "ntia,ntia" ] || fail "--json states: $J"
IDX=$(jq -r .log_index <<<"$J")
ENTRY=$(curl -fsS "$ROOTGOV_SERVER/v1/log?from=$IDX&max=1" | jq -c '.entries[0]')
[ "$(jq -r .event <<<"$ENTRY")" = ballots ] || fail "log_index does not name the batch entry: $ENTRY"
[ "$(jq -r '.requests | join(",")' <<<"$ENTRY")" = "$JID1,$JID2" ] || fail "batch entry requests: $ENTRY"
[ "$(jq -r .document.document.actor <<<"$ENTRY")" = iana ] || fail "batch entry signer: $ENTRY"
pass "approve --json returns every request and the batch's log index"

# --all-awaiting: the actor's whole queue in one batch (GET /v1/requests?awaiting=ACTOR).
expect_exit 2 "$ROOTGOV" approve "$JID1" --all-awaiting --as "$K/ntia.key"
grep -q "not both" <<<"$OUT" || fail "ids with --all-awaiting: $OUT"
expect_exit 2 "$ROOTGOV" approve --as "$K/ntia.key"
OUT=$("$ROOTGOV" approve --all-awaiting --as "$K/ntia.key") || fail "approve --all-awaiting as ntia: $OUT"
grep -q "one signed ballot (approve) on 2 requests" <<<"$OUT" || fail "--all-awaiting did not batch the queue: $OUT"
for id in "$JID1" "$JID2"; do
  [ "$("$ROOTGOV" status "$id" --json | jq -r '.awaiting | join(",")')" = verisign ] || fail "$id after ntia's queue"
done
OUT=$("$ROOTGOV" approve --all-awaiting --as "$K/ntia.key") || fail "empty queue: $OUT"
grep -q "no request awaits ntia" <<<"$OUT" || fail "empty queue output: $OUT"
pass "approve --all-awaiting batches the actor's queue and says when it is empty"

# The published zone carries the three new DS sets and verifies.
"$ROOTGOV" zone fetch -o "$WORK/zone" || fail "zone fetch"
for tld in br de jp; do
  [ "$(rdata "$WORK/zone" "$tld." DS)" = "4242 13 2 $DIGEST" ] || fail "$tld. DS not published: $(rdata "$WORK/zone" "$tld." DS)"
done
verify_zone "$WORK/zone" || fail "ldns-verify-zone: $OUT"
pass "the batched changes are in the signed zone, which verifies"

# The log: one entry per batch, each request's history names it, the approvers are credited.
"$ROOTGOV" log show --request "${IDS[1]}" | grep -q "ntia approve on 3 requests (one signed ballot)" ||
  fail "log show --request lacks the ntia batch: $("$ROOTGOV" log show --request "${IDS[1]}")"
D=$("$ROOTGOV" log show --decisions --json)
for id in "${IDS[@]}"; do
  [ "$(jq -r --arg id "$id" '.requests[] | select(.id==$id) | .approvers | join(",")' <<<"$D")" = \
    "iana,manager.$(jq -r .tld <<<"$("$ROOTGOV" status "$id" --json)"),ntia,verisign" ] || fail "approvers of $id: $D"
  [ "$(jq -r --arg id "$id" '.requests[] | select(.id==$id) | .ballots' <<<"$D")" = 4 ] || fail "ballots of $id: $D"
done
jq -e '.ballots | map(select(.actor=="ntia" and .comment=="routine DS batch")) | length == 1' <<<"$BATCH_JSON" >/dev/null ||
  fail "the request's ballots lack ntia's batch ballot: $BATCH_JSON"
pass "log show names the batch under each request; decisions credit every approver"

stop_daemon || fail "rootgovd did not stop cleanly"
expect_exit 0 "$ROOTGOV" log verify "$STATE"
pass "the log with batch ballots verifies offline (signatures, tree, replay)"

# A restart replays the batches to the same state.
SERIAL=$(zone_serial "$WORK/zone")
start_daemon batch2 --state "$STATE" --clock simulated --model us-status-quo
for id in "${IDS[@]}"; do [ "$(req_state "$id")" = published ] || fail "$id after restart"; done
for id in "$JID1" "$JID2"; do
  [ "$(jq -r '.awaiting | join(",")' <<<"$("$ROOTGOV" status "$id" --json)")" = verisign ] || fail "$id after restart"
done
"$ROOTGOV" zone fetch -o "$WORK/zone2"
[ "$(zone_serial "$WORK/zone2")" = "$SERIAL" ] || fail "serial after restart: $(zone_serial "$WORK/zone2") vs $SERIAL"
stop_daemon || fail "rootgovd did not stop cleanly after the restart"
pass "a restart resumes the batched decisions"
