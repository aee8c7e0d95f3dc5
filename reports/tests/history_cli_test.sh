#!/usr/bin/env bash
# scorebench record / history / bisect end to end: exit codes and messages of
# bad input, idempotent recording, two concurrent writers, a writer killed in
# the middle of its transaction, --fail-on-regression on a store with a step,
# and bisect pinning a step to its commit in a throw-away git repository.
# Usage: history_cli_test.sh SCOREBENCH WORKDIR
set -uo pipefail
sb=$1
work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 2
failures=0
check() {  # check NAME EXPECTED_STATUS PATTERN COMMAND...: status and a line of its output
  local name=$1 expected=$2 pattern=$3 status=0
  shift 3
  "$@" >out.txt 2>&1 || status=$?
  if [[ $status != "$expected" ]] || ! grep -qE -- "$pattern" out.txt; then
    echo "FAIL $name: status $status (expected $expected), output:"; cat out.txt
    echo "   (expected a line matching: $pattern)"
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}
# run FILE VALUE [ROWS]: a Google Benchmark JSON with ROWS rows (default 1) of real_time VALUE ns.
run() {
  local rows=${3:-1} i
  {
    echo '{"context": {"date": "2026-12-04T10:00:00+00:00", "host_name": "ci-1", "num_cpus": 2, "load_avg": [0.5, 0.4, 0.3]},'
    echo ' "benchmarks": ['
    for ((i = 0; i < rows; i++)); do
      ((i > 0)) && echo ','
      echo "{\"name\": \"score/analytic/scale_tril/per_sample/grads/f64/d:8/batch:$i\", \"run_name\": \"score/analytic/scale_tril/per_sample/grads/f64/d:8/batch:$i\", \"run_type\": \"iteration\", \"repetitions\": 1, \"repetition_index\": 0, \"threads\": 1, \"iterations\": 100, \"real_time\": $2, \"cpu_time\": $2, \"time_unit\": \"ns\"}"
    done
    echo ']}'
  } >"$1"
}
date_of() { printf '2026-11-%02dT12:00:00Z' "$1"; }
sha_of() { printf '%08x%032x' "$1" "$1"; }

# Bad input: exit 2 and a message naming what is wrong.
run r.json 100
echo '{"benchmarks": "no"}' >bad.json
echo '{"schema": "scorebench.other/1"}' >other.json
check "record: a directory" 2 "is a directory|cannot" "$sb" record . --db s.db --commit abcd --commit-date "$(date_of 1)"
check "record: not a run" 2 "other.json: not a run scorebench can record" "$sb" record other.json --db s.db --commit abcd --commit-date "$(date_of 1)"
check "record: benchmarks not an array" 2 "bad.json" "$sb" record bad.json --db s.db --commit abcd --commit-date "$(date_of 1)"
check "record: bad commit" 2 "--commit 'xyz' is not a commit hash" "$sb" record r.json --db s.db --commit xyz --commit-date "$(date_of 1)"
check "record: bad date" 2 "--commit-date 'yesterday' is not a UTC time" "$sb" record r.json --db s.db --commit abcd --commit-date yesterday
check "record: no git, no commit" 2 "no --commit given" env GIT_DIR=/nonexistent "$sb" record r.json --db s.db
echo "not a database at all, and long enough to look like a header" >notdb.db
check "record: not a store" 2 "notdb.db" "$sb" record r.json --db notdb.db --commit abcd --commit-date "$(date_of 1)"
check "history: bad regex" 2 "--filter '\(' is not a regular expression" "$sb" history --db s.db --filter '('
check "history: not a store" 2 "notdb.db" "$sb" history --db notdb.db

# Idempotent recording.
check "record" 0 "recorded run 1 \(benchmark, 2 measurements\)" "$sb" record r.json --db s.db --commit "$(sha_of 1)" --commit-date "$(date_of 1)" --machine ci-1
check "record again" 0 "already recorded .* as run 1" "$sb" record r.json --db s.db --commit "$(sha_of 1)" --commit-date "$(date_of 1)" --machine ci-1
check "store holds one run" 0 "^1$" sqlite3 s.db "SELECT count(*) FROM runs"

# Two writers at once: every run of both is stored, the store is intact.
rm -f c.db
writer() {
  local k
  for ((k = 1; k <= 15; k++)); do
    run "w$1_$k.json" $((100 * $1 + k))
    "$sb" record "w$1_$k.json" --db c.db --commit "$(sha_of $((100 * $1 + k)))" --commit-date "$(date_of 2)" --machine "m$1" >/dev/null || echo "writer $1 failed on $k"
  done
}
writer 1 >w1.log 2>&1 &
writer 2 >w2.log 2>&1 &
wait
check "two writers: no failure" 0 "^no failure$" bash -c '[[ ! -s w1.log && ! -s w2.log ]] && echo no failure' 
check "two writers: 30 runs" 0 "^30$" sqlite3 c.db "SELECT count(*) FROM runs"
check "two writers: integrity" 0 "^ok$" sqlite3 c.db "PRAGMA integrity_check"

