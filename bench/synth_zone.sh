#!/usr/bin/env bash
# bench/synth_zone.sh N [ROOT_ZONE] - a root-like zone of N TLDs on stdout, without DNSSEC
# records: the real apex (SOA, NS, root-servers.net glue), then per TLD t%07x two NS (one
# in-bailiwick with A and AAAA glue, one shared out-of-zone host) and, for every second TLD, a
# DS record. Used by bench/sign/run.sh and bench/e2e/run.sh.
# GLUE=public (bench/e2e) numbers the glue from 11.0.0.0/8 and 2a00::/16 instead of 10.0.0.0/8
# and 2001:db8::/32: rootgovd's technical checks (as IANA's) refuse private-use and
# documentation glue in a change request; the signers do not care.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=$1
root=${2:-$here/../tests/data/root-2020090500.zone}
awk '$4 != "RRSIG" && $4 != "NSEC" && $4 != "DNSKEY" && $4 != "ZONEMD" && $4 != "NSEC3" && $4 != "NSEC3PARAM"' "$root" |
  awk '$1 == "." || $1 ~ /root-servers\.net\.$/'
if [ "${GLUE:-}" = public ]; then v4=11 v6=2a00; else v4=10 v6=2001:db8; fi
awk -v n="$n" -v v4="$v4" -v v6="$v6" 'BEGIN {
  for (i = 0; i < n; i++) {
    t = sprintf("t%07x", i);
    printf "%s.\t172800\tIN\tNS\tns1.nic.%s.\n", t, t;
    printf "%s.\t172800\tIN\tNS\tns.shared-dns.example.\n", t;
    if (i % 2 == 0) printf "%s.\t86400\tIN\tDS\t%d 8 2 %064X\n", t, i % 65536, i;
    printf "ns1.nic.%s.\t172800\tIN\tA\t%s.%d.%d.%d\n", t, v4, int(i / 65536) % 256, int(i / 256) % 256, i % 256;
    printf "ns1.nic.%s.\t172800\tIN\tAAAA\t%s::%x:%x\n", t, v6, int(i / 65536), i % 65536;
  }
}'
