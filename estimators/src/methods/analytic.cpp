#include "scorebench/methods/analytic.hpp"

#include "../builtin_methods.hpp"

namespace scorebench::builtin {

std::unique_ptr<Method> make_analytic() {
  return std::make_unique<KernelMethod<AnalyticKernel>>(
      "analytic", "closed forms in the parameterization's own factor; matrix shapes for a shared parameter",
      facts(ArithmeticRoute::own_factor, ArithmeticRoute::own_factor));
}

}  // namespace scorebench::builtin
