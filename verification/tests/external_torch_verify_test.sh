#!/bin/sh
# The PyTorch adapter that ships with scorebench
# (verification/adapters/torch_distributions.py, which scripts/main.sh gates
# beside the built-ins) passes verify --quick, the invalid-sample cases
# included: PyTorch refuses a whole batch for one bad sample, so the adapter
# must find and name every kind the gate spoils (off_triangle too: an L not
# lower triangular, a Σ or Λ not symmetric) and compute the rest.
# Skipped (77) where the Python has no torch.
# Usage: external_torch_verify_test.sh SCOREBENCH PYTHON ADAPTER WORKDIR
set -u
scorebench=$1 python=$2 adapter=$3 work=$4
"$python" -c 'import torch' 2>/dev/null || { echo "no torch in $python: skipped"; exit 77; }
rm -rf "$work" && mkdir -p "$work" || exit 1
"$scorebench" verify --quick --external "torch=$python $adapter" --json "$work/verify.json" \
  >"$work/verify.out" 2>"$work/verify.err"
status=$?
if [ $status -ne 0 ]; then
  grep -A3 "^VIOLATION" "$work/verify.err" | head -40
  echo "FAIL: verify --quick --external torch exited with $status, expected 0"
  exit 1
fi
# Every invalid kind reached the adapter and was graded (not skipped).
"$python" - "$work/verify.json" <<'PY' || exit 1
import json, sys
j = json.load(open(sys.argv[1]))
kinds = {}
for r in j["results"]:
    case = j["cases"][r["case"]]
    kind = case["id"].split("/invalid:")[1] if "/invalid:" in case["id"] else None
    if kind and r["status"] in ("ok", "beyond_contract"):
        kinds[kind] = kinds.get(kind, 0) + 1
expected = {"zero_diagonal", "negative_diagonal", "nan_parameter", "nan_loc", "off_triangle", "nan_noise"}
missing = expected - set(kinds)
if missing:
    sys.exit("FAIL: no graded evaluation of the torch adapter on invalid kinds %s" % sorted(missing))
print("ok: graded on every invalid kind", dict(sorted(kinds.items())))
PY
