#include "scorebench/methods/explicit_inverse.hpp"

#include "../builtin_methods.hpp"

namespace scorebench::builtin {

namespace {

using P = Parameterization;

// Σ formed, its LU inverse and log det, and the chain rule back.
FlopCount explicit_inverse_flops(P p, double x) {
  const double x2 = x * x, x3 = x2 * x;
  switch (p) {
    case P::scale_tril: return {4 * x3, 5 * x2 + 2 * x3};
    case P::covariance_matrix: return {x3 / 3 + 2 * x3, 5 * x2};
    case P::precision_matrix: return {x3 / 3 + 4 * x3, 5 * x2 + 4 * x3};
    case P::scale_diag: return {2 * x3, 2 * x2 + 4 * x};
  }
  return {};
}

}  // namespace

std::unique_ptr<Method> make_explicit_inverse() {
  return std::make_unique<KernelMethod<ExplicitInverseKernel>>(
      "explicit_inverse", "form Σ, LU inverse, log det from the LU, chain rule",
      facts(ArithmeticRoute::through_sigma, ArithmeticRoute::through_sigma, explicit_inverse_flops));
}

}  // namespace scorebench::builtin
