#!/usr/bin/env bash
# The throughput benchmark's load-batch driver (bench/e2e_bench) against a real rootgovd, briefly:
# 4 TLD-manager clients submit and confirm DS changes while the iana, ntia and verisign desks
# approve their queues with batch ballots, every mutation sent with `Prefer: return=minimal`
# (so the daemon answers each batch from the authority's state as the benchmark sees it). No
# change fails, every one is published, nothing is left awaiting, the published counter matches,
# and the log verifies offline. Keeps the benchmark driver from rotting between benchmark runs.
source "$(dirname "$0")/lib.sh"

DRIVER="$ROOTGOV_BIN/bench/e2e_bench"
if [ ! -x "$DRIVER" ]; then
  echo "ok - skipped: no $DRIVER (built with ROOTGOV_BUILD_BENCH=OFF)"
  exit 0
fi

# The TLDs of the embedded default zone (21), and a lab with a manager for each.
awk '$4 == "NS" && $1 ~ /^[a-z0-9-]+\.$/ {sub(/\.$/, "", $1); print $1}' \
  "$ROOTGOV_SOURCE_DIR/examples/default/root.zone" | sort -u >"$WORK/tlds"
[ "$(wc -l <"$WORK/tlds")" -ge 12 ] || fail "could not list the TLDs of the default zone"
"$DRIVER" lab "$WORK/lab" "$WORK/tlds" >/dev/null || fail "e2e_bench lab"

STATE="$WORK/state"
start_daemon load --state "$STATE" --actors "$WORK/lab/actors.toml" --clock simulated --model us-status-quo
metric() { awk -v k="$1" '$1 == k {sub(/\.0*$/, "", $2); print $2}' <<<"$2"; }
BEFORE=$(curl -fsS "$ROOTGOV_SERVER/metrics")

# 4 clients, 2 s, at most 300 changes; each client keeps at most 2 unfinished (5 TLDs each).
OUT=$(E2E_WINDOW=2 timeout 120 "$DRIVER" load-batch "$ROOTGOV_SERVER" "$WORK/lab/keys" "$WORK/tlds" 4 2 300 2>&1) ||
  fail "e2e_bench load-batch failed: $OUT"
RESULT=$(grep '^RESULT mode=batch' <<<"$OUT") || fail "no RESULT line: $OUT"
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$RESULT"; }
[ "$(field driver)" = loop ] || fail "the driver did not run on its event loop: $RESULT"
[ "$(field failures)" = 0 ] || fail "changes failed: $RESULT"
CHANGES=$(field changes)
[ "$CHANGES" -gt 0 ] || fail "no change was driven: $RESULT"
BATCHES=$(sed -n 's/^RESULT batch_size_n=\([0-9]*\) .*/\1/p' <<<"$OUT")
[ -n "$BATCHES" ] && [ "$BATCHES" -gt 0 ] || fail "iana sent no batch ballot: $OUT"
pass "load-batch drove $CHANGES changes with 4 clients and 3 desks, none failed"

PUBLISHED=$(curl -fsS "$ROOTGOV_SERVER/v1/requests?state=published" | jq -r .count)
[ "$PUBLISHED" = "$CHANGES" ] || fail "$CHANGES changes driven, $PUBLISHED published"
[ "$(curl -fsS "$ROOTGOV_SERVER/v1/requests?state=awaiting" | jq -r .count)" = 0 ] || fail "requests left awaiting"
AFTER=$(curl -fsS "$ROOTGOV_SERVER/metrics")
for type in submitted published; do
  EVENTS=$(metric "rootgov_events_total{type=\"$type\"}" "$AFTER")
  [ "$EVENTS" = "$CHANGES" ] || fail "the $type counter says '$EVENTS', not $CHANGES"
done
# Every entry the log gained during the load was counted once.
delta() { echo $(($(metric "$1" "$AFTER") - $(metric "$1" "$BEFORE"))); }  # a metric's growth over the load
GAINED=$(delta rootgov_log_size)
COUNTED=$(delta rootgov_log_entries_appended_total)
[ "$GAINED" -ge $((5 * CHANGES)) ] && [ "$COUNTED" = "$GAINED" ] ||
  fail "the log gained $GAINED entries for $CHANGES changes, the entry counter $COUNTED"
pass "every driven change is published; none awaits; the event and entry counters match the log"

# Group commit is observed: every round in both histograms, every acknowledged mutation in a
# round (a 2xx POST is one journal record), and no round without an entry behind it.
ROUNDS=$(delta rootgov_journal_flush_seconds_count)
[ "$ROUNDS" -gt 0 ] && [ "$ROUNDS" = "$(delta rootgov_journal_flush_records_count)" ] ||
  fail "journal rounds: $ROUNDS timed, $(delta rootgov_journal_flush_records_count) counted"
RECORDS=$(delta rootgov_journal_flush_records_sum)
posts_ok() {
  awk '$1 ~ /^rootgov_http_requests_total\{method="POST",/ && $1 ~ /status="2[0-9][0-9]"/ {n += $2} END {print n + 0}' <<<"$1"
}
POSTS=$(($(posts_ok "$AFTER") - $(posts_ok "$BEFORE")))
[ "$POSTS" -ge "$CHANGES" ] && [ "$RECORDS" -ge "$POSTS" ] && [ "$RECORDS" -le "$GAINED" ] && [ "$ROUNDS" -le "$RECORDS" ] ||
  fail "journal: $RECORDS records in $ROUNDS rounds for $POSTS acknowledged mutations and $GAINED entries"
pass "journal flushes observed: $RECORDS records in $ROUNDS rounds, $POSTS acknowledged mutations among them"

stop_daemon || fail "rootgovd did not stop cleanly"
"$ROOTGOV" log verify "$STATE" >"$WORK/verify.out" 2>&1 || fail "log verify: $(cat "$WORK/verify.out")"
pass "the log of the run verifies offline"
