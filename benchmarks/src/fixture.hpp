#pragma once
// The data a score benchmark runs on, and the check after its timed loop.
//
// Batch: L lower triangular with diagonal 1 + U(0,1) and off-diagonal
// N(0,1)·½/√d (κ(L) a few units at every d), μ ~ N(0,1) per sample, ε ~ N(0,1),
// a = μ + L ε; the parameter is L, Σ = L Lᵀ, Λ = Σ⁻¹ (both exactly
// symmetric) or σ = diag(L). Per-sample parameters cycle through 16 distinct
// blocks (each sample still has its own block in memory). Weights for `sum`
// are c_b ∈ [½, 3/2]. Everything is drawn in double from a seed derived from
// the configuration and rounded once to the benchmark's precision.
//
// Check: the method's result against the `analytic` reference kernel (the
// plain per-sample closed forms, AnalyticReferenceKernel) for each output
// block X ∈ {log p, ∇μ, ∇a, ∇param}:
//   ‖X − X_ref‖_F ≤ tol · scale,  tol = 1024 · d · u  (u = 2⁻⁵³ or 2⁻²⁴),
// scale = ‖X_ref‖_F for grads and ‖Σ_b |c_b| |X_b|‖_F (entrywise) for the
// weighted sum, the scale of its rounding error whatever the cancellation.
//
// Memory: a fixture holds the batch and, for a weighted sum, the reference
// sum; per-sample references are computed part by part (at most 2²⁰ entries
// each) when the scale is taken and again at each check, so a row holds its
// batch and the method's result and nothing else the size of the batch.

#include <memory>
#include <optional>
#include <string>

#include "models.hpp"
#include "scorebench/batch.hpp"
#include "scorebench/result.hpp"

namespace scorebench::bench {

template <typename T>
struct Fixture {
  std::string key;
  Batch<T> batch;
  Request<T> request;
  Result<T> sum_reference;         // sum rows: the reference weighted sum (grads rows hold none)
  double scale[4] = {0, 0, 0, 0};  // log_prob, grad_loc, grad_action, grad_param
};

// The fixture of a configuration (method and threads do not matter); the
// last one built is kept, so the repeated runs of one benchmark share it.
template <typename T>
const Fixture<T>& fixture(const Config& c);

// Empty when `result` passes the check, else what failed and by how much.
template <typename T>
std::optional<std::string> check_against_reference(const Fixture<T>& fx, const Result<T>& result);

double check_tolerance(long d, bool f32);

}  // namespace scorebench::bench
