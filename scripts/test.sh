#!/usr/bin/env bash
# Installs what is needed, builds rootgov, and runs the whole test suite: unit and
# integration tests on the warnings-as-errors build, then the unit tests again under
# AddressSanitizer + UndefinedBehaviorSanitizer. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${ROOTGOV_JOBS:-$(nproc)}

bash scripts/install-deps.sh

echo "== build (preset ci: RelWithDebInfo, -Werror)"
cmake --preset ci >/dev/null
cmake --build --preset ci -j "$jobs"

echo "== tests (unit + integration)"
ctest --preset ci -j "$jobs" --timeout 900

if [ "${ROOTGOV_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== build (preset asan-ubsan)"
  cmake --preset asan-ubsan >/dev/null
  cmake --build --preset asan-ubsan -j "$jobs"
  echo "== unit tests under ASan + UBSan"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --preset asan-ubsan -j "$jobs" -L unit --timeout 900
fi
echo "== all tests passed"
