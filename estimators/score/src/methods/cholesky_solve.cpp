#include "scorebench/methods/cholesky_solve.hpp"

#include "../builtin_methods.hpp"

namespace scorebench::builtin {

namespace {

using P = Parameterization;

// Σ formed, its Cholesky, the solves, Σ⁻¹ from the factor, the chain rule.
FlopCount cholesky_solve_flops(P p, double x) {
  const double x2 = x * x, x3 = x2 * x;
  switch (p) {
    case P::scale_tril: return {3 * x3, 5 * x2 + 2 * x3};
    case P::covariance_matrix: return {x3, 5 * x2};
    case P::precision_matrix: return {7 * x3 / 3, 5 * x2 + 4 * x3};
    case P::scale_diag: return {2 * x3 / 3, 2 * x2 + 4 * x};
  }
  return {};
}

}  // namespace

std::unique_ptr<Method> make_cholesky_solve() {
  return std::make_unique<KernelMethod<CholeskySolveKernel>>(
      "cholesky_solve", "form Σ, Cholesky, triangular solves, Σ⁻¹ from the factor, chain rule",
      facts(ArithmeticRoute::through_sigma, ArithmeticRoute::through_sigma, cholesky_solve_flops));
}

}  // namespace scorebench::builtin
