#include "scorebench/methods/autodiff_forward.hpp"

#include "../builtin_methods.hpp"

namespace scorebench::builtin {

namespace {

using P = Parameterization;

// The log-density's scalar work s(d) times n + 1, n = 2d + (free parameter
// entries) seeded directions.
FlopCount autodiff_forward_flops(P p, double x) {
  const double x2 = x * x, x3 = x2 * x;
  const double free = is_matrix(p) ? x * (x + 1) / 2 : x;
  const double directions = 2 * x + free + 1;
  const double scalar = p == P::scale_tril ? x2 : p == P::scale_diag ? 3 * x : x3 / 3 + x2;
  return {is_symmetric(p) ? x3 / 3 : 0.0, directions * scalar};
}

}  // namespace

std::unique_ptr<Method> make_autodiff_forward() {
  // The generic log-density takes L or σ as given but factors Σ (or Λ): on a
  // matrix Σ or Λ the tangents run through the Cholesky recursion.
  Capabilities c = facts(ArithmeticRoute::own_factor, ArithmeticRoute::through_sigma, autodiff_forward_flops);
  c.carries_every_derivative = true;
  c.cost.sustained_flops_per_second = 3e7;  // one heap-allocated derivative vector per operation
  return std::make_unique<KernelMethod<AutodiffForwardKernel>>(
      "autodiff_forward", "forward-mode AD (Eigen AutoDiffScalar) through the generic log-density", c);
}

}  // namespace scorebench::builtin
