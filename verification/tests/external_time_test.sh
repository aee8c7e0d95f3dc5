#!/bin/sh
# scorebench time --external (issue 14): Google Benchmark rows named
# score/external.<name>/..., which compare and report read like any others.
# Usage: external_time_test.sh SCOREBENCH PYTHON ADAPTER WORKDIR
set -u
scorebench=$1 python=$2 adapter=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
for run in base new; do
  "$scorebench" time --external "$python $adapter" --d 2 --batch 4 --repetitions 3 --min-time 0.01 \
    --out $run.json 2>$run.err || { cat $run.err; fail "time: exit status $?"; }
done
for p in scale_tril covariance_matrix precision_matrix scale_diag; do
  grep -q "\"name\": \"score/external.reference_py/$p/per_sample/grads/f64/d:2/batch:4\"" base.json ||
    fail "no row for $p"
done
[ "$(grep -c '"repetition_index"' base.json)" -eq 12 ] || fail "expected 4 rows x 3 repetitions"
grep -q '"protocol_ns"' base.json || fail "no protocol_ns counter"
grep -q '"scorebench_external"' base.json || fail "the context lacks the external commands"
# compare reads the rows (0: no regression, 1: a regression; 2 would be unreadable input).
"$scorebench" compare base.json new.json >compare.out 2>&1
status=$?
[ $status -le 1 ] || { cat compare.out; fail "compare: exit status $status"; }
grep -q "score/external.reference_py/scale_tril/per_sample/grads/f64/d:2/batch:4" compare.out ||
  { cat compare.out; fail "compare does not show the external rows"; }
"$scorebench" report --bench base.json --out report >report.out 2>&1 || { cat report.out; fail "report: exit status $?"; }
grep -q "external.reference_py" report/report.md || fail "the report does not show external.reference_py"
# A command that is not an implementation: a fault, exit 1, still a valid file.
"$scorebench" time --external "x=$python -c 'print(1)'" --d 2 --batch 4 --out broken.json 2>broken.err
[ $? -eq 1 ] || fail "a broken external: exit status not 1"
grep -q "bad_hello" broken.err || { cat broken.err; fail "the broken external's fault is not named"; }
echo ok
