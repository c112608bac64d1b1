#!/usr/bin/env bash
# rootgov log show|prove|verify|compare against a real rootgovd and the state it leaves behind:
# the decision table names the approvers, proofs verify against the daemon's signed tree head,
# an altered log fails verification at the altered entry, and compare shows where two models
# decided the same requests differently.
source "$(dirname "$0")/lib.sh"

# run_requests STATE MODEL: a DS change everyone approves, then a transfer that NTIA (or the
# first awaited actor other than the requester, under models without NTIA) rejects.
approve_all() {
  local id=$1 rejecter=${2:-}
  for _ in $(seq 1 15); do
    local st
    st=$("$ROOTGOV" status "$id" --json)
    [ "$(jq -r .state <<<"$st")" = awaiting ] || return 0
    for actor in $(jq -r '.awaiting[]' <<<"$st"); do
      if [ -n "$rejecter" ] && [ "$actor" = "$rejecter" ]; then
        "$ROOTGOV" reject "$id" --as "$K/$actor.key" --comment "no" >/dev/null
        return 0
      fi
      "$ROOTGOV" approve "$id" --as "$K/$actor.key" >/dev/null
    done
  done
  fail "$id did not leave 'awaiting'"
}

run_requests() {
  local state=$1 model=$2
  start_daemon "$model" --state "$state" --clock simulated --model "$model"
  K="$state/lab/keys"
  DS_ID=$("$ROOTGOV" submit --as "$K/manager.br.key" --kind ds-update --tld br \
    --ds "12345 13 2 2C4A2A1B6A6F0F4E4B6F2D3A1C0B9E8D7C6B5A4F3E2D1C0B9A8F7E6D5C4B3A29")
  approve_all "$DS_ID"
  TR_ID=$("$ROOTGOV" submit --as "$K/manager.de.key" --kind transfer --tld de --manager gov.de)
  approve_all "$TR_ID" ntia
}

S1="$WORK/us"
run_requests "$S1" us-status-quo
[ "$("$ROOTGOV" status "$DS_ID" --json | jq -r .state)" = published ] || fail "DS change not published"
[ "$("$ROOTGOV" status "$TR_ID" --json | jq -r .state)" = rejected ] || fail "transfer not rejected by ntia"

# The decision table: who approved the DS change, and where the transfer stopped.
OUT=$("$ROOTGOV" log show --decisions --json)
[ "$(jq -r '.model' <<<"$OUT")" = us-status-quo ] || fail "decisions: model"
[ "$(jq -r --arg id "$DS_ID" '.requests[] | select(.id==$id) | .approvers | join(",")' <<<"$OUT")" = "iana,manager.br,ntia,verisign" ] ||
  fail "decisions: approvers of the DS change: $OUT"
[ "$(jq -r --arg id "$TR_ID" '.requests[] | select(.id==$id) | .outcome + "@" + .stage' <<<"$OUT")" = "rejected@ntia" ] ||
  fail "decisions: transfer outcome: $OUT"
"$ROOTGOV" log show --request "$DS_ID" | grep -q "ballot .* verisign approve" || fail "log show --request lacks the verisign ballot"
pass "log show --decisions names the approvers and the rejecting stage"

# Proofs from the daemon, checked here against its signed tree head.
SIZE=$(curl -fsS "$ROOTGOV_SERVER/v1/log/sth" | jq -r .tree_head.size)
PROOF=$("$ROOTGOV" log prove --index 3 --since 2 --json)
[ "$(jq -r .size <<<"$PROOF")" = "$SIZE" ] || fail "prove: size"
[ "$(jq -r '.inclusion | length' <<<"$PROOF")" -gt 0 ] || fail "prove: empty inclusion proof"
expect_exit 2 "$ROOTGOV" log prove --index "$SIZE"
pass "log prove verifies inclusion and consistency against the signed tree head"
stop_daemon || fail "rootgovd did not stop cleanly"

# Offline: the state verifies, its raw export verifies, an altered export does not.
expect_exit 0 "$ROOTGOV" log verify "$S1"
"$ROOTGOV" log show "$S1" --raw >"$WORK/us.jsonl"
[ "$(head -n 1 "$WORK/us.jsonl" | jq -r .event)" = genesis ] || fail "the raw export does not start at genesis"
# --raw is the whole log: a range is refused rather than ignored.
expect_exit 2 "$ROOTGOV" log show "$S1" --raw --from 3
grep -q "takes no --from" <<<"$OUT" || fail "--raw --from: $OUT"
expect_exit 0 "$ROOTGOV" log verify "$WORK/us.jsonl" --actors "$S1/actors.toml" --base-zone "$S1/base.zone"
LOCAL=$("$ROOTGOV" log prove "$S1" --index 3 --json | jq -r .root)
[ "$LOCAL" = "$(jq -r .tree_head.root "$S1/sth.json")" ] || fail "offline root differs from the signed tree head at shutdown"
# NTIA's rejection becomes an approval: the signature no longer covers the entry.
LINE=$(grep -n '"actor":"ntia".*"vote":"reject"' "$WORK/us.jsonl" | cut -d: -f1)
[ -n "$LINE" ] || fail "no ntia rejection in the export"
sed "${LINE}s/\"vote\":\"reject\"/\"vote\":\"approve\"/" "$WORK/us.jsonl" >"$WORK/forged.jsonl"
expect_exit 1 "$ROOTGOV" log verify "$WORK/forged.jsonl" --actors "$S1/actors.toml" --base-zone "$S1/base.zone"
grep -q "at entry $((LINE - 1))" <<<"$OUT" || fail "verify did not name entry $((LINE - 1)): $OUT"
pass "log verify accepts the log and names the forged entry"

# The same requests under the PTI model: compare shows the transfer decided differently.
S2="$WORK/pti"
run_requests "$S2" pti-2016
stop_daemon || fail "rootgovd did not stop cleanly"
expect_exit 0 "$ROOTGOV" log compare "$S1" "$S2" --json
[ "$(jq -r '.models | join(",")' <<<"$OUT")" = "us-status-quo,pti-2016" ] || fail "compare: models $OUT"
[ "$(jq -r '.requests[0].same_outcome' <<<"$OUT")" = true ] || fail "compare: the DS change should pass under both: $OUT"
[ "$(jq -r '.requests[1].results[0].outcome' <<<"$OUT")" = rejected ] || fail "compare: transfer under us-status-quo: $OUT"
pass "log compare puts both models side by side"
