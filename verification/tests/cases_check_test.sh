#!/bin/sh
# cases + an implementation + check gives what verify --external gives, case
# for case (issue 14 §4), and check names every fault of an answers file:
#   1. the standard-library adapter (correct): verify --external and
#      cases -> adapter -> check agree on every evaluation (same case, mode,
#      status, failing blocks and ratios), both exit 0;
#   2. the same adapter with its covariance gradient's sign flipped: both
#      exit 1 with the same violations, evaluation for evaluation;
#   3. a C++ method served with serve.hpp (double and float), correct and a
#      mutant: the same agreement;
#   4. each documented error of check: missing, duplicate, extra, wrong-shape
#      answers (exit 1, named), a file that is not JSON Lines (exit 2 with
#      the line), a truncated or foreign cases file (exit 2);
#   5. the case set in shards (--shard, and GTEST_*): the shards' lines are
#      the unsharded file's lines, ids included, and each shard checked and
#      merged gives the unsharded check's JSON and JUnit, with and without
#      violations.
# Usage: cases_check_test.sh SCOREBENCH PYTHON ADAPTER SERVE_EXAMPLE WORKDIR
set -u
scorebench=$1 python=$2 adapter=$3 serve=$4 work=$5
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL: $*"; exit 1; }

# verify --external X and cases -> X -> check on one sweep; both JSON
# reports compared case by case. $1 label, $2 sweep args, $3 command,
# $4 expected exit status.
agree() {
  label=$1 sweep=$2 cmd=$3 expected=$4
  # shellcheck disable=SC2086
  "$scorebench" verify $sweep --external "$cmd" --json "$label.verify.json" >"$label.verify.out" 2>"$label.verify.err"
  s=$?
  [ $s -eq "$expected" ] || { cat "$label.verify.err"; fail "$label: verify exit status $s, expected $expected"; }
  # shellcheck disable=SC2086
  "$scorebench" cases $sweep --out "$label.cases" >"$label.cases.out" 2>&1 || fail "$label: cases failed"
  # The adapter is fed the case lines as they are (the header is line 1):
  # its stdout, hello first, is the answers file.
  tail -n +2 "$label.cases/cases.jsonl" | sh -c "$cmd" >"$label.answers.jsonl" || fail "$label: the adapter failed"
  "$scorebench" check --cases "$label.cases" --answers "$label.answers.jsonl" --json "$label.check.json" \
    --junit "$label.check.xml" >"$label.check.out" 2>"$label.check.err"
  s=$?
  [ $s -eq "$expected" ] || { cat "$label.check.err"; fail "$label: check exit status $s, expected $expected"; }
  "$python" "$here/compare_verify_reports.py" "$label.verify.json" "$label.check.json" ||
    fail "$label: verify and check disagree"
  grep -q '<testsuite name="verify.external' "$label.check.xml" || fail "$label: JUnit lacks the method's suite"
}

agree correct "--small --seed 1" "$python $adapter" 0
agree flipped "--small --seed 1" "$python $adapter --fault sign_flip" 1
grep -q "^VIOLATION external.reference_py covariance_matrix f64 .*(case covariance_matrix/" flipped.check.err ||
  fail "flipped: check's violation does not name the method, covariance_matrix and the case"
grep -A1 "^VIOLATION external.reference_py covariance_matrix" flipped.check.err |
  grep -q "^    grad_covariance_matrix: error" || fail "flipped: check's violation does not name the block"
agree served "--small --seed 2" "$serve" 0
agree served_mutant "--small --seed 2" "$serve mutant:missing_inverse_term" 1
# One invalid sample (verification/README.md): the served analytic method
# names it and computes the others; the same method with its per-sample
# errors dropped is rejected by verify and check alike.
invalid="scale_tril/f32/d:5/kappa:1e+02/bulk/B:9/weights:mixed/seed:11/invalid:nan_loc"
agree served_invalid "--case $invalid" "$serve" 0
grep -q '"invalid":{"sample":' served_invalid.cases/cases.jsonl || fail "served_invalid: no invalid key in the case lines"
agree served_unreported "--case $invalid" "$serve mutant:failure_unreported" 1
grep -q "is not among the result's failed samples" served_unreported.check.err ||
  fail "served_unreported: check does not say the invalid sample went unreported"

