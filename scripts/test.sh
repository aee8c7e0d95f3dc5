#!/usr/bin/env bash
# The whole test suite: set-up, build, ctest. With --asan, the same suite
# under AddressSanitizer + UndefinedBehaviorSanitizer.
# Usage: scripts/test.sh [--asan]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=release
if [[ "${1:-}" == "--asan" ]]; then preset=asan; fi
bash scripts/build.sh "$preset"
ctest --preset "$preset" -j2
