#!/usr/bin/env bash
# tests/integration/change_kinds_test.sh - every change kind end to end through rootgovd and the
# rootgov CLI, under several governance models: ns-update with glue, ds-update, delegate a new
# TLD, transfer to another manager, revoke, root-update (soa-timers, root-ns, dnskey) and
# contact-update. Each request is driven to its final state by approving as the awaited actors;
# the test then checks the state, the fetched zone (the change is there, the SOA serial advanced,
# ldns-verify-zone accepts it) and, after a clean stop, `rootgov log verify`.
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq is needed"
command -v ldns-verify-zone >/dev/null || fail "ldns-verify-zone is needed"

MODELS=${ROOTGOV_IT_MODELS:-"us-status-quo pti-2016 gic"}

# fetch NAME : fetches the published zone to $WORK/NAME.zone, checks its DNSSEC, and sets ZONE
# and SERIAL.
fetch() {
  ZONE="$WORK/$1.zone"
  "$ROOTGOV" zone fetch -o "$ZONE" || fail "zone fetch failed"
  verify_zone "$ZONE" || fail "ldns-verify-zone rejects the zone after $1: $(tail -n 5 <<<"$OUT")"
  SERIAL=$(zone_serial "$ZONE")
  [ -n "$SERIAL" ] || fail "no SOA serial in the zone after $1"
}

