#include "scorebench/methods/autodiff_forward.hpp"

#include "../builtin_methods.hpp"

namespace scorebench::builtin {

std::unique_ptr<Method> make_autodiff_forward() {
  return std::make_unique<KernelMethod<AutodiffForwardKernel>>("autodiff_forward", "forward-mode AD (Eigen AutoDiffScalar) through the generic log-density");
}

}  // namespace scorebench::builtin
