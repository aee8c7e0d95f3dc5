#!/bin/sh
# A batch that libtorch refuses is reported with libtorch's message alone,
# one line, without the C++ backtrace c10::Error carries (its addresses
# change from run to run, so two runs of one sweep wrote different JSON).
# The case is one of `verify --full --seed 20261208` where libtorch's float
# Cholesky fails on a Σ that scorebench's own check accepts (κ = 1e8, f32);
# where libtorch computes it, there is nothing to check (exit 77, skipped).
# Usage: torch_refusal_message_test.sh SCOREBENCH PYTHON3 WORKDIR
set -eu
exe="$1" python="$2" work="$3"
rm -rf "$work" && mkdir -p "$work"
id='covariance_matrix/f32/d:3/kappa:1e+08/tail/B:9/weights:mixed/seed:8620349239013373480'
"$exe" verify --full --case "$id" --method autodiff_reverse --json "$work/verify.json" >/dev/null
"$python" - "$work/verify.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
refused = [r["message"] for r in results if r["status"] == "refused"]
if not refused:
    print("libtorch computed the case on this machine: nothing to check")
    sys.exit(77)
bad = [m for m in refused if "\n" in m or not m.startswith("threw: libtorch: ")]
for m in bad:
    print("FAIL: refusal message is not libtorch's one line:", repr(m[:300]))
print(len(refused), "refusals,", len(bad), "with a backtrace or without the libtorch prefix")
sys.exit(1 if bad else 0)
PY
