#pragma once
// Factories of the built-in methods, one translation unit each so that the
// heavy template instantiations (AD scalars, fixed-size kernels) compile in
// parallel and rebuild alone.

#include <memory>

#include "scorebench/method.hpp"

namespace scorebench::builtin {

std::unique_ptr<Method> make_analytic();
std::unique_ptr<Method> make_explicit_inverse();
std::unique_ptr<Method> make_cholesky_solve();
std::unique_ptr<Method> make_autodiff_forward();
std::unique_ptr<Method> make_reparameterization();

}  // namespace scorebench::builtin
