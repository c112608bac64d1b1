#!/usr/bin/env bash
# bench/daemon_insns.sh - instructions the whole rootgovd (every thread) executes per decided
# change under the throughput workload, counted by callgrind: a figure that stays put on a VM
# whose CPU time per change swings by 2x within the hour (docs/dev/NOTES.md), so two builds can
# be compared by one run each. bench/owner_insns.sh counts the authority thread's calls alone.
#
#   bench/daemon_insns.sh BUILD_DIR [CHANGES=600]
#   CG_OUT=FILE bench/daemon_insns.sh ...   also keeps the callgrind profile in FILE
#
# Starts BUILD_DIR/daemon/rootgovd under `valgrind --tool=callgrind` on a synthetic 1,500-TLD
# zone (ECDSA P-256 zone keys, as bench/e2e/run.sh's throughput runs), with counting off while
# it starts; turns counting on, drives CHANGES decided changes through it with
# `e2e_bench load-batch` (16 clients, batch desks, over loopback), turns counting off, stops the
# daemon, and prints one RESULT line with instructions per change:
#   total   every thread of the daemon
#   ed25519 Botan's Ed25519 verification (the documents' signatures, on the I/O threads)
#   ecdsa   OpenSSL's ECDSA signing (zone signatures)
#   rest    the difference: HTTP, JSON, the authority, the journal, and the libraries they call
# Zone-file renders are not counted (see the config below), nor snapshots: 600 changes make
# ~3,800 log entries, fewer than the 10,000 between two snapshots.
# Under valgrind OpenSSL's ECDSA and Botan's SHA-256 take generic code paths, not the AVX2 and
# SHA-NI ones a CPU takes, so their counts say little about their time: compare `rest`.
# Threads run one at a time under valgrind, so group commit batches differ from a real run;
# the figure counts work, not waiting. 600 changes take about a minute. Loopback only; the
# daemon is stopped at the end whatever happens.
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,24p' "$0" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
changes=${2:-600}
for tool in valgrind callgrind_control callgrind_annotate curl python3; do
  command -v "$tool" >/dev/null || { echo "daemon_insns.sh: needs $tool (scripts/install-deps.sh)" >&2; exit 2; }
done
for f in "$build/daemon/rootgovd" "$build/bench/e2e_bench"; do
  [ -x "$f" ] || { echo "daemon_insns.sh: missing $f (build it first)" >&2; exit 2; }
done

work=$(mktemp -d /tmp/rootgov-daemon-insns.XXXXXX)
dpid=
cleanup() {
  if [ -n "$dpid" ]; then kill "$dpid" 2>/dev/null || true; wait "$dpid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

GLUE=public "$here/synth_zone.sh" 1500 >"$work/zone"
awk 'BEGIN { for (i = 0; i < 1600; i++) printf "t%07x\n", i }' >"$work/tlds"
"$build/bench/e2e_bench" lab "$work/lab" "$work/tlds" >/dev/null
# Zone-file renders are paced by time (one a second at most): under valgrind a second holds ~40
# times fewer changes than a real run, so they are left out (one render at start, not counted).
printf '[dnssec]\nalgorithm = "ecdsap256sha256"\n[publish]\ninterval_ms = 3600000\n' >"$work/rootgovd.toml"

valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/cg.out" \
  "$build/daemon/rootgovd" --state "$work/state" --config "$work/rootgovd.toml" --zone "$work/zone" \
  --actors "$work/lab/actors.toml" --clock simulated --http 127.0.0.1:0 --http-port-file "$work/port" \
  --dns "127.0.0.1:$(free_port)" --log-level warn >"$work/daemon.log" 2>&1 &
dpid=$!
url=
for _ in $(seq 1 3000); do  # up to 5 minutes: the zone is signed at start, slowly under valgrind
  if [ -s "$work/port" ] && curl -fsS "http://127.0.0.1:$(cat "$work/port")/v1/health" >/dev/null 2>&1; then
    url="http://127.0.0.1:$(cat "$work/port")"
    break
  fi
  kill -0 "$dpid" 2>/dev/null || { echo "daemon_insns.sh: rootgovd exited:" >&2; cat "$work/daemon.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "daemon_insns.sh: rootgovd did not answer within 5 minutes" >&2; exit 1; }

callgrind_control -i on "$dpid" >/dev/null 2>&1
out=$(timeout 1800 "$build/bench/e2e_bench" load-batch "$url" "$work/lab/keys" "$work/tlds" 16 1500 "$changes")
callgrind_control -i off "$dpid" >/dev/null 2>&1
kill -TERM "$dpid"
wait "$dpid" || true
dpid=
done_changes=$(sed -n 's/.* changes=\([0-9]*\) .*/\1/p' <<<"$out" | head -1)
if [ -z "$done_changes" ] || [ "$done_changes" -eq 0 ]; then
  echo "daemon_insns.sh: no changes decided: $out" >&2
  exit 1
fi

[ -z "${CG_OUT:-}" ] || cp "$work/cg.out" "$CG_OUT"
echo "RESULT changes=$done_changes $("$here/callgrind_split.sh" "$work/cg.out" "$done_changes" \
  ed25519="Botan::ed25519_verify" ecdsa="???:EVP_PKEY_sign ")"
