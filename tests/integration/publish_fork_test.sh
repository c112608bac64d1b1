#!/usr/bin/env bash
# tests/integration/publish_fork_test.sh - with `[publish] fork_tlds = 0` every zone-file version
# is rendered by a forked child from the daemon's copy-on-write image (the mode rootgovd uses from
# 20,000 TLDs on): after several changes the file on disk catches up with the served zone, is
# byte for byte what GET /v1/zone serves, verifies (ldns-verify-zone), no child or temporary file
# is left behind, and SIGTERM still drains to exit 0.
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq is needed"
command -v ldns-verify-zone >/dev/null || fail "ldns-verify-zone is needed"

STATE="$WORK/state"
printf '[publish]\nfork_tlds = 0\n' >"$WORK/fork.toml"

metric() { curl -fsS "$ROOTGOV_SERVER/metrics" | awk -v k="$1" '$1==k {print $2}'; }

start_daemon first --state "$STATE" --config "$WORK/fork.toml" --clock simulated
K="$STATE/lab/keys"
n=0
for tld in br de fr; do
  n=$((n + 1))
  ds="$n$n$n$n$n 13 2 $(printf '%064d' "$n")"
  ID=$("$ROOTGOV" submit --as "$K/manager.$tld.key" --kind ds-update --tld "$tld" --ds "$ds") || fail "submit failed: $ID"
  drive "$ID" "$K"
  [ "$DRIVE_STATE" = published ] || fail "$ID ended $DRIVE_STATE"
done
serial=""
for _ in $(seq 1 100); do
  serial=$(metric rootgov_zone_serial)
  [ -n "$serial" ] && [ "$(metric rootgov_zone_file_serial)" = "$serial" ] && break
  sleep 0.1
done
[ "$(metric rootgov_zone_file_serial)" = "$serial" ] || fail "the zone file stayed at serial $(metric rootgov_zone_file_serial), the zone is at $serial"
forks=$(metric rootgov_zone_file_forks_total)
[ -n "$forks" ] && [ "$forks" -ge 1 ] || fail "no zone-file version was rendered by a child (forks: '$forks')"
[ -z "$(metric rootgov_zone_file_errors_total)" ] || fail "zone-file errors: $(metric rootgov_zone_file_errors_total)"
curl -fsS "$ROOTGOV_SERVER/v1/zone" -o "$WORK/served.zone" || fail "GET /v1/zone failed"
cmp -s "$WORK/served.zone" "$STATE/root.zone" || fail "the zone file differs from the served zone at serial $serial"
[ "$(rdata "$STATE/root.zone" fr. DS)" = "33333 13 2 $(printf '%064d' 3)" ] || fail "DS of fr in the file: $(rdata "$STATE/root.zone" fr. DS)"
verify_zone "$STATE/root.zone" || fail "ldns-verify-zone rejects the forked file: $(tail -n 5 <<<"$OUT")"
[ ! -e "$STATE/root.zone.tmp" ] || fail "a temporary zone file was left behind"
[ -z "$(pgrep -P "$DAEMON_PID" || true)" ] || fail "rootgovd has child processes left: $(pgrep -P "$DAEMON_PID" | tr '\n' ' ')"
pass "3 changes: $forks version(s) rendered by a child, the file equals GET /v1/zone at serial $serial and verifies"

stop_daemon || fail "rootgovd did not exit 0 on SIGTERM"
grep -q drained "$WORK/first.log" || fail "no drain logged on SIGTERM"
start_daemon second --state "$STATE" --config "$WORK/fork.toml"
curl -fsS "$ROOTGOV_SERVER/v1/zone" -o "$WORK/resumed.zone" || fail "GET /v1/zone failed"
cmp -s "$WORK/resumed.zone" "$STATE/root.zone" || fail "after the restart the file differs from the served zone"
stop_daemon || fail "rootgovd did not exit 0 on SIGTERM"
expect_exit 0 "$ROOTGOV" log verify "$STATE"
pass "clean stop, resumed zone equals the file, log verifies"
