#!/usr/bin/env python3
"""Mutation testing of the analytic kernels against the gate (issue 13).

Each mutant is one small change to one line of a kernel source (an operator,
a comparison or loop bound, a constant, a SIMD primitive, a dropped update);
the mutant is built and `scorebench verify --quick --method analytic
--require-coverage` runs against it (the CTest verify_quick's gate: the
kernel-path coverage is part of the verdict). Killed: the gate exits 1 (or the run crashes or times out).
A mutant the gate lets through is then given the unit tests that check
what the gate takes on trust, the kernel paths a batch records
(--unit-tests, a gtest filter; built in the baseline tree): killed there,
its detail begins "unit tests:". Survived: both pass — a wrong kernel
nothing caught, unless the change is equivalent (the committed list
equivalent.txt says why). Stillborn: it does not compile (not counted).

    verification/mutation/mutate.py list [--files F ...]
    verification/mutation/mutate.py run [--ids ID,...] [--sample N] [--seed S]
                                        [--build-dir DIR] [--results FILE] [--timeout SECONDS]
                                        [--isa LEVEL]
    verification/mutation/mutate.py score [--results FILE]

`run` edits the source tree in place, one mutant at a time, and always puts
the original file back (also on Ctrl-C, leaving the mutant in hand
unrecorded), then rebuilds the unmutated binary.
It refuses to start when a target file has uncommitted changes. Each mutant
costs one rebuild of the analytic translation unit (in the tree of the
level the gate runs only: gate_build) and one quick gate run (2 to 4
minutes on the 2-core machine), so the whole set is a long job,
not part of CI: run it in pieces (`--sample`, `--ids`), the results file
keeps what was run and `run` skips mutants already in it.

Mutant ids are content hashes (file, the line's text, the operator, which
occurrence), so they survive edits elsewhere in the file.
"""

import argparse
import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [
    "estimators/score/include/scorebench/methods/analytic.hpp",
    "estimators/score/include/scorebench/methods/analytic/factor.hpp",
    "estimators/score/include/scorebench/methods/analytic/output_layout.hpp",
    "estimators/score/include/scorebench/methods/analytic/scale_tril_samples.hpp",
    "estimators/score/include/scorebench/methods/analytic/shared_batch.hpp",
    "estimators/score/include/scorebench/methods/analytic/spd_samples.hpp",
    "estimators/score/include/scorebench/kernels/scale_tril_lanes.hpp",
    "estimators/score/include/scorebench/kernels/lane_layout.hpp",
    "estimators/score/include/scorebench/kernels/spd_lanes.hpp",
    "estimators/score/include/scorebench/kernels/scale_tril.hpp",
    "estimators/score/include/scorebench/kernels/scale_tril_check.hpp",
    "estimators/score/include/scorebench/kernels/log_prob.hpp",
    "estimators/score/include/scorebench/kernels/lane_forward_substitution.hpp",
]

