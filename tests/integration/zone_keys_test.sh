#!/usr/bin/env bash
# tests/integration/zone_keys_test.sh - `[dnssec] algorithm` in the config file chooses the zone
# keys of a new state: with ecdsap256sha256 the published zone carries algorithm-13 DNSKEYs and
# RRSIGs and verifies (ldns-verify-zone) after changes; a restart asking for another algorithm is
# refused with exit 2 naming the state's algorithm; a restart without the key resumes.
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq is needed"
command -v ldns-verify-zone >/dev/null || fail "ldns-verify-zone is needed"

STATE="$WORK/state"
printf '[dnssec]\nalgorithm = "ecdsap256sha256"\n' >"$WORK/ecdsa.toml"
printf '[dnssec]\nalgorithm = "ed25519"\n' >"$WORK/ed25519.toml"
printf '[dnssec]\nalgorithm = "rsasha1"\n' >"$WORK/bad.toml"
DS1="44444 13 2 4444444444444444444444444444444444444444444444444444444444444444"
DS2="55555 13 2 5555555555555555555555555555555555555555555555555555555555555555"

# An unknown algorithm stops the start (exit 2) and says what is accepted.
rc=0
timeout 30 "$ROOTGOVD" --state "$WORK/never" --config "$WORK/bad.toml" --http 127.0.0.1:0 --dns 127.0.0.1:0 \
  >"$WORK/bad.log" 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "dnssec.algorithm = rsasha1 exited $rc: $(cat "$WORK/bad.log")"
grep -q "ecdsap256sha256" "$WORK/bad.log" || fail "the error does not list the algorithms: $(cat "$WORK/bad.log")"
[ ! -e "$WORK/never/journal" ] || fail "a refused start created a journal"
pass "an unknown dnssec.algorithm is refused with exit 2"

start_daemon first --state "$STATE" --config "$WORK/ecdsa.toml" --clock simulated
K="$STATE/lab/keys"
"$ROOTGOV" zone fetch -o "$WORK/zone0" || fail "zone fetch failed"
[ "$(awk '$1=="." && $4=="DNSKEY" {print $7}' "$WORK/zone0" | sort -u)" = 13 ] ||
  fail "DNSKEY algorithms: $(awk '$1=="." && $4=="DNSKEY" {print $7}' "$WORK/zone0" | sort -u | tr '\n' ' ')"
pass "a new state with dnssec.algorithm = ecdsap256sha256 has algorithm-13 zone keys"

# Two changes in quick succession: the deferred signing must leave every set signed.
for pair in "br:$DS1" "de:$DS2"; do
  tld=${pair%%:*} ds=${pair#*:}
  ID=$("$ROOTGOV" submit --as "$K/manager.$tld.key" --kind ds-update --tld "$tld" --ds "$ds") || fail "submit failed: $ID"
  drive "$ID" "$K"
  [ "$DRIVE_STATE" = published ] || fail "$ID ended $DRIVE_STATE"
done
"$ROOTGOV" zone fetch -o "$WORK/zone1" || fail "zone fetch failed"
[ "$(rdata "$WORK/zone1" br. DS)" = "$DS1" ] || fail "DS of br: $(rdata "$WORK/zone1" br. DS)"
[ "$(rdata "$WORK/zone1" de. DS)" = "$DS2" ] || fail "DS of de: $(rdata "$WORK/zone1" de. DS)"
[ "$(awk '$1=="br." && $4=="RRSIG" && $5=="DS" {print $6}' "$WORK/zone1")" = 13 ] || fail "br. DS is not signed with algorithm 13"
verify_zone "$WORK/zone1" || fail "ldns-verify-zone rejects the ECDSA-signed zone: $(tail -n 5 <<<"$OUT")"
pass "two changes published, signed with ECDSAP256SHA256, and the zone verifies"
# The deferred re-signs and the stage timings are visible in the metrics.
M=$(curl -fsS "$ROOTGOV_SERVER/metrics") || fail "GET /metrics failed"
batches=$(awk '$1=="rootgov_zone_sign_batches_total" {print $2}' <<<"$M")
[ -n "$batches" ] && [ "$batches" -ge 1 ] && [ "$batches" -le 2 ] || fail "rootgov_zone_sign_batches_total is '$batches' after 2 changes"
for stage in prepare authority durable; do
  n=$(awk -v k="rootgov_http_stage_seconds_count{stage=\"$stage\"}" '$1==k {print $2}' <<<"$M")
  [ -n "$n" ] && [ "$n" -ge 10 ] || fail "stage $stage counted '$n' mutations (2 submissions + 8 ballots at least)"
done
pass "metrics: $batches deferred re-sign(s), every mutation timed at each stage"
stop_daemon || fail "rootgovd did not exit 0 on SIGTERM"

rc=0
timeout 30 "$ROOTGOVD" --state "$STATE" --config "$WORK/ed25519.toml" --http 127.0.0.1:0 --dns 127.0.0.1:0 \
  >"$WORK/other.log" 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "another dnssec.algorithm on an ECDSA state exited $rc: $(cat "$WORK/other.log")"
grep -q "ECDSAP256SHA256" "$WORK/other.log" || fail "the error does not name the state's algorithm: $(cat "$WORK/other.log")"
pass "another dnssec.algorithm on the state is refused with exit 2: $(grep -m1 -o "signs with [A-Z0-9]* zone keys" "$WORK/other.log")"

start_daemon second --state "$STATE"
"$ROOTGOV" zone fetch -o "$WORK/zone2" || fail "zone fetch failed"
[ "$(rdata "$WORK/zone2" de. DS)" = "$DS2" ] || fail "the change was lost across the restart"
[ "$(awk '$1=="." && $4=="DNSKEY" {print $7}' "$WORK/zone2" | sort -u)" = 13 ] || fail "the keys changed across the restart"
verify_zone "$WORK/zone2" || fail "ldns-verify-zone rejects the resumed zone: $(tail -n 5 <<<"$OUT")"
stop_daemon || fail "rootgovd did not exit 0 on SIGTERM"
expect_exit 0 "$ROOTGOV" log verify "$STATE"
pass "resumed without the key: same ECDSA keys, zone verifies, log verifies"
