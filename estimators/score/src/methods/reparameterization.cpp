#include "scorebench/methods/reparameterization.hpp"

#include "../builtin_methods.hpp"

namespace scorebench::builtin {

namespace {

using P = Parameterization;

// w = L⁻ᵀε: one triangular solve per sample, no first solve.
FlopCount reparameterization_flops(P p, double x) {
  const double x2 = x * x, x3 = x2 * x;
  switch (p) {
    case P::scale_tril: return {2 * x, x2 + x2 / 2 + 3 * x};
    case P::covariance_matrix: return {x3, 4 * x2 + 3 * x};
    case P::precision_matrix: return {4 * x3 / 3, 5 * x2 + 3 * x};
    case P::scale_diag: return {2 * x, 6 * x};
  }
  return {};
}

}  // namespace

std::unique_ptr<Method> make_reparameterization() {
  return std::make_unique<KernelMethod<ReparameterizationKernel>>(
      "reparameterization", "the score from the noise: w = L⁻ᵀε with no first solve",
      facts(ArithmeticRoute::own_factor, ArithmeticRoute::own_factor, reparameterization_flops));
}

}  // namespace scorebench::builtin
