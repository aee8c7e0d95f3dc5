#!/bin/sh
# The benchmark sweep in shards (--shard=I/N, or GTEST_SHARD_INDEX and
# GTEST_TOTAL_SHARDS): every shard runs the roofs and a disjoint, balanced
# part of the other rows, together all of them; `scorebench merge` joins
# shards into the rows, order, family indices and context of one unsharded
# run; missing, duplicated and foreign shards are refused by name.
# Usage: shard_test.sh SCOREBENCH_BENCHMARKS SCOREBENCH PYTHON WORKDIR
set -u
bench=$1 exe=$2 python=$3 dir=$4
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir" || exit 1
fails=0
fail() { echo "FAILED: $*"; fails=$((fails + 1)); }
status_is() {  # status_is EXPECTED COMMAND...
  expected=$1
  shift
  "$@" > last.out 2> last.err
  got=$?
  [ "$got" -eq "$expected" ] || { echo "exit $got, expected $expected: $*"; cat last.err; return 1; }
}

# 1. The lists: roofs in every shard, the rest split without overlap or loss.
"$bench" --benchmark_list_tests=true > all.txt || fail "unsharded list"
"$bench" --benchmark_list_tests=true --shard=0/3 > s0.txt || fail "shard 0/3 list"
GTEST_SHARD_INDEX=1 GTEST_TOTAL_SHARDS=3 "$bench" --benchmark_list_tests=true > s1.txt || fail "shard 1/3 list"
"$bench" --benchmark_list_tests=true --shard=2/3 > s2.txt || fail "shard 2/3 list"
grep '^roof/' all.txt > roofs.txt
for s in s0 s1 s2; do
  grep '^roof/' $s.txt | cmp -s - roofs.txt || fail "$s does not run every roof"
  grep -v '^roof/' $s.txt > $s.rows
done
grep -v '^roof/' all.txt | sort > all.rows
sort s0.rows s1.rows s2.rows > union.rows
cmp -s all.rows union.rows || fail "the shards' rows are not exactly the unsharded rows (lost or repeated)"
n0=$(wc -l < s0.rows) n1=$(wc -l < s1.rows) n2=$(wc -l < s2.rows)
[ $((n0 - n2)) -le 1 ] && [ $((n0 - n2)) -ge 0 ] && [ $((n0 - n1)) -le 1 ] || fail "unbalanced shards: $n0 $n1 $n2 rows"
[ "$n0" -gt 10 ] || fail "shard 0 has only $n0 rows"

# 2. A short real run, unsharded and in two shards, merged.
filter='^(roof/gemm/n:64|score/[a-z_]+/scale_diag/per_sample/grads/f64/d:8/batch:16|score/analytic/scale_tril/per_sample/grads/f32/d:8/batch:16)$'
run() { "$bench" --benchmark_filter="$filter" --benchmark_min_time=0.001 --benchmark_repetitions=2 \
  --benchmark_out_format=json "$@" > /dev/null 2>&1; }
run --benchmark_out=all.json || fail "unsharded run"
run --benchmark_out=b0.json --shard=0/2 || fail "shard 0/2 run"
run --benchmark_out=b1.json --shard=1/2 || fail "shard 1/2 run"
status_is 0 "$exe" merge b1.json b0.json --json merged.json || fail "merge"
"$python" - all.json merged.json <<'PY' || fail "merged run differs from the unsharded run"
import json, sys
a, m = (json.load(open(f)) for f in sys.argv[1:3])
rows = lambda d: [(e["name"], e["run_type"], e.get("repetition_index"), e["family_index"]) for e in d["benchmarks"]]
if rows(a) != rows(m):
    sys.exit("rows: %s\n  vs %s" % (rows(a), rows(m)))
if len(rows(a)) < 8:
    sys.exit("too few rows: %d" % len(rows(a)))
varying = {"date", "load_avg"}
ca = {k: v for k, v in a["context"].items() if k not in varying}
cm = {k: v for k, v in m["context"].items() if k not in varying}
if ca != cm:
    sys.exit("context: %s" % sorted(set(ca.items()) ^ set(cm.items())))
PY

# 3. Refusals.
status_is 2 "$exe" merge b0.json || fail "a missing shard was merged"
grep -q "shard 1/2 is missing" last.err || fail "the missing shard is not named"
status_is 2 "$exe" merge b0.json b1.json b0.json || fail "a duplicated shard was merged"
grep -q "are both shard 0/2" last.err || fail "the duplicated shard is not named"
status_is 2 "$exe" merge all.json b1.json || fail "an unsharded run was merged"
grep -q "all.json is not a shard" last.err || fail "the unsharded run is not named"
status_is 2 "$exe" merge b0.json b1.json --junit x.xml || fail "--junit with benchmark runs accepted"
status_is 2 "$bench" --shard=2/2 --benchmark_list_tests=true || fail "--shard=2/2 accepted"
status_is 2 env GTEST_TOTAL_SHARDS=2 "$bench" --benchmark_list_tests=true || fail "half of the GTEST_* pair accepted"
grep -q "GTEST_SHARD_INDEX is not set" last.err || fail "the missing variable is not named"
if [ "$fails" -ne 0 ]; then exit 1; fi
echo "benchmark shards: $n0 + $n1 + $n2 rows, roofs in each; merged run equals the unsharded run"
