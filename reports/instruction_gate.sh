#!/usr/bin/env bash
# The instruction-count performance gate: runs a quick subset of score kernels
# a fixed number of times under callgrind (scorebench_instruction_driver),
# then compares the instructions per call with the committed baseline
# reports/baselines/instructions.json (`scorebench compare --metric
# instructions`). Instruction counts are deterministic, so the gate does not
# flake on a busy machine. Exit 0 no regression, 1 regression, 2 cannot run.
#
# Usage: reports/instruction_gate.sh [--update] [--build DIR] [--out DIR] [--threshold PCT]
#   --update       write the new counts to the baseline instead of comparing
#                  (a deliberate step: review `git diff` and commit it)
#   --build DIR    the CMake build folder (default build/release)
#   --out DIR      where instructions.json/.md/.xml go (default out/instructions)
#   --threshold    percent of extra instructions that fails the gate (default 1)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/release
out=$root/out/instructions
threshold=1
update=0
while (($#)); do
  case $1 in
    --update) update=1 ;;
    --build) build=$2; shift ;;
    --out) out=$2; shift ;;
    --threshold) threshold=$2; shift ;;
    *) echo "instruction_gate: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
driver=$build/benchmarks/scorebench_instruction_driver
# The baseline counts are those of the x86-64-v3 variant (cmake/isa_variants.cmake),
# which this machine runs: its driver, where the build has it. (Under
# valgrind a baseline executable could not switch to its variant itself.)
if [[ -x $build/isa/x86-64-v3/benchmarks/scorebench_instruction_driver ]]; then
  driver=$build/isa/x86-64-v3/benchmarks/scorebench_instruction_driver
fi
scorebench=$build/cli/scorebench
baseline=$root/reports/baselines/instructions.json
iterations=20

if ! command -v valgrind >/dev/null; then
  echo "instruction_gate: valgrind is not installed (Debian package valgrind)" >&2
  exit 2
fi
for exe in "$driver" "$scorebench"; do
  if [[ ! -x $exe ]]; then
    echo "instruction_gate: $exe not built (cmake --build --preset release)" >&2
    exit 2
  fi
done
mkdir -p "$out"
dumps=$(mktemp -d)
trap 'rm -rf "$dumps"' EXIT

if ! valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$dumps/callgrind.out.%p" \
  "$driver" --iterations "$iterations" >"$out/callgrind.log" 2>&1; then
  echo "instruction_gate: the driver failed under callgrind:" >&2
  tail -20 "$out/callgrind.log" >&2
  exit 2
fi
"$driver" --collect "$dumps" --iterations "$iterations" --out "$out/instructions.json" \
  --valgrind-version "$(valgrind --version)"

if ((update)); then
  cp "$out/instructions.json" "$baseline"
  echo "instruction_gate: baseline $baseline updated; review it with git diff and commit it"
  exit 0
fi
if [[ ! -f $baseline ]]; then
  echo "instruction_gate: no baseline $baseline (create it with --update)" >&2
  exit 2
fi
status=0
"$scorebench" compare "$baseline" "$out/instructions.json" --metric instructions --threshold "$threshold" \
  --markdown "$out/instructions.md" --junit "$out/instructions.xml" || status=$?
echo "instruction_gate: exit $status; table in $out/instructions.md, JUnit in $out/instructions.xml"
exit $status