# A writer killed in its transaction loses nothing already stored and leaves
# no half run: the journal rolls it back.
rm -f k.db k.db-journal
run big.json 100 60000
"$sb" record r.json --db k.db --commit "$(sha_of 1)" --commit-date "$(date_of 1)" >/dev/null
hot=0
for attempt in 1 2 3 4 5 6; do
  "$sb" record big.json --db k.db --commit "$(sha_of $((attempt + 1)))" --commit-date "$(date_of 3)" >/dev/null 2>&1 &
  pid=$!
  for ((w = 0; w < 400; w++)); do  # wait for the transaction to open (the journal appears)
    [[ -e k.db-journal ]] && break
    sleep 0.005
  done
  sleep 0.0$((attempt * 3))
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  [[ -e k.db-journal ]] && hot=$((hot + 1))
done
echo "     killed 6 writers, $hot of them inside the transaction"
check "killed writers: some inside the transaction" 0 "^[1-9]" echo "$hot"
check "killed writers: integrity" 0 "^ok$" sqlite3 k.db "PRAGMA integrity_check"
check "killed writers: every stored run whole" 0 "^0$" sqlite3 k.db \
  "SELECT count(*) FROM runs r WHERE r.measurements != (SELECT count(*) FROM measurements m WHERE m.run_id = r.id)"
check "killed writers: the first run kept" 0 "^1\|2$" sqlite3 k.db "SELECT id, measurements FROM runs WHERE id = 1"

# A store with a 20 % step at commit 9 of 14: history shows it, and
# --fail-on-regression fails while the step is among the newest commits.
rm -f h.db
for c in $(seq 1 14); do
  for rep in 1 2 3; do
    v=$(( (c < 9 ? 1000 : 1200) + (c * 7 + rep * 13) % 11 ))
    run "h_${c}_$rep.json" "$v"
    "$sb" record "h_${c}_$rep.json" --db h.db --commit "$(sha_of $((c + 1000)))" --commit-date "$(date_of "$c")" --machine ci-1 >/dev/null
  done
done
check "history shows the step" 0 "\^ step \+(19\.[5-9]|20\.[0-4]) % .*after $(sha_of 1008 | cut -c1-10), by $(sha_of 1009 | cut -c1-10)" \
  "$sb" history --db h.db --filter 'batch:0$'
check "fail-on-regression: recent step" 1 "REGRESSION score/analytic/scale_tril/per_sample/grads/f64/d:8/batch:0 on ci-1" \
  "$sb" history --db h.db --fail-on-regression --recent 6
check "fail-on-regression: step older than --recent" 0 "commits\]" "$sb" history --db h.db --fail-on-regression --recent 3
check "fail-on-regression: step below the threshold" 0 "commits\]" "$sb" history --db h.db --fail-on-regression --recent 6 --threshold 25
check "history --json" 0 "" "$sb" history --db h.db --json h.json
check "history --json: the step" 0 "\"first_after\": \"$(sha_of 1009)\"" cat h.json

# The report's history section: a chart per family, the step in the table;
# a store of one commit says so.
check "report --history" 0 "report:" "$sb" report --history h.db --time real_time --out rep
check "report: history chart" 0 "history_score_analytic_scale_tril.svg" cat rep/report.md
check "report: the step in the table" 0 "batch:0 \| ci-1 \| \+(19\.[5-9]|20\.[0-4]) %" cat rep/report.md
check "report: one commit only" 0 "runs of one commit only" bash -c "'$sb' report --history s.db --out rep1 >/dev/null 2>&1; cat rep1/report.md"

# bisect in a throw-away repository whose "benchmark" gets 30 % slower at commit 5 of 8.
mkdir repo && cd repo || exit 2
git init -q . && git config user.email t@t && git config user.name t
for c in $(seq 1 8); do
  run value.json $((c < 5 ? 100 : 130))
  git add value.json && git commit -q --allow-empty -m "commit $c" && git rev-parse HEAD >>../shas
done
cd ..
good=$(sed -n 1p shas) bad=$(sed -n 8p shas) fifth=$(sed -n 5p shas)
cd repo
check "bisect prints the commands" 0 "^git bisect run .* bisect --judge" \
  "$sb" bisect --good "$good" --bad "$bad" --filter batch:0 --metric real_time --good-value 100 --bad-value 130 --build true
check "bisect --run finds commit 5" 0 "first bad commit: $fifth \([0-9a-f]+ commit 5\)" \
  "$sb" bisect --good "$good" --bad "$bad" --filter batch:0 --metric real_time --good-value 100 --bad-value 130 \
  --build true --measure 'cp value.json "$SCOREBENCH_BISECT_OUT"' --run
check "bisect: values from a store without the row" 2 "has no real_time of a row matching" \
  "$sb" bisect --good "$good" --bad "$bad" --filter batch:0 --metric real_time --db ../s.db
check "bisect: not a commit" 2 "'deadbeef' is not a commit" "$sb" bisect --good deadbeef --bad "$bad" --filter x
cd ..

if ((failures)); then echo "$failures check(s) failed"; exit 1; fi
echo "all checks passed"
