#pragma once
// `autodiff_reverse`: reverse-mode AD with libtorch autograd (PyTorch's
// engine) through the log-density written in torch ops the way
// torch.distributions.MultivariateNormal writes it: L from the parameter
// (L itself, cholesky(Σ), or the flip-Cholesky-solve of Λ), ε = L⁻¹r by
// solve_triangular, log p = −½‖ε‖² − Σ log Lᵢᵢ − (d/2) log 2π, and
// backward(), over parts of the batch of at most 2²¹ parameter entries (what
// torch holds is then bounded whatever B; a sum adds the parts). Built only
// when libtorch is found, into the module that torch_module.hpp loads on
// first use; the method registered here forwards to it, and is unavailable
// (and says why) without libtorch.

#include <memory>

#include "scorebench/method.hpp"

namespace scorebench {

inline constexpr const char* kAutodiffReverseSummary =
    "reverse-mode AD with libtorch autograd through MultivariateNormal's log-density";

// The registered method: libtorch is loaded at its first evaluation.
std::unique_ptr<Method> make_autodiff_reverse();

}  // namespace scorebench
