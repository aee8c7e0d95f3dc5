#!/usr/bin/env bash
# Builds the libFuzzer targets (preset fuzz: clang++-14, ASan + UBSan) and
# runs each for SECONDS (default 60) on a copy of its committed corpus
# fuzz/corpus/<target>/. Prints the executions per target; exits non-zero on
# any crash (an uncaught exception, a sanitizer report, a timeout or an
# out-of-memory), leaving the input under build/fuzz/artifacts/.
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
status=0
for target in eval_case_reader benchmark_run_reader verify_reader compare_reader external_protocol_reader \
  case_set_reader; do
  # New inputs go to a scratch copy: the committed corpus only changes by hand.
  work=$(mktemp -d)
  cp fuzz/corpus/"$target"/* "$work"/
  log="build/fuzz/$target.log"
  # -rss_limit_mb: a reader that allocates without bound is a crash too.
  if build/fuzz/fuzz/fuzz_"$target" "$work" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/$target-" >"$log" 2>&1; then
    verdict=ok
  else
    verdict=CRASH
    status=1
  fi
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  echo "fuzz: $target: ${executions:-?} executions in ${seconds} s: $verdict"
  if [[ $verdict != ok ]]; then
    grep -E "ERROR|SUMMARY|terminate|what\(\)|Test unit written" "$log" | head -20 || true
    echo "fuzz: full log $log; add the input to fuzz/corpus/$target/ once fixed"
  fi
  rm -rf "$work"
done
exit "$status"
