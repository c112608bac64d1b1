#!/usr/bin/env bash
# tests/integration/signer_test.sh - rootgov zone sign/keygen on the real root zone, checked by
# ldns-verify-zone and dnssec-verify, for RSASHA256, ECDSAP256SHA256 and ED25519, with keys
# made by ldns-keygen and by rootgov zone keygen.
set -euo pipefail

ROOTGOV_BIN=${ROOTGOV_BIN:?set ROOTGOV_BIN to the build folder}
ROOTGOV_TEST_DATA=${ROOTGOV_TEST_DATA:?set ROOTGOV_TEST_DATA to tests/data}
rootgov=$ROOTGOV_BIN/cli/rootgov
zone=$ROOTGOV_TEST_DATA/root-2020090500.zone

for tool in ldns-keygen ldns-verify-zone dnssec-verify; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# The validity window must contain the time the verifiers run: now-1h .. now+30d.
now=$(date -u +%s)
inception=$((now - 3600))
expiration=$((now + 30 * 86400))

verify_both() {  # $1 = signed zone, $2 = label
  if ! ldns-verify-zone "$1" > "$work/ldns.log" 2>&1; then
    fail "ldns-verify-zone rejects $2"
    tail -5 "$work/ldns.log" >&2
  fi
  if ! dnssec-verify -q -o . "$1" > "$work/bind.log" 2>&1; then
    fail "dnssec-verify rejects $2"
    tail -5 "$work/bind.log" >&2
  fi
}

for alg in RSASHA256 ECDSAP256SHA256 ED25519; do
  # Keys from ldns-keygen; the input still carries the 2020 RRSIG/NSEC/DNSKEY, which the
  # signer must replace.
  kdir=$work/ldns-$alg
  mkdir -p "$kdir"
  bits=""
  [ "$alg" = RSASHA256 ] && bits="-b 2048"
  ksk=$(cd "$kdir" && ldns-keygen -a "$alg" $bits -k .)
  zsk=$(cd "$kdir" && ldns-keygen -a "$alg" $bits .)
  out=$work/signed-ldnskeys-$alg.zone
  "$rootgov" zone sign "$zone" -k "$kdir/$ksk" -k "$kdir/$zsk.key" -o "$out" \
    --inception "$inception" --expiration "$expiration" --now "$now" ||
    { fail "rootgov zone sign ($alg, ldns-keygen keys) exited $?"; continue; }
  grep -q "DNSKEY	257 3 $( [ $alg = RSASHA256 ] && echo 8 || ([ $alg = ED25519 ] && echo 15 || echo 13))" "$out" ||
    fail "$alg: the KSK is not in the signed zone"
  if grep -q "20200918050000" "$out"; then fail "$alg: old 2020 signatures survived"; fi
  verify_both "$out" "$alg with ldns-keygen keys"

  # Keys from rootgov zone keygen (smaller RSA keys keep the run short).
  rdir=$work/rootgov-$alg
  mkdir -p "$rdir"
  alg_lc=$(echo "$alg" | tr 'A-Z' 'a-z')
  rksk=$("$rootgov" zone keygen --algorithm "$alg_lc" --ksk --bits 1024 --dir "$rdir") || fail "keygen $alg ksk"
  rzsk=$("$rootgov" zone keygen --algorithm "$alg_lc" --bits 1024 --dir "$rdir") || fail "keygen $alg zsk"
  [ -f "$rksk.key" ] && [ -f "$rksk.private" ] || fail "keygen did not write $rksk.key/.private"
  out2=$work/signed-rootgovkeys-$alg.zone
  "$rootgov" zone sign "$zone" -k "$rksk" -k "$rzsk" -o "$out2" --threads 2 --zonemd ||
    { fail "rootgov zone sign ($alg, rootgov keys) exited $?"; continue; }
  grep -q "ZONEMD" "$out2" || fail "$alg: --zonemd wrote no ZONEMD"
  verify_both "$out2" "$alg with rootgov keygen keys and ZONEMD"
done

# rootgov keygen output is readable by ldns-signzone too.
kdir=$work/rootgov-ED25519
k1=$(ls "$kdir"/*.key | head -1)
if command -v ldns-signzone >/dev/null; then
  awk '$4 != "RRSIG" && $4 != "NSEC" && $4 != "DNSKEY"' "$zone" > "$work/unsigned.zone"
  ldns-signzone -o . -f "$work/ldns-signed.zone" "$work/unsigned.zone" "${k1%.key}" ||
    fail "ldns-signzone cannot use a key made by rootgov zone keygen"
fi

# Exit codes: usage errors are 2, unreadable files 3.
set +e
"$rootgov" zone sign "$zone" -o "$work/x.zone" >/dev/null 2>&1
[ $? -eq 2 ] || fail "missing -k should exit 2"
"$rootgov" zone sign "$work/no-such.zone" -k "${k1%.key}" -o "$work/x.zone" >/dev/null 2>&1
[ $? -eq 3 ] || fail "unreadable zone should exit 3"
printf 'garbage line\n' > "$work/bad.zone"
"$rootgov" zone sign "$work/bad.zone" -k "${k1%.key}" -o "$work/x.zone" >/dev/null 2>&1
[ $? -eq 2 ] || fail "unparsable zone should exit 2"
"$rootgov" zone keygen --algorithm rsasha1 --dir "$work" >/dev/null 2>&1
[ $? -eq 2 ] || fail "unsupported algorithm should exit 2"
set -e

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "signer integration: all checks passed"
