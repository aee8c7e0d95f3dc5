#!/usr/bin/env bash
# The main job: set-up, build, then verification, estimators, benchmarks and
# the report. Results go to out/ (override with OUT=dir). Every step runs even
# if an earlier one found a problem; the exit status is the worst step's.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-out}"
bash scripts/build.sh release
mkdir -p "$out"
bin=build/release/cli/scorebench
worst=0
step() {  # step NAME COMMAND...: run, remember the worst exit status
  local name=$1 status=0
  shift
  echo "== $name"
  "$@" || status=$?
  if ((status != 0)); then echo "   ($name exited with $status)"; fi
  if ((status > worst)); then worst=$status; fi
}

echo "== scorebench methods"
"$bin" methods

echo "== scorebench eval on examples/eval_cases.json (every available method, double)"
# The example's last case is not positive definite, so every method fails it
# (exit 1); reparameterization also fails the cases given by action, since it
# reads the noise. Any other count is a failure of this step.
cases=$(grep -c '"loc"' examples/eval_cases.json)
with_noise=$(grep -c '"noise"' examples/eval_cases.json)
for method in $("$bin" methods --names); do
  status=0
  "$bin" eval --method "$method" --input examples/eval_cases.json \
    --output "$out/eval_$method.json" 2>"$out/eval_$method.err" || status=$?
  if ((status > 1)); then cat "$out/eval_$method.err"; exit "$status"; fi
  expected=1
  if [[ $method == reparameterization ]]; then expected=$((cases - with_noise)); fi
  failed=$(wc -l <"$out/eval_$method.err")
  echo "   $method -> $out/eval_$method.json ($failed of $cases cases failed, expected $expected)"
  if ((failed != expected)); then
    cat "$out/eval_$method.err"
    if ((worst < 1)); then worst=1; fi
  fi
done

# PyTorch (torch.distributions through autograd, Debian's python3-torch, which
# scripts/setup.sh installs) is gated and timed beside the built-ins through
# the adapter that ships with scorebench (README "Check your own implementation").
torch=()
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  torch=(--external "torch=/usr/bin/python3 verification/adapters/torch_distributions.py")
else
  echo "   (no python3-torch in /usr/bin/python3: PyTorch is left out of verify and the benchmarks)"
fi
builtin=()
for method in $("$bin" methods --names); do builtin+=(--method "$method"); done
step "scorebench verify --quick" "$bin" verify --quick "${builtin[@]}" "${torch[@]}" \
  --json "$out/verify.json" --junit "$out/verify.xml"
step "scorebench verify --mutants" "$bin" verify --quick --mutants --json "$out/mutants.json"
step "scorebench mc --reproduce-figures" "$bin" mc --reproduce-figures --out "$out/mc"
step "scorebench mc --policy-example" "$bin" mc --policy-example --json "$out/mc/policy.json"
step "benchmarks (quick set)" bash benchmarks/run_quick.sh "$out/bench.json"
benches=(--bench "$out/bench.json")
if ((${#torch[@]})); then
  step "scorebench time --external (PyTorch)" "$bin" time "${torch[@]}" --out "$out/bench_external.json"
  benches+=(--bench "$out/bench_external.json")
fi
# The results store: this run joins the history kept in $out/scorebench.db
# (one point on a fresh clone; CI keeps the file between runs, README
# "Track performance over time").
for run in "$out/bench.json" "$out/bench_external.json" "$out/verify.json"; do
  if [[ -f $run ]] && git rev-parse -q --verify HEAD >/dev/null 2>&1; then step "scorebench record $run" "$bin" record "$run" --db "$out/scorebench.db"; fi
done
step "scorebench report" "$bin" report "${benches[@]}" --verify "$out/verify.json" \
  --mc "$out/mc/mc_figures.json" --history "$out/scorebench.db" --out "$out/report"

echo "main: results in $out/; the report is $out/report/index.html (and report.md)"
exit "$worst"
