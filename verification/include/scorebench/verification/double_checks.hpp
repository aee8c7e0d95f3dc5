#pragma once
// Derivative checks a user can run in plain double, without multiprecision,
// on the same generic log-density as the oracle:
//
// - Boost.Math finite_difference_derivative of order 8 along each free
//   input. Boost's step is absolute (ε^(1/9) ≈ 0.018 for order 8), so the
//   input is moved along t ↦ x + t·s with s one tenth of the input's smallest
//   scale (oracle.hpp: √λ_min for μ, a, L; λ_min for Σ, Λ; min σ): the
//   largest stencil point then stays inside the positive-definite cone, and
//   the step shrinks as κ grows. Boost's error estimate is kept.
// - The complex step f'(x) ≈ Im f(x + i h)/h with h = 10⁻³⁰·s: no
//   subtractive cancellation, so it is as accurate as the log-density's own
//   evaluation; it needs the unconjugated Cholesky of cholesky.hpp.
//
// Both are reported against the 50-digit reference, not gated: how close
// they get as κ grows is a finding, not a contract.

#include "scorebench/verification/oracle.hpp"

namespace scorebench::verification {

enum class DoubleCheck { finite_difference, complex_step };
inline const char* name(DoubleCheck c) {
  return c == DoubleCheck::finite_difference ? "fd_boost" : "complex_step";
}

struct DoubleGradient {
  double log_prob = 0;
  Vec<double> grad_loc, grad_action;
  Mat<double> grad_param;
  // finite_difference only: largest of Boost's error estimates relative to
  // the largest derivative magnitude.
  double error_estimate = 0;
};

DoubleGradient double_check_gradient(DoubleCheck check, Parameterization p, const Vec<double>& loc,
                                     const Vec<double>& action, const Mat<double>& param);

}  // namespace scorebench::verification
