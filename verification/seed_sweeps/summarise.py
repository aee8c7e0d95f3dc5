#!/usr/bin/env python3
"""The false-alarm table of recorded seed sweeps.

    verification/seed_sweeps/summarise.py verification/seed_sweeps/full_*.json

Reads `verify --seeds A..B --json` pieces (schema scorebench.verify_seeds/1)
and single `verify --seed S --json` runs, merged shards included (schema
scorebench.verify/1), and prints the seeds, the gated blocks, the
violations, and per method and dtype the largest error/bound and the
largest 99.9th percentile of the pieces (a single run's percentile is taken
over its promised blocks the way seed_sweep.cpp takes it: the smallest
ratio with at least 99.9 % of the blocks at or below it).
"""

import json
import math
import sys
from collections import defaultdict


def ratio_of(block):
    r = block.get("ratio")
    if isinstance(r, (int, float)) and not math.isnan(r):
        return float(r)
    return math.inf  # NaN, null or "NaN": a violation, as the sweep counts it


def single_run_statistics(run):
    """Per (method, dtype): blocks, violations, worst, p999 of one verify run."""
    ratios = defaultdict(list)
    violations = defaultdict(int)
    for e in run["results"]:
        if not e.get("promised", False):
            continue
        key = (e["method"], run["cases"][e["case"]]["dtype"])
        for b in e.get("blocks", []):
            r = ratio_of(b)
            ratios[key].append(r)
            if not r <= 1 or b.get("structure"):
                violations[key] += 1
    out = {}
    for key, rs in ratios.items():
        rs.sort()
        rank = max(math.ceil(0.999 * len(rs)), 1)
        out[key] = {"gated_blocks": len(rs), "violations": violations[key], "worst_ratio": rs[-1],
                    "p999_ratio": rs[rank - 1]}
    return out


def main(paths):
    seeds, blocks, bad = [], 0, 0
    table = defaultdict(lambda: {"worst": 0.0, "p999": 0.0, "blocks": 0, "violations": 0})
    for path in paths:
        with open(path) as f:
            run = json.load(f)
        if run["schema"] == "scorebench.verify_seeds/1":
            seeds += [s["seed"] for s in run["seeds"]]
            blocks += run["gated_blocks"]
            bad += run["violations"]
            stats = {(s["method"], s["dtype"]): s for s in run["statistics"]}
        elif run["schema"] == "scorebench.verify/1":
            if "shard" in run:
                sys.exit(f"{path}: one shard of a run; give the merged JSON (scorebench merge)")
            seeds.append(run["seed"])
            stats = single_run_statistics(run)
            blocks += sum(s["gated_blocks"] for s in stats.values())
            bad += len(run.get("violations", []))
        else:
            sys.exit(f"{path}: schema {run['schema']!r} is not a verify run")
        for key, s in stats.items():
            t = table[key]
            t["worst"] = max(t["worst"], s["worst_ratio"] or 0.0)
            t["p999"] = max(t["p999"], s["p999_ratio"] or 0.0)
            t["blocks"] += s["gated_blocks"]
            t["violations"] += s["violations"]
    print(f"seeds {sorted(seeds)}: {bad} violations in {blocks} gated blocks"
          f" ({1e6 * bad / max(blocks, 1):.3g} per 10^6)")
    print("| method | f64 | f32 |\n|---|---|---|")
    for method in sorted({m for m, _ in table}):
        cells = []
        for dtype in ("f64", "f32"):
            t = table.get((method, dtype))
            cells.append(f"{t['worst']:.2f} ({t['p999']:.2f})" if t else "–")
        print(f"| {method} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
