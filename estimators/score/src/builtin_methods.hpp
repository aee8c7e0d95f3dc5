#pragma once
// Factories of the built-in methods, one translation unit each so that the
// heavy template instantiations (AD scalars, fixed-size kernels) compile in
// parallel and rebuild alone.

#include <memory>

#include "scorebench/method.hpp"

namespace scorebench::builtin {

// The facts of a method whose arithmetic takes `route` for scale_tril and
// scale_diag and `symmetric_route` for covariance_matrix and precision_matrix,
// and costs `flops` (cost_model.hpp).
inline Capabilities facts(ArithmeticRoute route, ArithmeticRoute symmetric_route,
                          FlopCount (*flops)(Parameterization, double)) {
  Capabilities c;
  c.route = route;
  c.symmetric_route = symmetric_route;
  c.cost.flops = flops;
  return c;
}

std::unique_ptr<Method> make_analytic();
std::unique_ptr<Method> make_explicit_inverse();
std::unique_ptr<Method> make_cholesky_solve();
std::unique_ptr<Method> make_autodiff_forward();
std::unique_ptr<Method> make_reparameterization();

}  // namespace scorebench::builtin
