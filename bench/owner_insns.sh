#!/usr/bin/env bash
# bench/owner_insns.sh - instructions the authority thread executes per decided change, counted
# by callgrind: a figure that does not move with the machine's load, for comparing two builds
# on a VM whose CPU time per change swings by 2x within an hour (docs/dev/NOTES.md).
#
#   bench/owner_insns.sh BUILD_DIR ZONE LABDIR TLDFILE [CHANGES=900]
#
# Runs BUILD_DIR/bench/owner_bench under `valgrind --tool=callgrind`, counting only inside the
# owner's calls (Authority::submit, ballot, ballots, sign_pending) and prints one RESULT line:
#   total   every instruction in those calls, per change
#   sha256  Botan's SHA-256 (the log's hash chain and Merkle leaves)
#   ecdsa   OpenSSL's ECDSA signing (zone signatures; the first sign_pending signs the zone)
#   rest    the difference: rootgov's own work and the libraries it calls besides those two
# Under callgrind SHA-256 and ECDSA run their generic code paths, not the SHA-NI and AVX2 ones
# a CPU takes, so their counts are far above their share of real time: compare `rest`.
# ZONE, LABDIR, TLDFILE as bench/e2e/run.sh makes them (e.g. $WORK/load1500/{zone,lab,tlds}).
# CHANGES = 900 takes about a minute; fewer than bench's snapshot interval, so no snapshot
# is written in the window.
set -euo pipefail
[ $# -ge 4 ] || { sed -n '2,18p' "$0" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
build=$1 zone=$2 lab=$3 tlds=$4 changes=${5:-900}
command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null ||
  { echo "owner_insns.sh: needs valgrind (apt-get install -y valgrind)" >&2; exit 2; }
work=$(mktemp -d /tmp/rootgov-owner-insns.XXXXXX)
trap 'rm -rf "$work"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" --collect-atstart=no \
  --toggle-collect='rootgov::authority::Authority::submit(*' \
  --toggle-collect='rootgov::authority::Authority::ballot(*' \
  --toggle-collect='rootgov::authority::Authority::ballots(*' \
  --toggle-collect='rootgov::authority::Authority::sign_pending(*' \
  "$build/bench/owner_bench" "$zone" "$lab" "$tlds" "$changes" 9 "$work/state" >/dev/null 2>"$work/valgrind.log" ||
  { cat "$work/valgrind.log" >&2; exit 1; }
echo "RESULT changes=$changes $("$here/callgrind_split.sh" "$work/cg.out" "$changes" \
  sha256="Botan::SHA_256::compress_n" ecdsa="???:EVP_PKEY_sign ")"
