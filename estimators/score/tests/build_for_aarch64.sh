#!/usr/bin/env bash
# The estimators compiled for aarch64 with Debian's cross compiler (CTest
# estimators_build_for_aarch64): every method's kernels, the SIMD layer of
# kernels/simd.hpp on NEON (a static_assert below: lanes of 2 doubles and 4
# floats, not the scalar fallback), the registry, the run-time instruction-set
# switch. Eigen and Boost are header-only, so the host's headers serve; only
# libtorch's module (autodiff_reverse.cpp) is left out. Compile only: there is
# no aarch64 machine or emulator here to run the result.
# Usage: build_for_aarch64.sh SOURCE_DIR
set -euo pipefail
src=$1
cxx=${SCOREBENCH_AARCH64_CXX:-aarch64-linux-gnu-g++}
if ! command -v "$cxx" >/dev/null; then
  echo "skipped: $cxx is not installed (Debian package g++-aarch64-linux-gnu; scripts/setup.sh)"
  exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/scorebench_aarch64.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Boost alone from the host's /usr/include: the rest of that folder is the
# host's C library.
mkdir "$tmp/include"
ln -s /usr/include/boost "$tmp/include/boost"
flags=(-std=c++17 -O1 -Wall -Wextra -Wpedantic -Wconversion -Werror -I "$src/estimators/score/include"
       -isystem /usr/include/eigen3 -isystem "$tmp/include" -DSCOREBENCH_ISA_LEVEL='"aarch64"')
cat >"$tmp/lanes.cpp" <<'CPP'
#include "scorebench/kernels/simd.hpp"
static_assert(scorebench::simd::lanes<double> == 2 && scorebench::simd::lanes<float> == 4,
              "the lane kernels run on NEON packets");
static_assert(!scorebench::simd::streams<double>, "no non-temporal packet stores off x86");
CPP
n=0
for f in "$tmp/lanes.cpp" "$src"/estimators/score/src/*.cpp "$src"/estimators/score/src/methods/*.cpp; do
  [[ $f == */autodiff_reverse.cpp ]] && continue
  echo "$cxx -c $f"
  "$cxx" "${flags[@]}" -c "$f" -o "$tmp/$n.o"
  n=$((n + 1))
done
file "$tmp/0.o" | grep -q "ARM aarch64" || { file "$tmp/0.o"; echo "not an aarch64 object" >&2; exit 1; }
echo "estimators: $n translation units compiled for aarch64"
