#!/usr/bin/env bash
# bench/sign/run.sh - sign the same zones with rootgov, ldns-signzone, dnssec-signzone and
# kzonesign using the same keys; interleaved rounds; medians of wall time and peak RSS.
#
# Usage: bench/sign/run.sh [ROOTGOV_BINARY]
# Environment:
#   ROOTGOV      rootgov binary (default: $ROOTGOV_BIN/cli/rootgov, else build/cli/rootgov)
#   ROUNDS       rounds on the real root zone (default 5; 0 skips it)
#   ROOT_ALGS    algorithms for the real root zone (default "RSASHA256 ECDSAP256SHA256 ED25519")
#   SYNTH        synthetic zone sizes in TLDs (default "100000 1000000"; "" to skip)
#   SYNTH_ROUNDS rounds on synthetic zones (default 1)
#   ALGS_<N>     algorithms for the synthetic zone of N TLDs (defaults: all three for
#                100000, ED25519 only for 1000000 - each peer takes minutes there)
#   WORK         scratch folder (default /tmp/rootgov-bench-sign)
#   VERIFY       1 (default) = check every signer's output once with ldns-verify-zone, except
#                on the 1M-TLD zone (minutes per output, single-threaded); all = there too
# Output: a table per zone on stdout, raw runs in $WORK/runs.tsv. Wall time is taken with
# bash's $EPOCHREALTIME around /usr/bin/time (1 us resolution; includes /usr/bin/time's own
# fork and exec, the same for every signer); peak RSS from /usr/bin/time's %M.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
ROOTGOV=${1:-${ROOTGOV:-${ROOTGOV_BIN:+$ROOTGOV_BIN/cli/rootgov}}}
ROOTGOV=${ROOTGOV:-$src/build/cli/rootgov}
ROUNDS=${ROUNDS:-5}
ROOT_ALGS=${ROOT_ALGS:-RSASHA256 ECDSAP256SHA256 ED25519}
SYNTH=${SYNTH-100000 1000000}
SYNTH_ROUNDS=${SYNTH_ROUNDS:-1}
ALGS_100000=${ALGS_100000:-RSASHA256 ECDSAP256SHA256 ED25519}
ALGS_1000000=${ALGS_1000000:-ED25519}
WORK=${WORK:-/tmp/rootgov-bench-sign}
VERIFY=${VERIFY:-1}
ROOT_ZONE=${ROOT_ZONE:-$src/tests/data/root-2020090500.zone}

for tool in ldns-keygen ldns-signzone ldns-verify-zone dnssec-signzone kzonesign keymgr /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done
[ -x "$ROOTGOV" ] || { echo "no rootgov binary at $ROOTGOV" >&2; exit 2; }

rm -rf "$WORK"
mkdir -p "$WORK"
runs=$WORK/runs.tsv
: > "$runs"

strip_dnssec() {  # the zone without RRSIG, NSEC, DNSKEY, ZONEMD
  awk '$4 != "RRSIG" && $4 != "NSEC" && $4 != "DNSKEY" && $4 != "ZONEMD" && $4 != "NSEC3" && $4 != "NSEC3PARAM"' "$1"
}

# A root-like zone of N TLDs (bench/synth_zone.sh, shared with bench/e2e/run.sh).
synth_zone() { "$here/../synth_zone.sh" "$1" "$ROOT_ZONE"; }

