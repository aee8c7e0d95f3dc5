#include "scorebench/methods/explicit_inverse.hpp"

#include "../builtin_methods.hpp"

namespace scorebench::builtin {

std::unique_ptr<Method> make_explicit_inverse() {
  return std::make_unique<KernelMethod<ExplicitInverseKernel>>(
      "explicit_inverse", "form Σ, LU inverse, log det from the LU, chain rule",
      facts(ArithmeticRoute::through_sigma, ArithmeticRoute::through_sigma));
}

}  // namespace scorebench::builtin
