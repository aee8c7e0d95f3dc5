#!/usr/bin/env python3
"""A correct scorebench.external/1 implementation in the Python standard
library (the closed forms of DESIGN §1 in double precision), and the faulty
variants the tests hold scorebench to.

    reference_adapter.py [--name NAME] [--dtypes double,float]
                         [--fault KIND --at N] [--pids FILE]

--fault KIND breaks request N (1-based, counted per child process; a
restarted child counts afresh), or the hello:
  crash         exit with status 3 instead of answering
  hang          never answer
  partial       write half an answer line, then hang
  malformed     answer with a line that is not JSON
  garbage       write a log line to stdout before the answer
  wrong_id      answer with the id of another request
  wrong_shape   one entry short in grad_loc
  missing_key   no grad_action
  nan           log_prob NaN, no per-sample error
  no_hello      exit 1 before the hello (at any N)
  bad_hello     a hello of another protocol version (at any N)
  orphan        start a grandchild (sleep) that keeps stdout open, then hang
  sign_flip     grad_covariance_matrix with its sign flipped (every request)
--pids FILE appends the pid of each process this adapter starts (itself,
and the grandchild of `orphan`), so that a test can check none is left.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

PARAMS = ["scale_tril", "covariance_matrix", "precision_matrix", "scale_diag"]


def num(x):
    if isinstance(x, str):
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[x]
    return float(x)


def out(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x  # json.dumps writes repr(): the shortest text that reads back exactly


def cholesky(a):
    d = len(a)
    l = [[0.0] * d for _ in range(d)]
    for j in range(d):
        s = a[j][j] - sum(l[j][k] ** 2 for k in range(j))
        if not s > 0:
            raise ValueError("not positive definite at pivot %d" % j)
        l[j][j] = math.sqrt(s)
        for i in range(j + 1, d):
            l[i][j] = (a[i][j] - sum(l[i][k] * l[j][k] for k in range(j))) / l[j][j]
    return l


def solve_lower(l, b):
    x = []
    for i in range(len(b)):
        x.append((b[i] - sum(l[i][k] * x[k] for k in range(i))) / l[i][i])
    return x


def solve_upper_t(l, b):  # solves Lᵀ x = b
    d = len(b)
    x = [0.0] * d
    for i in reversed(range(d)):
        x[i] = (b[i] - sum(l[k][i] * x[k] for k in range(i + 1, d))) / l[i][i]
    return x


def inverse_from_factor(l):  # (L Lᵀ)⁻¹, column by column
    d = len(l)
    cols = [solve_upper_t(l, solve_lower(l, [1.0 if i == j else 0.0 for i in range(d)])) for j in range(d)]
    return [[cols[j][i] for j in range(d)] for i in range(d)]


def sample(p, loc, action, param, sign_flip):
    d = len(loc)
    r = [a - m for a, m in zip(action, loc)]
    if p == "scale_diag":
        eps = [ri / s for ri, s in zip(r, param)]
        w = [e / s for e, s in zip(eps, param)]
        half_log_det = sum(math.log(s) for s in param)
        grad = [(e * e - 1) / s for e, s in zip(eps, param)]
    elif p == "precision_matrix":
        k = cholesky(param)  # Λ = K Kᵀ
        w = [sum(param[i][j] * r[j] for j in range(d)) for i in range(d)]
        eps2 = sum(x * y for x, y in zip(r, w))
        half_log_det = -sum(math.log(k[i][i]) for i in range(d))
        sigma = inverse_from_factor(k)
        grad = [[0.5 * (sigma[i][j] - r[i] * r[j]) for j in range(d)] for i in range(d)]
    else:
        if p == "scale_tril":
            l = [[param[i][j] if j <= i else 0.0 for j in range(d)] for i in range(d)]
        else:
            l = cholesky(param)
        eps = solve_lower(l, r)
        w = solve_upper_t(l, eps)
        half_log_det = sum(math.log(l[i][i]) for i in range(d))
        if p == "scale_tril":
            grad = [[(w[i] * eps[j] if j <= i else 0.0) - (1 / l[i][i] if i == j else 0.0)
                     for j in range(d)] for i in range(d)]
        else:
            inv = inverse_from_factor(l)
            s = -1.0 if sign_flip else 1.0
            grad = [[s * 0.5 * (w[i] * w[j] - inv[i][j]) for j in range(d)] for i in range(d)]
    if p != "precision_matrix":
        eps2 = sum(e * e for e in eps)
    log_prob = -0.5 * eps2 - half_log_det - 0.5 * d * math.log(2 * math.pi)
    return log_prob, w, [-x for x in w], grad


def scale(x, c):
    return [scale(v, c) for v in x] if isinstance(x, list) else c * x


def add(x, y):
    return [add(a, b) for a, b in zip(x, y)] if isinstance(x, list) else x + y


def encode(x):
    return [encode(v) for v in x] if isinstance(x, list) else out(x)


def decode(x):
    return [decode(v) for v in x] if isinstance(x, list) else num(x)


def action_from_noise(p, loc, noise, param):  # a = μ + L ε, Σ = L Lᵀ with L lower
    d = len(loc)
    if p == "scale_diag":
        return [m + s * e for m, s, e in zip(loc, param, noise)]
    if p == "scale_tril":
        l = param
    elif p == "covariance_matrix":
        l = cholesky(param)
    else:
        l = cholesky(inverse_from_factor(cholesky(param)))
    return [loc[i] + sum(l[i][k] * noise[k] for k in range(i + 1)) for i in range(d)]


def answer(req, sign_flip):
    p = next(k for k in PARAMS if k in req)
    n = req["batch"]
    loc = decode(req["loc"])
    params = decode(req[p])
    per = [params if req["shared"] else params[b] for b in range(n)]
    if "action" in req:
        act = decode(req["action"])
    else:
        act = [action_from_noise(p, loc[b], decode(req["noise"][b]), per[b]) for b in range(n)]
    results = [sample(p, loc[b], act[b], per[b], sign_flip) for b in range(n)]
    keys = ["log_prob", "grad_loc", "grad_action", "grad_" + p]
    if req["output"] == "grads":
        body = {k: [res[i] for res in results] for i, k in enumerate(keys)}
    else:
        c = decode(req["weights"])
        body = {}
        for i, k in enumerate(keys):
            total = scale(results[0][i], c[0])
            for b in range(1, n):
                total = add(total, scale(results[b][i], c[b]))
            body[k] = total
    return {"id": req["id"], **{k: encode(v) for k, v in body.items()}}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", default="reference_py")
    ap.add_argument("--dtypes", default="double")
    ap.add_argument("--fault", default="")
    ap.add_argument("--at", type=int, default=1)
    ap.add_argument("--pids", default="")
    a = ap.parse_args()
    if a.pids:
        with open(a.pids, "a") as f:
            f.write("%d\n" % os.getpid())

    def send(obj):
        sys.stdout.write(json.dumps(obj, allow_nan=False) + "\n")
        sys.stdout.flush()

    if a.fault == "no_hello":
        sys.stderr.write("reference_adapter: failing before the hello, as asked\n")
        sys.exit(1)
    send({"protocol": "scorebench.external/0" if a.fault == "bad_hello" else "scorebench.external/1",
          "name": a.name, "summary": "closed forms in the Python standard library",
          "parameterizations": PARAMS, "dtypes": a.dtypes.split(","),
          "per_sample": True, "shared": True, "timing": True})
    count = 0
    for line in sys.stdin:
        req = json.loads(line)
        count += 1
        fault = a.fault if count == a.at else ""
        if fault == "crash":
            sys.stderr.write("reference_adapter: crashing at request %d, as asked\n" % req["id"])
            sys.stderr.flush()
            os._exit(3)
        if fault == "hang":
            time.sleep(3600)
        if fault == "orphan":
            g = subprocess.Popen(["sleep", "3600"])  # inherits stdout: holds the pipe open
            if a.pids:
                with open(a.pids, "a") as f:
                    f.write("%d\n" % g.pid)
            time.sleep(3600)
        if req["op"] == "time":
            start = time.perf_counter_ns()
            for _ in range(req["repeat"]):
                answer(req, False)
            send({"id": req["id"], "nanoseconds": time.perf_counter_ns() - start})
            continue
        try:
            ans = answer(req, a.fault == "sign_flip")
        except ValueError as e:
            send({"id": req["id"], "error": str(e)})
            continue
        if fault == "garbage":
            sys.stdout.write("loading weights... done\n")
        if fault == "malformed":
            sys.stdout.write("{this is not json\n")
            sys.stdout.flush()
            continue
        if fault == "wrong_id":
            ans["id"] = req["id"] + 1000
        if fault == "wrong_shape":
            ans["grad_loc"][0] = ans["grad_loc"][0][:-1]
        if fault == "missing_key":
            del ans["grad_action"]
        if fault == "nan":
            ans["log_prob"][0] = "NaN"
        if fault == "partial":
            text = json.dumps(ans)
            sys.stdout.write(text[: len(text) // 2])
            sys.stdout.flush()
            time.sleep(3600)
        send(ans)


if __name__ == "__main__":
    main()
