#!/usr/bin/python3
"""PyTorch's own distributions as a scorebench.external/1 implementation:
torch.distributions.MultivariateNormal (scale_tril, covariance_matrix,
precision_matrix) and Independent(Normal) (scale_diag), differentiated by
autograd, in float32 and float64, with per-sample and shared parameters.

    scorebench verify --quick --external "/usr/bin/python3 verification/adapters/torch_distributions.py"

Run it with the Python that has torch (Debian's python3-torch, installed by
scripts/setup.sh, lives in /usr/bin/python3). Protocol:
verification/adapters/PROTOCOL.md.

How the modes map onto autograd:
  per-sample Σ, grads   one batched distribution, log_prob(a).sum().backward():
                        sample b's parameters only reach log p_b, so each
                        parameter's .grad holds the per-sample gradients;
  shared Σ, sum         the REINFORCE accumulation (c * log_prob(a)).sum()
                        with one (d×d) parameter leaf, as a policy would;
  shared Σ, grads       autograd has no per-sample gradient of a broadcast
                        leaf, so the shared Σ is repeated into a (B×d×d) leaf
                        (the values, and so the gradients, are the shared Σ's).
The contract declared below is the route PyTorch takes, counted like the
built-in methods' (verification/README.md): L and σ are used as given
(own factor); Σ is Cholesky-factored and Λ is turned into a scale_tril
through Σ's factor (through Σ). c = 1.
"""
import json
import math
import sys
import time

try:
    import torch
    from torch.distributions import Independent, MultivariateNormal, Normal
except ImportError as e:  # said on stderr: scorebench shows it as the evidence
    sys.stderr.write("torch_distributions.py needs PyTorch (Debian: python3-torch; run with /usr/bin/python3): %s\n" % e)
    sys.exit(1)

PARAMS = ["scale_tril", "covariance_matrix", "precision_matrix", "scale_diag"]
DTYPES = {"double": torch.float64, "float": torch.float32}
NONFINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def decode(x):
    if isinstance(x, list):
        return [decode(v) for v in x]
    return NONFINITE[x] if isinstance(x, str) else x


def encode(x):
    if isinstance(x, list):
        return [encode(v) for v in x]
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x  # repr(): the shortest decimal that reads back to the same double


def decode_request(req):
    """The request's tensors, batch first: p, loc, ("action" | "noise", tensor), param, weights."""
    dtype = DTYPES[req["dtype"]]
    p = next(k for k in PARAMS if k in req)

    def t(key):
        return torch.tensor(decode(req[key]), dtype=dtype)
    given = ("action", t("action")) if "action" in req else ("noise", t("noise"))
    weights = t("weights") if req["output"] == "sum" else None
    return p, t("loc"), given, t(p), weights


def tensors(req):
    """The tensors autograd takes: the action (a = μ + L ε when the noise is given) and the parameters."""
    p, loc, given, param, weights = decode_request(req)
    return (p, loc, action_of(p, loc, given, param), expanded(req, param, loc.shape[0]), weights)


def action_of(p, loc, given, param):
    if given[0] == "action":
        return given[1]
    with torch.no_grad():  # a = μ + L ε, Σ = L Lᵀ: the score is taken at that action, held fixed
        d = distribution(p, loc, param)
        l = torch.diag_embed(param) if p == "scale_diag" else d.scale_tril
        return loc + (l @ given[1].unsqueeze(-1)).squeeze(-1)


def expanded(req, param, n):
    if req["shared"] and req["output"] == "grads":
        return param.expand((n,) + tuple(param.shape)).clone()
    return param


def bad_blocks(p, param):
    """Per parameter block (batch first): (mask, why) for each reason
    PyTorch's constraints would refuse it (lower_cholesky: lower triangular
    with a positive diagonal; positive_definite: symmetric within atol 1e-6
    and a Cholesky factor), the first that applies named."""
    n = param.shape[0]
    out = [(~torch.isfinite(param.reshape(n, -1)).all(-1), p + " is not finite")]
    if p == "scale_diag":
        out.append(((param <= 0).any(-1), "scale_diag is not positive"))
    elif p == "scale_tril":
        diag = torch.diagonal(param, dim1=-2, dim2=-1)
        out.append(((diag <= 0).any(-1), "scale_tril's diagonal is not positive"))
        out.append(((param.triu(1) != 0).reshape(n, -1).any(-1), "scale_tril is not lower triangular"))
    else:
        finite = torch.nan_to_num(param)
        symmetric = torch.isclose(finite, finite.mT, atol=1e-6).reshape(n, -1).all(-1)
        out.append((~symmetric, p + " is not symmetric"))
        out.append((torch.linalg.cholesky_ex(finite).info != 0, p + " is not positive definite"))
    return out


