#include "scorebench/methods/reparameterization.hpp"

#include "../builtin_methods.hpp"

namespace scorebench::builtin {

std::unique_ptr<Method> make_reparameterization() {
  return std::make_unique<KernelMethod<ReparameterizationKernel>>(
      "reparameterization", "the score from the noise: w = L⁻ᵀε with no first solve",
      facts(ArithmeticRoute::own_factor, ArithmeticRoute::own_factor));
}

}  // namespace scorebench::builtin
