#!/usr/bin/env bash
# Runs the quick benchmark set, writes its Google Benchmark JSON to <out.json>
# and, next to it, the summary (targets, cost-growth slopes, error rows) as
# <out>_summary.md and <out>_summary.json. Exits non-zero when any row's
# check after its timed loop failed. Extra arguments go to the benchmark
# binary (e.g. --benchmark_repetitions=3, --benchmark_filter=...).
#
# Usage: benchmarks/run_quick.sh <out.json> [benchmark flags...]
# Binaries: $SCOREBENCH_BENCH_BIN and $SCOREBENCH_BENCH_SUMMARY, by default
# those of build/release.
set -euo pipefail
if (($# < 1)); then
  echo "usage: $0 <out.json> [benchmark flags...]" >&2
  exit 2
fi
out=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SCOREBENCH_BENCH_BIN:-$root/build/release/benchmarks/scorebench_benchmarks}
summary=${SCOREBENCH_BENCH_SUMMARY:-$(dirname "$bin")/scorebench_bench_summary}
mkdir -p "$(dirname "$out")"
"$bin" --set=quick --benchmark_out="$out" --benchmark_out_format=json "$@"
status=0
"$summary" "$out" --json "${out%.json}_summary.json" --require-ok >"${out%.json}_summary.md" || status=$?
echo "run_quick: $out, summary in ${out%.json}_summary.md"
if ((status != 0)); then
  echo "run_quick: rows whose check after the timed loop failed:" >&2
  sed -n '/^## Benchmark rows with errors/,/^## Performance/p' "${out%.json}_summary.md" >&2
fi
exit $status
