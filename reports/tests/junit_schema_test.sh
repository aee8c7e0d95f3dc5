#!/usr/bin/env bash
# Every JUnit file scorebench writes validates against the Jenkins JUnit
# schema (reports/tests/junit.xsd): `compare --junit` on two runs whose
# comparison has every verdict (regression, error, skipped, unchanged);
# `verify --junit` passing, with violations and with --mutants (one method
# or mutant, the small sweep, to stay quick); `merge --junit` of two shards;
# `check --junit` with every answer missing. CTest test junit_schema (label
# reports).
# Usage: junit_schema_test.sh SCOREBENCH XSD WORKDIR
set -euo pipefail
exe="$1" xsd="$2" work="$3"
rm -rf "$work" && mkdir -p "$work" && cd "$work"

# BASE/NEW: "slow" regresses, "gone" and "fresh" are on one side only, "once"
# has one repetition, "broken" reported an error, "same" is unchanged.
python3 - <<'PY'
import json
def reps(name, values):
    return [dict(name=name, run_name=name, run_type="iteration", repetitions=len(values),
                 repetition_index=i, threads=1, iterations=100, real_time=v, cpu_time=v, time_unit="ns")
            for i, v in enumerate(values)]
ten = [10 + 0.01 * i for i in range(10)]
base = reps("same", ten) + reps("slow", ten) + reps("gone", [1, 2]) + reps("once", [5]) + \
    [dict(name="broken", run_name="broken", error_occurred=True, error_message="failed: <&>\"'")]
new = reps("same", ten) + reps("slow", [2 * v for v in ten]) + reps("fresh", [1, 2]) + reps("once", [5]) + \
    [dict(name="broken", run_name="broken", error_occurred=True, error_message="failed")]
for name, run in (("base.json", base), ("new.json", new)):
    json.dump({"context": {"library_build_type": "release"}, "benchmarks": run}, open(name, "w"))
PY

status=0
check() {  # check FILE EXPECTED_EXIT ACTUAL_EXIT
  if [[ "$3" != "$2" ]]; then
    echo "FAIL: writing $1 exited $3, expected $2"
    status=1
  fi
  for element in testsuites testsuite testcase; do
    grep -q "<$element" "$1" || { echo "FAIL: $1 has no <$element>"; status=1; }
  done
  xmllint --noout --schema "$xsd" "$1" || { echo "FAIL: $1 does not validate against $xsd"; status=1; }
}

set +e
"$exe" compare base.json new.json --junit compare.xml >/dev/null 2>compare.err
check compare.xml 1 $?
for element in failure error skipped system-out; do
  grep -q "<$element" compare.xml || { echo "FAIL: compare.xml has no <$element>"; status=1; }
done
"$exe" verify --small --seed 1 --method reparameterization --junit verify.xml >/dev/null 2>verify.err
check verify.xml 0 $?
"$exe" verify --mutants --method mutant:grad_action_sign --junit mutants.xml >/dev/null 2>mutants.err
check mutants.xml 0 $?
"$exe" verify --small --seed 1 --method mutant:grad_action_sign --junit violations.xml >/dev/null 2>&1
check violations.xml 1 $?
grep -q "<failure" violations.xml || { echo "FAIL: violations.xml has no <failure>"; status=1; }
for i in 0 1; do
  "$exe" verify --small --seed 1 --method reparameterization --shard "$i/2" --json "shard-$i.json" \
    >/dev/null 2>&1
done
"$exe" merge shard-0.json shard-1.json --junit merged.xml >/dev/null 2>merge.err
check merged.xml 0 $?
"$exe" cases --small --seed 1 --out cases >/dev/null 2>cases.err
: >no_answers.jsonl
"$exe" check --cases cases --answers no_answers.jsonl --junit check.xml >/dev/null 2>&1
check check.xml 1 $?
grep -q "<failure" check.xml || { echo "FAIL: check.xml has no <failure>"; status=1; }
set -e
exit "$status"
