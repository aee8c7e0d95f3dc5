#pragma once
// `autodiff_reverse`: reverse-mode AD with libtorch autograd (PyTorch's
// engine) through the log-density written in torch ops the way
// torch.distributions.MultivariateNormal writes it: L from the parameter
// (L itself, cholesky(Σ), or the flip-Cholesky-solve of Λ), ε = L⁻¹r by
// solve_triangular, log p = −½‖ε‖² − Σ log Lᵢᵢ − (d/2) log 2π, and
// backward(). Built only when libtorch is found; otherwise the method is
// registered as unavailable and says so.

#include <memory>

#include "scorebench/method.hpp"

namespace scorebench {

std::unique_ptr<Method> make_autodiff_reverse();

}  // namespace scorebench
