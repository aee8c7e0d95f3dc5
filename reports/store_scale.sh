#!/usr/bin/env bash
# The cost of `scorebench record` and `scorebench history` on a store of many
# runs (not part of CI): RUNS runs of ROWS rows (real_time, cpu_time and two
# counters each), one per commit, a 10 % step at the middle commit in one row
# in 10.  Usage: reports/store_scale.sh [SCOREBENCH] [RUNS] [ROWS]
set -euo pipefail
sb=${1:-build/release/cli/scorebench}
runs=${2:-1000}
rows=${3:-300}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$runs" "$rows" <<'PY'
import json, random, sys
work, runs, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(1)
for r in range(runs):
    bench = []
    for i in range(rows):
        t = 1000.0 * (1.1 if i % 10 == 0 and r >= runs // 2 else 1.0) * rng.lognormvariate(0, 0.01)
        name = f"score/analytic/scale_tril/per_sample/grads/f64/d:8/batch:{i}"
        bench.append({"name": name, "run_name": name, "run_type": "iteration", "repetitions": 1,
                      "repetition_index": 0, "threads": 1, "iterations": 100, "real_time": t,
                      "cpu_time": t, "time_unit": "ns", "samples_per_second": 1e9 / t, "d": 8})
    json.dump({"context": {"host_name": "scale", "num_cpus": 2, "load_avg": [0, 0, 0]},
               "benchmarks": bench}, open(f"{work}/run{r}.json", "w"))
PY
start=$(date +%s.%N)
for ((r = 0; r < runs; r++)); do
  "$sb" record "$work/run$r.json" --db "$work/s.db" --commit "$(printf '%08x' $((r + 1)))" \
    --commit-date "$(date -u -d "@$((1700000000 + r * 3600))" +%Y-%m-%dT%H:%M:%SZ)" >/dev/null
done
recorded=$(date +%s.%N)
"$sb" history --db "$work/s.db" --json "$work/h.json" >/dev/null
done_at=$(date +%s.%N)
steps=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(sum(len(r['steps']) for r in d['rows']))" "$work/h.json")
python3 - "$start" "$recorded" "$done_at" "$runs" "$rows" "$steps" "$(stat -c %s "$work/s.db")" <<'PY'
import sys
s, r, d = map(float, sys.argv[1:4]); runs, rows, steps, size = map(int, sys.argv[4:8])
print(f"record: {runs} runs of {rows} rows, {(r - s) / runs * 1000:.1f} ms per run (whole command); "
      f"store {size / 2**20:.1f} MiB")
print(f"history: {rows} series of {runs} commits in {d - r:.1f} s; {steps} steps found "
      f"(expected {len(range(0, rows, 10))}: the rows with a 10 % step)")
PY
