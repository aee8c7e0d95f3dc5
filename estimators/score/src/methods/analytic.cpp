#include "scorebench/methods/analytic.hpp"

#include "../builtin_methods.hpp"

namespace scorebench::builtin {

namespace {

using P = Parameterization;

// ε and w by two triangular solves (or a Cholesky of Σ, Λ per parameter and
// the products of ½(w wᵀ − Σ⁻¹)); scale_diag is elementwise.
FlopCount analytic_flops(P p, double x) {
  const double x2 = x * x, x3 = x2 * x;
  switch (p) {
    case P::scale_tril: return {2 * x, 2 * x2 + x2 / 2 + 5 * x};
    case P::covariance_matrix: return {x3, 5 * x2 + 5 * x};
    case P::precision_matrix: return {x3, 6 * x2 + 5 * x};
    case P::scale_diag: return {2 * x, 8 * x};
  }
  return {};
}

}  // namespace

std::unique_ptr<Method> make_analytic() {
  Capabilities c = facts(ArithmeticRoute::own_factor, ArithmeticRoute::own_factor, analytic_flops);
  c.cost.shared_sum_in_matrix_shapes = true;
  return std::make_unique<KernelMethod<AnalyticKernel>>(
      "analytic", "closed forms in the parameterization's own factor; matrix shapes for a shared parameter",
      c);
}

}  // namespace scorebench::builtin