# submit_as ACTOR ARGS... : submits as ACTOR of the current lab; sets ID. The answer's log_index
# must name the audit-log entry that records this submission, by this actor.
submit_as() {
  local actor=$1; shift
  local reply idx entry
  reply=$("$ROOTGOV" submit --json --as "$K/$actor.key" "$@") || fail "submit as $actor ($*) failed: $reply"
  ID=$(jq -r .id <<<"$reply")
  [[ "$ID" == ROOT-MGMT#* ]] || fail "submit answered '$reply', not a request"
  idx=$(jq -r .log_index <<<"$reply")
  [[ "$idx" =~ ^[0-9]+$ ]] || fail "submit answered no log_index: $reply"
  entry=$("$ROOTGOV" log show --from "$idx" --max 1 --json) || fail "log show --from $idx failed"
  [ "$(jq -r '.event + " " + .request + " " + .document.document.actor' <<<"$entry")" = "submitted $ID $actor" ] ||
    fail "log entry $idx is not the submission of $ID by $actor: $entry"
}

# finish WHAT : drives $ID and fails unless it ends published; checks the request's serial is
# the summary's.
finish() {
  drive "$ID" "$K"
  [ "$DRIVE_STATE" = published ] || fail "$MODEL: $1 ($ID) ended $DRIVE_STATE: $("$ROOTGOV" status "$ID")"
  local rs
  rs=$("$ROOTGOV" status "$ID" --json | jq -r .serial)
  [ "$rs" = "$(summary_field serial)" ] || fail "$MODEL: $1: request serial $rs is not the published serial"
}

# advanced WHAT : the serial of the last fetch is above $PREV; then PREV=SERIAL.
advanced() {
  [ "$SERIAL" -gt "$PREV" ] || fail "$MODEL: $1: SOA serial $SERIAL did not advance past $PREV"
  PREV=$SERIAL
}

run_model() {
  MODEL=$1
  local state="$WORK/state-$MODEL"
  start_daemon "rootgovd-$MODEL" --state "$state" --model "$MODEL" --clock simulated
  K="$state/lab/keys"
  [ "$(summary_field model)" = "$MODEL" ] || fail "daemon runs model $(summary_field model), not $MODEL"
  local tlds0
  tlds0=$(summary_field tlds)
  [ "$tlds0" = 21 ] || fail "$MODEL: the default zone has $tlds0 TLDs, expected 21"
  fetch "$MODEL-0"
  PREV=$SERIAL
  local admin=iana
  [ "$MODEL" = pti-2016 ] && admin=pti

  # ns-update with glue: .br moves to two new in-bailiwick servers.
  submit_as manager.br --kind ns-update --tld br --ns ns1.dns.br=200.160.0.10,2001:12ff::10 --ns ns2.dns.br=200.189.40.10
  finish ns-update
  fetch "$MODEL-ns"
  advanced ns-update
  [ "$(rdata "$ZONE" br. NS | tr '\n' ' ')" = "NS1.DNS.BR. NS2.DNS.BR. " ] || fail "$MODEL: br NS set is $(rdata "$ZONE" br. NS)"
  [ "$(rdata "$ZONE" ns1.dns.br. A)" = 200.160.0.10 ] || fail "$MODEL: no glue A for ns1.dns.br"
  [ "$(rdata "$ZONE" ns1.dns.br. AAAA)" = 2001:12FF::10 ] || fail "$MODEL: no glue AAAA for ns1.dns.br"
  [ "$(rdata "$ZONE" ns2.dns.br. A)" = 200.189.40.10 ] || fail "$MODEL: no glue A for ns2.dns.br"
  [ -z "$(rdata "$ZONE" a.dns.br. A)" ] || fail "$MODEL: the old host a.dns.br kept its glue"
  pass "$MODEL: ns-update with glue published (serial $SERIAL)"

  # ds-update: .de gets one new DS.
  local ds="54321 13 2 0A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F9"
  submit_as manager.de --kind ds-update --tld de --ds "$ds"
  finish ds-update
  fetch "$MODEL-ds"
  advanced ds-update
  [ "$(rdata "$ZONE" de. DS)" = "$ds" ] || fail "$MODEL: de DS set is '$(rdata "$ZONE" de. DS)'"
  pass "$MODEL: ds-update published"

  # delegate: a new gTLD with glue and a DS.
  local lds="11111 13 2 1111111111111111111111111111111111111111111111111111111111111111"
  submit_as "$admin" --kind delegate --tld lab --ns ns1.nic.lab=45.8.1.53 --ns ns2.nic.lab=45.8.2.53 --ds "$lds"
  finish delegate
  fetch "$MODEL-delegate"
  advanced delegate
  [ "$(rdata "$ZONE" lab. NS | tr '\n' ' ')" = "NS1.NIC.LAB. NS2.NIC.LAB. " ] || fail "$MODEL: lab NS set is $(rdata "$ZONE" lab. NS)"
  [ "$(rdata "$ZONE" ns2.nic.lab. A)" = 45.8.2.53 ] || fail "$MODEL: no glue for ns2.nic.lab"
  [ "$(rdata "$ZONE" lab. DS)" = "$lds" ] || fail "$MODEL: lab has no DS"
  [ "$(summary_field tlds)" = $((tlds0 + 1)) ] || fail "$MODEL: TLD count after delegate is $(summary_field tlds)"
  pass "$MODEL: delegate published"

  # transfer: .ch to gov.ch; the registry changes, the zone does not.
  submit_as manager.ch --kind transfer --tld ch --manager gov.ch
  finish transfer
  fetch "$MODEL-transfer"
  [ "$SERIAL" = "$PREV" ] || fail "$MODEL: a registry-only transfer changed the serial ($PREV -> $SERIAL)"
  curl -fsS "$ROOTGOV_SERVER/v1/actors" >"$WORK/actors.json"
  jq -e '.actors[] | select(.id=="gov.ch") | .manages | index("ch")' "$WORK/actors.json" >/dev/null ||
    fail "$MODEL: gov.ch does not manage ch after the transfer"
  jq -e '.actors[] | select(.id=="manager.ch") | .manages | index("ch") | not' "$WORK/actors.json" >/dev/null ||
    fail "$MODEL: manager.ch still manages ch after the transfer"
  expect_exit 2 "$ROOTGOV" submit --as "$K/manager.ch.key" --kind ds-update --tld ch
  grep -q 403 <<<"$OUT" || fail "$MODEL: the former manager's submit was not refused with 403: $OUT"
  submit_as gov.ch --kind ds-update --tld ch
  finish "ds-update by the new manager"
  fetch "$MODEL-transfer-ds"
  advanced "ds-update by the new manager"
  [ -z "$(rdata "$ZONE" ch. DS)" ] || fail "$MODEL: ch still has DS records after removing them all"
  pass "$MODEL: transfer to gov.ch published; the new manager rules .ch, the old one is refused"

  # revoke: .za leaves the root, with its in-bailiwick glue.
  submit_as manager.za --kind revoke --tld za
  finish revoke
  fetch "$MODEL-revoke"
  advanced revoke
  grep -Eq '^([^[:space:]]+\.)?za\.[[:space:]]' "$ZONE" && fail "$MODEL: names under za. remain after the revoke"
  [ "$(summary_field tlds)" = "$tlds0" ] || fail "$MODEL: TLD count after revoke is $(summary_field tlds)"
  pass "$MODEL: revoke published"

  # root-update soa-timers.
  submit_as "$admin" --kind root-update --target soa-timers --soa-refresh 3600 --soa-retry 600 --soa-expire 1209600 --soa-minimum 3600
  finish "root-update soa-timers"
  fetch "$MODEL-soa"
  advanced "root-update soa-timers"
  awk '$4=="SOA"{print $8,$9,$10,$11; exit}' "$ZONE" | grep -qx '3600 600 1209600 3600' ||
    fail "$MODEL: SOA timers are $(awk '$4=="SOA"{print $8,$9,$10,$11; exit}' "$ZONE")"
  pass "$MODEL: root-update soa-timers published"

  # root-update root-ns: m.root-servers.net leaves the root NS set.
  local ns=() l
  for l in a b c d e f g h i j k l; do ns+=(--ns "$l.root-servers.net"); done
  submit_as "$admin" --kind root-update --target root-ns "${ns[@]}"
  finish "root-update root-ns"
  fetch "$MODEL-rootns"
  advanced "root-update root-ns"
  [ "$(rdata "$ZONE" . NS | wc -l)" = 12 ] || fail "$MODEL: the root NS set has $(rdata "$ZONE" . NS | wc -l) servers"
  rdata "$ZONE" . NS | grep -q '^M\.ROOT' && fail "$MODEL: m.root-servers.net is still a root server"
  pass "$MODEL: root-update root-ns published"

  # root-update dnskey: a KSK roll's first step (the current keys plus a new KSK); every model
  # here has a KSK ceremony stage (3 of the crypto officers).
  {
    local keys=() new
    mkdir -p "$WORK/ksk-$MODEL"
    "$ROOTGOV" zone keygen --algorithm ed25519 --ksk --dir "$WORK/ksk-$MODEL" >/dev/null || fail "zone keygen failed"
    new=$(awk '!/^;/{for(i=1;i<NF;i++) if($i=="DNSKEY"){s=$(i+1); for(j=i+2;j<=NF;j++) s=s" "$j; print s}}' "$WORK/ksk-$MODEL"/*.key)
    [ -n "$new" ] || fail "no DNSKEY in the new key file"
    while IFS= read -r l; do keys+=(--dnskey "$l"); done < <(awk '$1=="." && $4=="DNSKEY"{s=$5; for(i=6;i<=NF;i++) s=s" "$i; print s}' "$ZONE")
    local before=$((${#keys[@]} / 2))
    [ "$before" -ge 1 ] || fail "$MODEL: the zone has no DNSKEY set"
    submit_as "$admin" --kind root-update --target dnskey "${keys[@]}" --dnskey "$new"
    finish "root-update dnskey"
    fetch "$MODEL-dnskey"
    advanced "root-update dnskey"
    [ "$(rdata "$ZONE" . DNSKEY | wc -l)" = $((before + 1)) ] || fail "$MODEL: DNSKEY set: $(rdata "$ZONE" . DNSKEY)"
    rdata "$ZONE" . DNSKEY | grep -qF "$(tr '[:lower:]' '[:upper:]' <<<"${new##* }")" || fail "$MODEL: the new KSK is not published"
    pass "$MODEL: root-update dnskey published ($((before + 1)) keys)"
  }

  # contact-update: registry only; passes the policy and the log, the zone does not change.
  submit_as manager.fr --kind contact-update --tld fr --note "new tech contact"
  finish contact-update
  fetch "$MODEL-contact"
  [ "$SERIAL" = "$PREV" ] || fail "$MODEL: a contact-update changed the serial ($PREV -> $SERIAL)"
  pass "$MODEL: contact-update published"

  # Every request of this run is published.
  local n
  n=$(curl -fsS "$ROOTGOV_SERVER/v1/requests" | jq '[.requests[] | select(.state != "published")] | length')
  [ "$n" = 0 ] || fail "$MODEL: $n requests are not published"

  # Every accepted document's signature was checked ahead, on an I/O thread, not by the
  # authority executor (prepare_mutation -> Authority::preverify).
  local metrics ahead inline
  metrics=$(curl -fsS "$ROOTGOV_SERVER/metrics")
  ahead=$(awk '/^rootgov_signature_checks_total\{where="ahead"\}/{print $2}' <<<"$metrics")
  inline=$(awk '/^rootgov_signature_checks_total\{where="authority"\}/{print $2}' <<<"$metrics")
  [ "${ahead:-0}" -ge 10 ] || fail "$MODEL: only ${ahead:-0} signatures checked ahead: $(grep signature_checks <<<"$metrics")"
  [ "${inline:-0}" = 0 ] || fail "$MODEL: $inline signatures were checked on the authority executor"
  pass "$MODEL: $ahead document signatures checked off the authority executor"

  stop_daemon || fail "$MODEL: rootgovd did not exit 0 on SIGTERM"
  expect_exit 0 "$ROOTGOV" log verify "$state"
  pass "$MODEL: log verifies ($(tail -n 1 <<<"$OUT"))"
}

for m in $MODELS; do run_model "$m"; done
