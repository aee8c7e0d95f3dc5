#!/bin/sh
# eval --external and methods --external (issue 14 §2), on the
# standard-library adapter:
#   1. eval --external answers every case of examples/eval_cases.json as
#      eval --method analytic does (same keys, numbers within 1e-12
#      relative, the same case refused), and names the method external;
#   2. with the covariance gradient's sign flipped, that key differs;
#   3. a dtype the hello does not declare is a per-case error naming it;
#   4. --method with --external, or neither, is a usage error (2);
#   5. methods --external prints the hello's scope and contract, and a
#      child without a hello is listed as such with exit status 1.
# Usage: external_eval_test.sh SCOREBENCH PYTHON ADAPTER CASES WORKDIR
set -u
scorebench=$1 python=$2 adapter=$3 cases=$4 work=$5
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL: $*"; exit 1; }

# 1. Same answers as the built-in analytic method.
"$scorebench" eval --method analytic --input "$cases" --output builtin.json 2>builtin.err
[ $? -eq 1 ] || fail "builtin: expected exit 1 (the last case is not positive definite)"
"$scorebench" eval --external "ref=$python $adapter" --input "$cases" --output external.json 2>external.err
[ $? -eq 1 ] || { cat external.err; fail "external: expected exit 1 (the last case is not positive definite)"; }
grep -q '"method": "external.ref"' external.json || fail "external: the method is not named external.ref"
# agree A B KEY_TO_SKIP: the same keys per case, every number within 1e-12.
agree() {
  "$python" - "$1" "$2" "$3" <<'PY'
import json, sys
a, b, skip = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
def flat(x):
    return [v for y in x for v in flat(y)] if isinstance(x, list) else [x]
bad = []
for i, (ra, rb) in enumerate(zip(a["results"], b["results"])):
    if set(ra) != set(rb):
        bad.append(f"case {i}: keys {sorted(ra)} vs {sorted(rb)}")
        continue
    for k in ra:
        if k == "error" or k == skip:
            continue
        for x, y in zip(flat(ra[k]), flat(rb[k])):
            if abs(x - y) > 1e-12 * max(1.0, abs(x)):
                bad.append(f"case {i} {k}: {x} vs {y}")
if len(a["results"]) != len(b["results"]):
    bad.append("different numbers of results")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
}
agree builtin.json external.json none || fail "external and analytic disagree"

# 2. The sign flip shows in grad_covariance_matrix only.
"$scorebench" eval --external "flipped=$python $adapter --fault sign_flip" --input "$cases" \
  --output flipped.json 2>/dev/null
agree builtin.json flipped.json none >/dev/null && fail "flipped: no difference from analytic"
agree builtin.json flipped.json grad_covariance_matrix || fail "flipped: a key other than grad_covariance_matrix differs"

# 3. A dtype outside the hello.
"$scorebench" eval --external "ref=$python $adapter" --dtype float --input "$cases" --output float.json 2>float.err
[ $? -eq 1 ] || fail "float: expected exit 1"
grep -q "case 0: external.ref does not take scale_tril in f32" float.err || { cat float.err; fail "float: no error naming the dtype"; }

# 4. Usage errors.
"$scorebench" eval --method analytic --external "$python $adapter" --input "$cases" 2>both.err
[ $? -eq 2 ] || fail "--method with --external: expected exit 2"
grep -q "exactly one of --method and --external" both.err || fail "--method with --external: no message"
"$scorebench" eval --input "$cases" 2>neither.err
[ $? -eq 2 ] || fail "neither --method nor --external: expected exit 2"

# 5. methods --external.
"$scorebench" methods --external "ref=$python $adapter" >methods.out 2>methods.err ||
  { cat methods.err; fail "methods: exit status $?"; }
grep -q "^external.ref$" methods.out || fail "methods: external.ref not listed"
grep -q "^    takes scale_tril, covariance_matrix, precision_matrix, scale_diag; f64; per-sample and shared" methods.out ||
  { cat methods.out; fail "methods: the hello's scope is not printed"; }
grep -q "^    contract: " methods.out || fail "methods: no contract line"
grep -q "^analytic$" methods.out || fail "methods: the built-ins are not listed"
"$scorebench" methods --names --external "ref=$python $adapter" | grep -q "^external.ref$" ||
  fail "methods --names: external.ref not listed"
"$scorebench" methods --external "x=exit 3" >nohello.out 2>&1
[ $? -eq 1 ] || fail "methods without hello: expected exit 1"
grep -q "^external.x  \[no hello\]" nohello.out || { cat nohello.out; fail "methods without hello: not marked"; }
echo "ok"
