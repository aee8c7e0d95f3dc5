#!/usr/bin/env python3
"""Compares two verify JSON reports (verify --external and check) evaluation
by evaluation: the same (case id, mode) keys, and for each the same status,
promise, failing blocks and per-block ratios (to 1e-9 relative; check grades
with the same code against the same 50-digit references, so they agree to
the last digit unless the answers differ). Exit 1 with the differences."""
import json
import math
import sys


def evaluations(path):
    doc = json.load(open(path))
    cases = doc["cases"]
    out = {}
    for r in doc["results"]:
        key = (cases[r["case"]]["id"], r["mode"])
        if key in out:
            sys.exit("%s: %s twice" % (path, key))
        out[key] = r
    return doc, out


def ratio(b):
    x = b["ratio"]
    return math.inf if isinstance(x, str) else x


def main():
    vdoc, v = evaluations(sys.argv[1])
    cdoc, c = evaluations(sys.argv[2])
    problems = []
    if set(v) != set(c):
        problems.append("evaluations only in verify: %s; only in check: %s" %
                        (sorted(set(v) - set(c))[:5], sorted(set(c) - set(v))[:5]))
    if vdoc["methods"] != cdoc["methods"]:
        problems.append("methods %s vs %s" % (vdoc["methods"], cdoc["methods"]))
    if vdoc["ok"] != cdoc["ok"]:
        problems.append("ok %s vs %s" % (vdoc["ok"], cdoc["ok"]))
    for key in sorted(set(v) & set(c)):
        a, b = v[key], c[key]
        for field in ("status", "promised", "unit_bound"):
            if a[field] != b[field]:
                problems.append("%s: %s %s vs %s" % (key, field, a[field], b[field]))
        ab = {x["block"]: x for x in a["blocks"]}
        bb = {x["block"]: x for x in b["blocks"]}
        if set(ab) != set(bb):
            problems.append("%s: blocks %s vs %s" % (key, sorted(ab), sorted(bb)))
            continue
        for name in ab:
            ra, rb = ratio(ab[name]), ratio(bb[name])
            same = ra == rb or abs(ra - rb) <= 1e-9 * max(abs(ra), abs(rb))
            if not same or ab[name].get("structure") != bb[name].get("structure"):
                problems.append("%s %s: ratio %r vs %r" % (key, name, ra, rb))
    checked = len(set(v) & set(c))
    statuses = {}
    for r in c.values():
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    if problems:
        print("\n".join(problems[:20]))
        print("%d differences in %d evaluations" % (len(problems), checked))
        return 1
    print("agree on %d evaluations %s" % (checked, statuses))
    return 0 if checked else 1


sys.exit(main())
