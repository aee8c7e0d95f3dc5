#pragma once
// user_llt: a score method written outside scorebench, against its installed
// package. One factory; the kernel's mathematics is in user_llt.cpp.

#include <memory>

#include "scorebench/method.hpp"

namespace user {

// The method `user_llt`: the closed forms of DESIGN §1 in each
// parameterization's own factor, with Eigen::LLT for Σ and Λ. Built with
// USER_LLT_BROKEN defined, its ∇μ has the wrong sign (the install test shows
// that the gate rejects it).
std::unique_ptr<scorebench::Method> make_user_llt();

}  // namespace user
