#!/usr/bin/env bash
# Builds the libFuzzer targets (preset fuzz: clang++-14, ASan + UBSan) and
# runs each for SECONDS (default 60), two at a time, on a copy of its
# committed corpus fuzz/corpus/<target>/. Prints the executions per target;
# exits non-zero on any crash (an uncaught exception, a sanitizer report, a
# timeout or an out-of-memory), leaving the input under build/fuzz/artifacts/.
# Usage: fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
bash scripts/setup.sh
start=$(date +%s)
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
echo "fuzz: build took $(($(date +%s) - start)) s"

artifacts=build/fuzz/artifacts
mkdir -p "$artifacts"
targets=(eval_case_reader benchmark_run_reader verify_reader compare_reader external_protocol_reader
  case_set_reader)

# One target for SECONDS; its verdict to build/fuzz/<target>.verdict.
fuzz_one() {
  local target=$1
  # New inputs go to a scratch copy: the committed corpus only changes by hand.
  local work
  work=$(mktemp -d)
  cp fuzz/corpus/"$target"/* "$work"/
  # -rss_limit_mb: a reader that allocates without bound is a crash too.
  if build/fuzz/fuzz/fuzz_"$target" "$work" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/$target-" \
      >"build/fuzz/$target.log" 2>&1; then
    echo ok >"build/fuzz/$target.verdict"
  else
    echo CRASH >"build/fuzz/$target.verdict"
  fi
  rm -rf "$work"
}

# Two targets at a time (one a core): each still runs SECONDS.
for target in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= 2)); do wait -n || true; done
  rm -f "build/fuzz/$target.verdict" "build/fuzz/$target.log"
  fuzz_one "$target" &
done
wait

status=0
for target in "${targets[@]}"; do
  log="build/fuzz/$target.log"
  verdict=$(cat "build/fuzz/$target.verdict" 2>/dev/null || echo CRASH)
  [[ $verdict == ok ]] || status=1
  executions=$(sed -n "s/^stat::number_of_executed_units: *//p" "$log" 2>/dev/null | tail -1 || true)
  echo "fuzz: $target: ${executions:-?} executions in ${seconds} s: $verdict"
  if [[ $verdict != ok ]]; then
    grep -E "ERROR|SUMMARY|terminate|what\(\)|Test unit written" "$log" | head -20 || true
    echo "fuzz: full log $log; add the input to fuzz/corpus/$target/ once fixed"
  fi
done
exit "$status"
