#!/usr/bin/env bash
# tests/integration/crash_test.sh - nothing acknowledged is lost on kill -9 (DESIGN.md section 6).
# Four concurrent clients submit ds-updates for their own TLDs and approve them through, each
# recording every request id whose submit exited 0, every ballot that exited 0 and every request
# it saw published. rootgovd is killed with SIGKILL while they run, then restarted on the same
# state: every acknowledged request and ballot is there, every request seen published is still
# published and the zone carries the DS of the last published request of each TLD; the zone
# validates, and after a clean stop the log verifies. Snapshots are taken every 40 entries while
# the clients run, so the kill may land while one is written; the restart resumes from the last
# complete one. The scenario runs twice: snapshots written by a forked child ([snapshots]
# fork_tlds = 0), then encoded by the authority thread and written by a thread (the default for
# a small zone).
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq is needed"

scenario() {
  MODE=$1 FORK_TLDS=$2
  W="$WORK/$MODE"
  mkdir -p "$W"
  STATE="$W/state"
  CLIENTS=4
  printf '[snapshots]\nevery = 40\nfork = true\nfork_tlds = %s\n' "$FORK_TLDS" >"$W/rootgovd.toml"
  start_daemon "$MODE-before" --state "$STATE" --clock simulated --config "$W/rootgovd.toml"
  K="$STATE/lab/keys"
  mapfile -t TLDS < <(curl -fsS "$ROOTGOV_SERVER/v1/actors" | jq -r '.actors[].manages[]' | sort)
  [ "${#TLDS[@]}" -ge 8 ] || fail "only ${#TLDS[@]} managed TLDs in the lab"

  # client C TLD... : loops over its TLDs: submit a ds-update with a DS unique to the request, then
  # approve as the awaited actors until it is published. Stops at the first failing command (the
  # daemon is gone) and records its exit code; bounded at 500 requests.
  client() {
    local c=$1; shift
    local n=0 tld id st state actor rc tag ds
    while [ $n -lt 500 ]; do
      for tld in "$@"; do
        n=$((n + 1))
        tag=$((c * 1000 + n))
        ds="$tag 13 2 $(printf '%064X' "$tag")"
        id=$("$ROOTGOV" submit --timeout 10 --as "$K/manager.$tld.key" --kind ds-update --tld "$tld" --ds "$ds" 2>>"$W/client$c.err") ||
          { rc=$?; echo "submit $rc" >>"$W/client$c.exit"; return 0; }
        echo "$id|$tld|$ds" >>"$W/submitted.$c"
        for _ in $(seq 1 20); do
          st=$("$ROOTGOV" status --timeout 10 "$id" --json 2>>"$W/client$c.err") ||
            { rc=$?; echo "status $rc" >>"$W/client$c.exit"; return 0; }
          state=$(jq -r .state <<<"$st")
          if [ "$state" = published ]; then
            echo "$id" >>"$W/published.$c"
            break
          fi
          if [ "$state" != awaiting ]; then
            echo "state $id $state" >>"$W/client$c.exit"
            return 0
          fi
          actor=$(jq -r '.awaiting[0]' <<<"$st")
          "$ROOTGOV" approve --timeout 10 "$id" --as "$K/$actor.key" >/dev/null 2>>"$W/client$c.err" ||
            { rc=$?; echo "approve $rc" >>"$W/client$c.exit"; return 0; }
          echo "$id|$actor" >>"$W/ballots.$c"
        done
      done
    done
    echo "done 0" >>"$W/client$c.exit"
  }

  CPIDS=()
  for c in $(seq 0 $((CLIENTS - 1))); do
    mine=()
    for i in "${!TLDS[@]}"; do [ $((i % CLIENTS)) = "$c" ] && mine+=("${TLDS[$i]}"); done
    : >"$W/submitted.$c"
    : >"$W/ballots.$c"
    : >"$W/published.$c"
    client "$c" "${mine[@]}" &
    CPIDS+=($!)
    PIDS+=($!)
  done

  # Let them work until a few requests are published (at most 30 s), then a little longer, so
  # the kill lands in the middle of the traffic.
  for _ in $(seq 1 300); do
    [ "$(cat "$W"/published.* | wc -l)" -ge 6 ] && break
    sleep 0.1
  done
  sleep 1.5
  FORKED=$(curl -fsS "$ROOTGOV_SERVER/metrics" | awk -v m="rootgov_snapshots_total{written=\"$MODE\"}" '$1==m {print $2}')
  { kill -9 "$DAEMON_PID" && wait "$DAEMON_PID"; } 2>/dev/null || true
  for p in "${CPIDS[@]}"; do wait "$p" || true; done

  SUBMITTED=$(cat "$W"/submitted.* | wc -l)
  BALLOTS=$(cat "$W"/ballots.* | wc -l)
  PUBLISHED=$(cat "$W"/published.* | wc -l)
  [ "$PUBLISHED" -ge 1 ] || fail "no request reached published before the kill ($SUBMITTED submitted)"
  for c in $(seq 0 $((CLIENTS - 1))); do
    # Each client stops because the daemon went away: exit 3 (cannot reach rootgovd), not a refusal.
    grep -Eq '^(submit|status|approve) 3$' "$W/client$c.exit" ||
      fail "client $c stopped with '$(cat "$W/client$c.exit")': $(tail -n 3 "$W/client$c.err")"
  done
  pass "killed rootgovd under load: $SUBMITTED requests, $BALLOTS ballots acknowledged, $PUBLISHED seen published"
  [ "${FORKED:-0}" -ge 1 ] || fail "no snapshot was written ($MODE) before the kill (metric: '${FORKED:-}')"
  [ -f "$STATE/snapshot" ] || fail "no snapshot file after $FORKED snapshots ($MODE)"

  start_daemon "$MODE-after" --state "$STATE" --config "$W/rootgovd.toml"
  grep -q "from the snapshot" "$WORK/$MODE-after.log" || fail "the restart did not resume from the snapshot: $(head -n 5 "$WORK/$MODE-after.log")"
  curl -fsS "$ROOTGOV_SERVER/v1/requests" >"$W/requests.json" || fail "GET /v1/requests failed"
  jq -c '.requests[] | {key: .id, value: {state, tld, ballots: [.ballots[].actor]}}' "$W/requests.json" |
    jq -s 'from_entries' >"$W/byid.json"

  lost=$(cat "$W"/submitted.* | cut -d'|' -f1 | jq -R . | jq -s --slurpfile m "$W/byid.json" \
    '[.[] | select($m[0][.] == null)]')
  [ "$lost" = "[]" ] || fail "acknowledged requests lost: $lost"
  pass "all $SUBMITTED acknowledged requests are there (resumed from a snapshot; $FORKED written, $MODE)"

  lost=$(cat "$W"/ballots.* | jq -R 'split("|")' | jq -s --slurpfile m "$W/byid.json" \
    '[.[] as $b | select((($m[0][$b[0]].ballots // []) | index($b[1])) == null) | $b]')
  [ "$lost" = "[]" ] || fail "acknowledged ballots lost: $lost"
  pass "all $BALLOTS acknowledged ballots are there"

  lost=$(cat "$W"/published.* | jq -R . | jq -s --slurpfile m "$W/byid.json" \
    '[.[] | select($m[0][.].state != "published")]')
  [ "$lost" = "[]" ] || fail "requests seen published are not published after the restart: $lost"
  pass "all $PUBLISHED requests seen published are still published"

  "$ROOTGOV" zone fetch -o "$W/zone" || fail "zone fetch failed"
  verify_zone "$W/zone" || fail "ldns-verify-zone: $(tail -n 5 <<<"$OUT")"
  # Per TLD, the DS in the zone is that of the last submitted request of the TLD that is published
  # (each client submits a TLD's requests one after the other).
  checked=0
  for c in $(seq 0 $((CLIENTS - 1))); do
    declare -A last=()
    while IFS='|' read -r id tld ds; do
      [ "$(jq -r --arg id "$id" '.[$id].state' "$W/byid.json")" = published ] && last[$tld]=$ds
    done <"$W/submitted.$c"
    for tld in "${!last[@]}"; do
      got=$(rdata "$W/zone" "$tld." DS)
      [ "$got" = "${last[$tld]}" ] || fail "DS of $tld in the zone is '$got', expected '${last[$tld]}'"
      checked=$((checked + 1))
    done
    unset last
  done
  [ "$checked" -ge 1 ] || fail "no TLD to check"
  pass "the zone validates and carries the last published DS of $checked TLDs"

  stop_daemon || fail "rootgovd did not exit 0 on SIGTERM after the restart"
  expect_exit 0 "$ROOTGOV" log verify "$STATE"
  pass "log verifies after the crash ($MODE)"
}

scenario forked 0
scenario thread 1000000
