#include "scorebench/methods/autodiff_forward.hpp"

#include "../builtin_methods.hpp"

namespace scorebench::builtin {

std::unique_ptr<Method> make_autodiff_forward() {
  // The generic log-density takes L or σ as given but factors Σ (or Λ): on a
  // matrix Σ or Λ the tangents run through the Cholesky recursion.
  Capabilities c = facts(ArithmeticRoute::own_factor, ArithmeticRoute::through_sigma);
  c.carries_every_derivative = true;
  return std::make_unique<KernelMethod<AutodiffForwardKernel>>(
      "autodiff_forward", "forward-mode AD (Eigen AutoDiffScalar) through the generic log-density", c);
}

}  // namespace scorebench::builtin
