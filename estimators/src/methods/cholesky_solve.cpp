#include "scorebench/methods/cholesky_solve.hpp"

#include "../builtin_methods.hpp"

namespace scorebench::builtin {

std::unique_ptr<Method> make_cholesky_solve() {
  return std::make_unique<KernelMethod<CholeskySolveKernel>>(
      "cholesky_solve", "form Σ, Cholesky, triangular solves, Σ⁻¹ from the factor, chain rule",
      facts(ArithmeticRoute::through_sigma, ArithmeticRoute::through_sigma));
}

}  // namespace scorebench::builtin
