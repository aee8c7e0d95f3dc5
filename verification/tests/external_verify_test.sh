#!/bin/sh
# verify --external end to end (issue 14), on the standard-library adapter:
#   1. the covariance gradient with its sign flipped is rejected, with a
#      message naming the implementation, covariance_matrix and the block;
#   2. the same adapter without the flip passes, and the text, JSON and
#      JUnit outputs mark it external with its command;
#   3. a child that crashes at its fifth request: each crash is named with
#      its evidence, a new child serves the rest, every evaluation of the
#      sweep is made, and no process is left.
# Usage: external_verify_test.sh SCOREBENCH PYTHON ADAPTER WORKDIR
set -u
scorebench=$1 python=$2 adapter=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL: $*"; exit 1; }

# 1. The sign flip is rejected.
"$scorebench" verify --small --seed 1 --external "flipped=$python $adapter --fault sign_flip" \
  >flipped.out 2>flipped.err
status=$?
[ $status -eq 1 ] || fail "sign flip: exit status $status, expected 1"
grep -q "^VIOLATION external.flipped covariance_matrix f64 .*(case covariance_matrix/" flipped.err ||
  fail "sign flip: no violation naming external.flipped and covariance_matrix"
grep -A1 "^VIOLATION external.flipped covariance_matrix" flipped.err | grep -q "^    grad_covariance_matrix: error" ||
  fail "sign flip: the violation does not name the block grad_covariance_matrix"
if grep "^VIOLATION" flipped.err | grep -qv "^VIOLATION external.flipped covariance_matrix "; then
  fail "sign flip: a parameterization other than covariance_matrix was rejected"
fi

# 2. Fixed, it passes, marked external with its command everywhere.
"$scorebench" verify --small --seed 1 --external "$python $adapter" --json fixed.json --junit fixed.xml \
  >fixed.out 2>fixed.err || { cat fixed.err; fail "fixed: exit status $?, expected 0"; }
grep -q "^external.reference_py: external: $python $adapter" fixed.out || fail "fixed: text output lacks the origin"
grep -q "\"external.reference_py\": \"external: $python $adapter\"" fixed.json || fail "fixed: JSON lacks the origin"
grep -q "<property name=\"origin\" value=\"external: $python $adapter\"/>" fixed.xml || fail "fixed: JUnit lacks the origin"
# The small sweep has 8 cases, 4 of them in double: 4 modes each, and no
# float case (the adapter declares double only).
total=$(grep -c '"status": ' fixed.json)
[ "$total" -eq 16 ] || fail "fixed: $total evaluations, expected 16 (the double cases only)"
grep -q '"status": "violation"' fixed.json && fail "fixed: a violation"

# 3. A crash at each child's fifth request.
"$scorebench" verify --small --seed 1 --external "$python $adapter --fault crash --at 5 --pids $work/pids" \
  --json crash.json >crash.out 2>crash.err
status=$?
[ $status -eq 1 ] || fail "crash: exit status $status, expected 1"
grep -q "external.reference_py: crashed: request 5: the child's output ended without an answer; the child (exit status 3)" crash.err ||
  { cat crash.err; fail "crash: the fault is not named with its evidence"; }
# Each child crashes at its own fifth request: requests 5, 10 and 15 of 16.
[ "$(grep -c '"status": "violation"' crash.json)" -eq 3 ] || fail "crash: expected 3 violations"
[ "$(grep -c '"status": ' crash.json)" -eq 16 ] || fail "crash: the run did not go on to every evaluation"
[ "$(wc -l <pids)" -eq 4 ] || fail "crash: expected 4 children (3 restarts), got $(wc -l <pids)"
# Running: exists and not a zombie (a grandchild behind /bin/sh is init's to reap).
running() { [ -r /proc/$1/stat ] && ! sed 's/.*) //' /proc/$1/stat 2>/dev/null | grep -q '^Z'; }
for pid in $(cat pids); do
  running "$pid" && sleep 1
  running "$pid" && fail "crash: process $pid is still running"
done
echo "ok"