# 4. The errors of check, on the correct run's files.
c=correct.cases a=correct.answers.jsonl
expect() {  # expected-status grep-pattern label, then the check arguments
  want=$1 pattern=$2 label=$3
  shift 3
  "$scorebench" check "$@" >"err.$label.out" 2>"err.$label.err"
  s=$?
  [ $s -eq "$want" ] || { cat "err.$label.err"; fail "$label: exit status $s, expected $want"; }
  grep -q -- "$pattern" "err.$label.err" || { cat "err.$label.err"; fail "$label: stderr lacks '$pattern'"; }
}
sed 3d "$a" >missing.jsonl
expect 1 "missing: request 2 (.*cases.jsonl line 3): no answer in missing.jsonl" missing --cases $c --answers missing.jsonl
{ cat "$a"; sed -n 3p "$a"; } >duplicate.jsonl
n=$(wc -l <duplicate.jsonl)
expect 1 "duplicate: request 2 .*: 2 answers, duplicate.jsonl lines 3, $n" duplicate --cases $c --answers duplicate.jsonl
{ cat "$a"; echo '{"id": 123456, "log_prob": [0]}'; } >extra.jsonl
expect 1 "extra.jsonl line $((n)): an answer to request 123456, which is no case line" extra --cases $c --answers extra.jsonl
# grad_loc one entry short in the answer to request 1.
"$python" - "$a" >short.jsonl <<'PY'
import json, sys
for line in open(sys.argv[1]):
    a = json.loads(line)
    if a.get("id") == 1:
        a["grad_loc"][0] = a["grad_loc"][0][:-1]
    print(json.dumps(a))
PY
expect 1 "wrong_shape: request 1 (short.jsonl line 2): grad_loc\[0\] has" short --cases $c --answers short.jsonl
{ sed -n 1,4p "$a"; echo "loss 0.25 at step 3"; sed -n '5,$p' "$a"; } >garbage.jsonl
expect 2 "garbage.jsonl line 5: not JSON" garbage --cases $c --answers garbage.jsonl
{ cat "$a"; echo '{"id": 1, "log_prob": [1e400]}'; } >overflow.jsonl
expect 2 "overflow.jsonl line $((n)): not JSON" overflow --cases $c --answers overflow.jsonl
head -n 5 $c/cases.jsonl >truncated.jsonl
expect 2 "4 case lines; its header says" truncated --cases truncated.jsonl --answers "$a"
expect 2 "schema \"\"; expected scorebench.cases/1" foreign --cases "$a" --answers "$a"
expect 2 "is not a readable file" no_file --cases $c --answers no_such_file.jsonl
"$scorebench" check --cases $c >/dev/null 2>&1
[ $? -eq 2 ] || fail "check without --answers: expected exit status 2"

# 5. Shards of the case set.
same_json() { grep -v '"seconds"' "$1" >a.tmp && grep -v '"seconds"' "$2" >b.tmp && cmp -s a.tmp b.tmp; }
for set in "correct 0" "flipped 1"; do
  label=${set% *} want=${set#* }
  cmd="$python $adapter"
  [ "$label" = flipped ] && cmd="$python $adapter --fault sign_flip"
  "$scorebench" cases --small --seed 1 --shard 0/2 --out "$label.s0" >/dev/null 2>&1 || fail "shard 0/2: cases failed"
  GTEST_SHARD_INDEX=1 GTEST_TOTAL_SHARDS=2 "$scorebench" cases --small --seed 1 --out "$label.s1" >/dev/null 2>&1 ||
    fail "shard 1/2 (GTEST_*): cases failed"
  tail -n +2 "$label.s0/cases.jsonl" >parts.tmp && tail -n +2 "$label.s1/cases.jsonl" >>parts.tmp
  sort parts.tmp >parts.sorted && tail -n +2 "$label.cases/cases.jsonl" | sort >whole.sorted
  cmp -s parts.sorted whole.sorted || fail "$label: the shards' case lines are not the unsharded file's"
  [ -s "$label.s0/cases.jsonl" ] && [ "$(wc -l <"$label.s0/cases.jsonl")" -lt "$(wc -l <"$label.cases/cases.jsonl")" ] ||
    fail "$label: shard 0 is empty or the whole set"
  for i in 0 1; do
    tail -n +2 "$label.s$i/cases.jsonl" | sh -c "$cmd" >"$label.s$i.answers" || fail "$label: adapter on shard $i"
    "$scorebench" check --cases "$label.s$i" --answers "$label.s$i.answers" --json "$label.s$i.json" \
      >/dev/null 2>&1
  done
  "$scorebench" merge "$label.s1.json" "$label.s0.json" --json "$label.merged.json" --junit "$label.merged.xml" \
    >/dev/null 2>&1
  s=$?
  [ $s -eq "$want" ] || fail "$label: merge of the checked shards exit status $s, expected $want"
  same_json "$label.check.json" "$label.merged.json" || fail "$label: merged check JSON differs from the unsharded check"
  cmp -s "$label.check.xml" "$label.merged.xml" || fail "$label: merged check JUnit differs from the unsharded check"
done
"$scorebench" cases --small --shard 2/2 --out bad_shard >/dev/null 2>&1
[ $? -eq 2 ] || fail "cases --shard 2/2: expected exit status 2"
echo "ok"
