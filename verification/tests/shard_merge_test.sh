#!/bin/sh
# Sharded verify runs merge into exactly what one unsharded run writes (JSON
# but for the run time, and JUnit), with and without violations; missing,
# duplicated and mismatched shards are refused by name. An external
# implementation's shards keep its command and declared contract.
# Usage: shard_merge_test.sh SCOREBENCH WORKDIR PYTHON ADAPTER
set -u
exe=$1
dir=$2
python=$3
adapter=$4
mkdir -p "$dir" && cd "$dir" || exit 1
fails=0
check() {  # check DESCRIPTION COMMAND...: the command must succeed
  desc=$1
  shift
  if ! "$@"; then
    echo "FAILED: $desc"
    fails=$((fails + 1))
  fi
}
status_is() {  # status_is EXPECTED COMMAND...
  expected_status=$1
  shift
  "$@" > last.out 2> last.err
  got=$?
  [ "$got" -eq "$expected_status" ] || { echo "exit $got, expected $expected_status: $*"; cat last.err; return 1; }
}
same_json() { grep -v '"seconds"' "$1" > a.tmp && grep -v '"seconds"' "$2" > b.tmp && cmp a.tmp b.tmp; }

for set in "analytic 0" "mutant:missing_inverse_term 1"; do
  method=${set% *}
  want=${set#* }
  check "$method: unsharded run" status_is "$want" "$exe" verify --small --seed 5 --method "$method" --json all.json --junit all.xml
  check "$method: shard 0/3" status_is "$want" "$exe" verify --small --seed 5 --method "$method" --shard 0/3 --json s0.json
  # (whether a shard of the mutant's run holds a killing case is not tested here, its JSON is)
  env GTEST_SHARD_INDEX=1 GTEST_TOTAL_SHARDS=3 "$exe" verify --small --seed 5 --method "$method" --json s1.json > /dev/null 2>&1
  check "$method: shard 1/3 from GTEST_* holds its cases" grep -q '"index": 1' s1.json
  "$exe" verify --small --seed 5 --method "$method" --shard 2/3 --json s2.json > /dev/null 2>&1
  check "$method: merge" status_is "$want" "$exe" merge s2.json s0.json s1.json --json merged.json --junit merged.xml
  check "$method: merged JSON is the unsharded JSON" same_json all.json merged.json
  check "$method: merged JUnit is the unsharded JUnit" cmp all.xml merged.xml
done

# An external implementation (the standard-library adapter, declaring no
# contract): its origin and contract survive the merge.
external="ref=$python $adapter --dtypes double,float"
check "external: unsharded run" status_is 0 "$exe" verify --small --seed 5 --external "$external" --json ext_all.json --junit ext_all.xml
for i in 0 1; do
  "$exe" verify --small --seed 5 --external "$external" --shard $i/2 --json ext_s$i.json > /dev/null 2>&1
done
check "external: merge" status_is 0 "$exe" merge ext_s1.json ext_s0.json --json ext_merged.json --junit ext_merged.xml
check "external: merged JSON is the unsharded JSON" same_json ext_all.json ext_merged.json
check "external: merged JUnit is the unsharded JUnit" cmp ext_all.xml ext_merged.xml
check "external: the merge's table has no kernel-path section (no built-in ran)" sh -c '! grep -q "kernel paths" last.out'
"$exe" verify --small --seed 5 --external "other=$python $adapter --name other" --shard 1/2 --json ext_other.json > /dev/null 2>&1
check "external: a shard of another implementation is refused" status_is 2 "$exe" merge ext_s0.json ext_other.json
check "... naming the implementations" grep -q "different runs: methods" last.err

check "a missing shard is named" status_is 2 "$exe" merge s0.json s2.json
check "... in the message" grep -q "shard 1/3 is missing" last.err
check "a duplicated shard is named" status_is 2 "$exe" merge s0.json s1.json s2.json s0.json
check "... in the message" grep -q "are both shard 0/3" last.err
"$exe" verify --small --seed 6 --method mutant:missing_inverse_term --shard 1/3 --json other_seed.json > /dev/null 2>&1
check "a shard of another seed is refused" status_is 2 "$exe" merge s0.json other_seed.json s2.json
check "... naming the seed" grep -q "different runs: seed 6 and 5" last.err
check "not verify JSON is refused" status_is 2 "$exe" merge last.err
check "--shard 3/3 is a usage error" status_is 2 "$exe" verify --small --shard 3/3
check "--shard with --seeds is a usage error" status_is 2 "$exe" verify --small --seeds 1..2 --shard 0/2
check "half of the GTEST_* pair is a usage error" status_is 2 env GTEST_TOTAL_SHARDS=3 "$exe" verify --small
check "... naming the missing variable" grep -q "GTEST_SHARD_INDEX is not set" last.err
if [ "$fails" -ne 0 ]; then exit 1; fi
echo "sharded runs merge into the unsharded run"