def failed_samples(p, loc, given, param, shared):
    """Sample → why it cannot be computed. PyTorch refuses a whole batch for
    one bad sample; the protocol asks for the others, so the bad ones are
    found first and left out."""
    why = {}

    def flag(rows, what):
        for b in torch.nonzero(rows).flatten().tolist():
            why.setdefault(b, "sample %d: %s" % (b, what))
    flag(~torch.isfinite(loc).all(-1), "loc is not finite")
    flag(~torch.isfinite(given[1]).all(-1), given[0] + " is not finite")
    for bad, what in bad_blocks(p, param.unsqueeze(0) if shared else param):
        if shared and bad.any():
            raise ValueError("the shared " + what)
        if not shared:
            flag(bad, what)
    return why


def distribution(p, loc, param):
    if p == "scale_diag":
        return Independent(Normal(loc, param), 1)
    return MultivariateNormal(loc, **{p: param})


def log_prob_and_grads(p, loc, action, param, weights):
    loc, action, param = (t.detach().requires_grad_() for t in (loc, action, param))
    lp = distribution(p, loc, param).log_prob(action)
    total = lp.sum() if weights is None else (weights * lp).sum()
    total.backward()
    first = total if weights is not None else lp
    if weights is not None:  # one gradient for the batch: summed over the samples' own
        g_param = param.grad if param.dim() == (1 if p == "scale_diag" else 2) else param.grad.sum(0)
        return first, loc.grad.sum(0), action.grad.sum(0), g_param
    return first, loc.grad, action.grad, param.grad


def answer(req):
    p, loc, given, param, weights = decode_request(req)
    n, shared, grads = loc.shape[0], req["shared"], req["output"] == "grads"
    why = failed_samples(p, loc, given, param, shared)
    keep = torch.tensor([b for b in range(n) if b not in why], dtype=torch.long)
    loc_k, given_k = loc.index_select(0, keep), (given[0], given[1].index_select(0, keep))
    param_k = param if shared else param.index_select(0, keep)
    weights_k = None if weights is None else weights.index_select(0, keep)
    if len(keep):
        action_k = action_of(p, loc_k, given_k, param_k)
        outs = log_prob_and_grads(p, loc_k, action_k, expanded(req, param_k, len(keep)), weights_k)
    else:  # every sample failed: per-sample rows of none, or an empty sum (0)
        lead = (0,) if grads else ()
        block = tuple(param.shape if shared else param.shape[1:])
        outs = tuple(torch.zeros(lead + shape, dtype=loc.dtype)
                     for shape in ((), tuple(loc.shape[1:]), tuple(loc.shape[1:]), block))
    if grads:  # the failed samples' entries are NaN
        full = []
        for o in outs:
            f = torch.full((n,) + tuple(o.shape[1:]), math.nan, dtype=loc.dtype)
            f[keep] = o.detach()
            full.append(f)
        outs = full
    lp, g_loc, g_action, g_param = (o.tolist() for o in outs)
    out = {"id": req["id"], "log_prob": encode(lp), "grad_loc": encode(g_loc),
           "grad_action": encode(g_action), "grad_" + p: encode(g_param)}
    if why:
        out["errors"] = [{"sample": b, "message": why[b]} for b in sorted(why)]
    return out


def timing(req):
    p, loc, action, param, weights = tensors(req)
    start = time.perf_counter_ns()
    for _ in range(req["repeat"]):
        log_prob_and_grads(p, loc, action, param, weights)
    return {"id": req["id"], "nanoseconds": time.perf_counter_ns() - start}


def send(obj):
    sys.stdout.write(json.dumps(obj, allow_nan=False, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def main():
    torch.set_num_threads(1)  # like the built-in methods' single-thread rows
    own = {"route": "own_factor", "c": 1}
    through = {"route": "through_sigma", "c": 1}
    send({"protocol": "scorebench.external/1", "name": "torch_distributions",
          "summary": "torch %s distributions.MultivariateNormal / Independent(Normal), autograd" % torch.__version__,
          "parameterizations": PARAMS, "dtypes": ["double", "float"], "per_sample": True, "shared": True,
          "outputs": ["grads", "sum"], "timing": True,
          "contract": through,
          "contracts": {"scale_tril": own, "scale_diag": own, "covariance_matrix": through,
                        "precision_matrix": through}})
    for line in sys.stdin:
        req = json.loads(line)
        try:
            send(timing(req) if req.get("op") == "time" else answer(req))
        except (RuntimeError, ValueError) as e:  # torch's refusals: not positive definite, ...
            send({"id": req["id"], "error": str(e).splitlines()[0] if str(e) else type(e).__name__})


if __name__ == "__main__":
    main()