# (name, pattern, replacement): each occurrence of pattern in a code line is
# one mutant. Spaces around binary operators are clang-format's, which keeps
# pointer declarations (T* p) and template brackets (Vec<T>) out.
OPERATORS = [
    ("add_to_sub", r" \+ ", " - "),
    ("sub_to_add", r" - ", " + "),
    ("mul_to_div", r" \* ", " / "),
    ("div_to_mul", r" / ", " * "),
    ("plus_assign_to_minus", r" \+= ", " -= "),
    ("minus_assign_to_plus", r" -= ", " += "),
    ("lt_to_le", r" < ", " <= "),
    ("le_to_lt", r" <= ", " < "),
    ("gt_to_ge", r" > ", " >= "),
    ("ge_to_gt", r" >= ", " > "),
    ("eq_to_ne", r" == ", " != "),
    ("ne_to_eq", r" != ", " == "),
    ("and_to_or", r" && ", " || "),
    ("or_to_and", r" \|\| ", " && "),
    ("plus_one_to_two", r"\+ 1\b", "+ 2"),
    ("minus_one_to_zero", r"- 1\b", "- 0"),
    ("half_to_quarter", r"T\(0\.5\)", "T(0.25)"),
    ("minus_half_to_half", r"T\(-0\.5\)", "T(0.5)"),
    ("one_to_two", r"T\(1\)", "T(2)"),
    ("two_to_one", r"T\(2\)", "T(1)"),
    ("simd_add_to_sub", r"\bsimd::add\(", "simd::sub("),
    ("simd_sub_to_add", r"\bsimd::sub\(", "simd::add("),
    ("simd_mul_to_add", r"\bsimd::mul\(", "simd::add("),
    ("simd_div_to_mul", r"\bsimd::div\(", "simd::mul("),
    ("simd_madd_to_msub", r"\bsimd::madd\(", "simd::msub("),
    ("inc_to_dec", r"\+\+", "--"),
]
# A whole update dropped: an assignment statement on one line.
DROP = re.compile(r"^\s*[A-Za-z_][\w\[\]().>-]*(\([^;]*\))?\s*(\+=|-=|\*=|/=|=)\s*[^;=]+;\s*$")
SKIP = re.compile(r"^\s*(//|#|static_assert|using |template|namespace|\*|/\*)")


