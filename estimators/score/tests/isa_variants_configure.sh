#!/usr/bin/env bash
# A build configured with two instruction-set variants (CTest
# isa_variants_configure): the variants' list reaches isa.cpp as one
# definition and isa::variants() gives both levels back, lowest first. A
# ';'-separated list once split the compile command in two (ninja passes it
# to /bin/sh), so `-DSCOREBENCH_ISA_VARIANTS="x86-64-v3;x86-64-v4"`, the
# README's way to add a variant, did not build. Configures and compiles
# isa.cpp alone; builds no variant.
# Usage: isa_variants_configure.sh SOURCE_DIR CXX
set -euo pipefail
src=$1
cxx=$2
if [[ $(uname -m) != x86_64 ]]; then
  echo "skipped: the variants are x86-64 levels"
  exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/scorebench_isa_variants.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cmake -S "$src" -B "$tmp/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$cxx" \
  -DSCOREBENCH_ISA_VARIANTS="x86-64-v2;x86-64-v3" -DSCOREBENCH_BUILD_TESTS=OFF \
  -DSCOREBENCH_WITH_TORCH=OFF >"$tmp/configure.log" 2>&1 || { cat "$tmp/configure.log"; exit 1; }
object=estimators/score/CMakeFiles/scorebench_estimators.dir/src/isa.cpp.o
cmake --build "$tmp/build" --target "$object"
cat >"$tmp/main.cpp" <<'CPP'
#include <cstdio>
#include "scorebench/isa.hpp"
int main() {
  for (const std::string& v : scorebench::isa::variants()) std::printf("%s|", v.c_str());
  std::printf("\n");
}
CPP
"$cxx" -std=c++17 -I "$src/estimators/score/include" "$tmp/main.cpp" "$tmp/build/$object" -o "$tmp/variants"
got=$("$tmp/variants")
echo "isa::variants(): $got"
[[ $got == "x86-64-v2|x86-64-v3|" ]] || { echo "expected x86-64-v2|x86-64-v3|" >&2; exit 1; }