make_keys() {  # $1 = algorithm, $2 = dir; writes $2/ksk and $2/zsk (file prefixes)
  local bits=""
  [ "$1" = RSASHA256 ] && bits="-b 2048"
  mkdir -p "$2"
  (cd "$2" && ldns-keygen -a "$1" $bits -k . > ksk && ldns-keygen -a "$1" $bits . > zsk && rm -f ./*.ds)
}

knot_setup() {  # $1 = algorithm, $2 = keydir, $3 = zone file, $4 = knot dir
  local alg
  alg=$(echo "$1" | tr 'A-Z' 'a-z')
  mkdir -p "$4/run" "$4/db" "$4/out"
  cat > "$4/knot.conf" <<EOF
server:
    rundir: "$4/run"
database:
    storage: "$4/db"
policy:
  - id: bench
    manual: on
    signing-threads: 2
    nsec3: off
    algorithm: $alg
zone:
  - domain: .
    file: $3
    dnssec-signing: on
    dnssec-policy: bench
    zonefile-load: whole
    journal-content: none
    adjust-threads: 2
EOF
  keymgr -c "$4/knot.conf" . import-bind "$2/$(cat "$2/ksk").private" >/dev/null
  keymgr -c "$4/knot.conf" . import-bind "$2/$(cat "$2/zsk").private" >/dev/null
}

# run LABEL ZONE ALG TOOL OUT CMD... ; appends "label alg tool seconds kb" to runs.tsv
run() {
  local label=$1 alg=$2 tool=$3 out=$4
  shift 4
  rm -f "$out"
  local t0=$EPOCHREALTIME
  /usr/bin/time -o "$WORK/time.txt" -f "%M" "$@" >/dev/null 2>"$WORK/stderr.txt" ||
    { echo "$tool failed for $label $alg:" >&2; cat "$WORK/stderr.txt" >&2; exit 1; }
  local t1=$EPOCHREALTIME kb wall
  kb=$(tail -1 "$WORK/time.txt")
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
  [ -s "$out" ] || { echo "$tool produced no output for $label $alg" >&2; exit 1; }
  printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$alg" "$tool" "$wall" "$kb" >> "$runs"
}

bench_zone() {  # $1 = label, $2 = unsigned zone, $3 = rounds, $4.. = algorithms
  local label=$1 uz=$2 rounds=$3
  shift 3
  for alg in "$@"; do
    local d=$WORK/$label/$alg
    make_keys "$alg" "$d/keys"
    local k=$d/keys ksk zsk
    ksk=$(cat "$k/ksk")
    zsk=$(cat "$k/zsk")
    cat "$uz" "$k/$ksk.key" "$k/$zsk.key" > "$d/uzk.zone"
    knot_setup "$alg" "$k" "$uz" "$d/knot"
    for r in $(seq 1 "$rounds"); do
      run "$label" "$alg" rootgov "$d/rootgov.zone" \
        "$ROOTGOV" zone sign "$uz" -k "$k/$ksk" -k "$k/$zsk" -o "$d/rootgov.zone"
      run "$label" "$alg" ldns-signzone "$d/ldns.zone" \
        ldns-signzone -o . -f "$d/ldns.zone" "$uz" "$k/$ksk" "$k/$zsk"
      run "$label" "$alg" "dnssec-signzone -n 2" "$d/bind.zone" \
        dnssec-signzone -q -P -n 2 -o . -K "$k" -f "$d/bind.zone" "$d/uzk.zone"
      rm -rf "$d/knot/out" && mkdir -p "$d/knot/out"
      run "$label" "$alg" "kzonesign (2 threads)" "$d/knot/out/$(basename "$uz")" \
        kzonesign -c "$d/knot/knot.conf" -o "$d/knot/out" .
    done
    if [ "$VERIFY" = all ] || { [ "$VERIFY" = 1 ] && [ "$label" != synth1000000 ]; }; then
      for f in "$d/rootgov.zone" "$d/ldns.zone" "$d/bind.zone" "$d/knot/out/$(basename "$uz")"; do
        ldns-verify-zone "$f" >/dev/null 2>&1 || { echo "ldns-verify-zone rejects $f" >&2; exit 1; }
      done
    fi
    rm -f "$d"/*.zone "$d"/knot/out/*
  done
}

# Root zone (ROUNDS=0 skips it).
if [ "$ROUNDS" -gt 0 ]; then
  strip_dnssec "$ROOT_ZONE" > "$WORK/root.zone"
  # shellcheck disable=SC2086
  bench_zone root "$WORK/root.zone" "$ROUNDS" $ROOT_ALGS
fi

for n in $SYNTH; do
  synth_zone "$n" > "$WORK/synth$n.zone"
  var=ALGS_$n
  # shellcheck disable=SC2086
  bench_zone "synth$n" "$WORK/synth$n.zone" "$SYNTH_ROUNDS" ${!var:-ED25519}
  rm -f "$WORK/synth$n.zone"
done

# Medians per zone, algorithm and tool.
python3 - "$runs" <<'EOF'
import collections, statistics, sys
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    label, alg, tool, sec, kb = line.rstrip("\n").split("\t")
    rows.setdefault((label, alg), collections.OrderedDict()).setdefault(tool, []).append((float(sec), int(kb)))
for (label, alg), tools in rows.items():
    n = len(next(iter(tools.values())))
    print(f"\n{label} {alg} ({n} run{'s' if n > 1 else ''} each, medians)\n")
    print("| signer | wall s | peak RSS MB | vs fastest peer |")
    print("|---|---|---|---|")
    med = {t: (statistics.median(s for s, _ in v), statistics.median(k for _, k in v)) for t, v in tools.items()}
    peers = [m[0] for t, m in med.items() if t != "rootgov"]
    best = min(peers) if peers else float("nan")
    for t, (s, k) in med.items():
        print(f"| {t} | {s:.3f} | {k / 1024:.1f} | {s / best:.2f}x |")
EOF