def code_lines(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        lines = f.read().split("\n")
    for number, text in enumerate(lines, 1):
        code = text.split("//", 1)[0]
        if SKIP.match(text) or not code.strip() or '"' in code:
            continue
        yield number, text, code


def mutant_id(path, text, same, op, occurrence):
    # same: how many earlier lines of the file read exactly like this one.
    # The key spells the path as it was when the first ids were committed
    # (estimators/include/..., before the score headers moved to
    # estimators/score/), so the ids in equivalent.txt and the results files
    # still name the same mutants.
    key_path = path.replace("estimators/score/", "estimators/", 1)
    key = "\0".join([key_path, text.strip(), str(same), op, str(occurrence)])
    return hashlib.sha1(key.encode()).hexdigest()[:10]


def enumerate_mutants(files):
    out = []
    for path in files:
        seen = {}
        for number, text, code in code_lines(path):
            same = seen.get(text.strip(), 0)
            seen[text.strip()] = same + 1
            for op, pattern, replacement in OPERATORS:
                for k, m in enumerate(re.finditer(pattern, code)):
                    after = text[: m.start()] + m.expand(replacement) + text[m.end():]
                    out.append({"id": mutant_id(path, text, same, op, k), "file": path, "line": number,
                                "operator": op, "before": text.strip(), "after": after.strip(),
                                "text": after})
            if DROP.match(code) and "return" not in code and "auto " not in code and "const " not in code:
                out.append({"id": mutant_id(path, text, same, "drop_update", 0), "file": path, "line": number,
                            "operator": "drop_update", "before": text.strip(), "after": "(line removed)",
                            "text": ""})
    return out


def read_results(path):
    done = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    done[r["id"]] = r
    return done


def equivalents():
    out = {}
    path = os.path.join(HERE, "equivalent.txt")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    mid, _, why = line.partition(" ")
                    out[mid] = why.strip()
    return out


def build(build_dir, target="scorebench"):
    return subprocess.run(["cmake", "--build", build_dir, "--target", target, "-j2"],
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


UNIT_TESTS = "scorebench_estimators_tests"


def unit_tests(build_dir, gtest_filter, timeout):
    """The unit tests that check what the gate takes on trust (which kernel
    paths a batch records: path_coverage_test.cpp), built in the baseline
    tree and run on a mutant the gate let through. Returns (verdict, detail),
    or None when they pass."""
    b = build(build_dir, UNIT_TESTS)
    if b.returncode != 0:
        return "stillborn", "unit tests: " + b.stdout[-300:]
    exe = os.path.join(ROOT, build_dir, "estimators", "score", "tests", UNIT_TESTS)
    try:
        t = subprocess.run([exe, "--gtest_filter=" + gtest_filter, "--gtest_brief=1"], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "killed", "unit tests: timeout after %d s" % timeout
    if t.returncode == 0:
        return None
    failed = next((l for l in t.stdout.split("\n") if l.startswith("[  FAILED  ]")), "exit %d" % t.returncode)
    return "killed", "unit tests: " + failed.strip()


def gate_build(build_dir, env):
    """The build tree and executable the gate runs. The level the gate's
    environment runs (`scorebench --isa`) has a sub-build of its own when it is
    a run-time variant (cmake/isa_variants.cmake): then only that tree is
    rebuilt per mutant, not the baseline beside it, which the gate would not
    run; else the baseline tree."""
    base = os.path.join(ROOT, build_dir)
    exe = os.path.join(base, "cli", "scorebench")
    if not os.path.exists(exe) and build(build_dir).returncode != 0:
        sys.exit("mutate.py: the unmutated build failed; run cmake --build yourself")
    level = subprocess.run([exe, "--isa"], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True).stdout.strip()
    variant = os.path.join(base, "isa", level)
    if level and os.path.exists(os.path.join(variant, "cli", "scorebench")):
        return variant, os.path.join(variant, "cli", "scorebench")
    return base, exe


def run_mutants(args):
    mutants = enumerate_mutants(args.files)
    chosen = mutants
    if args.ids:
        wanted = set(args.ids.split(","))
        chosen = [m for m in mutants if m["id"] in wanted]
        missing = wanted - {m["id"] for m in chosen}
        if missing:
            sys.exit("mutate.py: no mutant with id " + ", ".join(sorted(missing)))
    elif args.sample:
        chosen = random.Random(args.seed).sample(mutants, min(args.sample, len(mutants)))
    dirty = subprocess.run(["git", "diff", "--quiet", "--"] + args.files, cwd=ROOT).returncode
    if dirty:
        sys.exit("mutate.py: a target file has uncommitted changes; commit or stash them first")
    done = read_results(args.results)
    # The gate runs the instruction-set level asked for: the lanes of that
    # level are what is mutated.
    env = dict(os.environ, SCOREBENCH_ISA=args.isa)
    mutant_build, exe = gate_build(args.build_dir, env)
    print("mutate.py: each mutant is built in %s" % os.path.relpath(mutant_build, ROOT), flush=True)
    originals = {}
    interrupted = []
    unit_built = False

    def restore():
        for path, text in originals.items():
            with open(os.path.join(ROOT, path), "w", encoding="utf-8") as f:
                f.write(text)
        originals.clear()

    signal.signal(signal.SIGINT, lambda *_: interrupted.append(1))
    signal.signal(signal.SIGTERM, lambda *_: interrupted.append(1))
    try:
        for i, m in enumerate(chosen, 1):
            if interrupted:
                break
            if m["id"] in done:
                continue
            path = os.path.join(ROOT, m["file"])
            with open(path, encoding="utf-8") as f:
                original = f.read()
            originals[m["file"]] = original
            lines = original.split("\n")
            lines[m["line"] - 1] = m["text"]
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
            start = time.time()
            b = build(mutant_build)
            if b.returncode != 0:
                verdict, detail = "stillborn", b.stdout[-300:]
            else:
                try:
                    g = subprocess.run([exe, "verify", "--quick", "--method", "analytic", "--require-coverage",
                                        "--seed", str(args.gate_seed)],
                                       cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True, timeout=args.timeout)
                    verdict = {0: "survived", 1: "killed"}.get(g.returncode, "killed")
                    first = next((l for l in g.stderr.split("\n") if l.startswith("VIOLATION")), "")
                    detail = first if g.returncode == 1 else "exit %d %s" % (g.returncode, g.stderr[-200:])
                except subprocess.TimeoutExpired:
                    verdict, detail = "killed", "timeout after %d s" % args.timeout
                if verdict == "survived" and args.unit_tests:
                    unit_built = True
                    verdict, detail = unit_tests(args.build_dir, args.unit_tests, args.timeout) or (verdict, detail)
            restore()
            if interrupted:  # the build or the gate was stopped with us: no verdict
                print("mutate.py: interrupted; %s is left unrecorded" % m["id"], flush=True)
                break
            r = {k: m[k] for k in ("id", "file", "line", "operator", "before", "after")}
            r.update(verdict=verdict, detail=detail.strip(), seconds=round(time.time() - start, 1))
            if args.isa != "auto":
                r["isa"] = args.isa
            with open(args.results, "a", encoding="utf-8") as f:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
            print("[%d/%d] %s %s %s:%d %s" % (i, len(chosen), r["verdict"], m["id"], m["file"], m["line"],
                                             m["operator"]), flush=True)
    finally:
        restore()
        print("mutate.py: rebuilding the unmutated scorebench", flush=True)
        if build(args.build_dir).returncode != 0:
            print("mutate.py: the unmutated build failed; run cmake --build yourself", file=sys.stderr)
        if unit_built and build(args.build_dir, UNIT_TESTS).returncode != 0:
            print("mutate.py: the unmutated unit tests did not build; run cmake --build yourself", file=sys.stderr)


def score(args):
    results = read_results(args.results)
    eq = equivalents()
    counts = {"killed": 0, "survived": 0, "equivalent": 0, "stillborn": 0}
    survivors = []
    for r in results.values():
        v = r["verdict"]
        if v == "survived" and r["id"] in eq:
            v = "equivalent"
        counts[v] += 1
        if v == "survived":
            survivors.append(r)
    gated = counts["killed"] + counts["survived"]
    by_unit = sum(1 for r in results.values()
                  if r["verdict"] == "killed" and r.get("detail", "").startswith("unit tests:"))
    print("mutants run: %d (killed %d, of them %d by the unit tests; survived %d, argued equivalent %d, "
          "stillborn %d)" % (len(results), counts["killed"], by_unit, counts["survived"], counts["equivalent"],
                             counts["stillborn"]))
    if gated:
        print("mutation score: %.1f %% of non-equivalent mutants killed" % (100.0 * counts["killed"] / gated))
    for r in survivors:
        print("SURVIVED %s %s:%d %s\n    %s\n -> %s" % (r["id"], r["file"], r["line"], r["operator"], r["before"],
                                                      r["after"]))
    return 1 if survivors else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    for name in ("list", "run", "score"):
        p = sub.add_parser(name)
        p.add_argument("--files", nargs="+", default=FILES)
        p.add_argument("--results", default=os.path.join(ROOT, "build", "mutation_results.jsonl"))
    run = sub.choices["run"]
    run.add_argument("--ids", default="")
    run.add_argument("--sample", type=int, default=0)
    run.add_argument("--seed", type=int, default=1)
    run.add_argument("--gate-seed", type=int, default=20240611)
    run.add_argument("--build-dir", default=os.path.join("build", "release"))
    run.add_argument("--timeout", type=int, default=400)
    run.add_argument("--isa", default="auto", help="SCOREBENCH_ISA of the gate run (README, Instruction sets)")
    run.add_argument("--unit-tests", default="PathCoverage*:SumLog*",
                     help="gtest filter of the unit tests run on a mutant the gate lets through ('' for none)")
    args = ap.parse_args()
    if args.command == "list":
        ms = enumerate_mutants(args.files)
        for m in ms:
            print("%s %s:%d %s\n    %s\n -> %s" % (m["id"], m["file"], m["line"], m["operator"], m["before"],
                                                  m["after"]))
        print("%d mutants" % len(ms))
        return 0
    if args.command == "run":
        run_mutants(args)
        return 0
    return score(args)


if __name__ == "__main__":
    sys.exit(main())
