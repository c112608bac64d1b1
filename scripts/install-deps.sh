#!/usr/bin/env bash
# Installs every build and test dependency of rootgov from Debian 12 packages.
# Idempotent: does nothing (and prints nothing) when all packages are present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libldns-dev libssl-dev nettle-dev
  libbotan-2-dev
  libboost1.81-dev libboost-json1.81-dev libboost-system1.81-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev libspdlog-dev libfmt-dev libtoml11-dev libjemalloc-dev
  ldnsutils bind9-utils bind9-dnsutils knot knot-dnsutils knot-dnssecutils nsd
  clang-format jq python3 python3-cryptography curl procps hyperfine time openssl valgrind
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts nsd/knot services on install; rootgov runs its own instances on loopback.
for svc in nsd knot; do
  if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl stop "$svc" >/dev/null 2>&1 || true; fi
done
echo "install-deps: done"
