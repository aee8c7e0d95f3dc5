#!/usr/bin/env bash
# The main job: set-up, build, then scorebench on the bundled example.
# Results go to out/ (override with OUT=dir).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-out}"
bash scripts/build.sh release
mkdir -p "$out"
bin=build/release/cli/scorebench

echo "== scorebench methods"
"$bin" methods

echo "== scorebench eval on examples/eval_cases.json (every method, double)"
for method in $("$bin" methods --names); do
  status=0
  "$bin" eval --method "$method" --input examples/eval_cases.json \
    --output "$out/eval_$method.json" 2>"$out/eval_$method.err" || status=$?
  # Exit 1 means some case failed by design (the example has a bad case).
  if ((status > 1)); then cat "$out/eval_$method.err"; exit "$status"; fi
  echo "  $method -> $out/eval_$method.json (exit $status: $(wc -l <"$out/eval_$method.err") failed case(s))"
done
echo "main: results in $out/"
